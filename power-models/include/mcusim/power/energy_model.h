// Energy model: energy = event counts x an energy reference table (style-anchors principle 5).
// Computed from the counters a timing run produced, never inside the timing hot path.
// Method, units and limits: docs/models/energy.md.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/core/core_model.h"
#include "mcusim/base/units.h"

namespace mcusim::power {

/// Memory actions the energy table prices, one entry each. The order is fixed: it is the order of
/// the per-action energies in EnergyBreakdown and of the summation.
enum class MemAction : std::uint8_t {
  flash_read,     ///< embedded-flash array read on demand (one read unit, e.g. 64 or 128 bits)
  prefetch_read,  ///< embedded-flash array read started by the prefetcher (one read unit)
  accel_hit,   ///< hit in the flash accelerator (ART cache, fetch or prefetch buffer) or XIP cache
  l1_hit,      ///< hit in a core L1 instruction or data cache (e.g. Cortex-M7)
  l1_fill,     ///< L1 miss: lookup and writing one line into the cache (backing reads priced
               ///< by their own memory's action)
  sram_read,   ///< 32-bit SRAM read beat (LDM of N registers = N)
  sram_write,  ///< 32-bit SRAM write beat
  tcm_read,    ///< 32-bit tightly-coupled-memory read beat (ITCM/DTCM)
  tcm_write,   ///< 32-bit tightly-coupled-memory write beat
  xip_read,    ///< external (QSPI) flash transfer through the XIP interface, one read unit
};
inline constexpr std::size_t kNumMemActions = 10;

/// Memories of the per-memory breakdown (fixed order, the order of summation).
enum class MemComponent : std::uint8_t { flash, caches, sram, tcm, xip };
inline constexpr std::size_t kNumMemComponents = 5;

/// Key of an action in the table file and reports, e.g. "flash_read".
std::string_view mem_action_name(MemAction a);
/// Key of a component, e.g. "caches".
std::string_view mem_component_name(MemComponent c);
/// The memory an action is charged to: flash_read/prefetch_read -> flash; accel_hit, l1_hit,
/// l1_fill -> caches; sram_* -> sram; tcm_* -> tcm; xip_read -> xip.
MemComponent component_of(MemAction a);

/// Where the part's code flash is: on the die (its array reads are flash_read/prefetch_read) or
/// an external QSPI device read through an XIP interface (its reads are xip_read).
enum class FlashKind : std::uint8_t { embedded, external };

/// How the part's core domain is supplied (docs/models/energy.md, "Supply"):
/// - direct: the core domain is the supply pin (V_core = VDD); dynamic energy ~ VDD^2;
/// - ldo: an internal linear regulator; the supply current equals the core current, so the power
///   drawn from VDD is VDD x I_core and dynamic energy ~ V_core x VDD;
/// - smps: an internal switching regulator at a fixed efficiency; the power drawn from VDD is the
///   core power / efficiency, independent of VDD; dynamic energy ~ V_core^2.
enum class Regulator : std::uint8_t { direct, ldo, smps };

/// "direct", "ldo" or "smps".
std::string_view regulator_name(Regulator r);

/// One core-voltage range of the part's regulator (e.g. STM32L4+ "range1_boost"), as the firmware
/// programs it through PWR (VOS bits).
struct SupplyRange {
  std::string name;      ///< key in the table, e.g. "range1_boost"
  double vcore_v = 0;    ///< core-domain voltage of the range, V
  Hertz max_clock_hz = 0;  ///< highest core clock the range allows, Hz
  std::string source;    ///< where vcore_v and max_clock_hz come from
};

/// Supply current of one peripheral while its clock is enabled (docs/models/energy.md
/// "Peripherals"), from the part's datasheet "Peripheral current consumption" table.
struct PeripheralPower {
  double ua_per_mhz = 0;  ///< supply current per MHz of the peripheral's bus clock, uA/MHz
  /// Core-voltage range (a key of the table's supply.ranges) the figure was measured at; empty =
  /// the table's nominal range.
  std::string range;
  std::string source;  ///< where the figure comes from
  /// Energy per bus-clock cycle while enabled, pJ, at the table's operating point: ua_per_mhz x
  /// VDD (uA/MHz x V = pJ per cycle) carried from `range` to the table's range like dynamic
  /// energy (ldo x V_t/V_m, smps x (V_t/V_m)^2), then rescaled with the other dynamic entries.
  double pj_per_cycle = 0;
};

/// Bus-clock cycles of one peripheral while enabled (a run's or region's count).
struct PeripheralCycles {
  std::string name;       ///< instance name, as in the SoC data file ("tim5")
  double bus_cycles = 0;  ///< cycles of its bus clock while its RCC enable bit was set
};

/// Energy reference table for one part at one operating point (supply voltage, core-voltage
/// range, clock). Every energy is the energy drawn from the supply pin (VDD) at `vdd_v` and the
/// core voltage `vcore_v`; see docs/models/energy.md for the calibration procedure.
struct EnergyTable {
  std::string name;
  std::string part;
  std::filesystem::path file;
  double vdd_v = 0;          ///< supply voltage of the operating point, V (after at_operating_point)
  double nominal_vdd_v = 0;  ///< supply voltage the table file was calibrated at, V
  double vdd_min_v = 0;      ///< lowest documented supply voltage of the part, V
  double vdd_max_v = 0;      ///< highest documented supply voltage of the part, V
  Hertz clock_hz = 0;        ///< clock of the operating point
  Regulator regulator = Regulator::direct;  ///< how the core domain is supplied
  double smps_efficiency = 1;  ///< SMPS efficiency (0, 1]; 1 for ldo/direct
  std::vector<SupplyRange> ranges;  ///< core-voltage ranges, ascending vcore_v (empty: direct)
  std::string range;          ///< the range the energies are at (after at_operating_point)
  std::string nominal_range;  ///< the range the table file was calibrated at
  double vcore_v = 0;          ///< core voltage of `range`, V (= vdd_v for direct)
  double nominal_vcore_v = 0;  ///< core voltage of `nominal_range`, V
  FlashKind flash_kind = FlashKind::embedded;
  std::array<double, core::kNumInsnClasses> insn_pj{};  ///< pJ per retired instruction, per class
  double cycle_pj = 0;  ///< pJ per awake core cycle (clock tree, pipeline, bus), paid by stalls too
  std::array<double, kNumMemActions> memory_pj{};  ///< pJ per memory action
  double static_mw = 0;  ///< static power while awake (leakage, regulators, always-on logic), mW
  double sleep_mw = 0;   ///< power in Sleep mode (core stopped by WFI, clocks running), mW
  /// Per peripheral instance ("tim5"): its current while clocked ([peripherals.<name>], optional).
  /// A peripheral a run enables without an entry here is reported as not priced.
  std::map<std::string, PeripheralPower> peripherals;
  // Calibration target: the datasheet run current the table reproduces on `calibration_program`.
  double calibration_ua_per_mhz = 0;
  /// The core-voltage range (a key of `ranges`) the datasheet run current was measured at; empty =
  /// `nominal_range`. When it differs, the target is that figure carried to the nominal range by
  /// the supply model (calibration_target_ua_per_mhz).
  std::string calibration_range;
  std::string calibration_program;
  std::string calibration_source;
  /// The run the absolute values were solved from (`mcusim calibrate --board <board>`); a name
  /// starting with "proxy" marks provisional values solved on another board's program.
  std::string calibrated_on;
  /// entry -> where its number comes from: "classes.<c>", "core.cycle", "memory.<action>",
  /// "static.power", "static.sleep", "operating_point", "memory.flash_kind", "calibration.shares"
  std::map<std::string, std::string> sources;
  /// "classes.<c>", "memory.<action>" -> energy relative to an ALU instruction (calibration input)
  std::map<std::string, double> weights;
  /// Share of run energy by component on the calibration program: dynamic (events), clock
  /// (per cycle), static (calibration input; they sum to 1).
  std::map<std::string, double> calibration_shares;

