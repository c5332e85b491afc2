/*
 * STM32F746G-DISCO (STM32F746NG, Cortex-M7), RM0385 rev 8. Reset: SYSCLK = HSI 16 MHz, flash 0 WS.
 *   PLL: HSI / M(8) = 2 MHz x N(216) = 432 MHz VCO (100..432 MHz, RM0385 5.3.2), SYSCLK = PLLP =
 *        VCO / 2 = 216 MHz (BRINGUP_ALT: N = 108 -> 108 MHz). AHB /1, APB1 /4 = 54 MHz (max 54),
 *        APB2 /2 = 108 MHz (max 108).
 *   Power: voltage scale 1 and over-drive, required above 180 MHz (RM0385 4.1.4: PLL on, ODEN,
 *        wait ODRDY, ODSWEN, wait ODSWRDY, then flash latency and the switch).
 *   Flash: 7 WS for 210 < HCLK <= 216 MHz at 2.7-3.6 V (RM0385 3.3.2, Table 5), prefetch and ART on.
 *   Console: USART1 (PA9 TX, AF7; UM1907 ST-LINK VCP) on PCLK2 (RCC_DCKCFGR2.USART1SEL = 00).
 *   LED: LD1 on PI1 (UM1907).  Timer: TIM2 on APB1, counter clock 2 x PCLK1 = 108 MHz (5.2).
 */
#include "bringup.h"

#define RCC 0x40023800u
#define RCC_CR (RCC + 0x00u)       /* HSION 0, HSIRDY 1, PLLON 24, PLLRDY 25 (5.3.1) */
#define RCC_PLLCFGR (RCC + 0x04u)  /* PLLM 5:0, PLLN 14:6, PLLP 17:16, PLLSRC 22, PLLQ 27:24 (5.3.2) */
#define RCC_CFGR (RCC + 0x08u)     /* SW 1:0, SWS 3:2, HPRE 7:4, PPRE1 12:10, PPRE2 15:13 (5.3.3) */
#define RCC_AHB1ENR (RCC + 0x30u)  /* GPIOAEN 0, GPIOIEN 8 */
#define RCC_APB1ENR (RCC + 0x40u)  /* TIM2EN 0, PWREN 28 */
#define RCC_APB2ENR (RCC + 0x44u)  /* USART1EN 4 */
#define FLASH_ACR 0x40023C00u      /* LATENCY 3:0, PRFTEN 8, ARTEN 9 (3.7.1) */
#define PWR_CR1 0x40007000u        /* VOS 15:14, ODEN 16, ODSWEN 17 (4.4.1) */
#define PWR_CSR1 0x40007004u       /* VOSRDY 14, ODRDY 16, ODSWRDY 17 (4.4.2) */
#define GPIOA 0x40020000u
#define GPIOI 0x40022000u
#define USART1 0x40011000u
#define TIM2 0x40000000u

const char bringup_board[] = "stm32f746g-disco";

#ifdef BRINGUP_ALT
#define PLL_N 108u
#else
#define PLL_N 216u
#endif
#define SYSCLK_HZ (16000000u / 8u * PLL_N / 2u)

uint32_t soc_clock_init(void) {
  REG32(RCC_APB1ENR) |= 1u << 28;            /* PWREN */
  REG32(PWR_CR1) |= 3u << 14;                /* VOS = scale 1 */
  REG32(RCC_CR) |= 1u;                       /* HSION */
  wait_set(RCC_CR, 1u << 1);                 /* HSIRDY */
  REG32(RCC_CR) &= ~(1u << 24);
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLLCFGR) = 8u | (PLL_N << 6) | (0u << 16) /* PLLP = /2 */ | (0u << 22) /* HSI */ | (9u << 24);
  REG32(RCC_CR) |= 1u << 24;                 /* PLLON */
  REG32(PWR_CR1) |= 1u << 16;                /* ODEN */
  wait_set(PWR_CSR1, 1u << 16);              /* ODRDY */
  REG32(PWR_CR1) |= 1u << 17;                /* ODSWEN */
  wait_set(PWR_CSR1, 1u << 17);              /* ODSWRDY */
  REG32(FLASH_ACR) = 7u | (1u << 8) | (1u << 9); /* 7 WS, PRFTEN, ARTEN */
  wait_field(FLASH_ACR, 0xFu, 7u);
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~((0xFu << 4) | (7u << 10) | (7u << 13))) | (5u << 10) | (4u << 13);
  wait_set(RCC_CR, 1u << 25);                /* PLLRDY */
  wait_set(PWR_CSR1, 1u << 14);              /* VOSRDY */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~3u) | 2u; /* SW = PLL */
  wait_field(RCC_CFGR, 3u << 2, 2u << 2);    /* SWS = PLL */
  bringup_uart_clk_hz = SYSCLK_HZ / 2u;      /* PCLK2 */
  bringup_timer_clk_hz = SYSCLK_HZ / 2u;     /* 2 x PCLK1 */
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(RCC_AHB1ENR) |= 1u | (1u << 8);
  gpio_mode(GPIOI, 1u, 1u); /* PI1 output (LD1) */
  gpio_af(GPIOA, 9u, 7u);   /* PA9 = USART1_TX (AF7) */
}

void soc_led(int on) { REG32(GPIOI + GPIO_BSRR) = on ? (1u << 1) : (1u << (1 + 16)); }

void soc_uart_init(void) {
  REG32(RCC_APB2ENR) |= 1u << 4; /* USART1EN */
  usart_v2_init(USART1, (bringup_uart_clk_hz + BRINGUP_BAUD / 2u) / BRINGUP_BAUD);
}

void soc_uart_putc(char c) { usart_v2_putc(USART1, c); }
void soc_uart_flush(void) { usart_v2_flush(USART1); }

void soc_timer_init(void) {
  REG32(RCC_APB1ENR) |= 1u;
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
