/*
 * int8 DEPTHWISE_CONV_2D, depth multiplier 1, per-channel requantization. Bit-identical to
 * kernels/reference/depthwise_conv2d_s8.c.
 *
 * Channels are processed four at a time: one int8x4 input word and one int8x4 weight word per
 * tap, widened with SXTAB16 (input + input_offset) / SXTB16 (weights) into (c0,c2) and (c1,c3)
 * halfword pairs, and accumulated per channel with SMLABB / SMLATT (depthwise has no reduction
 * over channels, so SMLAD's pair sum does not apply). The tap window is clipped once per output
 * pixel (no per-tap bounds checks). 3x3 kernels get a fully unrolled interior path with constant
 * tap offsets; edge pixels and other kernel sizes use the clipped generic loop. The in_c % 4
 * leftover channels are done with scalar MACs. No scratch memory.
 * Design: CMSIS-NN arm_depthwise_conv_3x3_s8 / arm_depthwise_conv_s8_opt (docs/models/kernels.md).
 */
#include "arm_simd.h"
#include "nn_kernels.h"
#include "opt_internal.h"

#define DW_TAP4(in_ptr, w_ptr)                     \
  do {                                             \
    const uint32_t x_ = nn_read_s8x4(in_ptr);      \
    const uint32_t w_ = nn_read_s8x4(w_ptr);       \
    const uint32_t xe_ = nn_sxtab16(offset2, x_);  \
    const uint32_t xo_ = nn_sxtab16_ror8(offset2, x_); \
    const uint32_t we_ = nn_sxtb16(w_);            \
    const uint32_t wo_ = nn_sxtb16_ror8(w_);       \
    a0 = nn_smlabb(xe_, we_, a0);                  \
    a2 = nn_smlatt(xe_, we_, a2);                  \
    a1 = nn_smlabb(xo_, wo_, a1);                  \
    a3 = nn_smlatt(xo_, wo_, a3);                  \
  } while (0)

static inline void dw_store4(const nn_conv_params_t* p, const int32_t* multiplier,
                             const int32_t* shift, int32_t c, int32_t a0, int32_t a1, int32_t a2,
                             int32_t a3, int8_t* out) {
  out[0] = nn_requant_clamp(a0, multiplier[c], shift[c], p->output_offset, p->act_min, p->act_max);
  out[1] = nn_requant_clamp(a1, multiplier[c + 1], shift[c + 1], p->output_offset, p->act_min,
                            p->act_max);
  out[2] = nn_requant_clamp(a2, multiplier[c + 2], shift[c + 2], p->output_offset, p->act_min,
                            p->act_max);
  out[3] = nn_requant_clamp(a3, multiplier[c + 3], shift[c + 3], p->output_offset, p->act_min,
                            p->act_max);
}

/* One output pixel, taps clipped to [fy0,fy1) x [fx0,fx1); any kernel size. */
static NN_NOINLINE void dw_pixel_generic(const nn_conv_params_t* p, const int32_t* multiplier,
                             const int32_t* shift, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* out, int32_t in_y0, int32_t in_x0,
                             uint32_t offset2) {
  const int32_t ch = p->in_c;
  int32_t fy0 = in_y0 < 0 ? -in_y0 : 0;
  int32_t fy1 = p->in_h - in_y0;
  if (fy1 > p->kernel_h) fy1 = p->kernel_h;
  int32_t fx0 = in_x0 < 0 ? -in_x0 : 0;
  int32_t fx1 = p->in_w - in_x0;
  if (fx1 > p->kernel_w) fx1 = p->kernel_w;
  const int32_t in_row = p->in_w * ch;
  const int32_t w_row = p->kernel_w * ch;
  int32_t c = 0;
  for (; c + 3 < ch; c += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (bias) {
      a0 = bias[c];
      a1 = bias[c + 1];
      a2 = bias[c + 2];
      a3 = bias[c + 3];
    }
    for (int32_t fy = fy0; fy < fy1; ++fy) {
      const int8_t* ip = input + (in_y0 + fy) * in_row + (in_x0 + fx0) * ch + c;
      const int8_t* wp = filter + fy * w_row + fx0 * ch + c;
      for (int32_t fx = fx0; fx < fx1; ++fx) {
        DW_TAP4(ip, wp);
        ip += ch;
        wp += ch;
      }
    }
    dw_store4(p, multiplier, shift, c, a0, a1, a2, a3, out + c);
  }
  for (; c < ch; ++c) {
    int32_t acc = bias ? bias[c] : 0;
    for (int32_t fy = fy0; fy < fy1; ++fy) {
      const int8_t* ip = input + (in_y0 + fy) * in_row + (in_x0 + fx0) * ch + c;
      const int8_t* wp = filter + fy * w_row + fx0 * ch + c;
      for (int32_t fx = fx0; fx < fx1; ++fx) {
        acc += ((int32_t)*ip + p->input_offset) * (int32_t)*wp;
        ip += ch;
        wp += ch;
      }
    }
    out[c] = nn_requant_clamp(acc, multiplier[c], shift[c], p->output_offset, p->act_min,
                              p->act_max);
  }
}

