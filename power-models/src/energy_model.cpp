#include "mcusim/power/energy_model.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "mcusim/base/errors.h"

namespace mcusim::power {
namespace {

constexpr std::array<std::string_view, kNumMemActions> kActionNames = {
    "flash_read", "prefetch_read", "accel_hit", "l1_hit",    "l1_fill",
    "sram_read",  "sram_write",    "tcm_read",  "tcm_write", "xip_read"};
constexpr std::array<MemComponent, kNumMemActions> kActionComponent = {
    MemComponent::flash,  MemComponent::flash, MemComponent::caches, MemComponent::caches,
    MemComponent::caches, MemComponent::sram,  MemComponent::sram,   MemComponent::tcm,
    MemComponent::tcm,    MemComponent::xip};
constexpr std::array<std::string_view, kNumMemComponents> kComponentNames = {"flash", "caches",
                                                                             "sram", "tcm", "xip"};

std::string class_name(std::size_t i) {
  return std::string(core::insn_class_name(static_cast<core::InsnClass>(i)));
}

double number(const toml::table& t, const std::string& key, const std::string& file,
              const std::string& prefix) {
  auto v = t[key].value<double>();
  if (!v) throw InputError(fmt::format("{}: {}{}: missing or not a number", file, prefix, key));
  if (*v < 0) throw InputError(fmt::format("{}: {}{}: {} is negative", file, prefix, key, *v));
  return *v;
}

std::string text(const toml::table& t, const std::string& key, const std::string& file,
                 const std::string& prefix) {
  auto v = t[key].value<std::string>();
  if (!v) throw InputError(fmt::format("{}: {}{}: missing or not a string", file, prefix, key));
  return *v;
}

void only_keys(const toml::table& t, const std::set<std::string>& allowed, const std::string& file,
               const std::string& prefix) {
  for (auto&& [k, v] : t) {
    (void)v;
    if (!allowed.count(std::string(k.str())))
      throw InputError(fmt::format("{}: {}{}: unknown key (allowed: {})", file, prefix, k.str(),
                                   fmt::join(allowed, ", ")));
  }
}

const toml::table& sub(const toml::table& t, const std::string& key, const std::string& file,
                       const std::string& prefix) {
  auto* s = t[key].as_table();
  if (!s) throw InputError(fmt::format("{}: {}{}: missing table", file, prefix, key));
  return *s;
}

// An entry is a table { pj = <number>, weight = <number>, source = "<where it comes from>" }.
double entry(const toml::table& t, const std::string& key, const std::string& file,
             const std::string& prefix, EnergyTable& out, const std::string& value_key = "pj") {
  const auto& e = sub(t, key, file, prefix);
  only_keys(e, {value_key, "weight", "source"}, file, prefix + key + ".");
  if (e.contains("weight"))
    out.weights[prefix + key] = number(e, "weight", file, prefix + key + ".");
  out.sources[prefix + key] = text(e, "source", file, prefix + key + ".");
  return number(e, value_key, file, prefix + key + ".");
}

}  // namespace

std::string_view regulator_name(Regulator r) {
  switch (r) {
    case Regulator::ldo: return "ldo";
    case Regulator::smps: return "smps";
    case Regulator::direct: break;
  }
  return "direct";
}

std::string_view mem_action_name(MemAction a) {
  return kActionNames[static_cast<std::size_t>(a)];
}
std::string_view mem_component_name(MemComponent c) {
  return kComponentNames[static_cast<std::size_t>(c)];
}
MemComponent component_of(MemAction a) {
  return kActionComponent[static_cast<std::size_t>(a)];
}

Picojoules EnergyBreakdown::memory_pj() const {
  Picojoules m = 0;
  for (auto c : component_pj) m += c;
  return m;
}

std::array<Picojoules, 4 + kNumMemComponents> EnergyBreakdown::parts() const {
  std::array<Picojoules, 4 + kNumMemComponents> p{};
  p[0] = core_pj();
  for (std::size_t i = 0; i < kNumMemComponents; ++i) p[1 + i] = component_pj[i];
  p[1 + kNumMemComponents] = peripherals_pj;  // 0 without priced peripherals: x + 0 == x exactly
  p[2 + kNumMemComponents] = static_pj;
  p[3 + kNumMemComponents] = sleep_pj;
  return p;
}

Picojoules EnergyBreakdown::total_pj() const {
  Picojoules t = 0;
  for (auto p : parts()) t += p;
  return t;
}

EnergyTable load_energy_table(const std::filesystem::path& path) {
  const std::string file = path.string();
  toml::table doc;
  try {
    doc = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: {}", file, e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  only_keys(doc,
            {"schema_version", "name", "part", "operating_point", "calibration", "core", "memory",
             "static", "classes", "supply", "peripherals"},
            file, "");
  if (doc["schema_version"].value<std::int64_t>() != 2)
    throw InputError(
        fmt::format("{}: schema_version: this mcusim reads energy tables of schema_version 2 "
                    "(docs/models/energy.md)",
                    file));
  EnergyTable t;
  t.file = path;
  t.name = text(doc, "name", file, "");
  t.part = text(doc, "part", file, "");

  const auto& op = sub(doc, "operating_point", file, "");
  only_keys(op, {"vdd_v", "clock_hz", "vdd_min_v", "vdd_max_v", "source"}, file,
            "operating_point.");
  t.vdd_v = t.nominal_vdd_v = number(op, "vdd_v", file, "operating_point.");
  t.clock_hz = static_cast<Hertz>(number(op, "clock_hz", file, "operating_point."));
  t.vdd_min_v = number(op, "vdd_min_v", file, "operating_point.");
  t.vdd_max_v = number(op, "vdd_max_v", file, "operating_point.");
  t.sources["operating_point"] = text(op, "source", file, "operating_point.");
  if (!(t.vdd_min_v <= t.vdd_v && t.vdd_v <= t.vdd_max_v))
    throw InputError(fmt::format(
        "{}: operating_point.vdd_v: {} V is outside [vdd_min_v, vdd_max_v] = [{}, {}] V", file,
        t.vdd_v, t.vdd_min_v, t.vdd_max_v));

  // [supply]: optional; absent = the core domain is the supply pin (direct).
  t.vcore_v = t.nominal_vcore_v = t.vdd_v;
  if (doc.contains("supply")) {
    const auto& sp = sub(doc, "supply", file, "");
    only_keys(sp, {"regulator", "smps_efficiency", "range", "ranges", "source"}, file, "supply.");
    const std::string kind = text(sp, "regulator", file, "supply.");
    if (kind == "ldo")
      t.regulator = Regulator::ldo;
    else if (kind == "smps")
      t.regulator = Regulator::smps;
    else if (kind == "direct")
      t.regulator = Regulator::direct;
    else
      throw InputError(fmt::format(
          "{}: supply.regulator: '{}' is not one of ldo, smps, direct", file, kind));
    t.sources["supply"] = text(sp, "source", file, "supply.");
    if (t.regulator == Regulator::smps) {
      t.smps_efficiency = number(sp, "smps_efficiency", file, "supply.");
      if (!(t.smps_efficiency > 0 && t.smps_efficiency <= 1))
        throw InputError(fmt::format("{}: supply.smps_efficiency: {} is not in (0, 1]", file,
                                     t.smps_efficiency));
    } else if (sp.contains("smps_efficiency")) {
      throw InputError(fmt::format(
          "{}: supply.smps_efficiency: only for regulator = \"smps\" (this table: {})", file, kind));
    }
    if (t.regulator != Regulator::direct) {
      const auto& rs = sub(sp, "ranges", file, "supply.");
      for (auto&& [k, v] : rs) {
        const std::string name(k.str());
        const std::string pre = "supply.ranges." + name + ".";
        auto* rt = v.as_table();
        if (!rt) throw InputError(fmt::format("{}: {}: expected a table", file, pre));
        only_keys(*rt, {"vcore_v", "max_clock_hz", "source"}, file, pre);
        SupplyRange r;
        r.name = name;
        r.vcore_v = number(*rt, "vcore_v", file, pre);
        r.max_clock_hz = static_cast<Hertz>(number(*rt, "max_clock_hz", file, pre));
        r.source = text(*rt, "source", file, pre);
        if (!(r.vcore_v > 0)) throw InputError(fmt::format("{}: {}vcore_v: must be > 0", file, pre));
        t.ranges.push_back(r);
      }
      if (t.ranges.empty())
        throw InputError(fmt::format("{}: supply.ranges: at least one range expected", file));
      std::stable_sort(t.ranges.begin(), t.ranges.end(),
                       [](const SupplyRange& a, const SupplyRange& b) { return a.vcore_v < b.vcore_v; });
      t.range = t.nominal_range = text(sp, "range", file, "supply.");
      auto it = std::find_if(t.ranges.begin(), t.ranges.end(),
                             [&](const SupplyRange& r) { return r.name == t.range; });
      if (it == t.ranges.end())
        throw InputError(fmt::format("{}: supply.range: '{}' is not a key of supply.ranges", file,
                                     t.range));
      if (it->max_clock_hz < t.clock_hz)
        throw InputError(fmt::format(
            "{}: supply.range: '{}' allows up to {} Hz, below operating_point.clock_hz {}", file,
            t.range, it->max_clock_hz, t.clock_hz));
      t.vcore_v = t.nominal_vcore_v = it->vcore_v;
    } else if (sp.contains("ranges") || sp.contains("range")) {
      throw InputError(fmt::format(
          "{}: supply.ranges: a direct supply has no core-voltage ranges", file));
    }
  }

  const auto& cal = sub(doc, "calibration", file, "");
  only_keys(cal,
            {"run_current_ua_per_mhz", "run_current_range", "program", "source", "calibrated_on",
             "shares"},
            file, "calibration.");
  const auto& shares = sub(cal, "shares", file, "calibration.");
  only_keys(shares, {"dynamic", "clock", "static", "source"}, file, "calibration.shares.");
  for (const char* k : {"dynamic", "clock", "static"})
    t.calibration_shares[k] = number(shares, k, file, "calibration.shares.");
  t.sources["calibration.shares"] = text(shares, "source", file, "calibration.shares.");
  t.calibration_ua_per_mhz = number(cal, "run_current_ua_per_mhz", file, "calibration.");
  if (cal.contains("run_current_range")) {
    t.calibration_range = text(cal, "run_current_range", file, "calibration.");
    calibration_target_ua_per_mhz(t);  // the range must be one of supply.ranges
  }
  t.calibration_program = text(cal, "program", file, "calibration.");
  t.calibration_source = text(cal, "source", file, "calibration.");
  t.calibrated_on = text(cal, "calibrated_on", file, "calibration.");

  const auto& core = sub(doc, "core", file, "");
  only_keys(core, {"cycle"}, file, "core.");
  t.cycle_pj = entry(core, "cycle", file, "core.", t);

  const auto& mem = sub(doc, "memory", file, "");
  std::set<std::string> mem_keys = {"flash_kind"};
  for (auto n : kActionNames) mem_keys.insert(std::string(n));
  only_keys(mem, mem_keys, file, "memory.");
  {
    const auto& fk = sub(mem, "flash_kind", file, "memory.");
    only_keys(fk, {"kind", "source"}, file, "memory.flash_kind.");
    const std::string kind = text(fk, "kind", file, "memory.flash_kind.");
    if (kind == "embedded")
      t.flash_kind = FlashKind::embedded;
    else if (kind == "external")
      t.flash_kind = FlashKind::external;
    else
      throw InputError(
          fmt::format("{}: memory.flash_kind.kind: '{}' is not embedded or external", file, kind));
    t.sources["memory.flash_kind"] = text(fk, "source", file, "memory.flash_kind.");
  }
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    t.memory_pj[i] = entry(mem, std::string(kActionNames[i]), file, "memory.", t);

  const auto& st = sub(doc, "static", file, "");
  only_keys(st, {"power", "sleep"}, file, "static.");
  t.static_mw = entry(st, "power", file, "static.", t, "mw");
  t.sleep_mw = entry(st, "sleep", file, "static.", t, "mw");

  const auto& cls = sub(doc, "classes", file, "");
  std::set<std::string> names;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i) names.insert(class_name(i));
  only_keys(cls, names, file, "classes.");
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    t.insn_pj[i] = entry(cls, class_name(i), file, "classes.", t);

