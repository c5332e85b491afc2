// RV32 core models on assembled sequences. Expected cycles are derived by hand from the numbers
// cited in core-models/data/<core>.toml (core-facts.md B.1/B.3/B.5), never from model output:
//   ibex-small   ALU/shift/CSR 1; MUL 3, MULH 4; DIV 38 (2 when /0); LW/SW 2; branch 1 (+2 taken);
//                JAL/JALR 1 (+1)
//   ibex-maxperf MUL 1, MULH 2; LW 1 with result latency 2 [U]; SW 1 [U]; branch 1 (+1 taken)
//   picorv32     ALU 3; shift 4 + shamt/4 + shamt%4 (register shift 4 + 5); LW/SW 5; branch 3
//                (+2 taken); JAL 3; JALR 6; MUL 40; MULH 72; DIV 40 [D]; 32-bit insn at 2 mod 4 +1
//                [U]
//   sifive-e31   ALU 1; LW issue 1 latency 2, LB latency 3; MUL issue 1 latency 5; CSR latency 3;
//                DIV 2..33; mispredict 3; 2-bit BHT, 2-entry RAS [U]
//   cv32e40p     ALU 1; MUL 1, MULH 5; DIV 3 + the divisor's leading zeros (3..35); LW 1 with
//                latency 2; branch 1 (+2 taken); JAL/JALR 1 (+1); a JALR sees every producer 1
//                cycle later (manual "Hazards"; CV32E40P user manual pipeline.rst); a JALR with
//                rd = rs1 + 1 (RTL measurement)
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mcusim/core/core_model.h"
#include "rv32_seq.h"

namespace mcusim::core {
namespace {

using test::rv_seq;
constexpr Addr kBase = 0x2000'0000;  // word aligned

std::unique_ptr<CoreModel> load(const std::string& core) {
  return load_core_model(std::string(MCUSIM_CORE_DATA_DIR) + "/" + core + ".toml");
}
BlockInfo run(const CoreModel& m, const std::string& seq, Addr at = kBase) {
  const auto bytes = rv_seq(seq);
  return m.analyze_block(at, bytes);
}
std::uint64_t count(const BlockInfo& b, InsnClass c) { return b.class_counts[static_cast<std::size_t>(c)]; }

TEST(Rv32Models, IdentityAndFamily) {
  for (const char* core :
       {"ibex-small", "ibex-maxperf", "picorv32", "picorv32-fastmul", "sifive-e31", "cv32e40p"}) {
    const auto m = load(core);
    EXPECT_EQ(m->name(), core);
    EXPECT_EQ(m->isa_family(), IsaFamily::rv32);
    EXPECT_EQ(m->unicorn_cpu(), "sifive-e31");
  }
  const auto m4 = load("cortex-m4");
  EXPECT_EQ(m4->isa_family(), IsaFamily::arm_m);
  EXPECT_EQ(m4->unicorn_cpu(), "cortex-m4");
  EXPECT_FALSE(load("ibex-small")->predicts_branches());
  EXPECT_FALSE(load("picorv32")->predicts_branches());
  EXPECT_TRUE(load("sifive-e31")->predicts_branches());
}

// ---------------------------------------------------------------- ibex-small
TEST(IbexSmall, AluRun) {
  // 4 x ALU 1 = 4
  const auto m = load("ibex-small");
  const auto b = run(*m, "alu_run");
  EXPECT_EQ(b.n_insns, 4u);
  EXPECT_EQ(count(b, InsnClass::alu), 4u);
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.size_bytes, 16u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 1, 2, 3}));
}

