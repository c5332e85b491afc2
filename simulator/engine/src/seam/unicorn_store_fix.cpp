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
// The second fix is a memo in front of memory_mapping(), which Unicorn 2.0.1 calls from its
// load/store slow path on every guest data access once any memory hook exists (and mcusim always
// hooks data accesses). It returns the MemoryRegion holding an address: one cached index, then a
// binary search over all mappings, so code alternating between flash (weights) and SRAM
// (activations, stack) searches on almost every access: 12.7 % of the CPU time of the KWS
// reference firmware on nucleo-l4r5zi (perf, issue 16). The memo is a small direct-mapped table
// per thread keyed by the engine and the 1 KiB granule of the address (every mapping is aligned
// to Unicorn's page, 1 KiB on Arm and 4 KiB on RISC-V, so a granule lies in one region or none);
// a generation counter, bumped by every call that changes an engine's mappings or opens or closes
// an engine (uc_open, uc_close, uc_mem_map, uc_mem_map_ptr, uc_mmio_map, uc_mem_unmap,
// uc_mem_protect, also interposed here), invalidates all entries. Unmapped results are not kept.
//
// store_check_fix(false) restores Unicorn's own functions (looked up with dlsym(RTLD_NEXT)), so
// the benchmark can measure stock Unicorn in the same process.
#include <dlfcn.h>
#include <unicorn/unicorn.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "mcusim/unicorn_store_fix.h"

namespace {

std::atomic<bool> g_fix{true};
std::atomic<std::uint64_t> g_map_generation{1};  // bumped by every mapping change (see above)

struct MapMemo {
  const void* uc = nullptr;
  std::uint64_t granule = 0;
  std::uint64_t generation = 0;  // 0: empty
  void* region = nullptr;
};
constexpr unsigned kMemoEntries = 64;      // power of two
constexpr unsigned kMemoGranuleShift = 10;  // 1 KiB: the smallest Unicorn page (Arm)
thread_local MapMemo t_memo[kMemoEntries];

using LockFn = void* (*)(void*, std::uint64_t, std::uint64_t);
using UnlockFn = void (*)(void*);

template <class Fn>
Fn next_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

// Unicorn's own memory_mapping(), found once at start-up (no guard on the per-access path).
using MappingFn = void* (*)(void*, std::uint64_t);
const MappingFn g_real_mapping = next_symbol<MappingFn>("memory_mapping");

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

namespace {
// A memo miss: Unicorn's answer, kept when the address is mapped.
[[gnu::noinline]] void* mapping_miss(void* uc, std::uint64_t address, std::uint64_t granule,
                                     std::uint64_t generation) {
  void* region = g_real_mapping(uc, address);
  if (region) t_memo[granule & (kMemoEntries - 1)] = {uc, granule, generation, region};
  return region;
}
}  // namespace

// MemoryRegion *memory_mapping(struct uc_struct *uc, uint64_t address): the region holding
// `address`, or NULL. The hit path is kept free of calls so that it needs no stack frame (about 12 instructions).
extern "C" __attribute__((visibility("default"))) void* memory_mapping(void* uc, std::uint64_t address) {
  if (!g_fix.load(std::memory_order_relaxed)) [[unlikely]]
    return g_real_mapping(uc, address);
  const std::uint64_t granule = address >> kMemoGranuleShift;
  const std::uint64_t generation = g_map_generation.load(std::memory_order_relaxed);
  const MapMemo& m = t_memo[granule & (kMemoEntries - 1)];
  if (m.uc == uc && m.granule == granule && m.generation == generation) [[likely]]
    return m.region;
  return mapping_miss(uc, address, granule, generation);
}

// The calls that change mappings or engines: forwarded to Unicorn, then every memo entry is made
// stale (entries a call made while it ran carry the old generation).
#define MCUSIM_MAP_CHANGE(name, params, args)                     \
  uc_err name params {                                            \
    using Fn = uc_err(*) params;                                  \
    static const Fn real = next_symbol<Fn>(#name);                \
    const uc_err r = real args;                                   \
    g_map_generation.fetch_add(1, std::memory_order_relaxed);     \
    return r;                                                     \
  }

// Same prototypes as <unicorn/unicorn.h> (which declares them extern "C", exported).
MCUSIM_MAP_CHANGE(uc_open, (uc_arch arch, uc_mode mode, uc_engine** uc), (arch, mode, uc))
MCUSIM_MAP_CHANGE(uc_close, (uc_engine * uc), (uc))
MCUSIM_MAP_CHANGE(uc_mem_map, (uc_engine * uc, std::uint64_t address, std::size_t size, std::uint32_t perms),
                  (uc, address, size, perms))
MCUSIM_MAP_CHANGE(uc_mem_map_ptr,
                  (uc_engine * uc, std::uint64_t address, std::size_t size, std::uint32_t perms, void* ptr),
                  (uc, address, size, perms, ptr))
MCUSIM_MAP_CHANGE(uc_mmio_map,
                  (uc_engine * uc, std::uint64_t address, std::size_t size, uc_cb_mmio_read_t read_cb,
                   void* user_data_read, uc_cb_mmio_write_t write_cb, void* user_data_write),
                  (uc, address, size, read_cb, user_data_read, write_cb, user_data_write))
MCUSIM_MAP_CHANGE(uc_mem_unmap, (uc_engine * uc, std::uint64_t address, std::size_t size), (uc, address, size))
MCUSIM_MAP_CHANGE(uc_mem_protect, (uc_engine * uc, std::uint64_t address, std::size_t size, std::uint32_t perms),
                  (uc, address, size, perms))
