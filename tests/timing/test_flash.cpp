// Flash wait states and the ART accelerator through the whole engine. flash_loop.S runs an
// 8-instruction loop (two 64-bit flash read units A and B, 7 ALU + BNE) N times. Comparing N=20
// with N=10 cancels the first and last iterations, so the difference is 10 steady-state
// iterations. At 0 WS an iteration is 7 ALU + BNE (1) + P (1) = 9 cycles: difference 90.
// The flash model's semantics are in docs/models/flash.md: one array read takes WS + 1 cycles,
// of which the first is the fetch cycle the core's timing already counts, so a miss stalls WS.
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

Cycles loop_cycles(int iterations, const std::vector<std::string>& sets) {
  auto r = run_snippet(iterations == 10 ? "flash_loop_10" : "flash_loop_20", sets);
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  return region(r, 1).counters.cycles;
}

Cycles steady_ten_iterations(const std::vector<std::string>& sets) {
  return loop_cycles(20, sets) - loop_cycles(10, sets);
}

TEST(FlashLoop, ZeroWaitStates) { EXPECT_EQ(steady_ten_iterations({"flash.wait_states=0"}), 90u); }

TEST(FlashLoop, FiveWaitStatesNoAccelerator) {
  // No cache, no prefetch: per iteration, unit A is not the current read (B is) -> a read, stall
  // WS = 5; unit B is needed after A's 4 instructions -> another read, stall 5. 9 + 10 = 19.
  EXPECT_EQ(steady_ten_iterations({"flash.wait_states=5", "flash.prefetch=false",
                                   "flash.icache.enabled=false", "flash.dcache.enabled=false"}),
            190u);
}

TEST(FlashLoop, FiveWaitStatesWithArtHidesWaitStates) {
  // ART on: after the first iteration A is in the I-cache and B is the current read buffer, so
  // steady-state iterations run as at 0 WS.
  EXPECT_EQ(steady_ten_iterations({"flash.wait_states=5"}), 90u);
}

TEST(FlashLoop, WaitStatesFollowTheClock) {
  // L4+ Range 1 table (core-facts D.2): 80 MHz -> 3 WS; no accelerator -> 2 x 3 stall per iteration.
  auto board = load_board("nucleo-l4r5zi", {"clock_hz=80000000"});
  EXPECT_EQ(board.flash.wait_states, 3u);
  EXPECT_EQ(steady_ten_iterations({"clock_hz=80000000", "flash.prefetch=false", "flash.icache.enabled=false"}),
            10u * (9 + 6));
}

}  // namespace
}  // namespace mcusim::test
