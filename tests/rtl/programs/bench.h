/* Helpers for the microbenchmarks: BENCH(name, asm) defines a noinline function whose body is
 * the given assembly (clobbering the temporaries a0-a5, t0-t6) and a region around its call. */
#ifndef RTL_PROGRAMS_BENCH_H_
#define RTL_PROGRAMS_BENCH_H_
#include "rt.h"

#define RT_CLOBBERS "ra", "a0", "a1", "a2", "a3", "a4", "a5", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory"
#define BENCH_FN(fname, body) \
  __attribute__((noinline)) static void fname(void) { __asm__ volatile(body ::: RT_CLOBBERS); }
#define STR_(x) #x
#define STR(x) STR_(x)
#endif
