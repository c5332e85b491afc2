// RV32IMC core timing models (ibex-small, ibex-maxperf, picorv32[-variant], sifive-e31): one
// implementation parameterised by its timing table (core-models/data/<core>.toml, isa = "rv32imc")
// plus small named rules for the real quirks (serial shifter, word-fetch straddle, result
// latencies, divider rules, the E31 branch predictor). See core-models/README.md.
#pragma once
#include <cstdint>
#include <memory>

#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {

/// Builds an RV32 model from a parsed table (isa = "rv32imc"). The model keeps predictor state
/// (and, for predicting cores, a per-block exit record filled by analyze_block), so it is NOT
/// thread-safe: one CoreModel serves one engine.
std::unique_ptr<CoreModel> make_rv32_model(TimingTable table);

/// Divider latency of an RV32 table's rule (Rv32DividerRule), clamped to [min_cycles, max_cycles]:
///   constant       max_cycles
///   zero_shortcut  min_cycles when divisor == 0, else max_cycles
///   early_out      dividend 0 -> min; divisor 0 -> max; else min + quotient bits
///                  (msb(|n|) - msb(|m|) + 1, at least 0), clamped
///   divisor_leading_zeros  min + the iterations of CV32E40P's divider: the leading zeros of the
///                  divisor m (m = 0: 32; a negative m of a signed division: clz(|m|) - 1), clamped
///                  (cv32e40p_alu.sv div_shift; manual: 3 for 0x80000000, 35 for 0)
std::uint32_t rv32_divide_cycles(Rv32DividerRule rule, std::uint32_t dividend,
                                 std::uint32_t divisor, bool is_signed, std::uint32_t min_cycles,
                                 std::uint32_t max_cycles);

}  // namespace mcusim::core
