// Timing gates and unit tests of the flash / ART model. Every expected number is derived by hand
// in the comments from the semantics in docs/models/flash.md:
//   - a unit needed at core cycle t is "due" at boundary t + 1 (zero-wait delivery);
//   - an array read started at s delivers at s + WS + 1 and keeps the port busy until then;
//   - stall = delivery - due when positive; buffer and cache hits deliver when due.
#include <gtest/gtest.h>

#include <vector>

#include "mcusim/mem/flash.h"

using mcusim::Addr;
using mcusim::Cycles;
using namespace mcusim::mem;

namespace {

constexpr Addr kBase = 0x08000000;

// Units of `width` bytes starting at `addr`, the i-th needed at offsets[i].
std::vector<FetchUnit> seq(Addr addr, std::uint32_t width, std::vector<std::uint32_t> offsets) {
  std::vector<FetchUnit> v;
  for (std::uint32_t off : offsets) {
    v.push_back({addr, off});
    addr += width;
  }
  return v;
}

FlashConfig plain_with_prefetch(std::uint32_t ws) {
  FlashConfig c = plain_flash(ws, 8);
  c.prefetch = true;
  return c;
}

}  // namespace

// ---------------------------------------------------------------- wait states, no accelerator

TEST(FlashGate, SingleMissReadyAfterWaitStates) {
  // WS = 5. Unit needed at cycle 10: read [10, 16), due 11 -> stall 5.
  // Instruction available at boundary 16: not at 15, at 16.
  Flash f(plain_flash(5, 8));
  const FetchUnit u{kBase, 0};
  const Cycles stall = f.fetch_block({&u, 1}, 10);
  EXPECT_EQ(stall, 5u);
  const Cycles ready = 10 + 1 + stall;
  EXPECT_NE(ready, 15u);
  EXPECT_EQ(ready, 16u);
}

TEST(FlashGate, PortBusyUntilReadCompletes) {
  // WS = 5: first read [0, 6). A fetch of another unit issued at cycle 5 waits for the port:
  // start 6, delivery 12, due 6 -> stall 6. Issued at 6: start 6, delivery 12, due 7 -> stall 5.
  const FetchUnit first{kBase, 0};
  const FetchUnit other{kBase + 0x1000, 0};
  Flash at5(plain_flash(5, 8));
  at5.fetch_block({&first, 1}, 0);
  EXPECT_EQ(at5.fetch_block({&other, 1}, 5), 6u);  // port not free at cycle 5
  Flash at6(plain_flash(5, 8));
  at6.fetch_block({&first, 1}, 0);
  EXPECT_EQ(at6.fetch_block({&other, 1}, 6), 5u);  // free at cycle 6
}

TEST(FlashTiming, Ws5NoCacheNoPrefetchEachUnitWaitsForItsOwnRead) {
  // 4 sequential 64-bit units needed at offsets 0, 2, 4, 6; block entered at 100.
  // U0: t=100       read [100,106) due 101 -> +5 (5)
  // U1: t=100+5+2   read [107,113) due 108 -> +5 (10)
  // U2: t=100+10+4  read [114,120) due 115 -> +5 (15)
  // U3: t=100+15+6  read [121,127) due 122 -> +5 (20)
  Flash f(plain_flash(5, 8));
  const auto units = seq(kBase, 8, {0, 2, 4, 6});
  EXPECT_EQ(f.fetch_block(units, 100), 20u);
  const FlashStats& s = f.stats();
  EXPECT_EQ(s.array_reads, 4u);
  EXPECT_EQ(s.demand_reads, 4u);
  EXPECT_EQ(s.ifetch_units, 4u);
  EXPECT_EQ(s.ifetch_buffer_hits, 0u);
  EXPECT_EQ(s.prefetch_reads, 0u);
  EXPECT_EQ(s.ifetch_stall_cycles, 20u);
  // Same unit again: current-read buffer, no read.
  EXPECT_EQ(f.fetch_block(seq(kBase + 24, 8, {0}), 200), 0u);
  EXPECT_EQ(f.stats().ifetch_buffer_hits, 1u);
  EXPECT_EQ(f.stats().array_reads, 4u);
}

// ---------------------------------------------------------------- prefetch

