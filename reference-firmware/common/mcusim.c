#include "mcusim.h"

#if defined(MCUSIM_IO_CONSOLE)
/* Console transport (mcusim.h): console and halt registers, ROIs from the core's counters. */
#if defined(MCUSIM_IO_MCOUNTERS)
#define MCUSIM_IO_CYCLE "mcycle"
#define MCUSIM_IO_INSTRET "minstret"
#else
#define MCUSIM_IO_CYCLE "cycle"
#define MCUSIM_IO_INSTRET "instret"
#endif
#define MCUSIM_IO_MAX_ROIS 64

typedef struct {
  uint32_t id;
  const char* label;
  uint32_t cycle0, instret0, cycles, insns;
  int32_t ended;
} mcusim_io_roi_t;

static mcusim_io_roi_t io_rois[MCUSIM_IO_MAX_ROIS];
static uint32_t io_n_rois;

static inline uint32_t io_cycle(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, " MCUSIM_IO_CYCLE : "=r"(v)::"memory");
  return v;
}
static inline uint32_t io_instret(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, " MCUSIM_IO_INSTRET : "=r"(v)::"memory");
  return v;
}

static void io_putc(char c) {
  *(volatile uint8_t*)(uintptr_t)(MCUSIM_IO_CONSOLE) = (uint8_t)c;
}

void mcusim_puts(const char* s) {
  while (*s) io_putc(*s++);
}

static void io_putu(uint32_t v) {
  char b[12];
  int n = 0;
  do {
    b[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) io_putc(b[--n]);
}

void mcusim_roi_begin(uint32_t id, const char* label) {
  if (io_n_rois >= MCUSIM_IO_MAX_ROIS) return; /* further ROIs are not measured */
  mcusim_io_roi_t* r = &io_rois[io_n_rois++];
  r->id = id;
  r->label = label;
  r->ended = 0;
  r->instret0 = io_instret();
  r->cycle0 = io_cycle();
}

void mcusim_roi_end(uint32_t id) {
  const uint32_t c = io_cycle();
  const uint32_t i = io_instret();
  /* The innermost open ROI with this id (ROIs nest; ends come in reverse order of begins). */
  for (uint32_t k = io_n_rois; k-- > 0;) {
    mcusim_io_roi_t* r = &io_rois[k];
    if (r->id == id && !r->ended) {
      r->cycles = c - r->cycle0;
      r->insns = i - r->instret0;
      r->ended = 1;
      return;
    }
  }
}

/* The ROI's name: the label's "name=" value (up to a space), else roi<id>. */
static void io_put_name(const mcusim_io_roi_t* r) {
  const char* l = r->label;
  while (l && *l) {
    if (l[0] == 'n' && l[1] == 'a' && l[2] == 'm' && l[3] == 'e' && l[4] == '=') {
      for (l += 5; *l && *l != ' '; ++l) io_putc(*l);
      return;
    }
    while (*l && *l != ' ') ++l;
    while (*l == ' ') ++l;
  }
  mcusim_puts("roi");
  io_putu(r->id);
}

void mcusim_exit(int code) {
  for (uint32_t k = 0; k < io_n_rois; ++k) {
    if (!io_rois[k].ended) continue;
    mcusim_puts("R ");
    io_put_name(&io_rois[k]);
    io_putc(' ');
    io_putu(io_rois[k].cycles);
    io_putc(' ');
    io_putu(io_rois[k].insns);
    io_putc('\n');
  }
  if (code != 0) {
    mcusim_puts("exit ");
    io_putu((uint32_t)code);
    io_putc('\n');
  }
#if defined(MCUSIM_IO_HALT)
  *(volatile uint32_t*)(uintptr_t)(MCUSIM_IO_HALT) = 1u;
#else
  __asm__ volatile("ebreak");
#endif
  for (;;) {
  }
}

#else /* semihosting */

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

#endif /* MCUSIM_IO_CONSOLE */
