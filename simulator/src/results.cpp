#include "mcusim/results.h"

namespace mcusim {
namespace {

// Applies op(x, y) to every counter of a and the matching counter of b: the one list of fields.
template <class Op>
void zip(Counters& a, const Counters& b, Op op) {
  op(a.instructions, b.instructions);
  op(a.cycles, b.cycles);
  op(a.branch_penalty_cycles, b.branch_penalty_cycles);
  op(a.divide_extra_cycles, b.divide_extra_cycles);
  op(a.multiply_extra_cycles, b.multiply_extra_cycles);
  for (std::size_t i = 0; i < a.classes.size(); ++i) op(a.classes[i], b.classes[i]);
  auto cache = [&](mem::CacheStats& x, const mem::CacheStats& y) {
    op(x.hits, y.hits), op(x.misses, y.misses), op(x.evictions, y.evictions);
  };
  auto &fa = a.flash;
  const auto& fb = b.flash;
  op(fa.array_reads, fb.array_reads);
  op(fa.ifetch_units, fb.ifetch_units);
  op(fa.ifetch_buffer_hits, fb.ifetch_buffer_hits);
  op(fa.prefetch_hits, fb.prefetch_hits);
  op(fa.prefetch_reads, fb.prefetch_reads);
  cache(fa.icache, fb.icache);
  cache(fa.dcache, fb.dcache);
  op(fa.data_reads, fb.data_reads);
  op(fa.data_read_bytes, fb.data_read_bytes);
  op(fa.ifetch_stall_cycles, fb.ifetch_stall_cycles);
  op(fa.data_stall_cycles, fb.data_stall_cycles);
  op(a.sram.reads, b.sram.reads);
  op(a.sram.writes, b.sram.writes);
  op(a.sram.read_bytes, b.sram.read_bytes);
  op(a.sram.write_bytes, b.sram.write_bytes);
  op(a.sram.stall_cycles, b.sram.stall_cycles);
  op(a.peripheral_accesses, b.peripheral_accesses);
}

}  // namespace

Counters operator-(const Counters& a, const Counters& b) {
  Counters d = a;
  zip(d, b, [](std::uint64_t& x, std::uint64_t y) { x -= y; });
  return d;
}

power::EnergyEvents energy_events(const Counters& c, Hertz clock_hz) {
  power::EnergyEvents ev;
  ev.classes = c.classes;
  ev.cycles = c.cycles;
  ev.flash_reads = c.flash.array_reads;
  ev.cache_hits = c.flash.icache.hits + c.flash.dcache.hits + c.flash.ifetch_buffer_hits;
  ev.sram_reads = c.sram.reads;
  ev.sram_writes = c.sram.writes;
  ev.seconds = static_cast<double>(c.cycles) / static_cast<double>(clock_hz);
  return ev;
}

Counters& operator+=(Counters& a, const Counters& b) {
  zip(a, b, [](std::uint64_t& x, std::uint64_t y) { x += y; });
  return a;
}

}  // namespace mcusim
