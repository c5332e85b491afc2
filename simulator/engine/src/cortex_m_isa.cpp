// The Cortex-M system model (cortex_m_isa.h). Unicorn does no exception vectoring
// (unicorn-notes.md): this model pushes and pops the frames (ARMv7-M ARM B1.5.6 "Exception entry
// behavior", B1.5.8 "Exception return behavior"), keeps the SysTick/NVIC/SCB state in
// CortexMSystem and charges the costs of exceptions.toml (docs/timing.md "Exceptions, SysTick
// and WFI").
#include "cortex_m_isa.h"

#include <fmt/format.h>

#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"

namespace mcusim {
namespace {

using seam::Reg;

// Addresses from the ARMv7-M Architecture Reference Manual (DDI 0403), B3.2 "System Control
// Space" (CPUID 0xE000ED00) and C1.8 "Data Watchpoint and Trace unit" (DWT_CTRL 0xE0001000,
// DWT_CYCCNT 0xE0001004).
constexpr Addr kScsBase = 0xE0000000;  // Private Peripheral Bus: ITM, DWT, FPB, SCS
constexpr std::uint32_t kScsSize = 0x00100000;
constexpr Addr kDwtCtrl = 0xE0001000, kDwtCyccnt = 0xE0001004;
constexpr Addr kCpuid = 0xE000ED00;
// CPUID of a Cortex-M4 r0p1 (Arm Cortex-M4 TRM r0p1, 4.3.1 "CPUID Base Register": 0x410FC241).
constexpr std::uint32_t kCpuidCortexM4 = 0x410FC241;
// EXC_RETURN values start at 0xF0000000 (B1.5.8); Unicorn reports a branch to 0xFFxxxxxx.
constexpr Addr kExcReturnMin = 0xFF000000;
constexpr std::uint16_t kWfiT1 = 0xBF30;        // WFI (16-bit), A7.7.261
constexpr std::uint32_t kWfiT2 = 0x8003F3AF;    // WFI.W (32-bit, halfwords F3AF 8003)
constexpr std::uint16_t kSemihostBkpt = 0xBEAB;  // BKPT #0xAB (Thumb), Arm semihosting

// The system control space as a device on the bus: SysTick/NVIC/SCB/FP control go to the
// Cortex-M system model, DWT->CYCCNT reads the modelled cycles, the rest reads back as written.
class ScsDevice final : public mem::Device {
 public:
  explicit ScsDevice(CortexMIsaSystem& s) : s_(s) {}
  std::string_view name() const override { return "scs"; }
  std::uint32_t read(Addr offset, unsigned size, Cycles now) override { return s_.scs_read(offset, size, now); }
  void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) override {
    s_.scs_write(offset, size, value, now);
  }

 private:
  CortexMIsaSystem& s_;
};

}  // namespace

CortexMIsaSystem::CortexMIsaSystem(SystemHost& host, const CortexMConfig& config, const ExceptionCosts& costs)
    : host_(host), sys_(config), costs_(costs), irq_level_(config.external_irqs, 0) {}

ResetState CortexMIsaSystem::reset(const ElfImage& image) {
  const BoardConfig& board = host_.board_config();
  const std::string firmware = image.path.string();
  if (!board.vector_table) throw InputError(fmt::format("{}: an Arm board needs vector_table", board.file.string()));
  std::uint32_t vt[2];
  if (!host_.cpu().read_mem(*board.vector_table, vt, 8))
    throw InputError(fmt::format("{}: vector table at 0x{:08x} is not mapped", firmware, *board.vector_table));
  ResetState r{vt[1], vt[0]};
  bool sp_ok = false;
  for (auto& s : board.sram) sp_ok |= r.sp > s.base && r.sp - s.base <= s.size_bytes;
  if (!sp_ok)
    throw InputError(fmt::format("{}: initial SP 0x{:08x} (vector table word 0 at 0x{:08x}) is not in "
                                 "the SRAM of board {} ({}); is the firmware linked for this board?",
                                 firmware, r.sp, *board.vector_table, board.name, memory_map_text(board)));
  if (!(r.pc & 1) || !host_.in_memory(r.pc & ~1u, 2, false))
    throw InputError(fmt::format("{}: reset vector 0x{:08x} (vector table word 1 at 0x{:08x}) is not a "
                                 "Thumb address in the memory of board {} ({})",
                                 firmware, r.pc, *board.vector_table, board.name, memory_map_text(board)));
  host_.cpu().set_reg(Reg::sp, r.sp);
  return r;
}

