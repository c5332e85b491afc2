/*
 * NUCLEO-U575ZI-Q (STM32U575ZI, Cortex-M33, TrustZone off), RM0456 rev 4. Reset: SYSCLK = MSIS
 * 4 MHz, voltage range 4 (PWR_VOSR.VOS = 00), flash 0 WS.
 *   Power: range 1 (VOS = 11, wait VOSRDY) for SYSCLK up to 160 MHz, and the EPOD booster
 *        (BOOSTEN, wait BOOSTRDY), required above 55 MHz in ranges 1 and 2 (RM0456 10.5.4).
 *   PLL1: HSI16 / M(1) (PLL1RGE = 11: 8..16 MHz; PLL1MBOOST /1: EPOD input 16 MHz) x N(20) =
 *        320 MHz VCO (128..544 MHz), pll1_r = VCO / R(2) = 160 MHz (BRINGUP_ALT: R = 4 -> 80 MHz)
 *        (RM0456 11.4.6). AHB, APB1, APB2, APB3 prescalers 1.
 *   Flash: 4 WS for 128 < HCLK <= 160 MHz in range 1 (RM0456 7.3.3, Table 54), prefetch on.
 *   Console: USART1 (PA9 TX, AF7; UM2861 ST-LINK VCP) on PCLK2 (RCC_CCIPR1.USART1SEL = 00).
 *   LED: LD1 green on PC7 (UM2861).  Timer: TIM2 on APB1, x1 (APB1 prescaler 1).
 */
#include "bringup.h"

#define RCC 0x46020C00u             /* non-secure alias */
#define RCC_CR (RCC + 0x00u)        /* HSION 8, HSIRDY 10, PLL1ON 24, PLL1RDY 25 (11.8.1) */
#define RCC_CFGR1 (RCC + 0x1Cu)     /* SW 1:0, SWS 3:2 (11.8.6) */
#define RCC_CFGR2 (RCC + 0x20u)     /* HPRE 3:0, PPRE1 6:4, PPRE2 10:8 (11.8.7) */
#define RCC_PLL1CFGR (RCC + 0x28u)  /* PLL1SRC 1:0, PLL1RGE 3:2, PLL1M 11:8, PLL1MBOOST 15:12, PLL1REN 18 */
#define RCC_PLL1DIVR (RCC + 0x34u)  /* PLL1N 8:0, PLL1P 15:9, PLL1Q 22:16, PLL1R 30:24 (11.8.12) */
#define RCC_AHB2ENR1 (RCC + 0x8Cu)  /* GPIOAEN 0, GPIOCEN 2 */
#define RCC_AHB3ENR (RCC + 0x94u)   /* PWREN 2 */
#define RCC_APB1ENR1 (RCC + 0x9Cu)  /* TIM2EN 0 */
#define RCC_APB2ENR (RCC + 0xA4u)   /* USART1EN 14 */
#define PWR_VOSR 0x4602080Cu        /* BOOSTRDY 14, VOSRDY 15, VOS 17:16, BOOSTEN 18 (10.10.4) */
#define FLASH_ACR 0x40022000u       /* LATENCY 3:0, PRFTEN 8 (7.9.1) */
#define GPIOA 0x42020000u
#define GPIOC 0x42020800u
#define USART1 0x40013800u
#define TIM2 0x40000000u

const char bringup_board[] = "nucleo-u575zi-q";

#ifdef BRINGUP_ALT
#define PLL_R 4u
#else
#define PLL_R 2u
#endif
#define SYSCLK_HZ (16000000u * 20u / PLL_R)

uint32_t soc_clock_init(void) {
  REG32(RCC_AHB3ENR) |= 1u << 2;                          /* PWREN */
  REG32(PWR_VOSR) = (REG32(PWR_VOSR) & ~(3u << 16)) | (3u << 16); /* range 1 */
  wait_set(PWR_VOSR, 1u << 15);                           /* VOSRDY */
  REG32(FLASH_ACR) = (REG32(FLASH_ACR) & ~0xFu) | 4u | (1u << 8); /* 4 WS, PRFTEN */
  wait_field(FLASH_ACR, 0xFu, 4u);
  REG32(RCC_CR) |= 1u << 8;                               /* HSION */
  wait_set(RCC_CR, 1u << 10);                             /* HSIRDY */
  REG32(RCC_CR) &= ~(1u << 24);
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLL1CFGR) = 2u             /* PLL1SRC = HSI16 */
                        | (3u << 2)    /* PLL1RGE 8..16 MHz */
                        | (0u << 8)    /* PLL1M = /1 */
                        | (0u << 12)   /* PLL1MBOOST = /1 */
                        | (1u << 18);  /* PLL1REN */
  REG32(RCC_PLL1DIVR) = (20u - 1u) | ((2u - 1u) << 9) | ((2u - 1u) << 16) | ((PLL_R - 1u) << 24);
  REG32(PWR_VOSR) |= 1u << 18;                            /* BOOSTEN */
  wait_set(PWR_VOSR, 1u << 14);                           /* BOOSTRDY */
  REG32(RCC_CR) |= 1u << 24;                              /* PLL1ON */
  wait_set(RCC_CR, 1u << 25);                             /* PLL1RDY */
  REG32(RCC_CFGR2) &= ~((0xFu) | (7u << 4) | (7u << 8));  /* HPRE, PPRE1, PPRE2 = /1 */
  REG32(RCC_CFGR1) = (REG32(RCC_CFGR1) & ~3u) | 3u;       /* SW = PLL1 */
  wait_field(RCC_CFGR1, 3u << 2, 3u << 2);                /* SWS = PLL1 */
  bringup_uart_clk_hz = SYSCLK_HZ;
  bringup_timer_clk_hz = SYSCLK_HZ;
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(RCC_AHB2ENR1) |= 1u | (1u << 2);
  gpio_mode(GPIOC, 7u, 1u); /* PC7 output (LD1) */
  gpio_af(GPIOA, 9u, 7u);   /* PA9 = USART1_TX (AF7) */
}

void soc_led(int on) { REG32(GPIOC + GPIO_BSRR) = on ? (1u << 7) : (1u << (7 + 16)); }

void soc_uart_init(void) {
  REG32(RCC_APB2ENR) |= 1u << 14; /* USART1EN */
  usart_v2_init(USART1, (bringup_uart_clk_hz + BRINGUP_BAUD / 2u) / BRINGUP_BAUD);
}

void soc_uart_putc(char c) { usart_v2_putc(USART1, c); }
void soc_uart_flush(void) { usart_v2_flush(USART1); }

void soc_timer_init(void) {
  REG32(RCC_APB1ENR1) |= 1u;
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
