// RV32 CoreModel: decode a block once (table-driven RV32IMC decoder), classify, and time it
// statically with the table and the named rules of rv32_rules.h. Dynamic parts (taken branch
// refill or the E31 predictor, divider operands, counter CSR reads, memory wait states) are left
// to the run loop through BlockInfo, divide_cycles() and leave_block().
#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "mcusim/core/rv32.h"
#include "rv32_decoder.h"
#include "rv32_rules.h"

namespace mcusim::core {
namespace {

/// What leave_block needs to know about the instruction that ends a block.
struct BlockExit {
  detail::RvFlow flow = detail::RvFlow::none;
  std::uint8_t size = 4;
  bool is_call = false;
  bool is_return = false;
};

/// E31-style predictor (pipeline.branch_predictor = "bht2_ras"), deliberately small:
///  - conditional branches: a table of bht_entries 2-bit saturating counters indexed by
///    (pc >> 1) mod bht_entries, all starting weakly not-taken (1); predict taken at >= 2.
///    The target of a predicted-taken branch is assumed to hit in the BTB.
///  - JAL: always predicted (BTB hit assumed); a call (rd = x1/x5) pushes pc + size.
///  - JALR return (rd = x0, rs1 = x1/x5): pops the return-address stack; an empty stack is a
///    misprediction (the pushed address is assumed to be the actual target: the run loop does not
///    tell the model the target). Other JALR: mispredicted the first time a given JALR is seen
///    (BTB miss), predicted afterwards (constant-target calls/tail calls, e.g. auipc+jalr).
///    A JALR call also pushes.
class BranchPredictorState {
 public:
  void configure(const Rv32Pipeline& p) {
    bht_.assign(p.bht_entries, 1);
    ras_.assign(p.ras_entries, 0);
    penalty_ = p.mispredict_penalty;
  }
  std::uint32_t leave(Addr pc, const BlockExit& e, bool taken) {
    switch (e.flow) {
      case detail::RvFlow::none:
        return 0;
      case detail::RvFlow::branch: {
        std::uint8_t& c = bht_[(pc >> 1) & (bht_.size() - 1)];
        const bool predicted = c >= 2;
        if (taken && c < 3) ++c;
        if (!taken && c > 0) --c;
        return predicted == taken ? 0 : penalty_;
      }
      case detail::RvFlow::jal:
        if (e.is_call) push(pc + e.size);
        return 0;
      case detail::RvFlow::jalr: {
        std::uint32_t cost = 0;
        if (e.is_return) {
          cost = pop() ? 0 : penalty_;
        } else {
          cost = seen_jalr_.insert(pc).second ? penalty_ : 0;
        }
        if (e.is_call) push(pc + e.size);
        return cost;
      }
    }
    return 0;
  }

 private:
  void push(Addr ret) {
    if (ras_.empty()) return;
    ras_[top_ % ras_.size()] = ret;  // circular: overwrites the oldest entry when full
    ++top_;
    depth_ = std::min<std::size_t>(depth_ + 1, ras_.size());
  }
  bool pop() {
    if (depth_ == 0) return false;
    --top_;
    --depth_;
    return true;
  }
  std::vector<std::uint8_t> bht_;
  std::vector<Addr> ras_;
  std::size_t top_ = 0, depth_ = 0;
  std::unordered_set<Addr> seen_jalr_;
  std::uint32_t penalty_ = 0;
};

class Rv32Model final : public CoreModel {
 public:
  explicit Rv32Model(TimingTable table) : table_(std::move(table)) {
    if (predicts_branches()) predictor_.configure(table_.rv32);
  }

  std::string_view name() const override { return table_.core; }
  IsaFamily isa_family() const override { return IsaFamily::rv32; }
  std::string_view isa() const override { return table_.isa; }
  std::string_view unicorn_cpu() const override { return table_.unicorn_cpu; }

