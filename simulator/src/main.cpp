// mcusim command-line interface.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "mcusim/bench.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/errors.h"
#include "mcusim/report.h"
#include "mcusim/simulation.h"

#ifndef MCUSIM_FIRMWARE_DIR
#define MCUSIM_FIRMWARE_DIR "firmware"
#endif

namespace {

constexpr const char* kSemantics = R"(
What the numbers mean:
  cycles       modelled core clock cycles: each basic block is charged its static cost from the
               core's timing table (cycles per instruction class at zero wait states, including
               load pipelining and address-generation stalls inside the block), plus the dynamic
               parts: pipeline refill after taken branches, instruction-fetch stalls from the
               flash model (wait states, ART prefetch and instruction cache), data wait states
               (flash through the ART data cache; SRAM wait states) and divider latency.
  latency      cycles / board clock.
  energy       event counts x the board's energy table (per instruction class, per awake cycle,
               per memory action: flash / prefetch / XIP read, accelerator and cache hit, cache
               line fill, SRAM and TCM access; static power x awake time; sleep power x time in
               WFI), calibrated to a datasheet run current. Split into core dynamic, memory (per
               memory), static and sleep parts that add up to the total. --set vdd_v=<V> runs the
               table at another supply voltage within the part's range (dynamic x V^2, static x V;
               docs/models/energy.md).
  per inference  the region the firmware marks with name=inference (semihosting ROI markers).
  exceptions   Cortex-M SysTick/NVIC/SCB are modelled: exceptions are taken at block boundaries
               with the entry/return costs of core-models/data/exceptions.toml; WFI sleeps to the
               next SysTick wrap (sleep cycles are part of the cycles).
Not modelled: fault exceptions, peripheral interrupt sources, DMA and peripherals, bus contention between the I-code
and D-code buses, pipeline effects across basic-block boundaries (load pipelining, AGU stalls),
IT folding, write buffers. See docs/timing.md.

Exit codes: 0 firmware exited with 0; 1 firmware exited non-zero; 2 bad input (command line, board,
ELF); 3 firmware fault (PC and faulting address are printed); 4 --max-instructions reached.
)";

std::string firmware_dir() {
  if (const char* env = std::getenv("MCUSIM_FIRMWARE_DIR"); env && *env) return env;
  return MCUSIM_FIRMWARE_DIR;
}

int exit_code_of(const mcusim::RunResult& r) {
  switch (r.stop) {
    case mcusim::StopReason::exited: return r.exit_code == 0 ? mcusim::kExitOk : mcusim::kExitFirmwareStatus;
    case mcusim::StopReason::fault:
    case mcusim::StopReason::unsupported: return mcusim::kExitFirmwareFault;
    case mcusim::StopReason::instruction_limit: return mcusim::kExitLimit;
  }
  return mcusim::kExitFirmwareFault;
}

struct RunArgs {
  std::string board = "nucleo-l4r5zi";
  std::vector<std::string> sets;
  std::string json;
  std::uint64_t max_instructions = 0;
  bool layers = false;
  bool quiet = false;
};

void add_common(CLI::App* cmd, RunArgs& a) {
  cmd->add_option("--board,-b", a.board, "board name (see `mcusim boards`) or path to a board .toml file")
      ->capture_default_str();
  cmd->add_option("--set", a.sets,
                  "override a board parameter for this run, e.g. --set clock_hz=80000000, "
                  "--set flash.wait_states=2, --set flash.icache.enabled=false, --set vdd_v=1.8 (repeatable)");
  cmd->add_option("--json", a.json, "also write the full result as JSON (schema: docs/results-schema.md)");
  cmd->add_option("--max-instructions", a.max_instructions,
                  "stop (exit code 4) once this many instructions have retired; 0 = no limit")
      ->capture_default_str();
  cmd->add_flag("--layers", a.layers, "print one row per region of interest (layer)");
}

