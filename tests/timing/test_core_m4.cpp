// Cortex-M4 instruction sequences through the whole engine at 0 wait states. Every expected cycle
// count is derived by hand from core-models/data/cortex-m4.toml's cited sources (core-facts.md
// A.2, A.3, F): ALU/MUL/MLA/SMULL/SMLAD 1, LDR 2 (-1 when pipelined after an independent LDR),
// STR imm 1, LDRD 3, LDM/STM/PUSH/POP 1+N, AGU stall +1, branch 1 (+P when taken: P=1 immediate,
// P=2 register; +1 when the target is a 32-bit instruction at 2 mod 4), VADD 1, VMLA 3, VDIV 14.
// Each region also contains the end marker's two ALU instructions (movw r0,#0x101; movs r1,#id =
// 2 cycles) and its BKPT (0 cycles, simulator service).
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

constexpr Cycles kEndMarker = 2;

class CoreM4 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new RunResult(run_snippet("core_m4", kZeroWaitStates)); }
  static void TearDownTestSuite() { delete result_; }
  static Cycles cycles(std::uint32_t id) { return region(*result_, id).counters.cycles; }
  static RunResult* result_;
};
RunResult* CoreM4::result_ = nullptr;

TEST_F(CoreM4, RunsToCompletion) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->exit_code, 0);
  EXPECT_EQ(result_->total.flash.ifetch_stall_cycles, 0u);
  EXPECT_EQ(result_->regions.size(), 20u);
}

TEST_F(CoreM4, AluSequence) {
  // 10 x ADDS (1 each) = 10.
  EXPECT_EQ(cycles(1), 10 + kEndMarker);
  // 10 ADDS + MOVW + MOVS + BKPT retired.
  EXPECT_EQ(region(*result_, 1).counters.instructions, 13u);
  EXPECT_EQ(region(*result_, 1).counters.classes[static_cast<size_t>(core::InsnClass::alu)], 12u);
}

TEST_F(CoreM4, IndependentLoadsPipeline) {
  // LDR (2) + LDR pipelined (2 - 1) = 3 (M3 TRM 'Load/store timings': LDR R0,[R1]; LDR R1,[R2] = 3).
  EXPECT_EQ(cycles(2), 3 + kEndMarker);
}

TEST_F(CoreM4, DependentLoadDoesNotPipeline) {
  // LDR r3 (2) + LDR [r3] (2, address depends on the first load) = 4.
  EXPECT_EQ(cycles(3), 4 + kEndMarker);
}

TEST_F(CoreM4, AddressGenerationStall) {
  // ADDS r5 (1) + LDR [r5] (2) + AGU stall (1) = 4.
  EXPECT_EQ(cycles(4), 4 + kEndMarker);
}

TEST_F(CoreM4, LoadDoubleAndStores) {
  // LDRD (3) + STR imm (1) + STR imm (1) = 5.
  EXPECT_EQ(cycles(5), 5 + kEndMarker);
}

TEST_F(CoreM4, PushPop) {
  // PUSH {r4-r7,lr} 1+5 = 6; POP {r4-r7} 1+4 = 5; ADD sp 1 => 12.
  EXPECT_EQ(cycles(6), 12 + kEndMarker);
  EXPECT_EQ(region(*result_, 6).counters.sram.writes, 5u);
  EXPECT_EQ(region(*result_, 6).counters.sram.reads, 4u);
}

TEST_F(CoreM4, Multiplies) {
  // MULS, MLA, SMULL, SMLAD: 1 each = 4.
  EXPECT_EQ(cycles(7), 4 + kEndMarker);
}

TEST_F(CoreM4, UnconditionalBranch) {
  // B (1) + P immediate (1) = 2; the skipped NOP does not execute. The target, the end marker's
  // 32-bit MOVW, lies at 2 mod 4 in the built snippet (0x080000da: BKPT and B are 16-bit after a
  // word-aligned ADDW), so its refill takes a second fetch word: + 1 = 3.
  EXPECT_EQ(cycles(8), 3 + kEndMarker);
  EXPECT_EQ(region(*result_, 8).counters.branch_penalty_cycles, 2u);
}

TEST_F(CoreM4, ConditionalBranchNotTaken) {
  // CMP (1) + BNE not taken (1) + 2 x NOP (1) = 4; no refill.
  EXPECT_EQ(cycles(9), 4 + kEndMarker);
  EXPECT_EQ(region(*result_, 9).counters.branch_penalty_cycles, 0u);
}

