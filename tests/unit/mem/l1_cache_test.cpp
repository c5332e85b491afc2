// Unit tests of the core L1 cache's write policies and of the unified (XIP) flash cache and the
// L1 line-fill burst. Expected outcomes are derived by hand in the comments from the policy
// definitions in docs/models/cache.md ("L1 caches").
#include <gtest/gtest.h>

#include "mcusim/mem/flash.h"
#include "mcusim/mem/l1_cache.h"

using mcusim::Addr;
using namespace mcusim::mem;

namespace {

// 2 sets x 2 ways x 32-byte lines = 128 B: lines 0x000, 0x040, 0x080 all map to set 0.
L1Config small(WritePolicy p, bool allocate) {
  L1Config c;
  c.enabled = true;
  c.geometry = {128, 32, 2, Replacement::lru, 1};
  c.write_policy = p;
  c.write_allocate = allocate;
  return c;
}

}  // namespace

TEST(L1WriteBack, DirtyVictimIsWrittenBackOnce) {
  L1Cache c(small(WritePolicy::write_back, true), "dcache");
  // Store miss with write-allocate: fill, line dirty, nothing written to memory.
  auto o = c.write(0x000);
  EXPECT_FALSE(o.hit);
  EXPECT_TRUE(o.line_fill);
  EXPECT_FALSE(o.memory_write);
  // Two more lines of set 0: 0x040 fills the second way; 0x080 evicts the LRU line 0x000,
  // which is dirty -> one write-back.
  EXPECT_FALSE(c.read(0x040).writeback);
  o = c.read(0x080);
  EXPECT_TRUE(o.line_fill);
  EXPECT_TRUE(o.writeback);
  EXPECT_EQ(o.writeback_addr, 0x000u);
  EXPECT_FALSE(c.contains(0x000));
  // 0x040 is clean: evicting it (by re-reading 0x000) writes nothing back.
  o = c.read(0x000);
  EXPECT_TRUE(o.line_fill);
  EXPECT_FALSE(o.writeback);
  EXPECT_EQ(c.stats().cache.writebacks, 1u);
  EXPECT_EQ(c.stats().line_fills, 4u);
  EXPECT_EQ(c.stats().memory_writes, 0u);
}

TEST(L1WriteBack, NoWriteAllocateMissGoesToMemory) {
  L1Cache c(small(WritePolicy::write_back, false), "dcache");
  auto o = c.write(0x100);
  EXPECT_FALSE(o.line_fill);
  EXPECT_TRUE(o.memory_write);
  EXPECT_FALSE(c.contains(0x100));
  // After a read allocates the line, a store hits and stays in the cache.
  c.read(0x100);
  o = c.write(0x104);
  EXPECT_TRUE(o.hit);
  EXPECT_FALSE(o.memory_write);
  EXPECT_EQ(c.stats().memory_writes, 1u);
}

TEST(L1WriteThrough, EveryStoreGoesToMemoryAndNothingIsWrittenBack) {
  L1Cache c(small(WritePolicy::write_through, false), "dcache");
  c.read(0x000);
  EXPECT_TRUE(c.write(0x000).memory_write);   // hit: updated and written through
  EXPECT_TRUE(c.write(0x200).memory_write);   // miss, no allocate
  EXPECT_FALSE(c.contains(0x200));
  c.read(0x040);
  EXPECT_FALSE(c.read(0x080).writeback);      // evicts 0x000: written through, so clean
  EXPECT_EQ(c.stats().memory_writes, 2u);
  EXPECT_EQ(c.stats().cache.writebacks, 0u);
}

TEST(L1Replacement, LruOrderInATwoWaySet) {
  L1Cache c(small(WritePolicy::write_back, true), "icache");
  c.read(0x000);
  c.read(0x040);
  c.read(0x000);  // 0x040 is now least recently used
  c.read(0x080);  // evicts 0x040
  EXPECT_TRUE(c.contains(0x000));
  EXPECT_FALSE(c.contains(0x040));
  EXPECT_TRUE(c.contains(0x080));
  EXPECT_EQ(c.stats().cache.evictions, 1u);
}

TEST(FlashUnified, DataReadsHitLinesFilledByInstructionFetch) {
  // RP2040-style XIP: 8-byte lines = read unit, 55 cycles per line transfer, one shared cache.
  FlashConfig cfg = plain_flash(55, 8);
  cfg.base = 0x10000000;
  cfg.icache_enabled = true;
  cfg.icache = {16384, 8, 2, Replacement::lru, 1};
  cfg.unified_cache = true;
  Flash f(cfg);
  const FetchUnit u{0x10000100, 0};
  // Miss: the line arrives WS + 1 = 56 cycles after the request; needed at cycle 1 -> stall 55.
  EXPECT_EQ(f.fetch_block({&u, 1}, 0), 55u);
  // A data read of the same line hits the unified cache: no stall.
  EXPECT_EQ(f.data_read(0x10000104, 4, 100), 0u);
  // Another line misses and pays the transfer (stall = 56 - 1).
  EXPECT_EQ(f.data_read(0x10000200, 4, 200), 55u);
  EXPECT_EQ(f.stats().icache.hits, 1u);
  EXPECT_EQ(f.stats().icache.misses, 2u);
}

TEST(FlashBurst, LineFillReadsConsecutiveUnits) {
  // H7A3-style: 16-byte flash word, 6 WS; a 32-byte L1 line = 2 reads of 7 cycles = 14.
  Flash f(plain_flash(6, 16));
  EXPECT_EQ(f.burst_read(0x08000000, 32, 10), 14u);
  // The port is busy until cycle 24: a second fill requested at 20 ends at 24 + 14 = 38.
  EXPECT_EQ(f.burst_read(0x08000100, 32, 20), 18u);
  EXPECT_EQ(f.stats().burst_reads, 4u);
}

// The run loop's L1 fast paths (issue 16): read_hit() is read() for a line its fast checks find
// and does nothing otherwise; rehit() on a remembered line index is read()'s hit while no line was
// filled since.
TEST(L1FastPaths, ReadHitAndRehitCountLikeRead) {
  L1Cache c(small(WritePolicy::write_back, true), "icache");
  EXPECT_FALSE(c.read_hit(0x000));  // absent: no effect, no miss, no fill
  EXPECT_EQ(c.stats().cache.misses, 0u);
  EXPECT_EQ(c.stats().line_fills, 0u);
  c.read(0x000);
  c.read(0x040);  // both ways of set 0 filled
  const std::uint64_t g = c.tag_generation();
  EXPECT_TRUE(c.read(0x01C).hit);  // line 0x000
  const std::uint32_t line0 = c.last_line_index();
  EXPECT_TRUE(c.read_hit(0x040));    // 0x040 most recent, 0x000 LRU
  EXPECT_FALSE(c.read_hit(0x080));   // absent (set 0): nothing changes
  EXPECT_EQ(c.tag_generation(), g);  // hits change no tag
  c.rehit(line0);                    // 0x000 most recent again
  EXPECT_EQ(c.stats().cache.hits, 3u);
  EXPECT_EQ(c.stats().cache.misses, 2u);
  c.read(0x080);  // evicts 0x040, not 0x000
  EXPECT_NE(c.tag_generation(), g);
  EXPECT_TRUE(c.contains(0x000));
  EXPECT_FALSE(c.contains(0x040));
  EXPECT_EQ(c.stats().line_fills, 3u);
}
