// The firmware's C kernels (reference-firmware/kernels, compiled for the host) against the
// independent host reference (workloads/kws/host_reference.cpp), bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "host_reference.h"
#include "kws_generator.h"
#include "kws_net.h"
#include "kws_params.h"  // the generated kws_params.c, host copy
#include "ref_kernels.h"

namespace {

using mcusim::kws::GenerateKwsParams;
using mcusim::kws::KwsParams;
using mcusim::kws::LayerQuant;
using mcusim::kws::ReferenceForward;

ref_conv_params_t ConvParams(const kws_layer_t& l, const LayerQuant& q) {
  ref_conv_params_t p{};
  p.in_h = l.in.h;
  p.in_w = l.in.w;
  p.in_c = l.in.c;
  p.out_h = l.out.h;
  p.out_w = l.out.w;
  p.out_c = l.out.c;
  p.kernel_h = l.kernel_h;
  p.kernel_w = l.kernel_w;
  p.stride_h = l.stride_h;
  p.stride_w = l.stride_w;
  p.pad_top = kws_pad_top(&l);
  p.pad_left = kws_pad_left(&l);
  p.input_offset = -q.input.zero_point;
  p.output_offset = q.output.zero_point;
  p.act_min = q.act_min;
  p.act_max = q.act_max;
  return p;
}

// Runs one layer with the firmware kernels, from the in-memory (C++) parameters.
std::vector<int8_t> RunKernel(const kws_layer_t& l, const LayerQuant& q,
                              const std::vector<int8_t>& in) {
  std::vector<int8_t> out(kws_shape_elems(l.out));
  switch (l.op) {
    case KWS_OP_CONV_2D: {
      const auto p = ConvParams(l, q);
      ref_conv2d_s8(&p, q.multiplier.data(), q.shift.data(), in.data(), q.weights.data(),
                    q.bias.data(), out.data());
      break;
    }
    case KWS_OP_DEPTHWISE_CONV_2D: {
      const auto p = ConvParams(l, q);
      ref_depthwise_conv2d_s8(&p, q.multiplier.data(), q.shift.data(), in.data(), q.weights.data(),
                              q.bias.data(), out.data());
      break;
    }
    case KWS_OP_AVERAGE_POOL_2D: {
      const auto p = ConvParams(l, q);
      ref_avgpool_s8(&p, in.data(), out.data());
      break;
    }
    case KWS_OP_RESHAPE:
      out = in;
      break;
    case KWS_OP_FULLY_CONNECTED: {
      ref_fc_params_t p{};
      p.in_len = kws_shape_elems(l.in);
      p.out_len = l.out.c;
      p.input_offset = -q.input.zero_point;
      p.output_offset = q.output.zero_point;
      p.multiplier = q.multiplier[0];
      p.shift = q.shift[0];
      p.act_min = q.act_min;
      p.act_max = q.act_max;
      ref_fully_connected_s8(&p, in.data(), q.weights.data(), q.bias.data(), out.data());
      break;
    }
    case KWS_OP_SOFTMAX:
      ref_softmax_s8(in.data(), 1, l.out.c, q.softmax_input_multiplier, q.softmax_input_left_shift,
                     q.softmax_diff_min, out.data());
      break;
  }
  return out;
}

// Each layer fed with the reference's own input for that layer, so a mismatch is pinned to the
// layer that causes it.
void CheckLayerByLayer(const KwsParams& params) {
  const auto ref = ReferenceForward(params);
  ASSERT_EQ(ref.size(), static_cast<size_t>(KWS_NUM_LAYERS));
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const auto& in = i == 0 ? params.input : ref[i - 1];
    const auto out = RunKernel(kws_layers[i], params.layers[i], in);
    ASSERT_EQ(out, ref[i]) << "layer " << i << " " << kws_layers[i].name << " seed 0x" << std::hex
                           << params.seed;
  }
}

TEST(KwsKernels, LayerByLayerMatchReference) {
  CheckLayerByLayer(GenerateKwsParams());
}

