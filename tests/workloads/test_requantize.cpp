// Requantization: hand-computed values for the firmware helper (requantize.h) and the host
// reference, plus a randomized cross-check between the two.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "net_generator.h"
#include "net_reference.h"
#include "requantize.h"

namespace {

using mcusim::net::MultiplyByQuantizedMultiplier;
using mcusim::net::QuantizeMultiplier;
using mcusim::net::SplitMix64;

// multiplier 1<<30 is 0.5 in Q0.31; with shift 0 the result is SRDHM(x, 2^30) = round(x / 2):
//   x =  3: (3*2^30 + 2^30) / 2^31 = 2^32 / 2^31 = 2                    ( 1.5 ->  2)
//   x = -3: (-3*2^30 + (1 - 2^30)) / 2^31 = (-2^32 + 1) / 2^31 = -1.99..., truncated -> -1
//           ( -1.5 -> -1): the doubling high multiply rounds ties toward +infinity, exactly like
//           ARM VQRDMULH, NOT away from zero. (The brief's "-3 -> -2" would hold for
//           RoundingDivideByPOT, checked below.)
//   x =  5: (5*2^30 + 2^30) / 2^31 = 3                                    ( 2.5 ->  3)
//   x = -5: (-5*2^30 + 1 - 2^30) / 2^31 = -2.99..., truncated -> -2        (-2.5 -> -2)
TEST(Requantize, HalfWithShiftZeroRoundsTiesUp) {
  for (auto f : {+[](int32_t x) { return ref_multiply_by_quantized_multiplier(x, 1 << 30, 0); },
                 +[](int32_t x) { return MultiplyByQuantizedMultiplier(x, 1 << 30, 0); }}) {
    EXPECT_EQ(f(3), 2);
    EXPECT_EQ(f(-3), -1);
    EXPECT_EQ(f(5), 3);
    EXPECT_EQ(f(-5), -2);
    EXPECT_EQ(f(4), 2);
    EXPECT_EQ(f(-4), -2);
    EXPECT_EQ(f(0), 0);
  }
}

// multiplier 1<<30, shift -1 is 0.25: SRDHM(+-6, 2^30) = +-3 exactly, then RoundingDivideByPOT by
// 1 rounds the tie away from zero:
//   3: mask 1, remainder 1, threshold 0 -> (3 >> 1) + 1 = 2            ( 1.5 ->  2)
//  -3: remainder (-3 & 1) = 1, threshold 0 + 1 = 1 -> (-3 >> 1) + 0 = -2 (-1.5 -> -2)
TEST(Requantize, RightShiftRoundsTiesAwayFromZero) {
  EXPECT_EQ(ref_multiply_by_quantized_multiplier(6, 1 << 30, -1), 2);
  EXPECT_EQ(ref_multiply_by_quantized_multiplier(-6, 1 << 30, -1), -2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(6, 1 << 30, -1), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-6, 1 << 30, -1), -2);
  EXPECT_EQ(ref_rounding_divide_by_pot(3, 1), 2);
  EXPECT_EQ(ref_rounding_divide_by_pot(-3, 1), -2);
  EXPECT_EQ(ref_rounding_divide_by_pot(-5, 2), -1);  // -1.25 -> -1
  EXPECT_EQ(ref_rounding_divide_by_pot(-6, 2), -2);  // -1.5  -> -2
  EXPECT_EQ(ref_rounding_divide_by_pot(7, 0), 7);
}

// shift 2 with multiplier 0.5: x * 2. 3 << 2 = 12, SRDHM(12, 2^30) = 6.
TEST(Requantize, LeftShift) {
  EXPECT_EQ(ref_multiply_by_quantized_multiplier(3, 1 << 30, 2), 6);
  EXPECT_EQ(ref_multiply_by_quantized_multiplier(-3, 1 << 30, 2), -6);
}

TEST(Requantize, DoublingHighMulSaturatesOnlyMinTimesMin) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(ref_saturating_rounding_doubling_high_mul(kMin, kMin), kMax);
  EXPECT_EQ(ref_saturating_rounding_doubling_high_mul(kMin, kMax), -kMax);  // -(2^31 - 1)
  EXPECT_EQ(ref_saturating_rounding_doubling_high_mul(kMax, kMax), kMax - 1);
}

// TFLite QuantizeMultiplier: m = q * 2^shift, q in [0.5, 1) as round(q * 2^31).
TEST(Requantize, QuantizeMultiplierHandValues) {
  struct Case {
    double m;
    int32_t q;
    int shift;
  };
  const Case cases[] = {
      {0.5, 1 << 30, 0},           {0.25, 1 << 30, -1},         {1.0, 1 << 30, 1},
      {0.75, 1610612736, 0},       {1.0 / 3.0, 1431655765, -1}, {0.0, 0, 0},
      {0.99999999999, 1 << 30, 1},  // rounds up to 2^31 -> halved, shift + 1
  };
  for (const Case& c : cases) {
    int32_t q = -1;
    int shift = -99;
    QuantizeMultiplier(c.m, &q, &shift);
    EXPECT_EQ(q, c.q) << c.m;
    EXPECT_EQ(shift, c.shift) << c.m;
  }
}

TEST(Requantize, FirmwareAndHostAgreeOnRandomInputs) {
  SplitMix64 rng(12345);
  for (int i = 0; i < 200000; ++i) {
    const int32_t x = rng.UniformInt(-(1 << 22), 1 << 22);
    const int32_t m = rng.UniformInt(1 << 30, std::numeric_limits<int32_t>::max());
    const int32_t shift = rng.UniformInt(-31, 8);
    ASSERT_EQ(ref_multiply_by_quantized_multiplier(x, m, shift),
              MultiplyByQuantizedMultiplier(x, m, shift))
        << x << " " << m << " " << shift;
  }
}

}  // namespace
