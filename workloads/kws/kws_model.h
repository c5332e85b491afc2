/*
 * DS-CNN keyword-spotting network description (MLPerf Tiny kws01), usable from C99 and C++.
 *
 * Source of every shape, kernel, stride, padding and activation below:
 * /work/shared/reference/mlperf-tiny.md section 1.2 (TINY
 * benchmark/training/keyword_spotting/keras_model.py, ds_cnn, parsed from the reference .tflite).
 * Quantization conventions: same document, section 1.1.
 *
 * Layer indices follow the TFLite operator order (0..12, RESHAPE included as a no-op).
 * Shapes are HWC (batch 1); FULLY_CONNECTED / SOFTMAX / RESHAPE tensors are 1x1xC.
 *
 * Weight layouts (TFLite):
 *   CONV_2D           [out_c][kernel_h][kernel_w][in_c]   (OHWI), per-channel scale on out_c
 *   DEPTHWISE_CONV_2D [kernel_h][kernel_w][c]             (1HWC, depth multiplier 1), per-channel
 *   FULLY_CONNECTED   [out][in]                           per-tensor scale
 */
#ifndef MCUSIM_WORKLOADS_KWS_MODEL_H_
#define MCUSIM_WORKLOADS_KWS_MODEL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KWS_MAYBE_UNUSED __attribute__((unused))
#else
#define KWS_MAYBE_UNUSED
#endif

typedef enum {
  KWS_OP_CONV_2D = 0,
  KWS_OP_DEPTHWISE_CONV_2D = 1,
  KWS_OP_AVERAGE_POOL_2D = 2,
  KWS_OP_RESHAPE = 3, /* no-op: the data is already contiguous */
  KWS_OP_FULLY_CONNECTED = 4,
  KWS_OP_SOFTMAX = 5
} kws_op_t;

/* TFLite padding: SAME pads so that out = ceil(in / stride); VALID does not pad. */
typedef enum { KWS_PAD_VALID = 0, KWS_PAD_SAME = 1 } kws_padding_t;

typedef enum { KWS_ACT_NONE = 0, KWS_ACT_RELU = 1 } kws_act_t;

typedef struct {
  int32_t h, w, c;
} kws_shape_t;

typedef struct {
  const char* name;
  kws_op_t op;
  kws_shape_t in;
  kws_shape_t out;
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  kws_padding_t padding;
  kws_act_t act;
} kws_layer_t;

#define KWS_NUM_LAYERS 13
#define KWS_NUM_CLASSES 12
#define KWS_INPUT_H 49 /* frames; mlperf-tiny.md 1.2 kNumRows 49 */
#define KWS_INPUT_W 10 /* MFCC coefficients; kNumCols 10 */
#define KWS_INPUT_C 1
#define KWS_INPUT_SIZE (KWS_INPUT_H * KWS_INPUT_W * KWS_INPUT_C)
/* Largest activation tensor (25x5x64 int8), checked against the table by the tests. */
#define KWS_MAX_TENSOR_BYTES (25 * 5 * 64)

/* Quantization of the model's input and output (mlperf-tiny.md 1.1, "[derived]" row for KWS). */
#define KWS_INPUT_SCALE 0.5847029f
#define KWS_INPUT_ZERO_POINT 83
#define KWS_OUTPUT_SCALE (1.0f / 256.0f)
#define KWS_OUTPUT_ZERO_POINT (-128)

/* clang-format off */
static const kws_layer_t kws_layers[KWS_NUM_LAYERS] KWS_MAYBE_UNUSED = {
  /* name        op                        in            out          kh  kw sh sw padding        act */
  {"conv0",     KWS_OP_CONV_2D,           {49, 10, 1},  {25, 5, 64}, 10, 4, 2, 2, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"dw1",       KWS_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"pw2",       KWS_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"dw3",       KWS_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"pw4",       KWS_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"dw5",       KWS_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"pw6",       KWS_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"dw7",       KWS_OP_DEPTHWISE_CONV_2D, {25, 5, 64},  {25, 5, 64},  3, 3, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"pw8",       KWS_OP_CONV_2D,           {25, 5, 64},  {25, 5, 64},  1, 1, 1, 1, KWS_PAD_SAME,  KWS_ACT_RELU},
  {"avgpool9",  KWS_OP_AVERAGE_POOL_2D,   {25, 5, 64},  {1, 1, 64},  25, 5, 1, 1, KWS_PAD_VALID, KWS_ACT_NONE},
  {"reshape10", KWS_OP_RESHAPE,           {1, 1, 64},   {1, 1, 64},   1, 1, 1, 1, KWS_PAD_VALID, KWS_ACT_NONE},
  {"fc11",      KWS_OP_FULLY_CONNECTED,   {1, 1, 64},   {1, 1, 12},   1, 1, 1, 1, KWS_PAD_VALID, KWS_ACT_NONE},
  {"softmax12", KWS_OP_SOFTMAX,           {1, 1, 12},   {1, 1, 12},   1, 1, 1, 1, KWS_PAD_VALID, KWS_ACT_NONE},
};
/* clang-format on */

