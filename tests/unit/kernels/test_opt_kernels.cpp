// The optimized kernel library (reference-firmware/kernels/optimized) against the reference
// kernels (kernels/reference), bit for bit, on random layers covering every code path:
//   conv2d: general im2col path (KWS conv0 10x4 stride 2 SAME, 3x3 stride 1/2 SAME/VALID, odd
//           channel counts, odd pixel counts, K % 4 != 0), pointwise 1x1 path, 1x1 stride 2
//           (general path);
//   depthwise: 3x3 interior + clipped edges, stride 1/2, channel counts with a % 4 remainder,
//              5x5 / 3x1 generic;
//   fully connected: 640->128, 64->12, odd rows / odd lengths;
//   add: against an independent TFLite-formula implementation in this file.
// Scratch is allocated with exactly nn_*_scratch_bytes() plus guard bytes, and outputs carry guard
// bytes, so any out-of-bounds write fails the test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "nn_kernels.h"

namespace {

constexpr int kGuard = 64;
constexpr int8_t kGuardByte = 0x5A;

struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int32_t Uniform(int32_t lo, int32_t hi) {  // inclusive
    return std::uniform_int_distribution<int32_t>(lo, hi)(gen);
  }
  std::vector<int8_t> Bytes(size_t n) {
    std::vector<int8_t> v(n);
    for (auto& x : v) x = static_cast<int8_t>(Uniform(-128, 127));
    return v;
  }
};

// TFLite SAME padding: pad_before = floor(total / 2).
int32_t SamePadBefore(int32_t in, int32_t out, int32_t k, int32_t s) {
  const int32_t total = std::max<int32_t>((out - 1) * s + k - in, 0);
  return total / 2;
}

struct ConvShape {
  const char* name;
  int32_t in_h, in_w, in_c, out_c, kh, kw, sh, sw;
  bool same;
};

nn_conv_params_t MakeGeometry(const ConvShape& s, int32_t out_c) {
  nn_conv_params_t p{};
  p.in_h = s.in_h;
  p.in_w = s.in_w;
  p.in_c = s.in_c;
  p.out_c = out_c;
  p.kernel_h = s.kh;
  p.kernel_w = s.kw;
  p.stride_h = s.sh;
  p.stride_w = s.sw;
  if (s.same) {
    p.out_h = (s.in_h + s.sh - 1) / s.sh;
    p.out_w = (s.in_w + s.sw - 1) / s.sw;
    p.pad_top = SamePadBefore(s.in_h, p.out_h, s.kh, s.sh);
    p.pad_left = SamePadBefore(s.in_w, p.out_w, s.kw, s.sw);
  } else {
    p.out_h = (s.in_h - s.kh) / s.sh + 1;
    p.out_w = (s.in_w - s.kw) / s.sw + 1;
  }
  return p;
}

// Quantization for trial `trial`: input offsets cover the extremes (zero point -128 and 127),
// the output shift is chosen from the accumulation length so that outputs spread over the int8
// range instead of saturating; trial 1 has no bias; trial 2 a ReLU6-like clamp.
void RandomQuant(Rng& rng, int trial, int32_t k_len, int32_t channels, nn_conv_params_t* p,
                 std::vector<int32_t>* mult, std::vector<int32_t>* shift,
                 std::vector<int32_t>* bias) {
  static const int32_t kOffsets[] = {128, -127, 0, 5};
  p->input_offset = trial < 4 ? kOffsets[trial] : rng.Uniform(-127, 128);
  p->output_offset = rng.Uniform(-20, 20);
  p->act_min = trial == 2 ? -128 : -128;
  p->act_max = trial == 2 ? 100 : 127;
  if (trial == 2) p->act_min = p->output_offset;
  // |acc| ~ sqrt(K) * 74 * 74 for uniform int8 data; aim at ~40 output LSBs.
  const double typical = std::sqrt(static_cast<double>(k_len)) * 74.0 * 74.0;
  const int32_t base = -static_cast<int32_t>(std::lround(std::log2(typical / 40.0)));
  mult->resize(channels);
  shift->resize(channels);
  bias->resize(channels);
  for (int32_t c = 0; c < channels; ++c) {
    (*mult)[c] = rng.Uniform(1 << 30, INT32_MAX);
    (*shift)[c] = std::min<int32_t>(base + rng.Uniform(-1, 1), 0);
    (*bias)[c] = rng.Uniform(-20000, 20000);
  }
}

