// Thumb/Thumb-2 decoder and classifier for the Cortex-M4 (ARMv7E-M + FPv4-SP-D16), on Capstone.
// Internal to core-models: turns the bytes of a block into DecodedInsn records that carry exactly
// what the timing rules need (class, registers, beats), so no rule touches Capstone.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "mcusim/core/core_model.h"

namespace mcusim::core::detail {

/// How an instruction writes the PC (selects the refill P the engine pays when it is taken).
enum class PcWrite : std::uint8_t {
  none,     ///< does not change the flow
  imm,      ///< B, B<cond>, CBZ, CBNZ, BL
  reg,      ///< BX, BLX, MOV PC / ADD PC
  load_pc,  ///< POP {..PC}, LDR PC, LDM with PC, TBB, TBH
};

struct DecodedInsn {
  Addr addr = 0;
  std::uint8_t size = 2;
  InsnClass cls = InsnClass::undefined;
  PcWrite pc_write = PcWrite::none;
  std::uint16_t regs_written = 0;  ///< core registers r0..r15 written (bit n = rn), incl. writeback
  std::uint16_t addr_regs = 0;     ///< core registers that form the data address (base, index)
  std::uint8_t beats = 0;          ///< 32-bit data beats (multiples: N; a D register counts 2)
  bool reg_offset = false;         ///< load/store addressed with a register offset
  bool fp_double = false;          ///< fp_load/fp_store of a 64-bit D register
  bool semihosting = false;        ///< BKPT #0xAB
  /// Operand registers of a data-dependent site: SDIV/UDIV dividend and divisor; for
  /// SMULL/UMULL/SMLAL/UMLAL the two multiplied registers Rn and Rm.
  std::uint8_t div_rn = 0, div_rm = 0;
  bool div_signed = false;  ///< SDIV, SMULL, SMLAL (signed operands)
  // Operand information for result-latency and dual-issue rules (M7, M33):
  std::uint16_t regs_read = 0;     ///< core registers read (sources, address regs, store data)
  std::uint32_t fp_read = 0;       ///< S registers read (bit n = Sn; a Dn reads S2n and S2n+1)
  std::uint32_t fp_written = 0;    ///< S registers written
  bool sets_flags = false;         ///< writes NZCV (S suffix, CMP/CMN/TST/TEQ, VMRS APSR_nzcv)
  bool reads_flags = false;        ///< conditional: reads NZCV (B<cond>, inside an IT block, ADC)
  bool shifted_operand = false;    ///< data processing with a shifted register operand
  std::uint16_t insn_id = 0;       ///< Capstone instruction id (arm_insn), for per-mnemonic rules
  bool writeback = false;          ///< load/store with a pre/post-indexed base update (writeback)
  /// Core registers read as an accumulator (MLA/MLS/SMLAxx Ra, SMLAL/UMLAL RdLo:RdHi, the added
  /// register of SXTA*/UXTA*, USADA8 Ra): MAC-chaining rules let these be read late.
  std::uint16_t acc_regs = 0;
  std::uint32_t fp_acc = 0;        ///< S registers read as the accumulator of VMLA/VFMA & co.
  /// 32-bit data processing with a modified immediate that is a rotated (shifted) 8-bit
  /// constant, i.e. not 0..255 nor one of the 0x00XY00XY/0xXY00XY00/0xXYXYXYXY patterns.
  bool shifted_constant = false;
  /// Immediate offset of a single load/store's address (Capstone mem.disp; 0 for a register
  /// offset or a post-indexed access, whose address is the base). Used by bank rules (M7).
  std::int32_t mem_disp = 0;
  bool fp64 = false;               ///< FP data processing on D registers (FPv5-D16 decoders only)
};

/// The FPU of the core a decoder serves: decides which FP encodings are instructions.
enum class ThumbFpu : std::uint8_t {
  fpv4_sp_d16,  ///< Cortex-M4F: single precision, D0-D15 (double-precision arithmetic undefined)
  fpv5_d16,     ///< Cortex-M7: FPv5 single + double precision, D0-D15, VSEL/VMAXNM/VRINT/VCVTx
};

/// Owns one Capstone handle (CS_ARCH_ARM, THUMB | MCLASS, detail on). Not thread-safe.
class ThumbDecoder {
 public:
  /// `fpu` selects the valid FP encodings (default: the Cortex-M4F's FPv4-SP-D16).
  explicit ThumbDecoder(ThumbFpu fpu = ThumbFpu::fpv4_sp_d16);
  ~ThumbDecoder();
  ThumbDecoder(const ThumbDecoder&) = delete;
  ThumbDecoder& operator=(const ThumbDecoder&) = delete;

  /// Decodes `code` at `addr`. Bytes Capstone cannot decode (or that are not an M4 instruction)
  /// become one `undefined` half-word and decoding resumes 2 bytes later.
  std::vector<DecodedInsn> decode(Addr addr, std::span<const std::uint8_t> code);

 private:
  std::size_t handle_ = 0;  // csh
  ThumbFpu fpu_ = ThumbFpu::fpv4_sp_d16;
};

}  // namespace mcusim::core::detail
