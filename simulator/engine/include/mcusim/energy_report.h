// Energy in run results: the energy table a run uses (the board's table at the board's supply
// voltage) and the energy figures of reports, as text rows and as JSON (docs/models/energy.md).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "mcusim/board.h"
#include "mcusim/power/energy_model.h"

namespace mcusim {

/// The board's energy table (energy_table_path(b)) at the board's supply voltage: unchanged when
/// b.vdd_v is unset, else power::at_supply_voltage(table, *b.vdd_v). Throws InputError naming the
/// board file, the key vdd_v and the table's documented range when the voltage is outside it.
power::EnergyTable load_run_energy_table(const BoardConfig& b);

/// Text rows in the report's "  <label, 28 wide><value>" layout: total energy (uJ) split into core
/// dynamic, memory, static and sleep; the memory part per memory (the memories with energy);
/// average power (mW) over `seconds`.
std::string energy_text(const power::EnergyBreakdown& e, double seconds);

/// JSON object: total_pj; core_pj (instructions_pj, clock_pj); memory_pj with one object per
/// memory (total_pj and its actions' pJ); static_pj; sleep_pj; average_power_mw over `seconds`.
/// The parts (core, the memories, static, sleep) add up to total_pj exactly.
nlohmann::ordered_json energy_json(const power::EnergyBreakdown& e, double seconds);

/// JSON object describing the table a run used: name, part, file name, operating point (V, Hz,
/// supply range, nominal V), flash kind, calibration target, and every entry with its unit
/// (pJ or mW) and source.
nlohmann::ordered_json energy_table_json(const power::EnergyTable& t);

}  // namespace mcusim
