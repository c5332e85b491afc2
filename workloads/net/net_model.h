/*
 * One layer-table format for the four MLPerf Tiny networks (kws01, vww01, ic01, ad01), usable from
 * C99 and C++. The tables live in workloads/<task>/<task>_model.h; the generator, the host
 * reference and the firmware driver are generic over this format.
 *
 * Conventions (/work/shared/reference/mlperf-tiny.md section 1.1):
 *   Shapes are HWC (batch 1); FULLY_CONNECTED / SOFTMAX / RESHAPE tensors are 1x1xC.
 *   Weight layouts (TFLite):
 *     CONV_2D           [out_c][kernel_h][kernel_w][in_c]  (OHWI), per-channel scale on out_c
 *     DEPTHWISE_CONV_2D [kernel_h][kernel_w][c]            (1HWC, depth multiplier 1), per-channel
 *     FULLY_CONNECTED   [out][in]                          per-tensor scale
 *   MACs: Conv = Hout*Wout*Cout*Kh*Kw*Cin; DW = Hout*Wout*C*Kh*Kw; FC = in*out; pooling, ADD,
 *   softmax and reshape are not counted; padding taps are counted.
 *   Parameters = int8 weights + int32 biases (BatchNorm folded).
 *
 * Data flow: every layer names its producer(s): NET_PREV (the layer before, or the network input
 * for layer 0), NET_INPUT (the network input) or a layer index. Only ADD and CONCATENATION have a
 * second input.
 */
#ifndef MCUSIM_WORKLOADS_NET_MODEL_H_
#define MCUSIM_WORKLOADS_NET_MODEL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NET_MAYBE_UNUSED __attribute__((unused))
#else
#define NET_MAYBE_UNUSED
#endif

typedef enum {
  NET_OP_CONV_2D = 0,
  NET_OP_DEPTHWISE_CONV_2D = 1,
  NET_OP_AVERAGE_POOL_2D = 2,
  NET_OP_RESHAPE = 3, /* no-op: the output aliases the input's bytes */
  NET_OP_FULLY_CONNECTED = 4,
  NET_OP_SOFTMAX = 5,
  NET_OP_ADD = 6, /* elementwise, TFLite int8 Add rescaling */
  /* Operators of imported .tflite models (scripts/mcusim_model, issue 17); the hand-described
   * networks do not use them, nor do the generator and the host reference. Fields reused:
   *   MAX_POOL_2D    kernel, stride, padding as AVERAGE_POOL_2D
   *   PAD            kernel_h = rows padded above, kernel_w = columns padded left,
   *                  stride_h = channels padded before (the rest follows from in/out); the pad
   *                  value is the qparams' input2_zero_point
   *   MEAN           over height and width (in HxWxC -> out 1x1xC); qparams multiplier[0] and
   *                  shift[0] already include 1 / (H * W)
   *   CONCATENATION  two inputs (input, input2) along axis kernel_h (0 = H, 1 = W, 2 = C) */
  NET_OP_MAX_POOL_2D = 7,
  NET_OP_PAD = 8,
  NET_OP_MEAN = 9,
  NET_OP_CONCATENATION = 10
} net_op_t;

/* TFLite padding: SAME pads so that out = ceil(in / stride); VALID does not pad. */
typedef enum { NET_PAD_VALID = 0, NET_PAD_SAME = 1 } net_padding_t;

typedef enum { NET_ACT_NONE = 0, NET_ACT_RELU = 1 } net_act_t;

/* How the generator synthesises the network input (workloads/README.md, "Inputs"). */
typedef enum { NET_INPUT_MFCC = 0, NET_INPUT_IMAGE = 1, NET_INPUT_LOGMEL = 2 } net_input_kind_t;

#define NET_PREV (-2)  /* producer = previous layer (network input for layer 0) */
#define NET_INPUT (-1) /* producer = network input */
#define NET_NONE (-3)  /* no second input */

typedef struct {
  int32_t h, w, c;
} net_shape_t;

typedef struct {
  const char* name;
  net_op_t op;
  net_shape_t in;
  net_shape_t out;
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  net_padding_t padding;
  net_act_t act;
  int32_t input;  /* NET_PREV, NET_INPUT or a layer index */
  int32_t input2; /* ADD only; NET_NONE otherwise */
} net_layer_t;

typedef struct {
  const char* task;     /* "kws": file names, ELF names */
  const char* model_id; /* "kws01": the firmware's output line */
  const net_layer_t* layers;
  int32_t num_layers;
  net_shape_t input_shape;
  float input_scale; /* mlperf-tiny.md 1.1 "Input tensor" row */
  int32_t input_zero_point;
  net_input_kind_t input_kind;
  uint64_t default_seed; /* ASCII "mcusim" + two task letters, big-endian */
} net_model_t;

