#include "cortex_m4_rules.h"

#include <algorithm>
#include <bit>

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

}  // namespace

std::uint32_t issue_cycles(const TimingTable& t, const DecodedInsn& d) {
  const ClassTiming& e = entry(t, d.cls);
  switch (d.cls) {
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
  // The TRM's 2-cycle access becomes 1; an STR imm, already 1 cycle (its data phase overlaps
  // the next instruction), stays 1: "LDR R0,[R1,R2]; STR R0,[R3,#20]" is 3 cycles in total.
  return cur_issue > 1 ? 1 : 0;
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
// The M4 TRM gives the same 2-12 range; that the M4 divider matches the M3 measurements is an
// assumption (not confirmed). The result is clamped to the table's [divide_min, divide_max].
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