TEST(IbexSmall, BranchesAndJumps) {
  const auto m = load("ibex-small");
  // addi 1 + bnez not taken 1 = 2; taken: + P 2 (taken total 3)
  auto b = run(*m, "branch_loop");
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  EXPECT_EQ(m->leave_block(b, true), 2u);
  EXPECT_EQ(m->leave_block(b, false), 0u);
  // jal: 1 + P 1 = 2 (jump >= 2)
  b = run(*m, "jal_call");
  EXPECT_EQ(count(b, InsnClass::branch_link), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  // ret (jalr): 1 + P 1 = 2
  b = run(*m, "ret");
  EXPECT_EQ(count(b, InsnClass::branch_reg), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  EXPECT_EQ(b.insn_sizes, (std::vector<std::uint8_t>{4}));
}

TEST(IbexSmall, LoadsStoresMultipliesDivides) {
  const auto m = load("ibex-small");
  // LW 2 + SW 2 = 4; 2 data beats
  auto b = run(*m, "load_store");
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.data_beats, 2u);
  EXPECT_EQ(b.insn_data_beats, (std::vector<std::uint8_t>{1, 1}));
  // LW 2 + dependent ADDI 1 = 3 (no extra stall: the load waited for its data)
  EXPECT_EQ(run(*m, "load_use").static_cycles, 3u);
  // MUL 3 + MULH 4 = 7
  b = run(*m, "mul_pair");
  EXPECT_EQ(count(b, InsnClass::mul), 1u);
  EXPECT_EQ(count(b, InsnClass::mul_high), 1u);
  EXPECT_EQ(b.static_cycles, 7u);
  // DIV + REMU at divide_min 2 each = 4; the run loop adds divide_cycles - 2
  b = run(*m, "div_pair");
  EXPECT_EQ(b.static_cycles, 4u);
  ASSERT_EQ(b.dividers.size(), 2u);
  EXPECT_EQ(b.dividers[0].addr, kBase);
  EXPECT_EQ(b.dividers[0].rn, 11);  // a1 = x11
  EXPECT_EQ(b.dividers[0].rm, 12);  // a2 = x12
  EXPECT_TRUE(b.dividers[0].is_signed);
  EXPECT_EQ(b.dividers[1].addr, kBase + 4);
  EXPECT_EQ(b.dividers[1].rn, 14);
  EXPECT_EQ(b.dividers[1].rm, 15);
  EXPECT_FALSE(b.dividers[1].is_signed);
  // Ibex long division: 37 (RTL-measured, docs/validation.md muldiv/div; instruction_decode_execute.rst
  // "takes 37 cycles"), 2 when dividing by zero; operands do not matter else
  EXPECT_EQ(m->divide_min_cycles(), 2u);
  EXPECT_EQ(m->divide_cycles(100, 0, true), 2u);
  EXPECT_EQ(m->divide_cycles(0, 0, false), 2u);
  EXPECT_EQ(m->divide_cycles(100, 3, true), 37u);
  EXPECT_EQ(m->divide_cycles(1, 0xffffffffu, false), 37u);
  EXPECT_EQ(m->divide_cycles(0, 7, false), 37u);
}

TEST(IbexSmall, CsrReadSites) {
  // 5 x CSR 1 = 5. Sites: csrr a0,mcycle (x10, 0xB00); csrr a1,instret (x11, 0xC02);
  // csrr zero,cycle has rd = x0 (no site); csrr a2,mcycleh (x12, 0xB80); mscratch is no counter.
  const auto m = load("ibex-small");
  const auto b = run(*m, "csr_reads");
  EXPECT_EQ(count(b, InsnClass::csr), 5u);
  EXPECT_EQ(b.static_cycles, 5u);
  ASSERT_EQ(b.csr_reads.size(), 3u);
  EXPECT_EQ(b.csr_reads[0].addr, kBase);
  EXPECT_EQ(b.csr_reads[0].rd, 10);
  EXPECT_EQ(b.csr_reads[0].csr, 0xB00);
  EXPECT_EQ(b.csr_reads[0].size, 4);
  EXPECT_EQ(b.csr_reads[1].rd, 11);
  EXPECT_EQ(b.csr_reads[1].csr, 0xC02);
  EXPECT_EQ(b.csr_reads[2].addr, kBase + 12);
  EXPECT_EQ(b.csr_reads[2].rd, 12);
  EXPECT_EQ(b.csr_reads[2].csr, 0xB80);
}

TEST(IbexSmall, ShiftsAndStraddleCostNothingExtra) {
  const auto m = load("ibex-small");
  EXPECT_EQ(run(*m, "shifts").static_cycles, 4u);     // 4 x shift 1
  EXPECT_EQ(run(*m, "straddle").static_cycles, 4u);   // 4 x ALU 1
}

TEST(IbexSmall, SemihostingWfiEbreak) {
  const auto m = load("ibex-small");
  // slli x0,x0,0x1f (1) + EBREAK as semihosting (0) = 1
  auto b = run(*m, "semihost");
  EXPECT_TRUE(b.has_semihosting_bkpt);
  EXPECT_EQ(count(b, InsnClass::bkpt), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
  b = run(*m, "ebreak_plain");
  EXPECT_FALSE(b.has_semihosting_bkpt);
  EXPECT_EQ(b.static_cycles, 1u);
  b = run(*m, "wfi");
  EXPECT_TRUE(b.has_wfi);
  EXPECT_EQ(count(b, InsnClass::wfi), 1u);
}

// ---------------------------------------------------------------- ibex-maxperf
TEST(IbexMaxperf, SingleCycleMultiplierAndBranchTargetAlu) {
  const auto m = load("ibex-maxperf");
  // MUL 1 + MULH 2 = 3
  EXPECT_EQ(run(*m, "mul_pair").static_cycles, 3u);
  // addi 1 + bnez 1 = 2; taken + P 1 (taken total 2 with the branch target ALU)
  const auto b = run(*m, "branch_loop");
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  // jumps still 1 + 1
  EXPECT_EQ(run(*m, "jal_call").taken_branch_penalty, 1u);
}

TEST(IbexMaxperf, WritebackStageLoadUse) {
  // [U] assumption: LW issues in 1, result latency 2.
  const auto m = load("ibex-maxperf");
  // LW 1 + SW 1 = 2
  EXPECT_EQ(run(*m, "load_store").static_cycles, 2u);
  // LW 1 + load-use stall 1 + ADDI 1 = 3
  auto b = run(*m, "load_use");
  EXPECT_EQ(b.static_cycles, 3u);
  // LW 1 + independent ADDI 1 = 2
  EXPECT_EQ(run(*m, "load_no_use").static_cycles, 2u);
}

// ---------------------------------------------------------------- cv32e40p
TEST(Cv32e40p, JalrOperandHazard) {
  const auto m = load("cv32e40p");
  // auipc 1 + stall 1 (ALU latency 1 + 1 for the JALR) + jalr 1 + 1 (links into its base
  // register ra, jalr_rd_is_rs1_extra) = 4; P 1 on leaving
  auto b = run(*m, "alu_then_jalr");
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  // lw 1 + addi 1 + stall 1 (load latency 2 + 1 = 3, two cycles elapsed) + ret 1 = 4
  EXPECT_EQ(run(*m, "load_x_ret").static_cycles, 4u);
  // two instructions between: no stall, 3
  EXPECT_EQ(run(*m, "alu_xx_jalr").static_cycles, 3u);
  // other consumers keep the forwarding: lw 1 + load-use 1 + addi 1 = 3
  EXPECT_EQ(run(*m, "load_use").static_cycles, 3u);
  // Ibex has no such key: auipc 1 + jalr 1
  EXPECT_EQ(run(*load("ibex-small"), "alu_then_jalr").static_cycles, 2u);
}

TEST(Cv32e40p, CsrAccessByRegister) {
  // Manual: CSR access 4 for mstatus, mcycle, ... (csr_stall_list), 1 for the others (mscratch)
  const auto m = load("cv32e40p");
  const auto b = run(*m, "csr_mix");
  EXPECT_EQ(b.static_cycles, 4u + 1u + 4u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 4, 5}));
  // Ibex has no list: 3 x 1
  EXPECT_EQ(run(*load("ibex-small"), "csr_mix").static_cycles, 3u);
}

