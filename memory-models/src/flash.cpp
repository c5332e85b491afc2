// Embedded flash + ST ART-style accelerator. Timing semantics: docs/models/flash.md.
//
// Time convention: times are cycle boundaries. A unit "needed at t" (t = the core cycle that
// issues the fetch) is due at boundary t + 1, which is when a zero-wait-state access would
// deliver it; that one base cycle belongs to the core's static timing. An array read started at
// boundary s occupies the port for WS + 1 cycles and delivers at s + WS + 1. Stall = delivery -
// due when positive, so a demand miss with an idle port costs exactly WS and WS = 0 costs 0.
#include "mcusim/mem/flash.h"

#include <algorithm>
#include <bit>
#include <string>

namespace mcusim::mem {

namespace {

[[noreturn]] void fail(std::string_view field, const std::string& what) {
  throw ConfigError("flash." + std::string(field) + ": " + what);
}

std::string hex(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), digits[v & 15]);
    v >>= 4;
  } while (v);
  return "0x" + s;
}

}  // namespace

const FlashConfig& Flash::validated(const FlashConfig& cfg) {
  if (!std::has_single_bit(cfg.read_width_bytes) || cfg.read_width_bytes < 4)
    fail("read_width_bytes",
         std::to_string(cfg.read_width_bytes) + " must be a power of two of at least 4");
  if (cfg.size_bytes == 0) fail("size_bytes", "0, must be positive");
  if (static_cast<std::uint64_t>(cfg.base) + cfg.size_bytes > (1ull << 32))
    fail("size_bytes", std::to_string(cfg.size_bytes) + " from base " + hex(cfg.base) +
                           " exceeds the 32-bit address space");
  if (cfg.base & (cfg.read_width_bytes - 1))
    fail("base", hex(cfg.base) + " is not aligned to read_width_bytes " +
                     std::to_string(cfg.read_width_bytes));
  // A cache line holds whole read units (ART lines are 4 read units on L4, 1 on F4).
  if (cfg.icache.line_bytes < cfg.read_width_bytes)
    throw ConfigError("icache.line_bytes: " + std::to_string(cfg.icache.line_bytes) +
                      " is smaller than flash.read_width_bytes " +
                      std::to_string(cfg.read_width_bytes));
  if (cfg.dcache.line_bytes < cfg.read_width_bytes)
    throw ConfigError("dcache.line_bytes: " + std::to_string(cfg.dcache.line_bytes) +
                      " is smaller than flash.read_width_bytes " +
                      std::to_string(cfg.read_width_bytes));
  return cfg;
}

Flash::Flash(const FlashConfig& cfg)
    : cfg_(validated(cfg)), icache_(cfg.icache, "icache"), dcache_(cfg.dcache, "dcache") {
  unit_mask_ = ~(cfg_.read_width_bytes - 1);
  read_cycles_ = Cycles{cfg_.wait_states} + 1;
  update_iline();
}

void Flash::update_iline() {
  // With the I-cache on, the I-side buffers and transfers work on whole I-cache lines (ART
  // "instruction lines"); a line transfer is timed as one access of WS + 1 cycles (see flash.md).
  iline_bytes_ = cfg_.icache_enabled ? cfg_.icache.line_bytes : cfg_.read_width_bytes;
  iline_mask_ = ~(iline_bytes_ - 1);
  ireads_per_line_ = iline_bytes_ / cfg_.read_width_bytes;
  cur_unit_ = kNoUnit;
  pf_unit_ = kNoUnit;
}

void Flash::start_prefetch(Addr next, Cycles at) {
  // Sequential prefetch of the next read unit, unless it is outside the flash or already cached.
  if (!contains(next)) return;
  if (cfg_.icache_enabled && icache_.contains(next)) return;
  const Cycles start = std::max(at, port_free_);
  pf_port_before_ = port_free_;
  pf_start_ = start;
  pf_ready_ = start + read_cycles_;
  port_free_ = pf_ready_;
  pf_unit_ = next;
  pf_slot_ = busy_head_;
  record(start, pf_ready_);
  stats_.array_reads += ireads_per_line_;
  stats_.prefetch_reads += ireads_per_line_;
}

