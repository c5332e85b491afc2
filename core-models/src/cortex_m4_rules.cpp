#include "cortex_m4_rules.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <bit>

#include "mcusim/core/cortex_m.h"

namespace mcusim::core::detail {
namespace {

const ClassTiming& entry(const TimingTable& t, InsnClass c) {
  return t.classes[static_cast<std::size_t>(c)];
}

bool is_single_load(const DecodedInsn& d) {
  // LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX; not LDR PC (a branch: the pipeline refills after it).
  return d.cls == InsnClass::load && d.pc_write == PcWrite::none;
}

// Data memory instructions whose address goes through the AGU in decode.
bool is_memory_access(InsnClass c) {
  switch (c) {
    case InsnClass::load: case InsnClass::store: case InsnClass::load_double:
    case InsnClass::store_double: case InsnClass::load_multiple: case InsnClass::store_multiple:
    case InsnClass::fp_load: case InsnClass::fp_store: case InsnClass::fp_load_multiple:
    case InsnClass::fp_store_multiple:
      return true;
    default:
      return false;
  }
}

// Integer data-processing instructions whose result comes out of the execute stage.
bool is_data_processing(InsnClass c) {
  return c == InsnClass::alu || c == InsnClass::mul || c == InsnClass::mul_long ||
         c == InsnClass::dsp || c == InsnClass::div;
}

bool is_fp_class(InsnClass c) {
  switch (c) {
    case InsnClass::fp_alu: case InsnClass::fp_mac: case InsnClass::fp_div_sqrt:
    case InsnClass::fp_load: case InsnClass::fp_store: case InsnClass::fp_load_multiple:
    case InsnClass::fp_store_multiple: case InsnClass::fp_move: case InsnClass::fp_system:
      return true;
    default:
      return false;
  }
}

bool is_basic_long_multiply(unsigned id) {
  return id == ARM_INS_SMULL || id == ARM_INS_UMULL || id == ARM_INS_SMLAL || id == ARM_INS_UMLAL;
}

}  // namespace

bool undefined_on_isa(std::string_view isa, const DecodedInsn& d) {
  if (d.cls == InsnClass::undefined) return false;
  if (isa == "armv6-m") {
    if (d.size == 4) {
      switch (d.insn_id) {
        case ARM_INS_BL: case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB: case ARM_INS_MRS:
        case ARM_INS_MSR:
          return false;
        default:
          return true;
      }
    }
    return d.insn_id == ARM_INS_IT || d.insn_id == ARM_INS_CBZ || d.insn_id == ARM_INS_CBNZ;
  }
  if (isa == "armv7-m") {
    if (d.cls == InsnClass::dsp || is_fp_class(d.cls)) return true;
    return d.cls == InsnClass::mul_long && !is_basic_long_multiply(d.insn_id);
  }
  return false;
}

bool is_multiply_long_site(const TimingTable& t, const DecodedInsn& d) {
  return t.pipeline.multiply_long_rule != MultiplyLongRule::constant &&
         d.cls == InsnClass::mul_long && is_basic_long_multiply(d.insn_id);
}

std::uint32_t issue_cycles(const TimingTable& t, const DecodedInsn& d) {
  const ClassTiming& e = entry(t, d.cls);
  switch (d.cls) {
    case InsnClass::mul:
      // MLA/MLS: the accumulate costs an extra cycle on the M3 (TRM Table 18-1 / mbed copy: 2).
      return e.cycles + ((d.insn_id == ARM_INS_MLA || d.insn_id == ARM_INS_MLS)
                             ? t.pipeline.mul_accumulate_extra
                             : 0);
    case InsnClass::div:
      return t.pipeline.divide_min;  // the run loop adds divide_cycles() - divide_min
    case InsnClass::bkpt:
      return d.semihosting ? t.pipeline.semihosting_bkpt_cycles : e.cycles;
    case InsnClass::store:
      return e.cycles + (d.reg_offset ? t.pipeline.store_register_offset_extra : 0);
    case InsnClass::fp_load: case InsnClass::fp_store:
      return e.cycles + (d.fp_double ? e.double_extra : 0);
    case InsnClass::load_multiple: case InsnClass::store_multiple:
    case InsnClass::fp_load_multiple: case InsnClass::fp_store_multiple:
      return e.cycles + e.per_register * d.beats;  // 1+N (N in 32-bit registers)
    default:
      return e.cycles;
  }
}

std::uint32_t load_pipelining_saving(const TimingTable& t, const DecodedInsn* prev,
                                     const DecodedInsn& cur, std::uint32_t cur_issue) {
  if (!t.pipeline.load_pipelining || prev == nullptr || !is_single_load(*prev)) return 0;
  // Only single LDR/STR pipeline behind a load; LDRD/STRD/LDM never do.
  if (cur.cls != InsnClass::load && cur.cls != InsnClass::store) return 0;
  // "Nothing can be pipelined after an STR with register offset"; a register-offset STR does
  // not pipeline behind the load either (it keeps its 2 cycles).
  if (cur.cls == InsnClass::store && cur.reg_offset) return 0;
  // The next address must not depend on the load's destination (or its written-back base).
  if ((cur.addr_regs & prev->regs_written) != 0) return 0;
  // M3: pre/post-indexed accesses never chain, whatever the base register.
  if (!t.pipeline.load_pipelining_indexed && (prev->writeback || cur.writeback)) return 0;
  // The TRM's 2-cycle access becomes 1; an STR imm, already 1 cycle (its data phase overlaps
  // the next instruction), stays 1: "LDR R0,[R1,R2]; STR R0,[R3,#20]" is 3 cycles in total.
  return cur_issue > 1 ? 1 : 0;
}

std::uint32_t it_folding_saving(const TimingTable& t, const DecodedInsn* prev,
                                const DecodedInsn& cur, std::uint32_t cur_issue) {
  if (!t.pipeline.it_folding || prev == nullptr || cur.cls != InsnClass::it) return 0;
  return prev->size == 2 ? cur_issue : 0;
}

std::uint32_t agu_stall(const TimingTable& t, const DecodedInsn* prev, const DecodedInsn& cur) {
  if (prev == nullptr || !is_data_processing(prev->cls) || !is_memory_access(cur.cls)) return 0;
  return (cur.addr_regs & prev->regs_written) != 0 ? t.pipeline.agu_stall_cycles : 0;
}

std::uint32_t taken_branch_refill(const TimingTable& t, const DecodedInsn& last) {
  switch (last.pc_write) {
    case PcWrite::imm: return t.pipeline.branch_refill_imm;
    case PcWrite::reg: return t.pipeline.branch_refill_reg;
    case PcWrite::load_pc: return t.pipeline.branch_refill_load_pc;
    case PcWrite::none: return 0;
  }
  return 0;
}

std::uint32_t branch_target_straddle_extra(const TimingTable& t, const DecodedInsn* first) {
  if (first == nullptr || first->size != 4 || (first->addr & 3u) != 2u) return 0;
  return t.pipeline.branch_target_straddle_extra;
}

}  // namespace mcusim::core::detail