std::optional<ControlSpace> CortexMIsaSystem::control_space() {
  return ControlSpace{kScsBase, kScsSize, std::make_unique<ScsDevice>(*this), "system control space"};
}

const char* CortexMIsaSystem::region_name(Addr a) const {
  return a - kScsBase < kScsSize ? "system control space" : nullptr;
}

void CortexMIsaSystem::declare_level_irq(unsigned irq) {
  if (irq < irq_level_.size()) irq_level_[irq] = 2;
}

void CortexMIsaSystem::set_irq(int irq, bool level, Cycles now, const std::string& who) {
  // The NVIC latches a pending interrupt: lowering the line leaves it pending (Armv7-M ARM
  // B3.4.1 "Level-sensitive and pulse interrupts"), so only a rising level acts here. The level
  // is kept: a line still high when its handler returns pends it again.
  if (irq >= 0 && static_cast<std::size_t>(irq) < irq_level_.size() && (irq_level_[static_cast<std::size_t>(irq)] & 2))
    irq_level_[static_cast<std::size_t>(irq)] = static_cast<std::uint8_t>(2 | (level ? 1 : 0));
  if (!level) return;
  if (irq < 0 || static_cast<unsigned>(irq) >= sys_.config().external_irqs) {
    host_.request_stop(StopReason::fault, fmt::format("{} raised IRQ {} at cycle {}, but the NVIC of {} has IRQ0 to "
                                                      "IRQ{}", who, irq, now, host_.board_config().core,
                                                      sys_.config().external_irqs - 1));
    return;
  }
  sys_.set_pending(kExcIrq0 + irq);
  host_.look_at_next_boundary();
}

PriorityMasks CortexMIsaSystem::masks() const {
  PriorityMasks m;
  m.primask = reg(Reg::primask) & 1;
  if (sys_.config().profile != ArmProfile::v6m) {
    m.faultmask = reg(Reg::faultmask) & 1;
    m.basepri = static_cast<std::uint8_t>(reg(Reg::basepri));
  }
  return m;
}

bool CortexMIsaSystem::interrupts_disabled() const { return masks().primask; }

std::array<std::uint32_t, 16> CortexMIsaSystem::spin_state() const {
  std::array<std::uint32_t, 16> r{};
  for (unsigned i = 0; i < 15; ++i) r[i] = host_.cpu().gpr(i);  // R0-R12, SP, LR
  return r;
}

// At a block boundary (the block at `a` has not run): take the highest pending exception if it
// preempts. Inside an IT block the exception waits for the next boundary (ITSTATE is not carried
// across host-made frames).
bool CortexMIsaSystem::at_boundary(Addr a) {
  const Cycles now = host_.now();
  sys_.sync(now);
  const int exc = sys_.exception_to_take(masks());
  const bool in_it = (reg(Reg::xpsr) & 0x0600FC00u) != 0;
  if (exc == 0 || in_it) {
    host_.reschedule(now);
    return false;
  }
  action_ = Action::take;
  action_exc_ = exc;
  action_addr_ = a;
  host_.cpu().stop();
  return true;
}

