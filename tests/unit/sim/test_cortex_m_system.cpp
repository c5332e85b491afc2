// CortexMSystem register behaviour and priority resolution against the Armv7-M/Armv6-M ARM
// (sections cited in cortex_m_system.h), with stub inputs: cycles and mask registers by hand.
#include <gtest/gtest.h>

#include "cortex_m_system.h"
#include "mcusim/base/errors.h"

namespace mcusim {
namespace {

using S = CortexMSystem;

CortexMSystem v7m() {
  CortexMConfig c;
  c.profile = ArmProfile::v7m;
  c.priority_bits = 4;
  c.external_irqs = 64;
  c.vtor_reset = 0x08000000;
  c.has_fpu = true;
  return CortexMSystem(c);
}

TEST(SysTick, CountsDownAtTheCoreClockAndWrapsEveryReloadPlusOne) {
  auto s = v7m();
  s.write(S::kSystRvr, 4, 9, 100);
  s.write(S::kSystCvr, 4, 0, 100);
  s.write(S::kSystCsr, 4, S::kCsrEnable | S::kCsrTickint, 100);  // enabled at cycle 100
  // B3.3: 0 at 100, reloads 9 at 101, 1 at 109, 0 (wrap) at 110, 9 at 111, wrap at 120.
  EXPECT_EQ(s.read(S::kSystCvr, 100), 0u);
  EXPECT_EQ(s.read(S::kSystCvr, 101), 9u);
  EXPECT_EQ(s.read(S::kSystCvr, 109), 1u);
  EXPECT_EQ(s.next_event(100), 110u);
  EXPECT_EQ(s.exception_to_take({}), 0);
  s.sync(109);
  EXPECT_EQ(s.exception_to_take({}), 0);
  s.sync(110);
  EXPECT_EQ(s.exception_to_take({}), kExcSysTick);
  EXPECT_EQ(s.read(S::kSystCvr, 111), 9u);
  // COUNTFLAG: set by the wrap, cleared by reading CSR.
  EXPECT_TRUE(s.read(S::kSystCsr, 112) & S::kCsrCountflag);
  EXPECT_FALSE(s.read(S::kSystCsr, 113) & S::kCsrCountflag);
  // CLKSOURCE reads as 1 (no reference clock) and CALIB says so (NOREF, SKEW).
  EXPECT_TRUE(s.read(S::kSystCsr, 113) & S::kCsrClksource);
  EXPECT_EQ(s.read(S::kSystCalib, 113), 0xC0000000u);
}

TEST(SysTick, NextWrapAfterTheFirstUsesThePeriod) {
  auto s = v7m();
  s.write(S::kSystRvr, 4, 999, 0);
  s.write(S::kSystCsr, 4, S::kCsrEnable | S::kCsrTickint, 0);
  EXPECT_EQ(s.next_event(0), 1000u);
  s.sync(1000);
  ASSERT_EQ(s.exception_to_take({}), kExcSysTick);
  s.activate(kExcSysTick);
  // Active, not pending: the next wrap (at 2000) pends it again.
  EXPECT_EQ(s.next_event(1000), 2000u);
  s.sync(2000);
  // Pending but held back by its own active handler: nothing until the return.
  EXPECT_EQ(s.next_event(2000), S::kNever);
  ASSERT_TRUE(s.deactivate(kExcSysTick));
  EXPECT_EQ(s.next_event(2100), 2100u);  // now it can be taken
  s.activate(kExcSysTick);
  ASSERT_TRUE(s.deactivate(kExcSysTick));
  EXPECT_EQ(s.next_event(2500), 3000u);
}

TEST(SysTick, CurrentValueWriteRestartsAndRvrZeroStops) {
  auto s = v7m();
  s.write(S::kSystRvr, 4, 99, 0);
  s.write(S::kSystCsr, 4, S::kCsrEnable, 0);
  EXPECT_EQ(s.read(S::kSystCvr, 50), 50u);
  s.write(S::kSystCvr, 4, 1234, 50);  // any write clears the count
  EXPECT_EQ(s.read(S::kSystCvr, 50), 0u);
  EXPECT_EQ(s.read(S::kSystCvr, 51), 99u);
  s.write(S::kSystRvr, 4, 0, 60);  // counts on to 0, then stays there
  EXPECT_EQ(s.read(S::kSystCvr, 60 + 90), 0u);
  EXPECT_EQ(s.read(S::kSystCvr, 60 + 1000), 0u);
  // Disabled: the count freezes; no TICKINT: no event.
  EXPECT_EQ(s.next_event(2000), S::kNever);
}

TEST(Priorities, PendingExceptionsResolveByPriorityAndMasks) {
  auto s = v7m();
  // SHPR3: PendSV (byte 2) = 0x80, SysTick (byte 3) = 0x40; 4 implemented bits.
  s.write(S::kShpr3, 4, 0x40800000, 0);
  EXPECT_EQ(s.priority(kExcPendSv), 0x80);
  EXPECT_EQ(s.priority(kExcSysTick), 0x40);
  s.write(S::kShpr3 + 3, 1, 0x4F, 0);  // low bits not implemented: read as zero
  EXPECT_EQ(s.priority(kExcSysTick), 0x40);
  s.write(S::kIcsr, 4, S::kIcsrPendsvset | S::kIcsrPendstset, 0);
  EXPECT_EQ(s.exception_to_take({}), kExcSysTick);
  EXPECT_EQ(s.exception_to_take({.primask = true}), 0);
  EXPECT_EQ(s.exception_to_take({.basepri = 0x40}), 0);  // BASEPRI 0x40 masks priority >= 0x40
  EXPECT_EQ(s.exception_to_take({.basepri = 0x80}), kExcSysTick);
  EXPECT_EQ(s.exception_to_take({.faultmask = true}), 0);
  // ICSR: VECTPENDING is the highest pending whatever the masks.
  EXPECT_EQ((s.read(S::kIcsr, 0) >> 12) & 0x1FF, static_cast<std::uint32_t>(kExcSysTick));
  s.activate(kExcSysTick);
  EXPECT_EQ(s.read(S::kIcsr, 0) & 0x1FF, static_cast<std::uint32_t>(kExcSysTick));  // VECTACTIVE
  EXPECT_TRUE(s.read(S::kIcsr, 0) & S::kIcsrRettobase);
  EXPECT_EQ(s.exception_to_take({}), 0);  // PendSV 0x80 does not preempt SysTick 0x40
  EXPECT_EQ(s.next_event(5), S::kNever);  // held back by the active handler only
  EXPECT_TRUE(s.deactivate(kExcSysTick));
  EXPECT_EQ(s.exception_to_take({}), kExcPendSv);
  EXPECT_FALSE(s.deactivate(kExcSysTick));  // not active
}

TEST(Priorities, PrigroupSplitsGroupAndSubpriority) {
  auto s = v7m();
  s.write(S::kShpr3, 4, 0x50400000, 0);  // PendSV 0x40, SysTick 0x50
  s.activate(kExcSysTick);
  s.write(S::kIcsr, 4, S::kIcsrPendsvset, 0);
  EXPECT_EQ(s.exception_to_take({}), kExcPendSv);    // PRIGROUP 0: 0x40 < 0x50 preempts
  s.write(S::kAircr, 4, 0x05FA0000 | (5u << 8), 0);  // group = priority[7:6]
  EXPECT_EQ(s.read(S::kAircr, 0), 0xFA050500u);
  EXPECT_EQ(s.exception_to_take({}), 0);  // same group 0x40: no preemption
  s.write(S::kAircr, 4, 0x12340000, 0);   // no VECTKEY: ignored
  EXPECT_EQ(s.read(S::kAircr, 0), 0xFA050500u);
}

TEST(Nvic, EnablePendPriorityAndSoftwareTrigger) {
  auto s = v7m();
  s.write(S::kNvicIpr + 33, 1, 0x30, 0);  // IRQ33 priority byte
  EXPECT_EQ(s.read(S::kNvicIpr + 32, 0), 0x3000u);
  s.write(S::kStir, 4, 33, 0);  // pends IRQ33 (exception 49)
  EXPECT_EQ(s.read(S::kNvicIspr + 4, 0), 1u << 1);
  EXPECT_TRUE(s.read(S::kIcsr, 0) & S::kIcsrIsrpending);
  EXPECT_EQ(s.exception_to_take({}), 0);  // not enabled
  s.write(S::kNvicIser + 4, 4, 1u << 1, 0);
  EXPECT_EQ(s.read(S::kNvicIser + 4, 0), 1u << 1);
  EXPECT_EQ(s.exception_to_take({}), kExcIrq0 + 33);
  s.write(S::kNvicIcpr + 4, 4, 1u << 1, 0);
  EXPECT_EQ(s.exception_to_take({}), 0);
  EXPECT_EQ(s.read(S::kIctr, 0), 1u);  // 64 lines: INTLINESNUM = 1
}

TEST(Wfi, WakeUpIgnoresPrimaskButNeedsAnEnabledSource) {
  auto s = v7m();
  EXPECT_FALSE(s.wake_cycle(0, {}).has_value());  // nothing enabled
  s.write(S::kSystRvr, 4, 99, 0);
  s.write(S::kSystCsr, 4, S::kCsrEnable, 0);
  EXPECT_FALSE(s.wake_cycle(0, {}).has_value());  // no TICKINT
  s.write(S::kSystCsr, 4, S::kCsrEnable | S::kCsrTickint, 0);
  EXPECT_EQ(s.wake_cycle(10, {.primask = true}),
            100u);  // B1.5.19: PRIMASK does not stop the wake-up
  s.write(S::kShpr3, 4, 0x80000000, 0);
  EXPECT_FALSE(s.wake_cycle(10, {.basepri = 0x80}).has_value());  // BASEPRI does
}

TEST(V6m, NoBasepriTwoPriorityBitsWordPriorities) {
  CortexMConfig c;
  c.profile = ArmProfile::v6m;
  c.priority_bits = 2;
  c.external_irqs = 32;
  CortexMSystem s(c);
  s.write(S::kShpr3, 4, 0xFFFF0000, 0);
  EXPECT_EQ(s.priority(kExcSysTick), 0xC0);
  s.write(S::kIcsr, 4, S::kIcsrPendstset, 0);
  EXPECT_EQ(s.exception_to_take({.basepri = 0x40}), kExcSysTick);  // BASEPRI does not exist
  EXPECT_FALSE(s.owns(S::kStir));
  EXPECT_TRUE(s.stack_align8());
}

TEST(ExceptionTable, CortexM4CostsAndErrors) {
  auto t = load_exception_table(MCUSIM_EXCEPTIONS_TABLE, "cortex-m4", "cortex-m4");
  EXPECT_EQ(t.costs.entry, 12u);
  EXPECT_EQ(t.costs.exit, 10u);
  EXPECT_EQ(t.costs.tail_chain, 6u);
  EXPECT_EQ(t.costs.fp_entry_extra, 17u);
  EXPECT_EQ(t.config.priority_bits, 4u);
  EXPECT_TRUE(t.config.has_fpu);
  auto fb = load_exception_table(MCUSIM_EXCEPTIONS_TABLE, "my-m0plus-variant", "cortex-m0plus");
  EXPECT_EQ(fb.key, "cortex-m0plus");
  EXPECT_EQ(fb.config.profile, ArmProfile::v6m);
  for (const char* core : {"cortex-m3", "cortex-m7", "cortex-m33"})
    EXPECT_NO_THROW(load_exception_table(MCUSIM_EXCEPTIONS_TABLE, core, core)) << core;
  EXPECT_THROW(load_exception_table(MCUSIM_EXCEPTIONS_TABLE, "nope", "nope2"), InputError);
}

}  // namespace
}  // namespace mcusim
