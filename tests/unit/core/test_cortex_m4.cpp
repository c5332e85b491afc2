// Cortex-M4 core model: block decoding, classification and static timing.
// Expected cycle counts are derived by hand from the sources cited in
// core-models/data/cortex-m4.toml (core-facts A.2/A.3/F), never from the model's output:
//   ALU/MUL/MLA/SMULL/DSP 1; LDR 2; STR imm 1, STR reg-offset 2; LDRD/STRD 3;
//   LDM/STM/PUSH/POP 1+N; B/BL/BX 1 (+P when taken); TBB/TBH 2+1 (+P); VADD 1; VMLA 3;
//   VDIV 14; VLDR.32 2, VLDR.64 3; VLDM/VPUSH 1+N (D register = 2); VMOV core<->FP 2;
//   P: imm 1, reg 2, load-PC 2; load pipelining -1 on the 2nd access; AGU stall +1.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "mcusim/core/core_model.h"
#include "sequence_file.h"
#include "mcusim/core/cortex_m4.h"

namespace mcusim::core {
namespace {

constexpr Addr kBase = 0x0800'1000;

std::vector<std::uint8_t> seq(const std::string& name) { return read_sequence(name); }

class CortexM4 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = load_core_model(MCUSIM_CORE_M4_TABLE); }
  static void TearDownTestSuite() { model_.reset(); }
  static BlockInfo run(const std::string& name) {
    const auto bytes = seq(name);
    return model_->analyze_block(kBase, bytes);
  }
  static std::uint64_t count(const BlockInfo& b, InsnClass c) {
    return b.class_counts[static_cast<std::size_t>(c)];
  }
  static inline std::unique_ptr<CoreModel> model_;
};

TEST_F(CortexM4, Name) { EXPECT_EQ(model_->name(), "cortex-m4"); }

TEST_F(CortexM4, AluRun) {
  // 4 x ALU (1 each) = 4
  const auto b = run("alu_run");
  EXPECT_EQ(b.n_insns, 4u);
  EXPECT_EQ(count(b, InsnClass::alu), 4u);
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.taken_branch_penalty, 0u);
  EXPECT_EQ(b.data_beats, 0u);
  EXPECT_EQ(b.start, kBase);
  EXPECT_EQ(b.size_bytes, 8u);  // four 16-bit encodings
}

TEST_F(CortexM4, MultipliesAreSingleCycle) {
  // MUL 1 + MLA 1 + SMULL 1 + SMLAD 1 = 4 (SWCU192 Table 3-25: MUL/MLA/long multiplies 1; DSP 1 [U])
  const auto b = run("mul_run");
  EXPECT_EQ(count(b, InsnClass::mul), 2u);
  EXPECT_EQ(count(b, InsnClass::mul_long), 1u);
  EXPECT_EQ(count(b, InsnClass::dsp), 1u);
  EXPECT_EQ(b.static_cycles, 4u);
}

TEST_F(CortexM4, LoadLoadPipelined) {
  // TRM example "LDR R0,[R1]; LDR R1,[R2]" = 3: LDR (2) + LDR pipelined (2-1) = 3
  const auto b = run("ldr_ldr");
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.data_beats, 2u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 2}));
  // The second access (index 1) took the saving: the run loop checks that both go to the same
  // memory (pipeline.load_pipelining_same_memory, jnk0le cortex_m3m4.md).
  EXPECT_EQ(b.pipelined_accesses, 0b10u);
  EXPECT_EQ(b.pipelined_access_saving, 1u);
}

