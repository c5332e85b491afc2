#include "mcusim/report.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "mcusim/energy_report.h"
#include "mcusim/base/errors.h"

#ifndef MCUSIM_VERSION
#define MCUSIM_VERSION "0.0.0"
#endif

namespace mcusim {
namespace {

double ratio(std::uint64_t num, std::uint64_t den) {
  return den ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

std::string bytes_text(Bytes b) {
  if (b >= 1024 * 1024) return fmt::format("{:.2f} MiB", b / 1048576.0);
  if (b >= 1024) return fmt::format("{:.1f} KiB", b / 1024.0);
  return fmt::format("{} B", b);
}

// Digits grouped by thousands, e.g. 1,234,567.
std::string grouped(std::uint64_t v) {
  std::string s = std::to_string(v), out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it, ++n) {
    if (n && n % 3 == 0) out.push_back(',');
    out.push_back(*it);
  }
  return {out.rbegin(), out.rend()};
}

const char* stop_name(StopReason s) {
  switch (s) {
    case StopReason::exited: return "exited";
    case StopReason::fault: return "fault";
    case StopReason::instruction_limit: return "instruction_limit";
    case StopReason::unsupported: return "unsupported";
    case StopReason::stuck: return "stuck";
    case StopReason::waiting_for_input: return "waiting_for_input";
  }
  return "?";
}

std::string replacement_name(mem::Replacement r) {
  switch (r) {
    case mem::Replacement::lru: return "lru";
    case mem::Replacement::fifo: return "fifo";
    case mem::Replacement::random: return "random";
  }
  return "?";
}

std::string config_line(const RunResult& r) {
  const auto& b = r.board;
  return fmt::format("{} ({} @ {:g} MHz{}): {}", b.name, r.core_model, b.clock_hz / 1e6,
                     b.has_flash && !b.wait_states_from_table ? ", wait states set" : "", memory_summary(b));
}

void figures(std::string& out, const Counters& c, const power::EnergyBreakdown& e, Hertz clock, bool has_flash) {
  const double s = static_cast<double>(c.cycles) / static_cast<double>(clock);
  const auto& f = c.flash;
  auto row = [&](std::string_view k, const std::string& v) { out += fmt::format("  {:<28}{}\n", k, v); };
  row("retired instructions", grouped(c.instructions));
  row("cycles", grouped(c.cycles));
  row("CPI", fmt::format("{:.3f}", ratio(c.cycles, c.instructions)));
  row("latency", fmt::format("{:.3f} ms", s * 1e3));
  out += energy_text(e, s);
  if (has_flash) {
  row("flash data reads", fmt::format("{} ({})", grouped(f.data_reads), bytes_text(f.data_read_bytes)));
  row("flash array reads", fmt::format("{} ({} by prefetch)", grouped(f.array_reads), grouped(f.prefetch_reads)));
  }
  row("SRAM reads / writes", fmt::format("{} ({}) / {} ({})", grouped(c.sram.reads), bytes_text(c.sram.read_bytes),
                                         grouped(c.sram.writes), bytes_text(c.sram.write_bytes)));
  row("wait-state stall cycles",
      fmt::format("{} (instruction fetch {}, flash data {}, SRAM {})",
                  grouped(f.ifetch_stall_cycles + f.data_stall_cycles + c.sram.stall_cycles),
                  grouped(f.ifetch_stall_cycles), grouped(f.data_stall_cycles), grouped(c.sram.stall_cycles)));
  if (c.tcm.reads || c.tcm.writes)
    row("TCM reads / writes", fmt::format("{} ({}) / {} ({})", grouped(c.tcm.reads), bytes_text(c.tcm.read_bytes),
                                          grouped(c.tcm.writes), bytes_text(c.tcm.write_bytes)));
  for (auto [name, l1] : {std::pair{"L1 I-cache", &c.l1i}, std::pair{"L1 D-cache", &c.l1d}}) {
    const auto& x = l1->cache;
    if (x.hits + x.misses == 0) continue;
    row(name, fmt::format("{:.1f} % hits of {} lookups, {} line fills, {} write-backs, {} stall cycles",
                          100 * ratio(x.hits, x.hits + x.misses), grouped(x.hits + x.misses), grouped(l1->line_fills),
                          grouped(x.writebacks), grouped(l1->stall_cycles)));
  }
  row("branch refill cycles", grouped(c.branch_penalty_cycles));
  if (c.exceptions || c.sleep_cycles)
    row("exceptions / sleep", fmt::format("{} taken ({} cycles entry/return) / {} cycles asleep in WFI",
                                          grouped(c.exceptions), grouped(c.exception_cycles),
                                          grouped(c.sleep_cycles)));
  if (!has_flash || f.ifetch_units + f.data_reads == 0) return;  // e.g. flash behind a core L1 only
  row("flash I-cache hit rate", fmt::format("{:.1f} % of {} lookups", 100 * ratio(f.icache.hits, f.icache.hits + f.icache.misses),
                                           grouped(f.icache.hits + f.icache.misses)));
  row("flash D-cache hit rate", fmt::format("{:.1f} % of {} lookups", 100 * ratio(f.dcache.hits, f.dcache.hits + f.dcache.misses),
                                           grouped(f.dcache.hits + f.dcache.misses)));
  row("fetch buffer/prefetch hits", fmt::format("{:.1f} % of {} fetch units ({:.1f} % by prefetch)",
                                                100 * ratio(f.ifetch_buffer_hits, f.ifetch_units), grouped(f.ifetch_units),
                                                100 * ratio(f.prefetch_hits, f.ifetch_units)));
}

nlohmann::ordered_json counters_json(const Counters& c, const power::EnergyBreakdown& e, const BoardConfig& b) {
  const Hertz clock = b.clock_hz;
  const double s = static_cast<double>(c.cycles) / static_cast<double>(clock);
  nlohmann::ordered_json classes = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < c.classes.size(); ++i)
    if (c.classes[i]) classes[std::string(core::insn_class_name(static_cast<core::InsnClass>(i)))] = c.classes[i];
  auto cache = [](const mem::CacheStats& x) {
    return nlohmann::ordered_json{
        {"hits", x.hits}, {"misses", x.misses}, {"evictions", x.evictions}, {"writebacks", x.writebacks}};
  };
  auto ram = [](const SramCounters& x) {
    return nlohmann::ordered_json{{"reads", x.reads},           {"writes", x.writes},
                                  {"read_bytes", x.read_bytes}, {"write_bytes", x.write_bytes},
                                  {"stall_cycles", x.stall_cycles}};
  };
  auto l1 = [&](const mem::L1Stats& x) {
    auto j = cache(x.cache);
    j["line_fills"] = x.line_fills;
    j["memory_writes"] = x.memory_writes;
    j["stall_cycles"] = x.stall_cycles;
    return j;
  };
  nlohmann::ordered_json regions = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < c.ram_regions.size() && i < b.sram.size(); ++i) {
    auto j = nlohmann::ordered_json{{"name", b.sram[i].name}};
    j.update(ram(c.ram_regions[i]));
    regions.push_back(j);
  }
  const auto& f = c.flash;
  return {
      {"instructions", c.instructions},
      {"cycles", c.cycles},
      {"cpi", ratio(c.cycles, c.instructions)},
      {"latency_s", s},
      {"branch_penalty_cycles", c.branch_penalty_cycles},
      {"divide_extra_cycles", c.divide_extra_cycles},
      {"sleep_cycles", c.sleep_cycles},
      {"exception_cycles", c.exception_cycles},
      {"exceptions", c.exceptions},
      {"multiply_extra_cycles", c.multiply_extra_cycles},
      {"instruction_classes", classes},
      {"flash",
       {{"array_reads", f.array_reads},
        {"prefetch_reads", f.prefetch_reads},
        {"ifetch_units", f.ifetch_units},
        {"ifetch_buffer_hits", f.ifetch_buffer_hits},
        {"prefetch_hits", f.prefetch_hits},
        {"icache", cache(f.icache)},
        {"dcache", cache(f.dcache)},
        {"data_reads", f.data_reads},
        {"data_read_bytes", f.data_read_bytes},
        {"ifetch_stall_cycles", f.ifetch_stall_cycles},
        {"data_stall_cycles", f.data_stall_cycles},
        {"burst_reads", f.burst_reads}}},
      {"sram", ram(c.sram)},
      {"tcm", ram(c.tcm)},
      {"ram_regions", regions},
      {"l1", {{"icache", l1(c.l1i)}, {"dcache", l1(c.l1d)}}},
      {"peripheral_accesses", c.peripheral_accesses},
      {"energy", energy_json(e, s)},
  };
}

}  // namespace

