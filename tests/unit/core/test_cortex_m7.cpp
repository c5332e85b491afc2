// Cortex-M7 core model: dual-issue scheduling, result latencies and the branch predictor.
// Expected cycles are derived by hand from the rules and sources cited in
// core-models/data/cortex-m7.toml (core-facts A.4: LLVM ARMScheduleM7.td, jnk0le cortex_m7.md,
// slothy), never from the model's output. Rules used below:
//   issue 2 per cycle in order; per cycle 2 ALU, 2 loads (different banks: bit 2 of the
//   immediate offset; register offsets never pair), 1 store, 1 MAC, 1 branch, 1 FP op;
//   DSP/bitfield ops older slot only; shifted operands never pair with each other; MAC never
//   pairs with a store; LDM/STM/PUSH/POP/LDRD/SDIV single issue, multiples ceil(N/2) cycles.
//   Latencies: ALU 1, MUL/MAC 2 (accumulator read 1 later), LDR 1, LDRB 2, EX1 readers (address,
//   shifted operand) +1 unless the producer is a plain ALU op, MUL operand from a load +1,
//   store data read 2 later; VADD 3, VFMA 5 (3 as accumulator; VADD blocked 3 cycles after a
//   FP MAC), VDIV 16 (pairs with one integer op, then locks), VADD.F64 4, VMUL.F64 busy 5.
//   Block cycles = issue cycle of the last group + its issue cycles (block-local scoreboard).
//   Mispredict 8, or 6 when the flags were set >= 3 cycles before the branch.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "mcusim/core/core_model.h"
#include "sequence_file.h"
#include "mcusim/core/cortex_m7.h"
#include "mcusim/core/timing_table.h"
#include "thumb_decoder.h"

namespace mcusim::core {
namespace {

constexpr Addr kBase = 0x0000'1000;

std::vector<std::uint8_t> seq(const std::string& name) { return read_sequence("m7_" + name); }

std::string table_text() {
  std::ifstream in(MCUSIM_CORE_M7_TABLE);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CortexM7 : public ::testing::Test {
 protected:
  void SetUp() override { model_ = load_core_model(MCUSIM_CORE_M7_TABLE); }
  BlockInfo run(const std::string& name) {
    const auto bytes = seq(name);
    return model_->analyze_block(kBase, bytes);
  }
  std::uint32_t cycles(const std::string& name) { return run(name).static_cycles; }
  std::unique_ptr<CoreModel> model_;
};

using Offsets = std::vector<std::uint32_t>;

TEST_F(CortexM7, Identity) {
  EXPECT_EQ(model_->name(), "cortex-m7");
  EXPECT_EQ(model_->unicorn_cpu(), "cortex-m7");
  EXPECT_EQ(model_->isa_family(), IsaFamily::arm_m);
  EXPECT_TRUE(model_->predicts_branches());
}

// ---- pairs that dual-issue ----------------------------------------------------------------------

TEST_F(CortexM7, FourIndependentAluOpsTakeTwoCycles) {
  // 2 ALUs: {adds, subs} in cycle 0, {eors, lsls} in cycle 1 -> 2.
  const auto b = run("alu4");
  EXPECT_EQ(b.n_insns, 4u);
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 0, 1, 1}));
}

TEST_F(CortexM7, LoadPairsWithAlu) {
  // LDR (load unit) + ADDS (ALU), independent -> one cycle.
  EXPECT_EQ(cycles("ldr_alu"), 1u);
}

TEST_F(CortexM7, LoadPairsWithStore) {
  // jnk0le: a store 'can be dual issued with load' -> one cycle.
  EXPECT_EQ(cycles("ldr_str"), 1u);
}

TEST_F(CortexM7, MacPairsWithAlu) {
  // MLA (MAC unit) + ADDS (ALU), independent -> one cycle.
  EXPECT_EQ(cycles("mac_alu"), 1u);
}

TEST_F(CortexM7, LoadsToDifferentBanksPair) {
  // ldr [r1] (offset 0, bank 0) + ldr [r3,#4] (bank 1) -> one cycle.
  EXPECT_EQ(cycles("ldr_bank_pair"), 1u);
}

TEST_F(CortexM7, StoreTakesAResultInTheSameCycle) {
  // jnk0le: stores 'can store any result in same cycle': ADDS r0 + STR r0 -> one cycle.
  EXPECT_EQ(cycles("alu_store_same_cycle"), 1u);
}

