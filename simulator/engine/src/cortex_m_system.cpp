#include "cortex_m_system.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "mcusim/base/errors.h"

namespace mcusim {

std::optional<ArmProfile> arm_profile_from_name(const std::string& name) {
  if (name == "armv6-m") return ArmProfile::v6m;
  if (name == "armv7-m" || name == "armv7e-m") return ArmProfile::v7m;
  if (name == "armv8-m.main") return ArmProfile::v8m_main;
  return std::nullopt;
}

namespace {
[[noreturn]] void table_error(const std::string& path, const std::string& key,
                              const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", path, key, what));
}
}  // namespace

CortexMExceptionTable load_exception_table(const std::string& path, const std::string& core,
                                           const std::string& fallback) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}: {}", path, e.description()));
  }
  auto fail = [&](const std::string& key, const std::string& what) {
    table_error(path, key, what);
  };
  if (root["schema_version"].value<std::int64_t>() != 1) fail("schema_version", "must be 1");
  std::string key = core;
  if (!root[key].as_table()) key = fallback;
  const toml::table* t = root[key].as_table();
  if (!t)
    throw InputError(
        fmt::format("{}: no exception table for core '{}'{} (tables: {})", path, core,
                    fallback.empty() || fallback == core ? "" : " or '" + fallback + "'", [&] {
                      std::string names;
                      for (auto&& [k, v] : root)
                        if (v.is_table())
                          names += (names.empty() ? "" : ", ") + std::string(k.str());
                      return names;
                    }()));
  const std::set<std::string> allowed = {"architecture",  "fpu",           "entry",
                                         "exit",          "tail_chain",    "fp_entry_extra",
                                         "fp_exit_extra", "priority_bits", "external_interrupts"};
  for (auto&& [k, v] : *t) {
    (void)v;
    if (!allowed.count(std::string(k.str()))) fail(key + "." + std::string(k.str()), "unknown key");
  }
  auto number = [&](const std::string& name, const char* field, std::int64_t lo, std::int64_t hi) {
    const toml::table* sub = (*t)[name].as_table();
    if (!sub) table_error(path, key + "." + name, "missing table");
    for (auto&& [k, v] : *sub) {
      (void)v;
      if (k.str() != field && k.str() != "source")
        fail(key + "." + name + "." + std::string(k.str()), "unknown key");
    }
    if (!(*sub)["source"].value<std::string>())
      fail(key + "." + name + ".source", "missing source");
    auto n = (*sub)[field].value<std::int64_t>();
    if (!n) table_error(path, key + "." + name + "." + field, "missing or not an integer");
    if (*n < lo || *n > hi)
      fail(key + "." + name + "." + field, fmt::format("{} is out of range [{}, {}]", *n, lo, hi));
    return *n;
  };
  CortexMExceptionTable out;
  out.key = key;
  auto arch = (*t)["architecture"].value<std::string>();
  if (!arch) table_error(path, key + ".architecture", "missing or not a string");
  auto profile = arm_profile_from_name(*arch);
  if (!profile)
    table_error(path, key + ".architecture",
                fmt::format("unknown '{}' (armv6-m, armv7-m, armv7e-m, armv8-m.main)", *arch));
  out.config.profile = *profile;
  auto fpu = (*t)["fpu"].value<bool>();
  if (!fpu) table_error(path, key + ".fpu", "missing or not a boolean");
  out.config.has_fpu = *fpu;
  out.costs.entry = static_cast<Cycles>(number("entry", "cycles", 0, 1000));
  out.costs.exit = static_cast<Cycles>(number("exit", "cycles", 0, 1000));
  out.costs.tail_chain = static_cast<Cycles>(number("tail_chain", "cycles", 0, 1000));
  out.costs.fp_entry_extra = static_cast<Cycles>(number("fp_entry_extra", "cycles", 0, 1000));
  out.costs.fp_exit_extra = static_cast<Cycles>(number("fp_exit_extra", "cycles", 0, 1000));
  out.config.priority_bits = static_cast<unsigned>(number("priority_bits", "value", 2, 8));
  out.config.external_irqs = static_cast<unsigned>(
      number("external_interrupts", "value", 0, *profile == ArmProfile::v6m ? 32 : 496));
  return out;
}

