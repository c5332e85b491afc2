/* int8 FULLY_CONNECTED, per-tensor requantization (TFLite reference_integer_ops::FullyConnected).
 */
#include "ref_kernels.h"
#include "requantize.h"

void ref_fully_connected_s8(const ref_fc_params_t* p, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output) {
  for (int32_t o = 0; o < p->out_len; ++o) {
    const int8_t* w = filter + o * p->in_len;
    int32_t acc = 0;
    for (int32_t i = 0; i < p->in_len; ++i) {
      acc += ((int32_t)input[i] + p->input_offset) * (int32_t)w[i];
    }
    if (bias) acc += bias[o];
    acc = ref_multiply_by_quantized_multiplier(acc, p->multiplier, p->shift);
    acc += p->output_offset;
    if (acc < p->act_min) acc = p->act_min;
    if (acc > p->act_max) acc = p->act_max;
    output[o] = (int8_t)acc;
  }
}
