// Result-latency scoreboard and limited dual issue of an in-order Cortex-M whose table sets
// [pipeline.scoreboard] (the Cortex-M33). The block is scheduled once, at decode: every
// instruction issues when the earlier instructions have left the issue slot and its source
// registers are ready; its results become ready `result latency` cycles after it issues. Each
// quirk is a named rule with its parameter in the table (ScoreboardTiming); sources are in
// core-models/data/cortex-m33.toml (jnk0le doc/cortex_m33.md, RP2350 measurements).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "mcusim/core/timing_table.h"
#include "thumb_decoder.h"

namespace mcusim::core::detail {

/// The static schedule of one block (cycles at zero wait states, branches not taken).
struct BlockSchedule {
  std::vector<std::uint32_t> issue_cycle;  ///< issue cycle of each instruction, from 0
  std::vector<bool> dual_issued;           ///< issued in the same cycle as the one before it
  std::uint32_t total_cycles = 0;          ///< cycles until the issue slot is free again
  std::uint32_t taken_branch_penalty = 0;  ///< extra cycles when the last instruction is taken
};

/// Issue-slot cycles of `d`: issue_cycles() plus two_stage_flag_setting_extra for the
/// flag-setting instructions that run through two stages (MULS.N; flag-setting ALU with a shifted
/// constant other than MOVS.W): jnk0le "take a total of 2 cycles to execute".
std::uint32_t scoreboard_issue_cycles(const TimingTable& t, const DecodedInsn& d);

/// Cycles from the issue of `d` until an ordinary consumer of its core/FP results can issue:
/// the class `latency` (default: cycles); shifted_operand_latency for an ALU op with a shifted
/// register or shifted constant operand2; for multi-word loads (LDRD, LDM, POP, VLDM) the issue
/// cycles plus the single load's latency beyond its issue (the last word arrives last).
std::uint32_t result_latency(const TimingTable& t, const DecodedInsn& d);

/// Cycles from the issue of `producer` until a consumer reading the result late can issue:
/// a MAC accumulator (accumulator_latency; fp_accumulator_latency for FP) or store data
/// (store_data_latency), never more than result_latency().
std::uint32_t late_operand_latency(const TimingTable& t, const DecodedInsn& producer, bool fp,
                                   bool store_data);

/// True when `second` issues in the same cycle as `first` (DualIssueRule::m33_16bit): both are
/// 16-bit and `second` is a NOP after an arithmetic or load/store instruction, an IT, or a
/// 16-bit B/B<cond> (jnk0le: "only two 16 bit instructions can dual issue"; not ALU+ALU nor
/// load/store+ALU; NOP, IT and B pair from the second slot).
bool dual_issues(const TimingTable& t, const DecodedInsn& first, const DecodedInsn& second);

/// Schedules a decoded block with the scoreboard rules. Registers are taken as ready at block
/// entry (dependencies across blocks are not tracked).
BlockSchedule schedule_block(const TimingTable& t, std::span<const DecodedInsn> insns);

}  // namespace mcusim::core::detail
