// SoC data files (boards/socs/*.toml), the Soc that builds and drives the peripheral models, and
// the register-block base class. Format documented in docs/peripherals.md and docs/boards.md.
#include "mcusim/devices/soc.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <toml++/toml.h>

#include "mcusim/base/errors.h"
#include "mcusim/devices/peripherals.h"

namespace mcusim::dev {

namespace {

const std::set<std::string, std::less<>> kModels = {"registers", "rcc",   "flash", "pwr", "usart",
                                                    "lpuart",    "timer", "gpio",  "crc"};
const std::set<std::string, std::less<>> kFamilies = {"stm32l4", "stm32g0", "stm32f4",
                                                      "stm32f7", "stm32h7", "stm32u5"};

struct Reader {
  std::string file;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", file, where, what));
  }
  std::int64_t integer(const toml::table& t, std::string_view key, const std::string& where,
                       std::int64_t lo, std::int64_t hi, std::optional<std::int64_t> dflt = {}) const {
    auto node = t.get(key);
    if (!node) {
      if (dflt) return *dflt;
      fail(where, fmt::format("missing key '{}' (expected an integer in [{}, {}])", key, lo, hi));
    }
    auto v = node->value<std::int64_t>();
    if (!v || *v < lo || *v > hi)
      fail(where, fmt::format("key '{}' must be an integer in [{:#x}, {:#x}]", key, lo, hi));
    return *v;
  }
  std::string str(const toml::table& t, std::string_view key, const std::string& where,
                  std::optional<std::string> dflt = {}) const {
    auto node = t.get(key);
    if (!node) {
      if (dflt) return *dflt;
      fail(where, fmt::format("missing key '{}' (expected a string)", key));
    }
    auto v = node->value<std::string>();
    if (!v) fail(where, fmt::format("key '{}' must be a string", key));
    return *v;
  }
  void keys(const toml::table& t, const std::string& where,
            std::initializer_list<std::string_view> allowed) const {
    for (auto&& [k, v] : t) {
      (void)v;
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
        fail(where, fmt::format("unknown key '{}'", k.str()));
    }
  }
  // "CR.8" -> ("CR", 8)
  std::pair<std::string, unsigned> reg_bit(const toml::table& t, std::string_view key,
                                           const std::string& where) const {
    std::string s = str(t, key, where);
    auto dot = s.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == s.size())
      fail(where, fmt::format("key '{}' = \"{}\": expected \"REGISTER.bit\"", key, s));
    unsigned bit = 0;
    for (char c : s.substr(dot + 1)) {
      if (c < '0' || c > '9') fail(where, fmt::format("key '{}' = \"{}\": bit is not a number", key, s));
      bit = bit * 10 + unsigned(c - '0');
    }
    if (bit > 31) fail(where, fmt::format("key '{}' = \"{}\": bit must be 0..31", key, s));
    return {s.substr(0, dot), bit};
  }
};

}  // namespace

Hertz ClockTree::get(std::string_view node) const {
  auto it = hz_.find(node);
  return it == hz_.end() ? 0 : it->second;
}

const PeripheralDef* SocDescription::find(std::string_view n) const {
  for (const auto& p : peripherals)
    if (p.name == n) return &p;
  return nullptr;
}

