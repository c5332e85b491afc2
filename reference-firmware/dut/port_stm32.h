/* The STM32 board port of the MLPerf Tiny DUT (port_stm32.c): the runner's serial line on the
 * board's VCP U(S)ART and the 1 MHz TIM2 timestamp. */
#ifndef DUT_PORT_STM32_H
#define DUT_PORT_STM32_H
#include <stdint.h>

/* Programs the clock tree (bring-up SoC file), the UART (115200 baud 8N1, receiver and its
 * interrupt on, vector table in RAM) and TIM2 at 1 MHz. Returns SYSCLK in Hz. */
uint32_t dut_port_init(void);
/* Queues one byte for the UART (sleeps while the 256-byte transmit ring is full). */
void dut_port_putc(char c);
/* The next byte received from the host (sleeps until there is one). */
int dut_port_getc(void);
/* TIM2's counter: microseconds since dut_port_init (wraps after 2^32 us). */
uint32_t dut_port_timestamp_us(void);
/* Energy mode: the timestamp pin as an output, idle high. */
void dut_port_timestamp_pin_init(void);
/* Drives the timestamp pin (0: low, the timestamp edge; 1: high). */
void dut_port_timestamp_pin(int high);
/* Busy-waits at least 1 us on TIM2 (the pulse's hold time). */
void dut_port_hold_1us(void);

#endif