TEST_F(CortexM4, UnalignedAccessesPayPerExtraPart) {
  // M4 TRM r0p1 3.3.2: halfword at an odd address +1; word at 2 mod 4 +1; word at an odd
  // address +2 (byte, halfword, byte); aligned accesses and bytes 0.
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0000, 4), 0u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0002, 4), 1u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0001, 4), 2u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0003, 4), 2u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0001, 2), 1u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0002, 2), 0u);
  EXPECT_EQ(model_->unaligned_access_cycles(0x2000'0001, 1), 0u);
}

TEST_F(CortexM4, OnlyPipelinedAccessesAreMarked) {
  // LDR r0,[r1,R5]; LDR r1,[r2]; LDR r2,[r3,#4]: accesses 1 and 2 pipelined.
  EXPECT_EQ(run("ldr_ldr_ldr").pipelined_accesses, 0b110u);
  // A dependent load, a written-back base and an STR imm after an LDR (already 1 cycle) save
  // nothing, so nothing is marked.
  EXPECT_EQ(run("ldr_ldr_dep").pipelined_accesses, 0u);
  EXPECT_EQ(run("ldr_wb_same_base").pipelined_accesses, 0u);
  EXPECT_EQ(run("ldr_str").pipelined_accesses, 0u);
}

TEST_F(CortexM4, ThreeLoadsPipelined) {
  // TRM example "LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R3,#4]" = 4: 2 + (2-1) + (2-1) = 4
  EXPECT_EQ(run("ldr_ldr_ldr").static_cycles, 4u);
}

TEST_F(CortexM4, DependentLoadDoesNotPipeline) {
  // LDR r0,[r1]; LDR r2,[r0]: address depends on the first load -> 2 + 2 = 4
  EXPECT_EQ(run("ldr_ldr_dep").static_cycles, 4u);
}

TEST_F(CortexM4, WritebackBaseBlocksPipelining) {
  // LDR r0,[r1],#4; LDR r2,[r1]: second address uses the written-back base (jnk0le: M4 cannot
  // chain indexed loads on the same base) -> 2 + 2 = 4
  EXPECT_EQ(run("ldr_wb_same_base").static_cycles, 4u);
}

TEST_F(CortexM4, WritebackLoadsOnAlternatingBasesPipeline) {
  // LDR r0,[r1],#4; LDR r2,[r3],#4; LDR r4,[r1],#4; LDR r5,[r3],#4: no load's address uses the
  // base the load before it wrote back -> 2 + 1 + 1 + 1 = 5. jnk0le (STM32F407): indexed loads
  // "cannot be chained back to back on same register base address (alternating 2 different
  // registers works)"; TRM: one cycle off each following independent LDR.
  const auto b = run("ldr_wb_alternate_base");
  EXPECT_EQ(b.static_cycles, 5u);
  EXPECT_EQ(b.pipelined_accesses, 0b1110u);
}

TEST_F(CortexM4, KwsPointwiseGroupCosts23) {
  // X-CUBE-AI KWS 1x1-convolution group (docs/validation.md, issue 14 part 5), by hand:
  //   ldr.w r5,[r9,#64] 2 (first load); ldr.w r0,[r6],#4 1 (independent, pipelined);
  //   ldr.w r1/r2/r3,[r6],#4 2 each (same written-back base: jnk0le's F407 measurement, and the
  //   asm-compendium's "each subsequent load using writeback will also take extra cycles");
  //   2 x SXTB16 + 4 x SMLAD 6; ldr.w r4,[r9],#4 2 (after an SMLAD); 2 x SXTB16 + 4 x SMLAD 6.
  //   2 + 1 + 6 + 6 + 2 + 6 = 23 for 16 MACs (the TRM's wording alone, writeback not named,
  //   would give 20).
  const auto b = run("kws_pw_group");
  EXPECT_EQ(b.n_insns, 18u);
  EXPECT_EQ(count(b, InsnClass::load), 6u);
  EXPECT_EQ(b.static_cycles, 23u);
  EXPECT_EQ(b.pipelined_accesses, 0b10u);
}

TEST_F(CortexM4, ItFoldsOntoAPreceding16BitInstruction) {
  // MOVS r0,r1 (16-bit) 1; IT MI folded 0; RSBMI r0,r0,#0 1 = 2. Cortex-M4 TRM DDI 0439D Table
  // 3-1 note d ("folded onto a preceding 16-bit Thumb instruction, enabling execution in zero
  // cycles"); measured 2 cycles, fold count 1 (asm-compendium conditional_block.md).
  const auto b = run("it_after_narrow");
  EXPECT_EQ(count(b, InsnClass::it), 1u);
  EXPECT_EQ(b.static_cycles, 2u);
  // MOVS.W r0,r1 (32-bit) 1; IT 1 (nothing to fold onto); RSBMI 1 = 3: measured 3, fold count 0.
  EXPECT_EQ(run("it_after_wide").static_cycles, 3u);
}

TEST_F(CortexM4, LoadThenStoreImmediate) {
  // TRM example "LDR R0,[R1,R2]; STR R0,[R3,#20]" = 3: LDR (2) + STR imm (1, already overlapped)
  EXPECT_EQ(run("ldr_str").static_cycles, 3u);
}

TEST_F(CortexM4, RegisterOffsetStoreDoesNotPipeline) {
  // LDR (2) + STR reg offset (GCC store1_2 = 2, not pipelined) = 4
  EXPECT_EQ(run("ldr_str_regoff").static_cycles, 4u);
}

TEST_F(CortexM4, StoreStoreDoesNotPipeline) {
  // STR imm (1) + STR imm (1) = 2 (STR pipelines only after an LDR; each STR imm is 1 cycle)
  const auto b = run("str_str");
  EXPECT_EQ(count(b, InsnClass::store), 2u);
  EXPECT_EQ(b.static_cycles, 2u);
}

TEST_F(CortexM4, StoreThenLoad) {
  // STR imm (1) + LDR (2, nothing pipelines after a store) = 3
  EXPECT_EQ(run("str_ldr").static_cycles, 3u);
}

TEST_F(CortexM4, AguStallAfterAlu) {
  // ADD r1 (1) + LDR [r1] (2) + AGU stall (1, GCC cortex-m4.md bypass) = 4
  EXPECT_EQ(run("agu_stall").static_cycles, 4u);
  // ADD r2 (1) + LDR [r1] (2), independent = 3
  EXPECT_EQ(run("agu_none").static_cycles, 3u);
  // SUB sp (1) + PUSH {r4,lr} (1+2) + AGU stall on SP (1) = 5
  EXPECT_EQ(run("agu_push").static_cycles, 5u);
}

TEST_F(CortexM4, LoadDouble) {
  // LDRD = 3 (GCC load2 = 3, WCET 1+2), 2 data beats
  const auto b = run("ldrd");
  EXPECT_EQ(count(b, InsnClass::load_double), 1u);
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.data_beats, 2u);
  // LDR (2) + LDRD (3, never pipelines) = 5
  EXPECT_EQ(run("ldr_ldrd").static_cycles, 5u);
}

