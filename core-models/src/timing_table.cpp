// Timing table loader: TOML -> TimingTable. Every key is checked: unknown keys, missing classes
// and values of the wrong type or range raise TimingTableError naming the file and the key.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <vector>
#include <toml++/toml.h>

#include "mcusim/core/timing_table.h"

namespace mcusim::core {
namespace {

constexpr std::int64_t kSchemaVersion = 1;
constexpr std::int64_t kMaxCycles = 1000;  // sanity bound for any cycle count in a table

[[noreturn]] void fail(const std::string& origin, std::string_view key, std::string_view what) {
  throw TimingTableError(fmt::format("{}: key '{}': {}", origin, key, what));
}

const toml::table& require_table(const toml::table& parent, std::string_view key,
                                 const std::string& origin, std::string_view full_key) {
  const toml::node* n = parent.get(key);
  if (n == nullptr) fail(origin, full_key, "missing");
  const toml::table* t = n->as_table();
  if (t == nullptr) fail(origin, full_key, "must be a table");
  return *t;
}

std::uint32_t require_cycles(const toml::table& t, std::string_view key, const std::string& origin,
                             std::string_view full_key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) fail(origin, full_key, "missing");
  const auto v = n->value<std::int64_t>();
  if (!n->is_integer() || !v) fail(origin, full_key, "must be an integer");
  if (*v < 0 || *v > kMaxCycles)
    fail(origin, full_key, fmt::format("{} out of range [0, {}]", *v, kMaxCycles));
  return static_cast<std::uint32_t>(*v);
}

std::string require_string(const toml::table& t, std::string_view key, const std::string& origin,
                           std::string_view full_key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) fail(origin, full_key, "missing");
  if (!n->is_string()) fail(origin, full_key, "must be a string");
  auto s = n->value<std::string>().value_or("");
  if (s.empty()) fail(origin, full_key, "must not be empty");
  return s;
}

bool require_bool(const toml::table& t, std::string_view key, const std::string& origin,
                  std::string_view full_key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) fail(origin, full_key, "missing");
  if (!n->is_boolean()) fail(origin, full_key, "must be a boolean");
  return *n->value<bool>();
}

void reject_unknown(const toml::table& t, const std::vector<std::string_view>& allowed,
                    const std::string& origin, std::string_view prefix) {
  for (const auto& [k, _] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || (k.str() == a);
    if (!ok) fail(origin, prefix.empty() ? std::string(k.str()) : fmt::format("{}.{}", prefix, k.str()),
                  "unknown key");
  }
}

// Arm tables carry per_register (multiples) and double_extra (VLDR/VSTR); RV32 tables and the
// Cortex-M7's (`with_latency`: models that schedule by result latency) carry a result `latency`
// (the Arm-only classes never occur on RV32, so their entries are plain cycles/source/confirmed
// there). Elsewhere `latency` is an unknown key.
ClassTiming parse_class(const toml::table& t, InsnClass c, const std::string& origin, bool rv32,
                        bool with_latency) {
  const std::string name(insn_class_name(c));
  const std::string prefix = "classes." + name;
  const bool is_multiple = !rv32 && (c == InsnClass::load_multiple || c == InsnClass::store_multiple ||
                                     c == InsnClass::fp_load_multiple || c == InsnClass::fp_store_multiple);
  const bool has_double = !rv32 && (c == InsnClass::fp_load || c == InsnClass::fp_store);
  std::vector<std::string_view> allowed = {"cycles", "source", "confirmed"};
  if (is_multiple) allowed.push_back("per_register");
  if (has_double) allowed.push_back("double_extra");
  if (with_latency) allowed.push_back("latency");
  reject_unknown(t, allowed, origin, prefix);
  ClassTiming ct;
  ct.cycles = require_cycles(t, "cycles", origin, prefix + ".cycles");
  if (with_latency && t.get("latency") != nullptr) {
    ct.latency = require_cycles(t, "latency", origin, prefix + ".latency");
    if (*ct.latency == 0) fail(origin, prefix + ".latency", "must be at least 1");
  }
  if (is_multiple) ct.per_register = require_cycles(t, "per_register", origin, prefix + ".per_register");
  if (has_double) ct.double_extra = require_cycles(t, "double_extra", origin, prefix + ".double_extra");
  ct.source = require_string(t, "source", origin, prefix + ".source");
  ct.confirmed = require_bool(t, "confirmed", origin, prefix + ".confirmed");
  return ct;
}

