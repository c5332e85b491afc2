/*
 * kws01 reference firmware: one DS-CNN inference on the generated input.
 * Output (semihosting SYS_WRITE0), exactly:
 *   arena_bytes=16000
 *   kws01 scores: v0 v1 ... v11        (12 signed decimal int8, single spaces, then '\n')
 * Returns 0 (the startup code turns it into SYS_EXIT ADP_Stopped_ApplicationExit).
 */
#include <stdint.h>

#include "kws_net.h"
#include "kws_params.h"
#include "mcusim.h"

/* Activation arena in SRAM (.bss): two ping-pong buffers. */
static int8_t arena[KWS_ARENA_BYTES] __attribute__((aligned(16)));

static char* append_str(char* p, const char* s) {
  while (*s) *p++ = *s++;
  return p;
}

static char* append_int(char* p, int32_t v) {
  char digits[11];
  int32_t n = 0;
  uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
  if (v < 0) *p++ = '-';
  do {
    digits[n++] = (char)('0' + u % 10u);
    u /= 10u;
  } while (u);
  while (n) *p++ = digits[--n];
  return p;
}

int main(void) {
  char line[128];
  char* p = append_str(line, "arena_bytes=");
  p = append_int(p, (int32_t)sizeof(arena));
  p = append_str(p, "\n");
  *p = '\0';
  mcusim_puts(line);

  /* Load the input tensor (the th_load_tensor step; outside the timed region). */
  for (int32_t i = 0; i < KWS_INPUT_SIZE; ++i) arena[i] = kws_input[i];

  const int8_t* scores = kws_infer(arena);

  p = append_str(line, "kws01 scores:");
  for (int32_t i = 0; i < KWS_NUM_CLASSES; ++i) {
    *p++ = ' ';
    p = append_int(p, scores[i]);
  }
  p = append_str(p, "\n");
  *p = '\0';
  mcusim_puts(line);
  return 0;
}