CortexMSystem::CortexMSystem(const CortexMConfig& config) : config_(config) {
  const unsigned max_irqs = is_v6m() ? 32u : 496u;
  config_.external_irqs = std::min(config_.external_irqs, max_irqs);
  config_.priority_bits = std::clamp(config_.priority_bits, 2u, 8u);
  prio_.assign(static_cast<std::size_t>(num_exceptions()), 0);
  vtor_ = config_.vtor_reset;
  // CCR.STKALIGN: RAO on v6-M and v8-M; Cortex-M4 resets it to 1 (Armv7-M ARM B3.2.8 "CCR":
  // reset value IMPLEMENTATION DEFINED; 0x00000200 on r0p1 and later, Cortex-M4 TRM 4.3.1).
  ccr_ = kCcrStkalign;
}

bool CortexMSystem::owns(Addr a) const {
  if (a >= kIctr && a < kIctr + 8) return true;             // ICTR, ACTLR
  if (a >= kSystCsr && a < kSystCsr + 16) return true;      // SysTick
  if (a >= kNvicIser && a < kNvicIpr + 0x200) return true;  // NVIC ISER..IPR
  if (a >= kCpuid && a < kShcsr + 4) return true;           // CPUID..SHCSR
  if (a == kCpacr) return true;
  if (a == kStir) return !is_v6m();
  if (a >= kFpccr && a < kFpdscr + 4) return config_.has_fpu;
  return false;
}

std::uint8_t CortexMSystem::priority_mask() const {
  return static_cast<std::uint8_t>(0xFFu << (8 - config_.priority_bits));
}

bool CortexMSystem::stack_align8() const {
  return config_.profile != ArmProfile::v7m || (ccr_ & kCcrStkalign) != 0;
}

void CortexMSystem::set_lazy_fp_pending(Addr fpcar) {
  fpccr_ |= kFpccrLspact;
  fpcar_ = fpcar & ~7u;  // FPCAR[31:3] (Armv7-M ARM B3.2.21 "FPCAR")
}

// ---- priorities (Armv7-M ARM B1.5.4 "Exception priorities and preemption") --------------------

int CortexMSystem::priority(int exc) const {
  switch (exc) {
    case kExcReset:
      return -3;
    case kExcNmi:
      return -2;
    case kExcHardFault:
      return -1;
    default:
      return exc > 0 && exc < num_exceptions() ? prio_[static_cast<std::size_t>(exc)] : 256;
  }
}

int CortexMSystem::group_priority(int prio) const {
  if (prio < 0 || is_v6m()) return prio;  // v6-M has no PRIGROUP: no subpriority
  // subgroupshift = PRIGROUP; groupvalue = 2 << subgroupshift; group = prio - prio MOD groupvalue
  const int groupvalue = 2 << aircr_prigroup_;
  return prio - prio % groupvalue;
}

int CortexMSystem::execution_priority_ignoring_primask(const PriorityMasks& m) const {
  int highest = 256;
  for (int exc : active_stack_) highest = std::min(highest, group_priority(priority(exc)));
  int boosted = 256;
  if (!is_v6m()) {
    const std::uint8_t basepri = m.basepri & priority_mask();
    if (basepri != 0) boosted = group_priority(basepri);
    if (m.faultmask) boosted = -1;
  }
  return std::min(boosted, highest);
}

int CortexMSystem::execution_priority(const PriorityMasks& m) const {
  int p = execution_priority_ignoring_primask(m);
  if (m.primask) p = std::min(p, 0);
  return p;
}