// One [pipeline.<key>] entry: { value, source, confirmed }.
const toml::table& pipeline_entry(const toml::table& pipe, std::string_view key,
                                  const std::string& origin) {
  const std::string full = fmt::format("pipeline.{}", key);
  const toml::table& e = require_table(pipe, key, origin, full);
  reject_unknown(e, {"value", "source", "confirmed"}, origin, full);
  (void)require_string(e, "source", origin, full + ".source");
  (void)require_bool(e, "confirmed", origin, full + ".confirmed");
  return e;
}

// One [pipeline.<key>] entry whose value is an array of CSR numbers (integers 0..0xFFF).
std::vector<std::uint16_t> pipeline_csr_list(const toml::table& pipe, std::string_view key,
                                             const std::string& origin) {
  const std::string full = fmt::format("pipeline.{}.value", key);
  const toml::node* n = pipeline_entry(pipe, key, origin).get("value");
  if (n == nullptr) fail(origin, full, "missing");
  const toml::array* a = n->as_array();
  if (a == nullptr) fail(origin, full, "must be an array of CSR numbers");
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto v = (*a)[i].value<std::int64_t>();
    if (!(*a)[i].is_integer() || !v || *v < 0 || *v > 0xFFF)
      fail(origin, fmt::format("{}[{}]", full, i),
           "must be a CSR number, an integer in [0, 0xfff]");
    out.push_back(static_cast<std::uint16_t>(*v));
  }
  return out;
}

// One [pipeline.<key>] entry whose value is one of `names` (returns its index).
std::size_t pipeline_choice(const toml::table& pipe, std::string_view key, const std::string& origin,
                            const std::vector<std::string_view>& names);

// Optional Arm rule switches (absent: the Cortex-M4 behaviour of PipelineTiming's defaults).
// The multiply-long bounds exist only with the cmemu rule; the scoreboard parameters only when
// the scoreboard is on (elsewhere they would be unused keys, so they are rejected).
void parse_optional_arm_rules(const toml::table& pipe, const std::string& origin,
                              std::vector<std::string_view>& keys, PipelineTiming& p) {
  auto cyc = [&](std::string_view key) {
    return require_cycles(pipeline_entry(pipe, key, origin), "value", origin,
                          fmt::format("pipeline.{}.value", key));
  };
  auto flag = [&](std::string_view key) {
    return require_bool(pipeline_entry(pipe, key, origin), "value", origin,
                        fmt::format("pipeline.{}.value", key));
  };
  keys.insert(keys.end(), {"load_pipelining_indexed", "mul_accumulate_extra",
                           "multiply_long_rule", "scoreboard", "branch_target_straddle_extra",
                           "load_pipelining_same_memory", "unaligned_part_extra", "it_folding"});
  if (pipe.get("load_pipelining_indexed")) p.load_pipelining_indexed = flag("load_pipelining_indexed");
  if (pipe.get("load_pipelining_same_memory"))
    p.load_pipelining_same_memory = flag("load_pipelining_same_memory");
  if (pipe.get("unaligned_part_extra")) p.unaligned_part_extra = cyc("unaligned_part_extra");
  if (pipe.get("it_folding")) p.it_folding = flag("it_folding");
  if (pipe.get("mul_accumulate_extra")) p.mul_accumulate_extra = cyc("mul_accumulate_extra");
  if (pipe.get("branch_target_straddle_extra"))
    p.branch_target_straddle_extra = cyc("branch_target_straddle_extra");
  if (pipe.get("multiply_long_rule"))
    p.multiply_long_rule = static_cast<MultiplyLongRule>(
        pipeline_choice(pipe, "multiply_long_rule", origin, {"constant", "cmemu_halves"}));
  if (p.multiply_long_rule != MultiplyLongRule::constant) {
    keys.insert(keys.end(), {"multiply_long_min", "multiply_long_max"});
    p.multiply_long_min = cyc("multiply_long_min");
    p.multiply_long_max = cyc("multiply_long_max");
    if (p.multiply_long_min == 0 || p.multiply_long_min > p.multiply_long_max)
      fail(origin, "pipeline.multiply_long_min.value",
           fmt::format("must be in [1, multiply_long_max = {}], got {}", p.multiply_long_max,
                       p.multiply_long_min));
  }
  if (pipe.get("scoreboard") && flag("scoreboard")) {
    keys.insert(keys.end(), {"shifted_operand_latency", "accumulator_latency",
                             "store_data_latency", "fp_accumulator_latency",
                             "fp_mac_fp_issue_block", "two_stage_flag_setting_extra", "dual_issue"});
    ScoreboardTiming sb;
    sb.shifted_operand_latency = cyc("shifted_operand_latency");
    sb.accumulator_latency = cyc("accumulator_latency");
    sb.store_data_latency = cyc("store_data_latency");
    sb.fp_accumulator_latency = cyc("fp_accumulator_latency");
    sb.fp_mac_fp_issue_block = cyc("fp_mac_fp_issue_block");
    sb.two_stage_flag_setting_extra = cyc("two_stage_flag_setting_extra");
    sb.dual_issue = static_cast<DualIssueRule>(
        pipeline_choice(pipe, "dual_issue", origin, {"none", "m33_16bit"}));
    p.scoreboard = sb;
  }
}

