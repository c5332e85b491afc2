#include "rv32_rules.h"

#include <algorithm>
#include <bit>

namespace mcusim::core::detail {

bool is_semihosting_ebreak(const Rv32Insn* prev, const Rv32Insn& cur) {
  constexpr std::uint32_t kSlliX0X0_31 = 0x01f0'1013u;  // slli x0, x0, 0x1f
  return cur.cls == InsnClass::bkpt && prev != nullptr && prev->raw == kSlliX0X0_31;
}

std::uint32_t serial_shift_extra(const Rv32Pipeline& p, const Rv32Insn& d) {
  if (p.shift_rule != Rv32ShiftRule::serial_4_1 || d.cls != InsnClass::shift) return 0;
  // A register amount is known only at run time: the block counts shift_register_extra and the
  // run loop adds serial_shift_amount_extra() of the actual amount (shift site).
  if (!d.imm_shift) return p.shift_register_extra;
  return serial_shift_amount_extra(d.shamt);
}

std::uint32_t serial_shift_amount_extra(std::uint32_t shamt) {
  shamt &= 31u;
  return shamt / 4u + shamt % 4u;
}

std::uint32_t fetch_straddle_extra(const Rv32Pipeline& p, const Rv32Insn& d, Addr addr) {
  return d.size == 4 && (addr & 3u) == 2u ? p.fetch_straddle_extra : 0;
}

std::uint32_t rv32_issue_cycles(const TimingTable& t, const Rv32Insn& d, Addr addr,
                                bool semihosting) {
  const Rv32Pipeline& p = t.rv32;
  std::uint32_t c = t.classes[static_cast<std::size_t>(d.cls)].cycles;
  if (d.cls == InsnClass::div) c = p.divide_min;  // the run loop adds divide_cycles() - min
  if (semihosting) c = p.semihosting_bkpt_cycles;
  c += serial_shift_extra(p, d);
  if (d.reads_rs2) c += p.rs2_read_extra;
  if (d.fence_i) c += p.fence_i_extra;
  c += fetch_straddle_extra(p, d, addr);
  if (d.flow == RvFlow::jalr && d.writes_rd && d.rd != 0 && d.rd == d.rs1)
    c += p.jalr_rd_is_rs1_extra;
  if (d.cls == InsnClass::csr && p.csr_stall_extra != 0 &&
      std::find(p.csr_stall_list.begin(), p.csr_stall_list.end(), d.csr) != p.csr_stall_list.end())
    c += p.csr_stall_extra;
  return c;
}

std::uint32_t rv32_result_latency(const TimingTable& t, const Rv32Insn& d, std::uint32_t issue) {
  const auto& e = t.classes[static_cast<std::size_t>(d.cls)];
  std::uint32_t lat = e.latency.value_or(issue);
  if (d.load_subword) lat += t.rv32.load_subword_extra_latency;
  return std::max(lat, issue);  // never available before the instruction has finished issuing
}

std::uint32_t Scoreboard::stall(const Rv32Insn& d, std::uint32_t now,
                                std::uint32_t extra_latency) const {
  std::uint32_t ready_at = now;
  // ready[x] = 0: not written in this block (assumed ready), no extra latency either.
  auto at = [&](std::uint8_t r) { return ready[r] == 0 ? 0 : ready[r] + extra_latency; };
  if (d.reads_rs1 && d.rs1 != 0) ready_at = std::max(ready_at, at(d.rs1));
  if (d.reads_rs2 && d.rs2 != 0) ready_at = std::max(ready_at, at(d.rs2));
  return ready_at - now;
}

void Scoreboard::write(const Rv32Insn& d, std::uint32_t issue_at, std::uint32_t latency) {
  if (d.writes_rd) ready[d.rd] = issue_at + latency;
}

std::uint32_t rv32_taken_branch_refill(const Rv32Pipeline& p, const Rv32Insn& last) {
  switch (last.flow) {
    case RvFlow::branch: return p.branch_taken_extra;
    case RvFlow::jal: return p.jal_extra;
    case RvFlow::jalr: return p.jalr_extra;
    case RvFlow::none: return 0;
  }
  return 0;
}

}  // namespace mcusim::core::detail

namespace mcusim::core {

std::uint32_t rv32_divide_cycles(Rv32DividerRule rule, std::uint32_t dividend,
                                 std::uint32_t divisor, bool is_signed, std::uint32_t min_cycles,
                                 std::uint32_t max_cycles) {
  max_cycles = std::max(min_cycles, max_cycles);
  switch (rule) {
    case Rv32DividerRule::constant:
      return max_cycles;
    case Rv32DividerRule::zero_shortcut:
      return divisor == 0 ? min_cycles : max_cycles;
    case Rv32DividerRule::early_out: {
      if (dividend == 0) return min_cycles;
      if (divisor == 0) return max_cycles;
      std::uint32_t n = dividend, m = divisor;
      if (is_signed) {
        if (static_cast<std::int32_t>(n) < 0) n = 0u - n;  // INT_MIN stays 0x8000_0000
        if (static_cast<std::int32_t>(m) < 0) m = 0u - m;
      }
      const int msb_n = 31 - std::countl_zero(n), msb_m = 31 - std::countl_zero(m);
      const int qbits = std::max(0, msb_n - msb_m + 1);
      return std::clamp(min_cycles + static_cast<std::uint32_t>(qbits), min_cycles, max_cycles);
    }
    case Rv32DividerRule::divisor_leading_zeros: {
      if (divisor == 0) return std::min(min_cycles + 32u, max_cycles);
      std::uint32_t shift = 0;
      if (is_signed && static_cast<std::int32_t>(divisor) < 0) {
        // The magnitude's leading zeros minus 1 (the sign bit of the magnitude is skipped). For
        // INT_MIN the RTL's 6-bit count wraps (63); the clamp to max_cycles keeps it bounded.
        const std::uint32_t z = static_cast<std::uint32_t>(std::countl_zero(0u - divisor));
        shift = z == 0 ? 63u : z - 1u;
      } else {
        shift = static_cast<std::uint32_t>(std::countl_zero(divisor));
      }
      return std::clamp(min_cycles + shift, min_cycles, max_cycles);
    }
  }
  return max_cycles;
}

}  // namespace mcusim::core