  double& mem(MemAction a) { return memory_pj[static_cast<std::size_t>(a)]; }
  double mem(MemAction a) const { return memory_pj[static_cast<std::size_t>(a)]; }
};

/// Counts of the energy events of a run or region.
struct EnergyEvents {
  core::ClassCounts classes{};
  Cycles cycles = 0;                                   ///< all modelled core cycles, sleep included
  Cycles sleep_cycles = 0;                             ///< of `cycles`, those spent asleep in WFI
  std::array<std::uint64_t, kNumMemActions> memory{};  ///< count per memory action
  double seconds = 0;        ///< elapsed modelled time, s (sleep included)
  double sleep_seconds = 0;  ///< of `seconds`, time asleep in WFI, s
  /// Bus-clock cycles of each peripheral while its RCC enable bit was set (SoC boards only).
  std::vector<PeripheralCycles> peripherals;

  std::uint64_t& mem(MemAction a) { return memory[static_cast<std::size_t>(a)]; }
  std::uint64_t mem(MemAction a) const { return memory[static_cast<std::size_t>(a)]; }
};

/// Energy split. Every figure is computed once from counts x table in compute_energy; the total
/// is the sum of the parts in one fixed order (parts()), so the parts add up to total_pj()
/// exactly, bit for bit.
struct EnergyBreakdown {
  Picojoules insn_pj = 0;   ///< core dynamic: per-instruction-class energy
  Picojoules clock_pj = 0;  ///< core dynamic: per awake cycle
  std::array<Picojoules, kNumMemActions> action_pj{};        ///< memory, per action
  std::array<Picojoules, kNumMemComponents> component_pj{};  ///< memory, per memory (sum of its
                                                             ///< actions in enum order)
  Picojoules static_pj = 0;                                  ///< static power x awake time
  Picojoules sleep_pj = 0;                                   ///< sleep power x time asleep in WFI
  /// Peripherals: sum of `peripheral_pj` in its order (bus cycles while enabled x pJ per cycle).
  Picojoules peripherals_pj = 0;
  /// Per priced peripheral (a table entry and bus cycles > 0), in the events' order.
  std::vector<std::pair<std::string, Picojoules>> peripheral_pj;
  /// Peripherals the run clocked that the table has no figure for (not in the total).
  std::vector<std::string> unpriced_peripherals;
  /// Every peripheral the run clocked (bus cycles > 0) with its bus-clock cycles while enabled.
  std::vector<std::pair<std::string, double>> clocked_peripherals;

