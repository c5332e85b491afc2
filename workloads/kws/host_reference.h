// KWS entry point of the generic host reference (workloads/net/net_reference.h), kept for the
// firmware integration test.
#pragma once

#include <cstdint>
#include <vector>

#include "kws_model.h"
#include "net_reference.h"

// The 12 int8 softmax outputs (scale 1/256, zero point -128) for the generated input and
// parameters with kws_model.default_seed.
inline std::vector<int8_t> kws_reference_scores() {
  static const std::vector<int8_t> scores = mcusim::net::ReferenceOutput(kws_model);
  return scores;
}