TEST_F(CortexM4, Push5) {
  // PUSH {r4-r7,lr}: 1 + N = 1 + 5 = 6, 5 beats
  const auto b = run("push5");
  EXPECT_EQ(count(b, InsnClass::store_multiple), 1u);
  EXPECT_EQ(b.static_cycles, 6u);
  EXPECT_EQ(b.data_beats, 5u);
  EXPECT_EQ(b.taken_branch_penalty, 0u);
}

TEST_F(CortexM4, PopPc) {
  // POP {r4,pc}: static 1 + N = 1 + 2 = 3; taken: + P(load PC) = 2
  const auto b = run("pop_pc");
  EXPECT_EQ(count(b, InsnClass::load_multiple), 1u);
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  EXPECT_EQ(b.data_beats, 2u);
}

TEST_F(CortexM4, LdmBeats) {
  // LDM r0!,{r1-r3} (1+3) + STR imm (1) = 5; beats 3 + 1 = 4
  const auto b = run("ldm_str");
  EXPECT_EQ(b.static_cycles, 5u);
  EXPECT_EQ(b.data_beats, 4u);
}

TEST_F(CortexM4, ConditionalBranch) {
  // CMP (1) + BNE (1, not taken) = 2; taken adds P(imm) = 1
  const auto b = run("cond_branch");
  EXPECT_EQ(count(b, InsnClass::branch), 1u);
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
}

