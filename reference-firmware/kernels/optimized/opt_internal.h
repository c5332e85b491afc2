/* Helpers shared by the optimized kernels (not part of the contract). */
#ifndef MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_
#define MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_

#include <stdint.h>

#include "requantize.h"

/* Same arithmetic, in the same order, as the reference kernels' epilogue. */
static inline int8_t nn_requant_clamp(int32_t acc, int32_t multiplier, int32_t shift,
                                      int32_t output_offset, int32_t act_min, int32_t act_max) {
  acc = ref_multiply_by_quantized_multiplier(acc, multiplier, shift);
  acc += output_offset;
  if (acc < act_min) acc = act_min;
  if (acc > act_max) acc = act_max;
  return (int8_t)acc;
}

#endif /* MCUSIM_KERNELS_OPTIMIZED_OPT_INTERNAL_H_ */
