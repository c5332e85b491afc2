// The generic parameter generator (workloads/net/net_generator.cpp): determinism, quantization
// conventions (mlperf-tiny.md 1.1), scales that use the int8 range, ROI labels, arena plan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "kws_model.h"
#include "net_generator.h"
#include "net_reference.h"

namespace {

using mcusim::net::AllModels;
using mcusim::net::GenerateParams;
using mcusim::net::NetParams;

TEST(NetGenerator, DeterministicAndSeedSensitive) {
  for (const net_model_t* m : AllModels()) {
    const NetParams a = GenerateParams(*m), b = GenerateParams(*m), c = GenerateParams(*m, 1);
    EXPECT_EQ(a.seed, m->default_seed);
    EXPECT_EQ(a.input, b.input) << m->task;
    EXPECT_EQ(a.layers[0].weights, b.layers[0].weights) << m->task;
    EXPECT_EQ(a.layers[0].multiplier, b.layers[0].multiplier) << m->task;
    EXPECT_NE(a.input, c.input) << m->task;
    EXPECT_NE(a.layers[0].weights, c.layers[0].weights) << m->task;
  }
}

TEST(NetGenerator, QuantizationConventions) {
  for (const net_model_t* m : AllModels()) {
    const NetParams p = GenerateParams(*m);
    EXPECT_EQ(p.layers[0].input.zero_point, m->input_zero_point) << m->task;
    EXPECT_FLOAT_EQ(p.layers[0].input.scale, m->input_scale) << m->task;
    for (int32_t i = 0; i < m->num_layers; ++i) {
      const net_layer_t& l = m->layers[i];
      const auto& q = p.layers[i];
      const size_t channels = static_cast<size_t>(net_layer_quant_channels(&l));
      switch (l.op) {
        case NET_OP_CONV_2D:
        case NET_OP_DEPTHWISE_CONV_2D:  // per output channel, and the scales differ
          EXPECT_EQ(q.weight_scales.size(), static_cast<size_t>(l.out.c)) << l.name;
          EXPECT_NE(q.weight_scales[0], q.weight_scales[1]) << l.name;
          break;
        case NET_OP_FULLY_CONNECTED:  // per tensor
          EXPECT_EQ(channels, 1u);
          EXPECT_EQ(q.weight_scales.size(), 1u) << l.name;
          break;
        case NET_OP_SOFTMAX:
          EXPECT_FLOAT_EQ(q.output.scale, 1.0f / 256.0f);
          EXPECT_EQ(q.output.zero_point, -128);
          break;
        case NET_OP_ADD:  // TFLite QuantizeMultiplierSmallerThanOneExp: shift <= 0
          for (int32_t s : {q.add_input1_shift, q.add_input2_shift, q.add_output_shift}) {
            EXPECT_LE(s, 0) << l.name;
          }
          EXPECT_GE(q.add_input1_multiplier, 1 << 30) << l.name;
          EXPECT_GE(q.add_output_multiplier, 1 << 30) << l.name;
          // The larger input scale maps to exactly 1/2 = (1 << 30, shift 0).
          EXPECT_TRUE(q.add_input1_shift == 0 || q.add_input2_shift == 0) << l.name;
          break;
        default:
          break;
      }
      if (l.act == NET_ACT_RELU) {
        EXPECT_EQ(q.act_min, std::max(-128, q.output.zero_point));
      }
    }
  }
}

// Scales put the activations to use: few saturate at 127, not everything sits at the ReLU floor,
// and many distinct levels appear; the network output is not degenerate.
TEST(NetGenerator, ActivationsUseTheInt8Range) {
  for (const net_model_t* m : AllModels()) {
    const NetParams p = GenerateParams(*m);
    const auto outs = mcusim::net::ReferenceForward(p);
    for (int32_t i = 0; i < m->num_layers; ++i) {
      const net_layer_t& l = m->layers[i];
      if (l.op == NET_OP_SOFTMAX || l.op == NET_OP_RESHAPE) continue;
      const auto& v = outs[i];
      const auto n = static_cast<double>(v.size());
      const auto sat = std::count(v.begin(), v.end(), 127);
      const auto floor = std::count(v.begin(), v.end(), static_cast<int8_t>(p.layers[i].act_min));
      const std::set<int8_t> distinct(v.begin(), v.end());
      EXPECT_LT(sat / n, 0.03) << m->task << " " << l.name;
      EXPECT_LT(floor / n, 0.8) << m->task << " " << l.name;
      EXPECT_GE(distinct.size(), std::min<size_t>(32, v.size() / 4)) << m->task << " " << l.name;
    }
    const auto& out = outs.back();
    const std::set<int8_t> levels(out.begin(), out.end());
    EXPECT_GE(levels.size(), std::max<size_t>(2, std::min<size_t>(64, out.size() / 3))) << m->task;
  }
}

TEST(NetGenerator, LayerLabelsHaveTheRoiFormat) {
  for (const net_model_t* m : AllModels()) {
    for (int32_t i = 0; i < m->num_layers; ++i) {
      const net_layer_t& l = m->layers[i];
      char expect[160];
      std::snprintf(expect, sizeof expect, "name=%s op=%s out=%dx%dx%d macs=%d", l.name,
                    net_op_name(l.op), static_cast<int>(l.out.h), static_cast<int>(l.out.w),
                    static_cast<int>(l.out.c), static_cast<int>(net_layer_macs(&l)));
      EXPECT_EQ(mcusim::net::LayerLabel(l), expect);
    }
  }
  EXPECT_EQ(mcusim::net::LayerLabel(kws_layers[0]),
            "name=conv0 op=CONV_2D out=25x5x64 macs=320000");
}

// Tensors that are live at the same time never share bytes; everything fits the plan's size.
TEST(NetGenerator, ArenaPlanHasNoOverlapOfLiveTensors) {
  for (const net_model_t* m : AllModels()) {
    const auto plan = mcusim::net::PlanArena(*m);
    const int32_t n = m->num_layers;
    // Tensor t = -1 (input) or a layer; live from its producer's step to its last reader's step.
    struct T {
      uint32_t lo, hi;
      int32_t birth, death;
    };
    std::vector<T> ts;
    auto last_use = [&](int32_t t) {
      int32_t d = t + 1;
      for (int32_t i = 0; i < n; ++i) {
        for (int w = 0; w < 2; ++w) {
          int32_t s = net_layer_src(m, i, w);
          while (s >= 0 && m->layers[s].op == NET_OP_RESHAPE) s = net_layer_src(m, s, 0);
          if (s == t) d = std::max(d, i + 1);
        }
      }
      return t == n - 1 ? n + 1 : d;
    };
    const uint32_t in_size = static_cast<uint32_t>(net_shape_elems(m->input_shape));
    ts.push_back({plan.input_offset, plan.input_offset + in_size, 0, last_use(NET_INPUT)});
    for (int32_t i = 0; i < n; ++i) {
      if (m->layers[i].op == NET_OP_RESHAPE) continue;
      const uint32_t size = static_cast<uint32_t>(net_shape_elems(m->layers[i].out));
      ts.push_back({plan.out_offset[i], plan.out_offset[i] + size, i + 1, last_use(i)});
      EXPECT_EQ(plan.out_offset[i] % 16, 0u);
    }
    for (size_t a = 0; a < ts.size(); ++a) {
      EXPECT_LE(ts[a].hi, plan.activation_bytes) << m->task;
      for (size_t b = a + 1; b < ts.size(); ++b) {
        const bool live_together = ts[a].birth <= ts[b].death && ts[b].birth <= ts[a].death;
        const bool share = ts[a].lo < ts[b].hi && ts[b].lo < ts[a].hi;
        EXPECT_FALSE(live_together && share) << m->task << " tensors " << a << " " << b;
      }
    }
  }
}

}  // namespace
