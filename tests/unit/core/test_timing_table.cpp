// Timing table loader and integrity: every class of insn_classes.def has a sourced entry, names
// round-trip, and malformed tables raise TimingTableError naming the file and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "mcusim/core/core_model.h"
#include "mcusim/core/cortex_m4.h"

namespace mcusim::core {
namespace {

std::string table_text() {
  std::ifstream in(MCUSIM_CORE_M4_TABLE);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Removes the [header] line and its body up to the next table header.
std::string remove_section(const std::string& text, const std::string& header) {
  const auto start = text.find(header + "\n");
  EXPECT_NE(start, std::string::npos) << header;
  const auto next = text.find("\n[", start + header.size());
  return text.substr(0, start) + (next == std::string::npos ? "" : text.substr(next + 1));
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_timing_table(text, "test.toml");
  } catch (const TimingTableError& e) {
    return e.what();
  }
  return "";
}

TEST(InsnClasses, NamesRoundTrip) {
  for (std::size_t i = 0; i < kNumInsnClasses; ++i) {
    const auto c = static_cast<InsnClass>(i);
    const auto name = insn_class_name(c);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(insn_class_from_name(name), c) << name;
  }
  EXPECT_EQ(insn_class_name(InsnClass::load_multiple), "load_multiple");
  EXPECT_EQ(insn_class_from_name("alu"), InsnClass::alu);
  EXPECT_FALSE(insn_class_from_name("no_such_class").has_value());
}

TEST(TimingTableIntegrity, EveryClassHasASourcedEntry) {
  const TimingTable t = load_timing_table(MCUSIM_CORE_M4_TABLE);
  EXPECT_EQ(t.core, "cortex-m4");
  EXPECT_EQ(t.isa, "armv7e-m");
  EXPECT_EQ(t.unicorn_cpu, "cortex-m4");
  const std::string text = table_text();
#define MCUSIM_INSN_CLASS(id, desc)                                                          \
  {                                                                                          \
    EXPECT_NE(text.find("[classes." #id "]"), std::string::npos) << #id;                     \
    const auto& e = t.classes[static_cast<std::size_t>(InsnClass::id)];                      \
    EXPECT_FALSE(e.source.empty()) << #id;                                                   \
    /* a cycle count of 0 is reserved for simulator services (semihosting) */                \
    EXPECT_GE(e.cycles, 1u) << #id;                                                          \
  }
#include "mcusim/core/insn_classes.def"
#undef MCUSIM_INSN_CLASS
}

TEST(TimingTable, ValuesFromTheCitedSources) {
  // Spot checks against core-facts A.3 / F (independent of the model code).
  const TimingTable t = load_timing_table(MCUSIM_CORE_M4_TABLE);
  auto cyc = [&](InsnClass c) { return t.classes[static_cast<std::size_t>(c)].cycles; };
  EXPECT_EQ(cyc(InsnClass::alu), 1u);
  EXPECT_EQ(cyc(InsnClass::load), 2u);
  EXPECT_EQ(cyc(InsnClass::load_double), 3u);
  EXPECT_EQ(cyc(InsnClass::fp_mac), 3u);
  EXPECT_EQ(cyc(InsnClass::fp_div_sqrt), 14u);
  EXPECT_EQ(t.classes[static_cast<std::size_t>(InsnClass::load_multiple)].per_register, 1u);
  // IT: 1, 0 when folded onto a preceding 16-bit instruction (M4 TRM DDI 0439D Table 3-1, note d).
  EXPECT_TRUE(t.classes[static_cast<std::size_t>(InsnClass::it)].confirmed);
  EXPECT_EQ(cyc(InsnClass::it), 1u);
  EXPECT_TRUE(t.pipeline.it_folding);
  EXPECT_EQ(t.pipeline.branch_refill_imm, 1u);
  EXPECT_EQ(t.pipeline.branch_refill_reg, 2u);
  EXPECT_EQ(t.pipeline.branch_refill_load_pc, 2u);
  EXPECT_EQ(t.pipeline.agu_stall_cycles, 1u);
  EXPECT_TRUE(t.pipeline.load_pipelining);
  EXPECT_EQ(t.pipeline.divide_min, 2u);
  EXPECT_EQ(t.pipeline.divide_max, 12u);
}

TEST(TimingTable, MissingClassIsAnErrorNamingTheKey) {
  const std::string msg = error_of(remove_section(table_text(), "[classes.fp_mac]"));
  EXPECT_NE(msg.find("test.toml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("classes.fp_mac"), std::string::npos) << msg;
}

TEST(TimingTable, MissingPipelineKeyIsAnError) {
  const std::string msg =
      error_of(remove_section(table_text(), "[pipeline.branch_refill_reg]"));
  EXPECT_NE(msg.find("pipeline.branch_refill_reg"), std::string::npos) << msg;
}

TEST(TimingTable, UnknownKeysAreErrors) {
  std::string text = table_text();
  std::string t1 = text;
  t1.insert(t1.find("[classes.alu]\n") + 14, "latency = 3\n");
  EXPECT_NE(error_of(t1).find("classes.alu.latency"), std::string::npos) << error_of(t1);

  const std::string t2 = text + "\n[classes.vector_unit]\ncycles = 1\nsource = \"x\"\nconfirmed = false\n";
  EXPECT_NE(error_of(t2).find("classes.vector_unit"), std::string::npos) << error_of(t2);

  const std::string t3 = "extra_top = 1\n" + text;
  EXPECT_NE(error_of(t3).find("extra_top"), std::string::npos) << error_of(t3);

  std::string t4 = text;
  t4.insert(t4.find("[pipeline.agu_stall_cycles]\n") + 28, "units = \"cycles\"\n");
  EXPECT_NE(error_of(t4).find("pipeline.agu_stall_cycles.units"), std::string::npos) << error_of(t4);
}

TEST(TimingTable, BadValuesAreErrors) {
  std::string text = table_text();
  const std::string alu = "[classes.alu]\ncycles = 1\n";
  ASSERT_NE(text.find(alu), std::string::npos);
  std::string t1 = text;
  t1.replace(t1.find(alu), alu.size(), "[classes.alu]\ncycles = \"one\"\n");
  EXPECT_NE(error_of(t1).find("classes.alu.cycles"), std::string::npos) << error_of(t1);
  std::string t2 = text;
  t2.replace(t2.find(alu), alu.size(), "[classes.alu]\ncycles = -1\n");
  EXPECT_NE(error_of(t2).find("classes.alu.cycles"), std::string::npos) << error_of(t2);
  std::string t3 = text;
  t3.replace(t3.find("schema_version = 1"), 18, "schema_version = 2");
  EXPECT_NE(error_of(t3).find("schema_version"), std::string::npos) << error_of(t3);
  EXPECT_NE(error_of("this is = = not toml").find("test.toml"), std::string::npos);
}

TEST(TimingTable, BranchTargetStraddleExtraIsOptionalAndChecked) {
  // cortex-m4.toml sets it to 1 (TRM 3.3.1: P = 1 to 3 by the target's width and alignment).
  EXPECT_EQ(load_timing_table(MCUSIM_CORE_M4_TABLE).pipeline.branch_target_straddle_extra, 1u);
  // Absent: 0 (the other Cortex-M tables), and the table still parses.
  const std::string without =
      remove_section(table_text(), "[pipeline.branch_target_straddle_extra]");
  EXPECT_EQ(parse_timing_table(without, "test.toml").pipeline.branch_target_straddle_extra, 0u);
  // A negative value is an error naming the key.
  std::string bad = table_text();
  const std::string key = "[pipeline.branch_target_straddle_extra]\nvalue = 1\n";
  ASSERT_NE(bad.find(key), std::string::npos);
  bad.replace(bad.find(key), key.size(), "[pipeline.branch_target_straddle_extra]\nvalue = -1\n");
  EXPECT_NE(error_of(bad).find("pipeline.branch_target_straddle_extra.value"), std::string::npos)
      << error_of(bad);
}

TEST(TimingTable, LoadCoreModel) {
  const auto m = load_core_model(MCUSIM_CORE_M4_TABLE);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->name(), "cortex-m4");
  EXPECT_THROW(load_core_model("/nonexistent/cortex-m4.toml"), TimingTableError);
  // A table for a core this library does not model.
  std::string text = table_text();
  text.replace(text.find("core = \"cortex-m4\""), 18, "core = \"cortex-m9\"");
  EXPECT_THROW(make_cortex_m4_model(parse_timing_table(text, "m9.toml")), TimingTableError);
}

}  // namespace
}  // namespace mcusim::core