TEST_F(CortexM7, MovwMovtPair) {
  // jnk0le: 'movw + movt pair can dual issue with mutual dependency' -> one cycle.
  EXPECT_EQ(cycles("movw_movt"), 1u);
}

// ---- pairs that do not ----------------------------------------------------------------------

TEST_F(CortexM7, DependentAluOpsDoNotPair) {
  // ADDS r0 (latency 1) -> ADDS ..r0.. in cycle 1 -> 2.
  const auto b = run("alu_dep");
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 1}));
}

TEST_F(CortexM7, TwoDspOpsDoNotPair) {
  // DSP/bitfield ops: older slot only -> one per cycle -> 2 each.
  EXPECT_EQ(cycles("uxtb_uxtb"), 2u);
  EXPECT_EQ(cycles("uadd8_uadd8"), 2u);
}

TEST_F(CortexM7, TwoMultipliesDoNotPair) {
  // One MAC unit -> MUL in cycle 0, MUL in cycle 1 -> 2.
  EXPECT_EQ(cycles("mul_mul"), 2u);
}

TEST_F(CortexM7, LoadMultipleIsSingleIssue) {
  // ADDS (0); LDM of 3 registers: single issue, ceil(3/2) = 2 cycles (1, 2); ADDS (3) -> 4.
  const auto b = run("alu_ldm_alu");
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 1, 3}));
  EXPECT_EQ(b.data_beats, 3u);
}

TEST_F(CortexM7, PushFiveRegisters) {
  // PUSH {r4-r7, lr}: ceil(5/2) = 3 cycles.
  EXPECT_EQ(cycles("push5"), 3u);
}

TEST_F(CortexM7, LoadsToTheSameBankDoNotPair) {
  // Offsets 0 and 8: both bank 0 -> 2 cycles.
  EXPECT_EQ(cycles("ldr_bank_same"), 2u);
  // A register-offset load has an unknown bank: never paired -> 2 cycles.
  EXPECT_EQ(cycles("ldr_regoff_pair"), 2u);
}

TEST_F(CortexM7, TwoShiftedOperandsDoNotPair) {
  // jnk0le operand2 matrix: inline shifted reg + inline shifted reg '-' -> 2 cycles.
  EXPECT_EQ(cycles("shifted_pair"), 2u);
}

TEST_F(CortexM7, MultiplyDoesNotPairWithStore) {
  // jnk0le: multiplies 'can't dual issue with stores' -> 2 cycles.
  EXPECT_EQ(cycles("mul_str"), 2u);
}

TEST_F(CortexM7, TwoStoresDoNotPair) {
  // One store unit -> 2 cycles.
  EXPECT_EQ(cycles("str_str"), 2u);
}

// ---- result latencies ------------------------------------------------------------------------

TEST_F(CortexM7, LoadUseLatency) {
  // LDR latency 1: ADDS using r0 issues in cycle 1 -> 2.
  EXPECT_EQ(cycles("load_use"), 2u);
  // LDRB latency 1 + 1: ADDS in cycle 2 -> 3.
  EXPECT_EQ(cycles("ldrb_use"), 3u);
  // Loaded pointer as an address (EX1 reader, producer a load): 1 + 1 -> LDR in cycle 2 -> 3.
  EXPECT_EQ(cycles("load_addr"), 3u);
  // ALU result as an address: forwarded from the early ALU, no extra -> LDR in cycle 1 -> 2.
  EXPECT_EQ(cycles("alu_addr"), 2u);
  // Load into a shifted operand (EX1): 1 + 1 -> ADD in cycle 2 -> 3.
  EXPECT_EQ(cycles("load_shifted"), 3u);
  // Load into a multiplicand: 1 + 1 -> MUL in cycle 2 -> 3.
  EXPECT_EQ(cycles("ldr_mul"), 3u);
}

TEST_F(CortexM7, MacAccumulatorChainsEveryCycle) {
  // MLA latency 2, accumulator read 1 later: the chain issues in cycles 0, 1, 2 -> 3.
  const auto b = run("mla_chain");
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 1, 2}));
  // As a multiplicand the MUL result needs its full latency 2: MUL in cycle 2 -> 3.
  EXPECT_EQ(cycles("mul_operand"), 3u);
}

