// The HTML report (`--html FILE`): one self-contained page (no script, no external resource; a
// Content-Security-Policy forbids loading any) rendered from a results document (schema_version
// 2, docs/results-schema.md) or from compare's JSON output, with inline SVG charts drawn here.
//
// Every figure the page shows is a <data class="fig"> element whose `value` is the number of the
// JSON document it comes from, named by a JSON pointer (RFC 6901) in `data-ptr`, e.g.
// <data class="fig" value="750046" data-ptr="/results/0/inference/cycles">750,046</data>; shares
// carry `data-den` (the pointer of the denominator). Every bar of a bar chart carries the same
// `data-ptr`. The report's test (tests/report) reads them back in headless Chromium and checks
// them against the document. docs/report.md describes the page.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mcusim {

/// The report page of a results document of `run`, `bench`, `sweep` or `merge` (validated by
/// the caller, e.g. with validate_results). Per entry: summary figures, per-layer latency and
/// energy bars, the energy breakdown by component, the flash and SRAM footprint against the
/// board's sizes, the resolved board configuration. For a sweep additionally: latency and energy
/// against each swept parameter, a heatmap per pair when two parameters were swept, and the
/// Pareto front of latency vs energy per task. Deterministic: the same document gives the same
/// bytes. Throws InputError when a required key is missing or has the wrong type.
std::string html_results_report(const nlohmann::ordered_json& doc);

/// The report page of a comparison: `comparison` is the object `mcusim compare --json` writes
/// (render_comparison(..., Format::json), docs/results-schema.md "Comparison output"): the
/// verdict, the notes, a chart of the relative change of every task-level metric and a table of
/// what changed and by how much (layers folded). Throws InputError on a missing key.
std::string html_compare_report(const nlohmann::ordered_json& comparison);

/// Writes `html` to `path`. Throws InputError naming the path when it cannot be written.
void write_html_file(const std::filesystem::path& path, const std::string& html);

}  // namespace mcusim
