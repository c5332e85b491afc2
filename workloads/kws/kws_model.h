/*
 * DS-CNN keyword-spotting network (MLPerf Tiny kws01) in the generic layer-table format
 * (workloads/net/net_model.h), usable from C99 and C++.
 *
 * Source of every shape, kernel, stride, padding and activation below:
 * /work/shared/reference/mlperf-tiny.md section 1.2 (TINY
 * benchmark/training/keyword_spotting/keras_model.py, ds_cnn, parsed from the reference .tflite);
 * input quantization: section 1.1. Totals: 2,656,768 MACs, 22,604 parameters.
 * Layer indices follow the TFLite operator order (0..12, RESHAPE included as a no-op).
 */
#ifndef MCUSIM_WORKLOADS_KWS_MODEL_H_
#define MCUSIM_WORKLOADS_KWS_MODEL_H_

#include "net_model.h"

#define KWS_NUM_LAYERS 13
#define KWS_NUM_CLASSES 12

/* clang-format off */
static const net_layer_t kws_layers[KWS_NUM_LAYERS] NET_MAYBE_UNUSED = {
  /* name        op                        in            out          kh  kw sh sw padding        act           inputs */
  {"conv0",     NET_OP_CONV_2D,           {49, 10, 1},  {25, 5, 64}, 10, 4, 2, 2, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw1",       NET_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw2",       NET_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw3",       NET_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw4",       NET_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw5",       NET_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw6",       NET_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"dw7",       NET_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"pw8",       NET_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, NET_PAD_SAME,  NET_ACT_RELU, NET_PREV, NET_NONE},
  {"avgpool9",  NET_OP_AVERAGE_POOL_2D,   {25, 5, 64},  {1, 1, 64},  25, 5, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"reshape10", NET_OP_RESHAPE,           {1, 1, 64},   {1, 1, 64},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"fc11",      NET_OP_FULLY_CONNECTED,   {1, 1, 64},   {1, 1, 12},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
  {"softmax12", NET_OP_SOFTMAX,           {1, 1, 12},   {1, 1, 12},   1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
};

/* Input 1x49x10x1 int8, scale 0.5847029, zp 83 (mlperf-tiny.md 1.1); seed ASCII "mcusimKW". */
static const net_model_t kws_model NET_MAYBE_UNUSED = {
  "kws", "kws01", kws_layers, KWS_NUM_LAYERS, {49, 10, 1}, 0.5847029f, 83, NET_INPUT_MFCC,
  UINT64_C(0x6D637573696D4B57)};
/* clang-format on */

#endif /* MCUSIM_WORKLOADS_KWS_MODEL_H_ */