TEST_F(CortexM7, FloatingPointLatencyChain) {
  // VADD latency 3: cycles 0, 3, 6 -> 7.
  const auto b = run("vadd_chain");
  EXPECT_EQ(b.static_cycles, 7u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 3, 6}));
  // VFMA -> VFMA accumulator: 3 -> cycles 0, 3 -> 4.
  EXPECT_EQ(cycles("vfma_acc"), 4u);
  // VFMA -> VMUL operand: 5 -> cycles 0, 5 -> 6.
  EXPECT_EQ(cycles("vfma_mult"), 6u);
  // Independent VADD after a VFMA: blocked for 3 cycles -> cycle 0 + 1 + 3 = 4 -> 5.
  EXPECT_EQ(cycles("vfma_vadd"), 5u);
}

TEST_F(CortexM7, DivideLocksThePipelineAfterOnePartner) {
  // VDIV (cycle 0) pairs with one ADDS (cycle 0); the next ADDS waits for the 16-cycle lock
  // (cycle 16) -> 17.
  const auto b = run("vdiv_int");
  EXPECT_EQ(b.static_cycles, 17u);
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 0, 16}));
}

TEST_F(CortexM7, DoublePrecision) {
  // FPv5-D16 decodes double precision: VADD.F64 latency 4 -> cycles 0, 4 -> 5.
  const auto b = run("vadd_f64");
  EXPECT_EQ(b.class_counts[static_cast<std::size_t>(InsnClass::fp_alu)], 2u);
  EXPECT_EQ(b.class_counts[static_cast<std::size_t>(InsnClass::undefined)], 0u);
  EXPECT_EQ(b.static_cycles, 5u);
  // Independent VMUL.F64: the FP unit is busy 5 cycles -> cycles 0, 5 -> 6.
  EXPECT_EQ(cycles("vmul_f64"), 6u);
}

TEST_F(CortexM7, IntegerDivider) {
  // UDIV: single issue, divide_min = 2 cycles (0, 1); ADDS in cycle 2 -> 3. The run loop adds
  // divide_cycles() - divide_min at run time.
  const auto b = run("udiv_alu");
  EXPECT_EQ(b.static_cycles, 3u);
  ASSERT_EQ(b.dividers.size(), 1u);
  EXPECT_EQ(b.dividers[0].rn, 1u);
  EXPECT_EQ(b.dividers[0].rm, 2u);
  EXPECT_FALSE(b.dividers[0].is_signed);
  EXPECT_EQ(model_->divide_min_cycles(), 2u);
  // Early termination (cmemu formula, [U] for the M7): 0x7fffffff / 1 -> 5 + 30/4 = 12;
  // 1 / 0x7fffffff -> 3; x / 0 -> 2.
  EXPECT_EQ(model_->divide_cycles(0x7fffffff, 1, false), 12u);
  EXPECT_EQ(model_->divide_cycles(1, 0x7fffffff, false), 3u);
  EXPECT_EQ(model_->divide_cycles(5, 0, true), 2u);
}

// ---- branch predictor -------------------------------------------------------------------------

TEST_F(CortexM7, LoopBranchMispredictsThenPredicts) {
  // subs + bne pair in cycle 0 (the branch is predicted, it does not wait for the flags) -> 1.
  // Flags set 0 cycles before the branch (< 3): a misprediction costs 8.
  const auto b = run("loop_late_flags");
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 8u);
  // BTAC miss -> predicted not taken: the first taken iteration mispredicts (8), allocating a
  // weakly-taken entry; then taken iterations are predicted (0); the loop exit (not taken) is
  // mispredicted (8); entering the loop again is predicted (counter 3 -> 2 still says taken).
  EXPECT_EQ(model_->leave_block(b, true), 8u);
  EXPECT_EQ(model_->leave_block(b, true), 0u);
  EXPECT_EQ(model_->leave_block(b, true), 0u);
  EXPECT_EQ(model_->leave_block(b, false), 8u);
  EXPECT_EQ(model_->leave_block(b, true), 0u);
}

