// Deterministic synthetic parameters for any network in the generic layer-table format
// (net_model.h; see workloads/README.md, "Generator"), the activation arena plan, and the C
// writer of <task>_params.c. Real trained weights are not available offline; latency of the dense
// int8 kernels does not depend on the weight values.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "net_model.h"
#include "net_qparams.h"

namespace mcusim::net {

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

// The four networks (kws, vww, ic, ad). FindModel returns nullptr for an unknown task name.
const std::vector<const net_model_t*>& AllModels();
const net_model_t* FindModel(const std::string& task);

struct TensorQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct LayerQuant {
  std::vector<int8_t> weights;       // layout as in net_model.h
  std::vector<int32_t> bias;         // scale input.scale * weight_scales[c], zero point 0
  std::vector<float> weight_scales;  // per channel (CONV/DW) or one (FC); weight zero point 0
  TensorQuant input;
  TensorQuant input2;  // ADD only
  TensorQuant output;
  std::vector<int32_t> multiplier;  // TFLite QuantizeMultiplier of in*w/out, per channel
  std::vector<int32_t> shift;
  int32_t act_min = -128;
  int32_t act_max = 127;
  int32_t softmax_input_multiplier = 0;  // SOFTMAX only
  int32_t softmax_input_left_shift = 0;
  int32_t softmax_diff_min = 0;
  // ADD only: TFLite int8 Add (left_shift 20), QuantizeMultiplierSmallerThanOneExp.
  int32_t add_input1_multiplier = 0, add_input1_shift = 0;
  int32_t add_input2_multiplier = 0, add_input2_shift = 0;
  int32_t add_output_multiplier = 0, add_output_shift = 0;
};

// Where every activation tensor lives in the activation area (workloads/README.md, "Arena").
struct ArenaPlan {
  std::vector<uint32_t> out_offset;  // per layer; RESHAPE aliases its input
  uint32_t input_offset = 0;
  uint32_t activation_bytes = 0;
};

struct NetParams {
  const net_model_t* model = nullptr;
  uint64_t seed = 0;
  std::vector<int8_t> input;  // model->input_shape, model->input_scale / input_zero_point
  std::vector<LayerQuant> layers;
  ArenaPlan plan;
};

// seed 0 = the model's default_seed.
NetParams GenerateParams(const net_model_t& model, uint64_t seed = 0);

// Greedy arena planner over tensor lifetimes (two placement orders, the smaller wins).
ArenaPlan PlanArena(const net_model_t& model);

// C view of in-memory parameters (pointers into `params`, which must outlive it), the same
// struct the generated <task>_params.c defines. Lets tests drive the firmware code directly.
struct CView {
  std::vector<net_layer_qparams_t> layers;
  std::vector<std::string> label_strings;
  std::vector<const char*> labels;
  net_params_t c{};
};
void MakeCView(const NetParams& params, CView* view);

// TFLite tensorflow/lite/kernels/internal/quantization_util.cc QuantizeMultiplier: m = q * 2^shift
// with q in [0.5, 1) stored as round(q * 2^31).
void QuantizeMultiplier(double real_multiplier, int32_t* quantized_multiplier, int* shift);

// TFLite PreprocessSoftmaxScaling + CalculateInputRadius for int8 softmax (5 integer bits).
void SoftmaxParams(double beta, double input_scale, int32_t* multiplier, int32_t* left_shift,
                   int32_t* diff_min);

// "name=conv0 op=CONV_2D out=25x5x64 macs=320000" (the firmware's ROI label; macs=0 for
// ops without MACs).
std::string LayerLabel(const net_layer_t& layer);

// Writes <task>_params.h and <task>_params.c (C99, const arrays) into out_dir. Returns false on
// error.
bool WriteParamsC(const NetParams& params, const std::string& out_dir);

}  // namespace mcusim::net
