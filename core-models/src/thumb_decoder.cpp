#include "thumb_decoder.h"

#include <capstone/capstone.h>

#include <optional>
#include <stdexcept>

namespace mcusim::core::detail {
namespace {

// Architectural number 0..15 of a Capstone core register, or -1.
int core_reg(unsigned r) {
  if (r >= ARM_REG_R0 && r <= ARM_REG_R12) return static_cast<int>(r - ARM_REG_R0);
  if (r == ARM_REG_SP) return 13;
  if (r == ARM_REG_LR) return 14;
  if (r == ARM_REG_PC) return 15;
  return -1;
}
bool is_d_reg(unsigned r) { return r >= ARM_REG_D0 && r <= ARM_REG_D31; }
bool is_s_reg(unsigned r) { return r >= ARM_REG_S0 && r <= ARM_REG_S31; }
// S-register mask of an FP register operand (Dn covers S2n and S2n+1; D16+ have no S alias).
std::uint32_t fp_mask(unsigned r) {
  if (is_s_reg(r)) return 1u << (r - ARM_REG_S0);
  if (r >= ARM_REG_D0 && r <= ARM_REG_D15) return 3u << (2 * (r - ARM_REG_D0));
  return 0;
}
bool is_q_reg(unsigned r) { return r >= ARM_REG_Q0 && r <= ARM_REG_Q15; }
std::uint16_t bit(int n) { return n < 0 ? 0 : static_cast<std::uint16_t>(1u << n); }

// Instruction id -> class. Ids not listed (NEON, ARM-only, v8, coprocessor, LDREXD...) are not
// M4 instructions and fall to `undefined`. Refinements that need operands are in classify().
std::optional<InsnClass> class_of_id(unsigned id) {
  using C = InsnClass;
  switch (id) {
    // Data processing (1 cycle): add/sub/logic/compare/move/shift/extend/bitfield/REV/CLZ/SAT.
    case ARM_INS_ADC: case ARM_INS_ADD: case ARM_INS_ADDW: case ARM_INS_ADR: case ARM_INS_AND:
    case ARM_INS_ASR: case ARM_INS_BFC: case ARM_INS_BFI: case ARM_INS_BIC: case ARM_INS_CLZ:
    case ARM_INS_CMN: case ARM_INS_CMP: case ARM_INS_EOR: case ARM_INS_LSL: case ARM_INS_LSR:
    case ARM_INS_MOV: case ARM_INS_MOVT: case ARM_INS_MOVW: case ARM_INS_MVN: case ARM_INS_ORN:
    case ARM_INS_ORR: case ARM_INS_RBIT: case ARM_INS_REV: case ARM_INS_REV16:
    case ARM_INS_REVSH: case ARM_INS_ROR: case ARM_INS_RRX: case ARM_INS_RSB: case ARM_INS_SBC:
    case ARM_INS_SBFX: case ARM_INS_SSAT: case ARM_INS_SUB: case ARM_INS_SUBW:
    case ARM_INS_SXTB: case ARM_INS_SXTH: case ARM_INS_TEQ: case ARM_INS_TST:
    case ARM_INS_UBFX: case ARM_INS_USAT: case ARM_INS_UXTB: case ARM_INS_UXTH:
      return C::alu;
    case ARM_INS_MUL: case ARM_INS_MLA: case ARM_INS_MLS:
      return C::mul;
    case ARM_INS_SMULL: case ARM_INS_UMULL: case ARM_INS_SMLAL: case ARM_INS_UMLAL:
    case ARM_INS_UMAAL: case ARM_INS_SMLALBB: case ARM_INS_SMLALBT: case ARM_INS_SMLALTB:
    case ARM_INS_SMLALTT: case ARM_INS_SMLALD: case ARM_INS_SMLALDX: case ARM_INS_SMLSLD:
    case ARM_INS_SMLSLDX:
      return C::mul_long;
    case ARM_INS_SDIV: case ARM_INS_UDIV:
      return C::div;
    // ARMv7E-M DSP extension: halfword/dual multiplies, SIMD, saturating, pack, extend-add.
    case ARM_INS_SMLABB: case ARM_INS_SMLABT: case ARM_INS_SMLATB: case ARM_INS_SMLATT:
    case ARM_INS_SMLAD: case ARM_INS_SMLADX: case ARM_INS_SMLAWB: case ARM_INS_SMLAWT:
    case ARM_INS_SMLSD: case ARM_INS_SMLSDX: case ARM_INS_SMMLA: case ARM_INS_SMMLAR:
    case ARM_INS_SMMLS: case ARM_INS_SMMLSR: case ARM_INS_SMMUL: case ARM_INS_SMMULR:
    case ARM_INS_SMUAD: case ARM_INS_SMUADX: case ARM_INS_SMULBB: case ARM_INS_SMULBT:
    case ARM_INS_SMULTB: case ARM_INS_SMULTT: case ARM_INS_SMULWB: case ARM_INS_SMULWT:
    case ARM_INS_SMUSD: case ARM_INS_SMUSDX:
    case ARM_INS_SADD16: case ARM_INS_SADD8: case ARM_INS_SASX: case ARM_INS_SSAX:
    case ARM_INS_SSUB16: case ARM_INS_SSUB8: case ARM_INS_SHADD16: case ARM_INS_SHADD8:
    case ARM_INS_SHASX: case ARM_INS_SHSAX: case ARM_INS_SHSUB16: case ARM_INS_SHSUB8:
    case ARM_INS_QADD: case ARM_INS_QADD16: case ARM_INS_QADD8: case ARM_INS_QASX:
    case ARM_INS_QDADD: case ARM_INS_QDSUB: case ARM_INS_QSAX: case ARM_INS_QSUB:
    case ARM_INS_QSUB16: case ARM_INS_QSUB8:
    case ARM_INS_UADD16: case ARM_INS_UADD8: case ARM_INS_UASX: case ARM_INS_USAX:
    case ARM_INS_USUB16: case ARM_INS_USUB8: case ARM_INS_UHADD16: case ARM_INS_UHADD8:
    case ARM_INS_UHASX: case ARM_INS_UHSAX: case ARM_INS_UHSUB16: case ARM_INS_UHSUB8:
    case ARM_INS_UQADD16: case ARM_INS_UQADD8: case ARM_INS_UQASX: case ARM_INS_UQSAX:
    case ARM_INS_UQSUB16: case ARM_INS_UQSUB8: case ARM_INS_USAD8: case ARM_INS_USADA8:
    case ARM_INS_SSAT16: case ARM_INS_USAT16: case ARM_INS_SEL: case ARM_INS_PKHBT:
    case ARM_INS_PKHTB: case ARM_INS_SXTB16: case ARM_INS_SXTAB16: case ARM_INS_UXTB16:
    case ARM_INS_UXTAB16: case ARM_INS_SXTAB: case ARM_INS_SXTAH: case ARM_INS_UXTAB:
    case ARM_INS_UXTAH:
      return C::dsp;
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: case ARM_INS_LDREX: case ARM_INS_LDREXB: case ARM_INS_LDREXH:
    case ARM_INS_LDRT: case ARM_INS_LDRBT: case ARM_INS_LDRHT: case ARM_INS_LDRSBT:
    case ARM_INS_LDRSHT:
      return C::load;
    case ARM_INS_STR: case ARM_INS_STRB: case ARM_INS_STRH: case ARM_INS_STREX:
    case ARM_INS_STREXB: case ARM_INS_STREXH: case ARM_INS_STRT: case ARM_INS_STRBT:
    case ARM_INS_STRHT:
      return C::store;
    case ARM_INS_LDRD: return C::load_double;
    case ARM_INS_STRD: return C::store_double;
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_POP: return C::load_multiple;
    case ARM_INS_STM: case ARM_INS_STMDB: case ARM_INS_PUSH: return C::store_multiple;
    case ARM_INS_B: case ARM_INS_CBZ: case ARM_INS_CBNZ: return C::branch;
    case ARM_INS_BL: return C::branch_link;
    case ARM_INS_BX: case ARM_INS_BLX: return C::branch_reg;
    case ARM_INS_TBB: case ARM_INS_TBH: return C::table_branch;
    case ARM_INS_IT: return C::it;
    case ARM_INS_NOP: case ARM_INS_YIELD: case ARM_INS_HINT: case ARM_INS_DBG:
    case ARM_INS_PLD: case ARM_INS_PLDW: case ARM_INS_PLI:
      return C::nop;
    case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB: return C::barrier;
    case ARM_INS_MRS: case ARM_INS_MSR: case ARM_INS_CPS: case ARM_INS_SVC: case ARM_INS_SEV:
    case ARM_INS_WFE: case ARM_INS_CLREX:
      return C::system;
    case ARM_INS_WFI: return C::wfi;
    case ARM_INS_BKPT: return C::bkpt;
    case ARM_INS_VADD: case ARM_INS_VSUB: case ARM_INS_VMUL: case ARM_INS_VNMUL:
    case ARM_INS_VABS: case ARM_INS_VNEG: case ARM_INS_VCMP: case ARM_INS_VCMPE:
    case ARM_INS_VCVT: case ARM_INS_VCVTR: case ARM_INS_VCVTB: case ARM_INS_VCVTT:
    case ARM_INS_VMOV:  // refined: to fp_move when a core register is involved
      return C::fp_alu;
    case ARM_INS_VMLA: case ARM_INS_VMLS: case ARM_INS_VNMLA: case ARM_INS_VNMLS:
    case ARM_INS_VFMA: case ARM_INS_VFMS: case ARM_INS_VFNMA: case ARM_INS_VFNMS:
      return C::fp_mac;
    case ARM_INS_VDIV: case ARM_INS_VSQRT: return C::fp_div_sqrt;
    case ARM_INS_VLDR: return C::fp_load;
    case ARM_INS_VSTR: return C::fp_store;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VPOP: return C::fp_load_multiple;
    case ARM_INS_VSTMIA: case ARM_INS_VSTMDB: case ARM_INS_VPUSH: return C::fp_store_multiple;
    case ARM_INS_VMRS: case ARM_INS_VMSR: return C::fp_system;
    default: return std::nullopt;  // includes UDF (permanently undefined)
  }
}

// FPv5 additions (ARMv7-M ARM, FPv5 extension: VSEL, VMAXNM/VMINNM, VRINT*, VCVT{A,N,P,M}):
// floating-point data processing, valid only on FPv5 decoders.
bool is_fpv5_only(unsigned id) {
  switch (id) {
    case ARM_INS_VSELEQ: case ARM_INS_VSELGE: case ARM_INS_VSELGT: case ARM_INS_VSELVS:
    case ARM_INS_VMAXNM: case ARM_INS_VMINNM: case ARM_INS_VRINTA: case ARM_INS_VRINTN:
    case ARM_INS_VRINTP: case ARM_INS_VRINTM: case ARM_INS_VRINTR: case ARM_INS_VRINTX:
    case ARM_INS_VRINTZ: case ARM_INS_VCVTA: case ARM_INS_VCVTN: case ARM_INS_VCVTP:
    case ARM_INS_VCVTM:
      return true;
    default:
      return false;
  }
}

bool is_fp_data_processing(InsnClass c) {
  return c == InsnClass::fp_alu || c == InsnClass::fp_mac || c == InsnClass::fp_div_sqrt;
}
bool is_multiple(InsnClass c) {
  return c == InsnClass::load_multiple || c == InsnClass::store_multiple ||
         c == InsnClass::fp_load_multiple || c == InsnClass::fp_store_multiple;
}

// Accumulator operands (read late by MAC-chaining rules): which operand is the accumulator
// depends on the instruction form (ARMv7-M ARM A7.7: MLA Rd,Rn,Rm,Ra; SMLAL RdLo,RdHi,Rn,Rm;
// SXTAB Rd,Rn,Rm adds Rn; VFMA Sd,Sn,Sm accumulates into Sd).
void mark_accumulators(const cs_insn& insn, DecodedInsn& d) {
  const cs_arm& a = insn.detail->arm;
  auto reg_at = [&](int i) -> int {
    return i < a.op_count && a.operands[i].type == ARM_OP_REG ? core_reg(a.operands[i].reg) : -1;
  };
  switch (insn.id) {
    case ARM_INS_MLA: case ARM_INS_MLS: case ARM_INS_SMLABB: case ARM_INS_SMLABT:
    case ARM_INS_SMLATB: case ARM_INS_SMLATT: case ARM_INS_SMLAD: case ARM_INS_SMLADX:
    case ARM_INS_SMLAWB: case ARM_INS_SMLAWT: case ARM_INS_SMLSD: case ARM_INS_SMLSDX:
    case ARM_INS_SMMLA: case ARM_INS_SMMLAR: case ARM_INS_SMMLS: case ARM_INS_SMMLSR:
    case ARM_INS_USADA8:
      d.acc_regs = bit(reg_at(3));
      break;
    case ARM_INS_SMLAL: case ARM_INS_UMLAL: case ARM_INS_UMAAL: case ARM_INS_SMLALBB:
    case ARM_INS_SMLALBT: case ARM_INS_SMLALTB: case ARM_INS_SMLALTT: case ARM_INS_SMLALD:
    case ARM_INS_SMLALDX: case ARM_INS_SMLSLD: case ARM_INS_SMLSLDX:
      d.acc_regs = bit(reg_at(0)) | bit(reg_at(1));
      break;
    case ARM_INS_SXTAB: case ARM_INS_SXTAH: case ARM_INS_SXTAB16: case ARM_INS_UXTAB:
    case ARM_INS_UXTAH: case ARM_INS_UXTAB16:
      d.acc_regs = bit(reg_at(1));
      break;
    default:
      break;
  }
  if (d.cls == InsnClass::fp_mac && a.op_count > 0 && a.operands[0].type == ARM_OP_REG)
    d.fp_acc = fp_mask(a.operands[0].reg);
}

// A Thumb-2 modified immediate that needs the rotator: not 0..255 and not a replicated byte
// pattern (ARMv7-M ARM A5.3.2 ThumbExpandImm). Only 32-bit data-processing instructions with an
// immediate operand qualify; ADDW/SUBW/MOVW/MOVT (plain 12/16-bit), shifts (the immediate is a
// shift amount) and bitfield/saturate instructions do not.
bool is_shifted_constant(const cs_insn& insn, const DecodedInsn& d) {
  if (d.cls != InsnClass::alu || insn.size != 4) return false;
  switch (insn.id) {
    case ARM_INS_ADDW: case ARM_INS_SUBW: case ARM_INS_MOVW: case ARM_INS_MOVT: case ARM_INS_ADR:
    case ARM_INS_LSL: case ARM_INS_LSR: case ARM_INS_ASR: case ARM_INS_ROR: case ARM_INS_RRX:
    case ARM_INS_BFC: case ARM_INS_BFI: case ARM_INS_SBFX: case ARM_INS_UBFX: case ARM_INS_SSAT:
    case ARM_INS_USAT:
      return false;
    default:
      break;
  }
  const cs_arm& a = insn.detail->arm;
  for (int i = 0; i < a.op_count; ++i) {
    if (a.operands[i].type != ARM_OP_IMM) continue;
    const auto v = static_cast<std::uint32_t>(a.operands[i].imm);
    const std::uint32_t b = v & 0xFFu;
    if (v <= 0xFFu) return false;
    if (v == (b | b << 16) || v == ((v >> 8 & 0xFFu) << 8 | (v >> 8 & 0xFFu) << 24) ||
        v == b * 0x0101'0101u)
      return false;
    return true;
  }
  return false;
}

// Fills `d` from a decoded Capstone instruction.
void classify(const cs_insn& insn, ThumbFpu fpu, DecodedInsn& d) {
  const cs_arm& a = insn.detail->arm;
  const bool fpv5 = fpu == ThumbFpu::fpv5_d16;
  const auto cls = fpv5 && is_fpv5_only(insn.id) ? std::optional<InsnClass>(InsnClass::fp_alu)
                                                 : class_of_id(insn.id);
  d.cls = cls.value_or(InsnClass::undefined);
  d.insn_id = static_cast<std::uint16_t>(insn.id);
  if (!cls) return;

  bool has_core = false, has_d = false, has_q = false, has_high_d = false, has_imm = false;
  for (int i = 0; i < a.op_count; ++i) {
    const cs_arm_op& op = a.operands[i];
    if (op.type == ARM_OP_REG) {
      has_core = has_core || core_reg(op.reg) >= 0;
      has_d = has_d || is_d_reg(op.reg);
      has_q = has_q || is_q_reg(op.reg);
      has_high_d = has_high_d || (is_d_reg(op.reg) && op.reg > ARM_REG_D15);
    } else if (op.type == ARM_OP_IMM) {
      has_imm = true;
    }
  }
  // VMOV between core and FP registers is its own class (2 cycles); VMOV imm/reg is fp_alu.
  if (insn.id == ARM_INS_VMOV && has_core) d.cls = InsnClass::fp_move;
  // FPv4-SP-D16: single precision data processing only, D0-D15 only, no Advanced SIMD (NEON).
  // Capstone's M-class mode still decodes those; on an M4 they are UsageFaults. FPv5-D16 (M7)
  // adds double-precision data processing on D0-D15.
  d.fp64 = fpv5 && is_fp_data_processing(d.cls) && has_d;
  if ((is_fp_data_processing(d.cls) && (has_q || (has_d && !fpv5))) || has_q || has_high_d) {
    d.cls = InsnClass::undefined;
    return;
  }
  // ARMv7-M has no BLX <imm> (no ARM state).
  if (insn.id == ARM_INS_BLX && has_imm) {
    d.cls = InsnClass::undefined;
    return;
  }

  // Registers written (operands marked written, implicit writes, writeback base) and the
  // registers the data address is formed from.
  for (int i = 0; i < a.op_count; ++i) {
    const cs_arm_op& op = a.operands[i];
    if (op.type == ARM_OP_REG && (op.access & CS_AC_WRITE)) d.regs_written |= bit(core_reg(op.reg));
    if (op.type == ARM_OP_MEM) {
      d.addr_regs |= bit(core_reg(op.mem.base)) | bit(core_reg(op.mem.index));
      d.reg_offset = op.mem.index != ARM_REG_INVALID;
      if (a.writeback) {
        d.regs_written |= bit(core_reg(op.mem.base));
        d.writeback = true;
      }
      d.mem_disp = op.mem.disp;
    }
  }
  for (int i = 0; i < insn.detail->regs_write_count; ++i)
    d.regs_written |= bit(core_reg(insn.detail->regs_write[i]));

  // Registers read, FP registers read/written, flags (for result-latency and pairing rules).
  for (int i = 0; i < a.op_count; ++i) {
    const cs_arm_op& op = a.operands[i];
    if (op.type == ARM_OP_REG) {
      const bool written = (op.access & CS_AC_WRITE) != 0;
      // Capstone leaves access 0 on some operands: treat an unmarked operand as read.
      const bool read = (op.access & CS_AC_READ) != 0 || op.access == 0;
      if (read) d.regs_read |= bit(core_reg(op.reg));
      if (read) d.fp_read |= fp_mask(op.reg);
      if (written) d.fp_written |= fp_mask(op.reg);
      if (op.shift.type != ARM_SFT_INVALID && op.shift.value != 0) d.shifted_operand = true;
    } else if (op.type == ARM_OP_MEM) {
      d.regs_read |= bit(core_reg(op.mem.base)) | bit(core_reg(op.mem.index));
    }
  }
  for (int i = 0; i < insn.detail->regs_read_count; ++i) {
    const unsigned r = insn.detail->regs_read[i];
    d.regs_read |= bit(core_reg(r));
    if (r == ARM_REG_CPSR || r == ARM_REG_APSR) d.reads_flags = true;
  }
  for (int i = 0; i < insn.detail->regs_write_count; ++i) {
    const unsigned r = insn.detail->regs_write[i];
    if (r == ARM_REG_CPSR || r == ARM_REG_APSR || r == ARM_REG_APSR_NZCV) d.sets_flags = true;
  }
  d.sets_flags = d.sets_flags || a.update_flags;
  d.reads_flags = d.reads_flags || (a.cc != ARM_CC_AL && a.cc != ARM_CC_INVALID);
  // The base of a load is read, the loaded destination is not (Capstone marks some as read).
  if ((d.cls == InsnClass::load || d.cls == InsnClass::load_double) && a.op_count > 0 &&
      a.operands[0].type == ARM_OP_REG && (a.operands[0].access & CS_AC_READ) == 0)
    d.regs_read &= static_cast<std::uint16_t>(~bit(core_reg(a.operands[0].reg)));
  // Loads write their destination(s) even where Capstone leaves the access flag unset.
  if ((d.cls == InsnClass::load || d.cls == InsnClass::load_double) && a.op_count > 0 &&
      a.operands[0].type == ARM_OP_REG)
    d.regs_written |= bit(core_reg(a.operands[0].reg));
  if (d.cls == InsnClass::load_double && a.op_count > 1 && a.operands[1].type == ARM_OP_REG)
    d.regs_written |= bit(core_reg(a.operands[1].reg));

  // Multiples: base register and the list (N counts PC/LR; a D register moves 2 words).
  if (is_multiple(d.cls)) {
    const bool stack = insn.id == ARM_INS_PUSH || insn.id == ARM_INS_POP ||
                       insn.id == ARM_INS_VPUSH || insn.id == ARM_INS_VPOP;
    int first = 0;
    if (stack) {
      d.addr_regs |= bit(13);
      d.regs_written |= bit(13);
    } else if (a.op_count > 0 && a.operands[0].type == ARM_OP_REG) {
      d.addr_regs |= bit(core_reg(a.operands[0].reg));
      if (a.writeback) d.regs_written |= bit(core_reg(a.operands[0].reg));
      first = 1;
    }
    unsigned words = 0;
    for (int i = first; i < a.op_count; ++i) {
      const cs_arm_op& op = a.operands[i];
      if (op.type != ARM_OP_REG) continue;
      words += is_d_reg(op.reg) ? 2 : 1;
      if (d.cls == InsnClass::load_multiple) d.regs_written |= bit(core_reg(op.reg));
    }
    d.beats = static_cast<std::uint8_t>(words);
  }

  switch (d.cls) {
    case InsnClass::load: case InsnClass::store: case InsnClass::table_branch:
      d.beats = 1;
      break;
    case InsnClass::load_double: case InsnClass::store_double:
      d.beats = 2;
      break;
    case InsnClass::fp_load: case InsnClass::fp_store:
      d.fp_double = has_d;
      d.beats = has_d ? 2 : 1;
      break;
    case InsnClass::mul_long:
      // SMULL/UMULL/SMLAL/UMLAL RdLo, RdHi, Rn, Rm: the operands of the early-termination rule.
      if (a.op_count >= 4 && a.operands[2].type == ARM_OP_REG && a.operands[3].type == ARM_OP_REG) {
        d.div_rn = static_cast<std::uint8_t>(core_reg(a.operands[2].reg) & 15);
        d.div_rm = static_cast<std::uint8_t>(core_reg(a.operands[3].reg) & 15);
      }
      d.div_signed = insn.id == ARM_INS_SMULL || insn.id == ARM_INS_SMLAL;
      break;
    case InsnClass::div:
      if (a.op_count >= 3) {
        d.div_rn = static_cast<std::uint8_t>(core_reg(a.operands[1].reg) & 15);
        d.div_rm = static_cast<std::uint8_t>(core_reg(a.operands[2].reg) & 15);
      }
      d.div_signed = insn.id == ARM_INS_SDIV;
      break;
    case InsnClass::bkpt:
      d.semihosting = a.op_count > 0 && a.operands[0].type == ARM_OP_IMM && a.operands[0].imm == 0xAB;
      break;
    default:
      break;
  }

  mark_accumulators(insn, d);
  d.shifted_constant = is_shifted_constant(insn, d);

  // Flow changes and the refill they cost when taken.
  const bool writes_pc = (d.regs_written & bit(15)) != 0;
  switch (d.cls) {
    case InsnClass::branch: case InsnClass::branch_link: d.pc_write = PcWrite::imm; break;
    case InsnClass::branch_reg: d.pc_write = PcWrite::reg; break;
    case InsnClass::table_branch: d.pc_write = PcWrite::load_pc; break;
    case InsnClass::load: case InsnClass::load_multiple:
      if (writes_pc) d.pc_write = PcWrite::load_pc;
      break;
    case InsnClass::alu:
      if (writes_pc) d.pc_write = PcWrite::reg;
      break;
    default: break;
  }
  // BL's LR write and branches' implicit PC write are not data results for the AGU rule.
  if (d.cls == InsnClass::branch || d.cls == InsnClass::branch_link ||
      d.cls == InsnClass::branch_reg)
    d.regs_written &= static_cast<std::uint16_t>(~bit(15));
}

}  // namespace

ThumbDecoder::ThumbDecoder(ThumbFpu fpu) : fpu_(fpu) {
  csh h = 0;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &h) != CS_ERR_OK)
    throw std::runtime_error("Capstone: cannot open an ARM Thumb/M-class handle");
  cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
  handle_ = h;
}

