/*
 * MLPerf Tiny DUT firmware for one task (DUT_TASK_KWS, _VWW, _IC or _AD): the protocol core
 * (ee_dut.c) with the project's network (tasks/common, the task's generated parameters) and
 * this port. Written for mcusim from the documented protocol (docs/mlperf.md).
 *
 * Port (port_stm32.c): the runner's serial line is the board's VCP U(S)ART (LPUART1 on the
 * NUCLEO-L4R5ZI, USART2 on the G0B1 and F446, USART1 on the F746 and U575, USART3 on the H7A3)
 * at 115200 baud, driven through its registers with receive and transmit interrupts; the
 * timestamp is TIM2 counting at 1 MHz. The timed window (first to second timestamp of `infer N W`)
 * is also marked as a region "name=window" (id 1000 + window index), so mcusim reports its own
 * figures for exactly that window next to the runner's: the marker is a semihosting call, the
 * only one left (it costs the same few cycles on every window; docs/mlperf.md).
 *
 * Input conversion (th_load_tensor; mlperf-tiny.md 1.1): kws int8 as sent; vww and ic uint8 RGB
 * - 128; ad float32 little-endian quantized with scale 0.3910152, zero point 89. Results
 * (th_results): kws/vww/ic the softmax output dequantized, (q + 128) / 256; ad the mean squared
 * error between the dequantized output ((q - 96) x 0.3644985) and the input (the anomaly score).
 */
#include <stdint.h>
#include <string.h>

#include "ee_dut.h"
#include "mcusim.h"
#include "net_run.h"
#include "port_stm32.h"
#include "net_task.h"

#if defined(DUT_TASK_KWS)
#include "kws_params.h"
#define DUT_PARAMS kws_params
#define DUT_ACTIVATION_BYTES KWS_ACTIVATION_BYTES
#define DUT_MODEL "kws01"
#elif defined(DUT_TASK_VWW)
#include "vww_params.h"
#define DUT_PARAMS vww_params
#define DUT_ACTIVATION_BYTES VWW_ACTIVATION_BYTES
#define DUT_MODEL "vww01"
#elif defined(DUT_TASK_IC)
#include "ic_params.h"
#define DUT_PARAMS ic_params
#define DUT_ACTIVATION_BYTES IC_ACTIVATION_BYTES
#define DUT_MODEL "ic01"
#elif defined(DUT_TASK_AD)
#include "ad_params.h"
#define DUT_PARAMS ad_params
#define DUT_ACTIVATION_BYTES AD_ACTIVATION_BYTES
#define DUT_MODEL "ad01"
#else
#error "define DUT_TASK_KWS, DUT_TASK_VWW, DUT_TASK_IC or DUT_TASK_AD"
#endif

#ifndef DUT_NAME
#define DUT_NAME "mcusim-" DUT_MODEL
#endif

/* Window k (0, 1, ...) is region DUT_ROI_WINDOW + k, label "name=window". */
#define DUT_ROI_WINDOW 1000u

NET_TASK_ARENA(arena, DUT_ACTIVATION_BYTES);
static const int8_t* g_output;

static void port_write(const char* s) {
  while (*s) dut_port_putc(*s++);
}

/* The window marker: begins after the first timestamp is read, ends before the second. */
static int g_in_window;
static uint32_t g_window;
#if !defined(DUT_ENERGY_MODE)
static uint32_t port_timestamp_framed(void) {
  static mcusim_roi_t roi;
  if (!g_in_window) {
    const uint32_t t = dut_port_timestamp_us();
    roi.id = DUT_ROI_WINDOW + g_window;
    roi.label = "name=window";
    mcusim_semihost(MCUSIM_ROI_BEGIN, (uint32_t)(uintptr_t)&roi);
    g_in_window = 1;
    return t;
  }
  mcusim_semihost(MCUSIM_ROI_END, DUT_ROI_WINDOW + g_window);
  ++g_window;
  g_in_window = 0;
  return dut_port_timestamp_us();
}
#endif

#if defined(DUT_ENERGY_MODE)
/* Energy mode (EE_CFG_ENERGY_MODE): the timestamp is a falling edge on the timestamp pin, held
 * low for at least 1 us, as the EnergyRunner's monitor captures it. The window region begins
 * right after the first edge and ends right before the second, so mcusim's window and the
 * edge-framed one differ only by the marker calls (docs/mlperf.md "Energy mode"). */
static void port_timestamp_pulse(void) {
  static mcusim_roi_t roi;
  if (!g_in_window) {
    dut_port_timestamp_pin(0);
    roi.id = DUT_ROI_WINDOW + g_window;
    roi.label = "name=window";
    mcusim_semihost(MCUSIM_ROI_BEGIN, (uint32_t)(uintptr_t)&roi);
    g_in_window = 1;
  } else {
    mcusim_semihost(MCUSIM_ROI_END, DUT_ROI_WINDOW + g_window);
    ++g_window;
    g_in_window = 0;
    dut_port_timestamp_pin(0);
  }
  dut_port_hold_1us();
  dut_port_timestamp_pin(1);
}
#define DUT_TIMESTAMP_US 0
#define DUT_TIMESTAMP_PULSE port_timestamp_pulse
#else
#define DUT_TIMESTAMP_US port_timestamp_framed
#define DUT_TIMESTAMP_PULSE 0
#endif

