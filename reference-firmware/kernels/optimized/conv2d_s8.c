/*
 * int8 CONV_2D, per-channel requantization: im2col of two output pixels into int16 columns
 * (input offset added), then a 2-output-channel x 2-pixel SMLAD matrix-multiply core.
 * Design: CMSIS-NN arm_convolve_s8 / arm_nn_mat_mult_kernel_s8_s16 (see docs/models/kernels.md);
 * results are bit-identical to kernels/reference/conv2d_s8.c.
 *
 * Column layout ("pair-reordered" q15): the column of one output pixel holds the K =
 * kernel_h*kernel_w*in_c values (input + input_offset) in filter order k, except that inside
 * every complete group of four (k = 4g..4g+3) elements 1 and 2 are swapped:
 *     col[4g+0] = x[4g+0], col[4g+1] = x[4g+2], col[4g+2] = x[4g+1], col[4g+3] = x[4g+3].
 * That is exactly what SXTAB16 / SXTAB16 ROR 8 produce from one int8x4 input word, and exactly
 * the order SXTB16 / SXTB16 ROR 8 produce from one int8x4 weight word, so the inner loop needs
 * no PKHBT/PKHTB re-packing. The K % 4 tail elements stay in natural order.
 * Padding taps are stored as 0 (= zero point + input_offset), which contributes nothing, like
 * the reference that skips them.
 */
#include "arm_simd.h"
#include "nn_kernels.h"
#include "opt_internal.h"

/* Index of filter position k in the pair-reordered column (k4 = K rounded down to 4). */
static inline int32_t col_index(int32_t k, int32_t k4) {
  return k < k4 ? ((k & ~3) | ((k & 1) << 1) | ((k >> 1) & 1)) : k;
}

/* Writes n values (src[i] + offset) to filter positions kpos..kpos+n-1 of the column. */
static void col_put(int16_t* col, int32_t kpos, int32_t k4, const int8_t* src, int32_t n,
                    int32_t offset, uint32_t offset2) {
  /* scalar until kpos is group-aligned */
  while (n > 0 && (kpos & 3) != 0) {
    col[col_index(kpos, k4)] = (int16_t)(*src++ + offset);
    ++kpos;
    --n;
  }
  /* whole groups: one word in, two words out */
  while (n >= 4) {
    const uint32_t x = nn_read_s8x4(src);
    nn_write_s16x2(col + kpos, nn_sxtab16(offset2, x));          /* x0, x2 */
    nn_write_s16x2(col + kpos + 2, nn_sxtab16_ror8(offset2, x)); /* x1, x3 */
    src += 4;
    kpos += 4;
    n -= 4;
  }
  while (n > 0) {
    col[col_index(kpos, k4)] = (int16_t)(*src++ + offset);
    ++kpos;
    --n;
  }
}

static void col_zero(int16_t* col, int32_t kpos, int32_t k4, int32_t n) {
  while (n > 0 && (kpos & 3) != 0) {
    col[col_index(kpos, k4)] = 0;
    ++kpos;
    --n;
  }
  while (n >= 4) {
    nn_write_s16x2(col + kpos, 0);
    nn_write_s16x2(col + kpos + 2, 0);
    kpos += 4;
    n -= 4;
  }
  while (n > 0) {
    col[col_index(kpos, k4)] = 0;
    ++kpos;
    --n;
  }
}

/* im2col of output pixel (out_y, out_x) into col (K int16). */
static void im2col_pixel(const nn_conv_params_t* p, const int8_t* input, int32_t out_y,
                         int32_t out_x, int16_t* col, int32_t k4, uint32_t offset2) {
  const int32_t in_y0 = out_y * p->stride_h - p->pad_top;
  const int32_t in_x0 = out_x * p->stride_w - p->pad_left;
  const int32_t row_len = p->kernel_w * p->in_c;
  /* valid fx range of this pixel */
  int32_t fx0 = in_x0 < 0 ? -in_x0 : 0;
  int32_t fx1 = p->in_w - in_x0;
  if (fx1 > p->kernel_w) fx1 = p->kernel_w;
  if (fx1 < fx0) fx1 = fx0;
  int32_t kpos = 0;
  for (int32_t fy = 0; fy < p->kernel_h; ++fy, kpos += row_len) {
    const int32_t in_y = in_y0 + fy;
    if (in_y < 0 || in_y >= p->in_h) {
      col_zero(col, kpos, k4, row_len);
      continue;
    }
    if (fx0 > 0) col_zero(col, kpos, k4, fx0 * p->in_c);
    if (fx1 > fx0) {
      col_put(col, kpos + fx0 * p->in_c, k4,
              input + (in_y * p->in_w + in_x0 + fx0) * p->in_c, (fx1 - fx0) * p->in_c,
              p->input_offset, offset2);
    }
    if (fx1 < p->kernel_w) {
      col_zero(col, kpos + fx1 * p->in_c, k4, (p->kernel_w - fx1) * p->in_c);
    }
  }
}

