// Core timing model interface. A core model turns the bytes of a basic block into a BlockInfo
// (decoded once, at first sight of the block) and answers the few data-dependent questions the
// run loop asks at run time (divider latency). It never calls Unicorn.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim::core {

enum class InsnClass : std::uint8_t {
#define MCUSIM_INSN_CLASS(id, desc) id,
#include "mcusim/core/insn_classes.def"
#undef MCUSIM_INSN_CLASS
};
inline constexpr std::size_t kNumInsnClasses = 0
#define MCUSIM_INSN_CLASS(id, desc) +1
#include "mcusim/core/insn_classes.def"
#undef MCUSIM_INSN_CLASS
    ;

/// Name of a class as used in timing and energy tables ("alu", "load_multiple", ...).
std::string_view insn_class_name(InsnClass c);
/// Inverse of insn_class_name; nullopt for an unknown name.
std::optional<InsnClass> insn_class_from_name(std::string_view name);
/// Per-class counts, indexed by static_cast<size_t>(InsnClass).
using ClassCounts = std::array<std::uint64_t, kNumInsnClasses>;

/// Thrown for a malformed timing table; the message names the file and key.
struct TimingTableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a data-dependent site is: its latency comes from CoreModel::divide_cycles or
/// CoreModel::multiply_long_cycles.
enum class OperandSiteKind : std::uint8_t {
  divide,         ///< SDIV/UDIV; RV32 DIV/DIVU/REM/REMU
  multiply_long,  ///< SMULL/UMULL/SMLAL/UMLAL on a core with early termination (Cortex-M3)
  shift,          ///< RV32 SLL/SRL/SRA on an iteratively shifting core (PicoRV32 without
                  ///< BARREL_SHIFTER): rm = the register holding the shift amount
};

/// An instruction found in a block whose latency depends on operand values (a divide, or a long
/// multiply with early termination), so the run loop reads registers rn and rm when it executes
/// (Unicorn register numbering is the adapter's business: these are architectural r0..r15).
/// Divide: rn = dividend, rm = divisor. Multiply: the two multiplied registers.
struct DividerSite {
  Addr addr = 0;
  std::uint8_t rn = 0;
  std::uint8_t rm = 0;
  bool is_signed = false;
  OperandSiteKind kind = OperandSiteKind::divide;
  bool accumulate = false;  ///< multiply_long: SMLAL/UMLAL (adds into RdHi:RdLo)
};

/// A CSR read whose value the simulator supplies (RISC-V mcycle/minstret/cycle/instret and their
/// high halves: Unicorn returns host time for them). The run loop binds a code hook to `addr`,
/// writes the modelled value to `rd` and skips the instruction.
struct CsrReadSite {
  Addr addr = 0;
  std::uint8_t rd = 0;         ///< destination register x0..x31
  std::uint16_t csr = 0;       ///< CSR number (0xB00 mcycle, 0xB02 minstret, 0xC00 cycle, 0xC02 instret, +0x80 high halves)
  std::uint8_t size = 4;       ///< instruction bytes
  /// minstret/instret reads: instructions just before the read that it does not count yet (they
  /// retire in the cycle of the read: a writeback stage). Applied unless the read is the first
  /// instruction of a block entered by a taken branch or jump (the refill bubble lets the
  /// previous instruction retire first). RV32 timing-table key pipeline.instret_read_lag.
  std::uint8_t instret_lag = 0;
};

/// Instruction-set family of a core model: decides the Unicorn architecture.
enum class IsaFamily { arm_m, rv32 };

/// Why an instruction that the emulator (Unicorn's RV32IMAC CPU) would execute is illegal on the
/// modelled core.
enum class IllegalInsnKind : std::uint8_t {
  /// A 16-bit compressed encoding on a core without the C extension (isa "rv32im...", e.g.
  /// PicoRV32 with COMPRESSED_ISA = 0).
  compressed,
  /// FENCE.I (MISC-MEM, funct3 = 001) on a core without Zifencei (isa without "_zifencei", e.g.
  /// PicoRV32: picorv32.v decodes FENCE, funct3 = 000, only).
  fence_i,
};

/// One instruction of a block that the core cannot execute (BlockInfo::illegal_insns).
struct IllegalInsn {
  Addr addr = 0;  ///< its address
  IllegalInsnKind kind = IllegalInsnKind::compressed;
};

