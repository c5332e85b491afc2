// Unicorn 2.0.1's self-modifying-code check off the store path, a memo in front of its region
// lookup, and a fast path for plain loads and stores past its slow path (issue 16). The third is
// described at "The access fast path" below.
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
// store_check_fix(false) restores Unicorn's own functions (and turns the access fast path off) (looked up with dlsym(RTLD_NEXT)), so
// the benchmark can measure stock Unicorn in the same process.
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unicorn/unicorn.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "mcusim/unicorn_store_fix.h"
#include "seam/events.h"

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
// The UC_PROT_* permissions of each memo entry's region, for the access fast path's stores (kept
// apart so that a memo entry stays 32 bytes: memory_mapping's hit path is hot on RISC-V).
thread_local std::uint32_t t_memo_perms[kMemoEntries];

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
// ---- The layout of Debian 12's libunicorn.so.2 (the access fast path, see below) ----------------
// Read from the machine code of Unicorn 2.0.1.post1-1+b1 (amd64) as Debian builds it, build id
// kDebianBuildId, with `objdump -d` of load_helper/store_helper (reached from
// helper_le_ldul_mmu_arm and helper_ret_stb_mmu_arm) against the source of tag 2.0.1.post1
// (qemu/accel/tcg/cputlb.c, include/uc_priv.h, include/list.h). Any other build of
// libunicorn.so.2 (another build id) never uses them: the fast path stays off.
constexpr unsigned char kDebianBuildId[20] = {0xf4, 0x39, 0xd3, 0xd0, 0x9a, 0x3f, 0xef, 0xbc, 0xc7, 0xd4,
                                              0x01, 0x4b, 0xd3, 0xf6, 0x7c, 0x12, 0xd5, 0x59, 0x57, 0xe6};
constexpr std::ptrdiff_t kEnvUc = 0x1128;        // CPUARMState::uc (struct uc_struct *)
constexpr std::ptrdiff_t kEnvTlbMask = -0xd0;    // env_tlb(env)->f[0].mask, relative to env
constexpr std::ptrdiff_t kEnvTlbTable = -0xc8;   // env_tlb(env)->f[0].table
constexpr std::ptrdiff_t kTlbFastBytes = 16;     // sizeof(CPUTLBDescFast): f[mmu_idx]
constexpr unsigned kTlbEntryBits = 5;            // CPU_TLB_ENTRY_BITS: sizeof(CPUTLBEntry) = 32
constexpr std::ptrdiff_t kEntryAddrRead = 0, kEntryAddrWrite = 4, kEntryAddend = 16;  // CPUTLBEntry
constexpr std::ptrdiff_t kUcInitTargetPage = 0x268;  // uc_struct::init_target_page (->bits at +4)
constexpr std::ptrdiff_t kUcHookLists = 0x2f8;   // uc_struct::hook[UC_HOOK_MAX], struct list (24 bytes)
constexpr std::ptrdiff_t kListBytes = 24;        // struct list {head, tail, delete_fn}
constexpr int kHookMemReadIdx = 10, kHookMemWriteIdx = 11, kHookMemReadAfterIdx = 13;  // uc_hook_idx
constexpr std::ptrdiff_t kUcSizeRecurMem = 0x508;  // uc_struct::size_recur_mem (int)
constexpr std::ptrdiff_t kRegionPerms = 0x88;    // MemoryRegion::perms (uint32_t, UC_PROT_*)
constexpr std::ptrdiff_t kHookToDelete = 0x14, kHookBegin = 0x18, kHookEnd = 0x20, kHookCallback = 0x28,
                         kHookUserData = 0x30;   // struct hook
