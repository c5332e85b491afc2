// Per-function profiles (`--profile FILE`): where cycles, instructions, stall cycles and energy go,
// per function and call stack, from the ELF's function symbols and (when present) its DWARF line
// table; a timeline of functions and regions on the simulated clock with average power per
// sampling interval. Collected per block by the run loop when profiling is on (the run loop
// does nothing extra when it is off); written by profile_formats.h. docs/profiles.md.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mcusim/base/units.h"
#include "mcusim/core/core_model.h"
#include "mcusim/results.h"

namespace mcusim {

/// A function of the firmware: an STT_FUNC symbol with its size, and the source position of its
/// first instruction from the DWARF line table (empty / 0 without debug information).
struct ProfileFunction {
  std::string name;
  Addr address = 0;       ///< first instruction (Thumb bit clear)
  std::uint32_t size = 0;  ///< bytes (st_size; 0 = up to the next symbol)
  std::string file;        ///< source file (DWARF), empty when unknown
  unsigned line = 0;       ///< source line (DWARF), 0 when unknown
};

/// What a call-tree node (a call stack) spent in its own code: exclusive figures.
struct ProfileCost {
  std::uint64_t instructions = 0;
  Cycles cycles = 0;
  /// Cycles the core waited: flash and RAM wait states (instruction fetch and data), L1 line
  /// fills, branch refills, divider and long-multiply latency beyond the minimum.
  Cycles stall_cycles = 0;
  double energy_pj = 0;  ///< energy table applied to the node's own events (pJ)
};

/// One node of the call tree: a function reached through its parent's call stack.
struct ProfileNode {
  std::size_t function = 0;  ///< index into Profile::functions
  std::size_t parent = 0;    ///< index of the caller's node (the root is its own parent)
  std::uint64_t calls = 0;   ///< times entered
  ProfileCost self;          ///< exclusive
  Counters counters;         ///< exclusive event counters (what `self` was computed from)
};

/// A slice of the timeline on the simulated clock (cycles from reset).
struct ProfileSlice {
  std::string name;
  std::string track;  ///< "functions" or "regions"
  unsigned depth = 0;
  Cycles begin = 0, end = 0;
};

/// A source line's share: instructions and issue cycles at zero wait states (stalls are charged
/// to the function, not to lines).
struct ProfileLine {
  std::string file;
  unsigned line = 0;
  std::string function;
  std::uint64_t instructions = 0;
  Cycles static_cycles = 0;
};

/// A run's profile. Node 0 is the root ("(reset)": code outside any function symbol before the
/// first call, and the reset handler's callers); exclusive figures of all nodes add up to the
/// run's totals (cycles and instructions exactly, energy to rounding).
struct Profile {
  std::vector<ProfileFunction> functions;  ///< index 0 is "(no symbol)"
  std::vector<ProfileNode> nodes;
  std::vector<ProfileSlice> slices;        ///< in order of their end
  std::size_t slices_dropped = 0;          ///< function slices beyond the cap (not in `slices`)
  Cycles power_interval_cycles = 0;        ///< sampling interval of `power_mw`
  /// Average power (mW) per interval: interval i covers cycles [i, i+1) x power_interval_cycles
  /// (the last one ends with the run). Samples are taken at block boundaries; a span covering
  /// several intervals (WFI sleep) gives each of them the span's average.
  std::vector<double> power_mw;
  std::vector<ProfileLine> lines;          ///< per source line (empty without DWARF)
  bool has_dwarf = false;
  Hertz clock_hz = 0;
  Cycles total_cycles = 0;
  std::uint64_t total_instructions = 0;
  double total_energy_pj = 0;
};

/// Options of a profiling run.
struct ProfileOptions {
  /// Power sampling interval in seconds of simulated time (1 ms: the EnergyRunner power
  /// monitor's sampling, docs/profiles.md).
  double power_interval_s = 1e-3;
  unsigned max_slice_depth = 12;         ///< function slices deeper than this are not recorded
  std::size_t max_slices = 200000;       ///< cap on recorded function slices (the rest counted)
};

/// The function table of an ELF: STT_FUNC symbols (sorted by address, duplicates at one address
/// merged, first name in name order kept) and, when the file has a DWARF line table, the source
/// position of each function and a line table for per-line figures. Throws InputError naming the
/// file when it cannot be read as ELF.
class SymbolTable {
 public:
  explicit SymbolTable(const std::filesystem::path& elf);
  /// Index of the function holding `a` (0 = "(no symbol)").
  std::size_t function_of(Addr a) const;
  /// Source position of the instruction at `a`: (file index, line), or (0, 0) when unknown.
  std::pair<std::uint32_t, unsigned> line_of(Addr a) const;
  const std::vector<ProfileFunction>& functions() const { return functions_; }
  const std::vector<std::string>& files() const { return files_; }
  bool has_dwarf() const { return !lines_.empty(); }

