/*
 * NUCLEO-F446RE (STM32F446RE, Cortex-M4F), RM0390 rev 6. Reset: SYSCLK = HSI 16 MHz, flash 0 WS.
 *   PLL: HSI / M(8) = 2 MHz x N(180) = 360 MHz VCO (100..432 MHz, RM0390 6.3.2), SYSCLK = PLLP =
 *        VCO / 2 = 180 MHz (BRINGUP_ALT: N = 90 -> 90 MHz). AHB /1, APB1 /4 = 45 MHz (max 45),
 *        APB2 /2 = 90 MHz (max 90).
 *   Power: voltage scale 1 and over-drive, required above 168 MHz (RM0390 5.1.4 "Entering
 *        Over-drive mode": PLL on, ODEN, wait ODRDY, ODSWEN, wait ODSWRDY, then the switch).
 *   Flash: 5 WS for 150 < HCLK <= 180 MHz at 2.7-3.6 V (RM0390 3.4.1, Table 5), prefetch, ART
 *        instruction and data caches on.
 *   Console: USART2 (PA2 TX, AF7; UM1724 ST-LINK VCP) on APB1. This USART is the older IP
 *        (RM0390 25.6): SR 0x00 (TXE 7, TC 6), DR 0x04, BRR 0x08 (USARTDIV in 12.4 fixed point =
 *        fPCLK / baud at 16x oversampling), CR1 0x0C (UE 13, TE 3).
 *   LED: LD2 on PA5 (UM1724).  Timer: TIM2 on APB1, counter clock 2 x PCLK1 = 90 MHz (APB1
 *        prescaler != 1, RM0390 6.2).
 */
#include "bringup.h"

#define RCC 0x40023800u
#define RCC_CR (RCC + 0x00u)       /* HSION 0, HSIRDY 1, PLLON 24, PLLRDY 25 (6.3.1) */
#define RCC_PLLCFGR (RCC + 0x04u)  /* PLLM 5:0, PLLN 14:6, PLLP 17:16, PLLSRC 22, PLLQ 27:24, PLLR 30:28 */
#define RCC_CFGR (RCC + 0x08u)     /* SW 1:0, SWS 3:2, HPRE 7:4, PPRE1 12:10, PPRE2 15:13 (6.3.3) */
#define RCC_AHB1ENR (RCC + 0x30u)  /* GPIOAEN 0 */
#define RCC_APB1ENR (RCC + 0x40u)  /* TIM2EN 0, USART2EN 17, PWREN 28 */
#define FLASH_ACR 0x40023C00u      /* LATENCY 3:0, PRFTEN 8, ICEN 9, DCEN 10 (3.8.1) */
#define PWR_CR 0x40007000u         /* VOS 15:14, ODEN 16, ODSWEN 17 (5.4.1) */
#define PWR_CSR 0x40007004u        /* VOSRDY 14, ODRDY 16, ODSWRDY 17 (5.4.2) */
#define GPIOA 0x40020000u
#define USART2 0x40004400u
#define TIM2 0x40000000u

const char bringup_board[] = "nucleo-f446re";

#ifdef BRINGUP_ALT
#define PLL_N 90u
#else
#define PLL_N 180u
#endif
#define SYSCLK_HZ (16000000u / 8u * PLL_N / 2u)

uint32_t soc_clock_init(void) {
  REG32(RCC_APB1ENR) |= 1u << 28;            /* PWREN */
  REG32(PWR_CR) |= 3u << 14;                 /* VOS = scale 1 (takes effect with the PLL on) */
  REG32(RCC_CR) |= 1u;                       /* HSION (on at reset) */
  wait_set(RCC_CR, 1u << 1);                 /* HSIRDY */
  REG32(RCC_CR) &= ~(1u << 24);
  wait_clear(RCC_CR, 1u << 25);
  REG32(RCC_PLLCFGR) = 8u                    /* PLLM = 8 */
                       | (PLL_N << 6)        /* PLLN */
                       | (0u << 16)          /* PLLP = /2 */
                       | (0u << 22)          /* PLLSRC = HSI */
                       | (8u << 24)          /* PLLQ = /8 (unused) */
                       | (2u << 28);         /* PLLR = /2 (unused) */
  REG32(RCC_CR) |= 1u << 24;                 /* PLLON */
  REG32(PWR_CR) |= 1u << 16;                 /* ODEN */
  wait_set(PWR_CSR, 1u << 16);               /* ODRDY */
  REG32(PWR_CR) |= 1u << 17;                 /* ODSWEN */
  wait_set(PWR_CSR, 1u << 17);               /* ODSWRDY */
  REG32(FLASH_ACR) = 5u | (1u << 8) | (1u << 9) | (1u << 10); /* 5 WS, PRFTEN, ICEN, DCEN */
  wait_field(FLASH_ACR, 0xFu, 5u);
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~((0xFu << 4) | (7u << 10) | (7u << 13))) | (5u << 10) | (4u << 13);
  wait_set(RCC_CR, 1u << 25);                /* PLLRDY */
  wait_set(PWR_CSR, 1u << 14);               /* VOSRDY */
  REG32(RCC_CFGR) = (REG32(RCC_CFGR) & ~3u) | 2u; /* SW = PLL */
  wait_field(RCC_CFGR, 3u << 2, 2u << 2);    /* SWS = PLL */
  bringup_uart_clk_hz = SYSCLK_HZ / 4u;      /* PCLK1 */
  bringup_timer_clk_hz = SYSCLK_HZ / 2u;     /* 2 x PCLK1 */
  return SYSCLK_HZ;
}

void soc_gpio_init(void) {
  REG32(RCC_AHB1ENR) |= 1u;
  gpio_mode(GPIOA, 5u, 1u); /* PA5 output (LD2) */
  gpio_af(GPIOA, 2u, 7u);   /* PA2 = USART2_TX (AF7) */
}

void soc_led(int on) { REG32(GPIOA + GPIO_BSRR) = on ? (1u << 5) : (1u << (5 + 16)); }

void soc_uart_init(void) {
  REG32(RCC_APB1ENR) |= 1u << 17; /* USART2EN */
  REG32(USART2 + 0x0Cu) = 0u;
  REG32(USART2 + 0x08u) = (bringup_uart_clk_hz + BRINGUP_BAUD / 2u) / BRINGUP_BAUD; /* BRR */
  REG32(USART2 + 0x0Cu) = (1u << 13) | (1u << 3); /* UE, TE */
}

void soc_uart_putc(char c) {
  wait_set(USART2 + 0x00u, 1u << 7); /* SR.TXE */
  REG32(USART2 + 0x04u) = (uint8_t)c;
}

void soc_uart_flush(void) { wait_set(USART2 + 0x00u, 1u << 6); /* SR.TC */ }

void soc_timer_init(void) {
  REG32(RCC_APB1ENR) |= 1u;
  tim2_start(TIM2, bringup_timer_clk_hz);
}

uint32_t soc_timer_count(void) { return REG32(TIM2 + TIM_CNT); }
