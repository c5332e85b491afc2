// Independent reference of the int8 networks. Semantics follow the TFLite reference kernels:
//   tensorflow/lite/kernels/internal/reference/integer_ops/{conv,depthwise_conv,pooling,
//   fully_connected,add}.h and reference/softmax.h (int8 Softmax with gemmlowp fixed point).
// Written independently of reference-firmware/kernels (which follow the CMSIS-NN formulation of
// the softmax); tests/workloads checks that both agree bit for bit.
#include "net_reference.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <bit>
#include <cstdint>
#include <limits>

namespace mcusim::net {

int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1ll << 30) : (1 - (1ll << 30));
  return static_cast<int32_t>((ab + nudge) / (1ll << 31));  // '/' truncates toward zero
}

int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((1ll << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(x * (1 << left_shift), quantized_multiplier), right_shift);
}

namespace {

// ---- gemmlowp fixed point, int32 raw values, integer bits tracked by the caller ----------------

// SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0 (saturating left shift).
int32_t SaturatingShiftLeft(int32_t x, int exponent) {
  const int32_t threshold = static_cast<int32_t>((1ll << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

// exp(a) for a in [-1/4, 0), a and result with 0 integer bits (Q0.31).
int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  const int32_t kConstantTerm = 1895147668;  // exp(-1/8) in Q0.31
  const int32_t kOneThird = 715827883;       // 1/3 in Q0.31
  const int32_t x = a + (1 << 28);           // x = a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly =
      RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x4_over_4 + x3, kOneThird) + x2, 1);
  return kConstantTerm + SaturatingRoundingDoublingHighMul(kConstantTerm, x + poly);
}

// exp(a) for a <= 0; a has kIntegerBits = 5 integer bits (Q5.26), result Q0.31.
int32_t ExpOnNegativeValuesQ5(int32_t a) {
  constexpr int kIntegerBits = 5;
  constexpr int kFractionalBits = 31 - kIntegerBits;
  const int32_t kOneQuarter = 1 << (kFractionalBits - 2);
  const int32_t mask = kOneQuarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - kOneQuarter;
  // Rescale<0> from 5 integer bits: saturating multiply by 2^5.
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      SaturatingShiftLeft(a_mod_quarter_minus_one_quarter, kIntegerBits));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  // Barrel shifter: multiply by exp(-2^k) for every bit k set in the remainder.
  struct Step {
    int exponent;
    int32_t multiplier;  // exp(-2^exponent) in Q0.31
  };
  const Step steps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                        {2, 39332535},    {3, 720401},      {4, 242}};
  for (const Step& s : steps) {
    if (kIntegerBits > s.exponent) {
      const int shift_amount = kFractionalBits + s.exponent;
      if (remainder & (1 << shift_amount)) {
        result = SaturatingRoundingDoublingHighMul(result, s.multiplier);
      }
    }
  }
  // kIntegerBits == 5: no clamp below -32 needed (gemmlowp only clamps for > 5 integer bits).
  if (a == 0) result = std::numeric_limits<int32_t>::max();  // FixedPoint<.,0>::One()
  return result;
}

// 1 / (1 + a) for a in [0, 1), a and result Q0.31 (Newton-Raphson, 3 iterations).
int32_t OneOverOnePlusXForXIn01(int32_t a) {
  // half_denominator = RoundingHalfSum(a, One())
  const int64_t sum = static_cast<int64_t>(a) + std::numeric_limits<int32_t>::max();
  const int32_t half_denominator = static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t kConstant48Over17 = 1515870810;      // Q2.29
  const int32_t kConstantNeg32Over17 = -1010580540;  // Q2.29
  int32_t x =
      kConstant48Over17 + SaturatingRoundingDoublingHighMul(half_denominator, kConstantNeg32Over17);
  const int32_t kOneQ2 = 1 << 29;
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = kOneQ2 - half_denominator_times_x;  // Q2.29
    // x * one_minus is Q4.27; Rescale<2> = saturating multiply by 2^2.
    x = x + SaturatingShiftLeft(SaturatingRoundingDoublingHighMul(x, one_minus), 2);
  }
  // ExactMulByPot<-1> (Q2 -> Q1, same raw), then Rescale<0>: saturating multiply by 2^1.
  return SaturatingShiftLeft(x, 1);
}

int8_t ClampToInt8(int32_t v, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(std::min(std::max(v, lo), hi));
}

