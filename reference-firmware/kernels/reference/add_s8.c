/* int8 ADD (TFLite reference_integer_ops::AddElementwise, int8 Add with left_shift 20). */
#include "ref_kernels.h"
#include "requantize.h"

void ref_add_s8(const ref_add_params_t* p, const int8_t* input1, const int8_t* input2,
                int8_t* output) {
  for (int32_t i = 0; i < p->length; ++i) {
    const int32_t x1 = ((int32_t)input1[i] + p->input1_offset) * ((int32_t)1 << p->left_shift);
    const int32_t x2 = ((int32_t)input2[i] + p->input2_offset) * ((int32_t)1 << p->left_shift);
    const int32_t s1 = ref_multiply_by_quantized_multiplier(x1, p->input1_multiplier,
                                                            p->input1_shift);
    const int32_t s2 = ref_multiply_by_quantized_multiplier(x2, p->input2_multiplier,
                                                            p->input2_shift);
    int32_t out = ref_multiply_by_quantized_multiplier(s1 + s2, p->output_multiplier,
                                                       p->output_shift) +
                  p->output_offset;
    if (out < p->act_min) out = p->act_min;
    if (out > p->act_max) out = p->act_max;
    output[i] = (int8_t)out;
  }
}