TEST(Cv32e40p, JalrLinkingIntoItsBaseRegister) {
  // RTL-measured (cv32e40p.toml jalr_rd_is_rs1_extra): jalr ra, 0(ra) 1 + 1 = 2; jalr ra, 0(a5) 1
  const auto m = load("cv32e40p");
  EXPECT_EQ(run(*m, "jalr_ra_ra").static_cycles, 2u);
  EXPECT_EQ(run(*m, "jalr_call").static_cycles, 1u);
  EXPECT_EQ(run(*m, "ret").static_cycles, 1u);  // rd = x0
}

TEST(Cv32e40p, MultiplierAndDividerByLeadingZeros) {
  const auto m = load("cv32e40p");
  // MUL 1 + MULH 5 = 6
  EXPECT_EQ(run(*m, "mul_pair").static_cycles, 6u);
  // Manual: 3 cycles for divisor 0x80000000, 35 for 0; 3 + leading zeros in between
  EXPECT_EQ(m->divide_min_cycles(), 3u);
  EXPECT_EQ(m->divide_cycles(1234567, 0x80000000u, false), 3u);
  EXPECT_EQ(m->divide_cycles(1234567, 0, false), 35u);
  EXPECT_EQ(m->divide_cycles(1234567, 0, true), 35u);
  EXPECT_EQ(m->divide_cycles(7, 3, false), 33u);          // clz(3) = 30
  EXPECT_EQ(m->divide_cycles(1234567, 1000, true), 25u);  // clz(1000) = 22
  EXPECT_EQ(m->divide_cycles(5, 1, false), 34u);          // clz(1) = 31
  // signed, negative divisor: clz(|m|) - 1: -89 -> clz(89) = 25 -> 3 + 24 = 27
  EXPECT_EQ(m->divide_cycles(1234567, static_cast<std::uint32_t>(-89), true), 27u);
  // the same bits unsigned: 0xffffffa7 has no leading zero -> 3
  EXPECT_EQ(m->divide_cycles(1234567, static_cast<std::uint32_t>(-89), false), 3u);
}