std::vector<int8_t> Conv(const net_layer_t& l, const LayerQuant& q, const std::vector<int8_t>& in) {
  std::vector<int8_t> out(net_shape_elems(l.out));
  const int pad_top = net_pad_top(&l), pad_left = net_pad_left(&l);
  const bool dw = l.op == NET_OP_DEPTHWISE_CONV_2D;
  for (int oy = 0; oy < l.out.h; ++oy) {
    for (int ox = 0; ox < l.out.w; ++ox) {
      for (int oc = 0; oc < l.out.c; ++oc) {
        int32_t acc = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky) {
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h - pad_top + ky;
            const int ix = ox * l.stride_w - pad_left + kx;
            if (iy < 0 || iy >= l.in.h || ix < 0 || ix >= l.in.w) continue;  // zero padding
            if (dw) {
              const int32_t x = in[(iy * l.in.w + ix) * l.in.c + oc] - q.input.zero_point;
              const int32_t w = q.weights[(ky * l.kernel_w + kx) * l.out.c + oc];
              acc += x * w;
            } else {
              for (int ic = 0; ic < l.in.c; ++ic) {
                const int32_t x = in[(iy * l.in.w + ix) * l.in.c + ic] - q.input.zero_point;
                const int32_t w =
                    q.weights[((oc * l.kernel_h + ky) * l.kernel_w + kx) * l.in.c + ic];
                acc += x * w;
              }
            }
          }
        }
        acc += q.bias[oc];
        acc = MultiplyByQuantizedMultiplier(acc, q.multiplier[oc], q.shift[oc]);
        acc += q.output.zero_point;
        out[(oy * l.out.w + ox) * l.out.c + oc] = ClampToInt8(acc, q.act_min, q.act_max);
      }
    }
  }
  return out;
}

std::vector<int8_t> AveragePool(const net_layer_t& l, const LayerQuant& q,
                                const std::vector<int8_t>& in) {
  std::vector<int8_t> out(net_shape_elems(l.out));
  const int pad_top = net_pad_top(&l), pad_left = net_pad_left(&l);
  for (int oy = 0; oy < l.out.h; ++oy) {
    for (int ox = 0; ox < l.out.w; ++ox) {
      for (int c = 0; c < l.out.c; ++c) {
        int32_t acc = 0;
        int32_t count = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky) {
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h - pad_top + ky;
            const int ix = ox * l.stride_w - pad_left + kx;
            if (iy < 0 || iy >= l.in.h || ix < 0 || ix >= l.in.w) continue;
            acc += in[(iy * l.in.w + ix) * l.in.c + c];
            ++count;
          }
        }
        // TFLite reference_integer_ops::AveragePool: round half away from zero.
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        out[(oy * l.out.w + ox) * l.out.c + c] = ClampToInt8(acc, q.act_min, q.act_max);
      }
    }
  }
  return out;
}

std::vector<int8_t> FullyConnected(const net_layer_t& l, const LayerQuant& q,
                                   const std::vector<int8_t>& in) {
  const int n_in = net_shape_elems(l.in);
  std::vector<int8_t> out(l.out.c);
  for (int o = 0; o < l.out.c; ++o) {
    int32_t acc = 0;
    for (int i = 0; i < n_in; ++i) {
      acc += (in[i] - q.input.zero_point) * static_cast<int32_t>(q.weights[o * n_in + i]);
    }
    acc += q.bias[o];
    acc = MultiplyByQuantizedMultiplier(acc, q.multiplier[0], q.shift[0]);
    acc += q.output.zero_point;
    out[o] = ClampToInt8(acc, q.act_min, q.act_max);
  }
  return out;
}

// TFLite reference_ops::Softmax, int8 in / int8 out.
std::vector<int8_t> Softmax(const LayerQuant& q, const std::vector<int8_t>& in) {
  constexpr int kAccumulationIntegerBits = 12;
  const int n = static_cast<int>(in.size());
  std::vector<int8_t> out(n);
  const int8_t max_in = *std::max_element(in.begin(), in.end());
  auto scaled_diff = [&](int i) {  // MultiplyByQuantizedMultiplierGreaterThanOne, Q5.26
    const int32_t diff = static_cast<int32_t>(in[i]) - max_in;
    return SaturatingRoundingDoublingHighMul(diff * (1 << q.softmax_input_left_shift),
                                             q.softmax_input_multiplier);
  };
  int32_t sum_of_exps = 0;  // Q12.19
  for (int i = 0; i < n; ++i) {
    if (static_cast<int32_t>(in[i]) - max_in >= q.softmax_diff_min) {
      sum_of_exps += RoundingDivideByPOT(ExpOnNegativeValuesQ5(scaled_diff(i)),
                                         kAccumulationIntegerBits);  // Rescale<12>
    }
  }
  // GetReciprocal(sum_of_exps, 12, &num_bits_over_unit)
  const int headroom_plus_one = std::countl_zero(static_cast<uint32_t>(sum_of_exps));
  const int num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(sum_of_exps) << headroom_plus_one) - (static_cast<uint32_t>(1) << 31));
  const int32_t shifted_scale = OneOverOnePlusXForXIn01(shifted_sum_minus_one);
  for (int i = 0; i < n; ++i) {
    if (static_cast<int32_t>(in[i]) - max_in >= q.softmax_diff_min) {
      const int32_t exp_in_0 = ExpOnNegativeValuesQ5(scaled_diff(i));
      const int32_t unsat = RoundingDivideByPOT(
          SaturatingRoundingDoublingHighMul(shifted_scale, exp_in_0), num_bits_over_unit + 31 - 8);
      out[i] = ClampToInt8(unsat - 128, -128, 127);
    } else {
      out[i] = -128;
    }
  }
  return out;
}

