/*
 * Startup for every Cortex-M board (M0+, M3, M4F, M7, M33), no libc crt0
 * (linked with -nostartfiles). The FPU is enabled only where the core has one (__ARM_FP, set by
 * -mfpu/-mfloat-abi=hard).
 * Compile with -fno-tree-loop-distribute-patterns so the copy/zero loops below stay loops instead
 * of becoming memcpy/memset calls (see /work/shared/reference/unicorn-notes.md, Toolchains).
 *
 * Touches nothing but flash, SRAM and the Cortex-M system control space (CPACR): no clock, PLL,
 * flash-latency, cache-enable or MPU set-up. The board files describe the state such set-up would
 * leave (clock, wait states, caches on); mcusim maps no RCC/FLASH/PWR peripheral registers.
 *
 * Vector table: the 16 Cortex-M system entries (initial SP, Reset, 14 exception slots). Every
 * exception goes to Default_Handler, which exits via semihosting SYS_EXIT_EXTENDED with code
 * 128 + exception number (IPSR), e.g. 131 for HardFault; main's own return codes stay below 128.
 */
#include <stdint.h>

#include "mcusim.h"

extern uint32_t _estack; /* top of RAM (initial SP) */
extern uint32_t _sidata; /* .data load address (flash) */
extern uint32_t _sdata, _edata;
extern uint32_t _sbss, _ebss;

int main(void);
void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void) __attribute__((noreturn));

#if defined(__ARM_FP)
#define CPACR (*(volatile uint32_t*)0xE000ED88u)
#endif

void Reset_Handler(void) {
  uint32_t* src = &_sidata;
  uint32_t* dst = &_sdata;
  while (dst < &_edata) *dst++ = *src++;
  for (dst = &_sbss; dst < &_ebss;) *dst++ = 0u;

#if defined(__ARM_FP)
  /* Full access to CP10/CP11 (the FPU): CPACR bits 20-23 (ARMv7-M / ARMv8-M). */
  CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif

  mcusim_exit(main());
}

void Default_Handler(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  mcusim_exit(128 + (int)(ipsr & 0x1FFu));
}

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t g_vectors[16] = {
    (vector_t)(uintptr_t)&_estack, /* 0: initial main stack pointer */
    Reset_Handler,                 /* 1: Reset */
    Default_Handler,               /* 2: NMI */
    Default_Handler,               /* 3: HardFault */
    Default_Handler,               /* 4: MemManage (reserved on ARMv6-M) */
    Default_Handler,               /* 5: BusFault (reserved on ARMv6-M) */
    Default_Handler,               /* 6: UsageFault (reserved on ARMv6-M) */
    Default_Handler,               /* 7: SecureFault on ARMv8-M with Security; else reserved */
    Default_Handler,               /* 8: reserved */
    Default_Handler,               /* 9: reserved */
    Default_Handler,               /* 10: reserved */
    Default_Handler,               /* 11: SVCall */
    Default_Handler,               /* 12: DebugMonitor (reserved on ARMv6-M) */
    Default_Handler,               /* 13: reserved */
    Default_Handler,               /* 14: PendSV */
    Default_Handler,               /* 15: SysTick */
};
