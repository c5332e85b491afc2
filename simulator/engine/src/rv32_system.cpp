// The RV32 system model (rv32_system.h).
#include "rv32_system.h"

#include <fmt/format.h>

#include <algorithm>

#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"

namespace mcusim {
namespace {
// RISC-V semihosting sequence (RISC-V semihosting spec): slli x0,x0,0x1f; ebreak; srai x0,x0,7.
constexpr std::uint32_t kRvSlliX0 = 0x01f01013, kRvEbreak = 0x00100073, kRvSraiX0 = 0x40705013;
constexpr std::uint16_t kRvCEbreak = 0x9002;
constexpr std::uint32_t kMstatusMie = 1u << 3;  // mstatus.MIE, privileged spec 3.1.6.1
}  // namespace

ResetState Rv32System::reset(const ElfImage& image) {
  // Execution starts at the board's reset PC (or the ELF entry); the startup code sets sp. The
  // stack is measured below the top of the highest SRAM region.
  const BoardConfig& board = host_.board_config();
  ResetState r;
  r.pc = board.reset_pc.value_or(image.entry);
  if (!host_.in_memory(r.pc, 2, false))
    throw InputError(fmt::format("{}: reset PC 0x{:08x} is outside the memory of board {} ({})", image.path.string(),
                                 r.pc, board.name, memory_map_text(board)));
  for (auto& s : board.sram) r.sp = std::max<Addr>(r.sp, s.base + s.size_bytes);
  return r;
}

void Rv32System::set_irq(int irq, bool level, Cycles now, const std::string& who) {
  if (!level) return;
  host_.request_stop(StopReason::unsupported,
                     fmt::format("{} raised IRQ {} at cycle {}: interrupt lines are not modelled on {} cores in "
                                 "this version", who, irq, now, host_.board_config().core));
}

bool Rv32System::at_boundary(Addr) {
  host_.reschedule(host_.now());
  return false;
}

void Rv32System::on_trap(seam::Trap kind, std::uint32_t number) {
  const Addr p = host_.cpu().reg(seam::Reg::pc);
  host_.request_stop(StopReason::unsupported,
                     fmt::format("{} at PC 0x{:08x}: trap entry is not modelled in this version",
                                 kind == seam::Trap::environment_call ? "ECALL" : fmt::format("exception {}", number),
                                 p - 4));
}

bool Rv32System::is_ebreak(Addr at) const {
  std::uint32_t w = 0;
  if (!host_.cpu().read_mem(at, &w, 4) && !host_.cpu().read_mem(at, &w, 2)) return false;
  return w == kRvEbreak || static_cast<std::uint16_t>(w) == kRvCEbreak;
}

// EBREAK stops Unicorn with the PC at it (unicorn-notes.md). A semihosting sequence is served and
// execution resumes after it (PC + 8); a plain EBREAK ends the run on boards with ebreak_exits,
// else it is a fault. WFI ends the slice without an error: no interrupt source can wake it.
IsaSystem::Outcome Rv32System::after_slice(const seam::SliceEnd& end, Addr& resume) {
  seam::CpuPort& cpu = host_.cpu();
  const std::uint32_t p = cpu.reg(seam::Reg::pc);
  if (end.error) {
    if (!is_ebreak(p)) return Outcome::not_mine;
    std::uint32_t before = 0, after = 0, here = 0;
    cpu.read_mem(p, &here, 4);
    const bool sequence = here == kRvEbreak && cpu.read_mem(p - 4, &before, 4) && cpu.read_mem(p + 4, &after, 4) &&
                          before == kRvSlliX0 && after == kRvSraiX0;
    if (sequence) {
      const std::uint32_t r0 = host_.semihost(cpu.gpr(10), cpu.gpr(11));
      cpu.set_gpr(10, r0);
      if (host_.stop_requested()) return Outcome::stopped;
      resume = p + 8;
      return Outcome::resume;
    }
    if (host_.board_config().ebreak_exits) {
      host_.exit(0, "EBREAK (the board ends the run on ebreak)");
      return Outcome::stopped;
    }
    host_.request_stop(StopReason::fault, fmt::format("firmware fault: EBREAK at PC 0x{:08x} ({}) that is not a "
                                                      "semihosting call", p, host_.region_name(p)));
    return Outcome::stopped;
  }
  host_.request_stop(StopReason::unsupported,
                     fmt::format("WFI at PC 0x{:08x}: no interrupt source is modelled in this version, "
                                 "the core would sleep forever", p - 4));
  return Outcome::stopped;
}

// JAL x0, 0 (0x0000006F) or C.J 0 (0xA001): RISC-V unprivileged ISA 2.2.5 and 16.4.
// RV32 has one stack pointer (x2); no process stack.
bool Rv32System::may_select_stack(const std::vector<std::uint8_t>&) const { return false; }
bool Rv32System::on_process_stack() const { return false; }

bool Rv32System::is_self_branch(const std::vector<std::uint8_t>& code) const {
  auto half = [&](std::size_t i) { return static_cast<std::uint16_t>(code[i] | (code[i + 1] << 8)); };
  if (code.size() == 2) return half(0) == 0xA001;
  if (code.size() == 4) return half(0) == 0x006F && half(2) == 0x0000;
  return false;
}

// A branch to itself can only be left through an interrupt: none can be taken with mstatus.MIE
// clear or no source enabled in mie (privileged spec 3.1.6.1, 3.1.9), nor without a device event.
std::string Rv32System::why_stuck(Addr) {
  const std::uint32_t mstatus = host_.cpu().reg(seam::Reg::mstatus), mie = host_.cpu().reg(seam::Reg::mie);
  if (!(mstatus & kMstatusMie)) return "interrupts are masked (mstatus.MIE = 0)";
  if (mie == 0) return "no interrupt is enabled (mie = 0)";
  if (host_.device_event() == mem::kNoEvent) return "no device event can interrupt it";
  return {};
}

bool Rv32System::interrupts_disabled() const { return !(host_.cpu().reg(seam::Reg::mstatus) & kMstatusMie); }

std::array<std::uint32_t, 16> Rv32System::spin_state() const {
  std::array<std::uint32_t, 16> r{};
  for (unsigned i = 0; i < 16; ++i) r[i] = host_.cpu().gpr(i + 1);  // x1..x16 (ra, sp, ..., a6)
  return r;
}

std::optional<std::uint32_t> Rv32System::counter_value(std::uint16_t csr, Cycles cycle, std::uint64_t retired) const {
  const std::uint16_t base = csr & ~0x80;  // the high halves are +0x80
  const std::uint64_t v = (base == 0xB00 || base == 0xC00) ? cycle : retired;
  return static_cast<std::uint32_t>((csr & 0x80) ? v >> 32 : v);
}

}  // namespace mcusim
