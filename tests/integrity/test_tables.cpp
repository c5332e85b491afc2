// Every board's data files load and are complete: a timing entry and an energy entry for every
// instruction class, every energy entry with a source.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"
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

// Core tables no shipped board uses yet (the Cortex-M0+, M3 and M33 tables) are checked too:
// every table in core-models/data loads, builds its model and has a sourced entry per class.
TEST(Tables, EveryCoreTableIsCompleteAndSourced) {
  std::vector<std::string> cores;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "core-models" / "data")) {
    if (e.path().extension() != ".toml") continue;
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
