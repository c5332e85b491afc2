// The RV32 system model (issue 12): reset at the board's reset PC, the counter CSRs
// (cycle/instret and their machine-mode and high-half aliases) read from the modelled counts,
// EBREAK as semihosting (the RISC-V semihosting sequence) or as the end of the run, ECALL and
// other traps reported as not modelled. No interrupt controller is modelled (docs/limits-and-errors.md).
#pragma once
#include "isa_system.h"

namespace mcusim {

/// RV32 behaviour behind IsaSystem. Counter CSR numbers from the RISC-V privileged spec 2.12
/// (mcycle 0xB00, minstret 0xB02, cycle 0xC00, instret 0xC02; +0x80 = the high 32 bits); the
/// semihosting sequence from the RISC-V semihosting spec (slli x0,x0,0x1f; ebreak; srai x0,x0,7).
class Rv32System final : public IsaSystem {
 public:
  explicit Rv32System(SystemHost& host) : host_(host) {}
  ResetState reset(const ElfImage& image) override;
  std::optional<ControlSpace> control_space() override { return std::nullopt; }
  const char* region_name(Addr) const override { return nullptr; }
  Addr entry_address(Addr pc) const override { return pc; }
  unsigned link_register() const override { return 1; }  // ra = x1
  unsigned external_irqs() const override { return 0; }
  void declare_level_irq(unsigned) override {}
  void set_irq(int irq, bool level, Cycles now, const std::string& who) override;
  Cycles next_event(Cycles) override { return kNever; }
  bool at_boundary(Addr) override;
  void on_trap(seam::Trap kind, std::uint32_t number) override;
  bool on_invalid_instruction(Addr pc) override { return is_ebreak(pc); }
  bool on_fetch_fault(Addr) override { return false; }
  Outcome after_slice(const seam::SliceEnd& end, Addr& resume) override;
  bool may_select_stack(const std::vector<std::uint8_t>& code) const override;
  bool on_process_stack() const override;
  bool is_self_branch(const std::vector<std::uint8_t>& code) const override;
  /// None: the modelled RV32 cores (Ibex, PicoRV32 with its misaligned handling, E31) split
  /// misaligned accesses in hardware or trap them as Unicorn does.
  std::vector<std::uint8_t> alignment_needs(const core::BlockInfo&, const std::vector<std::uint8_t>&) const override {
    return {};
  }
  std::string why_stuck(Addr at) override;
  bool interrupts_disabled() const override;
  std::array<std::uint32_t, 16> spin_state() const override;
  std::optional<std::uint32_t> counter_value(std::uint16_t csr, Cycles cycle, std::uint64_t retired) const override;

  /// The instruction at `at` is an EBREAK (32-bit 0x00100073 or compressed 0x9002).
  bool is_ebreak(Addr at) const;

 private:
  SystemHost& host_;
};

}  // namespace mcusim