SocDescription load_soc(const std::filesystem::path& file) {
  Reader r{file.string()};
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}: {} (line {})", file.string(), e.description(),
                                 e.source().begin.line));
  } catch (const std::exception& e) {
    throw InputError(fmt::format("{}: cannot read SoC data file: {}", file.string(), e.what()));
  }
  r.keys(doc, "top level",
         {"schema_version", "name", "family", "reference", "description", "oscillators",
          "apb_transfer_cycles", "peripheral"});
  if (r.integer(doc, "schema_version", "top level", 1, 1) != 1)
    r.fail("top level", "schema_version must be 1");
  SocDescription d;
  d.file = file;
  d.name = r.str(doc, "name", "top level");
  d.family = r.str(doc, "family", "top level");
  if (!kFamilies.contains(d.family))
    r.fail("family", fmt::format("unknown family '{}' (expected stm32l4, stm32g0, stm32f4, "
                                 "stm32f7, stm32h7 or stm32u5)", d.family));
  d.reference = r.str(doc, "reference", "top level");
  d.apb_transfer_cycles = unsigned(r.integer(doc, "apb_transfer_cycles", "top level", 0, 16, 2));
  if (auto* osc = doc["oscillators"].as_table()) {
    for (auto&& [k, v] : *osc) {
      auto hz = v.value<std::int64_t>();
      if (!hz || *hz <= 0 || *hz > 1'000'000'000)
        r.fail("oscillators", fmt::format("'{}' must be a frequency in Hz (1..1e9)", k.str()));
      d.oscillators[std::string(k.str())] = Hertz(*hz);
    }
  }
  auto* arr = doc["peripheral"].as_array();
  if (!arr || arr->empty()) r.fail("top level", "no [[peripheral]] tables");
  for (auto& node : *arr) {
    auto* t = node.as_table();
    if (!t) r.fail("peripheral", "each [[peripheral]] must be a table");
    PeripheralDef p;
    p.name = r.str(*t, "name", "peripheral");
    const std::string w = "peripheral '" + p.name + "'";
    r.keys(*t, w,
           {"name", "model", "base", "size", "irqs", "clock", "kernel_clock", "fifo", "layout",
            "counter_bits", "section", "registers", "like", "follow", "mirror", "rcc_enable",
            "bus_clock"});
    if (d.find(p.name)) r.fail(w, "listed twice");
    p.model = r.str(*t, "model", w, "registers");
    if (!kModels.contains(p.model))
      r.fail(w, fmt::format("unknown model '{}' (expected one of registers, rcc, flash, pwr, usart, "
                            "lpuart, timer, gpio, crc)", p.model));
    p.base = Addr(r.integer(*t, "base", w, 0, 0xFFFFFFFFll));
    p.size = std::uint32_t(r.integer(*t, "size", w, 4, 0x100000, 0x400));
    if (std::uint64_t(p.base) + p.size > 0x100000000ull) r.fail(w, "block extends past 4 GiB");
    p.clock = r.str(*t, "clock", w, "");
    p.section = r.str(*t, "section", w, "");
    p.layout = r.str(*t, "layout", w, "v2");
    if (p.layout != "v1" && p.layout != "v2") r.fail(w, "layout must be \"v1\" or \"v2\"");
    p.counter_bits = unsigned(r.integer(*t, "counter_bits", w, 16, 32, 16));
    if (p.counter_bits != 16 && p.counter_bits != 32) r.fail(w, "counter_bits must be 16 or 32");
    if (auto f = (*t)["fifo"].value<bool>()) p.fifo = *f;
    if (t->contains("rcc_enable")) {
      auto [reg, bit] = r.reg_bit(*t, "rcc_enable", w);
      p.rcc_enable_reg = reg;
      p.rcc_enable_bit = bit;
      p.bus_clock = r.str(*t, "bus_clock", w);
      static const std::set<std::string, std::less<>> kBuses = {"hclk", "pclk1", "pclk2", "pclk3",
                                                                "pclk4"};
      if (!kBuses.contains(p.bus_clock))
        r.fail(w,
               fmt::format("bus_clock = \"{}\": expected one of hclk, pclk1, pclk2, pclk3, pclk4",
                           p.bus_clock));
    } else if (t->contains("bus_clock")) {
      r.fail(w,
             "bus_clock without rcc_enable (the bus clock is priced while the enable bit is set)");
    }
    if (auto* irqs = (*t)["irqs"].as_array()) {
      for (auto& i : *irqs) {
        auto v = i.value<std::int64_t>();
        if (!v || *v < 0 || *v > 495) r.fail(w, "irqs must be interrupt numbers 0..495");
        p.irqs.push_back(int(*v));
      }
    }
    if (auto* k = (*t)["kernel_clock"].as_table()) {
      const std::string kw = w + " kernel_clock";
      r.keys(*k, kw, {"reg", "shift", "width", "sources"});
      p.kernel_reg = r.str(*k, "reg", kw);
      p.kernel_shift = unsigned(r.integer(*k, "shift", kw, 0, 31));
      p.kernel_width = unsigned(r.integer(*k, "width", kw, 1, 4));
      if (auto* s = (*k)["sources"].as_array())
        for (auto& e : *s) p.kernel_sources.push_back(e.value<std::string>().value_or(""));
      if (p.kernel_sources.size() != (1u << p.kernel_width))
        r.fail(kw, fmt::format("sources must list {} clock names (one per field value)",
                               1u << p.kernel_width));
    }
    if (auto like = (*t)["like"].value<std::string>()) {
      const PeripheralDef* src = d.find(*like);
      if (!src) r.fail(w, fmt::format("like = \"{}\": no such peripheral listed before it", *like));
      p.registers = src->registers;
      p.follow = src->follow;
      p.mirror = src->mirror;
      if (p.section.empty()) p.section = src->section;
    }
    if (auto* regs = (*t)["registers"].as_array()) {
      for (auto& rn : *regs) {
        auto* rt = rn.as_table();
        if (!rt) r.fail(w, "registers must be inline tables");
        RegisterDef reg;
        reg.name = r.str(*rt, "name", w + " register");
        const std::string rw = w + " register '" + reg.name + "'";
        r.keys(*rt, rw, {"name", "offset", "reset", "ro", "section"});
        reg.offset = Addr(r.integer(*rt, "offset", rw, 0, p.size - 4));
        if (reg.offset % 4) r.fail(rw, fmt::format("offset {:#x} is not a multiple of 4", reg.offset));
        reg.reset = std::uint32_t(r.integer(*rt, "reset", rw, 0, 0xFFFFFFFFll, 0));
        reg.ro_mask = std::uint32_t(r.integer(*rt, "ro", rw, 0, 0xFFFFFFFFll, 0));
        reg.section = r.str(*rt, "section", rw, "");
        for (const auto& o : p.registers)
          if (o.name == reg.name || o.offset == reg.offset)
            r.fail(rw, fmt::format("clashes with register '{}' at offset {:#x}", o.name, o.offset));
        p.registers.push_back(reg);
      }
    }
    std::sort(p.registers.begin(), p.registers.end(),
              [](const RegisterDef& a, const RegisterDef& b) { return a.offset < b.offset; });
    auto has_reg = [&](const std::string& n) {
      return std::any_of(p.registers.begin(), p.registers.end(),
                         [&](const RegisterDef& x) { return x.name == n; });
    };
    if (auto* fol = (*t)["follow"].as_array()) {
      for (auto& fn : *fol) {
        auto* ft = fn.as_table();
        if (!ft) r.fail(w, "follow entries must be inline tables");
        r.keys(*ft, w + " follow", {"enable", "ready", "startup_us"});
        auto [er, eb] = r.reg_bit(*ft, "enable", w + " follow");
        auto [rr, rb] = r.reg_bit(*ft, "ready", w + " follow");
        for (auto* n : {&er, &rr})
          if (!has_reg(*n)) r.fail(w + " follow", fmt::format("no register '{}' in this block", *n));
        double us = 0;
        if (auto* sn = ft->get("startup_us")) {
          auto v = sn->value<double>();
          if (!v || !(*v >= 0 && *v <= 10'000'000))
            r.fail(w + " follow", "startup_us must be a time in microseconds, 0 to 1e7");
          us = *v;
        }
        if (us > 0 && p.model != "rcc" && p.model != "pwr" && p.model != "registers")
          r.fail(w + " follow", fmt::format("startup_us is only for models rcc, pwr and registers, not '{}'",
                                            p.model));
        p.follow.push_back({er, eb, rr, rb, us});
      }
    }
    if (auto* mir = (*t)["mirror"].as_array()) {
      for (auto& mn : *mir) {
        auto* mt = mn.as_table();
        if (!mt) r.fail(w, "mirror entries must be inline tables");
        r.keys(*mt, w + " mirror", {"from", "to", "width"});
        auto [fr, fb] = r.reg_bit(*mt, "from", w + " mirror");
        auto [tr, tb] = r.reg_bit(*mt, "to", w + " mirror");
        unsigned width = unsigned(r.integer(*mt, "width", w + " mirror", 1, 32));
        for (auto* n : {&fr, &tr})
          if (!has_reg(*n)) r.fail(w + " mirror", fmt::format("no register '{}' in this block", *n));
        p.mirror.push_back({fr, fb, tr, tb, width});
      }
    }
    d.peripherals.push_back(std::move(p));
  }
  // Blocks must not overlap.
  std::vector<const PeripheralDef*> sorted;
  for (const auto& p : d.peripherals) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->base < b->base; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (std::uint64_t(sorted[i - 1]->base) + sorted[i - 1]->size > sorted[i]->base)
      r.fail("peripheral '" + sorted[i]->name + "'",
             fmt::format("block at {:#010x} overlaps '{}' ({:#010x}, {:#x} bytes)", sorted[i]->base,
                         sorted[i - 1]->name, sorted[i - 1]->base, sorted[i - 1]->size));
  const PeripheralDef* rcc = d.find("rcc");
  if (!rcc) r.fail("top level", "a SoC needs a peripheral named 'rcc' (model rcc)");
  for (const auto& p : d.peripherals)
    if (!p.rcc_enable_reg.empty() &&
        std::none_of(rcc->registers.begin(), rcc->registers.end(),
                     [&](const RegisterDef& x) { return x.name == p.rcc_enable_reg; }))
      r.fail("peripheral '" + p.name + "'",
             fmt::format("rcc_enable = \"{}.{}\": the rcc block has no register '{}'",
                         p.rcc_enable_reg, p.rcc_enable_bit, p.rcc_enable_reg));
  return d;
}

