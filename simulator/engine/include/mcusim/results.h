// What a run produces: counters (snapshot-able, so regions are differences of snapshots),
// footprint, energy and the stop reason.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/core/core_model.h"
#include "mcusim/mem/flash.h"
#include "mcusim/mem/l1_cache.h"
#include "mcusim/power/energy_model.h"
#include "mcusim/base/units.h"

namespace mcusim {

struct Profile;  // profile.h

/// Data-side traffic to SRAM and to other (peripheral) addresses.
struct SramCounters {
  std::uint64_t reads = 0;   ///< accesses (one per 32-bit beat: LDM of N registers counts N)
  std::uint64_t writes = 0;
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
  Cycles stall_cycles = 0;   ///< SRAM wait states paid
};

/// Everything that accumulates during a run. A region's counters are end - begin snapshots.
struct Counters {
  std::uint64_t instructions = 0;  ///< retired (architecturally executed) instructions
  Cycles cycles = 0;               ///< modelled core cycles
  Cycles branch_penalty_cycles = 0;  ///< pipeline refills after taken branches
  Cycles divide_extra_cycles = 0;    ///< divider latency beyond its minimum
  Cycles sleep_cycles = 0;      ///< cycles asleep in WFI until a wake-up event (included in cycles)
  Cycles exception_cycles = 0;  ///< exception entry, return and tail-chain costs (included in cycles)
  std::uint64_t exceptions = 0;  ///< exceptions taken (entries and tail-chains)
  Cycles multiply_extra_cycles = 0;  ///< long-multiply latency beyond its minimum (Cortex-M3)
  core::ClassCounts classes{};       ///< retired instructions per class
  mem::FlashStats flash;             ///< instruction fetch and data traffic to flash
  SramCounters sram;                 ///< traffic to general SRAM (all [[sram]] regions of kind sram)
  SramCounters tcm;                  ///< traffic to tightly coupled memories (ITCM, DTCM)
  /// Per RAM region, in the board's [[sram]] order (same names as BoardConfig::sram). With a core
  /// L1 data cache, cached regions see line fills, write-backs and write-throughs, not the
  /// core's loads and stores.
  std::vector<SramCounters> ram_regions;
  mem::L1Stats l1i;                  ///< core L1 instruction cache (Cortex-M7), zero without one
  mem::L1Stats l1d;                  ///< core L1 data cache
  std::uint64_t peripheral_accesses = 0;
  /// SoC boards: per peripheral with an RCC enable bit in the SoC data file (its order), bus-clock
  /// cycles while enabled (dev::Soc::peripheral_clocks); empty without a SoC.
  std::vector<power::PeripheralCycles> peripherals;
};
Counters operator-(const Counters& a, const Counters& b);
Counters& operator+=(Counters& a, const Counters& b);
/// The energy events of a run or region (the counters the energy table prices). `flash_kind`
/// (the energy table's) says whether the flash window's transfers are embedded-flash array reads
/// (flash_read, prefetch_read) or external XIP transfers (xip_read).
power::EnergyEvents energy_events(const Counters& c, Hertz clock_hz,
                                  power::FlashKind flash_kind = power::FlashKind::embedded);

/// A region of interest marked by the firmware (semihosting ROI_BEGIN/ROI_END).
struct RegionResult {
  std::uint32_t id = 0;
  std::string label;                         ///< as sent by the firmware
  std::map<std::string, std::string> attrs;  ///< parsed key=value pairs of the label
  std::uint64_t instances = 0;               ///< how many times it was entered and left
  Counters counters;                         ///< summed over instances
  power::EnergyBreakdown energy;
};

/// Memory footprint of the firmware, in bytes.
struct Footprint {
  Bytes text = 0;            ///< executable sections in flash
  Bytes rodata = 0;          ///< read-only data in flash (vector table included)
  Bytes data = 0;            ///< initialised data (stored in flash, copied to SRAM)
  Bytes bss = 0;             ///< zero-initialised SRAM
  Bytes stack_peak = 0;      ///< measured stack high-water mark
  Bytes arena = 0;           ///< activation arena reported by the firmware (arena_bytes=N), part of bss
  /// False for an image without sections (raw binary, Intel HEX): then `text` holds all the
  /// image's bytes, and SRAM is measured from the run's writes: `stack_peak` is the written span
  /// directly below the initial SP, `sram_written` every other written byte (32-byte granules).
  bool from_sections = true;
  Bytes sram_written = 0;    ///< SRAM written outside the stack (images without sections only)
  /// Heap used: from the ELF's heap-start symbol (`__heap_start`, `end`, ...) to the end of the
  /// highest write between it and the stack that is not a stack write (below the SP's reach);
  /// 0 when no such write was made or the heap start is unknown (docs/results-schema.md).
  Bytes heap = 0;
  /// Cortex-M process stack (PSP) high-water mark: from the highest SP seen when the core
  /// selected the process stack (CONTROL.SPSEL = 1 in Thread mode, or an exception return to it)
  /// down to the lowest write within the SP's reach while on it (exception frames included).
  /// Exact for one process stack; with several (an RTOS's threads) it spans them all, an upper
  /// bound. `stack_peak` is then the main stack (MSP) alone. The process stacks are normally
  /// static arrays, already in `bss`: not added to sram_total(). 0 = the PSP was never used.
  Bytes process_stack_peak = 0;
  Bytes flash_total() const { return text + rodata + data; }
  Bytes sram_total() const { return data + bss + sram_written + stack_peak + heap; }
};

/// Why a run ended. `stuck`: the firmware can never progress (a branch to itself that nothing can
/// interrupt, e.g. `cpsid i; b .`), stopped at once instead of running to the instruction limit.
/// `waiting_for_input`: the firmware waits for UART input and the host has none left
/// (docs/peripherals.md "Host input").
enum class StopReason { exited, fault, instruction_limit, unsupported, stuck, waiting_for_input };

/// A GPIO output edge (SoC peripherals): pin ("PF13"), new level, core cycle of the write.
struct GpioEdgeRecord {
  std::string pin;
  int level = 0;
  Cycles cycle = 0;
};

/// What the SoC peripherals saw during a run (empty without a board `soc`).
struct SocRunInfo {
  std::string soc;                   ///< SoC data file name, empty: none
  Hertz programmed_clock_hz = 0;     ///< core clock the firmware programmed, Hz (0: never changed)
  Cycles clock_set_at = 0;           ///< core cycle of the last change of the core clock
  std::map<std::string, std::string> uart_output;  ///< bytes each UART sent, by UART name
  std::vector<GpioEdgeRecord> gpio_edges;          ///< output edges in cycle order
  std::vector<std::string> warnings;  ///< unlisted registers, flash latency, clock differs from the board's
};

/// The counters at one output edge of RunOptions::snapshot_pin: the energy monitor's view of a
/// window framed by timestamp edges is the difference of two snapshots.
struct PinSnapshot {
  int level = 0;      ///< the pin's new level (0/1)
  Cycles cycle = 0;   ///< core cycle of the write that made the edge
  Counters counters;  ///< everything counted up to that write
};

struct RunResult {
  BoardConfig board;                ///< the resolved configuration that ran
  std::string core_model;
  std::string firmware;             ///< path as given
  StopReason stop = StopReason::exited;
  int exit_code = 0;                ///< firmware exit status (StopReason::exited)
  std::string stop_message;         ///< fault / limit / unsupported explanation
  Counters total;
  power::EnergyBreakdown energy;
  std::string energy_table;         ///< name of the energy table used
  power::EnergyTable energy_model;  ///< the table the energies were computed with (at the run's vdd_v)
  std::vector<RegionResult> regions;  ///< in order of first entry
  Footprint footprint;
  std::string console;              ///< everything the firmware wrote to stdout/stderr (capped, below)
  /// The firmware wrote more than the console cap (16 MiB, docs/limits-and-errors.md): `console`
  /// holds the first 16 MiB and a line saying it was truncated.
  bool console_truncated = false;
  SocRunInfo soc;                   ///< peripherals: UART output, GPIO edges, programmed clock
  /// Per-function profile when RunOptions::profile was set (profile.h), else null.
  std::shared_ptr<const Profile> profile;
  /// One per output edge of RunOptions::snapshot_pin, in cycle order (empty when not asked).
  std::vector<PinSnapshot> pin_snapshots;
  double seconds() const { return static_cast<double>(total.cycles) / static_cast<double>(board.clock_hz); }
};

}  // namespace mcusim
