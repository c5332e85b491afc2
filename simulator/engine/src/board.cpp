#include "mcusim/board.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "mcusim/base/errors.h"

#ifndef MCUSIM_SOURCE_DATA_DIR
#define MCUSIM_SOURCE_DATA_DIR "."
#endif

namespace mcusim {
namespace {

/// Largest cache the tag store models (bytes). Real MCU caches are at most a few tens of KiB; the
/// bound keeps the host memory of a run small whatever a board file or --set says.
constexpr std::uint32_t kMaxCacheBytes = 16u << 20;

// Reads a board file's tables with the file name in every error message.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  /// Records that `key` (as this reader spells it, e.g. "sram[0].base") was given by `--set ov`.
  void overridden(const std::string& key, const std::string& ov) { overrides_.emplace_back(key, ov); }

  /// Throws InputError for `key`. A value that came from --set is blamed on the option, not on the
  /// board file: the --set of `key` (or of a table containing it, or inside it), else, when the
  /// error follows from several keys (a cache geometry), the last --set of a key under `related`.
  [[noreturn]] void fail(const std::string& key, const std::string& what, const std::string& related = "") const {
    auto match = [&](const std::string& k) {
      return key == k || key.rfind(k + ".", 0) == 0 || k.rfind(key + ".", 0) == 0 ||
             (!related.empty() && k.rfind(related, 0) == 0);
    };
    for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it)
      if (match(it->first))
        throw InputError(fmt::format("--set {}: {}: {} (board file {})", it->second, key, what, file_));
    throw InputError(fmt::format("{}: {}: {}", file_, key, what));
  }

  void check_keys(const toml::table& t, const std::string& prefix,
                  const std::set<std::string>& allowed) const {
    for (auto&& [k, v] : t) {
      (void)v;
      if (!allowed.count(std::string(k.str())))
        fail(prefix + std::string(k.str()),
             fmt::format("unknown key (allowed: {})", fmt::join(allowed, ", ")));
    }
  }

  const toml::table& table(const toml::table& t, const std::string& key,
                           const std::string& prefix) const {
    auto* sub = t[key].as_table();
    if (!sub) fail(prefix + key, "missing table");
    return *sub;
  }

  std::string str(const toml::table& t, const std::string& key, const std::string& prefix) const {
    auto v = t[key].value<std::string>();
    if (!v) fail(prefix + key, "missing or not a string");
    return *v;
  }

  std::int64_t integer(const toml::table& t, const std::string& key, const std::string& prefix,
                       std::int64_t lo, std::int64_t hi) const {
    auto v = t[key].value<std::int64_t>();
    if (!v) fail(prefix + key, "missing or not an integer");
    if (*v < lo || *v > hi) fail(prefix + key, fmt::format("{} is out of range [{}, {}]", *v, lo, hi));
    return *v;
  }

  bool boolean(const toml::table& t, const std::string& key, const std::string& prefix) const {
    auto v = t[key].value<bool>();
    if (!v) fail(prefix + key, "missing or not a boolean (true/false)");
    return *v;
  }

  // A size: an integer number of bytes or a string "<n>B", "<n>KiB", "<n>MiB".
  std::uint32_t size(const toml::table& t, const std::string& key, const std::string& prefix) const {
    const auto& node = t[key];
    if (auto i = node.value<std::int64_t>()) {
      if (*i <= 0 || *i > 0xFFFFFFFFll) fail(prefix + key, "size must be in 1 .. 4 GiB");
      return static_cast<std::uint32_t>(*i);
    }
    auto s = node.value<std::string>();
    if (!s) fail(prefix + key, "missing; expected bytes as an integer or a string like \"1KiB\"");
    std::size_t pos = 0;
    unsigned long long n = 0;
    try {
      if (s->empty() || !std::isdigit(static_cast<unsigned char>((*s)[0]))) throw std::invalid_argument("");
      n = std::stoull(*s, &pos);
    } catch (const std::out_of_range&) {
      fail(prefix + key, fmt::format("'{}' is larger than 4 GiB", *s));
    } catch (...) {
      fail(prefix + key, fmt::format("'{}' is not a size like \"256B\", \"1KiB\", \"2MiB\"", *s));
    }
    std::string unit = s->substr(pos);
    unsigned long long mult = unit == "B" || unit.empty() ? 1
                              : unit == "KiB"              ? 1024
                              : unit == "MiB"              ? 1024 * 1024
                                                           : 0;
    if (mult == 0 || n == 0)
      fail(prefix + key, fmt::format("'{}' is not a size like \"256B\", \"1KiB\", \"2MiB\"", *s));
    if (n > 0xFFFFFFFFull / mult) fail(prefix + key, fmt::format("'{}' is larger than 4 GiB", *s));
    return static_cast<std::uint32_t>(n * mult);
  }

