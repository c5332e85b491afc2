// mcusim command-line interface.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "mcusim/mlperf_command.h"
#include "mcusim/serve.h"
#include "mcusim/bench.h"
#include "mcusim/model.h"
#include "mcusim/board.h"
#include "mcusim/compare.h"
#include "mcusim/elf_image.h"
#include "mcusim/raw_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/formats.h"
#include "mcusim/image.h"
#include "mcusim/html_report.h"
#include "mcusim/profile.h"
#include "mcusim/profile_formats.h"
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
               table at another supply voltage within the part's range, --set vcore_range=<name>
               at another core-voltage range (default: the lowest range allowing the clock); how
               energy follows them depends on the part's regulator (LDO: x V_core x VDD; SMPS:
               x V_core^2; direct: x VDD^2; docs/models/energy.md "Supply").
  per inference  the region the firmware marks with name=inference (semihosting ROI markers).
  exceptions   Cortex-M SysTick/NVIC/SCB are modelled: exceptions are taken at block boundaries
               with the entry/return costs of core-models/data/exceptions.toml; WFI sleeps to the
               next SysTick wrap (sleep cycles are part of the cycles).
  peripherals  the STM32 boards' SoC blocks (RCC, flash interface, UARTs, timers, GPIO, CRC) as
               register tables driven by simulated time, with their interrupts; an access to a
               block on an APB bus waits two bus cycles (docs/peripherals.md).
Not modelled: fault exceptions, DMA, blocks outside docs/peripherals.md, bus contention between the I-code
and D-code buses, pipeline effects across basic-block boundaries (load pipelining, AGU stalls,
IT folding), IT folding on the Cortex-M3, write buffers. See docs/timing.md.

Exit codes: 0 firmware exited with 0; 1 firmware exited non-zero, or a region was opened and never
closed; 2 bad input (command line, board, ELF, output path); 3 firmware fault (PC and faulting
address are printed); 4 --max-instructions reached (default 10,000,000,000); 5 out of host memory
or internal error. Limits and what is refused: docs/limits-and-errors.md.
`compare`: 0 all changes within tolerances; 1 a metric regressed beyond its tolerance, a value is
invalid, or a region of the baseline is missing or never closed; 2 unusable
input (unreadable file, schema mismatch, different boards or tasks). `sweep` and `merge`: 0 done
(rows that failed or were invalid are in the results, with the reason); 2 bad input.
)";

// Where bench and sweep find the reference firmware: $MCUSIM_FIRMWARE_DIR, else an installed
// copy's <prefix>/share/mcusim/firmware, else the build tree's firmware directory.
std::string firmware_dir() {
  if (const char* env = std::getenv("MCUSIM_FIRMWARE_DIR"); env && *env) return env;
  if (auto share = mcusim::installed_share_dir(); !share.empty()) return (share / "firmware").string();
  return MCUSIM_FIRMWARE_DIR;
}

int exit_code_of(const mcusim::RunResult& r) {
  switch (r.stop) {
    case mcusim::StopReason::exited: return r.exit_code == 0 ? mcusim::kExitOk : mcusim::kExitFirmwareStatus;
    case mcusim::StopReason::fault:
    case mcusim::StopReason::unsupported: return mcusim::kExitFirmwareFault;
    case mcusim::StopReason::instruction_limit: return mcusim::kExitLimit;
    case mcusim::StopReason::stuck: return mcusim::kExitFirmwareFault;
    case mcusim::StopReason::waiting_for_input: return mcusim::kExitOk;  // the firmware served all input
  }
  return mcusim::kExitFirmwareFault;
}

// Default --max-instructions of `run`: a runaway firmware stops (exit 4) instead of running without
// end. The largest MLPerf Tiny run (VWW, reference kernels) retires well under 2e9 instructions.
constexpr std::uint64_t kDefaultMaxInstructions = 10'000'000'000ull;
// Largest --max-instructions accepted (1e15: years of host time; larger values are typos).
constexpr std::uint64_t kMaxMaxInstructions = 1'000'000'000'000'000ull;

// --max-instructions: digits only, 0 (no limit) .. kMaxMaxInstructions.
std::uint64_t parse_max_instructions(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 16 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::uint64_t n = digits ? std::stoull(text) : 0;
  if (!digits || n > kMaxMaxInstructions)
    throw mcusim::InputError(fmt::format("--max-instructions '{}': expected 0 (no limit) or a count of instructions "
                                         "up to {}", text, kMaxMaxInstructions));
  return n;
}

struct RunArgs {
  std::string board = "nucleo-l4r5zi";
  std::vector<std::string> sets;
  std::string json, csv, markdown, html;
  std::string format = "table";
  std::string profile;  // run, bench: --profile PREFIX
  std::size_t profile_top = 10;
  std::string max_instructions = std::to_string(kDefaultMaxInstructions);
  bool layers = false;
  bool quiet = false;
  bool record_paths = false;
  std::string name;  // run: the task name in the results
  std::vector<std::string> uarts;  // run: --uart NAME=SPEC
};

