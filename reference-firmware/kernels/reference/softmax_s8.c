/*
 * int8 SOFTMAX in the CMSIS-NN arm_softmax_s8 formulation (CMSIS-NN
 * Source/SoftmaxFunctions/arm_softmax_s8.c, helpers from arm_nnsupportfunctions.h), which computes
 * the same integers as TFLite's reference int8 Softmax (gemmlowp fixed point):
 *   diff      = x - max(row)                        (skipped if diff < diff_min -> output -128)
 *   scaled    = SRDHM(diff << input_left_shift, input_multiplier)    Q5.26
 *   e         = exp_on_negative_values(scaled)                        Q0.31
 *   sum      += rounding_divide_by_pot(e, 12)                         Q12.19
 *   recip     = 1 / (1 + x) with sum normalized by its leading zeros
 *   out       = rounding_divide_by_pot(SRDHM(recip, e), 35 - clz(sum)) - 128, clamped to int8
 */
#include "ref_kernels.h"
#include "requantize.h"

#define ACCUM_BITS 12

#define MUL_SAT(a, b) ref_saturating_rounding_doubling_high_mul((a), (b))
#define DIV_POW2(a, e) ref_rounding_divide_by_pot((a), (e))

/* Saturating x * 2^e, 0 < e < 31 (arm_nn_mult_by_power_of_two). */
static int32_t mul_pow2_sat(int32_t x, int32_t e) {
  const int32_t thresh = (int32_t)((UINT32_C(1) << (31 - e)) - 1u);
  if (x > thresh) return INT32_MAX;
  if (x < -thresh) return INT32_MIN;
  return (int32_t)((uint32_t)x << e);
}

/* exp(val) for val <= 0 in Q5.26, result in Q0.31 (arm_nn_exp_on_negative_values). */
static int32_t exp_on_negative_values(int32_t val) {
  static const int32_t kBarrel[7] = {1672461947, 1302514674, 790015084, 290630308,
                                     39332535,   720401,     242}; /* exp(-2^k), k = -2..4 */
  const int32_t quarter = (int32_t)1 << 24;                        /* 1/4 in Q5.26 */
  const int32_t val_mod_minus_quarter = (val & (quarter - 1)) - quarter;
  const int32_t remainder = val_mod_minus_quarter - val;
  /* Taylor expansion of exp around -1/8 on [-1/4, 0), in Q0.31. */
  const int32_t x = (int32_t)((uint32_t)val_mod_minus_quarter << 5) + ((int32_t)1 << 28);
  const int32_t x2 = MUL_SAT(x, x);
  const int32_t poly =
      DIV_POW2(MUL_SAT(DIV_POW2(MUL_SAT(x2, x2), 2) + MUL_SAT(x2, x), 715827883) + x2, 1);
  int32_t result = 1895147668 + MUL_SAT(1895147668, x + poly);
  for (int32_t k = 0; k < 7; ++k) {
    if (remainder & ((int32_t)1 << (24 + k))) result = MUL_SAT(result, kBarrel[k]);
  }
  return val == 0 ? INT32_MAX : result;
}

/* 1 / (1 + val) for val in [0, 1), Q0.31 in and out (arm_nn_one_over_one_plus_x_for_x_in_0_1). */
static int32_t one_over_one_plus_x(int32_t val) {
  const int64_t sum = (int64_t)val + INT32_MAX;
  const int32_t half_den = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  int32_t x = 1515870810 + MUL_SAT(half_den, -1010580540); /* 48/17 - 32/17 * d, Q2.29 */
  const int32_t one_q2 = (int32_t)1 << 29;
  for (int32_t i = 0; i < 3; ++i) {
    x += mul_pow2_sat(MUL_SAT(x, one_q2 - MUL_SAT(half_den, x)), 2);
  }
  return mul_pow2_sat(x, 1);
}

static int32_t count_leading_zeros(uint32_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return v ? (int32_t)__builtin_clz(v) : 32;
#else
  int32_t n = 0;
  if (!v) return 32;
  while (!(v & 0x80000000u)) {
    v <<= 1;
    n++;
  }
  return n;
#endif
}

void ref_softmax_s8(const int8_t* input, int32_t rows, int32_t row_size, int32_t input_multiplier,
                    int32_t input_left_shift, int32_t diff_min, int8_t* output) {
  const int32_t mask = (int32_t)1 << input_left_shift;
  for (int32_t r = 0; r < rows; ++r) {
    int8_t max = input[0];
    for (int32_t c = 1; c < row_size; ++c) {
      if (input[c] > max) max = input[c];
    }
    int32_t sum = 0;
    for (int32_t c = 0; c < row_size; ++c) {
      const int32_t diff = (int32_t)input[c] - max;
      if (diff >= diff_min) {
        sum += DIV_POW2(exp_on_negative_values(MUL_SAT(diff * mask, input_multiplier)), ACCUM_BITS);
      }
    }
    const int32_t headroom = count_leading_zeros((uint32_t)sum);
    const int32_t bits_over_unit = ACCUM_BITS - headroom + 23;
    const uint32_t normalized = sum > 0 ? (uint32_t)sum << headroom : 0u;
    const int32_t shifted_scale = one_over_one_plus_x((int32_t)(normalized - 0x80000000u));
    for (int32_t c = 0; c < row_size; ++c) {
      const int32_t diff = (int32_t)input[c] - max;
      if (diff >= diff_min) {
        const int32_t e = exp_on_negative_values(MUL_SAT(diff * mask, input_multiplier));
        int32_t res = DIV_POW2(MUL_SAT(shifted_scale, e), bits_over_unit) - 128;
        if (res < -128) res = -128;
        if (res > 127) res = 127;
        output[c] = (int8_t)res;
      } else {
        output[c] = -128;
      }
    }
    input += row_size;
    output += row_size;
  }
}