 private:
  std::string file_;
  std::vector<std::pair<std::string, std::string>> overrides_;  // (key, "--set" argument)
};

mem::Replacement replacement_from(const Reader& r, const std::string& s, const std::string& key) {
  if (s == "lru") return mem::Replacement::lru;
  if (s == "fifo") return mem::Replacement::fifo;
  if (s == "random") return mem::Replacement::random;
  r.fail(key, fmt::format("'{}' is not a replacement policy (lru, fifo, random)", s));
}

// The geometry rules of mem::Cache (docs/models/cache.md), checked when the board loads so that
// `run`, board files and --set all name the key: power-of-two line size, a size that is a whole
// number of lines and at most kMaxCacheBytes, a way count that divides the lines into a
// power-of-two number of sets.
void check_cache_geometry(const Reader& r, const std::string& prefix, const mem::CacheConfig& c) {
  if (!std::has_single_bit(c.line_bytes))
    r.fail(prefix + "line_bytes", fmt::format("{} is not a power of two", c.line_bytes), prefix);
  if (c.size_bytes > kMaxCacheBytes)
    r.fail(prefix + "size", fmt::format("{} bytes is larger than the modelled maximum of {} MiB", c.size_bytes,
                                        kMaxCacheBytes >> 20), prefix);
  if (c.size_bytes % c.line_bytes != 0)
    r.fail(prefix + "size", fmt::format("{} bytes is not a whole number of {}-byte lines", c.size_bytes, c.line_bytes), prefix);
  const std::uint32_t lines = c.size_bytes / c.line_bytes;
  if (c.ways > lines || lines % c.ways != 0)
    r.fail(prefix + "ways", fmt::format("{} does not divide the {} lines ({} bytes / {}-byte lines)", c.ways, lines,
                                        c.size_bytes, c.line_bytes), prefix);
  if (!std::has_single_bit(lines / c.ways))
    r.fail(prefix + "ways", fmt::format("{} ways give {} sets ({} lines), which is not a power of two", c.ways,
                                        lines / c.ways, lines), prefix);
}

void read_cache(const Reader& r, const toml::table& t, const std::string& prefix, bool& enabled,
                mem::CacheConfig& c) {
  r.check_keys(t, prefix, {"enabled", "size", "line_bytes", "ways", "replacement", "seed"});
  enabled = r.boolean(t, "enabled", prefix);
  c.size_bytes = r.size(t, "size", prefix);
  c.line_bytes = static_cast<std::uint32_t>(r.integer(t, "line_bytes", prefix, 4, 4096));
  c.ways = static_cast<std::uint32_t>(r.integer(t, "ways", prefix, 1, 1024));
  c.replacement = replacement_from(r, r.str(t, "replacement", prefix), prefix + "replacement");
  if (t.contains("seed")) c.random_seed = r.integer(t, "seed", prefix, 0, INT64_MAX);
  check_cache_geometry(r, prefix, c);
}

