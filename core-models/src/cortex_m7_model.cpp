// Cortex-M7 CoreModel: decode a block once (Capstone, FPv5-D16), then run an in-order dual-issue
// scheduler over it with a result scoreboard (block-local: every register is ready at block
// entry). The run-time hot path is leave_block only: a BTAC/BHT predictor charges mispredictions.
// Every number comes from core-models/data/cortex-m7.toml (class entries, [pipeline], [m7]); the
// rules (which instructions pair, which operands are read early or late) are the named functions
// below, each with its source. Approximations are listed in docs/models/cortex-m7.md.
#include <capstone/capstone.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "mcusim/core/cortex_m4.h"  // divide_cycles_early_termination
#include "mcusim/core/cortex_m7.h"
#include "thumb_decoder.h"

namespace mcusim::core {
namespace {

using detail::DecodedInsn;

// ---- parameters ([m7] section) -----------------------------------------------------------------

/// Load-pair bank rule (m7.load_bank_rule).
enum class BankRule : std::uint8_t {
  none,         ///< any two loads may pair
  offset_bit2,  ///< pair only immediate-offset loads whose offsets differ in bit 2 (slothy)
};

/// The [m7] section, typed. Cycle counts in core clock cycles; each key's source is in the table.
struct M7Params {
  std::uint32_t issue_width = 2;
  std::uint32_t alu_units = 2, load_units = 2, store_units = 1, mac_units = 1, branch_units = 1,
                fp_units = 1;
  BankRule load_bank_rule = BankRule::offset_bit2;
  std::uint32_t early_read_extra = 1;         ///< EX1 readers of a non-simple-ALU result
  std::uint32_t mac_load_extra = 1;           ///< MAC multiplicand from a load
  std::uint32_t mac_accumulator_advance = 1;  ///< accumulator read one stage later
  std::uint32_t store_data_advance = 2;       ///< store data read late
  std::uint32_t load_subword_extra_latency = 1;
  std::uint32_t saturating_latency = 2;
  std::uint32_t multiple_regs_per_cycle = 2;
  std::uint32_t fp_mac_chained_extra_latency = 1;  ///< VMLA family over VFMA
  std::uint32_t fp_accumulator_latency = 3;        ///< any FP result into a VFMA/VMLA accumulator
  std::uint32_t fp_mac_add_block = 3;              ///< cycles after a FP MAC without VADD & co.
  std::uint32_t fp_move_to_core_latency = 1;
  std::uint32_t fp_load_double_extra_latency = 1;
  std::uint32_t vsqrt_cycles = 14;
  std::uint32_t fp64_alu_latency = 4;
  std::uint32_t fp64_mul_cycles = 5, fp64_mul_latency = 7;
  std::uint32_t fp64_mac_cycles = 7, fp64_mac_latency = 11;
  std::uint32_t fp64_div_cycles = 30;
  std::uint32_t btac_entries = 64;
  std::uint32_t btac_ways = 1;                ///< associativity (LRU within a set)
  std::uint32_t decode_redirect_penalty = 8;  ///< direct unconditional branch missing the BTAC
  std::uint32_t return_stack_depth = 0;       ///< 0: returns are predicted through the BTAC only
  bool pair_across_blocks = true;             ///< a block's first insn may join the last group
  /// A predicted-taken branch pairs with its target's first instruction only when this many
  /// instructions before it in its block are 16-bit (jnk0le); 0: always.
  std::uint32_t taken_pair_narrow_before = 2;
  std::uint32_t mispredict_penalty = 8;
  std::uint32_t mispredict_penalty_early_flags = 6;
  std::uint32_t early_flags_distance = 3;
};

[[noreturn]] void fail(const std::string& origin, std::string_view key, std::string_view what) {
  throw TimingTableError(fmt::format("{}: key '{}': {}", origin, key, what));
}

// Reads the [m7] section of `t` into M7Params. Every key is { value, source, confirmed }; unknown
// and missing keys are errors.
M7Params parse_m7_section(const TimingTable& t) {
  const std::string origin = t.path.string();
  toml::table root;
  try {
    root = toml::parse(t.source_text, origin);
  } catch (const toml::parse_error& e) {
    fail(origin, "m7", e.description());
  }
  const toml::table* m7 = root["m7"].as_table();
  if (m7 == nullptr) fail(origin, "m7", "missing (the Cortex-M7 model needs its [m7] section)");

  M7Params p;
  std::vector<std::string_view> known;
  auto entry = [&](std::string_view key) -> const toml::node& {
    known.push_back(key);
    const std::string full = fmt::format("m7.{}", key);
    const toml::table* e = (*m7)[key].as_table();
    if (e == nullptr) fail(origin, full, "missing (expected { value, source, confirmed })");
    for (const auto& [k, _] : *e)
      if (k.str() != "value" && k.str() != "source" && k.str() != "confirmed")
        fail(origin, fmt::format("{}.{}", full, k.str()), "unknown key");
    const auto src = (*e)["source"].value<std::string>();
    if (!src || src->empty()) fail(origin, full + ".source", "missing or empty string");
    if (!(*e)["confirmed"].is_boolean())
      fail(origin, full + ".confirmed", "missing or not a boolean");
    const toml::node* v = e->get("value");
    if (v == nullptr) fail(origin, full + ".value", "missing");
    return *v;
  };
  auto num = [&](std::string_view key, std::uint32_t lo, std::uint32_t hi) {
    const toml::node& v = entry(key);
    const auto x = v.value<std::int64_t>();
    if (!v.is_integer() || !x) fail(origin, fmt::format("m7.{}.value", key), "must be an integer");
    if (*x < lo || *x > hi)
      fail(origin, fmt::format("m7.{}.value", key),
           fmt::format("{} out of range [{}, {}]", *x, lo, hi));
    return static_cast<std::uint32_t>(*x);
  };
  constexpr std::uint32_t kMax = 1000;
  p.issue_width = num("issue_width", 1, 2);
  p.alu_units = num("alu_units", 1, 2);
  p.load_units = num("load_units", 1, 2);
  p.store_units = num("store_units", 1, 2);
  p.mac_units = num("mac_units", 1, 2);
  p.branch_units = num("branch_units", 1, 2);
  p.fp_units = num("fp_units", 1, 2);
  {
    const toml::node& v = entry("load_bank_rule");
    const auto s = v.value<std::string>();
    if (s == "none") {
      p.load_bank_rule = BankRule::none;
    } else if (s == "offset_bit2") {
      p.load_bank_rule = BankRule::offset_bit2;
    } else {
      fail(origin, "m7.load_bank_rule.value", "must be \"none\" or \"offset_bit2\"");
    }
  }
  p.early_read_extra = num("early_read_extra", 0, kMax);
  p.mac_load_extra = num("mac_load_extra", 0, kMax);
  p.mac_accumulator_advance = num("mac_accumulator_advance", 0, kMax);
  p.store_data_advance = num("store_data_advance", 0, kMax);
  p.load_subword_extra_latency = num("load_subword_extra_latency", 0, kMax);
  p.saturating_latency = num("saturating_latency", 1, kMax);
  p.multiple_regs_per_cycle = num("multiple_regs_per_cycle", 1, 16);
  p.fp_mac_chained_extra_latency = num("fp_mac_chained_extra_latency", 0, kMax);
  p.fp_accumulator_latency = num("fp_accumulator_latency", 1, kMax);
  p.fp_mac_add_block = num("fp_mac_add_block", 0, kMax);
  p.fp_move_to_core_latency = num("fp_move_to_core_latency", 1, kMax);
  p.fp_load_double_extra_latency = num("fp_load_double_extra_latency", 0, kMax);
  p.vsqrt_cycles = num("vsqrt_cycles", 1, kMax);
  p.fp64_alu_latency = num("fp64_alu_latency", 1, kMax);
  p.fp64_mul_cycles = num("fp64_mul_cycles", 1, kMax);
  p.fp64_mul_latency = num("fp64_mul_latency", 1, kMax);
  p.fp64_mac_cycles = num("fp64_mac_cycles", 1, kMax);
  p.fp64_mac_latency = num("fp64_mac_latency", 1, kMax);
  p.fp64_div_cycles = num("fp64_div_cycles", 1, kMax);
  p.btac_entries = num("btac_entries", 1, 1u << 16);
  if ((p.btac_entries & (p.btac_entries - 1)) != 0)
    fail(origin, "m7.btac_entries.value", "must be a power of two");
  p.btac_ways = num("btac_ways", 1, p.btac_entries);
  if ((p.btac_ways & (p.btac_ways - 1)) != 0)
    fail(origin, "m7.btac_ways.value",
         fmt::format("{} must be a power of two dividing m7.btac_entries ({})", p.btac_ways,
                     p.btac_entries));
  p.mispredict_penalty = num("mispredict_penalty", 0, kMax);
  p.mispredict_penalty_early_flags = num("mispredict_penalty_early_flags", 0, kMax);
  p.early_flags_distance = num("early_flags_distance", 0, kMax);
  if (p.mispredict_penalty_early_flags > p.mispredict_penalty)
    fail(origin, "m7.mispredict_penalty_early_flags.value", "must not exceed mispredict_penalty");
  p.decode_redirect_penalty = num("decode_redirect_penalty", 0, kMax);
  if (p.decode_redirect_penalty > p.mispredict_penalty_early_flags)
    fail(origin, "m7.decode_redirect_penalty.value",
         fmt::format("{} must not exceed mispredict_penalty_early_flags ({}): a decode-time "
                     "redirect is earlier than any execute-time one",
                     p.decode_redirect_penalty, p.mispredict_penalty_early_flags));
  p.return_stack_depth = num("return_stack_depth", 0, 64);
  {
    const toml::node& v = entry("pair_across_blocks");
    if (!v.is_boolean()) fail(origin, "m7.pair_across_blocks.value", "must be a boolean");
    p.pair_across_blocks = *v.value<bool>();
  }
  p.taken_pair_narrow_before = num("taken_pair_narrow_before", 0, 16);
  for (const auto& [k, _] : *m7)
    if (std::find(known.begin(), known.end(), k.str()) == known.end())
      fail(origin, fmt::format("m7.{}", k.str()), "unknown key");
  return p;
}

// The shared [pipeline] keys that drive Cortex-M4 rules absent on the M7 must be neutral, and the
// class entries must fit the scheduler (every class has a latency; multiples are not 1+N).
void check_table(const TimingTable& t) {
  const std::string origin = t.path.string();
  const auto& pl = t.pipeline;
  auto zero = [&](std::uint32_t v, std::string_view key, std::string_view why) {
    if (v != 0)
      fail(origin, fmt::format("pipeline.{}.value", key),
           fmt::format("must be 0 for the Cortex-M7 model ({})", why));
  };
  zero(pl.branch_refill_imm, "branch_refill_imm", "branch costs come from the [m7] predictor");
  zero(pl.branch_refill_reg, "branch_refill_reg", "branch costs come from the [m7] predictor");
  zero(pl.branch_refill_load_pc, "branch_refill_load_pc",
       "branch costs come from the [m7] predictor");
  zero(pl.agu_stall_cycles, "agu_stall_cycles", "address reads are m7.early_read_extra");
  zero(pl.store_register_offset_extra, "store_register_offset_extra",
       "no register-offset store penalty is modelled");
  if (pl.load_pipelining)
    fail(origin, "pipeline.load_pipelining.value",
         "must be false for the Cortex-M7 model (loads dual-issue instead)");
  for (std::size_t i = 0; i < kNumInsnClasses; ++i) {
    const auto c = static_cast<InsnClass>(i);
    const auto& ct = t.classes[i];
    const std::string key = fmt::format("classes.{}", insn_class_name(c));
    if (!ct.latency) fail(origin, key + ".latency", "missing (the Cortex-M7 model needs it)");
    if (ct.per_register != 0)
      fail(origin, key + ".per_register",
           "must be 0 for the Cortex-M7 model (multiples take ceil(N / "
           "m7.multiple_regs_per_cycle) cycles)");
    if (ct.cycles == 0 && c != InsnClass::undefined)
      fail(origin, key + ".cycles", "must be at least 1");
  }
  const auto& div = t.classes[static_cast<std::size_t>(InsnClass::div)];
  if (div.cycles != pl.divide_min)
    fail(origin, "classes.div.cycles",
         fmt::format("{} must equal pipeline.divide_min.value ({})", div.cycles, pl.divide_min));
}

// ---- per-instruction rules ---------------------------------------------------------------------

enum class Unit : std::uint8_t { none, alu, load, store, mac, branch, fp };
/// What produced a register value: decides how early an EX1 reader may take it.
enum class Producer : std::uint8_t { simple_alu, load, other };

/// How the M7 rules see one decoded instruction.
struct Op {
  Unit unit = Unit::alu;
  bool single_issue = false;  ///< pairs with neither neighbour
  bool older_only = false;    ///< only the first (older) instruction of a cycle
  bool restricted = false;    ///< DSP/bitfield group (jnk0le: no pair with each other/shifted op2)
  bool early_reads = false;   ///< core sources read in EX1
  bool mac = false;           ///< MAC pipe (late accumulator, multiplicands not from a load)
  bool store_data_late = false;
  bool fp_mac = false;
  bool fp_ldst_mov = false;     ///< VLDR/VSTR/VMOV: no pairing with a FP MAC (jnk0le)
  bool fp_add_like = false;     ///< waits fp_mac_add_block after a FP MAC (jnk0le)
  bool fp_dp = false;           ///< uses the FP data-processing unit
  bool fp_div = false;          ///< VDIV/VSQRT: pairs with one integer op, then locks the pipeline
  bool zero_cost = false;       ///< semihosting BKPT: a simulator service, no issue slot
  std::uint32_t occupancy = 1;  ///< issue cycles (single-issue multi-cycle instructions)
  std::uint32_t lock = 0;       ///< VDIV/VSQRT: no new cycle before issue + lock
  std::uint32_t fp_busy = 1;    ///< cycles the FP unit is taken (double precision)
  std::uint32_t latency = 1;    ///< core-register results, from the last occupied cycle
  Producer producer = Producer::other;
  std::uint32_t fp_latency = 0;         ///< S/D results
  std::uint32_t fp_acc_latency = 0;     ///< S/D results as a VFMA/VMLA accumulator
  std::uint32_t core_move_latency = 0;  ///< VMOV to a core register
  int bank = -1;                        ///< single load: data bank 0/1, or -1 unknown
};

bool id_in(unsigned id, std::initializer_list<unsigned> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// DSP/bitfield instructions other than multiplies: older slot only, no dual issue with each other
// (jnk0le cortex_m7.md "bitfield and DSP instructions"; LLVM ARMScheduleM7.td M7WriteSIMD*,
// BeginGroup; t2CLZ/t2BFC/t2BFI Slot0Only).
bool is_restricted(const DecodedInsn& d) {
  if (d.cls == InsnClass::dsp)
    return !id_in(d.insn_id,
                  {ARM_INS_SMLABB, ARM_INS_SMLABT, ARM_INS_SMLATB, ARM_INS_SMLATT, ARM_INS_SMLAD,
                   ARM_INS_SMLADX, ARM_INS_SMLAWB, ARM_INS_SMLAWT, ARM_INS_SMLSD,  ARM_INS_SMLSDX,
                   ARM_INS_SMMLA,  ARM_INS_SMMLAR, ARM_INS_SMMLS,  ARM_INS_SMMLSR, ARM_INS_SMMUL,
                   ARM_INS_SMMULR, ARM_INS_SMUAD,  ARM_INS_SMUADX, ARM_INS_SMULBB, ARM_INS_SMULBT,
                   ARM_INS_SMULTB, ARM_INS_SMULTT, ARM_INS_SMULWB, ARM_INS_SMULWT, ARM_INS_SMUSD,
                   ARM_INS_SMUSDX});
  return d.cls == InsnClass::alu &&
         id_in(d.insn_id, {ARM_INS_UXTB, ARM_INS_UXTH, ARM_INS_SXTB, ARM_INS_SXTH, ARM_INS_CLZ,
                           ARM_INS_REV, ARM_INS_REV16, ARM_INS_REVSH, ARM_INS_RBIT, ARM_INS_BFI,
                           ARM_INS_BFC, ARM_INS_SBFX, ARM_INS_UBFX, ARM_INS_SSAT, ARM_INS_USAT});
}

// Restricted instructions whose sources are consumed in EX1 (jnk0le: sbfx/ubfx/rbit/rev* "source
// must be available a cycle earlier", bfi/pkh/xta* the extracted operand; LLVM M7Read_ISS on
// SSAT/USAT, QDADD/QDSUB, RBIT/REV, SBFX/UBFX, PKH, XTA).
bool reads_early(const DecodedInsn& d) {
  return id_in(d.insn_id,
               {ARM_INS_SBFX,  ARM_INS_UBFX,    ARM_INS_RBIT,   ARM_INS_REV,    ARM_INS_REV16,
                ARM_INS_REVSH, ARM_INS_BFI,     ARM_INS_PKHBT,  ARM_INS_PKHTB,  ARM_INS_SXTAB,
                ARM_INS_SXTAH, ARM_INS_SXTAB16, ARM_INS_UXTAB,  ARM_INS_UXTAH,  ARM_INS_UXTAB16,
                ARM_INS_SSAT,  ARM_INS_USAT,    ARM_INS_SSAT16, ARM_INS_USAT16, ARM_INS_QDADD,
                ARM_INS_QDSUB});
}

// Saturating and sum-of-differences operations: result latency 2 (LLVM M7WriteSIMD2 /
// M7WriteShSIMD2 on (Q|UQ)(ADD|ASX|SAX|SUB), USAD8, USADA8, QDADD/QDSUB, SSAT/USAT).
bool is_saturating(const DecodedInsn& d) {
  return id_in(d.insn_id,
               {ARM_INS_QADD,   ARM_INS_QADD16, ARM_INS_QADD8,   ARM_INS_QASX,    ARM_INS_QSAX,
                ARM_INS_QSUB,   ARM_INS_QSUB16, ARM_INS_QSUB8,   ARM_INS_UQADD16, ARM_INS_UQADD8,
                ARM_INS_UQASX,  ARM_INS_UQSAX,  ARM_INS_UQSUB16, ARM_INS_UQSUB8,  ARM_INS_USAD8,
                ARM_INS_USADA8, ARM_INS_QDADD,  ARM_INS_QDSUB,   ARM_INS_SSAT,    ARM_INS_USAT,
                ARM_INS_SSAT16, ARM_INS_USAT16});
}

bool is_subword_load(const DecodedInsn& d) {
  return id_in(d.insn_id,
               {ARM_INS_LDRB, ARM_INS_LDRH, ARM_INS_LDRSB, ARM_INS_LDRSH, ARM_INS_LDREXB,
                ARM_INS_LDREXH, ARM_INS_LDRBT, ARM_INS_LDRHT, ARM_INS_LDRSBT, ARM_INS_LDRSHT});
}

// Data bank (even/odd word) of a single load, as far as it is static: bit 2 of the immediate
// offset, bases assumed 8-byte aligned (slothy cortex_m7.py LOAD0/LOAD1 by (imm % 8) / 4, via
// core-facts A.4). PC-relative: bit 2 of Align(PC + 4, 4) + imm. Register offsets: unknown.
int load_bank(const DecodedInsn& d) {
  if (d.reg_offset) return -1;
  if (d.addr_regs == (1u << 15)) {
    const Addr a = ((d.addr + 4) & ~Addr{3}) + static_cast<Addr>(d.mem_disp);
    return static_cast<int>((a >> 2) & 1);
  }
  return static_cast<int>((static_cast<std::uint32_t>(d.mem_disp) >> 2) & 1);
}

std::uint32_t ceil_div(std::uint32_t a, std::uint32_t b) {
  return (a + b - 1) / b;
}

// The M7 view of `d`: units, pairing restrictions, occupancy and latencies from the table.
Op describe(const TimingTable& t, const M7Params& p, const DecodedInsn& d) {
  const ClassTiming& ct = t.classes[static_cast<std::size_t>(d.cls)];
  Op op;
  op.occupancy = ct.cycles;
  op.latency = ct.latency.value_or(1);
  op.early_reads = d.shifted_operand;  // LLVM M7Read_ISS on the shifted operand; jnk0le operand2
  switch (d.cls) {
    case InsnClass::alu:
    case InsnClass::shift:
      op.unit = Unit::alu;
      op.restricted = is_restricted(d);
      op.older_only = op.restricted;
      op.early_reads = op.early_reads || reads_early(d);
      op.producer = op.restricted || d.shifted_operand ? Producer::other : Producer::simple_alu;
      if (is_saturating(d)) op.latency = p.saturating_latency;
      break;
    case InsnClass::dsp:
      op.restricted = is_restricted(d);
      if (op.restricted) {  // SIMD / pack / extend-add / saturating
        op.unit = Unit::alu;
        op.older_only = true;
        op.early_reads = op.early_reads || reads_early(d);
        if (is_saturating(d)) op.latency = p.saturating_latency;
      } else {  // halfword/dual multiplies: the MAC pipe, any slot (jnk0le "multiplication, MAC")
        op.unit = Unit::mac;
        op.mac = true;
        op.latency = t.classes[static_cast<std::size_t>(InsnClass::mul)].latency.value_or(2);
      }
      break;
    case InsnClass::mul:
    case InsnClass::mul_long:
    case InsnClass::mul_high:
      op.unit = Unit::mac;
      op.mac = true;
      break;
    case InsnClass::div:  // single issue, stalls for its latency (LLVM WriteDIV SingleIssue)
      op.single_issue = true;
      op.producer = Producer::simple_alu;  // LLVM: operand latency 1 after the stall
      break;
    case InsnClass::load:
      op.unit = Unit::load;
      op.producer = Producer::load;
      if (is_subword_load(d)) op.latency += p.load_subword_extra_latency;
      op.bank = load_bank(d);
      // LDREX: slot 0 only (LLVM M7Slot0Only on t2LDREX*).
      op.older_only = id_in(d.insn_id, {ARM_INS_LDREX, ARM_INS_LDREXB, ARM_INS_LDREXH});
      break;
    case InsnClass::store:
      op.unit = Unit::store;
      op.store_data_late = true;
      // STREX: single issue (LLVM M7SingleIssue on t2STREX*).
      op.single_issue = id_in(d.insn_id, {ARM_INS_STREX, ARM_INS_STREXB, ARM_INS_STREXH});
      break;
    case InsnClass::load_double:
    case InsnClass::store_double:
    case InsnClass::load_multiple:
    case InsnClass::store_multiple:
    case InsnClass::fp_load_multiple:
    case InsnClass::fp_store_multiple: {
      // No dual issue with neighbours; ceil(N/2) cycles (jnk0le "load/store pair/multiple").
      op.unit = d.cls == InsnClass::load_double || d.cls == InsnClass::load_multiple ||
                        d.cls == InsnClass::fp_load_multiple
                    ? Unit::load
                    : Unit::store;
      op.single_issue = true;
      op.producer = Producer::load;
      op.store_data_late = d.cls == InsnClass::store_double;
      op.occupancy = std::max(ct.cycles, ceil_div(d.beats, p.multiple_regs_per_cycle));
      if (d.cls == InsnClass::fp_load_multiple) {
        op.fp_latency = op.latency;
        op.fp_acc_latency = std::max(op.latency, p.fp_accumulator_latency);
        op.fp_add_like = true;  // VLDM/VSTM wait after a FP MAC (jnk0le)
      }
      if (d.cls == InsnClass::fp_store_multiple) op.fp_add_like = true;
      break;
    }
    case InsnClass::branch:
    case InsnClass::branch_link:
    case InsnClass::branch_reg:
    case InsnClass::it:
      op.unit = Unit::branch;
      op.producer = Producer::simple_alu;  // BL/BLX write LR
      break;
    case InsnClass::table_branch:  // LLVM M7TableLoad: single issue, two issue cycles
      op.unit = Unit::load;
      op.single_issue = true;
      break;
    case InsnClass::nop:  // jnk0le: no NOP elimination, but NOPs pair freely
      op.unit = Unit::none;
      break;
    case InsnClass::barrier:
    case InsnClass::system:
    case InsnClass::csr:
    case InsnClass::wfi:
    case InsnClass::bkpt:
    case InsnClass::undefined:
    case InsnClass::fp_system:
      // LLVM M7NonGeneralPurpose / M7VMRS / M7VMSR: single issue.
      op.unit = Unit::none;
      op.single_issue = true;
      if (d.semihosting) {
        op.zero_cost = t.pipeline.semihosting_bkpt_cycles == 0;
        op.occupancy = std::max<std::uint32_t>(1, t.pipeline.semihosting_bkpt_cycles);
      }
      break;
    case InsnClass::fp_alu:
    case InsnClass::fp_mac:
    case InsnClass::fp_div_sqrt: {
      op.unit = Unit::fp;
      op.fp_dp = true;
      op.fp_latency = op.latency;
      op.fp_mac = d.cls == InsnClass::fp_mac;
      op.fp_add_like = id_in(d.insn_id, {ARM_INS_VADD, ARM_INS_VSUB, ARM_INS_VMOV});
      const bool chained =
          id_in(d.insn_id, {ARM_INS_VMLA, ARM_INS_VMLS, ARM_INS_VNMLA, ARM_INS_VNMLS});
      if (op.fp_mac && chained) op.fp_latency += p.fp_mac_chained_extra_latency;
      if (d.cls == InsnClass::fp_div_sqrt) {
        op.fp_div = true;
        op.older_only = true;
        op.lock = d.insn_id == ARM_INS_VSQRT ? p.vsqrt_cycles : ct.cycles;
        op.occupancy = 1;
        op.fp_latency = op.lock;
      }
      if (d.fp64) {  // double precision: older slot only, the FP unit busy for its CPI
        op.older_only = true;
        if (d.cls == InsnClass::fp_div_sqrt) {
          op.lock = p.fp64_div_cycles;
          op.fp_latency = p.fp64_div_cycles;
        } else if (op.fp_mac) {
          op.fp_busy = p.fp64_mac_cycles;
          op.fp_latency = p.fp64_mac_latency;
        } else if (id_in(d.insn_id, {ARM_INS_VMUL, ARM_INS_VNMUL})) {
          op.fp_busy = p.fp64_mul_cycles;
          op.fp_latency = p.fp64_mul_latency;
        } else {
          op.fp_latency = p.fp64_alu_latency;
        }
      }
      op.fp_acc_latency = op.fp_mac ? p.fp_accumulator_latency : op.fp_latency;
      if (op.fp_div) op.fp_acc_latency = op.fp_latency;
      break;
    }
    case InsnClass::fp_load:
    case InsnClass::fp_store:
      op.unit = d.cls == InsnClass::fp_load ? Unit::load : Unit::store;
      op.fp_ldst_mov = true;
      op.store_data_late = d.cls == InsnClass::fp_store;
      op.producer = Producer::load;
      if (d.fp_double) {  // VLDR.64/VSTR.64: no dual issue (jnk0le; LLVM M7LoadDP SingleIssue)
        op.single_issue = true;
        op.occupancy = ct.cycles + ct.double_extra;
        op.fp_add_like = true;
      }
      op.fp_latency = op.latency + (d.fp_double ? p.fp_load_double_extra_latency : 0);
      op.fp_acc_latency = std::max(op.fp_latency, p.fp_accumulator_latency);
      if (d.cls == InsnClass::fp_load) op.bank = load_bank(d);
      break;
    case InsnClass::fp_move: {
      op.unit = Unit::none;
      op.fp_ldst_mov = true;
      op.fp_latency = op.latency;  // core -> FP (LLVM WriteFPMOV)
      op.fp_acc_latency = op.latency;
      op.core_move_latency = p.fp_move_to_core_latency;
      // Two core registers <-> D or S pair: no dual issue (jnk0le; LLVM VMOV(DRR|RRD|RRS|SRR)).
      int core = 0;
      for (unsigned r = d.regs_read | d.regs_written; r != 0; r &= r - 1) ++core;
      op.single_issue = core >= 2;
      break;
    }
  }
  return op;
}

// ---- the per-block scheduler -------------------------------------------------------------------

/// The open issue group (one cycle's instructions) and what its members occupy.
struct Group {
  int cycle = -1;
  bool open = false;
  std::uint32_t count = 0;
  std::array<std::uint32_t, 7> units{};
  int bank = -1;
  bool mac = false, shifted = false, restricted = false;
  bool fp_mac = false, fp_ldst = false, fp_div = false;

  std::uint32_t used(Unit u) const { return units[static_cast<std::size_t>(u)]; }
  /// Adds `op` (decoded as `d`) to the group.
  void add(const DecodedInsn& d, const Op& op) {
    ++count;
    ++units[static_cast<std::size_t>(op.unit)];
    if (op.unit == Unit::load && bank < 0) bank = op.bank;
    mac = mac || op.mac;
    shifted = shifted || (d.shifted_operand && !op.restricted);
    restricted = restricted || op.restricted;
    fp_mac = fp_mac || op.fp_mac;
    fp_ldst = fp_ldst || op.fp_ldst_mov;
    fp_div = fp_div || op.fp_div;
  }
};

// Can `op` join the open group `g` as its younger instruction? (the pairing rules, each cited)
bool can_join(const Group& g, const Op& op, const M7Params& p) {
  if (!g.open || g.count >= p.issue_width) return false;
  if (op.single_issue || op.older_only) return false;
  const auto full = [&](Unit u, std::uint32_t cap) { return op.unit == u && g.used(u) >= cap; };
  if (full(Unit::alu, p.alu_units) || full(Unit::load, p.load_units) ||
      full(Unit::store, p.store_units) || full(Unit::mac, p.mac_units) ||
      full(Unit::branch, p.branch_units) || full(Unit::fp, p.fp_units))
    return false;
  if (op.unit == Unit::load && g.used(Unit::load) > 0 && p.load_bank_rule == BankRule::offset_bit2)
    if (op.bank < 0 || g.bank < 0 || op.bank == g.bank) return false;
  // jnk0le: MACs cannot dual issue with stores.
  if ((op.mac && g.used(Unit::store) > 0) || (op.unit == Unit::store && g.mac)) return false;
  // jnk0le operand2 matrix: two shifted-register operands never pair; bitfield/DSP (older)
  // with a shifted operand (younger) neither.
  if (op.early_reads && !op.restricted && (g.shifted || g.restricted)) return false;
  // jnk0le: FP MACs pair with no VLDR/VSTR/VMOV; VDIV/VSQRT pair with one integer op only.
  if ((op.fp_mac && g.fp_ldst) || (op.fp_ldst_mov && g.fp_mac)) return false;
  if (g.fp_div && (op.fp_dp || op.fp_ldst_mov)) return false;
  return true;
}

/// A block's edges for dual issue across blocks: its last issue group when that group holds one
/// instruction and ends the block (`tail_open`), with the registers not yet ready in that cycle;
/// and its first instruction (`head`) with the cycles the block saves when that instruction
/// issues in the previous block's last group (`head_overlap`).
struct Edge {
  bool tail_open = false;
  bool tail_taken_ok = false;  ///< tail_open, and a taken branch there may pair with its target
  Group tail;
  std::uint32_t tail_busy_core = 0;  ///< r0..r15 and NZCV (bit 16) not ready for any reader
  std::uint32_t tail_busy_fp = 0;    ///< S registers not ready for any reader
  bool tail_fp_unit_busy = false;    ///< the FP unit is taken in the next cycle
  bool tail_fp_mac_block = false;    ///< VADD & co. blocked in the next cycle (after a FP MAC)
  std::uint32_t head_overlap = 0;
  Op head;
  std::uint32_t head_core_read = 0;        ///< r0..r14 and NZCV (bit 16) the head reads
  std::uint32_t head_fp_read = 0;
  bool head_shifted = false;
};

constexpr int kFlags = 16;  // NZCV as a pseudo-register of the scoreboard

/// What the scheduler found for one block: per-instruction issue cycles, total cycles, and the
/// misprediction cost of its exit.
struct Schedule {
  std::vector<std::uint32_t> issue;
  std::uint32_t cycles = 0;
  std::uint32_t mispredict_penalty = 0;
};

class Scheduler {
 public:
  Scheduler(const TimingTable& t, const M7Params& p) : t_(t), p_(p) {}

  /// Schedules `insns`. With `head_in_previous_cycle`, the first instruction that takes a slot is
  /// placed as the younger half of a full group at cycle -1 (the previous block's last cycle,
  /// operands assumed ready): the cycles returned then count from cycle 0 without it.
  Schedule run(const std::vector<DecodedInsn>& insns, bool head_in_previous_cycle = false) {
    Schedule s;
    s.issue.reserve(insns.size());
    int last_flag_set = -1000;
    int last_issue = 0;
    bool head_pending = head_in_previous_cycle;
    for (const auto& d : insns) {
      const Op op = describe(t_, p_, d);
      if (op.zero_cost) {
        s.issue.push_back(static_cast<std::uint32_t>(std::max(floor_, 0)));
        continue;
      }
      if (head_pending) {
        head_pending = false;
        open_group(-1);
        g_.count = p_.issue_width - 1;  // the previous block's instruction holds the other slot
        g_.add(d, op);
        g_.open = false;
        write_results(d, op, -1);
        if (op.lock > 0) floor_ = std::max(floor_, -1 + static_cast<int>(op.lock));
        floor_ = std::max(floor_, -1 + static_cast<int>(op.occupancy));
        if (op.fp_dp) fp_unit_free_ = -1 + static_cast<int>(op.fp_busy);
        if (op.fp_mac) last_fp_mac_ = -1;
        if (d.sets_flags) last_flag_set = -1;
        s.issue.push_back(0);
        continue;
      }
      const int at = place(d, op);
      s.issue.push_back(static_cast<std::uint32_t>(at));
      if (d.sets_flags) last_flag_set = at;
      last_issue = at;
    }
    s.cycles = static_cast<std::uint32_t>(std::max(floor_, g_.cycle + 1));
    if (!insns.empty()) {
      const DecodedInsn& last = insns.back();
      if (last.pc_write != detail::PcWrite::none) {
        // jnk0le: flag forwarding cuts the penalty from 8 to 6 when the flags were set at least
        // 3 cycles before the branch. No setter in the block: assumed set at cycle -1.
        const bool on_flags = last.reads_flags && last.cls == InsnClass::branch;
        const int set_at = last_flag_set == -1000 ? -1 : last_flag_set;
        const bool early =
            on_flags && last_issue - set_at >= static_cast<int>(p_.early_flags_distance);
        s.mispredict_penalty = early ? p_.mispredict_penalty_early_flags : p_.mispredict_penalty;
      }
    }
    return s;
  }

  /// After run(): fills the tail half of `e` (the last group, if it can take a younger
  /// instruction from the next block, and what is not ready in its cycle).
  void export_tail(const Schedule& s, Edge& e) const {
    e.tail_open = g_.open && g_.count == 1 && g_.count < p_.issue_width &&
                  static_cast<int>(s.cycles) == g_.cycle + 1 && floor_ <= g_.cycle + 1;
    if (!e.tail_open) return;
    e.tail = g_;
    const int gc = g_.cycle;
    for (std::size_t i = 0; i < regs_.size(); ++i) {
      const Reg& r = regs_[i];
      int need = r.ready;
      if (r.producer != Producer::simple_alu) need += static_cast<int>(p_.early_read_extra);
      if (r.producer == Producer::load) need += static_cast<int>(p_.mac_load_extra);
      if (need > gc) e.tail_busy_core |= 1u << i;
    }
    for (std::size_t i = 0; i < fp_ready_.size(); ++i)
      if (fp_ready_[i] > gc || fp_acc_ready_[i] > gc) e.tail_busy_fp |= 1u << i;
    e.tail_fp_unit_busy = fp_unit_free_ > gc;
    e.tail_fp_mac_block = last_fp_mac_ >= 0 && last_fp_mac_ + 1 + static_cast<int>(p_.fp_mac_add_block) > gc;
  }

 private:
  struct Reg {
    int ready = 0;  // cycle a normal (EX2) reader may issue
    Producer producer = Producer::simple_alu;
  };

  int core_ready(unsigned mask, int extra_early, bool mac_mult, int advance) const {
    int t = 0;
    for (unsigned m = mask; m != 0; m &= m - 1) {
      const Reg& r = regs_[static_cast<std::size_t>(__builtin_ctz(m))];
      int need = r.ready - advance;
      if (extra_early && r.producer != Producer::simple_alu) need += extra_early;
      if (mac_mult && r.producer == Producer::load) need += static_cast<int>(p_.mac_load_extra);
      t = std::max(t, need);
    }
    return t;
  }
  static int fp_ready(const std::array<int, 32>& a, std::uint32_t mask) {
    int t = 0;
    for (std::uint32_t m = mask; m != 0; m &= m - 1)
      t = std::max(t, a[static_cast<std::size_t>(__builtin_ctz(m))]);
    return t;
  }

  // Earliest cycle at which `d`'s operands are ready for it.
  int operands_ready(const DecodedInsn& d, const Op& op) const {
    const unsigned pc = 1u << 15;
    const unsigned addr = d.addr_regs & ~pc;
    const unsigned acc = op.mac ? d.acc_regs : 0u;
    unsigned rest = d.regs_read & ~pc & ~addr & ~acc;
    // jnk0le: 'movw + movt pair can dual issue with mutual dependency' (MOVT keeps the low half
    // of its destination, which it does not wait for).
    if (d.insn_id == ARM_INS_MOVT) rest &= ~static_cast<unsigned>(d.regs_written);
    const int early = static_cast<int>(p_.early_read_extra);
    int t = core_ready(addr, early, false, 0);  // AGU reads in EX1 (LLVM M7Read_ISS)
    t = std::max(t, core_ready(acc, 0, false, static_cast<int>(p_.mac_accumulator_advance)));
    if (op.store_data_late) {
      t = std::max(t, core_ready(rest, 0, false, static_cast<int>(p_.store_data_advance)));
    } else if (op.mac) {
      t = std::max(t, core_ready(rest, 0, true, 0));
    } else {
      t = std::max(t, core_ready(rest, op.early_reads ? early : 0, false, 0));
    }
    // Predicated/flag-consuming instructions wait for NZCV; branches and IT are predicted.
    const bool predicted = d.cls == InsnClass::branch || d.cls == InsnClass::it;
    if (d.reads_flags && !predicted) t = std::max(t, core_ready(1u << kFlags, 0, false, 0));
    // FP sources: the accumulator of a FP MAC has its own readiness; VSTR data is read late.
    const std::uint32_t fp_acc = op.fp_mac ? d.fp_acc : 0u;
    if (fp_acc != 0u) t = std::max(t, fp_ready(fp_acc_ready_, fp_acc));
    int f = fp_ready(fp_ready_, d.fp_read & ~fp_acc);
    if (op.store_data_late && d.cls == InsnClass::fp_store)
      f -= static_cast<int>(p_.store_data_advance);
    t = std::max(t, f);
    if (op.fp_dp) t = std::max(t, fp_unit_free_);
    if (op.fp_add_like && last_fp_mac_ >= 0)
      t = std::max(t, last_fp_mac_ + 1 + static_cast<int>(p_.fp_mac_add_block));
    return t;
  }

  void open_group(int at) {
    g_ = Group{};
    g_.cycle = at;
    g_.open = true;
    floor_ = std::max(floor_, at + 1);
  }

  int place(const DecodedInsn& d, const Op& op) {
    int at = std::max(g_.cycle, operands_ready(d, op));
    if (!(at == g_.cycle && can_join(g_, op, p_))) {
      at = std::max({at, floor_, g_.cycle + 1});
      open_group(at);
    }
    g_.add(d, op);
    if (op.single_issue || op.occupancy > 1) {
      g_.open = false;
      floor_ = std::max(floor_, at + static_cast<int>(op.occupancy));
    }
    if (op.lock > 0) floor_ = std::max(floor_, at + static_cast<int>(op.lock));
    if (op.fp_dp) fp_unit_free_ = at + static_cast<int>(op.fp_busy);
    if (op.fp_mac) last_fp_mac_ = at;
    write_results(d, op, at);
    return at;
  }

  void write_results(const DecodedInsn& d, const Op& op, int at) {
    const int done = at + static_cast<int>(op.occupancy) - 1;
    unsigned written = d.regs_written & ~(1u << 15);
    // Base update of a pre/post-indexed access or a multiple with writeback (PUSH/POP: SP):
    // bypassed out of EX1 like an ALU result (LLVM ARMScheduleM7.td M7BaseUpdate, Latency 0).
    if (d.addr_regs != 0 && d.cls != InsnClass::table_branch) {
      for (unsigned m = written & d.addr_regs; m != 0; m &= m - 1)
        regs_[static_cast<std::size_t>(__builtin_ctz(m))] = {at + 1, Producer::simple_alu};
      written &= ~static_cast<unsigned>(d.addr_regs);
    }
    const int lat = d.cls == InsnClass::fp_move ? static_cast<int>(op.core_move_latency)
                                                : static_cast<int>(op.latency);
    for (unsigned m = written; m != 0; m &= m - 1)
      regs_[static_cast<std::size_t>(__builtin_ctz(m))] = {done + lat, op.producer};
    if (d.sets_flags) regs_[kFlags] = {done + lat, Producer::simple_alu};
    for (std::uint32_t m = d.fp_written; m != 0; m &= m - 1) {
      const auto i = static_cast<std::size_t>(__builtin_ctz(m));
      fp_ready_[i] = done + static_cast<int>(op.fp_latency);
      fp_acc_ready_[i] = done + static_cast<int>(op.fp_acc_latency);
    }
  }

  const TimingTable& t_;
  const M7Params& p_;
  std::array<Reg, 17> regs_{};
  std::array<int, 32> fp_ready_{};
  std::array<int, 32> fp_acc_ready_{};
  Group g_;
  int floor_ = 0;         // earliest cycle of the next issue group
  int fp_unit_free_ = 0;  // double-precision occupancy of the FP unit
  int last_fp_mac_ = -1;
};

// ---- branch predictor --------------------------------------------------------------------------

/// How a block ends, for the predictor (BlockInfo::exit_kind: the kind in bits 0-2, plus
/// kCallBit and kReturnBit).
enum class Exit : std::uint8_t {
  none,         ///< not a flow change (falls through, or a BKPT/limit split the block)
  conditional,  ///< B<cond>, CBZ/CBNZ, or a PC write inside an IT block: BHT direction
  direct,       ///< B, BL (immediate, unconditional): the decoder knows the target
  indirect,     ///< BX, BLX, POP {PC}, LDR PC, LDM with PC, TBB/TBH: target from the BTAC
};
constexpr std::uint8_t kExitKindMask = 0x7;
constexpr std::uint8_t kCallBit = 0x8;    ///< BL/BLX: pushes the return address
constexpr std::uint8_t kReturnBit = 0x10;  ///< BX LR, POP {..PC}, LDR PC,[SP],#4, LDM SP!,{..PC}

/// BTAC + static (decode-time) prediction + optional return stack ([m7] btac_*, *_penalty,
/// return_stack_depth; sources in cortex-m7.toml, rules in docs/models/cortex-m7.md).
///  - BTAC: btac_entries entries in btac_entries / btac_ways sets indexed by (pc >> 1) mod sets,
///    LRU within a set, tagged with the full branch address; each holds the last target and a
///    2-bit counter. A hit with counter >= 2 predicts taken at fetch, to the stored target.
///  - No hit (or counter < 2): predicted not taken at fetch. A direct unconditional branch (B, BL)
///    is then redirected at decode (decode_redirect_penalty); a return with a non-empty return
///    stack too, to the popped address. Anything else taken pays the block's mispredict penalty.
///  - A taken branch predicted to a wrong target (indirect branch or return) pays the penalty.
///  - Allocation on taken branches (conditional: weakly taken 2; unconditional: 3).
class Predictor {
 public:
  explicit Predictor(const M7Params& p)
      : sets_(p.btac_entries / p.btac_ways),
        set_mask_(sets_ - 1),
        ways_(p.btac_ways),
        decode_redirect_(p.decode_redirect_penalty),
        e_(p.btac_entries),
        ras_(p.return_stack_depth) {}

  /// Cycles charged when the branch at `pc` (`size` bytes) leaves its block. `target`: the
  /// address entered next when `known` (else a predicted target counts as right).
  std::uint32_t leave(Addr pc, std::uint8_t size, std::uint8_t exit, bool taken, bool known,
                      Addr target, std::uint32_t penalty) {
    const auto kind = static_cast<Exit>(exit & kExitKindMask);
    if (kind == Exit::none) return 0;
    ++clock_;
    Entry* set = &e_[((pc >> 1) & set_mask_) * ways_];
    Entry* hit = nullptr;
    if (ways_ == 1) {  // direct-mapped (cortex-m7.toml m7.btac_ways): no way loop
      if (set->valid && set->tag == pc) hit = set;
    } else {
      for (std::uint32_t w = 0; w < ways_; ++w)
        if (set[w].valid && set[w].tag == pc) hit = &set[w];
    }
    const bool at_fetch = hit != nullptr && hit->counter >= 2;
    if (!taken) {
      // Predicted taken at fetch: the wrong path was fetched. The counter moves towards not taken.
      if (hit != nullptr) {
        if (hit->counter > 0) --hit->counter;
        hit->used = clock_;
      }
      return at_fetch ? penalty : 0;
    }
    // The target the front end follows: the return stack's top for a return, the decoder's own
    // for a direct branch, else the BTAC's.
    const bool is_return = (exit & kReturnBit) != 0 && !ras_.empty();
    bool have_guess = true;
    Addr guess = target;
    bool decode_known = false;
    if (is_return && depth_ > 0) {
      guess = pop();
      decode_known = true;
    } else if (kind == Exit::direct) {
      decode_known = true;  // the decoder computes the target itself
    } else if (hit != nullptr) {
      guess = hit->target;
    } else {
      have_guess = false;
    }
    const bool right = have_guess && (!known || guess == target);
    std::uint32_t cost = 0;
    if (!right)
      cost = penalty;
    else if (at_fetch)
      cost = 0;
    else
      cost = decode_known && kind != Exit::conditional ? decode_redirect_ : penalty;
    if ((exit & kCallBit) != 0) push(pc + size);
    // BTAC update.
    if (hit != nullptr) {
      hit->counter = static_cast<std::uint8_t>(std::min(3, hit->counter + 1));
      if (known) hit->target = target;
      hit->used = clock_;
    } else {
      Entry* victim = &set[0];
      for (std::uint32_t w = 0; w < ways_; ++w) {
        if (!set[w].valid) {
          victim = &set[w];
          break;
        }
        if (set[w].used < victim->used) victim = &set[w];
      }
      *victim = Entry{pc, known ? target : 0, clock_,
                      static_cast<std::uint8_t>(kind == Exit::conditional ? 2 : 3), true};
    }
    return cost;
  }

 private:
  struct Entry {
    Addr tag = 0;
    Addr target = 0;
    std::uint64_t used = 0;  ///< LRU stamp (a transition count: deterministic)
    std::uint8_t counter = 0;
    bool valid = false;
  };
  void push(Addr ret) {
    if (ras_.empty()) return;
    ras_[top_ % ras_.size()] = ret;  // circular: overwrites the oldest entry when full
    ++top_;
    depth_ = std::min<std::size_t>(depth_ + 1, ras_.size());
  }
  Addr pop() {
    --top_;
    --depth_;
    return ras_[top_ % ras_.size()];
  }
  std::uint32_t sets_, set_mask_, ways_, decode_redirect_;
  std::vector<Entry> e_;
  std::vector<Addr> ras_;
  std::size_t top_ = 0, depth_ = 0;
  std::uint64_t clock_ = 0;
};

// ---- the model ---------------------------------------------------------------------------------

class CortexM7Model final : public CoreModel {
 public:
  CortexM7Model(TimingTable table, M7Params params)
      : table_(std::move(table)),
        params_(params),
        decoder_(detail::ThumbFpu::fpv5_d16),
        predictor_(params_),
        edges_(1) {}

  std::string_view name() const override { return "cortex-m7"; }
  IsaFamily isa_family() const override { return IsaFamily::arm_m; }
  std::string_view isa() const override { return table_.isa; }
  std::string_view unicorn_cpu() const override { return table_.unicorn_cpu; }

  BlockInfo analyze_block(Addr addr, std::span<const std::uint8_t> code) const override {
    const Addr start = addr & ~Addr{1};
    const auto insns = decoder_.decode(start, code);
    Scheduler sched(table_, params_);
    const Schedule s = sched.run(insns);
    const std::uint32_t slot = params_.pair_across_blocks && params_.issue_width >= 2
                                   ? edge_of(insns, s, sched)
                                   : 0;

    BlockInfo b;
    b.start = start;
    b.size_bytes = static_cast<std::uint32_t>(code.size());
    b.n_insns = static_cast<std::uint32_t>(insns.size());
    b.insn_cycle_offset = s.issue;
    b.insn_addrs.reserve(insns.size());
    b.insn_sizes.reserve(insns.size());
    for (const auto& d : insns) {
      b.insn_addrs.push_back(d.addr);
      b.insn_sizes.push_back(d.size);
      ++b.class_counts[static_cast<std::size_t>(d.cls)];
      b.data_beats += d.beats;
      b.insn_data_beats.push_back(d.beats);
      if (d.cls == InsnClass::div)
        b.dividers.push_back(DividerSite{d.addr, d.div_rn, d.div_rm, d.div_signed});
      b.has_semihosting_bkpt = b.has_semihosting_bkpt || d.semihosting;
      b.has_wfi = b.has_wfi || d.cls == InsnClass::wfi;
    }
    b.static_cycles = s.cycles;
    // The cost of a misprediction at this block's exit (the predictor decides whether it is paid;
    // the run loop calls leave_block because predicts_branches() is true).
    b.taken_branch_penalty = s.mispredict_penalty;
    if (!insns.empty()) b.exit_kind = exit_of(insns.back());
    b.model_slot = slot;
    return b;
  }

  /// The predictor's view of a block's last instruction (Exit kind plus call/return bits).
  static std::uint8_t exit_of(const DecodedInsn& last) {
    if (last.pc_write == detail::PcWrite::none) return 0;
    const bool conditional =
        last.reads_flags || last.insn_id == ARM_INS_CBZ || last.insn_id == ARM_INS_CBNZ;
    Exit kind = Exit::indirect;
    if (conditional)
      kind = Exit::conditional;
    else if (last.pc_write == detail::PcWrite::imm)
      kind = Exit::direct;
    std::uint8_t bits = static_cast<std::uint8_t>(kind);
    if (last.insn_id == ARM_INS_BL || last.insn_id == ARM_INS_BLX) bits |= kCallBit;
    // Return-type branches (the usual Arm return-stack set, e.g. Cortex-R4 TRM 5.3): BX LR, and
    // loads of the PC from the stack (POP {..PC}, LDR PC,[SP],#4, LDM SP!,{..PC}).
    constexpr unsigned kLr = 1u << 14, kSp = 1u << 13;
    const bool bx_lr = last.insn_id == ARM_INS_BX && (last.regs_read & kLr) != 0;
    const bool pop_pc = last.pc_write == detail::PcWrite::load_pc &&
                        last.cls != InsnClass::table_branch && last.addr_regs == kSp;
    if (bx_lr || pop_pc) bits |= kReturnBit;
    return bits;
  }

  /// Records the block's edges for dual issue across blocks; returns their slot (0: none).
  std::uint32_t edge_of(const std::vector<DecodedInsn>& insns, const Schedule& s,
                        const Scheduler& sched) const {
    Edge e;
    sched.export_tail(s, e);
    // jnk0le: a predicted-taken branch dual-issues with one instruction at its target when
    // enough 16-bit instructions precede it ('requires at least 2 .n instructions executed
    // prior to branch').
    if (e.tail_open && !insns.empty() && insns.back().pc_write != detail::PcWrite::none) {
      const std::size_t n = params_.taken_pair_narrow_before;
      bool narrow = insns.size() > n;
      for (std::size_t i = 0; narrow && i < n; ++i)
        narrow = insns[insns.size() - 2 - i].size == 2;
      e.tail_taken_ok = narrow;
    }
    // The head: the first instruction that takes an issue slot, if it may be a younger one.
    for (const auto& d : insns) {
      const Op op = describe(table_, params_, d);
      if (op.zero_cost) continue;
      if (op.single_issue || op.older_only) break;
      Scheduler alt(table_, params_);
      const Schedule a = alt.run(insns, true);
      if (a.cycles < s.cycles) {
        e.head_overlap = s.cycles - a.cycles;
        e.head = op;
        e.head_core_read = d.regs_read & ~(1u << 15);
        const bool predicted = d.cls == InsnClass::branch || d.cls == InsnClass::it;
        if (d.reads_flags && !predicted) e.head_core_read |= 1u << kFlags;
        e.head_fp_read = d.fp_read;
        e.head_shifted = d.shifted_operand;
      }
      break;
    }
    if (!e.tail_open && e.head_overlap == 0) return 0;
    if (edges_.size() > kSlotIndex) return 0;  // 512 M blocks: stop recording edges
    edges_.push_back(e);
    std::uint32_t slot = static_cast<std::uint32_t>(edges_.size() - 1);
    if (e.tail_open) slot |= kSlotTail;
    if (e.tail_taken_ok) slot |= kSlotTakenPair;
    if (e.head_overlap > 0) slot |= kSlotHead;
    return slot;
  }

  /// Cycles `next`'s first instruction saves by issuing in `prev`'s last group (0 or more).
  /// Static in the two blocks: the flags in model_slot reject most pairs without a lookup, and
  /// the full check is memoised per (prev, next) pair.
  std::uint32_t overlap(const BlockInfo& prev, const BlockInfo& next) const {
    if ((prev.model_slot & kSlotTail) == 0 || (next.model_slot & kSlotHead) == 0) return 0;
    const std::uint32_t p = prev.model_slot & kSlotIndex, n = next.model_slot & kSlotIndex;
    Memo& m = memo_[((p * 0x9E3779B1u) ^ n) & (memo_.size() - 1)];
    if (m.prev == p && m.next == n) return m.overlap;
    const Edge& t = edges_[p];
    const Edge& h = edges_[n];
    std::uint32_t r = h.head_overlap;
    if (!can_join(t.tail, h.head, params_)) r = 0;
    if ((h.head_core_read & t.tail_busy_core) != 0 || (h.head_fp_read & t.tail_busy_fp) != 0)
      r = 0;
    if ((h.head.fp_dp && t.tail_fp_unit_busy) || (h.head.fp_add_like && t.tail_fp_mac_block))
      r = 0;
    m = Memo{p, n, r};
    return r;
  }

  std::uint32_t divide_cycles(std::uint32_t dividend, std::uint32_t divisor,
                              bool is_signed) const override {
    return divide_cycles_early_termination(dividend, divisor, is_signed, table_.pipeline.divide_min,
                                           table_.pipeline.divide_max);
  }
  std::uint32_t divide_min_cycles() const override { return table_.pipeline.divide_min; }

  bool predicts_branches() const override { return true; }
  std::uint32_t leave_block(const BlockInfo& block, bool taken, const BlockInfo* next = nullptr,
                            std::uint32_t* overlap_out = nullptr) override {
    if (overlap_out) *overlap_out = 0;
    if (block.insn_addrs.empty()) return 0;
    // A block that does not end in a flow change (Exit::none) is not the predictor's.
    const std::uint32_t cost =
        (block.exit_kind & kExitKindMask) == 0
            ? 0
            : predictor_.leave(block.insn_addrs.back(), block.insn_sizes.back(), block.exit_kind,
                               taken, next != nullptr, next != nullptr ? next->start : 0,
                               block.taken_branch_penalty);
    // Dual issue across the edge, when no penalty was paid: a fall-through (jnk0le: a not-taken
    // branch dual-issues with the following instruction), or a taken branch predicted at fetch
    // whose block allows it (Edge::tail_taken_ok).
    if (overlap_out != nullptr && next != nullptr && cost == 0 &&
        (!taken || (block.model_slot & kSlotTakenPair) != 0))
      *overlap_out = overlap(block, *next);
    return cost;
  }

 private:
  TimingTable table_;
  M7Params params_;
  mutable detail::ThumbDecoder decoder_;  // Capstone handle: analyze_block is not thread-safe
  Predictor predictor_;
  // Edges of analysed blocks (BlockInfo::model_slot; slot 0 = none): filled by analyze_block
  // (logically const), read by leave_block.
  mutable std::vector<Edge> edges_;
  // BlockInfo::model_slot: the index into edges_ and what the edge allows.
  static constexpr std::uint32_t kSlotIndex = (1u << 29) - 1;
  static constexpr std::uint32_t kSlotHead = 1u << 29;       ///< head_overlap > 0
  static constexpr std::uint32_t kSlotTakenPair = 1u << 30;  ///< tail_taken_ok
  static constexpr std::uint32_t kSlotTail = 1u << 31;       ///< tail_open
  struct Memo {
    std::uint32_t prev = 0, next = 0;  // slot indices (0: empty: index 0 is never an edge)
    std::uint32_t overlap = 0;
  };
  mutable std::array<Memo, 4096> memo_{};
};

}  // namespace

std::unique_ptr<CoreModel> make_cortex_m7_model(TimingTable table) {
  if (table.core != "cortex-m7")
    throw TimingTableError(fmt::format("{}: key 'core': '{}' is not handled by the Cortex-M7 model",
                                       table.path.string(), table.core));
  if (table.is_rv32())
    throw TimingTableError(
        fmt::format("{}: key 'isa': the Cortex-M7 model needs armv7e-m", table.path.string()));
  check_table(table);
  const M7Params p = parse_m7_section(table);
  return std::make_unique<CortexM7Model>(std::move(table), p);
}

}  // namespace mcusim::core