  Picojoules core_pj() const { return insn_pj + clock_pj; }
  Picojoules memory_pj(MemComponent c) const { return component_pj[static_cast<std::size_t>(c)]; }
  /// Sum of the components in enum order.
  Picojoules memory_pj() const;
  /// core, flash, caches, sram, tcm, xip, peripherals, static, sleep: the parts of the total, in
  /// summation order.
  std::array<Picojoules, 4 + kNumMemComponents> parts() const;
  /// Left-to-right sum of parts().
  Picojoules total_pj() const;
  /// Core dynamic + memory (everything that scales with events, not with time).
  Picojoules dynamic_pj() const { return core_pj() + memory_pj(); }
  /// Average power in mW over `seconds` (0 when seconds is 0).
  double average_mw(double seconds) const { return seconds > 0 ? total_pj() * 1e-9 / seconds : 0; }
};

/// Loads power-models/data/<name>.toml (or a path), schema_version 2. Throws InputError naming
/// the file and key for a missing class or memory action, an unknown key, a negative energy, or
/// an operating point outside its own supply range.
EnergyTable load_energy_table(const std::filesystem::path& path);

/// counts x table. Static power is charged over the awake time (seconds - sleep_seconds), sleep
/// power over sleep_seconds; per-cycle energy over the awake cycles (cycles - sleep_cycles);
/// each peripheral's bus cycles while enabled x its pj_per_cycle (no entry: not priced, listed in
/// unpriced_peripherals).
EnergyBreakdown compute_energy(const EnergyTable& table, const EnergyEvents& events);

/// at_operating_point(table, vdd_v, "") : another supply voltage, the same core-voltage range.
/// For a direct supply: every dynamic entry x (vdd_v / V0)^2, static power x vdd_v / V0.
EnergyTable at_supply_voltage(const EnergyTable& table, double vdd_v);

/// The range with the lowest core voltage whose max_clock_hz is at least `clock_hz` (the range a
/// firmware must program for that clock). nullptr when the table has no ranges (direct supply).
/// Throws InputError naming the table file when no range allows the clock.
const SupplyRange* range_for_clock(const EnergyTable& table, Hertz clock_hz);

/// The table rescaled to supply voltage `vdd_v` (V) and core-voltage range `range` (a key of
/// table.ranges; empty = keep the table's range), clock unchanged (docs/models/energy.md,
/// "Supply"). With r = vdd_v / V0 and c = Vc / Vc0 (V0, Vc0: the table's vdd_v and vcore_v):
/// dynamic entries (pJ) x r^2 (direct), x c x r (ldo), x c^2 (smps); static power (mW) x r
/// (direct, ldo: leakage current taken as constant, drawn at VDD), x c (smps); sleep power: its
/// static part like static power, the rest like dynamic energy. Throws InputError naming the table
/// file when vdd_v is outside [vdd_min_v, vdd_max_v] or the range is unknown.
EnergyTable at_operating_point(const EnergyTable& table, double vdd_v, const std::string& range);

/// The supply current the table is calibrated to, uA/MHz, at its own VDD and `nominal_range`: the
/// datasheet figure `calibration_ua_per_mhz` when it was measured at that range (or the table has
/// no ranges); else that figure, measured at `calibration_range` (core voltage V_m), carried to
/// the nominal range's V_core V_t by the supply model (docs/models/energy.md "Supply"), its
/// dynamic and clock shares as dynamic energy and its static share as leakage:
///   ldo:  I x ((dynamic + clock) x V_t / V_m + static)
///   smps: I x ((dynamic + clock) x (V_t / V_m)^2 + static x V_t / V_m)
/// Throws InputError naming the table file and `calibration.run_current_range` when that range is
/// not one of the table's ranges, or the shares are missing.
double calibration_target_ua_per_mhz(const EnergyTable& table);

/// Calibration (docs/models/energy.md): returns `table` with its absolute entries solved so that
/// `events` (the counts of the calibration program's run at table.clock_hz, no sleep) cost
/// exactly the datasheet run energy, calibration_target_ua_per_mhz x vdd_v pJ per cycle, split by
/// calibration_shares: static power = static share x run power; per-cycle energy = clock share x
/// run energy per cycle; every dynamic event (instruction classes and memory actions) costs its
/// `weight` x one unit, the unit chosen so that the weighted event counts take the dynamic share.
/// sleep_mw is a datasheet input and is kept. Throws InputError when a share or weight is
/// missing, the shares do not sum to 1 (+-1e-6), or the program made no events.
EnergyTable calibrate(const EnergyTable& table, const EnergyEvents& events);

/// The table as TOML (schema_version 2), loadable by load_energy_table.
std::string to_toml(const EnergyTable& table);

}  // namespace mcusim::power
