#pragma once
// Unicorn 2.0.1's per-store self-modifying-code bookkeeping, taken off the hot path by
// interposing page_collection_lock/unlock (src/unicorn_store_fix.cpp, issue 16). Enabled by
// default in every program linked with mcusim_engine; translated code that a guest store
// overwrites is still invalidated by Unicorn. The same switch turns on a per-thread memo in front
// of Unicorn's memory_mapping(), which its load/store slow path calls on every hooked data access
// (src/seam/unicorn_store_fix.cpp; invalidated by every mapping change).

namespace mcusim {

/// Turns both fixes on (default) or off (Unicorn's own lock/unlock and lookup, as shipped). Process-wide; set it
/// only while no engine runs (the benchmark uses it to measure stock Unicorn).
void store_check_fix(bool on);
/// Whether the fix is on.
bool store_check_fix();
/// Referenced by the engine so that the interposing object is always linked (static library).
bool store_check_fix_linked();

}  // namespace mcusim
