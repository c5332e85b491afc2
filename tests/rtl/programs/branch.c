/* Branches taken and not taken, at 4-byte and 2-mod-4 alignment, compressed and uncompressed;
 * direct and indirect jumps. */
#include "bench.h"

#define NORVC ".option push\n .option norvc\n"
#define RVC ".option push\n .option rvc\n"
#define POP ".option pop\n"
/* Loops of 100 iterations: addi + bne (taken 99 times). */
BENCH_FN(loop_aligned, NORVC " li a1, 100\n .balign 4\n 1: addi a1, a1, -1\n bnez a1, 1b\n" POP)
#ifdef __riscv_compressed
BENCH_FN(loop_misaligned, NORVC " li a1, 100\n .balign 4\n" POP RVC " c.nop\n" POP
                                NORVC " 1: addi a1, a1, -1\n bnez a1, 1b\n" POP)
#endif
BENCH_FN(not_taken, NORVC " li a1, 1\n .rept 200\n beqz a1, 2f\n .endr\n 2:\n" POP)
BENCH_FN(taken_fwd, NORVC " .rept 100\n beqz zero, 3f\n nop\n 3:\n .endr\n" POP)
BENCH_FN(jal_fwd, NORVC " .rept 100\n j 4f\n nop\n 4:\n .endr\n" POP)
BENCH_FN(jalr_calls, NORVC " la a3, 5f\n li a1, 50\n 6: jalr ra, 0(a3)\n addi a1, a1, -1\n bnez a1, 6b\n j 7f\n"
                     " 5: ret\n 7:\n" POP)
#ifdef __riscv_compressed
/* Compressed loops at both alignments of the loop head. */
BENCH_FN(c_loop_aligned, NORVC " li a1, 100\n .balign 4\n" POP RVC " 1: c.addi a1, -1\n c.bnez a1, 1b\n" POP)
BENCH_FN(c_loop_misaligned, NORVC " li a1, 100\n .balign 4\n" POP RVC " c.nop\n 1: c.addi a1, -1\n c.bnez a1, 1b\n" POP)
/* A 32-bit instruction after a taken branch to a 2-mod-4 target. */
BENCH_FN(c_loop_mixed, NORVC " li a1, 100\n .balign 4\n" POP RVC " c.nop\n 1: addi a1, a1, -1\n c.bnez a1, 1b\n" POP)
BENCH_FN(c_not_taken, RVC " li a1, 1\n .rept 200\n c.beqz a1, 2f\n .endr\n 2:\n" POP)
BENCH_FN(c_j, RVC " .rept 100\n c.j 4f\n c.nop\n 4:\n .endr\n" POP)
#endif

int main(void) {
  RT_REGION("loop_aligned", loop_aligned);
#ifdef __riscv_compressed
  RT_REGION("loop_misaligned", loop_misaligned);
#endif
  RT_REGION("not_taken", not_taken);
  RT_REGION("taken_fwd", taken_fwd);
  RT_REGION("jal_fwd", jal_fwd);
  RT_REGION("jalr_calls", jalr_calls);
#ifdef __riscv_compressed
  RT_REGION("c_loop_aligned", c_loop_aligned);
  RT_REGION("c_loop_misaligned", c_loop_misaligned);
  RT_REGION("c_loop_mixed", c_loop_mixed);
  RT_REGION("c_not_taken", c_not_taken);
  RT_REGION("c_j", c_j);
#endif
  return 0;
}
