// Unit tests of the tag-only cache. Expected values are derived by hand in the comments.
#include <gtest/gtest.h>

#include <vector>

#include "mcusim/mem/cache.h"

using mcusim::Addr;
using namespace mcusim::mem;

namespace {

std::string error_of(const CacheConfig& c, std::string_view name = "icache") {
  try {
    Cache cache(c, name);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CacheGeometry, ErrorsNameTheField) {
  // 1024 B / 32 B = 32 lines; 3 ways does not divide 32.
  EXPECT_EQ(error_of({1024, 32, 3}), "icache.ways: 3 does not divide 32 lines");
  EXPECT_EQ(error_of({1024, 24, 1}), "icache.line_bytes: 24 is not a power of two");
  EXPECT_EQ(error_of({1024, 0, 1}), "icache.line_bytes: 0 is not a power of two");
  EXPECT_EQ(error_of({1000, 32, 1}),
            "icache.size_bytes: 1000 is not a positive multiple of line_bytes 32");
  EXPECT_EQ(error_of({1024, 32, 0}), "icache.ways: 0, must be at least 1");
  // 96 B / 32 B = 3 lines, 1 way -> 3 sets, not a power of two.
  EXPECT_EQ(error_of({96, 32, 1}),
            "icache.ways: 1 gives 3 sets (3 lines), which is not a power of two");
  // The default name is "cache".
  EXPECT_EQ(error_of({1024, 32, 3}, "cache"), "cache.ways: 3 does not divide 32 lines");
  EXPECT_THROW(Cache(CacheConfig{1024, 32, 3}), ConfigError);
  EXPECT_EQ(error_of({1024, 32, 32}), "");  // fully associative: 1 set
  EXPECT_EQ(Cache(CacheConfig{1024, 32, 4}).sets(), 8u);  // 32 lines / 4 ways
}

// 64 B, 16 B lines, 2 ways -> 4 lines, 2 sets; set = (addr >> 4) & 1.
// A = 0x00, B = 0x20, C = 0x40 all map to set 0.
constexpr Addr A = 0x00, B = 0x20, C = 0x40;

TEST(CacheLru, EvictsLeastRecentlyUsedInTwoWaySet) {
  Cache c({64, 16, 2, Replacement::lru});
  EXPECT_FALSE(c.access(A));  // miss, fills way 0
  EXPECT_FALSE(c.access(B));  // miss, fills way 1
  EXPECT_TRUE(c.access(A));   // hit: A becomes most recent, B is LRU
  EXPECT_FALSE(c.access(C));  // miss: evicts B
  EXPECT_TRUE(c.contains(A));
  EXPECT_FALSE(c.contains(B));
  EXPECT_TRUE(c.contains(C));
  EXPECT_EQ(c.stats().hits, 1u);
  EXPECT_EQ(c.stats().misses, 3u);
  EXPECT_EQ(c.stats().evictions, 1u);
  // The other set (0x10) was never touched.
  EXPECT_FALSE(c.contains(0x10));
}

TEST(CacheFifo, HitDoesNotRefreshSoHitThenMissDiffersFromLru) {
  // Same sequence A, B, A(hit), C: FIFO evicts the oldest insertion (A), LRU evicts B.
  Cache fifo({64, 16, 2, Replacement::fifo});
  Cache lru({64, 16, 2, Replacement::lru});
  for (Cache* c : {&fifo, &lru}) {
    c->access(A);
    c->access(B);
    EXPECT_TRUE(c->access(A));
    EXPECT_FALSE(c->access(C));
  }
  EXPECT_FALSE(fifo.contains(A));
  EXPECT_TRUE(fifo.contains(B));
  EXPECT_TRUE(lru.contains(A));
  EXPECT_FALSE(lru.contains(B));
  // A again: miss under FIFO, hit under LRU.
  EXPECT_FALSE(fifo.access(A));
  EXPECT_TRUE(lru.access(A));
}

TEST(CacheRandom, DeterministicForASeedAndFillsInvalidWaysFirst) {
  const CacheConfig cfg{64, 16, 4, Replacement::random, 42};  // 4 lines, fully associative
  Cache c1(cfg), c2(cfg);
  // Four distinct lines fill the four invalid ways: no eviction yet.
  for (Addr a : {0x000u, 0x100u, 0x200u, 0x300u}) {
    EXPECT_FALSE(c1.access(a));
    c2.access(a);
  }
  EXPECT_EQ(c1.stats().evictions, 0u);
  // A fifth line evicts exactly one of the four.
  EXPECT_FALSE(c1.access(0x400));
  c2.access(0x400);
  int resident = 0;
  for (Addr a : {0x000u, 0x100u, 0x200u, 0x300u}) resident += c1.contains(a);
  EXPECT_EQ(resident, 3);
  // Same seed, same sequence -> identical hit/miss sequence.
  std::vector<bool> h1, h2;
  for (int i = 0; i < 200; ++i) {
    const Addr a = static_cast<Addr>((i * 7 % 9) << 8);  // 9 lines cycling through 4 ways
    h1.push_back(c1.access(a));
    h2.push_back(c2.access(a));
  }
  EXPECT_EQ(h1, h2);
  EXPECT_EQ(c1.stats().evictions, c2.stats().evictions);
  // reset() reproduces the sequence from the start.
  c1.reset();
  Cache c3(cfg);
  for (int i = 0; i < 200; ++i) {
    const Addr a = static_cast<Addr>((i * 5 % 7) << 8);
    ASSERT_EQ(c1.access(a), c3.access(a)) << i;
  }
}

TEST(CacheRandom, ZeroSeedStillWorks) {
  Cache c({64, 16, 4, Replacement::random, 0});
  for (Addr a = 0; a < 0x1000; a += 0x100) c.access(a);
  // 16 distinct lines, 4 ways: 16 misses, 12 evictions.
  EXPECT_EQ(c.stats().misses, 16u);
  EXPECT_EQ(c.stats().evictions, 12u);
}

TEST(CacheFullyAssociative, HoldsConflictingLinesUntilFull) {
  // 8 lines x 16 B, 8 ways -> 1 set. Addresses 4 KiB apart would all collide in a
  // direct-mapped cache; here all 8 stay resident.
  Cache c({128, 16, 8, Replacement::lru});
  for (Addr i = 0; i < 8; ++i) EXPECT_FALSE(c.access(i * 0x1000));
  for (Addr i = 0; i < 8; ++i) EXPECT_TRUE(c.access(i * 0x1000));
  // 9th line evicts the LRU one, which is line 0 (touched first in the second loop).
  EXPECT_FALSE(c.access(8 * 0x1000));
  EXPECT_FALSE(c.contains(0));
  EXPECT_TRUE(c.contains(0x1000));
  EXPECT_EQ(c.stats().hits, 8u);
  EXPECT_EQ(c.stats().misses, 9u);
  EXPECT_EQ(c.stats().evictions, 1u);
}

TEST(CacheStatsAndProbe, ProbeContainsFillAndInvalidate) {
  Cache c({64, 16, 2, Replacement::lru});
  // Same line, different bytes: one miss then hits.
  EXPECT_FALSE(c.access(0x104));
  EXPECT_TRUE(c.access(0x10F));
  EXPECT_TRUE(c.access(0x100));
  // contains() changes nothing.
  EXPECT_TRUE(c.contains(0x108));
  EXPECT_FALSE(c.contains(0x200));
  // probe() on a miss counts a miss but does not allocate.
  EXPECT_FALSE(c.probe(0x200));
  EXPECT_FALSE(c.contains(0x200));
  // fill() allocates without counting a hit or a miss.
  c.fill(0x200);
  EXPECT_TRUE(c.contains(0x200));
  EXPECT_EQ(c.stats().hits, 2u);
  EXPECT_EQ(c.stats().misses, 2u);   // access(0x104) + probe(0x200)
  EXPECT_EQ(c.stats().evictions, 0u);
  c.invalidate_all();
  EXPECT_FALSE(c.contains(0x100));
  EXPECT_FALSE(c.contains(0x200));
  EXPECT_EQ(c.stats().hits, 2u);  // invalidation keeps the statistics
  c.reset();
  EXPECT_EQ(c.stats().misses, 0u);
}

TEST(CacheLru, LineAtTopOfAddressSpace) {
  Cache c({64, 16, 2});
  EXPECT_FALSE(c.access(0xFFFFFFF0));
  EXPECT_TRUE(c.access(0xFFFFFFFF));
  EXPECT_FALSE(c.contains(0x0));
}

// The run loop's fast paths (issue 16): probe_hit() is probe() for the lines its two fast checks
// find and does nothing otherwise; rehit() repeats a hit on a line known present (tag generation
// unchanged) with probe()'s recency update, so the LRU victim is the same as with lookups.
TEST(CacheFastPaths, ProbeHitFindsOrChangesNothing) {
  Cache c({64, 16, 2, Replacement::lru});
  EXPECT_FALSE(c.probe_hit(A));  // empty: no hit, and no miss counted either
  EXPECT_EQ(c.stats().misses, 0u);
  EXPECT_FALSE(c.contains(A));
  c.fill(A);
  c.fill(B);                    // B is the last line filled, A the LRU way of set 0
  EXPECT_TRUE(c.probe_hit(A));  // found by the way hint: a hit that makes A most recent
  EXPECT_TRUE(c.probe_hit(A));  // the last line hit
  EXPECT_EQ(c.stats().hits, 2u);
  EXPECT_FALSE(c.access(C));  // evicts B, the LRU way after A's hit
  EXPECT_TRUE(c.contains(A));
  EXPECT_FALSE(c.contains(B));
}

TEST(CacheFastPaths, RehitRefreshesRecencyLikeALookup) {
  Cache c({64, 16, 2, Replacement::lru});
  const std::uint64_t g0 = c.tag_generation();
  EXPECT_FALSE(c.access(A));
  EXPECT_FALSE(c.access(B));
  const std::uint64_t g1 = c.tag_generation();
  EXPECT_NE(g1, g0);  // two fills changed the tags
  EXPECT_TRUE(c.access(A));
  const std::uint32_t line_a = c.last_line_index();
  EXPECT_TRUE(c.access(B));           // A is now the LRU way of set 0
  EXPECT_EQ(c.tag_generation(), g1);  // hits change no tag: line_a still names A
  c.rehit(line_a);                    // as access(A): A most recent, one more hit
  EXPECT_EQ(c.stats().hits, 3u);
  EXPECT_EQ(c.tag_generation(), g1);
  EXPECT_FALSE(c.access(C));  // evicts B (without the refresh it would evict A)
  EXPECT_TRUE(c.contains(A));
  EXPECT_FALSE(c.contains(B));
  EXPECT_NE(c.tag_generation(), g1);
  const std::uint64_t g2 = c.tag_generation();
  c.invalidate_all();  // no line is where it was
  EXPECT_NE(c.tag_generation(), g2);
}
