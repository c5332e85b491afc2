// Embedded flash behind a flash accelerator (ST ART style): wait states, a read port of
// read_width_bytes, an instruction prefetch buffer, and small instruction and data caches.
// Timing semantics are documented in docs/models/flash.md.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "mcusim/mem/cache.h"
#include "mcusim/base/units.h"

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
  /// One cache for instructions and data (e.g. the RP2040 XIP cache): data reads look up and fill
  /// the I-cache (its statistics count both sides); the dcache settings are unused.
  bool unified_cache = false;
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
  // Additions (not in the original interface):
  std::uint64_t demand_reads = 0;       ///< I-side array reads started by a miss (not prefetch)
  // Note: with the I-cache enabled one I-side transfer is a whole I-cache line and counts
  // line_bytes / read_width_bytes in array_reads, prefetch_reads and demand_reads.
  std::uint64_t data_array_reads = 0;   ///< D-side array reads (D-cache misses / disabled)
  std::uint64_t prefetch_abandoned = 0; ///< prefetched units dropped by a demand miss elsewhere
  std::uint64_t burst_reads = 0;        ///< array reads made for line fills of a core L1 cache
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
  /// the core waits for instructions beyond the block's static cycles. Units must be given in
  /// program order with non-decreasing need_offset.
  Cycles fetch_block(std::span<const FetchUnit> units, Cycles now);
  /// A data read of `size_bytes` at `addr` issued at core cycle `now`; returns stall cycles
  /// (wait states the D-cache does not hide).
  Cycles data_read(Addr addr, std::uint32_t size_bytes, Cycles now);
  /// A line fill for a core-side L1 cache (Cortex-M7 AXIM): `bytes` from `addr` (aligned to the
  /// line) read as consecutive array reads of read_width_bytes, WS + 1 cycles each, bypassing
  /// the accelerator's caches and prefetch. Returns the cycles from `now` until the whole line has
  /// arrived (the port may still be busy with an earlier read).
  Cycles burst_read(Addr addr, std::uint32_t bytes, Cycles now);
  const FlashStats& stats() const;
  const FlashConfig& config() const { return cfg_; }
  /// Bytes of one instruction-side transfer (an I-cache line when the I-cache is enabled, else a
  /// read unit). Consecutive fetch units of one transfer behave as one (the second is served by
  /// the current buffer or the same cache line), so callers may pass one FetchUnit per transfer.
  std::uint32_t ifetch_granule_bytes() const { return iline_bytes_; }

  // --- Additions: run-time FLASH_ACR changes and reset (keep the state machine consistent). ---
  /// Back to the state after construction: caches and buffers empty, port idle, stats zero.
  void reset();
  void set_wait_states(std::uint32_t ws);   ///< FLASH_ACR.LATENCY
  void set_prefetch(bool on);               ///< FLASH_ACR.PRFTEN (off drops the prefetch buffer)
  void set_icache_enabled(bool on);         ///< FLASH_ACR.ICEN (contents kept while disabled)
  void set_dcache_enabled(bool on);         ///< FLASH_ACR.DCEN
  void reset_icache() { icache_.invalidate_all(); }  ///< FLASH_ACR.ICRST
  void reset_dcache() { dcache_.invalidate_all(); }  ///< FLASH_ACR.DCRST
  const Cache& icache() const { return icache_; }    ///< tag state, for tests and reports
  const Cache& dcache() const { return dcache_; }

 private:
  static constexpr Addr kNoUnit = 1;  // never a unit address (units are >= 4-byte aligned)
  struct Busy {
    Cycles start = 0, end = 0;  // array port busy over [start, end)
  };
  static const FlashConfig& validated(const FlashConfig& cfg);
  void record(Cycles start, Cycles end) {
    busy_[busy_head_] = {start, end};
    busy_head_ = (busy_head_ + 1) & (busy_.size() - 1);
  }
  Cycles data_port_start(Cycles t) const;
  void start_prefetch(Addr next, Cycles at);

  FlashConfig cfg_;
  mutable FlashStats stats_;
  Cache icache_;
  Cache dcache_;
  void update_iline();

  Addr unit_mask_ = 0;          // ~(read_width_bytes - 1): D-side read unit
  std::uint32_t iline_bytes_ = 0;      // I-side transfer: icache line if enabled, else read unit
  Addr iline_mask_ = 0;
  std::uint32_t ireads_per_line_ = 1;  // array reads counted per I-side transfer
  Cycles read_cycles_ = 1;      // WS + 1
  Addr cur_unit_ = kNoUnit;     // current-read buffer: unit last delivered by the array to I-side
  Addr pf_unit_ = kNoUnit;      // prefetch buffer (valid when != kNoUnit)
  Cycles pf_ready_ = 0;         // cycle boundary at which the prefetched unit is available
  Cycles pf_start_ = 0;         // boundary at which the prefetch read started
  Cycles pf_port_before_ = 0;   // port_free_ before the prefetch was reserved (for cancelling)
  std::size_t pf_slot_ = 0;     // its entry in busy_
  Cycles port_free_ = 0;        // latest end of any scheduled array read
  std::array<Busy, 8> busy_{};  // recent port reservations, for data reads issued "in the past"
  std::size_t busy_head_ = 0;
};

/// Presets (style-anchors principle 9). Construct in one line, override only what a test needs.
/// STM32L4/L4+ ART: 64-bit reads, I-cache 32 lines x 4*64 bits, D-cache 8 lines x 4*64 bits,
/// prefetch on (core-facts D.2).
FlashConfig art_l4(std::uint32_t wait_states);
/// STM32F4 ART: 128-bit reads, I-cache 64 lines x 128 bits, D-cache 8 lines x 128 bits,
/// prefetch on (core-facts D.1).
FlashConfig art_f4(std::uint32_t wait_states);
/// Flash with no accelerator: no prefetch, no caches.
FlashConfig plain_flash(std::uint32_t wait_states, std::uint32_t read_width_bytes);

/// Fluent overrides on top of a preset: FlashBuilder(art_l4(5)).prefetch(false).build().
class FlashBuilder {
 public:
  explicit FlashBuilder(const FlashConfig& preset) : cfg_(preset) {}
  FlashBuilder& wait_states(std::uint32_t ws) { cfg_.wait_states = ws; return *this; }
  FlashBuilder& read_width(std::uint32_t bytes) { cfg_.read_width_bytes = bytes; return *this; }
  FlashBuilder& prefetch(bool on) { cfg_.prefetch = on; return *this; }
  FlashBuilder& icache(bool on) { cfg_.icache_enabled = on; return *this; }
  FlashBuilder& dcache(bool on) { cfg_.dcache_enabled = on; return *this; }
  FlashBuilder& icache_geometry(const CacheConfig& c) { cfg_.icache = c; return *this; }
  FlashBuilder& dcache_geometry(const CacheConfig& c) { cfg_.dcache = c; return *this; }
  FlashBuilder& region(Addr base, std::uint32_t size_bytes) {
    cfg_.base = base;
    cfg_.size_bytes = size_bytes;
    return *this;
  }
  const FlashConfig& config() const { return cfg_; }
  Flash build() const { return Flash(cfg_); }

 private:
  FlashConfig cfg_;
};

}  // namespace mcusim::mem
