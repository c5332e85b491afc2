// Cortex-M system model: SysTick, NVIC, SCB and exception priority resolution, as firmware sees
// them through the System Control Space (SCS). Pure C++ (no Unicorn): the engine routes SCS
// accesses here with the modelled cycle of the accessing instruction, passes in the mask
// registers the core holds (PRIMASK, FAULTMASK, BASEPRI), and asks two questions: "when is the
// next event" (the next SysTick wrap, to fast-forward WFI and to know when to look again) and
// "which exception is taken now". Stacking, EXC_RETURN and the cycle costs are the engine's.
//
// Register behaviour follows the Armv7-M Architecture Reference Manual (DDI 0403E) and the
// Armv6-M Architecture Reference Manual (DDI 0419E); section names are cited at each register.
// Architectural references used throughout:
//  * B1.5.4 "Exception priorities and preemption" (priority, group priority, PRIGROUP,
//    execution priority, PRIMASK/FAULTMASK/BASEPRI boosting);
//  * B3.2 "System Control Space (SCS)" (SCB registers), B3.3 "The system timer, SysTick",
//    B3.4 "Nested Vectored Interrupt Controller, NVIC";
//  * B1.5.19 "Wait For Interrupt" (WFI wake-up ignores PRIMASK).
#pragma once
#include <bitset>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim {

/// Exception numbers (Armv7-M ARM B1.5.2 "Exception number definition").
enum ExceptionNumber : int {
  kExcNone = 0,
  kExcReset = 1,
  kExcNmi = 2,
  kExcHardFault = 3,
  kExcMemManage = 4,
  kExcBusFault = 5,
  kExcUsageFault = 6,
  kExcSvCall = 11,
  kExcDebugMonitor = 12,
  kExcPendSv = 14,
  kExcSysTick = 15,
  kExcIrq0 = 16,  ///< external interrupt n is exception 16 + n
};

/// Architecture profile: decides which registers exist (BASEPRI, STIR, PRIGROUP are v7-M/v8-M
/// Mainline only) and whether frames are always 8-byte aligned (v6-M, v8-M).
enum class ArmProfile { v6m, v7m, v8m_main };

/// Parameters of one core's system model (from core-models/data/exceptions.toml).
struct CortexMConfig {
  ArmProfile profile = ArmProfile::v7m;
  /// External interrupt lines of the NVIC (IRQ0 .. IRQn-1); at most 32 on v6-M, 496 on v7-M.
  unsigned external_irqs = 240;
  /// Implemented bits of each 8-bit priority field (the high bits; the low bits read as zero).
  /// v6-M: 2 (B3.4 "NVIC", Armv6-M ARM); v7-M: 3 to 8, implementation defined.
  unsigned priority_bits = 4;
  Addr vtor_reset = 0;      ///< VTOR at reset (the board's vector table address)
  std::uint32_t cpuid = 0;  ///< value of CPUID (0xE000ED00)
  bool has_fpu = false;     ///< FPCCR/FPCAR/FPDSCR exist; extended frames are possible
};

/// Mask registers of the core (held by the functional emulator; the engine passes them in).
struct PriorityMasks {
  bool primask = false;      ///< PRIMASK.PM: execution priority 0
  bool faultmask = false;    ///< FAULTMASK.FM: execution priority -1 (v7-M)
  std::uint8_t basepri = 0;  ///< BASEPRI (v7-M); 0 = no boosting
};

/// The SysTick, NVIC and SCB of one Cortex-M core. Deterministic: every answer is a function of
/// the register writes and the modelled cycles passed in.
class CortexMSystem {
 public:
  /// Cycles value meaning "never".
  static constexpr Cycles kNever = std::numeric_limits<Cycles>::max();

  explicit CortexMSystem(const CortexMConfig& config);

  /// True when `addr` is a register this model implements (SysTick, NVIC, SCB, FP control);
  /// the engine keeps the others (DWT, DEMCR, ITM...).
  bool owns(Addr addr) const;
  /// Reads the 32-bit register containing `addr` (byte/halfword reads are extracted by the
  /// caller), as seen at cycle `now` (SysTick CVR counts down with the cycles).
  std::uint32_t read(Addr addr, Cycles now);
  /// Writes `size` bytes (1, 2 or 4) of `value` at `addr` at cycle `now`. Byte writes are
  /// meaningful for IPR/SHPR (one priority per byte); other registers take the value as written.
  void write(Addr addr, unsigned size, std::uint32_t value, Cycles now);

  /// Advances SysTick to cycle `now`: every wrap (1 -> 0) up to `now` sets COUNTFLAG and, with
  /// TICKINT, pends SysTick. Cycles earlier than the last sync are ignored (monotonic time).
  void sync(Cycles now);