constexpr unsigned kArmPageBits = 10;            // Unicorn's Arm page: 1 KiB (checked at binding)
constexpr std::uint32_t kTlbNotDirty = 0x100;    // TLB_NOTDIRTY = 1 << (TARGET_PAGE_BITS_MIN - 2), Arm: 10
constexpr std::ptrdiff_t kEnvTlbIotlb = -0x1368;  // env_tlb(env)->d[0].iotlb (CPUIOTLBEntry *)
constexpr std::ptrdiff_t kTlbDescBytes = 0x1b0;   // sizeof(CPUTLBDesc): d[mmu_idx]
constexpr unsigned kIotlbEntryBits = 4;          // sizeof(CPUIOTLBEntry) = 16; ->addr (hwaddr) at 0
constexpr std::ptrdiff_t kEnvCpuUc = -0x1548;    // env_cpu(env)->uc

template <class T>
T field(const void* base, std::ptrdiff_t offset) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + offset, sizeof v);
  return v;
}

// True when the libunicorn.so.2 loaded in this process is the build whose layout is above.
bool debian_build_loaded() {
  unsigned major = 0, minor = 0;
  uc_version(&major, &minor);
  if (major != 2 || minor != 0) return false;
  bool found = false;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) -> int {
        if (!info->dlpi_name || !std::strstr(info->dlpi_name, "libunicorn.so")) return 0;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
          const char* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            const auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
            const char* name = p + sizeof(ElfW(Nhdr));
            const char* desc = name + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                n->n_descsz == sizeof kDebianBuildId && desc + n->n_descsz <= end)
              *static_cast<bool*>(out) = std::memcmp(desc, kDebianBuildId, sizeof kDebianBuildId) == 0;
            p = desc + ((n->n_descsz + 3) & ~3u);
          }
        }
        return 1;
      },
      &found);
  return found;
}

const bool g_layout_ok = debian_build_loaded();

std::uint32_t region_perms(const void* region) {
  return g_layout_ok ? field<std::uint32_t>(region, kRegionPerms) : 0;
}

}  // namespace

