#include "kws_generator.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace mcusim::kws {
namespace {

// Pre-activation statistics propagated through the network to pick activation scales.
struct Moments {
  double mean = 0.0;  // E[x]
  double m2 = 0.0;    // E[x^2]
};

int32_t ClampInt8(double v) {
  return static_cast<int32_t>(std::clamp(std::round(v), -128.0, 127.0));
}

// Standard deviation of an int8 uniformly distributed on [-127, 127] (255 values).
const double kUniformInt8Std = std::sqrt((255.0 * 255.0 - 1.0) / 12.0);

// Activation range the output scale is chosen to cover, in units of the pre-activation standard
// deviation: +-4 sigma of a normal is saturated with probability 6e-5.
constexpr double kRangeSigmas = 4.0;

// Standard deviation of the FC logits: wide enough for a non-trivial softmax distribution.
constexpr double kLogitStd = 3.0;

void FillWeightedLayer(const kws_layer_t& l, LayerQuant& q, const Moments& in, SplitMix64& rng,
                       Moments* out) {
  const int32_t fan_in = kws_layer_fan_in(&l);
  const int32_t channels = kws_layer_quant_channels(&l);
  const int32_t nw = kws_layer_weight_count(&l);
  const int32_t nb = kws_layer_bias_count(&l);

  // Target real weight std: He initialisation sqrt(2 / fan_in), varied per channel by a factor in
  // [0.75, 1.25] so the per-channel multipliers differ. The FC layer instead targets logits of
  // standard deviation kLogitStd.
  std::vector<double> w_std(channels);
  for (int32_t c = 0; c < channels; ++c) {
    if (l.op == KWS_OP_FULLY_CONNECTED) {
      w_std[c] = kLogitStd / std::sqrt(fan_in * in.m2);
    } else {
      w_std[c] = std::sqrt(2.0 / fan_in) * (0.75 + 0.5 * rng.Uniform());
    }
  }
  // Symmetric int8 weights (zero point 0), uniform on [-127, 127]; real std = scale * 73.6.
  q.weight_scales.resize(channels);
  double mean_var = 0.0;
  for (int32_t c = 0; c < channels; ++c) {
    q.weight_scales[c] = static_cast<float>(w_std[c] / kUniformInt8Std);
    mean_var += w_std[c] * w_std[c] / channels;
  }
  q.weights.resize(nw);
  for (auto& w : q.weights) w = static_cast<int8_t>(rng.UniformInt(-127, 127));

  // Pre-activation y = sum(w * x) + b; weights are zero-mean and independent of x, so
  // E[y^2] ~= fan_in * var(w) * E[x^2] (second moment, because x has a non-zero mean).
  const double s = std::sqrt(fan_in * mean_var * in.m2);

  // Real bias uniform in [-s/4, s/4], quantized with scale in_scale * w_scale[c] (TFLite).
  q.bias.resize(nb);
  for (int32_t c = 0; c < nb; ++c) {
    const double b = (rng.Uniform() - 0.5) * 0.5 * s;
    const double bias_scale = static_cast<double>(q.input.scale) *
                              static_cast<double>(q.weight_scales[channels == 1 ? 0 : c]);
    q.bias[c] = static_cast<int32_t>(std::round(b / bias_scale));
  }

  if (l.act == KWS_ACT_RELU) {
    // ReLU output of N(0, s^2) covers [0, kRangeSigmas * s]; real 0 maps to -128.
    q.output.scale = static_cast<float>(kRangeSigmas * s / 255.0);
    q.output.zero_point = -128;
    out->mean = s / std::sqrt(2.0 * 3.141592653589793);
    out->m2 = s * s / 2.0;
  } else {
    // Symmetric range [-kRangeSigmas * s, kRangeSigmas * s].
    q.output.scale = static_cast<float>(2.0 * kRangeSigmas * s / 255.0);
    q.output.zero_point = 0;
    out->mean = 0.0;
    out->m2 = s * s;
  }

  // Requantization (TFLite: effective scale in double from the float scales).
  q.multiplier.resize(channels);
  q.shift.resize(channels);
  for (int32_t c = 0; c < channels; ++c) {
    const double eff = static_cast<double>(q.input.scale) *
                       static_cast<double>(q.weight_scales[c]) /
                       static_cast<double>(q.output.scale);
    int shift = 0;
    QuantizeMultiplier(eff, &q.multiplier[c], &shift);
    q.shift[c] = shift;
  }
}

// TFLite CalculateActivationRangeQuantized for int8.
void SetActivationRange(kws_act_t act, LayerQuant& q) {
  q.act_max = 127;
  q.act_min = -128;
  if (act == KWS_ACT_RELU) {
    q.act_min = std::max<int32_t>(-128, q.output.zero_point);  // quantize(0.0) = zero point
  }
}

}  // namespace

