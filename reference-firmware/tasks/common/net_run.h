/*
 * Generic inference driver: runs any network of the layer-table format (workloads/net) over its
 * generated parameters (<task>_params.c) with the linked kernel library (nn_kernels.h).
 * Plain C99, no harness calls except the ROI markers (compiled out with MCUSIM_NO_MARKERS), so the
 * host tests run it unchanged.
 *
 * Arena layout (net_arena_bytes() bytes, 16-byte aligned):
 *   [0, S)      kernel scratch, S = largest *_scratch_bytes need of any layer rounded up to 16
 *               (0 for the reference library)
 *   [S, S + A)  activations: A = params->activation_bytes, tensors at the generator's planned
 *               offsets (params->input_offset, params->out_offset[i]; RESHAPE aliases its input)
 */
#ifndef MCUSIM_TASKS_NET_RUN_H_
#define MCUSIM_TASKS_NET_RUN_H_

#include <stddef.h>
#include <stdint.h>

#include "net_qparams.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ROI ids: the whole inference, and 100 + layer index for each executed layer (RESHAPE is a
 * no-op and gets no region). */
#define NET_ROI_INFERENCE 1u
#define NET_ROI_LAYER_BASE 100u

/* Largest scratch need of any layer with the linked library. */
size_t net_scratch_bytes(const net_params_t* params);
/* Bytes the arena must have: scratch (rounded up to 16) + activation area. */
size_t net_arena_bytes(const net_params_t* params);

/* Where the network input goes (the caller copies it there before net_infer). */
int8_t* net_input_tensor(const net_params_t* params, int8_t* arena);
/* Tensor produced by layer i (i = NET_INPUT: the network input) inside the arena. */
int8_t* net_layer_output(const net_params_t* params, int8_t* arena, int32_t i);

/* Runs layer i on the tensors at their planned places (no ROI markers). */
void net_run_layer(const net_params_t* params, int32_t i, int8_t* arena);

#ifdef NET_MODEL_EXT
/* Imported-model firmware only (tasks/model/model_ext.c): runs layer i if it is an extended
 * layer (dilation, depth multiplier, broadcast ADD, N-way CONCATENATION, MEAN over any axes) and
 * returns 1; returns 0 for a layer net_run_layer runs itself. */
int net_run_layer_ext(const net_params_t* params, int32_t i, int8_t* arena);
#endif

/* One inference inside ROI 1 "name=inference", each layer in ROI 100 + i with its label.
 * Returns the network output inside the arena. */
const int8_t* net_infer(const net_params_t* params, int8_t* arena);

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_TASKS_NET_RUN_H_ */