 private:
  std::vector<ProfileFunction> functions_;
  struct LineRow {
    Addr address;
    std::uint32_t file;
    unsigned line;
  };
  std::vector<LineRow> lines_;      // sorted by address
  std::vector<std::string> files_;  // index 0 = unknown
};

/// Collects a profile from the run loop. The run loop calls on_block at every block entry (after
/// the previous block's branch penalty, before the block's own cycles and instructions are
/// added), on_region at region-of-interest markers, and finish at the end. Calls are detected at
/// block transitions: a block in another function entered with the link register holding the
/// address after the previous block (BL, BLX, JAL/JALR ra) is a call; reaching the return
/// address of a frame on the stack returns to it; the entry of another function reached
/// otherwise pushes it (exception entry) when the link register holds EXC_RETURN, else replaces
/// the current frame (tail call); a jump into a function on the stack returns to it.
class Profiler {
 public:
  /// `snapshot`: the run's counters now (instruction classes may be left zero: the profiler
  /// counts them per block). `energy_pj`: the energy table applied to counters.
  Profiler(const SymbolTable& symbols, Hertz clock_hz, const ProfileOptions& options,
           std::function<Counters()> snapshot, std::function<double(const Counters&)> energy_pj);

  /// Function index for a block at `start` (computed once per decoded block by the caller).
  std::size_t function_of(Addr start) const { return symbols_.function_of(start); }

  /// A block of function `function` at `start` begins at cycle `now`; `prev_end` is the address
  /// after the previous block; `link` reads the link register (LR / ra) and is called only when
  /// the function changes.
  void on_block(Addr start, std::size_t function, const core::BlockInfo& info, Addr prev_end, Cycles now,
                const std::function<Addr()>& link);
  /// A region of interest entered (begin) or left at cycle `now`.
  void on_region(const std::string& name, bool begin, Cycles now);
  /// Ends the profile: attributes what is left, computes energies and the per-line table from the
  /// decoded blocks and their execution counts.
  Profile finish(Cycles now, const std::vector<std::pair<const core::BlockInfo*, std::uint64_t>>& blocks);

 private:
  struct Frame {
    std::size_t node;
    Addr return_to;  // 0 = unknown (exception entry)
    Cycles entered;
  };
  std::size_t child(std::size_t parent, std::size_t function);
  void charge();  // counters since the last charge to the current node
  void push(std::size_t function, Addr return_to, Cycles now);
  void pop_to(std::size_t depth, Cycles now);  // keep `depth` frames
  void sample_power(Cycles now, bool final);  // final: the run's end (a partial interval)

  const SymbolTable& symbols_;
  Hertz clock_hz_;
  ProfileOptions options_;
  std::function<Counters()> snapshot_;
  std::function<double(const Counters&)> energy_pj_;
  Profile profile_;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> children_;
  std::vector<Frame> stack_;
  std::size_t function_slices_ = 0;
  Counters last_;
  core::ClassCounts pending_classes_{};  // classes of blocks entered since the last charge
  std::vector<std::pair<std::string, Cycles>> open_regions_;
  Cycles next_power_sample_ = 0;
  Counters power_last_;
  double power_energy_ = 0;
};

}  // namespace mcusim