// ---------------------------------------------------------------------------------------------
// Peripheral base

Peripheral::Peripheral(const PeripheralDef& def, Soc& soc) : def_(def), soc_(soc) {
  for (const auto& r : def_.registers) regs_.push_back(r.reset);
  for (const auto& f : def_.follow)
    follow_.push_back({need(f.enable_reg), need(f.ready_reg), f.enable_bit, f.ready_bit, f.startup_us});
  for (const auto& m : def_.mirror)
    mirror_.push_back({need(m.from_reg), need(m.to_reg), m.from_shift, m.to_shift, m.width});
  // The APB bus the block's accesses cross: `bus_clock`, else the bus its `clock` names (a UART's
  // pclkN, a timer's timpclkN runs off pclkN); none for AHB blocks and blocks with neither.
  const std::string& c = def_.bus_clock.empty() ? def_.clock : def_.bus_clock;
  if (c.size() == 5 && c.starts_with("pclk"))
    apb_bus_ = c;
  else if (c.size() == 8 && c.starts_with("timpclk"))
    apb_bus_ = "pclk" + c.substr(7);
}

int Peripheral::find(std::string_view n) const {
  for (std::size_t i = 0; i < def_.registers.size(); ++i)
    if (def_.registers[i].name == n) return int(i);
  return -1;
}