// --uart NAME=SPEC (docs/peripherals.md): SPEC is file:PATH, - (standard input, read to its end)
// or text:STRING; `pty` is reserved for the interactive pseudo-terminal (issue 14).
std::map<std::string, std::string> uart_inputs(const std::vector<std::string>& specs) {
  std::map<std::string, std::string> m;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
      throw mcusim::InputError(fmt::format("--uart {}: expected NAME=SPEC (e.g. lpuart1=text:name%)", spec));
    const std::string name = spec.substr(0, eq), what = spec.substr(eq + 1);
    std::string bytes;
    if (what.rfind("text:", 0) == 0) {
      bytes = what.substr(5);
    } else if (what.rfind("file:", 0) == 0 || what == "-") {
      std::ifstream in;
      std::istream* is = &std::cin;
      if (what != "-") {
        in.open(what.substr(5), std::ios::binary);
        if (!in) throw mcusim::InputError(fmt::format("--uart {}: cannot open '{}'", spec, what.substr(5)));
        is = &in;
      }
      bytes.assign(std::istreambuf_iterator<char>(*is), std::istreambuf_iterator<char>());
    } else if (what == "pty") {
      throw mcusim::InputError(fmt::format("--uart {}: pty is not available in this version", spec));
    } else {
      throw mcusim::InputError(
          fmt::format("--uart {}: SPEC must be file:PATH, - (standard input) or text:STRING", spec));
    }
    m[name] += bytes;
  }
  return m;
}

// --json/--csv/--markdown FILE and --format for the stdout rendering.
void add_outputs(CLI::App* cmd, RunArgs& a, const char* what) {
  cmd->add_option("--json", a.json, fmt::format("write {} as JSON (schema: docs/results-schema.md)", what));
  cmd->add_option("--csv", a.csv, fmt::format("write {} as CSV, one row per configuration and task", what));
  cmd->add_option("--markdown", a.markdown, fmt::format("write {} as a Markdown table", what));
  cmd->add_option("--html", a.html,
                  fmt::format("write {} as one self-contained HTML page with charts (docs/report.md)", what));
  cmd->add_option("--format", a.format, "what to print on stdout: table (for people), csv, markdown or json")
      ->check(CLI::IsMember(mcusim::format_names()))
      ->capture_default_str();
  cmd->add_flag("--record-paths", a.record_paths,
                "record the firmware path as given in the results (default: file name only, so results do not "
                "depend on where the tree lives)");
}

// The output files of a command as (option, path) pairs, for check_distinct_files.
std::vector<std::pair<std::string, std::string>> outputs_of(const RunArgs& a, const CLI::App* cmd) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto [opt, path] : {std::pair{"--json", &a.json}, std::pair{"--csv", &a.csv}, std::pair{"--markdown", &a.markdown}})
    if (cmd->count(opt) > 0) out.emplace_back(opt, *path);
  return out;
}

// True when one of the outputs is standard output ("-"): the report is then not printed, so that
// stdout holds only that output.
bool stdout_taken(const std::vector<std::pair<std::string, std::string>>& outputs) {
  return std::any_of(outputs.begin(), outputs.end(), [](auto& o) { return o.second == "-"; });
}

void write_outputs(const nlohmann::ordered_json& doc, const RunArgs& a) {
  if (!a.json.empty()) mcusim::write_file_atomically(a.json, mcusim::dump_document(doc));
  if (!a.csv.empty()) mcusim::write_file_atomically(a.csv, mcusim::results_csv(doc, a.layers));
  if (!a.markdown.empty()) mcusim::write_file_atomically(a.markdown, mcusim::results_markdown(doc, a.layers));
  if (!a.html.empty()) mcusim::write_file_atomically(a.html, mcusim::html_results_report(doc));
}

// A progress line on stderr for long runs: only on a terminal (and not with -q). Host time is
// used for the rate and the ETA on the display only; nothing of it reaches any result.
class RunProgress {
 public:
  RunProgress(double clock_hz, std::uint64_t max_instructions)
      : clock_hz_(clock_hz), max_(max_instructions), start_(std::chrono::steady_clock::now()) {}
  void operator()(mcusim::Cycles cycles, std::uint64_t instructions) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (secs - last_ < 0.25) return;
    last_ = secs;
    std::string eta;
    if (max_ && instructions)
      eta = fmt::format(", ETA {:.0f} s (--max-instructions)", secs * (static_cast<double>(max_) / instructions - 1));
    std::cerr << fmt::format("\r\033[Krun: {:.1f} M instructions, {:.3f} ms simulated, {:.1f} s, {:.0f} MIPS{}",
                             instructions / 1e6, cycles / clock_hz_ * 1e3, secs, instructions / 1e6 / secs, eta)
              << std::flush;
    shown_ = true;
  }
  ~RunProgress() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  double clock_hz_;
  std::uint64_t max_;
  std::chrono::steady_clock::time_point start_;
  double last_ = -1;  // the first call (after 10^7 simulated cycles) shows a line at once
  bool shown_ = false;
};

