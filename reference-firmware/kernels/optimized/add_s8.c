/*
 * int8 ADD (TFLite reference_integer_ops::Add / CMSIS-NN arm_elementwise_add_s8 semantics):
 *   a = (in1 + input1_offset) << left_shift ; a = MBQM(a, input1_multiplier, input1_shift)
 *   b = (in2 + input2_offset) << left_shift ; b = MBQM(b, input2_multiplier, input2_shift)
 *   out = clamp(MBQM(a + b, output_multiplier, output_shift) + output_offset)
 * MBQM = ref_multiply_by_quantized_multiplier (equal to TFLite's
 * MultiplyByQuantizedMultiplierSmallerThanOneExp for the shift <= 0 that int8 Add uses).
 * The contract's ref_kernels.h has no ref_add_s8, so this library carries its own (scalar: the
 * three requantizations per element dominate; there is nothing to vectorise on an M4).
 */
#include "nn_kernels.h"
#include "opt_internal.h"

void nn_add_s8(const nn_add_params_t* p, const int8_t* input1, const int8_t* input2,
               int8_t* output) {
  const int32_t ls = p->left_shift;
  for (int32_t i = 0; i < p->length; ++i) {
    const int32_t a = (int32_t)((uint32_t)((int32_t)input1[i] + p->input1_offset) << ls);
    const int32_t b = (int32_t)((uint32_t)((int32_t)input2[i] + p->input2_offset) << ls);
    const int32_t sa = ref_multiply_by_quantized_multiplier(a, p->input1_multiplier,
                                                            p->input1_shift);
    const int32_t sb = ref_multiply_by_quantized_multiplier(b, p->input2_multiplier,
                                                            p->input2_shift);
    int32_t r = ref_multiply_by_quantized_multiplier(sa + sb, p->output_multiplier,
                                                     p->output_shift);
    r += p->output_offset;
    if (r < p->act_min) r = p->act_min;
    if (r > p->act_max) r = p->act_max;
    output[i] = (int8_t)r;
  }
}