bool CortexMSystem::enabled(int exc) const {
  if (exc >= kExcIrq0) return irq_enabled_[static_cast<std::size_t>(exc)];
  return exc == kExcNmi || exc == kExcHardFault || exc == kExcSvCall || exc == kExcPendSv ||
         exc == kExcSysTick || exc == kExcDebugMonitor ||
         (exc >= kExcMemManage && exc <= kExcUsageFault && (shcsr_ & (1u << (12 + exc))));
}

int CortexMSystem::highest_pending() const {
  int best = 0, best_prio = 1 << 16;
  if (pending_.none()) return 0;
  for (int exc = 1; exc < num_exceptions(); ++exc) {
    if (!pending_[static_cast<std::size_t>(exc)] || !enabled(exc)) continue;
    const int p = priority(exc);
    if (p < best_prio) best = exc, best_prio = p;  // ties: the lower number was seen first
  }
  return best;
}

int CortexMSystem::exception_to_take(const PriorityMasks& m) const {
  const int exc = highest_pending();
  if (exc == 0) return 0;
  return group_priority(priority(exc)) < execution_priority(m) ? exc : 0;
}

std::optional<Cycles> CortexMSystem::wake_cycle(Cycles now, const PriorityMasks& m) const {
  now = std::max(now, synced_);
  const int ep = execution_priority_ignoring_primask(m);
  const int exc = highest_pending();
  if (exc != 0 && group_priority(priority(exc)) < ep) return now;
  if ((csr_ & kCsrEnable) && (csr_ & kCsrTickint) && !pending_[kExcSysTick] &&
      group_priority(priority(kExcSysTick)) < ep) {
    const Cycles wrap = systick_next_wrap(now);
    if (wrap != kNever) return wrap;
  }
  return std::nullopt;
}

Cycles CortexMSystem::next_event(Cycles now) const {
  now = std::max(now, synced_);
  const int exc = highest_pending();
  if (exc != 0 && group_priority(priority(exc)) < execution_priority_ignoring_primask({}))
    return now;
  if ((csr_ & kCsrEnable) && (csr_ & kCsrTickint) && !pending_[kExcSysTick])
    return systick_next_wrap(now);
  return kNever;
}

void CortexMSystem::activate(int exc) {
  pending_[static_cast<std::size_t>(exc)] = false;
  active_stack_.push_back(exc);
}

bool CortexMSystem::deactivate(int exc) {
  if (active_stack_.empty() || active_stack_.back() != exc) return false;
  active_stack_.pop_back();
  return true;
}

void CortexMSystem::set_pending(int exc) {
  if (exc > 0 && exc < num_exceptions()) pending_[static_cast<std::size_t>(exc)] = true;
}

// ---- SysTick (Armv7-M ARM B3.3 "The system timer, SysTick") -------------------------------
// The counter decrements once per core cycle (CLKSOURCE = processor clock; no reference clock
// is modelled). The value is anchored: V at cycle A. From there it counts down; on reaching 0
// it reloads RVR on the next cycle ("the counter reloads the value from SYST_RVR on the next
// clock edge, then decrements on subsequent clocks"), so one period is RVR + 1 cycles. Each
// 1 -> 0 transition ("wrap") sets COUNTFLAG and, with TICKINT, pends SysTick. A count that
// starts at 0 (after a write to CVR) reloads on the next cycle without a wrap. RVR = 0 stops
// the counter at 0 after the next wrap.

// Cycle at which the anchored count is 0 (A + V; A itself when V = 0).
static Cycles zero_cycle(Cycles anchor, std::uint32_t value) {
  return anchor + value;
}

std::uint32_t CortexMSystem::systick_value(Cycles now) const {
  if (!(csr_ & kCsrEnable) || now <= anchor_cycle_) return anchor_value_;
  const Cycles t0 = zero_cycle(anchor_cycle_, anchor_value_);
  if (now <= t0) return static_cast<std::uint32_t>(t0 - now);
  if (rvr_ == 0) return 0;
  const Cycles k = now - t0 - 1;  // cycles since the reload
  return rvr_ - static_cast<std::uint32_t>(k % (Cycles{rvr_} + 1));
}