TEST_F(CoreM4, ConditionalBranchTaken) {
  // CMP (1) + BEQ taken (1 + P 1) = 3, + 1 for the 32-bit MOVW target at 2 mod 4 (0x0800010e:
  // BKPT, CMP, BEQ and two NOPs are 16-bit after a word-aligned ADDW) = 4.
  EXPECT_EQ(cycles(10), 4 + kEndMarker);
}

TEST_F(CoreM4, CallAndReturn) {
  // BL (1 + P imm 1) + BX LR (1 + P reg 2) = 5 (both targets, BX LR at 0x0800017e and the MOVW
  // after the BL at 0x08000124, need one fetch word: a 16-bit one, and a 32-bit one at 0 mod 4).
  EXPECT_EQ(cycles(11), 5 + kEndMarker);
}

TEST_F(CoreM4, FloatingPoint) {
  // VADD.F32 (1) + VMLA.F32 (3) + VDIV.F32 (14) = 18 (M4 TRM Table 7-1 via TI SWCU192 Table 3-27).
  EXPECT_EQ(cycles(12), 18 + kEndMarker);
}

TEST_F(CoreM4, BranchToA32BitTargetAt2Mod4PaysASecondFetch) {
  // Cortex-M4 TRM 3.3.1: P = 1 to 3 by the target's width and alignment. The target is the end
  // marker's MOVW (32-bit), placed at 2 mod 4 by the snippet (.balign 4; nop): B (1) + P
  // immediate (1) + a second fetch word for the straddling target (1) = 3.
  EXPECT_EQ(cycles(13), 3 + kEndMarker);
  EXPECT_EQ(region(*result_, 13).counters.branch_penalty_cycles, 2u);
  // The same MOVW target at 0 mod 4 (.balign 4): B (1) + P (1) = 2.
  EXPECT_EQ(cycles(14), 2 + kEndMarker);
  EXPECT_EQ(region(*result_, 14).counters.branch_penalty_cycles, 1u);
}

TEST(Divider, EarlyTermination) {
  // cmemu divider rule (cortex-m4.toml pipeline.divide_min): 2 if an operand is 0; 3 if
  // msb(divisor) > msb(dividend); else 5 + (msb(dividend) - msb(divisor)) / 4.
  auto r = run_snippet("divide", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // 0x7fffffff / 1: msb 30 vs 0 -> 5 + 30/4 = 12.
  EXPECT_EQ(region(r, 1).counters.cycles, 12 + kEndMarker);
  EXPECT_EQ(region(r, 1).counters.divide_extra_cycles, 10u);
  // 1 / 0x7fffffff: msb(divisor) 30 > msb(dividend) 0 -> 3.
  EXPECT_EQ(region(r, 2).counters.cycles, 3 + kEndMarker);
  // MOVS (1) + SDIV by zero (2).
  EXPECT_EQ(region(r, 3).counters.cycles, 3 + kEndMarker);
}

TEST(Dwt, CycleCounterReadsModelledCycles) {
  // CYCCNT read by LDR #1, then 10 ADDS, then LDR #2: the difference is LDR #1's own 2 cycles
  // (not pipelined: the next instruction is an ADDS) + 10 = 12. The firmware exits with it.
  auto r = run_snippet("cyccnt", kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, 12);
}

TEST_F(CoreM4, LoadsToDifferentMemoriesDoNotPipeline) {
  // jnk0le (cortex_m3m4.md, STM32F407): "load pipelining happens only when targeting the same
  // memory block". LDR from flash (2) + LDR from SRAM (2, not pipelined) = 4, and the reverse
  // order the same; two LDRs from flash pipeline as the TRM's example: 2 + (2 - 1) = 3. At
  // 0 wait states the flash adds no stall.
  EXPECT_EQ(cycles(15), 4 + kEndMarker);
  EXPECT_EQ(cycles(16), 4 + kEndMarker);
  EXPECT_EQ(cycles(17), 3 + kEndMarker);
  EXPECT_EQ(result_->total.flash.data_stall_cycles, 0u);
}

TEST_F(CoreM4, MisalignedLoadsAreSplitIntoAlignedParts) {
  // M4 TRM r0p1 3.3.2 "Load/store timings": a halfword-aligned word = two halfwords (+1), a
  // byte-aligned word = byte + halfword + byte (+2), a byte-aligned halfword = two bytes (+1).
  EXPECT_EQ(cycles(18), 2 + 1 + kEndMarker);
  EXPECT_EQ(cycles(19), 2 + 2 + kEndMarker);
  EXPECT_EQ(cycles(20), 2 + 1 + kEndMarker);
}

}  // namespace
}  // namespace mcusim::test
