// Energy through the whole engine: counts x table on a known loop (flash_loop.S: per iteration 7
// ALU instructions + 1 BNE, two 64-bit flash read units; see test_flash.cpp), and the supply
// voltage setting. Expectations are derived by hand from the snippet and the table's entries.
#include "mcusim/energy_report.h"
#include "mcusim/base/errors.h"
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

// 0 WS, no ART: each iteration is 9 cycles (test_flash.cpp ZeroWaitStates) and reads both flash
// units A and B from the array (test_flash.cpp FiveWaitStatesNoAccelerator), no hits.
const std::vector<std::string> kNoArt = {"flash.wait_states=0", "flash.prefetch=false",
                                         "flash.icache.enabled=false",
                                         "flash.dcache.enabled=false"};

const RegionResult& loop_region(const RunResult& r) {
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  return region(r, 1);
}

TEST(Energy, DoublingTheLoopDoublesItsDynamicEnergy) {
  auto r10 = run_snippet("flash_loop_10", kNoArt);
  auto r20 = run_snippet("flash_loop_20", kNoArt);
  const auto& a = loop_region(r10);
  const auto& b = loop_region(r20);
  const auto& t = r10.energy_model;
  // The ten extra iterations: 70 ALU + 10 branches, 90 cycles, 20 flash array reads, no hits.
  const Counters d = b.counters - a.counters;
  ASSERT_EQ(d.classes[static_cast<std::size_t>(core::InsnClass::alu)], 70u);
  ASSERT_EQ(d.classes[static_cast<std::size_t>(core::InsnClass::branch)], 10u);
  ASSERT_EQ(d.instructions, 80u);
  ASSERT_EQ(d.cycles, 90u);
  ASSERT_EQ(d.flash.array_reads, 20u);
  ASSERT_EQ(d.flash.prefetch_reads, 0u);
  ASSERT_EQ(d.flash.icache.hits + d.flash.dcache.hits + d.flash.ifetch_buffer_hits, 0u);
  // One iteration from the table: 7 x alu + 1 x branch + 9 x cycle + 2 x flash_read (pJ).
  const double per_iteration = 7 * t.insn_pj[static_cast<std::size_t>(core::InsnClass::alu)] +
                               t.insn_pj[static_cast<std::size_t>(core::InsnClass::branch)] +
                               9 * t.cycle_pj + 2 * t.mem(power::MemAction::flash_read);
  // N = 20 costs the dynamic energy of N = 10 plus ten iterations: the loop's share doubles.
  EXPECT_NEAR(b.energy.dynamic_pj() - a.energy.dynamic_pj(), 10 * per_iteration, 1e-6);
  // The parts of each region add up to its total exactly.
  for (auto* e : {&a.energy, &b.energy}) {
    double sum = 0;
    for (double p : e->parts()) sum += p;
    EXPECT_EQ(sum, e->total_pj());
  }
  double sum = 0;
  for (double p : r20.energy.parts()) sum += p;
  EXPECT_EQ(sum, r20.energy.total_pj());
}

TEST(Energy, LdoPartDrawsItsCoreCurrentAtAnySupplyVoltage) {
  // stm32l4r5-range1-boost is calibrated at 3.0 V, Range 1 boost, and feeds its core through an
  // LDO (docs/models/energy.md "Supply"): at 1.8 V the core current is the same and is drawn at
  // 1.8 V, so dynamic and static energy both scale x 1.8 / 3.0 = 0.6 (not the CV^2 x 0.36).
  auto nominal = run_snippet("flash_loop_10", kNoArt);
  auto low = run_snippet(
      "flash_loop_10", {"flash.wait_states=0", "flash.prefetch=false", "flash.icache.enabled=false",
                        "flash.dcache.enabled=false", "vdd_v=1.8"});
  const auto& a = loop_region(nominal);
  const auto& b = loop_region(low);
  ASSERT_EQ(a.counters.cycles, b.counters.cycles);  // the clock and the timing do not change
  EXPECT_DOUBLE_EQ(low.energy_model.vdd_v, 1.8);
  EXPECT_NEAR(b.energy.dynamic_pj() / a.energy.dynamic_pj(), 0.6, 1e-12);
  EXPECT_NEAR(b.energy.static_pj / a.energy.static_pj, 0.6, 1e-12);
}