#if defined(DUT_TASK_AD)
static int8_t g_ad_input[640] __attribute__((aligned(4))); /* the quantized window */
#endif

/* th_load_tensor (before the timed window): AD quantizes the float32 window once. */
static void port_load_tensor(const uint8_t* input, size_t n) {
#if defined(DUT_TASK_AD)
  for (size_t i = 0; i < sizeof g_ad_input && 4 * i + 3 < n; ++i) {
    uint32_t bits = (uint32_t)input[4 * i] | (uint32_t)input[4 * i + 1] << 8 |
                    (uint32_t)input[4 * i + 2] << 16 | (uint32_t)input[4 * i + 3] << 24;
    float f;
    memcpy(&f, &bits, 4);
    float q = f / 0.3910152f + 89.0f;
    int32_t v = (int32_t)(q < 0 ? q - 0.5f : q + 0.5f);
    g_ad_input[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
  }
#else
  (void)input;
  (void)n;
#endif
}

/* The network reuses the input tensor's arena bytes for later activations, so every inference
 * writes the input tensor again: a copy (kws, ad) or the uint8 -> int8 map (vww, ic: x - 128 =
 * x XOR 0x80, four bytes per word). Outside the inference region, inside the timed window: part
 * of the window's non-inference share (well under 0.5 %). */
/* dst[i] = src[i] ^ flip, a word at a time when both are 4-byte aligned. */
static void copy_input(int8_t* dst, const uint8_t* src, size_t n, uint8_t flip) {
  size_t i = 0;
  if ((((uintptr_t)dst | (uintptr_t)src) & 3u) == 0) {
    const uint32_t f = flip * 0x01010101u;
    uint32_t* d = (uint32_t*)(void*)dst;
    const uint32_t* s = (const uint32_t*)(const void*)src;
    for (; i + 4 <= n; i += 4) *d++ = *s++ ^ f;
  }
  for (; i < n; ++i) dst[i] = (int8_t)(src[i] ^ flip);
}

static void restore_input(void) {
  int8_t* in = net_input_tensor(&DUT_PARAMS, arena);
  const size_t elems = (size_t)net_shape_elems(DUT_PARAMS.model->input_shape);
#if defined(DUT_TASK_AD)
  copy_input(in, (const uint8_t*)g_ad_input, elems < sizeof g_ad_input ? elems : sizeof g_ad_input,
             0);
#else
  size_t loaded = 0;
  const uint8_t* raw = ee_dut_input(&loaded);
#if defined(DUT_TASK_KWS)
  copy_input(in, raw, elems < loaded ? elems : loaded, 0);
#else
  copy_input(in, raw, elems < loaded ? elems : loaded, 0x80u);
#endif
#endif
}

static void port_infer(void) {
  restore_input();
  g_output = net_infer(&DUT_PARAMS, arena);
}

static size_t port_results(float* out, size_t max) {
  if (!g_output) return 0;
  const size_t n = (size_t)net_output_elems(DUT_PARAMS.model);
#if defined(DUT_TASK_AD)
  (void)max;
  size_t loaded = 0;
  const uint8_t* input = ee_dut_input(&loaded);
  float sum = 0;
  for (size_t i = 0; i < n && 4 * i + 3 < loaded; ++i) {
    uint32_t bits = (uint32_t)input[4 * i] | (uint32_t)input[4 * i + 1] << 8 |
                    (uint32_t)input[4 * i + 2] << 16 | (uint32_t)input[4 * i + 3] << 24;
    float f;
    memcpy(&f, &bits, 4);
    const float d = (float)(g_output[i] - 96) * 0.3644985f - f;
    sum += d * d;
  }
  out[0] = sum / (float)n;
  return 1;
#else
  size_t k = 0;
  for (; k < n && k < max; ++k) out[k] = (float)(g_output[k] + 128) / 256.0f;
  return k;
#endif
}

int main(void) {
  static const ee_dut_port port = {port_write, DUT_TIMESTAMP_US, DUT_TIMESTAMP_PULSE, port_load_tensor,
                                   port_infer, port_results,     DUT_NAME,            DUT_MODEL};
  dut_port_init();
#if defined(DUT_ENERGY_MODE)
  dut_port_timestamp_pin_init();
#endif
  if (net_arena_bytes(&DUT_PARAMS) > sizeof arena) {
    port_write("e-[arena too small]\r\n");
    for (;;) dut_port_getc();
  }
  ee_dut_init(&port);
  /* The session never ends on the board; in mcusim it ends when the host script is used up and
   * the core sleeps waiting for the next command (stop reason waiting_for_input). */
  for (;;) ee_dut_feed((char)dut_port_getc());
}