int Peripheral::need(std::string_view n) const {
  int i = find(n);
  if (i < 0)
    throw InputError(fmt::format("{}: peripheral '{}' (model {}): register '{}' is required by the "
                                 "model but not listed",
                                 soc_.description().file.string(), def_.name, def_.model, n));
  return i;
}

std::uint32_t Peripheral::peek(std::string_view reg) const { return regs_[need(reg)]; }

int Peripheral::index_of(Addr word_offset) const {
  // Registers are sorted by offset.
  auto it = std::lower_bound(def_.registers.begin(), def_.registers.end(), word_offset,
                             [](const RegisterDef& r, Addr o) { return r.offset < o; });
  if (it == def_.registers.end() || it->offset != word_offset) return -1;
  return int(it - def_.registers.begin());
}

void Peripheral::update_bus_wait() {
  bus_wait_ = 0;
  if (apb_bus_.empty()) return;  // an AHB block, or no bus given
  const Hertz f_bus = soc_.clocks().get(apb_bus_);
  const Hertz f_core = soc_.clocks().core();
  const std::uint64_t n = soc_.description().apb_transfer_cycles;
  if (f_bus == 0 || f_core == 0 || n == 0) return;
  const std::uint64_t core_cycles = (n * f_core + f_bus - 1) / f_bus;  // ceil
  bus_wait_ = core_cycles > 0 ? core_cycles - 1 : 0;
}

