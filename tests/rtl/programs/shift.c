/* Shifts by immediate amounts 0..31 and by register amounts (iterative shifters pay per bit). */
#include "bench.h"

#define SHI(n) BENCH_FN(slli_##n, "li a1, 0x12345678\n .rept 50\n slli a2, a1, " #n "\n srai a3, a1, " #n "\n .endr")
SHI(0)
SHI(1)
SHI(3)
SHI(4)
SHI(7)
SHI(16)
SHI(31)
#define SHR(n) BENCH_FN(sll_##n, "li a1, 0x12345678\n li a4, " #n "\n .rept 50\n sll a2, a1, a4\n srl a3, a1, a4\n .endr")
SHR(2)
SHR(9)
SHR(30)
#ifdef __riscv_compressed
BENCH_FN(c_slli, "li a1, 0x1234\n .rept 100\n c.slli a1, 5\n c.srli a1, 5\n .endr")
#endif

int main(void) {
  RT_REGION("slli_0", slli_0);
  RT_REGION("slli_1", slli_1);
  RT_REGION("slli_3", slli_3);
  RT_REGION("slli_4", slli_4);
  RT_REGION("slli_7", slli_7);
  RT_REGION("slli_16", slli_16);
  RT_REGION("slli_31", slli_31);
  RT_REGION("sll_2", sll_2);
  RT_REGION("sll_9", sll_9);
  RT_REGION("sll_30", sll_30);
#ifdef __riscv_compressed
  RT_REGION("c_slli", c_slli);
#endif
  return 0;
}