Cycles Flash::fetch_block(std::span<const FetchUnit> units, Cycles now) {
  Cycles stall = 0;
  for (const FetchUnit& u : units) {
    const Addr a = u.addr & iline_mask_;  // I-side line: a read unit, or an I-cache line
    // (a) current-read buffer: ready when needed.
    if (a == cur_unit_) {
      ++stats_.ifetch_buffer_hits;
      continue;
    }
    // (b) I-cache: ready when needed.
    if (cfg_.icache_enabled && icache_.probe(a)) continue;
    const Cycles due = now + stall + u.need_offset + 1;
    Cycles ready;
    if (a == pf_unit_) {
      // (c) prefetch buffer: ready when both needed and arrived. Not allocated in the I-cache.
      ready = std::max(due, pf_ready_);
      ++stats_.ifetch_buffer_hits;
      ++stats_.prefetch_hits;
      pf_unit_ = kNoUnit;
    } else {
      // (d) demand read at t = due - 1. A prefetch of another unit is abandoned: if it is still in
      // flight at t (and is the latest port reservation) it is cancelled and frees the port.
      const Cycles t = due - 1;
      if (pf_unit_ != kNoUnit) {
        ++stats_.prefetch_abandoned;
        if (pf_ready_ > t && port_free_ == pf_ready_) {
          port_free_ = pf_port_before_;
          Busy& b = busy_[pf_slot_];
          if (b.start == pf_start_ && b.end == pf_ready_) b.end = std::max(pf_start_, t);
        }
        pf_unit_ = kNoUnit;
      }
      const Cycles start = std::max(t, port_free_);
      ready = start + read_cycles_;
      port_free_ = ready;
      record(start, ready);
      stats_.array_reads += ireads_per_line_;
      stats_.demand_reads += ireads_per_line_;
      if (cfg_.icache_enabled) icache_.fill(a);  // whole line, considered fully valid
    }
    cur_unit_ = a;
    if (ready > due) stall += ready - due;
    if (cfg_.prefetch) start_prefetch(a + iline_bytes_, ready);
  }
  stats_.ifetch_units += units.size();
  stats_.ifetch_stall_cycles += stall;
  return stall;
}

Cycles Flash::data_port_start(Cycles t) const {
  // Data (D-code) requests win arbitration against I-code requests issued later, but cannot
  // interrupt an array read already in progress at t. The port reservations in busy_ may lie in
  // the future of t because fetch_block schedules a whole block ahead of the loads inside it.
  Cycles s = t;
  for (bool moved = true; moved;) {
    moved = false;
    for (const Busy& b : busy_) {
      if (b.start <= s && s < b.end) {
        s = b.end;
        moved = true;
      }
    }
  }
  return s;
}

Cycles Flash::data_read(Addr addr, std::uint32_t size_bytes, Cycles now) {
  ++stats_.data_reads;
  stats_.data_read_bytes += size_bytes;
  const Addr first = addr & unit_mask_;
  const Addr last = (addr + (size_bytes ? size_bytes - 1 : 0)) & unit_mask_;
  // A unified cache (XIP) serves data from the I-cache.
  Cache& dcache = cfg_.unified_cache ? icache_ : dcache_;
  const bool dcache_on = cfg_.unified_cache ? cfg_.icache_enabled : cfg_.dcache_enabled;
  if (first == last && dcache_on) [[likely]] {
    // One read unit behind the D-cache (most loads): the loop below, unrolled for its one turn.
    if (dcache.probe(first)) return 0;  // hit: ready when needed
    // 0 wait states: no wait for an instruction fetch (as in the loop below).
    const Cycles start = cfg_.wait_states == 0 ? now : data_port_start(now);
    const Cycles ready = start + read_cycles_;
    const Cycles stall = ready - (now + 1);
    port_free_ = std::max(port_free_, ready);
    record(start, ready);
    ++stats_.array_reads;
    ++stats_.data_array_reads;
    dcache.fill(first);
    stats_.data_stall_cycles += stall;
    return stall;
  }
  const std::uint32_t dline_shift =
      static_cast<std::uint32_t>(std::countr_zero(dcache.config().line_bytes));
  constexpr std::uint64_t kNoLine = ~0ull;
  std::uint64_t filled_line = kNoLine;  // line allocated earlier in this same access
  Cycles stall = 0;
  Cycles t = now;  // cycle the core issues the current bus access
  for (Addr a = first;; a += cfg_.read_width_bytes) {
    const std::uint64_t line = a >> dline_shift;
    const bool hit = dcache_on && line != filled_line && dcache.probe(a);
    if (hit) {
      t += 1;
    } else {
      // At 0 wait states the array delivers a read unit every cycle and the core's own timing of
      // the load (e.g. Cortex-M0+ TRM LDR = 2 cycles on its single AHB-Lite master: the data
      // phase is one of them) already includes the bus cycle: the read never waits for an
      // instruction fetch (docs/models/flash.md, "Time convention").
      const Cycles start = cfg_.wait_states == 0 ? t : data_port_start(t);
      const Cycles ready = start + read_cycles_;
      stall += ready - (t + 1);
      port_free_ = std::max(port_free_, ready);
      record(start, ready);
      ++stats_.array_reads;
      ++stats_.data_array_reads;
      if (dcache_on && line != filled_line) {
        dcache.fill(a);
        filled_line = line;
      }
      t = ready;
    }
    if (a == last) break;
  }
  stats_.data_stall_cycles += stall;
  return stall;
}