  // [peripherals.<instance>]: optional; uA/MHz of the bus clock while enabled.
  if (doc.contains("peripherals")) {
    const auto& ps = sub(doc, "peripherals", file, "");
    for (auto&& [k, v] : ps) {
      const std::string name(k.str());
      const std::string pre = "peripherals." + name + ".";
      auto* pt = v.as_table();
      if (!pt) throw InputError(fmt::format("{}: peripherals.{}: expected a table", file, name));
      only_keys(*pt, {"ua_per_mhz", "range", "source"}, file, pre);
      PeripheralPower pp;
      pp.ua_per_mhz = number(*pt, "ua_per_mhz", file, pre);
      pp.source = text(*pt, "source", file, pre);
      double carry = 1;
      if (pt->contains("range")) {
        pp.range = text(*pt, "range", file, pre);
        auto m = std::find_if(t.ranges.begin(), t.ranges.end(),
                              [&](const SupplyRange& r) { return r.name == pp.range; });
        if (m == t.ranges.end()) {
          std::string names;
          for (const auto& r : t.ranges) names += (names.empty() ? "" : ", ") + r.name;
          throw InputError(
              fmt::format("{}: {}range: '{}' is not one of the table's supply.ranges ({})", file,
                          pre, pp.range, names.empty() ? "none: direct supply" : names));
        }
        const double ratio = t.nominal_vcore_v / m->vcore_v;
        carry = t.regulator == Regulator::smps ? ratio * ratio : ratio;
      }
      pp.pj_per_cycle = pp.ua_per_mhz * t.nominal_vdd_v * carry;  // uA/MHz x V = pJ per cycle
      t.peripherals[name] = pp;
    }
  }
  return t;
}

