/*
 * Firmware main of every MLPerf Tiny task: prints the arena size, loads the input (the
 * th_load_tensor step, outside the timed region), runs one inference and prints the output.
 * Console output (semihosting SYS_WRITE0), exactly:
 *   arena_bytes=<N>
 *   <model_id> scores: v0 v1 ...       (all output values, signed decimal int8, single spaces)
 */
#ifndef MCUSIM_TASKS_NET_TASK_H_
#define MCUSIM_TASKS_NET_TASK_H_

#include <stddef.h>
#include <stdint.h>

#include "net_qparams.h"

/* Scratch bytes reserved in each task's arena on top of the activation area: 0 for the reference
 * library; the build sets it for libraries that need scratch. net_task_main checks at run time
 * that the linked library's largest need fits (otherwise it prints an error and returns 1). */
#ifndef NET_SCRATCH_CAPACITY
#define NET_SCRATCH_CAPACITY 0
#endif

/* Declares the task's arena (.bss, 16-byte aligned): activations + scratch capacity. */
#define NET_TASK_ARENA(name, activation_bytes) \
  static int8_t name[(activation_bytes) + NET_SCRATCH_CAPACITY] __attribute__((aligned(16)))

int net_task_main(const net_params_t* params, int8_t* arena, size_t arena_size);

#endif /* MCUSIM_TASKS_NET_TASK_H_ */