std::uint32_t Peripheral::read(Addr offset, unsigned size, Cycles now) {
  const Addr word = offset & ~Addr(3);
  int idx = index_of(word);
  if (idx < 0) {
    if (reported_.insert(word).second)
      soc_.warn(fmt::format("{}: read of {:#010x} (offset {:#x}): no register listed there in {}; "
                            "reads 0",
                            def_.name, def_.base + word, word, soc_.description().file.filename().string()));
    return 0;
  }
  std::uint32_t v = on_read(idx, now);
  const unsigned shift = (offset & 3) * 8;
  if (size >= 4) return v;
  return (v >> shift) & ((1u << (size * 8)) - 1);
}

void Peripheral::write(Addr offset, unsigned size, std::uint32_t value, Cycles now) {
  const Addr word = offset & ~Addr(3);
  int idx = index_of(word);
  if (idx < 0) {
    if (reported_.insert(word).second)
      soc_.warn(fmt::format("{}: write of {:#010x} (offset {:#x}): no register listed there in {}; "
                            "ignored",
                            def_.name, def_.base + word, word, soc_.description().file.filename().string()));
    return;
  }
  std::uint32_t merged = value;
  if (size < 4) {
    const unsigned shift = (offset & 3) * 8;
    const std::uint32_t m = ((1u << (size * 8)) - 1) << shift;
    merged = (regs_[idx] & ~m) | ((value << shift) & m);
  }
  on_write(idx, merged, size, now);
}

void Peripheral::store(int idx, std::uint32_t value) {
  const std::uint32_t ro = def_.registers[idx].ro_mask;
  regs_[idx] = (regs_[idx] & ro) | (value & ~ro);
}

void Peripheral::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  (void)size;
  (void)now;
  store(idx, value);
  apply_rules(now);
}

void Peripheral::apply_rules(Cycles now) {
  follow_due_ = mem::kNoEvent;
  for (auto& f : follow_) {
    const bool on = (regs_[f.en] >> f.en_bit) & 1;
    const std::uint32_t bit = 1u << f.rdy_bit;
    if (!on || f.startup_us <= 0) {
      // At once (no start-up time), and every flag drops at once when its enable is cleared.
      regs_[f.rdy] = (regs_[f.rdy] & ~bit) | (std::uint32_t(on) << f.rdy_bit);
      f.due = mem::kNoEvent;
    } else if (!(regs_[f.rdy] & bit) && f.due == mem::kNoEvent) {
      // Start-up begins: the time in core cycles at the programmed core clock, rounded up.
      const double hz = double(soc_.clocks().core());
      f.due = now + Cycles(std::max(1.0, std::ceil(f.startup_us * hz / 1e6)));
    }
    follow_due_ = std::min(follow_due_, f.due);
  }
  for (const auto& m : mirror_) {
    const std::uint32_t fm = m.width >= 32 ? ~0u : ((1u << m.width) - 1);
    const std::uint32_t v = (regs_[m.from] >> m.from_shift) & fm;
    regs_[m.to] = (regs_[m.to] & ~(fm << m.to_shift)) | (v << m.to_shift);
  }
}

void Peripheral::advance(Cycles now) {
  if (follow_due_ > now) return;
  follow_due_ = mem::kNoEvent;
  for (auto& f : follow_) {
    if (f.due <= now) {
      regs_[f.rdy] |= 1u << f.rdy_bit;
      f.due = mem::kNoEvent;
    }
    follow_due_ = std::min(follow_due_, f.due);
  }
  on_ready(now);
}

void Peripheral::rescale_pending(Cycles now, Hertz old_hz, Hertz new_hz) {
  if (follow_due_ == mem::kNoEvent || old_hz == 0 || new_hz == 0 || old_hz == new_hz) return;
  follow_due_ = mem::kNoEvent;
  for (auto& f : follow_) {
    if (f.due != mem::kNoEvent && f.due > now) {
      // Remaining cycles x new / old, rounded up (the remaining time is what is fixed).
      const long double left = static_cast<long double>(f.due - now) * new_hz / old_hz;
      f.due = now + std::max<Cycles>(1, Cycles(std::ceil(left)));
    }
    follow_due_ = std::min(follow_due_, f.due);
  }
}