PipelineTiming parse_pipeline(const toml::table& pipe, const std::string& origin) {
  std::vector<std::string_view> keys = {
      "branch_refill_imm", "branch_refill_reg", "branch_refill_load_pc", "agu_stall_cycles",
      "load_pipelining", "store_register_offset_extra", "divide_min", "divide_max",
      "semihosting_bkpt_cycles"};
  PipelineTiming p;
  parse_optional_arm_rules(pipe, origin, keys, p);
  reject_unknown(pipe, keys, origin, "pipeline");
  auto cyc = [&](std::string_view key) {
    return require_cycles(pipeline_entry(pipe, key, origin), "value", origin,
                          fmt::format("pipeline.{}.value", key));
  };
  p.branch_refill_imm = cyc("branch_refill_imm");
  p.branch_refill_reg = cyc("branch_refill_reg");
  p.branch_refill_load_pc = cyc("branch_refill_load_pc");
  p.agu_stall_cycles = cyc("agu_stall_cycles");
  p.load_pipelining = require_bool(pipeline_entry(pipe, "load_pipelining", origin), "value", origin,
                                   "pipeline.load_pipelining.value");
  p.store_register_offset_extra = cyc("store_register_offset_extra");
  p.divide_min = cyc("divide_min");
  p.divide_max = cyc("divide_max");
  p.semihosting_bkpt_cycles = cyc("semihosting_bkpt_cycles");
  if (p.divide_min == 0 || p.divide_min > p.divide_max)
    fail(origin, "pipeline.divide_min.value",
         fmt::format("must be in [1, divide_max = {}], got {}", p.divide_max, p.divide_min));
  return p;
}

// One RV32 [pipeline.<key>] entry whose value is one of `names` (returns its index).
std::size_t pipeline_choice(const toml::table& pipe, std::string_view key, const std::string& origin,
                            const std::vector<std::string_view>& names) {
  const std::string full = fmt::format("pipeline.{}.value", key);
  const std::string v = require_string(pipeline_entry(pipe, key, origin), "value", origin, full);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == v) return i;
  fail(origin, full, fmt::format("unknown value '{}' (allowed: {})", v, fmt::join(names, ", ")));
}