  /// The first cycle at or after `now` at which the engine must look again:
  ///  * `now` when a pending, enabled exception has a higher group priority than every active
  ///    exception: it is taken now, or it waits only for PRIMASK/FAULTMASK/BASEPRI, which the
  ///    firmware changes without the model seeing it, so the engine looks at every block;
  ///  * otherwise the next SysTick wrap that pends SysTick (ENABLE and TICKINT set, SysTick not
  ///    already pending); kNever when nothing can happen. A pending exception held back by an
  ///    active handler's priority can only be let in by an exception return or an SCS write,
  ///    after which the engine asks again.
  Cycles next_event(Cycles now) const;

  /// The exception taken now: the pending, enabled exception with the highest priority (lowest
  /// value; ties to the lowest number) whose group priority is higher than the execution
  /// priority (B1.5.4). 0 when none.
  int exception_to_take(const PriorityMasks& masks) const;

  /// WFI (B1.5.19): the cycle at which the core wakes, at or after `now`: `now` when an
  /// exception that would preempt with PRIMASK ignored is already pending, else the next
  /// SysTick wrap that would pend such an exception; nullopt when nothing can wake the core.
  std::optional<Cycles> wake_cycle(Cycles now, const PriorityMasks& masks) const;

  /// Exception entry: `exc` stops pending and becomes active (the handler now runs).
  void activate(int exc);
  /// Exception return from the running handler. Returns false (and changes nothing) when that
  /// exception is not active (an INVPC UsageFault on silicon).
  bool deactivate(int exc);
  /// Sets an exception pending (SVC, or a test that pends an interrupt line).
  void set_pending(int exc);

  /// Execution priority (B1.5.4): -1 with FAULTMASK, 0 with PRIMASK, the group priority of
  /// BASEPRI, of the active exceptions, or 256 (thread mode, no boost) when nothing applies.
  int execution_priority(const PriorityMasks& masks) const;
  /// Execution priority with PRIMASK ignored (what WFI wake-up compares against).
  int execution_priority_ignoring_primask(const PriorityMasks& masks) const;
  /// Priority of exception `exc` (fixed -3/-2/-1 for Reset/NMI/HardFault, else the 8-bit field
  /// with only the implemented bits).
  int priority(int exc) const;
  /// Group priority of a priority value under AIRCR.PRIGROUP (B1.5.4).
  int group_priority(int prio) const;

  /// The exception whose handler runs (ICSR.VECTACTIVE), 0 in thread mode.
  int active_exception() const { return active_stack_.empty() ? 0 : active_stack_.back(); }
  /// Number of nested active exceptions.
  std::size_t nesting() const { return active_stack_.size(); }
  Addr vtor() const { return vtor_; }
  /// CCR.STKALIGN: 8-byte stack frame alignment on entry (always on v6-M and v8-M).
  bool stack_align8() const;
  /// FPCCR.LSPEN: lazy FP state preservation enabled.
  bool fp_lazy() const { return (fpccr_ & kFpccrLspen) != 0; }
  /// Lazy FP state preservation: entry with a reserved but unsaved FP frame at `fpcar`
  /// (FPCCR.LSPACT = 1, FPCAR = its S0 slot); and the preservation done or abandoned.
  void set_lazy_fp_pending(Addr fpcar);
  void clear_lazy_fp_pending() { fpccr_ &= ~kFpccrLspact; }
  bool lazy_fp_pending() const { return (fpccr_ & kFpccrLspact) != 0; }
  /// AIRCR.SYSRESETREQ was written with the key: the firmware asked for a system reset.
  bool reset_requested() const { return reset_requested_; }
  const CortexMConfig& config() const { return config_; }

  // Register addresses (Armv7-M ARM B3.2.2 "System control and ID registers", B3.3.2
  // "System timer register support in the SCS", B3.4.3 "NVIC register support in the SCS").
  static constexpr Addr kIctr = 0xE000E004;
  static constexpr Addr kActlr = 0xE000E008;
  static constexpr Addr kSystCsr = 0xE000E010, kSystRvr = 0xE000E014, kSystCvr = 0xE000E018,
                        kSystCalib = 0xE000E01C;
  static constexpr Addr kNvicIser = 0xE000E100, kNvicIcer = 0xE000E180, kNvicIspr = 0xE000E200,
                        kNvicIcpr = 0xE000E280, kNvicIabr = 0xE000E300, kNvicIpr = 0xE000E400;
  static constexpr Addr kCpuid = 0xE000ED00, kIcsr = 0xE000ED04, kVtor = 0xE000ED08,
                        kAircr = 0xE000ED0C, kScr = 0xE000ED10, kCcr = 0xE000ED14,
                        kShpr1 = 0xE000ED18, kShpr2 = 0xE000ED1C, kShpr3 = 0xE000ED20,
                        kShcsr = 0xE000ED24, kCpacr = 0xE000ED88;
  static constexpr Addr kStir = 0xE000EF00, kFpccr = 0xE000EF34, kFpcar = 0xE000EF38,
                        kFpdscr = 0xE000EF3C;