  BlockInfo analyze_block(Addr addr, std::span<const std::uint8_t> code) const override {
    BlockInfo b;
    std::vector<bool> multicycle;  // per instruction: a bus-idle multi-cycle one (ram_fetch)
    b.start = addr;
    b.size_bytes = static_cast<std::uint32_t>(code.size());
    detail::Scoreboard sb;
    std::uint32_t cycles = 0;
    detail::Rv32Insn prev{};
    bool have_prev = false;
    detail::Rv32Insn last{};
    std::size_t off = 0;
    while (off + 2 <= code.size()) {
      detail::Rv32Insn d = detail::decode_rv32(code.subspan(off));
      // A 32-bit instruction cut off by the end of the block: its two bytes only.
      if (off + d.size > code.size()) d.size = static_cast<std::uint8_t>(code.size() - off);
      // Without the C extension (isa "rv32im...") a 16-bit encoding is an illegal instruction;
      // without Zifencei (PicoRV32) FENCE.I is. Either is classed undefined and charged no cycles
      // (not timed as what Unicorn would execute): the run loop stops before it runs.
      const bool no_c = d.size == 2 && !table_.has_compressed();
      const bool no_fence_i = d.fence_i && !table_.has_zifencei();
      const bool illegal = no_c || no_fence_i;
      if (illegal) {
        b.illegal_insns.push_back(
            IllegalInsn{addr + static_cast<Addr>(off),
                        no_c ? IllegalInsnKind::compressed : IllegalInsnKind::fence_i});
        const auto raw = d.raw;
        const auto size = d.size;
        d = detail::Rv32Insn{};
        d.raw = raw;
        d.size = size;
      }
      const Addr pc = addr + off;
      const bool semihosting = detail::is_semihosting_ebreak(have_prev ? &prev : nullptr, d);
      std::uint32_t issue = illegal ? 0 : detail::rv32_issue_cycles(table_, d, pc, semihosting);
      // After a FENCE / FENCE.I that refetches (pipeline.fence_refetch), the next instruction is
      // fetched as a jump target (a block ending in one: BlockInfo::refetch_at_exit).
      if (table_.rv32.fence_refetch && have_prev && prev.cls == InsnClass::barrier && d.size == 4 &&
          (pc & 3u) == 2u)
        issue += table_.rv32.taken_target_straddle_extra;
      const std::uint32_t stall = sb.stall(
          d, cycles, d.flow == detail::RvFlow::jalr ? table_.rv32.jalr_rs1_extra_latency : 0);

      b.insn_addrs.push_back(pc);
      multicycle.push_back((table_.rv32.fetch_hidden_after_multicycle &&
                            (d.cls == InsnClass::shift || d.cls == InsnClass::mul ||
                             d.cls == InsnClass::mul_high || d.cls == InsnClass::div)) ||
                           (table_.rv32.fetch_hidden_after_csr && d.cls == InsnClass::csr));
      b.insn_sizes.push_back(d.size);
      b.insn_cycle_offset.push_back(cycles);
      ++b.class_counts[static_cast<std::size_t>(d.cls)];
      b.data_beats += d.data_beats;
      b.insn_data_beats.push_back(d.data_beats);
      cycles += stall;
      sb.write(d, cycles, detail::rv32_result_latency(table_, d, issue));
      cycles += issue;

      if (d.cls == InsnClass::div) b.dividers.push_back(DividerSite{pc, d.rs1, d.rs2, d.div_signed});
      if (d.cls == InsnClass::shift && !d.imm_shift &&
          table_.rv32.shift_rule == Rv32ShiftRule::serial_4_1) {
        DividerSite site{pc, d.rs1, d.rs2, false};
        site.kind = OperandSiteKind::shift;
        b.dividers.push_back(site);
      }
      if (d.cls == InsnClass::csr && d.rd != 0 && detail::is_counter_csr(d.csr))
        b.csr_reads.push_back(CsrReadSite{pc, d.rd, d.csr, d.size,
                                          static_cast<std::uint8_t>(table_.rv32.instret_read_lag)});
      b.has_semihosting_bkpt = b.has_semihosting_bkpt || semihosting;
      b.has_wfi = b.has_wfi || d.cls == InsnClass::wfi;
      prev = d;
      have_prev = true;
      last = d;
      off += d.size;
    }
    b.n_insns = static_cast<std::uint32_t>(b.insn_addrs.size());
    ram_fetch(b, multicycle, have_prev && last.flow == detail::RvFlow::jalr);
    // Unicorn ends a block after every CSR instruction and after FENCE.I (QEMU's RISC-V
    // translator exits the TB there): their effects on the next instruction cross the boundary.
    b.hides_next_fetch = !multicycle.empty() && multicycle.back();
    b.refetch_at_exit = table_.rv32.fence_refetch && have_prev && last.cls == InsnClass::barrier;
    b.static_cycles = cycles;
    if ((addr & 3u) == 2u && !b.insn_sizes.empty() && b.insn_sizes.front() == 4)
      b.taken_entry_extra = table_.rv32.taken_target_straddle_extra;
    // Only the last instruction can leave the block (a jump or branch ends a Unicorn block).
    b.taken_branch_penalty = have_prev ? detail::rv32_taken_branch_refill(table_.rv32, last) : 0;
    if (have_prev && predicts_branches())
      exits_[b.insn_addrs.back()] = BlockExit{last.flow, last.size, last.is_call, last.is_return};
    return b;
  }

