// RV32IMC (+Zicsr, Zifencei, WFI/MRET) decoder and classifier, table-driven, no Capstone
// (Capstone 4.0.2 has no RISC-V). Internal to core-models: turns one instruction into an
// Rv32Insn carrying exactly what the RISC-V timing rules need.
//
// 32-bit encodings: a table indexed by opcode[6:2] gives the major format; funct3 tables (and
// funct7 for OP) give the class. 16-bit encodings: three quadrant tables indexed by funct3
// expand each C instruction to its 32-bit equivalent (expand_compressed), which is then decoded
// by the same 32-bit tables, so a C instruction and its expansion always classify identically.
//
// Registers are architectural x0..x31. Stateless and thread-safe (unlike the Capstone decoder).
#pragma once
#include <cstdint>
#include <optional>
#include <span>

#include "mcusim/core/core_model.h"

namespace mcusim::core::detail {

/// How an RV32 instruction changes the flow.
enum class RvFlow : std::uint8_t {
  none,
  branch,  ///< BEQ/BNE/BLT/BGE/BLTU/BGEU, C.BEQZ/C.BNEZ (conditional, PC-relative)
  jal,     ///< JAL, C.J, C.JAL (unconditional, PC-relative; also when rd = x0)
  jalr,    ///< JALR, C.JR, C.JALR (register target)
};

struct Rv32Insn {
  std::uint32_t raw = 0;       ///< the 32-bit instruction (a C instruction: its expansion)
  std::uint8_t size = 4;       ///< 2 or 4 bytes
  InsnClass cls = InsnClass::undefined;
  RvFlow flow = RvFlow::none;
  std::uint8_t rd = 0, rs1 = 0, rs2 = 0;  ///< register fields (x0..x31), 0 when not used
  bool writes_rd = false;      ///< rd is a destination (and rd != x0)
  bool reads_rs1 = false;
  bool reads_rs2 = false;
  bool is_load = false, is_store = false;
  bool load_subword = false;   ///< LB/LH/LBU/LHU (E31: longer result latency)
  std::uint8_t data_beats = 0; ///< bus accesses (1 for any aligned load/store)
  bool imm_shift = false;      ///< SLLI/SRLI/SRAI: shamt is known statically
  std::uint8_t shamt = 0;
  std::uint16_t csr = 0;       ///< CSR number for csr-class instructions
  bool div_signed = false;     ///< DIV/REM (DIVU/REMU unsigned)
  bool is_call = false;        ///< JAL/JALR with rd = x1 or x5 (pushes a return address)
  bool is_return = false;      ///< JALR x0, 0(x1 or x5)
  bool fence_i = false;        ///< FENCE.I (class barrier, like FENCE)
};

/// Length of the instruction whose first half-word is `lo` (RV32: 2 when lo[1:0] != 11, else 4).
inline std::uint8_t rv32_insn_size(std::uint16_t lo) { return (lo & 3u) == 3u ? 4 : 2; }

/// Expands a 16-bit RVC instruction (RV32C subset of the I/M base: no F/D forms) to its 32-bit
/// equivalent; nullopt for reserved/illegal encodings and the RV32FC/DC loads and stores.
std::optional<std::uint32_t> expand_compressed(std::uint16_t c);

/// Decodes one 32-bit instruction word. Unknown encodings give cls = undefined, size 4.
Rv32Insn decode_rv32_word(std::uint32_t w);

/// Decodes the instruction at the start of `bytes` (at least 2 bytes). A 32-bit instruction cut
/// off by the end of `bytes` is undefined with size 4.
Rv32Insn decode_rv32(std::span<const std::uint8_t> bytes);

/// CSR numbers whose reads the simulator answers (mcycle, minstret, cycle, instret and their
/// high halves at +0x80).
bool is_counter_csr(std::uint16_t csr);

}  // namespace mcusim::core::detail
