/*
 * int8 MAX_POOL_2D, PAD, MEAN over height and width, and CONCATENATION of two tensors, for the
 * operators of imported .tflite models (issue 17). Shared by both kernel libraries (ref_kernels
 * is linked into each): they move or reduce data and are a negligible share of a network's
 * cycles. Arithmetic as TensorFlow Lite Micro's reference kernels:
 *   MAX_POOL_2D   reference_integer_ops::MaxPool: max over the in-bounds taps, then the
 *                 activation clamp (input and output share scale and zero point).
 *   PAD           reference_ops::Pad: the pad value is the output zero point (PAD) or the
 *                 constant (PADV2); values are copied unchanged.
 *   MEAN          reference_ops::QuantizedMeanOrSum (compute_sum false): the raw sum over the
 *                 reduced elements minus input_zp * n, MultiplyByQuantizedMultiplier with the
 *                 multiplier/shift already folded with 1/n by the importer, + output zp, clamp.
 *   CONCATENATION reference_ops::Concatenation: a copy (TFLM requires equal quantization).
 */
#include "ref_kernels.h"
#include "requantize.h"

void ref_maxpool_s8(const ref_conv_params_t* p, const int8_t* input, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      for (int32_t c = 0; c < p->out_c; ++c) {
        int32_t max = -128;
        for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
          const int32_t in_y = out_y * p->stride_h - p->pad_top + fy;
          if (in_y < 0 || in_y >= p->in_h) continue;
          for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
            const int32_t in_x = out_x * p->stride_w - p->pad_left + fx;
            if (in_x < 0 || in_x >= p->in_w) continue;
            const int32_t v = input[(in_y * p->in_w + in_x) * p->in_c + c];
            if (v > max) max = v;
          }
        }
        if (max < p->act_min) max = p->act_min;
        if (max > p->act_max) max = p->act_max;
        output[(out_y * p->out_w + out_x) * p->out_c + c] = (int8_t)max;
      }
    }
  }
}

void ref_pad_s8(const ref_pad_params_t* p, const int8_t* input, int8_t* output) {
  for (int32_t y = 0; y < p->out_h; ++y) {
    const int32_t in_y = y - p->pad_top;
    for (int32_t x = 0; x < p->out_w; ++x) {
      const int32_t in_x = x - p->pad_left;
      const int inside = in_y >= 0 && in_y < p->in_h && in_x >= 0 && in_x < p->in_w;
      int8_t* o = output + (y * p->out_w + x) * p->out_c;
      for (int32_t c = 0; c < p->out_c; ++c) {
        const int32_t in_c = c - p->pad_channel;
        o[c] = inside && in_c >= 0 && in_c < p->in_c
                   ? input[(in_y * p->in_w + in_x) * p->in_c + in_c]
                   : p->value;
      }
    }
  }
}

void ref_mean_hw_s8(int32_t h, int32_t w, int32_t c, int32_t input_zero_point, int32_t multiplier,
                    int32_t shift, int32_t output_zero_point, const int8_t* input, int8_t* output) {
  const int32_t n = h * w;
  for (int32_t ch = 0; ch < c; ++ch) {
    int32_t sum = 0;
    for (int32_t i = 0; i < n; ++i) sum += input[i * c + ch];
    int32_t v =
        ref_multiply_by_quantized_multiplier(sum - input_zero_point * n, multiplier, shift) +
        output_zero_point;
    if (v < -128) v = -128;
    if (v > 127) v = 127;
    output[ch] = (int8_t)v;
  }
}

void ref_concat_s8(int32_t outer, int32_t len1, int32_t len2, const int8_t* input1,
                   const int8_t* input2, int8_t* output) {
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < len1; ++i) *output++ = input1[o * len1 + i];
    for (int32_t i = 0; i < len2; ++i) *output++ = input2[o * len2 + i];
  }
}
