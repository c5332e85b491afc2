// Unit tests of the energy model (docs/models/energy.md) with synthetic tables and event counts.
// Every expectation is worked out by hand from the numbers in the test, in the comments.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mcusim/base/errors.h"
#include "mcusim/power/energy_model.h"

namespace mcusim::power {
namespace {

constexpr auto kAlu = static_cast<std::size_t>(core::InsnClass::alu);
constexpr auto kLoad = static_cast<std::size_t>(core::InsnClass::load);

// A table with a distinct value in every memory action and awkward (non-dyadic) numbers, so that
// a wrong summation order or a part left out shows.
EnergyTable hand_table() {
  EnergyTable t;
  t.name = "hand";
  t.part = "test part";
  t.vdd_v = t.nominal_vdd_v = 3.0;
  t.vdd_min_v = 1.7;
  t.vdd_max_v = 3.6;
  t.clock_hz = 100'000'000;
  t.insn_pj[kAlu] = 5.1;
  t.insn_pj[kLoad] = 7.3;
  t.cycle_pj = 2.2;
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    t.memory_pj[i] = 10.0 * (i + 1) + 0.1;  // 10.1, 20.1, ... 100.1
  t.static_mw = 3.0;
  t.sleep_mw = 1.0;
  return t;
}

EnergyEvents hand_events() {
  EnergyEvents ev;
  ev.classes[kAlu] = 10;
  ev.classes[kLoad] = 2;
  ev.cycles = 20;
  for (std::size_t i = 0; i < kNumMemActions; ++i) ev.memory[i] = i + 1;  // 1, 2, ... 10
  ev.seconds = 20 / 100e6;  // 20 cycles at 100 MHz = 0.2 us
  return ev;
}

TEST(EnergyModel, CountsTimesTable) {
  auto e = compute_energy(hand_table(), hand_events());
  EXPECT_DOUBLE_EQ(e.insn_pj, 65.6);   // 10 x 5.1 + 2 x 7.3
  EXPECT_DOUBLE_EQ(e.clock_pj, 44.0);  // 20 x 2.2
  // flash = flash_read 1 x 10.1 + prefetch_read 2 x 20.1 = 50.3
  EXPECT_DOUBLE_EQ(e.memory_pj(MemComponent::flash), 50.3);
  // caches = accel_hit 3 x 30.1 + l1_hit 4 x 40.1 + l1_fill 5 x 50.1 = 90.3 + 160.4 + 250.5 = 501.2
  EXPECT_DOUBLE_EQ(e.memory_pj(MemComponent::caches), 501.2);
  // sram = 6 x 60.1 + 7 x 70.1 = 360.6 + 490.7 = 851.3
  EXPECT_DOUBLE_EQ(e.memory_pj(MemComponent::sram), 851.3);
  // tcm = 8 x 80.1 + 9 x 90.1 = 640.8 + 810.9 = 1451.7
  EXPECT_DOUBLE_EQ(e.memory_pj(MemComponent::tcm), 1451.7);
  // xip = 10 x 100.1 = 1001
  EXPECT_DOUBLE_EQ(e.memory_pj(MemComponent::xip), 1001.0);
  EXPECT_DOUBLE_EQ(e.static_pj, 600.0);  // 3 mW x 0.2 us = 0.6 nJ
  EXPECT_DOUBLE_EQ(e.sleep_pj, 0.0);
  // 65.6 + 44 + 50.3 + 501.2 + 851.3 + 1451.7 + 1001 + 600 = 4565.1
  EXPECT_NEAR(e.total_pj(), 4565.1, 1e-9);
}

TEST(EnergyModel, PartsAddUpToTheTotalExactly) {
  auto e = compute_energy(hand_table(), hand_events());
  // The reported parts, summed in the report's order, give the total bit for bit.
  double sum = e.core_pj();
  for (std::size_t c = 0; c < kNumMemComponents; ++c) sum += e.component_pj[c];
  sum += e.static_pj;
  sum += e.sleep_pj;
  EXPECT_EQ(sum, e.total_pj());
  // Each memory is exactly the sum of its actions (in action order), and core = instructions +
  // clock.
  for (std::size_t c = 0; c < kNumMemComponents; ++c) {
    double m = 0;
    for (std::size_t a = 0; a < kNumMemActions; ++a)
      if (static_cast<std::size_t>(component_of(static_cast<MemAction>(a))) == c)
        m += e.action_pj[a];
    EXPECT_EQ(m, e.component_pj[c]) << mem_component_name(static_cast<MemComponent>(c));
  }
  EXPECT_EQ(e.core_pj(), e.insn_pj + e.clock_pj);
}

TEST(EnergyModel, EveryActionBelongsToTheMemoryItIsNamedFor) {
  EXPECT_EQ(component_of(MemAction::flash_read), MemComponent::flash);
  EXPECT_EQ(component_of(MemAction::prefetch_read), MemComponent::flash);
  EXPECT_EQ(component_of(MemAction::accel_hit), MemComponent::caches);
  EXPECT_EQ(component_of(MemAction::l1_fill), MemComponent::caches);
  EXPECT_EQ(component_of(MemAction::sram_write), MemComponent::sram);
  EXPECT_EQ(component_of(MemAction::tcm_read), MemComponent::tcm);
  EXPECT_EQ(component_of(MemAction::xip_read), MemComponent::xip);
  EXPECT_EQ(mem_action_name(MemAction::xip_read), "xip_read");
}

TEST(EnergyModel, SleepCyclesAreChargedAtSleepPowerNotRunPower) {
  // 1000 cycles at 100 MHz = 10 us, of which 600 cycles = 6 us asleep in WFI.
  EnergyEvents ev;
  ev.cycles = 1000;
  ev.sleep_cycles = 600;
  ev.seconds = 10e-6;
  ev.sleep_seconds = 6e-6;
  auto e = compute_energy(hand_table(), ev);
  EXPECT_DOUBLE_EQ(e.clock_pj, 880.0);  // awake 400 cycles x 2.2 pJ (no clock energy while asleep)
  EXPECT_DOUBLE_EQ(e.static_pj, 12000.0);  // 3 mW x 4 us awake = 12 nJ
  EXPECT_DOUBLE_EQ(e.sleep_pj, 6000.0);    // 1 mW x 6 us asleep = 6 nJ
  EXPECT_DOUBLE_EQ(e.total_pj(), 18880.0);
  // Average power 18.88 nJ / 10 us = 1.888 mW: between sleep (1 mW) and awake power.
  EXPECT_DOUBLE_EQ(e.average_mw(ev.seconds), 1.888);
  // The same time fully awake costs 1000 x 2.2 + 3 mW x 10 us = 2.2 + 30 nJ.
  ev.sleep_cycles = 0;
  ev.sleep_seconds = 0;
  EXPECT_DOUBLE_EQ(compute_energy(hand_table(), ev).total_pj(), 32200.0);
}

TEST(EnergyModel, DynamicScalesWithVSquaredStaticWithV) {
  const auto t = hand_table();  // V0 = 3.0 V, static 3 mW, sleep 1 mW
  const auto s = at_supply_voltage(t, 1.8);
  // (1.8 / 3.0)^2 = 0.36 on every pJ entry; 1.8 / 3.0 = 0.6 on static power.
  EXPECT_DOUBLE_EQ(s.insn_pj[kAlu], 5.1 * 0.36);
  EXPECT_DOUBLE_EQ(s.cycle_pj, 2.2 * 0.36);
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    EXPECT_DOUBLE_EQ(s.memory_pj[i], t.memory_pj[i] * 0.36);
  EXPECT_DOUBLE_EQ(s.static_mw, 1.8);
  // Sleep 1 mW <= static 3 mW: all of it is leakage, x 0.6.
  EXPECT_DOUBLE_EQ(s.sleep_mw, 0.6);
  EXPECT_DOUBLE_EQ(s.vdd_v, 1.8);
  EXPECT_DOUBLE_EQ(s.nominal_vdd_v, 3.0);
  // On a whole run: dynamic energy ratio 0.36, static 0.6.
  const auto ev = hand_events();
  const auto e1 = compute_energy(t, ev), e2 = compute_energy(s, ev);
  EXPECT_NEAR(e2.dynamic_pj() / e1.dynamic_pj(), 0.36, 1e-12);
  EXPECT_NEAR(e2.static_pj / e1.static_pj, 0.6, 1e-12);
  // Sleep above static: static part 3 mW x 0.6 + the rest 2 mW x 0.36 = 1.8 + 0.72.
  auto t2 = t;
  t2.sleep_mw = 5.0;
  EXPECT_DOUBLE_EQ(at_supply_voltage(t2, 1.8).sleep_mw, 2.52);
}

// An LDO part (docs/models/energy.md "Supply"): ranges 1.0 V (<= 26 MHz) and 1.2 V (<= 80 MHz),
// the table at 3.0 V, range "r1" (1.2 V).
EnergyTable ldo_table() {
  auto t = hand_table();
  t.regulator = Regulator::ldo;
  t.ranges = {{"r2", 1.0, 26'000'000, "test"}, {"r1", 1.2, 100'000'000, "test"}};
  t.range = t.nominal_range = "r1";
  t.vcore_v = t.nominal_vcore_v = 1.2;
  return t;
}

TEST(EnergyModel, LdoSupplyCurrentDoesNotFollowVdd) {
  const auto t = ldo_table();
  // Same range, VDD 3.0 -> 1.8 V: the core current is unchanged and drawn from VDD, so every
  // energy (dynamic and static) scales as VDD: x 0.6, not x 0.36.
  const auto s = at_supply_voltage(t, 1.8);
  EXPECT_DOUBLE_EQ(s.insn_pj[kAlu], 5.1 * 0.6);
  EXPECT_DOUBLE_EQ(s.cycle_pj, 2.2 * 0.6);
  EXPECT_DOUBLE_EQ(s.static_mw, 3.0 * 0.6);
  EXPECT_DOUBLE_EQ(s.vcore_v, 1.2);
  // Range r2 (1.0 V) at 3.0 V: dynamic x 1.0 / 1.2 (core C V^2 x VDD / V_core = C V_core VDD),
  // static unchanged (leakage current taken as constant, drawn at VDD).
  const auto r2 = at_operating_point(t, 3.0, "r2");
  EXPECT_DOUBLE_EQ(r2.insn_pj[kAlu], 5.1 / 1.2);
  EXPECT_DOUBLE_EQ(r2.static_mw, 3.0);
  EXPECT_EQ(r2.range, "r2");
  EXPECT_DOUBLE_EQ(r2.vcore_v, 1.0);
  // Both: 1.8 V and r2: dynamic x 0.6 / 1.2 = 0.5.
  EXPECT_DOUBLE_EQ(at_operating_point(t, 1.8, "r2").cycle_pj, 2.2 * 0.5);
  // Sleep 1 mW <= static 3 mW: all leakage, x VDD ratio.
  EXPECT_DOUBLE_EQ(s.sleep_mw, 0.6);
}

TEST(EnergyModel, SmpsSupplyPowerDoesNotFollowVdd) {
  auto t = ldo_table();
  t.regulator = Regulator::smps;
  t.smps_efficiency = 0.85;
  // VDD 3.0 -> 1.8 V at a fixed efficiency: the power drawn is P_core / efficiency, unchanged.
  const auto s = at_supply_voltage(t, 1.8);
  EXPECT_DOUBLE_EQ(s.insn_pj[kAlu], 5.1);
  EXPECT_DOUBLE_EQ(s.static_mw, 3.0);
  // Range r2: dynamic x (1.0 / 1.2)^2, static x 1.0 / 1.2.
  const auto r2 = at_operating_point(t, 3.0, "r2");
  EXPECT_NEAR(r2.cycle_pj, 2.2 / 1.44, 1e-12);
  EXPECT_NEAR(r2.static_mw, 3.0 / 1.2, 1e-12);
}

TEST(EnergyModel, RangeForClockIsTheLowestVoltageThatAllowsIt) {
  const auto t = ldo_table();
  EXPECT_EQ(range_for_clock(t, 26'000'000)->name, "r2");
  EXPECT_EQ(range_for_clock(t, 26'000'001)->name, "r1");
  EXPECT_EQ(range_for_clock(t, 100'000'000)->name, "r1");
  try {
    range_for_clock(t, 120'000'000);
    FAIL() << "120 MHz accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("120000000"), std::string::npos) << e.what();
  }
  EXPECT_EQ(range_for_clock(hand_table(), 1'000'000'000), nullptr);  // direct: no ranges
  EXPECT_THROW(at_operating_point(t, 3.0, "r9"), InputError);
}

TEST(EnergyModel, VoltageOutsideTheDocumentedRangeIsAnErrorNamingTheRange) {
  try {
    at_supply_voltage(hand_table(), 1.5);
    FAIL() << "1.5 V accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[1.7, 3.6] V"), std::string::npos) << e.what();
  }
  EXPECT_THROW(at_supply_voltage(hand_table(), 3.7), InputError);
  EXPECT_NO_THROW(at_supply_voltage(hand_table(), 3.6));
}

EnergyTable weighted_table() {
  auto t = hand_table();
  t.calibration_ua_per_mhz = 110;
  t.calibration_shares = {{"dynamic", 0.8}, {"clock", 0.1}, {"static", 0.1}};
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    t.weights["classes." + std::string(core::insn_class_name(static_cast<core::InsnClass>(i)))] =
        1.0;
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    t.weights["memory." + std::string(mem_action_name(static_cast<MemAction>(i)))] = 0.5;
  t.weights["memory.flash_read"] = 4.0;
  return t;
}

TEST(EnergyModel, CalibrationReproducesTheDatasheetRunPower) {
  EnergyEvents ev;
  ev.classes[kAlu] = 800;
  ev.classes[kLoad] = 200;
  ev.cycles = 1500;
  ev.mem(MemAction::flash_read) = 100;
  ev.mem(MemAction::sram_read) = 200;
  ev.seconds = 1500 / 100e6;
  auto t = calibrate(weighted_table(), ev);
  // Run power 110 uA/MHz x 100 MHz x 3.0 V = 33 mW; 330 pJ per cycle.
  EXPECT_DOUBLE_EQ(t.static_mw, 3.3);  // 0.1 x 33 mW
  EXPECT_DOUBLE_EQ(t.cycle_pj, 33.0);  // 0.1 x 330 pJ
  // Weighted events 1000 x 1 + 100 x 4 + 200 x 0.5 = 1500; unit = 0.8 x 330 x 1500 / 1500 = 264 pJ.
  EXPECT_DOUBLE_EQ(t.insn_pj[kAlu], 264.0);
  EXPECT_DOUBLE_EQ(t.mem(MemAction::flash_read), 1056.0);
  EXPECT_DOUBLE_EQ(t.mem(MemAction::tcm_write), 132.0);
  EXPECT_NEAR(compute_energy(t, ev).average_mw(ev.seconds), 33.0, 1e-9);
  EXPECT_DOUBLE_EQ(t.sleep_mw, 1.0);  // a datasheet input, kept
}

// A datasheet figure measured at another core-voltage range is carried to the table's range by
// the supply model. Hand values: 110 uA/MHz at r2 (1.0 V), table at r1 (1.2 V), shares 0.8/0.1/0.1.
TEST(EnergyModel, RunCurrentMeasuredAtAnotherRangeIsCarriedToTheTablesRange) {
  auto t = ldo_table();
  t.calibration_ua_per_mhz = 110;
  t.calibration_shares = {{"dynamic", 0.8}, {"clock", 0.1}, {"static", 0.1}};
  EXPECT_DOUBLE_EQ(calibration_target_ua_per_mhz(t), 110);  // no range given: as measured
  t.calibration_range = "r1";
  EXPECT_DOUBLE_EQ(calibration_target_ua_per_mhz(t), 110);  // measured at the table's range
  // LDO: the supply current is the core current; its dynamic 0.9 follows V_core, static 0.1 not:
  // 110 x (0.9 x 1.2 + 0.1) = 129.8.
  t.calibration_range = "r2";
  EXPECT_NEAR(calibration_target_ua_per_mhz(t), 129.8, 1e-9);
  // SMPS: dynamic follows V_core^2, leakage V_core: 110 x (0.9 x 1.44 + 0.1 x 1.2) = 155.76.
  t.regulator = Regulator::smps;
  EXPECT_NEAR(calibration_target_ua_per_mhz(t), 155.76, 1e-9);
  t.calibration_range = "r7";
  try {
    calibration_target_ua_per_mhz(t);
    FAIL() << "unknown range accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("calibration.run_current_range: 'r7'"), std::string::npos)
        << e.what();
  }
}

TEST(EnergyModel, CalibrationNeedsEveryWeight) {
  auto t = weighted_table();
  t.weights.erase("memory.tcm_read");
  EnergyEvents ev;
  ev.classes[kAlu] = 1;
  ev.cycles = 1;
  EXPECT_THROW(calibrate(t, ev), InputError);
}

// A shipped table, written back by to_toml and read again, is the same table.
TEST(EnergyModel, TomlRoundTrip) {
  const auto a =
      load_energy_table(std::filesystem::path(POWER_DATA_DIR) / "stm32l4r5-range1-boost.toml");
  const auto tmp = std::filesystem::temp_directory_path() / "mcusim-power-roundtrip.toml";
  std::ofstream(tmp) << to_toml(a);
  const auto b = load_energy_table(tmp);
  std::filesystem::remove(tmp);
  EXPECT_EQ(a.insn_pj, b.insn_pj);
  EXPECT_EQ(a.memory_pj, b.memory_pj);
  EXPECT_EQ(a.sleep_mw, b.sleep_mw);
  EXPECT_EQ(a.vdd_min_v, b.vdd_min_v);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.calibrated_on, b.calibrated_on);
  EXPECT_EQ(a.calibration_range, b.calibration_range);
  EXPECT_EQ(b.regulator, Regulator::ldo);
  EXPECT_EQ(b.nominal_range, "range1_boost");
  EXPECT_EQ(a.ranges.size(), b.ranges.size());
  EXPECT_DOUBLE_EQ(a.vcore_v, b.vcore_v);
  ASSERT_EQ(a.peripherals.size(), b.peripherals.size());
  for (const auto& [name, p] : a.peripherals) {
    EXPECT_EQ(p.ua_per_mhz, b.peripherals.at(name).ua_per_mhz) << name;
    EXPECT_EQ(p.range, b.peripherals.at(name).range) << name;
    EXPECT_EQ(p.source, b.peripherals.at(name).source) << name;
    EXPECT_EQ(p.pj_per_cycle, b.peripherals.at(name).pj_per_cycle) << name;
  }
}

// Peripherals (docs/models/energy.md "Peripherals"): bus cycles while enabled x uA/MHz x VDD.
TEST(EnergyModel, PeripheralBusCyclesArePricedAtTheirCurrentPerMhz) {
  auto t = hand_table();
  PeripheralPower p;
  p.ua_per_mhz = 6.5;
  p.pj_per_cycle = 6.5 * 3.0;  // uA/MHz x V = pJ per bus cycle: 19.5 pJ
  t.peripherals["tim5"] = p;
  auto ev = hand_events();
  ev.peripherals = {{"tim5", 1000.0}, {"crc", 40.0}, {"gpiof", 0.0}};
  const auto e = compute_energy(t, ev);
  EXPECT_DOUBLE_EQ(e.peripherals_pj, 19500.0);  // 1000 bus cycles x 19.5 pJ
  ASSERT_EQ(e.peripheral_pj.size(), 1u);
  EXPECT_EQ(e.peripheral_pj[0].first, "tim5");
  // crc was clocked but has no figure: named, not priced; gpiof was never clocked: not named.
  EXPECT_EQ(e.unpriced_peripherals, std::vector<std::string>{"crc"});
  ASSERT_EQ(e.clocked_peripherals.size(), 2u);
  EXPECT_EQ(e.clocked_peripherals[1].first, "crc");
  EXPECT_EQ(e.clocked_peripherals[1].second, 40.0);
  const auto none = compute_energy(hand_table(), hand_events());
  EXPECT_DOUBLE_EQ(e.total_pj() - none.total_pj(), 19500.0);
  double sum = 0;
  for (double part : e.parts()) sum += part;
  EXPECT_EQ(sum, e.total_pj());
}

TEST(EnergyModel, PeripheralFigureOfAnotherRangeIsCarriedLikeDynamicEnergy) {
  std::ifstream in(std::filesystem::path(POWER_DATA_DIR) / "stm32l4r5-range1-boost.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  const auto t =
      load_energy_table(std::filesystem::path(POWER_DATA_DIR) / "stm32l4r5-range1-boost.toml");
  ASSERT_TRUE(t.peripherals.count("tim5"));
  const auto& p = t.peripherals.at("tim5");
  // 6.5 uA/MHz measured in range1 (V_core 1.2 V), table at range1_boost (1.28 V), VDD 3.0 V,
  // LDO: 6.5 x 3.0 x 1.28 / 1.2 = 20.8 pJ per bus cycle.
  EXPECT_NEAR(p.pj_per_cycle, 20.8, 1e-12);
  // At 1.8 V (same range) it scales like every dynamic entry of an LDO part: x 0.6.
  EXPECT_NEAR(at_supply_voltage(t, 1.8).peripherals.at("tim5").pj_per_cycle, 20.8 * 0.6, 1e-12);
  // An unknown range is an error naming the file and the key.
  std::string text = ss.str();
  const auto pos = text.find("range = 'range1'");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, std::string("range = 'range1'").size(), "range = 'range9'");
  const auto tmp =
      std::filesystem::temp_directory_path() /
      ("mcusim-power-periph-" + std::to_string(std::hash<std::string>{}(text)) + ".toml");
  std::ofstream(tmp) << text;
  try {
    load_energy_table(tmp);
    FAIL() << "loaded a peripheral figure of an unknown range";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("peripherals.tim5.range: 'range9'"), std::string::npos) << msg;
  }
  std::filesystem::remove(tmp);
}

