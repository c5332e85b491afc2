// Set-associative tag store. See docs/models/cache.md.
#include "mcusim/mem/cache.h"

#include <algorithm>
#include <bit>
#include <string>

namespace mcusim::mem {

namespace {

std::uint64_t seed_of(std::uint64_t seed) {
  // xorshift64* has an all-zero fixed point; replace a zero seed by a fixed odd constant.
  return seed ? seed : 0x9E3779B97F4A7C15ull;
}

[[noreturn]] void fail(std::string_view name, std::string_view field, const std::string& what) {
  throw ConfigError(std::string(name) + "." + std::string(field) + ": " + what);
}

}  // namespace

Cache::Cache(const CacheConfig& cfg) : Cache(cfg, "cache") {}

Cache::Cache(const CacheConfig& cfg, std::string_view name) : cfg_(cfg) {
  if (!std::has_single_bit(cfg.line_bytes))
    fail(name, "line_bytes", std::to_string(cfg.line_bytes) + " is not a power of two");
  if (cfg.size_bytes == 0 || cfg.size_bytes % cfg.line_bytes != 0)
    fail(name, "size_bytes",
         std::to_string(cfg.size_bytes) + " is not a positive multiple of line_bytes " +
             std::to_string(cfg.line_bytes));
  const std::uint32_t lines = cfg.size_bytes / cfg.line_bytes;
  if (cfg.ways == 0) fail(name, "ways", "0, must be at least 1");
  if (lines % cfg.ways != 0)
    fail(name, "ways",
         std::to_string(cfg.ways) + " does not divide " + std::to_string(lines) + " lines");
  const std::uint32_t sets = lines / cfg.ways;
  if (!std::has_single_bit(sets))
    fail(name, "ways",
         std::to_string(cfg.ways) + " gives " + std::to_string(sets) + " sets (" +
             std::to_string(lines) + " lines), which is not a power of two");
  sets_ = sets;
  ways_ = cfg.ways;
  line_shift_ = static_cast<std::uint32_t>(std::countr_zero(cfg.line_bytes));
  set_mask_ = sets - 1;
  tags_.assign(static_cast<std::size_t>(lines), 0);
  stamp_.assign(static_cast<std::size_t>(lines), 0);
  dirty_.assign(static_cast<std::size_t>(lines), 0);
  rng_ = seed_of(cfg.random_seed);
  // Hint table: 2 entries per line, power of two, indexed by the low line-number bits.
  const std::uint32_t hints = std::bit_ceil(2 * lines);
  hint_.assign(hints, 0);
  hint_mask_ = hints - 1;
}

bool Cache::probe_slow(std::uint64_t line, std::uint64_t key) {
  const std::uint32_t base = (static_cast<std::uint32_t>(line) & set_mask_) * ways_;
  // Way-prediction hint (a guess only, never trusted without the tag compare): avoids scanning
  // all ways of a highly associative cache on the common hit.
  std::uint32_t& hint = hint_[static_cast<std::uint32_t>(line) & hint_mask_];
  if (tags_[hint] == key) {
    mru_ = hint;
    touch(mru_);
    ++stats_.hits;
    return true;
  }
  const std::uint64_t* t = tags_.data() + base;
  for (std::uint32_t w = 0; w < ways_; ++w) {
    if (t[w] == key) {
      mru_ = base + w;
      hint = base + w;
      touch(mru_);
      ++stats_.hits;
      return true;
    }
  }
  ++stats_.misses;
  return false;
}

void Cache::fill(Addr addr) {
  last_wrote_back_ = false;
  const std::uint64_t line = addr >> line_shift_;
  const std::uint64_t key = key_of(line);
  const std::uint32_t base = (static_cast<std::uint32_t>(line) & set_mask_) * ways_;
  for (std::uint32_t w = 0; w < ways_; ++w) {
    if (tags_[base + w] == key) {
      mru_ = base + w;
      touch(mru_);
      return;
    }
  }
  install(base, key);
}

std::uint32_t Cache::victim(std::uint32_t base) {
  if (cfg_.replacement == Replacement::random) {
    for (std::uint32_t w = 0; w < ways_; ++w)
      if (tags_[base + w] == 0) return base + w;  // fill invalid ways first
    // xorshift64* (Vigna 2016); way = high 32 bits scaled by ways (multiply-shift, no division).
    rng_ ^= rng_ >> 12;
    rng_ ^= rng_ << 25;
    rng_ ^= rng_ >> 27;
    const std::uint64_t r = (rng_ * 0x2545F4914F6CDD1Dull) >> 32;
    return base + static_cast<std::uint32_t>((r * ways_) >> 32);
  }
  // LRU and FIFO: smallest stamp; invalid ways have stamp 0 and win, lowest index first.
  std::uint32_t v = base;
  std::uint64_t best = stamp_[base];
  for (std::uint32_t w = 1; w < ways_; ++w) {
    if (stamp_[base + w] < best) {
      best = stamp_[base + w];
      v = base + w;
    }
  }
  return v;
}

void Cache::install(std::uint32_t base, std::uint64_t key) {
  const std::uint32_t v = victim(base);
  if (tags_[v] != 0) ++stats_.evictions;
  if (dirty_[v]) {
    ++stats_.writebacks;
    last_wrote_back_ = true;
    last_wb_addr_ = static_cast<Addr>((tags_[v] >> 1) << line_shift_);
    dirty_[v] = 0;
  }
  tags_[v] = key;
  ++tag_generation_;
  stamp_[v] = ++clock_;
  mru_ = v;
  hint_[static_cast<std::uint32_t>(key >> 1) & hint_mask_] = v;
}

bool Cache::contains(Addr addr) const {
  const std::uint64_t line = addr >> line_shift_;
  const std::uint64_t key = key_of(line);
  const std::uint32_t base = (static_cast<std::uint32_t>(line) & set_mask_) * ways_;
  for (std::uint32_t w = 0; w < ways_; ++w)
    if (tags_[base + w] == key) return true;
  return false;
}

void Cache::invalidate_all() {
  std::fill(tags_.begin(), tags_.end(), 0);
  std::fill(stamp_.begin(), stamp_.end(), 0);
  std::fill(dirty_.begin(), dirty_.end(), 0);
  mru_ = 0;
  ++tag_generation_;
}

void Cache::reset() {
  invalidate_all();
  stats_ = {};
  clock_ = 0;
  rng_ = seed_of(cfg_.random_seed);
}

}  // namespace mcusim::mem