// Applies "a.b.c=value" to the parsed document. The value is parsed as a TOML value; anything
// that does not parse is taken as a string. Returns the key as the board reader names it in
// errors ("sram.<name>.k" becomes "sram[<index>].k"; "clock_mhz" becomes "clock_hz").
std::string apply_override(toml::table& doc, const std::string& ov) {
  auto eq = ov.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(fmt::format("--set '{}': expected key=value", ov));
  std::string key = ov.substr(0, eq), value = ov.substr(eq + 1);
  if (key == "clock_mhz") {
    // Alias: clock_mhz=80 (or 80.5) sets clock_hz in whole Hz.
    char* end = nullptr;
    const double mhz = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(mhz > 0) || mhz > 2000)
      throw InputError(fmt::format("--set '{}': expected a clock in MHz (0 < MHz <= 2000)", ov));
    doc.insert_or_assign("clock_hz", static_cast<std::int64_t>(std::llround(mhz * 1e6)));
    return "clock_hz";
  }
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    parsed = toml::table{{"v", value}};
  }
  toml::table* t = &doc;
  std::size_t start = 0;
  std::string canonical;
  for (;;) {
    auto dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) throw InputError(fmt::format("--set '{}': empty key component", ov));
    if (dot == std::string::npos) {
      t->insert_or_assign(part, *parsed["v"].node());
      return canonical + part;
    }
    if (auto* arr = (*t)[part].as_array()) {
      // An array of tables ([[sram]]): the next component names the element by its `name`.
      auto next_dot = key.find('.', dot + 1);
      if (next_dot == std::string::npos)
        throw InputError(fmt::format("--set '{}': expected {}.<name>.<key>", ov, part));
      const std::string elem = key.substr(dot + 1, next_dot - dot - 1);
      toml::table* found = nullptr;
      std::vector<std::string> names;
      std::size_t index = 0;
      for (std::size_t i = 0; i < arr->size(); ++i)
        if (auto* et = (*arr)[i].as_table()) {
          auto n = (*et)["name"].value<std::string>();
          if (n) names.push_back(*n);
          if (n && *n == elem && !found) found = et, index = i;
        }
      if (!found)
        throw InputError(fmt::format("--set '{}': the board has no {} named '{}' (it has: {})", ov, part,
                                     elem, fmt::join(names, ", ")));
      t = found;
      canonical += fmt::format("{}[{}].", part, index);
      start = next_dot + 1;
      continue;
    }
    auto* sub = (*t)[part].as_table();
    if (!sub) throw InputError(fmt::format("--set '{}': '{}' is not a table of the board", ov, part));
    t = sub;
    canonical += part + ".";
    start = dot + 1;
  }
}

// [flash]: embedded flash or an XIP window behind the accelerator / cache.
void read_flash(const Reader& r, const toml::table& fl, bool ws_fixed, BoardConfig& b) {
  r.check_keys(fl, "flash.", {"base", "size", "read_width_bytes", "wait_state_table_hz",
                              "wait_states", "prefetch", "icache", "dcache", "unified_cache"});
  b.flash.base = static_cast<Addr>(r.integer(fl, "base", "flash.", 0, 0xFFFFFFFF));
  b.flash.size_bytes = r.size(fl, "size", "flash.");
  b.flash.read_width_bytes = static_cast<std::uint32_t>(r.integer(fl, "read_width_bytes", "flash.", 1, 64));
  if (!std::has_single_bit(b.flash.read_width_bytes) || b.flash.read_width_bytes < 4)
    r.fail("flash.read_width_bytes",
           fmt::format("{} is not a power of two of at least 4 (4, 8, 16, 32 or 64)", b.flash.read_width_bytes));
  if (std::uint64_t(b.flash.base) + b.flash.size_bytes > (1ull << 32))
    r.fail("flash.size", fmt::format("{} bytes from base 0x{:08x} run past the 32-bit address space",
                                     b.flash.size_bytes, b.flash.base));
  if (b.flash.base % b.flash.read_width_bytes != 0)
    r.fail("flash.base", fmt::format("0x{:08x} is not aligned to read_width_bytes {}", b.flash.base,
                                     b.flash.read_width_bytes));
  if (auto* arr = fl["wait_state_table_hz"].as_array()) {
    for (auto& e : *arr) {
      auto v = e.value<std::int64_t>();
      if (!v || *v <= 0) r.fail("flash.wait_state_table_hz", "expected positive integers (Hz)");
      if (!b.wait_state_table_hz.empty() && static_cast<Hertz>(*v) <= b.wait_state_table_hz.back())
        r.fail("flash.wait_state_table_hz", "entries must increase (max HCLK at 0, 1, 2, ... WS)");
      b.wait_state_table_hz.push_back(static_cast<Hertz>(*v));
    }
  }
  if (ws_fixed || fl.contains("wait_states")) {
    b.flash.wait_states = static_cast<std::uint32_t>(r.integer(fl, "wait_states", "flash.", 0, 1000));
    b.wait_states_from_table = false;
  } else {
    if (b.wait_state_table_hz.empty())
      r.fail("flash", "needs wait_state_table_hz or wait_states");
    b.flash.wait_states = wait_states_for_clock(b.wait_state_table_hz, b.clock_hz, b.name);
  }
  b.flash.prefetch = r.boolean(fl, "prefetch", "flash.");
  read_cache(r, r.table(fl, "icache", "flash."), "flash.icache.", b.flash.icache_enabled, b.flash.icache);
  read_cache(r, r.table(fl, "dcache", "flash."), "flash.dcache.", b.flash.dcache_enabled, b.flash.dcache);
  if (fl.contains("unified_cache")) b.flash.unified_cache = r.boolean(fl, "unified_cache", "flash.");
  // A cache line holds whole flash read units (docs/models/flash.md).
  for (auto [name, c] : {std::pair{"icache", &b.flash.icache}, std::pair{"dcache", &b.flash.dcache}})
    if (c->line_bytes < b.flash.read_width_bytes)
      r.fail(fmt::format("flash.{}.line_bytes", name),
             fmt::format("{} is smaller than flash.read_width_bytes {}", c->line_bytes, b.flash.read_width_bytes),
             "flash.");

}