TEST_F(CortexM4, BranchKinds) {
  // BL: 1 + P(imm) 1
  auto b = run("bl");
  EXPECT_EQ(count(b, InsnClass::branch_link), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  EXPECT_EQ(b.size_bytes, 4u);
  // BX lr: 1 + P(reg) 2
  b = run("bx_lr");
  EXPECT_EQ(count(b, InsnClass::branch_reg), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  // MOV pc, lr: ALU 1 + P(reg) 2
  b = run("mov_pc");
  EXPECT_EQ(count(b, InsnClass::alu), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  // LDR pc,[sp],#4: LDR 2 + P(load PC) 2 (WCET "LDR PC 2+P")
  b = run("ldr_pc");
  EXPECT_EQ(count(b, InsnClass::load), 1u);
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
}

TEST_F(CortexM4, TableBranch) {
  // TBB: 2 + 1 = 3 static, + P(load PC) 2 (WCET "TBB/TBH 2+1+P"); 1 beat (table entry)
  const auto b = run("tbb");
  EXPECT_EQ(count(b, InsnClass::table_branch), 1u);
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  EXPECT_EQ(b.data_beats, 1u);
}

TEST_F(CortexM4, DividerSites) {
  // MOVS (1) + SDIV (divide_min 2) + UDIV (2) = 5; the run loop adds the data-dependent rest
  const auto b = run("sdiv");
  EXPECT_EQ(count(b, InsnClass::div), 2u);
  EXPECT_EQ(b.static_cycles, 5u);
  ASSERT_EQ(b.dividers.size(), 2u);
  EXPECT_EQ(b.dividers[0].addr, kBase + 2);
  EXPECT_EQ(b.dividers[0].rn, 1);
  EXPECT_EQ(b.dividers[0].rm, 2);
  EXPECT_TRUE(b.dividers[0].is_signed);
  EXPECT_EQ(b.dividers[1].addr, kBase + 6);
  EXPECT_EQ(b.dividers[1].rn, 4);
  EXPECT_EQ(b.dividers[1].rm, 5);
  EXPECT_FALSE(b.dividers[1].is_signed);
  EXPECT_EQ(model_->divide_min_cycles(), 2u);
}

TEST_F(CortexM4, DivideCycles) {
  // cmemu formula (cmemu-lib/src/component/core/execute/instruction.rs @ cc5ddafd4de4):
  // 2 if an operand is 0; 3 if msb(divisor) > msb(dividend); else 5 + (msb(n) - msb(m)) / 4.
  // 0x7fffffff / 1: msb 30 - 0 = 30 -> 5 + 7 = 12 (the TRM maximum)
  EXPECT_EQ(model_->divide_cycles(0x7fffffffu, 1, true), 12u);
  EXPECT_EQ(model_->divide_cycles(0x7fffffffu, 1, false), 12u);
  // 0xffffffff / 1 unsigned: msb 31 -> 5 + 7 = 12
  EXPECT_EQ(model_->divide_cycles(0xffffffffu, 1, false), 12u);
  // 1 / 0x7fffffff: quotient 0 -> 3
  EXPECT_EQ(model_->divide_cycles(1, 0x7fffffffu, false), 3u);
  EXPECT_EQ(model_->divide_cycles(1, 0x7fffffffu, true), 3u);
  // x / 0 and 0 / x -> 2 (the TRM minimum)
  EXPECT_EQ(model_->divide_cycles(12345, 0, false), 2u);
  EXPECT_EQ(model_->divide_cycles(12345, 0, true), 2u);
  EXPECT_EQ(model_->divide_cycles(0, 7, false), 2u);
  // 100 / 10: msb 6 - 3 = 3 -> 5 + 0 = 5
  EXPECT_EQ(model_->divide_cycles(100, 10, false), 5u);
  // 0x10000 / 1: msb 16 -> 5 + 4 = 9
  EXPECT_EQ(model_->divide_cycles(0x10000, 1, false), 9u);
  // -100 / 10 signed: |n| = 100 -> same as 100 / 10 = 5
  EXPECT_EQ(model_->divide_cycles(static_cast<std::uint32_t>(-100), 10, true), 5u);
  // -8 / -2 signed: |8| / |2|, msb 3 - 1 = 2, negative power-of-two divisor +1 -> 3 -> 5 + 0 = 5
  EXPECT_EQ(model_->divide_cycles(static_cast<std::uint32_t>(-8), static_cast<std::uint32_t>(-2), true), 5u);
  // Always within the TRM range 2..12
  for (std::uint32_t n : {0u, 1u, 2u, 0x80000000u, 0xffffffffu, 0x12345678u})
    for (std::uint32_t m : {0u, 1u, 3u, 0x80000000u, 0xffffffffu, 0x00010000u})
      for (bool s : {false, true}) {
        const auto c = model_->divide_cycles(n, m, s);
        EXPECT_GE(c, 2u);
        EXPECT_LE(c, 12u);
      }
}

TEST_F(CortexM4, ItBlockCountsEveryInstruction) {
  // ITE (1, fold not modelled) + MOVEQ (1) + MOVNE (1) = 3, n_insns 3
  const auto b = run("it_block");
  EXPECT_EQ(b.n_insns, 3u);
  EXPECT_EQ(count(b, InsnClass::it), 1u);
  EXPECT_EQ(count(b, InsnClass::alu), 2u);
  EXPECT_EQ(b.static_cycles, 3u);
}

TEST_F(CortexM4, Semihosting) {
  // MOVS (1) + BKPT 0xAB (0: serviced by the simulator) = 1
  auto b = run("semihost");
  EXPECT_TRUE(b.has_semihosting_bkpt);
  EXPECT_EQ(count(b, InsnClass::bkpt), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  // BKPT #1 is not semihosting: 1 cycle
  b = run("bkpt1");
  EXPECT_FALSE(b.has_semihosting_bkpt);
  EXPECT_EQ(b.static_cycles, 1u);
}

TEST_F(CortexM4, Wfi) {
  const auto b = run("wfi");
  EXPECT_TRUE(b.has_wfi);
  EXPECT_EQ(count(b, InsnClass::wfi), 1u);
}

TEST_F(CortexM4, InstructionOffsetsAndAddresses) {
  // LDR (2) @0, LDR pipelined (1) @2, ADDS (1) @3 -> total 4
  const auto b = run("offsets");
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 2, 3}));
  EXPECT_EQ(b.insn_addrs, (std::vector<Addr>{kBase, kBase + 2, kBase + 4}));
  EXPECT_EQ(b.insn_sizes, (std::vector<std::uint8_t>{2, 2, 2}));
  EXPECT_EQ(b.static_cycles, 4u);
}

TEST_F(CortexM4, ThumbBitIsIgnored) {
  const auto bytes = seq("offsets");
  const auto b = model_->analyze_block(kBase | 1u, bytes);
  EXPECT_EQ(b.start, kBase);
  EXPECT_EQ(b.insn_addrs.front(), kBase);
}

TEST_F(CortexM4, BranchTargetRefillByWidthAndAlignment) {
  // Cortex-M4 TRM 3.3.1: P = 1 to 3 "depending on the alignment and width of the target
  // instruction". The core fetches aligned 32-bit words: a 32-bit first instruction at 2 mod 4
  // needs two fetches before it decodes (+1, pipeline.branch_target_straddle_extra = 1); a 16-bit
  // one, or a 32-bit one at 0 mod 4, needs one (+0).
  const std::vector<std::uint8_t> add_w = {0x00, 0xeb, 0x01, 0x00};  // add.w r0, r0, r1
  const std::vector<std::uint8_t> adds = {0x01, 0x30};               // adds r0, #1
  const std::vector<std::uint8_t> adds_add_w = {0x01, 0x30, 0x00, 0xeb, 0x01, 0x00};
  EXPECT_EQ(model_->analyze_block(kBase + 2, add_w).taken_entry_extra, 1u);
  EXPECT_EQ(model_->analyze_block((kBase + 2) | 1u, add_w).taken_entry_extra, 1u);  // Thumb bit
  EXPECT_EQ(model_->analyze_block(kBase, add_w).taken_entry_extra, 0u);
  EXPECT_EQ(model_->analyze_block(kBase + 2, adds).taken_entry_extra, 0u);
  EXPECT_EQ(model_->analyze_block(kBase, adds).taken_entry_extra, 0u);
  // Only the target instruction matters: a 16-bit target at 2 mod 4 followed by a 32-bit one.
  EXPECT_EQ(model_->analyze_block(kBase + 2, adds_add_w).taken_entry_extra, 0u);
  // The static cost is the same at both alignments: the extra is paid only when entered taken.
  EXPECT_EQ(model_->analyze_block(kBase + 2, add_w).static_cycles,
            model_->analyze_block(kBase, add_w).static_cycles);
}

TEST_F(CortexM4, FloatingPoint) {
  // TI SWCU192 Table 3-27: VADD.F32 1, VMLA.F32 3, VDIV.F32 14, VLDR.F32 2, VLDR.F64 3
  auto b = run("vadd");
  EXPECT_EQ(count(b, InsnClass::fp_alu), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  b = run("vmla");
  EXPECT_EQ(count(b, InsnClass::fp_mac), 1u);
  EXPECT_EQ(b.static_cycles, 3u);
  b = run("vdiv");
  EXPECT_EQ(count(b, InsnClass::fp_div_sqrt), 1u);
  EXPECT_EQ(b.static_cycles, 14u);
  b = run("vldr_s");
  EXPECT_EQ(count(b, InsnClass::fp_load), 1u);
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.data_beats, 1u);
  b = run("vldr_d");
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.data_beats, 2u);
  // VPUSH {d8-d9}: 1 + 2N with N = 2 doubles = 5, 4 beats
  b = run("vpush_d");
  EXPECT_EQ(count(b, InsnClass::fp_store_multiple), 1u);
  EXPECT_EQ(b.static_cycles, 5u);
  EXPECT_EQ(b.data_beats, 4u);
  // VMOV r0, s0: 2
  b = run("vmov_core");
  EXPECT_EQ(count(b, InsnClass::fp_move), 1u);
  EXPECT_EQ(b.static_cycles, 2u);
}