void CortexMIsaSystem::on_trap(seam::Trap kind, std::uint32_t number) {
  seam::CpuPort& cpu = host_.cpu();
  const std::uint32_t p = cpu.reg(Reg::pc);
  if (kind == seam::Trap::breakpoint) {
    std::uint16_t insn = 0;
    cpu.read_mem(p, &insn, 2);
    if (insn == kSemihostBkpt) {
      cpu.set_gpr(0, host_.semihost(cpu.gpr(0), cpu.gpr(1)));
      if (host_.stop_requested()) return;
      cpu.set_reg(Reg::pc, (p + 2) | 1);
      return;
    }
    host_.request_stop(StopReason::fault,
                       fmt::format("firmware fault: BKPT #0x{:02x} at PC 0x{:08x} (only BKPT #0xAB, semihosting, "
                                   "is served)", insn & 0xFF, p));
    return;
  }
  if (kind == seam::Trap::exception_return && p >= kExcReturnMin) {
    action_ = Action::exc_return;
    action_addr_ = p | 1;
    cpu.stop();
    return;
  }
  if (kind == seam::Trap::supervisor_call) {
    // SVC is synchronous: SVCall (11) is taken now with the return address after the SVC, or
    // it would escalate to HardFault (Armv7-M ARM B1.5.4), which is not modelled.
    sys_.sync(host_.now());
    sys_.set_pending(kExcSvCall);
    const int exc = sys_.exception_to_take(masks());
    if (exc == 0) {
      host_.request_stop(StopReason::unsupported,
                         fmt::format("SVC at PC 0x{:08x} cannot be taken at the current execution priority {} "
                                     "(it would escalate to HardFault, which is not modelled)",
                                     p - 2, sys_.execution_priority(masks())));
      return;
    }
    action_ = Action::take;
    action_exc_ = exc;
    action_addr_ = p;
    cpu.stop();
    return;
  }
  host_.request_stop(StopReason::unsupported,
                     fmt::format("CPU exception {} at PC 0x{:08x}: exceptions are not modelled in this version",
                                 number, p));
}

bool CortexMIsaSystem::on_fetch_fault(Addr a) {
  if (a < kExcReturnMin || sys_.active_exception() == 0) return false;
  // Exception return on the M0 model: an unmapped fetch at EXC_RETURN (unicorn-notes.md).
  action_ = Action::exc_return;
  action_addr_ = a | 1;
  return true;
}

IsaSystem::Outcome CortexMIsaSystem::after_slice(const seam::SliceEnd& end, Addr& resume) {
  if (action_ != Action::none) {
    const Action action = action_;
    action_ = Action::none;
    const bool ok = action == Action::take ? enter_exception(action_exc_, action_addr_, resume)
                                           : return_from_exception(action_addr_, resume);
    return !ok || host_.stop_requested() ? Outcome::stopped : Outcome::resume;
  }
  if (end.error) return Outcome::not_mine;
  // Returned without a stop request: Unicorn ends the run at WFI (unicorn-notes.md).
  if (!sleep_in_wfi()) return Outcome::stopped;
  resume = host_.cpu().reg(Reg::pc);
  return Outcome::resume;
}

// ---- system control space ---------------------------------------------------------------------
std::uint32_t CortexMIsaSystem::scs_read(Addr offset, unsigned size, Cycles now) {
  const Addr a = kScsBase + offset;
  if (sys_.owns(a)) {
    const std::uint32_t w = sys_.read(a, now) >> (8 * (a & 3));
    return size >= 4 ? w : w & ((1u << (8 * size)) - 1);
  }
  if (a == kDwtCyccnt)
    return cyccnt_enabled_ ? static_cast<std::uint32_t>(static_cast<std::int64_t>(now) - cyccnt_offset_)
                           : cyccnt_frozen_;
  if (a == kCpuid) return kCpuidCortexM4;
  auto it = scs_regs_.find(a);
  return it == scs_regs_.end() ? 0 : it->second;
}

void CortexMIsaSystem::scs_write(Addr offset, unsigned size, std::uint32_t v, Cycles now_cycles) {
  const Addr a = kScsBase + offset;
  const auto now = static_cast<std::int64_t>(now_cycles);
  if (sys_.owns(a)) {
    sys_.write(a, size, v, now_cycles);
    host_.reschedule(now_cycles);
    if (sys_.reset_requested())
      host_.request_stop(StopReason::unsupported,
                         fmt::format("system reset requested (AIRCR.SYSRESETREQ) by the instruction at PC "
                                     "0x{:08x}: reset is not modelled",
                                     host_.pc_of_device_access()));
    return;
  }
  if (a == kDwtCyccnt) {
    cyccnt_frozen_ = v;
    cyccnt_offset_ = now - v;
    return;
  }
  if (a == kDwtCtrl) {
    const bool enable = v & 1;  // CYCCNTENA
    if (enable && !cyccnt_enabled_) cyccnt_offset_ = now - cyccnt_frozen_;
    if (!enable && cyccnt_enabled_) cyccnt_frozen_ = static_cast<std::uint32_t>(now - cyccnt_offset_);
    cyccnt_enabled_ = enable;
  }
  scs_regs_[a] = v;
}

