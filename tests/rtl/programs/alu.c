/* ALU classes back to back: independent and dependent chains, register-immediate and
 * register-register, 32-bit at both alignments and compressed (when built with C). */
#include "bench.h"

BENCH_FN(add_indep, "li a1, 3\n .rept 200\n add a2, a1, a1\n add a3, a1, a1\n .endr")
BENCH_FN(add_dep, "li a1, 3\n li a2, 0\n .rept 200\n add a2, a2, a1\n add a2, a2, a1\n .endr")
BENCH_FN(addi_lui, ".rept 100\n addi a2, a2, 5\n lui a3, 0x12345\n xori a4, a2, 7\n slti a5, a2, 9\n .endr")
BENCH_FN(logic_rr, "li a1, 0x0f0f\n .rept 100\n and a2, a1, a2\n or a3, a1, a2\n xor a4, a3, a1\n sltu a5, a4, a1\n sub a2, a5, a1\n .endr")
#ifdef __riscv_compressed
/* 32-bit ALU ops placed at 2 mod 4 (straddling two fetch words). */
BENCH_FN(add_misaligned, ".option push\n .option norvc\n .balign 4\n .option pop\n"
                         ".option push\n .option rvc\n c.nop\n .option pop\n"
                         ".option push\n .option norvc\n .rept 200\n add a2, a2, a1\n .endr\n .option pop")
BENCH_FN(c_alu, "li a1, 3\n .rept 200\n c.add a2, a1\n c.addi a3, 1\n .endr")
BENCH_FN(c_mixed, ".rept 100\n c.mv a2, a1\n add a3, a2, a1\n c.addi a3, 1\n xori a4, a3, 5\n .endr")
#endif

int main(void) {
  RT_REGION("add_indep", add_indep);
  RT_REGION("add_dep", add_dep);
  RT_REGION("addi_lui", addi_lui);
  RT_REGION("logic_rr", logic_rr);
#ifdef __riscv_compressed
  RT_REGION("add_misaligned", add_misaligned);
  RT_REGION("c_alu", c_alu);
  RT_REGION("c_mixed", c_mixed);
#endif
  return 0;
}
