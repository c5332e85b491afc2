// The host side of the MLPerf Tiny benchmark protocol (EEMBC EnergyRunner / MLCommons runner),
// independent of how the bytes reach the DUT (a simulated UART, a pty, a canned transcript).
// Protocol and scoring: /work/shared/reference/mlperf-tiny.md section 3 (sources: mlcommons/tiny
// benchmark/api/internally_implemented.cpp, benchmark/runner/{main,script,device_under_test}.py);
// docs/mlperf.md.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcusim::mlperf {

/// The four MLPerf Tiny v1.x tasks.
enum class Task : std::uint8_t { kws, vww, ic, ad };

/// What the runner needs to know about a task (mlperf-tiny.md 1.1, 3.4).
struct TaskInfo {
  Task task;
  std::string_view name;         ///< "kws", "vww", "ic", "ad" (command-line name)
  std::string_view model;        ///< benchmark id the DUT reports in m-model-[...]: "kws01", ...
  std::size_t input_bytes;       ///< bytes sent with `db` per inference: 490, 27648, 3072, 2560
  std::size_t outputs;           ///< values in m-results-[...]: 12, 2, 10, 1 (AD: the score)
  std::uint32_t perf_n, perf_w;  ///< `infer N W` of tests_performance.yaml
  std::uint32_t energy_n, energy_w;  ///< `infer N W` of tests_energy.yaml
};

/// The task's facts. perf: ad 1500/10, ic 20/5, kws 70/10, vww 20/5; energy: ad 1500/0, ic 20/0,
/// kws 70/10, vww 20/5 [src mlcommons/tiny benchmark/runner/tests_{performance,energy}.yaml].
const TaskInfo& task_info(Task t);

/// "kws", "vww", "ic" or "ad" (also "kws01", ...). Throws InputError naming the value and the
/// accepted names otherwise.
Task parse_task(std::string_view name);

/// Bytes of payload per `db <hex>%` command: 32 bytes = 64 hex digits, so "db " + 64 + "%" = 68
/// characters fits the DUT's 80-character command buffer (EE_CMD_SIZE 80,
/// internally_implemented.h).
inline constexpr std::size_t kDbChunkBytes = 32;

/// The commands that load `bytes` into the DUT: "db load N%" then ceil(N / 32) "db <hex>%"
/// commands (lower-case hex, two digits per byte).
std::vector<std::string> db_commands(const std::vector<std::uint8_t>& bytes);

/// One DUT line classified. `kind` is the prefix: "m-name-dut", "m-ready", "m-lap-us",
/// "m-results", "m-model", "m-profile", "m-load-done", "m-infer-done", "e-" (error), ... ;
/// `value` is the part inside [...] or after the last '-' for m-lap-us.
struct DutLine {
  std::string kind;
  std::string value;
};

/// Parses "m-lap-us-<us>" -> microseconds. Throws InputError quoting the line when it is not
/// one or the number does not parse.
std::uint64_t parse_lap_us(std::string_view line);
/// "m-results-[0.000,0.003,...]" -> the numbers. Throws InputError quoting the line otherwise.
std::vector<double> parse_results(std::string_view line);
/// "m-name-dut-[text]" -> "text". Throws InputError quoting the line otherwise.
std::string parse_name(std::string_view line);

/// The host's view of one `infer N W%` exchange.
struct InferWindow {
  std::uint32_t n = 0;       ///< timed inferences
  std::uint32_t warmup = 0;  ///< warm-up inferences (W) the DUT ran before the timed window
  std::uint64_t lap0_us = 0, lap1_us = 0;  ///< the two m-lap-us timestamps (DUT timer, us)
  std::vector<double> results;             ///< m-results-[...] after the window
  /// Runtime of the window as the runner computes it: (lap1 - lap0) x 1e-6 s.
  double runtime_s() const { return static_cast<double>(lap1_us - lap0_us) * 1e-6; }
  /// Throughput as the runner computes it: N / runtime (inferences per second); 0 if runtime 0.
  double throughput() const { return runtime_s() > 0 ? n / runtime_s() : 0; }
  /// Latency per inference in seconds: runtime / N.
  double latency_s() const { return n ? runtime_s() / n : 0; }
  /// The runner's validity rule: at least 10 s and at least 10 inferences ("ERROR 2 - loop
  /// exited before 10 seconds elapsed"; EnergyRunner "The run must take at least 10 seconds and
  /// 10 iterations to be valid").
  bool meets_runtime_rules() const { return runtime_s() >= 10.0 && n >= 10; }
};

/// Median of `v` (mean of the two middle values for an even count; numpy.median). Throws
/// InputError for an empty vector.
double median(std::vector<double> v);

/// The median of the windows' throughputs, as the runner prints "Median throughput is ...".
double median_throughput(const std::vector<InferWindow>& windows);

