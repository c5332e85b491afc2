// The two system models behind IsaSystem (issue 12), driven through a fake CPU (registers and a
// flat memory) and a fake host, without Unicorn. Expected values from the ARMv7-M ARM (DDI 0403E)
// B1.5.6 "Exception entry behavior", B1.5.7 "Stack alignment on exception entry", B1.5.8
// "Exception return behavior" (EXC_RETURN values, Table B1-8), and from the RISC-V privileged spec
// 2.12 (counter CSR numbers) and the RISC-V semihosting spec (the EBREAK sequence).
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>

#include "cortex_m_isa.h"
#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"
#include "rv32_system.h"

namespace mcusim {
namespace {

using seam::Reg;

constexpr Addr kFlash = 0x08000000, kSram = 0x20000000;
constexpr std::uint32_t kSize = 0x10000;

class FakeCpu final : public seam::CpuPort {
 public:
  std::map<Reg, std::uint32_t> regs;
  std::uint32_t gprs[32] = {};
  std::uint64_t dregs[16] = {};
  std::vector<std::uint8_t> flash = std::vector<std::uint8_t>(kSize), sram = std::vector<std::uint8_t>(kSize);
  int stops = 0;

  std::uint32_t reg(Reg r) const override {
    auto it = regs.find(r);
    return it == regs.end() ? 0 : it->second;
  }
  void set_reg(Reg r, std::uint32_t v) override {
    regs[r] = v;
    if (r == Reg::xpsr_nzcvqg) regs[Reg::xpsr] = v;  // as Unicorn: one xPSR, read whole
  }
  std::uint32_t gpr(unsigned i) const override { return i < 32 ? gprs[i] : 0; }
  void set_gpr(unsigned i, std::uint32_t v) override {
    if (i < 32) gprs[i] = v;
  }
  std::uint64_t dreg(unsigned i) const override { return dregs[i]; }
  void set_dreg(unsigned i, std::uint64_t v) override { dregs[i] = v; }
  std::uint8_t* at(Addr a, std::uint32_t n) {
    if (a - kFlash < kSize && a - kFlash + n <= kSize) return &flash[a - kFlash];
    if (a - kSram < kSize && a - kSram + n <= kSize) return &sram[a - kSram];
    return nullptr;
  }
  bool read_mem(Addr a, void* out, std::uint32_t n) const override {
    auto* p = const_cast<FakeCpu*>(this)->at(a, n);
    if (p) std::memcpy(out, p, n);
    return p != nullptr;
  }
  bool write_mem(Addr a, const void* in, std::uint32_t n) override {
    auto* p = at(a, n);
    if (p) std::memcpy(p, in, n);
    return p != nullptr;
  }
  void stop() override { ++stops; }
  std::uint32_t word(Addr a) {
    std::uint32_t w = 0;
    read_mem(a, &w, 4);
    return w;
  }
  void put(Addr a, std::uint32_t w) { write_mem(a, &w, 4); }
  void put16(Addr a, std::uint16_t h) { write_mem(a, &h, 2); }
};

class FakeHost final : public SystemHost {
 public:
  FakeCpu fake;
  BoardConfig b;
  Cycles cycles = 1000, slept = 0, overhead = 0;
  std::uint64_t taken = 0;
  bool stopped = false;
  StopReason why = StopReason::exited;
  std::string message;
  std::uint32_t frame_words_written = 0, frame_words_read = 0;
  bool last_frame_on_process_stack = false;
  std::vector<bool> selected;  // stack_selected() calls: true = process stack
  std::uint32_t semihost_op = 0, semihost_param = 0;
  int exit_status = -1;

