/* Instructions the cores' manuals give no cycle count for (timing tables marked [U] before the
 * RTL measured them): counter CSR reads and FENCE / FENCE.I, 20 back to back. */
#include "bench.h"

#ifdef RT_MCOUNTERS
#define CSR_CYCLE "mcycle"
#else
#define CSR_CYCLE "cycle"
#endif
BENCH_FN(csr_reads, ".rept 20\n csrr a0, " CSR_CYCLE "\n .endr\n")
BENCH_FN(fence, ".rept 20\n fence\n .endr\n")
#ifdef RT_MCOUNTERS /* Ibex; PicoRV32 has no FENCE.I (picorv32.v decodes FENCE only: it traps) */
BENCH_FN(fence_i, ".rept 20\n fence.i\n .endr\n")
#endif

int main(void) {
  RT_REGION("csr_reads", csr_reads);
  RT_REGION("fence", fence);
#ifdef RT_MCOUNTERS
  RT_REGION("fence_i", fence_i);
#endif
  return 0;
}