TEST_F(CortexM7, EarlyFlagsShortenTheMispredictPenalty) {
  // cmp + mul (cycle 0), mul (1), mul (2), mul + beq (3): the flags were set 3 cycles before the
  // branch -> penalty 6 (jnk0le flag forwarding). Block: 4 cycles.
  const auto b = run("loop_early_flags");
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.taken_branch_penalty, 6u);
  EXPECT_EQ(model_->leave_block(b, true), 6u);  // BTAC miss
  EXPECT_EQ(model_->leave_block(b, true), 0u);
}

TEST_F(CortexM7, UnconditionalBranchMissingTheBtacIsRedirectedAtDecode) {
  // B (direct, unconditional) not in the BTAC: the decoder redirects it (m7.decode_redirect_penalty
  // 5, derived in cortex-m7.toml from the 8/6 execute-time penalties), not a full 8; then it hits.
  const auto b = run("self_branch");
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(model_->leave_block(b, true, &b), 5u);
  EXPECT_EQ(model_->leave_block(b, true, &b), 0u);
}

// Runs `times` passes of a loop block entered at its start and returns the cycles of the whole
// loop by the model's own parts: static cycles per pass plus what leave_block charges (taken
// back to the block, then the exit falls through to `after`).
std::uint64_t loop_cycles(CoreModel& m, const BlockInfo& body, const BlockInfo& after, int times) {
  std::uint64_t c = 0;
  for (int i = 0; i < times; ++i) {
    c += body.static_cycles;
    const bool last = i + 1 == times;
    c += m.leave_block(body, !last, last ? &after : &body);
  }
  return c;
}

TEST_F(CortexM7, UnrolledLoopIsFasterThanRolled) {
  // Rolled, 16 passes of {adds r0; subs r2; bne}: adds + subs cycle 0, bne cycle 1 -> 2 per pass;
  // flags set 1 cycle before the branch -> penalty 8: the first taken pass misses the BTAC (8),
  // the exit is mispredicted (8). 16 x 2 + 8 + 8 = 48.
  const auto rolled = run("rolled_loop");
  const auto after = model_->analyze_block(kBase + 0x100, seq("alu4"));
  EXPECT_EQ(rolled.static_cycles, 2u);
  EXPECT_EQ(loop_cycles(*model_, rolled, after, 16), 48u);
  // Unrolled by 4, 4 passes of {subs; add.w x4 (a chain, flags untouched); bne}: subs + add.w
  // cycle 0, add.w 1, 2, add.w + bne 3 -> 4 per pass; flags set 3 cycles before the branch ->
  // penalty 6.
  // 4 x 4 + 6 + 6 = 28: the same 16 additions in 20 fewer cycles.
  const auto m2 = load_core_model(MCUSIM_CORE_M7_TABLE);
  const auto unrolled = m2->analyze_block(kBase + 0x200, seq("unrolled_loop"));
  EXPECT_EQ(unrolled.static_cycles, 4u);
  EXPECT_EQ(unrolled.taken_branch_penalty, 6u);
  EXPECT_EQ(loop_cycles(*m2, unrolled, after, 4), 28u);
}

TEST(CortexM7Predictor, AliasingBranchesThrashADirectMappedBtacNotATwoWayOne) {
  // Two loop branches 128 bytes apart share a set of a 64-entry direct-mapped BTAC (index
  // (pc >> 1) mod 64); taken alternately, each evicts the other and every one mispredicts (8).
  // With 2 ways both stay: after the two first misses, none.
  const std::string t = table_text();
  const std::string from = "[m7.btac_ways]\nvalue = 1";
  ASSERT_NE(t.find(from), std::string::npos);
  std::string t2 = t;
  t2.replace(t2.find(from), from.size(), "[m7.btac_ways]\nvalue = 2");
  for (const auto& [text, steady] : {std::pair{t, 8u}, std::pair{t2, 0u}}) {
    const auto m = parse_core_model(text, "m7.toml");
    const auto a = m->analyze_block(kBase, seq("loop_late_flags"));
    const auto b = m->analyze_block(kBase + 128, seq("loop_late_flags"));
    EXPECT_EQ(m->leave_block(a, true, &a), 8u);
    EXPECT_EQ(m->leave_block(b, true, &b), 8u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(m->leave_block(a, true, &a), steady);
      EXPECT_EQ(m->leave_block(b, true, &b), steady);
    }
  }
}

