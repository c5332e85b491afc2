// `mcusim compare`: the regression gate. Compares two results documents (schema_version 2) entry by
// entry and metric by metric against per-metric tolerances, and renders the outcome as a table,
// CSV, Markdown, JSON or JUnit XML.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mcusim/formats.h"

namespace mcusim {

/// How much a metric may grow before it counts as a regression: an absolute amount in the
/// metric's unit, or a fraction of the baseline value. Zero (the default) means any increase.
struct Tolerance {
  double amount = 0;      ///< absolute (metric unit: count, seconds, picojoules, bytes) or fraction
  bool relative = false;  ///< true: `amount` is a fraction of the baseline (1% = 0.01)
  /// The allowed increase over `baseline`.
  double allowed(double baseline) const { return relative ? amount * baseline : amount; }
};

/// A metric the gate checks. All of them are lower-is-better.
struct MetricInfo {
  std::string name;   ///< as on the command line: instructions, cycles, latency, energy, flash, sram
  std::string unit;   ///< base unit of values and absolute tolerances: "", "s", "pJ", "B"
  bool per_layer;     ///< also compared per layer (region)
};
/// The gated metrics, in report order.
const std::vector<MetricInfo>& compare_metrics();

/// Parses one --tolerance "metric=value": value "N%" (of the baseline) or an absolute amount with
/// an optional unit: cycles/instructions a count; latency s, ms, us, ns (default s); energy J, mJ,
/// uJ, nJ, pJ (default pJ); flash/sram B, KiB, MiB (default B). Metric "all" sets every metric.
/// Without a latency tolerance of its own, latency follows the cycles tolerance (compare_results).
/// Throws InputError naming the text and what was expected.
void parse_tolerance(const std::string& spec, std::map<std::string, Tolerance>& into);

/// Human text of a tolerance in the metric's unit, e.g. "1%", "512 B", "0.1 ms", "0".
std::string tolerance_text(const MetricInfo& m, const Tolerance& t);

struct CompareOptions {
  std::map<std::string, Tolerance> tolerances;  ///< by metric name; missing = 0
  /// Match entries by task (and configuration) only, so a baseline built with one kernel library
  /// can be compared with another; each file must then hold one entry per task.
  bool ignore_kernels = false;
  /// Layer (region) metrics beyond tolerance also fail the gate (default: they are shown only).
  bool gate_layers = false;
  /// List unchanged metrics too (default: only those that changed).
  bool show_unchanged = false;
};

/// One compared metric of one entry (or one of its layers).
struct CompareRow {
  std::string entry;    ///< task key, e.g. "kws/optimized" or "kws/optimized [clock_hz=80000000]"
  std::string task;
  std::string scope;    ///< "inference", "total", a layer name, or "run" for the outcome row
  std::string metric;   ///< metric name, or "outcome"
  std::string unit;
  double baseline = 0, current = 0;
  std::string baseline_text, current_text;  ///< values as printed (outcome: status text)
  std::string tolerance;                    ///< tolerance_text, empty when not gated
  /// "regressed" (beyond tolerance, fails), "within tolerance", "improved", "unchanged",
  /// "regressed (not gated)" for layer rows without --gate-layers.
  std::string verdict;
  bool failed = false;  ///< counts against the gate
  bool gated = true;    ///< one JUnit test case (entry-level metrics and the outcome)
};

/// The outcome of a comparison.
struct Comparison {
  std::string baseline_file, current_file;
  std::string board;
  std::vector<std::string> notes;    ///< differences that do not fail: versions, board parameters
  std::vector<CompareRow> rows;      ///< every compared metric, entry order then metric order
  std::vector<std::string> entries;  ///< entry keys, in baseline order
  std::size_t failures() const;
  bool regressed() const { return failures() > 0; }
};

/// Compares two validated results documents. Throws InputError (exit code 2) naming the file
/// and the problem when they are not comparable: different tasks or configurations (listing those
/// only in one file), different boards for a task, duplicate entries.
Comparison compare_results(const nlohmann::ordered_json& baseline, const nlohmann::ordered_json& current,
                           const std::string& baseline_file, const std::string& current_file,
                           const CompareOptions& options);

/// The comparison rendered for people (table, Markdown) or tools (CSV, JSON). Table and Markdown
/// show the rows that changed (all with show_unchanged), then a one-line verdict.
std::string render_comparison(const Comparison& c, Format f, bool show_unchanged);

/// JUnit XML: <testsuites> with one <testsuite> per entry and one <testcase> per gated metric
/// (classname "mcusim.<entry>", name the metric), a <failure> for each regression.
std::string comparison_junit(const Comparison& c);

/// JUnit XML for a comparison that could not happen: one test case "input" with an <error>
/// carrying `message`.
std::string junit_input_error(const std::string& message);

/// `text` escaped for XML attribute values and character data (& < > " ' and control characters).
std::string xml_escape(std::string_view text);

}  // namespace mcusim