EnergyBreakdown compute_energy(const EnergyTable& table, const EnergyEvents& ev) {
  EnergyBreakdown b;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    b.insn_pj += static_cast<double>(ev.classes[i]) * table.insn_pj[i];
  const Cycles awake = ev.cycles >= ev.sleep_cycles ? ev.cycles - ev.sleep_cycles : 0;
  b.clock_pj = static_cast<double>(awake) * table.cycle_pj;
  for (std::size_t i = 0; i < kNumMemActions; ++i) {
    b.action_pj[i] = static_cast<double>(ev.memory[i]) * table.memory_pj[i];
    b.component_pj[static_cast<std::size_t>(kActionComponent[i])] += b.action_pj[i];
  }
  const double awake_s = std::max(0.0, ev.seconds - ev.sleep_seconds);
  b.static_pj = table.static_mw * 1e9 * awake_s;  // mW x s = mJ = 1e9 pJ
  b.sleep_pj = table.sleep_mw * 1e9 * ev.sleep_seconds;
  for (const auto& p : ev.peripherals) {
    if (!(p.bus_cycles > 0)) continue;
    b.clocked_peripherals.emplace_back(p.name, p.bus_cycles);
    auto it = table.peripherals.find(p.name);
    if (it == table.peripherals.end()) {
      b.unpriced_peripherals.push_back(p.name);
      continue;
    }
    const double pj = p.bus_cycles * it->second.pj_per_cycle;
    b.peripheral_pj.emplace_back(p.name, pj);
    b.peripherals_pj += pj;
  }
  return b;
}