// The progress line of `bench` and `model` (runs in parallel): runs done, instructions and
// simulated time over all runs. Same rules as RunProgress: a terminal only, not with -q, host
// time on the display only.
class BenchProgressLine {
 public:
  BenchProgressLine(std::string what, double clock_hz)
      : what_(std::move(what)), clock_hz_(clock_hz), start_(std::chrono::steady_clock::now()) {}
  void operator()(std::size_t done, std::size_t total, std::uint64_t instructions, mcusim::Cycles cycles) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (done < total && secs - last_ < 0.25) return;
    last_ = secs;
    std::cerr << fmt::format("\r\033[K{}: {}/{} runs done, {:.1f} M instructions, {:.3f} s simulated, {:.1f} s, {:.0f} MIPS",
                             what_, done, total, instructions / 1e6, cycles / clock_hz_, secs,
                             secs > 0 ? instructions / 1e6 / secs : 0.0)
              << std::flush;
    shown_ = true;
  }
  ~BenchProgressLine() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  std::string what_;
  double clock_hz_;
  std::chrono::steady_clock::time_point start_;
  double last_ = -1;
  bool shown_ = false;
};

// Writes PREFIX.speedscope.json and PREFIX.trace.json and says so on stderr.
void write_profile(const std::string& prefix, const mcusim::RunResult& r, const std::string& name) {
  if (prefix.empty() || !r.profile) return;  // no --profile: an internal power track (vendor images in energy mode) writes nothing
  auto [a, b] = mcusim::write_profile_files(prefix, *r.profile, name);
  std::cerr << fmt::format("profile: {} (speedscope), {} (trace events: Perfetto, chrome://tracing)\n", a.string(),
                           b.string());
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
  cmd->add_flag("--quiet,-q", a.quiet, "do not print the report (use with --json)");
  cmd->add_option("--max-instructions", a.max_instructions,
                  "stop (exit code 4) once this many instructions have retired; 0 = no limit")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_flag("--layers", a.layers, "print one row per region of interest (layer)");
  cmd->add_option("--profile", a.profile,
                  "write a per-function profile: PREFIX.speedscope.json (speedscope) and PREFIX.trace.json "
                  "(Perfetto / chrome://tracing timeline with a power track), and print the top functions "
                  "(docs/profiles.md)")
      ->type_name("PREFIX");
  cmd->add_option("--profile-top", a.profile_top, "functions and source lines in the profile's table")
      ->capture_default_str();
}

// `mcusim boards --detail B`: everything a firmware author needs to link for the board.
std::string board_detail(const mcusim::BoardConfig& b) {
  std::string out = fmt::format("{}: {}\n  file         {}\n  core         {} (core-models/data/{}.toml)\n"
                                "  energy table power-models/data/{}.toml\n  clock        {} Hz\n",
                                b.name, b.description, b.file.filename().string(), b.core, b.core, b.power, b.clock_hz);
  out += "  memory map:\n";
  if (b.has_flash)
    out += fmt::format("    0x{:08x}-0x{:08x}  flash  {} bytes, read-only, executable\n", b.flash.base,
                       std::uint64_t(b.flash.base) + b.flash.size_bytes - 1, b.flash.size_bytes);
  for (const auto& r : b.sram)
    out += fmt::format("    0x{:08x}-0x{:08x}  {}  {} bytes, {}{}\n", r.base, std::uint64_t(r.base) + r.size_bytes - 1,
                       r.name, r.size_bytes,
                       r.kind == mcusim::RamKind::itcm ? "ITCM" : r.kind == mcusim::RamKind::dtcm ? "DTCM" : "SRAM",
                       r.wait_states ? fmt::format(", {} wait states", r.wait_states) : std::string());
  if (b.core.rfind("cortex-m", 0) == 0)
    out += "    0xe0000000-0xe00fffff  Private Peripheral Bus (SysTick, NVIC, SCB, DWT)\n";
  if (b.vector_table)
    out += fmt::format("  reset        initial SP and reset vector from the vector table at 0x{:08x}\n", *b.vector_table);
  else if (b.reset_pc)
    out += fmt::format("  reset        PC 0x{:08x} (the board's reset_pc; the ELF entry point is not used)\n",
                       *b.reset_pc);
  else
    out += "  reset        PC = the ELF entry point\n";
  out += fmt::format("  console      {}\n  halt         {}\n",
                     b.console_address ? fmt::format("byte stores to 0x{:08x}", *b.console_address)
                                       : std::string("none (semihosting only)"),
                     b.halt_address ? fmt::format("a store to 0x{:08x} ends the run with status 0", *b.halt_address)
                                    : std::string("none (semihosting SYS_EXIT)"));
  if (b.ebreak_exits) out += "  ebreak       an EBREAK that is not a semihosting call ends the run with status 0\n";
  out += fmt::format("  memories     {}\n", mcusim::memory_summary(b));
  return out;
}