/*
 * out0[oc] / out1[oc] for all output channels from columns col0 / col1 (col1 may be NULL: one
 * pixel). Two filter rows x two columns per pass: per group of 4 filter positions, 2 weight
 * words + 4 column words feed 8 SMLADs (16 MACs).
 */
static void mat_mult_cols(const nn_conv_params_t* p, const int32_t* multiplier,
                          const int32_t* shift, const int8_t* filter, const int32_t* bias,
                          int32_t k, const int16_t* col0, const int16_t* col1, int8_t* out0,
                          int8_t* out1) {
  const int32_t groups = k >> 2;
  const int32_t k4 = groups << 2;
  const int32_t out_c = p->out_c;
  int32_t oc = 0;
  if (col1 != NULL) {
    for (; oc + 1 < out_c; oc += 2) {
      const int8_t* w0 = filter + oc * k;
      const int8_t* w1 = w0 + k;
      const int16_t* x0 = col0;
      const int16_t* x1 = col1;
      int32_t a00 = bias ? bias[oc] : 0;
      int32_t a10 = bias ? bias[oc + 1] : 0;
      int32_t a01 = a00;
      int32_t a11 = a10;
      for (int32_t g = groups; g > 0; --g) {
        const uint32_t x0e = nn_read_s16x2(x0);
        const uint32_t x0o = nn_read_s16x2(x0 + 2);
        const uint32_t x1e = nn_read_s16x2(x1);
        const uint32_t x1o = nn_read_s16x2(x1 + 2);
        x0 += 4;
        x1 += 4;
        const uint32_t wa = nn_read_s8x4(w0);
        w0 += 4;
        const uint32_t wae = nn_sxtb16(wa);
        const uint32_t wao = nn_sxtb16_ror8(wa);
        a00 = nn_smlad(wae, x0e, a00);
        a01 = nn_smlad(wae, x1e, a01);
        a00 = nn_smlad(wao, x0o, a00);
        a01 = nn_smlad(wao, x1o, a01);
        const uint32_t wb = nn_read_s8x4(w1);
        w1 += 4;
        const uint32_t wbe = nn_sxtb16(wb);
        const uint32_t wbo = nn_sxtb16_ror8(wb);
        a10 = nn_smlad(wbe, x0e, a10);
        a11 = nn_smlad(wbe, x1e, a11);
        a10 = nn_smlad(wbo, x0o, a10);
        a11 = nn_smlad(wbo, x1o, a11);
      }
      for (int32_t i = k4; i < k; ++i) {
        const int32_t wv0 = *w0++;
        const int32_t wv1 = *w1++;
        const int32_t xv0 = *x0++;
        const int32_t xv1 = *x1++;
        a00 += wv0 * xv0;
        a01 += wv0 * xv1;
        a10 += wv1 * xv0;
        a11 += wv1 * xv1;
      }
      out0[oc] = nn_requant_clamp(a00, multiplier[oc], shift[oc], p->output_offset, p->act_min,
                                  p->act_max);
      out0[oc + 1] = nn_requant_clamp(a10, multiplier[oc + 1], shift[oc + 1], p->output_offset,
                                      p->act_min, p->act_max);
      out1[oc] = nn_requant_clamp(a01, multiplier[oc], shift[oc], p->output_offset, p->act_min,
                                  p->act_max);
      out1[oc + 1] = nn_requant_clamp(a11, multiplier[oc + 1], shift[oc + 1], p->output_offset,
                                      p->act_min, p->act_max);
    }
    if (oc < out_c) { /* odd channel count: last filter row, both columns */
      const int8_t* w0 = filter + oc * k;
      const int16_t* x0 = col0;
      const int16_t* x1 = col1;
      int32_t a0 = bias ? bias[oc] : 0;
      int32_t a1 = a0;
      for (int32_t g = groups; g > 0; --g) {
        const uint32_t wa = nn_read_s8x4(w0);
        w0 += 4;
        const uint32_t wae = nn_sxtb16(wa);
        const uint32_t wao = nn_sxtb16_ror8(wa);
        a0 = nn_smlad(wae, nn_read_s16x2(x0), a0);
        a0 = nn_smlad(wao, nn_read_s16x2(x0 + 2), a0);
        a1 = nn_smlad(wae, nn_read_s16x2(x1), a1);
        a1 = nn_smlad(wao, nn_read_s16x2(x1 + 2), a1);
        x0 += 4;
        x1 += 4;
      }
      for (int32_t i = k4; i < k; ++i) {
        const int32_t wv = *w0++;
        a0 += wv * *x0++;
        a1 += wv * *x1++;
      }
      out0[oc] = nn_requant_clamp(a0, multiplier[oc], shift[oc], p->output_offset, p->act_min,
                                  p->act_max);
      out1[oc] = nn_requant_clamp(a1, multiplier[oc], shift[oc], p->output_offset, p->act_min,
                                  p->act_max);
    }
    return;
  }
  /* one column (last pixel of an odd pixel count): two filter rows per pass */
  for (; oc < out_c; oc += 2) {
    const int two = oc + 1 < out_c;
    const int8_t* w0 = filter + oc * k;
    const int8_t* w1 = two ? w0 + k : w0;
    const int16_t* x0 = col0;
    int32_t a0 = bias ? bias[oc] : 0;
    int32_t a1 = (bias && two) ? bias[oc + 1] : 0;
    for (int32_t g = groups; g > 0; --g) {
      const uint32_t xe = nn_read_s16x2(x0);
      const uint32_t xo = nn_read_s16x2(x0 + 2);
      x0 += 4;
      const uint32_t wa = nn_read_s8x4(w0);
      const uint32_t wb = nn_read_s8x4(w1);
      w0 += 4;
      w1 += 4;
      a0 = nn_smlad(nn_sxtb16(wa), xe, a0);
      a0 = nn_smlad(nn_sxtb16_ror8(wa), xo, a0);
      a1 = nn_smlad(nn_sxtb16(wb), xe, a1);
      a1 = nn_smlad(nn_sxtb16_ror8(wb), xo, a1);
    }
    for (int32_t i = k4; i < k; ++i) {
      const int32_t xv = *x0++;
      a0 += *w0++ * xv;
      a1 += *w1++ * xv;
    }
    out0[oc] = nn_requant_clamp(a0, multiplier[oc], shift[oc], p->output_offset, p->act_min,
                                p->act_max);
    if (two) {
      out0[oc + 1] = nn_requant_clamp(a1, multiplier[oc + 1], shift[oc + 1], p->output_offset,
                                      p->act_min, p->act_max);
    }
  }
}

