#include "net_task.h"

#include "mcusim.h"
#include "net_run.h"

/* Output is written in chunks; the console sees one line per mcusim_puts sequence. */
typedef struct {
  char buf[192];
  int32_t n;
} line_t;

static void flush(line_t* l) {
  l->buf[l->n] = '\0';
  mcusim_puts(l->buf);
  l->n = 0;
}

static void put_str(line_t* l, const char* s) {
  while (*s) {
    if (l->n >= (int32_t)sizeof l->buf - 1) flush(l);
    l->buf[l->n++] = *s++;
  }
}

static void put_int(line_t* l, int32_t v) {
  char digits[12];
  int32_t n = 0;
  uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
  do {
    digits[n++] = (char)('0' + u % 10u);
    u /= 10u;
  } while (u);
  if (v < 0) digits[n++] = '-';
  char text[12];
  int32_t k = 0;
  while (n) text[k++] = digits[--n];
  text[k] = '\0';
  put_str(l, text);
}

int net_task_main(const net_params_t* params, int8_t* arena, size_t arena_size) {
  const net_model_t* m = params->model;
  line_t line;
  line.n = 0;
  const size_t need = net_arena_bytes(params);
  if (need > arena_size) {
    put_str(&line, "error: arena too small, need ");
    put_int(&line, (int32_t)need);
    put_str(&line, "\n");
    flush(&line);
    return 1;
  }
  put_str(&line, "arena_bytes=");
  put_int(&line, (int32_t)need);
  put_str(&line, "\n");
  flush(&line);

  /* Load the input tensor (th_load_tensor; outside the timed region). */
  int8_t* in = net_input_tensor(params, arena);
  const int32_t n_in = net_shape_elems(m->input_shape);
  for (int32_t i = 0; i < n_in; ++i) in[i] = params->input[i];

  const int8_t* out = net_infer(params, arena);

  put_str(&line, m->model_id);
  put_str(&line, " scores:");
  const int32_t n_out = net_output_elems(m);
  for (int32_t i = 0; i < n_out; ++i) {
    put_str(&line, " ");
    put_int(&line, out[i]);
  }
  put_str(&line, "\n");
  flush(&line);
  return 0;
}
