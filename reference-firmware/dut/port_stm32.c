/*
 * The STM32 board port of the MLPerf Tiny DUT (dut_main.c): the runner's serial line is the
 * board's ST-LINK virtual COM port U(S)ART, driven through its registers, and the timestamp is
 * TIM2 counting at 1 MHz, as ST's submission ports do. Clock tree, pins, UART transmitter and
 * TIM2 come from the bring-up firmware's SoC files (bringup/soc_<part>.c: the same RM-derived
 * register sequences); this file adds the receiver, the UART interrupt and the timestamp pin.
 *
 * Both directions are interrupt driven (RXNEIE, TXEIE) through 256-byte rings, and the core
 * sleeps (WFI) while it waits for the host or for room in the transmit ring: the way a real port
 * idles, and what lets the simulator skip the idle time of a 115200-baud line at no host cost.
 * The waits use the PRIMASK idiom (interrupts masked around the check and the WFI: WFI still
 * wakes on a pending interrupt, ARMv7-M ARM B1.5.19), so no wake-up is lost between them.
 *
 * The UART interrupt's vector is installed in a RAM copy of the vector table (VTOR, ARMv7-M ARM
 * B3.2.5 / ARMv6-M ARM B3.2.5 / ARMv8-M ARM D1.2.269), since the shared startup file's table has
 * the 16 system exceptions only.
 *
 * Per part (DUT_SOC_<part>, set by the build from the board's bring-up SoC file): the runner
 * UART (the board's VCP; the board data names it as `runner_uart`), its interrupt number (the RM's
 * vector table, as in boards/socs/<part>.toml `irqs`), its layout (v1 SR/DR on the
 * F4, v2 ISR/RDR/TDR elsewhere), the RX pin, and the energy-mode timestamp pin (Arduino D7, as
 * in the reference port; the board data names it as `timestamp_pin`): the DUT pulls it low to
 * mark a timestamp (the energy monitor captures the falling edge) and releases it after 1 us.
 */
#include "port_stm32.h"

#include <stdint.h>

#include "bringup.h"

