/*
 * Fully connected auto-encoder for anomaly detection (MLPerf Tiny ad01) in the generic
 * layer-table format (workloads/net/net_model.h), usable from C99 and C++.
 *
 * Source: /work/shared/reference/mlperf-tiny.md section 1.5 (TINY
 * benchmark/training/anomaly_detection/keras_model.py): 640-128-128-128-128-8-128-128-128-128-640,
 * ReLU on every layer except the last (linear). Input quantization: section 1.1 (1x640 int8,
 * scale 0.3910152, zp 89). The reference firmware receives float32 log-mel frames and quantizes
 * them in th_load_tensor(), outside the timed region; here the int8 input is generated directly.
 * Totals: 264,192 MACs, 265,864 parameters.
 */
#ifndef MCUSIM_WORKLOADS_AD_MODEL_H_
#define MCUSIM_WORKLOADS_AD_MODEL_H_

#include "net_model.h"

#define AD_NUM_LAYERS 10
#define AD_NUM_OUTPUTS 640

/* clang-format off */
static const net_layer_t ad_layers[AD_NUM_LAYERS] NET_MAYBE_UNUSED = {
  /* name   op                      in            out           kh kw sh sw padding        act           inputs */
  {"fc1",  NET_OP_FULLY_CONNECTED, {1, 1, 640},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc2",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc3",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc4",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc5",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 8},    1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc6",  NET_OP_FULLY_CONNECTED, {1, 1, 8},    {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc7",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc8",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc9",  NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 128},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_RELU, NET_PREV, NET_NONE},
  {"fc10", NET_OP_FULLY_CONNECTED, {1, 1, 128},  {1, 1, 640},  1, 1, 1, 1, NET_PAD_VALID, NET_ACT_NONE, NET_PREV, NET_NONE},
};

/* Seed: ASCII "mcusimAD". */
static const net_model_t ad_model NET_MAYBE_UNUSED = {
  "ad", "ad01", ad_layers, AD_NUM_LAYERS, {1, 1, 640}, 0.3910152f, 89, NET_INPUT_LOGMEL,
  UINT64_C(0x6D637573696D4144)};
/* clang-format on */

#endif /* MCUSIM_WORKLOADS_AD_MODEL_H_ */