int run_and_report(const std::string& elf_path, const RunArgs& a, bool echo) {
  auto board = mcusim::load_board(a.board, a.sets);
  auto image = mcusim::load_board_image(elf_path, board);  // ELF, Intel HEX or raw, by content
  // RISC-V: the board's reset PC wins over the ELF entry point; say so when they differ (a
  // firmware linked for another memory map faults at once otherwise, with no hint).
  if (board.reset_pc && image.machine == mcusim::ElfMachine::riscv && *board.reset_pc != image.entry)
    std::cerr << fmt::format("mcusim: note: board {} starts at its reset_pc 0x{:08x}, not at the ELF entry point "
                             "0x{:08x} of {} (docs/firmware-interface.md, RISC-V)\n",
                             board.name, *board.reset_pc, image.entry, elf_path);
  mcusim::Simulation sim(board, image);
  mcusim::RunOptions opts;
  opts.max_instructions = parse_max_instructions(a.max_instructions);
  opts.uart_input = uart_inputs(a.uarts);
  const bool table = a.format == "table";
  echo = echo && table;  // console lines would corrupt CSV/Markdown/JSON on stdout
  opts.echo_console = echo;
  mcusim::ProfileOptions profile;
  if (!a.profile.empty()) opts.profile = &profile;
  std::optional<RunProgress> progress;
  if (!a.quiet && isatty(STDERR_FILENO)) {
    progress.emplace(static_cast<double>(board.clock_hz), opts.max_instructions);
    opts.progress = [&](mcusim::Cycles c, std::uint64_t n) { (*progress)(c, n); };
  }
  auto result = sim.run(opts);
  progress.reset();
  mcusim::ResultEntry entry;
  entry.parameters = parameters_of(a.sets);
  entry.task = a.name.empty() ? std::filesystem::path(elf_path).stem().string() : a.name;
  entry.firmware = elf_path;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  entries.push_back(mcusim::entry_json(entry, &result, {a.record_paths, {mcusim::data_dir().string()}}));
  const auto doc = mcusim::results_document("run", nullptr, std::move(entries));
  write_outputs(doc, a);
  write_profile(a.profile, result, entry.task);
  if (!a.quiet) {
    if (table) {
      std::cout << (echo ? "\n" : "") << mcusim::text_report(result, a.layers);
      if (result.profile) std::cout << "\n" << mcusim::profile_top_table(*result.profile, a.profile_top);
    } else
      std::cout << mcusim::render_results(doc, mcusim::parse_format(a.format), a.layers);
  }
  if (result.stop != mcusim::StopReason::exited) std::cerr << "mcusim: " << result.stop_message << "\n";
  int rc = exit_code_of(result);
  if (result.console_truncated)
    std::cerr << "mcusim: warning: the firmware wrote more console output than the 16 MiB kept; the rest was "
                 "dropped (the results' console ends with a line saying so)\n";
  // A region opened and never closed has no instances and zero counters: its figures are not a
  // measurement, so the run is not clean (exit 1 unless it already failed).
  for (auto& reg : result.regions)
    if (reg.instances == 0) {
      std::cerr << fmt::format("mcusim: warning: region '{}' (id {}) was opened and never closed; its counters are 0\n",
                               reg.label, reg.id);
      if (rc == mcusim::kExitOk) rc = mcusim::kExitFirmwareStatus;
    }
  return rc;
}

struct MlperfArgs {
  RunArgs out;
  std::string firmware, task = "kws", mode = "performance", input, uart, window_from = "auto";
  std::vector<std::uint32_t> infer;  // N W
  std::uint32_t windows = 5;
};