// ---- exceptions ---------------------------------------------------------------------------------
// Sets the mode (IPSR), CONTROL and both stack pointers. QEMU banks SP by mode and CONTROL.SPSEL
// and ignores some CONTROL writes depending on privilege and mode, so CONTROL is written in both
// modes and the stack pointers last, where each lands in its own bank.
void CortexMIsaSystem::set_core_mode(std::uint32_t xpsr, std::uint32_t control, std::uint32_t msp, std::uint32_t psp) {
  set_reg(Reg::control, control);
  set_reg(Reg::xpsr_nzcvqg, xpsr | (1u << 24));  // IPSR, EPSR (T set), APSR
  set_reg(Reg::control, control);
  set_reg(Reg::msp, msp);
  set_reg(Reg::psp, psp);
}

// Loads the vector of `exc` and sets `start` to it; false (after a stop) when it is unusable.
bool CortexMIsaSystem::vector_of(int exc, Addr& start) {
  const Addr at = sys_.vtor() + 4u * static_cast<Addr>(exc);
  std::uint32_t v = 0;
  if (!host_.cpu().read_mem(at, &v, 4) || !(v & 1) || !host_.in_memory(v & ~1u, 2, false)) {
    host_.request_stop(StopReason::fault,
                       fmt::format("firmware fault: exception {} vector at 0x{:08x} (VTOR 0x{:08x}) is 0x{:08x}, not a "
                                   "Thumb address in memory", exc, at, sys_.vtor(), v));
    return false;
  }
  start = v & ~1u;
  return true;
}

// Exception entry (B1.5.6 PushStack/ExceptionTaken): pushes the basic frame (8 words) or, with
// CONTROL.FPCA set, the extended frame (26 words: + S0-S15, FPSCR, reserved) on the current
// stack, sets LR = EXC_RETURN, IPSR, Handler mode on MSP, FPCA = 0, and resumes at the vector.
// FPCA is the core's own: QEMU sets it when an FP instruction executes in the context.
bool CortexMIsaSystem::enter_exception(int exc, Addr return_addr, Addr& start) {
  seam::CpuPort& cpu = host_.cpu();
  const std::uint32_t xpsr = reg(Reg::xpsr), control = reg(Reg::control);
  std::uint32_t msp = reg(Reg::msp), psp = reg(Reg::psp);
  const bool handler = (xpsr & 0x1FF) != 0, on_psp = !handler && (control & 2);
  const bool fpca = sys_.config().has_fpu && (control & 4);
  const std::uint32_t frame_size = fpca ? 0x68 : 0x20;
  std::uint32_t& sp = on_psp ? psp : msp;
  const std::uint32_t realign = (sys_.stack_align8() && (sp & 4)) ? 1 : 0;
  const std::uint32_t frame = (sp - frame_size) & ~(realign << 2);
  std::uint32_t words[26] = {cpu.gpr(0), cpu.gpr(1), cpu.gpr(2), cpu.gpr(3), cpu.gpr(12), cpu.gpr(14),
                             return_addr & ~1u, (xpsr & ~(1u << 9)) | (realign << 9)};
  if (fpca) {
    // The FP state is always stored (functionally); with lazy stacking (FPCCR.LSPEN) it is
    // charged only if the handler uses the FPU (see return_from_exception).
    for (unsigned i = 0; i < 8; ++i) {
      const std::uint64_t d = cpu.dreg(i);
      words[8 + 2 * i] = static_cast<std::uint32_t>(d);
      words[9 + 2 * i] = static_cast<std::uint32_t>(d >> 32);
    }
    words[24] = reg(Reg::fpscr);
    words[25] = 0;
  }
  if (!host_.in_memory(frame, frame_size, true) || !cpu.write_mem(frame, words, frame_size)) {
    host_.request_stop(StopReason::fault,
                       fmt::format("firmware fault: stacking exception {} at PC 0x{:08x}: frame 0x{:08x}-0x{:08x} "
                                   "({}) is not writable SRAM (stack overflow?)",
                                   exc, return_addr, frame, frame + frame_size - 1, host_.region_name(frame)));
    return false;
  }
  const bool lazy = fpca && sys_.fp_lazy();
  host_.frame_access(frame, lazy || !fpca ? 8 : 26, true, on_psp);
  host_.stack_selected(false);  // Handler mode runs on MSP
  sp = frame;
  if (lazy) sys_.set_lazy_fp_pending(frame + 0x20);
  const std::uint32_t exc_return = (fpca ? 0xFFFFFFE1u : 0xFFFFFFF1u) | (handler ? 0 : 8u) | (on_psp ? 4u : 0);
  if (!vector_of(exc, start)) return false;
  set_core_mode((xpsr & ~0x0600FDFFu) | static_cast<std::uint32_t>(exc), control & ~6u, msp, psp);
  cpu.set_gpr(14, exc_return);
  sys_.activate(exc);
  host_.charge_exception(costs_.entry + (fpca && !lazy ? costs_.fp_entry_extra : 0), true);
  host_.reschedule(host_.now());
  return true;
}