/// Transport used by Session: send a command (without '%'; Session appends it) and read the
/// DUT's next line (without CR/LF). read_line throws (InputError or the transport's error) when
/// the DUT stops answering; it never blocks forever.
struct DutLink {
  std::function<void(std::string_view)> send;
  std::function<std::string()> read_line;
};

/// A runner session on one DUT. Every command waits for the DUT's "m-ready" that ends its reply
/// (the DUT answers every command, then prints m-ready; internally_implemented.cpp).
class Session {
 public:
  explicit Session(DutLink link) : link_(std::move(link)) {}
  /// Reads lines until "m-ready" (the boot banner). Returns the lines before it.
  std::vector<std::string> wait_ready();
  /// Sends `cmd` + "%" and returns the DUT's lines up to (not including) m-ready. Throws
  /// InputError quoting the command and line on an "e-[...]" reply.
  std::vector<std::string> command(std::string_view cmd);
  /// `name%` -> the DUT name in m-name-dut-[...].
  std::string name();
  /// `profile%` -> the model id in m-model-[...] (e.g. "kws01"); empty if not printed.
  std::string profile();
  /// `db load N%` + the `db <hex>%` commands; checks the DUT printed m-load-done at the end.
  void load(const std::vector<std::uint8_t>& bytes);
  /// `infer N W%` -> the window with both m-lap-us timestamps and the m-results. Throws
  /// InputError when the DUT did not print exactly two m-lap-us lines (in energy mode the DUT
  /// marks time with GPIO edges instead: use infer_untimed).
  InferWindow infer(std::uint32_t n, std::uint32_t w);
  /// `infer N W%` without timestamps expected (energy mode); the window's laps stay 0.
  InferWindow infer_untimed(std::uint32_t n, std::uint32_t w);
  /// `results%` -> m-results-[...].
  std::vector<double> results();
  /// Every line the DUT sent so far (the transcript; in order).
  const std::vector<std::string>& transcript() const { return transcript_; }

 private:
  std::string read();
  DutLink link_;
  std::vector<std::string> transcript_;
};

/// The runner's loop for one mode (script: `loop 5: download; infer N W`): for each of
/// `inputs` (one per window, reused round-robin when fewer than `windows`), load it and run
/// `infer n w`. Returns the windows in order.
std::vector<InferWindow> run_windows(Session& s,
                                     const std::vector<std::vector<std::uint8_t>>& inputs,
                                     std::uint32_t windows, std::uint32_t n, std::uint32_t w,
                                     bool timed = true);

/// Energy-mode framing: the cycles of the timestamp pulses' falling edges among GPIO output
/// edges (the DUT pulls its timestamp pin low at each th_timestamp). `edges` are (cycle, new
/// level) in order. Returns the falling edges' cycles.
std::vector<std::uint64_t> falling_edges(const std::vector<std::pair<std::uint64_t, bool>>& edges);

/// One file's accuracy result, as the runner's summary keeps it.
struct FileScore {
  std::string file;
  int true_class = 0;
  std::vector<double> prediction;  ///< mean over the file's inferences (normalized first, >1 value)
  int predicted_class = 0;         ///< argmax of `prediction` (0 for a single score)
};

/// The runner's accuracy summary (mlcommons/tiny benchmark/runner/main.py, summarize_result and
/// calculate_accuracy): per file, each inference's results are normalized to sum 1 when there is
/// more than one value, and averaged over the file's inferences; Top-1 % is the share of files
/// whose averaged prediction's argmax is the label, or, with a single score (AD), the best
/// 100 x (precision + recall) / 2 over 100 thresholds min + k/100 (max - min), score > threshold
/// = anomalous (label 1); AUC is sklearn's roc_auc_score: binary on column 1 (two values) or on
/// the score (one value), else one-vs-rest macro average over the classes (ties count 1/2).
struct AccuracySummary {
  std::vector<FileScore> files;
  double top1_percent = 0;
  std::optional<double> auc;  ///< empty when undefined (a class without positives or negatives,
                              ///< or fewer distinct labels than result columns)
  std::string auc_note;       ///< why the AUC is undefined
};

/// `results[i]` are the m-results of inference i, `files[i]` the data-set file it came from
/// (AD slide windows share their file), `labels` the file -> true class of y_labels.csv. Throws
/// InputError naming the file when one has no label, or results of differing lengths.
AccuracySummary score_accuracy(const std::vector<std::string>& files,
                               const std::vector<std::vector<double>>& results,
                               const std::map<std::string, int>& labels);

/// Reads the runner's label file (benchmark/evaluation/datasets/<task>/y_labels.csv: one line
/// per file, `file,classes,true_class[,...]`). Throws InputError naming the file and line when a
/// line has fewer than three fields or a class that is not an integer.
std::map<std::string, int> read_labels(const std::string& path);

}  // namespace mcusim::mlperf