// ---------------------------------------------------------------- picorv32
TEST(PicoRV32, ReadmeCpiTable) {
  const auto m = load("picorv32");
  EXPECT_EQ(run(*m, "alu_run").static_cycles, 12u);  // 4 x ALU 3 (reg+reg and reg+imm alike)
  auto b = run(*m, "branch_loop");                    // addi 3 + bnez not taken 3 = 6
  EXPECT_EQ(b.static_cycles, 6u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);              // taken 5 = 3 + 2
  b = run(*m, "jal_call");                            // jal 3, P 0
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.taken_branch_penalty, 0u);
  b = run(*m, "ret");                                 // jalr 6, P 0
  EXPECT_EQ(b.static_cycles, 6u);
  EXPECT_EQ(b.taken_branch_penalty, 0u);
  EXPECT_EQ(run(*m, "load_store").static_cycles, 10u);  // load 5 + store 5
  EXPECT_EQ(run(*m, "load_use").static_cycles, 8u);     // load 5 + ALU 3 (not pipelined)
  EXPECT_EQ(run(*m, "mul_pair").static_cycles, 112u);   // MUL 40 + MULH 72
  // DIV + REMU: 40 each [D: 32 iterations + 8 overhead]; constant: divide_cycles = 40 always
  EXPECT_EQ(run(*m, "div_pair").static_cycles, 80u);
  EXPECT_EQ(m->divide_cycles(7, 0, true), 40u);
  EXPECT_EQ(m->divide_cycles(0xffffffffu, 1, false), 40u);
  EXPECT_EQ(m->divide_min_cycles(), 40u);
}

TEST(PicoRV32, SerialShifter) {
  // cpu_state_shift: 4 + shamt/4 + shamt%4; a register shift counts 4 in the block and is a
  // shift site (the run loop adds the amount's part)
  //   slli 0 -> 4; slli 31 -> 4 + 7 + 3 = 14; srai 5 -> 4 + 1 + 1 = 6; sll (register) -> 4
  const auto m = load("picorv32");
  const auto b = run(*m, "shifts");
  EXPECT_EQ(count(b, InsnClass::shift), 4u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 4, 18, 24}));
  EXPECT_EQ(b.static_cycles, 28u);
  ASSERT_EQ(b.dividers.size(), 1u);
  EXPECT_EQ(b.dividers[0].kind, OperandSiteKind::shift);
  // amount register 0x27 -> 7 (low 5 bits): 7 / 4 + 7 % 4 = 4 extra; 30 -> 7 + 2 = 9
  EXPECT_EQ(m->shift_extra_cycles(0x27), 4u);
  EXPECT_EQ(m->shift_extra_cycles(30), 9u);
  EXPECT_EQ(m->shift_extra_cycles(0), 0u);
}

TEST(PicoRV32, CompressedFetchStraddle) {
  // c.addi @0 (3) + add @2, a 32-bit insn at 2 mod 4 (3 + 1 extra word fetch) + c.addi @6 (3)
  // + add @8, word aligned (3) = 13
  const auto m = load("picorv32");
  auto b = run(*m, "straddle");
  EXPECT_EQ(b.insn_sizes, (std::vector<std::uint8_t>{2, 4, 2, 4}));
  EXPECT_EQ(b.insn_addrs, (std::vector<Addr>{kBase, kBase + 2, kBase + 6, kBase + 8}));
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 3, 7, 10}));
  EXPECT_EQ(b.static_cycles, 13u);
  // Two aligned 32-bit adds: 3 + 3 = 6; the same pair at 2 mod 4: both straddle, 4 + 4 = 8
  EXPECT_EQ(run(*m, "aligned_pair").static_cycles, 6u);
  EXPECT_EQ(run(*m, "aligned_pair", kBase + 2).static_cycles, 8u);
  // Two 16-bit c.add: 3 + 3 = 6 at any half-word address
  EXPECT_EQ(run(*m, "compressed_pair").static_cycles, 6u);
  EXPECT_EQ(run(*m, "compressed_pair", kBase + 2).static_cycles, 6u);
}

