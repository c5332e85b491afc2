// RV32IMC decoder/classifier: every class from assembled instructions (compressed and
// uncompressed), register/CSR/divider fields, C expansion checked against the assembler's own
// 32-bit encodings, and decode speed.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <set>
#include <utility>

#include "rv32_decoder.h"
#include "rv32_seq.h"

namespace mcusim::core {
namespace {

using detail::decode_rv32;
using detail::Rv32Insn;
using detail::RvFlow;
using test::rv_seq;

std::vector<Rv32Insn> decode_all(const std::vector<std::uint8_t>& bytes) {
  std::vector<Rv32Insn> out;
  for (std::size_t off = 0; off + 2 <= bytes.size();) {
    const auto d = decode_rv32(std::span(bytes).subspan(off));
    out.push_back(d);
    off += d.size;
  }
  return out;
}

// One entry per instruction of the class_list section, in order: mnemonic, class, size.
const std::vector<std::tuple<const char*, InsnClass, int>> kRvClassList = {
    {"lui", InsnClass::alu, 4}, {"auipc", InsnClass::alu, 4}, {"addi", InsnClass::alu, 4},
    {"slti", InsnClass::alu, 4}, {"sltiu", InsnClass::alu, 4}, {"xori", InsnClass::alu, 4},
    {"ori", InsnClass::alu, 4}, {"andi", InsnClass::alu, 4},
    {"slli", InsnClass::shift, 4}, {"srli", InsnClass::shift, 4}, {"srai", InsnClass::shift, 4},
    {"add", InsnClass::alu, 4}, {"sub", InsnClass::alu, 4}, {"slt", InsnClass::alu, 4},
    {"sltu", InsnClass::alu, 4}, {"xor", InsnClass::alu, 4}, {"or", InsnClass::alu, 4},
    {"and", InsnClass::alu, 4},
    {"sll", InsnClass::shift, 4}, {"srl", InsnClass::shift, 4}, {"sra", InsnClass::shift, 4},
    {"mul", InsnClass::mul, 4}, {"mulh", InsnClass::mul_high, 4},
    {"mulhsu", InsnClass::mul_high, 4}, {"mulhu", InsnClass::mul_high, 4},
    {"div", InsnClass::div, 4}, {"divu", InsnClass::div, 4}, {"rem", InsnClass::div, 4},
    {"remu", InsnClass::div, 4},
    {"lb", InsnClass::load, 4}, {"lh", InsnClass::load, 4}, {"lw", InsnClass::load, 4},
    {"lbu", InsnClass::load, 4}, {"lhu", InsnClass::load, 4},
    {"sb", InsnClass::store, 4}, {"sh", InsnClass::store, 4}, {"sw", InsnClass::store, 4},
    {"beq", InsnClass::branch, 4}, {"bne", InsnClass::branch, 4}, {"blt", InsnClass::branch, 4},
    {"bge", InsnClass::branch, 4}, {"bltu", InsnClass::branch, 4}, {"bgeu", InsnClass::branch, 4},
    {"jal ra", InsnClass::branch_link, 4}, {"jal zero (j)", InsnClass::branch_link, 4},
    {"jalr ra", InsnClass::branch_reg, 4}, {"jalr zero,0(ra) (ret)", InsnClass::branch_reg, 4},
    {"fence", InsnClass::barrier, 4}, {"fence.i", InsnClass::barrier, 4},
    {"ecall", InsnClass::system, 4}, {"ebreak", InsnClass::bkpt, 4},
    {"csrr mcycle", InsnClass::csr, 4}, {"csrw mscratch", InsnClass::csr, 4},
    {"csrrsi mstatus", InsnClass::csr, 4}, {"wfi", InsnClass::wfi, 4},
    {"mret", InsnClass::system, 4}, {".word custom-0", InsnClass::undefined, 4},
    {"c.addi4spn", InsnClass::alu, 2}, {"c.lw", InsnClass::load, 2}, {"c.sw", InsnClass::store, 2},
    {"c.nop", InsnClass::alu, 2}, {"c.addi", InsnClass::alu, 2},
    {"c.jal", InsnClass::branch_link, 2}, {"c.li", InsnClass::alu, 2},
    {"c.addi16sp", InsnClass::alu, 2}, {"c.lui", InsnClass::alu, 2},
    {"c.srli", InsnClass::shift, 2}, {"c.srai", InsnClass::shift, 2}, {"c.andi", InsnClass::alu, 2},
    {"c.sub", InsnClass::alu, 2}, {"c.xor", InsnClass::alu, 2}, {"c.or", InsnClass::alu, 2},
    {"c.and", InsnClass::alu, 2}, {"c.j", InsnClass::branch_link, 2},
    {"c.beqz", InsnClass::branch, 2}, {"c.bnez", InsnClass::branch, 2},
    {"c.slli", InsnClass::shift, 2}, {"c.lwsp", InsnClass::load, 2},
    {"c.jr", InsnClass::branch_reg, 2}, {"c.mv", InsnClass::alu, 2},
    {"c.ebreak", InsnClass::bkpt, 2}, {"c.jalr", InsnClass::branch_reg, 2},
    {"c.add", InsnClass::alu, 2}, {"c.swsp", InsnClass::store, 2},
    {".half 0 (illegal)", InsnClass::undefined, 2},
};

TEST(Rv32Decoder, ClassOfEveryInstructionForm) {
  const auto insns = decode_all(rv_seq("class_list"));
  ASSERT_EQ(insns.size(), kRvClassList.size());
  std::set<InsnClass> seen;
  for (std::size_t i = 0; i < insns.size(); ++i) {
    const auto& [name, cls, size] = kRvClassList[i];
    EXPECT_EQ(insns[i].cls, cls) << name << ": got " << insn_class_name(insns[i].cls);
    EXPECT_EQ(insns[i].size, size) << name;
    seen.insert(cls);
  }
  // Every class the RV32 decoder can produce is covered.
  for (InsnClass c : {InsnClass::alu, InsnClass::shift, InsnClass::mul, InsnClass::mul_high,
                      InsnClass::div, InsnClass::load, InsnClass::store, InsnClass::branch,
                      InsnClass::branch_link, InsnClass::branch_reg, InsnClass::barrier,
                      InsnClass::system, InsnClass::csr, InsnClass::wfi, InsnClass::bkpt,
                      InsnClass::undefined})
    EXPECT_TRUE(seen.count(c)) << insn_class_name(c);
}

TEST(Rv32Decoder, CompressedExpansionMatchesTheAssembler) {
  // rvc_forms: every C form with edge immediates; rvc_reference: the same instructions written
  // as their 32-bit expansions (RVC chapter tables). The assembler encodes both independently.
  const auto c = rv_seq("rvc_forms");
  const auto w = rv_seq("rvc_reference");
  ASSERT_EQ(c.size() * 2, w.size());
  for (std::size_t i = 0; i < c.size() / 2; ++i) {
    const auto half = static_cast<std::uint16_t>(c[2 * i] | c[2 * i + 1] << 8);
    const std::uint32_t ref = static_cast<std::uint32_t>(w[4 * i]) | w[4 * i + 1] << 8 |
                              w[4 * i + 2] << 16 | static_cast<std::uint32_t>(w[4 * i + 3]) << 24;
    const auto got = detail::expand_compressed(half);
    ASSERT_TRUE(got.has_value()) << "instruction " << i << std::hex << " 0x" << half;
    EXPECT_EQ(*got, ref) << "instruction " << i << std::hex << " c=0x" << half;
    // A C instruction classifies exactly as its expansion.
    EXPECT_EQ(decode_rv32(std::span(c).subspan(2 * i)).cls, detail::decode_rv32_word(ref).cls);
  }
}

TEST(Rv32Decoder, ReservedCompressedEncodings) {
  EXPECT_FALSE(detail::expand_compressed(0x0000).has_value());  // all zeros
  EXPECT_FALSE(detail::expand_compressed(0x2000).has_value());  // C.FLD (RV32DC)
  EXPECT_FALSE(detail::expand_compressed(0x6000).has_value());  // C.FLW (RV32FC)
  EXPECT_FALSE(detail::expand_compressed(0x4002).has_value());  // C.LWSP rd = x0
  EXPECT_FALSE(detail::expand_compressed(0x8002).has_value());  // C.JR rs1 = x0
  EXPECT_FALSE(detail::expand_compressed(0x6101).has_value());  // C.ADDI16SP imm 0
  EXPECT_FALSE(detail::expand_compressed(0x1002).has_value());  // C.SLLI shamt[5] = 1 on RV32
  EXPECT_FALSE(detail::expand_compressed(0x9c01).has_value());  // C.SUBW (RV64 only)
}

TEST(Rv32Decoder, RegisterAndFlowFields) {
  const auto insns = decode_all(rv_seq("class_list"));
  // add a0, a1, a2 (index 11): rd x10, rs1 x11, rs2 x12
  EXPECT_EQ(insns[11].rd, 10);
  EXPECT_EQ(insns[11].rs1, 11);
  EXPECT_EQ(insns[11].rs2, 12);
  EXPECT_TRUE(insns[11].writes_rd && insns[11].reads_rs1 && insns[11].reads_rs2);
  // slli a0, a1, 3: immediate shift amount 3
  EXPECT_TRUE(insns[8].imm_shift);
  EXPECT_EQ(insns[8].shamt, 3);
  EXPECT_FALSE(insns[18].imm_shift);  // sll (register amount)
  // div a0, a1, a2 signed; divu unsigned; rem signed; remu unsigned
  EXPECT_TRUE(insns[25].div_signed);
  EXPECT_FALSE(insns[26].div_signed);
  EXPECT_TRUE(insns[27].div_signed);
  EXPECT_FALSE(insns[28].div_signed);
  EXPECT_EQ(insns[25].rs1, 11);
  EXPECT_EQ(insns[25].rs2, 12);
  // lb (29): a sub-word load, one data beat; lw (31) a word load; sw (36) one beat, reads rs2
  EXPECT_TRUE(insns[29].is_load && insns[29].load_subword);
  EXPECT_EQ(insns[29].data_beats, 1);
  EXPECT_FALSE(insns[31].load_subword);
  EXPECT_TRUE(insns[36].is_store && insns[36].reads_rs2);
  EXPECT_EQ(insns[36].data_beats, 1);
  EXPECT_FALSE(insns[36].writes_rd);
  // branch / jal / jalr kinds, call and return hints
  EXPECT_EQ(insns[37].flow, RvFlow::branch);
  EXPECT_EQ(insns[43].flow, RvFlow::jal);
  EXPECT_TRUE(insns[43].is_call);     // jal ra
  EXPECT_FALSE(insns[44].is_call);    // j
  EXPECT_EQ(insns[45].flow, RvFlow::jalr);
  EXPECT_TRUE(insns[45].is_call);     // jalr ra, 0(a0)
  EXPECT_TRUE(insns[46].is_return);   // ret
  // csrr a0, mcycle: CSR 0xB00, rd x10; csrw mscratch: rd = x0
  EXPECT_EQ(insns[51].csr, 0xB00);
  EXPECT_EQ(insns[51].rd, 10);
  EXPECT_EQ(insns[52].csr, 0x340);
  EXPECT_EQ(insns[52].rd, 0);
  // Compressed: c.lw a0, 4(a1) -> rd x10, rs1 x11; c.jr ra -> return; c.jalr a0 -> call
  EXPECT_EQ(insns[58].rd, 10);
  EXPECT_EQ(insns[58].rs1, 11);
  EXPECT_TRUE(insns[78].is_return);
  EXPECT_TRUE(insns[81].is_call);
}

TEST(Rv32Decoder, CounterCsrs) {
  for (std::uint16_t c : {0xB00, 0xB02, 0xC00, 0xC02, 0xB80, 0xB82, 0xC80, 0xC82})
    EXPECT_TRUE(detail::is_counter_csr(c)) << std::hex << c;
  for (std::uint16_t c : {0x340, 0x300, 0xB01, 0xC01, 0xF14})
    EXPECT_FALSE(detail::is_counter_csr(c)) << std::hex << c;
}

TEST(Rv32Decoder, TruncatedAndUndefined) {
  // The low half of a 32-bit instruction at the end of the bytes: undefined, size 4.
  const std::vector<std::uint8_t> cut = {0x33, 0x05};
  EXPECT_EQ(decode_rv32(cut).cls, InsnClass::undefined);
  EXPECT_EQ(decode_rv32(cut).size, 4);
  // OP with funct7 = 0100000 and funct3 = XOR: not an RV32IM instruction.
  EXPECT_EQ(detail::decode_rv32_word(0x40b54533u).cls, InsnClass::undefined);
}

TEST(Rv32Decoder, AboutOneNanosecondPerInstruction) {
  // Decode the class list many times; report ns/instruction. The design target is ~1 ns
  // (unicorn-notes.md); measured 26-45 ns on a loaded 2-core machine (Release), so the target
  // is NOT met yet. Decoding runs once per block, not per executed instruction. The bound only
  // catches pathological regressions without flaking on shared machines.
  const auto bytes = rv_seq("class_list");
  const auto n = decode_all(bytes).size();
  constexpr int kRounds = 20000;
  std::uint64_t sink = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < kRounds; ++r)
    for (std::size_t off = 0; off + 2 <= bytes.size();) {
      const auto d = decode_rv32(std::span(bytes).subspan(off));
      sink += static_cast<std::uint64_t>(d.cls) + d.rd;
      off += d.size;
    }
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
                    (static_cast<double>(n) * kRounds);
  RecordProperty("ns_per_insn", std::to_string(ns));
  std::printf("RV32 decode: %.2f ns/instruction (sink %llu)\n", ns, static_cast<unsigned long long>(sink));
  EXPECT_LT(ns, 500.0);
}

}  // namespace
}  // namespace mcusim::core
