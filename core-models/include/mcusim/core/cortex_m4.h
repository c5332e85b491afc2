// Cortex-M4 (ARMv7E-M, FPv4-SP) core timing model: the typed timing table parsed from
// core-models/data/cortex-m4.toml and the named timing rules the table refers to.
// The generic interface is mcusim/core/core_model.h; this header is the model-specific part that
// tests and tools may use (build a model from an in-memory table, call the divider formula).
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "mcusim/core/core_model.h"

namespace mcusim::core {

/// One [classes.<name>] entry: issue cycles at zero wait states, with its source.
struct ClassTiming {
  std::uint32_t cycles = 1;        ///< base issue cycles
  std::uint32_t per_register = 0;  ///< *_multiple: extra cycles per 32-bit register moved (1+N)
  std::uint32_t double_extra = 0;  ///< fp_load/fp_store: extra cycles for a 64-bit (D) register
  std::string source;
  bool confirmed = false;
};

/// The [pipeline] section: refill ("P") and intra-block pipeline parameters.
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
};

/// A parsed timing table (TOML file, schema_version 1).
struct TimingTable {
  std::string core;         ///< "cortex-m4"
  std::string isa;          ///< "armv7e-m"
  std::string unicorn_cpu;  ///< CPU model name for the Unicorn adapter
  std::array<ClassTiming, kNumInsnClasses> classes{};
  PipelineTiming pipeline{};
  std::filesystem::path path;  ///< where it was read from (for messages)
};

/// Parses a timing table. Throws TimingTableError naming `path` and the offending key for a
/// syntax error, an unknown key, a missing class or key, or a value of the wrong type/range.
TimingTable load_timing_table(const std::filesystem::path& path);
/// Same, from TOML text; `origin` names the source in error messages.
TimingTable parse_timing_table(std::string_view toml_text, const std::string& origin);

/// Builds the Cortex-M4 model from a parsed table. The model owns one Capstone handle and keeps
/// per-call scratch state, so it is NOT thread-safe: one CoreModel serves one engine (thread).
std::unique_ptr<CoreModel> make_cortex_m4_model(TimingTable table);

/// SDIV/UDIV latency with early termination, clamped to [min_cycles, max_cycles].
/// Formula from the cycle-exact Cortex-M3 emulator cmemu (see cortex_m4_rules.cpp for the citation):
/// 2 if either operand is 0; 3 if the divisor's highest set bit is above the dividend's;
/// else 5 + (msb(dividend) - msb(divisor)) / 4. SDIV works on absolute values with a
/// one-bit adjustment for negative power-of-two divisors.
std::uint32_t divide_cycles_early_termination(std::uint32_t dividend, std::uint32_t divisor,
                                              bool is_signed, std::uint32_t min_cycles,
                                              std::uint32_t max_cycles);

}  // namespace mcusim::core
