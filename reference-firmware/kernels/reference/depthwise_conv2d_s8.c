/* int8 DEPTHWISE_CONV_2D, depth multiplier 1, per-channel requantization
 * (TFLite reference_integer_ops::DepthwiseConvPerChannel). */
#include "ref_kernels.h"
#include "requantize.h"

void ref_depthwise_conv2d_s8(const ref_conv_params_t* p, const int32_t* multiplier,
                             const int32_t* shift, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    const int32_t in_y0 = out_y * p->stride_h - p->pad_top;
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      const int32_t in_x0 = out_x * p->stride_w - p->pad_left;
      for (int32_t c = 0; c < p->out_c; ++c) {
        int32_t acc = 0;
        for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
          const int32_t in_y = in_y0 + fy;
          if (in_y < 0 || in_y >= p->in_h) continue;
          for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
            const int32_t in_x = in_x0 + fx;
            if (in_x < 0 || in_x >= p->in_w) continue;
            const int32_t x = (int32_t)input[(in_y * p->in_w + in_x) * p->in_c + c];
            const int32_t w = (int32_t)filter[(fy * p->kernel_w + fx) * p->out_c + c];
            acc += (x + p->input_offset) * w;
          }
        }
        if (bias) acc += bias[c];
        acc = ref_multiply_by_quantized_multiplier(acc, multiplier[c], shift[c]);
        acc += p->output_offset;
        if (acc < p->act_min) acc = p->act_min;
        if (acc > p->act_max) acc = p->act_max;
        output[(out_y * p->out_w + out_x) * p->out_c + c] = (int8_t)acc;
      }
    }
  }
}