TEST(FlashTiming, Ws5PrefetchPartlyHidesSequentialUnits) {
  // Same block as above, prefetch on (no caches).
  // U0: demand [100,106), due 101 -> +5 (5).   prefetch U1 [106,112)
  // U1: t=107 due 108, prefetched at 112 -> +4 (9).  prefetch U2 [112,118)
  // U2: t=113 due 114, at 118 -> +4 (13).            prefetch U3 [118,124)
  // U3: t=119 due 120, at 124 -> +4 (17).            prefetch U4 [124,130)
  // (WS+1 = 6 > 2 cycles to consume a unit: 4 of the 5 wait states stay visible.)
  Flash f(plain_with_prefetch(5));
  EXPECT_EQ(f.fetch_block(seq(kBase, 8, {0, 2, 4, 6}), 100), 17u);
  const FlashStats& s = f.stats();
  EXPECT_EQ(s.array_reads, 5u);  // 1 demand + 4 prefetches
  EXPECT_EQ(s.demand_reads, 1u);
  EXPECT_EQ(s.prefetch_reads, 4u);
  EXPECT_EQ(s.prefetch_hits, 3u);
  EXPECT_EQ(s.ifetch_buffer_hits, 3u);
}

TEST(FlashGate, PrefetchHidesSequentialMissWhenConsumeTimeCoversRead) {
  // core-facts F: prefetch hides sequential misses when WS+1 <= cycles to consume a unit.
  // WS=5, 6 cycles per unit (offsets 0,6,12,18), now=100:
  //  U0 +5, read ends 106; prefetch U1 [106,112); U1 t=111 due 112 -> 0; U2, U3 likewise -> 5.
  Flash six(plain_with_prefetch(5));
  EXPECT_EQ(six.fetch_block(seq(kBase, 8, {0, 6, 12, 18}), 100), 5u);
  // 5 cycles per unit (offsets 0,5,10,15): U1 t=110 due 111, at 112 -> +1; prefetch U2 [112,118)
  //  U2 t=100+6+10 due 117, at 118 -> +1; U3 t=122 due 123, prefetch [118,124) -> +1. 5+3 = 8.
  Flash five(plain_with_prefetch(5));
  EXPECT_EQ(five.fetch_block(seq(kBase, 8, {0, 5, 10, 15}), 100), 8u);
}

TEST(FlashGate, PrefetchedUnitReadyAtBoundary) {
  // Block {U0} at 0: demand [0,6), prefetch U1 [6,12). Next block {U1} entered at cycle n:
  // due n+1, available 12 -> at n=10 stall 1 (not ready), at n=11 stall 0 (ready).
  const FetchUnit u0{kBase, 0}, u1{kBase + 8, 0};
  Flash a(plain_with_prefetch(5));
  a.fetch_block({&u0, 1}, 0);
  EXPECT_EQ(a.fetch_block({&u1, 1}, 10), 1u);
  Flash b(plain_with_prefetch(5));
  b.fetch_block({&u0, 1}, 0);
  EXPECT_EQ(b.fetch_block({&u1, 1}, 11), 0u);
}

TEST(FlashTiming, DemandMissAbandonsPrefetchInFlight) {
  // Block {U0} at 0: demand [0,6), prefetch U1 [6,12). A branch to a far unit X at cycle 8:
  // the prefetch (in flight at 8) is cancelled and frees the port: X read [8,14), due 9 -> 5.
  const FetchUnit u0{kBase, 0}, x{kBase + 0x4000, 0};
  Flash f(plain_with_prefetch(5));
  f.fetch_block({&u0, 1}, 0);
  EXPECT_EQ(f.fetch_block({&x, 1}, 8), 5u);
  EXPECT_EQ(f.stats().prefetch_abandoned, 1u);
  // U1 is no longer buffered: the prefetch after X fetched X+8 instead. U1 at 30: demand, +5.
  const FetchUnit u1{kBase + 8, 0};
  EXPECT_EQ(f.fetch_block({&u1, 1}, 30), 5u);
}

// ---------------------------------------------------------------- zero wait states

TEST(FlashGate, ZeroWaitStatesNeverStall) {
  // WS=0: a read takes 1 cycle, delivered exactly when due. Blocks: sequential run, a branch to a
  // far block (cancelling a prefetch in flight), a branch back; for every configuration.
  const std::vector<FlashConfig> configs = {plain_flash(0, 8), plain_with_prefetch(0), art_l4(0),
                                            art_f4(0), plain_flash(0, 16)};
  for (const FlashConfig& cfg : configs) {
    Flash f(cfg);
    const std::uint32_t w = cfg.read_width_bytes;
    Cycles stall = 0;
    stall += f.fetch_block(seq(kBase, w, {0, 1, 2, 3}), 0);
    stall += f.fetch_block(seq(kBase + 0x2000, w, {0, 1}), 4);
    stall += f.fetch_block(seq(kBase, w, {0, 1, 2, 3}), 6);
    stall += f.fetch_block(seq(kBase + 0x40, w, {0, 1, 2, 3, 4, 5, 6, 7}), 10);
    EXPECT_EQ(stall, 0u) << "read width " << w << " prefetch " << cfg.prefetch;
    EXPECT_EQ(f.data_read(kBase + 0x3000, 4, 100), 0u);
    EXPECT_EQ(f.stats().ifetch_stall_cycles, 0u);
  }
}

