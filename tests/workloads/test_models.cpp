// The four network descriptions (workloads/<task>/<task>_model.h) against
// /work/shared/reference/mlperf-tiny.md section 1: totals are computed from the descriptions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

#include "ad_model.h"
#include "ic_model.h"
#include "kws_model.h"
#include "net_generator.h"
#include "vww_model.h"

namespace {

struct Totals {
  int64_t macs = 0, params = 0;
};

Totals Sum(const net_model_t& m) {
  Totals t;
  for (int32_t i = 0; i < m.num_layers; ++i) {
    t.macs += net_layer_macs(&m.layers[i]);
    t.params += net_layer_params(&m.layers[i]);
  }
  return t;
}

std::map<std::string, int> OpCounts(const net_model_t& m) {
  std::map<std::string, int> n;
  for (int32_t i = 0; i < m.num_layers; ++i) ++n[net_op_name(m.layers[i].op)];
  return n;
}

// mlperf-tiny.md 1.1 table, "MACs" and "Parameters" rows.
TEST(NetModels, MacAndParameterTotalsMatchMlperfTinyDoc) {
  EXPECT_EQ(Sum(kws_model).macs, 2656768);
  EXPECT_EQ(Sum(kws_model).params, 22604);
  EXPECT_EQ(Sum(vww_model).macs, 7489664);
  EXPECT_EQ(Sum(vww_model).params, 210850);
  EXPECT_EQ(Sum(ic_model).macs, 12501632);
  EXPECT_EQ(Sum(ic_model).params, 77706);
  EXPECT_EQ(Sum(ad_model).macs, 264192);
  EXPECT_EQ(Sum(ad_model).params, 265864);
}

// mlperf-tiny.md 1.1 "TFLite ops (count)" row.
TEST(NetModels, OperatorCountsMatchMlperfTinyDoc) {
  using M = std::map<std::string, int>;
  EXPECT_EQ(OpCounts(kws_model), (M{{"CONV_2D", 5}, {"DEPTHWISE_CONV_2D", 4}, {"AVERAGE_POOL_2D", 1},
                                    {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}}));
  EXPECT_EQ(OpCounts(vww_model), (M{{"CONV_2D", 14}, {"DEPTHWISE_CONV_2D", 13},
                                    {"AVERAGE_POOL_2D", 1}, {"RESHAPE", 1},
                                    {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}}));
  EXPECT_EQ(OpCounts(ic_model), (M{{"CONV_2D", 9}, {"ADD", 3}, {"AVERAGE_POOL_2D", 1},
                                   {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}}));
  EXPECT_EQ(OpCounts(ad_model), (M{{"FULLY_CONNECTED", 10}}));
}

// Selected per-layer rows of mlperf-tiny.md 1.2-1.5 (MACs, params).
TEST(NetModels, PerLayerNumbersMatchDocTables) {
  EXPECT_EQ(net_layer_macs(&kws_layers[0]), 320000);
  EXPECT_EQ(net_layer_params(&kws_layers[0]), 2624);
  EXPECT_EQ(net_layer_macs(&kws_layers[1]), 72000);
  EXPECT_EQ(net_layer_macs(&kws_layers[2]), 512000);
  EXPECT_EQ(net_layer_params(&kws_layers[11]), 780);
  EXPECT_EQ(net_layer_macs(&vww_layers[0]), 497664);
  EXPECT_EQ(net_layer_params(&vww_layers[0]), 224);
  EXPECT_EQ(net_layer_macs(&vww_layers[3]), 82944);
  EXPECT_EQ(net_layer_macs(&vww_layers[23]), 10368);
  EXPECT_EQ(net_layer_params(&vww_layers[26]), 65792);
  EXPECT_EQ(net_layer_macs(&vww_layers[29]), 512);
  EXPECT_EQ(net_layer_params(&vww_layers[29]), 514);
  EXPECT_EQ(net_layer_macs(&ic_layers[0]), 442368);
  EXPECT_EQ(net_layer_macs(&ic_layers[4]), 1179648);
  EXPECT_EQ(net_layer_macs(&ic_layers[6]), 131072);
  EXPECT_EQ(net_layer_params(&ic_layers[6]), 544);
  EXPECT_EQ(net_layer_params(&ic_layers[10]), 2112);
  EXPECT_EQ(net_layer_params(&ic_layers[14]), 650);
  EXPECT_EQ(net_layer_params(&ad_layers[0]), 82048);
  EXPECT_EQ(net_layer_params(&ad_layers[4]), 1032);
  EXPECT_EQ(net_layer_params(&ad_layers[5]), 1152);
  EXPECT_EQ(net_layer_params(&ad_layers[9]), 82560);
}

// Every layer's input shape is its producer's output shape; conv/pool output sizes follow TFLite
// SAME/VALID arithmetic; channel-preserving ops keep the channel count.
TEST(NetModels, ShapesChainAndFollowTflitePadding) {
  for (const net_model_t* m : mcusim::net::AllModels()) {
    for (int32_t i = 0; i < m->num_layers; ++i) {
      const net_layer_t& l = m->layers[i];
      for (int which = 0; which < 2; ++which) {
        const int32_t src = net_layer_src(m, i, which);
        if (src == NET_NONE) {
          EXPECT_TRUE(which == 1 && l.op != NET_OP_ADD) << m->task << " " << l.name;
          continue;
        }
        ASSERT_LT(src, i) << l.name;
        const net_shape_t s = src == NET_INPUT ? m->input_shape : m->layers[src].out;
        if (l.op == NET_OP_RESHAPE || l.op == NET_OP_FULLY_CONNECTED) {
          EXPECT_EQ(net_shape_elems(l.in), net_shape_elems(s)) << m->task << " " << l.name;
        } else {
          EXPECT_TRUE(l.in.h == s.h && l.in.w == s.w && l.in.c == s.c) << m->task << " " << l.name;
        }
      }
      if (l.op == NET_OP_CONV_2D || l.op == NET_OP_DEPTHWISE_CONV_2D ||
          l.op == NET_OP_AVERAGE_POOL_2D) {
        EXPECT_EQ(l.out.h, net_out_size(l.padding, l.in.h, l.kernel_h, l.stride_h)) << l.name;
        EXPECT_EQ(l.out.w, net_out_size(l.padding, l.in.w, l.kernel_w, l.stride_w)) << l.name;
      }
      if (l.op != NET_OP_CONV_2D && l.op != NET_OP_FULLY_CONNECTED) {
        EXPECT_EQ(l.out.c, l.in.c) << m->task << " " << l.name;
      }
    }
  }
  EXPECT_EQ(net_output_elems(&kws_model), KWS_NUM_CLASSES);
  EXPECT_EQ(net_output_elems(&vww_model), VWW_NUM_CLASSES);
  EXPECT_EQ(net_output_elems(&ic_model), IC_NUM_CLASSES);
  EXPECT_EQ(net_output_elems(&ad_model), AD_NUM_OUTPUTS);
  // kws conv0 10x4 s2 SAME on 49x10: total padding 9 rows (top 4) and 2 columns (left 1).
  EXPECT_EQ(net_pad_top(&kws_layers[0]), 4);
  EXPECT_EQ(net_pad_left(&kws_layers[0]), 1);
  // vww conv0 3x3 s2 SAME on 96x96: total padding 1 (top 0, bottom 1).
  EXPECT_EQ(net_pad_top(&vww_layers[0]), 0);
  // ic 1x1 s2 shortcut: no padding.
  EXPECT_EQ(net_pad_top(&ic_layers[6]), 0);
}

// Arena plan vs mlperf-tiny.md 1.1 "Peak live activation bytes" (a lower bound the plan meets).
TEST(NetModels, ArenaPlanReachesThePeakLiveActivationBytes) {
  EXPECT_EQ(mcusim::net::PlanArena(kws_model).activation_bytes, 16000u);
  EXPECT_EQ(mcusim::net::PlanArena(vww_model).activation_bytes, 55296u);
  EXPECT_EQ(mcusim::net::PlanArena(ic_model).activation_bytes, 49152u);
  EXPECT_EQ(mcusim::net::PlanArena(ad_model).activation_bytes, 768u);
}

}  // namespace