  /// RAM instruction fetches of the block (BlockInfo::ram_fetch_words): one per new 32-bit word
  /// in program order; the first word of an instruction after a bus-idle multi-cycle instruction
  /// is prefetched (hidden) when fetch_hidden_after_multicycle (after a CSR instruction: when
  /// fetch_hidden_after_csr; `multicycle` marks the instructions that hide it); a block that ends at a word
  /// boundary and is left by a taken branch or jump fetches taken_end_aligned_fetch_words more
  /// (taken_end_aligned_fetch_words_jalr when `ends_in_jalr`, the block's last instruction being
  /// a JALR).
  void ram_fetch(BlockInfo& b, const std::vector<bool>& multicycle, bool ends_in_jalr) const {
    const auto& p = table_.rv32;
    std::uint32_t words = 0;
    Addr last = 1;  // never a word address
    bool hide_next = false;
    bool first_counted = false;
    for (std::size_t i = 0; i < b.insn_addrs.size(); ++i) {
      const Addr first = b.insn_addrs[i] & ~Addr{3};
      const Addr end = (b.insn_addrs[i] + b.insn_sizes[i] - 1) & ~Addr{3};
      for (Addr w = first; w <= end; w += 4) {
        if (w == last) continue;
        last = w;
        if (!(hide_next && w == first)) {
          ++words;
          if (i == 0 && w == first) first_counted = true;
        }
      }
      hide_next = multicycle[i];
    }
    b.ram_fetch_words = words;
    // Entered by fall-through at 2 mod 4: the previous block fetched the word holding the start.
    b.ram_fetch_words_fallthrough = (b.start & 3u) != 0 && words > 0 && first_counted ? words - 1 : words;
    const std::uint32_t exit_words =
        ends_in_jalr ? p.taken_end_aligned_fetch_words_jalr : p.taken_end_aligned_fetch_words;
    b.ram_fetch_words_taken_exit = ((b.start + b.size_bytes) & 3u) == 0 ? exit_words : 0;
  }

  std::uint32_t divide_cycles(std::uint32_t dividend, std::uint32_t divisor,
                              bool is_signed) const override {
    const auto& p = table_.rv32;
    return rv32_divide_cycles(p.divider_rule, dividend, divisor, is_signed, p.divide_min,
                              p.divide_max);
  }
  std::uint32_t divide_min_cycles() const override { return table_.rv32.divide_min; }
  std::uint32_t shift_extra_cycles(std::uint32_t amount_register) const override {
    if (table_.rv32.shift_rule != Rv32ShiftRule::serial_4_1) return 0;
    const std::uint32_t e = detail::serial_shift_amount_extra(amount_register);
    const std::uint32_t counted = table_.rv32.shift_register_extra;  // in static_cycles
    return e > counted ? e - counted : 0;
  }

  bool predicts_branches() const override {
    return table_.rv32.branch_predictor != Rv32Predictor::none;
  }
  std::uint32_t leave_block(const BlockInfo& block, bool taken, const BlockInfo* next = nullptr,
                            std::uint32_t* overlap = nullptr) override {
    if (!predicts_branches()) return CoreModel::leave_block(block, taken, next, overlap);
    if (overlap) *overlap = 0;
    if (block.insn_addrs.empty()) return 0;
    const auto it = exits_.find(block.insn_addrs.back());
    if (it == exits_.end()) return 0;
    return predictor_.leave(block.insn_addrs.back(), it->second, taken);
  }

 private:
  TimingTable table_;
  // Exit instruction of each analysed block, by its address (predicting cores only): filled by
  // analyze_block (logically const), read by leave_block.
  mutable std::unordered_map<Addr, BlockExit> exits_;
  BranchPredictorState predictor_;
};

}  // namespace

std::unique_ptr<CoreModel> make_rv32_model(TimingTable table) {
  if (!table.is_rv32())
    throw TimingTableError(fmt::format("{}: key 'isa': '{}' is not handled by the RV32 models",
                                       table.path.string(), table.isa));
  return std::make_unique<Rv32Model>(std::move(table));
}

}  // namespace mcusim::core