static inline const char* kws_op_name(kws_op_t op) {
  switch (op) {
    case KWS_OP_CONV_2D:
      return "CONV_2D";
    case KWS_OP_DEPTHWISE_CONV_2D:
      return "DEPTHWISE_CONV_2D";
    case KWS_OP_AVERAGE_POOL_2D:
      return "AVERAGE_POOL_2D";
    case KWS_OP_RESHAPE:
      return "RESHAPE";
    case KWS_OP_FULLY_CONNECTED:
      return "FULLY_CONNECTED";
    case KWS_OP_SOFTMAX:
      return "SOFTMAX";
  }
  return "?";
}

static inline int32_t kws_shape_elems(kws_shape_t s) {
  return s.h * s.w * s.c;
}

/* TFLite ComputeOutSize (tensorflow/lite/kernels/padding.h), dilation 1. */
static inline int32_t kws_out_size(kws_padding_t pad, int32_t in, int32_t k, int32_t stride) {
  return pad == KWS_PAD_SAME ? (in + stride - 1) / stride : (in + stride - k) / stride;
}

/* TFLite ComputePadding: leading (top/left) padding = floor(total / 2), never negative. */
static inline int32_t kws_pad_before(int32_t in, int32_t out, int32_t k, int32_t stride) {
  int32_t p = ((out - 1) * stride + k - in) / 2;
  return p > 0 ? p : 0;
}

static inline int32_t kws_pad_top(const kws_layer_t* l) {
  return l->padding == KWS_PAD_SAME ? kws_pad_before(l->in.h, l->out.h, l->kernel_h, l->stride_h)
                                    : 0;
}
static inline int32_t kws_pad_left(const kws_layer_t* l) {
  return l->padding == KWS_PAD_SAME ? kws_pad_before(l->in.w, l->out.w, l->kernel_w, l->stride_w)
                                    : 0;
}

/* Number of int8 weights (0 for ops without weights). */
static inline int32_t kws_layer_weight_count(const kws_layer_t* l) {
  switch (l->op) {
    case KWS_OP_CONV_2D:
      return l->out.c * l->kernel_h * l->kernel_w * l->in.c;
    case KWS_OP_DEPTHWISE_CONV_2D:
      return l->kernel_h * l->kernel_w * l->out.c;
    case KWS_OP_FULLY_CONNECTED:
      return kws_shape_elems(l->in) * l->out.c;
    default:
      return 0;
  }
}

/* Number of int32 biases (one per output channel for CONV/DW/FC). */
static inline int32_t kws_layer_bias_count(const kws_layer_t* l) {
  return kws_layer_weight_count(l) > 0 ? l->out.c : 0;
}

/* Parameters = weights + biases (mlperf-tiny.md 1.1 convention, BN folded). */
static inline int32_t kws_layer_params(const kws_layer_t* l) {
  return kws_layer_weight_count(l) + kws_layer_bias_count(l);
}

/* Number of output channels with their own weight scale / requantization multiplier. */
static inline int32_t kws_layer_quant_channels(const kws_layer_t* l) {
  return (l->op == KWS_OP_CONV_2D || l->op == KWS_OP_DEPTHWISE_CONV_2D) ? l->out.c : 1;
}

/* Fan-in of one output value. */
static inline int32_t kws_layer_fan_in(const kws_layer_t* l) {
  switch (l->op) {
    case KWS_OP_CONV_2D:
      return l->kernel_h * l->kernel_w * l->in.c;
    case KWS_OP_DEPTHWISE_CONV_2D:
      return l->kernel_h * l->kernel_w;
    case KWS_OP_FULLY_CONNECTED:
      return kws_shape_elems(l->in);
    default:
      return 0;
  }
}

/* MACs, mlperf-tiny.md 1.1 convention: Conv = Hout*Wout*Cout*Kh*Kw*Cin; DW = Hout*Wout*C*Kh*Kw;
 * FC = in*out; pooling / softmax / reshape are not counted. Padding taps are counted. */
static inline int32_t kws_layer_macs(const kws_layer_t* l) {
  switch (l->op) {
    case KWS_OP_CONV_2D:
    case KWS_OP_DEPTHWISE_CONV_2D:
    case KWS_OP_FULLY_CONNECTED:
      return kws_shape_elems(l->out) * kws_layer_fan_in(l);
    default:
      return 0;
  }
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCUSIM_WORKLOADS_KWS_MODEL_H_ */
