// The results document (schema_version 2, docs/results-schema.md) that `mcusim run`, `bench`,
// `sweep` and `merge` write, and its validating reader (used by `compare` and `merge`).
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "mcusim/results.h"

namespace mcusim {

/// `--set` overrides as given, in order: (key, value) with the value's text unchanged.
using Parameters = std::vector<std::pair<std::string, std::string>>;

/// Splits "key=value" at the first '='. Throws InputError naming the text when there is no key.
std::pair<std::string, std::string> split_parameter(const std::string& key_value);

/// How entries are written.
struct EntryOptions {
  /// false (default): `firmware` is the file name only, and the firmware and data directories are
  /// cut from error messages, so results do not depend on where the tree lives. true: paths as
  /// given (`--record-paths`).
  bool record_paths = false;
  /// Directory prefixes removed from error messages when !record_paths (e.g. the firmware dir).
  std::vector<std::string> strip_prefixes;
};

/// One row of a results document: a firmware (task) run on one board configuration.
struct ResultEntry {
  std::size_t configuration = 0;  ///< sweep configuration index (0 for run and bench)
  Parameters parameters;          ///< the --set overrides of this configuration
  std::string task;               ///< kws, vww, ic, ad; for `run` the name given or the ELF's stem
  std::string kernels;            ///< reference / optimized; empty for `run`
  std::string firmware;           ///< ELF path
  std::string error;              ///< why it could not run (invalid configuration, missing ELF); empty if it ran
};

/// One entry as JSON: configuration, parameters, task, kernels, firmware, status ("ok": exited
/// with status 0, "failed": ran but exited non-zero / faulted / hit the limit, "error": did not
/// run), error, then run_json(*result) (or nulls and empty arrays when `result` is null).
nlohmann::ordered_json entry_json(const ResultEntry& e, const RunResult* result, const EntryOptions& o);

/// A results document: schema_version, mcusim_version, command ("run", "bench", "sweep"),
/// sweep (null, or the sweep description for `sweep`), results (array of entry_json).
nlohmann::ordered_json results_document(std::string_view command, nlohmann::ordered_json sweep,
                                        nlohmann::ordered_json entries);

/// Checks `doc` against schema_version 2: every required key present with its type (unknown keys
/// are allowed). Throws InputError "<origin>: <field path>: <what was expected>", e.g.
/// "base.json: results[1].inference.cycles: expected an unsigned integer, found string"; a
/// different schema_version is reported as a schema mismatch naming both versions.
void validate_results(const nlohmann::ordered_json& doc, const std::string& origin);

/// Reads, parses and validates a results file. Throws InputError naming the file for an
/// unreadable file, invalid JSON (with the byte offset) or a schema violation.
nlohmann::ordered_json read_results_file(const std::filesystem::path& path);

/// `doc` serialised as written to files: two-space indent, trailing newline.
std::string dump_document(const nlohmann::ordered_json& doc);

}  // namespace mcusim
