/*
 * Generic int8 kernels for the operators of imported .tflite models that the four MLPerf Tiny
 * networks do not use (issue 17): dilated convolutions, depthwise convolutions with a depth
 * multiplier, ADD with broadcasting, CONCATENATION of N tensors, MEAN over any axes. Shared by
 * both kernel libraries (ref_kernels is linked into each; the optimized library falls back on
 * these generic loops for such layers). Linked only into the model firmware (tasks/model): the
 * task firmware does not reference them, so its code is unchanged. Arithmetic as TensorFlow
 * Lite Micro's reference kernels (tensorflow/lite/kernels/internal/reference/...):
 *   CONV_2D            integer_ops/conv.h ConvPerChannel: tap (fy, fx) reads input row
 *                      out_y * stride_h - pad_top + dilation_h * fy (columns alike).
 *   DEPTHWISE_CONV_2D  integer_ops/depthwise_conv.h DepthwiseConvPerChannel: output channel
 *                      ic * depth_multiplier + m reads input channel ic; filter [kh][kw][out_c].
 *   ADD (broadcast)    integer_ops/add.h BroadcastAdd4DSlow: the elementwise arithmetic of
 *                      ref_add_s8 on NumPy-style broadcast indices (a size-1 dimension repeats).
 *   CONCATENATION      concatenation.h: `outer` rounds, each copying every input's slice.
 *   MEAN               reduce.h QuantizedMeanOrSum: the int32 sum over the reduced axes minus
 *                      input_zp * n, MultiplyByQuantizedMultiplier (1/n folded in by the
 *                      importer), + output zp, clamped to int8.
 */
#include "ref_kernels.h"
#include "requantize.h"

static int8_t clamp_s8(int32_t v, int32_t lo, int32_t hi) {
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return (int8_t)v;
}

void ref_conv2d_dilated_s8(const ref_conv_params_t* p, int32_t dilation_h, int32_t dilation_w,
                           const int32_t* multiplier, const int32_t* shift, const int8_t* input,
                           const int8_t* filter, const int32_t* bias, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    const int32_t in_y0 = out_y * p->stride_h - p->pad_top;
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      const int32_t in_x0 = out_x * p->stride_w - p->pad_left;
      for (int32_t oc = 0; oc < p->out_c; ++oc) {
        int32_t acc = 0;
        for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
          const int32_t in_y = in_y0 + dilation_h * fy;
          if (in_y < 0 || in_y >= p->in_h) continue; /* zero padding */
          for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
            const int32_t in_x = in_x0 + dilation_w * fx;
            if (in_x < 0 || in_x >= p->in_w) continue;
            const int8_t* in = input + (in_y * p->in_w + in_x) * p->in_c;
            const int8_t* w = filter + ((oc * p->kernel_h + fy) * p->kernel_w + fx) * p->in_c;
            for (int32_t ic = 0; ic < p->in_c; ++ic) {
              acc += ((int32_t)in[ic] + p->input_offset) * (int32_t)w[ic];
            }
          }
        }
        if (bias) acc += bias[oc];
        acc =
            ref_multiply_by_quantized_multiplier(acc, multiplier[oc], shift[oc]) + p->output_offset;
        output[(out_y * p->out_w + out_x) * p->out_c + oc] = clamp_s8(acc, p->act_min, p->act_max);
      }
    }
  }
}

void ref_depthwise_conv2d_ext_s8(const ref_conv_params_t* p, int32_t dilation_h, int32_t dilation_w,
                                 int32_t depth_multiplier, const int32_t* multiplier,
                                 const int32_t* shift, const int8_t* input, const int8_t* filter,
                                 const int32_t* bias, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    const int32_t in_y0 = out_y * p->stride_h - p->pad_top;
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      const int32_t in_x0 = out_x * p->stride_w - p->pad_left;
      for (int32_t ic = 0; ic < p->in_c; ++ic) {
        for (int32_t m = 0; m < depth_multiplier; ++m) {
          const int32_t oc = ic * depth_multiplier + m;
          int32_t acc = 0;
          for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
            const int32_t in_y = in_y0 + dilation_h * fy;
            if (in_y < 0 || in_y >= p->in_h) continue;
            for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
              const int32_t in_x = in_x0 + dilation_w * fx;
              if (in_x < 0 || in_x >= p->in_w) continue;
              const int32_t x = (int32_t)input[(in_y * p->in_w + in_x) * p->in_c + ic];
              const int32_t w = (int32_t)filter[(fy * p->kernel_w + fx) * p->out_c + oc];
              acc += (x + p->input_offset) * w;
            }
          }
          if (bias) acc += bias[oc];
          acc = ref_multiply_by_quantized_multiplier(acc, multiplier[oc], shift[oc]) +
                p->output_offset;
          output[(out_y * p->out_w + out_x) * p->out_c + oc] =
              clamp_s8(acc, p->act_min, p->act_max);
        }
      }
    }
  }
}