TEST(FlashGate, ZeroWaitStatesDataReadNeverWaitsForAFetch) {
  // WS = 0, prefetch on (the Cortex-M0+ boards' setting): the block's fetch of unit U0 at cycle 0
  // reads [0, 1) and prefetches U1 over [1, 2). A literal load issued at cycle 1 meets that
  // prefetch. On a single-bus core (M0+: one AHB-Lite master) the load's data phase is one of
  // the 2 cycles the TRM gives LDR at zero wait states (core-facts A.1), so the flash adds
  // nothing: stall 0 (it was 1 when the read waited for the port).
  for (const FlashConfig& cfg : {plain_with_prefetch(0), art_l4(0)}) {
    Flash f(cfg);
    EXPECT_EQ(f.fetch_block(seq(kBase, cfg.read_width_bytes, {0}), 0), 0u);
    EXPECT_EQ(f.data_read(kBase + 0x3000, 4, 1), 0u);
    EXPECT_EQ(f.stats().data_stall_cycles, 0u);
  }
  // With wait states the port rule stands: WS = 2, fetch [0, 3), prefetch [3, 6); a load at
  // cycle 3 waits for the prefetch: start 6, delivered 9, due 4 -> stall 5.
  Flash f(plain_with_prefetch(2));
  EXPECT_EQ(f.fetch_block(seq(kBase, 8, {0}), 0), 2u);
  EXPECT_EQ(f.data_read(kBase + 0x3000, 4, 3), 5u);
}

// ---------------------------------------------------------------- I-cache

