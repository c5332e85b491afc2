// Unicorn 2.0.1's self-modifying-code check off the store path (issue 16).
//
// In Unicorn 2.0.1 (Debian 12's libunicorn2) every guest store to RAM goes through
// notdirty_write(), which calls page_collection_lock() -> tb_invalidate_phys_page_fast() ->
// page_collection_unlock(). The lock builds a GLib tree (g_malloc + g_tree_new_full) and the
// unlock destroys it, for every store: 125-161 ns per store against about 1 ns per load (issue 16,
// measured). Upstream Unicorn later compiled both out (qemu/accel/tcg/translate-all.c: the lock
// returns NULL and the unlock does nothing) because QEMU's page locks are meaningless in a
// single-threaded engine and, on targets without TARGET_HAS_PRECISE_SMC (Arm and RISC-V), the
// collection is never used by tb_invalidate_phys_page_fast() / tb_invalidate_phys_range().
//
// libunicorn.so.2 calls these per-architecture functions through its PLT (checked with
// `objdump -d libunicorn.so.2 | grep page_collection_lock_arm@plt`), so definitions in the
// executable take precedence (ELF symbol interposition). We interpose only the lock and the
// unlock, exactly as upstream's fix; tb_invalidate_phys_page_fast() is Unicorn's own and still
// finds and invalidates translated code that a guest store overwrites (tested by the
// self-modifying-code test, tests/integration).
//
// store_check_fix(false) restores Unicorn's own functions (looked up with dlsym(RTLD_NEXT)), so
// the benchmark can measure stock Unicorn in the same process.
#include <dlfcn.h>

#include <atomic>
#include <cstdint>

#include "mcusim/unicorn_store_fix.h"

namespace {

std::atomic<bool> g_fix{true};

using LockFn = void* (*)(void*, std::uint64_t, std::uint64_t);
using UnlockFn = void (*)(void*);

template <class Fn>
Fn next_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

namespace mcusim {
void store_check_fix(bool on) { g_fix.store(on, std::memory_order_relaxed); }
bool store_check_fix() { return g_fix.load(std::memory_order_relaxed); }
bool store_check_fix_linked() { return true; }
}  // namespace mcusim

// The interposed symbols: same names and ABI as Unicorn 2.0.1's
//   struct page_collection *page_collection_lock(struct uc_struct *, tb_page_addr_t start,
//                                                tb_page_addr_t end);
//   void page_collection_unlock(struct page_collection *);
// (tb_page_addr_t is a 64-bit ram address). A NULL collection is what upstream returns.
#define MCUSIM_STORE_FIX(arch)                                                                   \
  extern "C" __attribute__((visibility("default"))) void* page_collection_lock_##arch(          \
      void* uc, std::uint64_t start, std::uint64_t end) {                                       \
    if (g_fix.load(std::memory_order_relaxed)) return nullptr;                                  \
    static const LockFn real = next_symbol<LockFn>("page_collection_lock_" #arch);             \
    return real(uc, start, end);                                                                \
  }                                                                                              \
  extern "C" __attribute__((visibility("default"))) void page_collection_unlock_##arch(         \
      void* set) {                                                                               \
    if (!set) return;                                                                            \
    static const UnlockFn real = next_symbol<UnlockFn>("page_collection_unlock_" #arch);       \
    real(set);                                                                                   \
  }

MCUSIM_STORE_FIX(arm)
MCUSIM_STORE_FIX(riscv32)