void ref_add_broadcast_s8(const ref_add_params_t* p, const int32_t in1_dims[4],
                          const int32_t in2_dims[4], const int32_t out_dims[4],
                          const int8_t* input1, const int8_t* input2, int8_t* output) {
  /* Element strides of each input, 0 along a broadcast (size-1) dimension. */
  int32_t s1[4], s2[4];
  int32_t n1 = 1, n2 = 1;
  for (int32_t d = 3; d >= 0; --d) {
    s1[d] = in1_dims[d] == 1 ? 0 : n1;
    s2[d] = in2_dims[d] == 1 ? 0 : n2;
    n1 *= in1_dims[d];
    n2 *= in2_dims[d];
  }
  for (int32_t i0 = 0; i0 < out_dims[0]; ++i0) {
    for (int32_t i1 = 0; i1 < out_dims[1]; ++i1) {
      for (int32_t i2 = 0; i2 < out_dims[2]; ++i2) {
        for (int32_t i3 = 0; i3 < out_dims[3]; ++i3) {
          const int32_t a = input1[i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3]];
          const int32_t b = input2[i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3]];
          const int32_t x1 = (a + p->input1_offset) * ((int32_t)1 << p->left_shift);
          const int32_t x2 = (b + p->input2_offset) * ((int32_t)1 << p->left_shift);
          const int32_t r1 =
              ref_multiply_by_quantized_multiplier(x1, p->input1_multiplier, p->input1_shift);
          const int32_t r2 =
              ref_multiply_by_quantized_multiplier(x2, p->input2_multiplier, p->input2_shift);
          const int32_t out =
              ref_multiply_by_quantized_multiplier(r1 + r2, p->output_multiplier, p->output_shift) +
              p->output_offset;
          *output++ = clamp_s8(out, p->act_min, p->act_max);
        }
      }
    }
  }
}

void ref_concat_n_s8(int32_t num_inputs, int32_t outer, const int32_t* inner,
                     const int8_t* const* inputs, int8_t* output) {
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t k = 0; k < num_inputs; ++k) {
      const int8_t* in = inputs[k] + o * inner[k];
      for (int32_t i = 0; i < inner[k]; ++i) *output++ = in[i];
    }
  }
}

void ref_mean_s8(const int32_t dims[4], uint32_t axis_mask, int32_t input_zero_point,
                 int32_t multiplier, int32_t shift, int32_t output_zero_point, const int8_t* input,
                 int8_t* output) {
  int32_t out_dims[4], red_dims[4], stride[4];
  int32_t n = 1, s = 1;
  for (int32_t d = 3; d >= 0; --d) {
    const int reduced = (axis_mask >> d) & 1u;
    out_dims[d] = reduced ? 1 : dims[d];
    red_dims[d] = reduced ? dims[d] : 1;
    if (reduced) n *= dims[d];
    stride[d] = s;
    s *= dims[d];
  }
  for (int32_t o0 = 0; o0 < out_dims[0]; ++o0)
    for (int32_t o1 = 0; o1 < out_dims[1]; ++o1)
      for (int32_t o2 = 0; o2 < out_dims[2]; ++o2)
        for (int32_t o3 = 0; o3 < out_dims[3]; ++o3) {
          int32_t sum = 0;
          for (int32_t r0 = 0; r0 < red_dims[0]; ++r0)
            for (int32_t r1 = 0; r1 < red_dims[1]; ++r1)
              for (int32_t r2 = 0; r2 < red_dims[2]; ++r2)
                for (int32_t r3 = 0; r3 < red_dims[3]; ++r3) {
                  sum += input[(o0 + r0) * stride[0] + (o1 + r1) * stride[1] +
                               (o2 + r2) * stride[2] + (o3 + r3) * stride[3]];
                }
          const int32_t v =
              ref_multiply_by_quantized_multiplier(sum - input_zero_point * n, multiplier, shift) +
              output_zero_point;
          *output++ = clamp_s8(v, -128, 127);
        }
}
