/* Energy calibration program: a CoreMark-like instruction mix (linked-list search and
 * reversal, 16-bit matrix multiply-accumulate, a character-class state machine, CRC-16), the
 * kind of code ST characterises run current with (datasheet "code with data processing running
 * from Flash"). `mcusim calibrate` runs it and scales the board's energy table so that its
 * average power equals the datasheet run current x VDD (docs/models/energy.md). Written for
 * mcusim after CoreMark's structure; it shares no code with CoreMark. */
#include <stdint.h>

#include "mcusim.h"

#define LIST_NODES 64
#define MATRIX_N 12
#define ITERATIONS 40

struct node {
  struct node* next;
  int16_t key;
  int16_t value;
};

static struct node nodes[LIST_NODES];
static int16_t mat_a[MATRIX_N * MATRIX_N], mat_b[MATRIX_N * MATRIX_N];
static int32_t mat_c[MATRIX_N * MATRIX_N];
static char text[256];

static uint16_t crc16(uint16_t crc, uint8_t byte) {
  crc ^= byte;
  for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001u) : (uint16_t)(crc >> 1);
  return crc;
}

static struct node* list_reverse(struct node* head) {
  struct node* prev = 0;
  while (head) {
    struct node* next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static int16_t list_find(struct node* head, int16_t key) {
  for (; head; head = head->next)
    if (head->key == key) return head->value;
  return -1;
}

static int32_t matrix_mul(void) {
  int32_t sum = 0;
  for (int i = 0; i < MATRIX_N; ++i)
    for (int j = 0; j < MATRIX_N; ++j) {
      int32_t acc = 0;
      for (int k = 0; k < MATRIX_N; ++k) acc += (int32_t)mat_a[i * MATRIX_N + k] * mat_b[k * MATRIX_N + j];
      mat_c[i * MATRIX_N + j] = acc;
      sum += acc;
    }
  return sum;
}

enum state { START, INTEGER, DECIMAL, EXPONENT, INVALID };

static uint32_t state_machine(void) {
  uint32_t counts[5] = {0, 0, 0, 0, 0};
  enum state s = START;
  for (int i = 0; i < (int)sizeof text; ++i) {
    char c = text[i];
    if (c == ',') {
      counts[s]++;
      s = START;
      continue;
    }
    switch (s) {
      case START: s = (c >= '0' && c <= '9') ? INTEGER : INVALID; break;
      case INTEGER: s = (c == '.') ? DECIMAL : (c >= '0' && c <= '9') ? INTEGER : INVALID; break;
      case DECIMAL: s = (c == 'e') ? EXPONENT : (c >= '0' && c <= '9') ? DECIMAL : INVALID; break;
      case EXPONENT: s = (c >= '0' && c <= '9') ? EXPONENT : INVALID; break;
      default: break;
    }
  }
  return counts[INTEGER] + 3 * counts[DECIMAL] + 7 * counts[EXPONENT] + 11 * counts[INVALID];
}

int main(void) {
  uint32_t seed = 0x12345678u;
  for (int i = 0; i < LIST_NODES; ++i) {
    seed = seed * 1664525u + 1013904223u;
    nodes[i].next = i + 1 < LIST_NODES ? &nodes[i + 1] : 0;
    nodes[i].key = (int16_t)(seed >> 20);
    nodes[i].value = (int16_t)i;
  }
  for (int i = 0; i < MATRIX_N * MATRIX_N; ++i) {
    seed = seed * 1664525u + 1013904223u;
    mat_a[i] = (int16_t)(seed >> 22);
    mat_b[i] = (int16_t)(seed >> 12 & 0x3FF);
  }
  static const char alphabet[] = "0123456789.e,x";
  for (int i = 0; i < (int)sizeof text; ++i) {
    seed = seed * 1664525u + 1013904223u;
    text[i] = alphabet[(seed >> 24) % (sizeof alphabet - 1)];
  }

  uint16_t crc = 0xFFFF;
  struct node* head = &nodes[0];
  mcusim_roi_begin(1, "name=calibration");
  for (int it = 0; it < ITERATIONS; ++it) {
    head = list_reverse(head);
    int16_t v = list_find(head, nodes[(it * 7) % LIST_NODES].key);
    int32_t m = matrix_mul();
    uint32_t s = state_machine();
    crc = crc16(crc, (uint8_t)v);
    crc = crc16(crc, (uint8_t)m);
    crc = crc16(crc, (uint8_t)(m >> 8));
    crc = crc16(crc, (uint8_t)s);
  }
  mcusim_roi_end(1);
  static char line[] = "calib crc=0x0000\n";
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 4; ++i) line[12 + i] = hex[(crc >> (12 - 4 * i)) & 0xF];
  mcusim_puts(line);
  return 0;
}
