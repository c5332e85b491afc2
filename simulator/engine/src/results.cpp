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
  op(a.sleep_cycles, b.sleep_cycles);
  op(a.exception_cycles, b.exception_cycles);
  op(a.exceptions, b.exceptions);
  op(a.multiply_extra_cycles, b.multiply_extra_cycles);
  for (std::size_t i = 0; i < a.classes.size(); ++i) op(a.classes[i], b.classes[i]);
  auto cache = [&](mem::CacheStats& x, const mem::CacheStats& y) {
    op(x.hits, y.hits), op(x.misses, y.misses), op(x.evictions, y.evictions);
    op(x.writebacks, y.writebacks);
  };
  auto ram = [&](SramCounters& x, const SramCounters& y) {
    op(x.reads, y.reads), op(x.writes, y.writes), op(x.read_bytes, y.read_bytes);
    op(x.write_bytes, y.write_bytes), op(x.stall_cycles, y.stall_cycles);
  };
  auto l1 = [&](mem::L1Stats& x, const mem::L1Stats& y) {
    cache(x.cache, y.cache);
    op(x.line_fills, y.line_fills), op(x.memory_writes, y.memory_writes);
    op(x.stall_cycles, y.stall_cycles);
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
  op(fa.demand_reads, fb.demand_reads);
  op(fa.data_array_reads, fb.data_array_reads);
  op(fa.prefetch_abandoned, fb.prefetch_abandoned);
  op(fa.burst_reads, fb.burst_reads);
  ram(a.sram, b.sram);
  ram(a.tcm, b.tcm);
  if (a.ram_regions.size() < b.ram_regions.size()) a.ram_regions.resize(b.ram_regions.size());
  for (std::size_t i = 0; i < b.ram_regions.size(); ++i) ram(a.ram_regions[i], b.ram_regions[i]);
  l1(a.l1i, b.l1i);
  l1(a.l1d, b.l1d);
  op(a.peripheral_accesses, b.peripheral_accesses);
}

// The same for the per-peripheral bus cycles (doubles, matched by position: one SoC's order).
template <class Op>
void zip_peripherals(Counters& a, const Counters& b, Op op) {
  if (a.peripherals.size() < b.peripherals.size()) {
    const std::size_t n = a.peripherals.size();
    a.peripherals.resize(b.peripherals.size());
    for (std::size_t i = n; i < b.peripherals.size(); ++i)
      a.peripherals[i].name = b.peripherals[i].name;
  }
  for (std::size_t i = 0; i < b.peripherals.size(); ++i)
    op(a.peripherals[i].bus_cycles, b.peripherals[i].bus_cycles);
}

}  // namespace

Counters operator-(const Counters& a, const Counters& b) {
  Counters d = a;
  zip(d, b, [](std::uint64_t& x, std::uint64_t y) { x -= y; });
  zip_peripherals(d, b, [](double& x, double y) { x -= y; });
  return d;
}

power::EnergyEvents energy_events(const Counters& c, Hertz clock_hz, power::FlashKind flash_kind) {
  using power::MemAction;
  power::EnergyEvents ev;
  ev.classes = c.classes;
  ev.cycles = c.cycles;
  // Flash-window transfers: array reads of the embedded flash (demand and prefetch), or, when the
  // part's code flash is external, XIP transfers (prefetches included).
  if (flash_kind == power::FlashKind::external) {
    ev.mem(MemAction::xip_read) = c.flash.array_reads;
  } else {
    ev.mem(MemAction::prefetch_read) = c.flash.prefetch_reads;
    ev.mem(MemAction::flash_read) = c.flash.array_reads - c.flash.prefetch_reads;
  }
  ev.mem(MemAction::accel_hit) = c.flash.icache.hits + c.flash.dcache.hits + c.flash.ifetch_buffer_hits;
  // Core L1 caches: hits of loads, stores and fetch lines; each fill also reads its backing memory
  // (counted there: flash burst reads, SRAM beats).
  ev.mem(MemAction::l1_hit) = c.l1i.cache.hits + c.l1d.cache.hits;
  ev.mem(MemAction::l1_fill) = c.l1i.line_fills + c.l1d.line_fills;
  ev.mem(MemAction::sram_read) = c.sram.reads;
  ev.mem(MemAction::sram_write) = c.sram.writes;
  ev.mem(MemAction::tcm_read) = c.tcm.reads;
  ev.mem(MemAction::tcm_write) = c.tcm.writes;
  ev.sleep_cycles = c.sleep_cycles;
  ev.seconds = static_cast<double>(c.cycles) / static_cast<double>(clock_hz);
  ev.sleep_seconds = static_cast<double>(c.sleep_cycles) / static_cast<double>(clock_hz);
  ev.peripherals = c.peripherals;
  return ev;
}

Counters& operator+=(Counters& a, const Counters& b) {
  zip(a, b, [](std::uint64_t& x, std::uint64_t y) { x += y; });
  zip_peripherals(a, b, [](double& x, double y) { x += y; });
  return a;
}

}  // namespace mcusim
