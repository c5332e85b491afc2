/*
 * Requantization helpers, TFLite int8 semantics (written in the CMSIS-NN formulation:
 * arm_nn_doubling_high_mult / arm_nn_divide_by_power_of_two / arm_nn_requantize).
 *
 *   ref_multiply_by_quantized_multiplier(x, m, shift) ~= x * m * 2^(shift - 31)
 *     = rounding_divide_by_pot(saturating_rounding_doubling_high_mul(x << max(shift,0), m),
 *                              max(-shift, 0))
 *
 * Rounding: the doubling high multiply rounds ties toward +infinity (like ARM VQRDMULH); the
 * power-of-two divide rounds ties away from zero. Plain C99, no harness calls: this header is
 * compiled for the Cortex-M4 firmware and for the host tests.
 */
#ifndef MCUSIM_KERNELS_REQUANTIZE_H_
#define MCUSIM_KERNELS_REQUANTIZE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* round(a * b / 2^31), saturating the single overflow case INT32_MIN * INT32_MIN. */
static inline int32_t ref_saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t acc = (int64_t)1 << 30; /* rounding offset for the >> 31 below */
  if ((a < 0) != (b < 0)) acc = 1 - acc;
  acc += (int64_t)a * (int64_t)b;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(acc / ((int64_t)1 << 31)); /* C division truncates toward zero */
}

/* x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31. */
static inline int32_t ref_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int32_t mask = (int32_t)((UINT32_C(1) << exponent) - 1u);
  const int32_t remainder = x & mask;
  int32_t result = x >> exponent; /* arithmetic shift (GCC/Clang on all targets we build) */
  int32_t threshold = mask >> 1;
  if (result < 0) threshold++;
  if (remainder > threshold) result++;
  return result;
}

/* TFLite MultiplyByQuantizedMultiplier; shift > 0 is a left shift, shift < 0 a right shift. */
static inline int32_t ref_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                           int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  return ref_rounding_divide_by_pot(
      ref_saturating_rounding_doubling_high_mul((int32_t)((uint32_t)x << left), multiplier), right);
}

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_KERNELS_REQUANTIZE_H_ */
