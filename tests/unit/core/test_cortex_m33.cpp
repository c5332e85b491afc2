// Cortex-M33 core model (cortex-m33.toml): the result-latency scoreboard and limited dual issue.
// Expected cycles are derived by hand from core-facts A.5 (jnk0le's RP2350 measurements [C]),
// never from the model's output. Issue cycles: ALU/MUL/LDR/STR 1, MULS.N and flag-setting
// shifted constants 2, LDRD 2, LDM x registers x. Result latency: ALU 1, shifted operand2 2,
// MUL/MAC/DSP 2 (1 into a MAC accumulator), load 2 (1 into a MAC accumulator or as store data),
// VADD 2, VFMA 4 as multiplicand / 3 as accumulator, no FP issue for 2 cycles after a VFMA.
// Dual issue: a 16-bit instruction + a 16-bit NOP (after arithmetic/load-store), IT or B.
// Branch: taken 2 (1 + P 1), 1 when paired behind a non-flag-setting 16-bit instruction.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "mcusim/core/core_model.h"
#include "sequence_file.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {
namespace {

constexpr Addr kBase = 0x1000'0000;
const std::string kTable = std::string(MCUSIM_CORE_DATA_DIR) + "/cortex-m33.toml";

std::vector<std::uint8_t> seq(const std::string& name) { return read_sequence(name); }

class CortexM33 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = load_core_model(kTable); }
  static void TearDownTestSuite() { model_.reset(); }
  static BlockInfo run(const std::string& name) {
    const auto bytes = seq("m33_" + name);
    return model_->analyze_block(kBase, bytes);
  }
  static std::uint32_t cycles(const std::string& name) { return run(name).static_cycles; }
  static inline std::unique_ptr<CoreModel> model_;
};

using Offsets = std::vector<std::uint32_t>;

TEST_F(CortexM33, Name) {
  EXPECT_EQ(model_->name(), "cortex-m33");
  EXPECT_EQ(model_->unicorn_cpu(), "cortex-m33");
}

TEST_F(CortexM33, LoadToUse) {
  // LDR issues at 0; ADDS needs r0, ready at 0 + 2: issues at 2, done at 3.
  const auto b = run("load_use");
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 2}));
  EXPECT_EQ(b.static_cycles, 3u);
  // Independent LDR, LDR, ADDS: 1 cycle each = 3, no stall.
  EXPECT_EQ(run("loads_independent").insn_cycle_offset, (Offsets{0, 1, 2}));
  EXPECT_EQ(cycles("loads_independent"), 3u);
  // A loaded address register waits for the load-to-use latency too: 0, 2 -> 3.
  EXPECT_EQ(cycles("load_address"), 3u);
}

TEST_F(CortexM33, MacChainOnTheAccumulator) {
  // Three MLAs chained through the accumulator r0: 1 cycle each (accumulator latency 1) = 3.
  const auto b = run("mac_chain");
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 1, 2}));
  EXPECT_EQ(b.static_cycles, 3u);
  // The MLA result as a multiplicand waits the full 2: issue 0, 2 -> 3.
  EXPECT_EQ(run("mac_multiplicand").insn_cycle_offset, (Offsets{0, 2}));
  EXPECT_EQ(cycles("mac_multiplicand"), 3u);
  // A loaded value as the accumulator: 1 cycle (not 2): 0, 1 -> 2.
  EXPECT_EQ(cycles("load_to_acc"), 2u);
  // A loaded value as store data: load-to-store 1: 0, 1 -> 2.
  EXPECT_EQ(cycles("load_to_store"), 2u);
}

TEST_F(CortexM33, ShiftedOperand2HasTwoCycleLatency) {
  // ADD.W with LSL #2 (shifted register) then a consumer: 0, 2 -> 3.
  EXPECT_EQ(cycles("shifted_operand"), 3u);
  // ADD.W with the shifted constant 0x1fc0, then a consumer: 0, 2 -> 3.
  EXPECT_EQ(cycles("shifted_const"), 3u);
  // ADDS.W with a shifted constant sets flags through two stages: 2 cycles.
  EXPECT_EQ(cycles("shifted_const_s"), 2u);
  // MULS.N: 2 cycles (KA001260 via jnk0le).
  EXPECT_EQ(cycles("muls"), 2u);
}

