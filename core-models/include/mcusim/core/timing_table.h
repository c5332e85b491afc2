// Typed timing tables (core-models/data/*.toml, schema_version 1), parsed once at the boundary.
// One class section for every core (the one class list), then an ISA-specific [pipeline]
// section: the Cortex-M family parameters (PipelineTiming: M0+, M3, M4, M33) or the RV32 ones
// (Rv32Pipeline).
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/core/core_model.h"

namespace mcusim::core {

/// One [classes.<name>] entry: issue cycles at zero wait states, with its source.
struct ClassTiming {
  std::uint32_t cycles = 1;        ///< base issue cycles
  std::uint32_t per_register = 0;  ///< Arm *_multiple: extra cycles per 32-bit register (1+N)
  std::uint32_t double_extra = 0;  ///< Arm fp_load/fp_store: extra cycles for a 64-bit register
  /// Result latency: cycles from issue until a dependent instruction can issue (default =
  /// cycles). RV32 tables, Arm tables whose pipeline has the result-latency scoreboard, and the
  /// Cortex-M7's (required for every class there).
  std::optional<std::uint32_t> latency;
  std::string source;
  bool confirmed = false;
};

/// Operand-dependent SMULL/UMULL/SMLAL/UMLAL latency (cortex_m4_rules.h names the functions).
enum class MultiplyLongRule : std::uint8_t {
  constant,      ///< always classes.mul_long.cycles (M4: 1)
  cmemu_halves,  ///< Cortex-M3 early termination on the 16-bit halves of the operands (cmemu)
};
/// Dual-issue rule of an in-order Cortex-M.
enum class DualIssueRule : std::uint8_t {
  none,
  m33_16bit,  ///< Cortex-M33: a 16-bit instruction pairs with a following 16-bit NOP/IT/B
};

/// Parameters of the result-latency scoreboard (Cortex-M33, jnk0le measurements on RP2350);
/// all in cycles. Only present when [pipeline.scoreboard] is true.
struct ScoreboardTiming {
  std::uint32_t shifted_operand_latency = 2;  ///< ALU with a shifted register/constant operand2
  std::uint32_t accumulator_latency = 1;      ///< any integer result read as a MAC accumulator
  std::uint32_t store_data_latency = 1;       ///< any integer result read as store data
  std::uint32_t fp_accumulator_latency = 3;   ///< FP result read as a VMLA/VFMA accumulator
  std::uint32_t fp_mac_fp_issue_block = 2;    ///< cycles after a VFMA/VMLA with no FP issue
  std::uint32_t two_stage_flag_setting_extra = 1;  ///< MULS.N, flag-setting shifted constant
  DualIssueRule dual_issue = DualIssueRule::none;
};

/// The Cortex-M family [pipeline] section: refill ("P") and intra-block pipeline parameters.
/// The keys after semihosting_bkpt_cycles are optional rule switches; absent, they take the
/// Cortex-M4 behaviour given here (so the M4 table needs none of them).
struct PipelineTiming {
  std::uint32_t branch_refill_imm = 1;      ///< P after a taken B/Bcond/CBZ/CBNZ/BL
  std::uint32_t branch_refill_reg = 2;      ///< P after BX/BLX/MOV PC/ADD PC
  std::uint32_t branch_refill_load_pc = 2;  ///< P after POP {..PC}/LDR PC/LDM ..PC/TBB/TBH
  std::uint32_t agu_stall_cycles = 1;       ///< address register written by the previous ALU op
  bool load_pipelining = true;              ///< LDR followed by an independent LDR/STR: -1
  std::uint32_t store_register_offset_extra = 1;  ///< STR with a register offset: +1
  std::uint32_t divide_min = 2;
  std::uint32_t divide_max = 12;
  std::uint32_t semihosting_bkpt_cycles = 0;  ///< BKPT 0xAB is a simulator service
  // Optional rules (Cortex-M0+, M3, M33):
  bool load_pipelining_indexed = true;   ///< false: pre/post-indexed loads never pipeline (M3)
  std::uint32_t mul_accumulate_extra = 0;  ///< MLA/MLS over classes.mul.cycles (M3: +1)
  MultiplyLongRule multiply_long_rule = MultiplyLongRule::constant;
  std::uint32_t multiply_long_min = 1;   ///< cmemu_halves: bounds, min = classes.mul_long.cycles
  std::uint32_t multiply_long_max = 1;
  /// Optional (0 when absent): cycles a taken branch, call, return or other PC write pays on top
  /// of its refill P when its target is a 32-bit instruction at an address = 2 mod 4. The core
  /// fetches aligned 32-bit words, so such a target needs a second fetch before it can decode:
  /// the TRMs' "P = 1 to 3 depending on the alignment and width of the target instruction"
  /// (Cortex-M4 TRM 3.3.1). Charged through BlockInfo::taken_entry_extra.
  std::uint32_t branch_target_straddle_extra = 0;
  /// Optional (false when absent): a load or store pipelined behind a load (load_pipelining) keeps
  /// its saved cycle only when both access the same memory (flash, one SRAM region, or the
  /// peripherals); otherwise the run loop gives the cycle back. Measured on Cortex-M3/M4 (jnk0le,
  /// "load pipelining happens only when targeting the same memory block"). Marked per access in
  /// BlockInfo::pipelined_accesses.
  bool load_pipelining_same_memory = false;
  /// Optional (0 when absent): cycles per extra aligned part of a misaligned LDR/STR/LDRH/STRH
  /// (Cortex-M3/M4 TRM "Load/store timings": a halfword-aligned word costs one more cycle, a
  /// byte-aligned word two, a byte-aligned halfword one). CoreModel::unaligned_access_cycles.
  std::uint32_t unaligned_part_extra = 0;
  /// Optional (false when absent): an IT instruction that follows a 16-bit instruction of the
  /// same block is folded onto it and costs 0 cycles instead of classes.it.cycles (Cortex-M4
  /// TRM DDI 0439D Table 3-1 note d: "An IT instruction can be folded onto a preceding 16-bit
  /// Thumb instruction, enabling execution in zero cycles").
  bool it_folding = false;
  /// Result-latency scoreboard (M33) instead of the M3/M4 load-pipelining and AGU rules.
  std::optional<ScoreboardTiming> scoreboard;
};

/// Data-dependent divider latency rules (rv32_rules.h names the functions).
enum class Rv32DividerRule : std::uint8_t {
  constant,       ///< always divide_max (PicoRV32 pcpi_div: 32 iterations)
  zero_shortcut,  ///< divide_min when the divisor is 0, else divide_max (Ibex long division)
  early_out,      ///< divide_min + quotient bits, clamped (Rocket-style early out; E31 [U])
  /// divide_min + the divisor's leading zeros (a negative signed divisor: those of its magnitude,
  /// minus 1; divisor 0: 32), clamped to divide_max (CV32E40P serial divider, pipeline.rst)
  divisor_leading_zeros,
};
/// Shift execution: single pass, or PicoRV32's serial shifter (4-bit steps, then 1-bit steps).
enum class Rv32ShiftRule : std::uint8_t { single, serial_4_1 };
/// Dynamic branch predictor of the core (none: the run loop adds taken_branch_penalty itself).
enum class Rv32Predictor : std::uint8_t { none, bht2_ras };

/// The RV32 [pipeline] section. Every key is { value, source, confirmed } in the table.
struct Rv32Pipeline {
  std::uint32_t branch_taken_extra = 0;  ///< P of a taken Bxx (no predictor / static fallback)
  std::uint32_t jal_extra = 0;           ///< P of JAL/C.J/C.JAL (always taken)
  std::uint32_t jalr_extra = 0;          ///< P of JALR/C.JR/C.JALR (always taken)
  Rv32DividerRule divider_rule = Rv32DividerRule::constant;
  std::uint32_t divide_min = 1;
  std::uint32_t divide_max = 1;
  Rv32ShiftRule shift_rule = Rv32ShiftRule::single;
  std::uint32_t shift_register_extra = 0;  ///< serial shifter: static cost of a register shift
  std::uint32_t fetch_straddle_extra = 0;  ///< 32-bit instruction at 2 mod 4 (word fetch)
  std::uint32_t rs2_read_extra = 0;        ///< instructions reading rs2 (single-port reg file)
  std::uint32_t load_subword_extra_latency = 0;  ///< LB/LH/LBU/LHU over the load latency
  std::uint32_t semihosting_bkpt_cycles = 0;     ///< EBREAK after slli x0,x0,0x1f
  Rv32Predictor branch_predictor = Rv32Predictor::none;
  std::uint32_t bht_entries = 0;         ///< bht2_ras: 2-bit counters, indexed by PC
  std::uint32_t ras_entries = 0;         ///< bht2_ras: return-address stack depth
  std::uint32_t mispredict_penalty = 0;  ///< bht2_ras: cycles lost on a misprediction
  /// Instruction fetch from a RAM with wait states (optional keys; 0 when absent):
  /// 1: a bus-idle multi-cycle instruction (shift, mul, mul_high, div) lets the core prefetch the
  /// next instruction's first word, so that word's wait states are hidden (PicoRV32
  /// mem_do_prefetch).
  std::uint32_t fetch_hidden_after_multicycle = 0;
  /// 1: a CSR instruction lets the core prefetch the next instruction's first word (its wait
  /// states are hidden), like fetch_hidden_after_multicycle (PicoRV32: a counter read returns
  /// from cpu_state_ld_rs1 to cpu_state_fetch without promoting the prefetch it started to an
  /// instruction fetch, 1 cycle that a wait state fills; RTL-measured, core-models/data/picorv32*.toml).
  /// Optional, 0 when absent.
  std::uint32_t fetch_hidden_after_csr = 0;
  /// Extra 32-bit fetches when a taken branch or jump ends at a word boundary (the core had
  /// already started fetching the next sequential word).
  std::uint32_t taken_end_aligned_fetch_words = 0;
  /// The same for a block left by an indirect jump (JALR): a core that does not prefetch past a
  /// JALR (PicoRV32: picorv32.v `mem_do_prefetch <= !instr_jalr`) sets 0. Optional key; when
  /// absent it equals taken_end_aligned_fetch_words.
  std::uint32_t taken_end_aligned_fetch_words_jalr = 0;
  /// Optional (0 when absent): cycles a taken branch, jump or return pays when its target is a
  /// 32-bit instruction at 2 mod 4, at any wait states: the core needs both words of the target
  /// before it can decode it (Ibex prefetch buffer; RTL-measured, core-models/data/ibex-*.toml).
  std::uint32_t taken_target_straddle_extra = 0;
  /// Optional (0 when absent, at most 1): a minstret/instret read does not count the instruction
  /// just before it, which retires in the same cycle (Ibex writeback stage; RTL-measured).
  std::uint32_t instret_read_lag = 0;
  /// Optional (0 when absent): cycles FENCE.I takes beyond classes.barrier (FENCE's cost; Ibex:
  /// FENCE 1, FENCE.I 2, RTL-measured, core-models/data/ibex-*.toml).
  std::uint32_t fence_i_extra = 0;
  /// Optional (0 when absent, at most 1): FENCE and FENCE.I end with a jump to the next
  /// instruction, so that instruction pays taken_target_straddle_extra like a branch target
  /// (CV32E40P decodes both as fencei_insn: flush and refetch; RTL-measured,
  /// core-models/data/cv32e40p.toml).
  std::uint32_t fence_refetch = 0;
  /// Optional (0 when absent): cycles added, for a JALR (JALR, C.JR, C.JALR) only, to the result
  /// latency of every register written earlier in its block: the core reads the jump's rs1 in
  /// the decode stage, where the EX forwarding does not reach (CV32E40P "Hazards": a JALR right
  /// after the instruction producing its rs1 stalls 1 cycle).
  std::uint32_t jalr_rs1_extra_latency = 0;
  /// Optional (0 when absent): cycles a JALR pays when it writes its link to its own base
  /// register (rd = rs1, not x0; the call sequence auipc ra / jalr ra, off(ra)), wherever rs1
  /// was produced (CV32E40P; RTL-measured, core-models/data/cv32e40p.toml).
  std::uint32_t jalr_rd_is_rs1_extra = 0;
  /// Optional pair (both or neither): cycles added to a CSR instruction (Zicsr) whose CSR number
  /// is in csr_stall_list (CV32E40P: mstatus, mepc, mtvec, mcause, the counters, ... take 4
  /// cycles, the other CSRs 1; user manual pipeline.rst).
  std::uint32_t csr_stall_extra = 0;
  std::vector<std::uint16_t> csr_stall_list;
};

/// A parsed timing table (TOML file, schema_version 1).
struct TimingTable {
  std::string core;         ///< "cortex-m4", "ibex-small", "picorv32", ...
  /// "armv6-m", "armv7-m", "armv7e-m", "armv8-m.main", or an RV32 ISA string in the RISC-V
  /// naming convention: "rv32im" or "rv32imc", optionally followed by "_zifencei" (the core
  /// implements FENCE.I, the Zifencei extension), e.g. "rv32imc_zifencei".
  std::string isa;
  std::string unicorn_cpu;  ///< CPU model name for the Unicorn adapter
  std::array<ClassTiming, kNumInsnClasses> classes{};
  PipelineTiming pipeline{};  ///< Arm ISAs
  Rv32Pipeline rv32{};        ///< RV32 ISAs (is_rv32())
  std::filesystem::path path;  ///< where it was read from (for messages)
  /// The TOML text the table was parsed from. A model with its own section (the Cortex-M7's
  /// [m7]) parses that section from here, once, when it is built; the shared parser only checks
  /// that the section is a table.
  std::string source_text;
  /// An RV32 ISA ("rv32im", "rv32imc", each optionally "_zifencei"; the parser accepts no other).
  bool is_rv32() const { return isa.starts_with("rv32"); }
  /// RV32 with the C extension (rv32imc, rv32imc_zifencei). On an rv32im core (e.g. PicoRV32
  /// COMPRESSED_ISA = 0) a 16-bit encoding is an illegal instruction: the RV32 model lists it in
  /// BlockInfo::illegal_insns and classes it as undefined.
  bool has_compressed() const { return isa.starts_with("rv32imc"); }
  /// RV32 with the Zifencei extension (isa ends in "_zifencei"): the core implements FENCE.I.
  /// Without it (PicoRV32: picorv32.v decodes FENCE only) FENCE.I is an illegal instruction: the
  /// RV32 model lists it in BlockInfo::illegal_insns, untimed.
  bool has_zifencei() const { return is_rv32() && isa.ends_with("_zifencei"); }
};

/// Parses a timing table. Throws TimingTableError naming `path` and the offending key for a
/// syntax error, an unknown key, a missing class or key, or a value of the wrong type/range.
TimingTable load_timing_table(const std::filesystem::path& path);
/// Same, from TOML text; `origin` names the source in error messages.
TimingTable parse_timing_table(std::string_view toml_text, const std::string& origin);

}  // namespace mcusim::core
