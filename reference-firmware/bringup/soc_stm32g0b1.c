/*
 * NUCLEO-G0B1RE (STM32G0B1RE, Cortex-M0+), RM0444 rev 5. Reset: SYSCLK = HSISYS = HSI16 / 1
 * (RCC_CR.HSIDIV = 0), voltage range 1 (PWR_CR1.VOS = 01), flash 0 WS.
 *   PLL: HSI16 / M(1) x N(8) = 128 MHz VCO (64..344 MHz, RM0444 5.2.4), PLLRCLK = VCO / R(2) = 64 MHz
 *        (BRINGUP_ALT: R = 4 -> 32 MHz). AHB and APB prescalers 1.
 *   Flash: 2 wait states for 48 < HCLK <= 64 MHz in range 1 (RM0444 3.3.4, Table 16), prefetch and
 *        instruction cache on.
 *   Console: USART2 (PA2 TX, AF1; NUCLEO-G0B1RE UM2324 ST-LINK VCP), kernel clock PCLK
 *        (RCC_CCIPR.USART2SEL = 00 at reset).
 *   LED: LD4 on PA5 (UM2324).  Timer: TIM2 on APB (x1: APB prescaler 1, RM0444 5.2.11).
 */
#include "bringup.h"

#define RCC 0x40021000u   /* RM0444 2.2.2 memory map */
#define RCC_CR (RCC + 0x00u)       /* HSION 8, HSIRDY 10, PLLON 24, PLLRDY 25 (5.4.1) */
#define RCC_CFGR (RCC + 0x08u)     /* SW 2:0, SWS 5:3, HPRE 11:8, PPRE 14:12 (5.4.3) */
#define RCC_PLLCFGR (RCC + 0x0Cu)  /* PLLSRC 1:0, PLLM 6:4, PLLN 14:8, PLLREN 28, PLLR 31:29 (5.4.4) */
#define RCC_IOPENR (RCC + 0x34u)   /* GPIOAEN 0 (5.4.13) */
#define RCC_APBENR1 (RCC + 0x3Cu)  /* TIM2EN 0, USART2EN 17, PWREN 28 (5.4.15) */
#define FLASH_ACR 0x40022000u      /* LATENCY 2:0, PRFTEN 8, ICEN 9 (3.7.1) */
#define PWR_CR1 0x40007000u        /* VOS 10:9 (4.4.1) */
#define PWR_SR2 0x40007014u        /* VOSF 10 (4.4.9) */
#define GPIOA 0x50000000u
#define USART2 0x40004400u
#define TIM2 0x40000000u

const char bringup_board[] = "nucleo-g0b1re";

#ifdef BRINGUP_ALT
#define PLL_R 4u
#else
#define PLL_R 2u
#endif
#define SYSCLK_HZ (16000000u * 8u / PLL_R)

uint32_t soc_clock_init(void) {
  REG32(RCC_APBENR1) |= 1u << 28;                          /* PWREN */
  REG32(PWR_CR1) = (REG32(PWR_CR1) & ~(3u << 9)) | (1u << 9); /* range 1 */
  wait_clear(PWR_SR2, 1u << 10);                           /* VOSF: regulator ready */
  REG32(RCC_CR) |= 1u << 8;                                /* HSION (on at reset) */
  wait_set(RCC_CR, 1u << 10);                              /* HSIRDY */
  REG32(FLASH_ACR) = (REG32(FLASH_ACR) & ~7u) | 2u | (1u << 8) | (1u << 9); /* 2 WS, PRFTEN, ICEN */
  wait_field(FLASH_ACR, 7u, 2u);                           /* read back LATENCY before the switch */
  REG32(RCC_CR) &= ~(1u << 24);                            /* PLLON = 0 to reconfigure */
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLLCFGR) = 2u              /* PLLSRC = HSI16 */
                       | (0u << 4)     /* PLLM = /1 */
                       | (8u << 8)     /* PLLN = 8 */
                       | (1u << 28)    /* PLLREN */
                       | ((PLL_R - 1u) << 29);
  REG32(RCC_CR) |= 1u << 24;                               /* PLLON */
  wait_set(RCC_CR, 1u << 25);                              /* PLLRDY */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~((0xFu << 8) | (7u << 12) | 7u)) | 2u; /* SW = PLLRCLK */
  wait_field(RCC_CFGR, 7u << 3, 2u << 3);                  /* SWS = PLLRCLK */
  bringup_uart_clk_hz = SYSCLK_HZ;
  bringup_timer_clk_hz = SYSCLK_HZ;
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(RCC_IOPENR) |= 1u;  /* GPIOAEN */
  gpio_mode(GPIOA, 5u, 1u); /* PA5 output (LD4) */
  gpio_af(GPIOA, 2u, 1u);   /* PA2 = USART2_TX (AF1, STM32G0B1 datasheet Table 15) */
}

void soc_led(int on) { REG32(GPIOA + GPIO_BSRR) = on ? (1u << 5) : (1u << (5 + 16)); }

void soc_uart_init(void) {
  REG32(RCC_APBENR1) |= 1u << 17; /* USART2EN */
  usart_v2_init(USART2, (bringup_uart_clk_hz + BRINGUP_BAUD / 2u) / BRINGUP_BAUD); /* 16x oversampling */
}

void soc_uart_putc(char c) { usart_v2_putc(USART2, c); }
void soc_uart_flush(void) { usart_v2_flush(USART2); }

void soc_timer_init(void) {
  REG32(RCC_APBENR1) |= 1u; /* TIM2EN */
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
