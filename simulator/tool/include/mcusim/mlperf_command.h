// `mcusim mlperf`: plays the MLPerf Tiny runner's script to a DUT firmware on a simulated board
// and reports the runner's figures next to mcusim's own for the same windows (docs/mlperf.md).
//
// Transport: the board's runner UART (board key `runner_uart`, the ST-LINK virtual COM port),
// through the SoC's U(S)ART model at the baud rate the firmware programs: the host script is fed
// to its receiver one command at a time and the DUT's lines are read back from its transmitter's
// output, in order. The DUT marks each timed window as a region named "window"
// (reference-firmware/dut/dut_main.c).
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/mlperf_inputs.h"
#include "mcusim/mlperf_runner.h"
#include "mcusim/profile.h"
#include "mcusim/results.h"

namespace mcusim::mlperf {

enum class Mode : std::uint8_t { performance, energy, accuracy };

/// "performance", "energy" or "accuracy"; throws InputError otherwise.
Mode parse_mode(std::string_view name);

struct Options {
  Task task = Task::kws;
  Mode mode = Mode::performance;
  std::string input;                   ///< file or directory; empty = generated inputs
  std::optional<std::uint32_t> n, w;   ///< `infer N W`; unset = the runner's values for the mode
  std::uint32_t windows = 5;           ///< the runner's loop count (performance, energy)
  std::uint64_t max_instructions = 0;  ///< 0 = no limit
  /// Collect a per-function profile of the whole session (boot, every command, every window:
  /// one simulation) into Run::result.profile; null = off.
  const ProfileOptions* profile = nullptr;
  /// A progress display (RunOptions::progress): called about every 10^7 simulated cycles with
  /// the session's cycles and retired instructions; it must not change the run. Empty = none.
  std::function<void(Cycles cycles, std::uint64_t instructions)> progress;
  /// The runner's UART; empty = the board's `runner_uart` (a vendor energy build may talk to the
  /// IO manager on another one, e.g. usart3 on ST's NUCLEO-L4R5ZI Energy binaries).
  std::string uart;
  /// Energy mode: price every window from the counters at its two timestamp edges (the energy
  /// monitor's view) even when the DUT marks window regions; an image without window regions
  /// (a vendor binary) is always priced that way.
  bool price_from_edges = false;
};

/// mcusim's own figures for one timed window (the "window" region of the DUT).
struct WindowFigures {
  /// True when the window is the span between two falling edges of the timestamp pin, priced
  /// from the run's counter snapshots at those edges (an image without window regions, e.g. a
  /// vendor binary); false: the DUT's window region.
  bool from_edges = false;
  Cycles cycles = 0;     ///< modelled cycles inside the window
  double seconds = 0;    ///< at the board's clock
  double energy_pj = 0;  ///< energy drawn in the window
  power::EnergyBreakdown energy;
};

struct Run {
  Options options;
  std::uint32_t n = 0, w = 0;
  std::vector<Input> inputs;  ///< what was sent (one per window, or every file in accuracy mode)
  bool generated = false;     ///< inputs generated (no --input)
  std::string dut_name, model;
  std::vector<InferWindow> windows;     ///< the runner's view, one per window / accuracy input
  std::vector<WindowFigures> figures;   ///< mcusim's view of the same windows (same order)
  RunResult result;                     ///< the whole simulation
  std::vector<std::string> transcript;  ///< the DUT's lines
  /// Energy mode: core cycles between the two falling edges of the timestamp pin, per window
  /// (the energy monitor's window); empty in the other modes.
  std::vector<Cycles> edge_cycles;
  std::vector<Cycles> edge_begin;  ///< core cycle of each window's first falling edge
  std::string timestamp_pin;  ///< the board's energy-mode timestamp pin
  /// Accuracy mode with a label file (y_labels.csv in the --input directory): the runner's
  /// summary (Top-1 %, AUC); empty otherwise.
  std::optional<AccuracySummary> accuracy;
  std::string labels_path;  ///< the label file used
};

/// Runs the DUT firmware `elf` on `board`: name%, profile%, then per window `db load`/`db` and
/// `infer N W` (accuracy: every input with `infer 1 0`). Throws InputError for bad input (files,
/// task mismatch: the DUT's m-model differs from the task) and when the DUT does not follow the
/// protocol (the message quotes the line); a firmware fault or instruction limit is an InputError
/// naming the stop reason.
Run run(const BoardConfig& board, const std::string& elf, const Options& o);

/// Human-readable report: the runner's figures (per window and median) and mcusim's for the
/// same windows (cycles, latency at the board clock, energy per inference with its breakdown,
/// average power, the share of the window that is not inference).
std::string text(const Run& r);

/// The "mlperf" object of the results document (docs/results-schema.md).
nlohmann::ordered_json json(const Run& r);

}  // namespace mcusim::mlperf