std::string_view mcusim_version() { return MCUSIM_VERSION; }

const RegionResult* region_named(const RunResult& r, std::string_view name) {
  for (auto& reg : r.regions) {
    auto it = reg.attrs.find("name");
    if (it != reg.attrs.end() && it->second == name) return &reg;
  }
  return nullptr;
}

const RegionResult* inference_region(const RunResult& r) { return region_named(r, "inference"); }

std::string text_report(const RunResult& r, bool layers) {
  std::string out;
  out += fmt::format("mcusim {}: {}\n", mcusim_version(), r.firmware);
  out += fmt::format("board    {}\n", config_line(r));
  out += fmt::format("energy   table {}\n", r.energy_table);
  switch (r.stop) {
    case StopReason::exited:
      out += fmt::format("outcome  firmware exited with status {}{}\n", r.exit_code,
                         r.stop_message.empty() ? std::string() : fmt::format(" ({})", r.stop_message));
      break;
    default:
      out += fmt::format("outcome  STOPPED ({}): {}\n", stop_name(r.stop), r.stop_message);
  }
  if (!r.soc.soc.empty()) {  // SoC peripherals (docs/peripherals.md)
    if (r.soc.programmed_clock_hz)
      out += fmt::format("clock    programmed by the firmware: {:g} MHz (cycle {})\n", r.soc.programmed_clock_hz / 1e6,
                         r.soc.clock_set_at);
    else
      out += fmt::format("clock    not programmed by the firmware: the board's {:g} MHz\n", r.board.clock_hz / 1e6);
    for (const auto& [uart, text] : r.soc.uart_output) out += fmt::format("uart     {}: {} bytes sent\n", uart, text.size());
    if (!r.soc.gpio_edges.empty())
      out += fmt::format("gpio     {} output edges (first: {} -> {} at cycle {})\n", r.soc.gpio_edges.size(),
                         r.soc.gpio_edges.front().pin, r.soc.gpio_edges.front().level, r.soc.gpio_edges.front().cycle);
    for (const auto& w : r.soc.warnings) out += fmt::format("warning  {}\n", w);
  }
  if (const RegionResult* inf = inference_region(r)) {
    out += fmt::format("\nPer inference (region '{}', {} instance{}, figures per instance):\n", inf->label,
                       inf->instances, inf->instances == 1 ? "" : "s");
    figures(out, inf->counters, inf->energy, r.board.clock_hz, r.board.has_flash);
  }
  out += "\nWhole run (reset to exit):\n";
  figures(out, r.total, r.energy, r.board.clock_hz, r.board.has_flash);
  const auto& fp = r.footprint;
  out += "\nFootprint:\n";
  if (!fp.from_sections) {
    out += fmt::format("  {:<28}{} (image bytes; the image has no sections)\n", "flash", bytes_text(fp.flash_total()));
    out += fmt::format("  {:<28}{} measured from writes (data and heap {}, peak stack {}; 32-byte granules)\n",
                       "SRAM", bytes_text(fp.sram_total()), bytes_text(fp.sram_written), bytes_text(fp.stack_peak));
  } else {
  out += fmt::format("  {:<28}{} (text {}, rodata {}, data {})\n", "flash", bytes_text(fp.flash_total()),
                     bytes_text(fp.text), bytes_text(fp.rodata), bytes_text(fp.data));
  out += fmt::format("  {:<28}{} (data {}, bss {} of which activation arena {}, peak stack {} measured)\n", "SRAM",
                     bytes_text(fp.sram_total()), bytes_text(fp.data), bytes_text(fp.bss), bytes_text(fp.arena),
                     bytes_text(fp.stack_peak));
  }
  if (layers && !r.regions.empty()) {
    out += '\n';
    out += layer_table(r);
  }
  return out;
}

