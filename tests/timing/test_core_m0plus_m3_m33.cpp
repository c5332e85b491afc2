// Cortex-M0+, M3 and M33 instruction sequences through the whole engine, on the test boards
// tests/timing/boards/arm-<core>.toml (0-wait-state flash and SRAM). Every expected cycle count
// is derived by hand from the cited sources of core-models/data/<core>.toml (core-facts.md A.1,
// A.2, A.5), never from the simulator's output. Each region also contains its end marker:
// 3 ALU instructions on the M0+ (harness_v6m.inc), 2 on the M3/M33 (harness.inc; on the M33
// the 32-bit MOVW and 16-bit MOVS do not dual issue); the BKPT is a 0-cycle simulator service.
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

std::string arm_board(const std::string& core) {
  return std::string(TEST_BOARD_DIR) + "/arm-" + core + ".toml";
}

Cycles cycles(const RunResult& r, std::uint32_t id) {
  return region(r, id).counters.cycles;
}

// --- Cortex-M0+ (core-facts A.1, M0+ column: symex models [C]) ------------------------------
constexpr Cycles kEndV6m = 3;

class CoreM0Plus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new RunResult(run_snippet_on(arm_board("cortex-m0plus"), "core_m0plus"));
  }
  static void TearDownTestSuite() { delete result_; }
  static RunResult* result_;
};
RunResult* CoreM0Plus::result_ = nullptr;

TEST_F(CoreM0Plus, RunsToCompletion) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->exit_code, 0);
  EXPECT_EQ(result_->regions.size(), 12u);
}

TEST_F(CoreM0Plus, AluLoadStore) {
  // 10 x ADDS (1) = 10.
  EXPECT_EQ(cycles(*result_, 1), 10 + kEndV6m);
  // LDR (2) + LDR (2): no pipelining on the 2-stage M0+ = 4.
  EXPECT_EQ(cycles(*result_, 2), 4 + kEndV6m);
  // ADDS r6 (1) + LDR [r6] (2): no AGU stall = 3.
  EXPECT_EQ(cycles(*result_, 3), 3 + kEndV6m);
  // STR (2) + STRB (2) = 4.
  EXPECT_EQ(cycles(*result_, 4), 4 + kEndV6m);
  // PUSH {r4-r7,lr} 1+5 + POP {r4-r7} 1+4 + ADD sp 1 = 12.
  EXPECT_EQ(cycles(*result_, 5), 12 + kEndV6m);
}

TEST_F(CoreM0Plus, Branches) {
  // B taken: 2.
  EXPECT_EQ(cycles(*result_, 6), 2 + kEndV6m);
  // CMP (1) + BNE not taken (1) + 2 NOPs (1 each) = 4.
  EXPECT_EQ(cycles(*result_, 7), 4 + kEndV6m);
  // CMP (1) + BEQ taken (2) = 3.
  EXPECT_EQ(cycles(*result_, 8), 3 + kEndV6m);
  // BL (3) + BX LR (2) = 5.
  EXPECT_EQ(cycles(*result_, 9), 5 + kEndV6m);
  // BL (3) + PUSH {r4,lr} (1+2) + POP {r4,pc} (3+N = 3+2) = 11.
  EXPECT_EQ(cycles(*result_, 10), 11 + kEndV6m);
}

TEST_F(CoreM0Plus, FastMultiplier) {
  // MULS, fast multiplier: 1.
  EXPECT_EQ(cycles(*result_, 11), 1 + kEndV6m);
}

TEST_F(CoreM0Plus, LiteralLoadsFromZeroWaitStateFlash) {
  // LDR (literal) from flash at 0 wait states: 2 cycles each (M0+ TRM instruction set summary,
  // core-facts A.1: LDR 2). The M0+ has one AHB-Lite master, so the load's data phase takes
  // the bus the instruction fetch would have used; those 2 cycles already include that phase,
  // and the M0+ fetches 32 bits (two 16-bit instructions) per fetch, so fetch keeps up. The flash
  // adds no stall at WS = 0 (docs/models/flash.md). 2 + 2 = 4.
  EXPECT_EQ(cycles(*result_, 12), 4 + kEndV6m);
}

TEST(CoreM0PlusOption, SmallMultiplierThroughCoreSet) {
  // The board's core_set selects the 32-cycle small multiplier (core-facts A.1): MULS = 32.
  auto r = run_snippet_on(arm_board("cortex-m0plus"), "core_m0plus",
                          {"core_set=[\"classes.mul.cycles=32\"]"});
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(cycles(r, 11), 32 + kEndV6m);
  // Nothing else changes: 10 x ADDS = 10.
  EXPECT_EQ(cycles(r, 1), 10 + kEndV6m);
}

// --- Cortex-M3 (core-facts A.2) -------------------------------------------------------------
constexpr Cycles kEnd = 2;

