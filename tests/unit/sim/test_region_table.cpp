// RegionTable (simulator/engine/src/region_table.h, issue 16): the page-granular lookup must give
// the linear scan's answer everywhere: at and around every region edge, in pages a boundary
// splits, in the flash window's precedence over an SRAM region, and on random addresses.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "region_table.h"

namespace mcusim {
namespace {

using Range = RegionTable::Range;

// The linear scan written out independently of the table (the memory hook's old code).
std::uint8_t reference(const Range& flash, const std::vector<Range>& rams, Addr a) {
  if (a - flash.base < flash.size) return RegionTable::kFlash;
  for (std::size_t i = 0; i < rams.size(); ++i)
    if (a - rams[i].base < rams[i].size) return static_cast<std::uint8_t>(RegionTable::kRam0 + i);
  return RegionTable::kOther;
}

void expect_agrees(const Range& flash, const std::vector<Range>& rams, std::uint32_t seed) {
  const RegionTable t(flash, rams);
  std::vector<Addr> probes = {0u, 0xFFFFFFFFu, 0x80000000u};
  auto edges = [&](const Range& r) {
    for (std::int64_t d = -9; d <= 9; ++d) {
      probes.push_back(static_cast<Addr>(std::int64_t{r.base} + d));
      probes.push_back(static_cast<Addr>(std::int64_t{r.base} + r.size + d));
    }
  };
  edges(flash);
  for (auto& r : rams) edges(r);
  std::mt19937 rng(seed);
  for (int i = 0; i < 200000; ++i) probes.push_back(rng());
  // Random addresses inside and near each region too (the whole 4 GiB space rarely hits them).
  for (auto& r : rams)
    for (int i = 0; i < 2000; ++i) probes.push_back(r.base - 4096 + rng() % (r.size + 8192));
  for (Addr a : probes) {
    const std::uint8_t want = reference(flash, rams, a);
    ASSERT_EQ(t.code(a), want) << "address 0x" << std::hex << a;
    ASSERT_EQ(t.ram_index(a), want >= RegionTable::kRam0 ? want - RegionTable::kRam0 : -1)
        << "address 0x" << std::hex << a;
  }
}

TEST(RegionTable, AgreesWithTheLinearScanOnAnStm32Map) {
  // nucleo-h7a3zi-q: ITCM at 0, DTCM, AXI SRAM, AHB SRAM, SRD SRAM; flash at 0x08000000.
  expect_agrees({0x08000000, 2u << 20},
                {{0x00000000, 64u << 10},
                 {0x20000000, 128u << 10},
                 {0x24000000, 1u << 20},
                 {0x30000000, 128u << 10},
                 {0x38000000, 32u << 10}},
                1);
}

TEST(RegionTable, AgreesWhereBoundariesSplitPagesAndChunks) {
  // Regions that start and end inside 1 KiB pages and 1 MiB chunks, back to back, and one that
  // ends at the top of the address space.
  expect_agrees(
      {0x10000100, 0x2F00},
      {{0x20000010, 0x3F0}, {0x20000400, 0x1234}, {0x2000FFF0, 0x20}, {0xFFFFF000, 0x1000}}, 2);
}

TEST(RegionTable, TheFlashWindowTakesPrecedenceOverAnOverlappingRegion) {
  // A board without flash keeps a flash window in its configuration; RAM inside it is reported as
  // flash by the memory hook (the linear scan's order), and the table must say the same.
  const Range flash{0x00000000, 0x10000};
  const std::vector<Range> rams = {{0x00008000, 0x10000}};
  expect_agrees(flash, rams, 3);
  const RegionTable t(flash, rams);
  EXPECT_EQ(t.code(0x00008000), RegionTable::kFlash);
  EXPECT_EQ(t.code(0x00010000), RegionTable::kRam0);
}

TEST(RegionTable, EmptyRegionsContainNothing) {
  expect_agrees({0x08000000, 0}, {{0x20000000, 0}, {0x20000000, 0x400}}, 4);
}

}  // namespace
}  // namespace mcusim
