// Core-side L1 cache (Cortex-M7 instruction and data caches): a set-associative tag store with a
// write policy. It decides what happens to each access (hit, line fill, write-back of a dirty
// victim, write to the next level); the caller prices the outcome in cycles and energy from the
// memory behind the cache (simulator engine). Semantics: docs/models/cache.md "L1 caches".
#pragma once
#include <cstdint>

#include "mcusim/mem/cache.h"
#include "mcusim/base/units.h"

namespace mcusim::mem {

enum class WritePolicy {
  write_back,     ///< stores update the line only (dirty); the line is written back on eviction
  write_through,  ///< stores update the line (on a hit) and always go to the next level
};

/// Configuration of one L1 cache. Geometry constraints as CacheConfig.
struct L1Config {
  bool enabled = false;
  CacheConfig geometry{4096, 32, 2, Replacement::lru, 1};
  WritePolicy write_policy = WritePolicy::write_back;  ///< data caches only
  bool write_allocate = true;  ///< a store miss allocates the line (fills it) before writing
};

/// What one access did. At most one line fill and one write-back per access.
struct L1Outcome {
  bool hit = false;
  bool line_fill = false;     ///< a line was read from the next level
  bool writeback = false;     ///< a dirty victim line was written to the next level
  Addr writeback_addr = 0;    ///< first byte of that victim line (valid when writeback)
  bool memory_write = false;  ///< the store went to the next level (write-through or no-allocate miss)
};

/// Traffic an L1 cache caused, beyond CacheStats (hits, misses, evictions, writebacks).
struct L1Stats {
  CacheStats cache;
  std::uint64_t line_fills = 0;     ///< lines read from the next level
  std::uint64_t memory_writes = 0;  ///< stores passed to the next level
  Cycles stall_cycles = 0;          ///< cycles the core waited for line fills (set by the caller)
};

/// One L1 cache. Throws ConfigError (naming `name`.field) for an impossible geometry.
class L1Cache {
 public:
  L1Cache(const L1Config& cfg, std::string_view name) : cfg_(cfg), cache_(cfg.geometry, name) {}
  /// A load (or instruction fetch) of the line holding `addr`: hit, or miss with a line fill
  /// (and a write-back when the victim is dirty).
  L1Outcome read(Addr addr) {
    L1Outcome o;
    if (cache_.probe(addr)) {
      o.hit = true;
      return o;
    }
    fill(addr, o);
    return o;
  }
  /// The common case of read(), inline: true when `addr`'s line is found by the tag store's
  /// fast checks (Cache::probe_hit), counted as a hit (read() would return just `hit`); false
  /// with no effect: call read().
  [[gnu::always_inline]] bool read_hit(Addr addr) { return cache_.probe_hit(addr); }
  /// Index of the line the last read() or write() hit or filled (Cache::last_line_index).
  std::uint32_t last_line_index() const { return cache_.last_line_index(); }
  /// Changes whenever a line is filled or the cache invalidated (Cache::tag_generation).
  std::uint64_t tag_generation() const { return cache_.tag_generation(); }
  /// A read that hits the line at `index`, known present: a last_line_index() taken when
  /// tag_generation() was what it still is. read()'s effect on that hit (Cache::rehit).
  void rehit(std::uint32_t index) { cache_.rehit(index); }
  /// A store to `addr`. Write-back: a hit dirties the line; a miss allocates (fill, then dirty)
  /// when write_allocate, else writes to the next level. Write-through: the store always goes to
  /// the next level; a miss allocates the line only when write_allocate.
  L1Outcome write(Addr addr) {
    L1Outcome o;
    const bool wb = cfg_.write_policy == WritePolicy::write_back;
    if (cache_.probe(addr)) {
      o.hit = true;
      if (wb) cache_.mark_dirty();
    } else if (cfg_.write_allocate) {
      fill(addr, o);
      if (wb) cache_.mark_dirty();
    }
    if (!wb || (!o.hit && !cfg_.write_allocate)) {
      o.memory_write = true;
      ++stats_.memory_writes;
    }
    return o;
  }
  /// Statistics so far (stall_cycles is the caller's to add through add_stall).
  const L1Stats& stats() const {
    stats_.cache = cache_.stats();
    return stats_;
  }
  void add_stall(Cycles c) { stats_.stall_cycles += c; }
  const L1Config& config() const { return cfg_; }
  std::uint32_t line_bytes() const { return cfg_.geometry.line_bytes; }
  /// Tag state (tests: replacement order).
  bool contains(Addr addr) const { return cache_.contains(addr); }

 private:
  void fill(Addr addr, L1Outcome& o) {
    cache_.fill(addr);
    o.line_fill = true;
    ++stats_.line_fills;
    o.writeback = cache_.last_fill_wrote_back();
    if (o.writeback) o.writeback_addr = cache_.last_writeback_addr();
  }
  L1Config cfg_;
  Cache cache_;
  mutable L1Stats stats_;
};

}  // namespace mcusim::mem
