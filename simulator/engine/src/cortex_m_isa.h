// The Cortex-M system model (issue 12): the SCS (SysTick, NVIC, SCB, FPU control, DWT CYCCNT) as a
// device on the bus, exception entry and return with tail-chaining and lazy FP stacking, SVC,
// WFI sleep, BKPT #0xAB semihosting and the vector-table reset. The NVIC/SysTick/SCB state
// itself is CortexMSystem (cortex_m_system.h); this class moves frames and registers.
#pragma once
#include <map>
#include <vector>

#include "cortex_m_system.h"
#include "isa_system.h"

namespace mcusim {

/// Cortex-M behaviour behind IsaSystem. Architecture references: ARMv7-M ARM (DDI 0403E) B1.5
/// (exception model), B3.2 (SCS), C1.8 (DWT); ARMv6-M ARM (DDI 0419) and ARMv8-M ARM (DDI 0553)
/// where they differ (CortexMConfig::profile). Costs from core-models/data/exceptions.toml.
class CortexMIsaSystem final : public IsaSystem {
 public:
  /// `config` and `costs` from load_exception_table; CPUID reads `cpuid`.
  CortexMIsaSystem(SystemHost& host, const CortexMConfig& config, const ExceptionCosts& costs);

  ResetState reset(const ElfImage& image) override;
  std::optional<ControlSpace> control_space() override;
  const char* region_name(Addr a) const override;
  Addr entry_address(Addr pc) const override { return pc | 1; }
  unsigned link_register() const override { return 14; }  // LR
  unsigned external_irqs() const override { return sys_.config().external_irqs; }
  void declare_level_irq(unsigned irq) override;
  void set_irq(int irq, bool level, Cycles now, const std::string& who) override;
  Cycles next_event(Cycles now) override { return sys_.next_event(now); }
  bool at_boundary(Addr a) override;
  void on_trap(seam::Trap kind, std::uint32_t number) override;
  bool on_invalid_instruction(Addr) override { return false; }
  bool on_fetch_fault(Addr a) override;
  Outcome after_slice(const seam::SliceEnd& end, Addr& resume) override;
  bool may_select_stack(const std::vector<std::uint8_t>& code) const override;
  bool on_process_stack() const override;
  bool is_self_branch(const std::vector<std::uint8_t>& code) const override;
  /// ARMv7-M ARM A3.2.1: LDRD/STRD, LDM/STM (PUSH/POP), LDREX/STREX (word), LDREXH/STREXH
  /// (halfword), VLDR/VSTR/VLDM/VSTM (VPUSH/VPOP) always fault when unaligned; on ARMv6-M every
  /// access must be naturally aligned (ARMv6-M ARM A3.2). Blocks with an IT instruction are not
  /// checked (a skipped conditional access would shift the attribution).
  std::vector<std::uint8_t> alignment_needs(const core::BlockInfo& info,
                                            const std::vector<std::uint8_t>& code) const override;
  std::string why_stuck(Addr at) override;
  bool interrupts_disabled() const override;
  std::array<std::uint32_t, 16> spin_state() const override;
  std::optional<std::uint32_t> counter_value(std::uint16_t, Cycles, std::uint64_t) const override {
    return std::nullopt;
  }

  /// SCS register read/write at `offset` from 0xE0000000 (the bus device forwards here), at the
  /// issue cycle `now` of the accessing instruction.
  std::uint32_t scs_read(Addr offset, unsigned size, Cycles now);
  void scs_write(Addr offset, unsigned size, std::uint32_t value, Cycles now);

  /// The NVIC/SysTick/SCB state (tests look at it).
  CortexMSystem& state() { return sys_; }
  /// PRIMASK, FAULTMASK and BASEPRI as the core has them now.
  PriorityMasks masks() const;
  /// Exception entry (B1.5.6): stacks the frame, sets LR = EXC_RETURN, IPSR, the mode and the
  /// stack; `start` = the handler. False after a stop (unusable vector, frame not in SRAM).
  bool enter_exception(int exc, Addr return_addr, Addr& start);
  /// Exception return (B1.5.8) with EXC_RETURN `exc_return`: tail-chains or unstacks; `start` =
  /// where execution resumes. False after a stop.
  bool return_from_exception(Addr exc_return, Addr& start);

 private:
  enum class Action { none, take, exc_return };
  void set_core_mode(std::uint32_t xpsr, std::uint32_t control, std::uint32_t msp, std::uint32_t psp);
  bool vector_of(int exc, Addr& start);
  bool sleep_in_wfi();
  std::uint32_t reg(seam::Reg r) const { return host_.cpu().reg(r); }
  void set_reg(seam::Reg r, std::uint32_t v) { host_.cpu().set_reg(r, v); }

  SystemHost& host_;
  CortexMSystem sys_;
  ExceptionCosts costs_;
  std::map<Addr, std::uint32_t> scs_regs_;  // SCS words without a model: read back as written
  std::int64_t cyccnt_offset_ = 0;
  bool cyccnt_enabled_ = false;
  std::uint32_t cyccnt_frozen_ = 0;
  std::vector<std::uint8_t> irq_level_;  // per line: 2 = level-sensitive (SoC line), | 1 = high
  Action action_ = Action::none;
  int action_exc_ = 0;     // take: the exception
  Addr action_addr_ = 0;  // take: the return address; exc_return: the EXC_RETURN value
};

}  // namespace mcusim
