// Firmware-visible time on Cortex-M4 (nucleo-l4r5zi, 0 wait states): SysTick, WFI, exception
// entry/return, tail-chaining and the FP extended frame. Expected numbers are derived by hand from
// core-models/data/exceptions.toml (cortex-m4: entry 12, exit 10, tail_chain 6, fp_entry_extra 17,
// fp_exit_extra 17; sources there) and cortex-m4.toml (ALU/STR/BX/WFI/SVC 1, LDR 2, VMOV core<->FP
// 2, taken immediate branch refill P = 1, semihosting BKPT 0), never from the simulator's output.
#include <string>

#include "sim_fixture.h"

namespace mcusim::test {
namespace {

constexpr Cycles kEntry = 12, kExit = 10, kTailChain = 6, kFpExtra = 17;

// --- WFI for N SysTick periods ------------------------------------------------------------------
// sys_wfi.S: SysTick with RVR = R = 999 (period R + 1 = 1000 cycles), TICKINT; a first WFI puts
// the loop in phase with the wraps. Let W0 be the wrap that ends it. At W0 the block after the WFI
// is not run yet: SysTick is taken, entry 12 + handler BX LR 1 + exit 10 = 23, then that block
// (MOVS, MOV.W, ADDW, BKPT = 3) and ROI_BEGIN snapshots at W0 + 26.
// Each of the N loop iterations: WFI (1), sleep to the next wrap Wk, at Wk SysTick (23), SUBS +
// BNE (2), and, except after the last, the taken BNE refill (1) before the next WFI: the core is
// awake 1 + 23 + 2 + 1 = 27 cycles per period (the refill of iteration k is paid before the WFI of
// iteration k+1; the first WFI directly follows ROI_BEGIN at W0 + 26, also 27 cycles after W0).
// ROI_END (MOVW, MOVS = 2) snapshots at WN + 23 + 2 + 2 = WN + 27.
// Region = WN + 27 - (W0 + 26) = N * 1000 + 1; sleep = N * (1000 - 27); N exceptions of 22.
void check_wfi_periods(const std::string& snippet, std::uint64_t n) {
  auto r = run_snippet(snippet, kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  const Counters& c = region(r, 1).counters;
  EXPECT_EQ(c.cycles, n * 1000 + 1);
  EXPECT_EQ(c.sleep_cycles, n * (1000 - 27));
  EXPECT_EQ(c.exceptions, n);
  EXPECT_EQ(c.exception_cycles, n * (kEntry + kExit));
  // Awake cycles: everything but the sleep.
  EXPECT_EQ(c.cycles - c.sleep_cycles, n * 27 + 1);
}

TEST(Exceptions, WfiSleepsThreeSysTickPeriods) {
  check_wfi_periods("sys_wfi_3", 3);
}
TEST(Exceptions, WfiSleepsSevenSysTickPeriods) {
  check_wfi_periods("sys_wfi_7", 7);
}

TEST(Exceptions, SleepCyclesAreCountedInTheTotal) {
  auto r = run_snippet("sys_wfi_3", kZeroWaitStates);
  // The first WFI also sleeps; the region's three periods are part of the total.
  EXPECT_GT(r.total.sleep_cycles, region(r, 1).counters.sleep_cycles);
  EXPECT_EQ(r.total.exceptions, 4u);  // the wrap W0 and three in the region
}

TEST(Exceptions, WfiWithNothingToWakeItIsAnErrorNamingThePc) {
  auto r = run_snippet("sys_wfi_forever", kZeroWaitStates);
  EXPECT_EQ(r.stop, StopReason::fault);
  // The WFI is at 0x08000056: 0x48 bytes of vectors (16 system + 2 from harness.inc), then
  // LDR, MOV.W (4 bytes), STR, MOVS, STR, NOP before it (sys_wfi_forever.S).
  EXPECT_NE(r.stop_message.find(
                "WFI at 0x08000056 with no enabled interrupt: the core would sleep forever"),
            std::string::npos)
      << r.stop_message;
}

// --- SysTick current value ----------------------------------------------------------------------
// sys_cvr.S: RVR = 1000, CVR cleared, enabled (no TICKINT) by a STR at cycle t. The counter holds
// 0 at t, reloads 1000 at t + 1 and reads 1000 - (x - t - 1) at cycle x. The CVR read (LDR, no
// pipelining after NOP) issues after the STR (1) and 10 NOPs (1 each): x = t + 11, value 990.
TEST(Exceptions, SysTickCurrentValueCountsDownAtTheCoreClock) {
  auto r = run_snippet("sys_cvr", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, 990);
}

// --- entry and return measured with DWT->CYCCNT
// --------------------------------------------------- sys_svc.S: t0 = CYCCNT read by LDR r4,[r3] (2
// cycles: its address is the previous load's result, so it does not pipeline), SVC (1), then t1 =
// CYCCNT read by the first instruction after the return. Delta = 2 + 1 + entry + handler + return
// costs.
constexpr Cycles kAroundSvc = 2 + 1;

TEST(Exceptions, SvcEntryAndReturnCostTheTableValues) {
  auto r = run_snippet("sys_svc", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // Handler: BX LR (1).
  EXPECT_EQ(static_cast<Cycles>(r.exit_code), kAroundSvc + kEntry + 1 + kExit);
  EXPECT_EQ(r.total.exceptions, 1u);
  EXPECT_EQ(r.total.exception_cycles, kEntry + kExit);
  // The basic frame: 8 words pushed and popped (plus the 2 exit-block words the firmware stores).
  EXPECT_EQ(r.total.sram.writes, 8u + 2u);
  EXPECT_EQ(r.total.sram.reads, 8u);
}

TEST(Exceptions, TailChainingSkipsTheUnstackAndRestack) {
  auto r = run_snippet("sys_svc_tail", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // SVC handler: STR to ICSR.PENDSVSET (1) + BX LR (1); PendSV has the same priority, so it waits
  // and is tail-chained (6) at the SVC return; PendSV handler BX LR (1); return (10).
  EXPECT_EQ(static_cast<Cycles>(r.exit_code), kAroundSvc + kEntry + 2 + kTailChain + 1 + kExit);
  EXPECT_EQ(r.total.exceptions, 2u);
}

TEST(Exceptions, HandlerUsingTheFpuWithoutFpContextCostsNoFrameExtra) {
  auto r = run_snippet("sys_svc_handler_fp", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // Handler: VMOV s0, r0 (2) + BX LR (1); the thread had no FP context: basic frame.
  EXPECT_EQ(static_cast<Cycles>(r.exit_code), kAroundSvc + kEntry + 3 + kExit);
}

TEST(Exceptions, LazyStackingReservesTheFpFrameWithoutCost) {
  auto r = run_snippet("sys_svc_fp_lazy", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // FPCA = 1, FPCCR.LSPEN = 1 (reset), the handler does not touch the FPU: no FP state moves.
  EXPECT_EQ(static_cast<Cycles>(r.exit_code), kAroundSvc + kEntry + 1 + kExit);
}

TEST(Exceptions, ExtendedFrameCostsTheFpExtraWhenLazyStackingIsOff) {
  auto r = run_snippet("sys_svc_fp_eager", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // FPCA = 1 and FPCCR.LSPEN = 0: S0-S15 and FPSCR pushed (+17) and popped (+17).
  EXPECT_EQ(static_cast<Cycles>(r.exit_code),
            kAroundSvc + kEntry + kFpExtra + 1 + kExit + kFpExtra);
  EXPECT_EQ(r.total.exception_cycles, kEntry + kExit + 2 * kFpExtra);
}

TEST(Exceptions, LazySaveTriggeredByTheHandlerCostsTheFpExtraAndPreservesS0) {
  auto r = run_snippet("sys_svc_fp_lazy_used", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // The handler's VMOV s0, r0 (2) triggers the lazy save (+17, charged at the return); the
  // return pops the saved state (+17). S0 = 123 is restored (status 9999 otherwise).
  EXPECT_EQ(static_cast<Cycles>(r.exit_code),
            kAroundSvc + kEntry + 3 + kFpExtra + kExit + kFpExtra);
}

TEST(Exceptions, SameFirmwareSameCyclesBitForBit) {
  auto a = run_snippet("sys_wfi_7", kZeroWaitStates);
  auto b = run_snippet("sys_wfi_7", kZeroWaitStates);
  EXPECT_EQ(a.total.cycles, b.total.cycles);
  EXPECT_EQ(a.total.sleep_cycles, b.total.sleep_cycles);
  EXPECT_EQ(a.total.instructions, b.total.instructions);
}

}  // namespace
}  // namespace mcusim::test

namespace mcusim::test {
namespace {

// The same WFI firmware on the other ARMv7-M/ARMv8-M cores (exception return arrives differently
// per Unicorn CPU model: intno 3 on M3/M7, intno 8 on M33; unicorn-notes.md). Whatever a core's
// entry/return and instruction costs, each loop iteration is awake for less than one SysTick
// period and wakes at the next wrap, so 7 periods take exactly 4 x 1000 cycles more than 3, and
// every period takes one SysTick exception.
TEST(Exceptions, WfiPeriodsOnEveryArmv7AndArmv8Core) {
  for (const char* core : {"cortex-m3", "cortex-m7", "cortex-m33"}) {
    SCOPED_TRACE(core);
    const std::string board = std::string(TEST_BOARD_DIR) + "/arm-" + core + ".toml";
    auto r3 = run_snippet_on(board, "sys_wfi_3");
    auto r7 = run_snippet_on(board, "sys_wfi_7");
    ASSERT_EQ(r3.stop, StopReason::exited) << r3.stop_message;
    ASSERT_EQ(r7.stop, StopReason::exited) << r7.stop_message;
    const Counters& a = region(r3, 1).counters;
    const Counters& b = region(r7, 1).counters;
    EXPECT_EQ(b.cycles - a.cycles, 4u * 1000u);
    EXPECT_EQ(a.exceptions, 3u);
    EXPECT_EQ(b.exceptions, 7u);
    EXPECT_GE(a.cycles, 3u * 1000u);
    EXPECT_LT(a.cycles, 4u * 1000u);
  }
}

}  // namespace
}  // namespace mcusim::test
