// `mcusim bench`: the MLPerf Tiny tasks' reference firmware on one board, with one or both
// kernel libraries, run in parallel (one Simulation, hence one Unicorn engine, per worker).
#pragma once
#include <nlohmann/json.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/results.h"
#include "mcusim/profile.h"
#include "mcusim/results_doc.h"

namespace mcusim {

/// One MLPerf Tiny task: command-line name, benchmark id and its MAC count
/// (shared/reference/mlperf-tiny.md 1.1, derived from the reference .tflite files).
struct TinyTask {
  std::string name;      ///< kws, vww, ic, ad
  std::string model_id;  ///< kws01, vww01, ic01, ad01
  std::uint64_t macs;
};
const std::vector<TinyTask>& tiny_tasks();

struct BenchRun {
  TinyTask task;
  std::string kernels;  ///< reference or optimized
  std::string firmware;
  std::string error;  ///< why the run could not happen (missing firmware, does not fit the board)
  RunResult result;
};

/// Progress of a bench: called from the worker threads, one call at a time (run_bench serialises
/// them), about every 10^7 simulated cycles of any run and once when a run ends, with the runs
/// finished and in all, and the instructions retired and cycles simulated so far over all runs.
/// For a display only: nothing of it reaches a result. Empty = no calls.
using BenchProgress = std::function<void(std::size_t runs_done, std::size_t runs_total, std::uint64_t instructions,
                                         Cycles cycles)>;

/// Runs every (task, kernels) pair on `board` with `jobs` workers. Firmware is
/// <firmware_dir>/<board>/<task>-<kernels>.elf. Results are in the order of `tasks` x `kernels`,
/// whatever the scheduling. A pair that cannot run (missing firmware, an image that does not fit
/// the board's memory) gets its `error` and does not stop the others.
std::vector<BenchRun> run_bench(const BoardConfig& board, const std::vector<TinyTask>& tasks,
                                const std::vector<std::string>& kernels, const std::string& firmware_dir,
                                unsigned jobs, const ProfileOptions* profile = nullptr,
                                const BenchProgress& progress = {});

/// The summary table: per task and library, latency (ms), energy (uJ), cycles/MAC, flash and SRAM
/// footprint (KiB), and the speed-up of optimized over reference when both ran.
std::string bench_summary(const std::vector<BenchRun>& runs);

/// The results document (schema_version 2, command "bench"): one entry per run, in the order of
/// `runs`, each with the `--set` `parameters` the board was loaded with; a run that could not
/// happen is an entry with status "error" and its reason.
nlohmann::ordered_json bench_json(const std::vector<BenchRun>& runs, const Parameters& parameters = {},
                                  const EntryOptions& options = {});

}  // namespace mcusim
