#include "mcusim.h"

void mcusim_puts(const char* s) {
  (void)mcusim_semihost(MCUSIM_SYS_WRITE0, (uint32_t)(uintptr_t)s);
}

void mcusim_exit(int code) {
  if (code == 0) {
    (void)mcusim_semihost(MCUSIM_SYS_EXIT, MCUSIM_ADP_STOPPED_APPLICATION_EXIT);
  } else {
    uint32_t block[2];
    block[0] = MCUSIM_ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)code;
    (void)mcusim_semihost(MCUSIM_SYS_EXIT_EXTENDED, (uint32_t)(uintptr_t)block);
  }
  for (;;) {
    /* A host that ignores the exit request parks the core here. */
  }
}