void Peripheral::drive_irq(bool level, Cycles now) {
  if (level == irq_level_ || def_.irqs.empty()) return;
  irq_level_ = level;
  soc_.host().set_irq(def_.irqs.front(), level, now);
}

// ---------------------------------------------------------------------------------------------
// Soc

Soc::Soc(const SocDescription& desc, mem::DeviceHost& host, SocOptions options)
    : desc_(desc), host_(host), options_(std::move(options)) {
  for (const auto& [name, hz] : desc_.oscillators) clocks_.set(name, hz);
  if (options_.hse_hz) clocks_.set("hse", *options_.hse_hz);
  Rcc* rcc = nullptr;
  for (const auto& p : desc_.peripherals) {
    std::unique_ptr<Peripheral> dev;
    if (p.model == "rcc") {
      auto r = std::make_unique<Rcc>(p, *this);
      rcc = r.get();
      dev = std::move(r);
    } else if (p.model == "flash") {
      dev = std::make_unique<FlashInterface>(p, *this);
    } else if (p.model == "usart" || p.model == "lpuart") {
      auto u = std::make_unique<Usart>(p, *this);
      uarts_.push_back(u.get());
      dev = std::move(u);
    } else if (p.model == "timer") {
      dev = std::make_unique<Timer>(p, *this);
    } else if (p.model == "gpio") {
      dev = std::make_unique<Gpio>(p, *this);
    } else if (p.model == "crc") {
      dev = std::make_unique<Crc>(p, *this);
    } else {
      dev = std::make_unique<Peripheral>(p, *this);
    }
    map_.push_back({p.base, p.size, dev.get()});
    owned_.push_back(std::move(dev));
  }
  std::sort(map_.begin(), map_.end(), [](const Mapping& a, const Mapping& b) { return a.base < b.base; });
  // The reset clock tree.
  ClockTree t = rcc->compute();
  for (const auto& [k, v] : t.all()) clocks_.set(k, v);
  for (const auto& p : owned_) p->update_bus_wait();
  for (const auto& [name, in] : options_.uart_input) feed(name, in.bytes);
  for (const auto& p : desc_.peripherals)
    if (!p.rcc_enable_reg.empty())
      gates_.push_back({p.name, p.rcc_enable_reg, p.bus_clock, p.rcc_enable_bit});
  open_gates(0);
}

void Soc::close_gates(Cycles now) {
  for (auto& g : gates_)
    if (g.on && now > g.since) {
      g.cycles += static_cast<double>(now - g.since) * g.ratio;
      g.since = now;
    }
}

void Soc::open_gates(Cycles now) {
  const double core = static_cast<double>(clocks_.core());
  for (auto& g : gates_) {
    g.on = (peek("rcc", g.reg) >> g.bit) & 1;
    g.ratio = core > 0 ? static_cast<double>(clocks_.get(g.bus)) / core : 0;
    g.since = now;
  }
}

std::vector<PeripheralClock> Soc::peripheral_clocks(Cycles now) const {
  std::vector<PeripheralClock> out;
  out.reserve(gates_.size());
  for (const auto& g : gates_) {
    double c = g.cycles;
    if (g.on && now > g.since) c += static_cast<double>(now - g.since) * g.ratio;
    out.push_back({g.name, c});
  }
  return out;
}

Usart& Soc::uart(std::string_view name) {
  auto it = std::find_if(uarts_.begin(), uarts_.end(), [&](Usart* u) { return u->name() == name; });
  if (it == uarts_.end()) {
    std::string have;
    for (auto* u : uarts_) have += (have.empty() ? "" : ", ") + std::string(u->name());
    throw InputError(fmt::format("--uart {}: SoC {} has no UART named '{}' (it has: {})", name,
                                 desc_.name, name, have));
  }
  return **it;
}

void Soc::feed(std::string_view name, std::string_view bytes) { uart(name).feed(bytes); }