ThumbDecoder::~ThumbDecoder() {
  csh h = handle_;
  cs_close(&h);
}

std::vector<DecodedInsn> ThumbDecoder::decode(Addr addr, std::span<const std::uint8_t> code) {
  std::vector<DecodedInsn> out;
  out.reserve(code.size() / 2);
  std::size_t off = 0;
  while (off < code.size()) {
    // cs_disasm (not cs_disasm_iter) resets Capstone's IT-block state, so a block never inherits
    // the IT state of the previously decoded block. It stops at the first undecodable bytes.
    cs_insn* insns = nullptr;
    const std::size_t n =
        cs_disasm(handle_, code.data() + off, code.size() - off, addr + off, 0, &insns);
    for (std::size_t i = 0; i < n; ++i) {
      DecodedInsn d;
      d.addr = static_cast<Addr>(insns[i].address);
      d.size = static_cast<std::uint8_t>(insns[i].size);
      classify(insns[i], fpu_, d);
      out.push_back(d);
      off += insns[i].size;
    }
    if (n > 0) cs_free(insns, n);
    if (off < code.size()) {
      DecodedInsn u;  // one undecodable half-word; continue after it
      u.addr = static_cast<Addr>(addr + off);
      u.size = 2;
      u.cls = InsnClass::undefined;
      out.push_back(u);
      off += 2;
    }
  }
  return out;
}

}  // namespace mcusim::core::detail
