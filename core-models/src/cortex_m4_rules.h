// Named static timing rules of the Cortex-M family model (M0+, M3, M4; the M33 scoreboard is in
// cortex_m_scoreboard.h). Style-anchors principle 2: quirks are small named functions the timing
// table refers to. Each takes the parsed table and decoded instructions. Rules that a table does
// not switch on reduce to the Cortex-M4 behaviour.
#pragma once
#include <cstdint>
#include <string_view>

#include "mcusim/core/cortex_m4.h"
#include "thumb_decoder.h"

namespace mcusim::core::detail {

/// True when `d` is not an instruction of the table's architecture (`isa`), so the core raises
/// UsageFault/UNDEFINED on it (Unicorn's CPU model does the same): ARMv6-M has only BL, DMB,
/// DSB, ISB, MRS, MSR among 32-bit encodings and no IT/CBZ/CBNZ (ARMv6-M ARM A5.2); ARMv7-M has no
/// DSP extension (SIMD, halfword MACs, UMAAL, SMLALxy/SMLALD) and the M3 no FPU. ARMv7E-M and
/// ARMv8-M Mainline (M4F, M33 with DSP and FPU) keep every decoded class.
bool undefined_on_isa(std::string_view isa, const DecodedInsn& d);

/// Issue cycles of `d` alone at 0 WS: the class entry, plus per_register*N for multiples,
/// double_extra for 64-bit VLDR/VSTR, store_register_offset_extra for a register-offset store,
/// mul_accumulate_extra for MLA/MLS, divide_min for SDIV/UDIV, semihosting_bkpt_cycles for
/// BKPT 0xAB. A long multiply with the cmemu rule costs its minimum (classes.mul_long.cycles).
std::uint32_t issue_cycles(const TimingTable& t, const DecodedInsn& d);

/// Load pipelining (M3/M4 TRM "Load/store timings"): cycles saved on `cur` when the immediately
/// preceding instruction `prev` is a single load and `cur` is a single load/store whose address
/// registers do not depend on what `prev` wrote. Never below 1 cycle for `cur`. With
/// pipeline.load_pipelining_indexed = false (M3), a pre/post-indexed load or store on either side
/// breaks the chain (jnk0le doc/cortex_m3m4.md: "M3: pre/post-indexed loads cannot be chained").
std::uint32_t load_pipelining_saving(const TimingTable& t, const DecodedInsn* prev,
                                     const DecodedInsn& cur, std::uint32_t cur_issue);

/// IT folding (Cortex-M4 TRM DDI 0439D Table 3-1 note d): cycles saved on `cur` when it is an IT
/// instruction and the immediately preceding instruction of the block, `prev`, is 16-bit: the IT
/// is "folded onto a preceding 16-bit Thumb instruction, enabling execution in zero cycles". 0
/// unless pipeline.it_folding is on, or when `prev` is null (IT first in its block: what ran
/// before it is not known here) or 32-bit.
std::uint32_t it_folding_saving(const TimingTable& t, const DecodedInsn* prev,
                                const DecodedInsn& cur, std::uint32_t cur_issue);

/// AGU stall (GCC cortex-m4.md bypass): extra cycles on a load/store whose base or index register
/// was written by the immediately preceding data-processing instruction.
std::uint32_t agu_stall(const TimingTable& t, const DecodedInsn* prev, const DecodedInsn& cur);

/// Pipeline refill P the engine adds when `last` (the block's last instruction) changes the flow.
std::uint32_t taken_branch_refill(const TimingTable& t, const DecodedInsn& last);

/// Extra refill cycles (pipeline.branch_target_straddle_extra) when `first`, the first
/// instruction of a block entered by a taken branch, is a 32-bit instruction at an address = 2
/// mod 4: it straddles two aligned 32-bit fetch words. 0 for a 16-bit or word-aligned target, or
/// when `first` is null (an empty block).
std::uint32_t branch_target_straddle_extra(const TimingTable& t, const DecodedInsn* first);

/// True when `d` becomes a data-dependent multiply site (OperandSiteKind::multiply_long): a
/// SMULL/UMULL/SMLAL/UMLAL on a table whose multiply_long_rule is not constant.
bool is_multiply_long_site(const TimingTable& t, const DecodedInsn& d);


}  // namespace mcusim::core::detail
