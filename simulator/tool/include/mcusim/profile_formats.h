// Renderings of a Profile (profile.h): speedscope's JSON file format, the Chrome/Perfetto
// trace-event JSON, and the top-N table of the text report. docs/profiles.md.
#pragma once

#include <filesystem>
#include <string>

#include "mcusim/profile.h"

namespace mcusim {

/// speedscope's file format (https://www.speedscope.app/file-format-schema.json): shared frames
/// (function name, source file and line when DWARF has them) and four "sampled" profiles over
/// the call tree, one sample per call stack weighted by its exclusive cycles, instructions,
/// stall cycles and energy (pJ); unit "none" (counts); with DWARF a fifth, the issue cycles of
/// each source line (frames "file:line" above their function). `name` names the profiles.
std::string speedscope_json(const Profile& p, const std::string& name);

/// Trace-event JSON (Chrome's about:tracing / Perfetto "JSON trace format"): complete events
/// ("ph":"X") for regions (layers) and function calls on the simulated clock (ts and dur in
/// microseconds of simulated time), and a counter track ("ph":"C", "power") with the average
/// power in mW of each sampling interval. Deterministic (no host time).
std::string trace_event_json(const Profile& p, const std::string& name);

/// The `n` functions with the most exclusive cycles: exclusive and inclusive cycles (and their
/// share of the run), instructions, stall cycles, energy (uJ) and calls; then, with DWARF, the
/// `n` source lines with the most issue cycles.
std::string profile_top_table(const Profile& p, std::size_t n);

/// Writes PREFIX.speedscope.json and PREFIX.trace.json. Throws InputError naming the file when
/// it cannot be written. Returns the two paths.
std::pair<std::filesystem::path, std::filesystem::path> write_profile_files(const std::string& prefix,
                                                                              const Profile& p,
                                                                              const std::string& name);

}  // namespace mcusim