int run_and_report(const std::string& elf_path, const RunArgs& a, bool echo) {
  auto board = mcusim::load_board(a.board, a.sets);
  auto image = mcusim::load_elf(elf_path);
  mcusim::Simulation sim(board, image);
  mcusim::RunOptions opts;
  opts.max_instructions = a.max_instructions;
  opts.echo_console = echo;
  auto result = sim.run(opts);
  if (!a.json.empty()) mcusim::write_file_atomically(a.json, mcusim::json_report(result).dump(2) + "\n");
  if (!a.quiet) std::cout << (echo ? "\n" : "") << mcusim::text_report(result, a.layers);
  if (result.stop != mcusim::StopReason::exited) std::cerr << "mcusim: " << result.stop_message << "\n";
  return exit_code_of(result);
}

int run_bench_command(const RunArgs& a, const std::string& task, const std::string& kernels, unsigned jobs) {
  auto board = mcusim::load_board(a.board, a.sets);
  std::vector<mcusim::TinyTask> tasks;
  for (auto& t : mcusim::tiny_tasks())
    if (task == "all" || task == t.name) tasks.push_back(t);
  std::vector<std::string> libs = kernels == "both" ? std::vector<std::string>{"reference", "optimized"}
                                                    : std::vector<std::string>{kernels};
  auto runs = mcusim::run_bench(board, tasks, libs, firmware_dir(), jobs);
  std::cout << fmt::format("board {}: {} @ {:g} MHz\n", board.name, board.core, board.clock_hz / 1e6);
  if (!a.json.empty()) mcusim::write_file_atomically(a.json, mcusim::bench_json(runs).dump(2) + "\n");
  if (runs.size() == 1 && runs.front().error.empty())
    std::cout << mcusim::text_report(runs.front().result, false) << "\n";
  std::cout << mcusim::bench_summary(runs);
  if (a.layers)
    for (auto& r : runs)
      if (r.error.empty())
        std::cout << fmt::format("\n{} ({}), layers:\n", r.task.name, r.kernels) << mcusim::layer_table(r.result);
  int rc = 0;
  for (auto& r : runs) rc = std::max(rc, r.error.empty() ? exit_code_of(r.result) : int{mcusim::kExitBadInput});
  return rc;
}