size_t nn_conv2d_s8_scratch_bytes(const nn_conv_params_t* p) {
  /* two int16 columns of K values each; K rounded up to even keeps column 1 word-aligned */
  const size_t k = (size_t)(p->kernel_h * p->kernel_w * p->in_c);
  return 2u * ((k + 1u) & ~(size_t)1u) * sizeof(int16_t);
}

void nn_conv2d_s8(const nn_conv_params_t* p, const int32_t* multiplier, const int32_t* shift,
                  const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
                  void* scratch) {
  const int32_t k = p->kernel_h * p->kernel_w * p->in_c;
  const int32_t k4 = k & ~3;
  const uint32_t offset2 = nn_dup16(p->input_offset);
  int16_t* col0 = (int16_t*)scratch;
  int16_t* col1 = col0 + ((k + 1) & ~1);
  const int32_t pixels = p->out_h * p->out_w;
  const int pointwise = p->kernel_h == 1 && p->kernel_w == 1 && p->stride_h == 1 &&
                        p->stride_w == 1 && p->pad_top == 0 && p->pad_left == 0 &&
                        p->in_h == p->out_h && p->in_w == p->out_w;

  if (pointwise) {
    /* 1x1, stride 1, no padding: output pixel i reads input pixel i; the "im2col" is just the
     * widening of two consecutive input rows of in_c values. */
    int32_t i = 0;
    for (; i + 1 < pixels; i += 2) {
      col_put(col0, 0, k4, input + i * k, k, p->input_offset, offset2);
      col_put(col1, 0, k4, input + (i + 1) * k, k, p->input_offset, offset2);
      mat_mult_cols(p, multiplier, shift, filter, bias, k, col0, col1, output + i * p->out_c,
                    output + (i + 1) * p->out_c);
    }
    if (i < pixels) {
      col_put(col0, 0, k4, input + i * k, k, p->input_offset, offset2);
      mat_mult_cols(p, multiplier, shift, filter, bias, k, col0, NULL, output + i * p->out_c,
                    NULL);
    }
    return;
  }

  /* general path: im2col two output pixels, then the 2x2 core */
  int32_t pending = -1; /* pixel index whose column is in col0, or -1 */
  for (int32_t oy = 0; oy < p->out_h; ++oy) {
    for (int32_t ox = 0; ox < p->out_w; ++ox) {
      const int32_t i = oy * p->out_w + ox;
      if (pending < 0) {
        im2col_pixel(p, input, oy, ox, col0, k4, offset2);
        pending = i;
      } else {
        im2col_pixel(p, input, oy, ox, col1, k4, offset2);
        mat_mult_cols(p, multiplier, shift, filter, bias, k, col0, col1,
                      output + pending * p->out_c, output + i * p->out_c);
        pending = -1;
      }
    }
  }
  if (pending >= 0) {
    mat_mult_cols(p, multiplier, shift, filter, bias, k, col0, NULL, output + pending * p->out_c,
                  NULL);
  }
}