// The L4R5 table's sibling figures measured at its own range (range1_boost: the STM32G474's
// "Range 1 Boost mode" column, DS12288 Rev 6 Table 35) are not carried: CRC 0.74 uA/MHz x 3.0 V =
// 2.22 pJ per AHB cycle; TIM2 7.97 x 3.0 = 23.91 pJ per APB1 cycle. At 1.8 V (LDO): x 0.6.
TEST(EnergyModel, PeripheralFigureAtTheTablesOwnRangeIsNotCarried) {
  const auto t =
      load_energy_table(std::filesystem::path(POWER_DATA_DIR) / "stm32l4r5-range1-boost.toml");
  ASSERT_EQ(t.nominal_range, "range1_boost");
  ASSERT_TRUE(t.peripherals.count("crc"));
  ASSERT_TRUE(t.peripherals.count("tim2"));
  EXPECT_EQ(t.peripherals.at("crc").range, "range1_boost");
  EXPECT_NEAR(t.peripherals.at("crc").pj_per_cycle, 2.22, 1e-12);
  EXPECT_NEAR(t.peripherals.at("tim2").pj_per_cycle, 23.91, 1e-12);
  EXPECT_NEAR(at_supply_voltage(t, 1.8).peripherals.at("crc").pj_per_cycle, 2.22 * 0.6, 1e-12);
  // Blocks of the L4R5 SoC the sibling has no row for stay unpriced.
  EXPECT_FALSE(t.peripherals.count("gpioh"));
  EXPECT_FALSE(t.peripherals.count("gpioi"));
}

TEST(EnergyModel, MissingMemoryActionIsAnErrorNamingTheKey) {
  std::ifstream in(std::filesystem::path(POWER_DATA_DIR) / "stm32l4r5-range1-boost.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  // Delete the [memory.tcm_read] section (up to the next blank line).
  const auto pos = text.find("[memory.tcm_read]");
  ASSERT_NE(pos, std::string::npos);
  text.erase(pos, text.find("\n\n", pos) - pos);
  const auto tmp = std::filesystem::temp_directory_path() / "mcusim-power-missing.toml";
  std::ofstream(tmp) << text;
  try {
    load_energy_table(tmp);
    FAIL() << "loaded a table without memory.tcm_read";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(tmp.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("memory.tcm_read: missing"), std::string::npos) << msg;
  }
  std::filesystem::remove(tmp);
}

}  // namespace
}  // namespace mcusim::power