TEST(PicoRV32, CounterReadsAndFence) {
  // picorv32.v (pythondata-cpu-picorv32 1.0.post218), traced by hand: a counter read goes
  // fetch -> ld_rs1 -> fetch without promoting its prefetch to an instruction fetch (4 cycles, one
  // more than an ALU op, the ALU path of FENCE: 3); the single-port build sends FENCE through
  // ld_rs2 (+1 = 4).
  const auto m = load("picorv32");
  EXPECT_EQ(run(*m, "csr_reads").static_cycles, 5u * 4u);
  EXPECT_EQ(run(*m, "fence_pair").static_cycles, 3u + 3u);
  EXPECT_EQ(run(*m, "fence_pair", kBase + 2).static_cycles, 4u + 4u);  // both straddle (+1)
  EXPECT_EQ(run(*load("picorv32-rv32im-sp"), "fence_pair").static_cycles, 4u + 4u);
  // The read's extra cycle is the next word's prefetch: it hides that word's wait states, in the
  // block (csrr; add: 1 RAM word of 2) and across it (Unicorn ends a block after a CSR insn).
  const auto b = run(*m, "counter_read_add");
  EXPECT_EQ(b.static_cycles, 4u + 3u);
  EXPECT_EQ(b.ram_fetch_words, 1u);
  EXPECT_FALSE(b.hides_next_fetch);  // its last instruction is the add
  EXPECT_TRUE(run(*m, "csr_reads").hides_next_fetch);
  // Not on Ibex (no such key): 2 words, nothing hidden.
  const auto ibex = load("ibex-small");
  EXPECT_EQ(run(*ibex, "counter_read_add").ram_fetch_words, 2u);
  EXPECT_FALSE(run(*ibex, "csr_reads").hides_next_fetch);
}

TEST(Rv32Models, FenceIIsIllegalWithoutZifencei) {
  // picorv32.v decodes MISC-MEM with funct3 = 000 (instr_fence) only: FENCE.I (funct3 = 001) sets
  // instr_trap and the core traps. Its block (addi; fence.i) lists the FENCE.I as illegal, classed
  // undefined and charged nothing: the addi's ALU 3 (reg+imm: no rs2 read, 3 on every variant,
  // core-facts B.3) is the whole block.
  for (const char* core : {"picorv32", "picorv32-fast", "picorv32-fastmul", "picorv32-rv32im-sp"}) {
    SCOPED_TRACE(core);
    const auto b = run(*load(core), "fence_i_block");
    ASSERT_EQ(b.illegal_insns.size(), 1u);
    EXPECT_EQ(b.illegal_insns[0].addr, kBase + 4);
    EXPECT_EQ(b.illegal_insns[0].kind, IllegalInsnKind::fence_i);
    EXPECT_EQ(count(b, InsnClass::undefined), 1u);
    EXPECT_EQ(count(b, InsnClass::barrier), 0u);
    EXPECT_EQ(b.static_cycles, 3u);
    EXPECT_FALSE(b.refetch_at_exit);
    // FENCE (funct3 = 000) is decoded by PicoRV32 (instr_fence): legal.
    EXPECT_TRUE(run(*load(core), "fence_pair").illegal_insns.empty());
  }
  // Ibex, CV32E40P, E31 implement Zifencei: FENCE.I is a barrier. Ibex RTL (sys.c fence_i):
  // FENCE.I 2 cycles, so addi 1 + 2 = 3.
  for (const char* core : {"ibex-small", "ibex-maxperf", "cv32e40p", "sifive-e31"}) {
    SCOPED_TRACE(core);
    const auto b = run(*load(core), "fence_i_block");
    EXPECT_TRUE(b.illegal_insns.empty());
    EXPECT_EQ(count(b, InsnClass::barrier), 1u);
    EXPECT_EQ(count(b, InsnClass::undefined), 0u);
  }
  EXPECT_EQ(run(*load("ibex-small"), "fence_i_block").static_cycles, 1u + 2u);
  // A 16-bit encoding on the rv32im core is the other kind.
  const auto c = run(*load("picorv32-rv32im-sp"), "compressed_pair");
  ASSERT_EQ(c.illegal_insns.size(), 2u);
  EXPECT_EQ(c.illegal_insns[1].addr, kBase + 2);
  EXPECT_EQ(c.illegal_insns[1].kind, IllegalInsnKind::compressed);
}

