#include "mcusim/power/energy_model.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "mcusim/errors.h"

namespace mcusim::power {
namespace {

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
      throw InputError(fmt::format("{}: {}{}: unknown key", file, prefix, k.str()));
  }
}

// An entry is a table { pj = <number>, source = "<where it comes from>" }.
double entry(const toml::table& t, const std::string& key, const std::string& file,
             const std::string& prefix, EnergyTable& out, const std::string& value_key = "pj") {
  auto* e = t[key].as_table();
  if (!e) throw InputError(fmt::format("{}: {}{}: missing entry", file, prefix, key));
  only_keys(*e, {value_key, "weight", "source"}, file, prefix + key + ".");
  if (e->contains("weight")) out.weights[prefix + key] = number(*e, "weight", file, prefix + key + ".");
  out.sources[prefix + key] = text(*e, "source", file, prefix + key + ".");
  return number(*e, value_key, file, prefix + key + ".");
}

}  // namespace

EnergyTable load_energy_table(const std::filesystem::path& path) {
  const std::string file = path.string();
  toml::table doc;
  try {
    doc = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: {}", file, e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  only_keys(doc, {"schema_version", "name", "part", "vdd_v", "clock_hz", "calibration", "core",
                  "memory", "static", "classes"},
            file, "");
  if (doc["schema_version"].value<std::int64_t>() != 1)
    throw InputError(fmt::format("{}: schema_version: this mcusim reads schema_version 1", file));
  EnergyTable t;
  t.file = path;
  t.name = text(doc, "name", file, "");
  t.part = text(doc, "part", file, "");
  t.vdd_v = number(doc, "vdd_v", file, "");
  t.clock_hz = static_cast<Hertz>(number(doc, "clock_hz", file, ""));

  auto* cal = doc["calibration"].as_table();
  if (!cal) throw InputError(fmt::format("{}: calibration: missing table", file));
  only_keys(*cal, {"run_current_ua_per_mhz", "program", "source", "shares"}, file, "calibration.");
  auto* shares = (*cal)["shares"].as_table();
  if (!shares) throw InputError(fmt::format("{}: calibration.shares: missing table", file));
  only_keys(*shares, {"dynamic", "clock", "static", "source"}, file, "calibration.shares.");
  for (const char* k : {"dynamic", "clock", "static"})
    t.calibration_shares[k] = number(*shares, k, file, "calibration.shares.");
  t.sources["calibration.shares"] = text(*shares, "source", file, "calibration.shares.");
  t.calibration_ua_per_mhz = number(*cal, "run_current_ua_per_mhz", file, "calibration.");
  t.calibration_program = text(*cal, "program", file, "calibration.");
  t.calibration_source = text(*cal, "source", file, "calibration.");

  auto* core = doc["core"].as_table();
  if (!core) throw InputError(fmt::format("{}: core: missing table", file));
  only_keys(*core, {"cycle"}, file, "core.");
  t.cycle_pj = entry(*core, "cycle", file, "core.", t);

  auto* mem = doc["memory"].as_table();
  if (!mem) throw InputError(fmt::format("{}: memory: missing table", file));
  only_keys(*mem, {"flash_read", "cache_hit", "sram_read", "sram_write"}, file, "memory.");
  t.flash_read_pj = entry(*mem, "flash_read", file, "memory.", t);
  t.cache_hit_pj = entry(*mem, "cache_hit", file, "memory.", t);
  t.sram_read_pj = entry(*mem, "sram_read", file, "memory.", t);
  t.sram_write_pj = entry(*mem, "sram_write", file, "memory.", t);

  auto* st = doc["static"].as_table();
  if (!st) throw InputError(fmt::format("{}: static: missing table", file));
  only_keys(*st, {"power"}, file, "static.");
  t.static_mw = entry(*st, "power", file, "static.", t, "mw");

  auto* cls = doc["classes"].as_table();
  if (!cls) throw InputError(fmt::format("{}: classes: missing table", file));
  std::set<std::string> names;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    names.insert(std::string(core::insn_class_name(static_cast<core::InsnClass>(i))));
  only_keys(*cls, names, file, "classes.");
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i) {
    std::string n(core::insn_class_name(static_cast<core::InsnClass>(i)));
    t.insn_pj[i] = entry(*cls, n, file, "classes.", t);
  }
  return t;
}