/* One 3x3 output pixel whose 9 taps are all inside the input (in0: its top-left tap, channel 0).
 * Kept out of line (like dw_pixel_generic) so that the compiler allocates its registers for this
 * loop alone: pointers, the channel stride and four accumulators fit in r0-r12 without spills. */
static NN_NOINLINE void dw_pixel_3x3_interior(const nn_conv_params_t* p,
                                              const int32_t* multiplier, const int32_t* shift,
                                              const int8_t* in0, const int8_t* filter,
                                              const int32_t* bias, int8_t* out,
                                              uint32_t offset2) {
  const int32_t ch = p->in_c;
  const int32_t in_row = p->in_w * ch;
  int32_t c = 0;
  for (; c + 3 < ch; c += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (bias) {
      a0 = bias[c];
      a1 = bias[c + 1];
      a2 = bias[c + 2];
      a3 = bias[c + 3];
    }
    const int8_t* ip = in0 + c;
    const int8_t* wp = filter + c;
    for (int32_t r = 0; r < 3; ++r) {
      DW_TAP4(ip, wp);
      DW_TAP4(ip + ch, wp + ch);
      DW_TAP4(ip + 2 * ch, wp + 2 * ch);
      ip += in_row;
      wp += 3 * ch;
    }
    dw_store4(p, multiplier, shift, c, a0, a1, a2, a3, out + c);
  }
  for (; c < ch; ++c) {
    int32_t acc = bias ? bias[c] : 0;
    const int8_t* ip = in0 + c;
    const int8_t* wp = filter + c;
    const int32_t off = p->input_offset;
    for (int32_t r = 0; r < 3; ++r) {
      acc += (ip[0] + off) * wp[0] + (ip[ch] + off) * wp[ch] + (ip[2 * ch] + off) * wp[2 * ch];
      ip += in_row;
      wp += 3 * ch;
    }
    out[c] = nn_requant_clamp(acc, multiplier[c], shift[c], p->output_offset, p->act_min,
                              p->act_max);
  }
}

size_t nn_depthwise_conv2d_s8_scratch_bytes(const nn_conv_params_t* p) {
  (void)p;
  return 0;
}

void nn_depthwise_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier,
                            const int32_t* shift, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, void* scratch) {
  (void)scratch;
  const uint32_t offset2 = nn_dup16(p->input_offset);
  const int is3x3 = p->kernel_h == 3 && p->kernel_w == 3;
  for (int32_t oy = 0; oy < p->out_h; ++oy) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    const int y_inside = in_y0 >= 0 && in_y0 + p->kernel_h <= p->in_h;
    for (int32_t ox = 0; ox < p->out_w; ++ox) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      int8_t* out = output + (oy * p->out_w + ox) * p->out_c;
      if (is3x3 && y_inside && in_x0 >= 0 && in_x0 + 3 <= p->in_w) {
        dw_pixel_3x3_interior(p, multiplier, shift,
                              input + (in_y0 * p->in_w + in_x0) * p->in_c, filter, bias, out,
                              offset2);
      } else {
        dw_pixel_generic(p, multiplier, shift, input, filter, bias, out, in_y0, in_x0, offset2);
      }
    }
  }
}