static inline const char* net_op_name(net_op_t op) {
  switch (op) {
    case NET_OP_CONV_2D:
      return "CONV_2D";
    case NET_OP_DEPTHWISE_CONV_2D:
      return "DEPTHWISE_CONV_2D";
    case NET_OP_AVERAGE_POOL_2D:
      return "AVERAGE_POOL_2D";
    case NET_OP_RESHAPE:
      return "RESHAPE";
    case NET_OP_FULLY_CONNECTED:
      return "FULLY_CONNECTED";
    case NET_OP_SOFTMAX:
      return "SOFTMAX";
    case NET_OP_ADD:
      return "ADD";
    case NET_OP_MAX_POOL_2D:
      return "MAX_POOL_2D";
    case NET_OP_PAD:
      return "PAD";
    case NET_OP_MEAN:
      return "MEAN";
    case NET_OP_CONCATENATION:
      return "CONCATENATION";
  }
  return "?";
}

static inline int32_t net_shape_elems(net_shape_t s) {
  return s.h * s.w * s.c;
}

/* Producer of input `which` (0 or 1) of layer i: NET_INPUT, a layer index, or NET_NONE. */
static inline int32_t net_layer_src(const net_model_t* m, int32_t i, int32_t which) {
  const int32_t s = which == 0 ? m->layers[i].input : m->layers[i].input2;
  return s == NET_PREV ? i - 1 : s; /* i - 1 == NET_INPUT for layer 0 */
}

static inline const net_layer_t* net_last_layer(const net_model_t* m) {
  return &m->layers[m->num_layers - 1];
}

/* Number of output values of the network (12 for kws01, 640 for ad01). */
static inline int32_t net_output_elems(const net_model_t* m) {
  return net_shape_elems(net_last_layer(m)->out);
}

/* TFLite ComputeOutSize (tensorflow/lite/kernels/padding.h), dilation 1. */
static inline int32_t net_out_size(net_padding_t pad, int32_t in, int32_t k, int32_t stride) {
  return pad == NET_PAD_SAME ? (in + stride - 1) / stride : (in + stride - k) / stride;
}

/* TFLite ComputePadding: leading (top/left) padding = floor(total / 2), never negative. */
static inline int32_t net_pad_before(int32_t in, int32_t out, int32_t k, int32_t stride) {
  int32_t p = ((out - 1) * stride + k - in) / 2;
  return p > 0 ? p : 0;
}

static inline int32_t net_pad_top(const net_layer_t* l) {
  return l->padding == NET_PAD_SAME ? net_pad_before(l->in.h, l->out.h, l->kernel_h, l->stride_h)
                                    : 0;
}
static inline int32_t net_pad_left(const net_layer_t* l) {
  return l->padding == NET_PAD_SAME ? net_pad_before(l->in.w, l->out.w, l->kernel_w, l->stride_w)
                                    : 0;
}

/* Number of int8 weights (0 for ops without weights). */
static inline int32_t net_layer_weight_count(const net_layer_t* l) {
  switch (l->op) {
    case NET_OP_CONV_2D:
      return l->out.c * l->kernel_h * l->kernel_w * l->in.c;
    case NET_OP_DEPTHWISE_CONV_2D:
      return l->kernel_h * l->kernel_w * l->out.c;
    case NET_OP_FULLY_CONNECTED:
      return net_shape_elems(l->in) * l->out.c;
    default:
      return 0;
  }
}

/* Number of int32 biases (one per output channel for CONV/DW/FC). */
static inline int32_t net_layer_bias_count(const net_layer_t* l) {
  return net_layer_weight_count(l) > 0 ? l->out.c : 0;
}

static inline int32_t net_layer_params(const net_layer_t* l) {
  return net_layer_weight_count(l) + net_layer_bias_count(l);
}

/* Number of output channels with their own weight scale / requantization multiplier. */
static inline int32_t net_layer_quant_channels(const net_layer_t* l) {
  return (l->op == NET_OP_CONV_2D || l->op == NET_OP_DEPTHWISE_CONV_2D) ? l->out.c : 1;
}

/* Fan-in of one output value. */
static inline int32_t net_layer_fan_in(const net_layer_t* l) {
  switch (l->op) {
    case NET_OP_CONV_2D:
      return l->kernel_h * l->kernel_w * l->in.c;
    case NET_OP_DEPTHWISE_CONV_2D:
      return l->kernel_h * l->kernel_w;
    case NET_OP_FULLY_CONNECTED:
      return net_shape_elems(l->in);
    default:
      return 0;
  }
}

static inline int32_t net_layer_macs(const net_layer_t* l) {
  return net_layer_fan_in(l) > 0 ? net_shape_elems(l->out) * net_layer_fan_in(l) : 0;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCUSIM_WORKLOADS_NET_MODEL_H_ */