const SupplyRange* range_for_clock(const EnergyTable& t, Hertz clock_hz) {
  if (t.ranges.empty()) return nullptr;
  for (const auto& r : t.ranges)  // ascending vcore_v
    if (r.max_clock_hz >= clock_hz) return &r;
  throw InputError(fmt::format("{}: supply.ranges: no core-voltage range of {} allows {} Hz "
                               "(highest: {} Hz)",
                               t.file.string(), t.part, clock_hz, t.ranges.back().max_clock_hz));
}

EnergyTable at_operating_point(const EnergyTable& in, double vdd_v, const std::string& range) {
  if (!(vdd_v >= in.vdd_min_v && vdd_v <= in.vdd_max_v))
    throw InputError(
        fmt::format("vdd_v = {} V is outside the documented supply range of {} [{}, {}] V ({}: "
                    "operating_point.vdd_min_v, vdd_max_v)",
                    vdd_v, in.part, in.vdd_min_v, in.vdd_max_v, in.file.string()));
  EnergyTable t = in;
  double vcore = in.vcore_v;
  if (!range.empty() && range != in.range) {
    auto it = std::find_if(in.ranges.begin(), in.ranges.end(),
                           [&](const SupplyRange& r) { return r.name == range; });
    if (it == in.ranges.end()) {
      std::vector<std::string> names;
      for (auto& r : in.ranges) names.push_back(r.name);
      throw InputError(fmt::format("core-voltage range '{}' is not one of {}'s ranges ({}) ({}: "
                                   "supply.ranges)",
                                   range, in.part, names.empty() ? "none: direct supply"
                                                                 : fmt::format("{}", fmt::join(names, ", ")),
                                   in.file.string()));
    }
    vcore = it->vcore_v;
    t.range = it->name;
  }
  const double r = vdd_v / in.vdd_v;
  const double c = in.regulator == Regulator::direct ? r : vcore / in.vcore_v;
  double dyn = 0, stat = 0;
  switch (in.regulator) {
    case Regulator::direct: dyn = r * r; stat = r; break;  // CV^2 at the pin; leakage current const
    case Regulator::ldo: dyn = c * r; stat = r; break;     // I_core = I_dd, drawn at VDD
    case Regulator::smps: dyn = c * c; stat = c; break;    // P_dd = P_core / efficiency
  }
  for (auto& e : t.insn_pj) e *= dyn;
  t.cycle_pj *= dyn;
  for (auto& e : t.memory_pj) e *= dyn;
  for (auto& [name, p] : t.peripherals) p.pj_per_cycle *= dyn;  // switching energy, like events
  t.static_mw *= stat;
  const double sleep_static = std::min(in.sleep_mw, in.static_mw);
  t.sleep_mw = sleep_static * stat + (in.sleep_mw - sleep_static) * dyn;
  t.vdd_v = vdd_v;
  t.vcore_v = in.regulator == Regulator::direct ? vdd_v : vcore;
  return t;
}

