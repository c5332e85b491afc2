/*
 * Portable int8 reference kernels (straightforward loops in the style of the TensorFlow Lite
 * Micro reference kernels). Plain C99: no libc, no printf, no harness calls, so they run
 * unchanged on the Cortex-M firmware and in the host tests. All tensors are HWC, batch 1.
 */
#ifndef MCUSIM_KERNELS_REF_KERNELS_H_
#define MCUSIM_KERNELS_REF_KERNELS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Geometry + quantization shared by conv, depthwise conv and average pool. */
typedef struct {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  int32_t pad_top, pad_left; /* TFLite SAME: floor(total / 2); VALID: 0 */
  int32_t input_offset;      /* = -input zero point  (conv / dw only) */
  int32_t output_offset;     /* = +output zero point (conv / dw only) */
  int32_t act_min, act_max;  /* output clamp, int8 domain */
} ref_conv_params_t;

typedef struct {
  int32_t in_len, out_len;
  int32_t input_offset;      /* = -input zero point */
  int32_t output_offset;     /* = +output zero point */
  int32_t multiplier, shift; /* per tensor */
  int32_t act_min, act_max;
} ref_fc_params_t;

/* filter: [out_c][kernel_h][kernel_w][in_c]; bias, multiplier, shift: per output channel. */
void ref_conv2d_s8(const ref_conv_params_t* p, const int32_t* multiplier, const int32_t* shift,
                   const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output);

/* Depth multiplier 1 (out_c == in_c); filter: [kernel_h][kernel_w][c]. */
void ref_depthwise_conv2d_s8(const ref_conv_params_t* p, const int32_t* multiplier,
                             const int32_t* shift, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output);

/* Input and output share scale and zero point (TFLite requirement); padding taps are not
 * counted; the average rounds half away from zero. Uses geometry and act_min/act_max only. */
void ref_avgpool_s8(const ref_conv_params_t* p, const int8_t* input, int8_t* output);

/* filter: [out_len][in_len], per-tensor requantization, weight zero point 0. */
void ref_fully_connected_s8(const ref_fc_params_t* p, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output);

/* int8 softmax, output scale 1/256 zero point -128. Algorithm: CMSIS-NN arm_softmax_s8
 * (= TFLite reference int8 Softmax with gemmlowp fixed-point exp, 5 integer bits for the scaled
 * difference, 12 accumulation integer bits). input_multiplier/left_shift/diff_min come from
 * TFLite PreprocessSoftmaxScaling / CalculateInputRadius. */
void ref_softmax_s8(const int8_t* input, int32_t rows, int32_t row_size, int32_t input_multiplier,
                    int32_t input_left_shift, int32_t diff_min, int8_t* output);

/* Elementwise int8 ADD (TFLite reference_integer_ops::AddElementwise): each input gets its offset,
 * is shifted left by left_shift (20 for int8) and rescaled to the common scale 2 * max(s1, s2)
 * with MultiplyByQuantizedMultiplierSmallerThanOneExp; the sum is rescaled to the output scale,
 * gets the output offset and is clamped. Shifts follow the TFLite convention (<= 0 here, a right
 * shift by -shift). nn_kernels.h uses this struct as nn_add_params_t. */
typedef struct {
  int32_t length;
  int32_t input1_offset, input2_offset; /* = -zero point */
  int32_t output_offset;                /* = +zero point */
  int32_t left_shift;                   /* 20 for int8 */
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} ref_add_params_t;

void ref_add_s8(const ref_add_params_t* p, const int8_t* input1, const int8_t* input2,
                int8_t* output);

/* Imported-model operators (reference/layout_s8.c, shared by both libraries; TFLite Micro
 * reference arithmetic). MAX_POOL_2D: geometry and act_min/act_max of `p`. */
void ref_maxpool_s8(const ref_conv_params_t* p, const int8_t* input, int8_t* output);

/* PAD / PADV2 of an HWC tensor: out = in surrounded by `value` (pad_top rows above, pad_left
 * columns left, pad_channel channels before; the rest after). */
typedef struct {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t pad_top, pad_left, pad_channel;
  int8_t value;
} ref_pad_params_t;
void ref_pad_s8(const ref_pad_params_t* p, const int8_t* input, int8_t* output);

/* MEAN over height and width of an h x w x c tensor -> c values; multiplier/shift are TFLite's
 * QuantizeMultiplier(in_scale / out_scale) folded with 1 / (h * w) as QuantizedMeanOrSum does. */
void ref_mean_hw_s8(int32_t h, int32_t w, int32_t c, int32_t input_zero_point, int32_t multiplier,
                    int32_t shift, int32_t output_zero_point, const int8_t* input, int8_t* output);

/* CONCATENATION of two tensors along one axis: `outer` blocks of len1 bytes of input1 followed
 * by len2 bytes of input2. */
void ref_concat_s8(int32_t outer, int32_t len1, int32_t len2, const int8_t* input1,
                   const int8_t* input2, int8_t* output);

/* Generic kernels of imported-model layers the four tasks do not have (reference/ext_s8.c,
 * shared by both libraries, TFLite Micro reference arithmetic). */

/* CONV_2D with dilation: tap (fy, fx) reads input (out_y * stride_h - pad_top + dilation_h * fy,
 * out_x * stride_w - pad_left + dilation_w * fx); pad_top/pad_left from the effective filter size
 * (k - 1) * dilation + 1 (TFLite ComputePaddingHeightWidth). Otherwise as ref_conv2d_s8. */
void ref_conv2d_dilated_s8(const ref_conv_params_t* p, int32_t dilation_h, int32_t dilation_w,
                           const int32_t* multiplier, const int32_t* shift, const int8_t* input,
                           const int8_t* filter, const int32_t* bias, int8_t* output);

/* DEPTHWISE_CONV_2D with dilation and depth multiplier (out_c = in_c * depth_multiplier; output
 * channel ic * depth_multiplier + m reads input channel ic); filter [kernel_h][kernel_w][out_c]. */
void ref_depthwise_conv2d_ext_s8(const ref_conv_params_t* p, int32_t dilation_h, int32_t dilation_w,
                                 int32_t depth_multiplier, const int32_t* multiplier,
                                 const int32_t* shift, const int8_t* input, const int8_t* filter,
                                 const int32_t* bias, int8_t* output);

/* ADD with NumPy-style broadcasting of two tensors of up to 4 dimensions (each given as 4 sizes,
 * leading 1s; every input size is the output's or 1). p->length is not used. */
void ref_add_broadcast_s8(const ref_add_params_t* p, const int32_t in1_dims[4],
                          const int32_t in2_dims[4], const int32_t out_dims[4],
                          const int8_t* input1, const int8_t* input2, int8_t* output);

/* CONCATENATION of num_inputs tensors: `outer` rounds, each copying inner[k] bytes of input k
 * (outer = product of the sizes before the axis, inner[k] = input k's sizes from the axis on). */
void ref_concat_n_s8(int32_t num_inputs, int32_t outer, const int32_t* inner,
                     const int8_t* const* inputs, int8_t* output);

/* MEAN of a tensor of up to 4 dimensions (dims, leading 1s) over the axes set in axis_mask (bit d
 * = dimension d); the output is the input with those sizes set to 1. multiplier/shift:
 * QuantizeMultiplier(in_scale / out_scale) folded with 1 / n (n = reduced element count). */
void ref_mean_s8(const int32_t dims[4], uint32_t axis_mask, int32_t input_zero_point,
                 int32_t multiplier, int32_t shift, int32_t output_zero_point, const int8_t* input,
                 int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_KERNELS_REF_KERNELS_H_ */
