// int8 ADD (TFLite int8 Add, left_shift 20): hand-computed cases for the reference kernel
// (ref_add_s8 and nn_add_s8 of the reference library) and the host reference, plus a randomized
// cross-check between kernel and host reference.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "net_generator.h"
#include "net_reference.h"
#include "nn_kernels.h"
#include "ref_kernels.h"

namespace {

using mcusim::net::LayerQuant;

// Scales s1 = s2 = 0.5, output 1.0: twice_max = 1.0, input multipliers 0.5 = (1<<30, shift 0),
// output multiplier 1 / (2^20 * 1.0) = 2^-20 = (1<<30, shift -19).
LayerQuant EqualScales() {
  LayerQuant q;
  q.add_input1_multiplier = q.add_input2_multiplier = q.add_output_multiplier = 1 << 30;
  q.add_input1_shift = q.add_input2_shift = 0;
  q.add_output_shift = -19;
  return q;
}

ref_add_params_t ToRef(const LayerQuant& q, int32_t n) {
  ref_add_params_t p{};
  p.length = n;
  p.input1_offset = -q.input.zero_point;
  p.input2_offset = -q.input2.zero_point;
  p.output_offset = q.output.zero_point;
  p.left_shift = 20;
  p.input1_multiplier = q.add_input1_multiplier;
  p.input1_shift = q.add_input1_shift;
  p.input2_multiplier = q.add_input2_multiplier;
  p.input2_shift = q.add_input2_shift;
  p.output_multiplier = q.add_output_multiplier;
  p.output_shift = q.add_output_shift;
  p.act_min = q.act_min;
  p.act_max = q.act_max;
  return p;
}

std::vector<int8_t> RunRef(const LayerQuant& q, const std::vector<int8_t>& a,
                           const std::vector<int8_t>& b) {
  std::vector<int8_t> out(a.size());
  const ref_add_params_t p = ToRef(q, static_cast<int32_t>(a.size()));
  ref_add_s8(&p, a.data(), b.data(), out.data());
  return out;
}

// Both implementations must give `expect` for every case.
void ExpectAll(const LayerQuant& q, const std::vector<int8_t>& a, const std::vector<int8_t>& b,
               const std::vector<int8_t>& expect) {
  EXPECT_EQ(RunRef(q, a, b), expect);
  EXPECT_EQ(mcusim::net::ReferenceAdd(q, a, b), expect);
}

// 10 * 0.5 + 7 * 0.5 = 8.5 -> 9: x1 = 10 << 20, SRDHM(x1, 2^30) = 5 * 2^20; x2 -> 3.5 * 2^20;
// sum 8.5 * 2^20; SRDHM(sum, 2^30) = 4456448; RoundingDivideByPOT(4456448, 19) = 8.5 -> 9 (ties
// away from zero), and -8.5 -> -9. 2 + 2 -> 2 exactly; 0 + 1 -> 0.5 -> 1.
TEST(AddKernel, EqualScalesHandValues) {
  const LayerQuant q = EqualScales();
  ExpectAll(q, {10, -10, 2, 0, 127, -128}, {7, -7, 2, 1, 127, -128}, {9, -9, 2, 1, 127, -128});
}

// Offsets: input zero points 5 and -3 shift the integer values before scaling, output zp 20.
// (15 - 5) * 0.5 + (4 + 3) * 0.5 = 8.5 -> 9, + 20 = 29.
TEST(AddKernel, ZeroPointsAndOutputOffset) {
  LayerQuant q = EqualScales();
  q.input.zero_point = 5;
  q.input2.zero_point = -3;
  q.output.zero_point = 20;
  ExpectAll(q, {15, 5}, {4, -3}, {29, 20});
}

// Fused ReLU: clamp at the output zero point (act_min = zp = 3); saturation at 127.
// -10 * 0.5 + -7 * 0.5 = -8.5 -> -9, + 3 = -6 -> clamped to 3. 120 + 100 -> 110 + 3 = 113.
// 127 * 0.5 + 127 * 0.5 = 127, + 3 = 130 -> 127.
TEST(AddKernel, ActivationClamp) {
  LayerQuant q = EqualScales();
  q.output.zero_point = 3;
  q.act_min = 3;
  ExpectAll(q, {-10, 120, 127}, {-7, 100, 127}, {3, 113, 127});
}

// Different scales s1 = 0.25, s2 = 0.5, output 0.5: input multipliers 0.25 = (1<<30, -1) and
// 0.5 = (1<<30, 0), output 1 / (2^20 * 0.5) = 2^-19 = (1<<30, -18).
// 6 * 0.25 + 3 * 0.5 = 3.0 -> 6 at scale 0.5; 1 * 0.25 + 0 = 0.25 -> 0.5 -> 1 (tie away);
// -1 * 0.25 -> -1.
TEST(AddKernel, DifferentScales) {
  LayerQuant q = EqualScales();
  q.add_input1_shift = -1;
  q.add_output_shift = -18;
  ExpectAll(q, {6, 1, -1}, {3, 0, 0}, {6, 1, -1});
}

TEST(AddKernel, ReferenceLibraryForwardsToRefAdd) {
  const LayerQuant q = EqualScales();
  const std::vector<int8_t> a = {10, -10, 3}, b = {7, -7, -100};
  const ref_add_params_t r = ToRef(q, 3);
  nn_add_params_t p{};
  p.length = r.length;
  p.input1_offset = r.input1_offset;
  p.input2_offset = r.input2_offset;
  p.output_offset = r.output_offset;
  p.left_shift = r.left_shift;
  p.input1_multiplier = r.input1_multiplier;
  p.input1_shift = r.input1_shift;
  p.input2_multiplier = r.input2_multiplier;
  p.input2_shift = r.input2_shift;
  p.output_multiplier = r.output_multiplier;
  p.output_shift = r.output_shift;
  p.act_min = r.act_min;
  p.act_max = r.act_max;
  std::vector<int8_t> out(3);
  nn_add_s8(&p, a.data(), b.data(), out.data());
  EXPECT_EQ(out, RunRef(q, a, b));
}

// Random scales through the generator's quantization (TFLite Add Prepare), random tensors.
TEST(AddKernel, KernelMatchesHostReferenceOnRandomParams) {
  mcusim::net::SplitMix64 rng(99);
  for (int t = 0; t < 2000; ++t) {
    LayerQuant q;
    const float s1 = static_cast<float>(0.01 + rng.Uniform()), s2 = static_cast<float>(0.01 + rng.Uniform());
    const float so = static_cast<float>(0.01 + 2.0 * rng.Uniform());
    const double twice_max = 2.0 * std::max(s1, s2);
    int shift = 0;
    mcusim::net::QuantizeMultiplier(s1 / twice_max, &q.add_input1_multiplier, &shift);
    q.add_input1_shift = shift;
    mcusim::net::QuantizeMultiplier(s2 / twice_max, &q.add_input2_multiplier, &shift);
    q.add_input2_shift = shift;
    mcusim::net::QuantizeMultiplier(twice_max / ((1 << 20) * static_cast<double>(so)),
                                    &q.add_output_multiplier, &shift);
    q.add_output_shift = shift;
    q.input.zero_point = rng.UniformInt(-128, 127);
    q.input2.zero_point = rng.UniformInt(-128, 127);
    q.output.zero_point = rng.UniformInt(-128, 127);
    q.act_min = rng.Uniform() < 0.5 ? -128 : q.output.zero_point;
    std::vector<int8_t> a(64), b(64);
    for (auto& v : a) v = static_cast<int8_t>(rng.UniformInt(-128, 127));
    for (auto& v : b) v = static_cast<int8_t>(rng.UniformInt(-128, 127));
    ASSERT_EQ(RunRef(q, a, b), mcusim::net::ReferenceAdd(q, a, b)) << "trial " << t;
  }
}

}  // namespace