void QuantizeMultiplier(double real_multiplier, int32_t* quantized_multiplier, int* shift) {
  if (real_multiplier == 0.0) {
    *quantized_multiplier = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real_multiplier, shift);
  auto q_fixed = static_cast<int64_t>(std::round(q * (1ll << 31)));
  if (q_fixed == (1ll << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    q_fixed = 0;
  }
  *quantized_multiplier = static_cast<int32_t>(q_fixed);
}

void SoftmaxParams(double beta, double input_scale, int32_t* multiplier, int32_t* left_shift,
                   int32_t* diff_min) {
  constexpr int kScaledDiffIntegerBits = 5;  // TFLite softmax int8
  const double max_real_multiplier = static_cast<double>((1ll << 31) - 1);
  const double real =
      std::min(beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
               max_real_multiplier);
  int shift = 0;
  QuantizeMultiplier(real, multiplier, &shift);  // >= 1, so shift >= 0 (GreaterThanOne)
  *left_shift = shift;
  // CalculateInputRadius(5, left_shift, 31)
  const double max_input_rescaled = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                                    static_cast<double>(1ll << (31 - kScaledDiffIntegerBits)) /
                                    static_cast<double>(1ll << shift);
  *diff_min = -static_cast<int32_t>(std::floor(max_input_rescaled));
}

KwsParams GenerateKwsParams(uint64_t seed) {
  KwsParams p;
  p.seed = seed;
  SplitMix64 rng(seed);

  // Input: MFCC-like 49x10 int8. Coefficient 0 (log energy) sits low (real about -70), the others
  // around real 0 with a spread that shrinks with the coefficient index.
  p.input.resize(KWS_INPUT_SIZE);
  for (int32_t t = 0; t < KWS_INPUT_H; ++t) {
    for (int32_t k = 0; k < KWS_INPUT_W; ++k) {
      const double mu = (k == 0) ? -40.0 : static_cast<double>(KWS_INPUT_ZERO_POINT);
      const double sd = (k == 0) ? 20.0 : 40.0 - 2.5 * k;
      p.input[t * KWS_INPUT_W + k] = static_cast<int8_t>(ClampInt8(mu + sd * rng.Normal()));
    }
  }
  Moments m;
  for (int8_t v : p.input) {
    const double r = (v - KWS_INPUT_ZERO_POINT) * static_cast<double>(KWS_INPUT_SCALE);
    m.mean += r / KWS_INPUT_SIZE;
    m.m2 += r * r / KWS_INPUT_SIZE;
  }

  TensorQuant current{KWS_INPUT_SCALE, KWS_INPUT_ZERO_POINT};
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const kws_layer_t& l = kws_layers[i];
    LayerQuant& q = p.layers[i];
    q.input = current;
    Moments out = m;
    switch (l.op) {
      case KWS_OP_CONV_2D:
      case KWS_OP_DEPTHWISE_CONV_2D:
      case KWS_OP_FULLY_CONNECTED:
        FillWeightedLayer(l, q, m, rng, &out);
        break;
      case KWS_OP_AVERAGE_POOL_2D: {
        // TFLite requires equal input/output quantization for int8 AVERAGE_POOL_2D.
        q.output = q.input;
        const double n = static_cast<double>(l.kernel_h) * l.kernel_w;
        out.mean = m.mean;
        out.m2 = m.mean * m.mean + (m.m2 - m.mean * m.mean) / n;
        break;
      }
      case KWS_OP_RESHAPE:
        q.output = q.input;
        break;
      case KWS_OP_SOFTMAX:
        q.output = TensorQuant{KWS_OUTPUT_SCALE, KWS_OUTPUT_ZERO_POINT};
        SoftmaxParams(1.0, static_cast<double>(q.input.scale), &q.softmax_input_multiplier,
                      &q.softmax_input_left_shift, &q.softmax_diff_min);
        break;
    }
    SetActivationRange(l.act, q);
    current = q.output;
    m = out;
  }
  return p;
}

