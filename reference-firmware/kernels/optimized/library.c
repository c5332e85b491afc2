/*
 * Library identity and the operators this library does not re-implement: softmax and average
 * pooling forward to the reference kernels (kernels/reference/softmax_s8.c, avgpool_s8.c), which
 * are a negligible share of every MLPerf Tiny network's cycles.
 */
#include "nn_kernels.h"

const char* nn_library_name(void) { return "optimized"; }

void nn_avgpool_s8(const nn_conv_params_t* p, const int8_t* input, int8_t* output) {
  ref_avgpool_s8(p, input, output);
}

void nn_softmax_s8(const int8_t* input, int32_t rows, int32_t row_size, int32_t input_multiplier,
                   int32_t input_left_shift, int32_t diff_min, int8_t* output) {
  ref_softmax_s8(input, rows, row_size, input_multiplier, input_left_shift, diff_min, output);
}