Cycles CortexMSystem::systick_next_wrap(Cycles after) const {
  if (!(csr_ & kCsrEnable)) return kNever;
  const Cycles t0 = zero_cycle(anchor_cycle_, anchor_value_);
  if (anchor_value_ > 0 && after < t0) return t0;  // the first wrap counts down from V
  if (rvr_ == 0) return kNever;
  const Cycles period = Cycles{rvr_} + 1;
  if (after < t0) return t0 + period;
  return t0 + ((after - t0) / period + 1) * period;
}

void CortexMSystem::sync(Cycles now) {
  if (now <= synced_) return;
  if (csr_ & kCsrEnable) {
    // Wraps at or before x: the first one (A + V when V > 0), then one per period after t0.
    const Cycles t0 = zero_cycle(anchor_cycle_, anchor_value_);
    auto wraps_upto = [&](Cycles x) -> Cycles {
      Cycles n = (anchor_value_ > 0 && x >= t0) ? 1 : 0;
      if (rvr_ > 0 && x >= t0) n += (x - t0) / (Cycles{rvr_} + 1);
      return n;
    };
    if (wraps_upto(now) > wraps_upto(std::max(synced_, anchor_cycle_))) {
      csr_ |= kCsrCountflag;
      if (csr_ & kCsrTickint) pending_[kExcSysTick] = true;
    }
  }
  synced_ = now;
}

void CortexMSystem::systick_reanchor(Cycles now) {
  anchor_value_ = systick_value(now);
  anchor_cycle_ = now;
}

// ---- NVIC banks (B3.4.3): word n covers IRQ 32n .. 32n + 31 ------------------------------------

std::uint32_t CortexMSystem::bank_word(const std::bitset<kMaxExceptions>& bits, Addr offset) const {
  std::uint32_t w = 0;
  const unsigned first = (offset / 4) * 32;
  for (unsigned i = 0; i < 32; ++i) {
    const unsigned irq = first + i;
    if (irq < config_.external_irqs && bits[kExcIrq0 + irq]) w |= 1u << i;
  }
  return w;
}

void CortexMSystem::bank_write(std::bitset<kMaxExceptions>& bits, Addr offset, std::uint32_t value,
                               bool set) {
  const unsigned first = (offset / 4) * 32;
  for (unsigned i = 0; i < 32; ++i) {
    const unsigned irq = first + i;
    if (irq < config_.external_irqs && (value >> i & 1)) bits[kExcIrq0 + irq] = set;
  }
}

// ---- register access ----------------------------------------------------------------------------

std::uint32_t CortexMSystem::icsr() const {
  // B3.2.4 "Interrupt Control and State Register, ICSR".
  std::uint32_t v = static_cast<std::uint32_t>(active_exception()) & 0x1FF;  // VECTACTIVE
  if (!is_v6m() && active_stack_.size() == 1) v |= kIcsrRettobase;
  v |= (static_cast<std::uint32_t>(highest_pending()) & 0x1FF) << 12;  // VECTPENDING
  for (unsigned irq = 0; irq < config_.external_irqs; ++irq)
    if (pending_[kExcIrq0 + irq]) {
      v |= kIcsrIsrpending;
      break;
    }
  if (pending_[kExcSysTick]) v |= kIcsrPendstset;
  if (pending_[kExcPendSv]) v |= kIcsrPendsvset;
  if (pending_[kExcNmi]) v |= kIcsrNmipendset;
  return v;
}

