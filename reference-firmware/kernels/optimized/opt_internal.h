/* Helpers shared by the optimized kernels (not part of the contract). */
#ifndef MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_
#define MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_

#include <stdint.h>

#include "requantize.h"

#if defined(__GNUC__)
#define NN_NOINLINE __attribute__((noinline))
#else
#define NN_NOINLINE
#endif

/*
 * ref_multiply_by_quantized_multiplier (requantize.h), in a branch-free form with the same value
 * for every input (checked exhaustively on edge values and randomly in tests/unit/kernels):
 *  - saturating rounding doubling high multiply: the reference adds 2^30 (product >= 0) or
 *    1 - 2^30 (product < 0) and divides by 2^31 truncating toward zero. For a negative product P,
 *    trunc((P + 1 - 2^30) / 2^31) = ceil(...) = floor((P + 2^30) / 2^31), and for P >= 0 the
 *    truncation is a floor too, so both cases are floor((P + 2^30) / 2^31): one SMLAL on a
 *    64-bit accumulator preloaded with 2^30, then bits [62:31]. The single overflow case
 *    INT32_MIN * INT32_MIN saturates to INT32_MAX as in the reference.
 *  - rounding divide by 2^e, ties away from zero: (x >> e) + ((x & mask) > (mask >> 1) + (x < 0)).
 */
static inline int32_t nn_requantize(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int32_t a = (int32_t)((uint32_t)x << left);
  int32_t high;
  if (a == INT32_MIN && multiplier == INT32_MIN) {
    high = INT32_MAX;
  } else {
    const int64_t prod = (int64_t)a * (int64_t)multiplier + ((int64_t)1 << 30);
    high = (int32_t)(prod >> 31); /* arithmetic shift (GCC/Clang); |prod >> 31| < 2^31 */
  }
  const int32_t mask = (int32_t)((UINT32_C(1) << right) - 1u);
  const int32_t threshold = (mask >> 1) + (int32_t)((uint32_t)high >> 31);
  return (high >> right) + ((high & mask) > threshold);
}

/* Requantize, add the output offset, clamp: the reference kernels' epilogue. */
static inline int8_t nn_requant_clamp(int32_t acc, int32_t multiplier, int32_t shift,
                                      int32_t output_offset, int32_t act_min, int32_t act_max) {
  acc = nn_requantize(acc, multiplier, shift);
  acc += output_offset;
  if (acc < act_min) acc = act_min;
  if (acc > act_max) acc = act_max;
  return (int8_t)acc;
}

#endif /* MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_ */
