// Cortex-M4 (ARMv7E-M, FPv4-SP) core timing model: built from the typed timing table
// (mcusim/core/timing_table.h, core-models/data/cortex-m4.toml) and the named rules it refers to.
// The generic interface is mcusim/core/core_model.h; this header is the model-specific part that
// tests and tools may use (build a model from an in-memory table, call the divider formula).
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {

/// Builds the Cortex-M4 model from a parsed table: the Cortex-M family model (cortex_m.h) with a
/// check that the table's core is "cortex-m4". The model owns one Capstone handle and keeps
/// per-call scratch state, so it is NOT thread-safe: one CoreModel serves one engine (thread).
std::unique_ptr<CoreModel> make_cortex_m4_model(TimingTable table);

/// SDIV/UDIV latency with early termination, clamped to [min_cycles, max_cycles].
/// Formula from the cycle-exact Cortex-M3 emulator cmemu (see cortex_m4_rules.cpp for the citation):
/// 2 if either operand is 0; 3 if the divisor's highest set bit is above the dividend's;
/// else 5 + (msb(dividend) - msb(divisor)) / 4. SDIV works on absolute values with a
/// one-bit adjustment for negative power-of-two divisors.
std::uint32_t divide_cycles_early_termination(std::uint32_t dividend, std::uint32_t divisor,
                                              bool is_signed, std::uint32_t min_cycles,
                                              std::uint32_t max_cycles);

}  // namespace mcusim::core