// TFLite reference_integer_ops::Add (AddElementwise), int8.
std::vector<int8_t> Add(const LayerQuant& q, const std::vector<int8_t>& a,
                        const std::vector<int8_t>& b) {
  constexpr int kLeftShift = 20;
  std::vector<int8_t> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const int32_t x1 = (a[i] - q.input.zero_point) * (1 << kLeftShift);
    const int32_t x2 = (b[i] - q.input2.zero_point) * (1 << kLeftShift);
    // MultiplyByQuantizedMultiplierSmallerThanOneExp: shifts are <= 0.
    const int32_t s1 = RoundingDivideByPOT(
        SaturatingRoundingDoublingHighMul(x1, q.add_input1_multiplier), -q.add_input1_shift);
    const int32_t s2 = RoundingDivideByPOT(
        SaturatingRoundingDoublingHighMul(x2, q.add_input2_multiplier), -q.add_input2_shift);
    const int32_t raw = RoundingDivideByPOT(
        SaturatingRoundingDoublingHighMul(s1 + s2, q.add_output_multiplier), -q.add_output_shift);
    out[i] = ClampToInt8(raw + q.output.zero_point, q.act_min, q.act_max);
  }
  return out;
}

}  // namespace

std::vector<int8_t> ReferenceSoftmax(const LayerQuant& q, const std::vector<int8_t>& row) {
  return Softmax(q, row);
}

std::vector<int8_t> ReferenceAdd(const LayerQuant& q, const std::vector<int8_t>& a,
                                 const std::vector<int8_t>& b) {
  return Add(q, a, b);
}

std::vector<std::vector<int8_t>> ReferenceForward(const NetParams& params) {
  const net_model_t& m = *params.model;
  std::vector<std::vector<int8_t>> outs;
  outs.reserve(m.num_layers);
  auto tensor = [&](int32_t src) -> const std::vector<int8_t>& {
    return src == NET_INPUT ? params.input : outs[src];
  };
  for (int32_t i = 0; i < m.num_layers; ++i) {
    const net_layer_t& l = m.layers[i];
    const LayerQuant& q = params.layers[i];
    const std::vector<int8_t>& in = tensor(net_layer_src(&m, i, 0));
    switch (l.op) {
      case NET_OP_CONV_2D:
      case NET_OP_DEPTHWISE_CONV_2D:
        outs.push_back(Conv(l, q, in));
        break;
      case NET_OP_AVERAGE_POOL_2D:
        outs.push_back(AveragePool(l, q, in));
        break;
      case NET_OP_RESHAPE:
        outs.push_back(in);
        break;
      case NET_OP_FULLY_CONNECTED:
        outs.push_back(FullyConnected(l, q, in));
        break;
      case NET_OP_SOFTMAX:
        outs.push_back(Softmax(q, in));
        break;
      case NET_OP_ADD:
        outs.push_back(Add(q, in, tensor(net_layer_src(&m, i, 1))));
        break;
      case NET_OP_MAX_POOL_2D:
      case NET_OP_PAD:
      case NET_OP_MEAN:
      case NET_OP_CONCATENATION:
        // Imported-model operators: checked against TFLite Micro itself (tests/integration).
        throw std::logic_error(std::string("host reference: no ") + net_op_name(l.op));
    }
  }
  return outs;
}

std::vector<int8_t> ReferenceOutput(const net_model_t& model, uint64_t seed) {
  return ReferenceForward(GenerateParams(model, seed)).back();
}

}  // namespace mcusim::net