std::string layer_table(const RunResult& r) {
  std::string out;
  const RegionResult* inf = inference_region(r);
  const auto& whole = inf ? inf->counters : r.total;
  const double total_cycles = static_cast<double>(whole.cycles);
  out += fmt::format("  {:<12} {:<20} {:<12} {:>10} {:>12} {:>12} {:>9} {:>10} {:>10} {:>7}\n", "region", "op",
                     "out", "MACs", "instructions", "cycles", "cyc/MAC", "ms", "uJ", "share");
  Cycles in_layers = 0;
  auto row = [&](const std::string& name, const std::string& op, const std::string& shape, std::uint64_t macs,
                 const Counters& c, double uj) {
    out += fmt::format("  {:<12} {:<20} {:<12} {:>10} {:>12} {:>12} {:>9} {:>10.3f} {:>10.2f} {:>6.1f}%\n", name, op,
                       shape, macs ? grouped(macs) : "-", grouped(c.instructions), grouped(c.cycles),
                       macs ? fmt::format("{:.2f}", ratio(c.cycles, macs)) : "-",
                       static_cast<double>(c.cycles) / r.board.clock_hz * 1e3, uj,
                       total_cycles > 0 ? 100.0 * c.cycles / total_cycles : 0.0);
  };
  for (auto& reg : r.regions) {
    if (&reg == inf) continue;
    auto attr = [&](const char* k) {
      auto it = reg.attrs.find(k);
      return it == reg.attrs.end() ? std::string("-") : it->second;
    };
    std::uint64_t macs = 0;
    try {
      macs = std::stoull(attr("macs"));
    } catch (...) {
    }
    in_layers += reg.counters.cycles;
    // A label that is not key=value pairs has no name attribute: show the label itself.
    row(reg.attrs.count("name") ? attr("name") : reg.label, attr("op"), attr("out"), macs, reg.counters,
        reg.energy.total_pj() * 1e-6);
  }
  if (inf) {
    Counters glue;
    glue.cycles = whole.cycles >= in_layers ? whole.cycles - in_layers : 0;
    out += fmt::format("  {:<12} {:<20} {:<12} {:>10} {:>12} {:>12}\n", "(harness)", "markers and glue", "", "", "",
                       grouped(glue.cycles));
    row("inference", "total", "", 0, whole, inf->energy.total_pj() * 1e-6);
  }
  return out;
}