// [cache]: the core's L1 caches (Cortex-M7).
void read_l1_cache(const Reader& r, const toml::table& t, const std::string& prefix, bool data,
                   mem::L1Config& c) {
  std::set<std::string> keys = {"enabled", "size", "line_bytes", "ways", "replacement", "seed"};
  if (data) keys.insert({"write_policy", "write_allocate"});
  r.check_keys(t, prefix, keys);
  toml::table geometry;
  for (auto&& [k, v] : t)
    if (k != "write_policy" && k != "write_allocate") geometry.insert(k, v);
  read_cache(r, geometry, prefix, c.enabled, c.geometry);
  if (!data) return;
  const std::string policy = r.str(t, "write_policy", prefix);
  if (policy == "write-back")
    c.write_policy = mem::WritePolicy::write_back;
  else if (policy == "write-through")
    c.write_policy = mem::WritePolicy::write_through;
  else
    r.fail(prefix + "write_policy", fmt::format("'{}' is not a write policy (write-back, write-through)", policy));
  c.write_allocate = r.boolean(t, "write_allocate", prefix);
}

void read_l1(const Reader& r, const toml::table& t, BoardConfig& b) {
  r.check_keys(t, "cache.", {"miss_overhead_cycles", "bus_bytes", "icache", "dcache"});
  b.l1.present = true;
  b.l1.miss_overhead_cycles = static_cast<std::uint32_t>(r.integer(t, "miss_overhead_cycles", "cache.", 0, 1000));
  b.l1.bus_bytes = static_cast<std::uint32_t>(r.integer(t, "bus_bytes", "cache.", 1, 64));
  if ((b.l1.bus_bytes & (b.l1.bus_bytes - 1)) != 0) r.fail("cache.bus_bytes", "must be a power of two");
  read_l1_cache(r, r.table(t, "icache", "cache."), "cache.icache.", false, b.l1.icache);
  read_l1_cache(r, r.table(t, "dcache", "cache."), "cache.dcache.", true, b.l1.dcache);
  for (const auto* c : {&b.l1.icache, &b.l1.dcache})
    if (c->geometry.line_bytes % b.l1.bus_bytes != 0)
      r.fail("cache", fmt::format("line_bytes {} is not a multiple of bus_bytes {}", c->geometry.line_bytes,
                                  b.l1.bus_bytes));
}