TEST(CortexM7Predictor, ReturnStackPredictsReturnsToEveryCaller) {
  // A function {bx lr} at 0x2008 called from 0x1000 and from 0x1102 (BL, 4 bytes: returns to
  // 0x1004 and 0x1106). BTAC sets ((pc >> 1) mod 64): 0, 1 and 4, no aliasing.
  const std::string t = table_text();
  const std::string from = "[m7.return_stack_depth]\nvalue = 0";
  ASSERT_NE(t.find(from), std::string::npos);
  std::string with_ras = t;
  with_ras.replace(with_ras.find(from), from.size(), "[m7.return_stack_depth]\nvalue = 4");
  for (const bool ras : {false, true}) {
    const auto m = parse_core_model(ras ? with_ras : t, "m7.toml");
    const auto call1 = m->analyze_block(0x1000, seq("call"));
    const auto call2 = m->analyze_block(0x1102, seq("call"));
    const auto fn = m->analyze_block(0x2008, seq("ret"));
    const auto back1 = m->analyze_block(0x1004, seq("alu4"));
    const auto back2 = m->analyze_block(0x1106, seq("alu4"));
    ASSERT_EQ(fn.taken_branch_penalty, 8u);
    // First call: BL misses the BTAC, redirected at decode (5). The return: with a return stack
    // its target (0x1004) is popped and redirected at decode (5); without, it is an indirect
    // branch missing the BTAC (8).
    EXPECT_EQ(m->leave_block(call1, true, &fn), 5u);
    EXPECT_EQ(m->leave_block(fn, true, &back1), ras ? 5u : 8u);
    // Second call, from 0x1102: its BL misses (5). The return hits the BTAC, whose stored target
    // is 0x1004: wrong (8) without a return stack, right (0x1106 popped, 0) with one.
    EXPECT_EQ(m->leave_block(call2, true, &fn), 5u);
    EXPECT_EQ(m->leave_block(fn, true, &back2), ras ? 0u : 8u);
    // Again from 0x1000: BL hits (0); the BTAC now says 0x1106 (8 without), the stack 0x1004 (0).
    EXPECT_EQ(m->leave_block(call1, true, &fn), 0u);
    EXPECT_EQ(m->leave_block(fn, true, &back1), ras ? 0u : 8u);
  }
}

TEST(CortexM7Predictor, PopPcIsAReturn) {
  // POP {r4, pc} pops the return stack like BX LR (4-entry stack): call from 0x1000, return
  // through POP {..PC}: popped 0x1004 is right, redirected at decode (5; the BTAC misses).
  const std::string t = table_text();
  const std::string from = "[m7.return_stack_depth]\nvalue = 0";
  std::string with_ras = t;
  with_ras.replace(with_ras.find(from), from.size(), "[m7.return_stack_depth]\nvalue = 4");
  const auto m = parse_core_model(with_ras, "m7.toml");
  const auto call = m->analyze_block(0x1000, seq("call"));
  const auto fn = m->analyze_block(0x2008, seq("pop_ret"));  // BTAC set 4, the call's is 0
  const auto back = m->analyze_block(0x1004, seq("alu4"));
  EXPECT_EQ(m->leave_block(call, true, &fn), 5u);
  EXPECT_EQ(m->leave_block(fn, true, &back), 5u);
  // A return with an empty stack and a BTAC hit to the old target: right (0).
  EXPECT_EQ(m->leave_block(fn, true, &back), 0u);
}

TEST_F(CortexM7, NotTakenBranchPairsWithTheNextBlocksFirstInstruction) {
  // Block X {cmp; add.w r3; bne}: cmp + add.w cycle 0, bne alone cycle 1 -> 2 cycles, its last
  // group has a free slot. Block Y {add.w r5; add.w r7; add.w r8}: 2 cycles on its own (2 + 1);
  // when its first add issues beside X's not-taken bne (jnk0le: a not-taken branch dual-issues
  // with the following instruction), the other two pair in one cycle: 1 cycle saved.
  const auto x = run("tail_branch");
  const auto y = model_->analyze_block(kBase + 0x40, seq("head_three"));
  EXPECT_EQ(x.static_cycles, 2u);
  EXPECT_EQ(y.static_cycles, 2u);
  std::uint32_t overlap = 9;
  EXPECT_EQ(model_->leave_block(x, false, &y, &overlap), 0u);  // bne unseen: predicted not taken
  EXPECT_EQ(overlap, 1u);
  // Taken: a misprediction (BTAC miss of a taken B<cond>, 8) pairs with nothing.
  EXPECT_EQ(model_->leave_block(x, true, &y, &overlap), 8u);
  EXPECT_EQ(overlap, 0u);
}