EnergyTable at_supply_voltage(const EnergyTable& in, double vdd_v) {
  return at_operating_point(in, vdd_v, "");
}

double calibration_target_ua_per_mhz(const EnergyTable& t) {
  if (t.calibration_range.empty() || t.calibration_range == t.nominal_range)
    return t.calibration_ua_per_mhz;
  const auto m = std::find_if(t.ranges.begin(), t.ranges.end(),
                              [&](const SupplyRange& r) { return r.name == t.calibration_range; });
  const auto n = std::find_if(t.ranges.begin(), t.ranges.end(),
                              [&](const SupplyRange& r) { return r.name == t.nominal_range; });
  if (m == t.ranges.end() || n == t.ranges.end()) {
    std::string names;
    for (const auto& r : t.ranges) names += (names.empty() ? "" : ", ") + r.name;
    throw InputError(fmt::format(
        "{}: calibration.run_current_range: '{}' is not one of the table's supply.ranges ({})",
        t.file.string(), t.calibration_range, names.empty() ? "none: direct supply" : names));
  }
  for (const char* k : {"dynamic", "clock", "static"})
    if (!t.calibration_shares.count(k))
      throw InputError(fmt::format("{}: calibration.shares.{}: missing", t.file.string(), k));
  const double ratio = n->vcore_v / m->vcore_v;
  const double dyn = t.calibration_shares.at("dynamic") + t.calibration_shares.at("clock");
  const double stat = t.calibration_shares.at("static");
  if (t.regulator == Regulator::smps)
    return t.calibration_ua_per_mhz * (dyn * ratio * ratio + stat * ratio);
  return t.calibration_ua_per_mhz * (dyn * ratio + stat);
}

