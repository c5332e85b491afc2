/*
 * The few ARMv7E-M DSP instructions the optimized kernels use, as inline functions:
 *   - inline asm when the compiler targets a core with the DSP extension (__ARM_FEATURE_DSP:
 *     Cortex-M4/M7/M33/M55 with DSP);
 *   - exact C emulation otherwise (host builds for the tests, Cortex-M0+/M3), so the same kernel
 *     source compiles and gives the same results everywhere.
 *
 * Semantics (Armv7-M ARM, section A7.7; "lo"/"hi" = bits [15:0]/[31:16] as signed halfwords):
 *   sxtb16(x)          lo = sext(x[7:0]),  hi = sext(x[23:16])
 *   sxtb16_ror8(x)     lo = sext(x[15:8]), hi = sext(x[31:24])        (SXTB16 Rd, Rm, ROR #8)
 *   sxtab16(a, x)      lo = a.lo + sext(x[7:0]),  hi = a.hi + sext(x[23:16])   (mod 2^16 each)
 *   sxtab16_ror8(a, x) lo = a.lo + sext(x[15:8]), hi = a.hi + sext(x[31:24])
 *   smlad(x, y, acc)   acc + x.lo*y.lo + x.hi*y.hi   (mod 2^32; the Q flag is not modelled)
 *   smuad(x, y)        x.lo*y.lo + x.hi*y.hi         (mod 2^32)
 *   smlabb(x, y, acc)  acc + x.lo*y.lo ; smlatt(x, y, acc) acc + x.hi*y.hi
 *   PKHBT(a, b, sh)    (a & 0x0000FFFF) | ((b << sh) & 0xFFFF0000)     sh in 0..31
 *   PKHTB(a, b, sh)    (a & 0xFFFF0000) | ((b >>arith sh) & 0x0000FFFF) sh in 1..31
 *   SSAT(x, n)         x clamped to [-2^(n-1), 2^(n-1)-1]              n in 1..32
 *   qadd(a, b)         a + b saturated to int32
 * PKHBT/PKHTB/SSAT take an immediate, so they are macros (the shift/width must be a constant).
 *
 * Word reads of int8/int16 data go through __builtin_memcpy (like CMSIS-NN's arm_nn_read_q7x4):
 * GCC turns them into a single LDR on ARMv7-M, which allows unaligned LDR; no libc is needed.
 * Plain C99 + GNU __asm__/__extension__ (the asm branch only); little-endian only.
 */
#ifndef MCUSIM_KERNELS_OPTIMIZED_ARM_SIMD_H_
#define MCUSIM_KERNELS_OPTIMIZED_ARM_SIMD_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(NN_SIMD_FORCE_C)
#define NN_SIMD_ASM 1
#else
#define NN_SIMD_ASM 0
#endif