// A core or power table name: a file name under `dir` (no path), which must exist. Lists the
// valid names otherwise.
void check_table_name(const Reader& r, const std::string& key, const std::string& name,
                      const std::filesystem::path& dir, const std::string& not_a_table) {
  const bool plain = !name.empty() && name[0] != '.' &&
                     std::all_of(name.begin(), name.end(), [](char ch) {
                       return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
                     });
  std::error_code ec;
  if (plain && name != not_a_table && std::filesystem::is_regular_file(dir / (name + ".toml"), ec)) return;
  std::vector<std::string> names;
  for (auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml" && e.path().stem() != not_a_table) names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  r.fail(key, fmt::format("'{}' is not a known table name ({}: {})", name, dir.string(),
                          names.empty() ? std::string("no tables found there") : fmt::format("{}", fmt::join(names, ", "))));
}

// Memory map checks the emulator would otherwise only meet when it maps memory: RAM inside the
// 32-bit address space and clear of the flash and (Arm) of the Private Peripheral Bus; console
// and halt registers outside memory and distinct.
void check_memory_map(const Reader& r, const BoardConfig& b) {
  // ARMv7-M ARM (DDI 0403) B3.1, table B3-1: the PPB (ITM, DWT, FPB, SCS) is 0xE0000000-0xE00FFFFF.
  constexpr std::uint64_t kPpbBase = 0xE0000000, kPpbEnd = 0xE0100000;
  const bool arm = b.core.rfind("cortex-m", 0) == 0;
  auto overlaps = [](std::uint64_t a, std::uint64_t an, std::uint64_t c, std::uint64_t cn) {
    return a < c + cn && c < a + an;
  };
  for (std::size_t i = 0; i < b.sram.size(); ++i) {
    const auto& s = b.sram[i];
    const std::string prefix = fmt::format("sram[{}].", i);
    if (std::uint64_t(s.base) + s.size_bytes > (1ull << 32))
      r.fail(prefix + "size", fmt::format("{} bytes from base 0x{:08x} run past the 32-bit address space",
                                          s.size_bytes, s.base));
    if (b.has_flash && overlaps(s.base, s.size_bytes, b.flash.base, b.flash.size_bytes))
      r.fail(prefix + "base", fmt::format("region '{}' at 0x{:08x} ({} bytes) overlaps the flash at 0x{:08x} ({} bytes)",
                                          s.name, s.base, s.size_bytes, b.flash.base, b.flash.size_bytes));
    if (arm && overlaps(s.base, s.size_bytes, kPpbBase, kPpbEnd - kPpbBase))
      r.fail(prefix + "base", fmt::format("region '{}' overlaps the Private Peripheral Bus 0xE0000000-0xE00FFFFF "
                                          "(SCS, DWT)", s.name));
  }
  if (arm && b.has_flash && overlaps(b.flash.base, b.flash.size_bytes, kPpbBase, kPpbEnd - kPpbBase))
    r.fail("flash.base", "the flash overlaps the Private Peripheral Bus 0xE0000000-0xE00FFFFF (SCS, DWT)");
  for (auto [key, addr] : {std::pair{"console_address", b.console_address}, std::pair{"halt_address", b.halt_address}}) {
    if (!addr) continue;
    if (b.has_flash && *addr - b.flash.base < b.flash.size_bytes)
      r.fail(key, fmt::format("0x{:08x} is inside the flash; expected a device address outside memory", *addr));
    for (const auto& s : b.sram)
      if (s.contains(*addr))
        r.fail(key, fmt::format("0x{:08x} is inside RAM region '{}'; expected a device address outside memory", *addr,
                                s.name));
    if (arm && *addr >= kPpbBase && *addr < kPpbEnd)
      r.fail(key, fmt::format("0x{:08x} is inside the Private Peripheral Bus 0xE0000000-0xE00FFFFF (SCS, DWT)",
                              *addr));
  }
  if (b.console_address && b.halt_address && *b.console_address == *b.halt_address)
    r.fail("halt_address", fmt::format("0x{:08x} is also the console_address; a console byte would end the run",
                                       *b.halt_address));
}

}  // namespace

