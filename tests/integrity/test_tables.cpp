// Every board's data files load and are complete: a timing entry and an energy entry for every
// instruction class; every energy table under power-models/data has an entry with a source for
// every instruction class and every memory action, a calibration weight for each, an operating
// point inside its documented supply range, and a sleep power.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"
#include "mcusim/energy_report.h"
#include "mcusim/base/errors.h"
#include "mcusim/power/energy_model.h"

namespace mcusim {
namespace {

TEST(Tables, EveryBoardHasCompleteCoreAndEnergyTables) {
  auto boards = list_boards();
  ASSERT_FALSE(boards.empty());
  for (auto& name : boards) {
    SCOPED_TRACE(name);
    auto b = load_board(name);
    EXPECT_NO_THROW(core::load_core_model(core_table_path(b)));  // throws on a missing class
    auto t = power::load_energy_table(energy_table_path(b));     // throws on a missing entry
    EXPECT_EQ(t.clock_hz, b.clock_hz) << "the table's operating point is the board's clock";
  }
}

TEST(Tables, EveryCoreTableIsComplete) {
  // Every timing table in core-models/data (also those only test boards use, e.g. cortex-m7)
  // builds its model: a missing class, key or latency throws TimingTableError. Sorted: the
  // directory order must not decide which failure is reported first.
  std::vector<std::filesystem::path> tables;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "core-models" / "data"))
    if (e.path().extension() == ".toml" && e.path().stem() != "exceptions") tables.push_back(e.path());
  std::sort(tables.begin(), tables.end());
  ASSERT_FALSE(tables.empty());
  bool has_m7 = false;
  for (auto& path : tables) {
    SCOPED_TRACE(path.string());
    EXPECT_NO_THROW(core::load_core_model(path));
    has_m7 = has_m7 || path.stem() == "cortex-m7";
  }
  EXPECT_TRUE(has_m7);
}

// Core tables no shipped board uses yet (the Cortex-M0+, M3 and M33 tables) are checked too:
// every table in core-models/data loads, builds its model and has a sourced entry per class.
TEST(Tables, EveryCoreTableIsCompleteAndSourced) {
  std::vector<std::string> cores;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "core-models" / "data")) {
    // exceptions.toml holds per-core exception costs, not a timing table.
    if (e.path().extension() != ".toml" || e.path().stem() == "exceptions") continue;
    SCOPED_TRACE(e.path().string());
    cores.push_back(e.path().stem().string());
    EXPECT_NO_THROW(core::load_core_model(e.path()));  // throws on a missing class or key
    const auto t = core::load_timing_table(e.path());
    EXPECT_EQ(t.core, e.path().stem().string());
    for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
      EXPECT_FALSE(t.classes[i].source.empty())
          << core::insn_class_name(static_cast<core::InsnClass>(i));
  }
  for (const char* c : {"cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m33"})
    EXPECT_NE(std::find(cores.begin(), cores.end(), c), cores.end()) << c;
}

TEST(Tables, EveryEnergyTableIsCompleteWithSources) {
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "power-models" / "data"))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  ASSERT_GE(files.size(), 11u);  // 5 shipped + 6 new parts (G0B1, F446, F746, H7A3, U575, RP2040)
  for (auto& f : files) {
    SCOPED_TRACE(f.string());
    power::EnergyTable t;
    ASSERT_NO_THROW(t = power::load_energy_table(f));  // throws on a missing class or action
    std::vector<std::string> keys = {"core.cycle",      "static.power",      "static.sleep",
                                     "operating_point", "memory.flash_kind", "calibration.shares"};
    std::vector<std::string> weighted;
    for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
      weighted.push_back("classes." +
                         std::string(core::insn_class_name(static_cast<core::InsnClass>(i))));
    for (std::size_t i = 0; i < power::kNumMemActions; ++i)
      weighted.push_back("memory." +
                         std::string(power::mem_action_name(static_cast<power::MemAction>(i))));
    for (auto& k : weighted) {
      keys.push_back(k);
      EXPECT_TRUE(t.weights.count(k)) << k << ": no calibration weight";
    }
    for (auto& k : keys) EXPECT_FALSE(t.sources[k].empty()) << k << ": no source";
    EXPECT_FALSE(t.calibration_source.empty());
    EXPECT_FALSE(t.calibrated_on.empty());
    EXPECT_GT(t.calibration_ua_per_mhz, 0);
    EXPECT_GT(t.sleep_mw, 0);
    EXPECT_GT(t.static_mw, 0);
    EXPECT_LT(t.vdd_min_v, t.vdd_max_v);
    double shares = 0;
    for (auto& [k, v] : t.calibration_shares) shares += v;
    EXPECT_NEAR(shares, 1.0, 1e-9);
    // Every table states how the part feeds its core (docs/models/energy.md "Supply"); the STM32
    // parts have an internal regulator with their core-voltage ranges, the table's range allows
    // its clock, and the default range at the table's clock is the table's own.
    EXPECT_FALSE(t.sources["supply"].empty()) << "supply: no source";
    if (t.part.rfind("STM32", 0) == 0) {
      EXPECT_NE(t.regulator, power::Regulator::direct) << t.part;
      ASSERT_FALSE(t.ranges.empty());
      for (auto& r : t.ranges) EXPECT_FALSE(r.source.empty()) << r.name;
      EXPECT_EQ(power::range_for_clock(t, t.clock_hz)->name, t.range);
      EXPECT_LT(t.vcore_v, t.vdd_min_v);  // V_core below the supply range: regulated
    }
  }
}

TEST(Tables, BoardSupplyVoltageIsCheckedAgainstTheTablesRange) {
  // nucleo-l4r5zi uses stm32l4r5-range1-boost: VDD 3.0 V, documented range [1.71, 3.6] V.
  auto b = load_board("nucleo-l4r5zi", {"vdd_v=1.8"});
  ASSERT_TRUE(b.vdd_v.has_value());
  EXPECT_DOUBLE_EQ(*b.vdd_v, 1.8);
  EXPECT_DOUBLE_EQ(load_run_energy_table(b).vdd_v, 1.8);
  auto low = load_board("nucleo-l4r5zi", {"vdd_v=1.2"});
  try {
    load_run_energy_table(low);
    FAIL() << "1.2 V accepted";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("vdd_v"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[1.71, 3.6] V"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nucleo-l4r5zi.toml"), std::string::npos) << msg;
  }
  EXPECT_THROW(load_board("nucleo-l4r5zi", {"vdd_v=\"high\""}), InputError);
}

}  // namespace
}  // namespace mcusim
