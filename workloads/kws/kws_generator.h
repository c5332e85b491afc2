// Deterministic synthetic parameters for the DS-CNN (see workloads/README.md, "Generator").
// Real trained weights are not available offline; latency of the dense int8 kernels does not
// depend on the weight values.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kws_model.h"

namespace mcusim::kws {

// SplitMix64 (Steele, Lea, Flood 2014; the seeding generator of java.util.SplittableRandom).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform double in [0, 1) from the top 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [lo, hi] (modulo reduction; the bias is < 2^-56 for these small ranges).
  int32_t UniformInt(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  // Approximately standard normal: Irwin-Hall sum of 4 uniforms, rescaled to unit variance.
  // Only +,-,* and sqrt (correctly rounded), so the result is bit-identical on every IEEE host.
  double Normal() {
    double s = Uniform() + Uniform() + Uniform() + Uniform();
    return (s - 2.0) * std::sqrt(3.0);
  }

 private:
  uint64_t state_;
};

// Default seed: ASCII "mcusimKW" read as a big-endian 64-bit number.
inline constexpr uint64_t kDefaultSeed = 0x6D637573696D4B57ull;

struct TensorQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct LayerQuant {
  std::vector<int8_t> weights;       // layout as in kws_model.h
  std::vector<int32_t> bias;         // scale input.scale * weight_scales[c], zero point 0
  std::vector<float> weight_scales;  // per channel (CONV/DW) or one (FC); weight zero point 0
  TensorQuant input;
  TensorQuant output;
  std::vector<int32_t> multiplier;  // TFLite QuantizeMultiplier of in*w/out, per channel
  std::vector<int32_t> shift;
  int32_t act_min = -128;
  int32_t act_max = 127;
  int32_t softmax_input_multiplier = 0;  // SOFTMAX only
  int32_t softmax_input_left_shift = 0;
  int32_t softmax_diff_min = 0;
};

struct KwsParams {
  uint64_t seed = kDefaultSeed;
  std::vector<int8_t> input;  // 49x10x1, scale KWS_INPUT_SCALE, zero point KWS_INPUT_ZERO_POINT
  std::array<LayerQuant, KWS_NUM_LAYERS> layers;
};

KwsParams GenerateKwsParams(uint64_t seed = kDefaultSeed);

// TFLite tensorflow/lite/kernels/internal/quantization_util.cc QuantizeMultiplier: m = q * 2^shift
// with q in [0.5, 1) stored as round(q * 2^31).
void QuantizeMultiplier(double real_multiplier, int32_t* quantized_multiplier, int* shift);

// TFLite PreprocessSoftmaxScaling + CalculateInputRadius for int8 softmax (5 integer bits).
void SoftmaxParams(double beta, double input_scale, int32_t* multiplier, int32_t* left_shift,
                   int32_t* diff_min);

// "name=conv0 op=CONV_2D out=25x5x64 macs=320000" (the firmware's ROI label).
std::string LayerLabel(int layer_index);

// Writes kws_params.h and kws_params.c (C99, const arrays) into out_dir. Returns false on error.
bool WriteKwsParamsC(const KwsParams& params, const std::string& out_dir);

}  // namespace mcusim::kws
