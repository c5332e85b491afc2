// Page-granular lookup of the memory region holding an address (issue 16): the run loop's memory
// hook classifies every data access as flash, one of the board's [[sram]] regions, or anything
// else (device registers, unmapped), and the block decode classifies each block's code. A linear
// scan over the regions did this before; the table gives the same answer with two loads.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim {

/// Where an address lies, by the run loop's precedence (RunLoop::on_mem): the flash window first
/// (Flash::contains, whether or not the board maps flash), then the first [[sram]] region in board
/// order that contains it (regions never overlap: board.cpp checks), else neither.
/// Built once per simulation from the region bounds; never changes afterwards.
class RegionTable {
 public:
  /// Code of an address outside the flash and every SRAM region (devices, unmapped).
  static constexpr std::uint8_t kOther = 0;
  /// Code of an address inside the flash window.
  static constexpr std::uint8_t kFlash = 1;
  /// Code of SRAM region 0; region i has kRam0 + i (for i < kMaxTabledRegions).
  static constexpr std::uint8_t kRam0 = 3;
  /// Code of an SRAM region beyond the first kMaxTabledRegions: find it with ram_index().
  static constexpr std::uint8_t kScan = 2;
  /// Regions beyond this many are still found, by the linear scan (no board comes close).
  static constexpr std::size_t kMaxTabledRegions = 250;

  /// One region: [base, base + size) in bytes (size may be 0: contains nothing).
  struct Range {
    Addr base = 0;
    std::uint32_t size = 0;
    bool contains(Addr a) const { return a - base < size; }
  };

  RegionTable() = default;
  /// `flash`: the flash window; `rams`: the SRAM regions in board order.
  RegionTable(Range flash, std::vector<Range> rams) : flash_(flash), rams_(std::move(rams)) {
    build();
  }

  /// The region code of `a`: kOther, kFlash, kRam0 + index into the SRAM regions, or kScan (an
  /// SRAM region past the first kMaxTabledRegions).
  std::uint8_t code(Addr a) const {
    const std::uint8_t c = page_code(a);
    return c == kSplitPage ? linear(a) : c;
  }

  /// Code of a page that a region boundary splits: page_code() leaves it to linear().
  static constexpr std::uint8_t kSplitPage = 255;
  /// The table entry of `a`'s 1 KiB page: code(a), or kSplitPage where only linear(a) knows (the
  /// memory hook's fast path, which resolves that case out of line).
  std::uint8_t page_code(Addr a) const {
    const std::uint16_t t = top_[a >> kChunkShift];
    return t < kLeafBase ? static_cast<std::uint8_t>(t)
                         : leaves_[t - kLeafBase][(a >> kPageShift) & (kPagesPerChunk - 1)];
  }

  /// The same answer by a scan over the regions: the reference the table is built from (and
  /// tested against), and the answer in the rare pages a region boundary splits.
  std::uint8_t linear(Addr a) const {
    if (flash_.contains(a)) return kFlash;
    for (std::size_t i = 0; i < rams_.size(); ++i)
      if (rams_[i].contains(a))
        return i < kMaxTabledRegions ? static_cast<std::uint8_t>(kRam0 + i) : kScan;
    return kOther;
  }

  /// Index into the SRAM regions for `a`, or -1 when it lies in none of them or in the flash
  /// window (the flash window takes precedence, as in the memory hook).
  int ram_index(Addr a) const {
    const std::uint8_t c = code(a);
    if (c >= kRam0) return c - kRam0;
    if (c == kScan)  // more regions than the table codes: scan
      for (std::size_t i = 0; i < rams_.size(); ++i)
        if (rams_[i].contains(a)) return static_cast<int>(i);
    return -1;
  }

 private:
  static constexpr unsigned kPageShift = 10;   // 1 KiB pages: Unicorn's smallest page (Arm)
  static constexpr unsigned kChunkShift = 20;  // 1 MiB chunks: 4096 top-level entries
  static constexpr std::uint32_t kPagesPerChunk = 1u << (kChunkShift - kPageShift);
  static constexpr std::uint16_t kLeafBase = 256;  // top entries >= this index leaves_

  // True when a region boundary lies strictly inside [lo, lo + len).
  bool split(std::uint64_t lo, std::uint64_t len) const {
    for (std::uint64_t b : bounds_)
      if (b > lo && b < lo + len) return true;
    return false;
  }

  void build() {
    auto add = [&](const Range& r) {
      if (!r.size) return;
      bounds_.push_back(r.base);
      bounds_.push_back(std::uint64_t{r.base} + r.size);
    };
    add(flash_);
    for (auto& r : rams_) add(r);
    for (std::uint64_t c = 0; c < top_.size(); ++c) {
      const std::uint64_t lo = c << kChunkShift;
      if (!split(lo, std::uint64_t{1} << kChunkShift)) {
        top_[c] = linear(static_cast<Addr>(lo));
        continue;
      }
      std::array<std::uint8_t, kPagesPerChunk> leaf{};
      for (std::uint32_t p = 0; p < kPagesPerChunk; ++p) {
        const std::uint64_t plo = lo + (std::uint64_t{p} << kPageShift);
        leaf[p] =
            split(plo, std::uint64_t{1} << kPageShift) ? kSplitPage : linear(static_cast<Addr>(plo));
      }
      top_[c] = static_cast<std::uint16_t>(kLeafBase + leaves_.size());
      leaves_.push_back(leaf);
    }
  }

  Range flash_;
  std::vector<Range> rams_;
  std::vector<std::uint64_t> bounds_;
  std::array<std::uint16_t, std::size_t{1} << (32 - kChunkShift)> top_{};
  std::vector<std::array<std::uint8_t, kPagesPerChunk>> leaves_;
};

}  // namespace mcusim