TEST_F(CortexM4, UndecodableHalfWord) {
  // 0xB600 is not a Thumb instruction; decoding resumes after it with ADDS r0,r0,#1 (0x1C40).
  const std::vector<std::uint8_t> bytes = {0x00, 0xb6, 0x40, 0x1c};
  const auto b = model_->analyze_block(kBase, bytes);
  EXPECT_EQ(b.n_insns, 2u);
  EXPECT_EQ(count(b, InsnClass::undefined), 1u);
  EXPECT_EQ(count(b, InsnClass::alu), 1u);
  EXPECT_EQ(b.insn_sizes, (std::vector<std::uint8_t>{2, 2}));
  EXPECT_EQ(b.insn_addrs, (std::vector<Addr>{kBase, kBase + 2}));
}

TEST_F(CortexM4, NotM4Instructions) {
  // VADD.F64 d0,d0,d1 (0xEE30 0x0B01): FPv4-SP has no double-precision arithmetic -> undefined
  const std::vector<std::uint8_t> f64 = {0x30, 0xee, 0x01, 0x0b};
  auto b = model_->analyze_block(kBase, f64);
  EXPECT_EQ(b.n_insns, 1u);
  EXPECT_EQ(count(b, InsnClass::undefined), 1u);
  EXPECT_EQ(b.insn_sizes, (std::vector<std::uint8_t>{4}));
}