Rv32Pipeline parse_rv32_pipeline(const toml::table& pipe, const std::string& origin) {
  std::vector<std::string_view> keys = {
      "branch_taken_extra", "jal_extra", "jalr_extra", "divider_rule", "divide_min", "divide_max",
      "shift_rule", "shift_register_extra", "fetch_straddle_extra", "rs2_read_extra",
      "load_subword_extra_latency", "semihosting_bkpt_cycles", "branch_predictor",
      "fetch_hidden_after_multicycle", "taken_end_aligned_fetch_words", "taken_end_aligned_fetch_words_jalr",
      "taken_target_straddle_extra",
      "instret_read_lag", "fence_i_extra", "fence_refetch", "fetch_hidden_after_csr",
      "jalr_rs1_extra_latency", "jalr_rd_is_rs1_extra", "csr_stall_extra",
      "csr_stall_list"};
  Rv32Pipeline p;
  auto cyc = [&](std::string_view key) {
    return require_cycles(pipeline_entry(pipe, key, origin), "value", origin,
                          fmt::format("pipeline.{}.value", key));
  };
  p.branch_predictor = static_cast<Rv32Predictor>(
      pipeline_choice(pipe, "branch_predictor", origin, {"none", "bht2_ras"}));
  // The predictor's parameters exist only when there is a predictor.
  if (p.branch_predictor != Rv32Predictor::none)
    keys.insert(keys.end(), {"bht_entries", "ras_entries", "mispredict_penalty"});
  reject_unknown(pipe, keys, origin, "pipeline");
  p.branch_taken_extra = cyc("branch_taken_extra");
  p.jal_extra = cyc("jal_extra");
  p.jalr_extra = cyc("jalr_extra");
  p.divider_rule = static_cast<Rv32DividerRule>(
      pipeline_choice(pipe, "divider_rule", origin,
                      {"constant", "zero_shortcut", "early_out", "divisor_leading_zeros"}));
  p.divide_min = cyc("divide_min");
  p.divide_max = cyc("divide_max");
  if (p.divide_min == 0 || p.divide_min > p.divide_max)
    fail(origin, "pipeline.divide_min.value",
         fmt::format("must be in [1, divide_max = {}], got {}", p.divide_max, p.divide_min));
  if (p.divider_rule == Rv32DividerRule::constant && p.divide_min != p.divide_max)
    fail(origin, "pipeline.divide_min.value", "a constant divider needs divide_min = divide_max");
  p.shift_rule = static_cast<Rv32ShiftRule>(
      pipeline_choice(pipe, "shift_rule", origin, {"single", "serial_4_1"}));
  p.shift_register_extra = cyc("shift_register_extra");
  p.fetch_straddle_extra = cyc("fetch_straddle_extra");
  p.rs2_read_extra = cyc("rs2_read_extra");
  p.load_subword_extra_latency = cyc("load_subword_extra_latency");
  p.semihosting_bkpt_cycles = cyc("semihosting_bkpt_cycles");
  // Optional: RAM instruction-fetch effects (0 when absent).
  if (pipe.contains("fetch_hidden_after_multicycle")) {
    p.fetch_hidden_after_multicycle = cyc("fetch_hidden_after_multicycle");
    if (p.fetch_hidden_after_multicycle > 1)
      fail(origin, "pipeline.fetch_hidden_after_multicycle.value", "must be 0 or 1");
  }
  if (pipe.contains("taken_end_aligned_fetch_words"))
    p.taken_end_aligned_fetch_words = cyc("taken_end_aligned_fetch_words");
  p.taken_end_aligned_fetch_words_jalr = pipe.contains("taken_end_aligned_fetch_words_jalr")
                                             ? cyc("taken_end_aligned_fetch_words_jalr")
                                             : p.taken_end_aligned_fetch_words;
  if (pipe.contains("taken_target_straddle_extra"))
    p.taken_target_straddle_extra = cyc("taken_target_straddle_extra");
  if (pipe.contains("fence_i_extra")) p.fence_i_extra = cyc("fence_i_extra");
  if (pipe.contains("fence_refetch")) {
    p.fence_refetch = cyc("fence_refetch");
    if (p.fence_refetch > 1) fail(origin, "pipeline.fence_refetch.value", "must be 0 or 1");
  }
  if (pipe.contains("fetch_hidden_after_csr")) {
    p.fetch_hidden_after_csr = cyc("fetch_hidden_after_csr");
    if (p.fetch_hidden_after_csr > 1) fail(origin, "pipeline.fetch_hidden_after_csr.value", "must be 0 or 1");
  }
  if (pipe.contains("instret_read_lag")) {
    p.instret_read_lag = cyc("instret_read_lag");
    if (p.instret_read_lag > 1) fail(origin, "pipeline.instret_read_lag.value", "must be 0 or 1");
  }
  if (pipe.contains("jalr_rs1_extra_latency"))
    p.jalr_rs1_extra_latency = cyc("jalr_rs1_extra_latency");
  if (pipe.contains("jalr_rd_is_rs1_extra")) p.jalr_rd_is_rs1_extra = cyc("jalr_rd_is_rs1_extra");
  if (pipe.contains("csr_stall_extra") != pipe.contains("csr_stall_list"))
    fail(origin, "pipeline.csr_stall_extra",
         "csr_stall_extra and csr_stall_list go together (one is missing)");
  if (pipe.contains("csr_stall_extra")) {
    p.csr_stall_extra = cyc("csr_stall_extra");
    p.csr_stall_list = pipeline_csr_list(pipe, "csr_stall_list", origin);
  }
  if (p.branch_predictor != Rv32Predictor::none) {
    p.bht_entries = cyc("bht_entries");
    if (p.bht_entries == 0 || (p.bht_entries & (p.bht_entries - 1)) != 0)
      fail(origin, "pipeline.bht_entries.value", "must be a power of two >= 1");
    p.ras_entries = cyc("ras_entries");
    p.mispredict_penalty = cyc("mispredict_penalty");
  }
  return p;
}

}  // namespace

