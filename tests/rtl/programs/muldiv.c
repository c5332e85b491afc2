/* RV32M: multiplies (low and high halves), divides and remainders, independent and dependent. */
#include "bench.h"

BENCH_FN(mul, "li a1, 1234567\n li a4, -89\n .rept 50\n mul a2, a1, a4\n mul a3, a1, a1\n .endr")
BENCH_FN(mul_dep, "li a1, 3\n li a2, 1\n .rept 50\n mul a2, a2, a1\n addi a2, a2, 1\n .endr")
BENCH_FN(mulh, "li a1, 1234567\n li a4, -89\n .rept 30\n mulh a2, a1, a4\n mulhu a3, a1, a4\n mulhsu a5, a4, a1\n .endr")
BENCH_FN(div, "li a1, 1234567\n li a4, -89\n .rept 20\n div a2, a1, a4\n divu a3, a1, a4\n .endr")
BENCH_FN(rem, "li a1, 1234567\n li a4, 1000\n .rept 20\n rem a2, a1, a4\n remu a3, a1, a4\n .endr")
BENCH_FN(div_small, "li a1, 7\n li a4, 3\n .rept 20\n div a2, a1, a4\n divu a3, a4, a1\n .endr")

int main(void) {
  RT_REGION("mul", mul);
  RT_REGION("mul_dep", mul_dep);
  RT_REGION("mulh", mulh);
  RT_REGION("div", div);
  RT_REGION("rem", rem);
  RT_REGION("div_small", div_small);
  return 0;
}
