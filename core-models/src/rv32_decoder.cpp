// RV32IMC decoder: opcode/funct3/funct7 tables for 32-bit encodings, quadrant/funct3 tables that
// expand 16-bit encodings to their 32-bit equivalents. Encodings: The RISC-V Instruction Set
// Manual, Volume I (unprivileged, 20191213): chapter 24 "RV32/64G Instruction Set Listings"
// and chapter 16 "C" Standard Extension (Tables 16.5-16.7, RVC opcode map); WFI/MRET from
// Volume II (privileged).
#include "rv32_decoder.h"

#include <array>

namespace mcusim::core::detail {
namespace {

// ---- 32-bit encoding helpers -------------------------------------------------------------------
constexpr std::uint32_t kLoad = 0x03, kMiscMem = 0x0f, kOpImm = 0x13, kAuipc = 0x17, kStore = 0x23,
                        kOp = 0x33, kLui = 0x37, kBranch = 0x63, kJalr = 0x67, kJal = 0x6f,
                        kSystem = 0x73;

constexpr std::uint32_t r_type(std::uint32_t f7, std::uint32_t rs2, std::uint32_t rs1,
                               std::uint32_t f3, std::uint32_t rd, std::uint32_t op) {
  return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr std::uint32_t i_type(std::int32_t imm, std::uint32_t rs1, std::uint32_t f3,
                               std::uint32_t rd, std::uint32_t op) {
  return (static_cast<std::uint32_t>(imm) & 0xfffu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr std::uint32_t s_type(std::int32_t imm, std::uint32_t rs2, std::uint32_t rs1,
                               std::uint32_t f3, std::uint32_t op) {
  const auto u = static_cast<std::uint32_t>(imm);
  return ((u >> 5) & 0x7fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1fu) << 7 | op;
}
constexpr std::uint32_t b_type(std::int32_t imm, std::uint32_t rs2, std::uint32_t rs1,
                               std::uint32_t f3) {
  const auto u = static_cast<std::uint32_t>(imm);
  return ((u >> 12) & 1u) << 31 | ((u >> 5) & 0x3fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
         ((u >> 1) & 0xfu) << 8 | ((u >> 11) & 1u) << 7 | kBranch;
}
constexpr std::uint32_t j_type(std::int32_t imm, std::uint32_t rd) {
  const auto u = static_cast<std::uint32_t>(imm);
  return ((u >> 20) & 1u) << 31 | ((u >> 1) & 0x3ffu) << 21 | ((u >> 11) & 1u) << 20 |
         ((u >> 12) & 0xffu) << 12 | rd << 7 | kJal;
}

// ---- 16-bit field helpers ----------------------------------------------------------------------
constexpr std::uint32_t bits(std::uint16_t c, unsigned hi, unsigned lo) {
  return (static_cast<std::uint32_t>(c) >> lo) & ((1u << (hi - lo + 1)) - 1u);
}
constexpr std::uint32_t bit(std::uint16_t c, unsigned n) { return (c >> n) & 1u; }
constexpr std::int32_t sext(std::uint32_t v, unsigned width) {
  const std::uint32_t m = 1u << (width - 1);
  return static_cast<std::int32_t>((v ^ m) - m);
}
constexpr std::uint32_t rd_full(std::uint16_t c) { return bits(c, 11, 7); }
constexpr std::uint32_t rs2_full(std::uint16_t c) { return bits(c, 6, 2); }
constexpr std::uint32_t rd_prime(std::uint16_t c) { return 8 + bits(c, 4, 2); }   // rd'/rs2'
constexpr std::uint32_t rs1_prime(std::uint16_t c) { return 8 + bits(c, 9, 7); }  // rs1'/rd'
constexpr std::int32_t ci_imm(std::uint16_t c) { return sext(bit(c, 12) << 5 | bits(c, 6, 2), 6); }
constexpr std::uint32_t clw_uimm(std::uint16_t c) {
  return bits(c, 12, 10) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6;
}
constexpr std::int32_t cj_offset(std::uint16_t c) {
  return sext(bit(c, 12) << 11 | bit(c, 11) << 4 | bits(c, 10, 9) << 8 | bit(c, 8) << 10 |
                  bit(c, 7) << 6 | bit(c, 6) << 7 | bits(c, 5, 3) << 1 | bit(c, 2) << 5,
              12);
}
constexpr std::int32_t cb_offset(std::uint16_t c) {
  return sext(bit(c, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 |
                  bit(c, 2) << 5,
              9);
}

using Expansion = std::optional<std::uint32_t>;
using CExpander = Expansion (*)(std::uint16_t);
constexpr Expansion kIllegal = std::nullopt;

// Quadrant 0 (op = 00), indexed by funct3.
constexpr std::array<CExpander, 8> kQuadrant0 = {
    // 000 C.ADDI4SPN -> addi rd', x2, nzuimm (nzuimm = 0, incl. the all-zero half-word, illegal)
    [](std::uint16_t c) -> Expansion {
      const std::uint32_t nzuimm =
          bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bit(c, 6) << 2 | bit(c, 5) << 3;
      if (nzuimm == 0) return kIllegal;
      return i_type(static_cast<std::int32_t>(nzuimm), 2, 0, rd_prime(c), kOpImm);
    },
    [](std::uint16_t) { return kIllegal; },  // 001 C.FLD (RV32DC)
    // 010 C.LW -> lw rd', uimm(rs1')
    [](std::uint16_t c) -> Expansion {
      return i_type(static_cast<std::int32_t>(clw_uimm(c)), rs1_prime(c), 2, rd_prime(c), kLoad);
    },
    [](std::uint16_t) { return kIllegal; },  // 011 C.FLW (RV32FC)
    [](std::uint16_t) { return kIllegal; },  // 100 reserved
    [](std::uint16_t) { return kIllegal; },  // 101 C.FSD (RV32DC)
    // 110 C.SW -> sw rs2', uimm(rs1')
    [](std::uint16_t c) -> Expansion {
      return s_type(static_cast<std::int32_t>(clw_uimm(c)), rd_prime(c), rs1_prime(c), 2, kStore);
    },
    [](std::uint16_t) { return kIllegal; },  // 111 C.FSW (RV32FC)
};

// Quadrant 1 (op = 01), indexed by funct3.
constexpr std::array<CExpander, 8> kQuadrant1 = {
    // 000 C.ADDI / C.NOP -> addi rd, rd, imm
    [](std::uint16_t c) -> Expansion {
      return i_type(ci_imm(c), rd_full(c), 0, rd_full(c), kOpImm);
    },
    // 001 C.JAL (RV32 only) -> jal x1, offset
    [](std::uint16_t c) -> Expansion { return j_type(cj_offset(c), 1); },
    // 010 C.LI -> addi rd, x0, imm
    [](std::uint16_t c) -> Expansion { return i_type(ci_imm(c), 0, 0, rd_full(c), kOpImm); },
    // 011 C.ADDI16SP (rd = x2) -> addi x2, x2, nzimm; C.LUI -> lui rd, nzimm (nzimm = 0 reserved)
    [](std::uint16_t c) -> Expansion {
      if (rd_full(c) == 2) {
        const std::int32_t nzimm = sext(bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 |
                                            bits(c, 4, 3) << 7 | bit(c, 2) << 5,
                                        10);
        if (nzimm == 0) return kIllegal;
        return i_type(nzimm, 2, 0, 2, kOpImm);
      }
      const std::int32_t nzimm = ci_imm(c);  // imm[17:12]
      if (nzimm == 0) return kIllegal;
      return (static_cast<std::uint32_t>(nzimm) & 0xfffffu) << 12 | rd_full(c) << 7 | kLui;
    },
    // 100 MISC-ALU: C.SRLI, C.SRAI, C.ANDI, C.SUB, C.XOR, C.OR, C.AND (shamt[5] = 1 and the
    // RV64 C.SUBW/C.ADDW encodings are reserved on RV32)
    [](std::uint16_t c) -> Expansion {
      const std::uint32_t rd = rs1_prime(c);
      switch (bits(c, 11, 10)) {
        case 0:
          if (bit(c, 12)) return kIllegal;
          return i_type(static_cast<std::int32_t>(bits(c, 6, 2)), rd, 5, rd, kOpImm);
        case 1:
          if (bit(c, 12)) return kIllegal;
          return i_type(static_cast<std::int32_t>(0x400u | bits(c, 6, 2)), rd, 5, rd, kOpImm);
        case 2:
          return i_type(ci_imm(c), rd, 7, rd, kOpImm);
        default: {
          if (bit(c, 12)) return kIllegal;
          constexpr std::array<std::uint32_t, 4> kF3 = {0, 4, 6, 7};  // SUB, XOR, OR, AND
          const std::uint32_t op2 = bits(c, 6, 5);
          return r_type(op2 == 0 ? 0x20u : 0u, rd_prime(c), rd, kF3[op2], rd, kOp);
        }
      }
    },
    // 101 C.J -> jal x0, offset
    [](std::uint16_t c) -> Expansion { return j_type(cj_offset(c), 0); },
    // 110 C.BEQZ -> beq rs1', x0, offset
    [](std::uint16_t c) -> Expansion { return b_type(cb_offset(c), 0, rs1_prime(c), 0); },
    // 111 C.BNEZ -> bne rs1', x0, offset
    [](std::uint16_t c) -> Expansion { return b_type(cb_offset(c), 0, rs1_prime(c), 1); },
};

// Quadrant 2 (op = 10), indexed by funct3.
constexpr std::array<CExpander, 8> kQuadrant2 = {
    // 000 C.SLLI -> slli rd, rd, shamt (shamt[5] = 1 reserved on RV32)
    [](std::uint16_t c) -> Expansion {
      if (bit(c, 12)) return kIllegal;
      return i_type(static_cast<std::int32_t>(bits(c, 6, 2)), rd_full(c), 1, rd_full(c), kOpImm);
    },
    [](std::uint16_t) { return kIllegal; },  // 001 C.FLDSP (RV32DC)
    // 010 C.LWSP -> lw rd, uimm(x2) (rd = x0 reserved)
    [](std::uint16_t c) -> Expansion {
      if (rd_full(c) == 0) return kIllegal;
      const std::uint32_t uimm = bit(c, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
      return i_type(static_cast<std::int32_t>(uimm), 2, 2, rd_full(c), kLoad);
    },
    [](std::uint16_t) { return kIllegal; },  // 011 C.FLWSP (RV32FC)
    // 100 C.JR, C.MV, C.EBREAK, C.JALR, C.ADD
    [](std::uint16_t c) -> Expansion {
      const std::uint32_t rd = rd_full(c), rs2 = rs2_full(c);
      if (bit(c, 12) == 0) {
        if (rs2 == 0) {
          if (rd == 0) return kIllegal;      // C.JR with rs1 = x0 is reserved
          return i_type(0, rd, 0, 0, kJalr);  // C.JR -> jalr x0, 0(rs1)
        }
        return r_type(0, rs2, 0, 0, rd, kOp);  // C.MV -> add rd, x0, rs2
      }
      if (rs2 == 0) {
        if (rd == 0) return 0x0010'0073u;   // C.EBREAK -> ebreak
        return i_type(0, rd, 0, 1, kJalr);  // C.JALR -> jalr x1, 0(rs1)
      }
      return r_type(0, rs2, rd, 0, rd, kOp);  // C.ADD -> add rd, rd, rs2
    },
    [](std::uint16_t) { return kIllegal; },  // 101 C.FSDSP (RV32DC)
    // 110 C.SWSP -> sw rs2, uimm(x2)
    [](std::uint16_t c) -> Expansion {
      const std::uint32_t uimm = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
      return s_type(static_cast<std::int32_t>(uimm), rs2_full(c), 2, 2, kStore);
    },
    [](std::uint16_t) { return kIllegal; },  // 111 C.FSWSP (RV32FC)
};

// ---- 32-bit tables ----------------------------------------------------------------------------
enum class Major : std::uint8_t { undef, load, store, op_imm, op, lui, auipc, branch, jal, jalr,
                                  misc_mem, system };

// Indexed by opcode[6:2] (opcode[1:0] = 11).
constexpr std::array<Major, 32> kMajor = [] {
  std::array<Major, 32> t{};
  t[kLoad >> 2] = Major::load;
  t[kStore >> 2] = Major::store;
  t[kOpImm >> 2] = Major::op_imm;
  t[kOp >> 2] = Major::op;
  t[kLui >> 2] = Major::lui;
  t[kAuipc >> 2] = Major::auipc;
  t[kBranch >> 2] = Major::branch;
  t[kJal >> 2] = Major::jal;
  t[kJalr >> 2] = Major::jalr;
  t[kMiscMem >> 2] = Major::misc_mem;
  t[kSystem >> 2] = Major::system;
  return t;
}();

constexpr auto U = InsnClass::undefined;
// LOAD funct3: LB LH LW - LBU LHU - -
constexpr std::array<InsnClass, 8> kLoadF3 = {InsnClass::load, InsnClass::load, InsnClass::load, U,
                                              InsnClass::load, InsnClass::load, U, U};
constexpr std::array<bool, 8> kLoadSubword = {true, true, false, false, true, true, false, false};
// STORE funct3: SB SH SW
constexpr std::array<InsnClass, 8> kStoreF3 = {InsnClass::store, InsnClass::store,
                                               InsnClass::store, U, U, U, U, U};
// BRANCH funct3: BEQ BNE - - BLT BGE BLTU BGEU
constexpr std::array<InsnClass, 8> kBranchF3 = {InsnClass::branch, InsnClass::branch, U, U,
                                                InsnClass::branch, InsnClass::branch,
                                                InsnClass::branch, InsnClass::branch};
// OP funct3 with funct7 = 0000000: ADD SLL SLT SLTU XOR SRL OR AND
constexpr std::array<InsnClass, 8> kOpF3 = {InsnClass::alu, InsnClass::shift, InsnClass::alu,
                                            InsnClass::alu, InsnClass::alu, InsnClass::shift,
                                            InsnClass::alu, InsnClass::alu};
// OP funct3 with funct7 = 0100000: SUB - - - - SRA - -
constexpr std::array<InsnClass, 8> kOpAltF3 = {InsnClass::alu, U, U, U, U, InsnClass::shift, U, U};
// OP funct3 with funct7 = 0000001 (M): MUL MULH MULHSU MULHU DIV DIVU REM REMU
constexpr std::array<InsnClass, 8> kMulDivF3 = {InsnClass::mul,      InsnClass::mul_high,
                                                InsnClass::mul_high, InsnClass::mul_high,
                                                InsnClass::div,      InsnClass::div,
                                                InsnClass::div,      InsnClass::div};
// SYSTEM funct3: PRIV CSRRW CSRRS CSRRC - CSRRWI CSRRSI CSRRCI
constexpr std::array<InsnClass, 8> kSystemF3 = {U, InsnClass::csr, InsnClass::csr, InsnClass::csr,
                                                U, InsnClass::csr, InsnClass::csr, InsnClass::csr};

constexpr bool is_link(std::uint8_t r) { return r == 1 || r == 5; }

}  // namespace

std::optional<std::uint32_t> expand_compressed(std::uint16_t c) {
  switch (c & 3u) {
    case 0: return kQuadrant0[bits(c, 15, 13)](c);
    case 1: return kQuadrant1[bits(c, 15, 13)](c);
    case 2: return kQuadrant2[bits(c, 15, 13)](c);
    default: return kIllegal;  // 11: not a 16-bit instruction
  }
}

bool is_counter_csr(std::uint16_t csr) {
  switch (csr) {
    case 0xB00: case 0xB02: case 0xC00: case 0xC02:  // mcycle, minstret, cycle, instret
    case 0xB80: case 0xB82: case 0xC80: case 0xC82:  // their high halves
      return true;
    default:
      return false;
  }
}

Rv32Insn decode_rv32_word(std::uint32_t w) {
  Rv32Insn d;
  d.raw = w;
  d.size = 4;
  if ((w & 3u) != 3u) return d;
  const auto rd = static_cast<std::uint8_t>((w >> 7) & 31u);
  const auto rs1 = static_cast<std::uint8_t>((w >> 15) & 31u);
  const auto rs2 = static_cast<std::uint8_t>((w >> 20) & 31u);
  const std::uint32_t f3 = (w >> 12) & 7u;
  const std::uint32_t f7 = w >> 25;
  auto dest = [&] { d.rd = rd; d.writes_rd = rd != 0; };
  auto src1 = [&] { d.rs1 = rs1; d.reads_rs1 = true; };
  auto src2 = [&] { d.rs2 = rs2; d.reads_rs2 = true; };

  switch (kMajor[(w >> 2) & 31u]) {
    case Major::undef:
      return d;
    case Major::load:
      d.cls = kLoadF3[f3];
      if (d.cls == U) return d;
      dest(); src1();
      d.is_load = true;
      d.load_subword = kLoadSubword[f3];
      d.data_beats = 1;
      return d;
    case Major::store:
      d.cls = kStoreF3[f3];
      if (d.cls == U) return d;
      src1(); src2();
      d.is_store = true;
      d.data_beats = 1;
      return d;
    case Major::op_imm:
      if (f3 == 1 || f3 == 5) {  // SLLI / SRLI / SRAI: funct7 0000000 or (SRAI) 0100000
        if (!(f7 == 0 || (f3 == 5 && f7 == 0x20))) return d;
        d.cls = InsnClass::shift;
        d.imm_shift = true;
        d.shamt = static_cast<std::uint8_t>(rs2);  // shamt[4:0] sits in the rs2 field
      } else {
        d.cls = InsnClass::alu;
      }
      dest(); src1();
      return d;
    case Major::op:
      if (f7 == 0) d.cls = kOpF3[f3];
      else if (f7 == 0x20) d.cls = kOpAltF3[f3];
      else if (f7 == 0x01) d.cls = kMulDivF3[f3];
      if (d.cls == U) return d;
      dest(); src1(); src2();
      if (d.cls == InsnClass::div) d.div_signed = (f3 & 1u) == 0;  // DIV (100), REM (110)
      return d;
    case Major::lui:
    case Major::auipc:
      d.cls = InsnClass::alu;
      dest();
      return d;
    case Major::branch:
      d.cls = kBranchF3[f3];
      if (d.cls == U) return d;
      src1(); src2();
      d.flow = RvFlow::branch;
      return d;
    case Major::jal:
      d.cls = InsnClass::branch_link;  // also J (rd = x0): same unconditional PC-relative jump
      dest();
      d.flow = RvFlow::jal;
      d.is_call = is_link(rd);
      return d;
    case Major::jalr:
      if (f3 != 0) return d;
      d.cls = InsnClass::branch_reg;
      dest(); src1();
      d.flow = RvFlow::jalr;
      d.is_call = is_link(rd);
      d.is_return = rd == 0 && is_link(rs1);
      return d;
    case Major::misc_mem:
      if (f3 == 0 || f3 == 1) d.cls = InsnClass::barrier;  // FENCE, FENCE.I
      d.fence_i = f3 == 1;
      return d;
    case Major::system:
      if (f3 == 0) {
        switch (w) {
          case 0x0000'0073u: d.cls = InsnClass::system; break;  // ECALL
          case 0x0010'0073u: d.cls = InsnClass::bkpt; break;    // EBREAK
          case 0x1050'0073u: d.cls = InsnClass::wfi; break;     // WFI
          case 0x3020'0073u: d.cls = InsnClass::system; break;  // MRET
          default: break;
        }
        return d;
      }
      d.cls = kSystemF3[f3];
      if (d.cls == U) return d;
      dest();
      if (f3 < 4) src1();  // CSRRW/S/C read rs1; the immediate forms carry a 5-bit uimm there
      d.csr = static_cast<std::uint16_t>(w >> 20);
      return d;
  }
  return d;
}

Rv32Insn decode_rv32(std::span<const std::uint8_t> bytes) {
  Rv32Insn d;
  if (bytes.size() < 2) return d;  // undefined, size 4 (cannot even read the length)
  const auto lo = static_cast<std::uint16_t>(bytes[0] | bytes[1] << 8);
  if (rv32_insn_size(lo) == 2) {
    const auto w = expand_compressed(lo);
    if (!w) {
      d.raw = lo;
      d.size = 2;
      return d;
    }
    d = decode_rv32_word(*w);
    d.size = 2;
    return d;
  }
  if (bytes.size() < 4) return d;
  const std::uint32_t w = static_cast<std::uint32_t>(lo) |
                          static_cast<std::uint32_t>(bytes[2]) << 16 |
                          static_cast<std::uint32_t>(bytes[3]) << 24;
  return decode_rv32_word(w);
}

}  // namespace mcusim::core::detail