// Exception return (B1.5.8): deactivates the running exception; tail-chains to the next one that
// preempts the context returned to (frame kept, LR unchanged), else unstacks the frame named by
// EXC_RETURN (bit 4 = basic frame, bit 3 = Thread mode, bit 2 = PSP).
bool CortexMIsaSystem::return_from_exception(Addr exc_return, Addr& start) {
  seam::CpuPort& cpu = host_.cpu();
  const std::uint32_t xpsr = reg(Reg::xpsr), control = reg(Reg::control);
  const int exc = static_cast<int>(xpsr & 0x1FF);
  if (!sys_.deactivate(exc)) {
    host_.request_stop(StopReason::fault, fmt::format("firmware fault: exception return 0x{:08x} from exception {} "
                                                      "which is not active", exc_return, exc));
    return false;
  }
  // A peripheral still holding its interrupt line high pends it again (level-sensitive lines).
  if (exc >= kExcIrq0 && static_cast<std::size_t>(exc - kExcIrq0) < irq_level_.size() &&
      irq_level_[static_cast<std::size_t>(exc - kExcIrq0)] == 3)
    sys_.set_pending(exc);
  Cycles cost = 0;
  // Lazy FP preservation: the handler used the FPU (the core set FPCA again), so the state was
  // saved at its first FP instruction; charged here.
  if ((control & 4) && sys_.lazy_fp_pending()) {
    cost += costs_.fp_entry_extra;
    sys_.clear_lazy_fp_pending();
  }
  sys_.sync(host_.now());
  const int next = sys_.exception_to_take(masks());
  if (next != 0) {  // tail-chaining
    if (!vector_of(next, start)) return false;
    set_reg(Reg::control, control & ~4u);
    set_reg(Reg::ipsr, static_cast<std::uint32_t>(next));
    cpu.set_gpr(14, exc_return);
    sys_.activate(next);
    host_.charge_exception(cost + costs_.tail_chain, true);
    host_.reschedule(host_.now());
    return true;
  }
  const bool to_thread = exc_return & 8, to_psp = to_thread && (exc_return & 4);
  const bool extended = !(exc_return & 0x10);
  if (to_thread && sys_.nesting() != 0) {
    host_.request_stop(StopReason::fault, fmt::format("firmware fault: exception return 0x{:08x} to Thread mode with "
                                                      "exception {} still active", exc_return,
                                                      sys_.active_exception()));
    return false;
  }
  std::uint32_t msp = reg(Reg::msp), psp = reg(Reg::psp);
  std::uint32_t& sp = to_psp ? psp : msp;
  const std::uint32_t frame_size = extended ? 0x68 : 0x20;
  std::uint32_t words[26] = {};
  if (!cpu.read_mem(sp, words, frame_size)) {
    host_.request_stop(StopReason::fault, fmt::format("firmware fault: unstacking exception {} from 0x{:08x} ({})",
                                                      exc, sp, host_.region_name(sp)));
    return false;
  }
  const bool fp_saved = extended && !sys_.lazy_fp_pending();  // else the state never left the FPU
  sys_.clear_lazy_fp_pending();
  if (extended) {
    for (unsigned i = 0; i < 8; ++i) cpu.set_dreg(i, words[8 + 2 * i] | (std::uint64_t{words[9 + 2 * i]} << 32));
    set_reg(Reg::fpscr, words[24]);
  }
  const unsigned gprs[6] = {0, 1, 2, 3, 12, 14};
  for (int i = 0; i < 6; ++i) cpu.set_gpr(gprs[i], words[i]);
  host_.frame_access(sp, fp_saved ? 26 : 8, false, to_psp);
  const std::uint32_t psr = words[7];
  sp = (sp + frame_size) | ((sys_.stack_align8() && (psr & (1u << 9))) ? 4u : 0u);
  const std::uint32_t new_control = (control & ~6u) | (to_psp ? 2u : 0) | (extended ? 4u : 0);
  set_core_mode(psr & ~(1u << 9), new_control, msp, psp);
  host_.stack_selected(to_psp);
  start = words[6] & ~1u;
  host_.charge_exception(cost + costs_.exit + (fp_saved ? costs_.fp_exit_extra : 0), false);
  host_.reschedule(host_.now());
  return true;
}

