/*
 * ResNet-8 (16/32/64 filters) image classification (MLPerf Tiny ic01) in the generic layer-table
 * format (workloads/net/net_model.h), usable from C99 and C++.
 *
 * Source: /work/shared/reference/mlperf-tiny.md section 1.4 (TINY
 * benchmark/training/image_classification/keras_model.py, resnet_v1_eembc, as shipped in
 * pretrainedResnet_quant.tflite): all convs padding 'same'; three residual ADDs (ReLU fused);
 * stacks 2 and 3 use a 1x1 stride-2 shortcut conv. ADD operands: shortcut first, then the main
 * branch (op 3 = out0 + out2). Input quantization: section 1.1 (1x32x32x3 int8, scale 1.0,
 * zp -128). Totals: 12,501,632 MACs, 77,706 parameters.
 */
#ifndef MCUSIM_WORKLOADS_IC_MODEL_H_
#define MCUSIM_WORKLOADS_IC_MODEL_H_

#include "net_model.h"

#define IC_NUM_LAYERS 16
#define IC_NUM_CLASSES 10

/* clang-format off */
static const net_layer_t ic_layers[IC_NUM_LAYERS] NET_MAYBE_UNUSED = {
  /* name        op                       in             out           kh kw sh sw padding        act           inputs */
  {"conv0",     NET_OP_CONV_2D,          {32, 32, 3},   {32, 32, 16}, 3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"conv1",     NET_OP_CONV_2D,          {32, 32, 16},  {32, 32, 16}, 3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"conv2",     NET_OP_CONV_2D,          {32, 32, 16},  {32, 32, 16}, 3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_NONE, NET_PREV, NET_NONE},
  {"add3",      NET_OP_ADD,              {32, 32, 16},  {32, 32, 16}, 1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, 0,        2},
  {"conv4",     NET_OP_CONV_2D,          {32, 32, 16},  {16, 16, 32}, 3, 3, 2, 2, NET_PAD_SAME,  NET_ACT_RELU, 3,        NET_NONE},
  {"conv5",     NET_OP_CONV_2D,          {16, 16, 32},  {16, 16, 32}, 3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_NONE, NET_PREV, NET_NONE},
  {"conv6",     NET_OP_CONV_2D,          {32, 32, 16},  {16, 16, 32}, 1, 1, 2, 2, NET_PAD_SAME,  NET_ACT_NONE, 3,        NET_NONE},
  {"add7",      NET_OP_ADD,              {16, 16, 32},  {16, 16, 32}, 1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, 6,        5},
  {"conv8",     NET_OP_CONV_2D,          {16, 16, 32},  {8, 8, 64},   3, 3, 2, 2, NET_PAD_SAME,  NET_ACT_RELU, 7,        NET_NONE},
  {"conv9",     NET_OP_CONV_2D,          {8, 8, 64},    {8, 8, 64},   3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_NONE, NET_PREV, NET_NONE},
  {"conv10",    NET_OP_CONV_2D,          {16, 16, 32},  {8, 8, 64},   1, 1, 2, 2, NET_PAD_SAME,  NET_ACT_NONE, 7,        NET_NONE},
  {"add11",     NET_OP_ADD,              {8, 8, 64},    {8, 8, 64},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, 10,       9},
  {"avgpool12", NET_OP_AVERAGE_POOL_2D,  {8, 8, 64},    {1, 1, 64},   8, 8, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"reshape13", NET_OP_RESHAPE,          {1, 1, 64},    {1, 1, 64},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"fc14",      NET_OP_FULLY_CONNECTED,  {1, 1, 64},    {1, 1, 10},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"softmax15", NET_OP_SOFTMAX,          {1, 1, 10},    {1, 1, 10},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
};

/* Seed: ASCII "mcusimIC". */
static const net_model_t ic_model NET_MAYBE_UNUSED = {
  "ic", "ic01", ic_layers, IC_NUM_LAYERS, {32, 32, 3}, 1.0f, -128, NET_INPUT_IMAGE,
  UINT64_C(0x6D637573696D4943)};
/* clang-format on */

#endif /* MCUSIM_WORKLOADS_IC_MODEL_H_ */
