// The Cortex-M family CoreModel (M0+, M3, M4, M33): decode a block once (Capstone), classify,
// drop what the core's architecture lacks, and time it statically with the table and the named
// rules of cortex_m4_rules.h (M0+/M3/M4) or the scoreboard of cortex_m_scoreboard.h (M33, when
// the table sets pipeline.scoreboard). Dynamic parts (taken branch refill, divider and M3
// long-multiply operands, memory wait states) are left to the run loop through BlockInfo.
#include <fmt/format.h>

#include "cortex_m4_rules.h"
#include "cortex_m_scoreboard.h"
#include "mcusim/core/cortex_m.h"
#include "mcusim/core/cortex_m4.h"
#include "thumb_decoder.h"

namespace mcusim::core {
namespace {

class CortexMModel final : public CoreModel {
 public:
  explicit CortexMModel(TimingTable table) : table_(std::move(table)) {}

  std::string_view name() const override { return table_.core; }

  BlockInfo analyze_block(Addr addr, std::span<const std::uint8_t> code) const override {
    const Addr start = addr & ~Addr{1};
    auto insns = decoder_.decode(start, code);
    for (auto& d : insns)
      if (detail::undefined_on_isa(table_.isa, d)) d = undefined_like(d);

    BlockInfo b;
    b.start = start;
    b.size_bytes = static_cast<std::uint32_t>(code.size());
    b.n_insns = static_cast<std::uint32_t>(insns.size());
    b.insn_addrs.reserve(insns.size());
    b.insn_sizes.reserve(insns.size());
    b.insn_cycle_offset.reserve(insns.size());

    std::uint32_t cycles = 0;
    std::uint32_t access = 0;  // data accesses (beats) before `d`
    bool has_it = false;
    const detail::DecodedInsn* prev = nullptr;
    for (const auto& d : insns) {
      b.insn_addrs.push_back(d.addr);
      b.insn_sizes.push_back(d.size);
      b.insn_cycle_offset.push_back(cycles);
      ++b.class_counts[static_cast<std::size_t>(d.cls)];
      b.data_beats += d.beats;
      b.insn_data_beats.push_back(static_cast<std::uint8_t>(d.beats));
      // detail::static_cycles_in_block, with the load-pipelining saving kept apart: an access
      // that got it is marked for the run loop's same-memory check (M4: jnk0le, "load
      // pipelining happens only when targeting the same memory block").
      const std::uint32_t issue = detail::issue_cycles(table_, d);
      const std::uint32_t saving = detail::load_pipelining_saving(table_, prev, d, issue);
      cycles += issue - saving - detail::it_folding_saving(table_, prev, d, issue) +
                detail::agu_stall(table_, prev, d);
      if (saving > 0 && table_.pipeline.load_pipelining_same_memory && access < 64) {
        b.pipelined_accesses |= std::uint64_t{1} << access;
        b.pipelined_access_saving = saving;
      }
      access += d.beats;
      has_it = has_it || d.cls == InsnClass::it;
      if (d.cls == InsnClass::div)
        b.dividers.push_back(DividerSite{d.addr, d.div_rn, d.div_rm, d.div_signed});
      if (detail::is_multiply_long_site(table_, d)) {
        // SMLAL/UMLAL read RdLo:RdHi as their accumulator.
        b.dividers.push_back(DividerSite{d.addr, d.div_rn, d.div_rm, d.div_signed,
                                         OperandSiteKind::multiply_long, d.acc_regs != 0});
      }
      b.has_semihosting_bkpt = b.has_semihosting_bkpt || d.semihosting;
      b.has_wfi = b.has_wfi || d.cls == InsnClass::wfi;
      prev = &d;
    }
    b.static_cycles = cycles;
    if (has_it) b.pipelined_accesses = 0;  // an IT-skipped access would shift the access count
    // Only the last instruction can leave the block; a PC write in the middle would have ended it.
    b.taken_branch_penalty = insns.empty() ? 0 : detail::taken_branch_refill(table_, insns.back());
    // A block entered by a taken branch whose first instruction is 32-bit at 2 mod 4 straddles
    // two fetch words: its refill takes one more fetch (pipeline.branch_target_straddle_extra).
    b.taken_entry_extra = detail::branch_target_straddle_extra(table_, insns.empty() ? nullptr : &insns.front());
    if (table_.pipeline.scoreboard) {
      // M33: the scoreboard replaces the M3/M4 pairwise rules for the whole block.
      const auto s = detail::schedule_block(table_, insns);
      b.insn_cycle_offset = s.issue_cycle;
      b.static_cycles = s.total_cycles;
      b.taken_branch_penalty = s.taken_branch_penalty;
      b.pipelined_accesses = 0;
    }
    return b;
  }

