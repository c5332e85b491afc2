#include "cortex_m_scoreboard.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <array>
#include <bit>

#include "cortex_m4_rules.h"

namespace mcusim::core::detail {
namespace {

const ClassTiming& entry(const TimingTable& t, InsnClass c) {
  return t.classes[static_cast<std::size_t>(c)];
}
std::uint32_t class_latency(const TimingTable& t, InsnClass c) {
  const ClassTiming& e = entry(t, c);
  return e.latency.value_or(e.cycles);
}

bool is_fp_data_processing(InsnClass c) {
  return c == InsnClass::fp_alu || c == InsnClass::fp_mac || c == InsnClass::fp_div_sqrt;
}
bool is_store(InsnClass c) {
  return c == InsnClass::store || c == InsnClass::store_double || c == InsnClass::store_multiple;
}
bool is_arithmetic(InsnClass c) {
  return c == InsnClass::alu || c == InsnClass::mul || c == InsnClass::mul_long ||
         c == InsnClass::dsp || c == InsnClass::div;
}
bool is_load_store(InsnClass c) {
  return c == InsnClass::load || c == InsnClass::store || c == InsnClass::load_multiple ||
         c == InsnClass::store_multiple || c == InsnClass::load_double ||
         c == InsnClass::store_double;
}

// Ready cycles of the architectural state the scoreboard tracks.
struct Scoreboard {
  std::array<std::uint32_t, 16> ready{};        // core registers, ordinary consumers
  std::array<std::uint32_t, 16> acc_ready{};    // core registers read as a MAC accumulator
  std::array<std::uint32_t, 16> store_ready{};  // core registers read as store data
  std::array<std::uint32_t, 32> fp_ready{};     // S registers
  std::array<std::uint32_t, 32> fp_acc_ready{};
  std::uint32_t flags_ready = 0;
  std::uint32_t fp_issue_free = 0;  // first cycle an FP data-processing op may issue

  template <std::size_t N, class Mask>
  static std::uint32_t latest(const std::array<std::uint32_t, N>& a, Mask m) {
    std::uint32_t t = 0;
    for (std::size_t r = 0; r < N; ++r)
      if ((m >> r) & 1u) t = std::max(t, a[r]);
    return t;
  }

  // Earliest cycle `d` may issue as far as its operands are concerned.
  std::uint32_t operands_ready(const DecodedInsn& d) const {
    const std::uint16_t acc = d.acc_regs;
    const auto data =
        static_cast<std::uint16_t>(is_store(d.cls) ? d.regs_read & ~d.addr_regs & ~acc : 0);
    const auto early = static_cast<std::uint16_t>(d.regs_read & ~acc & ~data);
    std::uint32_t t = std::max(latest(ready, early), latest(acc_ready, acc));
    t = std::max(t, latest(store_ready, data));
    t = std::max(t, latest(fp_ready, d.fp_read & ~d.fp_acc));
    t = std::max(t, latest(fp_acc_ready, d.fp_acc));
    if (d.reads_flags) t = std::max(t, flags_ready);
    if (is_fp_data_processing(d.cls)) t = std::max(t, fp_issue_free);
    return t;
  }