void Soc::set_reader(std::string_view name, std::function<std::string()> reader) {
  uart(name).set_reader(std::move(reader));
}

std::vector<std::string> Soc::uart_names() const {
  std::vector<std::string> v;
  for (auto* u : uarts_) v.emplace_back(u->name());
  return v;
}

Soc::~Soc() = default;

const Soc::Mapping* Soc::find(Addr addr) const {
  auto it = std::upper_bound(map_.begin(), map_.end(), addr,
                             [](Addr a, const Mapping& m) { return a < m.base; });
  if (it == map_.begin()) return nullptr;
  --it;
  return addr - it->base < it->size ? &*it : nullptr;
}

void Soc::warn(const std::string& msg) {
  if (std::find(warnings_.begin(), warnings_.end(), msg) == warnings_.end()) warnings_.push_back(msg);
}

std::uint32_t Soc::peek(std::string_view block, std::string_view reg) const {
  for (const auto& p : owned_)
    if (p->name() == block) return p->peek(reg);
  throw InputError(fmt::format("{}: no peripheral '{}' (needed for register {})",
                               desc_.file.string(), block, reg));
}

Cycles Soc::next_event() const {
  Cycles n = mem::kNoEvent;
  for (const auto& p : owned_) n = std::min(n, p->next_event());
  return n;
}

void Soc::advance(Cycles now) {
  for (const auto& p : owned_) p->advance(now);
}

void Soc::clocks_changed(const ClockTree& t, Cycles now) {
  if (in_clock_change_) return;
  in_clock_change_ = true;
  advance(now);  // everything counted so far counted at the old clocks
  close_gates(now);  // enable intervals up to this RCC write at the old enables and clocks
  const Hertz old_core = clocks_.core();
  for (const auto& [k, v] : t.all()) clocks_.set(k, v);
  for (const auto& p : owned_) p->update_bus_wait();
  open_gates(now);
  for (const auto& p : owned_) p->rescale_pending(now, old_core, clocks_.core());
  for (const auto& p : owned_)
    if (auto* f = dynamic_cast<FlashInterface*>(p.get())) f->check_latency(clocks_.get("hclk"));
  in_clock_change_ = false;
  if (clocks_.core() != old_core && clock_cb_) clock_cb_(clocks_.core(), now);
}

bool Soc::input_exhausted(Cycles now) const {
  (void)now;
  bool any = false;
  for (auto* u : uarts_) {
    if (u->input_pending() || u->tx_busy()) return false;
    any = any || u->had_input() || u->empty_polls() > 0;
  }
  return any;
}

bool Soc::uarts_idle() const {
  for (auto* u : uarts_)
    if (!u->idle()) return false;
  return true;
}

bool Soc::release_input(Cycles now) {
  bool any = false;
  for (auto* u : uarts_) {
    u->advance(now);
    if (u->idle() && u->release(now)) {
      u->advance(now);
      any = true;
    }
  }
  return any;
}

std::uint64_t Soc::idle_rx_polls() const {
  std::uint64_t n = 0;
  for (auto* u : uarts_) n += u->empty_polls();
  return n;
}

Hertz SocDescription::reset_core_hz() const {
  // Built without a host: compute the tree of the reset values only.
  struct NullHost final : mem::DeviceHost {
    void set_irq(int, bool, Cycles) override {}
    void output(std::string_view, std::string_view, Cycles) override {}
    void exit(int, std::string_view) override {}
    Hertz core_clock_hz() const override { return 0; }
  } host;
  Soc soc(*this, host, {});
  return soc.core_clock_hz();
}

std::uint32_t crc_update(std::uint32_t crc, std::uint32_t data, unsigned bits, std::uint32_t poly,
                         unsigned poly_bits) {
  const std::uint32_t top = 1u << (poly_bits - 1);
  const std::uint32_t mask = poly_bits >= 32 ? ~0u : ((1u << poly_bits) - 1);
  for (int i = int(bits) - 1; i >= 0; --i) {
    const bool in = (data >> i) & 1;
    const bool msb = crc & top;
    crc = (crc << 1) & mask;
    if (in != msb) crc ^= (poly & mask);
  }
  return crc;
}

}  // namespace mcusim::dev