  std::uint32_t divide_cycles(std::uint32_t dividend, std::uint32_t divisor,
                              bool is_signed) const override {
    return divide_cycles_early_termination(dividend, divisor, is_signed, table_.pipeline.divide_min,
                                           table_.pipeline.divide_max);
  }
  std::uint32_t divide_min_cycles() const override { return table_.pipeline.divide_min; }

  std::uint32_t multiply_long_cycles(std::uint32_t rn_value, std::uint32_t rm_value, bool is_signed,
                                     bool accumulate) const override {
    if (table_.pipeline.multiply_long_rule == MultiplyLongRule::constant)
      return multiply_long_min_cycles();
    return multiply_long_cycles_early_termination(rn_value, rm_value, is_signed, accumulate,
                                                  table_.pipeline.multiply_long_min,
                                                  table_.pipeline.multiply_long_max);
  }
  std::uint32_t multiply_long_min_cycles() const override {
    return table_.classes[static_cast<std::size_t>(InsnClass::mul_long)].cycles;
  }

  // TRM "Load/store timings": the bus interface splits a misaligned halfword into two bytes, a
  // word at 2 mod 4 into two halfwords and a word at an odd address into a byte, a halfword and a
  // byte; each part beyond the first costs pipeline.unaligned_part_extra.
  std::uint32_t unaligned_access_cycles(Addr addr, std::uint32_t bytes) const override {
    std::uint32_t extra_parts = 0;
    if (bytes == 2)
      extra_parts = addr & 1u;
    else if (bytes == 4)
      extra_parts = (addr & 1u) ? 2u : ((addr & 2u) ? 1u : 0u);
    return extra_parts * table_.pipeline.unaligned_part_extra;
  }

  IsaFamily isa_family() const override { return IsaFamily::arm_m; }
  std::string_view isa() const override { return table_.isa; }
  std::string_view unicorn_cpu() const override { return table_.unicorn_cpu; }

 private:
  // An instruction the core does not implement: one `undefined` issue slot, as the decoder
  // records undecodable bytes (Unicorn's CPU model raises the fault when it runs).
  static detail::DecodedInsn undefined_like(const detail::DecodedInsn& d) {
    detail::DecodedInsn u;
    u.addr = d.addr;
    u.size = d.size;
    u.cls = InsnClass::undefined;
    u.insn_id = d.insn_id;
    return u;
  }

  TimingTable table_;
  // Capstone handle and scratch state: analyze_block is logically const but not thread-safe.
  mutable detail::ThumbDecoder decoder_;
};

}  // namespace

std::unique_ptr<CoreModel> make_cortex_m_model(TimingTable table) {
  const std::string origin = table.path.string();
  if (table.is_rv32())
    throw TimingTableError(
        fmt::format("{}: key 'isa': '{}' is not an Arm M-profile ISA (Cortex-M family model)",
                    origin, table.isa));
  const auto& div = table.classes[static_cast<std::size_t>(InsnClass::div)];
  if (div.cycles != table.pipeline.divide_min)
    throw TimingTableError(
        fmt::format("{}: key 'classes.div.cycles': {} must equal pipeline.divide_min.value ({})",
                    origin, div.cycles, table.pipeline.divide_min));
  return std::make_unique<CortexMModel>(std::move(table));
}

std::unique_ptr<CoreModel> make_cortex_m4_model(TimingTable table) {
  if (table.core != "cortex-m4")
    throw TimingTableError(fmt::format("{}: key 'core': '{}' is not handled by the Cortex-M4 model",
                                       table.path.string(), table.core));
  return make_cortex_m_model(std::move(table));
}

}  // namespace mcusim::core
