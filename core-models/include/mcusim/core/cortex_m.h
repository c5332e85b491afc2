// The table-driven Cortex-M family model (Cortex-M0+, M3, M4, M33): one model class whose
// optional rules (load pipelining, AGU stall, MLA extra, early-terminating long multiplies, the
// M33 result-latency scoreboard and dual issue) are switched on by keys of the core's timing
// table (core-models/data/<core>.toml). docs/models/cores.md describes each core.
#pragma once
#include <cstdint>
#include <memory>

#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {

/// Builds the Cortex-M family model from a parsed Arm table (isa armv6-m, armv7-m, armv7e-m or
/// armv8-m.main); its name() is the table's `core`. Like the M4 model it owns one Capstone
/// handle and is NOT thread-safe: one CoreModel serves one engine (thread).
/// Throws TimingTableError for an RV32 table or inconsistent divider/multiplier bounds.
std::unique_ptr<CoreModel> make_cortex_m_model(TimingTable table);

/// SMULL/UMULL/SMLAL/UMLAL total cycles on the Cortex-M3 with early termination, from the
/// 16-bit halves of the two multiplied register values (cmemu's measured rule, cited in
/// cortex_m4_rules.cpp): 3-5 cycles for SMULL/UMULL, 3-7 for SMLAL/UMLAL; clamped to
/// [min_cycles, max_cycles].
std::uint32_t multiply_long_cycles_early_termination(std::uint32_t rn, std::uint32_t rm,
                                                     bool is_signed, bool accumulate,
                                                     std::uint32_t min_cycles,
                                                     std::uint32_t max_cycles);

}  // namespace mcusim::core