// Runs the energy table's calibration program on the board, solves the table and prints (or
// writes) it, then reports the calibrated average power against the datasheet target and the
// error of the uncalibrated (as loaded) table.
int run_calibration(const std::string& board_name, bool write) {
  auto board = mcusim::load_board(board_name);
  const auto table_path = mcusim::energy_table_path(board);
  auto table = mcusim::power::load_energy_table(table_path);
  if (table.clock_hz != board.clock_hz)
    throw mcusim::InputError(fmt::format("{}: operating_point.clock_hz {} differs from board {} clock {} Hz",
                                         table_path.string(), table.clock_hz, board.name, board.clock_hz));
  const std::string elf = fmt::format("{}/{}/{}.elf", firmware_dir(), board.name, table.calibration_program);
  mcusim::Simulation sim(board, mcusim::load_elf(elf));
  auto r = sim.run({});
  if (r.stop != mcusim::StopReason::exited || r.exit_code != 0)
    throw mcusim::InputError(fmt::format("{}: calibration program did not exit cleanly: {}", elf, r.stop_message));
  const mcusim::Counters& c = mcusim::region_named(r, "calibration") ? mcusim::region_named(r, "calibration")->counters
                                                                     : r.total;
  auto ev = mcusim::energy_events(c, board.clock_hz, table.flash_kind);
  auto calibrated = mcusim::power::calibrate(table, ev);
  calibrated.calibrated_on = board.name;
  const double before_mw = mcusim::power::compute_energy(table, ev).average_mw(ev.seconds);
  const double mw = mcusim::power::compute_energy(calibrated, ev).average_mw(ev.seconds);
  const double target = table.calibration_ua_per_mhz * board.clock_hz / 1e6 * table.vdd_v * 1e-3;
  const std::string text = mcusim::power::to_toml(calibrated);
  if (write)
    mcusim::write_file_atomically(table_path, text);
  else
    std::cout << text;
  std::cerr << fmt::format("calibrate: {} on {}: {:.3f} mW with the calibrated table ({:+.2f} % from the datasheet "
                           "target {:.3f} mW = {} uA/MHz x {:g} MHz x {} V); the table as loaded gave {:.3f} mW "
                           "({:+.2f} %){}\n",
                           table.calibration_program, board.name, mw, 100 * (mw - target) / target, target,
                           table.calibration_ua_per_mhz, board.clock_hz / 1e6, table.vdd_v, before_mw,
                           100 * (before_mw - target) / target, write ? "; written to " + table_path.string() : "");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mcusim: cycle-approximate microcontroller simulator for TinyML firmware"};
  app.footer(kSemantics);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(mcusim::mcusim_version()));

  auto* boards = app.add_subcommand("boards", "list the boards mcusim knows (core, clock, memories)");

  RunArgs run_args;
  std::string elf;
  auto* run = app.add_subcommand("run", "run a bare-metal ELF on a board and report cycles, latency and energy");
  run->footer(kSemantics);
  run->add_option("firmware", elf, "ELF32 little-endian executable built for the board's memory map")->required();
  add_common(run, run_args);
  run->add_flag("--quiet,-q", run_args.quiet, "do not print the report (use with --json)");

  RunArgs bench_args;
  std::string task = "all", kernels = "optimized";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  auto* bench = app.add_subcommand("bench", "run the MLPerf Tiny reference firmware and report per inference");
  bench->footer(kSemantics);
  bench->add_option("--task", task, "MLPerf Tiny task: kws (keyword spotting), vww (visual wake words), ic (image "
                                    "classification), ad (anomaly detection) or all")
      ->check(CLI::IsMember({"kws", "vww", "ic", "ad", "all"}))
      ->capture_default_str();
  bench->add_option("--kernels", kernels, "int8 kernel library of the firmware: reference (portable C loops), "
                                          "optimized (im2col + SIMD MAC on DSP cores), or both")
      ->check(CLI::IsMember({"reference", "optimized", "both"}))
      ->capture_default_str();
  bench->add_option("--jobs,-j", jobs, "simulations run in parallel (one Unicorn engine each)")->capture_default_str();
  add_common(bench, bench_args);

  std::string calib_board = "nucleo-l4r5zi";
  bool calib_write = false;
  auto* calibrate = app.add_subcommand(
      "calibrate", "solve the board's energy table from its datasheet run current (docs/models/energy.md)");
  calibrate->add_option("--board,-b", calib_board, "board whose energy table to calibrate")->capture_default_str();
  calibrate->add_flag("--write", calib_write, "replace the energy table file (default: print it)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : mcusim::kExitBadInput;
  }

  try {
    if (*boards) {
      for (auto& name : mcusim::list_boards()) {
        auto b = mcusim::load_board(name);
        std::string srams;
        for (auto& s : b.sram) srams += fmt::format("{}{} {} KiB", srams.empty() ? "" : ", ", s.name, s.size_bytes / 1024);
        std::string flash = b.has_flash
                                ? fmt::format("flash {} KiB @ {} WS, {}-bit reads, prefetch {}, I-cache {} B, D-cache {} B",
                                              b.flash.size_bytes / 1024, b.flash.wait_states,
                                              b.flash.read_width_bytes * 8, b.flash.prefetch ? "on" : "off",
                                              b.flash_icache_size(), b.flash_dcache_size())
                                : std::string("no flash (code runs from RAM)");
        fmt::print("{:<16} {:<13} {:>4g} MHz  {}; {}\n  {}\n", b.name, b.core, b.clock_hz / 1e6, flash, srams,
                   b.description);
      }
      return 0;
    }
    if (*run) return run_and_report(elf, run_args, !run_args.quiet);
    if (*calibrate) return run_calibration(calib_board, calib_write);
    if (*bench) return run_bench_command(bench_args, task, kernels, jobs);
  } catch (const mcusim::InputError& e) {
    std::cerr << "mcusim: error: " << e.what() << "\n";
    return mcusim::kExitBadInput;
  }
  return 0;
}