TEST(Cv32e40p, FenceRefetchesTheNextInstruction) {
  // rtl/cv32e40p_decoder.sv decodes FENCE as FENCE.I (flush, jump to the next instruction):
  // 4 cycles each (RTL), and a 32-bit next instruction at 2 mod 4 pays the jump-target +1.
  const auto m = load("cv32e40p");
  EXPECT_EQ(run(*m, "fence_pair").static_cycles, 4u + 4u);
  EXPECT_EQ(run(*m, "fence_pair", kBase + 2).static_cycles, 4u + 4u + 1u);
  EXPECT_TRUE(run(*m, "fence_pair").refetch_at_exit);
  // After the refetch only: two adds at 2 mod 4 stay 1 + 1 (the prefetch buffer aligns them).
  EXPECT_EQ(run(*m, "aligned_pair", kBase + 2).static_cycles, 2u);
  // Ibex: FENCE is a NOP (1), no refetch.
  const auto ibex = load("ibex-small");
  EXPECT_EQ(run(*ibex, "fence_pair", kBase + 2).static_cycles, 2u);
  EXPECT_FALSE(run(*ibex, "fence_pair").refetch_at_exit);
}

TEST(PicoRV32, NoSequentialPrefetchPastJalr) {
  // RAM fetch words of a block left by a taken jump at a word boundary (with wait states): a
  // branch or JAL fetches the next sequential word before the flow changes (1 more word); a JALR
  // starts no prefetch (picorv32.v: mem_do_prefetch <= !instr_jalr; RTL: branch.c jalr_calls).
  const auto m = load("picorv32");
  const auto loop = run(*m, "branch_loop");  // addi + bnez: 2 words, ends at kBase + 8
  EXPECT_EQ(loop.ram_fetch_words, 2u);
  EXPECT_EQ(loop.ram_fetch_words_taken_exit, 1u);
  EXPECT_EQ(run(*m, "jal_call").ram_fetch_words_taken_exit, 1u);
  EXPECT_EQ(run(*m, "jalr_call").ram_fetch_words, 1u);
  EXPECT_EQ(run(*m, "jalr_call").ram_fetch_words_taken_exit, 0u);
  EXPECT_EQ(run(*m, "ret").ram_fetch_words_taken_exit, 0u);
  // Ending at 2 mod 4: no extra word for either.
  EXPECT_EQ(run(*m, "jal_call", kBase + 2).ram_fetch_words_taken_exit, 0u);
}

TEST(PicoRV32, FastMulVariant) {
  // picorv32-fastmul.toml: MUL/MULH 6 (measured on the RTL, docs/validation.md); the rest as picorv32
  const auto m = load("picorv32-fastmul");
  EXPECT_EQ(run(*m, "mul_pair").static_cycles, 12u);
  EXPECT_EQ(run(*m, "alu_run").static_cycles, 12u);
}

TEST(PicoRV32, SemihostingEbreakIsFree) {
  // slli x0,x0,0x1f: shift 4 + 7 + 3 = 14; EBREAK (semihosting) 0
  const auto m = load("picorv32");
  EXPECT_EQ(run(*m, "semihost").static_cycles, 14u);
}

// ---------------------------------------------------------------- sifive-e31
TEST(SifiveE31, LoadUse) {
  const auto m = load("sifive-e31");
  // LW issue 1, latency 2: dependent ADDI stalls 1 -> 1 + 1 + 1 = 3, ADDI at cycle 1 (+1 stall)
  auto b = run(*m, "load_use");
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 1}));
  // independent: 1 + 1 = 2
  EXPECT_EQ(run(*m, "load_no_use").static_cycles, 2u);
  // LB latency 3: dependent ADDI stalls 2 -> 1 + 2 + 1 = 4
  EXPECT_EQ(run(*m, "lb_use").static_cycles, 4u);
  // LB; independent ADDI; dependent ADDI: 1 + 1 + stall 1 + 1 = 4
  EXPECT_EQ(run(*m, "lb_gap_use").static_cycles, 4u);
  // LW + SW = 2
  EXPECT_EQ(run(*m, "load_store").static_cycles, 2u);
}