// One entry per instruction of the class_list section, in order.
const std::vector<std::pair<const char*, InsnClass>> kClassList = {
    {"adds", InsnClass::alu}, {"add.w lsl", InsnClass::alu}, {"movw", InsnClass::alu},
    {"movt", InsnClass::alu}, {"cmp", InsnClass::alu}, {"ubfx", InsnClass::alu},
    {"clz", InsnClass::alu}, {"rev", InsnClass::alu}, {"ssat", InsnClass::alu},
    {"sxtb", InsnClass::alu}, {"mov pc", InsnClass::alu},
    {"mul", InsnClass::mul}, {"mla", InsnClass::mul}, {"mls", InsnClass::mul},
    {"smull", InsnClass::mul_long}, {"umlal", InsnClass::mul_long},
    {"umaal", InsnClass::mul_long}, {"smlalbb", InsnClass::mul_long},
    {"sdiv", InsnClass::div}, {"udiv", InsnClass::div},
    {"smlad", InsnClass::dsp}, {"smulbb", InsnClass::dsp}, {"sxtb16", InsnClass::dsp},
    {"uadd8", InsnClass::dsp}, {"qadd", InsnClass::dsp}, {"sel", InsnClass::dsp},
    {"pkhbt", InsnClass::dsp}, {"usad8", InsnClass::dsp}, {"sxtab", InsnClass::dsp},
    {"ldr", InsnClass::load}, {"ldrb", InsnClass::load}, {"ldrsh reg", InsnClass::load},
    {"ldrex", InsnClass::load}, {"ldr post", InsnClass::load},
    {"str", InsnClass::store}, {"strh", InsnClass::store}, {"strex", InsnClass::store},
    {"ldrd", InsnClass::load_double}, {"strd", InsnClass::store_double},
    {"ldm", InsnClass::load_multiple}, {"pop pc", InsnClass::load_multiple},
    {"stmdb", InsnClass::store_multiple}, {"push", InsnClass::store_multiple},
    {"b", InsnClass::branch}, {"beq", InsnClass::branch}, {"cbz", InsnClass::branch},
    {"bl", InsnClass::branch_link}, {"bx", InsnClass::branch_reg},
    {"blx reg", InsnClass::branch_reg},
    {"tbb", InsnClass::table_branch}, {"tbh", InsnClass::table_branch},
    {"it", InsnClass::it}, {"moveq", InsnClass::alu},
    {"nop", InsnClass::nop}, {"yield", InsnClass::nop}, {"pld", InsnClass::nop},
    {"dmb", InsnClass::barrier}, {"dsb", InsnClass::barrier}, {"isb", InsnClass::barrier},
    {"mrs", InsnClass::system}, {"msr", InsnClass::system}, {"cpsid", InsnClass::system},
    {"svc", InsnClass::system}, {"sev", InsnClass::system}, {"wfe", InsnClass::system},
    {"wfi", InsnClass::wfi}, {"bkpt 0xab", InsnClass::bkpt}, {"bkpt 1", InsnClass::bkpt},
    {"vadd", InsnClass::fp_alu}, {"vsub", InsnClass::fp_alu}, {"vmul", InsnClass::fp_alu},
    {"vnmul", InsnClass::fp_alu}, {"vabs", InsnClass::fp_alu}, {"vneg", InsnClass::fp_alu},
    {"vcmp", InsnClass::fp_alu}, {"vcvt", InsnClass::fp_alu}, {"vmov imm", InsnClass::fp_alu},
    {"vmov s,s", InsnClass::fp_alu},
    {"vmla", InsnClass::fp_mac}, {"vfma", InsnClass::fp_mac}, {"vnmls", InsnClass::fp_mac},
    {"vdiv", InsnClass::fp_div_sqrt}, {"vsqrt", InsnClass::fp_div_sqrt},
    {"vldr s", InsnClass::fp_load}, {"vldr d", InsnClass::fp_load},
    {"vstr s", InsnClass::fp_store}, {"vstr d", InsnClass::fp_store},
    {"vldmia", InsnClass::fp_load_multiple}, {"vpop", InsnClass::fp_load_multiple},
    {"vstmdb", InsnClass::fp_store_multiple}, {"vpush", InsnClass::fp_store_multiple},
    {"vmov r,s", InsnClass::fp_move}, {"vmov s,r", InsnClass::fp_move},
    {"vmov r,r,d", InsnClass::fp_move},
    {"vmrs", InsnClass::fp_system}, {"vmsr", InsnClass::fp_system},
    {"udf", InsnClass::undefined},
};