TEST(Energy, LowerCoreVoltageRangeScalesDynamicEnergyOnAnLdoPart) {
  // Range 1 (1.2 V) instead of Range 1 boost (1.28 V) at the same clock setting: dynamic energy
  // x 1.2 / 1.28 = 0.9375 (C V_core^2 drawn through the LDO at VDD: x V_core); static unchanged.
  auto nominal = run_snippet("flash_loop_10", kNoArt);
  auto r1 = run_snippet(
      "flash_loop_10", {"flash.wait_states=0", "flash.prefetch=false", "flash.icache.enabled=false",
                        "flash.dcache.enabled=false", "clock_mhz=80"});
  const auto& a = loop_region(nominal);
  const auto& b = loop_region(r1);
  EXPECT_EQ(r1.energy_model.range, "range1");  // the lowest range that allows 80 MHz
  EXPECT_DOUBLE_EQ(r1.energy_model.vcore_v, 1.2);
  ASSERT_EQ(a.counters.cycles, b.counters.cycles);  // 0 WS fixed: same cycles at 80 MHz
  EXPECT_NEAR(b.energy.dynamic_pj() / a.energy.dynamic_pj(), 0.9375, 1e-12);
  // A range that does not allow the clock is refused, naming the key.
  try {
    run_snippet("flash_loop_10", {"vcore_range=\"range2\""});
    FAIL() << "Range 2 accepted at 120 MHz";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("vcore_range"), std::string::npos) << e.what();
  }
}

TEST(Energy, SupplyVoltageOutsideThePartsRangeIsRefused) {
  try {
    run_snippet("flash_loop_10", {"vdd_v=4.0"});
    FAIL() << "4.0 V accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[1.71, 3.6] V"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mcusim::test

namespace mcusim::test {
namespace {

TEST(Energy, CyclesAsleepInWfiAreChargedAtSleepPower) {
  // sys_wfi.S sleeps in WFI for 3 SysTick periods of 1000 cycles (test_exceptions.cpp derives the
  // sleep: 3 x 973 cycles). Those cycles cost sleep power x time, and neither the per-cycle
  // (clock) energy nor static power: clock_pj = cycle_pj x awake cycles, static = static_mw x
  // awake time, sleep = sleep_mw x sleep time (1 mW x 1 s = 1e9 pJ).
  // (region 1, the loop; the run also sleeps once before it to get in phase.)
  auto run = run_snippet("sys_wfi_3", {"flash.wait_states=0"});
  ASSERT_EQ(run.stop, StopReason::exited) << run.stop_message;
  const auto& t = run.energy_model;
  struct {
    const Counters& total;
    const power::EnergyBreakdown& energy;
    const BoardConfig& board;
    double seconds() const { return static_cast<double>(total.cycles) / static_cast<double>(board.clock_hz); }
  } r{region(run, 1).counters, region(run, 1).energy, run.board};
  const Cycles sleep = r.total.sleep_cycles;
  ASSERT_EQ(sleep, 3u * 973u);
  const double hz = static_cast<double>(r.board.clock_hz);
  const double awake_s = static_cast<double>(r.total.cycles - sleep) / hz;
  EXPECT_DOUBLE_EQ(r.energy.sleep_pj, t.sleep_mw * (static_cast<double>(sleep) / hz) * 1e9);
  EXPECT_DOUBLE_EQ(r.energy.clock_pj, t.cycle_pj * static_cast<double>(r.total.cycles - sleep));
  EXPECT_NEAR(r.energy.static_pj, t.static_mw * awake_s * 1e9, 1e-9 * r.energy.static_pj);
  // Sleep power is below run power, so the WFI-heavy run averages less than the awake part.
  const double awake_mw = (r.energy.total_pj() - r.energy.sleep_pj) * 1e-9 / awake_s;
  EXPECT_LT(r.energy.average_mw(r.seconds()), awake_mw);
}

}  // namespace
}  // namespace mcusim::test