TEST(SifiveE31, MultiplyLatencyAndCsr) {
  const auto m = load("sifive-e31");
  // MUL, MULH independent: 1 + 1 = 2
  EXPECT_EQ(run(*m, "mul_pair").static_cycles, 2u);
  // MUL latency 5: dependent ADDI stalls 4 -> 1 + 4 + 1 = 6
  EXPECT_EQ(run(*m, "mul_use").static_cycles, 6u);
  // 5 independent CSR reads: 5 x 1 = 5 (latency 3 matters only to a consumer)
  const auto b = run(*m, "csr_reads");
  EXPECT_EQ(b.static_cycles, 5u);
  EXPECT_EQ(b.csr_reads.size(), 3u);
}

TEST(SifiveE31, DividerRange) {
  // early_out [U]: 0 / x -> 2; x / 0 -> 33; else 2 + quotient bits, clamped to 2..33
  const auto m = load("sifive-e31");
  EXPECT_EQ(m->divide_min_cycles(), 2u);
  EXPECT_EQ(run(*m, "div_pair").static_cycles, 4u);
  EXPECT_EQ(m->divide_cycles(0, 5, false), 2u);
  EXPECT_EQ(m->divide_cycles(5, 0, false), 33u);
  EXPECT_EQ(m->divide_cycles(0xffffffffu, 1, false), 33u);  // 2 + 32 -> clamped 33
  EXPECT_EQ(m->divide_cycles(100, 10, false), 6u);          // msb 6 - 3 + 1 = 4 -> 6
  EXPECT_EQ(m->divide_cycles(static_cast<std::uint32_t>(-100), 10, true), 6u);
  EXPECT_EQ(m->divide_cycles(1, 0x7fffffffu, false), 2u);   // quotient 0
}

TEST(SifiveE31, LoopBranchMispredictsOnceThenPredicts) {
  // 2-bit counter starts weakly not-taken: taken x4 then the exit (not taken):
  //   1st taken: predicted NT -> 3; 2nd-4th: predicted T -> 0; exit: predicted T -> 3
  const auto m = load("sifive-e31");
  const auto b = run(*m, "branch_loop");
  EXPECT_EQ(b.static_cycles, 2u);  // addi 1 + bnez 1
  EXPECT_EQ(m->leave_block(b, true), 3u);
  EXPECT_EQ(m->leave_block(b, true), 0u);
  EXPECT_EQ(m->leave_block(b, true), 0u);
  EXPECT_EQ(m->leave_block(b, true), 0u);
  EXPECT_EQ(m->leave_block(b, false), 3u);
  // Next run of the loop: counter back at weakly taken -> predicted from the start
  EXPECT_EQ(m->leave_block(b, true), 0u);
}

TEST(SifiveE31, ReturnAddressStack) {
  // jal ra pushes; ret pops (predicted). 2 entries: three calls then three returns -> the
  // oldest return address was overwritten: 0, 0, 3.
  const auto m = load("sifive-e31");
  const auto call = run(*m, "jal_call");
  const auto ret = run(*m, "ret", kBase + 0x100);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(m->leave_block(call, true), 0u);
  EXPECT_EQ(m->leave_block(ret, true), 0u);
  EXPECT_EQ(m->leave_block(ret, true), 0u);
  EXPECT_EQ(m->leave_block(ret, true), 3u);
  // Empty stack: return mispredicted
  EXPECT_EQ(m->leave_block(ret, true), 3u);
}

TEST(SifiveE31, IndirectCallBtb) {
  // jalr ra, 0(a5): first time a BTB miss (3), then predicted (0) [U: constant target assumed]
  const auto m = load("sifive-e31");
  const auto b = run(*m, "jalr_call", kBase + 0x200);
  EXPECT_EQ(m->leave_block(b, true), 3u);
  EXPECT_EQ(m->leave_block(b, true), 0u);
  // Not a flow-changing block: nothing to pay
  EXPECT_EQ(m->leave_block(run(*m, "alu_run", kBase + 0x300), false), 0u);
}

}  // namespace
}  // namespace mcusim::core
