// mcusim command-line interface.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "mcusim/bench.h"
#include "mcusim/model.h"
#include "mcusim/board.h"
#include "mcusim/compare.h"
#include "mcusim/elf_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/formats.h"
#include "mcusim/report.h"
#include "mcusim/results_doc.h"
#include "mcusim/simulation.h"
#include "mcusim/sweep.h"

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
`compare`: 0 all changes within tolerances; 1 a metric regressed beyond its tolerance; 2 unusable
input (unreadable file, schema mismatch, different boards or tasks). `sweep` and `merge`: 0 done
(rows that failed or were invalid are in the results, with the reason); 2 bad input.
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
  std::string json, csv, markdown;
  std::string format = "table";
  std::uint64_t max_instructions = 0;
  bool layers = false;
  bool quiet = false;
  bool record_paths = false;
  std::string name;  // run: the task name in the results
};

// --json/--csv/--markdown FILE and --format for the stdout rendering.
void add_outputs(CLI::App* cmd, RunArgs& a, const char* what) {
  cmd->add_option("--json", a.json, fmt::format("write {} as JSON (schema: docs/results-schema.md)", what));
  cmd->add_option("--csv", a.csv, fmt::format("write {} as CSV, one row per configuration and task", what));
  cmd->add_option("--markdown", a.markdown, fmt::format("write {} as a Markdown table", what));
  cmd->add_option("--format", a.format, "what to print on stdout: table (for people), csv, markdown or json")
      ->check(CLI::IsMember(mcusim::format_names()))
      ->capture_default_str();
  cmd->add_flag("--record-paths", a.record_paths,
                "record the firmware path as given in the results (default: file name only, so results do not "
                "depend on where the tree lives)");
}

void write_outputs(const nlohmann::ordered_json& doc, const RunArgs& a) {
  if (!a.json.empty()) mcusim::write_file_atomically(a.json, mcusim::dump_document(doc));
  if (!a.csv.empty()) mcusim::write_file_atomically(a.csv, mcusim::results_csv(doc, a.layers));
  if (!a.markdown.empty()) mcusim::write_file_atomically(a.markdown, mcusim::results_markdown(doc, a.layers));
}

mcusim::Parameters parameters_of(const std::vector<std::string>& sets) {
  mcusim::Parameters p;
  for (auto& s : sets) p.push_back(mcusim::split_parameter(s));
  return p;
}

void add_common(CLI::App* cmd, RunArgs& a) {
  cmd->add_option("--board,-b", a.board, "board name (see `mcusim boards`) or path to a board .toml file")
      ->capture_default_str();
  cmd->add_option("--set", a.sets,
                  "override a board parameter for this run, e.g. --set clock_hz=80000000, "
                  "--set flash.wait_states=2, --set flash.icache.enabled=false, --set vdd_v=1.8, --set clock_mhz=80 (repeatable)");
  cmd->add_option("--clock-mhz", "core clock in MHz (same as --set clock_mhz=N): flash wait states follow the "
                                 "part's table unless flash.wait_states is set")
      ->type_name("MHZ")
      ->each([&a](const std::string& v) { a.sets.push_back("clock_mhz=" + v); });
  add_outputs(cmd, a, "the results");
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
  const bool table = a.format == "table";
  echo = echo && table;  // console lines would corrupt CSV/Markdown/JSON on stdout
  opts.echo_console = echo;
  auto result = sim.run(opts);
  mcusim::ResultEntry entry;
  entry.parameters = parameters_of(a.sets);
  entry.task = a.name.empty() ? std::filesystem::path(elf_path).stem().string() : a.name;
  entry.firmware = elf_path;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  entries.push_back(mcusim::entry_json(entry, &result, {a.record_paths, {mcusim::data_dir().string()}}));
  const auto doc = mcusim::results_document("run", nullptr, std::move(entries));
  write_outputs(doc, a);
  if (!a.quiet) {
    if (table)
      std::cout << (echo ? "\n" : "") << mcusim::text_report(result, a.layers);
    else
      std::cout << mcusim::render_results(doc, mcusim::parse_format(a.format), a.layers);
  }
  if (result.stop != mcusim::StopReason::exited) std::cerr << "mcusim: " << result.stop_message << "\n";
  return exit_code_of(result);
}

