// Set-associative cache model (tags only: data lives in the functional emulator).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "mcusim/units.h"

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
};

/// Tag store of a set-associative cache. Throws ConfigError from the constructor.
class Cache {
 public:
  explicit Cache(const CacheConfig& cfg);
  /// Looks up the line holding `addr`; true on a hit (updates LRU state). On a miss allocates the
  /// line, evicting a victim chosen by the replacement policy, and returns false.
  bool access(Addr addr);
  /// True when the line holding `addr` is present; changes no state and no statistics.
  bool contains(Addr addr) const;
  void invalidate_all();
  const CacheStats& stats() const { return stats_; }
  const CacheConfig& config() const { return cfg_; }

 private:
  CacheConfig cfg_;
  CacheStats stats_;
  // implementation-defined members follow
  std::uint32_t sets_ = 0;
  std::uint32_t line_shift_ = 0;
  std::vector<std::uint32_t> tags_;       // sets_ * ways, tag | valid bit
  std::vector<std::uint64_t> stamp_;      // LRU/FIFO stamps
  std::uint64_t clock_ = 0;
  std::uint64_t rng_ = 0;
};

}  // namespace mcusim::mem
