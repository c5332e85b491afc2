/*
 * HAL-style bring-up firmware: main flow and the helpers the SoC files share (bringup.h).
 *
 * Prints one line on the board's virtual COM port U(S)ART:
 *   "mcusim-bringup board=<board> sysclk_hz=<Hz> loop_iterations=<N> loop_us=<TIM2 ticks>
 *    loop_cycles=<SysTick cycles>\r\n"
 * where the loop is BRINGUP_LOOP_ITERATIONS iterations of `subs; bne` (delay_loop), timed both by
 * TIM2 at 1 MHz (loop_us) and by SysTick on the processor clock (loop_cycles), between a rising
 * and a falling edge of the user LED. The loop is also an mcusim region of interest (id 1,
 * "bringup_loop"), so a test can compare the firmware's own measurements with the simulator's.
 * Exits with status 0 through semihosting once the UART's TC flag says the line is out.
 */
#include <stdint.h>

#include "bringup.h"
#include "mcusim.h"

#ifndef BRINGUP_LOOP_ITERATIONS
#define BRINGUP_LOOP_ITERATIONS 100000u
#endif

uint32_t bringup_uart_clk_hz;
uint32_t bringup_timer_clk_hz;

/* SysTick (ARMv7-M ARM B3.3.2, ARMv6-M ARM B3.3.2, ARMv8-M ARM B11.2): SYST_CSR 0xE000E010
 * (ENABLE bit 0, CLKSOURCE bit 2 = processor clock), SYST_RVR 0xE000E014, SYST_CVR 0xE000E018
 * (24-bit down-counter). */
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u

void wait_set(uint32_t addr, uint32_t mask) {
  while ((REG32(addr) & mask) != mask) {
  }
}

void wait_clear(uint32_t addr, uint32_t mask) {
  while ((REG32(addr) & mask) != 0u) {
  }
}

void wait_field(uint32_t addr, uint32_t mask, uint32_t value) {
  while ((REG32(addr) & mask) != value) {
  }
}

void gpio_mode(uint32_t port, unsigned pin, unsigned mode) {
  REG32(port + GPIO_MODER) = (REG32(port + GPIO_MODER) & ~(3u << (2u * pin))) | (mode << (2u * pin));
}

void gpio_af(uint32_t port, unsigned pin, unsigned af) {
  const uint32_t reg = port + (pin < 8u ? GPIO_AFRL : GPIO_AFRH);
  const unsigned shift = 4u * (pin & 7u);
  REG32(reg) = (REG32(reg) & ~(0xFu << shift)) | (af << shift);
  gpio_mode(port, pin, 2u);
}

void tim2_start(uint32_t tim, uint32_t timer_clk_hz) {
  REG32(tim + TIM_CR1) = 0u;
  REG32(tim + TIM_PSC) = timer_clk_hz / 1000000u - 1u; /* counter clock = timer clock / (PSC + 1) */
  REG32(tim + TIM_ARR) = 0xFFFFFFFFu;
  REG32(tim + TIM_EGR) = 1u; /* UG: load the preloaded PSC now */
  REG32(tim + TIM_SR) = 0u;  /* UG set UIF */
  REG32(tim + TIM_CNT) = 0u;
  REG32(tim + TIM_CR1) = 1u; /* CEN */
}

void usart_v2_init(uint32_t base, uint32_t brr) {
  REG32(base + 0x00u) = 0u;          /* CR1: disabled, 8 data bits, no parity, oversampling 16 */
  REG32(base + 0x0Cu) = brr;         /* BRR */
  REG32(base + 0x00u) = (1u << 3);   /* TE */
  REG32(base + 0x00u) |= 1u;         /* UE */
}

void usart_v2_putc(uint32_t base, char c) {
  wait_set(base + 0x1Cu, 1u << 7); /* ISR.TXE (TXFNF with the FIFO) */
  REG32(base + 0x28u) = (uint8_t)c; /* TDR */
}

void usart_v2_flush(uint32_t base) {
  wait_set(base + 0x1Cu, 1u << 6); /* ISR.TC */
}

#ifndef BRINGUP_NO_MAIN /* the DUT port (dut/port_stm32.c) uses the SoC layer only */
static void put_str(const char* s) {
  while (*s) soc_uart_putc(*s++);
}

static void put_u32(uint32_t v) {
  char buf[11];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) soc_uart_putc(buf[--n]);
}

/* n iterations of SUBS + BNE (taken n-1 times): the known loop. */
static void __attribute__((noinline)) delay_loop(uint32_t n) {
  /* GCC's inline assembly is in divided syntax on ARMv6-M, where the 16-bit flag-setting
   * subtract is spelled SUB; both spellings assemble to the same 16-bit SUBS. */
  __asm__ volatile(
#if defined(__ARM_ARCH_6M__)
      "1: sub %0, #1\n\t"
#else
      "1: subs %0, %0, #1\n\t"
#endif
      "bne 1b"
      : "+l"(n)
      :
      : "cc");
}

int main(void) {
  const uint32_t sysclk = soc_clock_init();
  soc_gpio_init();
  soc_uart_init();
  soc_timer_init();
  REG32(SYST_RVR) = 0x00FFFFFFu;
  REG32(SYST_CVR) = 0u;
  REG32(SYST_CSR) = 5u; /* processor clock, counter enabled, no interrupt */

  soc_led(1);
  mcusim_roi_begin(1, "bringup_loop");
  const uint32_t t0 = soc_timer_count();
  const uint32_t s0 = REG32(SYST_CVR);
  delay_loop(BRINGUP_LOOP_ITERATIONS);
  const uint32_t s1 = REG32(SYST_CVR);
  const uint32_t t1 = soc_timer_count();
  mcusim_roi_end(1);
  soc_led(0);

  put_str("mcusim-bringup board=");
  put_str(bringup_board);
  put_str(" sysclk_hz=");
  put_u32(sysclk);
  put_str(" loop_iterations=");
  put_u32(BRINGUP_LOOP_ITERATIONS);
  put_str(" loop_us=");
  put_u32(t1 - t0);
  put_str(" loop_cycles=");
  put_u32((s0 - s1) & 0x00FFFFFFu);
  put_str("\r\n");
  soc_uart_flush();
  return 0;
}
#endif
