// Renderings of a results document (schema_version 2): CSV for plotting, Markdown for pull-request
// comments, an aligned text table for terminals. All of them are computed from the JSON document
// alone, so `mcusim merge` renders shards exactly as an unsharded sweep would.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mcusim {

/// Output format of --format: table (text for people), csv, markdown, json.
enum class Format { table, csv, markdown, json };

/// The names accepted by --format, in help order.
const std::vector<std::string>& format_names();

/// Parses a --format value. Throws InputError listing the accepted names.
Format parse_format(std::string_view name);

/// CSV (RFC 4180, header first): one row per entry, in document order, with the columns listed in
/// docs/results-schema.md ("CSV columns"): configuration, one `set:<key>` column per parameter,
/// task, kernels, region, status, error, resolved board figures, per-inference counters (latency
/// in ms, energy in uJ), footprint in bytes. With `layers`, each entry's regions follow it as rows
/// of their own (footprint columns empty). Numbers have fixed precision, so the text is
/// deterministic.
std::string results_csv(const nlohmann::ordered_json& doc, bool layers);

/// A GitHub-flavoured Markdown table (configuration parameters, task, kernels, status, cycles,
/// latency ms, energy uJ, flash/SRAM KiB), suitable as a pull-request comment.
std::string results_markdown(const nlohmann::ordered_json& doc, bool layers);

/// The same columns as results_markdown as an aligned text table.
std::string results_table(const nlohmann::ordered_json& doc, bool layers);

/// Dispatches on `f`; Format::json gives dump_document(doc).
std::string render_results(const nlohmann::ordered_json& doc, Format f, bool layers);

/// `text` quoted for a CSV field when it holds a comma, quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view text);

/// `text` safe inside a Markdown table cell ('|' escaped, newlines as spaces).
std::string markdown_cell(std::string_view text);

}  // namespace mcusim
