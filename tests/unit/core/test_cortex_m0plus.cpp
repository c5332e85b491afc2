// Cortex-M0+ core model (cortex-m0plus.toml): static block timing. Expected cycles are derived
// by hand from core-facts A.1 (M0+ column, symex models [C]), never from the model's output:
//   ALU 1; LDR/STR (all forms) 2, no load pipelining, no AGU stall; LDM/STM/PUSH/POP 1+N;
//   B<cond> 1 not taken, 2 taken (P = 1); BL 3 (2 + P 1); BX 2 (1 + P 1); MOV PC 2 (1 + P 1);
//   POP {..,PC} 3+N (1+N + P 2); MULS 1 (fast multiplier) or 32 (small, a core option);
//   DMB/DSB/ISB 3; MRS 3. 32-bit Thumb-2 instructions are not ARMv6-M: `undefined`.
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

constexpr Addr kBase = 0x1000'0100;
const std::string kTable = std::string(MCUSIM_CORE_DATA_DIR) + "/cortex-m0plus.toml";

std::vector<std::uint8_t> seq(const std::string& name) { return read_sequence(name); }

class CortexM0Plus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = load_core_model(kTable); }
  static void TearDownTestSuite() { model_.reset(); }
  static BlockInfo run(const std::string& name) {
    const auto bytes = seq("m0p_" + name);
    return model_->analyze_block(kBase, bytes);
  }
  static std::uint64_t count(const BlockInfo& b, InsnClass c) {
    return b.class_counts[static_cast<std::size_t>(c)];
  }
  static inline std::unique_ptr<CoreModel> model_;
};

TEST_F(CortexM0Plus, NameAndUnicornCpu) {
  EXPECT_EQ(model_->name(), "cortex-m0plus");
  // Unicorn 2.0.1 has no M0+; the M0 is ARMv6-M too (unicorn-notes.md).
  EXPECT_EQ(model_->unicorn_cpu(), "cortex-m0");
  EXPECT_EQ(model_->isa_family(), IsaFamily::arm_m);
}

TEST_F(CortexM0Plus, AluRun) {
  // 4 x ALU (1 each) = 4.
  const auto b = run("alu_run");
  EXPECT_EQ(count(b, InsnClass::alu), 4u);
  EXPECT_EQ(b.static_cycles, 4u);
}

TEST_F(CortexM0Plus, LoadsDoNotPipeline) {
  // LDR (2) + LDR (2) = 4: no M3/M4-style pipelining on the 2-stage M0+ (M4 would give 3).
  const auto b = run("ldr_ldr");
  EXPECT_EQ(b.static_cycles, 4u);
  EXPECT_EQ(b.insn_cycle_offset, (std::vector<std::uint32_t>{0, 2}));
}

TEST_F(CortexM0Plus, NoAddressGenerationStall) {
  // ADDS r1 (1) + LDR [r1] (2) = 3: no AGU stall (M4 would give 4).
  EXPECT_EQ(run("alu_then_ldr").static_cycles, 3u);
}

TEST_F(CortexM0Plus, StoresAreTwoCycles) {
  // STR reg offset (2) + STRB imm (2) = 4.
  const auto b = run("stores");
  EXPECT_EQ(count(b, InsnClass::store), 2u);
  EXPECT_EQ(b.static_cycles, 4u);
}

TEST_F(CortexM0Plus, PushAndPopPc) {
  // PUSH {r4-r7,lr}: 1+5 = 6.
  EXPECT_EQ(run("push5").static_cycles, 6u);
  // POP {r4,pc}: 1+2 = 3 static, + P 2 when it returns: 3+N = 5 in all.
  const auto b = run("pop_pc");
  EXPECT_EQ(b.static_cycles, 3u);
  EXPECT_EQ(b.taken_branch_penalty, 2u);
}

TEST_F(CortexM0Plus, Branches) {
  // CMP (1) + BNE (1 not taken); taken: + P 1 -> B<cond> taken 2.
  auto b = run("cond_branch");
  EXPECT_EQ(b.static_cycles, 2u);
  EXPECT_EQ(b.taken_branch_penalty, 1u);
  // BL: 2 + P 1 = 3.
  b = run("bl");
  EXPECT_EQ(b.static_cycles + b.taken_branch_penalty, 3u);
  // BX LR: 1 + P 1 = 2.
  b = run("bx_lr");
  EXPECT_EQ(b.static_cycles + b.taken_branch_penalty, 2u);
  // MOV PC, LR: 1 + P 1 = 2.
  b = run("mov_pc");
  EXPECT_EQ(b.static_cycles + b.taken_branch_penalty, 2u);
}

TEST_F(CortexM0Plus, FastMultiplier) {
  // MULS with the fast multiplier: 1.
  const auto b = run("muls");
  EXPECT_EQ(count(b, InsnClass::mul), 1u);
  EXPECT_EQ(b.static_cycles, 1u);
}

TEST_F(CortexM0Plus, BarriersAndMrs) {
  // DMB 3 + DSB 3 + ISB 3 + MRS 3 = 12.
  EXPECT_EQ(run("barriers").static_cycles, 12u);
}

TEST_F(CortexM0Plus, Thumb2InstructionsAreUndefined) {
  // add.w, udiv and cbz are not ARMv6-M: undefined (1 issue slot each), no divider site;
  // the two 16-bit ADDS and the MOV are ALU ops. 3 x 1 + 3 x 1 = 6.
  const auto bytes = seq("v7m_on_v6m");
  const auto b = model_->analyze_block(kBase, bytes);
  EXPECT_EQ(count(b, InsnClass::undefined), 3u);
  EXPECT_EQ(count(b, InsnClass::alu), 3u);
  EXPECT_EQ(count(b, InsnClass::div), 0u);
  EXPECT_TRUE(b.dividers.empty());
  EXPECT_EQ(b.static_cycles, 6u);
}

TEST(CortexM0PlusTable, SmallMultiplierIsACoreOption) {
  // The small (iterative) multiplier: MULS 32 (core-facts A.1), set as a board's core_set does.
  auto m = parse_core_model(
      [] {
        std::ifstream in(kTable);
        std::string s((std::istreambuf_iterator<char>(in)), {});
        const auto at = s.find("[classes.mul]\ncycles = 1");
        s.replace(at, std::string("[classes.mul]\ncycles = 1").size(),
                  "[classes.mul]\ncycles = 32");
        return s;
      }(),
      "m0plus-small-mul.toml");
  const auto bytes = read_sequence("m0p_muls");
  EXPECT_EQ(m->analyze_block(kBase, bytes).static_cycles, 32u);
}

}  // namespace
}  // namespace mcusim::core
