/*
 * NUCLEO-H7A3ZI-Q (STM32H7A3ZI, Cortex-M7), RM0455 rev 10. Reset: SYSCLK = HSI 64 MHz
 * (RCC_CR.HSIDIV = /1), VOS3, flash at the reset latency.
 *   Supply: the -Q board runs the SMPS in direct mode (UM2408): PWR_CR3 = SMPSEN, LDOEN = 0,
 *        BYPASS = 0, then wait ACTVOSRDY (RM0455 6.4.2, 6.8.4).
 *   Power: VOS0 for SYSCLK above 225 MHz (RM0455 6.6.2): PWR_SRDCR.VOS = 11, wait VOSRDY.
 *   PLL1: HSI / DIVM1(4) = 16 MHz (PLL1RGE = 11: 8..16 MHz) x N(35) = 560 MHz VCO (wide range,
 *        PLL1VCOSEL = 0), pll1_p = VCO / P(2) = 280 MHz (BRINGUP_ALT: P = 4 -> 140 MHz)
 *        (RM0455 7.5.5). CPU domain /1 (CDCPRE), AHB /1 (HPRE), APB3/APB1/APB2/APB4 /2.
 *   Flash: 6 WS for 252 < ACLK <= 280 MHz at VOS0 (RM0455 4.3.8, Table 16).
 *   Console: USART3 (PD8 TX, AF7; UM2408 ST-LINK VCP) on rcc_pclk1 (RCC_CDCCIP2R.USART234578SEL =
 *        000 at reset): 140 MHz.
 *   LED: LD1 green on PB0 (UM2408).  Timer: TIM2 on APB1, counter clock 2 x PCLK1 = 280 MHz
 *        (RCC_CFGR.TIMPRE = 0, APB1 prescaler 2, RM0455 7.5.7).
 */
#include "bringup.h"

#define RCC 0x58024400u
#define RCC_CR (RCC + 0x00u)        /* HSION 0, HSIRDY 2, PLL1ON 24, PLL1RDY 25 (7.7.2) */
#define RCC_CFGR (RCC + 0x10u)      /* SW 2:0, SWS 5:3 (7.7.7) */
#define RCC_CDCFGR1 (RCC + 0x18u)   /* HPRE 3:0, CDPPRE 6:4, CDCPRE 11:8 (7.7.8) */
#define RCC_CDCFGR2 (RCC + 0x1Cu)   /* CDPPRE1 6:4, CDPPRE2 10:8 (7.7.9) */
#define RCC_SRDCFGR (RCC + 0x20u)   /* SRDPPRE 6:4 (7.7.10) */
#define RCC_PLLCKSELR (RCC + 0x28u) /* PLLSRC 1:0, DIVM1 9:4 (7.7.11) */
#define RCC_PLLCFGR (RCC + 0x2Cu)   /* PLL1FRACEN 0, PLL1VCOSEL 1, PLL1RGE 3:2, DIVP1EN 16.. (7.7.12) */
#define RCC_PLL1DIVR (RCC + 0x30u)  /* N1 8:0, P1 15:9, Q1 22:16, R1 30:24 (7.7.13) */
#define RCC_AHB4ENR (RCC + 0xE0u)   /* GPIOBEN 1, GPIODEN 3 */
#define RCC_APB1LENR (RCC + 0xE8u)  /* TIM2EN 0, USART3EN 18 */
#define PWR_CSR1 0x58024804u        /* ACTVOSRDY 13 (6.8.2) */
#define PWR_CR3 0x5802480Cu         /* BYPASS 0, LDOEN 1, SMPSEN 2, SMPSEXTHP 3, SMPSLEVEL 5:4 (6.8.4) */
#define PWR_SRDCR 0x58024818u       /* VOSRDY 13, VOS 15:14 (6.8.6) */
#define FLASH_ACR 0x52002000u       /* LATENCY 3:0, WRHIGHFREQ 5:4 (4.9.1) */
#define GPIOB 0x58020400u
#define GPIOD 0x58020C00u
#define USART3 0x40004800u
#define TIM2 0x40000000u

const char bringup_board[] = "nucleo-h7a3zi-q";

#ifdef BRINGUP_ALT
#define PLL_P 4u
#else
#define PLL_P 2u
#endif
#define SYSCLK_HZ (64000000u / 4u * 35u / PLL_P)

uint32_t soc_clock_init(void) {
  REG32(PWR_CR3) = (REG32(PWR_CR3) & ~0x3Fu) | (1u << 2); /* direct SMPS supply */
  wait_set(PWR_CSR1, 1u << 13);                          /* ACTVOSRDY */
  REG32(PWR_SRDCR) |= 3u << 14;                          /* VOS0 */
  wait_set(PWR_SRDCR, 1u << 13);                         /* VOSRDY */
  REG32(RCC_CR) |= 1u;                                   /* HSION */
  wait_set(RCC_CR, 1u << 2);                             /* HSIRDY */
  REG32(RCC_CR) &= ~(1u << 24);
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLLCKSELR) = (REG32(RCC_PLLCKSELR) & ~((0x3Fu << 4) | 3u)) | (4u << 4); /* HSI, DIVM1 = 4 */
  REG32(RCC_PLLCFGR) = (REG32(RCC_PLLCFGR) & ~0xFu) | (3u << 2) | (1u << 16); /* RGE 8-16 MHz, wide VCO, DIVP1EN */
  REG32(RCC_PLL1DIVR) = (35u - 1u) | ((PLL_P - 1u) << 9) | ((4u - 1u) << 16) | ((2u - 1u) << 24);
  REG32(RCC_CR) |= 1u << 24;                             /* PLL1ON */
  wait_set(RCC_CR, 1u << 25);                            /* PLL1RDY */
  REG32(FLASH_ACR) = (REG32(FLASH_ACR) & ~0xFu) | 6u;    /* 6 WS */
  wait_field(FLASH_ACR, 0xFu, 6u);
  REG32(RCC_CDCFGR1) = (0u << 8) | (4u << 4) | 0u;       /* CDCPRE /1, CDPPRE /2, HPRE /1 */
  REG32(RCC_CDCFGR2) = (4u << 4) | (4u << 8);            /* CDPPRE1 /2, CDPPRE2 /2 */
  REG32(RCC_SRDCFGR) = 4u << 4;                          /* SRDPPRE /2 */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~7u) | 3u;        /* SW = PLL1 */
  wait_field(RCC_CFGR, 7u << 3, 3u << 3);                /* SWS = PLL1 */
  bringup_uart_clk_hz = SYSCLK_HZ / 2u;                  /* PCLK1 */
  bringup_timer_clk_hz = SYSCLK_HZ;                      /* 2 x PCLK1 */
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(RCC_AHB4ENR) |= (1u << 1) | (1u << 3);
  gpio_mode(GPIOB, 0u, 1u); /* PB0 output (LD1) */
  gpio_af(GPIOD, 8u, 7u);   /* PD8 = USART3_TX (AF7) */
}

void soc_led(int on) { REG32(GPIOB + GPIO_BSRR) = on ? 1u : (1u << 16); }

void soc_uart_init(void) {
  REG32(RCC_APB1LENR) |= 1u << 18; /* USART3EN */
  usart_v2_init(USART3, (bringup_uart_clk_hz + BRINGUP_BAUD / 2u) / BRINGUP_BAUD);
}

void soc_uart_putc(char c) { usart_v2_putc(USART3, c); }
void soc_uart_flush(void) { usart_v2_flush(USART3); }

void soc_timer_init(void) {
  REG32(RCC_APB1LENR) |= 1u;
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