TEST_F(CortexM4, ClassMapping) {
  const auto bytes = seq("class_list");
  const auto whole = model_->analyze_block(kBase, bytes);
  ASSERT_EQ(whole.n_insns, kClassList.size());
  std::array<bool, kNumInsnClasses> seen{};
  for (std::size_t i = 0; i < kClassList.size(); ++i) {
    // Each instruction alone: exactly one class, the expected one.
    const std::size_t off = whole.insn_addrs[i] - kBase;
    const std::span<const std::uint8_t> one(bytes.data() + off, whole.insn_sizes[i]);
    const auto b = model_->analyze_block(whole.insn_addrs[i], one);
    ASSERT_EQ(b.n_insns, 1u) << kClassList[i].first;
    std::uint64_t total = 0;
    for (auto n : b.class_counts) total += n;
    EXPECT_EQ(total, 1u) << kClassList[i].first;
    EXPECT_EQ(count(b, kClassList[i].second), 1u)
        << kClassList[i].first << " expected " << insn_class_name(kClassList[i].second);
    seen[static_cast<std::size_t>(kClassList[i].second)] = true;
  }
  // RV32-only classes: the Thumb decoder never produces them (test_rv32.cpp covers them).
  for (InsnClass rv_only : {InsnClass::shift, InsnClass::mul_high, InsnClass::csr})
    seen[static_cast<std::size_t>(rv_only)] = true;
  for (std::size_t c = 0; c < kNumInsnClasses; ++c)
    EXPECT_TRUE(seen[c]) << "class not covered: " << insn_class_name(static_cast<InsnClass>(c));
}

}  // namespace
}  // namespace mcusim::core