EnergyTable calibrate(const EnergyTable& in, const EnergyEvents& ev) {
  EnergyTable t = in;
  const std::string file = in.file.string();
  double sum = 0;
  for (const char* k : {"dynamic", "clock", "static"}) {
    if (!in.calibration_shares.count(k))
      throw InputError(fmt::format("{}: calibration.shares.{}: missing", file, k));
    sum += in.calibration_shares.at(k);
  }
  if (std::abs(sum - 1.0) > 1e-6)
    throw InputError(fmt::format(
        "{}: calibration.shares: dynamic + clock + static = {}, expected 1", file, sum));
  auto weight = [&](const std::string& key) {
    auto w = in.weights.find(key);
    if (w == in.weights.end()) throw InputError(fmt::format("{}: {}.weight: missing", file, key));
    return w->second;
  };
  const double cycles = static_cast<double>(ev.cycles - std::min(ev.cycles, ev.sleep_cycles));
  const double mhz = static_cast<double>(in.clock_hz) / 1e6;
  // uA/MHz x V = pJ per cycle (core-facts.md E: 1 uA/MHz = 1 pC per cycle).
  const double target_ua_per_mhz = calibration_target_ua_per_mhz(in);
  const double run_pj_per_cycle = target_ua_per_mhz * in.vdd_v;
  const double run_pj = run_pj_per_cycle * cycles;
  const double run_mw = target_ua_per_mhz * mhz * in.vdd_v * 1e-3;  // uA x V = uW
  // Weighted count of the dynamic events, in ALU-instruction equivalents.
  double weighted = 0;
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    weighted +=
        weight("memory." + std::string(kActionNames[i])) * static_cast<double>(ev.memory[i]);
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    weighted += weight("classes." + class_name(i)) * static_cast<double>(ev.classes[i]);
  if (weighted <= 0 || cycles == 0)
    throw InputError(fmt::format("{}: calibration program '{}' made no events to calibrate against",
                                 file, in.calibration_program));
  const auto& sh = in.calibration_shares;
  const double unit = sh.at("dynamic") * run_pj / weighted;  // pJ per ALU-instruction equivalent
  t.static_mw = sh.at("static") * run_mw;
  t.cycle_pj = sh.at("clock") * run_pj_per_cycle;
  for (std::size_t i = 0; i < kNumMemActions; ++i)
    t.memory_pj[i] = weight("memory." + std::string(kActionNames[i])) * unit;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    t.insn_pj[i] = weight("classes." + class_name(i)) * unit;
  return t;
}