/// Static analysis of one basic block, computed once per block.
struct BlockInfo {
  Addr start = 0;                 ///< address of the first instruction (Thumb bit clear)
  std::uint32_t size_bytes = 0;   ///< bytes covered, as reported by Unicorn's block hook
  std::uint32_t n_insns = 0;      ///< architectural instructions, IT included
  /// Cycles of the block at zero wait states with every branch not taken and every divide at its
  /// minimum latency, including the intra-block pipeline effects (load pipelining, AGU stalls).
  std::uint32_t static_cycles = 0;
  /// Extra cycles (pipeline refill, "P" in the TRM tables) paid when the block's last instruction
  /// changes the flow, i.e. when the next executed block does not start at start + size_bytes.
  std::uint32_t taken_branch_penalty = 0;
  /// Static cycle offset of each instruction from the block start (same length as insn_addrs);
  /// used to time instruction fetch and to answer DWT->CYCCNT reads mid-block.
  std::vector<std::uint32_t> insn_cycle_offset;
  std::vector<Addr> insn_addrs;
  std::vector<std::uint8_t> insn_sizes;  ///< 2 or 4 bytes
  ClassCounts class_counts{};            ///< instructions per class in the block
  /// Data memory accesses (32-bit beats) the block makes, for traffic statistics by class.
  std::uint32_t data_beats = 0;
  /// Data accesses (32-bit beats) of each instruction, in order: lets the run loop name the
  /// instruction that made the k-th access of the block (e.g. the one that faulted).
  std::vector<std::uint8_t> insn_data_beats;
  /// Bit k (k < 64): the block's k-th data access (0-based, in insn_data_beats order) belongs to
  /// a load or store the core model pipelined behind the load that made access k - 1, and its
  /// static cycles include that saving (pipelined_access_saving cycles). The run loop adds the
  /// saving back when the two accesses go to different memories (timing-table key
  /// pipeline.load_pipelining_same_memory). 0 in blocks with an IT instruction: a skipped
  /// conditional access would shift the count.
  std::uint64_t pipelined_accesses = 0;
  std::uint32_t pipelined_access_saving = 0;  ///< cycles: the load-pipelining saving per marked access
  /// Divides and early-terminating long multiplies whose dynamic latency the run loop must add.
  std::vector<DividerSite> dividers;
  std::vector<CsrReadSite> csr_reads;    ///< counter CSR reads the run loop must answer (RISC-V)
  /// Instructions this core cannot execute though the emulator would, in program order: the run
  /// loop stops at each as an illegal instruction, before it runs. Classed undefined.
  std::vector<IllegalInsn> illegal_insns;
  /// 32-bit instruction fetches of the block from a RAM with wait states, each paying the
  /// region's wait states (the run loop multiplies). Unset: the run loop counts the distinct
  /// 32-bit words the block covers.
  std::optional<std::uint32_t> ram_fetch_words;
  /// The same when the block is entered by falling through from the previous one: a block that
  /// starts mid-word shares its first word with the previous block's last instruction.
  std::optional<std::uint32_t> ram_fetch_words_fallthrough;
  /// More RAM fetches when the block is left by a taken branch or jump (a sequential fetch the
  /// core had started is discarded).
  std::uint32_t ram_fetch_words_taken_exit = 0;
  /// Cycles paid when the block is entered other than by falling through from the previous
  /// block (a taken branch, jump, return or exception): e.g. a 32-bit first instruction at
  /// 2 mod 4 that needs two fetches before it decodes (RV32 taken_target_straddle_extra).
  std::uint32_t taken_entry_extra = 0;
  /// The block's last instruction refetches the next one like a taken jump (RV32
  /// pipeline.fence_refetch after FENCE / FENCE.I): the block entered by falling through from it
  /// pays its taken_entry_extra too.
  bool refetch_at_exit = false;
  /// The block's last instruction lets the core fetch the next instruction's first word while it
  /// executes (RV32 pipeline.fetch_hidden_after_csr): when the block entered by falling through
  /// from it starts at a word boundary, that word's RAM wait states are hidden.
  bool hides_next_fetch = false;
  bool has_semihosting_bkpt = false;     ///< ends in BKPT 0xAB
  bool has_wfi = false;
  /// Core-specific kind of the block's exit instruction, set by analyze_block for leave_block so
  /// that the per-transition path needs no lookup (Cortex-M7: its Exit enum and call/return
  /// bits; 0 elsewhere).
  std::uint8_t exit_kind = 0;
  /// Index into the core model's own per-block table, set by analyze_block for leave_block
  /// (Cortex-M7: the block's first and last issue groups, for dual issue across blocks; 0 = none).
  std::uint32_t model_slot = 0;
};