int run_mlperf_command(const MlperfArgs& a) {
  auto board = mcusim::load_board(a.out.board, a.out.sets);
  mcusim::mlperf::Options o;
  o.task = mcusim::mlperf::parse_task(a.task);
  o.mode = mcusim::mlperf::parse_mode(a.mode);
  o.input = a.input;
  o.windows = a.windows;
  o.uart = a.uart;
  if (a.window_from == "edges")
    o.price_from_edges = true;
  else if (a.window_from != "auto")
    throw mcusim::InputError(
        fmt::format("--window-from '{}': expected auto or edges", a.window_from));
  if (o.price_from_edges && o.mode != mcusim::mlperf::Mode::energy)
    throw mcusim::InputError(
        "--window-from edges: only in energy mode (the timestamp edges frame the windows)");
  o.max_instructions = parse_max_instructions(a.out.max_instructions);
  if (!a.infer.empty()) {
    if (a.infer.size() != 2) throw mcusim::InputError("--infer: expected two numbers, N W");
    o.n = a.infer[0];
    o.w = a.infer[1];
  }
  // The profile covers the whole session (one simulation: boot, every command, every window); the
  // windows are regions "window" in its trace-event timeline.
  mcusim::ProfileOptions profile;
  if (!a.out.profile.empty()) o.profile = &profile;
  std::optional<RunProgress> progress;
  if (!a.out.quiet && isatty(STDERR_FILENO)) {
    progress.emplace(static_cast<double>(board.clock_hz), o.max_instructions);
    o.progress = [&progress](mcusim::Cycles c, std::uint64_t n) { (*progress)(c, n); };
  }
  auto r = mcusim::mlperf::run(board, a.firmware, o);
  progress.reset();
  mcusim::ResultEntry entry;
  entry.parameters = parameters_of(a.out.sets);
  entry.task = std::string(mcusim::mlperf::task_info(o.task).name);
  entry.kernels = "dut";
  entry.firmware = a.firmware;
  auto e = mcusim::entry_json(entry, &r.result, {a.out.record_paths, {mcusim::data_dir().string()}});
  e["mlperf"] = mcusim::mlperf::json(r);
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  entries.push_back(std::move(e));
  const auto doc = mcusim::results_document("mlperf", nullptr, std::move(entries));
  write_outputs(doc, a.out);
  write_profile(a.out.profile, r.result, fmt::format("mlperf-{}", entry.task));
  if (a.out.quiet) {
  } else if (a.out.format == "table") {
    std::cout << mcusim::mlperf::text(r);
    if (o.profile && r.result.profile) std::cout << "\n" << mcusim::profile_top_table(*r.result.profile, a.out.profile_top);
  } else
    std::cout << mcusim::render_results(doc, mcusim::parse_format(a.out.format), a.out.layers);
  return 0;
}

