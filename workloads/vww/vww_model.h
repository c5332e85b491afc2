/*
 * MobileNetV1 0.25x, 96x96 visual wake words (MLPerf Tiny vww01) in the generic layer-table
 * format (workloads/net/net_model.h), usable from C99 and C++.
 *
 * Source: /work/shared/reference/mlperf-tiny.md section 1.3 (TINY
 * benchmark/training/visual_wake_words/vww_model.py, mobilenet_v1()): all convs padding 'same',
 * ReLU, BN folded; 14 CONV_2D (conv0 3x3 s2 + 13 pointwise), 13 DEPTHWISE_CONV_2D 3x3, then
 * AVERAGE_POOL_2D 3x3 VALID, RESHAPE, FULLY_CONNECTED 256->2 (no activation), SOFTMAX.
 * Input quantization: section 1.1 (1x96x96x3 int8, scale 1/255, zp -128).
 * Totals: 7,489,664 MACs, 210,850 parameters.
 */
#ifndef MCUSIM_WORKLOADS_VWW_MODEL_H_
#define MCUSIM_WORKLOADS_VWW_MODEL_H_

#include "net_model.h"

#define VWW_NUM_LAYERS 31
#define VWW_NUM_CLASSES 2

/* clang-format off */
static const net_layer_t vww_layers[VWW_NUM_LAYERS] NET_MAYBE_UNUSED = {
  {"conv0", NET_OP_CONV_2D, {96, 96, 3}, {48, 48, 8}, 3, 3, 2, 2, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw1", NET_OP_DEPTHWISE_CONV_2D, {48, 48, 8}, {48, 48, 8}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw2", NET_OP_CONV_2D, {48, 48, 8}, {48, 48, 16}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw3", NET_OP_DEPTHWISE_CONV_2D, {48, 48, 16}, {24, 24, 16}, 3, 3, 2, 2, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw4", NET_OP_CONV_2D, {24, 24, 16}, {24, 24, 32}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw5", NET_OP_DEPTHWISE_CONV_2D, {24, 24, 32}, {24, 24, 32}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw6", NET_OP_CONV_2D, {24, 24, 32}, {24, 24, 32}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw7", NET_OP_DEPTHWISE_CONV_2D, {24, 24, 32}, {12, 12, 32}, 3, 3, 2, 2, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw8", NET_OP_CONV_2D, {12, 12, 32}, {12, 12, 64}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw9", NET_OP_DEPTHWISE_CONV_2D, {12, 12, 64}, {12, 12, 64}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw10", NET_OP_CONV_2D, {12, 12, 64}, {12, 12, 64}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw11", NET_OP_DEPTHWISE_CONV_2D, {12, 12, 64}, {6, 6, 64}, 3, 3, 2, 2, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw12", NET_OP_CONV_2D, {6, 6, 64}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw13", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {6, 6, 128}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw14", NET_OP_CONV_2D, {6, 6, 128}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw15", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {6, 6, 128}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw16", NET_OP_CONV_2D, {6, 6, 128}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw17", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {6, 6, 128}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw18", NET_OP_CONV_2D, {6, 6, 128}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw19", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {6, 6, 128}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw20", NET_OP_CONV_2D, {6, 6, 128}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw21", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {6, 6, 128}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw22", NET_OP_CONV_2D, {6, 6, 128}, {6, 6, 128}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw23", NET_OP_DEPTHWISE_CONV_2D, {6, 6, 128}, {3, 3, 128}, 3, 3, 2, 2, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw24", NET_OP_CONV_2D, {3, 3, 128}, {3, 3, 256}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw25", NET_OP_DEPTHWISE_CONV_2D, {3, 3, 256}, {3, 3, 256}, 3, 3, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw26", NET_OP_CONV_2D, {3, 3, 256}, {3, 3, 256}, 1, 1, 1, 1, NET_PAD_SAME, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"avgpool27", NET_OP_AVERAGE_POOL_2D, {3, 3, 256}, {1, 1, 256}, 3, 3, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"reshape28", NET_OP_RESHAPE, {1, 1, 256}, {1, 1, 256}, 1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"fc29", NET_OP_FULLY_CONNECTED, {1, 1, 256}, {1, 1, 2}, 1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"softmax30", NET_OP_SOFTMAX, {1, 1, 2}, {1, 1, 2}, 1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
};

/* Seed: ASCII "mcusimVW". */
static const net_model_t vww_model NET_MAYBE_UNUSED = {
  "vww", "vww01", vww_layers, VWW_NUM_LAYERS, {96, 96, 3}, 1.0f / 255.0f, -128, NET_INPUT_IMAGE,
  UINT64_C(0x6D637573696D5657)};
/* clang-format on */

#endif /* MCUSIM_WORKLOADS_VWW_MODEL_H_ */
