// The C emulation of the DSP instructions in arm_simd.h (what the host build compiles), against
// hand-computed values. Each expected value is derived in the comment next to it from the
// Armv7-M Architecture Reference Manual pseudocode (A7.7: SXTB16, SXTAB16, SMLAD, SMUAD,
// SMLABB/SMLATT, PKHBT/PKHTB, SSAT, QADD).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "arm_simd.h"

namespace {

static_assert(NN_SIMD_ASM == 0, "host tests must exercise the C emulation");

// x = 0x80_7F_FF_01: bytes b3=0x80 (-128), b2=0x7F (127), b1=0xFF (-1), b0=0x01 (1).
//   SXTB16        takes b0 and b2: lo = 1 -> 0x0001, hi = 127 -> 0x007F        => 0x007F0001
//   SXTB16 ROR 8  takes b1 and b3: lo = -1 -> 0xFFFF, hi = -128 -> 0xFF80      => 0xFF80FFFF
TEST(ArmSimd, Sxtb16) {
  EXPECT_EQ(nn_sxtb16(0x807FFF01u), 0x007F0001u);
  EXPECT_EQ(nn_sxtb16_ror8(0x807FFF01u), 0xFF80FFFFu);
  // 0x00800080: b0 = b2 = 0x80 -> both halves -128 = 0xFF80; b1 = b3 = 0 -> both halves 0.
  EXPECT_EQ(nn_sxtb16(0x00800080u), 0xFF80FF80u);
  EXPECT_EQ(nn_sxtb16_ror8(0x00800080u), 0x00000000u);
}

// a = (lo 128, hi 128) = 0x00800080 (input_offset 128 for zero point -128).
//   SXTAB16(a, 0x807FFF01): lo = 128 + 1 = 129 = 0x0081, hi = 128 + 127 = 255 = 0x00FF => 0x00FF0081
//   ROR 8 variant: lo = 128 + (-1) = 127 = 0x007F, hi = 128 + (-128) = 0 => 0x0000007F
// a = (lo -1, hi 0x7FFF): lo = -1 + (-128) = -129 = 0xFF7F; hi = 32767 + 1 wraps to 0x8000
//   (each halfword add is modulo 2^16) with x = 0x00010080 (b0 = -128, b2 = 1).
TEST(ArmSimd, Sxtab16) {
  EXPECT_EQ(nn_sxtab16(0x00800080u, 0x807FFF01u), 0x00FF0081u);
  EXPECT_EQ(nn_sxtab16_ror8(0x00800080u, 0x807FFF01u), 0x0000007Fu);
  EXPECT_EQ(nn_sxtab16(0x7FFFFFFFu, 0x00010080u), 0x8000FF7Fu);
  EXPECT_EQ(nn_dup16(-127), 0xFF81FF81u);
  EXPECT_EQ(nn_dup16(128), 0x00800080u);
}

// x = (lo 3, hi -2) = 0xFFFE0003, y = (lo 5, hi 7) = 0x00070005:
//   SMUAD = 3*5 + (-2)*7 = 15 - 14 = 1;  SMLAD(acc 100) = 101.
// x = y = (lo -32768, hi -32768) = 0x80008000: each product 2^30, sum 2^31 wraps to INT32_MIN
//   (hardware sets Q; the value is the modulo-2^32 sum). SMLAD with acc -1 -> INT32_MAX.
TEST(ArmSimd, SmladSmuad) {
  EXPECT_EQ(nn_smuad(0xFFFE0003u, 0x00070005u), 1);
  EXPECT_EQ(nn_smlad(0xFFFE0003u, 0x00070005u, 100), 101);
  EXPECT_EQ(nn_smuad(0x80008000u, 0x80008000u), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(nn_smlad(0x80008000u, 0x80008000u, -1), std::numeric_limits<int32_t>::max());
  // (-255)*(-128) + 255*127 = 32640 + 32385 = 65025, + acc -65025 = 0
  EXPECT_EQ(nn_smlad(0x00FFFF01u, 0x007FFF80u, -65025), 0);
}

// x = 0xFFFE0003 (lo 3, hi -2), y = 0x00070005 (lo 5, hi 7):
//   SMLABB(acc 10) = 10 + 3*5 = 25;  SMLATT(acc 10) = 10 + (-2)*7 = -4.
TEST(ArmSimd, SmlabbSmlatt) {
  EXPECT_EQ(nn_smlabb(0xFFFE0003u, 0x00070005u, 10), 25);
  EXPECT_EQ(nn_smlatt(0xFFFE0003u, 0x00070005u, 10), -4);
}

// PKHBT(0x11112222, 0x33334444, LSL 16) = bottom of a (0x2222) | top of (b << 16) (0x4444)
//   => 0x44442222. With LSL 0: 0x2222 | 0x33330000 => 0x33332222.
// PKHTB(0x11112222, 0x33334444, ASR 16) = top of a (0x1111) | bottom of (b >> 16) (0x3333)
//   => 0x11113333. With b = 0x80000000, ASR 16 = 0xFFFF8000, bottom 0x8000 => 0x11118000
//   (arithmetic, not logical, shift). ASR 4 of 0x12345678 = 0x01234567, bottom 0x4567.
TEST(ArmSimd, Pkh) {
  EXPECT_EQ(NN_PKHBT(0x11112222u, 0x33334444u, 16), 0x44442222u);
  EXPECT_EQ(NN_PKHBT(0x11112222u, 0x33334444u, 0), 0x33332222u);
  EXPECT_EQ(NN_PKHTB(0x11112222u, 0x33334444u, 16), 0x11113333u);
  EXPECT_EQ(NN_PKHTB(0x11112222u, 0x80000000u, 16), 0x11118000u);
  EXPECT_EQ(NN_PKHTB(0xABCD0000u, 0x12345678u, 4), 0xABCD4567u);
}

// SSAT(x, 8) clamps to [-128, 127]; SSAT(x, 16) to [-32768, 32767]; SSAT(x, 1) to [-1, 0];
// SSAT(x, 32) is the identity.
TEST(ArmSimd, Ssat) {
  EXPECT_EQ(NN_SSAT(300, 8), 127);
  EXPECT_EQ(NN_SSAT(-300, 8), -128);
  EXPECT_EQ(NN_SSAT(-5, 8), -5);
  EXPECT_EQ(NN_SSAT(40000, 16), 32767);
  EXPECT_EQ(NN_SSAT(-40000, 16), -32768);
  EXPECT_EQ(NN_SSAT(5, 1), 0);
  EXPECT_EQ(NN_SSAT(-5, 1), -1);
  EXPECT_EQ(NN_SSAT(std::numeric_limits<int32_t>::min(), 32),
            std::numeric_limits<int32_t>::min());
}

// QADD: 2^31-1 + 1 saturates to INT32_MAX; INT32_MIN + (-1) to INT32_MIN; 5 + (-7) = -2.
TEST(ArmSimd, Qadd) {
  EXPECT_EQ(nn_qadd(std::numeric_limits<int32_t>::max(), 1), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(nn_qadd(std::numeric_limits<int32_t>::min(), -1), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(nn_qadd(5, -7), -2);
}

// Word reads are little-endian and alignment-free: bytes {1, 2, 3, 4} at an odd address read
// as 0x04030201; int16 {-2, 3} read as 0x0003FFFE.
TEST(ArmSimd, Reads) {
  const int8_t bytes[6] = {0, 1, 2, 3, 4, 0};
  EXPECT_EQ(nn_read_s8x4(bytes + 1), 0x04030201u);
  const int16_t halves[3] = {7, -2, 3};
  EXPECT_EQ(nn_read_s16x2(halves + 1), 0x0003FFFEu);
  int16_t out[2] = {0, 0};
  nn_write_s16x2(out, 0x8000FFFFu);
  EXPECT_EQ(out[0], -1);
  EXPECT_EQ(out[1], -32768);
}

// The pairing the kernels rely on: for int8 words w and x, with offset o,
//   SMLAD(SXTB16(w), SXTAB16(o, x)) + SMLAD(SXTB16_ROR8(w), SXTAB16_ROR8(o, x))
//   = sum_i w_i * (x_i + o)  for the 4 bytes i, over all byte values at the extremes.
TEST(ArmSimd, DotProductIdentity) {
  const int8_t vals[] = {-128, -127, -1, 0, 1, 126, 127};
  for (int32_t off : {-127, 0, 1, 128}) {
    for (int8_t a : vals) {
      for (int8_t b : vals) {
        const int8_t w[4] = {a, b, static_cast<int8_t>(-a - 1), 127};
        const int8_t x[4] = {b, a, -128, static_cast<int8_t>(b / 2)};
        int32_t expected = 0;
        for (int i = 0; i < 4; ++i) expected += w[i] * (x[i] + off);
        const uint32_t ww = nn_read_s8x4(w);
        const uint32_t xx = nn_read_s8x4(x);
        const uint32_t o2 = nn_dup16(off);
        int32_t got = nn_smlad(nn_sxtb16(ww), nn_sxtab16(o2, xx), 0);
        got = nn_smlad(nn_sxtb16_ror8(ww), nn_sxtab16_ror8(o2, xx), got);
        ASSERT_EQ(got, expected) << "a=" << int(a) << " b=" << int(b) << " off=" << off;
      }
    }
  }
}

}  // namespace