int run_bench_command(const RunArgs& a, const std::string& task, const std::string& kernels, unsigned jobs,
                      const std::vector<mcusim::ModelSpec>& models = {}) {
  auto board = mcusim::load_board(a.board, a.sets);
  std::vector<mcusim::TinyTask> tasks;
  for (auto& t : mcusim::tiny_tasks())
    if (task == "all" || task == t.name) tasks.push_back(t);
  std::vector<std::string> libs = kernels == "both" ? std::vector<std::string>{"reference", "optimized"}
                                                    : std::vector<std::string>{kernels};
  auto runs = mcusim::run_bench(board, tasks, libs, firmware_dir(), jobs);
  for (auto& m : models)  // imported .tflite models (src/model.cpp)
    for (auto& r : mcusim::run_model_bench(m, board, libs, jobs)) runs.push_back(std::move(r));
  const auto doc = mcusim::bench_json(runs, parameters_of(a.sets),
                                      {a.record_paths, {firmware_dir(), mcusim::data_dir().string()}});
  write_outputs(doc, a);
  if (a.format != "table") {
    std::cout << mcusim::render_results(doc, mcusim::parse_format(a.format), a.layers);
  } else {
  std::cout << fmt::format("board {}: {} @ {:g} MHz\n", board.name, board.core, board.clock_hz / 1e6);
  if (runs.size() == 1 && runs.front().error.empty())
    std::cout << mcusim::text_report(runs.front().result, false) << "\n";
  std::cout << mcusim::bench_summary(runs);
  if (a.layers)
    for (auto& r : runs)
      if (r.error.empty())
        std::cout << fmt::format("\n{} ({}), layers:\n", r.task.name, r.kernels) << mcusim::layer_table(r.result);
  }
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

struct SweepArgs {
  RunArgs out;
  std::string board = "nucleo-l4r5zi";
  std::vector<std::string> sets;
  std::string task = "all";
  std::string kernels = "optimized";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string shard = "1/1";
};

// "all" or a comma-separated list of task names, in the order given.
std::vector<mcusim::TinyTask> parse_tasks(const std::string& list) {
  std::vector<mcusim::TinyTask> out;
  if (list == "all") return mcusim::tiny_tasks();
  std::stringstream ss(list);
  for (std::string name; std::getline(ss, name, ',');) {
    auto& all = mcusim::tiny_tasks();
    auto it = std::find_if(all.begin(), all.end(), [&](auto& t) { return t.name == name; });
    if (it == all.end())
      throw mcusim::InputError(fmt::format("--task '{}': unknown task '{}' (kws, vww, ic, ad or all)", list, name));
    if (std::none_of(out.begin(), out.end(), [&](auto& t) { return t.name == name; })) out.push_back(*it);
  }
  if (out.empty()) throw mcusim::InputError(fmt::format("--task '{}': no task given", list));
  return out;
}

int count_not_ok(const nlohmann::ordered_json& doc) {
  int n = 0;
  for (auto& e : doc.at("results")) n += e.at("status") != "ok";
  return n;
}

int run_sweep_command(const SweepArgs& s) {
  mcusim::SweepSpec spec;
  spec.board = s.board;
  for (auto& set : s.sets) {
    auto axis = mcusim::parse_sweep_axis(set);
    for (auto& a : spec.axes)
      if (a.key == axis.key) throw mcusim::InputError(fmt::format("--set {}: key given twice; list its values in one --set", axis.key));
    spec.axes.push_back(std::move(axis));
  }
  spec.tasks = parse_tasks(s.task);
  spec.kernels = s.kernels == "both" ? std::vector<std::string>{"reference", "optimized"}
                                     : std::vector<std::string>{s.kernels};
  spec.firmware_dir = firmware_dir();
  spec.jobs = std::max(1u, s.jobs);
  spec.shard = mcusim::parse_shard(s.shard);
  spec.entry_options.record_paths = s.out.record_paths;
  spec.progress = isatty(STDERR_FILENO) != 0;
  const auto doc = mcusim::run_sweep(spec);
  write_outputs(doc, s.out);
  if (!s.out.quiet) std::cout << mcusim::render_results(doc, mcusim::parse_format(s.out.format), s.out.layers);
  if (int bad = count_not_ok(doc))
    std::cerr << fmt::format("sweep: {} of {} rows did not run to a clean exit; their status and reason are in the "
                             "results\n", bad, doc.at("results").size());
  return mcusim::kExitOk;
}

int run_merge_command(const std::vector<std::string>& files, const RunArgs& a) {
  std::vector<nlohmann::ordered_json> docs;
  for (auto& f : files) docs.push_back(mcusim::read_results_file(f));
  const auto doc = mcusim::merge_sweeps(docs, files);
  write_outputs(doc, a);
  if (!a.quiet) std::cout << mcusim::render_results(doc, mcusim::parse_format(a.format), a.layers);
  return mcusim::kExitOk;
}

struct CompareArgs {
  std::string baseline, current;
  std::vector<std::string> tolerances;
  std::string junit, json, csv, markdown;
  std::string format = "table";
  mcusim::CompareOptions options;
};

int run_compare_command(CompareArgs a) {
  mcusim::Comparison c;
  try {
    for (auto& t : a.tolerances) mcusim::parse_tolerance(t, a.options.tolerances);
    const auto base = mcusim::read_results_file(a.baseline);
    const auto cur = mcusim::read_results_file(a.current);
    c = mcusim::compare_results(base, cur, a.baseline, a.current, a.options);
  } catch (const mcusim::InputError& e) {
    if (!a.junit.empty()) mcusim::write_file_atomically(a.junit, mcusim::junit_input_error(e.what()));
    throw;
  }
  if (!a.junit.empty()) mcusim::write_file_atomically(a.junit, mcusim::comparison_junit(c));
  const bool all = a.options.show_unchanged;
  if (!a.json.empty()) mcusim::write_file_atomically(a.json, mcusim::render_comparison(c, mcusim::Format::json, true));
  if (!a.csv.empty()) mcusim::write_file_atomically(a.csv, mcusim::render_comparison(c, mcusim::Format::csv, true));
  if (!a.markdown.empty())
    mcusim::write_file_atomically(a.markdown, mcusim::render_comparison(c, mcusim::Format::markdown, all));
  std::cout << mcusim::render_comparison(c, mcusim::parse_format(a.format), all);
  return c.regressed() ? 1 : 0;
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
  run->add_option("--name", run_args.name,
                  "task name of this run in the results (default: the firmware file name without extension); "
                  "`compare` matches results by it");

  RunArgs bench_args;
  std::string task = "all", kernels = "optimized";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  auto* bench = app.add_subcommand("bench", "run the MLPerf Tiny reference firmware and report per inference");
  bench->footer(kSemantics);
  bench->add_option("--task", task, "MLPerf Tiny task: kws (keyword spotting), vww (visual wake words), ic (image "
                                    "classification), ad (anomaly detection) or all")
      ->check(CLI::IsMember({"kws", "vww", "ic", "ad", "all", "none"}))
      ->capture_default_str();
  bench->add_option("--kernels", kernels, "int8 kernel library of the firmware: reference (portable C loops), "
                                          "optimized (im2col + SIMD MAC on DSP cores), or both")
      ->check(CLI::IsMember({"reference", "optimized", "both"}))
      ->capture_default_str();
  bench->add_option("--jobs,-j", jobs, "simulations run in parallel (one Unicorn engine each)")->capture_default_str();
  std::vector<std::string> bench_models;
  bench->add_option("--model", bench_models,
                    "also run this int8 .tflite model (imported and built as `mcusim model` does; repeatable; "
                    "--task none runs only the models)");
  add_common(bench, bench_args);

  RunArgs model_args;
  mcusim::ModelSpec model_spec;
  std::string model_kernels = "optimized";
  auto* model = app.add_subcommand("model", "run your own int8 TensorFlow Lite model (.tflite) on a board: imports it, "
                                            "builds its firmware (cached), reports like bench (docs/tflite.md)");
  model->footer(kSemantics);
  model->add_option("file", model_spec.tflite, "the .tflite model (int8, full-integer quantization)")->required();
  model->add_option("--input", model_spec.input,
                    "the input tensor: .npy (int8 or float32) or raw bytes (N int8 or N float32 values); "
                    "default: deterministic pseudo-random int8 values")
      ->type_name("FILE");
  model->add_option("--kernels", model_kernels, "int8 kernel library: reference, optimized or both")
      ->check(CLI::IsMember({"reference", "optimized", "both"}))
      ->capture_default_str();
  add_common(model, model_args);

  std::string calib_board = "nucleo-l4r5zi";
  bool calib_write = false;
  auto* calibrate = app.add_subcommand(
      "calibrate", "solve the board's energy table from its datasheet run current (docs/models/energy.md)");
  calibrate->add_option("--board,-b", calib_board, "board whose energy table to calibrate")->capture_default_str();
  calibrate->add_flag("--write", calib_write, "replace the energy table file (default: print it)");

  SweepArgs sweep_args;
  auto* sweep = app.add_subcommand(
      "sweep", "run MLPerf Tiny tasks over the cartesian product of board-parameter values (a design-space sweep)");
  sweep->footer(kSemantics);
  sweep->add_option("--board,-b", sweep_args.board, "board name or path to a board .toml file")->capture_default_str();
  sweep->add_option("--set", sweep_args.sets,
                    "a swept board parameter and its values: key=v1,v2,... or an integer range key=a..b[:step], "
                    "e.g. --set clock_hz=48000000,80000000 --set flash.wait_states=0..5 (repeatable; each key is "
                    "passed to the board unchanged, as with run --set)");
  sweep->add_option("--task", sweep_args.task, "all, or a comma-separated list of kws, vww, ic, ad")
      ->capture_default_str();
  sweep->add_option("--kernels", sweep_args.kernels, "reference, optimized or both")
      ->check(CLI::IsMember({"reference", "optimized", "both"}))
      ->capture_default_str();
  sweep->add_option("--jobs,-j", sweep_args.jobs, "simulations run in parallel (one Unicorn engine each)")
      ->capture_default_str();
  sweep->add_option("--shard", sweep_args.shard,
                    "run only the I-th of N disjoint slices, I/N (e.g. a Slurm array task; join with `mcusim merge`)")
      ->capture_default_str();
  add_outputs(sweep, sweep_args.out, "the rows");
  sweep->add_flag("--layers", sweep_args.out.layers, "CSV/Markdown/table: one more row per layer (region)");
  sweep->add_flag("--quiet,-q", sweep_args.out.quiet, "print nothing on stdout (use with --json/--csv)");

  std::vector<std::string> merge_files;
  RunArgs merge_args;
  auto* merge = app.add_subcommand("merge", "join the JSON results of `sweep --shard` runs into one sweep result");
  merge->add_option("shards", merge_files, "the shards' JSON files (every shard of the sweep once)")->required();
  add_outputs(merge, merge_args, "the merged rows");
  merge->add_flag("--layers", merge_args.layers, "CSV/Markdown/table: one more row per layer (region)");
  merge->add_flag("--quiet,-q", merge_args.quiet, "print nothing on stdout");

  CompareArgs cmp;
  auto* compare = app.add_subcommand(
      "compare", "regression gate: compare two results files metric by metric (exit 0 pass, 1 regression, 2 bad input)");
  compare->footer(kSemantics);
  compare->add_option("baseline", cmp.baseline, "results JSON of the baseline (e.g. committed to the repository)")
      ->required();
  compare->add_option("current", cmp.current, "results JSON of the change under test")->required();
  compare->add_option("--tolerance,-t", cmp.tolerances,
                      "allowed growth of a metric before it fails: metric=N% or an absolute amount, e.g. cycles=1%, "
                      "flash=512B, latency=0.1ms, energy=2uJ, all=0.5% (metrics: instructions, cycles, latency, "
                      "energy, flash, sram; default 0: any growth fails; repeatable)");
  compare->add_option("--junit", cmp.junit, "write a JUnit XML report (one test case per task and metric)");
  compare->add_option("--json", cmp.json, "write the comparison (every compared metric) as JSON");
  compare->add_option("--csv", cmp.csv, "write the comparison (every compared metric) as CSV");
  compare->add_option("--markdown", cmp.markdown, "write the comparison as Markdown (e.g. a pull-request comment)");
  compare->add_option("--format", cmp.format, "what to print on stdout: table, csv, markdown or json")
      ->check(CLI::IsMember(mcusim::format_names()))
      ->capture_default_str();
  compare->add_flag("--ignore-kernels", cmp.options.ignore_kernels,
                    "match results by task alone, e.g. a reference-kernel baseline against an optimized build");
  compare->add_flag("--gate-layers", cmp.options.gate_layers,
                    "per-layer metrics beyond tolerance also fail (default: shown, not gated)");
  compare->add_flag("--all", cmp.options.show_unchanged, "list unchanged metrics too");

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
        fmt::print("{:<16} {:<13} {:>4g} MHz  {}\n  {}\n", b.name, b.core, b.clock_hz / 1e6,
                   mcusim::memory_summary(b), b.description);
      }
      return 0;
    }
    if (*run) return run_and_report(elf, run_args, !run_args.quiet);
    if (*calibrate) return run_calibration(calib_board, calib_write);
    if (*bench) {
      std::vector<mcusim::ModelSpec> specs;
      for (auto& f : bench_models) specs.push_back({f, ""});
      return run_bench_command(bench_args, task, kernels, jobs, specs);
    }
    if (*model) return run_bench_command(model_args, "none", model_kernels, jobs, {model_spec});
    if (*sweep) return run_sweep_command(sweep_args);
    if (*merge) return run_merge_command(merge_files, merge_args);
    if (*compare) return run_compare_command(cmp);
  } catch (const mcusim::InputError& e) {
    std::cerr << "mcusim: error: " << e.what() << "\n";
    return mcusim::kExitBadInput;
  }
  return 0;
}
