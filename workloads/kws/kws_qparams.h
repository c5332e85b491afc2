/*
 * Quantized parameters of the DS-CNN as laid out in the generated kws_params.c (written by the
 * host tool kws_gen, see workloads/README.md). Everything is `const`, so it lands in .rodata
 * (flash) on the firmware.
 */
#ifndef MCUSIM_WORKLOADS_KWS_QPARAMS_H_
#define MCUSIM_WORKLOADS_KWS_QPARAMS_H_

#include <stdint.h>

#include "kws_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const int8_t* weights;     /* layout: see kws_model.h; NULL for ops without weights */
  const int32_t* bias;       /* int32, scale in_scale * w_scale[c], zero point 0 */
  const int32_t* multiplier; /* per channel (CONV/DW) or [1] (FC); TFLite QuantizeMultiplier */
  const int32_t* shift;      /* TFLite convention: > 0 left shift, < 0 right shift */
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t act_min; /* clamp range of the output, int8 domain (ReLU: max(-128, zp)) */
  int32_t act_max;
  /* SOFTMAX only (TFLite PreprocessSoftmaxScaling, beta 1, 5 integer bits). */
  int32_t softmax_input_multiplier;
  int32_t softmax_input_left_shift;
  int32_t softmax_diff_min;
} kws_layer_qparams_t;

extern const kws_layer_qparams_t kws_qparams[KWS_NUM_LAYERS];
extern const int8_t kws_input[KWS_INPUT_SIZE];
/* ROI label per layer: "name=<n> op=<OP> out=<H>x<W>x<C> macs=<N>". */
extern const char* const kws_layer_labels[KWS_NUM_LAYERS];

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCUSIM_WORKLOADS_KWS_QPARAMS_H_ */