int run_bench_command(const RunArgs& a, const std::string& task, const std::string& kernels, unsigned jobs,
                      const std::vector<mcusim::ModelSpec>& models = {}) {
  auto board = mcusim::load_board(a.board, a.sets);
  std::vector<mcusim::TinyTask> tasks;
  for (auto& t : mcusim::tiny_tasks())
    if (task == "all" || task == t.name) tasks.push_back(t);
  std::vector<std::string> libs = kernels == "both" ? std::vector<std::string>{"reference", "optimized"}
                                                    : std::vector<std::string>{kernels};
  mcusim::ProfileOptions profile;
  const mcusim::ProfileOptions* prof = a.profile.empty() ? nullptr : &profile;
  std::optional<BenchProgressLine> line;
  mcusim::BenchProgress progress;
  if (!a.quiet && isatty(STDERR_FILENO)) {
    line.emplace(tasks.empty() ? "model" : "bench", static_cast<double>(board.clock_hz));
    progress = [&line](std::size_t d, std::size_t t, std::uint64_t n, mcusim::Cycles c) { (*line)(d, t, n, c); };
  }
  auto runs = mcusim::run_bench(board, tasks, libs, firmware_dir(), jobs, prof, progress);
  for (auto& m : models)  // imported .tflite models (src/model.cpp)
    for (auto& r : mcusim::run_model_bench(m, board, libs, jobs, prof, progress)) runs.push_back(std::move(r));
  line.reset();
  for (auto& r : runs)
    write_profile(runs.size() == 1 ? a.profile : fmt::format("{}-{}-{}", a.profile, r.task.name, r.kernels), r.result,
                  fmt::format("{} ({})", r.task.name, r.kernels));
  const auto doc = mcusim::bench_json(runs, parameters_of(a.sets),
                                      {a.record_paths, {firmware_dir(), mcusim::data_dir().string()}});
  write_outputs(doc, a);
  if (a.quiet) {
  } else if (a.format != "table") {
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
  for (auto& r : runs)
    if (r.error.empty() && r.result.profile)
      std::cout << fmt::format("\n{} ({}): ", r.task.name, r.kernels)
                << mcusim::profile_top_table(*r.result.profile, a.profile_top);
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
  const double target_ua = mcusim::power::calibration_target_ua_per_mhz(table);
  const double target = target_ua * board.clock_hz / 1e6 * table.vdd_v * 1e-3;
  const std::string carried =
      target_ua == table.calibration_ua_per_mhz
          ? std::string()
          : fmt::format(" (the datasheet's {} uA/MHz at {} carried to {} by the supply model)",
                        table.calibration_ua_per_mhz, table.calibration_range, table.nominal_range);
  const std::string text = mcusim::power::to_toml(calibrated);
  if (write)
    mcusim::write_file_atomically(table_path, text);
  else
    std::cout << text;
  std::cerr << fmt::format(
      "calibrate: {} on {}: {:.3f} mW with the calibrated table ({:+.2f} % from the datasheet "
      "target {:.3f} mW = {:.2f} uA/MHz{} x {:g} MHz x {} V); the table as loaded gave {:.3f} mW "
      "({:+.2f} %){}\n",
      table.calibration_program, board.name, mw, 100 * (mw - target) / target, target, target_ua,
      carried, board.clock_hz / 1e6, table.vdd_v, before_mw, 100 * (before_mw - target) / target,
      write ? "; written to " + table_path.string() : "");
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
  std::vector<std::string> models;  // --model: imported .tflite models swept like tasks
};

// "all", "none" (no task: with --model) or a comma-separated list of task names, in the order given.
std::vector<mcusim::TinyTask> parse_tasks(const std::string& list, bool none_ok = false) {
  std::vector<mcusim::TinyTask> out;
  if (list == "all") return mcusim::tiny_tasks();
  if (list == "none" && none_ok) return out;
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
  if (s.task == "none" && s.models.empty())
    throw mcusim::InputError("--task none: no task and no --model to sweep");
  spec.tasks = parse_tasks(s.task, !s.models.empty());
  spec.kernels = s.kernels == "both" ? std::vector<std::string>{"reference", "optimized"}
                                     : std::vector<std::string>{s.kernels};
  spec.firmware_dir = firmware_dir();
  // Imported models: imported and built once for the board (the model cache, src/model.cpp); every
  // configuration runs that firmware, as it runs the tasks' firmware.
  if (!s.models.empty()) {
    const auto board = mcusim::load_board(s.board);
    for (auto& file : s.models) {
      const auto m = mcusim::prepare_model({file, ""}, board);
      if (std::any_of(spec.tasks.begin(), spec.tasks.end(), [&](auto& t) { return t.name == m.task.name; }))
        throw mcusim::InputError(fmt::format("--model {}: its name '{}' is already a task or another model of the "
                                             "sweep (the rows are keyed by name); rename the file",
                                             file, m.task.name));
      spec.tasks.push_back(m.task);
      spec.model_firmware_dirs[m.task.name] = m.firmware_dir;
    }
  }
  spec.jobs = std::max(1u, s.jobs);
  spec.shard = mcusim::parse_shard(s.shard);
  spec.entry_options.record_paths = s.out.record_paths;
  spec.progress = isatty(STDERR_FILENO) != 0 && !s.out.quiet;
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
  std::string junit, json, csv, markdown, html;
  std::string format = "table";
  bool quiet = false;  // an output goes to stdout ("-"): no table
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
  if (!a.html.empty())
    mcusim::write_file_atomically(a.html, mcusim::html_compare_report(nlohmann::ordered_json::parse(
                                              mcusim::render_comparison(c, mcusim::Format::json, true))));
  if (!a.quiet) std::cout << mcusim::render_comparison(c, mcusim::parse_format(a.format), all);
  return c.regressed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mcusim: cycle-approximate microcontroller simulator for TinyML firmware"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(mcusim::mcusim_version()));

  auto* boards = app.add_subcommand("boards", "list the boards mcusim knows (core, clock, memories)");
  std::string detail_board;
  boards->add_option("--detail", detail_board,
                     "show one board in full: memory map, reset (vector table or reset PC), console and halt "
                     "addresses, core and energy tables")
      ->type_name("BOARD");

  RunArgs run_args;
  std::string elf;
  auto* run = app.add_subcommand("run", "run bare-metal firmware (ELF, raw .bin or Intel HEX) on a board and report cycles, latency and energy");
  run->footer(kSemantics);
  run->add_option("firmware", elf,
                  "ELF32 little-endian executable, raw binary (loaded at the board's flash base or boot_address) or "
                  "Intel HEX, built for the board's memory map; the format is told by the content")
      ->required();
  add_common(run, run_args);
  run->add_option("--uart", run_args.uarts,
                  "host input of a SoC UART: NAME=SPEC, NAME the UART (lpuart1, usart2, ...), SPEC file:PATH, "
                  "- (stdin) or text:STRING; repeatable (docs/peripherals.md)");
  run->add_option("--name", run_args.name,
                  "task name of this run in the results (default: the firmware file name without extension); "
                  "`compare` matches results by it");

  RunArgs bench_args;
  std::string task = "all", kernels = "optimized";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  auto* bench = app.add_subcommand("bench", "run the MLPerf Tiny reference firmware and report per inference");
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

  MlperfArgs ml;
  auto* mlperf = app.add_subcommand(
      "mlperf", "play the MLPerf Tiny runner's protocol to a DUT firmware and report its figures next to mcusim's");
  mlperf->add_option("firmware", ml.firmware, "DUT firmware ELF (e.g. build/firmware/<board>/dut-kws.elf)")->required();
  mlperf->add_option("--task", ml.task, "kws, vww, ic or ad")
      ->check(CLI::IsMember({"kws", "vww", "ic", "ad"}))
      ->capture_default_str();
  mlperf->add_option("--mode", ml.mode, "performance, energy or accuracy")
      ->check(CLI::IsMember({"performance", "energy", "accuracy"}))
      ->capture_default_str();
  mlperf->add_option("--input", ml.input,
                     "runner input file or directory of .bin files (default: deterministic generated inputs)");
  mlperf->add_option("--infer", ml.infer, "N W of `infer N W` (default: the runner's values for the task and mode)")
      ->expected(2);
  mlperf->add_option("--windows", ml.windows, "windows (the runner's loop count)")->capture_default_str();
  mlperf->add_option("--uart", ml.uart,
                     "the runner's UART (default: the board's runner_uart; ST's L4R5 Energy binaries use usart3)");
  mlperf
      ->add_option(
          "--window-from", ml.window_from,
          "energy mode: what mcusim prices a window from: auto (the DUT's window regions, else the "
          "counters at the timestamp edges) or edges (always the edges, as the energy monitor sees "
          "it)")
      ->capture_default_str();
  add_common(mlperf, ml.out);

  RunArgs serve_args;
  std::string serve_fw, serve_uart;
  auto* serve = app.add_subcommand(
      "serve", "run a firmware with its serial line on a pseudo-terminal (for the MLCommons runner or a terminal)");
  serve->add_option("firmware", serve_fw, "firmware ELF (e.g. build/firmware/<board>/dut-kws.elf)")->required();
  serve->add_option("--uart", serve_uart,
                    "NAME=pty: the SoC UART to expose on a pseudo-terminal (the DUT firmware's is the "
                    "board's runner_uart, e.g. lpuart1 on nucleo-l4r5zi); on a board without SoC "
                    "peripherals the semihosting console")
      ->required();
  bool serve_exit_on_hangup = false;
  serve->add_flag("--exit-on-hangup", serve_exit_on_hangup,
                  "end the session when a client that has sent something closes the pty (default: keep "
                  "the firmware's state and wait for the next client; end with SIGINT/SIGTERM/SIGHUP)");
  serve->add_option("--board,-b", serve_args.board, "board name or .toml file")->capture_default_str();
  serve->add_option("--set", serve_args.sets, "override a board parameter (repeatable)");

  std::string calib_board = "nucleo-l4r5zi";
  bool calib_write = false;
  auto* calibrate = app.add_subcommand(
      "calibrate", "solve the board's energy table from its datasheet run current (docs/models/energy.md)");
  calibrate->add_option("--board,-b", calib_board, "board whose energy table to calibrate")->capture_default_str();
  calibrate->add_flag("--write", calib_write, "replace the energy table file (default: print it)");

  SweepArgs sweep_args;
  auto* sweep = app.add_subcommand(
      "sweep", "run MLPerf Tiny tasks over the cartesian product of board-parameter values (a design-space sweep)");
  sweep->add_option("--board,-b", sweep_args.board, "board name or path to a board .toml file")->capture_default_str();
  sweep->add_option("--set", sweep_args.sets,
                    "a swept board parameter and its values: key=v1,v2,... or an integer range key=a..b[:step], "
                    "e.g. --set clock_hz=48000000,80000000 --set flash.wait_states=0..5 (repeatable; each key is "
                    "passed to the board unchanged, as with run --set)");
  sweep->add_option("--task", sweep_args.task,
                    "all, or a comma-separated list of kws, vww, ic, ad (none: only the --model files)")
      ->capture_default_str();
  sweep->add_option("--model", sweep_args.models,
                    "also sweep this int8 .tflite model, imported and built as `mcusim model` does (repeatable; "
                    "its rows carry the file's stem as task)");
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
  compare->add_option("--html", cmp.html,
                      "write the comparison as one self-contained HTML page: verdict, a chart of the relative "
                      "change per metric, what changed and by how much (docs/report.md)");
  compare->add_option("--format", cmp.format, "what to print on stdout: table, csv, markdown or json")
      ->check(CLI::IsMember(mcusim::format_names()))
      ->capture_default_str();
  compare->add_flag("--ignore-kernels", cmp.options.ignore_kernels,
                    "match results by task alone, e.g. a reference-kernel baseline against an optimized build");
  compare->add_flag("--gate-layers", cmp.options.gate_layers,
                    "per-layer metrics beyond tolerance also fail (default: shown, not gated)");
  compare->add_flag("--all", cmp.options.show_unchanged, "list unchanged metrics too");

  // Set after the subcommands are added (they would inherit it): `mcusim --help` and `run --help` only.
  app.footer(kSemantics);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : mcusim::kExitBadInput;
  }

  try {
    if (*boards && !detail_board.empty()) {
      std::cout << board_detail(mcusim::load_board(detail_board));
      return 0;
    }
    if (*boards) {
      const auto names = mcusim::list_boards();
      if (names.empty())
        throw mcusim::InputError(fmt::format("no board files (*.toml) in {} (set MCUSIM_DATA_DIR to the directory "
                                             "holding boards/, core-models/data/ and power-models/data/)",
                                             (mcusim::data_dir() / "boards").string()));
      for (auto& name : names) {
        auto b = mcusim::load_board(name);
        fmt::print("{:<16} {:<13} {:>4g} MHz  {}\n  {}\n", b.name, b.core, b.clock_hz / 1e6,
                   mcusim::memory_summary(b), b.description);
      }
      return 0;
    }
    // Output files: none empty, none equal to an input or to another output; "-" = stdout.
    auto check_outputs = [](RunArgs& a, const CLI::App* cmd, std::vector<std::string> inputs) {
      const auto outs = outputs_of(a, cmd);
      mcusim::check_distinct_files(outs, inputs);
      if (stdout_taken(outs)) a.quiet = true;
    };
    auto board_file = [](const std::string& b) {  // a board given by path is an input file
      return b.find('/') != std::string::npos || std::filesystem::path(b).extension() == ".toml" ? b : std::string();
    };
    if (*run) check_outputs(run_args, run, {elf, board_file(run_args.board)});
    if (*bench) check_outputs(bench_args, bench, {board_file(bench_args.board)});
    if (*sweep) {
      std::vector<std::string> inputs = sweep_args.models;
      inputs.push_back(board_file(sweep_args.board));
      check_outputs(sweep_args.out, sweep, inputs);
    }
    if (*merge) check_outputs(merge_args, merge, merge_files);
    if (*compare) {
      std::vector<std::pair<std::string, std::string>> outs;
      for (auto [opt, path] : {std::pair{"--junit", &cmp.junit}, std::pair{"--json", &cmp.json},
                               std::pair{"--csv", &cmp.csv}, std::pair{"--markdown", &cmp.markdown}})
        if (compare->count(opt) > 0) outs.emplace_back(opt, *path);
      mcusim::check_distinct_files(outs, {cmp.baseline, cmp.current});
      cmp.quiet = stdout_taken(outs);
    }
    if (*run) return run_and_report(elf, run_args, !run_args.quiet);
    if (*calibrate) return run_calibration(calib_board, calib_write);
    if (*bench) {
      std::vector<mcusim::ModelSpec> specs;
      for (auto& f : bench_models) specs.push_back({f, ""});
      return run_bench_command(bench_args, task, kernels, jobs, specs);
    }
    if (*model) return run_bench_command(model_args, "none", model_kernels, jobs, {model_spec});
    if (*mlperf) return run_mlperf_command(ml);
    if (*serve) {
      mcusim::ServeOptions so;
      so.uart = mcusim::parse_pty_uart(serve_uart);
      so.exit_on_hangup = serve_exit_on_hangup;
      so.on_hangup = [&](const std::string& path) {  // flushed: a client may wait for this line
        std::cout << fmt::format("{}: hang-up; waiting for the next client on {}", so.uart, path) << std::endl;
      };
      auto board = mcusim::load_board(serve_args.board, serve_args.sets);
      const auto s = mcusim::serve_on_pty(board, serve_fw, so, [&](const std::string& path) {
        std::cout << fmt::format("{}: {}", so.uart, path) << std::endl;  // flushed: clients wait for this line
      });
      const auto& r = s.run;
      if (!s.ended_by.empty() && r.stop == mcusim::StopReason::waiting_for_input)
        std::cerr << fmt::format("mcusim serve: session ended by {} after {} cycles, the firmware waiting for input\n",
                                 s.ended_by, r.total.cycles);
      else
        std::cerr << fmt::format("mcusim serve: firmware stopped after {} cycles: {}\n", r.total.cycles,
                                 r.stop_message.empty() ? "exit " + std::to_string(r.exit_code) : r.stop_message);
      if (s.dropped_bytes > 0)
        std::cerr << fmt::format("mcusim serve: {} bytes of output dropped while no client had the pty open "
                                 "(the pty's buffer was full)\n",
                                 s.dropped_bytes);
      return exit_code_of(r);
    }
    if (*sweep) return run_sweep_command(sweep_args);
    if (*merge) return run_merge_command(merge_files, merge_args);
    if (*compare) return run_compare_command(cmp);
  } catch (const mcusim::InputError& e) {
    std::cerr << "mcusim: error: " << e.what() << "\n";
    return mcusim::kExitBadInput;
  } catch (const mcusim::mem::ConfigError& e) {
    std::cerr << "mcusim: error: memory configuration: " << e.what() << "\n";
    return mcusim::kExitBadInput;
  } catch (const mcusim::core::TimingTableError& e) {
    std::cerr << "mcusim: error: " << e.what() << "\n";
    return mcusim::kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "mcusim: error: out of host memory (the input asks for more than this machine can allocate)\n";
    return mcusim::kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "mcusim: error: internal error: " << e.what() << "\n";
    return mcusim::kExitInternal;
  }
  return 0;
}