  // Records the results of `d`, issued at `issue` and holding the issue slot `occupancy` cycles.
  void retire(const TimingTable& t, const DecodedInsn& d, std::uint32_t issue,
              std::uint32_t occupancy) {
    const ScoreboardTiming& sb = *t.pipeline.scoreboard;
    const std::uint32_t lat = result_latency(t, d);
    const std::uint32_t acc_lat = late_operand_latency(t, d, false, false);
    const std::uint32_t store_lat = late_operand_latency(t, d, false, true);
    for (int r = 0; r < 16; ++r) {
      if (((d.regs_written >> r) & 1u) == 0) continue;
      ready[r] = issue + lat;
      // Accumulator and store-data consumers take the result from the late bypass.
      acc_ready[r] = issue + acc_lat;
      store_ready[r] = issue + store_lat;
    }
    const std::uint32_t fp_late = late_operand_latency(t, d, true, false);
    for (int r = 0; r < 32; ++r) {
      if (((d.fp_written >> r) & 1u) == 0) continue;
      fp_ready[r] = issue + lat;
      fp_acc_ready[r] = issue + fp_late;
    }
    if (d.sets_flags)
      flags_ready = issue + (d.shifted_operand ? sb.shifted_operand_latency : occupancy);
    if (d.cls == InsnClass::fp_mac) fp_issue_free = issue + 1 + sb.fp_mac_fp_issue_block;
  }
};

}  // namespace

std::uint32_t scoreboard_issue_cycles(const TimingTable& t, const DecodedInsn& d) {
  const std::uint32_t base = issue_cycles(t, d);
  const bool muls_n = d.insn_id == ARM_INS_MUL && d.size == 2;  // MULS.N always sets flags
  const bool shifted_const_s = d.shifted_constant && d.sets_flags && d.insn_id != ARM_INS_MOV;
  return base +
         (muls_n || shifted_const_s ? t.pipeline.scoreboard->two_stage_flag_setting_extra : 0);
}

std::uint32_t result_latency(const TimingTable& t, const DecodedInsn& d) {
  switch (d.cls) {
    case InsnClass::alu:
      return d.shifted_operand || d.shifted_constant
                 ? std::max(class_latency(t, d.cls), t.pipeline.scoreboard->shifted_operand_latency)
                 : class_latency(t, d.cls);
    case InsnClass::load_double:
    case InsnClass::load_multiple: {
      const std::uint32_t beyond =
          class_latency(t, InsnClass::load) -
          std::min(class_latency(t, InsnClass::load), entry(t, InsnClass::load).cycles);
      return issue_cycles(t, d) + beyond;
    }
    case InsnClass::fp_load_multiple: {
      const std::uint32_t beyond =
          class_latency(t, InsnClass::fp_load) -
          std::min(class_latency(t, InsnClass::fp_load), entry(t, InsnClass::fp_load).cycles);
      return issue_cycles(t, d) + beyond;
    }
    default:
      return std::max(class_latency(t, d.cls), 1u);
  }
}

std::uint32_t late_operand_latency(const TimingTable& t, const DecodedInsn& producer, bool fp,
                                   bool store_data) {
  const ScoreboardTiming& sb = *t.pipeline.scoreboard;
  const std::uint32_t lat = result_latency(t, producer);
  if (fp) return std::min(lat, sb.fp_accumulator_latency);
  return std::min(lat, store_data ? sb.store_data_latency : sb.accumulator_latency);
}

bool dual_issues(const TimingTable& t, const DecodedInsn& first, const DecodedInsn& second) {
  if (t.pipeline.scoreboard->dual_issue != DualIssueRule::m33_16bit) return false;
  if (first.size != 2 || second.size != 2 || first.pc_write != PcWrite::none) return false;
  if (second.cls == InsnClass::it) return true;  // "it can dual issue with preceding instruction"
  if (second.insn_id == ARM_INS_B) return true;  // 16-bit B / B<cond> from slot 1
  if (second.cls == InsnClass::nop && second.insn_id == ARM_INS_NOP)
    return is_arithmetic(first.cls) || is_load_store(first.cls);
  return false;
}

BlockSchedule schedule_block(const TimingTable& t, std::span<const DecodedInsn> insns) {
  BlockSchedule s;
  s.issue_cycle.reserve(insns.size());
  s.dual_issued.reserve(insns.size());
  Scoreboard sb;
  std::uint32_t slot_free = 0;  // first cycle the issue slot is free
  std::uint32_t prev_issue = 0;
  const DecodedInsn* prev = nullptr;
  bool prev_was_second = false;
  for (const auto& d : insns) {
    const std::uint32_t occupancy = scoreboard_issue_cycles(t, d);
    const bool pair = prev != nullptr && !prev_was_second && dual_issues(t, *prev, d);
    // The second of a pair issues with the first: it costs no issue cycle, and a conditional
    // branch reads the flags its partner sets (jnk0le: "not taken branch can dual issue even
    // when preceded with flag generating instruction").
    const std::uint32_t issue = pair ? prev_issue : std::max(slot_free, sb.operands_ready(d));
    if (!pair) slot_free = issue + occupancy;
    s.issue_cycle.push_back(issue);
    s.dual_issued.push_back(pair);
    sb.retire(t, d, issue, occupancy);
    prev_was_second = pair;
    prev_issue = issue;
    prev = &d;
  }
  s.total_cycles = slot_free;
  if (!insns.empty()) {
    const DecodedInsn& last = insns.back();
    s.taken_branch_penalty = taken_branch_refill(t, last);
    // A dual-issued branch costs 0 not taken and its refill when taken (1 cycle in all), except
    // behind a flag-setting partner: then the taken branch loses the pairing and pays its own
    // issue cycle too (jnk0le: taken 2 cycles, 1 when "preceded by 16 bit instruction that
    // doesn't generate condition flags").
    const std::size_t n = insns.size();
    if (n >= 2 && s.dual_issued.back() && last.pc_write == PcWrite::imm && insns[n - 2].sets_flags)
      s.taken_branch_penalty += entry(t, last.cls).cycles;
  }
  return s;
}

}  // namespace mcusim::core::detail
