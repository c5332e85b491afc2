// Independent host-side reference implementation of the int8 DS-CNN (TFLite int8 semantics),
// written as plain loops over the network description. It shares the description (kws_model.h)
// and the parameter generator with the firmware, but no kernel code.
#pragma once

#include <cstdint>
#include <vector>

#include "kws_generator.h"

namespace mcusim::kws {

// gemmlowp fixed-point primitives (gemmlowp/fixedpoint/fixedpoint.h), exposed for tests.
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);
int32_t RoundingDivideByPOT(int32_t x, int exponent);
// TFLite MultiplyByQuantizedMultiplier (the classic double-rounding variant).
int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier, int shift);

// int8 softmax of one row (TFLite reference int8 Softmax, gemmlowp fixed point), using the
// softmax_* fields of q. Exposed for randomized cross-checks against the firmware kernel.
std::vector<int8_t> ReferenceSoftmax(const LayerQuant& q, const std::vector<int8_t>& row);

// Runs the network; returns the output of every layer (index = layer index; RESHAPE's output is
// a copy of its input). The last entry holds the 12 softmax scores.
std::vector<std::vector<int8_t>> ReferenceForward(const KwsParams& params);

}  // namespace mcusim::kws

// The 12 int8 softmax outputs (scale 1/256, zero point -128) for the generated input and
// parameters with the default seed (mcusim::kws::kDefaultSeed).
std::vector<int8_t> kws_reference_scores();