Cycles Flash::burst_read(Addr addr, std::uint32_t bytes, Cycles now) {
  const std::uint32_t reads = std::max<std::uint32_t>(1, bytes / cfg_.read_width_bytes);
  const Cycles start = std::max(now, port_free_);
  const Cycles ready = start + read_cycles_ * reads;
  port_free_ = ready;
  record(start, ready);
  stats_.array_reads += reads;
  stats_.burst_reads += reads;
  (void)addr;  // the array has no address-dependent timing (no banks modelled)
  return ready - now;
}

const FlashStats& Flash::stats() const {
  stats_.icache = icache_.stats();
  stats_.dcache = dcache_.stats();
  return stats_;
}

void Flash::reset() {
  icache_.reset();
  dcache_.reset();
  stats_ = {};
  cur_unit_ = kNoUnit;
  pf_unit_ = kNoUnit;
  pf_ready_ = 0;
  pf_start_ = 0;
  pf_port_before_ = 0;
  pf_slot_ = 0;
  port_free_ = 0;
  busy_ = {};
  busy_head_ = 0;
}

void Flash::set_wait_states(std::uint32_t ws) {
  cfg_.wait_states = ws;
  read_cycles_ = Cycles{ws} + 1;
}

void Flash::set_prefetch(bool on) {
  cfg_.prefetch = on;
  if (!on) pf_unit_ = kNoUnit;
}

void Flash::set_icache_enabled(bool on) {
  if (on == cfg_.icache_enabled) return;
  cfg_.icache_enabled = on;
  update_iline();  // I-side granularity changes: drop the buffers
}
void Flash::set_dcache_enabled(bool on) { cfg_.dcache_enabled = on; }

// ---- presets ----

FlashConfig art_l4(std::uint32_t wait_states) {
  FlashConfig c;
  c.wait_states = wait_states;
  c.read_width_bytes = 8;                               // 64-bit flash access (72-bit with ECC)
  c.prefetch = true;
  c.icache_enabled = true;
  c.icache = {32 * 32, 32, 32, Replacement::lru, 1};    // 32 lines of 4*64 bits
  c.dcache_enabled = true;
  c.dcache = {8 * 32, 32, 8, Replacement::lru, 1};      // 8 lines of 4*64 bits
  return c;
}

FlashConfig art_f4(std::uint32_t wait_states) {
  FlashConfig c;
  c.wait_states = wait_states;
  c.read_width_bytes = 16;                              // 128-bit flash line
  c.prefetch = true;
  c.icache_enabled = true;
  c.icache = {64 * 16, 16, 64, Replacement::lru, 1};    // 64 lines of 128 bits
  c.dcache_enabled = true;
  c.dcache = {8 * 16, 16, 8, Replacement::lru, 1};      // 8 lines of 128 bits
  return c;
}

FlashConfig plain_flash(std::uint32_t wait_states, std::uint32_t read_width_bytes) {
  FlashConfig c;
  c.wait_states = wait_states;
  c.read_width_bytes = read_width_bytes;
  c.prefetch = false;
  c.icache_enabled = false;
  c.dcache_enabled = false;
  // Geometry kept valid (and >= the read width) so enabling a cache later works.
  const std::uint32_t line = read_width_bytes > 32 ? read_width_bytes : 32;
  c.icache = {line * 32, line, 32, Replacement::lru, 1};
  c.dcache = {line * 8, line, 8, Replacement::lru, 1};
  return c;
}

}  // namespace mcusim::mem