TEST(FlashICache, SecondExecutionOfABlockHitsWithZeroStall) {
  // art_l4(5), prefetch off. I-side works on 32-byte I-cache lines (4 x 64-bit units).
  // Block: 8 units = lines L0 (U0..U3) and L1 (U4..U7), offsets 0..7, entered at 0.
  //  U0: I-cache miss, demand [0,6) due 1 -> +5, L0 allocated, current line = L0.
  //  U1..U3: current-line buffer hits.
  //  U4: t=0+5+4=9, I-cache miss, demand [9,15) due 10 -> +5 (10), L1 allocated.
  //  U5..U7: buffer hits.
  FlashConfig cfg = art_l4(5);
  cfg.prefetch = false;
  Flash f(cfg);
  const auto block = seq(kBase, 8, {0, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(f.fetch_block(block, 0), 10u);
  EXPECT_EQ(f.stats().icache.misses, 2u);
  EXPECT_EQ(f.stats().icache.hits, 0u);
  EXPECT_EQ(f.stats().ifetch_buffer_hits, 6u);
  EXPECT_EQ(f.stats().array_reads, 8u);  // 2 line transfers x 4 64-bit reads
  // Second execution at 100: U0..U3 I-cache hits (current line is L1), U4..U7 buffer hits.
  EXPECT_EQ(f.fetch_block(block, 100), 0u);
  EXPECT_EQ(f.stats().icache.hits, 4u);
  EXPECT_EQ(f.stats().icache.misses, 2u);
  EXPECT_EQ(f.stats().ifetch_buffer_hits, 10u);
  EXPECT_EQ(f.stats().array_reads, 8u);
  // Third execution after a far block took the current line: all 8 units from the I-cache.
  f.fetch_block(seq(kBase + 0x8000, 8, {0}), 200);
  EXPECT_EQ(f.fetch_block(block, 300), 0u);
  EXPECT_EQ(f.stats().icache.hits, 12u);
}

TEST(FlashICache, LoopLargerThanICacheThrashesUnderLru) {
  // art_l4 I-cache: 32 lines x 32 B, fully associative, LRU; prefetch off; WS = 5.
  // One block per line, blocks 20 cycles apart (port always idle: each miss costs WS = 5).
  auto run_loop = [](Flash& f, Addr lines, Cycles& now) {
    Cycles stall = 0;
    for (Addr i = 0; i < lines; ++i) {
      const FetchUnit u{kBase + 32 * i, 0};
      stall += f.fetch_block({&u, 1}, now);
      now += 20;
    }
    return stall;
  };
  FlashConfig cfg = art_l4(5);
  cfg.prefetch = false;
  {
    // 33 lines: pass 1 misses 33 (the 33rd evicts line 0). Pass 2: line 0 misses and evicts
    // line 1 (the LRU), line 1 misses and evicts line 2, ... every access misses.
    Flash f(cfg);
    Cycles now = 0;
    EXPECT_EQ(run_loop(f, 33, now), 33u * 5);
    EXPECT_EQ(run_loop(f, 33, now), 33u * 5);
    EXPECT_EQ(f.stats().icache.hits, 0u);
    EXPECT_EQ(f.stats().icache.misses, 66u);
    EXPECT_EQ(f.stats().icache.evictions, 66u - 32);
  }
  {
    // 32 lines fit: pass 2 is all hits: lines 0..30 from the I-cache, line 31 from the
    // current-read buffer (the last line the array delivered, checked first).
    Flash f(cfg);
    Cycles now = 0;
    EXPECT_EQ(run_loop(f, 32, now), 32u * 5);
    EXPECT_EQ(run_loop(f, 32, now), 0u);
    EXPECT_EQ(f.stats().icache.hits, 31u);
    EXPECT_EQ(f.stats().ifetch_buffer_hits, 1u);
    EXPECT_EQ(f.stats().icache.evictions, 0u);
  }
  {
    // Random replacement keeps some of the 33 lines across the sweep (property, not a count).
    FlashConfig r = cfg;
    r.icache.replacement = Replacement::random;
    Flash f(r);
    Cycles now = 0;
    run_loop(f, 33, now);
    EXPECT_LT(run_loop(f, 33, now), 33u * 5);
    EXPECT_GT(f.stats().icache.hits, 0u);
  }
}

TEST(FlashICache, PrefetchHitDoesNotAllocateRm0090Rule) {
  // art_f4(5): 128-bit units = 16-byte I-cache lines, so every unit is its own line.
  // Pass 1, block U0..U3 at offsets 0,8,16,24 (8 Thumb-16 instructions per line), now 0:
  //  U0: miss, demand [0,6) due 1 -> +5, L0 allocated; prefetch U1 [6,12)
  //  U1: due 0+5+8+1=14, prefetched at 12 -> 0; NOT allocated; prefetch U2 [14,20)
  //  U2: due 22, at 20 -> 0; prefetch U3 [22,28).  U3: due 30, at 28 -> 0; prefetch U4 [30,36)
  Flash f(art_f4(5));
  const auto block = seq(kBase, 16, {0, 8, 16, 24});
  EXPECT_EQ(f.fetch_block(block, 0), 5u);
  EXPECT_EQ(f.stats().prefetch_hits, 3u);
  EXPECT_TRUE(f.icache().contains(kBase));
  EXPECT_FALSE(f.icache().contains(kBase + 16));
  EXPECT_FALSE(f.icache().contains(kBase + 32));
  EXPECT_FALSE(f.icache().contains(kBase + 48));
  EXPECT_EQ(f.stats().icache.misses, 4u);  // all four looked up and missed
  // Pass 2 at 100: U0 I-cache hit. U1 not cached and not in the prefetch buffer (holds U4):
  //  demand [108,114) due 109 -> +5, now allocated; prefetch U2 [114,120)
  //  U2: due 100+5+16+1=122 -> 0; U3 -> 0. Total 5 (it would be 0 had prefetch hits allocated).
  EXPECT_EQ(f.fetch_block(block, 100), 5u);
  EXPECT_TRUE(f.icache().contains(kBase + 16));
  EXPECT_FALSE(f.icache().contains(kBase + 32));
}

TEST(FlashICache, L4PrefetchesNextLineAndHelps) {
  // art_l4(5), prefetch on. Block U0..U7 (lines L0, L1), offsets 0..7, now 0:
  //  U0: miss, demand [0,6) due 1 -> +5; L0 allocated; prefetch L1 [6,12).
  //  U1..U3: current line. U4: due 0+5+4+1=10, L1 prefetched at 12 -> +2 (7).
  //  U5..U7: current line (L1). Without prefetch the same block costs 10 (test above).
  Flash f(art_l4(5));
  EXPECT_EQ(f.fetch_block(seq(kBase, 8, {0, 1, 2, 3, 4, 5, 6, 7}), 0), 7u);
  EXPECT_EQ(f.stats().prefetch_hits, 1u);
  EXPECT_EQ(f.stats().ifetch_buffer_hits, 7u);
  EXPECT_FALSE(f.icache().contains(kBase + 32));  // L1 came from the prefetch buffer
  EXPECT_EQ(f.stats().array_reads, 12u);          // 3 line transfers (L0, L1, L2) x 4
}

// ---------------------------------------------------------------- data side

TEST(FlashData, DCacheHitAndMissStall) {
  // art_l4(5): D-cache 8 lines x 32 B. Miss: read [0,6), stall = WS = 5. Hit: 0.
  Flash f(art_l4(5));
  EXPECT_EQ(f.data_read(kBase + 0x1000, 4, 0), 5u);
  EXPECT_EQ(f.data_read(kBase + 0x1000, 4, 10), 0u);
  EXPECT_EQ(f.data_read(kBase + 0x1010, 4, 20), 0u);  // same 32-byte line
  const FlashStats& s = f.stats();
  EXPECT_EQ(s.dcache.misses, 1u);
  EXPECT_EQ(s.dcache.hits, 2u);
  EXPECT_EQ(s.data_reads, 3u);
  EXPECT_EQ(s.data_read_bytes, 12u);
  EXPECT_EQ(s.data_array_reads, 1u);
  EXPECT_EQ(s.data_stall_cycles, 5u);
}

TEST(FlashData, AccessSpanningTwoReadUnitsCostsTwoReads) {
  Flash f(art_l4(5));
  // 4 bytes at +0x2006 span units +0x2000 and +0x2008 (same D-cache line).
  // Unit 1: read [100,106) -> +5; unit 2 issued at 106: read [106,112), due 107 -> +5. = 10.
  EXPECT_EQ(f.data_read(kBase + 0x2006, 4, 100), 10u);
  EXPECT_EQ(f.stats().data_array_reads, 2u);
  EXPECT_EQ(f.stats().dcache.misses, 1u);  // one line allocated
  // Again: both units hit the line.
  EXPECT_EQ(f.data_read(kBase + 0x2006, 4, 200), 0u);
  EXPECT_EQ(f.stats().dcache.hits, 2u);
  // Spanning two D-cache lines (+0x3018 and +0x3020): two misses, two reads = 10.
  EXPECT_EQ(f.data_read(kBase + 0x301E, 4, 300), 10u);
  EXPECT_EQ(f.stats().dcache.misses, 3u);
}

TEST(FlashData, DCacheDisabledEveryReadPaysWaitStates) {
  FlashConfig cfg = art_l4(5);
  cfg.dcache_enabled = false;
  Flash f(cfg);
  EXPECT_EQ(f.data_read(kBase + 0x1000, 4, 0), 5u);
  EXPECT_EQ(f.data_read(kBase + 0x1000, 4, 10), 5u);
  EXPECT_EQ(f.data_read(kBase + 0x1006, 4, 20), 10u);  // two units
  EXPECT_EQ(f.stats().dcache.hits + f.stats().dcache.misses, 0u);
  EXPECT_EQ(f.stats().data_stall_cycles, 20u);
}

TEST(FlashGate, DataReadWaitsForPrefetchInFlight) {
  // Block {U0} at 0: demand [0,6), prefetch U1 [6,12). A literal load issued at 11 waits for the
  // prefetch: read [12,18), due 12 -> 6. Issued at 12: read [12,18), due 13 -> 5.
  const FetchUnit u0{kBase, 0};
  Flash a(plain_with_prefetch(5));
  a.fetch_block({&u0, 1}, 0);
  EXPECT_EQ(a.data_read(kBase + 0x4000, 4, 11), 6u);
  Flash b(plain_with_prefetch(5));
  b.fetch_block({&u0, 1}, 0);
  EXPECT_EQ(b.data_read(kBase + 0x4000, 4, 12), 5u);
}

TEST(FlashData, LoadInsideBlockIsNotDelayedByLaterFetches) {
  // fetch_block schedules the whole block first: U0 [0,6), U1 (t=0+5+10) [15,21). A load the
  // core issues at 8 (between the two) finds the port idle: read [8,14) -> 5.
  Flash f(plain_flash(5, 8));
  EXPECT_EQ(f.fetch_block(seq(kBase, 8, {0, 10}), 0), 10u);
  EXPECT_EQ(f.data_read(kBase + 0x4000, 4, 8), 5u);
}

// ---------------------------------------------------------------- configuration and presets

TEST(FlashConfigErrors, NameTheField) {
  auto error_of = [](const FlashConfig& c) -> std::string {
    try {
      Flash f(c);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  FlashConfig c = art_l4(4);
  c.icache.ways = 3;
  EXPECT_EQ(error_of(c), "icache.ways: 3 does not divide 32 lines");
  c = art_l4(4);
  c.dcache.line_bytes = 24;
  EXPECT_EQ(error_of(c), "dcache.line_bytes: 24 is not a power of two");
  EXPECT_EQ(error_of(plain_flash(1, 12)),
            "flash.read_width_bytes: 12 must be a power of two of at least 4");
  c = art_l4(4);
  c.icache.line_bytes = 4;
  c.icache.size_bytes = 128;
  EXPECT_EQ(error_of(c), "icache.line_bytes: 4 is smaller than flash.read_width_bytes 8");
  c = art_l4(4);
  c.base = 0x08000004;
  EXPECT_EQ(error_of(c), "flash.base: 0x8000004 is not aligned to read_width_bytes 8");
  c = art_l4(4);
  c.base = 0xFFF00000;
  c.size_bytes = 2u << 20;
  EXPECT_EQ(error_of(c),
            "flash.size_bytes: 2097152 from base 0xfff00000 exceeds the 32-bit address space");
}

TEST(FlashPresets, MatchCoreFacts) {
  const FlashConfig l4 = art_l4(4);  // core-facts D.2
  EXPECT_EQ(l4.wait_states, 4u);
  EXPECT_EQ(l4.read_width_bytes, 8u);
  EXPECT_TRUE(l4.prefetch && l4.icache_enabled && l4.dcache_enabled);
  EXPECT_EQ(l4.icache.size_bytes / l4.icache.line_bytes, 32u);
  EXPECT_EQ(l4.icache.line_bytes, 32u);
  EXPECT_EQ(l4.dcache.size_bytes / l4.dcache.line_bytes, 8u);
  EXPECT_EQ(l4.dcache.line_bytes, 32u);
  const FlashConfig f4 = art_f4(5);  // core-facts D.1
  EXPECT_EQ(f4.read_width_bytes, 16u);
  EXPECT_EQ(f4.icache.size_bytes / f4.icache.line_bytes, 64u);
  EXPECT_EQ(f4.icache.line_bytes, 16u);
  EXPECT_EQ(f4.dcache.size_bytes / f4.dcache.line_bytes, 8u);
  const FlashConfig p = plain_flash(2, 16);
  EXPECT_FALSE(p.prefetch || p.icache_enabled || p.dcache_enabled);
  EXPECT_EQ(p.read_width_bytes, 16u);
  for (const FlashConfig& c : {l4, f4, p}) EXPECT_NO_THROW(Flash{c});
}

TEST(FlashPresets, BuilderOverridesOnlyWhatItSets) {
  const FlashConfig c = FlashBuilder(art_l4(5)).prefetch(false).dcache(false).config();
  EXPECT_FALSE(c.prefetch);
  EXPECT_FALSE(c.dcache_enabled);
  EXPECT_TRUE(c.icache_enabled);
  EXPECT_EQ(c.wait_states, 5u);
  Flash f = FlashBuilder(plain_flash(5, 8)).wait_states(3).build();
  const FetchUnit u{kBase, 0};
  EXPECT_EQ(f.fetch_block({&u, 1}, 0), 3u);
}

TEST(FlashRuntime, AcrChangesAndReset) {
  Flash f(plain_flash(5, 8));
  const FetchUnit u{kBase, 0}, v{kBase + 0x100, 0};
  EXPECT_EQ(f.fetch_block({&u, 1}, 0), 5u);
  f.set_wait_states(2);  // FLASH_ACR.LATENCY = 2
  EXPECT_EQ(f.fetch_block({&v, 1}, 100), 2u);
  f.reset();
  EXPECT_EQ(f.stats().array_reads, 0u);
  EXPECT_EQ(f.fetch_block({&v, 1}, 0), 2u);  // buffer emptied by reset
  // ICRST: invalidate the I-cache.
  Flash g(art_l4(5));
  g.fetch_block({&u, 1}, 0);
  EXPECT_TRUE(g.icache().contains(kBase));
  g.reset_icache();
  EXPECT_FALSE(g.icache().contains(kBase));
}
