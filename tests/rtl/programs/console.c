/* Device-register accesses: console stores and loads (the console register reads 0 on both
 * testbenches and on mcusim). With the testbench's --device-ws W and the board's
 * device_wait_states = W, every one of these accesses pays W more cycles than a RAM access. */
#include "rt.h"

__attribute__((noinline)) static void puts_32(void) { rt_puts("0123456789abcdefghijklmnopqrstu\n"); }

__attribute__((noinline)) static void loads_16(void) {
  volatile uint8_t* c = (volatile uint8_t*)(RT_CONSOLE);
  uint32_t sum = 0;
  for (int i = 0; i < 16; ++i) sum += *c;
  if (sum) rt_putc('!');
}

int main(void) {
  RT_REGION("puts_32", puts_32);
  RT_REGION("loads_16", loads_16);
  return 0;
}