TEST(KwsKernels, LayerByLayerMatchReferenceOtherSeeds) {
  for (uint64_t seed : {1ull, 2ull, 0xdeadbeefull, 0x123456789abcdefull}) {
    CheckLayerByLayer(GenerateKwsParams(seed));
  }
}

// The firmware's own inference driver (tasks/kws/kws_net.c) on the generated kws_params.c.
TEST(KwsKernels, FirmwareDriverMatchesKwsReferenceScores) {
  std::vector<int8_t> arena(KWS_ARENA_BYTES, 0x55);
  std::copy(kws_input, kws_input + KWS_INPUT_SIZE, arena.begin());
  const int8_t* scores = kws_infer(arena.data());
  const std::vector<int8_t> fw(scores, scores + KWS_NUM_CLASSES);
  const std::vector<int8_t> ref = kws_reference_scores();
  ASSERT_EQ(ref.size(), static_cast<size_t>(KWS_NUM_CLASSES));
  EXPECT_EQ(fw, ref);
  // Not degenerate.
  EXPECT_NE(*std::max_element(ref.begin(), ref.end()), *std::min_element(ref.begin(), ref.end()));
  std::string line = "kws01 scores:";
  for (int8_t v : fw) {
    line += ' ';
    line += std::to_string(v);
  }
  std::printf("%s\n", line.c_str());
}

TEST(KwsSoftmax, FirmwareMatchesReferenceOnRandomRows) {
  mcusim::kws::SplitMix64 rng(7);
  for (int t = 0; t < 20000; ++t) {
    LayerQuant q;
    const float scale = static_cast<float>(0.005 + 0.3 * rng.Uniform());
    mcusim::kws::SoftmaxParams(1.0, scale, &q.softmax_input_multiplier, &q.softmax_input_left_shift,
                               &q.softmax_diff_min);
    const int n = rng.UniformInt(1, 16);
    std::vector<int8_t> row(n);
    const int lo = rng.UniformInt(-128, 127);
    const int hi = rng.UniformInt(lo, 127);
    for (auto& v : row) v = static_cast<int8_t>(rng.UniformInt(lo, hi));
    std::vector<int8_t> out(n);
    ref_softmax_s8(row.data(), 1, n, q.softmax_input_multiplier, q.softmax_input_left_shift,
                   q.softmax_diff_min, out.data());
    ASSERT_EQ(out, mcusim::kws::ReferenceSoftmax(q, row)) << "trial " << t;
  }
}

TEST(KwsSoftmax, UniformRowIsOneTwelfth) {
  LayerQuant q;
  mcusim::kws::SoftmaxParams(1.0, 0.1, &q.softmax_input_multiplier, &q.softmax_input_left_shift,
                             &q.softmax_diff_min);
  std::vector<int8_t> row(12, 5), out(12);
  ref_softmax_s8(row.data(), 1, 12, q.softmax_input_multiplier, q.softmax_input_left_shift,
                 q.softmax_diff_min, out.data());
  for (int8_t v : out) EXPECT_EQ(v, -128 + 21);  // 256 / 12 = 21.33
}

