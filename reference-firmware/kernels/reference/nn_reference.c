/* The kernel-library contract (nn_kernels.h) implemented by the portable reference kernels: no
 * scratch memory, each nn_* call forwards to its ref_* kernel. */
#include "nn_kernels.h"

const char* nn_library_name(void) {
  return "reference";
}

size_t nn_conv2d_s8_scratch_bytes(const nn_conv_params_t* p) {
  (void)p;
  return 0;
}

size_t nn_depthwise_conv2d_s8_scratch_bytes(const nn_conv_params_t* p) {
  (void)p;
  return 0;
}

size_t nn_fully_connected_s8_scratch_bytes(const nn_fc_params_t* p) {
  (void)p;
  return 0;
}

void nn_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier, const int32_t* shift,
                  const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
                  void* scratch) {
  (void)scratch;
  ref_conv2d_s8(p, multiplier, shift, input, filter, bias, output);
}

void nn_depthwise_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier,
                            const int32_t* shift, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, void* scratch) {
  (void)scratch;
  ref_depthwise_conv2d_s8(p, multiplier, shift, input, filter, bias, output);
}

void nn_avgpool_s8(const nn_conv_params_t* p, const int8_t* input, int8_t* output) {
  ref_avgpool_s8(p, input, output);
}

void nn_fully_connected_s8(const nn_fc_params_t* p, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output, void* scratch) {
  (void)scratch;
  ref_fully_connected_s8(p, input, filter, bias, output);
}

void nn_softmax_s8(const int8_t* input, int32_t rows, int32_t row_size, int32_t input_multiplier,
                   int32_t input_left_shift, int32_t diff_min, int8_t* output) {
  ref_softmax_s8(input, rows, row_size, input_multiplier, input_left_shift, diff_min, output);
}

void nn_add_s8(const nn_add_params_t* p, const int8_t* input1, const int8_t* input2,
               int8_t* output) {
  ref_add_params_t r;
  r.length = p->length;
  r.input1_offset = p->input1_offset;
  r.input2_offset = p->input2_offset;
  r.output_offset = p->output_offset;
  r.left_shift = p->left_shift;
  r.input1_multiplier = p->input1_multiplier;
  r.input1_shift = p->input1_shift;
  r.input2_multiplier = p->input2_multiplier;
  r.input2_shift = p->input2_shift;
  r.output_multiplier = p->output_multiplier;
  r.output_shift = p->output_shift;
  r.act_min = p->act_min;
  r.act_max = p->act_max;
  ref_add_s8(&r, input1, input2, output);
}
