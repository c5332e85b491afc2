// Embedded flash behind a flash accelerator (ST ART style): wait states, a read port of
// read_width_bytes, an instruction prefetch buffer, and small instruction and data caches.
// Timing semantics are documented in docs/models/flash.md.
#pragma once
#include <cstdint>
#include <optional>
#include <span>

#include "mcusim/mem/cache.h"
#include "mcusim/units.h"

namespace mcusim::mem {

struct FlashConfig {
  Addr base = 0x08000000;
  std::uint32_t size_bytes = 2u << 20;
  std::uint32_t wait_states = 0;         ///< WS: one array read takes WS + 1 core cycles
  std::uint32_t read_width_bytes = 8;    ///< bytes delivered by one array read (64-bit on L4)
  bool prefetch = true;                  ///< I-code prefetch of the next sequential read unit
  bool icache_enabled = true;
  CacheConfig icache{1024, 32, 32, Replacement::lru, 1};
  bool dcache_enabled = true;
  CacheConfig dcache{256, 32, 8, Replacement::lru, 1};
};

struct FlashStats {
  std::uint64_t array_reads = 0;        ///< flash array reads (each read_width_bytes)
  std::uint64_t ifetch_units = 0;       ///< read units requested by instruction fetch
  std::uint64_t ifetch_buffer_hits = 0; ///< served by the current-read buffer or prefetch buffer
  std::uint64_t prefetch_hits = 0;      ///< of which served by a prefetch
  std::uint64_t prefetch_reads = 0;     ///< array reads started by the prefetcher
  CacheStats icache;
  CacheStats dcache;
  std::uint64_t data_reads = 0;         ///< data (D-code) read accesses
  Bytes data_read_bytes = 0;
  Cycles ifetch_stall_cycles = 0;
  Cycles data_stall_cycles = 0;
};

/// One read unit an instruction-fetch needs: its address (aligned to read_width_bytes) and the
/// static cycle offset from the block start at which the core first needs it.
struct FetchUnit {
  Addr addr = 0;
  std::uint32_t need_offset = 0;
};

class Flash {
 public:
  /// Throws ConfigError naming the field when the configuration is impossible.
  explicit Flash(const FlashConfig& cfg);
  bool contains(Addr a) const { return a - cfg_.base < cfg_.size_bytes; }
  /// Instruction fetch for one basic block entered at core cycle `now`. Returns the stall cycles
  /// the core waits for instructions beyond the block's static cycles.
  Cycles fetch_block(std::span<const FetchUnit> units, Cycles now);
  /// A data read of `size_bytes` at `addr` issued at core cycle `now`; returns stall cycles
  /// (wait states the D-cache does not hide).
  Cycles data_read(Addr addr, std::uint32_t size_bytes, Cycles now);
  const FlashStats& stats() const;
  const FlashConfig& config() const { return cfg_; }

 private:
  FlashConfig cfg_;
  mutable FlashStats stats_;
  // implementation-defined state follows (caches, buffers, port occupancy)
};

}  // namespace mcusim::mem
