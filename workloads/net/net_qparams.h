/*
 * Quantized parameters of a network as laid out in the generated <task>_params.c (written by the
 * host tool net_gen, see workloads/README.md). Everything is `const`, so it lands in .rodata
 * (flash) on the firmware.
 */
#ifndef MCUSIM_WORKLOADS_NET_QPARAMS_H_
#define MCUSIM_WORKLOADS_NET_QPARAMS_H_

#include <stdint.h>

#include "net_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const int8_t* weights;     /* layout: see net_model.h; NULL for ops without weights */
  const int32_t* bias;       /* int32, scale in_scale * w_scale[c], zero point 0 */
  const int32_t* multiplier; /* per channel (CONV/DW) or [1] (FC); TFLite QuantizeMultiplier */
  const int32_t* shift;      /* TFLite convention: > 0 left shift, < 0 right shift */
  int32_t input_zero_point;
  int32_t input2_zero_point; /* ADD only */
  int32_t output_zero_point;
  int32_t act_min; /* clamp range of the output, int8 domain (ReLU: max(-128, zp)) */
  int32_t act_max;
  /* SOFTMAX only (TFLite PreprocessSoftmaxScaling, beta 1, 5 integer bits). */
  int32_t softmax_input_multiplier;
  int32_t softmax_input_left_shift;
  int32_t softmax_diff_min;
  /* ADD only (TFLite int8 Add, left_shift 20; shifts <= 0 = right shifts). */
  int32_t add_input1_multiplier, add_input1_shift;
  int32_t add_input2_multiplier, add_input2_shift;
  int32_t add_output_multiplier, add_output_shift;
} net_layer_qparams_t;

/* Activation arena plan (computed by the generator, workloads/README.md "Arena"): byte offsets
 * of every tensor inside the activation area; RESHAPE outputs alias their input. */
typedef struct {
  const net_model_t* model;
  const net_layer_qparams_t* layers; /* [model->num_layers] */
  const int8_t* input;               /* [net_shape_elems(model->input_shape)] */
  const char* const* labels;         /* ROI label per layer "name=.. op=.. out=HxWxC macs=N" */
  const uint32_t* out_offset;        /* [model->num_layers] */
  uint32_t input_offset;
  uint32_t activation_bytes; /* size of the activation area (multiple of 16) */
} net_params_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCUSIM_WORKLOADS_NET_QPARAMS_H_ */
