#include "mcusim/energy_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "mcusim/base/errors.h"

namespace mcusim {
namespace {

using power::kNumMemActions;
using power::kNumMemComponents;
using power::MemAction;
using power::MemComponent;

std::string source_of(const power::EnergyTable& t, const std::string& key) {
  auto it = t.sources.find(key);
  return it == t.sources.end() ? std::string() : it->second;
}

}  // namespace

power::EnergyTable load_run_energy_table(const BoardConfig& b) {
  auto table = power::load_energy_table(energy_table_path(b));
  std::string range;
  if (b.vcore_range) {
    range = *b.vcore_range;
  } else if (const auto* r = power::range_for_clock(table, b.clock_hz)) {
    range = r->name;
  }
  if (!b.vdd_v && range == table.range) return table;
  try {
    auto t = power::at_operating_point(table, b.vdd_v.value_or(table.vdd_v), range);
    if (b.vcore_range) {
      auto it = std::find_if(t.ranges.begin(), t.ranges.end(),
                             [&](const power::SupplyRange& s) { return s.name == t.range; });
      if (it != t.ranges.end() && it->max_clock_hz < b.clock_hz)
        throw InputError(fmt::format("core-voltage range '{}' allows up to {} Hz, below the "
                                     "board clock {} Hz ({}: supply.ranges.{}.max_clock_hz)",
                                     t.range, it->max_clock_hz, b.clock_hz, t.file.string(),
                                     t.range));
    }
    return t;
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}: {}", b.file.string(),
                                 b.vcore_range ? "vdd_v/vcore_range" : "vdd_v", e.what()));
  }
}

std::string energy_text(const power::EnergyBreakdown& e, double seconds) {
  std::string out;
  auto row = [&](std::string_view k, const std::string& v) {
    out += fmt::format("  {:<28}{}\n", k, v);
  };
  row("energy",
      fmt::format("{:.2f} uJ  (core dynamic {:.2f}, memory {:.2f}, static {:.2f}, sleep {:.2f} uJ)",
                  e.total_pj() * 1e-6, e.core_pj() * 1e-6, e.memory_pj() * 1e-6, e.static_pj * 1e-6,
                  e.sleep_pj * 1e-6));
  std::string mem;
  for (std::size_t i = 0; i < kNumMemComponents; ++i)
    if (e.component_pj[i] != 0)
      mem += fmt::format("{}{} {:.2f}", mem.empty() ? "" : ", ",
                         power::mem_component_name(static_cast<MemComponent>(i)),
                         e.component_pj[i] * 1e-6);
  row("memory energy", mem.empty() ? std::string("none") : mem + " uJ");
  // Only when a peripheral is priced: the reports of runs without one stay as they were.
  if (!e.peripheral_pj.empty()) {
    std::string per;
    for (const auto& [name, pj] : e.peripheral_pj)
      per += fmt::format("{}{} {:.3f}", per.empty() ? "" : ", ", name, pj * 1e-6);
    row("peripherals", fmt::format("{:.3f} uJ ({} uJ)", e.peripherals_pj * 1e-6, per));
    if (!e.unpriced_peripherals.empty())
      row("peripherals not priced", fmt::format("{} (clocked, no figure in the energy table)",
                                                fmt::join(e.unpriced_peripherals, ", ")));
    std::string cyc;
    for (const auto& [name, c] : e.clocked_peripherals)
      cyc += fmt::format("{}{} {:.0f}", cyc.empty() ? "" : ", ", name, c);
    row("peripheral bus cycles", cyc);
  }
  row("average power", fmt::format("{:.2f} mW", e.average_mw(seconds)));
  return out;
}

