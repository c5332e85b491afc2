// Energy model: energy = event counts x an energy reference table (style-anchors principle 5).
// Computed from the counters a timing run produced, never inside the timing hot path.
#pragma once
#include <array>
#include <filesystem>
#include <map>
#include <string>

#include "mcusim/core/core_model.h"
#include "mcusim/units.h"

namespace mcusim::power {

/// Energy reference table for one part at one operating point (supply voltage, clock).
/// All energies are at `vdd_v`; see docs/models/energy.md for the calibration procedure.
struct EnergyTable {
  std::string name;
  std::string part;
  std::filesystem::path file;
  double vdd_v = 0;          ///< supply voltage of the operating point, V
  Hertz clock_hz = 0;        ///< clock of the operating point
  std::array<double, core::kNumInsnClasses> insn_pj{};  ///< pJ per retired instruction, per class
  double cycle_pj = 0;       ///< pJ per core cycle (clock tree, pipeline, bus), paid by stalls too
  double flash_read_pj = 0;  ///< pJ per flash array read (one read unit, e.g. 64 bits)
  double cache_hit_pj = 0;   ///< pJ per flash-accelerator cache or buffer hit
  double sram_read_pj = 0;   ///< pJ per 32-bit SRAM read beat
  double sram_write_pj = 0;  ///< pJ per 32-bit SRAM write beat
  double static_mw = 0;      ///< static power (leakage, regulators, always-on logic), mW
  // Calibration target: the datasheet run current the table reproduces on `calibration_program`.
  double calibration_ua_per_mhz = 0;
  std::string calibration_program;
  std::string calibration_source;
  std::map<std::string, std::string> sources;  ///< entry -> where its number comes from
  /// "classes.<c>", "memory.<event>" -> energy relative to an ALU instruction (calibration input)
  std::map<std::string, double> weights;
  /// Share of run energy by component on the calibration program: dynamic (events), clock
  /// (per cycle), static (calibration input; they sum to 1).
  std::map<std::string, double> calibration_shares;
};

/// Counts of the energy events of a run or region.
struct EnergyEvents {
  core::ClassCounts classes{};
  Cycles cycles = 0;
  std::uint64_t flash_reads = 0;   ///< array reads (demand + prefetch, instruction + data)
  std::uint64_t cache_hits = 0;    ///< ART I/D cache and buffer hits
  std::uint64_t sram_reads = 0;
  std::uint64_t sram_writes = 0;
  double seconds = 0;              ///< elapsed modelled time
};

/// Energy split; the parts add up to total_pj() exactly (same doubles, summed in one order).
struct EnergyBreakdown {
  Picojoules insn_pj = 0;    ///< core dynamic: per-instruction-class energy
  Picojoules clock_pj = 0;   ///< core dynamic: per-cycle energy
  Picojoules flash_pj = 0;   ///< memory: flash array reads and accelerator hits
  Picojoules sram_pj = 0;    ///< memory: SRAM reads and writes
  Picojoules static_pj = 0;  ///< static power x time
  Picojoules core_pj() const { return insn_pj + clock_pj; }
  Picojoules memory_pj() const { return flash_pj + sram_pj; }
  Picojoules total_pj() const { return core_pj() + memory_pj() + static_pj; }
  /// Average power in mW over `seconds` (0 when seconds is 0).
  double average_mw(double seconds) const { return seconds > 0 ? total_pj() * 1e-9 / seconds : 0; }
};

/// Loads power-models/data/<name>.toml (or a path). Throws InputError naming the file and key for
/// a missing class, an unknown key or a negative energy.
EnergyTable load_energy_table(const std::filesystem::path& path);

/// counts x table.
EnergyBreakdown compute_energy(const EnergyTable& table, const EnergyEvents& events);

/// Calibration (docs/models/energy.md): returns `table` with its absolute entries solved so that
/// `events` (the counts of the calibration program's run at table.clock_hz) cost exactly the
/// datasheet run energy, calibration_ua_per_mhz x vdd_v pJ per cycle, split by
/// calibration_shares: static power = static share x run power; per-cycle energy = clock share x
/// run energy per cycle; every dynamic event (instruction classes, flash reads, cache hits, SRAM
/// reads and writes) costs its `weight` x one unit, the unit chosen so that the weighted event
/// counts take the dynamic share.
/// Throws InputError when a share or weight is missing, the shares do not sum to 1 (+-1e-6), or
/// the program made no events.
EnergyTable calibrate(const EnergyTable& table, const EnergyEvents& events);

/// The table as TOML (schema_version 1), loadable by load_energy_table.
std::string to_toml(const EnergyTable& table);

}  // namespace mcusim::power
