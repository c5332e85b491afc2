/* DUT side of the MLPerf Tiny protocol (see ee_dut.h). Written for mcusim from the protocol
 * description, not from EEMBC's sources. */
#include "ee_dut.h"

static const ee_dut_port* g_port;
static char g_cmd[EE_DUT_CMD_SIZE + 1];
static size_t g_cmd_len;
static int g_cmd_overflow;
/* EE_DUT_INPUT_SECTION: an output section for the input buffer when the default RAM is too
 * small (the F746's DTCM holds the VWW arena; the buffer goes to SRAM1, linker.ld ".sram1"). */
#ifdef EE_DUT_INPUT_SECTION
static uint8_t g_input[EE_DUT_MAX_INPUT] __attribute__((aligned(4), section(EE_DUT_INPUT_SECTION)));
#else
static uint8_t g_input[EE_DUT_MAX_INPUT] __attribute__((aligned(4)));
#endif
static size_t g_expected, g_loaded;

static void put(const char* s) {
  g_port->write(s);
}

static char* fmt_u32(char* p, uint32_t v) {
  char tmp[11];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) *p++ = tmp[--n];
  *p = 0;
  return p;
}

/* "m-<text><u32><suffix>\r\n" */
static void put_num(const char* prefix, uint32_t v, const char* suffix) {
  char buf[16];
  put(prefix);
  fmt_u32(buf, v);
  put(buf);
  put(suffix);
}

/* Fixed 3 decimals, as the runner's logs show (m-results-[0.000,0.761,...]). */
static char* fmt_fixed3(char* p, float f) {
  if (f < 0) {
    *p++ = '-';
    f = -f;
  }
  if (f > 4.0e6f) f = 4.0e6f;
  uint32_t milli = (uint32_t)(f * 1000.0f + 0.5f);
  p = fmt_u32(p, milli / 1000u);
  *p++ = '.';
  uint32_t frac = milli % 1000u;
  *p++ = (char)('0' + frac / 100u);
  *p++ = (char)('0' + frac / 10u % 10u);
  *p++ = (char)('0' + frac % 10u);
  *p = 0;
  return p;
}

static int streq(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

static int starts(const char* s, const char* p) {
  while (*p)
    if (*s++ != *p++) return 0;
  return 1;
}

/* Parses a decimal number at *s (skipping spaces); returns -1 when there is none. */
static long parse_num(const char** s) {
  while (**s == ' ') ++*s;
  if (**s < '0' || **s > '9') return -1;
  long v = 0;
  while (**s >= '0' && **s <= '9') {
    v = v * 10 + (**s - '0');
    if (v > 100000000L) return -1;
    ++*s;
  }
  return v;
}

static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void timestamp(void) {
  if (g_port->timestamp_pulse)
    g_port->timestamp_pulse();
  else
    put_num("m-lap-us-", g_port->timestamp_us(), "\r\n");
}

static void print_results(void) {
  float r[16];
  size_t n = g_port->results(r, 16);
  char buf[24];
  put("m-results-[");
  for (size_t i = 0; i < n; ++i) {
    fmt_fixed3(buf, r[i]);
    if (i) put(",");
    put(buf);
  }
  put("]\r\n");
}

static void unknown(const char* cmd) {
  put("e-[Unknown command: ");
  put(cmd);
  put("]\r\n");
}

static void cmd_db(const char* args) {
  if (starts(args, "load")) {
    const char* p = args + 4;
    long n = parse_num(&p);
    if (n <= 0 || (unsigned long)n > EE_DUT_MAX_INPUT) {
      put_num("e-[Input size must be 1..", EE_DUT_MAX_INPUT, " bytes]\r\n");
      return;
    }
    g_expected = (size_t)n;
    g_loaded = 0;
    put_num("m-[Expecting ", (uint32_t)n, " bytes]\r\n");
    return;
  }
  if (g_expected == 0) {
    put("e-[Command 'db load N' must come first]\r\n");
    return;
  }
  for (const char* p = args; p[0] && p[1]; p += 2) {
    int hi = hex(p[0]), lo = hex(p[1]);
    if (hi < 0 || lo < 0) {
      put("e-[Invalid hex digit]\r\n");
      return;
    }
    if (g_loaded < g_expected) g_input[g_loaded++] = (uint8_t)(hi * 16 + lo);
  }
  if (g_loaded == g_expected) put("m-load-done\r\n");
}

static void cmd_infer(const char* args) {
  const char* p = args;
  long n = parse_num(&p);
  long w = parse_num(&p);
  if (n < 0) n = 1; /* defaults N = 1, W = 10 */
  if (w < 0) w = 10;
  g_port->load_tensor(g_input, g_loaded);
  put_num("m-warmup-start-", (uint32_t)w, "\r\n");
  for (long i = 0; i < w; ++i) g_port->infer();
  put("m-warmup-done\r\n");
  put_num("m-infer-start-", (uint32_t)n, "\r\n");
  timestamp();
  for (long i = 0; i < n; ++i) g_port->infer();
  timestamp();
  put("m-infer-done\r\n");
  print_results();
}

static void run_command(char* cmd) {
  if (streq(cmd, "name")) {
    put("m-name-dut-[");
    put(g_port->name);
    put("]\r\n");
  } else if (streq(cmd, "profile")) {
    put("m-profile-[mcusim MLPerf Tiny DUT V1.0]\r\nm-model-[");
    put(g_port->model);
    put("]\r\n");
  } else if (streq(cmd, "timestamp")) {
    timestamp();
  } else if (starts(cmd, "db ")) {
    cmd_db(cmd + 3);
  } else if (streq(cmd, "infer") || starts(cmd, "infer ")) {
    cmd_infer(cmd + 5);
  } else if (streq(cmd, "results")) {
    print_results();
  } else if (streq(cmd, "help")) {
    put("name, profile, timestamp, db load N, db HH.., infer N W, results\r\n");
  } else {
    unknown(cmd);
  }
  put("m-ready\r\n");
}

void ee_dut_init(const ee_dut_port* port) {
  g_port = port;
  g_cmd_len = 0;
  g_cmd_overflow = 0;
  g_expected = g_loaded = 0;
  put(port->timestamp_pulse ? "m-timestamp-mode-energy\r\n" : "m-timestamp-mode-performance\r\n");
  put("m-init-done\r\nm-ready\r\n");
}

void ee_dut_feed(char c) {
  if (c == '%') {
    g_cmd[g_cmd_len] = 0;
    if (g_cmd_overflow)
      put("e-[Command too long]\r\nm-ready\r\n");
    else
      run_command(g_cmd);
    g_cmd_len = 0;
    g_cmd_overflow = 0;
    return;
  }
  if (c == '\r' || c == '\n') return;
  if (g_cmd_len < EE_DUT_CMD_SIZE)
    g_cmd[g_cmd_len++] = c;
  else
    g_cmd_overflow = 1;
}

const uint8_t* ee_dut_input(size_t* loaded) {
  if (loaded) *loaded = g_loaded;
  return g_input;
}