// The generated C file carries exactly the generator's in-memory parameters.
TEST(KwsGenerator, GeneratedCMatchesInMemoryParams) {
  const KwsParams p = GenerateKwsParams();
  EXPECT_EQ(std::vector<int8_t>(kws_input, kws_input + KWS_INPUT_SIZE), p.input);
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const LayerQuant& q = p.layers[i];
    const kws_layer_qparams_t& c = kws_qparams[i];
    EXPECT_EQ(c.input_zero_point, q.input.zero_point) << i;
    EXPECT_EQ(c.output_zero_point, q.output.zero_point) << i;
    EXPECT_EQ(c.act_min, q.act_min) << i;
    EXPECT_EQ(c.act_max, q.act_max) << i;
    EXPECT_EQ(c.softmax_input_multiplier, q.softmax_input_multiplier) << i;
    EXPECT_EQ(c.softmax_input_left_shift, q.softmax_input_left_shift) << i;
    EXPECT_EQ(c.softmax_diff_min, q.softmax_diff_min) << i;
    ASSERT_EQ(c.weights != nullptr, !q.weights.empty()) << i;
    if (!c.weights) continue;
    const int nq = kws_layer_quant_channels(&kws_layers[i]);
    EXPECT_EQ(std::vector<int8_t>(c.weights, c.weights + q.weights.size()), q.weights) << i;
    EXPECT_EQ(std::vector<int32_t>(c.bias, c.bias + q.bias.size()), q.bias) << i;
    EXPECT_EQ(std::vector<int32_t>(c.multiplier, c.multiplier + nq), q.multiplier) << i;
    EXPECT_EQ(std::vector<int32_t>(c.shift, c.shift + nq), q.shift) << i;
    EXPECT_EQ(static_cast<int>(q.weights.size()), kws_layer_weight_count(&kws_layers[i]));
  }
}

TEST(KwsGenerator, DeterministicAndSeedSensitive) {
  const KwsParams a = GenerateKwsParams(), b = GenerateKwsParams(), c = GenerateKwsParams(1);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.layers[2].weights, b.layers[2].weights);
  EXPECT_EQ(a.layers[2].multiplier, b.layers[2].multiplier);
  EXPECT_NE(a.input, c.input);
  EXPECT_NE(a.layers[2].weights, c.layers[2].weights);
  EXPECT_EQ(a.layers[0].input.zero_point, KWS_INPUT_ZERO_POINT);
  EXPECT_FLOAT_EQ(a.layers[0].input.scale, 0.5847029f);
  EXPECT_FLOAT_EQ(a.layers[12].output.scale, 1.0f / 256.0f);
  EXPECT_EQ(a.layers[12].output.zero_point, -128);
  // Per-channel scales for CONV/DW (and they differ), per-tensor for FC.
  EXPECT_EQ(a.layers[0].weight_scales.size(), 64u);
  EXPECT_EQ(a.layers[1].weight_scales.size(), 64u);
  EXPECT_NE(a.layers[0].weight_scales[0], a.layers[0].weight_scales[1]);
  EXPECT_EQ(a.layers[11].weight_scales.size(), 1u);
}

// Scales put the activations to use: few saturate at 127, not everything sits at the ReLU floor,
// and many distinct levels appear.
TEST(KwsGenerator, ActivationsUseTheInt8Range) {
  const KwsParams p = GenerateKwsParams();
  const auto outs = ReferenceForward(p);
  for (int i = 0; i <= 8; ++i) {
    const auto& v = outs[i];
    const auto n = static_cast<double>(v.size());
    const auto sat = std::count(v.begin(), v.end(), 127);
    const auto floor = std::count(v.begin(), v.end(), static_cast<int8_t>(p.layers[i].act_min));
    const std::set<int8_t> distinct(v.begin(), v.end());
    EXPECT_LT(sat / n, 0.02) << kws_layers[i].name;
    EXPECT_LT(floor / n, 0.75) << kws_layers[i].name;
    EXPECT_GT(distinct.size(), 64u) << kws_layers[i].name;
  }
  const std::set<int8_t> logits(outs[11].begin(), outs[11].end());
  EXPECT_GT(logits.size(), 6u);
}

TEST(KwsGenerator, LayerLabelsHaveTheRoiFormat) {
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const kws_layer_t& l = kws_layers[i];
    char expect[160];
    std::snprintf(expect, sizeof expect, "name=%s op=%s out=%dx%dx%d macs=%d", l.name,
                  kws_op_name(l.op), static_cast<int>(l.out.h), static_cast<int>(l.out.w),
                  static_cast<int>(l.out.c), static_cast<int>(kws_layer_macs(&l)));
    EXPECT_STREQ(kws_layer_labels[i], expect);
  }
  EXPECT_STREQ(kws_layer_labels[0], "name=conv0 op=CONV_2D out=25x5x64 macs=320000");
}

}  // namespace
