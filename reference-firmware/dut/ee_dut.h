/* The DUT side of the MLPerf Tiny benchmark protocol, written for mcusim from the documented
 * protocol (/work/shared/reference/mlperf-tiny.md section 3.3; docs/mlperf.md): commands are
 * ASCII, terminated by '%'; every command is answered and followed by "m-ready".
 *
 *   name%          -> m-name-dut-[<name>]
 *   profile%       -> m-profile-[<firmware>] and m-model-[<model id>]
 *   timestamp%     -> one timestamp (m-lap-us-<us> in performance mode, a GPIO pulse in energy
 * mode) db load N%     -> m-[Expecting N bytes]     (N <= EE_DUT_MAX_INPUT) db <hex>%      ->
 * appends bytes; m-load-done after the N-th infer N W%     -> load the tensor; m-warmup-start-W; W
 * inferences; m-warmup-done; m-infer-start-N; timestamp; N inferences; timestamp; m-infer-done;
 *                     m-results-[...]
 *   results%       -> m-results-[...]
 *   anything else  -> e-[Unknown command: <cmd>]
 *
 * Portable C (no libc beyond <stddef.h>/<stdint.h>): the board port supplies the I/O, the timer
 * and the model through ee_dut_port. The same file runs on the host in the unit tests
 * (tests/unit/mlperf), so the protocol is tested without a simulated UART.
 */
#ifndef EE_DUT_H
#define EE_DUT_H

#include <stddef.h>
#include <stdint.h>

/* Largest input a `db load` accepts: by default the VWW image, 96 x 96 x 3 bytes
 * (MAX_DB_INPUT_SIZE); a task build may set its own input size. */
#ifndef EE_DUT_MAX_INPUT
#define EE_DUT_MAX_INPUT (96u * 96u * 3u)
#endif
/* Longest command, terminator excluded (EE_CMD_SIZE 80). */
#define EE_DUT_CMD_SIZE 80u

typedef struct ee_dut_port {
  /* Writes a NUL-terminated string on the runner's serial line. */
  void (*write)(const char* s);
  /* Performance mode: the free-running timer in microseconds (at least 1 kHz resolution). */
  uint32_t (*timestamp_us)(void);
  /* Energy mode: the timestamp pulse (pull the timestamp pin low, hold, release). NULL in
   * performance mode. */
  void (*timestamp_pulse)(void);
  /* Copies/converts the loaded input (n bytes) into the model's input tensor (th_load_tensor). */
  void (*load_tensor)(const uint8_t* input, size_t n);
  /* Runs one inference (th_infer). */
  void (*infer)(void);
  /* Writes up to `max` result values (th_results); returns how many. */
  size_t (*results)(float* out, size_t max);
  const char* name;  /* DUT name printed by name% */
  const char* model; /* "kws01", "vww01", "ic01" or "ad01" */
} ee_dut_port;

/* Prints the boot banner (timestamp mode, m-init-done, m-ready). */
void ee_dut_init(const ee_dut_port* port);
/* Feeds one received character; a '%' runs the command collected so far. */
void ee_dut_feed(char c);
/* The input buffer (EE_DUT_MAX_INPUT bytes) and the number of bytes loaded. */
const uint8_t* ee_dut_input(size_t* loaded);

#endif
