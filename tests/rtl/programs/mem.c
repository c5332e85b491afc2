/* Loads and stores of each width, load-use pairs, compressed forms. */
#include "bench.h"

static uint32_t buf[64];

#define MEM_FN(fname, body) \
  __attribute__((noinline)) static void fname(void) { __asm__ volatile("mv a0, %0\n" body ::"r"(buf) : RT_CLOBBERS); }
MEM_FN(lw, ".rept 100\n lw a2, 0(a0)\n lw a3, 4(a0)\n .endr")
MEM_FN(lb_lh, ".rept 50\n lb a2, 1(a0)\n lbu a3, 2(a0)\n lh a4, 2(a0)\n lhu a5, 4(a0)\n .endr")
MEM_FN(sw, ".rept 100\n sw a1, 0(a0)\n sw a1, 8(a0)\n .endr")
MEM_FN(sb_sh, ".rept 50\n sb a1, 1(a0)\n sh a1, 2(a0)\n sb a1, 7(a0)\n sh a1, 12(a0)\n .endr")
MEM_FN(load_use, ".rept 100\n lw a2, 0(a0)\n add a3, a2, a2\n .endr")
MEM_FN(copy, ".rept 50\n lw a2, 0(a0)\n sw a2, 64(a0)\n lbu a3, 3(a0)\n sb a3, 65(a0)\n .endr")
#ifdef __riscv_compressed
MEM_FN(c_lw_sw, ".rept 100\n c.lw a2, 0(a0)\n c.sw a2, 4(a0)\n .endr")
#endif

int main(void) {
  RT_REGION("lw", lw);
  RT_REGION("lb_lh", lb_lh);
  RT_REGION("sw", sw);
  RT_REGION("sb_sh", sb_sh);
  RT_REGION("load_use", load_use);
  RT_REGION("copy", copy);
#ifdef __riscv_compressed
  RT_REGION("c_lw_sw", c_lw_sw);
#endif
  return 0;
}