nlohmann::ordered_json run_json(const RunResult& r) {
  const auto& b = r.board;
  auto cache_cfg = [](bool en, const mem::CacheConfig& c) {
    return nlohmann::ordered_json{{"enabled", en},
                                  {"size_bytes", c.size_bytes},
                                  {"line_bytes", c.line_bytes},
                                  {"ways", c.ways},
                                  {"replacement", replacement_name(c.replacement)}};
  };
  nlohmann::ordered_json sram = nlohmann::ordered_json::array();
  for (auto& s : b.sram)
    sram.push_back({{"name", s.name},
                    {"kind", s.kind == RamKind::itcm ? "itcm" : s.kind == RamKind::dtcm ? "dtcm" : "sram"},
                    {"base", s.base},
                    {"size_bytes", s.size_bytes},
                    {"wait_states", s.wait_states},
                    {"cacheable", s.cacheable}});
  auto l1_cfg = [&](const mem::L1Config& c, bool data) {
    auto j = cache_cfg(c.enabled, c.geometry);
    if (data) {
      j["write_policy"] = c.write_policy == mem::WritePolicy::write_back ? "write-back" : "write-through";
      j["write_allocate"] = c.write_allocate;
    }
    return j;
  };
  nlohmann::ordered_json l1 = nullptr;
  if (b.l1.present)
    l1 = {{"miss_overhead_cycles", b.l1.miss_overhead_cycles},
          {"bus_bytes", b.l1.bus_bytes},
          {"icache", l1_cfg(b.l1.icache, false)},
          {"dcache", l1_cfg(b.l1.dcache, true)}};
  nlohmann::ordered_json j;
  j["board"] = {{"name", b.name},
                {"core", r.core_model},
                {"clock_hz", b.clock_hz},
                {"flash",
                 {{"base", b.flash.base},
                  {"size_bytes", b.flash.size_bytes},
                  {"wait_states", b.flash.wait_states},
                  {"wait_states_from_table", b.wait_states_from_table},
                  {"read_width_bytes", b.flash.read_width_bytes},
                  {"prefetch", b.flash.prefetch},
                  {"icache", cache_cfg(b.flash.icache_enabled, b.flash.icache)},
                  {"dcache", cache_cfg(b.flash.dcache_enabled, b.flash.dcache)},
                  {"unified_cache", b.flash.unified_cache}}},
                {"sram", sram},
                {"cache", l1},
                {"energy_table", r.energy_table}};
  j["energy_model"] = energy_table_json(r.energy_model);
  j["stop"] = {{"reason", stop_name(r.stop)}, {"exit_code", r.exit_code}, {"message", r.stop_message}};
  j["total"] = counters_json(r.total, r.energy, b);
  const RegionResult* inf = inference_region(r);
  j["inference"] = inf ? counters_json(inf->counters, inf->energy, b) : nlohmann::ordered_json();
  const auto& fp = r.footprint;
  j["footprint"] = {{"flash_bytes", fp.flash_total()}, {"sram_bytes", fp.sram_total()}, {"text", fp.text},
                    {"rodata", fp.rodata}, {"data", fp.data}, {"bss", fp.bss}, {"arena", fp.arena}, {"stack_peak", fp.stack_peak}};
  if (fp.heap) j["footprint"]["heap"] = fp.heap;  // only when the firmware used a heap
  if (fp.process_stack_peak) j["footprint"]["process_stack_peak"] = fp.process_stack_peak;  // only with a PSP
  nlohmann::ordered_json regions = nlohmann::ordered_json::array();
  for (auto& reg : r.regions) {
    nlohmann::ordered_json attrs(reg.attrs);
    regions.push_back({{"id", reg.id},
                       {"label", reg.label},
                       {"attributes", attrs},
                       {"instances", reg.instances},
                       {"counters", counters_json(reg.counters, reg.energy, b)}});
  }
  j["regions"] = regions;
  j["console"] = r.console;
  return j;
}