std::uint32_t CortexMSystem::read(Addr a, Cycles now) {
  now = std::max(now, synced_);
  a &= ~3u;
  sync(now);
  if (a >= kNvicIser && a < kNvicIser + 0x40) return bank_word(irq_enabled_, a - kNvicIser);
  if (a >= kNvicIcer && a < kNvicIcer + 0x40) return bank_word(irq_enabled_, a - kNvicIcer);
  if (a >= kNvicIspr && a < kNvicIspr + 0x40) return bank_word(pending_, a - kNvicIspr);
  if (a >= kNvicIcpr && a < kNvicIcpr + 0x40) return bank_word(pending_, a - kNvicIcpr);
  if (a >= kNvicIabr && a < kNvicIabr + 0x40) {
    std::bitset<kMaxExceptions> act;
    for (int exc : active_stack_) act[static_cast<std::size_t>(exc)] = true;
    return bank_word(act, a - kNvicIabr);
  }
  if (a >= kNvicIpr && a < kNvicIpr + 0x200) {
    std::uint32_t w = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned irq = a - kNvicIpr + i;
      if (irq < config_.external_irqs) w |= std::uint32_t{prio_[kExcIrq0 + irq]} << (8 * i);
    }
    return w;
  }
  if (a >= kShpr1 && a <= kShpr3) {
    std::uint32_t w = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned exc = 4 + (a - kShpr1) + i;
      w |= std::uint32_t{prio_[exc]} << (8 * i);
    }
    return w;
  }
  switch (a) {
    case kIctr:
      return is_v6m() ? 0 : (config_.external_irqs + 31) / 32 - 1;  // INTLINESNUM
    case kActlr:
      return actlr_;
    case kSystCsr: {
      // B3.3.3 "SysTick Control and Status Register": COUNTFLAG clears on read.
      const std::uint32_t v = csr_;
      csr_ &= ~kCsrCountflag;
      return v;
    }
    case kSystRvr:
      return rvr_;
    case kSystCvr:
      return systick_value(now);
    // B3.3.6 "SysTick Calibration value Register": NOREF (no reference clock) and SKEW (TENMS
    // not known) set, TENMS = 0.
    case kSystCalib:
      return 0xC0000000u;
    case kCpuid:
      return config_.cpuid;
    case kIcsr:
      return icsr();
    case kVtor:
      return vtor_;
    case kAircr:
      return 0xFA050000u | (aircr_prigroup_ << 8);  // VECTKEYSTAT, little endian
    case kScr:
      return scr_;
    case kCcr:
      return ccr_;
    case kShcsr:
      return shcsr_;
    case kCpacr:
      return cpacr_;
    case kFpccr:
      return fpccr_;
    case kFpcar:
      return fpcar_;
    case kFpdscr:
      return fpdscr_;
    default:
      return 0;
  }
}