class CoreM3 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new RunResult(run_snippet_on(arm_board("cortex-m3"), "core_m3"));
  }
  static void TearDownTestSuite() { delete result_; }
  static RunResult* result_;
};
RunResult* CoreM3::result_ = nullptr;

TEST_F(CoreM3, RunsToCompletion) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->regions.size(), 7u);
}

TEST_F(CoreM3, MultiplyAccumulate) {
  // MLA: 2 (M3 TRM table).
  EXPECT_EQ(cycles(*result_, 1), 2 + kEnd);
}

TEST_F(CoreM3, LongMultiplyEarlyTermination) {
  // UMULL 1000 x 2000 (both < 64K, low halves only): 3 (cmemu rule; TRM "terminates early").
  EXPECT_EQ(cycles(*result_, 2), 3 + kEnd);
  EXPECT_EQ(region(*result_, 2).counters.multiply_extra_cycles, 0u);
  // UMULL 0x12345678 x 0x9abcdef0 (both halves of both operands): 5 = 3 + 2 dynamic.
  EXPECT_EQ(cycles(*result_, 3), 5 + kEnd);
  EXPECT_EQ(region(*result_, 3).counters.multiply_extra_cycles, 2u);
  // UMLAL with the same operands: 7 = 3 + 4 dynamic.
  EXPECT_EQ(cycles(*result_, 4), 7 + kEnd);
  EXPECT_EQ(region(*result_, 4).counters.multiply_extra_cycles, 4u);
  EXPECT_EQ(region(*result_, 4).counters.divide_extra_cycles, 0u);
}

TEST_F(CoreM3, LoadPipelining) {
  // LDR (2) + independent LDR pipelined (2-1) = 3.
  EXPECT_EQ(cycles(*result_, 5), 3 + kEnd);
  // Post-indexed LDR (2) + LDR from another base (2): M3 never chains indexed loads = 4.
  EXPECT_EQ(cycles(*result_, 6), 4 + kEnd);
}

TEST_F(CoreM3, Divider) {
  // UDIV 0x7fffffff / 1: 5 + 30/4 = 12 (cmemu, measured on the M3), 10 beyond the minimum 2.
  EXPECT_EQ(cycles(*result_, 7), 12 + kEnd);
  EXPECT_EQ(region(*result_, 7).counters.divide_extra_cycles, 10u);
  EXPECT_EQ(region(*result_, 7).counters.multiply_extra_cycles, 0u);
}

// --- Cortex-M33 (core-facts A.5, jnk0le on RP2350 [C]) -----------------------------------------
class CoreM33 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new RunResult(run_snippet_on(arm_board("cortex-m33"), "core_m33"));
  }
  static void TearDownTestSuite() { delete result_; }
  static RunResult* result_;
};
RunResult* CoreM33::result_ = nullptr;

TEST_F(CoreM33, RunsToCompletion) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->regions.size(), 8u);
}

TEST_F(CoreM33, LoadUseStall) {
  // LDR at 0, ADDS waits for load-to-use 2: issues at 2 -> 3.
  EXPECT_EQ(cycles(*result_, 1), 3 + kEnd);
}

TEST_F(CoreM33, MacChainOnTheAccumulator) {
  // 3 x MLA chained through the accumulator (1 cycle each, not the 2-cycle result latency) = 3.
  EXPECT_EQ(cycles(*result_, 2), 3 + kEnd);
}

TEST_F(CoreM33, DualIssue) {
  // ADDS.N + NOP.N dual issue: 1.
  EXPECT_EQ(cycles(*result_, 3), 1 + kEnd);
  // ADDS.N + ADDS.N do not (ALU + ALU): 2.
  EXPECT_EQ(cycles(*result_, 4), 2 + kEnd);
  // LDR.N + ADDS.N do not (load/store + ALU): 2.
  EXPECT_EQ(cycles(*result_, 5), 2 + kEnd);
}

TEST_F(CoreM33, TakenBranchPairing) {
  // ADD.N (no flags) + taken B.N paired: ADD 1 + branch 1 ("effectively executing in 1 cycle").
  EXPECT_EQ(cycles(*result_, 6), 2 + kEnd);
  EXPECT_EQ(region(*result_, 6).counters.branch_penalty_cycles, 1u);
  // ADDS.N (sets flags) + taken B.N: ADDS 1 + branch 2.
  EXPECT_EQ(cycles(*result_, 7), 3 + kEnd);
}

TEST_F(CoreM33, FpMacChain) {
  // VFMA, then VFMA accumulating its result: accumulator latency 3 (and FP issue blocked for 2
  // cycles after the first): issues at 0 and 3 -> 4.
  EXPECT_EQ(cycles(*result_, 8), 4 + kEnd);
}

}  // namespace
}  // namespace mcusim::test