std::string LayerLabel(int layer_index) {
  const kws_layer_t& l = kws_layers[layer_index];
  std::ostringstream s;
  s << "name=" << l.name << " op=" << kws_op_name(l.op) << " out=" << l.out.h << "x" << l.out.w
    << "x" << l.out.c << " macs=" << kws_layer_macs(&l);
  return s.str();
}

namespace {

template <typename T>
void WriteArray(std::ostream& o, const char* type, const std::string& name,
                const std::vector<T>& v) {
  o << "static const " << type << " " << name << "[" << v.size() << "] = {";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i % 16 == 0) o << "\n   ";
    o << " " << static_cast<int64_t>(v[i]) << ",";
  }
  o << "\n};\n";
}

}  // namespace

bool WriteKwsParamsC(const KwsParams& p, const std::string& out_dir) {
  std::ostringstream h;
  h << "/* Generated by kws_gen (workloads/kws/kws_gen.cpp). Do not edit. */\n"
    << "#ifndef KWS_PARAMS_H_\n#define KWS_PARAMS_H_\n\n#include \"kws_qparams.h\"\n\n"
    << "#define KWS_PARAMS_SEED 0x" << std::hex << p.seed << std::dec << "ull\n\n#endif\n";

  std::ostringstream c;
  c << "/* Generated by kws_gen (workloads/kws/kws_gen.cpp) with seed 0x" << std::hex << p.seed
    << std::dec << ". Do not edit.\n"
    << " * Synthetic parameters: see workloads/README.md. All arrays are const (-> flash). */\n"
    << "#include \"kws_params.h\"\n\n#include <stddef.h>\n\n";
  c << "const int8_t kws_input[KWS_INPUT_SIZE] = {";
  for (size_t i = 0; i < p.input.size(); ++i) {
    if (i % 16 == 0) c << "\n   ";
    c << " " << static_cast<int>(p.input[i]) << ",";
  }
  c << "\n};\n\n";
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const LayerQuant& q = p.layers[i];
    const std::string n = kws_layers[i].name;
    c << "/* layer " << i << " " << n << ": in scale " << q.input.scale << " zp "
      << q.input.zero_point << ", out scale " << q.output.scale << " zp " << q.output.zero_point
      << " */\n";
    for (int32_t b : q.bias) {
      if (b == std::numeric_limits<int32_t>::min()) return false;  // not a valid C literal
    }
    if (!q.weights.empty()) {
      WriteArray(c, "int8_t", n + "_weights", q.weights);
      WriteArray(c, "int32_t", n + "_bias", q.bias);
      WriteArray(c, "int32_t", n + "_multiplier", q.multiplier);
      WriteArray(c, "int32_t", n + "_shift", q.shift);
    }
  }
  c << "\nconst kws_layer_qparams_t kws_qparams[KWS_NUM_LAYERS] = {\n";
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) {
    const LayerQuant& q = p.layers[i];
    const std::string n = kws_layers[i].name;
    if (!q.weights.empty()) {
      c << "    {" << n << "_weights, " << n << "_bias, " << n << "_multiplier, " << n
        << "_shift, ";
    } else {
      c << "    {NULL, NULL, NULL, NULL, ";
    }
    c << q.input.zero_point << ", " << q.output.zero_point << ", " << q.act_min << ", " << q.act_max
      << ", " << q.softmax_input_multiplier << ", " << q.softmax_input_left_shift << ", "
      << q.softmax_diff_min << "}, /* " << n << " */\n";
  }
  c << "};\n\nconst char* const kws_layer_labels[KWS_NUM_LAYERS] = {\n";
  for (int i = 0; i < KWS_NUM_LAYERS; ++i) c << "    \"" << LayerLabel(i) << "\",\n";
  c << "};\n";

  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
  };
  return write(out_dir + "/kws_params.h", h.str()) && write(out_dir + "/kws_params.c", c.str());
}

}  // namespace mcusim::kws
