/*
 * int8 FULLY_CONNECTED, per-tensor requantization. Bit-identical to
 * kernels/reference/fully_connected_s8.c.
 *
 * Two output rows per pass; per 4 inputs: one input word widened once with SXTAB16 (+ROR 8)
 * (input_offset added) into (x0,x2) / (x1,x3), one weight word per row widened with SXTB16
 * (+ROR 8) into the same pair order, two SMLADs per row. No scratch memory.
 * Design: CMSIS-NN arm_fully_connected_s8 / arm_nn_vec_mat_mult_t_s8 (docs/models/kernels.md).
 */
#include "arm_simd.h"
#include "nn_kernels.h"
#include "opt_internal.h"

size_t nn_fully_connected_s8_scratch_bytes(const nn_fc_params_t* p) {
  (void)p;
  return 0;
}

void nn_fully_connected_s8(const nn_fc_params_t* p, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output, void* scratch) {
  (void)scratch;
  const int32_t n = p->in_len;
  const int32_t groups = n >> 2;
  const int32_t n4 = groups << 2;
  const int32_t off = p->input_offset;
  const uint32_t offset2 = nn_dup16(off);
  int32_t o = 0;
  for (; o + 1 < p->out_len; o += 2) {
    const int8_t* w0 = filter + o * n;
    const int8_t* w1 = w0 + n;
    const int8_t* x = input;
    int32_t a0 = bias ? bias[o] : 0;
    int32_t a1 = bias ? bias[o + 1] : 0;
    for (int32_t g = groups; g > 0; --g) {
      const uint32_t xv = nn_read_s8x4(x);
      x += 4;
      const uint32_t xe = nn_sxtab16(offset2, xv);
      const uint32_t xo = nn_sxtab16_ror8(offset2, xv);
      const uint32_t wa = nn_read_s8x4(w0);
      w0 += 4;
      a0 = nn_smlad(nn_sxtb16(wa), xe, a0);
      a0 = nn_smlad(nn_sxtb16_ror8(wa), xo, a0);
      const uint32_t wb = nn_read_s8x4(w1);
      w1 += 4;
      a1 = nn_smlad(nn_sxtb16(wb), xe, a1);
      a1 = nn_smlad(nn_sxtb16_ror8(wb), xo, a1);
    }
    for (int32_t i = n4; i < n; ++i) {
      const int32_t xv = (int32_t)*x++ + off;
      a0 += xv * *w0++;
      a1 += xv * *w1++;
    }
    output[o] = nn_requant_clamp(a0, p->multiplier, p->shift, p->output_offset, p->act_min,
                                 p->act_max);
    output[o + 1] = nn_requant_clamp(a1, p->multiplier, p->shift, p->output_offset, p->act_min,
                                     p->act_max);
  }
  if (o < p->out_len) {
    const int8_t* w0 = filter + o * n;
    const int8_t* x = input;
    int32_t a0 = bias ? bias[o] : 0;
    for (int32_t g = groups; g > 0; --g) {
      const uint32_t xv = nn_read_s8x4(x);
      x += 4;
      const uint32_t wa = nn_read_s8x4(w0);
      w0 += 4;
      a0 = nn_smlad(nn_sxtb16(wa), nn_sxtab16(offset2, xv), a0);
      a0 = nn_smlad(nn_sxtb16_ror8(wa), nn_sxtab16_ror8(offset2, xv), a0);
    }
    for (int32_t i = n4; i < n; ++i) a0 += ((int32_t)*x++ + off) * *w0++;
    output[o] = nn_requant_clamp(a0, p->multiplier, p->shift, p->output_offset, p->act_min,
                                 p->act_max);
  }
}