void CortexMSystem::write(Addr addr, unsigned size, std::uint32_t value, Cycles now) {
  now = std::max(now, synced_);
  sync(now);
  const Addr a = addr & ~3u;
  const unsigned shift = 8 * (addr & 3u);
  // Byte-addressable priority registers: one field per byte (B3.4.8 "NVIC_IPRn", B3.2.10-12
  // "SHPR1-3"). v6-M allows word accesses only; a narrower write is taken as written.
  auto write_prio_bytes = [&](std::size_t first_exc, bool (*writable)(std::size_t)) {
    for (unsigned i = 0; i < size && (addr & 3u) + i < 4; ++i) {
      const std::size_t exc = first_exc + (addr & 3u) + i;
      if (exc < prio_.size() && writable(exc))
        prio_[exc] = static_cast<std::uint8_t>(value >> (8 * i)) & priority_mask();
    }
  };
  if (a >= kNvicIser && a < kNvicIser + 0x40)
    return bank_write(irq_enabled_, a - kNvicIser, value << shift, true);
  if (a >= kNvicIcer && a < kNvicIcer + 0x40)
    return bank_write(irq_enabled_, a - kNvicIcer, value << shift, false);
  if (a >= kNvicIspr && a < kNvicIspr + 0x40)
    return bank_write(pending_, a - kNvicIspr, value << shift, true);
  if (a >= kNvicIcpr && a < kNvicIcpr + 0x40)
    return bank_write(pending_, a - kNvicIcpr, value << shift, false);
  if (a >= kNvicIpr && a < kNvicIpr + 0x200) {
    const std::size_t first = kExcIrq0 + (a - kNvicIpr);
    const std::size_t limit = kExcIrq0 + config_.external_irqs;
    for (unsigned i = 0; i < size && (addr & 3u) + i < 4; ++i) {
      const std::size_t exc = first + (addr & 3u) + i;
      if (exc < limit) prio_[exc] = static_cast<std::uint8_t>(value >> (8 * i)) & priority_mask();
    }
    return;
  }
  if (a >= kShpr1 && a <= kShpr3) {
    // Configurable system handlers: MemManage, BusFault, UsageFault (v7-M), SVCall, DebugMonitor
    // (v7-M), PendSV, SysTick; the reserved bytes are RAZ/WI.
    if (is_v6m())
      write_prio_bytes(4 + (a - kShpr1),
                       [](std::size_t e) { return e == 11 || e == 14 || e == 15; });
    else
      write_prio_bytes(4 + (a - kShpr1), [](std::size_t e) {
        return (e >= 4 && e <= 6) || e == 11 || e == 12 || e == 14 || e == 15;
      });
    return;
  }
  const std::uint32_t v = value << shift;
  switch (a) {
    case kActlr:
      actlr_ = v;
      return;
    case kSystCsr: {
      const bool was = csr_ & kCsrEnable, on = v & kCsrEnable;
      if (was && !on) systick_reanchor(now);  // freeze the count
      if (!was && on) anchor_cycle_ = now;    // count from the current value
      csr_ = (csr_ & kCsrCountflag) | (v & (kCsrEnable | kCsrTickint)) | kCsrClksource;
      return;
    }
    case kSystRvr:
      // The new reload value is used at the next reload (B3.3.4 "SysTick Reload Value Register").
      systick_reanchor(now);
      rvr_ = v & 0x00FFFFFFu;
      return;
    case kSystCvr:
      // "A write of any value clears the field to 0, and also clears the COUNTFLAG bit to 0"
      // (B3.3.5 "SysTick Current Value Register").
      anchor_cycle_ = now;
      anchor_value_ = 0;
      csr_ &= ~kCsrCountflag;
      return;
    case kIcsr:
      if (v & kIcsrNmipendset) pending_[kExcNmi] = true;
      if (v & kIcsrPendsvset)
        pending_[kExcPendSv] = true;
      else if (v & kIcsrPendsvclr)
        pending_[kExcPendSv] = false;
      if (v & kIcsrPendstset)
        pending_[kExcSysTick] = true;
      else if (v & kIcsrPendstclr)
        pending_[kExcSysTick] = false;
      return;
    case kVtor:
      vtor_ = v & 0xFFFFFF80u;
      return;  // TBLOFF (B3.2.5 "VTOR")
    case kAircr:
      // B3.2.6 "AIRCR": writes without VECTKEY = 0x05FA are ignored.
      if ((v >> 16) != 0x05FA) return;
      if (!is_v6m()) aircr_prigroup_ = (v >> 8) & 7;
      if (v & (1u << 2)) reset_requested_ = true;  // SYSRESETREQ
      return;
    case kScr:
      scr_ = v & 0x16u;
      return;  // SLEEPONEXIT, SLEEPDEEP, SEVONPEND
    case kCcr:
      if (config_.profile == ArmProfile::v7m) ccr_ = v & 0x0000031Bu;
      return;
    case kShcsr:
      shcsr_ = v;
      return;
    case kCpacr:
      cpacr_ = v;
      return;
    case kStir:  // B3.4.9 "STIR": INTID pends that interrupt
      if ((v & 0x1FF) < config_.external_irqs) pending_[kExcIrq0 + (v & 0x1FF)] = true;
      return;
    case kFpccr:
      fpccr_ = (fpccr_ & ~0xC0000000u) | (v & 0xC0000000u);
      return;  // ASPEN, LSPEN
    case kFpcar:
      fpcar_ = v & ~7u;
      return;
    case kFpdscr:
      fpdscr_ = v & 0x07C00000u;
      return;
    default:
      return;
  }
}

}  // namespace mcusim
