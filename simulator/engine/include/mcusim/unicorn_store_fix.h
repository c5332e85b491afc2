#pragma once
// Unicorn 2.0.1's per-store self-modifying-code bookkeeping, taken off the hot path by
// interposing page_collection_lock/unlock (src/unicorn_store_fix.cpp, issue 16). Enabled by
// default in every program linked with mcusim_engine; translated code that a guest store
// overwrites is still invalidated by Unicorn. The same switch turns on a per-thread memo in front
// of Unicorn's memory_mapping(), which its load/store slow path calls on every hooked data access
// (src/seam/unicorn_store_fix.cpp; invalidated by every mapping change).

namespace mcusim {

/// Turns the fixes (and the access fast path below) on (default) or off (Unicorn's own lock/unlock and lookup, as shipped). Process-wide; set it
/// only while no engine runs (the benchmark uses it to measure stock Unicorn).
void store_check_fix(bool on);
/// Whether the fix is on.
bool store_check_fix();
/// Binds the access fast path of this thread to `engine` (a uc_engine*): from now on, until the
/// next bind on this thread or any uc_close, the engine's guest loads and stores that Unicorn
/// would pass plainly through its TLB are reported to seam::data_access(sink, ...) directly,
/// instead of through Unicorn's slow path and the hook `mem_callback` (src/seam/unicorn_store_fix.cpp).
/// Returns false, and leaves everything to Unicorn, unless the fixes are on, the loaded
/// libunicorn.so.2 is the Debian 12 build whose layout the fast path knows (Unicorn 2.0.1, its
/// build id), the engine is an Arm engine with 1 KiB pages, its only UC_HOOK_MEM_READ and only
/// UC_HOOK_MEM_WRITE hook is `mem_callback` with user data `sink` over all addresses, and it has
/// no UC_HOOK_MEM_READ_AFTER hook. Call it before every uc_emu_start (it verifies the hooks again).
bool unicorn_access_fix_bind(const void* engine, const void* mem_callback, void* sink);
/// Whether this thread's fast path is bound to `engine` now (for tests).
bool unicorn_access_fix_bound(const void* engine);
/// Referenced by the engine so that the interposing object is always linked (static library).
bool store_check_fix_linked();

}  // namespace mcusim