// Thumb B (T2, 0xE7FE) or B.W (T4, 0xF7FF 0xBFFE) to its own address: ARMv7-M ARM A7.7.12.
// MSR <spec_reg>, Rn (ARMv7-M ARM A7.7.83 / B5.2.3; T1: 0xF38n, 0b10(0)0 mask 0(0) SYSm): the
// write of CONTROL (SYSm = 20) that may select the process stack (SPSEL, B1.4.4). Halfwords are
// scanned at every 16-bit offset: a false match only costs one more look at CONTROL.
bool CortexMIsaSystem::may_select_stack(const std::vector<std::uint8_t>& code) const {
  for (std::size_t i = 0; i + 4 <= code.size(); i += 2) {
    const unsigned hw1 = code[i] | (code[i + 1] << 8), hw2 = code[i + 2] | (code[i + 3] << 8);
    if ((hw1 & 0xFFF0) == 0xF380 && (hw2 & 0xD0FF) == 0x8014) return true;
  }
  return false;
}

// Thread mode (IPSR = 0) with CONTROL.SPSEL = 1: SP is PSP (ARMv7-M ARM B1.4.2, B1.4.4).
bool CortexMIsaSystem::on_process_stack() const {
  return (reg(Reg::xpsr) & 0x1FF) == 0 && (reg(Reg::control) & 2);
}

bool CortexMIsaSystem::is_self_branch(const std::vector<std::uint8_t>& code) const {
  auto half = [&](std::size_t i) { return static_cast<std::uint16_t>(code[i] | (code[i + 1] << 8)); };
  if (code.size() == 2) return half(0) == 0xE7FE;
  if (code.size() == 4) return half(0) == 0xF7FF && half(2) == 0xBFFE;
  return false;
}

std::vector<std::uint8_t> CortexMIsaSystem::alignment_needs(const core::BlockInfo& info,
                                                            const std::vector<std::uint8_t>& code) const {
  const std::size_t n = info.insn_addrs.size();
  std::vector<std::uint8_t> need(n, 0);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t off = info.insn_addrs[i] - info.start;
    if (off + info.insn_sizes[i] > code.size()) return {};
    const auto h1 = static_cast<std::uint16_t>(code[off] | (code[off + 1] << 8));
    if (info.insn_sizes[i] == 2 && (h1 & 0xFF00) == 0xBF00 && (h1 & 0xF) != 0) return {};  // IT
    std::uint8_t m = 0;
    if (sys_.config().profile == ArmProfile::v6m) {
      m = kNaturalAlignment;  // A3.2 (ARMv6-M): every unaligned access faults
    } else if (info.insn_sizes[i] == 2) {
      // PUSH (1011 010x), POP (1011 110x), STM/LDM T1 (1100 xxxx): A5.2.5, A5.2.
      if ((h1 & 0xFE00) == 0xB400 || (h1 & 0xFE00) == 0xBC00 || (h1 & 0xF000) == 0xC000) m = 3;
    } else {
      const auto h2 = static_cast<std::uint16_t>(code[off + 2] | (code[off + 3] << 8));
      if ((h1 & 0xFE40) == 0xE800) {
        m = 3;  // LDM/STM (incl. PUSH.W/POP.W), A5.3.5
      } else if ((h1 & 0xFE40) == 0xE840) {  // dual, exclusive, table branch: A5.3.6
        const unsigned op1 = (h1 >> 7) & 3, op2 = (h1 >> 4) & 3, op3 = (h2 >> 4) & 0xF;
        if (op1 == 0 && op2 == 0)
          m = 3;  // STREX, LDREX
        else if (op1 == 1 && op2 <= 1)
          m = op3 == 5 ? 1 : 0;  // STREXH/LDREXH; STREXB/LDREXB, TBB/TBH need none
        else
          m = 3;  // STRD, LDRD
      } else if ((h1 & 0xFE00) == 0xEC00 && ((h2 >> 9) & 7) == 5) {
        // Extension register load/store (A7.7 VLDR/VSTR/VLDM/VSTM, A6.5): opcode 0010x is the
        // two-register VMOV, 0000x undefined.
        const unsigned opcode = (h1 >> 4) & 0x1F;
        if ((opcode & 0x1E) != 0x04 && (opcode & 0x1E) != 0) m = 3;
      }
    }
    need[i] = m;
    any |= m != 0;
  }
  if (!any) return {};
  return need;
}