nlohmann::ordered_json energy_json(const power::EnergyBreakdown& e, double seconds) {
  nlohmann::ordered_json memory = nlohmann::ordered_json::object();
  memory["total_pj"] = e.memory_pj();
  for (std::size_t c = 0; c < kNumMemComponents; ++c) {
    nlohmann::ordered_json comp;
    comp["total_pj"] = e.component_pj[c];
    for (std::size_t a = 0; a < kNumMemActions; ++a)
      if (static_cast<std::size_t>(power::component_of(static_cast<MemAction>(a))) == c)
        comp[std::string(power::mem_action_name(static_cast<MemAction>(a))) + "_pj"] =
            e.action_pj[a];
    memory[std::string(power::mem_component_name(static_cast<MemComponent>(c)))] = comp;
  }
  nlohmann::ordered_json j = {
      {"total_pj", e.total_pj()},
      {"core_pj",
       {{"total_pj", e.core_pj()}, {"instructions_pj", e.insn_pj}, {"clock_pj", e.clock_pj}}},
      {"memory_pj", memory},
  };
  // Only when a peripheral is priced: documents of runs without one stay byte-identical.
  if (!e.peripheral_pj.empty()) {
    nlohmann::ordered_json per = nlohmann::ordered_json::object();
    per["total_pj"] = e.peripherals_pj;
    for (const auto& [name, pj] : e.peripheral_pj) per[name + "_pj"] = pj;
    per["not_priced"] = e.unpriced_peripherals;
    nlohmann::ordered_json cyc = nlohmann::ordered_json::object();
    for (const auto& [name, c] : e.clocked_peripherals) cyc[name] = c;
    per["bus_cycles"] = cyc;
    j["peripherals_pj"] = per;
  }
  j["static_pj"] = e.static_pj;
  j["sleep_pj"] = e.sleep_pj;
  j["average_power_mw"] = e.average_mw(seconds);
  return j;
}

nlohmann::ordered_json energy_table_json(const power::EnergyTable& t) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::object();
  auto add = [&](const std::string& key, const char* unit, double v) {
    entries[key] = {{unit, v}, {"source", source_of(t, key)}};
  };
  for (std::size_t i = 0; i < core::kNumInsnClasses; ++i)
    add("classes." + std::string(core::insn_class_name(static_cast<core::InsnClass>(i))), "pj",
        t.insn_pj[i]);
  add("core.cycle", "pj", t.cycle_pj);
  for (std::size_t a = 0; a < kNumMemActions; ++a)
    add("memory." + std::string(power::mem_action_name(static_cast<MemAction>(a))), "pj",
        t.memory_pj[a]);
  add("static.power", "mw", t.static_mw);
  add("static.sleep", "mw", t.sleep_mw);
  for (const auto& [name, p] : t.peripherals) {
    entries["peripherals." + name] = {
        {"ua_per_mhz", p.ua_per_mhz}, {"pj_per_bus_cycle", p.pj_per_cycle}, {"source", p.source}};
    if (!p.range.empty()) entries["peripherals." + name]["range"] = p.range;
  }
  nlohmann::ordered_json shares = nlohmann::ordered_json::object();
  for (auto& [k, v] : t.calibration_shares) shares[k] = v;
  nlohmann::ordered_json calibration = {{"run_current_ua_per_mhz", t.calibration_ua_per_mhz},
                                        {"program", t.calibration_program},
                                        {"source", t.calibration_source},
                                        {"calibrated_on", t.calibrated_on},
                                        {"shares", shares},
                                        {"shares_source", source_of(t, "calibration.shares")}};
  // Only for a figure measured at another range: the other tables' documents stay as they were.
  if (!t.calibration_range.empty()) {
    calibration["run_current_range"] = t.calibration_range;
    calibration["target_ua_per_mhz"] = power::calibration_target_ua_per_mhz(t);
  }
  return {
      {"name", t.name},
      {"part", t.part},
      {"file", t.file.filename().string()},
      {"operating_point",
       {{"vdd_v", t.vdd_v},
        {"nominal_vdd_v", t.nominal_vdd_v},
        {"vdd_min_v", t.vdd_min_v},
        {"vdd_max_v", t.vdd_max_v},
        {"clock_hz", t.clock_hz},
        {"source", source_of(t, "operating_point")}}},
      {"supply",
       {{"regulator", power::regulator_name(t.regulator)},
        {"smps_efficiency", t.smps_efficiency},
        {"vcore_range", t.range},
        {"vcore_v", t.vcore_v},
        {"nominal_vcore_range", t.nominal_range},
        {"nominal_vcore_v", t.nominal_vcore_v},
        {"source", source_of(t, "supply")}}},
      {"flash_kind",
       {{"kind", t.flash_kind == power::FlashKind::external ? "external" : "embedded"},
        {"source", source_of(t, "memory.flash_kind")}}},
      {"calibration", calibration},
      {"entries", entries},
  };
}

}  // namespace mcusim