std::string to_toml(const EnergyTable& t) {
  auto src = [&](const std::string& k) {
    auto it = t.sources.find(k);
    return it == t.sources.end() ? std::string() : it->second;
  };
  auto entry = [&](const std::string& k, double v, const char* value_key = "pj") {
    toml::table e{{value_key, v}, {"source", src(k)}};
    if (auto w = t.weights.find(k); w != t.weights.end()) e.insert("weight", w->second);
    return e;
  };
  toml::table classes;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    classes.insert(class_name(i), entry("classes." + class_name(i), t.insn_pj[i]));
  toml::table memory{
      {"flash_kind",
       toml::table{{"kind", t.flash_kind == FlashKind::external ? "external" : "embedded"},
                   {"source", src("memory.flash_kind")}}}};
  for (std::size_t i = 0; i < kNumMemActions; ++i) {
    const std::string n(kActionNames[i]);
    memory.insert(n, entry("memory." + n, t.memory_pj[i]));
  }
  toml::table shares;
  for (auto& [k, v] : t.calibration_shares) shares.insert(k, v);
  shares.insert("source", src("calibration.shares"));
  toml::table calibration{{"run_current_ua_per_mhz", t.calibration_ua_per_mhz},
                          {"program", t.calibration_program},
                          {"source", t.calibration_source},
                          {"calibrated_on", t.calibrated_on},
                          {"shares", shares}};
  if (!t.calibration_range.empty()) calibration.insert("run_current_range", t.calibration_range);
  toml::table supply{{"regulator", std::string(regulator_name(t.regulator))},
                     {"source", src("supply")}};
  if (t.regulator == Regulator::smps) supply.insert("smps_efficiency", t.smps_efficiency);
  if (t.regulator != Regulator::direct) {
    supply.insert("range", t.nominal_range);
    toml::table ranges;
    for (const auto& r : t.ranges)
      ranges.insert(r.name, toml::table{{"vcore_v", r.vcore_v},
                                        {"max_clock_hz", static_cast<std::int64_t>(r.max_clock_hz)},
                                        {"source", r.source}});
    supply.insert("ranges", ranges);
  }
  toml::table doc{
      {"schema_version", 2},
      {"name", t.name},
      {"part", t.part},
      {"operating_point", toml::table{{"vdd_v", t.vdd_v},
                                      {"clock_hz", static_cast<std::int64_t>(t.clock_hz)},
                                      {"vdd_min_v", t.vdd_min_v},
                                      {"vdd_max_v", t.vdd_max_v},
                                      {"source", src("operating_point")}}},
      {"calibration", calibration},
      {"supply", supply},
      {"core", toml::table{{"cycle", entry("core.cycle", t.cycle_pj)}}},
      {"memory", memory},
      {"static", toml::table{{"power", entry("static.power", t.static_mw, "mw")},
                             {"sleep", entry("static.sleep", t.sleep_mw, "mw")}}},
      {"classes", classes},
  };
  if (!t.peripherals.empty()) {
    toml::table ps;
    for (const auto& [name, p] : t.peripherals) {
      toml::table e{{"ua_per_mhz", p.ua_per_mhz}, {"source", p.source}};
      if (!p.range.empty()) e.insert("range", p.range);
      ps.insert(name, e);
    }
    doc.insert("peripherals", ps);
  }
  std::ostringstream out;
  out << "# Energy reference table " << t.name << " (" << t.part << "), schema_version 2.\n"
      << "# Generated by `mcusim calibrate --board <board> --write` from the inputs it keeps: the\n"
      << "# operating point and supply range ([operating_point]), the datasheet run current\n"
      << "# ([calibration]), the component shares ([calibration.shares]), the relative weights\n"
      << "# (classes.*.weight, memory.*.weight), the sleep power (static.sleep) and the\n"
      << "# peripheral currents ([peripherals], if any). The absolute pj\n"
      << "# values and static.power are regenerated by that command; to change the model, edit "
         "the\n"
      << "# inputs and their sources, then run it again. Method and units: "
         "docs/models/energy.md.\n";
  if (t.calibrated_on.rfind("proxy", 0) == 0)
    out << "# PROVISIONAL: the absolute values were solved on " << t.calibrated_on << ",\n"
        << "# not on a board with this part. Regenerate them with `mcusim calibrate --board "
           "<board>\n"
        << "# --write` once a board using this table exists; targets, weights and shares are "
           "final.\n";
  out << doc << "\n";
  return out.str();
}

}  // namespace mcusim::power
