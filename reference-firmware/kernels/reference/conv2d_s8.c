/* int8 CONV_2D, per-channel requantization (TFLite reference_integer_ops::ConvPerChannel). */
#include "ref_kernels.h"
#include "requantize.h"

void ref_conv2d_s8(const ref_conv_params_t* p, const int32_t* multiplier, const int32_t* shift,
                   const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    const int32_t in_y0 = out_y * p->stride_h - p->pad_top;
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      const int32_t in_x0 = out_x * p->stride_w - p->pad_left;
      for (int32_t oc = 0; oc < p->out_c; ++oc) {
        int32_t acc = 0;
        for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
          const int32_t in_y = in_y0 + fy;
          if (in_y < 0 || in_y >= p->in_h) continue; /* zero padding */
          for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
            const int32_t in_x = in_x0 + fx;
            if (in_x < 0 || in_x >= p->in_w) continue;
            const int8_t* in = input + (in_y * p->in_w + in_x) * p->in_c;
            const int8_t* w = filter + ((oc * p->kernel_h + fy) * p->kernel_w + fx) * p->in_c;
            for (int32_t ic = 0; ic < p->in_c; ++ic) {
              acc += ((int32_t)in[ic] + p->input_offset) * (int32_t)w[ic];
            }
          }
        }
        if (bias) acc += bias[oc];
        acc = ref_multiply_by_quantized_multiplier(acc, multiplier[oc], shift[oc]);
        acc += p->output_offset;
        if (acc < p->act_min) acc = p->act_min;
        if (acc > p->act_max) acc = p->act_max;
        output[(out_y * p->out_w + out_x) * p->out_c + oc] = (int8_t)acc;
      }
    }
  }
}