/* ------------------------------------------------------------------ loads (any alignment) */
static inline uint32_t nn_read_s8x4(const int8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
static inline uint32_t nn_read_s16x2(const int16_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
static inline void nn_write_s16x2(int16_t* p, uint32_t v) {
  __builtin_memcpy(p, &v, 4);
}

#if NN_SIMD_ASM
/* ------------------------------------------------------------------ DSP extension: inline asm */
static inline uint32_t nn_sxtb16(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
  return r;
}
static inline uint32_t nn_sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
static inline uint32_t nn_sxtab16(uint32_t a, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
static inline uint32_t nn_sxtab16_ror8(uint32_t a, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
static inline int32_t nn_smlad(uint32_t x, uint32_t y, int32_t acc) {
  int32_t r;
  __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
  return r;
}
static inline int32_t nn_smuad(uint32_t x, uint32_t y) {
  int32_t r;
  __asm__("smuad %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));
  return r;
}
static inline int32_t nn_smlabb(uint32_t x, uint32_t y, int32_t acc) {
  int32_t r;
  __asm__("smlabb %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
  return r;
}
static inline int32_t nn_smlatt(uint32_t x, uint32_t y, int32_t acc) {
  int32_t r;
  __asm__("smlatt %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(y), "r"(acc));
  return r;
}
static inline int32_t nn_qadd(int32_t a, int32_t b) {
  int32_t r;
  __asm__("qadd %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
#define NN_PKHBT(a, b, sh)                                                                 \
  __extension__({                                                                          \
    uint32_t nn_r_;                                                                        \
    __asm__("pkhbt %0, %1, %2, lsl %3" : "=r"(nn_r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b)), \
            "I"(sh));                                                                      \
    nn_r_;                                                                                 \
  })
#define NN_PKHTB(a, b, sh)                                                                 \
  __extension__({                                                                          \
    uint32_t nn_r_;                                                                        \
    __asm__("pkhtb %0, %1, %2, asr %3" : "=r"(nn_r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b)), \
            "I"(sh));                                                                      \
    nn_r_;                                                                                 \
  })
#define NN_SSAT(x, n)                                                                      \
  __extension__({                                                                          \
    int32_t nn_r_;                                                                         \
    __asm__("ssat %0, %1, %2" : "=r"(nn_r_) : "I"(n), "r"((int32_t)(x)));                  \
    nn_r_;                                                                                 \
  })

#else
/* ------------------------------------------------------------------ exact C emulation */
static inline int32_t nn_lo16_(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x & 0xFFFFu); }
static inline int32_t nn_hi16_(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x >> 16); }
static inline uint32_t nn_pack16_(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | (((uint32_t)hi & 0xFFFFu) << 16);
}
static inline uint32_t nn_sxtb16(uint32_t x) {
  return nn_pack16_((int8_t)(uint8_t)(x & 0xFFu), (int8_t)(uint8_t)((x >> 16) & 0xFFu));
}
static inline uint32_t nn_sxtb16_ror8(uint32_t x) {
  return nn_pack16_((int8_t)(uint8_t)((x >> 8) & 0xFFu), (int8_t)(uint8_t)(x >> 24));
}
static inline uint32_t nn_sxtab16(uint32_t a, uint32_t x) {
  const uint32_t e = nn_sxtb16(x);
  return nn_pack16_(nn_lo16_(a) + nn_lo16_(e), nn_hi16_(a) + nn_hi16_(e));
}
static inline uint32_t nn_sxtab16_ror8(uint32_t a, uint32_t x) {
  const uint32_t e = nn_sxtb16_ror8(x);
  return nn_pack16_(nn_lo16_(a) + nn_lo16_(e), nn_hi16_(a) + nn_hi16_(e));
}
/* Each 16x16 product fits int32; the sums wrap modulo 2^32 like the hardware. */
static inline int32_t nn_smlad(uint32_t x, uint32_t y, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_lo16_(x) * nn_lo16_(y)) +
                   (uint32_t)(nn_hi16_(x) * nn_hi16_(y)));
}
static inline int32_t nn_smuad(uint32_t x, uint32_t y) {
  return (int32_t)((uint32_t)(nn_lo16_(x) * nn_lo16_(y)) + (uint32_t)(nn_hi16_(x) * nn_hi16_(y)));
}
static inline int32_t nn_smlabb(uint32_t x, uint32_t y, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_lo16_(x) * nn_lo16_(y)));
}
static inline int32_t nn_smlatt(uint32_t x, uint32_t y, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(nn_hi16_(x) * nn_hi16_(y)));
}
static inline int32_t nn_qadd(int32_t a, int32_t b) {
  const int64_t s = (int64_t)a + (int64_t)b;
  return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}
static inline uint32_t nn_pkhbt_(uint32_t a, uint32_t b, uint32_t sh) {
  return (a & 0xFFFFu) | ((b << sh) & 0xFFFF0000u);
}
static inline uint32_t nn_pkhtb_(uint32_t a, uint32_t b, uint32_t sh) {
  /* arithmetic shift right of b (sh in 1..31), written without relying on signed >> */
  const uint32_t shifted = (b >> sh) | ((b & 0x80000000u) ? ~(0xFFFFFFFFu >> sh) : 0u);
  return (a & 0xFFFF0000u) | (shifted & 0xFFFFu);
}
static inline int32_t nn_ssat_(int32_t x, uint32_t n) {
  const int64_t max = ((int64_t)1 << (n - 1)) - 1;
  const int64_t min = -((int64_t)1 << (n - 1));
  return x > max ? (int32_t)max : x < min ? (int32_t)min : x;
}
#define NN_PKHBT(a, b, sh) nn_pkhbt_((uint32_t)(a), (uint32_t)(b), (uint32_t)(sh))
#define NN_PKHTB(a, b, sh) nn_pkhtb_((uint32_t)(a), (uint32_t)(b), (uint32_t)(sh))
#define NN_SSAT(x, n) nn_ssat_((int32_t)(x), (uint32_t)(n))
#endif

/* Two int16 (lo, hi) in one word; used for the input-offset operand of sxtab16. */
static inline uint32_t nn_dup16(int32_t v) {
  return ((uint32_t)v & 0xFFFFu) * 0x00010001u;
}

#ifdef __cplusplus
}
#endif

#endif /* MCUSIM_KERNELS_OPTIMIZED_ARM_SIMD_H_ */