std::uint32_t wait_states_for_clock(const std::vector<Hertz>& table_hz, Hertz clock_hz,
                                    const std::string& board_name) {
  for (std::size_t ws = 0; ws < table_hz.size(); ++ws)
    if (clock_hz <= table_hz[ws]) return static_cast<std::uint32_t>(ws);
  throw InputError(fmt::format("board {}: clock {} Hz exceeds the flash wait-state table (max {} Hz)",
                               board_name, clock_hz, table_hz.empty() ? 0 : table_hz.back()));
}

std::filesystem::path installed_share_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  auto share = exe.parent_path().parent_path() / "share" / "mcusim";
  return std::filesystem::is_directory(share / "boards", ec) ? share : std::filesystem::path();
}

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("MCUSIM_DATA_DIR"); env && *env) return env;
  if (auto share = installed_share_dir(); !share.empty()) return share;
  return MCUSIM_SOURCE_DATA_DIR;
}

std::filesystem::path core_table_path(const BoardConfig& b) {
  return data_dir() / "core-models" / "data" / (b.core + ".toml");
}

std::filesystem::path energy_table_path(const BoardConfig& b) {
  return data_dir() / "power-models" / "data" / (b.power + ".toml");
}

std::unique_ptr<core::CoreModel> load_board_core(const BoardConfig& b) {
  const auto path = core_table_path(b);
  try {
    if (b.core_set.empty()) return core::load_core_model(path);
    toml::table doc;
    try {
      doc = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
      throw InputError(fmt::format("{}: {}", path.string(), e.description()));
    }
    for (auto& ov : b.core_set) {
      try {
        apply_override(doc, ov);
      } catch (const InputError& e) {
        throw InputError(fmt::format("{}: core_set: {}", b.file.string(), e.what()));
      }
    }
    std::ostringstream text;
    text << doc;
    return core::parse_core_model(text.str(), fmt::format("{} (with core_set of {})", path.string(), b.file.string()));
  } catch (const core::TimingTableError& e) {
    throw InputError(e.what());
  }
}