namespace mcusim::core {

// SDIV/UDIV early termination. Source: cmemu, the cycle-exact Cortex-M3 emulator
// (github.com/mimuw-distributed-systems-group/cmemu, commit cc5ddafd4de4,
// cmemu-lib/src/component/core/execute/instruction.rs, udiv_execution_result_writing_cycle and
// sdiv_execution_result_writing_cycle), fitted to measurements on CC2650/STM32F100 (Cortex-M3).
// Its model: the divider retires about 4 quotient bits per cycle, so with X = msb(|dividend|)
// and Y = msb(|divisor|):
//   either operand 0   -> 2 cycles
//   X < Y (quotient 0) -> 3 cycles
//   otherwise          -> 5 + (X - Y) / 4 cycles   (at most 5 + 31/4 = 12)
// SDIV takes absolute values; for a negative divisor the difference is adjusted by one
// (+1 when |divisor| is a power of two and the dividend is not INT_MIN, -1 when |divisor| is not
// a power of two and the dividend is INT_MIN), as cmemu observed.
// The M4 TRM gives the same 2-12 range, and the asm-compendium (asm-compendium.github.io,
// 'Computational operations/division.md') measured the same formula on a Cortex-M4 (SDIV and
// UDIV, signs ignored, bits() = msb + 1; cmemu's negative-divisor adjustment is not in it). The
// result is clamped to the table's [divide_min, divide_max].
std::uint32_t divide_cycles_early_termination(std::uint32_t dividend, std::uint32_t divisor,
                                              bool is_signed, std::uint32_t min_cycles,
                                              std::uint32_t max_cycles) {
  auto msb = [](std::uint32_t v) { return 31 - std::countl_zero(v); };  // v != 0
  std::uint32_t cycles = 0;
  if (dividend == 0 || divisor == 0) {
    cycles = 2;
  } else {
    std::uint32_t n = dividend;
    std::uint32_t m = divisor;
    int adjust = 0;
    if (is_signed) {
      const bool m_negative = static_cast<std::int32_t>(m) < 0;
      if (static_cast<std::int32_t>(n) < 0) n = 0u - n;  // wrapping abs: INT_MIN stays 0x8000_0000
      if (m_negative) m = 0u - m;
      if (m_negative && std::has_single_bit(m) && n != 0x8000'0000u) adjust = 1;
      if (m_negative && !std::has_single_bit(m) && n == 0x8000'0000u) adjust = -1;
    }
    const int diff = msb(n) - msb(m) + adjust;
    cycles = diff < 0 ? 3u : 5u + static_cast<std::uint32_t>(diff) / 4u;
  }
  return std::clamp(cycles, min_cycles, std::max(min_cycles, max_cycles));
}

}  // namespace mcusim::core

namespace mcusim::core {

// SMULL/UMULL/SMLAL/UMLAL early termination. Source: cmemu, the cycle-exact Cortex-M3 emulator
// (github.com/mimuw-distributed-systems-group/cmemu, commit cc5ddafd4de4,
// cmemu-lib/src/component/core/execute/instruction.rs, {u,s}{mull,mlal}_execution_result_
// writing_cycles), fitted to measurements on CC2650/STM32F100 (cmemu-tests .../data_processing/
// smull_umull_smlal_umlal.asm). cmemu's explanation: the M3 multiplies 16-bit halves, and a zero
// half saves work. With H(x) = (x & 0xFFFF0000) != 0 and L(x) = (x & 0xFFFF) != 0 on the raw
// 32-bit pattern (a negative operand always has H), cmemu gives the cycle (from 0) in which RdHi
// is written; the instruction takes that + 1 cycles. As (Rn; Rm) cases, "neg" = an operand is
// negative:
//                         UMULL SMULL         UMLAL SMLAL
//   an operand 0            3     3             3     3
//   (L; L)                  3     3 (4 neg)     3     3
//   (H; H)                  3     3 (4 neg)     5     5 (6 neg)
//   (HL; H)                 4     4 (5 neg)     6     6 (7 neg)
//   (H; HL)                 4     4             6     6
//   (HL; HL)                5     5             7     7
//   other mixed cases       4     4 (5 Rm neg)  5     5 (6 Rm neg)
// The Arm TRM gives 3-5 (SMULL/UMULL) and 4-7 (SMLAL/UMLAL), "ABS(inputs) < 64K terminates
// early"; cmemu's measured minimum for SMLAL/UMLAL is 3. The result is clamped to [min, max].
std::uint32_t multiply_long_cycles_early_termination(std::uint32_t rn, std::uint32_t rm,
                                                     bool is_signed, bool accumulate,
                                                     std::uint32_t min_cycles,
                                                     std::uint32_t max_cycles) {
  const bool rn_h = (rn & 0xFFFF'0000u) != 0, rn_l = (rn & 0xFFFFu) != 0;
  const bool rm_h = (rm & 0xFFFF'0000u) != 0, rm_l = (rm & 0xFFFFu) != 0;
  const bool rm_neg = is_signed && static_cast<std::int32_t>(rm) < 0;
  const bool neg = rm_neg || (is_signed && static_cast<std::int32_t>(rn) < 0);
  const std::uint32_t acc = accumulate ? 2u : 0u;  // the accumulate adds two cycles when it works
  std::uint32_t cycles = 0;
  if ((!rn_h && !rn_l) || (!rm_h && !rm_l)) {
    cycles = 3;
  } else if (!rn_h && rn_l && !rm_h && rm_l) {  // (L; L)
    cycles = 3 + (neg && !accumulate ? 1u : 0u);
  } else if (rn_h && !rn_l && rm_h && !rm_l) {  // (H; H)
    cycles = 3 + acc + (neg ? 1u : 0u);
  } else if (rn_h && rn_l && rm_h && !rm_l) {  // (HL; H)
    cycles = 4 + acc + (neg ? 1u : 0u);
  } else if (rn_h && !rn_l && rm_h && rm_l) {  // (H; HL)
    cycles = 4 + acc;
  } else if (rn_h && rn_l && rm_h && rm_l) {  // (HL; HL)
    cycles = 5 + acc;
  } else {  // (H; L), (L; H), (HL; L), (L; HL)
    cycles = (accumulate ? 5u : 4u) + (rm_neg ? 1u : 0u);
  }
  return std::clamp(cycles, min_cycles, std::max(min_cycles, max_cycles));
}

}  // namespace mcusim::core
