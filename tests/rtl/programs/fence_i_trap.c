/* FENCE.I on PicoRV32, which has no Zifencei: picorv32.v decodes MISC-MEM with funct3 = 000
 * (instr_fence) only, so FENCE.I sets instr_trap and, with CATCH_ILLINSN = 1, the core traps
 * (after the PCPI timeout with ENABLE_MUL/ENABLE_DIV). The RTL must stop at fence_i_insn with a
 * trap and mcusim with an illegal-instruction fault naming the same PC ([program_traps] of
 * configs.toml); "after" is never printed. */
#include "rt.h"

int main(void) {
  rt_puts("before\n");
  __asm__ volatile(".global fence_i_insn\nfence_i_insn:\n fence.i\n" ::: "memory");
  rt_puts("after\n");
  return 0;
}
