/*
 * The kernel-library contract: the int8 operators the MLPerf Tiny tasks call. Two libraries
 * implement it and a task links exactly one of them:
 *   reference  (kernels/reference)  portable C loops, TFLite Micro reference style;
 *   optimized  (kernels/optimized)  im2col + SIMD multiply-accumulate on cores with the DSP
 *                                   extension (SMLAD on SXTB16-extended pairs), specialised 1x1
 *                                   and depthwise 3x3 paths; portable C elsewhere.
 * Both produce bit-identical outputs (TFLite int8 semantics). All tensors are HWC, batch 1.
 * Plain C99, no libc beyond <stdint.h>/<stddef.h>, no harness calls: they also build for the host.
 */
#ifndef MCUSIM_KERNELS_NN_KERNELS_H_
#define MCUSIM_KERNELS_NN_KERNELS_H_

#include <stddef.h>
#include <stdint.h>

#include "ref_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef ref_conv_params_t nn_conv_params_t;
typedef ref_fc_params_t nn_fc_params_t;

/* Elementwise ADD of two int8 tensors with TFLite's int8 Add rescaling (ref_kernels.h). */
typedef ref_add_params_t nn_add_params_t;

/* Name of the linked library: "reference" or "optimized". */
const char* nn_library_name(void);

/* Scratch bytes nn_conv2d_s8 needs for `p` (im2col buffer; 0 for the reference library). The
 * caller passes at least this many bytes, 4-byte aligned. */
size_t nn_conv2d_s8_scratch_bytes(const nn_conv_params_t* p);
/* Scratch bytes nn_depthwise_conv2d_s8 and nn_fully_connected_s8 need (0 for reference). */
size_t nn_depthwise_conv2d_s8_scratch_bytes(const nn_conv_params_t* p);
size_t nn_fully_connected_s8_scratch_bytes(const nn_fc_params_t* p);

void nn_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier, const int32_t* shift,
                  const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
                  void* scratch);
void nn_depthwise_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier,
                            const int32_t* shift, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, void* scratch);
void nn_avgpool_s8(const nn_conv_params_t* p, const int8_t* input, int8_t* output);
void nn_fully_connected_s8(const nn_fc_params_t* p, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output, void* scratch);
void nn_softmax_s8(const int8_t* input, int32_t rows, int32_t row_size, int32_t input_multiplier,
                   int32_t input_left_shift, int32_t diff_min, int8_t* output);
void nn_add_s8(const nn_add_params_t* p, const int8_t* input1, const int8_t* input2,
               int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_KERNELS_NN_KERNELS_H_ */