void write_file_atomically(const std::filesystem::path& given, const std::string& content) {
  namespace fs = std::filesystem;
  if (given.empty()) throw InputError("output file name is empty; give a path, or - for standard output");
  if (given == "-") {
    std::cout << content << std::flush;
    if (!std::cout) throw InputError("standard output: write failed");
    return;
  }
  std::error_code ec;
  fs::path path = given;
  // A symbolic link stays a link: the file it points to is replaced (whole or not at all).
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    path = fs::weakly_canonical(path, ec);
    if (ec) throw InputError(fmt::format("{}: cannot resolve the symbolic link: {}", given.string(), ec.message()));
  }
  const auto st = fs::status(path, ec);
  if (fs::is_directory(st)) throw InputError(fmt::format("{}: is a directory; expected an output file", given.string()));
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    // A device or FIFO (e.g. /dev/null, /dev/stdout, a pipe): written in place, never replaced.
    std::ofstream f(path, std::ios::binary);
    if (!f) throw InputError(fmt::format("{}: cannot write: {}", given.string(), std::strerror(errno)));
    f << content;
    f.flush();
    if (!f) throw InputError(fmt::format("{}: write failed", given.string()));
    return;
  }
  if (fs::exists(st) && (st.permissions() & (fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write)) ==
                            fs::perms::none)
    throw InputError(fmt::format("{}: is read-only; not replaced", given.string()));
  // The temporary file is per process: two runs writing the same output (parallel CI jobs, a
  // sweep) each rename a whole file into place instead of one renaming the other's half-written
  // temporary and the other failing.
  auto tmp = path;
  tmp += ".tmp-mcusim-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(fmt::format("{}: cannot write: {}", given.string(), std::strerror(errno)));
    f << content;
    f.flush();
    if (!f) {
      fs::remove(tmp, ec);
      throw InputError(fmt::format("{}: write failed", given.string()));
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw InputError(fmt::format("{}: cannot write: {}", given.string(), ec.message()));
  }
}

void check_distinct_files(const std::vector<std::pair<std::string, std::string>>& outputs,
                          const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  auto key = [](const std::string& p) {
    if (p == "-") return p;
    std::error_code ec;
    auto c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? p : c.string();
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].second.empty())
      throw InputError(fmt::format("{}: the file name is empty; give a path, or - for standard output",
                                   outputs[i].first));
    const auto k = key(outputs[i].second);
    for (auto& in : inputs)
      if (!in.empty() && in != "-" && key(in) == k)
        throw InputError(fmt::format("{} {}: is also an input file; it would be overwritten", outputs[i].first,
                                     outputs[i].second));
    for (std::size_t j = 0; j < i; ++j)
      if (key(outputs[j].second) == k)
        throw InputError(fmt::format("{} {} and {} {}: two outputs to the same {}", outputs[j].first,
                                     outputs[j].second, outputs[i].first, outputs[i].second,
                                     k == "-" ? "standard output" : "file"));
  }
}

}  // namespace mcusim