TimingTable parse_timing_table(std::string_view toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw TimingTableError(fmt::format("{}:{}:{}: TOML syntax error: {}", origin, b.line, b.column,
                                       e.description()));
  }
  // "m7": the Cortex-M7 model's own section, parsed by that model (cortex_m7_model.cpp).
  reject_unknown(root, {"schema_version", "core", "isa", "unicorn_cpu", "classes", "pipeline", "m7"},
                 origin, "");
  TimingTable t;
  t.path = origin;
  t.source_text = std::string(toml_text);
  {
    const toml::node* n = root.get("schema_version");
    if (n == nullptr) fail(origin, "schema_version", "missing");
    if (!n->is_integer()) fail(origin, "schema_version", "must be an integer");
    if (*n->value<std::int64_t>() != kSchemaVersion)
      fail(origin, "schema_version",
           fmt::format("unsupported version {} (this build reads {})", *n->value<std::int64_t>(),
                       kSchemaVersion));
  }
  t.core = require_string(root, "core", origin, "core");
  t.isa = require_string(root, "isa", origin, "isa");
  t.unicorn_cpu = require_string(root, "unicorn_cpu", origin, "unicorn_cpu");
  if (root.get("m7") != nullptr) {
    (void)require_table(root, "m7", origin, "m7");
    if (t.core != "cortex-m7") fail(origin, "m7", "only a cortex-m7 table has an [m7] section");
  }
  {
    // RV32 in the RISC-V naming convention: base and single-letter extensions, then a
    // multi-letter extension after '_'. Only Zifencei (FENCE.I) is distinguished; every RV32 core
    // here has Zicsr.
    static constexpr std::array<std::string_view, 8> kKnownIsas{
        "armv6-m", "armv7-m",         "armv7e-m", "armv8-m.main",
        "rv32im",  "rv32im_zifencei", "rv32imc",  "rv32imc_zifencei"};
    if (std::find(kKnownIsas.begin(), kKnownIsas.end(), t.isa) == kKnownIsas.end())
      fail(origin, "isa",
           fmt::format("unknown ISA '{}' (known: {})", t.isa, fmt::join(kKnownIsas, ", ")));
  }
  const bool rv32 = t.is_rv32();
  // Arm: the pipeline decides whether classes may carry a result latency (scoreboard).
  const toml::table& pipe = require_table(root, "pipeline", origin, "pipeline");
  if (!rv32) t.pipeline = parse_pipeline(pipe, origin);
  const bool with_latency = rv32 || t.pipeline.scoreboard.has_value();

  const toml::table& classes = require_table(root, "classes", origin, "classes");
  for (const auto& [k, _] : classes) {
    if (!insn_class_from_name(k.str()))
      fail(origin, fmt::format("classes.{}", k.str()), "unknown instruction class");
  }
  for (std::size_t i = 0; i < kNumInsnClasses; ++i) {
    const auto c = static_cast<InsnClass>(i);
    const std::string key = fmt::format("classes.{}", insn_class_name(c));
    const toml::table& ct = require_table(classes, insn_class_name(c), origin, key);
    t.classes[i] = parse_class(ct, c, origin, rv32, with_latency || t.core == "cortex-m7");
  }
  if (rv32) {
    t.rv32 = parse_rv32_pipeline(pipe, origin);
    const auto div_cycles = t.classes[static_cast<std::size_t>(InsnClass::div)].cycles;
    if (div_cycles != t.rv32.divide_min)
      fail(origin, "classes.div.cycles",
           fmt::format("{} must equal pipeline.divide_min.value ({})", div_cycles, t.rv32.divide_min));
  } else if (t.pipeline.multiply_long_rule != MultiplyLongRule::constant) {
    const auto ml = t.classes[static_cast<std::size_t>(InsnClass::mul_long)].cycles;
    if (ml != t.pipeline.multiply_long_min)
      fail(origin, "classes.mul_long.cycles",
           fmt::format("{} must equal pipeline.multiply_long_min.value ({})", ml,
                       t.pipeline.multiply_long_min));
  }
  return t;
}

TimingTable load_timing_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TimingTableError(fmt::format("{}: cannot open timing table", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_timing_table(ss.str(), path.string());
}

}  // namespace mcusim::core