std::string memory_summary(const BoardConfig& b) {
  auto kib = [](std::uint32_t bytes) {
    return bytes % 1024 == 0 ? fmt::format("{} KiB", bytes / 1024) : fmt::format("{} B", bytes);
  };
  auto cache = [&](const char* what, const mem::CacheConfig& c) {
    return fmt::format("{} {} {}-way {} B lines", what, kib(c.size_bytes), c.ways, c.line_bytes);
  };
  std::vector<std::string> parts;
  if (b.has_flash) {
    const auto& f = b.flash;
    std::string t = fmt::format("flash {} @ {} WS{}, {}-bit reads, prefetch {}", kib(f.size_bytes), f.wait_states,
                                b.wait_states_from_table ? "" : " (fixed)", f.read_width_bytes * 8,
                                f.prefetch ? "on" : "off");
    if (f.icache_enabled) t += fmt::format(", {}", cache(f.unified_cache ? "unified cache" : "I-cache", f.icache));
    if (f.dcache_enabled && !f.unified_cache) t += fmt::format(", {}", cache("D-cache", f.dcache));
    parts.push_back(t);
  } else {
    parts.push_back("no flash (code runs from RAM)");
  }
  if (b.l1.present) {
    std::string t = "L1";
    if (b.l1.icache.enabled) t += fmt::format(" {}", cache("I", b.l1.icache.geometry));
    if (b.l1.dcache.enabled)
      t += fmt::format("{} {} {}{}", b.l1.icache.enabled ? ";" : "", cache("D", b.l1.dcache.geometry),
                       b.l1.dcache.write_policy == mem::WritePolicy::write_back ? "write-back" : "write-through",
                       b.l1.dcache.write_allocate ? " write-allocate" : "");
    if (!b.l1.icache.enabled && !b.l1.dcache.enabled) t += " disabled";
    parts.push_back(t);
  }
  for (const auto& r : b.sram) {
    const char* kind = r.kind == RamKind::itcm ? "ITCM " : r.kind == RamKind::dtcm ? "DTCM " : "";
    parts.push_back(fmt::format("{} {}{}{}", r.name, kind, kib(r.size_bytes),
                                r.wait_states ? fmt::format(" @ {} WS", r.wait_states) : std::string()));
  }
  if (b.device_wait_states) parts.push_back(fmt::format("console/halt registers @ {} WS", b.device_wait_states));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::vector<std::string> list_boards() {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(data_dir() / "boards", ec))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

BoardConfig load_board(const std::string& name_or_path, const std::vector<std::string>& overrides) {
  std::filesystem::path path = name_or_path;
  bool is_path = name_or_path.find('/') != std::string::npos || path.extension() == ".toml";
  if (!is_path) path = data_dir() / "boards" / (name_or_path + ".toml");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (is_path) throw InputError(fmt::format("board file {}: no such file", path.string()));
    auto known = list_boards();
    throw InputError(fmt::format("unknown board '{}' (looked in {}; known boards: {})", name_or_path,
                                 (data_dir() / "boards").string(),
                                 known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "))));
  }
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("board file {}: is a directory; expected a board .toml file", path.string()));
  toml::table doc;
  try {
    doc = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: {}", path.string(), e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  Reader r(path.string());
  bool ws_fixed = false;
  for (auto& ov : overrides) {
    r.overridden(apply_override(doc, ov), ov);
    if (ov.rfind("flash.wait_states=", 0) == 0) ws_fixed = true;
  }

  r.check_keys(doc, "", {"schema_version", "name", "description", "core", "power", "clock_hz",
                         "vector_table", "reset_pc", "console_address", "halt_address", "device_wait_states", "ebreak_exits",
                         "boot_address", "core_set", "flash", "sram", "cache", "vdd_v", "vcore_range", "soc", "hse_hz", "runner_uart", "timestamp_pin"});
  if (r.integer(doc, "schema_version", "", 1, 1000) != 1)
    r.fail("schema_version", "this mcusim reads schema_version 1");
  BoardConfig b;
  b.file = path;
  b.name = r.str(doc, "name", "");
  b.description = r.str(doc, "description", "");
  b.core = r.str(doc, "core", "");
  check_table_name(r, "core", b.core, data_dir() / "core-models" / "data", "exceptions");
  if (auto* arr = doc["core_set"].as_array())
    for (auto& e : *arr) {
      auto v = e.value<std::string>();
      if (!v) r.fail("core_set", "expected strings \"key=value\" (timing-table keys)");
      b.core_set.push_back(*v);
    }
  b.power = r.str(doc, "power", "");
  check_table_name(r, "power", b.power, data_dir() / "power-models" / "data", "");
  if (doc.contains("vdd_v")) {  // supply voltage for the energy table; range checked where it loads
    auto v = doc["vdd_v"].value<double>();
    if (!v || !(*v > 0)) r.fail("vdd_v", "expected a supply voltage in V, e.g. vdd_v=1.8");
    b.vdd_v = *v;
  }
  if (doc.contains("vcore_range")) {  // checked against the table's ranges where it loads
    auto v = doc["vcore_range"].value<std::string>();
    if (!v || v->empty())
      r.fail("vcore_range", "expected a range name of the energy table, e.g. vcore_range=\"range1\"");
    b.vcore_range = *v;
  }
  b.clock_hz = static_cast<Hertz>(r.integer(doc, "clock_hz", "", 1000, 2'000'000'000));
  auto address = [&](const char* key) -> std::optional<Addr> {
    if (!doc.contains(key)) return std::nullopt;
    return static_cast<Addr>(r.integer(doc, key, "", 0, 0xFFFFFFFF));
  };
  b.vector_table = address("vector_table");
  b.reset_pc = address("reset_pc");
  b.boot_address = address("boot_address");
  b.console_address = address("console_address");
  b.halt_address = address("halt_address");
  if (doc.contains("device_wait_states")) {
    if (!b.console_address && !b.halt_address)
      r.fail("device_wait_states", "is set but the board has no console_address or halt_address to apply it to");
    b.device_wait_states = static_cast<std::uint32_t>(r.integer(doc, "device_wait_states", "", 0, 15));
  }
  if (doc.contains("ebreak_exits")) b.ebreak_exits = r.boolean(doc, "ebreak_exits", "");
  if (doc.contains("soc")) {  // docs/boards.md "SoC data files"
    b.soc = r.str(doc, "soc", "");
    const auto soc_path = data_dir() / "boards" / "socs" / (b.soc + ".toml");
    if (!std::filesystem::exists(soc_path))
      r.fail("soc", fmt::format("no SoC data file {} (expected boards/socs/<soc>.toml)", soc_path.string()));
  }
  if (doc.contains("runner_uart")) {
    if (b.soc.empty()) r.fail("runner_uart", "names a SoC UART, but the board has no `soc`");
    b.runner_uart = r.str(doc, "runner_uart", "");
  }
  if (doc.contains("timestamp_pin")) {
    b.timestamp_pin = r.str(doc, "timestamp_pin", "");
    const auto& t = b.timestamp_pin;
    const bool ok = t.size() >= 3 && t.size() <= 4 && t[0] == 'P' && t[1] >= 'A' && t[1] <= 'K' &&
                    std::all_of(t.begin() + 2, t.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                    std::stoi(t.substr(2)) <= 15;
    if (!ok) r.fail("timestamp_pin", fmt::format("'{}' is not a GPIO pin (expected P<port A-K><0-15>, e.g. PF13)", t));
  }
  if (doc.contains("hse_hz")) b.hse_hz = static_cast<Hertz>(r.integer(doc, "hse_hz", "", 1, 100'000'000));

  if (!doc.contains("flash")) {
    // No flash: the flash model gets a placeholder window at the top of the address space that
    // is never mapped, so its contains() never matches a real access (no branch on the hot path).
    b.has_flash = false;
    b.flash.base = 0xFFFFF000;
    b.flash.size_bytes = 4096;
    b.flash.wait_states = 0;
    b.flash.icache_enabled = b.flash.dcache_enabled = b.flash.prefetch = false;
  } else {
    read_flash(r, r.table(doc, "flash", ""), ws_fixed, b);
  }

  auto* srams = doc["sram"].as_array();
  if (!srams || srams->empty()) r.fail("sram", "missing: at least one [[sram]] region");
  for (std::size_t i = 0; i < srams->size(); ++i) {
    auto* t = (*srams)[i].as_table();
    std::string prefix = fmt::format("sram[{}].", i);
    if (!t) r.fail(prefix, "expected a table");
    r.check_keys(*t, prefix, {"name", "base", "size", "wait_states", "kind", "cacheable"});
    SramRegion s;
    s.name = r.str(*t, "name", prefix);
    s.base = static_cast<Addr>(r.integer(*t, "base", prefix, 0, 0xFFFFFFFF));
    s.size_bytes = r.size(*t, "size", prefix);
    s.wait_states = static_cast<std::uint32_t>(r.integer(*t, "wait_states", prefix, 0, 15));
    if (t->contains("kind")) {
      const std::string kind = r.str(*t, "kind", prefix);
      if (kind == "sram") s.kind = RamKind::sram;
      else if (kind == "itcm") s.kind = RamKind::itcm;
      else if (kind == "dtcm") s.kind = RamKind::dtcm;
      else r.fail(prefix + "kind", fmt::format("'{}' is not a RAM kind (sram, itcm, dtcm)", kind));
    }
    s.cacheable = t->contains("cacheable") ? r.boolean(*t, "cacheable", prefix) : !s.is_tcm();
    if (s.cacheable && s.is_tcm()) r.fail(prefix + "cacheable", "a tightly coupled memory is never cached");
    for (const auto& o : b.sram)
      if (s.base < o.base + std::uint64_t(o.size_bytes) && o.base < s.base + std::uint64_t(s.size_bytes))
        r.fail(prefix + "base", fmt::format("region '{}' overlaps region '{}'", s.name, o.name));
    b.sram.push_back(s);
  }
  if (auto* c = doc["cache"].as_table()) {
    if (b.core != "cortex-m7")
      r.fail("cache", fmt::format("core {} has no L1 caches; [cache] describes the Cortex-M7 L1 (docs/models/cache.md)",
                                  b.core));
    read_l1(r, *c, b);
  }
  check_memory_map(r, b);
  return b;
}

}  // namespace mcusim
