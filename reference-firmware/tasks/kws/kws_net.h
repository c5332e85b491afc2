/* DS-CNN (kws01) inference driver over the network description and the generated parameters. */
#ifndef MCUSIM_TASKS_KWS_NET_H_
#define MCUSIM_TASKS_KWS_NET_H_

#include <stdint.h>

#include "kws_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Two ping-pong buffers of the largest activation tensor (25x5x64 int8): 16,000 bytes, the peak
 * live activation size of mlperf-tiny.md section 1.1. */
#define KWS_ARENA_BYTES (2 * KWS_MAX_TENSOR_BYTES)

/* ROI ids: the whole inference, and 100 + layer index for each executed layer (RESHAPE, layer
 * 10, is a no-op and gets no region). */
#define KWS_ROI_INFERENCE 1u
#define KWS_ROI_LAYER_BASE 100u

/* Runs one inference. arena: KWS_ARENA_BYTES bytes whose first KWS_INPUT_SIZE bytes hold the
 * int8 input (49x10). Returns a pointer into the arena to the 12 int8 softmax scores. */
const int8_t* kws_infer(int8_t* arena);

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_TASKS_KWS_NET_H_ */