void ExpectGuard(const std::vector<int8_t>& buf, size_t used, const char* what) {
  for (size_t i = used; i < buf.size(); ++i) {
    ASSERT_EQ(buf[i], kGuardByte) << what << " written out of bounds at byte " << i;
  }
}

// Rejects degenerate random layers (outputs (nearly) all clamped) so that every test checks real values.
void ExpectVaried(const std::vector<int8_t>& out, size_t n) {
  int distinct = 0;
  bool seen[256] = {};
  for (size_t i = 0; i < n; ++i) {
    const int v = out[i] + 128;
    if (!seen[v]) ++distinct, seen[v] = true;
  }
  EXPECT_GE(distinct, std::min<int>(8, static_cast<int>(n) / 2)) << "outputs nearly constant";
}

// ------------------------------------------------------------------------------- conv2d
class Conv2d : public ::testing::TestWithParam<ConvShape> {};

TEST_P(Conv2d, BitIdenticalToReference) {
  const ConvShape& s = GetParam();
  for (int trial = 0; trial < 6; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    Rng rng(1000u * trial + static_cast<uint32_t>(s.in_c * 131 + s.out_c * 7 + s.kh));
    nn_conv_params_t p = MakeGeometry(s, s.out_c);
    const int32_t k_len = s.kh * s.kw * s.in_c;
    std::vector<int32_t> mult, shift, bias;
    RandomQuant(rng, trial, k_len, s.out_c, &p, &mult, &shift, &bias);
    const int32_t* bias_ptr = trial == 1 ? nullptr : bias.data();
    const auto input = rng.Bytes(static_cast<size_t>(s.in_h) * s.in_w * s.in_c);
    const auto filter = rng.Bytes(static_cast<size_t>(s.out_c) * k_len);
    const size_t out_n = static_cast<size_t>(p.out_h) * p.out_w * p.out_c;
    std::vector<int8_t> expected(out_n);
    ref_conv2d_s8(&p, mult.data(), shift.data(), input.data(), filter.data(), bias_ptr,
                  expected.data());

    const size_t scratch_n = nn_conv2d_s8_scratch_bytes(&p);
    EXPECT_LE(scratch_n, 4u * static_cast<size_t>(k_len) + 4u) << "more than two int16 columns";
    std::vector<int32_t> scratch_words((scratch_n + kGuard) / 4 + 1);
    auto* scratch = reinterpret_cast<int8_t*>(scratch_words.data());
    std::memset(scratch, kGuardByte, scratch_words.size() * 4);
    std::vector<int8_t> got(out_n + kGuard, kGuardByte);
    nn_conv2d_s8(&p, mult.data(), shift.data(), input.data(), filter.data(), bias_ptr, got.data(),
                 scratch);
    for (size_t i = scratch_n; i < scratch_words.size() * 4; ++i) {
      ASSERT_EQ(scratch[i], kGuardByte) << "scratch overrun at byte " << i;
    }
    ExpectGuard(got, out_n, "conv output");
    for (size_t i = 0; i < out_n; ++i) {
      ASSERT_EQ(got[i], expected[i]) << "output " << i << " (pixel " << i / p.out_c << ", channel "
                                     << i % p.out_c << ")";
    }
    ExpectVaried(expected, out_n);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Conv2d,
    ::testing::Values(
        // name, in_h, in_w, in_c, out_c, kh, kw, sh, sw, same
        ConvShape{"KwsConv0_10x4_s2_same", 49, 10, 1, 64, 10, 4, 2, 2, true},
        ConvShape{"K3x3_s1_same", 12, 12, 16, 24, 3, 3, 1, 1, true},
        ConvShape{"K3x3_s2_same_odd_in", 15, 15, 8, 16, 3, 3, 2, 2, true},
        ConvShape{"K3x3_s2_same_even_in", 16, 16, 8, 16, 3, 3, 2, 2, true},
        ConvShape{"K3x3_s1_valid", 10, 9, 12, 8, 3, 3, 1, 1, false},
        ConvShape{"K3x3_s2_in3_out10", 11, 9, 3, 10, 3, 3, 2, 2, true},
        ConvShape{"K3x3_s1_in5_out7", 7, 6, 5, 7, 3, 3, 1, 1, true},
        ConvShape{"K5x5_s1_same_in6", 9, 9, 6, 9, 5, 5, 1, 1, true},
        ConvShape{"K3x1_s1_same_in2", 8, 5, 2, 3, 3, 1, 1, 1, true},
        ConvShape{"Pointwise_kws_25x5x64_64", 25, 5, 64, 64, 1, 1, 1, 1, true},
        ConvShape{"Pointwise_odd_7_to_5", 5, 3, 7, 5, 1, 1, 1, 1, false},
        ConvShape{"Pointwise_single_pixel", 1, 1, 32, 12, 1, 1, 1, 1, false},
        ConvShape{"Pointwise_s2_general", 8, 8, 16, 8, 1, 1, 2, 2, true},
        ConvShape{"Resnet_3x3_s1_32_to_32", 8, 8, 32, 32, 3, 3, 1, 1, true}),
    [](const ::testing::TestParamInfo<ConvShape>& i) { return std::string(i.param.name); });

// ------------------------------------------------------------------------------- depthwise
class Depthwise : public ::testing::TestWithParam<ConvShape> {};

TEST_P(Depthwise, BitIdenticalToReference) {
  const ConvShape& s = GetParam();
  for (int trial = 0; trial < 6; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    Rng rng(7000u + 1000u * trial + static_cast<uint32_t>(s.in_c * 31 + s.kh * 3 + s.sh));
    nn_conv_params_t p = MakeGeometry(s, s.in_c);
    const int32_t k_len = s.kh * s.kw;
    std::vector<int32_t> mult, shift, bias;
    RandomQuant(rng, trial, k_len, s.in_c, &p, &mult, &shift, &bias);
    const int32_t* bias_ptr = trial == 1 ? nullptr : bias.data();
    const auto input = rng.Bytes(static_cast<size_t>(s.in_h) * s.in_w * s.in_c);
    const auto filter = rng.Bytes(static_cast<size_t>(k_len) * s.in_c);
    const size_t out_n = static_cast<size_t>(p.out_h) * p.out_w * p.out_c;
    std::vector<int8_t> expected(out_n);
    ref_depthwise_conv2d_s8(&p, mult.data(), shift.data(), input.data(), filter.data(), bias_ptr,
                            expected.data());
    const size_t scratch_n = nn_depthwise_conv2d_s8_scratch_bytes(&p);
    std::vector<int32_t> scratch((scratch_n + 3) / 4 + 1);
    std::vector<int8_t> got(out_n + kGuard, kGuardByte);
    nn_depthwise_conv2d_s8(&p, mult.data(), shift.data(), input.data(), filter.data(), bias_ptr,
                           got.data(), scratch.data());
    ExpectGuard(got, out_n, "depthwise output");
    for (size_t i = 0; i < out_n; ++i) {
      ASSERT_EQ(got[i], expected[i]) << "output " << i << " (pixel " << i / p.out_c << ", channel "
                                     << i % p.out_c << ")";
    }
    ExpectVaried(expected, out_n);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Depthwise,
    ::testing::Values(ConvShape{"Kws_3x3_s1_same_25x5x64", 25, 5, 64, 64, 3, 3, 1, 1, true},
                      ConvShape{"K3x3_s2_same_even", 16, 16, 32, 32, 3, 3, 2, 2, true},
                      ConvShape{"K3x3_s2_same_odd", 15, 13, 16, 16, 3, 3, 2, 2, true},
                      ConvShape{"K3x3_s1_same_c10", 9, 7, 10, 10, 3, 3, 1, 1, true},
                      ConvShape{"K3x3_s1_same_c3", 6, 6, 3, 3, 3, 3, 1, 1, true},
                      ConvShape{"K3x3_s1_valid_c8", 6, 7, 8, 8, 3, 3, 1, 1, false},
                      ConvShape{"K3x3_tiny_2x2_all_edges", 2, 2, 12, 12, 3, 3, 1, 1, true},
                      ConvShape{"K5x5_s1_same_c12_generic", 10, 8, 12, 12, 5, 5, 1, 1, true},
                      ConvShape{"K3x1_s1_same_c6_generic", 7, 4, 6, 6, 3, 1, 1, 1, true},
                      ConvShape{"K3x3_s2_same_c5", 9, 9, 5, 5, 3, 3, 2, 2, true}),
    [](const ::testing::TestParamInfo<ConvShape>& i) { return std::string(i.param.name); });

// ------------------------------------------------------------------------------- fully connected
struct FcShape {
  const char* name;
  int32_t in_len, out_len;
};
class FullyConnected : public ::testing::TestWithParam<FcShape> {};

TEST_P(FullyConnected, BitIdenticalToReference) {
  const FcShape& s = GetParam();
  for (int trial = 0; trial < 6; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    Rng rng(30000u + 1000u * trial + static_cast<uint32_t>(s.in_len * 3 + s.out_len));
    nn_conv_params_t q{};
    std::vector<int32_t> mult, shift, bias;
    RandomQuant(rng, trial, s.in_len, s.out_len, &q, &mult, &shift, &bias);
    nn_fc_params_t p{};
    p.in_len = s.in_len;
    p.out_len = s.out_len;
    p.input_offset = q.input_offset;
    p.output_offset = q.output_offset;
    p.multiplier = mult[0];
    p.shift = shift[0];
    p.act_min = q.act_min;
    p.act_max = q.act_max;
    const int32_t* bias_ptr = trial == 1 ? nullptr : bias.data();
    const auto input = rng.Bytes(s.in_len);
    const auto filter = rng.Bytes(static_cast<size_t>(s.in_len) * s.out_len);
    std::vector<int8_t> expected(s.out_len);
    ref_fully_connected_s8(&p, input.data(), filter.data(), bias_ptr, expected.data());
    std::vector<int32_t> scratch(nn_fully_connected_s8_scratch_bytes(&p) / 4 + 1);
    std::vector<int8_t> got(s.out_len + kGuard, kGuardByte);
    nn_fully_connected_s8(&p, input.data(), filter.data(), bias_ptr, got.data(), scratch.data());
    ExpectGuard(got, s.out_len, "fc output");
    for (int32_t i = 0; i < s.out_len; ++i) ASSERT_EQ(got[i], expected[i]) << "row " << i;
    if (s.out_len >= 12) ExpectVaried(expected, s.out_len);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, FullyConnected,
                         ::testing::Values(FcShape{"Fc640_128", 640, 128},
                                           FcShape{"Fc64_12", 64, 12},
                                           FcShape{"Fc250_odd_rows_11", 250, 11},
                                           FcShape{"Fc7_3", 7, 3}, FcShape{"Fc1_1", 1, 1},
                                           FcShape{"Fc129_33", 129, 33}),
                         [](const ::testing::TestParamInfo<FcShape>& i) {
                           return std::string(i.param.name);
                         });

// ------------------------------------------------------------------------------- add
// Independent TFLite int8 Add (gemmlowp SaturatingRoundingDoublingHighMul + RoundingDivideByPOT,
// MultiplyByQuantizedMultiplierSmallerThanOneExp), written from the TFLite sources' formulas.
int32_t Srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}
int32_t Rdbpot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
int32_t MbqmSmallerThanOne(int32_t x, int32_t m, int32_t shift) {
  return Rdbpot(Srdhm(x, m), -shift);
}
int8_t TfliteAdd(const nn_add_params_t& p, int8_t x1, int8_t x2) {
  const int32_t a = (x1 + p.input1_offset) * (1 << p.left_shift);
  const int32_t b = (x2 + p.input2_offset) * (1 << p.left_shift);
  const int32_t sa = MbqmSmallerThanOne(a, p.input1_multiplier, p.input1_shift);
  const int32_t sb = MbqmSmallerThanOne(b, p.input2_multiplier, p.input2_shift);
  int32_t r = MbqmSmallerThanOne(sa + sb, p.output_multiplier, p.output_shift) + p.output_offset;
  r = std::max(p.act_min, std::min(p.act_max, r));
  return static_cast<int8_t>(r);
}

// Hand-computed: scales s1 = s2 = 2 * s_out, both zero points 0 (offsets 0), output zp 0.
// TFLite: twice_max = 2 * max(s1, s2) = 4 s_out; real_input_multiplier = s1 / twice_max = 0.5
// -> (2^30, shift 0); real_output_multiplier = twice_max / (2^20 * s_out) = 4 / 2^20
// -> (2^30, shift -17) [0.5 * 2^-17 * 2^-1... 4 / 2^20 = 2^-18 = 0.5 * 2^-17].
// x1 = 3, x2 = 4: a = 3 << 20, sa = 3 << 19; sb = 4 << 19; sum = 7 << 19; out = 7 << 19 * 2^-18
// = 14 -> 3 * 2 + 4 * 2 = 14. x1 = -5, x2 = 1: (-5 + 1) * 2 = -8.
TEST(Add, HandComputed) {
  nn_add_params_t p{};
  p.length = 2;
  p.left_shift = 20;
  p.input1_multiplier = p.input2_multiplier = 1 << 30;
  p.input1_shift = p.input2_shift = 0;
  p.output_multiplier = 1 << 30;
  p.output_shift = -17;
  p.act_min = -128;
  p.act_max = 127;
  const int8_t in1[2] = {3, -5};
  const int8_t in2[2] = {4, 1};
  int8_t out[2] = {0, 0};
  nn_add_s8(&p, in1, in2, out);
  EXPECT_EQ(out[0], 14);
  EXPECT_EQ(out[1], -8);
}

TEST(Add, MatchesTfliteFormulaOnRandomTensors) {
  for (int trial = 0; trial < 20; ++trial) {
    Rng rng(50000u + trial);
    nn_add_params_t p{};
    p.length = rng.Uniform(1, 700);
    p.input1_offset = rng.Uniform(-127, 128);
    p.input2_offset = rng.Uniform(-127, 128);
    p.output_offset = rng.Uniform(-128, 127);
    p.left_shift = 20;
    p.input1_multiplier = rng.Uniform(1 << 30, INT32_MAX);
    p.input2_multiplier = rng.Uniform(1 << 30, INT32_MAX);
    p.input1_shift = rng.Uniform(-3, 0);
    p.input2_shift = rng.Uniform(-3, 0);
    p.output_multiplier = rng.Uniform(1 << 30, INT32_MAX);
    p.output_shift = rng.Uniform(-21, -17);
    p.act_min = trial % 3 == 0 ? p.output_offset : -128;
    p.act_max = 127;
    const auto in1 = rng.Bytes(p.length);
    const auto in2 = rng.Bytes(p.length);
    std::vector<int8_t> got(p.length + kGuard, kGuardByte);
    nn_add_s8(&p, in1.data(), in2.data(), got.data());
    ExpectGuard(got, p.length, "add output");
    for (int32_t i = 0; i < p.length; ++i) {
      ASSERT_EQ(got[i], TfliteAdd(p, in1[i], in2[i])) << "trial " << trial << " element " << i;
    }
  }
}

// ------------------------------------------------------------------------------- the rest
TEST(Library, NameAndForwardedOps) {
  EXPECT_STREQ(nn_library_name(), "optimized");
  // average pool and softmax forward to the reference kernels: same bytes out.
  Rng rng(99);
  nn_conv_params_t p{};
  p.in_h = 25;
  p.in_w = 5;
  p.in_c = 64;
  p.out_h = p.out_w = 1;
  p.out_c = 64;
  p.kernel_h = 25;
  p.kernel_w = 5;
  p.stride_h = p.stride_w = 1;
  p.act_min = -128;
  p.act_max = 127;
  const auto in = rng.Bytes(25 * 5 * 64);
  std::vector<int8_t> a(64), b(64);
  ref_avgpool_s8(&p, in.data(), a.data());
  nn_avgpool_s8(&p, in.data(), b.data());
  EXPECT_EQ(a, b);
  const auto logits = rng.Bytes(12);
  std::vector<int8_t> sa(12), sb(12);
  ref_softmax_s8(logits.data(), 1, 12, 1 << 30, 23, -248, sa.data());
  nn_softmax_s8(logits.data(), 1, 12, 1 << 30, 23, -248, sb.data());
  EXPECT_EQ(sa, sb);
}

TEST(Library, ScratchSizes) {
  nn_conv_params_t p{};
  p.kernel_h = 10;
  p.kernel_w = 4;
  p.in_c = 1;
  EXPECT_EQ(nn_conv2d_s8_scratch_bytes(&p), 2u * 40u * 2u);  // two int16 columns of K = 40
  p.kernel_h = p.kernel_w = 3;
  p.in_c = 3;
  EXPECT_EQ(nn_conv2d_s8_scratch_bytes(&p), 2u * 28u * 2u);  // K = 27 rounded up to 28
  EXPECT_EQ(nn_depthwise_conv2d_s8_scratch_bytes(&p), 0u);
  nn_fc_params_t f{};
  f.in_len = 640;
  f.out_len = 128;
  EXPECT_EQ(nn_fully_connected_s8_scratch_bytes(&f), 0u);
}

}  // namespace
