/*
 * Runtime of the RTL validation programs (tests/rtl/programs): console output through the
 * board's console register and regions measured by the core's own counters.
 * Board macros (set by tests/rtl/validate.py from tests/rtl/configs.toml):
 *   RT_CONSOLE  address of the console register (a byte store prints it)
 *   RT_MCOUNTERS  read mcycle/minstret (0xB00/0xB02, Ibex) instead of cycle/instret
 *                 (0xC00/0xC02, PicoRV32 ENABLE_COUNTERS)
 * A region prints one line "R <name> <cycles> <instructions>\n": the counter differences
 * between the two reads around the region (the same code runs on RTL and on mcusim, which
 * models the counter reads at the reading instruction).
 */
#ifndef RTL_PROGRAMS_RT_H_
#define RTL_PROGRAMS_RT_H_
#include <stdint.h>

#ifdef RT_MCOUNTERS
#define RT_CYCLE_CSR "mcycle"
#define RT_INSTRET_CSR "minstret"
#else
#define RT_CYCLE_CSR "cycle"
#define RT_INSTRET_CSR "instret"
#endif

static inline uint32_t rt_cycle(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, " RT_CYCLE_CSR : "=r"(v)::"memory");
  return v;
}
static inline uint32_t rt_instret(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, " RT_INSTRET_CSR : "=r"(v)::"memory");
  return v;
}

void rt_putc(char c);
void rt_puts(const char* s);
void rt_putu(uint32_t v);
void rt_region(const char* name, uint32_t cycles, uint32_t insns);

/* Runs fn() as a region named `name`. fn is a noinline function so that the region holds
 * exactly its call. */
#define RT_REGION(name, fn)                  \
  do {                                       \
    uint32_t i0_ = rt_instret();             \
    uint32_t c0_ = rt_cycle();               \
    fn();                                    \
    uint32_t c1_ = rt_cycle();               \
    uint32_t i1_ = rt_instret();             \
    rt_region(name, c1_ - c0_, i1_ - i0_);   \
  } while (0)

#endif
