// `mcusim sweep` and `mcusim merge`: the cartesian product of board-parameter values over the
// MLPerf Tiny tasks, run in parallel (one Simulation, hence one Unicorn engine, per worker),
// optionally one shard of it, and the merge of shards into the document of an unsharded run.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mcusim/bench.h"
#include "mcusim/results_doc.h"

namespace mcusim {

/// One swept board parameter: the key as given to load_board and its values in order.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// Parses one --set of a sweep: "key=v1,v2,..." where each item is a value passed to the board
/// unchanged (e.g. 4KiB, 80000000, true) or an integer range "a..b" (step 1) or "a..b:step",
/// expanded in increasing order. Commas inside [...] or quotes do not split. Throws InputError
/// naming the text for a missing key, an empty value or a malformed range.
SweepAxis parse_sweep_axis(const std::string& spec);

/// Number of configurations: the product of the axes' value counts (1 with no axes).
/// Throws InputError when an axis has no values or the product exceeds kMaxSweepRows.
std::size_t configuration_count(const std::vector<SweepAxis>& axes);

/// The `--set` overrides of configuration `index` (0-based). The first axis varies slowest, the
/// last fastest, like nested loops in command-line order.
Parameters configuration_parameters(const std::vector<SweepAxis>& axes, std::size_t index);

/// A shard of a sweep: the index-th (1-based) of `count` disjoint slices.
/// Most rows (configurations x tasks x kernels) one sweep may have; larger sweeps are refused
/// (split them). A bound on what input can make mcusim allocate (docs/limits-and-errors.md).
inline constexpr std::size_t kMaxSweepRows = 1'000'000;
/// Most shards (N of --shard I/N and sweep.shard.count in merge).
inline constexpr std::size_t kMaxShards = 100'000;

struct Shard {
  std::size_t index = 1;
  std::size_t count = 1;
};
/// Parses "I/N" with 1 <= I <= N. Throws InputError naming the text otherwise.
Shard parse_shard(const std::string& text);
/// The rows [first, last) of a sweep with `rows` rows that shard `s` runs: contiguous blocks whose
/// sizes differ by at most one, so every row is in exactly one shard.
std::pair<std::size_t, std::size_t> shard_rows(std::size_t rows, Shard s);

struct SweepSpec {
  std::string board = "nucleo-l4r5zi";  ///< board name or .toml path
  std::vector<SweepAxis> axes;
  std::vector<TinyTask> tasks;         ///< in report order
  std::vector<std::string> kernels;    ///< in report order
  std::string firmware_dir;            ///< ELFs at <firmware_dir>/<board name>/<task>-<kernels>.elf
  /// Imported .tflite models (`sweep --model`, src/model.cpp) among `tasks`: task name -> the
  /// directory holding <board name>/<name>-<kernels>.elf in the model cache (used instead of
  /// firmware_dir; also stripped from the results' firmware paths).
  std::map<std::string, std::string> model_firmware_dirs;
  unsigned jobs = 1;                   ///< worker threads, one Simulation each
  Shard shard;
  EntryOptions entry_options;
  bool progress = false;               ///< a progress line on stderr (for terminals)
};

/// Runs the sweep (or its shard) and returns its results document (command "sweep"): rows in the
/// order configuration, task, kernels whatever the scheduling. A configuration the board rejects
/// (load_board's InputError: unknown key, value out of range, clock beyond the wait-state table)
/// or a firmware that cannot be loaded gives rows with status "error" and the reason; the other
/// rows still run. Throws InputError only when the board itself cannot be loaded without
/// overrides (so no configuration could run).
nlohmann::ordered_json run_sweep(const SweepSpec& spec);

/// Joins shard documents (`files[i]` names `docs[i]` in messages) into the document an unsharded
/// run gives. Throws InputError naming the file when a document is not a sweep, the shards
/// disagree (board, axes, tasks, kernels, shard count, simulator version), a shard is missing or
/// repeated, or the rows are incomplete.
nlohmann::ordered_json merge_sweeps(const std::vector<nlohmann::ordered_json>& docs,
                                    const std::vector<std::string>& files);

}  // namespace mcusim