  // Bits (same sections).
  static constexpr std::uint32_t kCsrEnable = 1u << 0, kCsrTickint = 1u << 1,
                                 kCsrClksource = 1u << 2, kCsrCountflag = 1u << 16;
  static constexpr std::uint32_t kIcsrPendstclr = 1u << 25, kIcsrPendstset = 1u << 26,
                                 kIcsrPendsvclr = 1u << 27, kIcsrPendsvset = 1u << 28,
                                 kIcsrNmipendset = 1u << 31, kIcsrIsrpending = 1u << 22,
                                 kIcsrRettobase = 1u << 11;
  static constexpr std::uint32_t kFpccrAspen = 1u << 31, kFpccrLspen = 1u << 30,
                                 kFpccrLspact = 1u << 0;
  static constexpr std::uint32_t kCcrStkalign = 1u << 9;

 private:
  static constexpr int kMaxExceptions = 16 + 496;

  bool is_v6m() const { return config_.profile == ArmProfile::v6m; }
  int num_exceptions() const { return 16 + static_cast<int>(config_.external_irqs); }
  std::uint8_t priority_mask() const;
  bool enabled(int exc) const;
  /// Highest-priority pending and enabled exception, 0 if none.
  int highest_pending() const;
  /// SysTick: current value at `now` and the cycle of the next 1 -> 0 transition after `now`.
  std::uint32_t systick_value(Cycles now) const;
  Cycles systick_next_wrap(Cycles after) const;
  /// Re-anchors the counter at (`now`, its value at `now`) before a register change.
  void systick_reanchor(Cycles now);
  std::uint32_t icsr() const;
  std::uint32_t bank_word(const std::bitset<kMaxExceptions>& bits, Addr offset) const;
  void bank_write(std::bitset<kMaxExceptions>& bits, Addr offset, std::uint32_t value, bool set);

  CortexMConfig config_;
  std::bitset<kMaxExceptions> pending_, irq_enabled_;
  std::vector<std::uint8_t>
      prio_;                       ///< per exception number: its priority field (configurable ones)
  std::vector<int> active_stack_;  ///< active exceptions, innermost last

  // SysTick (B3.3): counting state anchored at (anchor_cycle_, anchor_value_).
  std::uint32_t csr_ = kCsrClksource;  // no reference clock: CLKSOURCE reads as 1
  std::uint32_t rvr_ = 0;
  Cycles anchor_cycle_ = 0;
  std::uint32_t anchor_value_ = 0;
  Cycles synced_ = 0;  ///< wraps up to this cycle have been accounted for

  Addr vtor_ = 0;
  std::uint32_t aircr_prigroup_ = 0;
  std::uint32_t scr_ = 0, ccr_ = 0, shcsr_ = 0, cpacr_ = 0, actlr_ = 0;
  std::uint32_t fpccr_ = kFpccrAspen | kFpccrLspen, fpcar_ = 0, fpdscr_ = 0;
  bool reset_requested_ = false;
};

/// Exception entry/return costs of one core, in core cycles at zero wait states
/// (core-models/data/exceptions.toml, every value with its source).
struct ExceptionCosts {
  Cycles entry = 0;           ///< recognition -> first handler instruction (basic frame)
  Cycles exit = 0;            ///< after the returning instruction -> first interrupted instruction
  Cycles tail_chain = 0;      ///< handler return -> next handler, frame kept
  Cycles fp_entry_extra = 0;  ///< pushing S0-S15, FPSCR (extended frame with the state saved)
  Cycles fp_exit_extra = 0;   ///< popping them
};

/// One core's entry of exceptions.toml: system-model parameters and costs.
struct CortexMExceptionTable {
  std::string key;  ///< the table used ("cortex-m4")
  CortexMConfig config;
  ExceptionCosts costs;
};

/// Loads the table of core `core` from `path` (exceptions.toml), or of `fallback` when `core`
/// has none. Throws InputError naming the file and key for a missing core, key or bad value.
CortexMExceptionTable load_exception_table(const std::string& path, const std::string& core,
                                           const std::string& fallback);

/// Profile from an architecture name ("armv6-m", "armv7-m", "armv7e-m", "armv8-m.main");
/// nullopt for an unknown name.
std::optional<ArmProfile> arm_profile_from_name(const std::string& name);

}  // namespace mcusim