EnergyBreakdown compute_energy(const EnergyTable& table, const EnergyEvents& ev) {
  EnergyBreakdown b;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    b.insn_pj += static_cast<double>(ev.classes[i]) * table.insn_pj[i];
  b.clock_pj = static_cast<double>(ev.cycles) * table.cycle_pj;
  b.flash_pj = static_cast<double>(ev.flash_reads) * table.flash_read_pj +
               static_cast<double>(ev.cache_hits) * table.cache_hit_pj;
  b.sram_pj = static_cast<double>(ev.sram_reads) * table.sram_read_pj +
              static_cast<double>(ev.sram_writes) * table.sram_write_pj;
  b.static_pj = table.static_mw * 1e9 * ev.seconds;  // mW x s = mJ = 1e9 pJ
  return b;
}

}  // namespace mcusim::power

namespace mcusim::power {

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
    throw InputError(fmt::format("{}: calibration.shares: dynamic + clock + static = {}, expected 1", file, sum));
  auto weight = [&](const std::string& key) {
    auto w = in.weights.find(key);
    if (w == in.weights.end()) throw InputError(fmt::format("{}: {}.weight: missing", file, key));
    return w->second;
  };
  const double cycles = static_cast<double>(ev.cycles);
  const double mhz = static_cast<double>(in.clock_hz) / 1e6;
  // uA/MHz x V = pJ per cycle (core-facts.md E: 1 uA/MHz = 1 pC per cycle).
  const double run_pj_per_cycle = in.calibration_ua_per_mhz * in.vdd_v;
  const double run_pj = run_pj_per_cycle * cycles;
  const double run_mw = in.calibration_ua_per_mhz * mhz * in.vdd_v * 1e-3;  // uA x V = uW
  // Weighted count of the dynamic events, in ALU-instruction equivalents.
  double weighted = weight("memory.flash_read") * static_cast<double>(ev.flash_reads) +
                    weight("memory.cache_hit") * static_cast<double>(ev.cache_hits) +
                    weight("memory.sram_read") * static_cast<double>(ev.sram_reads) +
                    weight("memory.sram_write") * static_cast<double>(ev.sram_writes);
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    weighted += weight("classes." + std::string(core::insn_class_name(static_cast<core::InsnClass>(i)))) *
                static_cast<double>(ev.classes[i]);
  if (weighted <= 0 || cycles == 0)
    throw InputError(fmt::format("{}: calibration program '{}' made no events to calibrate against", file,
                                 in.calibration_program));
  const auto& sh = in.calibration_shares;
  const double unit = sh.at("dynamic") * run_pj / weighted;  // pJ per ALU-instruction equivalent
  t.static_mw = sh.at("static") * run_mw;
  t.cycle_pj = sh.at("clock") * run_pj_per_cycle;
  t.flash_read_pj = weight("memory.flash_read") * unit;
  t.cache_hit_pj = weight("memory.cache_hit") * unit;
  t.sram_read_pj = weight("memory.sram_read") * unit;
  t.sram_write_pj = weight("memory.sram_write") * unit;
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    t.insn_pj[i] = weight("classes." + std::string(core::insn_class_name(static_cast<core::InsnClass>(i)))) * unit;
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
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i) {
    const std::string n(core::insn_class_name(static_cast<core::InsnClass>(i)));
    classes.insert(n, entry("classes." + n, t.insn_pj[i]));
  }
  toml::table shares;
  for (auto& [k, v] : t.calibration_shares) shares.insert(k, v);
  shares.insert("source", src("calibration.shares"));
  toml::table doc{
      {"schema_version", 1},
      {"name", t.name},
      {"part", t.part},
      {"vdd_v", t.vdd_v},
      {"clock_hz", static_cast<std::int64_t>(t.clock_hz)},
      {"calibration", toml::table{{"run_current_ua_per_mhz", t.calibration_ua_per_mhz},
                                  {"program", t.calibration_program},
                                  {"source", t.calibration_source},
                                  {"shares", shares}}},
      {"core", toml::table{{"cycle", entry("core.cycle", t.cycle_pj)}}},
      {"memory", toml::table{{"flash_read", entry("memory.flash_read", t.flash_read_pj)},
                             {"cache_hit", entry("memory.cache_hit", t.cache_hit_pj)},
                             {"sram_read", entry("memory.sram_read", t.sram_read_pj)},
                             {"sram_write", entry("memory.sram_write", t.sram_write_pj)}}},
      {"static", toml::table{{"power", entry("static.power", t.static_mw, "mw")}}},
      {"classes", classes},
  };
  std::ostringstream out;
  out << "# Energy reference table " << t.name << " (" << t.part << "), schema_version 1.\n"
      << "# Generated by `mcusim calibrate --write` from the inputs it keeps: the datasheet run\n"
      << "# current ([calibration]), the component shares ([calibration.shares]) and the relative\n"
      << "# instruction weights (classes.*.weight). To change the model, edit those inputs and their\n"
      << "# sources, then run the command again. Method and units: docs/models/energy.md.\n"
      << doc << "\n";
  return out.str();
}

}  // namespace mcusim::power
