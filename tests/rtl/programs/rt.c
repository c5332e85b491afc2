/* Console output of the RTL validation programs (see rt.h). */
#include "rt.h"

void rt_putc(char c) { *(volatile uint8_t*)(RT_CONSOLE) = (uint8_t)c; }

void rt_puts(const char* s) {
  while (*s) rt_putc(*s++);
}

void rt_putu(uint32_t v) {
  char b[12];
  int n = 0;
  do {
    b[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) rt_putc(b[--n]);
}

void rt_region(const char* name, uint32_t cycles, uint32_t insns) {
  rt_puts("R ");
  rt_puts(name);
  rt_putc(' ');
  rt_putu(cycles);
  rt_putc(' ');
  rt_putu(insns);
  rt_putc('\n');
}
