// Cortex-M7 instruction sequences through the whole engine (board tests/timing/boards/
// arm-cortex-m7.toml, 0 wait states). Every expected count is derived by hand from the rules cited
// in core-models/data/cortex-m7.toml (core-facts A.4): dual issue in order, 2 ALU / 2 loads (to
// different banks) / 1 store / 1 MAC / 1 branch / 1 FP op per cycle; DSP/bitfield ops older slot
// only; LDM/STM/PUSH/POP single issue, ceil(N/2) cycles; latencies ALU 1, MLA 2 (accumulator read
// 1 later), LDR 1, LDRB 2, VADD 3; a block starts in a fresh cycle with every register ready.
// Branches: BTAC miss = predicted not taken; a misprediction costs 8 (flags set < 3 cycles before
// the branch). Each region ends with the marker movw r0,#0x101 (ALU); movs r1,#id (ALU); bkpt
// (semihosting, no slot): the movw can pair with the region's last instruction, so the marker's
// cost is spelled out per region.
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

const std::string kM7Board = std::string(TEST_BOARD_DIR) + "/arm-cortex-m7.toml";

class CoreM7 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new RunResult(run_snippet_on(kM7Board, "core_m7")); }
  static void TearDownTestSuite() { delete result_; }
  static Cycles cycles(std::uint32_t id) { return region(*result_, id).counters.cycles; }
  static RunResult* result_;
};
RunResult* CoreM7::result_ = nullptr;

TEST_F(CoreM7, RunsToCompletion) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->exit_code, 0);
  EXPECT_EQ(result_->total.flash.ifetch_stall_cycles, 0u);
  EXPECT_EQ(result_->regions.size(), 12u);
}

TEST_F(CoreM7, IndependentAluOpsDualIssue) {
  // 8 independent ADDS, 2 per cycle: cycles 0..3; movw + movs pair in cycle 4 -> 5.
  EXPECT_EQ(cycles(1), 5u);
  EXPECT_EQ(region(*result_, 1).counters.instructions, 11u);  // 8 + movw + movs + bkpt
}

TEST_F(CoreM7, DependentAluChainIssuesOnePerCycle) {
  // 10 ADDS r3 (latency 1): cycles 0..9; movw pairs with the last (cycle 9); movs cycle 10 -> 11.
  EXPECT_EQ(cycles(2), 11u);
}

TEST_F(CoreM7, LoadPairsWithAluAndStore) {
  // {LDR, ADDS} cycle 0; {LDR, STR} cycle 1; {movw, movs} cycle 2 -> 3.
  EXPECT_EQ(cycles(3), 3u);
}

TEST_F(CoreM7, DualLoadThenUse) {
  // LDR [r2] (bank 0) + LDR [r2,#4] (bank 1) cycle 0; ADDS of both (latency 1) cycle 1 with
  // movw; movs cycle 2 -> 3.
  EXPECT_EQ(cycles(4), 3u);
}

TEST_F(CoreM7, ByteLoadUse) {
  // LDRB cycle 0 (latency 2); ADDS cycle 2 with movw; movs cycle 3 -> 4.
  EXPECT_EQ(cycles(5), 4u);
}

TEST_F(CoreM7, MacAccumulatorChain) {
  // 4 x MLA on the accumulator: cycles 0, 1, 2, 3 (movw pairs with the last); movs 4 -> 5.
  EXPECT_EQ(cycles(6), 5u);
}

TEST_F(CoreM7, PushPopAreSingleIssue) {
  // PUSH 5 regs: cycles 0-2 (ceil(5/2)); POP 4 regs: cycles 3-4; ADD SP cycle 5 with movw;
  // movs cycle 6 -> 7.
  EXPECT_EQ(cycles(7), 7u);
  EXPECT_EQ(region(*result_, 7).counters.sram.writes, 5u);
  EXPECT_EQ(region(*result_, 7).counters.sram.reads, 4u);
}

TEST_F(CoreM7, BitfieldOpsDoNotPair) {
  // UXTB cycle 0, UXTB cycle 1 (older slot only) with movw; movs cycle 2 -> 3.
  EXPECT_EQ(cycles(8), 3u);
}

TEST_F(CoreM7, LoopMispredictsOnEntryAndExit) {
  // Block A {movs r4,#5; subs; bne}: movs 0, subs 1 (needs r4), bne pairs -> 2 cycles.
  // Block B {subs; bne}: 1 cycle. Marker block {movw, movs}: 1 cycle.
  // Run: A (taken: BTAC miss, 8), B x4 (3 taken predicted: 0; the exit not taken but predicted
  // taken: 8), marker. Total 2 + 8 + 4 x 1 + 8 + 1 = 23, of which 16 are mispredictions.
  EXPECT_EQ(cycles(9), 23u);
  EXPECT_EQ(region(*result_, 9).counters.branch_penalty_cycles, 16u);
}

TEST_F(CoreM7, LoopPredictedOnSecondCall) {
  // Blocks: P {bl} 1; FA {movs r4,#3; subs; bne} 2; FB {subs; bne} 1; FC {bx lr} 1; Q {bl} 1;
  // marker 1.  Static: P + FA + 2 FB + FC + Q + FA + 2 FB + FC + marker = 13.
  // Penalties: first call: BL misses the BTAC, redirected at decode (5), loop entry miss (8),
  // loop exit (8), BX LR miss (8: no return stack, m7.return_stack_depth 0); second call: BL
  // (another address) at decode (5), loop entry predicted (counter 2 after the exit), loop exit
  // (8), BX LR hits the BTAC but its stored target is P's return, not Q's (8) -> 50. No pairing
  // across blocks: every fall-through here follows a mispredicted exit. Total 63.
  EXPECT_EQ(cycles(10), 63u);
  EXPECT_EQ(region(*result_, 10).counters.branch_penalty_cycles, 50u);
}

TEST_F(CoreM7, FloatingPointLatency) {
  // VADD cycle 0 (latency 3); dependent VADD cycle 3 with movw; movs cycle 4 -> 5.
  EXPECT_EQ(cycles(11), 5u);
}

TEST_F(CoreM7, NotTakenBranchDualIssuesAcrossTheBlockEdge) {
  // jnk0le: 'not-taken branch can dual issue with following instruction'. Block 1 {cmp; add.w r3;
  // bne}: cmp + add.w cycle 0, bne cycle 1 (not in the BTAC: predicted not taken, right).
  // Block 2 {add.w r5; add.w r6; add.w r7; movw; movs}: add.w r5 joins the bne in cycle 1,
  // {add.w r6, add.w r7} cycle 2, {movw, movs} cycle 3 -> 4 (5 if blocks did not pair).
  EXPECT_EQ(cycles(12), 4u);
  EXPECT_EQ(region(*result_, 12).counters.branch_penalty_cycles, 0u);
}

}  // namespace
}  // namespace mcusim::test
