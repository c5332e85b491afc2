// Independent host-side reference implementation of the int8 networks (TFLite int8 semantics),
// written as plain loops over the generic network description. It shares the description
// (net_model.h, <task>_model.h) and the parameter generator with the firmware, but no kernel code.
#pragma once

#include <cstdint>
#include <vector>

#include "net_generator.h"

namespace mcusim::net {

// gemmlowp fixed-point primitives (gemmlowp/fixedpoint/fixedpoint.h), exposed for tests.
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);
int32_t RoundingDivideByPOT(int32_t x, int exponent);
// TFLite MultiplyByQuantizedMultiplier (the classic double-rounding variant).
int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier, int shift);

// int8 softmax of one row (TFLite reference int8 Softmax, gemmlowp fixed point), using the
// softmax_* fields of q. Exposed for randomized cross-checks against the firmware kernel.
std::vector<int8_t> ReferenceSoftmax(const LayerQuant& q, const std::vector<int8_t>& row);

// TFLite int8 Add of two tensors, using the add_* fields, zero points and clamp range of q.
std::vector<int8_t> ReferenceAdd(const LayerQuant& q, const std::vector<int8_t>& a,
                                 const std::vector<int8_t>& b);

// Runs the network; returns the output of every layer (index = layer index; RESHAPE's output is
// a copy of its input). The last entry is the network output.
std::vector<std::vector<int8_t>> ReferenceForward(const NetParams& params);

// The network output for the generated input and parameters (seed 0 = the model's default).
std::vector<int8_t> ReferenceOutput(const net_model_t& model, uint64_t seed = 0);

}  // namespace mcusim::net
