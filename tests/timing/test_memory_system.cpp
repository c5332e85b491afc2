// Memory-system gates through the whole engine: TCM vs L1-cached SRAM, L1 line-fill costs from
// flash and SRAM, wait states from each part's clock table. Expected values are derived by hand
// from the test board tests/timing/boards/arm-m7-memory.toml and the shipped boards' cited
// wait-state tables (docs/models/cache.md "L1 caches"):
//   flash line fill = miss_overhead (4) + reads (32 B / 32 B = 1) x (WS 7 + 1) = 12 cycles;
//   SRAM line fill  = miss_overhead (4) + beats (32 B / 8 B = 4) x (1 + 0 WS)   =  8 cycles.
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

std::string m7_board() { return std::string(TEST_BOARD_DIR) + "/arm-m7-memory.toml"; }

class MemoryM7 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new RunResult(run_snippet_on(m7_board(), "mem_m7")); }
  static void TearDownTestSuite() { delete result_; }
  static const Counters& c(std::uint32_t id) { return region(*result_, id).counters; }
  static RunResult* result_;
};
RunResult* MemoryM7::result_ = nullptr;

TEST_F(MemoryM7, RunsToCompletion) {
  ASSERT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->regions.size(), 4u);
}

TEST_F(MemoryM7, DtcmIsNeverCachedAndNeverStalls) {
  EXPECT_EQ(c(1).tcm.reads, 2u);
  EXPECT_EQ(c(1).l1d.cache.hits + c(1).l1d.cache.misses, 0u);
  EXPECT_EQ(c(1).l1d.stall_cycles, 0u);
}

TEST_F(MemoryM7, SramLoadMissFillsALineThenHits) {
  // Region 2: first load misses (one 8-cycle fill), the second hits the same line.
  EXPECT_EQ(c(2).l1d.cache.misses, 1u);
  EXPECT_EQ(c(2).l1d.cache.hits, 1u);
  EXPECT_EQ(c(2).l1d.line_fills, 1u);
  EXPECT_EQ(c(2).l1d.stall_cycles, 8u);
  // The fill reads the whole line from the SRAM region: 32 B = 8 beats; no TCM traffic.
  EXPECT_EQ(c(2).sram.reads, 8u);
  EXPECT_EQ(c(2).tcm.reads, 0u);
  // Region 3: the same loads hit twice.
  EXPECT_EQ(c(3).l1d.cache.hits, 2u);
  EXPECT_EQ(c(3).l1d.stall_cycles, 0u);
}

TEST_F(MemoryM7, TcmVersusCachedSramCostsExactlyTheFill) {
  // Regions 1-3 run the same instruction sequence, so apart from memory stalls their cycles are
  // equal: TCM and a hitting L1 cost nothing, the cold SRAM line costs one 8-cycle fill.
  auto core_cycles = [](const Counters& x) { return x.cycles - x.l1i.stall_cycles - x.l1d.stall_cycles; };
  EXPECT_EQ(core_cycles(c(1)), core_cycles(c(3)));
  EXPECT_EQ(core_cycles(c(2)), core_cycles(c(3)));
  EXPECT_EQ(c(2).cycles - c(2).l1i.stall_cycles, c(3).cycles - c(3).l1i.stall_cycles + 8);
}

TEST_F(MemoryM7, StoreMissAllocatesWithoutStalling) {
  // Write-back, write-allocate: the store fills its line (8 SRAM beats) and dirties it; stores
  // retire into the store buffer, so no stall and nothing written to SRAM yet.
  EXPECT_EQ(c(4).l1d.line_fills, 1u);
  EXPECT_EQ(c(4).l1d.stall_cycles, 0u);
  EXPECT_EQ(c(4).sram.reads, 8u);
  EXPECT_EQ(c(4).sram.writes, 0u);
}

TEST_F(MemoryM7, EveryInstructionLineFillFromFlashCostsTwelveCycles) {
  const auto& t = result_->total;
  ASSERT_GT(t.l1i.line_fills, 0u);
  EXPECT_EQ(t.l1i.stall_cycles, 12 * t.l1i.line_fills);
  // Each instruction fill is one 32-byte array read of the flash.
  EXPECT_EQ(t.flash.burst_reads, t.l1i.line_fills + (t.l1d.line_fills - 2));  // 2 fills from SRAM
}

TEST_F(MemoryM7, FillCostFollowsTheWaitStates) {
  // At 3 WS a flash line fill is 4 + 1 x (3 + 1) = 8 cycles.
  auto r = run_snippet_on(m7_board(), "mem_m7", {"flash.wait_states=3"});
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.total.l1i.stall_cycles, 8 * r.total.l1i.line_fills);
}

TEST_F(MemoryM7, WriteThroughSendsTheStoreToSram) {
  auto r = run_snippet_on(m7_board(), "mem_m7",
                          {"cache.dcache.write_policy=\"write-through\"", "cache.dcache.write_allocate=false"});
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // No allocation on the store miss: no fill, one 4-byte write to SRAM.
  EXPECT_EQ(region(r, 4).counters.l1d.line_fills, 0u);
  EXPECT_EQ(region(r, 4).counters.sram.writes, 1u);
}

// Wait states follow the clock through each part's table (core-facts D.1, D.3, D.4 and the
// boards' cited tables): the first entry whose maximum HCLK is >= the clock.
TEST(WaitStateTables, FollowTheClockOnEachPart) {
  struct Case {
    const char* board;
    const char* mhz;
    std::uint32_t ws;
  };
  for (const Case& k : {Case{"nucleo-f446re", "180", 5}, Case{"nucleo-f446re", "100", 3},
                        Case{"nucleo-f446re", "30", 0}, Case{"nucleo-g0b1re", "64", 2},
                        Case{"nucleo-g0b1re", "48", 1}, Case{"nucleo-g0b1re", "24", 0},
                        Case{"nucleo-h7a3zi-q", "280", 6}, Case{"nucleo-h7a3zi-q", "132", 2},
                        Case{"stm32f746g-disco", "216", 7}, Case{"stm32f746g-disco", "60", 1}}) {
    SCOPED_TRACE(std::string(k.board) + " @ " + k.mhz + " MHz");
    auto b = load_board(k.board, {std::string("clock_mhz=") + k.mhz});
    EXPECT_EQ(b.flash.wait_states, k.ws);
    EXPECT_EQ(b.clock_hz, static_cast<Hertz>(std::stoul(k.mhz)) * 1'000'000u);
  }
  // Above the part's maximum is an error naming the board.
  EXPECT_THROW(load_board("nucleo-g0b1re", {"clock_mhz=80"}), InputError);
}

TEST(WaitStateTables, SlowerClockFewerStallsOnTheSameFirmware) {
  // nucleo-l4r5zi at 120 MHz (5 WS) vs 20 MHz (0 WS, L4+ Range 1 table): at 0 WS the flash never
  // stalls the core, so the snippet's fetch and data stalls vanish.
  auto fast = run_snippet("flash_loop_10");
  auto slow = run_snippet("flash_loop_10", {"clock_mhz=20"});
  ASSERT_EQ(slow.board.flash.wait_states, 0u);
  EXPECT_GT(fast.total.flash.ifetch_stall_cycles + fast.total.flash.data_stall_cycles, 0u);
  EXPECT_EQ(slow.total.flash.ifetch_stall_cycles + slow.total.flash.data_stall_cycles, 0u);
}

}  // namespace
}  // namespace mcusim::test
