// The DS-CNN description (workloads/kws/kws_model.h) against /work/shared/reference/mlperf-tiny.md
// section 1.2: totals are computed from the description, not hard-coded per layer.
#include <gtest/gtest.h>

#include <cstdint>

#include "kws_model.h"

namespace {

TEST(KwsModel, MacAndParameterTotalsMatchMlperfTinyDoc) {
  int64_t macs = 0, params = 0;
  for (const kws_layer_t& l : kws_layers) {
    macs += kws_layer_macs(&l);
    params += kws_layer_params(&l);
  }
  EXPECT_EQ(macs, 2656768);  // mlperf-tiny.md 1.1 / 1.2 "Total"
  EXPECT_EQ(params, 22604);
}

TEST(KwsModel, PerLayerNumbersMatchDocTable) {
  // mlperf-tiny.md 1.2 table rows (MACs, params).
  EXPECT_EQ(kws_layer_macs(&kws_layers[0]), 320000);
  EXPECT_EQ(kws_layer_params(&kws_layers[0]), 2624);
  for (int i : {1, 3, 5, 7}) {
    EXPECT_EQ(kws_layers[i].op, KWS_OP_DEPTHWISE_CONV_2D);
    EXPECT_EQ(kws_layer_macs(&kws_layers[i]), 72000);
    EXPECT_EQ(kws_layer_params(&kws_layers[i]), 640);
  }
  for (int i : {2, 4, 6, 8}) {
    EXPECT_EQ(kws_layers[i].op, KWS_OP_CONV_2D);
    EXPECT_EQ(kws_layer_macs(&kws_layers[i]), 512000);
    EXPECT_EQ(kws_layer_params(&kws_layers[i]), 4160);
  }
  EXPECT_EQ(kws_layer_macs(&kws_layers[11]), 768);
  EXPECT_EQ(kws_layer_params(&kws_layers[11]), 780);
}

TEST(KwsModel, ShapesChainAndFollowTflitePadding) {
  EXPECT_EQ(kws_layers[0].in.h, KWS_INPUT_H);
  EXPECT_EQ(kws_layers[0].in.w, KWS_INPUT_W);
  EXPECT_EQ(kws_layers[0].in.c, KWS_INPUT_C);
  int32_t max_bytes = 0;
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const kws_layer_t& l = kws_layers[i];
    if (i > 0) {
      EXPECT_EQ(kws_shape_elems(l.in), kws_shape_elems(kws_layers[i - 1].out)) << l.name;
    }
    if (l.op == KWS_OP_CONV_2D || l.op == KWS_OP_DEPTHWISE_CONV_2D ||
        l.op == KWS_OP_AVERAGE_POOL_2D) {
      EXPECT_EQ(l.out.h, kws_out_size(l.padding, l.in.h, l.kernel_h, l.stride_h)) << l.name;
      EXPECT_EQ(l.out.w, kws_out_size(l.padding, l.in.w, l.kernel_w, l.stride_w)) << l.name;
    }
    if (l.op != KWS_OP_CONV_2D && l.op != KWS_OP_FULLY_CONNECTED) {
      EXPECT_EQ(l.out.c, l.in.c) << l.name;
    }
    max_bytes = std::max(max_bytes, kws_shape_elems(l.out));
  }
  EXPECT_EQ(max_bytes, KWS_MAX_TENSOR_BYTES);
  EXPECT_EQ(kws_layers[KWS_NUM_LAYERS - 1].out.c, KWS_NUM_CLASSES);
  // conv0 10x4 s2 SAME on 49x10: total padding 9 rows (top 4) and 2 columns (left 1).
  EXPECT_EQ(kws_pad_top(&kws_layers[0]), 4);
  EXPECT_EQ(kws_pad_left(&kws_layers[0]), 1);
  EXPECT_EQ(kws_pad_top(&kws_layers[1]), 1);
  EXPECT_EQ(kws_pad_left(&kws_layers[1]), 1);
  EXPECT_EQ(kws_pad_top(&kws_layers[2]), 0);
  EXPECT_EQ(kws_pad_top(&kws_layers[9]), 0);
}

}  // namespace
