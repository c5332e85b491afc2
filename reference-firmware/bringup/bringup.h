/*
 * HAL-style bring-up firmware (reference-firmware/bringup/): the interface every SoC file
 * (soc_<part>.c) implements. Written by us from the reference manuals; register offsets and bit
 * positions are given next to each use with the RM section they come from.
 *
 * Each SoC file brings the part up the way ST's HAL does: clock tree from the internal HSI through
 * the PLL to SYSCLK (waiting for each ready flag and for SWS), voltage scaling (PWR) and flash
 * latency (FLASH_ACR) as the RM requires for that clock, the Nucleo/Discovery board's ST-LINK
 * virtual COM port U(S)ART at 115200 baud 8N1, a 32-bit general-purpose timer (TIM2) counting at
 * 1 MHz, and the board's user LED.
 *
 * BRINGUP_ALT (defined for bringup-alt.elf) selects a second PLL setting with a different SYSCLK
 * (same voltage scaling and flash latency, which stay legal at the lower clock).
 */
#ifndef MCUSIM_BRINGUP_H_
#define MCUSIM_BRINGUP_H_
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t*)(uintptr_t)(addr))

/* The line the firmware prints, field order fixed (tests/integration/test_bringup.cpp). */
#define BRINGUP_BAUD 115200u

/* Board name printed in the banner (the simulator's board name). */
extern const char bringup_board[];

/* Programs the clock tree; returns SYSCLK in Hz as programmed. Also sets bringup_pclk_uart_hz
 * and bringup_timer_clk_hz for the UART kernel clock and TIM2's counter clock. */
uint32_t soc_clock_init(void);
extern uint32_t bringup_uart_clk_hz;  /* kernel clock of the console U(S)ART, Hz */
extern uint32_t bringup_timer_clk_hz; /* TIM2 counter clock before its prescaler, Hz */

void soc_gpio_init(void);     /* clocks the LED's and the UART TX pin's ports, sets the modes */
void soc_led(int on);         /* drives the user LED (BSRR) */
void soc_uart_init(void);     /* 115200 baud 8N1, TX enabled */
void soc_uart_putc(char c);   /* waits for TXE (TXFNF) then writes TDR */
void soc_uart_flush(void);    /* waits for TC */
void soc_timer_init(void);    /* TIM2 clocked, PSC for 1 MHz, counter at 0, running */
uint32_t soc_timer_count(void); /* TIM2_CNT, microseconds since soc_timer_init */

/* STM32 TIM2 (general-purpose timer, same layout on every part here): RM0444 22.4, RM0390 18.4,
 * RM0432 31.4, RM0385 24.4, RM0455 39.4, RM0456 55.6. */
#define TIM_CR1 0x00u  /* CEN bit 0 */
#define TIM_SR 0x10u   /* UIF bit 0 */
#define TIM_EGR 0x14u  /* UG bit 0: reloads PSC (it is preloaded) */
#define TIM_CNT 0x24u
#define TIM_PSC 0x28u
#define TIM_ARR 0x2Cu

/* GPIO v2 (every part here): MODER 0x00 (2 bits per pin, 01 output, 10 alternate), ODR 0x14,
 * BSRR 0x18 (set bits 15:0, reset bits 31:16), AFRL 0x20, AFRH 0x24 (4 bits per pin). */
#define GPIO_MODER 0x00u
#define GPIO_ODR 0x14u
#define GPIO_BSRR 0x18u
#define GPIO_AFRL 0x20u
#define GPIO_AFRH 0x24u

/* Helpers shared by the SoC files (bringup.c). */
void wait_set(uint32_t addr, uint32_t mask);    /* polls until (REG32(addr) & mask) == mask */
void wait_clear(uint32_t addr, uint32_t mask);  /* polls until (REG32(addr) & mask) == 0 */
void wait_field(uint32_t addr, uint32_t mask, uint32_t value); /* until (reg & mask) == value */
void gpio_mode(uint32_t port, unsigned pin, unsigned mode);    /* MODER field */
void gpio_af(uint32_t port, unsigned pin, unsigned af);        /* AFR field + MODER = 10 */
void tim2_start(uint32_t tim_base, uint32_t timer_clk_hz);     /* 1 MHz, from 0 */
/* U(S)ART v2 (RM0444 33.8, RM0432 50.7/51.7, RM0385 31.8, RM0455 52.8, RM0456 66.8/67.7):
 * CR1 0x00 (UE bit 0, TE bit 3), BRR 0x0C, ISR 0x1C (TC bit 6, TXE/TXFNF bit 7), TDR 0x28. */
void usart_v2_init(uint32_t base, uint32_t brr);
void usart_v2_putc(uint32_t base, char c);
void usart_v2_flush(uint32_t base);

#endif