namespace {
// A memo miss: Unicorn's answer, kept when the address is mapped.
[[gnu::noinline]] void* mapping_miss(void* uc, std::uint64_t address, std::uint64_t granule,
                                     std::uint64_t generation) {
  void* region = g_real_mapping(uc, address);
  if (region) {
    t_memo[granule & (kMemoEntries - 1)] = {uc, granule, generation, region};
    t_memo_perms[granule & (kMemoEntries - 1)] = region_perms(region);
  }
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

// ---- The access fast path (issue 16) ----------------------------------------------------------
// Once any UC_HOOK_MEM_READ/WRITE hook exists, Unicorn 2.0.1's x86-64 back end sends every guest
// load and store of translated code to its slow path (qemu/tcg/i386/tcg-target.inc.c,
// tcg_out_tlb_load: an unconditional jump), i.e. to the helpers of the tables qemu_ld_helpers /
// qemu_st_helpers, whose entries libunicorn.so.2 fills by symbol (R_X86_64_64 relocations against
// helper_le_ldul_mmu_arm etc., `readelf -r`): the executable's definitions below take their place.
// Unicorn's helper (load_helper/store_helper, cputlb.c) costs about 155 host instructions per
// access: memory_mapping(), the walk of the hook list with its range check, the indirect call of
// the hook, the permission, alignment and TLB checks, and a second (empty) hook-list walk.
//
// The fast path does the same work for the one case that matters and leaves every other case to
// Unicorn's own helper, before anything has happened: the engine is bound (below: its only
// UC_HOOK_MEM_READ and UC_HOOK_MEM_WRITE hook is mcusim's, over all addresses, there is no
// UC_HOOK_MEM_READ_AFTER hook, and every mapped region is readable); the access satisfies its
// alignment requirement (else Unicorn raises the alignment fault) and lies within one page (else
// Unicorn splits it); the TLB entry of its page is a hit with no flag (no MMIO, no watchpoint, not
// invalid, no discarded write: else Unicorn fills the TLB or calls the device), except, for a
// store, TLB_NOTDIRTY, which every RAM page of Unicorn 2.0.1 carries; for a store, the region
// (memory_mapping's memo) is writable and Unicorn is not inside a split store. Then, as Unicorn's
// helper does in that case, it reports the access to mcusim (seam::data_access, what the hook's
// callback does), for a store runs Unicorn's self-modifying-code check
// (tb_invalidate_phys_page_fast, as notdirty_write does), and loads or stores through the TLB
// entry's addend, read after the report as Unicorn reads it. Unicorn reads the TLB word before the
// hook too, so the decision is the one Unicorn takes; a flag-free TLB hit is RAM of a mapped
// region (I/O and unassigned addresses carry TLB_MMIO; uc_mem_unmap flushes the TLB of its pages).
// Only with the libunicorn.so.2 build whose layout is above (kDebianBuildId, Unicorn 2.0.1) and
// with the fixes switched on (store_check_fix); otherwise every call goes to Unicorn's helper.
// RISC-V engines keep Unicorn's helpers (their layout is not read here; the RV32 boards do not
// need it for 150 MIPS).
namespace {

using LoadFn = std::uint64_t (*)(void* env, std::uint32_t addr, std::uint32_t oi, std::uintptr_t ra);
template <class T>
using StoreFn = void (*)(void* env, std::uint32_t addr, T val, std::uint32_t oi, std::uintptr_t ra);

const LoadFn g_real_ldub = next_symbol<LoadFn>("helper_ret_ldub_mmu_arm");
const LoadFn g_real_lduw = next_symbol<LoadFn>("helper_le_lduw_mmu_arm");
const LoadFn g_real_ldul = next_symbol<LoadFn>("helper_le_ldul_mmu_arm");
const LoadFn g_real_ldq = next_symbol<LoadFn>("helper_le_ldq_mmu_arm");
const StoreFn<std::uint8_t> g_real_stb = next_symbol<StoreFn<std::uint8_t>>("helper_ret_stb_mmu_arm");
const StoreFn<std::uint16_t> g_real_stw = next_symbol<StoreFn<std::uint16_t>>("helper_le_stw_mmu_arm");
const StoreFn<std::uint32_t> g_real_stl = next_symbol<StoreFn<std::uint32_t>>("helper_le_stl_mmu_arm");
const StoreFn<std::uint64_t> g_real_stq = next_symbol<StoreFn<std::uint64_t>>("helper_le_stq_mmu_arm");

// void tb_invalidate_phys_page_fast(struct uc_struct *, struct page_collection *, tb_page_addr_t start,
//                                   int len, uintptr_t retaddr): Unicorn's self-modifying-code check.
using InvalidateFn = void (*)(void* uc, void* pages, std::uint64_t start, int len, std::uintptr_t ra);
const InvalidateFn g_tb_invalidate_fast = next_symbol<InvalidateFn>("tb_invalidate_phys_page_fast_arm");

const bool g_fast_ok = g_layout_ok && g_tb_invalidate_fast && g_real_ldub && g_real_lduw && g_real_ldul && g_real_ldq && g_real_stb &&
                       g_real_stw && g_real_stl && g_real_stq;

// The engine whose accesses this thread's fast path handles, the callback of its data hook and
// the sink that callback reports to. Valid while `generation` equals g_map_generation (bumped by
// uc_open, uc_close and every mapping change); when it is stale, the next access of the same
// engine verifies the hooks again (rebind): that engine is running, so it is alive, and if it is a
// new engine at a reused address, its hook must still be exactly `callback` with `sink`.
struct Binding {
  const void* uc = nullptr;
  const void* callback = nullptr;
  void* sink = nullptr;
  std::uint64_t generation = 0;
};
thread_local Binding t_bind;

bool verify_and_bind(const void* engine, const void* mem_callback, void* sink);

// Re-verifies this thread's binding for `engine` after a mapping or engine change.
[[gnu::noinline]] bool rebind(const void* engine) {
  const Binding b = t_bind;
  return verify_and_bind(engine, b.callback, b.sink);
}

// Whether `engine` is this thread's bound engine (re-verified after any mapping change).
inline bool bound_engine(const void* engine) {
  const Binding& b = t_bind;
  if (engine != b.uc) return false;
  if (b.generation == g_map_generation.load(std::memory_order_relaxed)) [[likely]] return true;
  return rebind(engine);
}

constexpr std::uint32_t kArmPageBytes = 1u << kArmPageBits;

// The alignment mask of the MemOp in `oi` (QEMU 5.0 get_alignment_bits(get_memop(oi)): MemOp =
// oi >> 4, MO_AMASK = 0x70, MO_ALIGN = MO_AMASK on Arm (not TARGET_ALIGNED_ONLY), MO_SIZE = 3).
inline std::uint32_t align_mask(std::uint32_t oi) {
  const std::uint32_t memop = oi >> 4;
  const std::uint32_t a = memop & 0x70;
  return (1u << (a == 0x70 ? (memop & 3) : a >> 4)) - 1;
}

// The TLB entry of `addr` for the MMU index in `oi` (tlb_entry(env, get_mmuidx(oi), addr)).
inline const char* tlb_entry(const void* env, std::uint32_t addr, std::uint32_t oi) {
  const std::ptrdiff_t f = static_cast<std::ptrdiff_t>(oi & 15) * kTlbFastBytes;
  const auto mask = field<std::uintptr_t>(env, kEnvTlbMask + f);
  const auto* table = field<const char*>(env, kEnvTlbTable + f);
  return table + ((std::uintptr_t{addr >> kArmPageBits} & (mask >> kTlbEntryBits)) << kTlbEntryBits);
}

// Whether an access of `n` bytes at `addr` with MemOp index `oi` meets its alignment requirement
// (no alignment fault) and lies within one Unicorn page (no split).
template <std::uint32_t n>
inline bool plain_shape(std::uint32_t addr, std::uint32_t oi) {
  if ((oi & 0x700) && (addr & align_mask(oi))) [[unlikely]]  // (oi >> 4) & MO_AMASK: an alignment rule
    return false;
  return n == 1 || (addr & (kArmPageBytes - 1)) + n <= kArmPageBytes;
}

// The memo's permissions of `addr` in `engine` when the memo holds its region, else 0.
inline std::uint32_t memo_perms(const void* engine, std::uint32_t addr) {
  const std::uint64_t granule = addr >> kMemoGranuleShift;
  const MapMemo& m = t_memo[granule & (kMemoEntries - 1)];
  if (m.uc == engine && m.granule == granule && m.generation == g_map_generation.load(std::memory_order_relaxed))
    return t_memo_perms[granule & (kMemoEntries - 1)];
  return 0;
}

template <class T, const LoadFn* Real>
std::uint64_t fast_load(void* env, std::uint32_t addr, std::uint32_t oi, std::uintptr_t ra) {
  const void* engine = field<const void*>(env, kEnvUc);
  if (bound_engine(engine) && plain_shape<sizeof(T)>(addr, oi)) [[likely]] {
    const char* e = tlb_entry(env, addr, oi);
    // A TLB hit with no flag is RAM of a mapped region (anything else has TLB_MMIO), and every
    // region of a bound engine is readable (verified when bound, after any mapping change).
    if (field<std::uint32_t>(e, kEntryAddrRead) == (addr & ~(kArmPageBytes - 1))) [[likely]] {
      mcusim::seam::data_access(t_bind.sink, addr, sizeof(T), false);
      T v;
      std::memcpy(&v, reinterpret_cast<const void*>(addr + field<std::uintptr_t>(e, kEntryAddend)), sizeof v);
      return v;
    }
  }
  return (*Real)(env, addr, oi, ra);
}

template <class T, const StoreFn<T>* Real>
void fast_store(void* env, std::uint32_t addr, T val, std::uint32_t oi, std::uintptr_t ra) {
  const void* engine = field<const void*>(env, kEnvUc);
  if (bound_engine(engine) && plain_shape<sizeof(T)>(addr, oi)) [[likely]] {
    const char* e = tlb_entry(env, addr, oi);
    const std::uint32_t tlb_addr = field<std::uint32_t>(e, kEntryAddrWrite);
    // A RAM page is "not dirty" in Unicorn 2.0.1 for ever (its dirty bitmap is compiled out,
    // include/exec/ram_addr.h), so every store to RAM takes notdirty_write(): the
    // page_collection_lock/unlock pair (interposed above: NULL and nothing) around
    // tb_invalidate_phys_page_fast(), which finds and drops translated code the store overwrites.
    if ((tlb_addr & ~kTlbNotDirty) == (addr & ~(kArmPageBytes - 1)) && (memo_perms(engine, addr) & UC_PROT_WRITE) &&
        field<int>(engine, kUcSizeRecurMem) == 0) [[likely]] {
      mcusim::seam::data_access(t_bind.sink, addr, sizeof(T), true);
      if (tlb_addr & kTlbNotDirty) {
        const std::ptrdiff_t mmu = static_cast<std::ptrdiff_t>(oi & 15);
        const std::uintptr_t index = (reinterpret_cast<std::uintptr_t>(e) -
                                      field<std::uintptr_t>(env, kEnvTlbTable + mmu * kTlbFastBytes)) >>
                                     kTlbEntryBits;
        const char* iotlb = field<const char*>(env, kEnvTlbIotlb + mmu * kTlbDescBytes) + (index << kIotlbEntryBits);
        g_tb_invalidate_fast(field<void*>(env, kEnvCpuUc), nullptr, addr + field<std::uint64_t>(iotlb, 0),
                             static_cast<int>(sizeof(T)), ra);
      }
      std::memcpy(reinterpret_cast<void*>(addr + field<std::uintptr_t>(e, kEntryAddend)), &val, sizeof val);
      return;
    }
  }
  (*Real)(env, addr, val, oi, ra);
}

// The only hook of hook list `idx` of `engine`, or null when the list is empty or longer.
const void* only_hook(const void* engine, int idx) {
  const void* item = field<const void*>(engine, kUcHookLists + idx * kListBytes);
  if (!item || field<const void*>(item, 0)) return nullptr;  // list_item {next, data}
  return field<const void*>(item, 8);
}

}  // namespace

// The interposed helpers (same names and ABI as Unicorn 2.0.1's cputlb.c for the Arm target:
// tcg_target_ulong helper_le_ldul_mmu(CPUArchState *env, target_ulong addr, TCGMemOpIdx oi,
// uintptr_t retaddr), void helper_le_stl_mmu(env, addr, uint32_t val, oi, retaddr), ...).
extern "C" __attribute__((visibility("default"))) std::uint64_t helper_ret_ldub_mmu_arm(void* env, std::uint32_t addr,
                                                                                      std::uint32_t oi,
                                                                                      std::uintptr_t ra) {
  return fast_load<std::uint8_t, &g_real_ldub>(env, addr, oi, ra);
}
extern "C" __attribute__((visibility("default"))) std::uint64_t helper_le_lduw_mmu_arm(void* env, std::uint32_t addr,
                                                                                     std::uint32_t oi,
                                                                                     std::uintptr_t ra) {
  return fast_load<std::uint16_t, &g_real_lduw>(env, addr, oi, ra);
}
extern "C" __attribute__((visibility("default"))) std::uint64_t helper_le_ldul_mmu_arm(void* env, std::uint32_t addr,
                                                                                     std::uint32_t oi,
                                                                                     std::uintptr_t ra) {
  return fast_load<std::uint32_t, &g_real_ldul>(env, addr, oi, ra);
}
extern "C" __attribute__((visibility("default"))) std::uint64_t helper_le_ldq_mmu_arm(void* env, std::uint32_t addr,
                                                                                    std::uint32_t oi,
                                                                                    std::uintptr_t ra) {
  return fast_load<std::uint64_t, &g_real_ldq>(env, addr, oi, ra);
}
extern "C" __attribute__((visibility("default"))) void helper_ret_stb_mmu_arm(void* env, std::uint32_t addr,
                                                                            std::uint8_t val, std::uint32_t oi,
                                                                            std::uintptr_t ra) {
  fast_store<std::uint8_t, &g_real_stb>(env, addr, val, oi, ra);
}
extern "C" __attribute__((visibility("default"))) void helper_le_stw_mmu_arm(void* env, std::uint32_t addr,
                                                                           std::uint16_t val, std::uint32_t oi,
                                                                           std::uintptr_t ra) {
  fast_store<std::uint16_t, &g_real_stw>(env, addr, val, oi, ra);
}
extern "C" __attribute__((visibility("default"))) void helper_le_stl_mmu_arm(void* env, std::uint32_t addr,
                                                                           std::uint32_t val, std::uint32_t oi,
                                                                           std::uintptr_t ra) {
  fast_store<std::uint32_t, &g_real_stl>(env, addr, val, oi, ra);
}
extern "C" __attribute__((visibility("default"))) void helper_le_stq_mmu_arm(void* env, std::uint32_t addr,
                                                                           std::uint64_t val, std::uint32_t oi,
                                                                           std::uintptr_t ra) {
  fast_store<std::uint64_t, &g_real_stq>(env, addr, val, oi, ra);
}

namespace {
bool verify_and_bind(const void* engine, const void* mem_callback, void* sink) {
  t_bind = {};
  if (!g_fast_ok || !g_fix.load(std::memory_order_relaxed) || !engine) return false;
  const std::uint64_t generation = g_map_generation.load(std::memory_order_relaxed);
  const void* page = field<const void*>(engine, kUcInitTargetPage);  // TargetPageBits {decided, bits, mask}
  if (!page || field<int>(page, 4) != static_cast<int>(kArmPageBits)) return false;
  const void* hook = only_hook(engine, kHookMemReadIdx);
  if (!hook || only_hook(engine, kHookMemWriteIdx) != hook) return false;
  if (field<const void*>(engine, kUcHookLists + kHookMemReadAfterIdx * kListBytes)) return false;
  if (field<std::uint8_t>(hook, kHookToDelete) || field<const void*>(hook, kHookCallback) != mem_callback ||
      field<void*>(hook, kHookUserData) != sink ||
      field<std::uint64_t>(hook, kHookBegin) <= field<std::uint64_t>(hook, kHookEnd))  // begin > end: all addresses
    return false;
  // Every mapped region readable: a load that hits the TLB needs no permission check then.
  uc_mem_region* regions = nullptr;
  std::uint32_t count = 0;
  auto* uc = static_cast<uc_engine*>(const_cast<void*>(engine));
  if (uc_mem_regions(uc, &regions, &count) != UC_ERR_OK) return false;
  bool readable = true;
  for (std::uint32_t i = 0; i < count; ++i) readable = readable && (regions[i].perms & UC_PROT_READ);
  uc_free(regions);
  if (!readable) return false;
  t_bind = {engine, mem_callback, sink, generation};
  return true;
}
}  // namespace

namespace mcusim {
bool unicorn_access_fix_bind(const void* engine, const void* mem_callback, void* sink) {
  return verify_and_bind(engine, mem_callback, sink);
}

bool unicorn_access_fix_bound(const void* engine) {
  return engine && t_bind.uc == engine && t_bind.generation == g_map_generation.load(std::memory_order_relaxed);
}
}  // namespace mcusim

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
