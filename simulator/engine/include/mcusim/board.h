// Board description: core, clock, memory map and memory models, parsed once from a TOML board
// file into typed structs with derived values resolved (flash wait states from the clock).
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/core/core_model.h"
#include "mcusim/mem/flash.h"
#include "mcusim/mem/l1_cache.h"
#include "mcusim/base/units.h"

namespace mcusim {

/// Kind of an on-chip RAM region: general SRAM (behind the bus matrix, cacheable by a core L1)
/// or a tightly coupled memory of the core (single-cycle, never cached).
enum class RamKind { sram, itcm, dtcm };

struct SramRegion {
  std::string name;
  Addr base = 0;
  std::uint32_t size_bytes = 0;
  std::uint32_t wait_states = 0;  ///< extra cycles per access (0 = single-cycle SRAM)
  RamKind kind = RamKind::sram;
  /// Accesses go through the core's L1 data/instruction cache (when the board has [cache]).
  /// Default: true for sram, false for TCMs.
  bool cacheable = true;
  bool contains(Addr a) const { return a - base < size_bytes; }
  bool is_tcm() const { return kind != RamKind::sram; }
};

/// The core's L1 caches (Cortex-M7) and the bus behind them. A line fill costs
/// miss_overhead_cycles + the next level's transfer time (flash: read_width units at WS + 1
/// cycles each; SRAM: line_bytes / bus_bytes beats at 1 + wait_states cycles each).
struct L1System {
  bool present = false;                   ///< the board has a [cache] table
  std::uint32_t miss_overhead_cycles = 0; ///< interconnect latency added to each line fill, cycles
  std::uint32_t bus_bytes = 8;            ///< width of the bus behind the L1 (AXIM: 64-bit)
  mem::L1Config icache;
  mem::L1Config dcache;
};

struct BoardConfig {
  std::filesystem::path file;  ///< where it was loaded from
  std::string name;
  std::string description;
  std::string core;          ///< core model name; timing table core-models/data/<core>.toml
  /// "key=value" overrides of the core's timing table (e.g. PicoRV32 build options:
  /// "pipeline.shift_rule.value=\"single\"" for BARREL_SHIFTER); applied when the model loads.
  std::vector<std::string> core_set;
  std::string power;         ///< energy table name; power-models/data/<power>.toml
  /// Supply voltage (V) to run the energy table at, e.g. --set vdd_v=1.8; unset = the table's own
  /// operating point. Checked against the table's documented range when the table is loaded
  /// (load_run_energy_table, docs/models/energy.md "Voltage and frequency").
  std::optional<double> vdd_v;
  /// Core-voltage range of the part's regulator (a key of the energy table's supply.ranges, e.g.
  /// --set vcore_range=range1), as the firmware would program it through PWR; unset = the lowest
  /// range that allows clock_hz (power::range_for_clock; docs/models/energy.md "Supply").
  std::optional<std::string> vcore_range;
  Hertz clock_hz = 0;
  /// Arm: address of the initial vector table (VTOR at reset); the initial SP and reset vector
  /// are read from it.
  std::optional<Addr> vector_table;
  /// RISC-V: the PC at reset; when absent the ELF entry point is used.
  std::optional<Addr> reset_pc;
  /// Where a raw binary image (.bin) is loaded; when absent, the flash base (raw_image.h).
  std::optional<Addr> boot_address;
  /// A byte stored here is printed on the console (e.g. a UART TX register); optional.
  std::optional<Addr> console_address;
  /// A store here ends the run with exit status 0 (Ibex simple_system's halt register); optional.
  std::optional<Addr> halt_address;
  /// Wait states (core cycles, 0-15) added to every load and store to the console and halt
  /// registers (board key `device_wait_states`, default 0): a device slower than the RAM, e.g.
  /// the testbench's `--device-ws` (docs/boards.md). SoC peripherals are not affected.
  std::uint32_t device_wait_states = 0;
  /// RISC-V: an EBREAK that is not a semihosting call ends the run with status 0 (PicoRV32
  /// testbench convention); otherwise it is a firmware fault.
  bool ebreak_exits = false;
  /// The SoC whose peripherals are modelled (boards/socs/<soc>.toml, docs/peripherals.md);
  /// empty: no peripheral models (console/halt registers and semihosting only).
  std::string soc;
  /// The SoC UART the MLPerf Tiny runner talks to (the board's ST-LINK virtual COM port, e.g.
  /// "lpuart1"; `mcusim mlperf` plays the runner on it, docs/mlperf.md); empty: not named.
  std::string runner_uart;
  /// The GPIO pin the MLPerf Tiny DUT pulses in energy mode (Arduino D7, e.g. "PF13"): its
  /// falling edges frame the timed window; empty: not named.
  std::string timestamp_pin;
  /// Frequency of the board's HSE source (crystal or ST-LINK MCO), Hz; overrides the SoC file's.
  std::optional<Hertz> hse_hz;
  bool has_flash = true;     ///< false when the board has no [flash] table (code runs from SRAM)
  mem::FlashConfig flash;
  std::vector<Hertz> wait_state_table_hz;  ///< max HCLK for 0, 1, 2, ... WS
  bool wait_states_from_table = true;      ///< false when the user fixed flash.wait_states
  std::vector<SramRegion> sram;
  L1System l1;
  std::uint32_t flash_icache_size() const { return flash.icache_enabled ? flash.icache.size_bytes : 0; }
  std::uint32_t flash_dcache_size() const { return flash.dcache_enabled ? flash.dcache.size_bytes : 0; }
};

/// Wait states for `clock_hz` from a part's table (entry i = highest HCLK allowed at i WS).
/// Throws InputError when the clock exceeds the table (names the board and the maximum).
std::uint32_t wait_states_for_clock(const std::vector<Hertz>& table_hz, Hertz clock_hz,
                                    const std::string& board_name);

/// Directory holding boards/, core-models/data/ and power-models/data/: $MCUSIM_DATA_DIR if set,
/// else the installed data next to the running binary (<prefix>/share/mcusim when the binary is
/// <prefix>/bin/mcusim and <prefix>/share/mcusim/boards exists; `cmake --install`), else the
/// source tree the binary was built from.
std::filesystem::path data_dir();

/// <prefix>/share/mcusim when the running binary is <prefix>/bin/<name> and that directory holds
/// boards/ (an installed copy); empty otherwise.
std::filesystem::path installed_share_dir();

/// Loads a board by name (boards/<name>.toml under data_dir()) or by path (contains '/' or ends
/// in .toml). `overrides` are "key=value" strings applied on top of the file (dotted keys, e.g.
/// "clock_hz=80000000", "clock_mhz=80" (an alias setting clock_hz), "flash.wait_states=2",
/// "flash.icache.enabled=false", "cache.dcache.write_policy=write-through", and
/// "sram.<name>.wait_states=1" for the [[sram]] region of that name).
/// Throws InputError naming the file and key for anything missing, unknown or out of range.
BoardConfig load_board(const std::string& name_or_path,
                       const std::vector<std::string>& overrides = {});

/// The board's core timing table: data_dir()/core-models/data/<core>.toml.
std::filesystem::path core_table_path(const BoardConfig& b);
/// The board's energy table: data_dir()/power-models/data/<power>.toml.
std::filesystem::path energy_table_path(const BoardConfig& b);

/// The board's core model: its timing table with the board's core_set overrides applied.
/// Throws InputError naming the table (and the board when an override is at fault).
std::unique_ptr<core::CoreModel> load_board_core(const BoardConfig& b);

/// One line describing the board's memory system for `mcusim boards` and reports: flash (size,
/// wait states, read width, prefetch, accelerator or XIP caches), the core's L1 caches, and each
/// RAM region with its kind and wait states.
std::string memory_summary(const BoardConfig& b);

/// Names of the boards shipped in data_dir()/boards, sorted.
std::vector<std::string> list_boards();

}  // namespace mcusim
