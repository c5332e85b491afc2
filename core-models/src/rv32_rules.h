// Named static timing rules of the RV32 cores (style-anchors principle 2: the table holds the
// numbers, these small functions hold the quirks). Each takes the parsed table and decoded
// instructions; none touches Unicorn.
#pragma once
#include <array>
#include <cstdint>

#include "mcusim/core/timing_table.h"
#include "rv32_decoder.h"

namespace mcusim::core::detail {

/// True for EBREAK immediately preceded by `slli x0, x0, 0x1f` (RISC-V semihosting sequence).
bool is_semihosting_ebreak(const Rv32Insn* prev, const Rv32Insn& cur);

/// Serial shifter (PicoRV32 without BARREL_SHIFTER, cpu_state_shift): one cycle per 4-bit step
/// while the amount is >= 4, then one per 1-bit step: shamt / 4 + shamt % 4 extra cycles for an
/// immediate shift; a register shift costs `shift_register_extra` (static estimate).
/// Extra cycles of PicoRV32's serial shifter (TWO_STAGE_SHIFT) for a shift by `shamt` (low 5
/// bits): 4-bit steps while the amount is >= 4, then 1-bit steps: shamt / 4 + shamt % 4.
std::uint32_t serial_shift_amount_extra(std::uint32_t shamt);
std::uint32_t serial_shift_extra(const Rv32Pipeline& p, const Rv32Insn& d);

/// Word fetch (PicoRV32 with COMPRESSED_ISA fetches aligned 32-bit words): a 32-bit instruction
/// at an address = 2 mod 4 straddles two words and costs one more fetch.
std::uint32_t fetch_straddle_extra(const Rv32Pipeline& p, const Rv32Insn& d, Addr addr);

/// Issue cycles of `d` alone at 0 WS: class entry (div: divide_min; semihosting EBREAK:
/// semihosting_bkpt_cycles) + serial shift + rs2 read port + fetch straddle + a JALR that links
/// into its own base register (jalr_rd_is_rs1_extra) + a CSR of csr_stall_list (csr_stall_extra).
std::uint32_t rv32_issue_cycles(const TimingTable& t, const Rv32Insn& d, Addr addr, bool semihosting);

/// Cycles from the issue of `d` until a dependent instruction may issue: the class `latency`
/// (default: its issue cycles), + load_subword_extra_latency for LB/LH/LBU/LHU.
std::uint32_t rv32_result_latency(const TimingTable& t, const Rv32Insn& d, std::uint32_t issue);

/// In-order scoreboard over one block: ready[x] is the block-relative cycle at which register x
/// can be consumed. Registers written before the block are assumed ready (cross-block hazards
/// are not modelled).
struct Scoreboard {
  std::array<std::uint32_t, 32> ready{};
  /// Stall cycles before `d` can issue at cycle `now`. `extra_latency` (cycles) is added to the
  /// latency of every register written earlier in the block, for this consumer only (a JALR that
  /// reads rs1 without forwarding: pipeline.jalr_rs1_extra_latency).
  std::uint32_t stall(const Rv32Insn& d, std::uint32_t now, std::uint32_t extra_latency = 0) const;
  void write(const Rv32Insn& d, std::uint32_t issue_at, std::uint32_t latency);
};

/// P the engine adds when `last` (the block's last instruction) changes the flow.
std::uint32_t rv32_taken_branch_refill(const Rv32Pipeline& p, const Rv32Insn& last);

}  // namespace mcusim::core::detail