TEST_F(CortexM7, PredictedTakenBranchPairsWithItsTargetAfterTwoNarrowInstructions) {
  // jnk0le: a predicted-taken branch dual-issues with one instruction at its target, given at
  // least 2 16-bit instructions before it (m7.taken_pair_narrow_before = 2).
  // {movs r1; movs r2 (16-bit, cycle 0); b.w (alone, cycle 1)} -> target {add.w r5; add.w r7;
  // add.w r8} (2 cycles alone, 1 when its first add joins the b.w).
  const auto narrow = run("narrow_branch");
  const auto wide = model_->analyze_block(kBase + 0x40, seq("wide_branch"));
  const auto y = model_->analyze_block(kBase + 0x80, seq("head_three"));
  EXPECT_EQ(narrow.static_cycles, 2u);
  EXPECT_EQ(wide.static_cycles, 2u);
  std::uint32_t overlap = 9;
  // First pass: BTAC miss, redirected at decode (5): no pairing. Then predicted at fetch: 1.
  EXPECT_EQ(model_->leave_block(narrow, true, &y, &overlap), 5u);
  EXPECT_EQ(overlap, 0u);
  EXPECT_EQ(model_->leave_block(narrow, true, &y, &overlap), 0u);
  EXPECT_EQ(overlap, 1u);
  // The same with two 32-bit instructions before the branch: predicted, but no pairing.
  EXPECT_EQ(model_->leave_block(wide, true, &y, &overlap), 5u);
  EXPECT_EQ(model_->leave_block(wide, true, &y, &overlap), 0u);
  EXPECT_EQ(overlap, 0u);
}

TEST_F(CortexM7, BlockEdgePairingWaitsForOperands) {
  // Block {add.w r3; add.w r4 (cycle 0); add.w r6 (cycle 1)} split without a branch. Next block
  // {add.w r5, r6, #1; ...}: its first add reads r6, written in that same cycle (latency 1): it
  // cannot join -> 0. {add.w r5, r5, #1; ...} reads nothing pending -> joins, 1 saved.
  const auto p = run("tail_alu");
  const auto dep = model_->analyze_block(kBase + 0x40, seq("head_reads_r6"));
  const auto indep = model_->analyze_block(kBase + 0x80, seq("head_three"));
  EXPECT_EQ(p.static_cycles, 2u);
  std::uint32_t overlap = 9;
  EXPECT_EQ(model_->leave_block(p, false, &dep, &overlap), 0u);
  EXPECT_EQ(overlap, 0u);
  EXPECT_EQ(model_->leave_block(p, false, &indep, &overlap), 0u);
  EXPECT_EQ(overlap, 1u);
}

TEST(CortexM7Predictor, PairingAcrossBlocksCanBeSwitchedOff) {
  const std::string t = table_text();
  const std::string from = "[m7.pair_across_blocks]\nvalue = true";
  ASSERT_NE(t.find(from), std::string::npos);
  std::string off = t;
  off.replace(off.find(from), from.size(), "[m7.pair_across_blocks]\nvalue = false");
  const auto m = parse_core_model(off, "m7.toml");
  const auto x = m->analyze_block(kBase, seq("tail_branch"));
  const auto y = m->analyze_block(kBase + 0x40, seq("head_three"));
  std::uint32_t overlap = 9;
  EXPECT_EQ(m->leave_block(x, false, &y, &overlap), 0u);
  EXPECT_EQ(overlap, 0u);
}

TEST_F(CortexM7, FallThroughBlockCostsNothing) {
  const auto b = run("alu4");
  EXPECT_EQ(model_->leave_block(b, false), 0u);
}

// ---- decoder fields the M7 rules use (ARMv7-M ARM operand descriptions) ------------------------

