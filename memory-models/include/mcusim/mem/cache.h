// Set-associative cache model (tags only: data lives in the functional emulator).
// Semantics and sources: docs/models/cache.md.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim::mem {

enum class Replacement { lru, fifo, random };

/// Thrown for an impossible cache geometry; the message names the field and the constraint.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Geometry and policy. size_bytes = sets * ways * line_bytes; line_bytes and sets powers of two.
struct CacheConfig {
  std::uint32_t size_bytes = 1024;
  std::uint32_t line_bytes = 32;
  std::uint32_t ways = 1;                  ///< ways == lines gives a fully associative cache
  Replacement replacement = Replacement::lru;
  std::uint64_t random_seed = 1;           ///< seed of the deterministic PRNG for Replacement::random
};

struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;  ///< misses that replaced a valid line
  std::uint64_t writebacks = 0; ///< evictions of dirty lines (write-back caches only)
};

/// Tag store of a set-associative cache. Throws ConfigError from the constructor.
class Cache {
 public:
  explicit Cache(const CacheConfig& cfg);
  /// As above; `name` prefixes the field in ConfigError messages (e.g. "icache.ways: ...").
  Cache(const CacheConfig& cfg, std::string_view name);
  /// Looks up the line holding `addr`; true on a hit (updates LRU state). On a miss allocates the
  /// line, evicting a victim chosen by the replacement policy, and returns false.
  bool access(Addr addr) {
    if (probe(addr)) return true;
    fill(addr);
    return false;
  }
  /// Lookup without allocation: on a hit updates recency and counts a hit; on a miss counts a
  /// miss and changes nothing else. access() == probe() || (fill(), false).
  bool probe(Addr addr) {
    if (probe_hit(addr)) return true;
    const std::uint64_t line = addr >> line_shift_;
    return probe_slow(line, key_of(line));
  }
  /// The inline part of probe(): true, with probe()'s effect on a hit, when the line holding
  /// `addr` is found by the two fast checks (the line of the last hit or fill; the way-prediction
  /// hint); false with no effect otherwise (the line may still be present: call probe()).
  [[gnu::always_inline]] bool probe_hit(Addr addr) {
    const std::uint64_t line = addr >> line_shift_;
    const std::uint64_t key = key_of(line);
    if (tags_[mru_] == key) {  // fast path: same line as the last hit or fill
      // No touch(): the last line hit or filled already holds the newest stamp (every hit and
      // fill stamps the way it sets mru_ to), so a new stamp would not change the LRU order.
      ++stats_.hits;
      return true;
    }
    // Second fast path: the way-prediction hint of the line (probe_slow checks it too).
    const std::uint32_t hint = hint_[static_cast<std::uint32_t>(line) & hint_mask_];
    if (tags_[hint] == key) {
      mru_ = hint;
      touch(mru_);
      ++stats_.hits;
      return true;
    }
    return false;
  }
  /// Index of the line (set * ways + way) of the last hit or fill: for rehit().
  std::uint32_t last_line_index() const { return mru_; }
  /// Changes whenever a line is installed or the cache invalidated (any tag change): while it
  /// stays equal, every line found earlier is still at the same index.
  std::uint64_t tag_generation() const { return tag_generation_; }
  /// A hit on the line at `index` (a last_line_index() taken when tag_generation() was what it
  /// still is, so the line is known present): probe()'s effect on that hit (recency, the hit
  /// count) without the tag lookup. Only the way-prediction hint, a guess, is not updated.
  void rehit(std::uint32_t index) {
    if (index != mru_) {  // the last line hit or filled already holds the newest stamp (probe())
      mru_ = index;
      touch(index);
    }
    ++stats_.hits;
  }
  /// Allocates the line holding `addr` (no hit/miss counted; counts an eviction when a valid line
  /// is replaced). A line already present is only touched (recency updated).
  void fill(Addr addr);
  /// True when the line holding `addr` is present; changes no state and no statistics.
  bool contains(Addr addr) const;
  /// Marks the line of the last hit or fill dirty (write-back caches). Call right after access(),
  /// a probe() hit or fill() of the line written.
  void mark_dirty() { dirty_[mru_] = 1; }
  /// True when the last fill() (or allocating access()) evicted a dirty line, i.e. a line
  /// write-back to the next level (counted in stats().writebacks).
  bool last_fill_wrote_back() const { return last_wrote_back_; }
  /// Address of the first byte of the line the last write-back evicted (valid when
  /// last_fill_wrote_back()).
  Addr last_writeback_addr() const { return last_wb_addr_; }
  void invalidate_all();
  /// Invalidates all lines, zeroes the statistics and reseeds the PRNG: the state after construction.
  void reset();
  const CacheStats& stats() const { return stats_; }
  const CacheConfig& config() const { return cfg_; }
  std::uint32_t sets() const { return sets_; }

 private:
  static std::uint64_t key_of(std::uint64_t line) { return (line << 1) | 1u; }  // 0 = invalid
  void touch(std::uint32_t i) {
    if (cfg_.replacement == Replacement::lru) stamp_[i] = ++clock_;
  }
  bool probe_slow(std::uint64_t line, std::uint64_t key);
  std::uint32_t victim(std::uint32_t base);
  void install(std::uint32_t base, std::uint64_t key);

  CacheConfig cfg_;
  CacheStats stats_;
  std::uint32_t sets_ = 0;
  std::uint32_t ways_ = 0;
  std::uint32_t line_shift_ = 0;
  std::uint32_t set_mask_ = 0;
  std::uint32_t mru_ = 0;                 // index of the last hit/filled way (fast path)
  std::vector<std::uint64_t> tags_;       // sets_ * ways_; (line << 1) | 1, 0 = invalid
  std::vector<std::uint64_t> stamp_;      // LRU: last use; FIFO: insertion; 0 = never
  std::vector<std::uint8_t> dirty_;       // 1 = modified since the fill (write-back)
  bool last_wrote_back_ = false;
  Addr last_wb_addr_ = 0;
  // Way prediction by low line bits (a guess only): the index (set * ways + way) where the
  // line was last found or filled. Its set is the line's (hint_mask_ covers set_mask_).
  std::vector<std::uint32_t> hint_;
  std::uint32_t hint_mask_ = 0;
  std::uint64_t clock_ = 0;
  std::uint64_t rng_ = 0;
  std::uint64_t tag_generation_ = 1;  // tag_generation(); never 0
};

}  // namespace mcusim::mem