// A branch to itself at `at` (about to run) can only be left through an exception: none can come
// when interrupts are masked (PRIMASK/FAULTMASK) or no enabled SysTick and no device event exist.
std::string CortexMIsaSystem::why_stuck(Addr) {
  const PriorityMasks m = masks();
  sys_.sync(host_.now());
  if (m.primask || m.faultmask)
    return fmt::format("interrupts are masked ({})", m.primask ? "PRIMASK = 1, e.g. `cpsid i; b .` as in the "
                                                                 "HAL's Error_Handler"
                                                               : "FAULTMASK = 1");
  if (!sys_.wake_cycle(host_.now(), m) && host_.device_event() == mem::kNoEvent)
    return "no exception source is enabled (SysTick off or without TICKINT, no device event)";
  return {};
}

// WFI (Unicorn ended the run with the PC after it): sleep until the next wake-up event (B1.5.19:
// a pending exception that would preempt with PRIMASK ignored), counted as sleep cycles. The
// exception is then taken at the first block boundary. Returns false after a stop.
bool CortexMIsaSystem::sleep_in_wfi() {
  seam::CpuPort& cpu = host_.cpu();
  const Addr p = cpu.reg(Reg::pc);
  std::uint16_t h = 0;
  std::uint32_t w = 0;
  Addr at = 0;
  if (cpu.read_mem(p - 2, &h, 2) && h == kWfiT1)
    at = p - 2;
  else if (cpu.read_mem(p - 4, &w, 4) && w == kWfiT2)
    at = p - 4;
  else {
    host_.request_stop(StopReason::unsupported,
                       fmt::format("the emulator stopped at PC 0x{:08x} without a reason the simulator knows", p));
    return false;
  }
  for (;;) {
    sys_.sync(host_.now());
    const auto wake = sys_.wake_cycle(host_.now(), masks());
    const Cycles device_event = host_.device_event();
    if (wake && *wake <= device_event) {
      host_.sleep_until(*wake);
      break;
    }
    if (device_event == mem::kNoEvent && (!wake) && host_.host_sends(host_.now())) continue;
    if (device_event == mem::kNoEvent) {
      if (host_.host_input_exhausted(host_.now())) {
        host_.request_stop(StopReason::waiting_for_input,
                           fmt::format("waiting for UART input: WFI at 0x{:08x} with the host input used up", at));
        return false;
      }
      host_.request_stop(StopReason::fault,
                         fmt::format("WFI at 0x{:08x} with no enabled interrupt: the core would sleep forever", at));
      return false;
    }
    // A device needs attention first (it may raise an interrupt line): sleep until then.
    if (device_event > host_.now()) host_.sleep_until(device_event);
    if (host_.advance_devices(host_.now()) <= host_.now()) {
      host_.request_stop(StopReason::unsupported,
                         fmt::format("device event at cycle {}: a device did not move its next event past it",
                                     host_.now()));
      return false;
    }
    if (host_.stop_requested()) return false;
  }
  sys_.sync(host_.now());
  host_.reschedule(host_.now());
  return true;
}

}  // namespace mcusim
