// Cortex-M4 CoreModel: decode a block once (Capstone), classify, and time it statically with the
// table and the named rules of cortex_m4_rules.h. Dynamic parts (taken branch refill, divider
// operands, memory wait states) are left to the run loop through BlockInfo.
#include <fmt/format.h>

#include "cortex_m4_rules.h"
#include "mcusim/core/cortex_m4.h"
#include "thumb_decoder.h"

namespace mcusim::core {
namespace {

class CortexM4Model final : public CoreModel {
 public:
  explicit CortexM4Model(TimingTable table) : table_(std::move(table)) {}

  std::string_view name() const override { return "cortex-m4"; }

  BlockInfo analyze_block(Addr addr, std::span<const std::uint8_t> code) const override {
    const Addr start = addr & ~Addr{1};
    const auto insns = decoder_.decode(start, code);

    BlockInfo b;
    b.start = start;
    b.size_bytes = static_cast<std::uint32_t>(code.size());
    b.n_insns = static_cast<std::uint32_t>(insns.size());
    b.insn_addrs.reserve(insns.size());
    b.insn_sizes.reserve(insns.size());
    b.insn_cycle_offset.reserve(insns.size());

    std::uint32_t cycles = 0;
    const detail::DecodedInsn* prev = nullptr;
    for (const auto& d : insns) {
      b.insn_addrs.push_back(d.addr);
      b.insn_sizes.push_back(d.size);
      b.insn_cycle_offset.push_back(cycles);
      ++b.class_counts[static_cast<std::size_t>(d.cls)];
      b.data_beats += d.beats;
      b.insn_data_beats.push_back(static_cast<std::uint8_t>(d.beats));
      cycles += detail::static_cycles_in_block(table_, prev, d);
      if (d.cls == InsnClass::div)
        b.dividers.push_back(DividerSite{d.addr, d.div_rn, d.div_rm, d.div_signed});
      b.has_semihosting_bkpt = b.has_semihosting_bkpt || d.semihosting;
      b.has_wfi = b.has_wfi || d.cls == InsnClass::wfi;
      prev = &d;
    }
    b.static_cycles = cycles;
    // Only the last instruction can leave the block; a PC write in the middle would have ended it.
    b.taken_branch_penalty = insns.empty() ? 0 : detail::taken_branch_refill(table_, insns.back());
    return b;
  }

  std::uint32_t divide_cycles(std::uint32_t dividend, std::uint32_t divisor,
                              bool is_signed) const override {
    return divide_cycles_early_termination(dividend, divisor, is_signed,
                                           table_.pipeline.divide_min, table_.pipeline.divide_max);
  }

  IsaFamily isa_family() const override { return IsaFamily::arm_m; }
  std::string_view unicorn_cpu() const override { return table_.unicorn_cpu; }

  std::uint32_t divide_min_cycles() const override { return table_.pipeline.divide_min; }

 private:
  TimingTable table_;
  // Capstone handle and scratch state: analyze_block is logically const but not thread-safe.
  mutable detail::ThumbDecoder decoder_;
};

}  // namespace

std::unique_ptr<CoreModel> make_cortex_m4_model(TimingTable table) {
  const std::string origin = table.path.string();
  if (table.core != "cortex-m4")
    throw TimingTableError(fmt::format("{}: key 'core': '{}' is not handled by the Cortex-M4 model",
                                       origin, table.core));
  const auto& div = table.classes[static_cast<std::size_t>(InsnClass::div)];
  if (div.cycles != table.pipeline.divide_min)
    throw TimingTableError(fmt::format(
        "{}: key 'classes.div.cycles': {} must equal pipeline.divide_min.value ({})", origin,
        div.cycles, table.pipeline.divide_min));
  return std::make_unique<CortexM4Model>(std::move(table));
}

}  // namespace mcusim::core