TEST(CortexM7Decoder, FpuKindAndOperandFields) {
  using detail::ThumbDecoder;
  using detail::ThumbFpu;
  // vadd.f64: undefined on the M4's FPv4-SP, double-precision fp_alu on the M7's FPv5-D16.
  const auto f64 = seq("vadd_f64");
  ThumbDecoder m4;
  ThumbDecoder m7(ThumbFpu::fpv5_d16);
  EXPECT_EQ(m4.decode(kBase, f64)[0].cls, InsnClass::undefined);
  const auto d = m7.decode(kBase, f64);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].cls, InsnClass::fp_alu);
  EXPECT_TRUE(d[0].fp64);
  EXPECT_EQ(d[0].fp_written, 0b11u);       // d0 = s0, s1
  EXPECT_EQ(d[1].fp_read, 0b1100000011u);  // d0 and d4 = s0, s1, s8, s9
  // ldr r0,[r1]; ldr r2,[r3,#4]: immediate offsets 0 and 4.
  const auto ld = m7.decode(kBase, seq("ldr_bank_pair"));
  EXPECT_EQ(ld[0].mem_disp, 0);
  EXPECT_EQ(ld[1].mem_disp, 4);
  // mla r0, r1, r2, r0: Ra = r0 is the accumulator; vfma.f32 s0, ...: s0 is.
  EXPECT_EQ(m7.decode(kBase, seq("mla_chain"))[0].acc_regs, 1u << 0);
  EXPECT_EQ(m7.decode(kBase, seq("vfma_acc"))[1].fp_acc, 1u << 0);
}

// ---- table validation ---------------------------------------------------------------------------

void expect_error(std::string text, const std::string& from, const std::string& to,
                  const std::string& key) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  try {
    (void)parse_core_model(text, "m7-test.toml");
    ADD_FAILURE() << "no error for " << key;
  } catch (const TimingTableError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("m7-test.toml"), std::string::npos) << what;
    EXPECT_NE(what.find(key), std::string::npos) << what;
  }
}

TEST(CortexM7Table, BadTablesNameFileAndKey) {
  const std::string t = table_text();
  ASSERT_FALSE(t.empty());
  EXPECT_NO_THROW((void)parse_core_model(t, "m7-test.toml"));
  // A class without a latency.
  expect_error(t, "cycles = 1\nlatency = 2\nsource = \"[C] LLVM ARMScheduleM7.td WriteMUL32",
               "cycles = 1\nsource = \"[C] LLVM ARMScheduleM7.td WriteMUL32",
               "classes.mul.latency");
  // An M4-only rule switched on.
  expect_error(t, "[pipeline.load_pipelining]\nvalue = false",
               "[pipeline.load_pipelining]\nvalue = true", "pipeline.load_pipelining.value");
  // A missing / unknown / out-of-range [m7] key.
  expect_error(t, "[m7.btac_entries]\nvalue = 64", "[m7.btac_entrys]\nvalue = 64",
               "m7.btac_entries");
  expect_error(t, "[m7.btac_entries]\nvalue = 64", "[m7.btac_entries]\nvalue = 48",
               "m7.btac_entries.value");
  expect_error(t, "[m7.issue_width]\nvalue = 2", "[m7.issue_width]\nvalue = 3",
               "m7.issue_width.value");
  expect_error(t, "value = \"offset_bit2\"", "value = \"bank\"", "m7.load_bank_rule.value");
  // Predictor shape: ways must divide the entries; a decode redirect cannot cost more than an
  // execute-time one.
  expect_error(t, "[m7.btac_ways]\nvalue = 1", "[m7.btac_ways]\nvalue = 3", "m7.btac_ways.value");
  expect_error(t, "[m7.decode_redirect_penalty]\nvalue = 5",
               "[m7.decode_redirect_penalty]\nvalue = 7", "m7.decode_redirect_penalty.value");
  expect_error(t, "[m7.pair_across_blocks]\nvalue = true", "[m7.pair_across_blocks]\nvalue = 1",
               "m7.pair_across_blocks.value");
  expect_error(t, "[m7.taken_pair_narrow_before]\nvalue = 2",
               "[m7.taken_pair_narrow_before]\nvalue = 17", "m7.taken_pair_narrow_before.value");
  // Multiples are ceil(N/2), not 1+N.
  expect_error(t, "cycles = 1\nper_register = 0\nlatency = 1\nsource = \"[C] jnk0le: LDM/POP",
               "cycles = 1\nper_register = 1\nlatency = 1\nsource = \"[C] jnk0le: LDM/POP",
               "classes.load_multiple.per_register");
}

}  // namespace
}  // namespace mcusim::core
