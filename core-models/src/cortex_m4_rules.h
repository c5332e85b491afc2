// Named static timing rules of the Cortex-M4 (style-anchors principle 2: quirks are small named
// functions the timing table refers to). Each takes the parsed table and decoded instructions.
#pragma once
#include <cstdint>

#include "mcusim/core/cortex_m4.h"
#include "thumb_decoder.h"

namespace mcusim::core::detail {

/// Issue cycles of `d` alone at 0 WS: the class entry, plus per_register*N for multiples,
/// double_extra for 64-bit VLDR/VSTR, store_register_offset_extra for a register-offset store,
/// divide_min for SDIV/UDIV, semihosting_bkpt_cycles for BKPT 0xAB.
std::uint32_t issue_cycles(const TimingTable& t, const DecodedInsn& d);

/// Load pipelining (M3/M4 TRM "Load/store timings"): cycles saved on `cur` when the immediately
/// preceding instruction `prev` is a single load and `cur` is a single load/store whose address
/// registers do not depend on what `prev` wrote. Never below 1 cycle for `cur`.
std::uint32_t load_pipelining_saving(const TimingTable& t, const DecodedInsn* prev,
                                     const DecodedInsn& cur, std::uint32_t cur_issue);

/// AGU stall (GCC cortex-m4.md bypass): extra cycles on a load/store whose base or index register
/// was written by the immediately preceding data-processing instruction.
std::uint32_t agu_stall(const TimingTable& t, const DecodedInsn* prev, const DecodedInsn& cur);

/// Pipeline refill P the engine adds when `last` (the block's last instruction) changes the flow.
std::uint32_t taken_branch_refill(const TimingTable& t, const DecodedInsn& last);

/// Static cycles of `cur` in its block: issue cycles with the two intra-block rules applied.
inline std::uint32_t static_cycles_in_block(const TimingTable& t, const DecodedInsn* prev,
                                            const DecodedInsn& cur) {
  const std::uint32_t issue = issue_cycles(t, cur);
  return issue - load_pipelining_saving(t, prev, cur, issue) + agu_stall(t, prev, cur);
}

}  // namespace mcusim::core::detail