TEST_F(CortexM33, SixteenBitPairsDualIssue) {
  // ADDS.N + NOP.N: one cycle, both issue at 0.
  const auto b = run("pair_nop");
  EXPECT_EQ(b.insn_cycle_offset, (Offsets{0, 0}));
  EXPECT_EQ(b.static_cycles, 1u);
  // CMP.N + IT pair (0, 0); MOVEQ needs the flags (ready at 1): issues at 1 -> 2.
  EXPECT_EQ(run("it_pair").insn_cycle_offset, (Offsets{0, 0, 1}));
  EXPECT_EQ(cycles("it_pair"), 2u);
}

TEST_F(CortexM33, PairsThatDoNotDualIssue) {
  // ALU + ALU (both 16-bit, independent): no dual issue, 2 cycles.
  EXPECT_EQ(run("no_pair_alu").insn_cycle_offset, (Offsets{0, 1}));
  EXPECT_EQ(cycles("no_pair_alu"), 2u);
  // LDR + ALU (independent): no dual issue, 2 cycles.
  EXPECT_EQ(run("no_pair_ldr_alu").insn_cycle_offset, (Offsets{0, 1}));
  EXPECT_EQ(cycles("no_pair_ldr_alu"), 2u);
}

TEST_F(CortexM33, BranchPairing) {
  // ADD.N (no flags) + BNE.N: paired. Not taken: 1 cycle; taken: 1 + P 1 = 2 in all (the
  // branch itself costs 1, "effectively executing in 1 cycle").
  auto b = run("branch_pair");
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  // SUBS.N (sets flags) + BNE.N: not taken still pairs (1); taken costs the branch 2: 1 + 2.
  b = run("branch_pair_flags");
  EXPECT_EQ(b.static_cycles, 1u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
  // ADD.W (32-bit) + BNE.N: no pair. Not taken 1 + 1 = 2; taken + P 1.
  b = run("branch_unpaired");
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
}

TEST_F(CortexM33, MultiplesAndDoubles) {
  // LDM of 3 registers: 3; LDRD: 2 -> 5.
  EXPECT_EQ(run("ldm_ldrd").insn_cycle_offset, (Offsets{0, 3}));
  EXPECT_EQ(cycles("ldm_ldrd"), 5u);
}

TEST_F(CortexM33, FloatingPoint) {
  // VFMA s0 then VFMA into s0 (accumulator, latency 3; FP issue also blocked until 0+1+2): 0, 3.
  EXPECT_EQ(run("vfma_acc").insn_cycle_offset, (Offsets{0, 3}));
  EXPECT_EQ(cycles("vfma_acc"), 4u);
  // VFMA s0 then s0 as a multiplicand (latency 4): 0, 4 -> 5.
  EXPECT_EQ(cycles("vfma_mul"), 5u);
  // VFMA then an independent VADD: blocked for 2 cycles after the VFMA's issue cycle: 0, 3 -> 4.
  EXPECT_EQ(cycles("vfma_block"), 4u);
  // VADD then a dependent VADD: latency 2: 0, 2 -> 3.
  EXPECT_EQ(cycles("vadd_dep"), 3u);
}

TEST(CortexM33Table, LatencyOnlyWithTheScoreboard) {
  // A class `latency` is accepted with [pipeline.scoreboard] true, and is an unknown key in a
  // table without it (the M4's).
  const TimingTable t = load_timing_table(kTable);
  ASSERT_TRUE(t.pipeline.scoreboard.has_value());
  EXPECT_EQ(t.classes[static_cast<std::size_t>(InsnClass::load)].latency, 2u);
  EXPECT_EQ(t.pipeline.scoreboard->dual_issue, DualIssueRule::m33_16bit);
  std::ifstream in(MCUSIM_CORE_M4_TABLE);
  std::string m4((std::istreambuf_iterator<char>(in)), {});
  m4.insert(m4.find("[classes.load]\n") + 15, "latency = 2\n");
  try {
    (void)parse_timing_table(m4, "m4-latency.toml");
    ADD_FAILURE() << "latency accepted without the scoreboard";
  } catch (const TimingTableError& e) {
    EXPECT_NE(std::string(e.what()).find("classes.load.latency"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mcusim::core
