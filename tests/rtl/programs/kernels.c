/* The project's int8 reference kernels (reference-firmware/kernels/reference) as small layers,
 * one region each, on deterministic pseudo-random data (generated outside the regions). */
#include "ref_kernels.h"
#include "rt.h"

static uint32_t seed = 12345u;
static int8_t rnd8(void) {
  seed = seed * 1664525u + 1013904223u;
  return (int8_t)(seed >> 24);
}
static void fill(int8_t* p, int n) {
  for (int i = 0; i < n; ++i) p[i] = rnd8();
}

static int8_t in[8 * 8 * 8], in2[256], filt[8 * 3 * 3 * 8], out[8 * 8 * 8];
static int32_t bias[16], mult[16], shft[16];

static ref_conv_params_t conv = {6, 6, 4, 6, 6, 8, 3, 3, 1, 1, 1, 1, 3, -5, -128, 127};
static ref_conv_params_t dw = {8, 8, 8, 8, 8, 8, 3, 3, 1, 1, 1, 1, 7, 2, -128, 127};
static ref_conv_params_t pool = {8, 8, 8, 1, 1, 8, 8, 8, 1, 1, 0, 0, 0, 0, -128, 127};
static ref_fc_params_t fc = {64, 16, 4, -3, 1518500250, -7, -128, 127};
static ref_add_params_t add = {256, 3, -2, 1, 20, 1073741824, -1, 1073741824, -1, 1518500250, -18, -128, 127};

__attribute__((noinline)) static void conv_layer(void) { ref_conv2d_s8(&conv, mult, shft, in, filt, bias, out); }
__attribute__((noinline)) static void dw_layer(void) { ref_depthwise_conv2d_s8(&dw, mult, shft, in, filt, bias, out); }
__attribute__((noinline)) static void pool_layer(void) { ref_avgpool_s8(&pool, in, out); }
__attribute__((noinline)) static void fc_layer(void) { ref_fully_connected_s8(&fc, in, filt, bias, out); }
__attribute__((noinline)) static void add_layer(void) { ref_add_s8(&add, in, in2, out); }
__attribute__((noinline)) static void softmax_layer(void) { ref_softmax_s8(in, 1, 10, 1374389535, 21, -248, out); }

int main(void) {
  fill(in, sizeof in);
  fill(in2, sizeof in2);
  fill(filt, sizeof filt);
  for (int i = 0; i < 16; ++i) {
    bias[i] = (int32_t)(rnd8()) * 37;
    mult[i] = 1073741824 + (int32_t)rnd8() * 1000000;
    shft[i] = -6 - (i & 3);
  }
  RT_REGION("conv3x3", conv_layer);
  RT_REGION("dwconv3x3", dw_layer);
  RT_REGION("avgpool", pool_layer);
  RT_REGION("fc", fc_layer);
  RT_REGION("add", add_layer);
  RT_REGION("softmax", softmax_layer);
  uint32_t sum = 0;
  for (unsigned i = 0; i < sizeof out; ++i) sum = sum * 31u + (uint8_t)out[i];
  rt_puts("checksum ");
  rt_putu(sum);
  rt_putc('\n');
  return 0;
}
