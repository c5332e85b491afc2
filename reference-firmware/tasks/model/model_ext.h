/*
 * Extended layers of an imported .tflite model (issue 17): what the layer-table format
 * (workloads/net/net_model.h) cannot say and the four hand-described networks never need:
 * dilation, depth multiplier, ADD with broadcasting, CONCATENATION of N inputs, MEAN over any
 * axes. scripts/mcusim_model writes one entry per layer (model_layer_ext[] in model_params.c);
 * kind MODEL_EXT_NONE leaves the layer to the generic driver (tasks/common/net_run.c). The model
 * firmware compiles net_run.c with NET_MODEL_EXT, which calls net_run_layer_ext() first; the task
 * firmware is built without it and is unchanged.
 */
#ifndef MCUSIM_TASKS_MODEL_EXT_H_
#define MCUSIM_TASKS_MODEL_EXT_H_

#include <stdint.h>

#include "net_qparams.h"

#ifdef __cplusplus
extern "C" {
#endif

/* inputs[k] of an ADD whose operand k is the constant `constant` (in flash). */
#define MODEL_EXT_CONST (-4)

/* Most inputs of one CONCATENATION (TensorFlow Lite Micro's kMaxInputNum). */
#define MODEL_EXT_MAX_INPUTS 10

typedef enum {
  MODEL_EXT_NONE = 0,
  MODEL_EXT_CONV_2D = 1,           /* dilation > 1; the layer's geometry and qparams as usual */
  MODEL_EXT_DEPTHWISE_CONV_2D = 2, /* dilation > 1 and/or depth multiplier > 1 */
  MODEL_EXT_ADD_BROADCAST = 3,     /* dims: input1[4], input2[4], output[4] (leading 1s); also a
                                    * same-shape ADD with a constant operand */
  MODEL_EXT_CONCATENATION = 4,     /* dims: outer, inner[num_inputs] (bytes per round) */
  MODEL_EXT_MEAN = 5               /* dims: input[4] (leading 1s); axis_mask: bit d = axis d */
} model_ext_kind_t;

typedef struct {
  model_ext_kind_t kind;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left; /* TFLite padding from the effective filter (k - 1) * dilation + 1 */
  int32_t depth_multiplier;
  int32_t num_inputs;     /* producers in `inputs` (CONCATENATION; 2 for ADD) */
  const int32_t* inputs;  /* NET_INPUT or a layer index, [num_inputs] */
  const int32_t* dims;    /* per kind, see above */
  uint32_t axis_mask;     /* MEAN only */
  const int8_t* constant; /* ADD: the constant operand (inputs[k] == MODEL_EXT_CONST), or NULL */
} model_layer_ext_t;

/* One entry per layer of the model (generated). */
extern const model_layer_ext_t model_layer_ext[];

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_TASKS_MODEL_EXT_H_ */