#if defined(DUT_SOC_STM32L4R5)
/* LPUART1 (RM0432 51.7), IRQ 70; RX PG8 AF8 (UM2179 ST-LINK VCP). */
#define UART_BASE 0x40008000u
#define UART_IRQ 70u
#define RX_PORT 0x48001800u /* GPIOG */
#define RX_PIN 8u
#define RX_AF 8u
/* Energy-mode timestamp pin: PF13 (Arduino D7 on the Nucleo-144, UM2179). */
#define TS_PORT 0x48001400u /* GPIOF */
#define TS_PIN 13u
#define TS_PORT_CLOCK_REG (0x40021000u + 0x4Cu) /* RCC_AHB2ENR, GPIOFEN 5 (the register bringup/soc_stm32l4r5.c uses) */
#define TS_PORT_CLOCK_BIT 5u
#elif defined(DUT_SOC_STM32G0B1)
/* USART2 (RM0444 33.8), IRQ 28; RX PA3 AF1 (UM2324 6.9). */
#define UART_BASE 0x40004400u
#define UART_IRQ 28u
#define RX_PORT 0x50000000u /* GPIOA (IOPORT bus) */
#define RX_PIN 3u
#define RX_AF 1u
/* Energy-mode timestamp pin: PA8 (Arduino D7 on the Nucleo-64, UM2324). */
#define TS_PORT 0x50000000u /* GPIOA */
#define TS_PIN 8u
#elif defined(DUT_SOC_STM32F446)
/* USART2 (RM0390 25.6, layout v1), IRQ 38; RX PA3 AF7 (UM1724 6.8). */
#define UART_BASE 0x40004400u
#define UART_IRQ 38u
#define UART_V1 1
#define RX_PORT 0x40020000u /* GPIOA */
#define RX_PIN 3u
#define RX_AF 7u
/* Energy-mode timestamp pin: PA8 (Arduino D7 on the Nucleo-64, UM1724). */
#define TS_PORT 0x40020000u /* GPIOA */
#define TS_PIN 8u
#elif defined(DUT_SOC_STM32F746)
/* USART1 (RM0385 31.8), IRQ 37; RX PB7 AF7 (UM1907 6.11). */
#define UART_BASE 0x40011000u
#define UART_IRQ 37u
#define RX_PORT 0x40020400u /* GPIOB */
#define RX_PIN 7u
#define RX_AF 7u
/* Energy-mode timestamp pin: PI3 (Arduino D7 on the STM32F746G-DISCO, UM1907). */
#define TS_PORT 0x40022000u /* GPIOI */
#define TS_PIN 3u
#define RX_PORT_CLOCK_REG 0x40023830u /* RCC_AHB1ENR (RM0385 5.3.10), GPIOBEN bit 1 */
#define RX_PORT_CLOCK_BIT 1u
#elif defined(DUT_SOC_STM32H7A3)
/* USART3 (RM0455 52.8), IRQ 39; RX PD9 AF7 (UM2408 7.9). */
#define UART_BASE 0x40004800u
#define UART_IRQ 39u
#define RX_PORT 0x58020C00u /* GPIOD */
#define RX_PIN 9u
#define RX_AF 7u
/* Energy-mode timestamp pin: PF13 (Arduino D7 on the Nucleo-144, UM2408). */
#define TS_PORT 0x58021400u /* GPIOF */
#define TS_PIN 13u
#define TS_PORT_CLOCK_REG (0x58024400u + 0xE0u) /* RCC_AHB4ENR, GPIOFEN 5 (as bringup/soc_stm32h7a3.c) */
#define TS_PORT_CLOCK_BIT 5u
#elif defined(DUT_SOC_STM32U575)
/* USART1 (RM0456 66.8), IRQ 61; RX PA10 AF7 (UM2861 7.9). */
#define UART_BASE 0x40013800u
#define UART_IRQ 61u
#define RX_PORT 0x42020000u /* GPIOA */
#define RX_PIN 10u
#define RX_AF 7u
/* Energy-mode timestamp pin: PF13 (Arduino D7 on the Nucleo-144, UM2861). */
#define TS_PORT 0x42021400u /* GPIOF */
#define TS_PIN 13u
#define TS_PORT_CLOCK_REG (0x46020C00u + 0x8Cu) /* RCC_AHB2ENR1, GPIOFEN 5 (as bringup/soc_stm32u575.c) */
#define TS_PORT_CLOCK_BIT 5u
#else
#error "define the part: DUT_SOC_STM32L4R5, _G0B1, _F446, _F746, _H7A3 or _U575"
#endif

/* Register offsets and bits: v2 (RM0432 50.8): CR1 0x00 (UE 0, RE 2, TE 3, RXNEIE 5, TXEIE 7),
 * ISR 0x1C (RXNE 5, TXE 7), RDR 0x24, TDR 0x28. v1 (RM0390 25.6): SR 0x00 (RXNE 5, TXE 7),
 * DR 0x04, CR1 0x0C (RE 2, TE 3, RXNEIE 5, TXEIE 7, UE 13). */
#if defined(UART_V1)
#define UART_CR1 (UART_BASE + 0x0Cu)
#define UART_STATUS (UART_BASE + 0x00u)
#define UART_RX (UART_BASE + 0x04u)
#define UART_TX (UART_BASE + 0x04u)
#else
#define UART_CR1 (UART_BASE + 0x00u)
#define UART_STATUS (UART_BASE + 0x1Cu)
#define UART_RX (UART_BASE + 0x24u)
#define UART_TX (UART_BASE + 0x28u)
#endif
#define CR1_RE (1u << 2)
#define CR1_RXNEIE (1u << 5)
#define CR1_TXEIE (1u << 7)
#define ST_RXNE (1u << 5)
#define ST_TXE (1u << 7)

/* System control (ARMv7-M ARM B3.2.2, B3.4.3): VTOR 0xE000ED08, NVIC_ISER0 0xE000E100. */
#define SCB_VTOR 0xE000ED08u
#define NVIC_ISER 0xE000E100u

