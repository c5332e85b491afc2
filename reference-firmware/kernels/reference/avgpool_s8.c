/* int8 AVERAGE_POOL_2D (TFLite reference_integer_ops::AveragePool). */
#include "ref_kernels.h"

void ref_avgpool_s8(const ref_conv_params_t* p, const int8_t* input, int8_t* output) {
  for (int32_t out_y = 0; out_y < p->out_h; ++out_y) {
    for (int32_t out_x = 0; out_x < p->out_w; ++out_x) {
      for (int32_t c = 0; c < p->out_c; ++c) {
        int32_t sum = 0;
        int32_t count = 0;
        for (int32_t fy = 0; fy < p->kernel_h; ++fy) {
          const int32_t in_y = out_y * p->stride_h - p->pad_top + fy;
          if (in_y < 0 || in_y >= p->in_h) continue;
          for (int32_t fx = 0; fx < p->kernel_w; ++fx) {
            const int32_t in_x = out_x * p->stride_w - p->pad_left + fx;
            if (in_x < 0 || in_x >= p->in_w) continue;
            sum += input[(in_y * p->in_w + in_x) * p->in_c + c];
            count++;
          }
        }
        if (count == 0) count = 1; /* cannot happen with valid geometry */
        /* Round half away from zero (C division truncates toward zero). */
        int32_t avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
        if (avg < p->act_min) avg = p->act_min;
        if (avg > p->act_max) avg = p->act_max;
        output[(out_y * p->out_w + out_x) * p->out_c + c] = (int8_t)avg;
      }
    }
  }
}
