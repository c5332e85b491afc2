/*
 * mcusim harness API for reference firmware: semihosting output/exit and region-of-interest
 * (ROI) markers.
 *
 * Transport, Arm: the standard ARM semihosting call, `BKPT 0xAB` in Thumb state with r0 =
 * operation and r1 = argument; the result comes back in r0.
 * Transport, RISC-V (RISC-V semihosting spec, same operation numbers as Arm): the three
 * uncompressed instructions `slli x0, x0, 0x1f; ebreak; srai x0, x0, 7`, 4-byte aligned
 * (`.option norvc`), with a0 = operation and a1 = argument; the result comes back in a0.
 *
 * Operations used by this firmware:
 *   0x04 SYS_WRITE0        arg -> NUL-terminated string            (mcusim_puts)
 *   0x18 SYS_EXIT          arg = 0x20026 ADP_Stopped_ApplicationExit (mcusim_exit(0))
 *   0x20 SYS_EXIT_EXTENDED arg -> {uint32 0x20026, uint32 code}     (mcusim_exit(code != 0))
 * SYS_WRITEC (0x03) and SYS_WRITE (0x05) are defined for completeness but not issued.
 *
 * mcusim extension, operation numbers in the user range 0x100-0x1FF:
 *   0x100 MCUSIM_ROI_BEGIN arg -> mcusim_roi_t { uint32 id; const char *label; }
 *         label: NULL or a NUL-terminated string of space-separated key=value pairs, keys
 *         `name`, `op`, `out` (HxWxC), `macs`, e.g. "name=conv0 op=CONV_2D out=25x5x64 macs=320000"
 *   0x101 MCUSIM_ROI_END   arg = id (by value)
 * Regions may nest; ends come in reverse order of begins. The host returns 0 (r0 / a0).
 *
 * Define MCUSIM_NO_MARKERS to compile the ROI markers to nothing (the same code then runs on a
 * real board, or on the host in tests).
 *
 * Console transport (RISC-V, for cores without semihosting, e.g. the RTL testbenches of
 * tests/rtl; the build makes <task>-console.elf with it, docs/validation.md): define
 *   MCUSIM_IO_CONSOLE=<address>  mcusim_puts stores each byte to this console register
 *   MCUSIM_IO_HALT=<address>     optional: mcusim_exit stores to this halt register; without it
 *                                mcusim_exit executes a plain EBREAK (PicoRV32 testbench)
 *   MCUSIM_IO_MCOUNTERS          optional: regions read mcycle/minstret (Ibex) instead of
 *                                cycle/instret
 * Then no semihosting call is made: a ROI is measured with the core's own counters (instret,
 * then cycle at its begin; cycle, then instret at its end) and mcusim_exit prints each ended
 * ROI, in the order of its begin, as a line "R <name> <cycles> <instructions>" (name: the
 * label's name=, else roi<id>), the format of tests/rtl/programs/rt.h. A non-zero exit code is
 * printed as "exit <code>" before the halt.
 */
#ifndef MCUSIM_COMMON_MCUSIM_H_
#define MCUSIM_COMMON_MCUSIM_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MCUSIM_SYS_WRITEC 0x03u
#define MCUSIM_SYS_WRITE0 0x04u
#define MCUSIM_SYS_WRITE 0x05u
#define MCUSIM_SYS_EXIT 0x18u
#define MCUSIM_SYS_EXIT_EXTENDED 0x20u
#define MCUSIM_ADP_STOPPED_APPLICATION_EXIT 0x20026u

#define MCUSIM_ROI_BEGIN 0x100u
#define MCUSIM_ROI_END 0x101u

typedef struct {
  uint32_t id;
  const char* label;
} mcusim_roi_t;

/* One semihosting call. The "memory" clobber makes pending stores to *arg visible first. */
#if defined(__arm__)
static inline uint32_t mcusim_semihost(uint32_t op, uint32_t arg) {
  register uint32_t r0 __asm__("r0") = op;
  register uint32_t r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
#elif defined(__riscv)
static inline uint32_t mcusim_semihost(uint32_t op, uint32_t arg) {
  register uint32_t a0 __asm__("a0") = op;
  register uint32_t a1 __asm__("a1") = arg;
  __asm__ volatile(
      /* .balign before .option norvc: with RVC enabled gas emits the padding as a relaxable
       * R_RISCV_ALIGN, so the alignment survives linker relaxation (under norvc it would not). */
      ".option push\n\t"
      ".balign 4\n\t"
      ".option norvc\n\t"
      "slli x0, x0, 0x1f\n\t"
      "ebreak\n\t"
      "srai x0, x0, 7\n\t"
      ".option pop"
      : "+r"(a0)
      : "r"(a1)
      : "memory");
  return a0;
}
#endif

#if defined(MCUSIM_IO_CONSOLE) && !defined(MCUSIM_NO_MARKERS)
/* Console transport: the markers read the core's counters (common/mcusim.c). */
void mcusim_roi_begin(uint32_t id, const char* label);
void mcusim_roi_end(uint32_t id);
#elif defined(MCUSIM_NO_MARKERS)
static inline void mcusim_roi_begin(uint32_t id, const char* label) {
  (void)id;
  (void)label;
}
static inline void mcusim_roi_end(uint32_t id) {
  (void)id;
}
#else
static inline void mcusim_roi_begin(uint32_t id, const char* label) {
  mcusim_roi_t roi;
  roi.id = id;
  roi.label = label;
  (void)mcusim_semihost(MCUSIM_ROI_BEGIN, (uint32_t)(uintptr_t)&roi);
}
static inline void mcusim_roi_end(uint32_t id) {
  (void)mcusim_semihost(MCUSIM_ROI_END, id);
}
#endif

/* Writes the string as is (no newline appended) with SYS_WRITE0. */
void mcusim_puts(const char* s);

/* Ends the simulation: code 0 -> SYS_EXIT(ADP_Stopped_ApplicationExit); otherwise
 * SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, code}. Never returns. */
void mcusim_exit(int code) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_COMMON_MCUSIM_H_ */