#define VECTORS (16u + UART_IRQ + 1u)
typedef void (*vector_t)(void);
/* Aligned to 1 KiB: at least the table size rounded up to a power of two (B3.2.5). */
static vector_t g_ram_vectors[VECTORS] __attribute__((aligned(1024)));

#define RING 256u /* power of two */
static volatile uint8_t g_rx[RING], g_tx[RING];
static volatile uint32_t g_rx_head, g_rx_tail, g_tx_head, g_tx_tail;

static void uart_isr(void) {
  const uint32_t st = REG32(UART_STATUS);
  if (st & ST_RXNE) {
    const uint8_t c = (uint8_t)REG32(UART_RX); /* reading RDR/DR clears RXNE */
    if (g_rx_head - g_rx_tail < RING) g_rx[g_rx_head++ % RING] = c;
  }
  if ((REG32(UART_CR1) & CR1_TXEIE) && (st & ST_TXE)) {
    if (g_tx_head != g_tx_tail)
      REG32(UART_TX) = g_tx[g_tx_tail++ % RING];
    else
      REG32(UART_CR1) &= ~CR1_TXEIE; /* ring empty: stop the TXE interrupt */
  }
}

static inline void irq_off(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void irq_on(void) { __asm__ volatile("cpsie i\n\tisb" ::: "memory"); }
static inline void sleep_masked(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }

uint32_t dut_port_init(void) {
  const uint32_t sysclk = soc_clock_init();
  soc_gpio_init();
  soc_uart_init(); /* 115200 baud 8N1, TE + UE */
  soc_timer_init();
#if defined(RX_PORT_CLOCK_REG)
  REG32(RX_PORT_CLOCK_REG) |= 1u << RX_PORT_CLOCK_BIT;
#endif
  gpio_af(RX_PORT, RX_PIN, RX_AF);
  /* The vector table in RAM: the 16 system entries of the flash table, then the UART's. */
  const vector_t* flash_vectors = (const vector_t*)(uintptr_t)REG32(SCB_VTOR);
  for (uint32_t i = 0; i < VECTORS; ++i) g_ram_vectors[i] = i < 16u ? flash_vectors[i] : flash_vectors[3];
  g_ram_vectors[16u + UART_IRQ] = uart_isr;
  __asm__ volatile("dsb" ::: "memory");
  REG32(SCB_VTOR) = (uint32_t)(uintptr_t)g_ram_vectors;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  REG32(UART_CR1) |= CR1_RE | CR1_RXNEIE;
  REG32(NVIC_ISER + 4u * (UART_IRQ / 32u)) = 1u << (UART_IRQ % 32u);
  return sysclk;
}

void dut_port_putc(char c) {
  irq_off();
  while (g_tx_head - g_tx_tail >= RING) {
    sleep_masked();
    irq_on();
    irq_off();
  }
  g_tx[g_tx_head++ % RING] = (uint8_t)c;
  REG32(UART_CR1) |= CR1_TXEIE;
  irq_on();
}

int dut_port_getc(void) {
  irq_off();
  while (g_rx_head == g_rx_tail) {
    sleep_masked();
    irq_on();
    irq_off();
  }
  const int c = g_rx[g_rx_tail++ % RING];
  irq_on();
  return c;
}

uint32_t dut_port_timestamp_us(void) { return soc_timer_count(); }

void dut_port_timestamp_pin_init(void) {
#if defined(TS_PORT_CLOCK_REG)
  REG32(TS_PORT_CLOCK_REG) |= 1u << TS_PORT_CLOCK_BIT;
#endif
  REG32(TS_PORT + GPIO_BSRR) = 1u << TS_PIN; /* idle high before it becomes an output */
  gpio_mode(TS_PORT, TS_PIN, 1u);           /* general-purpose output */
}

void dut_port_timestamp_pin(int high) {
  REG32(TS_PORT + GPIO_BSRR) = high ? 1u << TS_PIN : 1u << (TS_PIN + 16u);
}

void dut_port_hold_1us(void) {
  /* At least 1 us: two TIM2 ticks (1 MHz) from any phase. */
  const uint32_t t0 = soc_timer_count();
  while (soc_timer_count() - t0 < 2u) {
  }
}
