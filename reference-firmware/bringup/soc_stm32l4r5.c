/*
 * NUCLEO-L4R5ZI (STM32L4R5ZI, Cortex-M4F), RM0432 rev 9. Reset: SYSCLK = MSI 4 MHz, range 1
 * (PWR_CR1.VOS = 01) in normal mode (PWR_CR5.R1MODE = 1), flash 0 WS.
 *   PLL: HSI16 / M(1) x N(15) = 240 MHz VCO (64..344 MHz, RM0432 6.4.4), PLLCLK = VCO / R(2) =
 *        120 MHz (BRINGUP_ALT: N = 10 -> 80 MHz). APB1/APB2 prescalers 1.
 *   Power: above 80 MHz range 1 boost mode (R1MODE = 0). RM0432 5.1.8: when going to boost mode
 *        with SYSCLK above 80 MHz, first set the AHB prescaler to 2, clear R1MODE, switch to the
 *        PLL, wait 1 us at the intermediate frequency, then set the AHB prescaler back to 1.
 *   Flash: 5 WS for 100 < HCLK <= 120 MHz in range 1 (RM0432 3.3.3, Table 12), prefetch, I- and
 *        D-cache on.
 *   Console: LPUART1 (PG7 TX, AF8; UM2179 ST-LINK VCP) on PCLK1 (RCC_CCIPR.LPUART1SEL = 00).
 *        Port G pins PG[15:2] are supplied by VDDIO2: PWR_CR2.IOSV must be set (RM0432 5.1.3).
 *        LPUART BRR = 256 x fck / baud (RM0432 51.4.6).
 *   LED: LD1 green on PC7 (UM2179).  Timer: TIM2 on APB1, x1 (APB1 prescaler 1).
 */
#include "bringup.h"

#define RCC 0x40021000u
#define RCC_CR (RCC + 0x00u)       /* HSION 8, HSIRDY 10, PLLON 24, PLLRDY 25 (6.4.1) */
#define RCC_CFGR (RCC + 0x08u)     /* SW 1:0, SWS 3:2, HPRE 7:4, PPRE1 10:8, PPRE2 13:11 (6.4.3) */
#define RCC_PLLCFGR (RCC + 0x0Cu)  /* PLLSRC 1:0, PLLM 7:4, PLLN 14:8, PLLREN 24, PLLR 26:25 (6.4.4) */
#define RCC_AHB2ENR (RCC + 0x4Cu)  /* GPIOCEN 2, GPIOGEN 6 */
#define RCC_APB1ENR1 (RCC + 0x58u) /* TIM2EN 0, PWREN 28 */
#define RCC_APB1ENR2 (RCC + 0x5Cu) /* LPUART1EN 0 */
#define FLASH_ACR 0x40022000u      /* LATENCY 3:0, PRFTEN 8, ICEN 9, DCEN 10 (3.7.1) */
#define PWR_CR1 0x40007000u        /* VOS 10:9 (5.4.1) */
#define PWR_CR2 0x40007004u        /* IOSV 9 (5.4.2) */
#define PWR_SR2 0x40007014u        /* VOSF 10 (5.4.6) */
#define PWR_CR5 0x40007080u        /* R1MODE 8 (5.4.24) */
#define GPIOC 0x48000800u
#define GPIOG 0x48001800u
#define LPUART1 0x40008000u
#define TIM2 0x40000000u

const char bringup_board[] = "nucleo-l4r5zi";

#ifdef BRINGUP_ALT
#define PLL_N 10u
#else
#define PLL_N 15u
#endif
#define SYSCLK_HZ (16000000u * PLL_N / 2u)

uint32_t soc_clock_init(void) {
  REG32(RCC_APB1ENR1) |= 1u << 28;                              /* PWREN */
  REG32(PWR_CR1) = (REG32(PWR_CR1) & ~(3u << 9)) | (1u << 9);   /* range 1 */
  wait_clear(PWR_SR2, 1u << 10);                                /* VOSF */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~(0xFu << 4)) | (8u << 4); /* HPRE = /2 for the transition */
  REG32(PWR_CR5) &= ~(1u << 8);                                 /* R1MODE = 0: boost */
  REG32(FLASH_ACR) = 5u | (1u << 8) | (1u << 9) | (1u << 10);   /* 5 WS, PRFTEN, ICEN, DCEN */
  wait_field(FLASH_ACR, 0xFu, 5u);
  REG32(RCC_CR) |= 1u << 8;                                     /* HSION */
  wait_set(RCC_CR, 1u << 10);                                   /* HSIRDY */
  REG32(RCC_CR) &= ~(1u << 24);
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLLCFGR) = 2u            /* PLLSRC = HSI16 */
                       | (0u << 4)   /* PLLM = /1 */
                       | (PLL_N << 8)
                       | (1u << 24)  /* PLLREN */
                       | (0u << 25); /* PLLR = /2 */
  REG32(RCC_CR) |= 1u << 24;                                    /* PLLON */
  wait_set(RCC_CR, 1u << 25);                                   /* PLLRDY */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~3u) | 3u;               /* SW = PLL */
  wait_field(RCC_CFGR, 3u << 2, 3u << 2);                       /* SWS = PLL */
  for (volatile int i = 0; i < 20; ++i) {                       /* >= 1 us at SYSCLK / 2 */
  }
  REG32(RCC_CFGR) &= ~(0xFu << 4);                              /* HPRE = /1 */
  bringup_uart_clk_hz = SYSCLK_HZ;
  bringup_timer_clk_hz = SYSCLK_HZ;
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(PWR_CR2) |= 1u << 9;                 /* IOSV: VDDIO2 valid, port G usable */
  REG32(RCC_AHB2ENR) |= (1u << 2) | (1u << 6); /* GPIOC, GPIOG */
  gpio_mode(GPIOC, 7u, 1u);                  /* PC7 output (LD1) */
  gpio_af(GPIOG, 7u, 8u);                    /* PG7 = LPUART1_TX (AF8) */
}

void soc_led(int on) { REG32(GPIOC + GPIO_BSRR) = on ? (1u << 7) : (1u << (7 + 16)); }

void soc_uart_init(void) {
  REG32(RCC_APB1ENR2) |= 1u; /* LPUART1EN */
  const uint64_t brr = ((uint64_t)bringup_uart_clk_hz * 256u + BRINGUP_BAUD / 2u) / BRINGUP_BAUD;
  usart_v2_init(LPUART1, (uint32_t)brr);
}

void soc_uart_putc(char c) { usart_v2_putc(LPUART1, c); }
void soc_uart_flush(void) { usart_v2_flush(LPUART1); }

void soc_timer_init(void) {
  REG32(RCC_APB1ENR1) |= 1u;
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