/// A core model: cycle timing of one core, configured from a timing table (data file).
class CoreModel {
 public:
  virtual ~CoreModel() = default;
  /// Canonical name ("cortex-m4", "ibex-small").
  virtual std::string_view name() const = 0;
  /// Instruction-set family (Arm M-profile Thumb or RV32).
  virtual IsaFamily isa_family() const = 0;
  /// The timing table's `isa` string ("armv7e-m", "rv32imc", "rv32imc_zifencei", ...), for
  /// messages.
  virtual std::string_view isa() const = 0;
  /// Unicorn CPU model name from the timing table's `unicorn_cpu` key ("cortex-m4",
  /// "sifive-e31", ...); the adapter maps it to the UC_CPU_* constant.
  virtual std::string_view unicorn_cpu() const = 0;
  /// Decodes and times the block of `code.size()` bytes at `addr`.
  /// Bytes that do not decode become InsnClass::undefined (Unicorn raises the fault when they run).
  virtual BlockInfo analyze_block(Addr addr, std::span<const std::uint8_t> code) const = 0;
  /// Total cycles of one divide with these operands (dividend, divisor as 32-bit register values).
  /// The block's static_cycles already count the minimum; the run loop adds the difference.
  virtual std::uint32_t divide_cycles(std::uint32_t dividend, std::uint32_t divisor,
                                      bool is_signed) const = 0;
  /// Minimum divide latency counted in static_cycles.
  virtual std::uint32_t divide_min_cycles() const = 0;
  /// Total cycles of one long multiply (OperandSiteKind::multiply_long) with these register
  /// values; only cores that emit such sites override it. The block's static_cycles count
  /// multiply_long_min_cycles(); the run loop adds the difference.
  virtual std::uint32_t multiply_long_cycles(std::uint32_t /*rn_value*/, std::uint32_t /*rm_value*/,
                                             bool /*is_signed*/, bool /*accumulate*/) const {
    return multiply_long_min_cycles();
  }
  /// Minimum long-multiply latency counted in static_cycles (cores with multiply_long sites).
  virtual std::uint32_t multiply_long_min_cycles() const { return 0; }
  /// Extra cycles of a register-amount shift (OperandSiteKind::shift) beyond those counted in
  /// static_cycles, for the value `amount_register` of its amount register (only the low 5 bits
  /// count). Only cores that emit shift sites override it.
  virtual std::uint32_t shift_extra_cycles(std::uint32_t /*amount_register*/) const { return 0; }
  /// Extra cycles of a data access of `bytes` (2 or 4) at the misaligned address `addr` that the
  /// core performs as several aligned accesses (ARMv7-M LDR/STR/LDRH/STRH): Cortex-M4 TRM r0p1
  /// 3.3.2 "Load/store timings": a byte-aligned halfword as two bytes, a halfword-aligned word as
  /// two halfwords, a byte-aligned word as a byte, a halfword and a byte, each extra part one
  /// cycle. 0 for an aligned access and for cores without the rule.
  virtual std::uint32_t unaligned_access_cycles(Addr /*addr*/, std::uint32_t /*bytes*/) const { return 0; }
  /// True when the core predicts branches dynamically: the run loop then calls leave_block on
  /// every block transition instead of charging taken_branch_penalty itself.
  virtual bool predicts_branches() const { return false; }
  /// Extra cycles (branch penalty) when control leaves `block`; `taken` = the next block is not
  /// its fall-through. `next`, when given, is the block entered (its start is the branch target,
  /// which predictors compare with the target they predicted). `overlap`, when given, receives
  /// the cycles the entered block's first instructions overlap with the last issue cycle of
  /// `block` (a dual-issuing core pairing across the block edge); the run loop takes them off
  /// the entered block's static cycles when its fetch does not stall. Predicting cores keep
  /// their predictor state in the model (one model per engine).
  virtual std::uint32_t leave_block(const BlockInfo& block, bool taken,
                                    const BlockInfo* next = nullptr,
                                    std::uint32_t* overlap = nullptr) {
    (void)next;
    if (overlap) *overlap = 0;
    return taken ? block.taken_branch_penalty : 0;
  }
};

/// Loads the timing table `path` (TOML, see core-models/data/) and builds the core model it
/// names. Throws TimingTableError naming the file and key on a missing/unknown/invalid entry.
std::unique_ptr<CoreModel> load_core_model(const std::filesystem::path& path);
/// The same from the text of a timing table; `origin` names it in error messages.
std::unique_ptr<CoreModel> parse_core_model(std::string_view toml_text, const std::string& origin);

}  // namespace mcusim::core
