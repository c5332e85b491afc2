#include "net_generator.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "../ad/ad_model.h"
#include "../ic/ic_model.h"
#include "../kws/kws_model.h"
#include "../vww/vww_model.h"

namespace mcusim::net {

const std::vector<const net_model_t*>& AllModels() {
  static const std::vector<const net_model_t*> models = {&kws_model, &vww_model, &ic_model,
                                                          &ad_model};
  return models;
}

const net_model_t* FindModel(const std::string& task) {
  for (const net_model_t* m : AllModels()) {
    if (task == m->task) return m;
  }
  return nullptr;
}

namespace {

// Statistics of a tensor's real values, propagated through the network to pick activation scales.
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

// Standard deviation of the logits feeding a softmax: wide enough for a non-trivial distribution.
constexpr double kLogitStd = 3.0;

// Output scale / zero point of a layer whose pre-activation has RMS s, and the output's moments.
void SetOutputFromPreActivation(net_act_t act, double s, LayerQuant& q, Moments* out) {
  if (act == NET_ACT_RELU) {
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
}

void FillWeightedLayer(const net_layer_t& l, bool feeds_softmax, LayerQuant& q, const Moments& in,
                       SplitMix64& rng, Moments* out) {
  const int32_t fan_in = net_layer_fan_in(&l);
  const int32_t channels = net_layer_quant_channels(&l);
  const int32_t nw = net_layer_weight_count(&l);
  const int32_t nb = net_layer_bias_count(&l);

  // Target real weight std: He initialisation sqrt(2 / fan_in), varied per channel by a factor in
  // [0.75, 1.25] so the per-channel multipliers differ. An FC layer feeding a softmax instead
  // targets logits of standard deviation kLogitStd (no draw).
  std::vector<double> w_std(channels);
  for (int32_t c = 0; c < channels; ++c) {
    if (feeds_softmax) {
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

  SetOutputFromPreActivation(l.act, s, q, out);

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

// TFLite QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier of a value in (0, 1).
void QuantizeSmallerThanOne(double real, int32_t* multiplier, int32_t* shift) {
  int s = 0;
  QuantizeMultiplier(real, multiplier, &s);
  *shift = s;
}

// ADD: the output covers the sum's RMS like a pre-activation; multipliers as TFLite's int8 Add
// Prepare (tensorflow/lite/kernels/add.cc): left_shift 20, both inputs rescaled to
// 2 * max(s1, s2), the sum rescaled to the output scale.
void FillAddLayer(const net_layer_t& l, LayerQuant& q, const Moments& a, const Moments& b,
                  Moments* out) {
  const double s = std::sqrt(a.m2 + b.m2 + 2.0 * a.mean * b.mean);
  SetOutputFromPreActivation(l.act, s, q, out);
  const double twice_max = static_cast<double>(2.0f * std::max(q.input.scale, q.input2.scale));
  QuantizeSmallerThanOne(static_cast<double>(q.input.scale) / twice_max, &q.add_input1_multiplier,
                         &q.add_input1_shift);
  QuantizeSmallerThanOne(static_cast<double>(q.input2.scale) / twice_max,
                         &q.add_input2_multiplier, &q.add_input2_shift);
  QuantizeSmallerThanOne(
      twice_max / static_cast<double>(static_cast<float>(1 << 20) * q.output.scale),
      &q.add_output_multiplier, &q.add_output_shift);
}

// TFLite CalculateActivationRangeQuantized for int8.
void SetActivationRange(net_act_t act, LayerQuant& q) {
  q.act_max = 127;
  q.act_min = -128;
  if (act == NET_ACT_RELU) {
    q.act_min = std::max<int32_t>(-128, q.output.zero_point);  // quantize(0.0) = zero point
  }
}

// Synthetic input in the quantized domain (workloads/README.md, "Inputs").
std::vector<int8_t> GenerateInput(const net_model_t& m, SplitMix64& rng) {
  const net_shape_t sh = m.input_shape;
  std::vector<int8_t> in(net_shape_elems(sh));
  switch (m.input_kind) {
    case NET_INPUT_MFCC:
      // MFCC-like rows x coefficients: coefficient 0 (log energy) sits low (real about -70), the
      // others around real 0 with a spread that shrinks with the coefficient index.
      for (int32_t t = 0; t < sh.h; ++t) {
        for (int32_t k = 0; k < sh.w; ++k) {
          const double mu = (k == 0) ? -40.0 : static_cast<double>(m.input_zero_point);
          const double sd = (k == 0) ? 20.0 : 40.0 - 2.5 * k;
          in[t * sh.w + k] = static_cast<int8_t>(ClampInt8(mu + sd * rng.Normal()));
        }
      }
      break;
    case NET_INPUT_IMAGE: {
      // RGB image, HWC: a per-channel mean in [96, 160) plus pixel noise (sigma 48), clamped to
      // uint8 and mapped to int8 by -128 (what the reference firmware does with the raw bytes).
      std::vector<double> mean(sh.c);
      for (auto& v : mean) v = 96.0 + 64.0 * rng.Uniform();
      for (size_t i = 0; i < in.size(); ++i) {
        const double pixel = std::clamp(std::round(mean[i % sh.c] + 48.0 * rng.Normal()), 0.0, 255.0);
        in[i] = static_cast<int8_t>(static_cast<int32_t>(pixel) - 128);
      }
      break;
    }
    case NET_INPUT_LOGMEL: {
      // 5 frames x 128 log-mel bins (frame-major): per bin a mean that falls with frequency
      // (q = zp + 30 - 0.4 * bin), sigma 12 quantized steps.
      const int32_t bins = 128;
      for (size_t i = 0; i < in.size(); ++i) {
        const double mu = m.input_zero_point + 30.0 - 0.4 * static_cast<double>(i % bins);
        in[i] = static_cast<int8_t>(ClampInt8(mu + 12.0 * rng.Normal()));
      }
      break;
    }
  }
  return in;
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

NetParams GenerateParams(const net_model_t& model, uint64_t seed) {
  NetParams p;
  p.model = &model;
  p.seed = seed ? seed : model.default_seed;
  SplitMix64 rng(p.seed);

  p.input = GenerateInput(model, rng);
  Moments in_m;
  const double n_in = static_cast<double>(p.input.size());
  for (int8_t v : p.input) {
    const double r = (v - model.input_zero_point) * static_cast<double>(model.input_scale);
    in_m.mean += r / n_in;
    in_m.m2 += r * r / n_in;
  }
  const TensorQuant in_q{model.input_scale, model.input_zero_point};

  // Quantization and moments of each layer's output; src NET_INPUT = the network input.
  std::vector<Moments> moments(model.num_layers);
  p.layers.resize(model.num_layers);
  auto quant_of = [&](int32_t src) { return src == NET_INPUT ? in_q : p.layers[src].output; };
  auto moments_of = [&](int32_t src) { return src == NET_INPUT ? in_m : moments[src]; };

  for (int32_t i = 0; i < model.num_layers; ++i) {
    const net_layer_t& l = model.layers[i];
    LayerQuant& q = p.layers[i];
    const int32_t src = net_layer_src(&model, i, 0);
    q.input = quant_of(src);
    const Moments m = moments_of(src);
    Moments out = m;
    switch (l.op) {
      case NET_OP_CONV_2D:
      case NET_OP_DEPTHWISE_CONV_2D:
      case NET_OP_FULLY_CONNECTED: {
        const bool feeds_softmax = l.op == NET_OP_FULLY_CONNECTED && i + 1 < model.num_layers &&
                                   model.layers[i + 1].op == NET_OP_SOFTMAX;
        FillWeightedLayer(l, feeds_softmax, q, m, rng, &out);
        break;
      }
      case NET_OP_ADD: {
        const int32_t src2 = net_layer_src(&model, i, 1);
        q.input2 = quant_of(src2);
        FillAddLayer(l, q, m, moments_of(src2), &out);
        break;
      }
      case NET_OP_AVERAGE_POOL_2D: {
        // TFLite requires equal input/output quantization for int8 AVERAGE_POOL_2D.
        q.output = q.input;
        const double n = static_cast<double>(l.kernel_h) * l.kernel_w;
        out.mean = m.mean;
        out.m2 = m.mean * m.mean + (m.m2 - m.mean * m.mean) / n;
        break;
      }
      case NET_OP_RESHAPE:
        q.output = q.input;
        break;
      case NET_OP_SOFTMAX:
        // Output scale 1/256, zero point -128 (mlperf-tiny.md 1.1).
        q.output = TensorQuant{1.0f / 256.0f, -128};
        SoftmaxParams(1.0, static_cast<double>(q.input.scale), &q.softmax_input_multiplier,
                      &q.softmax_input_left_shift, &q.softmax_diff_min);
        break;
      case NET_OP_MAX_POOL_2D:
      case NET_OP_PAD:
      case NET_OP_MEAN:
      case NET_OP_CONCATENATION:
        // Imported-model operators: their parameters come from the .tflite file.
        throw std::logic_error(std::string("net_gen: no synthetic parameters for ") +
                               net_op_name(l.op));
    }
    SetActivationRange(l.act, q);
    moments[i] = out;
  }
  p.plan = PlanArena(model);
  return p;
}

namespace {

constexpr uint32_t kTensorAlign = 16;

uint32_t AlignUp(uint32_t v) {
  return (v + kTensorAlign - 1) / kTensorAlign * kTensorAlign;
}

struct Buffer {
  uint32_t size = 0;
  int32_t birth = 0, death = 0;  // time 0 = input loaded, time i + 1 = layer i runs
  uint32_t offset = 0;
};

// Places the buffers in `order`, each at the lowest 16-aligned offset that does not overlap an
// already placed buffer with an overlapping lifetime. Returns the total size.
uint32_t Place(std::vector<Buffer>& bufs, const std::vector<size_t>& order) {
  std::vector<size_t> placed;
  uint32_t total = 0;
  for (size_t b : order) {
    std::vector<std::pair<uint32_t, uint32_t>> busy;  // [offset, end) of live placed buffers
    for (size_t o : placed) {
      if (bufs[o].birth <= bufs[b].death && bufs[b].birth <= bufs[o].death) {
        busy.emplace_back(bufs[o].offset, bufs[o].offset + bufs[o].size);
      }
    }
    std::sort(busy.begin(), busy.end());
    uint32_t off = 0;
    for (const auto& [lo, hi] : busy) {
      if (off + bufs[b].size <= lo) break;
      off = std::max(off, hi);
    }
    bufs[b].offset = off;
    total = std::max(total, off + bufs[b].size);
    placed.push_back(b);
  }
  return total;
}

}  // namespace

ArenaPlan PlanArena(const net_model_t& model) {
  const int32_t n = model.num_layers;
  // Buffer 0 = network input, buffer 1 + i = output of layer i (RESHAPE: none, it aliases).
  std::vector<Buffer> bufs(n + 1);
  std::vector<int32_t> buf_of(n);  // layer -> buffer holding its output
  auto buffer_of_src = [&](int32_t src) { return src == NET_INPUT ? 0 : buf_of[src]; };
  bufs[0] = Buffer{AlignUp(static_cast<uint32_t>(net_shape_elems(model.input_shape))), 0, 0, 0};
  for (int32_t i = 0; i < n; ++i) {
    const net_layer_t& l = model.layers[i];
    for (int which = 0; which < 2; ++which) {
      const int32_t src = net_layer_src(&model, i, which);
      if (src == NET_NONE) continue;
      Buffer& b = bufs[buffer_of_src(src)];
      b.death = std::max(b.death, i + 1);
    }
    if (l.op == NET_OP_RESHAPE) {
      buf_of[i] = buffer_of_src(net_layer_src(&model, i, 0));
      bufs[1 + i] = Buffer{0, i + 1, i + 1, 0};
    } else {
      buf_of[i] = 1 + i;
      bufs[1 + i] =
          Buffer{AlignUp(static_cast<uint32_t>(net_shape_elems(l.out))), i + 1, i + 1, 0};
    }
  }
  bufs[buf_of[n - 1]].death = n + 1;  // the network output is read after the inference

  // Two placement orders, execution order and largest first; the smaller arena wins.
  std::vector<size_t> by_time(bufs.size()), by_size;
  for (size_t b = 0; b < bufs.size(); ++b) by_time[b] = b;
  by_size = by_time;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return bufs[a].size > bufs[b].size; });
  std::vector<Buffer> a = bufs, b = bufs;
  const uint32_t total_a = Place(a, by_time), total_b = Place(b, by_size);
  const std::vector<Buffer>& best = total_a <= total_b ? a : b;

  ArenaPlan plan;
  plan.activation_bytes = std::min(total_a, total_b);
  plan.input_offset = best[0].offset;
  plan.out_offset.resize(n);
  for (int32_t i = 0; i < n; ++i) plan.out_offset[i] = best[buf_of[i]].offset;
  return plan;
}

std::string LayerLabel(const net_layer_t& l) {
  std::ostringstream s;
  s << "name=" << l.name << " op=" << net_op_name(l.op) << " out=" << l.out.h << "x" << l.out.w
    << "x" << l.out.c << " macs=" << net_layer_macs(&l);
  return s.str();
}

namespace {

net_layer_qparams_t ToC(const LayerQuant& q) {
  net_layer_qparams_t c{};
  if (!q.weights.empty()) {
    c.weights = q.weights.data();
    c.bias = q.bias.data();
    c.multiplier = q.multiplier.data();
    c.shift = q.shift.data();
  }
  c.input_zero_point = q.input.zero_point;
  c.input2_zero_point = q.input2.zero_point;
  c.output_zero_point = q.output.zero_point;
  c.act_min = q.act_min;
  c.act_max = q.act_max;
  c.softmax_input_multiplier = q.softmax_input_multiplier;
  c.softmax_input_left_shift = q.softmax_input_left_shift;
  c.softmax_diff_min = q.softmax_diff_min;
  c.add_input1_multiplier = q.add_input1_multiplier;
  c.add_input1_shift = q.add_input1_shift;
  c.add_input2_multiplier = q.add_input2_multiplier;
  c.add_input2_shift = q.add_input2_shift;
  c.add_output_multiplier = q.add_output_multiplier;
  c.add_output_shift = q.add_output_shift;
  return c;
}

// The scalar fields of net_layer_qparams_t, in declaration order, as a C initializer fragment.
std::string ScalarInitializer(const net_layer_qparams_t& c) {
  std::ostringstream s;
  s << c.input_zero_point << ", " << c.input2_zero_point << ", " << c.output_zero_point << ", "
    << c.act_min << ", " << c.act_max << ", " << c.softmax_input_multiplier << ", "
    << c.softmax_input_left_shift << ", " << c.softmax_diff_min << ", "
    << c.add_input1_multiplier << ", " << c.add_input1_shift << ", " << c.add_input2_multiplier
    << ", " << c.add_input2_shift << ", " << c.add_output_multiplier << ", " << c.add_output_shift;
  return s.str();
}

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

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

void MakeCView(const NetParams& p, CView* v) {
  const net_model_t& m = *p.model;
  v->layers.clear();
  v->label_strings.clear();
  v->labels.clear();
  for (int32_t i = 0; i < m.num_layers; ++i) {
    v->layers.push_back(ToC(p.layers[i]));
    v->label_strings.push_back(LayerLabel(m.layers[i]));
  }
  for (const auto& s : v->label_strings) v->labels.push_back(s.c_str());
  v->c.model = &m;
  v->c.layers = v->layers.data();
  v->c.input = p.input.data();
  v->c.labels = v->labels.data();
  v->c.out_offset = p.plan.out_offset.data();
  v->c.input_offset = p.plan.input_offset;
  v->c.activation_bytes = p.plan.activation_bytes;
}

bool WriteParamsC(const NetParams& p, const std::string& out_dir) {
  const net_model_t& m = *p.model;
  const std::string task = m.task, up = Upper(task);
  std::ostringstream h;
  h << "/* Generated by net_gen (workloads/net/net_gen.cpp). Do not edit. */\n"
    << "#ifndef " << up << "_PARAMS_H_\n#define " << up << "_PARAMS_H_\n\n"
    << "#include \"" << task << "_model.h\"\n#include \"net_qparams.h\"\n\n"
    << "#define " << up << "_PARAMS_SEED 0x" << std::hex << p.seed << std::dec << "ull\n"
    << "/* Activation area of the arena plan (bytes; kernel scratch comes on top). */\n"
    << "#define " << up << "_ACTIVATION_BYTES " << p.plan.activation_bytes << "u\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
    << "extern const net_params_t " << task << "_params;\n"
    << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";

  std::ostringstream c;
  c << "/* Generated by net_gen (workloads/net/net_gen.cpp) for " << m.model_id << " with seed 0x"
    << std::hex << p.seed << std::dec << ". Do not edit.\n"
    << " * Synthetic parameters: see workloads/README.md. All arrays are const (-> flash). */\n"
    << "#include \"" << task << "_params.h\"\n\n#include <stddef.h>\n\n";
  WriteArray(c, "int8_t", "input", p.input);
  for (int32_t i = 0; i < m.num_layers; ++i) {
    const LayerQuant& q = p.layers[i];
    const std::string n = m.layers[i].name;
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
  c << "\nstatic const net_layer_qparams_t layers[" << m.num_layers << "] = {\n";
  for (int32_t i = 0; i < m.num_layers; ++i) {
    const LayerQuant& q = p.layers[i];
    const std::string n = m.layers[i].name;
    if (!q.weights.empty()) {
      c << "    {" << n << "_weights, " << n << "_bias, " << n << "_multiplier, " << n
        << "_shift, ";
    } else {
      c << "    {NULL, NULL, NULL, NULL, ";
    }
    c << ScalarInitializer(ToC(q)) << "}, /* " << n << " */\n";
  }
  c << "};\n\nstatic const char* const labels[" << m.num_layers << "] = {\n";
  for (int32_t i = 0; i < m.num_layers; ++i) c << "    \"" << LayerLabel(m.layers[i]) << "\",\n";
  c << "};\n\nstatic const uint32_t out_offset[" << m.num_layers << "] = {";
  for (uint32_t o : p.plan.out_offset) c << o << "u, ";
  c << "};\n\nconst net_params_t " << task << "_params = {\n    &" << task
    << "_model, layers, input, labels, out_offset, " << p.plan.input_offset << "u, "
    << p.plan.activation_bytes << "u};\n";

  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
  };
  return write(out_dir + "/" + task + "_params.h", h.str()) &&
         write(out_dir + "/" + task + "_params.c", c.str());
}

}  // namespace mcusim::net
