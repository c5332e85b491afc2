// Rendering of run results: a text report for people and a JSON document for tools.
#pragma once
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "mcusim/results.h"

namespace mcusim {

/// Version of the JSON results document (docs/results-schema.md). Bumped when a key is removed,
/// renamed or changes type; adding keys does not bump it (readers ignore unknown keys).
inline constexpr int kResultSchemaVersion = 2;
std::string_view mcusim_version();

/// The region whose label has name=<name>, or nullptr.
const RegionResult* region_named(const RunResult& r, std::string_view name);

/// The region a report treats as "one inference": the region labelled name=inference if the
/// firmware marked one, else nullptr (the whole run is reported).
const RegionResult* inference_region(const RunResult& r);

/// Text report: configuration, the run's figures (retired instructions, cycles, CPI, latency,
/// energy split, average power, memory traffic, stalls, accelerator hit rates), footprint, and,
/// when `layers` is set, one row per region.
std::string text_report(const RunResult& r, bool layers);

/// One row per region of interest (layer): op, output shape, MACs, instructions, cycles,
/// cycles/MAC, latency, energy and share of the inference, plus the harness-and-glue remainder
/// (inference cycles not inside any layer region).
std::string layer_table(const RunResult& r);

/// The per-run part of a results entry (schema_version 2, docs/results-schema.md): `board` (the
/// resolved configuration), `stop`, `total`, `inference` (null without an inference region),
/// `footprint`, `regions` and `console`, in that order. Nothing depends on wall-clock time or
/// host paths.
nlohmann::ordered_json run_json(const RunResult& r);

/// A complete results document (schema_version 2, command "run") holding this one run, with the
/// task named after the firmware file and no host paths. Defined in results_doc.cpp.
nlohmann::ordered_json json_report(const RunResult& r);

/// Writes `content` to `path` whole or not at all (temporary file in the same directory, then
/// rename). Throws InputError naming the path when it cannot be written.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace mcusim
