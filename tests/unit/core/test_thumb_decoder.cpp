// Thumb decoder operand fields (registers read/written, FP registers, flags) that the result-
// latency and dual-issue rules rely on. Expected sets are read off the ARMv7-M ARM's operand
// descriptions of each instruction in the dec_operands sequence (sequences.s).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sequence_file.h"
#include "thumb_decoder.h"

namespace mcusim::core::detail {
namespace {

std::uint16_t regs(std::initializer_list<int> rs) {
  std::uint16_t m = 0;
  for (int r : rs) m = static_cast<std::uint16_t>(m | (1u << r));
  return m;
}

TEST(ThumbDecoder, OperandSetsAndFlags) {
  const auto bytes = read_sequence("dec_operands");
  ASSERT_FALSE(bytes.empty());
  ThumbDecoder dec;
  const auto d = dec.decode(0x0800'0000, bytes);
  ASSERT_EQ(d.size(), 10u);
  // ldr r0, [r1, r2]: reads the address registers, writes the destination.
  EXPECT_EQ(d[0].regs_read, regs({1, 2}));
  EXPECT_EQ(d[0].regs_written, regs({0}));
  // str r3, [r4, #4]: reads the data and the base, writes nothing.
  EXPECT_EQ(d[1].regs_read, regs({3, 4}));
  EXPECT_EQ(d[1].regs_written, 0);
  // adds r5, r6, r7: sets flags, reads r6 r7.
  EXPECT_EQ(d[2].regs_read, regs({6, 7}));
  EXPECT_TRUE(d[2].sets_flags);
  EXPECT_FALSE(d[2].reads_flags);
  // add.w r0, r1, r2, lsl #2: a shifted register operand, flags untouched.
  EXPECT_TRUE(d[3].shifted_operand);
  EXPECT_FALSE(d[3].sets_flags);
  EXPECT_FALSE(d[2].shifted_operand);
  // pop {r4, pc}: reads SP, writes r4, SP and PC.
  EXPECT_EQ(d[4].regs_read & regs({13}), regs({13}));
  EXPECT_EQ(d[4].regs_read & regs({4, 15}), 0);
  EXPECT_EQ(d[4].regs_written, regs({4, 13, 15}));
  // vadd.f32 s0, s1, s2.
  EXPECT_EQ(d[5].fp_read, 0b110u);
  EXPECT_EQ(d[5].fp_written, 0b1u);
  // vldr d1, [r8]: writes S2 and S3, reads r8.
  EXPECT_EQ(d[6].fp_written, 0b1100u);
  EXPECT_EQ(d[6].regs_read, regs({8}));
  // smlad r9, r10, r11, r12: reads the three sources and the accumulator.
  EXPECT_EQ(d[7].regs_read, regs({10, 11, 12}));
  EXPECT_EQ(d[7].regs_written, regs({9}));
  // ldm r1!, {r2, r3}: reads the base only, writes the list and the base.
  EXPECT_EQ(d[8].regs_read, regs({1}));
  EXPECT_EQ(d[8].regs_written, regs({1, 2, 3}));
  // beq: reads the flags.
  EXPECT_TRUE(d[9].reads_flags);
}

}  // namespace
}  // namespace mcusim::core::detail
