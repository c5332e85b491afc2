// Every board's data files load and are complete: a timing entry and an energy entry for every
// instruction class, every energy entry with a source.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/core/core_model.h"
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
    auto t = power::load_energy_table(energy_table_path(b));     // throws on a missing class
    for (std::size_t i = 0; i < core::kNumInsnClasses; ++i) {
      const std::string key = "classes." + std::string(core::insn_class_name(static_cast<core::InsnClass>(i)));
      EXPECT_FALSE(t.sources[key].empty()) << key;
    }
    for (const char* k : {"core.cycle", "memory.flash_read", "memory.sram_read", "memory.sram_write", "static.power"})
      EXPECT_FALSE(t.sources[k].empty()) << k;
    EXPECT_FALSE(t.calibration_source.empty());
  }
}

TEST(Tables, EveryCoreTableIsComplete) {
  // Every timing table in core-models/data (also those only test boards use, e.g. cortex-m7)
  // builds its model: a missing class, key or latency throws TimingTableError. Sorted: the
  // directory order must not decide which failure is reported first.
  std::vector<std::filesystem::path> tables;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "core-models" / "data"))
    if (e.path().extension() == ".toml") tables.push_back(e.path());
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

TEST(Tables, EnergyIsCountsTimesTable) {
  // Hand example: 10 ALU + 2 loads, 20 cycles, 3 flash reads, 4 SRAM reads, 1 write, 1 us.
  power::EnergyTable t;
  t.insn_pj[static_cast<std::size_t>(core::InsnClass::alu)] = 5;
  t.insn_pj[static_cast<std::size_t>(core::InsnClass::load)] = 7;
  t.cycle_pj = 2;
  t.flash_read_pj = 100;
  t.sram_read_pj = 10;
  t.sram_write_pj = 11;
  t.static_mw = 3;
  power::EnergyEvents ev;
  ev.classes[static_cast<std::size_t>(core::InsnClass::alu)] = 10;
  ev.classes[static_cast<std::size_t>(core::InsnClass::load)] = 2;
  ev.cycles = 20;
  ev.flash_reads = 3;
  ev.sram_reads = 4;
  ev.sram_writes = 1;
  ev.seconds = 1e-6;
  auto e = power::compute_energy(t, ev);
  EXPECT_DOUBLE_EQ(e.insn_pj, 64);        // 10 x 5 + 2 x 7
  EXPECT_DOUBLE_EQ(e.clock_pj, 40);       // 20 x 2
  EXPECT_DOUBLE_EQ(e.flash_pj, 300);      // 3 x 100
  EXPECT_DOUBLE_EQ(e.sram_pj, 51);        // 4 x 10 + 11
  EXPECT_DOUBLE_EQ(e.static_pj, 3000);    // 3 mW x 1 us = 3 nJ
  EXPECT_DOUBLE_EQ(e.total_pj(), 3455);
}

}  // namespace
}  // namespace mcusim