  FakeHost() {
    b.name = "fake";
    b.core = "cortex-m4";
    b.flash.base = kFlash;
    b.flash.size_bytes = kSize;
    b.sram.push_back({"sram", kSram, kSize});
    b.vector_table = kFlash;
  }
  seam::CpuPort& cpu() override { return fake; }
  const BoardConfig& board_config() const override { return b; }
  Cycles now() const override { return cycles; }
  void sleep_until(Cycles until) override {
    slept += until - cycles;
    cycles = until;
  }
  void charge_exception(Cycles cost, bool t) override {
    cycles += cost;
    overhead += cost;
    taken += t;
  }
  void request_stop(StopReason w, std::string m) override {
    if (stopped) return;
    stopped = true;
    why = w;
    message = std::move(m);
  }
  bool stop_requested() const override { return stopped; }
  void reschedule(Cycles) override {}
  void look_at_next_boundary() override {}
  std::string region_name(Addr a) const override { return a - kSram < kSize ? "sram" : "flash"; }
  bool in_memory(Addr a, std::uint32_t n, bool need_write) const override {
    if (a - kSram < kSize && a - kSram + n <= kSize) return true;
    return !need_write && a - kFlash < kSize && a - kFlash + n <= kSize;
  }
  void frame_access(Addr, std::uint32_t words, bool write, bool process_stack) override {
    (write ? frame_words_written : frame_words_read) += words;
    last_frame_on_process_stack = process_stack;
  }
  void stack_selected(bool process) override { selected.push_back(process); }
  Cycles device_event() const override { return mem::kNoEvent; }
  Cycles advance_devices(Cycles) override { return mem::kNoEvent; }
  bool host_sends(Cycles) override { return false; }
  bool host_input_exhausted(Cycles) const override { return false; }
  Addr pc_of_device_access() const override { return 0; }
  std::uint32_t semihost(std::uint32_t op, std::uint32_t param) override {
    semihost_op = op;
    semihost_param = param;
    return 0x1234;
  }
  void exit(int status, std::string_view) override {
    exit_status = status;
    request_stop(StopReason::exited, "exit");
  }
};

// ---- Cortex-M ---------------------------------------------------------------------------------
CortexMConfig m4_config(bool fpu = true) {
  CortexMConfig c;
  c.profile = ArmProfile::v7m;
  c.priority_bits = 4;
  c.external_irqs = 32;
  c.vtor_reset = kFlash;
  c.has_fpu = fpu;
  return c;
}

// Hand-picked costs, so that the charged cycles are checkable.
ExceptionCosts costs() {
  ExceptionCosts c;
  c.entry = 12;
  c.exit = 10;
  c.tail_chain = 6;
  c.fp_entry_extra = 17;
  c.fp_exit_extra = 17;
  return c;
}

struct CortexM : ::testing::Test {
  FakeHost host;
  CortexMIsaSystem sys{host, m4_config(), costs()};
  FakeCpu& cpu = host.fake;
  void SetUp() override {
    for (unsigned i = 0; i < 13; ++i) cpu.gprs[i] = 0x100 + i;
    cpu.gprs[14] = 0x08000301;             // LR
    cpu.set_reg(Reg::xpsr, 0x01000000);    // Thread mode, T bit
    cpu.set_reg(Reg::msp, 0x20001000);
    cpu.set_reg(Reg::psp, 0x20000800);
    cpu.put(kFlash + 4 * 15, 0x08000401);  // SysTick vector
    cpu.put(kFlash + 4 * 14, 0x08000501);  // PendSV vector
    cpu.put(kFlash + 4 * 11, 0x08000601);  // SVCall vector
  }
};

TEST_F(CortexM, ResetReadsSpAndPcFromTheVectorTable) {
  cpu.put(kFlash, 0x20008000);
  cpu.put(kFlash + 4, 0x08000101);
  ElfImage image;
  const ResetState r = sys.reset(image);  // B1.5.5: SP_main = word 0, PC = word 1
  EXPECT_EQ(r.sp, 0x20008000u);
  EXPECT_EQ(r.pc, 0x08000101u);
  EXPECT_EQ(cpu.reg(Reg::sp), 0x20008000u);
  cpu.put(kFlash + 4, 0x08000100);  // not a Thumb address
  EXPECT_THROW(sys.reset(image), InputError);
}

TEST_F(CortexM, EntryFromThreadModeOnMspPushesTheBasicFrame) {
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  // B1.5.6 PushStack: 8 words below the 8-aligned SP: R0-R3, R12, LR, return address, xPSR.
  const Addr frame = 0x20001000 - 0x20;
  EXPECT_EQ(cpu.reg(Reg::msp), frame);
  const std::uint32_t expected[8] = {0x100, 0x101, 0x102, 0x103, 0x10C, 0x08000301, 0x08000200, 0x01000000};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(cpu.word(frame + 4 * i), expected[i]) << "word " << i;
  // Table B1-8: return to Thread mode, main stack, basic frame = 0xFFFFFFF9.
  EXPECT_EQ(cpu.gprs[14], 0xFFFFFFF9u);
  EXPECT_EQ(cpu.reg(Reg::xpsr_nzcvqg) & 0x1FF, static_cast<std::uint32_t>(kExcSysTick));  // IPSR
  EXPECT_EQ(start, 0x08000400u);  // the vector without its Thumb bit
  EXPECT_EQ(host.frame_words_written, 8u);
  EXPECT_EQ(host.overhead, 12u);
  EXPECT_EQ(host.taken, 1u);
  EXPECT_EQ(sys.state().active_exception(), kExcSysTick);
}

TEST_F(CortexM, EntryRealignsAStackThatIsNotEightByteAligned) {
  cpu.set_reg(Reg::msp, 0x20000FFC);
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  // B1.5.7: CCR.STKALIGN = 1 at reset: the frame starts 8-aligned and xPSR bit 9 records the pad.
  const Addr frame = (0x20000FFC - 0x20) & ~4u;
  EXPECT_EQ(cpu.reg(Reg::msp), frame);
  EXPECT_EQ(cpu.word(frame + 28) & (1u << 9), 1u << 9);
  // Return (B1.5.8): SP = frame + 0x20, | 4 for the pad.
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  ASSERT_TRUE(sys.return_from_exception(0xFFFFFFF9, start));
  EXPECT_EQ(cpu.reg(Reg::msp), 0x20000FFCu);
  EXPECT_EQ(start, 0x08000200u);
}

TEST_F(CortexM, EntryFromThreadModeOnPspUsesTheProcessStack) {
  cpu.set_reg(Reg::control, 2);  // SPSEL
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  EXPECT_EQ(cpu.reg(Reg::psp), 0x20000800u - 0x20);
  EXPECT_EQ(cpu.reg(Reg::msp), 0x20001000u);  // untouched
  EXPECT_EQ(cpu.gprs[14], 0xFFFFFFFDu);      // Thread mode, process stack, basic frame
  EXPECT_EQ(cpu.reg(Reg::control) & 2, 0u);  // Handler mode runs on MSP
  // The frame is measured on the process stack; the handler then runs on the main stack.
  EXPECT_TRUE(host.last_frame_on_process_stack);
  EXPECT_EQ(host.selected, std::vector<bool>{false});
  EXPECT_FALSE(sys.on_process_stack());
  // B1.5.8: EXC_RETURN 0xFFFFFFFD returns to Thread mode on the PSP: the process stack again.
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  ASSERT_TRUE(sys.return_from_exception(0xFFFFFFFD, start));
  EXPECT_EQ(cpu.reg(Reg::psp), 0x20000800u);
  EXPECT_TRUE(host.last_frame_on_process_stack);
  EXPECT_EQ(host.selected, (std::vector<bool>{false, true}));
  EXPECT_TRUE(sys.on_process_stack());
}

// An MSR to CONTROL (SYSm = 20, A7.7.83 / B5.2.3) may select the process stack; MSR to other
// special registers (PSP = 9, PRIMASK = 16) and other instructions do not.
TEST_F(CortexM, MsrControlMaySelectTheProcessStack) {
  EXPECT_TRUE(sys.may_select_stack({0x80, 0xF3, 0x14, 0x88}));   // MSR CONTROL, r0
  EXPECT_TRUE(sys.may_select_stack({0x00, 0xBF, 0x83, 0xF3, 0x14, 0x88, 0xBF, 0xF3, 0x6F, 0x8F}));  // NOP; MSR CONTROL, r3; ISB
  EXPECT_FALSE(sys.may_select_stack({0x80, 0xF3, 0x09, 0x88}));  // MSR PSP, r0
  EXPECT_FALSE(sys.may_select_stack({0x80, 0xF3, 0x10, 0x88}));  // MSR PRIMASK, r0
  EXPECT_FALSE(sys.may_select_stack({0xFE, 0xE7}));              // B .
  cpu.set_reg(Reg::control, 2);
  EXPECT_TRUE(sys.on_process_stack());  // Thread mode, SPSEL = 1
  cpu.set_reg(Reg::control, 0);
  EXPECT_FALSE(sys.on_process_stack());
}

TEST_F(CortexM, EntryWithAnActiveFpContextPushesTheExtendedFrame) {
  cpu.set_reg(Reg::control, 4);  // FPCA
  cpu.dregs[0] = 0x1111111122222222ull;
  cpu.set_reg(Reg::fpscr, 0x03000000);
  // Lazy stacking off (FPCCR.LSPEN = 0): the FP state is stored and charged at entry.
  sys.scs_write(0xE000EF34 - 0xE0000000, 4, 0x80000000, 0);  // FPCCR: ASPEN only
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  const Addr frame = 0x20001000 - 0x68;  // 26 words
  EXPECT_EQ(cpu.reg(Reg::msp), frame);
  EXPECT_EQ(cpu.word(frame + 0x20), 0x22222222u);  // S0
  EXPECT_EQ(cpu.word(frame + 0x24), 0x11111111u);  // S1
  EXPECT_EQ(cpu.word(frame + 0x60), 0x03000000u);  // FPSCR
  EXPECT_EQ(cpu.gprs[14], 0xFFFFFFE9u);            // Thread, MSP, extended frame
  EXPECT_EQ(host.frame_words_written, 26u);
  EXPECT_EQ(host.overhead, 12u + 17u);
}

TEST_F(CortexM, LazyStackingChargesTheFpStateOnlyWhenTheHandlerUsesTheFpu) {
  cpu.set_reg(Reg::control, 4);  // FPCA; FPCCR resets with LSPEN = 1 (lazy)
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  EXPECT_EQ(host.frame_words_written, 8u);  // space reserved, state not charged
  EXPECT_EQ(host.overhead, 12u);
  EXPECT_TRUE(sys.state().lazy_fp_pending());
  // The handler does not touch the FPU (CONTROL.FPCA stays 0): the return pops 8 words.
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  cpu.set_reg(Reg::control, 0);
  ASSERT_TRUE(sys.return_from_exception(0xFFFFFFE9, start));
  EXPECT_EQ(host.frame_words_read, 8u);
  EXPECT_EQ(host.overhead, 12u + 10u);
  EXPECT_EQ(cpu.reg(Reg::msp), 0x20001000u);
}

TEST_F(CortexM, ReturnUnstacksTheFrame) {
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  for (unsigned i = 0; i < 4; ++i) cpu.gprs[i] = 0;
  cpu.gprs[12] = 0;
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  ASSERT_TRUE(sys.return_from_exception(cpu.gprs[14], start));
  EXPECT_EQ(cpu.gprs[0], 0x100u);
  EXPECT_EQ(cpu.gprs[3], 0x103u);
  EXPECT_EQ(cpu.gprs[12], 0x10Cu);
  EXPECT_EQ(cpu.gprs[14], 0x08000301u);
  EXPECT_EQ(start, 0x08000200u);
  EXPECT_EQ(cpu.reg(Reg::msp), 0x20001000u);
  EXPECT_EQ(sys.state().active_exception(), 0);
  EXPECT_EQ(host.overhead, 12u + 10u);
}

TEST_F(CortexM, ReturnTailChainsToAPendingExceptionWithoutUnstacking) {
  Addr start = 0;
  ASSERT_TRUE(sys.enter_exception(kExcSysTick, 0x08000200, start));
  const Addr frame = cpu.reg(Reg::msp);
  sys.state().set_pending(kExcPendSv);
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  ASSERT_TRUE(sys.return_from_exception(0xFFFFFFF9, start));
  // B1.5.12 tail-chaining: the next handler runs on the same frame; EXC_RETURN kept in LR.
  EXPECT_EQ(start, 0x08000500u);
  EXPECT_EQ(cpu.reg(Reg::msp), frame);
  EXPECT_EQ(cpu.gprs[14], 0xFFFFFFF9u);
  EXPECT_EQ(cpu.reg(Reg::ipsr), static_cast<std::uint32_t>(kExcPendSv));
  EXPECT_EQ(host.frame_words_read, 0u);
  EXPECT_EQ(host.overhead, 12u + 6u);
  EXPECT_EQ(host.taken, 2u);
}

TEST_F(CortexM, ReturnFromAnExceptionThatIsNotActiveIsAFault) {
  Addr start = 0;
  cpu.set_reg(Reg::xpsr, static_cast<std::uint32_t>(kExcSysTick));
  EXPECT_FALSE(sys.return_from_exception(0xFFFFFFF9, start));
  EXPECT_EQ(host.why, StopReason::fault);
  EXPECT_NE(host.message.find("not active"), std::string::npos);
}

TEST_F(CortexM, SemihostingBkptCallsTheHostAndSkipsTheInstruction) {
  cpu.put16(0x08000100, 0xBEAB);  // BKPT #0xAB
  cpu.set_reg(Reg::pc, 0x08000100);
  cpu.gprs[0] = 0x04;
  cpu.gprs[1] = 0x20000010;
  sys.on_trap(seam::Trap::breakpoint, 7);
  EXPECT_EQ(host.semihost_op, 0x04u);
  EXPECT_EQ(host.semihost_param, 0x20000010u);
  EXPECT_EQ(cpu.gprs[0], 0x1234u);
  EXPECT_EQ(cpu.reg(Reg::pc), 0x08000103u);  // next instruction, Thumb bit
  cpu.put16(0x08000100, 0xBE01);         // BKPT #1: not served
  cpu.set_reg(Reg::pc, 0x08000100);
  sys.on_trap(seam::Trap::breakpoint, 7);
  EXPECT_EQ(host.why, StopReason::fault);
  EXPECT_NE(host.message.find("BKPT #0x01"), std::string::npos);
}

TEST_F(CortexM, SvcIsTakenAtOnceWithTheReturnAddressAfterIt) {
  cpu.set_reg(Reg::pc, 0x08000102);  // Unicorn reports SVC with the PC after it
  sys.on_trap(seam::Trap::supervisor_call, 2);
  EXPECT_EQ(cpu.stops, 1);
  Addr start = 0;
  ASSERT_EQ(sys.after_slice({}, start), IsaSystem::Outcome::resume);
  EXPECT_EQ(start, 0x08000600u);
  EXPECT_EQ(cpu.word(cpu.reg(Reg::msp) + 24), 0x08000102u);  // stacked return address
}

TEST_F(CortexM, ABranchToItselfWithPrimaskSetCanNeverProgress) {
  cpu.set_reg(Reg::primask, 1);
  EXPECT_NE(sys.why_stuck(0x08000100).find("PRIMASK"), std::string::npos);
  cpu.set_reg(Reg::primask, 0);
  // No SysTick, no device event: nothing can interrupt it either.
  EXPECT_NE(sys.why_stuck(0x08000100).find("no exception source"), std::string::npos);
  // SysTick enabled with TICKINT: it can.
  sys.scs_write(CortexMSystem::kSystRvr - 0xE0000000, 4, 99, host.cycles);
  sys.scs_write(CortexMSystem::kSystCsr - 0xE0000000, 4, CortexMSystem::kCsrEnable | CortexMSystem::kCsrTickint,
                host.cycles);
  EXPECT_EQ(sys.why_stuck(0x08000100), "");
}

TEST_F(CortexM, WfiSleepsUntilTheSysTickWrap) {
  sys.scs_write(CortexMSystem::kSystRvr - 0xE0000000, 4, 99, host.cycles);
  sys.scs_write(CortexMSystem::kSystCvr - 0xE0000000, 4, 0, host.cycles);
  sys.scs_write(CortexMSystem::kSystCsr - 0xE0000000, 4, CortexMSystem::kCsrEnable | CortexMSystem::kCsrTickint,
                host.cycles);
  cpu.put16(0x08000100, 0xBF30);  // WFI
  cpu.set_reg(Reg::pc, 0x08000102);      // Unicorn stops after it
  Addr start = 0;
  ASSERT_EQ(sys.after_slice({}, start), IsaSystem::Outcome::resume);
  // B3.3: enabled at cycle 1000 with CVR 0: reload at 1001, wrap (0) 100 cycles later.
  EXPECT_EQ(host.slept, 100u);
  EXPECT_EQ(host.cycles, 1100u);
  EXPECT_EQ(start, 0x08000102u);
}

TEST_F(CortexM, WfiWithNothingToWakeItIsAFault) {
  cpu.put16(0x08000100, 0xBF30);
  cpu.set_reg(Reg::pc, 0x08000102);
  Addr start = 0;
  EXPECT_EQ(sys.after_slice({}, start), IsaSystem::Outcome::stopped);
  EXPECT_NE(host.message.find("sleep forever"), std::string::npos);
}

// Which instructions always need aligned accesses (ARMv7-M ARM A3.2.1), from their encodings
// (A5.2, A5.3.5, A5.3.6, A6.5); halfwords little-endian as in memory.
TEST_F(CortexM, AlignmentNeedsFromTheEncodings) {
  struct Insn {
    std::vector<std::uint16_t> halves;
    std::uint8_t need;
  };
  const std::vector<Insn> insns = {
      {{0x6802}, 0},          // LDR r2, [r0]: unaligned allowed (A3.2.2)
      {{0xE9D0, 0x2300}, 3},  // LDRD r2, r3, [r0]
      {{0xE9C0, 0x2300}, 3},  // STRD r2, r3, [r0]
      {{0xC80C}, 3},          // LDM r0, {r2, r3}
      {{0xB510}, 3},          // PUSH {r4, lr}
      {{0xBD10}, 3},          // POP {r4, pc}
      {{0xE92D, 0x41F0}, 3},  // PUSH.W {r4-r8, lr} (STMDB sp!)
      {{0xE850, 0x2F00}, 3},  // LDREX r2, [r0]
      {{0xE8D0, 0x2F5F}, 1},  // LDREXH r2, [r0]
      {{0xE8D0, 0x2F4F}, 0},  // LDREXB r2, [r0]
      {{0xE8D0, 0xF001}, 0},  // TBB [r0, r1]
      {{0xED90, 0x0A00}, 3},  // VLDR s0, [r0]
      {{0xEC51, 0x0B10}, 0},  // VMOV r0, r1, d0: no memory access
  };
  core::BlockInfo info;
  info.start = 0x08000000;
  std::vector<std::uint8_t> code;
  for (const auto& i : insns) {
    info.insn_addrs.push_back(info.start + static_cast<Addr>(code.size()));
    info.insn_sizes.push_back(static_cast<std::uint8_t>(2 * i.halves.size()));
    for (auto h : i.halves) {
      code.push_back(static_cast<std::uint8_t>(h));
      code.push_back(static_cast<std::uint8_t>(h >> 8));
    }
  }
  const auto need = sys.alignment_needs(info, code);
  ASSERT_EQ(need.size(), insns.size());
  for (std::size_t i = 0; i < insns.size(); ++i) EXPECT_EQ(need[i], insns[i].need) << "instruction " << i;
  // A block with no such instruction, or with an IT instruction, is not checked at all.
  core::BlockInfo plain;
  plain.start = 0x08000000;
  plain.insn_addrs = {0x08000000};
  plain.insn_sizes = {2};
  EXPECT_TRUE(sys.alignment_needs(plain, {0x02, 0x68}).empty());
  plain.insn_addrs = {0x08000000, 0x08000002};
  plain.insn_sizes = {2, 2};
  EXPECT_TRUE(sys.alignment_needs(plain, {0x08, 0xBF, 0x0C, 0xC8}).empty());  // IT EQ; LDMEQ
}

TEST_F(CortexM, OnArmv6mEveryAccessMustBeNaturallyAligned) {
  CortexMConfig c = m4_config(false);
  c.profile = ArmProfile::v6m;
  CortexMIsaSystem m0{host, c, costs()};
  core::BlockInfo info;
  info.start = 0x08000000;
  info.insn_addrs = {0x08000000};
  info.insn_sizes = {2};
  const auto need = m0.alignment_needs(info, {0x02, 0x68});  // LDR r2, [r0]
  ASSERT_EQ(need.size(), 1u);
  EXPECT_EQ(need[0], IsaSystem::kNaturalAlignment);
}

TEST_F(CortexM, SelfBranchEncodings) {
  EXPECT_TRUE(sys.is_self_branch({0xFE, 0xE7}));              // B . (T2)
  EXPECT_TRUE(sys.is_self_branch({0xFF, 0xF7, 0xFE, 0xBF}));  // B.W . (T4)
  EXPECT_FALSE(sys.is_self_branch({0x01, 0xA0}));             // ADR r0, #4: not a branch on Arm
}

// ---- RV32 -------------------------------------------------------------------------------------
struct Rv32 : ::testing::Test {
  FakeHost host;
  Rv32System sys{host};
  FakeCpu& cpu = host.fake;
  void SetUp() override {
    host.b.core = "ibex";
    host.b.vector_table.reset();
  }
};

TEST_F(Rv32, CounterCsrsReadTheModelledCounts) {
  const Cycles cycle = 0x123456789ull;
  const std::uint64_t retired = 0xABCDEF012ull;
  // Privileged spec 2.12: mcycle 0xB00, minstret 0xB02, cycle 0xC00, instret 0xC02; +0x80 = high.
  EXPECT_EQ(sys.counter_value(0xB00, cycle, retired), 0x23456789u);
  EXPECT_EQ(sys.counter_value(0xB80, cycle, retired), 0x1u);
  EXPECT_EQ(sys.counter_value(0xC00, cycle, retired), 0x23456789u);
  EXPECT_EQ(sys.counter_value(0xB02, cycle, retired), 0xBCDEF012u);
  EXPECT_EQ(sys.counter_value(0xC82, cycle, retired), 0xAu);
}

TEST_F(Rv32, ResetStartsAtTheBoardsResetPcAndMeasuresTheStackFromTheTopOfSram) {
  host.b.reset_pc = kFlash + 0x80;
  ElfImage image;
  image.entry = kFlash;
  const ResetState r = sys.reset(image);
  EXPECT_EQ(r.pc, kFlash + 0x80);
  EXPECT_EQ(r.sp, kSram + kSize);
  host.b.reset_pc = 0x40000000;  // outside memory
  EXPECT_THROW(sys.reset(image), InputError);
}

TEST_F(Rv32, EbreakSemihostingSequenceIsServedAndSkipped) {
  cpu.put(kFlash + 0x100, 0x01f01013);  // slli x0, x0, 0x1f
  cpu.put(kFlash + 0x104, 0x00100073);  // ebreak
  cpu.put(kFlash + 0x108, 0x40705013);  // srai x0, x0, 7
  cpu.set_reg(Reg::pc, kFlash + 0x104);
  cpu.gprs[10] = 0x03;
  cpu.gprs[11] = kSram;
  EXPECT_TRUE(sys.on_invalid_instruction(kFlash + 0x104));  // served after the slice
  Addr start = 0;
  ASSERT_EQ(sys.after_slice({true, "exception"}, start), IsaSystem::Outcome::resume);
  EXPECT_EQ(host.semihost_op, 0x03u);
  EXPECT_EQ(host.semihost_param, kSram);
  EXPECT_EQ(cpu.gprs[10], 0x1234u);
  EXPECT_EQ(start, kFlash + 0x10C);
}

TEST_F(Rv32, PlainEbreakEndsTheRunOnlyOnBoardsThatSaySo) {
  cpu.put(kFlash + 0x100, 0x00100073);
  cpu.set_reg(Reg::pc, kFlash + 0x100);
  Addr start = 0;
  EXPECT_EQ(sys.after_slice({true, "exception"}, start), IsaSystem::Outcome::stopped);
  EXPECT_EQ(host.why, StopReason::fault);
  FakeHost h2;
  Rv32System s2{h2};
  h2.b.ebreak_exits = true;
  h2.fake.put(kFlash + 0x100, 0x00100073);
  h2.fake.set_reg(Reg::pc, kFlash + 0x100);
  EXPECT_EQ(s2.after_slice({true, "exception"}, start), IsaSystem::Outcome::stopped);
  EXPECT_EQ(h2.exit_status, 0);
}

TEST_F(Rv32, AnEmulatorErrorThatIsNotAnEbreakIsNotTheSystemsToServe) {
  cpu.put(kFlash + 0x100, 0x00000013);  // nop
  cpu.set_reg(Reg::pc, kFlash + 0x100);
  Addr start = 0;
  EXPECT_EQ(sys.after_slice({true, "read unmapped"}, start), IsaSystem::Outcome::not_mine);
  EXPECT_FALSE(host.stopped);
}

TEST_F(Rv32, EcallIsReportedAsNotModelled) {
  cpu.set_reg(Reg::pc, kFlash + 0x104);  // Unicorn reports it with the PC after it
  sys.on_trap(seam::Trap::environment_call, 8);
  EXPECT_EQ(host.why, StopReason::unsupported);
  EXPECT_NE(host.message.find("ECALL at PC 0x08000100"), std::string::npos);
}

// Privileged spec 3.1.6.1 (mstatus.MIE, bit 3) and 3.1.9 (mie): a `j .` with either clear can
// never be interrupted.
TEST_F(Rv32, ABranchToItselfWithMieClearOrNoSourceEnabledCanNeverProgress) {
  cpu.set_reg(Reg::mstatus, 0);
  EXPECT_NE(sys.why_stuck(kFlash).find("mstatus.MIE = 0"), std::string::npos);
  EXPECT_TRUE(sys.interrupts_disabled());
  cpu.set_reg(Reg::mstatus, 1u << 3);
  cpu.set_reg(Reg::mie, 0);
  EXPECT_NE(sys.why_stuck(kFlash).find("mie = 0"), std::string::npos);
  EXPECT_FALSE(sys.interrupts_disabled());
  cpu.set_reg(Reg::mie, 1u << 7);  // MTIE, but no device has an event either
  EXPECT_NE(sys.why_stuck(kFlash).find("no device event"), std::string::npos);
}

TEST_F(Rv32, HasNoProcessStack) {
  EXPECT_FALSE(sys.may_select_stack({0x73, 0x00, 0x10, 0x00}));
  EXPECT_FALSE(sys.on_process_stack());
}

TEST_F(Rv32, SelfBranchEncodings) {
  EXPECT_TRUE(sys.is_self_branch({0x6F, 0x00, 0x00, 0x00}));  // jal x0, 0
  EXPECT_TRUE(sys.is_self_branch({0x01, 0xA0}));              // c.j 0
  EXPECT_FALSE(sys.is_self_branch({0xFE, 0xE7}));             // a Thumb `b .` means nothing here
}

}  // namespace
}  // namespace mcusim
