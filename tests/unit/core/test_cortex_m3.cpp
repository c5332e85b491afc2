// Cortex-M3 core model (cortex-m3.toml): static block timing and the early-terminating long
// multiplier. Expected cycles are derived by hand from core-facts A.2 (M3 TRM table copies [C],
// cmemu [C], jnk0le [C]), never from the model's output:
//   MUL 1, MLA/MLS 2; SMULL/UMULL 3-5 and SMLAL/UMLAL 3-7 by operand halves (cmemu), static 3;
//   LDR 2 with pipelining (-1 on the next independent LDR/STR) except pre/post-indexed accesses;
//   DSP and FP instructions do not exist on the M3 (undefined, 1 slot).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "mcusim/core/core_model.h"
#include "sequence_file.h"
#include "mcusim/core/cortex_m.h"

namespace mcusim::core {
namespace {

constexpr Addr kBase = 0x0800'2000;
const std::string kTable = std::string(MCUSIM_CORE_DATA_DIR) + "/cortex-m3.toml";

std::vector<std::uint8_t> seq(const std::string& name) { return read_sequence(name); }

class CortexM3 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = load_core_model(kTable); }
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

TEST_F(CortexM3, Name) {
  EXPECT_EQ(model_->name(), "cortex-m3");
  EXPECT_EQ(model_->unicorn_cpu(), "cortex-m3");
}

TEST_F(CortexM3, MultiplyAccumulateIsTwoCycles) {
  // MUL (1) + MLA (2) + MLS (2) = 5 (M3 TRM table: MLA/MLS 2; the M4 gives 3).
  EXPECT_EQ(run("m3_mla").static_cycles, 5u);
}

TEST_F(CortexM3, LongMultiplyIsAnOperandSite) {
  // UMULL: static 3 (the minimum), a multiply_long site reading r2 and r3.
  auto b = run("m3_umull");
  EXPECT_EQ(b.static_cycles, 3u);
  ASSERT_EQ(b.dividers.size(), 1u);
  EXPECT_EQ(b.dividers[0].kind, OperandSiteKind::multiply_long);
  EXPECT_EQ(b.dividers[0].rn, 2u);
  EXPECT_EQ(b.dividers[0].rm, 3u);
  EXPECT_FALSE(b.dividers[0].is_signed);
  EXPECT_FALSE(b.dividers[0].accumulate);
  EXPECT_EQ(b.dividers[0].addr, kBase);
  // SMLAL r4, r5, r6, r7: signed, accumulating, operands r6 and r7.
  b = run("m3_smlal");
  EXPECT_EQ(b.static_cycles, 3u);
  ASSERT_EQ(b.dividers.size(), 1u);
  EXPECT_EQ(b.dividers[0].rn, 6u);
  EXPECT_EQ(b.dividers[0].rm, 7u);
  EXPECT_TRUE(b.dividers[0].is_signed);
  EXPECT_TRUE(b.dividers[0].accumulate);
  EXPECT_EQ(model_->multiply_long_min_cycles(), 3u);
}

TEST_F(CortexM3, LongMultiplyEarlyTermination) {
  // cmemu's rule (cortex-m3.toml pipeline.multiply_long_rule), by the 16-bit halves H/L in use:
  // UMULL small x small (L;L) 3; (HL;HL) 5; (H;L) 4; an operand 0: 3.
  EXPECT_EQ(model_->multiply_long_cycles(1000, 2000, false, false), 3u);
  EXPECT_EQ(model_->multiply_long_cycles(0x12345678, 0x9abcdef0, false, false), 5u);
  EXPECT_EQ(model_->multiply_long_cycles(0x10000, 5, false, false), 4u);
  EXPECT_EQ(model_->multiply_long_cycles(0, 0xffffffff, false, false), 3u);
  // SMULL: -1 (HL) x 3 (L): "other mixed" case, Rm not negative -> 4; 3 x -1 -> 5 (Rm negative).
  EXPECT_EQ(model_->multiply_long_cycles(0xffffffff, 3, true, false), 4u);
  EXPECT_EQ(model_->multiply_long_cycles(3, 0xffffffff, true, false), 5u);
  // UMLAL: (L;L) 3; (HL;HL) 7 (the maximum); (H;H) 5.
  EXPECT_EQ(model_->multiply_long_cycles(7, 9, false, true), 3u);
  EXPECT_EQ(model_->multiply_long_cycles(0x12345678, 0x12345678, false, true), 7u);
  EXPECT_EQ(model_->multiply_long_cycles(0x10000, 0x20000, false, true), 5u);
  // SMLAL (H;H) with a negative operand: 6.
  EXPECT_EQ(model_->multiply_long_cycles(0xffff0000, 0x20000, true, true), 6u);
}

TEST(CortexM3Rule, ClampedToTheTableBounds) {
  // (HL;HL) UMLAL = 7, clamped to a maximum of 6; (L;L) = 3, raised to a minimum of 4.
  EXPECT_EQ(multiply_long_cycles_early_termination(0x12345678, 0x12345678, false, true, 3, 6), 6u);
  EXPECT_EQ(multiply_long_cycles_early_termination(1, 1, false, false, 4, 7), 4u);
}

TEST_F(CortexM3, LoadPipelining) {
  // TRM example "LDR R0,[R1]; LDR R1,[R2]" = 3 (2 + 2-1), as on the M4.
  EXPECT_EQ(run("ldr_ldr").static_cycles, 3u);
  // A post-indexed load does not chain on the M3 even with another base: 2 + 2 = 4 (M4: 3).
  EXPECT_EQ(run("m3_ldr_post_ldr").static_cycles, 4u);
  // Nor a pre-indexed (writeback) load after a plain one: 2 + 2 = 4.
  EXPECT_EQ(run("m3_ldr_ldr_post").static_cycles, 4u);
  // AGU stall as on the M4: ADD r1 (1) + LDR [r1] (2) + 1 = 4.
  EXPECT_EQ(run("agu_stall").static_cycles, 4u);
}

TEST_F(CortexM3, DspAndFpAreUndefined) {
  // mul_run = MUL (1) + MLA (2) + SMULL (3, minimum) + SMLAD (not on the M3: undefined, 1) = 7.
  auto b = run("mul_run");
  EXPECT_EQ(count(b, InsnClass::dsp), 0u);
  EXPECT_EQ(count(b, InsnClass::undefined), 1u);
  EXPECT_EQ(b.static_cycles, 7u);
  // VADD.F32: no FPU on the M3 -> undefined, 1.
  b = run("vadd");
  EXPECT_EQ(count(b, InsnClass::fp_alu), 0u);
  EXPECT_EQ(count(b, InsnClass::undefined), 1u);
}

}  // namespace
}  // namespace mcusim::core
