// nn_requantize (kernels/optimized/opt_internal.h, the branch-free form the optimized kernels use)
// against ref_multiply_by_quantized_multiplier (kernels/include/requantize.h): equal for every
// input. Edge values exhaustively crossed, then random ones.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "opt_internal.h"
#include "requantize.h"

namespace {

TEST(RequantFast, EqualsReferenceOnEdgeValues) {
  const int32_t xs[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::min() + 1,
                        -65536, -32769, -3, -2, -1, 0, 1, 2, 3, 5, 32767, 65535,
                        std::numeric_limits<int32_t>::max() - 1,
                        std::numeric_limits<int32_t>::max()};
  const int32_t ms[] = {std::numeric_limits<int32_t>::min(), -(1 << 30), 1, 1 << 30,
                        (1 << 30) + 1, 1518500250, std::numeric_limits<int32_t>::max()};
  for (int32_t x : xs) {
    for (int32_t m : ms) {
      for (int32_t shift = -31; shift <= 8; ++shift) {
        ASSERT_EQ(nn_requantize(x, m, shift), ref_multiply_by_quantized_multiplier(x, m, shift))
            << "x=" << x << " m=" << m << " shift=" << shift;
      }
    }
  }
}

// Ties: x * m / 2^31 exactly half-way, both signs (m = 2^30: x odd gives a .5 before the divide;
// shift -1 then makes a second tie in the power-of-two divide).
TEST(RequantFast, EqualsReferenceOnTies) {
  for (int32_t x = -1000; x <= 1000; ++x) {
    for (int32_t shift = -4; shift <= 0; ++shift) {
      ASSERT_EQ(nn_requantize(x, 1 << 30, shift),
                ref_multiply_by_quantized_multiplier(x, 1 << 30, shift))
          << "x=" << x << " shift=" << shift;
    }
  }
}

TEST(RequantFast, EqualsReferenceOnRandomValues) {
  std::mt19937 gen(4242);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> acc(-(1 << 22), 1 << 22);
  std::uniform_int_distribution<int32_t> mult(1 << 30, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> sh(-31, 4);
  for (int i = 0; i < 2000000; ++i) {
    const int32_t x = (i & 1) ? any(gen) : acc(gen);
    const int32_t m = (i & 2) ? any(gen) : mult(gen);
    const int32_t s = sh(gen);
    ASSERT_EQ(nn_requantize(x, m, s), ref_multiply_by_quantized_multiplier(x, m, s))
        << "x=" << x << " m=" << m << " shift=" << s;
  }
}

}  // namespace
