// RV32 timing tables: every class has a sourced entry in every table; the cited numbers; a
// missing class or pipeline key, an unknown key or a bad value is a TimingTableError naming the
// file and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "mcusim/core/core_model.h"
#include "mcusim/core/rv32.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {
namespace {

const char* const kRvTables[] = {"ibex-small", "ibex-maxperf", "picorv32", "picorv32-fastmul",
                                 "sifive-e31"};

std::string path_of(const std::string& core) {
  return std::string(MCUSIM_CORE_DATA_DIR) + "/" + core + ".toml";
}
std::string text_of(const std::string& core) {
  std::ifstream in(path_of(core));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string remove_section(const std::string& text, const std::string& header) {
  const auto start = text.find(header + "\n");
  EXPECT_NE(start, std::string::npos) << header;
  const auto next = text.find("\n[", start + header.size());
  return text.substr(0, start) + (next == std::string::npos ? "" : text.substr(next + 1));
}
std::string error_of(const std::string& text, const std::string& origin = "rv.toml") {
  try {
    (void)parse_timing_table(text, origin);
  } catch (const TimingTableError& e) {
    return e.what();
  }
  return "";
}
std::uint32_t cyc(const TimingTable& t, InsnClass c) { return t.classes[static_cast<std::size_t>(c)].cycles; }

TEST(Rv32Tables, EveryClassHasASourcedEntryInEveryTable) {
  for (const char* core : kRvTables) {
    SCOPED_TRACE(core);
    const TimingTable t = load_timing_table(path_of(core));
    EXPECT_EQ(t.core, core);
    EXPECT_TRUE(t.isa == "rv32imc" || t.isa == "rv32imc_zifencei") << t.isa;
    EXPECT_EQ(t.unicorn_cpu, "sifive-e31");
    const std::string text = text_of(core);
#define MCUSIM_INSN_CLASS(id, desc)                                                  \
  EXPECT_NE(text.find("[classes." #id "]"), std::string::npos) << #id;               \
  EXPECT_FALSE(t.classes[static_cast<std::size_t>(InsnClass::id)].source.empty()) << #id;
#include "mcusim/core/insn_classes.def"
#undef MCUSIM_INSN_CLASS
  }
}

TEST(Rv32Tables, ValuesFromTheCitedSources) {
  // Spot checks against core-facts.md B.1 / B.3 / B.5, independent of the model code.
  const auto ibex = load_timing_table(path_of("ibex-small"));
  EXPECT_EQ(cyc(ibex, InsnClass::mul), 3u);
  EXPECT_EQ(cyc(ibex, InsnClass::mul_high), 4u);
  // 37, not pipeline_details.rst's 38: measured on the Ibex RTL (docs/validation.md, muldiv/div)
  // and as instruction_decode_execute.rst says.
  EXPECT_EQ(ibex.rv32.divide_max, 37u);
  EXPECT_EQ(ibex.rv32.divide_min, 2u);
  EXPECT_EQ(ibex.rv32.branch_taken_extra, 2u);
  const auto maxp = load_timing_table(path_of("ibex-maxperf"));
  EXPECT_EQ(cyc(maxp, InsnClass::mul), 1u);
  EXPECT_EQ(cyc(maxp, InsnClass::mul_high), 2u);
  EXPECT_EQ(maxp.rv32.branch_taken_extra, 1u);
  // Measured on the Ibex RTL (docs/validation.md, mem.c lw/load_use/sw): issue 1, latency 2.
  EXPECT_TRUE(maxp.classes[static_cast<std::size_t>(InsnClass::load)].confirmed);
  EXPECT_EQ(maxp.classes[static_cast<std::size_t>(InsnClass::load)].latency, 2u);
  // RTL (sys.c fence, fence_i): FENCE 1, FENCE.I 2 on both Ibex configurations.
  EXPECT_EQ(cyc(ibex, InsnClass::barrier), 1u);
  EXPECT_EQ(ibex.rv32.fence_i_extra, 1u);
  EXPECT_EQ(maxp.rv32.fence_i_extra, 1u);
  const auto pico = load_timing_table(path_of("picorv32"));
  EXPECT_EQ(cyc(pico, InsnClass::alu), 3u);
  EXPECT_EQ(cyc(pico, InsnClass::load), 5u);
  EXPECT_EQ(cyc(pico, InsnClass::store), 5u);
  EXPECT_EQ(cyc(pico, InsnClass::branch_reg), 6u);
  EXPECT_EQ(cyc(pico, InsnClass::mul), 40u);
  EXPECT_EQ(cyc(pico, InsnClass::mul_high), 72u);
  EXPECT_EQ(pico.rv32.shift_rule, Rv32ShiftRule::serial_4_1);
  // RTL (sys.c csr_reads, fence): counter read 4 with the next fetch hidden, FENCE 3 (4 with the
  // single-port register file); CV32E40P FENCE 4 with a refetch.
  EXPECT_EQ(cyc(pico, InsnClass::csr), 4u);
  EXPECT_EQ(pico.rv32.fetch_hidden_after_csr, 1u);
  EXPECT_EQ(cyc(pico, InsnClass::barrier), 3u);
  EXPECT_EQ(cyc(load_timing_table(path_of("picorv32-rv32im-sp")), InsnClass::barrier), 4u);
  const auto cv = load_timing_table(path_of("cv32e40p"));
  EXPECT_EQ(cyc(cv, InsnClass::barrier), 4u);
  EXPECT_EQ(cv.rv32.fence_refetch, 1u);
  EXPECT_EQ(ibex.rv32.fence_refetch, 0u);
  EXPECT_EQ(ibex.rv32.fetch_hidden_after_csr, 0u);
  for (const char* key : {"fence_refetch", "fetch_hidden_after_csr"}) {
    const std::string msg = error_of(text_of("ibex-small") + "\n[pipeline." + key +
                                     "]\nvalue = 2\nsource = \"x\"\nconfirmed = false\n");
    EXPECT_NE(msg.find(std::string("pipeline.") + key + ".value"), std::string::npos) << msg;
    EXPECT_NE(msg.find("must be 0 or 1"), std::string::npos) << msg;
  }
  const auto e31 = load_timing_table(path_of("sifive-e31"));
  EXPECT_EQ(e31.rv32.branch_predictor, Rv32Predictor::bht2_ras);
  EXPECT_EQ(e31.rv32.mispredict_penalty, 3u);
  EXPECT_EQ(e31.classes[static_cast<std::size_t>(InsnClass::load)].latency, 2u);
  EXPECT_EQ(e31.rv32.divide_max, 33u);
  for (std::size_t i = 0; i < kNumInsnClasses; ++i) {  // every E31 number is [U]
    if (static_cast<InsnClass>(i) != InsnClass::undefined) {
      EXPECT_FALSE(e31.classes[i].confirmed) << insn_class_name(static_cast<InsnClass>(i));
    }
  }
}

TEST(Rv32Tables, MissingClassIsAnErrorNamingFileAndKey) {
  for (const char* cls : {"[classes.csr]", "[classes.shift]", "[classes.mul_high]", "[classes.fp_mac]"}) {
    const std::string msg = error_of(remove_section(text_of("picorv32"), cls), "picorv32.toml");
    EXPECT_NE(msg.find("picorv32.toml"), std::string::npos) << msg;
    const std::string key = std::string(cls).substr(1, std::string(cls).size() - 2);
    EXPECT_NE(msg.find("key '" + key + "'"), std::string::npos) << msg;
  }
  // Through load_core_model too: the error names the real path.
  EXPECT_THROW(load_core_model("/nonexistent/ibex-small.toml"), TimingTableError);
}

TEST(Rv32Tables, MissingOrUnknownPipelineKeysAreErrors) {
  std::string msg = error_of(remove_section(text_of("ibex-small"), "[pipeline.jalr_extra]"));
  EXPECT_NE(msg.find("pipeline.jalr_extra"), std::string::npos) << msg;
  // The predictor parameters are required with a predictor...
  msg = error_of(remove_section(text_of("sifive-e31"), "[pipeline.bht_entries]"));
  EXPECT_NE(msg.find("pipeline.bht_entries"), std::string::npos) << msg;
  // ...and unknown without one.
  msg = error_of(text_of("ibex-small") + "\n[pipeline.ras_entries]\nvalue = 2\nsource = \"x\"\nconfirmed = false\n");
  EXPECT_NE(msg.find("pipeline.ras_entries"), std::string::npos) << msg;
  // Arm-only class keys are not accepted in an RV32 table.
  std::string t = text_of("ibex-small");
  t.insert(t.find("[classes.load_multiple]\n") + 24, "per_register = 1\n");
  msg = error_of(t);
  EXPECT_NE(msg.find("classes.load_multiple.per_register"), std::string::npos) << msg;
}

TEST(Rv32Tables, CsrStallListErrors) {
  // csr_stall_extra without csr_stall_list (and the reverse) is an error naming the key.
  std::string msg = error_of(remove_section(text_of("cv32e40p"), "[pipeline.csr_stall_list]"));
  EXPECT_NE(msg.find("pipeline.csr_stall_extra"), std::string::npos) << msg;
  EXPECT_NE(msg.find("go together"), std::string::npos) << msg;
  msg = error_of(remove_section(text_of("cv32e40p"), "[pipeline.csr_stall_extra]"));
  EXPECT_NE(msg.find("go together"), std::string::npos) << msg;
  // A CSR number out of range names the element.
  std::string t = text_of("cv32e40p");
  t.replace(t.find("0x300, "), 7, "0x1000, ");
  msg = error_of(t);
  EXPECT_NE(msg.find("pipeline.csr_stall_list.value[0]"), std::string::npos) << msg;
  // Not a number.
  t = text_of("cv32e40p");
  t.replace(t.find("0x300, "), 7, "\"mstatus\", ");
  msg = error_of(t);
  EXPECT_NE(msg.find("pipeline.csr_stall_list.value[0]"), std::string::npos) << msg;
}

TEST(Rv32Tables, BadValuesAreErrors) {
  std::string t = text_of("picorv32");
  const std::string rule = "[pipeline.divider_rule]\nvalue = \"constant\"";
  ASSERT_NE(t.find(rule), std::string::npos);
  t.replace(t.find(rule), rule.size(), "[pipeline.divider_rule]\nvalue = \"magic\"");
  std::string msg = error_of(t);
  EXPECT_NE(msg.find("pipeline.divider_rule.value"), std::string::npos) << msg;
  EXPECT_NE(msg.find("constant, zero_shortcut, early_out"), std::string::npos) << msg;
  // classes.div.cycles must equal divide_min
  t = text_of("ibex-small");
  const std::string div = "[classes.div]\ncycles = 2";
  ASSERT_NE(t.find(div), std::string::npos);
  t.replace(t.find(div), div.size(), "[classes.div]\ncycles = 3");
  msg = error_of(t);
  EXPECT_NE(msg.find("classes.div.cycles"), std::string::npos) << msg;
  // latency 0
  t = text_of("sifive-e31");
  t.replace(t.find("latency = 2"), 11, "latency = 0");
  msg = error_of(t);
  EXPECT_NE(msg.find("classes.load.latency"), std::string::npos) << msg;
  // unknown ISA; the RV32 strings are strict (base, then only "_zifencei")
  for (const char* bad : {"rv64gc", "rv32imc_zicsr", "rv32i_zifencei", "rv32imc_Zifencei",
                          "rv32imczifencei", "rv32imc_zifencei_zifencei"}) {
    SCOPED_TRACE(bad);
    t = text_of("ibex-small");
    const std::string key = "isa = \"rv32imc_zifencei\"";
    ASSERT_NE(t.find(key), std::string::npos);
    t.replace(t.find(key), key.size(), std::string("isa = \"") + bad + "\"");
    msg = error_of(t, "bad-isa.toml");
    EXPECT_NE(msg.find("bad-isa.toml: key 'isa'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::string("unknown ISA '") + bad + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("rv32im, rv32im_zifencei, rv32imc, rv32imc_zifencei"), std::string::npos)
        << msg;
  }
}

TEST(Rv32Tables, ZifenceiOnTheCoresThatImplementFenceI) {
  // Ibex compliance.rst and the CV32E40P intro.rst list Zifencei (always enabled); the E31 has
  // FENCE.I in its base I (User-Level ISA 2.1). PicoRV32 (picorv32.v) decodes FENCE only.
  for (const char* core : {"ibex-small", "ibex-maxperf", "cv32e40p", "sifive-e31"}) {
    const TimingTable t = load_timing_table(path_of(core));
    EXPECT_EQ(t.isa, "rv32imc_zifencei") << core;
    EXPECT_TRUE(t.is_rv32() && t.has_compressed() && t.has_zifencei()) << core;
  }
  for (const char* core : {"picorv32", "picorv32-fast", "picorv32-fastmul"}) {
    const TimingTable t = load_timing_table(path_of(core));
    EXPECT_EQ(t.isa, "rv32imc") << core;
    EXPECT_TRUE(t.is_rv32() && t.has_compressed()) << core;
    EXPECT_FALSE(t.has_zifencei()) << core;
  }
  const TimingTable sp = load_timing_table(path_of("picorv32-rv32im-sp"));
  EXPECT_EQ(sp.isa, "rv32im");
  EXPECT_TRUE(sp.is_rv32());
  EXPECT_FALSE(sp.has_compressed() || sp.has_zifencei());
  // The suffix on an rv32im table parses (and keeps the C extension off).
  std::string t = text_of("picorv32-rv32im-sp");
  ASSERT_NE(t.find("\nisa = \"rv32im\"\n"), std::string::npos);
  t.replace(t.find("\nisa = \"rv32im\"\n"), 16, "\nisa = \"rv32im_zifencei\"\n");
  const TimingTable z = parse_timing_table(t, "z.toml");
  EXPECT_TRUE(z.is_rv32() && z.has_zifencei());
  EXPECT_FALSE(z.has_compressed());
  EXPECT_FALSE(load_timing_table(path_of("cortex-m4")).has_zifencei());
}

}  // namespace
}  // namespace mcusim::core
