// The Unicorn adapter: the only file of mcusim that includes <unicorn/unicorn.h>. It installs its
// hooks once, before the first uc_emu_start, and hands block, memory and semihosting events to the
// core, memory and power models, which never call Unicorn (style-anchors principle 1).
//
// Timing semantics (docs/timing.md):
//  * A basic block is decoded once, at first sight, by the core model; its static cycles (0 WS,
//    branches not taken, divides at minimum latency, intra-block load pipelining and AGU stalls)
//    are charged when the block is entered.
//  * Dynamic parts are added at run time: the taken-branch refill of the previous block when the
//    flow did not fall through, instruction-fetch stalls from the flash model, data wait states
//    from memory hooks, and divider (and Cortex-M3 long-multiply) latency beyond the minimum
//    (code hooks bound to each such instruction).
#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>

#include "board_devices.h"
#include "cortex_m_system.h"
#include "mcusim/energy_report.h"
#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"
#include "mcusim/devices/soc.h"
#include "mcusim/semihosting.h"
#include "mcusim/simulation.h"
#include "mcusim/profile.h"
#include "mcusim/unicorn_store_fix.h"

namespace mcusim {
namespace {

// Addresses from the ARMv7-M Architecture Reference Manual (DDI 0403), B3.2 "System Control
// Space" (CPUID 0xE000ED00, CPACR 0xE000ED88, DEMCR 0xE000EDFC) and C1.8 "Data Watchpoint and
// Trace unit" (DWT_CTRL 0xE0001000, DWT_CYCCNT 0xE0001004).
constexpr Addr kScsBase = 0xE0000000;  // Private Peripheral Bus: ITM, DWT, FPB, SCS
constexpr std::uint32_t kScsSize = 0x00100000;
constexpr Addr kDwtCtrl = 0xE0001000, kDwtCyccnt = 0xE0001004;
constexpr Addr kCpuid = 0xE000ED00, kCpacr = 0xE000ED88, kDemcr = 0xE000EDFC;
// CPUID of a Cortex-M4 r0p1 (Arm Cortex-M4 TRM r0p1, 4.3.1 "CPUID Base Register": 0x410FC241).
constexpr std::uint32_t kCpuidCortexM4 = 0x410FC241;
constexpr int kArmExcpSwi = 2, kArmExcpBkpt = 7;  // QEMU target/arm EXCP_SWI, EXCP_BKPT
// Exception return (a branch to 0xFFxxxxxx in handler mode) reaches the interrupt hook as QEMU's
// EXCP_PREFETCH_ABORT (3) on M3/M4/M7 and EXCP_EXCEPTION_EXIT (8) on M33, and as an unmapped
// fetch on M0, with the PC = EXC_RETURN without bit 0 (unicorn-notes.md).
constexpr int kArmExcpPrefetchAbort = 3, kArmExcpExceptionExit = 8;
constexpr Addr kExcReturnMin = 0xFF000000;
constexpr std::uint16_t kWfiT1 = 0xBF30;        // WFI (16-bit)
constexpr std::uint32_t kWfiT2 = 0x8003F3AF;    // WFI.W (32-bit, halfwords F3AF 8003)
constexpr std::uint16_t kSemihostBkpt = 0xBEAB;   // BKPT #0xAB (Thumb)

// Which model times a block's instruction fetch.
enum class FetchPath : std::uint8_t {
  none,   // TCM or zero-wait-state RAM: no fetch stalls
  flash,  // embedded or XIP flash behind its accelerator (Flash::fetch_block)
  l1,     // the core's L1 I-cache (Cortex-M7), filled from the block's memory region
  ram,    // an [[sram]] region with wait states: each 32-bit fetch pays them (BlockInfo::ram_fetch_words)
};

struct Block {
  core::BlockInfo info;
  // Fetch units in program order: flash read units / I-side lines (FetchPath::flash) or L1
  // I-cache lines (FetchPath::l1), each with the static cycle offset of its first instruction.
  std::vector<mem::FetchUnit> fetch;
  FetchPath path = FetchPath::none;
  // FetchPath::ram: 32-bit fetches of the block, and more when it is left by a taken branch.
  std::uint32_t ram_fetch_words = 0, ram_fetch_words_fallthrough = 0, ram_fetch_words_taken_exit = 0;
  int region = -1;  // memory region of the code: -1 flash, else index into board.sram
  std::uint64_t exec_count = 0;
  bool self_loop = false;  // one branch to its own address (`b .`, `j .`): checked for no progress
  std::size_t function = SIZE_MAX;  // profiling: the block's function (Profiler), once per block
};

// A block that is one branch to itself: Thumb B (T2, 0xE7FE) or B.W (T4, 0xF7FF 0xBFFE); RISC-V
// JAL x0, 0 (0x0000006F) or C.J 0 (0xA001). Encodings: Armv7-M ARM A7.7.12, RISC-V ISA manual.
bool is_self_branch(const std::vector<std::uint8_t>& code) {
  auto half = [&](std::size_t i) { return static_cast<std::uint16_t>(code[i] | (code[i + 1] << 8)); };
  if (code.size() == 2) return half(0) == 0xE7FE || half(0) == 0xA001;
  if (code.size() == 4) return (half(0) == 0xF7FF && half(2) == 0xBFFE) || (half(0) == 0x006F && half(2) == 0x0000);
  return false;
}

// Unicorn CPU model for a timing table's `unicorn_cpu` name. Unicorn 2.0.1 has no M0+ (use the
// M0) and no pure RV32IMC model (the E31, RV32IMAC, runs RV32IMC code): unicorn-notes.md.
std::uint32_t unicorn_cpu_model(const std::string& cpu) {
  if (cpu == "cortex-m0plus" || cpu == "cortex-m0") return UC_CPU_ARM_CORTEX_M0;
  if (cpu == "cortex-m3") return UC_CPU_ARM_CORTEX_M3;
  if (cpu == "cortex-m4") return UC_CPU_ARM_CORTEX_M4;
  if (cpu == "cortex-m7") return UC_CPU_ARM_CORTEX_M7;
  if (cpu == "cortex-m33") return UC_CPU_ARM_CORTEX_M33;
  if (cpu == "sifive-e31") return UC_CPU_RISCV32_SIFIVE_E31;
  if (cpu == "rv32-base") return UC_CPU_RISCV32_BASE32;
  throw InputError(fmt::format("no Unicorn CPU model named '{}'", cpu));
}

// Register numbering of the functional emulator per instruction-set family.
struct ArchRegs {
  int pc, sp, arg0, arg1;
  std::vector<int> gpr;     // architectural register i -> Unicorn register id
  std::uint32_t page_bytes;  // Unicorn page size: 1 KiB on Arm, 4 KiB on RISC-V (unicorn-notes.md)
};

ArchRegs arch_regs(core::IsaFamily isa) {
  if (isa == core::IsaFamily::arm_m)
    return {UC_ARM_REG_PC, UC_ARM_REG_SP, UC_ARM_REG_R0, UC_ARM_REG_R1,
            {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
             UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
             UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC},
            1024};
  ArchRegs r{UC_RISCV_REG_PC, UC_RISCV_REG_X2, UC_RISCV_REG_X10, UC_RISCV_REG_X11, {}, 4096};
  for (int i = 0; i < 32; ++i) r.gpr.push_back(UC_RISCV_REG_X0 + i);
  return r;
}

// RISC-V semihosting sequence (RISC-V semihosting spec): slli x0,x0,0x1f; ebreak; srai x0,x0,7.
constexpr std::uint32_t kRvSlliX0 = 0x01f01013, kRvEbreak = 0x00100073, kRvSraiX0 = 0x40705013;
constexpr std::uint16_t kRvCEbreak = 0x9002;
constexpr int kRvExcpEcall = 8;  // Unicorn reports ECALL as interrupt 8 (unicorn-notes.md)

std::map<std::string, std::string> parse_label(const std::string& label) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < label.size()) {
    while (i < label.size() && label[i] == ' ') ++i;
    std::size_t j = label.find(' ', i);
    std::string tok = label.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (auto eq = tok.find('='); eq != std::string::npos && eq > 0)
      out[tok.substr(0, eq)] = tok.substr(eq + 1);
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

/// Most distinct region-of-interest ids one run may have, and most regions open at once
/// (docs/limits-and-errors.md); the run stops (exit 3) beyond them.
constexpr std::size_t kMaxRegions = 4096, kMaxOpenRegions = 256;
/// Bytes below the SP a stack store may write before the SP moves (VPUSH of 32 single registers).
constexpr std::uint32_t kStoreReach = 128;
/// Most console bytes kept per run (16 MiB); the rest is dropped and the result says so.
constexpr std::size_t kMaxConsoleBytes = 16u << 20;

// Owns a Unicorn engine: closed when the owner is destroyed, also when the Simulation constructor
// throws after uc_open (a member's destructor runs then; the owner's does not). Issue 11: a sweep
// over configurations that do not fit leaked ~1 MB per failed run.
struct UcHandle {
  uc_engine* engine = nullptr;
  UcHandle() = default;
  UcHandle(const UcHandle&) = delete;
  UcHandle& operator=(const UcHandle&) = delete;
  ~UcHandle() {
    if (engine) uc_close(engine);
  }
};

}  // namespace

// Waiting for host input (docs/peripherals.md): reads of an empty receiver's status, and
// repetitions of a self-looping block between two looks, before the firmware counts as waiting.
constexpr std::uint64_t kIdlePolls = 1000;
constexpr std::uint64_t kSpinCheck = 4096;

// A SoC peripheral on the device bus: the Soc owns the model, the bus gets this forwarder.
class SocBlock final : public mem::Device {
 public:
  explicit SocBlock(mem::Device& d) : d_(d) {}
  std::string_view name() const override { return d_.name(); }
  std::uint32_t read(Addr offset, unsigned size, Cycles now) override { return d_.read(offset, size, now); }
  void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) override {
    d_.write(offset, size, value, now);
  }
  Cycles next_event() const override { return d_.next_event(); }
  void advance(Cycles now) override { d_.advance(now); }

 private:
  mem::Device& d_;
};

struct Simulation::Impl final : GuestMemory, SemihostHost, mem::DeviceHost {
  BoardConfig board;
  std::string firmware;
  std::unique_ptr<core::CoreModel> core;
  power::EnergyTable energy;
  mem::Flash flash;
  std::unique_ptr<mem::L1Cache> l1i, l1d;  // core L1 caches, when the board has them enabled
  UcHandle uc_handle;      // owns `uc`; members declared below are destroyed before it closes
  uc_engine* uc = nullptr;  // = uc_handle.engine
  core::IsaFamily isa = core::IsaFamily::arm_m;
  ArchRegs regs;
  Addr reset_pc = 0, initial_sp = 0;
  Footprint footprint;
  Addr stack_floor = 0;  // end of static SRAM data: writes between here and the SP are stack
  // Images without sections (raw binary, Intel HEX): one flag per kWrittenGranule bytes of each
  // SRAM region, set by every write; the footprint is measured from them at the end of the run.
  static constexpr std::uint32_t kWrittenGranule = 32;
  std::vector<std::vector<bool>> written;

  // --- hot state -----------------------------------------------------------------------------
  Cycles cycles = 0;
  std::uint64_t instret = 0;
  Cycles branch_penalty = 0, divide_extra = 0, multiply_extra = 0;
  SramCounters sram, tcm;
  std::vector<SramCounters> ram_regions;  // per board.sram region
  std::uint64_t peripheral = 0;
  Addr stack_low = 0;
  const Block* prev = nullptr;
  Addr prev_end = 0;
  const Block* cur = nullptr;
  Cycles cur_base = 0;  // cycle at which the current block's first instruction issues
  std::uint64_t cur_instret_base = 0;  // retired instructions before the current block
  Addr resume_at = 1;                  // a hook moved the PC here inside the current block
  std::uint32_t cur_accesses = 0;  // data accesses made so far by the current block
  Addr last_access = 0;            // address of the last data access the memory hook saw
  std::size_t last_ram = 0;        // board.sram index of the memory hook's last SRAM hit
  std::uint64_t max_instructions = 0;
  bool predicting = false;  // the core model predicts branches (leave_block on every transition)
  // First cycle at which the block hook must look at the system model and the devices: a pending
  // exception, the next SysTick wrap (cortex_m_system.h) or the earliest next_event() of a device
  // on the bus. kNever when nothing can happen. One compare per block on the hot path.
  Cycles next_event_check = CortexMSystem::kNever;
  struct Slot {
    Addr start = 1;  // odd: never a block start
    std::uint32_t size = 0;
    Block* block = nullptr;
  };
  std::array<Slot, 8192> slots{};  // direct-mapped front of the block map

  // --- cold state ----------------------------------------------------------------------------
  std::unordered_map<std::uint64_t, std::unique_ptr<Block>> blocks;  // key: start << 32 | size
  std::vector<Block*> block_list;                                   // decode order
  std::vector<uc_hook> site_hooks;  // code hooks bound to divides and counter CSR reads
  std::set<Addr> site_hook_addrs;   // their addresses: one hook per address (blocks can overlap)
  Semihosting semihost;
  bool echo = false;
  std::string console_input;  // SYS_READC bytes (RunOptions::console_input)
  std::function<int()> console_reader;                     // RunOptions::console_reader
  std::function<void(std::string_view)> console_sink;      // RunOptions::console_sink
  std::size_t input_pos = 0;
  std::string console;
  bool console_truncated = false;  // more than kMaxConsoleBytes were written
  bool stop_requested = false, restart_requested = false;
  StopReason stop = StopReason::exited;
  int exit_code = 0;
  std::string stop_message;
  struct OpenRegion {
    std::uint32_t id;
    std::size_t index;
    Counters at_begin;
  };
  std::vector<OpenRegion> open_regions;
  std::vector<RegionResult> regions;
  std::map<std::uint32_t, std::size_t> region_index;
  std::map<Addr, std::uint32_t> scs_regs;
  std::int64_t cyccnt_offset = 0;
  bool cyccnt_enabled = false;
  std::uint32_t cyccnt_frozen = 0;
  // Cortex-M exceptions (Arm only): SysTick/NVIC/SCB model, costs, and the action a hook asked
  // the run loop to perform after stopping the emulator.
  std::unique_ptr<CortexMSystem> sys;
  ExceptionCosts exc_costs;
  // Profiling (--profile): null when off, and then the block hook pays one test.
  std::unique_ptr<SymbolTable> symtab;
  std::unique_ptr<Profiler> profiler;
  bool observing = false;  // a profiler or a progress display is attached
  // Progress display (RunOptions::progress): next cycle count at which to call it.
  Cycles next_progress = CortexMSystem::kNever;
  std::function<void(Cycles, std::uint64_t)> progress;
  Cycles progress_every = 0;
  Cycles sleep = 0, exception_overhead = 0;
  std::uint64_t exceptions_taken = 0;
  enum class ExcAction { none, take, exc_return } exc_action = ExcAction::none;
  int exc_number = 0;           // take: the exception
  Addr exc_resume = 0;          // take: the return address; exc_return: the EXC_RETURN value

  // Device bus: the console and halt registers, the SCS (Arm) and devices attached by the caller.
  // Each run of device pages is one uc_mmio_map window whose callbacks go to the bus.
  mem::DeviceBus bus;
  struct MmioWindow {
    Impl* sim;
    Addr base;
  };
  std::vector<std::unique_ptr<MmioWindow>> mmio_windows;
  std::set<Addr> mmio_pages;
  bool started = false;  // run() was called: no more devices

  // SoC peripherals (board `soc`, docs/peripherals.md): the models, the level of each interrupt
  // line, what each UART sent, the core clock the firmware programmed, and spin detection.
  std::unique_ptr<dev::Soc> soc;
  std::vector<std::uint8_t> irq_level;  // per line: 2 = SoC line (level-sensitive), | 1 = high
  std::map<std::string, std::string> uart_out;
  Hertz programmed_clock = 0;
  Cycles clock_set_at = 0;
  Addr spin_block = 1;
  std::uint64_t spin_count = 0, writes_total = 0, spin_writes = 0;
  std::array<std::uint32_t, 16> spin_regs{};

  Impl(const BoardConfig& b, const ElfImage& image) : board(b), flash(b.flash) {
    firmware = image.path.string();
    core = load_board_core(b);
    energy = load_run_energy_table(b);  // rescaled to the board's vdd_v
    isa = core->isa_family();
    regs = arch_regs(isa);
    const bool elf_arm = image.machine == ElfMachine::arm;
    if (elf_arm != (isa == core::IsaFamily::arm_m))
      throw InputError(fmt::format("{}: {} firmware cannot run on board {} (core {})", firmware,
                                   elf_arm ? "Arm" : "RISC-V", b.name, b.core));
    const bool arm = isa == core::IsaFamily::arm_m;
    // Unicorn 2.0.1's per-store code check is interposed (unicorn_store_fix.cpp, issue 16).
    static_cast<void>(store_check_fix_linked());
    // UC_MODE_MCLASS would force the M33 model: open Thumb and set the model (unicorn-notes.md).
    if (uc_open(arm ? UC_ARCH_ARM : UC_ARCH_RISCV, arm ? UC_MODE_THUMB : UC_MODE_RISCV32, &uc_handle.engine) !=
        UC_ERR_OK)
      throw std::runtime_error("uc_open failed");
    uc = uc_handle.engine;
    check(uc_ctl_set_cpu_model(uc, unicorn_cpu_model(std::string(core->unicorn_cpu()))), "set CPU model");
    predicting = core->predicts_branches();
    if (b.l1.present && b.l1.icache.enabled) l1i = std::make_unique<mem::L1Cache>(b.l1.icache, "cache.icache");
    if (b.l1.present && b.l1.dcache.enabled) l1d = std::make_unique<mem::L1Cache>(b.l1.dcache, "cache.dcache");
    ram_regions.resize(b.sram.size());
    map_memories();
    load(image);
    if (arm) {
      auto t = load_exception_table((data_dir() / "core-models" / "data" / "exceptions.toml").string(), b.core,
                                    std::string(core->unicorn_cpu()));
      t.config.vtor_reset = *b.vector_table;
      t.config.cpuid = kCpuidCortexM4;
      sys = std::make_unique<CortexMSystem>(t.config);
      exc_costs = t.costs;
    }
    if (!b.soc.empty()) attach_soc();
    install_hooks();
  }
  ~Impl() override = default;  // uc_handle closes the engine

  void check(uc_err e, const char* what) {
    if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("unicorn: {}: {}", what, uc_strerror(e)));
  }

  std::string region_name(Addr a) const {
    if (flash.contains(a)) return "flash";
    for (auto& s : board.sram)
      if (s.contains(a)) return s.name;
    if (a - kScsBase < kScsSize) return "system control space";
    return "no memory region";
  }

  void map_memories() {
    auto map = [&](Addr base, std::uint32_t size, std::uint32_t perms, const std::string& name) {
      if (base % regs.page_bytes || size % regs.page_bytes)
        throw InputError(fmt::format("{}: {} at 0x{:08x} size {} is not aligned to the emulator's {}-byte pages",
                                     board.file.string(), name, base, size, regs.page_bytes));
      check(uc_mem_map(uc, base, size, perms), "map memory");
    };
    if (board.has_flash) map(board.flash.base, board.flash.size_bytes, UC_PROT_READ | UC_PROT_EXEC, "flash");
    for (auto& s : board.sram) map(s.base, s.size_bytes, UC_PROT_ALL, s.name);
    // The system control space and the board's console and halt registers are devices on the bus.
    if (isa == core::IsaFamily::arm_m)
      map_device(kScsBase, kScsSize, std::make_unique<ScsDevice>(*this), "system control space");
    if (board.console_address)
      map_device(*board.console_address, 1, std::make_unique<ConsoleRegister>(*this), "console/halt register");
    if (board.halt_address && board.halt_address != board.console_address)
      map_device(*board.halt_address, 1, std::make_unique<HaltRegister>(*this), "console/halt register");
  }

  // Puts `device` on the bus at [base, base + size) and maps the pages it needs that are not yet
  // device pages as uc_mmio_map windows. `what` names it in the error when a page overlaps memory.
  void map_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device, const std::string& what) {
    const Addr pb = regs.page_bytes;
    const Addr first = base & ~(pb - 1);
    const std::uint64_t end = (std::uint64_t{base} + size + pb - 1) / pb * pb;
    for (std::uint64_t p = first; p < end; p += pb)
      if (overlaps_memory(static_cast<Addr>(p), pb))
        throw InputError(fmt::format("{}: {} page 0x{:08x} overlaps a memory region", board.file.string(), what, p));
    bus.attach(base, size, std::move(device));
    for (std::uint64_t p = first; p < end;) {
      if (mmio_pages.count(static_cast<Addr>(p))) {
        p += pb;
        continue;
      }
      const Addr run = static_cast<Addr>(p);
      while (p < end && !mmio_pages.count(static_cast<Addr>(p))) mmio_pages.insert(static_cast<Addr>(p)), p += pb;
      auto w = std::make_unique<MmioWindow>(MmioWindow{this, run});
      check(uc_mmio_map(uc, run, static_cast<std::uint32_t>(p - run), &Impl::mmio_read, w.get(), &Impl::mmio_write,
                        w.get()),
            "map device registers");
      mmio_windows.push_back(std::move(w));
    }
  }

  bool overlaps_memory(Addr a, std::uint32_t n) const {
    auto hit = [&](Addr base, std::uint64_t size) { return a < base + size && base < std::uint64_t{a} + n; };
    if (board.has_flash && hit(board.flash.base, board.flash.size_bytes)) return true;
    for (auto& s : board.sram)
      if (hit(s.base, s.size_bytes)) return true;
    return false;
  }

  // Device accesses happen at the issue cycle of the accessing instruction.
  static std::uint64_t mmio_read(uc_engine*, std::uint64_t offset, unsigned size, void* ud) {
    auto* w = static_cast<MmioWindow*>(ud);
    Impl* s = w->sim;
    const Cycles now = s->cycle_of_current_insn();
    const std::uint32_t v = s->bus.read(w->base + static_cast<Addr>(offset), size, now);
    if (s->soc && s->soc->idle_rx_polls() > kIdlePolls && s->soc->uarts_idle() && !s->host_sends(now) &&
        s->soc->input_exhausted(now))
      s->request_stop(StopReason::waiting_for_input,
                      "waiting for UART input: the host input is used up and the firmware polls an empty receiver");
    s->next_event_check = std::min(s->next_event_check, s->bus.next_event());
    return v;
  }

  static void mmio_write(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value, void* ud) {
    auto* w = static_cast<MmioWindow*>(ud);
    Impl* s = w->sim;
    s->bus.write(w->base + static_cast<Addr>(offset), size, static_cast<std::uint32_t>(value),
                 s->cycle_of_current_insn());
    // A write may have started something in a device (a timer, a transfer).
    s->next_event_check = std::min(s->next_event_check, s->bus.next_event());
  }

  // ---- SoC peripherals ----------------------------------------------------------------------
  void attach_soc() {
    if (!sys)
      throw InputError(fmt::format("{}: soc = \"{}\": SoC peripherals need a Cortex-M core", board.file.string(),
                                   board.soc));
    const auto desc = dev::load_soc(data_dir() / "boards" / "socs" / (board.soc + ".toml"));
    dev::SocOptions opt;
    opt.flash = board.has_flash ? &flash : nullptr;
    opt.wait_state_table_hz = board.wait_state_table_hz;
    opt.hse_hz = board.hse_hz;
    soc = std::make_unique<dev::Soc>(desc, *this, opt);
    irq_level.assign(sys->config().external_irqs, 0);
    for (const auto& p : desc.peripherals)
      for (int irq : p.irqs)
        if (static_cast<std::size_t>(irq) < irq_level.size()) irq_level[static_cast<std::size_t>(irq)] = 2;
    soc->on_core_clock_change([this](Hertz hz, Cycles at) {
      programmed_clock = hz;
      clock_set_at = at;
    });
    for (const auto& m : soc->mappings())
      map_device(m.base, m.size, std::make_unique<SocBlock>(*m.device),
                 fmt::format("{} peripheral '{}' at 0x{:08x}", desc.file.filename().string(), m.device->name(), m.base));
  }

  // The firmware waits for input (WFI with nothing to wake it, a spin, or polling an empty
  // receiver): the host sends its next chunk if it has one. Returns true when it did.
  bool host_sends(Cycles now) {
    if (!soc || !soc->uarts_idle() || !soc->release_input(now)) return false;
    reschedule(now);
    return true;
  }

  // Every kSpinCheck repetitions of a block that branches to itself: the same registers and no
  // store since the last look is a wait loop only an interrupt (or host input) can end.
  void check_spin() {
    if (!soc->uarts_idle()) return;
    std::array<std::uint32_t, 16> r{};
    for (int i = 0; i < 13; ++i) r[static_cast<std::size_t>(i)] = reg(UC_ARM_REG_R0 + i);
    r[13] = reg(UC_ARM_REG_SP);
    r[14] = reg(UC_ARM_REG_LR);
    const bool same = r == spin_regs && writes_total == spin_writes;
    spin_regs = r;
    spin_writes = writes_total;
    if (!same || bus.next_event() != mem::kNoEvent) return;
    if (masks().primask) {  // interrupts off: nothing can end the loop (e.g. an Error_Handler)
      request_stop(StopReason::fault,
                   fmt::format("firmware hangs: endless loop at 0x{:08x} with interrupts disabled (PRIMASK), "
                               "entered from LR 0x{:08x}",
                               spin_block, r[14]));
      return;
    }
    if (host_sends(cycles) || !soc->input_exhausted(cycles)) return;
    request_stop(StopReason::waiting_for_input,
                 fmt::format("waiting for UART input: the host input is used up and the firmware spins at "
                             "0x{:08x}", spin_block));
  }

  void attach_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device) {
    if (started) throw std::logic_error("Simulation::attach_device called after run()");
    if (!device) throw InputError(fmt::format("attach_device: no device given for 0x{:08x}", base));
    const std::string what = fmt::format("device '{}' at 0x{:08x} ({} bytes):", device->name(), base, size);
    map_device(base, size, std::move(device), what);
  }

  // ---- mem::DeviceHost ----------------------------------------------------------------------
  void set_irq(int irq, bool level, Cycles now) override {
    // The NVIC latches a pending interrupt: lowering the line leaves it pending (Armv7-M ARM
    // B3.4.1 "Level-sensitive and pulse interrupts"), so only a rising level acts here. The level
    // is kept: a line still high when its handler returns pends it again.
    if (irq >= 0 && static_cast<std::size_t>(irq) < irq_level.size() && (irq_level[static_cast<std::size_t>(irq)] & 2))
      irq_level[static_cast<std::size_t>(irq)] = static_cast<std::uint8_t>(2 | (level ? 1 : 0));
    if (!level) return;
    const mem::Device* d = bus.current();
    const std::string who = d ? fmt::format("device '{}'", d->name()) : std::string("a device");
    if (!sys) {
      request_stop(StopReason::unsupported,
                   fmt::format("{} raised IRQ {} at cycle {}: interrupt lines are not modelled on {} cores in "
                               "this version", who, irq, now, board.core));
      return;
    }
    if (irq < 0 || static_cast<unsigned>(irq) >= sys->config().external_irqs) {
      request_stop(StopReason::fault, fmt::format("{} raised IRQ {} at cycle {}, but the NVIC of {} has IRQ0 to "
                                                  "IRQ{}", who, irq, now, board.core,
                                                  sys->config().external_irqs - 1));
      return;
    }
    sys->set_pending(kExcIrq0 + irq);
    next_event_check = 0;  // look at the NVIC at the next block boundary
  }
  void output(std::string_view stream, std::string_view text, Cycles) override {
    if (stream != "console") uart_out[std::string(stream)].append(text);
    console_write(text);
  }
  Hertz core_clock_hz() const override { return programmed_clock ? programmed_clock : board.clock_hz; }

  // First cycle at which the block hook must look again: the system model's next event and the
  // devices' earliest one.
  void reschedule(Cycles now) {
    next_event_check = std::min(sys ? sys->next_event(now) : CortexMSystem::kNever, bus.next_event());
  }

  // At a block boundary at or after next_event_check (the block at `a` has not run): advances
  // the devices whose event has come, then lets the system model take a pending exception.
  // Returns true when the emulator was stopped (exception to take, or a stop request).
  bool service_events(Addr a) {
    if (bus.next_event() <= cycles) bus.advance(cycles);
    if (stop_requested) return true;
    if (!sys) {
      next_event_check = bus.next_event();
      return false;
    }
    return exception_at_boundary(a);
  }

  bool in_memory(Addr a, std::uint32_t n, bool need_write) const {
    if (n == 0) return true;
    if (!need_write && a >= board.flash.base && a - board.flash.base + std::uint64_t(n) <= board.flash.size_bytes)
      return true;
    for (auto& s : board.sram)
      if (a >= s.base && a - s.base + std::uint64_t(n) <= s.size_bytes) return true;
    return false;
  }

  std::string memory_map_text() const {
    std::string t = board.has_flash ? fmt::format("flash 0x{:08x}-0x{:08x}", board.flash.base,
                                                  board.flash.base + board.flash.size_bytes - 1)
                                    : std::string();
    for (auto& s : board.sram)
      t += fmt::format("{}{} 0x{:08x}-0x{:08x}", t.empty() ? "" : ", ", s.name, s.base, s.base + s.size_bytes - 1);
    return t;
  }

  void load(const ElfImage& image) {
    for (auto& seg : image.segments) {
      auto n = static_cast<std::uint32_t>(seg.bytes.size());
      if (!in_memory(seg.paddr, n, false) || (n == 0 && !in_memory(seg.vaddr, seg.mem_size, true)) ||
          (seg.mem_size > n && !in_memory(seg.vaddr, seg.mem_size, seg.writable)))
        throw InputError(fmt::format(
            "{}: segment at 0x{:08x} ({} bytes, memory image 0x{:08x}, {} bytes) lies outside the "
            "memory of board {} ({})",
            firmware, seg.paddr, n, seg.vaddr, seg.mem_size, board.name, memory_map_text()));
      if (n) check(uc_mem_write(uc, seg.paddr, seg.bytes.data(), n), "load segment");
    }
    if (isa == core::IsaFamily::arm_m) {
      if (!board.vector_table)
        throw InputError(fmt::format("{}: an Arm board needs vector_table", board.file.string()));
      std::uint32_t vt[2];
      if (uc_mem_read(uc, *board.vector_table, vt, 8) != UC_ERR_OK)
        throw InputError(fmt::format("{}: vector table at 0x{:08x} is not mapped", firmware, *board.vector_table));
      initial_sp = vt[0];
      reset_pc = vt[1];
      bool sp_ok = false;
      for (auto& s : board.sram) sp_ok |= initial_sp > s.base && initial_sp - s.base <= s.size_bytes;
      if (!sp_ok)
        throw InputError(fmt::format("{}: initial SP 0x{:08x} (vector table word 0 at 0x{:08x}) is not in "
                                     "the SRAM of board {} ({}); is the firmware linked for this board?",
                                     firmware, initial_sp, *board.vector_table, board.name, memory_map_text()));
      if (!(reset_pc & 1) || !in_memory(reset_pc & ~1u, 2, false))
        throw InputError(fmt::format("{}: reset vector 0x{:08x} (vector table word 1 at 0x{:08x}) is not a "
                                     "Thumb address in the memory of board {} ({})",
                                     firmware, reset_pc, *board.vector_table, board.name, memory_map_text()));
      check(uc_reg_write(uc, UC_ARM_REG_SP, &initial_sp), "set SP");
    } else {
      // RISC-V: execution starts at the board's reset PC (or the ELF entry); the startup code
      // sets sp. The stack is measured below the highest SRAM address written.
      reset_pc = board.reset_pc.value_or(image.entry);
      if (!in_memory(reset_pc, 2, false))
        throw InputError(fmt::format("{}: reset PC 0x{:08x} is outside the memory of board {} ({})", firmware,
                                     reset_pc, board.name, memory_map_text()));
      initial_sp = 0;
      for (auto& s : board.sram) initial_sp = std::max<Addr>(initial_sp, s.base + s.size_bytes);
    }
    if (!in_memory(image.entry & ~1u, 2, false))
      throw InputError(fmt::format("{}: entry point 0x{:08x} is outside the memory of board {} ({})",
                                   firmware, image.entry, board.name, memory_map_text()));
    if (image.sections.empty()) {
      // A raw binary or Intel HEX image: flash = the image's bytes; SRAM is measured from the
      // run's writes (measure_image_sram).
      footprint.from_sections = false;
      for (auto& seg : image.segments) footprint.text += seg.bytes.size();
      written.resize(board.sram.size());
      for (std::size_t i = 0; i < board.sram.size(); ++i)
        written[i].assign((board.sram[i].size_bytes + kWrittenGranule - 1) / kWrittenGranule, false);
      stack_floor = stack_low = initial_sp;  // the stack is measured from `written` instead
      return;
    }
    // Footprint from the allocated sections.
    Addr static_end = 0;
    for (auto& s : image.sections) {
      // A NOLOAD .stack or .heap section is reserved space, not static data: the stack is
      // measured (high-water mark of writes below the initial SP) instead.
      if (s.nobits && (s.name.rfind(".stack", 0) == 0 || s.name.rfind(".heap", 0) == 0)) continue;
      // On boards without flash the program image (code and constants) lives in RAM; it is
      // still reported as the image ("flash") footprint.
      bool in_flash = (flash.contains(s.load_addr) || !board.has_flash) && !s.nobits;
      if (s.nobits && s.writable)
        footprint.bss += s.size;
      else if (s.writable)
        footprint.data += s.size;
      else if (s.executable)
        footprint.text += s.size;
      else if (in_flash)
        footprint.rodata += s.size;
      if (s.writable && !flash.contains(s.addr)) static_end = std::max(static_end, s.addr + s.size);
    }
    // The stack lives in the RAM region of the initial SP, above the static data when that is in
    // the same region (a stripped ELF has no sections: the region's base). So the peak never
    // exceeds the region, i.e. the memory the board has.
    stack_floor = static_end;
    for (auto& r : board.sram)
      if (initial_sp > r.base && initial_sp - r.base <= r.size_bytes)
        stack_floor = static_end > r.base && static_end <= initial_sp ? static_end : r.base;
    stack_low = initial_sp;
  }

  void mark_written(std::size_t region, Addr a, std::uint32_t n) {
    const SramRegion& r = board.sram[region];
    auto& w = written[region];
    const Addr last = std::min<Addr>(a + std::max<std::uint32_t>(n, 1) - 1, r.base + r.size_bytes - 1);
    for (Addr g = (a - r.base) / kWrittenGranule; g <= (last - r.base) / kWrittenGranule; ++g) w[g] = true;
  }

  // Image without sections: the stack is the run of written granules directly below the initial
  // SP; every other written granule is counted as data (static data, heap). Both in whole
  // granules, so each is an upper bound within kWrittenGranule - 1 bytes per run of writes.
  void measure_image_sram() {
    Bytes stack = 0, other = 0;
    for (std::size_t i = 0; i < board.sram.size(); ++i) {
      const SramRegion& r = board.sram[i];
      const auto& w = written[i];
      std::size_t stack_first = w.size();  // granules [stack_first, top) are the stack
      if (initial_sp > r.base && initial_sp - r.base <= r.size_bytes) {
        std::size_t g = (initial_sp - r.base + kWrittenGranule - 1) / kWrittenGranule;
        while (g > 0 && w[g - 1]) --g;
        stack_first = g;
        stack = (initial_sp - r.base) - std::min<Bytes>(initial_sp - r.base, Bytes{g} * kWrittenGranule);
      }
      for (std::size_t g = 0; g < w.size(); ++g)
        if (w[g] && (g < stack_first || Bytes{g} * kWrittenGranule >= initial_sp - r.base)) other += kWrittenGranule;
    }
    footprint.stack_peak = stack;
    footprint.sram_written = other;
  }

  void install_hooks() {
    uc_hook h;
    // Everything is installed before the first uc_emu_start (unicorn-notes.md).
    check(uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&Impl::on_block), this, 1, 0),
          "block hook");
    check(uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
                      reinterpret_cast<void*>(&Impl::on_mem), this, 1, 0),
          "memory hook");
    check(uc_hook_add(uc, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&Impl::on_bad_mem), this, 1, 0),
          "invalid memory hook");
    check(uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&Impl::on_intr), this, 1, 0),
          "interrupt hook");
    check(uc_hook_add(uc, &h, UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(&Impl::on_bad_insn), this, 1, 0),
          "invalid instruction hook");
    check(uc_ctl_exits_enable(uc), "enable exits");  // no `until`: only hooks stop the run
  }

  // ---- block handling -----------------------------------------------------------------------
  Block* decode(Addr start, std::uint32_t size) {
    std::vector<std::uint8_t> code(size);
    if (uc_mem_read(uc, start, code.data(), size) != UC_ERR_OK) return nullptr;
    auto b = std::make_unique<Block>();
    b->info = core->analyze_block(start, code);
    b->self_loop = is_self_branch(code);
    b->region = ram_region(start);
    const bool in_flash = b->region < 0 && flash.contains(start);
    const bool cacheable = in_flash || (b->region >= 0 && board.sram[static_cast<std::size_t>(b->region)].cacheable);
    if (l1i && cacheable && (in_flash || b->region >= 0))
      b->path = FetchPath::l1;
    else if (in_flash)
      b->path = FetchPath::flash;
    if (b->path == FetchPath::none && b->region >= 0 &&
        board.sram[static_cast<std::size_t>(b->region)].wait_states > 0) {
      // Code in a RAM with wait states: every 32-bit instruction fetch pays them. The core model
      // may give its own count (prefetch overlap, refetch after a taken branch); by default, the
      // distinct words the block covers.
      b->path = FetchPath::ram;
      std::uint32_t words = 0;
      Addr last = 1;  // never aligned
      for (std::size_t i = 0; i < b->info.insn_addrs.size(); ++i)
        for (Addr w = b->info.insn_addrs[i] & ~Addr{3}; w <= ((b->info.insn_addrs[i] + b->info.insn_sizes[i] - 1) & ~Addr{3}); w += 4)
          if (w != last) ++words, last = w;
      b->ram_fetch_words = b->info.ram_fetch_words.value_or(words);
      b->ram_fetch_words_fallthrough = b->info.ram_fetch_words_fallthrough.value_or(b->ram_fetch_words);
      b->ram_fetch_words_taken_exit = b->info.ram_fetch_words_taken_exit;
    }
    if (b->path == FetchPath::flash || b->path == FetchPath::l1) {
      // One fetch unit per instruction-side transfer, with the offset of its first instruction.
      const std::uint32_t granule = b->path == FetchPath::l1 ? l1i->line_bytes() : flash.ifetch_granule_bytes();
      const Addr mask = ~(granule - 1);
      Addr last = 1;  // never aligned
      for (std::size_t i = 0; i < b->info.insn_addrs.size(); ++i) {
        Addr first_unit = b->info.insn_addrs[i] & mask;
        Addr last_unit = (b->info.insn_addrs[i] + b->info.insn_sizes[i] - 1) & mask;
        for (Addr u = first_unit; u <= last_unit; u += granule)
          if (u != last) {
            b->fetch.push_back({u, b->info.insn_cycle_offset[i]});
            last = u;
          }
      }
    }
    Block* raw = b.get();
    blocks.emplace((std::uint64_t(start) << 32) | size, std::move(b));
    block_list.push_back(raw);
    return raw;
  }

  static void on_block(uc_engine* uc, std::uint64_t address, std::uint32_t size, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const Addr a = static_cast<Addr>(address);
    if (a == s->resume_at) {
      // A code hook moved the PC past an instruction it emulated (a counter CSR read). When that
      // lands inside the block being executed, the rest of it was charged with that block; when
      // the emulated instruction ended its block, this is a new block like any other.
      s->resume_at = 1;
      if (s->cur && a > s->cur->info.start && a < s->cur->info.start + s->cur->info.size_bytes) return;
    }
    Slot& slot = s->slots[(a >> 1) & (s->slots.size() - 1)];
    Block* b = slot.block;
    if (slot.start != a || slot.size != size) {
      auto it = s->blocks.find((std::uint64_t(a) << 32) | size);
      if (it != s->blocks.end()) {
        b = it->second.get();
      } else {
        b = s->decode(a, size);
        if (!b) return;  // unreadable code: Unicorn raises the fetch fault
        bool bound = false;
        {
          // Divider latency, shift amounts and counter CSRs need the instruction's operands: bind
          // a code hook to each such instruction (once per address: a block entered in its middle
          // overlaps another) and have the block translated again with it (hooks are checked at
          // translation time). The block has not run yet; restart at its start.
          auto bind = [&](Addr at, void* cb) {
            if (!s->site_hook_addrs.insert(at).second) return;
            uc_hook h;
            uc_hook_add(uc, &h, UC_HOOK_CODE, cb, s, at, at);
            s->site_hooks.push_back(h);
            bound = true;
          };
          for (auto& d : b->info.dividers) bind(d.addr, reinterpret_cast<void*>(&Impl::on_divide));
          for (auto& c : b->info.csr_reads) bind(c.addr, reinterpret_cast<void*>(&Impl::on_csr_read));
        }
        if (bound) {
          uc_ctl_remove_cache(uc, a, a + size);
          s->restart_requested = true;
          uc_emu_stop(uc);
          return;
        }
      }
      slot = {a, size, b};
    }
    const bool fell_through = s->prev && a == s->prev_end;
    if (s->prev) {
      const bool taken = a != s->prev_end;
      const std::uint32_t penalty = s->predicting ? s->core->leave_block(s->prev->info, taken)
                                                  : (taken ? s->prev->info.taken_branch_penalty : 0);
      s->cycles += penalty;
      s->branch_penalty += penalty;
      if (taken && s->prev->path == FetchPath::ram && s->prev->ram_fetch_words_taken_exit) {
        // The sequential fetch the core had started before the branch resolved.
        const std::uint32_t ws = s->board.sram[static_cast<std::size_t>(s->prev->region)].wait_states;
        const Cycles stall = Cycles{s->prev->ram_fetch_words_taken_exit} * ws;
        s->cycles += stall;
        s->count_ram(s->prev->region, false, s->prev->ram_fetch_words_taken_exit,
                     Bytes{s->prev->ram_fetch_words_taken_exit} * 4, stall);
      }
    }
    s->prev = nullptr;
    if (s->soc) {  // spin detection (docs/peripherals.md "Host input")
      if (a == s->spin_block) {
        if ((++s->spin_count & (kSpinCheck - 1)) == 0) {
          s->check_spin();
          if (s->stop_requested) return;
        }
      } else {
        s->spin_block = a;
        s->spin_count = 0;
      }
    }
    // Exceptions are recognised at block boundaries: one compare on the hot path.
    if (s->cycles >= s->next_event_check && s->service_events(a)) return;
    if (b->self_loop && s->never_progresses(a)) return;
    if (s->max_instructions && s->instret + b->info.n_insns > s->max_instructions) {
      s->request_stop(StopReason::instruction_limit,
                      fmt::format("instruction limit reached: {} instructions retired, the next block "
                                  "at 0x{:08x} would exceed --max-instructions {}",
                                  s->instret, a, s->max_instructions));
      return;
    }
    // Observers (profiling, the progress display): one flag test when there are none.
    if (s->observing) [[unlikely]] s->observe(a, *b);
    ++b->exec_count;
    s->cur_instret_base = s->instret;
    s->instret += b->info.n_insns;
    Cycles stall = 0;
    if (b->path == FetchPath::flash)
      stall = s->flash.fetch_block(b->fetch, s->cycles);
    else if (b->path == FetchPath::l1)
      stall = s->l1_fetch(*b);
    else if (b->path == FetchPath::ram) {
      const std::uint32_t words = fell_through ? b->ram_fetch_words_fallthrough : b->ram_fetch_words;
      const std::uint32_t ws = s->board.sram[static_cast<std::size_t>(b->region)].wait_states;
      stall = Cycles{words} * ws;
      s->count_ram(b->region, false, words, Bytes{words} * 4, stall);
    }
    s->cur = b;
    s->cur_accesses = 0;
    s->cur_base = s->cycles + stall;
    s->cycles += stall + b->info.static_cycles;
    s->prev = b;
    s->prev_end = a + size;
  }

  // Profiling: the block's function (found once per decoded block) and the call-stack update;
  // the progress display every progress_every cycles.
  void observe(Addr a, Block& b) {
    if (profiler) {
      if (b.function == SIZE_MAX) b.function = profiler->function_of(a);
      const std::uint8_t link = isa == core::IsaFamily::arm_m ? 14 : 1;  // LR / ra
      profiler->on_block(a, b.function, b.info, prev_end, cycles, [&] { return static_cast<Addr>(gpr(link)); });
    }
    if (cycles >= next_progress) {
      progress(cycles, instret);
      next_progress = cycles + progress_every;
    }
  }

  // Index of the [[sram]] region holding `a`, or -1 (flash, peripherals, unmapped).
  int ram_region(Addr a) const {
    for (std::size_t i = 0; i < board.sram.size(); ++i)
      if (board.sram[i].contains(a)) return static_cast<int>(i);
    return -1;
  }

  // Cycles to fill one L1 line at `line_addr` from region `region` (-1 = flash), issued at `now`:
  // the interconnect overhead plus the next level's transfer (docs/models/cache.md "L1 caches").
  // Counts the traffic the fill makes in the next level.
  Cycles l1_line_fill(int region, Addr line_addr, std::uint32_t line_bytes, Cycles now) {
    const Cycles overhead = board.l1.miss_overhead_cycles;
    if (region < 0) return overhead + flash.burst_read(line_addr, line_bytes, now + overhead);
    const SramRegion& r = board.sram[static_cast<std::size_t>(region)];
    const std::uint32_t beats = line_bytes / board.l1.bus_bytes;
    count_ram(region, false, line_bytes / 4, line_bytes, r.wait_states * beats);
    return overhead + Cycles{beats} * (1 + r.wait_states);
  }

  // A dirty line written back (or a store written through) to region `region`: goes through the
  // write buffer, so it costs the core no cycles; it is counted as traffic of the next level.
  void l1_write_out(int region, std::uint32_t bytes) {
    if (region >= 0) count_ram(region, true, std::max<std::uint32_t>(1, bytes / 4), bytes, 0);
  }

  void count_ram(int region, bool write, std::uint64_t beats, Bytes bytes, Cycles stall) {
    const SramRegion& r = board.sram[static_cast<std::size_t>(region)];
    for (SramCounters* c : {&ram_regions[static_cast<std::size_t>(region)], r.is_tcm() ? &tcm : &sram}) {
      (write ? c->writes : c->reads) += beats;
      (write ? c->write_bytes : c->read_bytes) += bytes;
      c->stall_cycles += stall;
    }
  }

  // Instruction fetch of block `b` through the L1 I-cache: each missing line is filled from the
  // block's memory before the instruction that needs it issues (no fetch-ahead: the M7's
  // prefetch unit is not modelled). Returns the stall cycles.
  Cycles l1_fetch(const Block& b) {
    Cycles stall = 0;
    for (const mem::FetchUnit& u : b.fetch) {
      const mem::L1Outcome o = l1i->read(u.addr);
      if (o.hit) continue;
      stall += l1_line_fill(b.region, u.addr, l1i->line_bytes(), cycles + stall + u.need_offset);
    }
    l1i->add_stall(stall);
    return stall;
  }

  // A data access through the L1 D-cache to region `region` (-1 = flash). Loads that miss wait
  // for the line fill; stores retire into the store buffer (no stall) and their fills,
  // write-backs and write-throughs are counted as traffic.
  Cycles l1_data(int region, Addr a, std::uint32_t n, bool write) {
    const std::uint32_t line = l1d->line_bytes();
    const Addr line_addr = a & ~Addr(line - 1);
    const mem::L1Outcome o = write ? l1d->write(a) : l1d->read(a);
    Cycles stall = 0;
    if (o.writeback) l1_write_out(ram_region(o.writeback_addr), line);
    if (o.line_fill) {
      const Cycles fill = l1_line_fill(region, line_addr, line, cycles);
      if (!write) stall = fill;
    }
    if (o.memory_write) l1_write_out(region, n);
    l1d->add_stall(stall);
    return stall;
  }

  std::uint32_t gpr(std::uint8_t i) const {
    std::uint32_t v = 0;
    if (i < regs.gpr.size()) uc_reg_read(uc, regs.gpr[i], &v);
    return v;
  }

  // Index of the instruction at `addr` in the current block, or -1.
  int insn_index(Addr addr) const {
    if (!cur) return -1;
    const auto& addrs = cur->info.insn_addrs;
    auto it = std::lower_bound(addrs.begin(), addrs.end(), addr);
    return it == addrs.end() || *it != addr ? -1 : static_cast<int>(it - addrs.begin());
  }

  static void on_divide(uc_engine*, std::uint64_t address, std::uint32_t, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    if (!s->cur) return;
    for (auto& d : s->cur->info.dividers) {
      if (d.addr != static_cast<Addr>(address)) continue;
      if (d.kind == core::OperandSiteKind::shift) {
        // Iterative shifter: cycles by the actual amount in rm (core model's shift_extra_cycles).
        s->cycles += s->core->shift_extra_cycles(s->gpr(d.rm));
        return;
      }
      if (d.kind == core::OperandSiteKind::multiply_long) {
        // Early-terminating long multiply (Cortex-M3): same mechanism as the divider.
        const std::uint32_t extra =
            s->core->multiply_long_cycles(s->gpr(d.rn), s->gpr(d.rm), d.is_signed, d.accumulate) -
            s->core->multiply_long_min_cycles();
        s->cycles += extra;
        s->multiply_extra += extra;
        return;
      }
      const std::uint32_t extra =
          s->core->divide_cycles(s->gpr(d.rn), s->gpr(d.rm), d.is_signed) - s->core->divide_min_cycles();
      s->cycles += extra;
      s->divide_extra += extra;
      return;
    }
  }

  // RISC-V counter CSRs read the modelled cycle/retired-instruction counts at the reading
  // instruction (its static offset in the block), not host time (unicorn-notes.md).
  static void on_csr_read(uc_engine* uc, std::uint64_t address, std::uint32_t, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    if (!s->cur) return;
    for (auto& c : s->cur->info.csr_reads) {
      if (c.addr != static_cast<Addr>(address)) continue;
      const int i = s->insn_index(c.addr);
      if (i < 0) return;
      const std::uint64_t cycle = s->cur_base + s->cur->info.insn_cycle_offset[static_cast<std::size_t>(i)];
      const std::uint64_t retired = s->cur_instret_base + static_cast<std::uint64_t>(i);
      const std::uint16_t base = c.csr & ~0x80;  // high halves are +0x80
      const std::uint64_t v = (base == 0xB00 || base == 0xC00) ? cycle : retired;
      const std::uint32_t word = static_cast<std::uint32_t>((c.csr & 0x80) ? v >> 32 : v);
      if (c.rd) uc_reg_write(uc, s->regs.gpr[c.rd], &word);
      const std::uint32_t next = c.addr + c.size;
      s->resume_at = next;
      uc_reg_write(uc, s->regs.pc, &next);
      return;
    }
  }

  static void on_mem(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t,
                     void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const Addr a = static_cast<Addr>(address);
    const auto n = static_cast<std::uint32_t>(size);
    ++s->cur_accesses;
    s->last_access = a;
    const bool write = type != UC_MEM_READ;
    s->writes_total += write;
    if (s->flash.contains(a)) {
      if (write) return;  // a write to flash faults (UC_HOOK_MEM_PROT)
      s->cycles += s->l1d ? s->l1_data(-1, a, n, false) : s->flash.data_read(a, n, s->cycles);
      return;
    }
    const auto& rams = s->board.sram;
    // Regions never overlap (board.cpp checks), so the last region hit is tried first.
    std::size_t i = s->last_ram;
    if (i >= rams.size() || !rams[i].contains(a)) {
      for (i = 0; i < rams.size() && !rams[i].contains(a); ++i) {
      }
      s->last_ram = i;
    }
    if (i < rams.size()) {
      const SramRegion& r = rams[i];
      // A stack write is at or above the stack pointer (less the reach of the storing
      // instruction, which moves SP after its stores: PUSH/VPUSH of up to 128 bytes). Writes far
      // below the SP (a heap, buffers) are not stack.
      if (write && a < s->stack_low && a >= s->stack_floor && std::uint64_t(a) + kStoreReach >= s->reg(s->regs.sp))
        s->stack_low = a;
      if (write && !s->written.empty()) s->mark_written(i, a, n);
      if (s->l1d && r.cacheable) {
        s->cycles += s->l1_data(static_cast<int>(i), a, n, write);
        return;
      }
      s->count_ram(static_cast<int>(i), write, 1, n, r.wait_states);
      s->cycles += r.wait_states;
      return;
    }
    ++s->peripheral;
    s->cycles += s->bus.wait_states(a);
  }

  // ---- faults -------------------------------------------------------------------------------
  std::uint32_t pc() const {
    std::uint32_t v = 0;
    uc_reg_read(uc, regs.pc, &v);
    return v;
  }

  // The instruction that made the current block's `index`-th data access (0-based). Unicorn
  // syncs the PC only at block starts, so the block's decode names the instruction.
  std::uint32_t pc_of_access(std::uint32_t index) const {
    if (!cur) return pc();
    const auto& beats = cur->info.insn_data_beats;
    std::uint32_t seen = 0;
    for (std::size_t i = 0; i < beats.size(); ++i) {
      seen += beats[i];
      if (index < seen) return cur->info.insn_addrs[i];
    }
    return pc();
  }

  static bool on_bad_mem(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t,
                         void* ud) {
    auto* s = static_cast<Impl*>(ud);
    if (type == UC_MEM_FETCH_UNMAPPED && s->sys && static_cast<Addr>(address) >= kExcReturnMin &&
        s->sys->active_exception() != 0) {  // exception return on the M0 model (unicorn-notes.md)
      s->exc_action = ExcAction::exc_return;
      s->exc_resume = static_cast<Addr>(address) | 1;
      return false;
    }
    const char* what = "invalid access";
    switch (type) {
      case UC_MEM_READ_UNMAPPED: what = "read from unmapped address"; break;
      case UC_MEM_WRITE_UNMAPPED: what = "write to unmapped address"; break;
      case UC_MEM_FETCH_UNMAPPED: what = "instruction fetch from unmapped address"; break;
      case UC_MEM_WRITE_PROT: what = "write to read-only memory"; break;
      case UC_MEM_READ_PROT: what = "read from non-readable memory"; break;
      case UC_MEM_FETCH_PROT: what = "instruction fetch from non-executable memory"; break;
      default: break;
    }
    const Addr a = static_cast<Addr>(address);
    // The memory hook has already counted a faulting write (it fires before the permission
    // check) but not a read from an unmapped address.
    const std::uint32_t index =
        s->cur_accesses > 0 && s->last_access == a ? s->cur_accesses - 1 : s->cur_accesses;
    const std::uint32_t at =
        type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT ? a : s->pc_of_access(index);
    s->request_stop(StopReason::fault,
                    fmt::format("firmware fault: {} 0x{:08x} ({} bytes, {}) by the instruction at PC 0x{:08x}",
                                what, a, size, s->region_name(a), at));
    return false;
  }

  // The instruction at `pc` is an EBREAK (32-bit or compressed).
  bool is_ebreak(Addr at) {
    std::uint32_t w = 0;
    if (uc_mem_read(uc, at, &w, 4) != UC_ERR_OK && uc_mem_read(uc, at, &w, 2) != UC_ERR_OK) return false;
    return w == kRvEbreak || static_cast<std::uint16_t>(w) == kRvCEbreak;
  }

  static bool on_bad_insn(uc_engine*, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const std::uint32_t p = s->pc();
    if (s->isa == core::IsaFamily::rv32 && s->is_ebreak(p)) return false;  // served by the run loop
    s->request_stop(StopReason::fault,
                    fmt::format("firmware fault: undefined instruction at PC 0x{:08x} ({})", p, s->region_name(p)));
    return false;
  }

  static void on_intr(uc_engine* uc, std::uint32_t intno, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const std::uint32_t p = s->pc();
    if (intno == kArmExcpBkpt) {
      std::uint16_t insn = 0;
      uc_mem_read(uc, p, &insn, 2);
      if (insn == kSemihostBkpt) {
        std::uint32_t r0 = 0, r1 = 0;
        uc_reg_read(uc, UC_ARM_REG_R0, &r0);
        uc_reg_read(uc, UC_ARM_REG_R1, &r1);
        r0 = s->semihost.call(r0, r1, *s, *s);
        uc_reg_write(uc, UC_ARM_REG_R0, &r0);
        if (s->stop_requested) return;
        const std::uint32_t next = (p + 2) | 1;
        uc_reg_write(uc, UC_ARM_REG_PC, &next);
        return;
      }
      s->request_stop(StopReason::fault,
                      fmt::format("firmware fault: BKPT #0x{:02x} at PC 0x{:08x} (only BKPT #0xAB, semihosting, "
                                  "is served)", insn & 0xFF, p));
      return;
    }
    if (s->isa == core::IsaFamily::rv32) {
      s->request_stop(StopReason::unsupported,
                      fmt::format("{} at PC 0x{:08x}: trap entry is not modelled in this version",
                                  intno == kRvExcpEcall ? "ECALL" : fmt::format("exception {}", intno), p - 4));
      return;
    }
    if ((intno == kArmExcpPrefetchAbort || intno == kArmExcpExceptionExit) && p >= kExcReturnMin) {
      s->exc_action = ExcAction::exc_return;
      s->exc_resume = p | 1;
      uc_emu_stop(uc);
      return;
    }
    if (intno == kArmExcpSwi) {
      // SVC is synchronous: SVCall (11) is taken now with the return address after the SVC, or
      // it would escalate to HardFault (Armv7-M ARM B1.5.4), which is not modelled.
      s->sys->sync(s->cycles);
      s->sys->set_pending(kExcSvCall);
      const int exc = s->sys->exception_to_take(s->masks());
      if (exc == 0) {
        s->request_stop(StopReason::unsupported,
                        fmt::format("SVC at PC 0x{:08x} cannot be taken at the current execution priority {} "
                                    "(it would escalate to HardFault, which is not modelled)",
                                    p - 2, s->sys->execution_priority(s->masks())));
        return;
      }
      s->exc_action = ExcAction::take;
      s->exc_number = exc;
      s->exc_resume = p;
      uc_emu_stop(uc);
      return;
    }
    else
      s->request_stop(StopReason::unsupported,
                      fmt::format("CPU exception {} at PC 0x{:08x}: exceptions are not modelled in this version",
                                  intno, p));
  }

  void request_stop(StopReason why, std::string message) {
    if (stop_requested) return;
    stop_requested = true;
    stop = why;
    stop_message = std::move(message);
    uc_emu_stop(uc);
  }

  // ---- system control space (DWT, SCB) ------------------------------------------------------
  // Cycle at which the instruction making the current data access issues (its static offset in
  // the block). The memory hook has counted the access before the device callback runs.
  Cycles cycle_of_current_insn() const {
    if (!cur || cur_accesses == 0) return cycles;
    const int i = insn_index(pc_of_access(cur_accesses - 1));
    return i < 0 ? cycles : cur_base + cur->info.insn_cycle_offset[static_cast<std::size_t>(i)];
  }

  // The system control space as a device on the bus: SysTick/NVIC/SCB/FP control go to the
  // Cortex-M system model, DWT->CYCCNT reads the modelled cycles, the rest reads back as written.
  struct ScsDevice final : mem::Device {
    Impl& sim;
    explicit ScsDevice(Impl& s) : sim(s) {}
    std::string_view name() const override { return "scs"; }
    std::uint32_t read(Addr offset, unsigned size, Cycles now) override { return sim.scs_read(offset, size, now); }
    void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) override {
      sim.scs_write(offset, size, value, now);
    }
  };

  std::uint32_t scs_read(Addr offset, unsigned size, Cycles now_cycles) {
    auto* s = this;
    const Addr a = kScsBase + offset;
    if (s->sys && s->sys->owns(a)) {
      const std::uint32_t w = s->sys->read(a, now_cycles) >> (8 * (a & 3));
      return size >= 4 ? w : w & ((1u << (8 * size)) - 1);
    }
    if (a == kDwtCyccnt)
      return s->cyccnt_enabled ? static_cast<std::uint32_t>(static_cast<std::int64_t>(now_cycles) - s->cyccnt_offset)
                               : s->cyccnt_frozen;
    if (a == kCpuid) return kCpuidCortexM4;
    auto it = s->scs_regs.find(a);
    return it == s->scs_regs.end() ? 0 : it->second;
  }

  void scs_write(Addr offset, unsigned size, std::uint32_t v, Cycles now_cycles) {
    auto* s = this;
    const Addr a = kScsBase + offset;
    const auto now = static_cast<std::int64_t>(now_cycles);
    if (s->sys && s->sys->owns(a)) {
      s->sys->write(a, size, v, static_cast<Cycles>(now));
      s->reschedule(static_cast<Cycles>(now));
      if (s->sys->reset_requested())
        s->request_stop(StopReason::unsupported,
                        fmt::format("system reset requested (AIRCR.SYSRESETREQ) by the instruction at PC "
                                    "0x{:08x}: reset is not modelled",
                                    s->pc_of_access(s->cur_accesses ? s->cur_accesses - 1 : 0)));
      return;
    }
    if (a == kDwtCyccnt) {
      s->cyccnt_frozen = v;
      s->cyccnt_offset = now - v;
      return;
    }
    if (a == kDwtCtrl) {
      const bool enable = v & 1;  // CYCCNTENA
      if (enable && !s->cyccnt_enabled) s->cyccnt_offset = now - s->cyccnt_frozen;
      if (!enable && s->cyccnt_enabled) s->cyccnt_frozen = static_cast<std::uint32_t>(now - s->cyccnt_offset);
      s->cyccnt_enabled = enable;
    }
    s->scs_regs[a] = v;
  }

  // ---- Cortex-M exceptions (docs/timing.md "Exceptions, SysTick and WFI") -------------------
  // Unicorn does no exception vectoring (unicorn-notes.md): the engine pushes and pops the frames
  // (Armv7-M ARM B1.5.6 "Exception entry behavior", B1.5.8 "Exception return behavior"), keeps
  // the SysTick/NVIC/SCB state in CortexMSystem and charges the costs of exceptions.toml.
  std::uint32_t reg(int id) const {
    std::uint32_t v = 0;
    uc_reg_read(uc, id, &v);
    return v;
  }
  void set_reg(int id, std::uint32_t v) { uc_reg_write(uc, id, &v); }

  PriorityMasks masks() const {
    PriorityMasks m;
    m.primask = reg(UC_ARM_REG_PRIMASK) & 1;
    if (sys->config().profile != ArmProfile::v6m) {
      m.faultmask = reg(UC_ARM_REG_FAULTMASK) & 1;
      m.basepri = static_cast<std::uint8_t>(reg(UC_ARM_REG_BASEPRI));
    }
    return m;
  }

  // At a block boundary (the block at `a` has not run): take the highest pending exception if
  // it preempts. Returns true when the emulator was stopped to take it. Inside an IT block the
  // exception waits for the next boundary (ITSTATE is not carried across host-made frames).
  bool exception_at_boundary(Addr a) {
    sys->sync(cycles);
    const int exc = sys->exception_to_take(masks());
    const bool in_it = (reg(UC_ARM_REG_XPSR) & 0x0600FC00u) != 0;
    if (exc == 0 || in_it) {
      reschedule(cycles);
      return false;
    }
    exc_action = ExcAction::take;
    exc_number = exc;
    exc_resume = a;
    uc_emu_stop(uc);
    return true;
  }

  // Sets the mode (IPSR), CONTROL and both stack pointers. QEMU banks SP by mode and
  // CONTROL.SPSEL and ignores some CONTROL writes depending on privilege and mode, so CONTROL is
  // written in both modes and the stack pointers last, where each lands in its own bank.
  void set_core_mode(std::uint32_t xpsr, std::uint32_t control, std::uint32_t msp, std::uint32_t psp) {
    set_reg(UC_ARM_REG_CONTROL, control);
    set_reg(UC_ARM_REG_XPSR_NZCVQG, xpsr | (1u << 24));  // IPSR, EPSR (T set), APSR
    set_reg(UC_ARM_REG_CONTROL, control);
    set_reg(UC_ARM_REG_MSP, msp);
    set_reg(UC_ARM_REG_PSP, psp);
  }

  void charge_exception(Cycles cost) {
    cycles += cost;
    exception_overhead += cost;
    prev = nullptr;  // the refill of the interrupted/returning flow is part of the cost
    cur = nullptr;
  }

  // Loads the vector of `exc` and sets `start` to it; false (after a stop) when it is unusable.
  bool vector_of(int exc, std::uint32_t& start) {
    const Addr at = sys->vtor() + 4u * static_cast<Addr>(exc);
    std::uint32_t v = 0;
    if (uc_mem_read(uc, at, &v, 4) != UC_ERR_OK || !(v & 1) || !in_memory(v & ~1u, 2, false)) {
      request_stop(StopReason::fault,
                   fmt::format("firmware fault: exception {} vector at 0x{:08x} (VTOR 0x{:08x}) is 0x{:08x}, not a "
                               "Thumb address in memory", exc, at, sys->vtor(), v));
      return false;
    }
    start = v & ~1u;
    return true;
  }

  // Exception entry (B1.5.6 PushStack/ExceptionTaken): pushes the basic frame (8 words) or, with
  // CONTROL.FPCA set, the extended frame (26 words: + S0-S15, FPSCR, reserved) on the current
  // stack, sets LR = EXC_RETURN, IPSR, Handler mode on MSP, FPCA = 0, and resumes at the vector.
  // FPCA is the core's own: QEMU sets it when an FP instruction executes in the context.
  bool enter_exception(int exc, Addr return_addr, std::uint32_t& start) {
    const std::uint32_t xpsr = reg(UC_ARM_REG_XPSR), control = reg(UC_ARM_REG_CONTROL);
    std::uint32_t msp = reg(UC_ARM_REG_MSP), psp = reg(UC_ARM_REG_PSP);
    const bool handler = (xpsr & 0x1FF) != 0, on_psp = !handler && (control & 2);
    const bool fpca = sys->config().has_fpu && (control & 4);
    const std::uint32_t frame_size = fpca ? 0x68 : 0x20;
    std::uint32_t& sp = on_psp ? psp : msp;
    const std::uint32_t realign = (sys->stack_align8() && (sp & 4)) ? 1 : 0;
    const std::uint32_t frame = (sp - frame_size) & ~(realign << 2);
    std::uint32_t words[26] = {reg(UC_ARM_REG_R0), reg(UC_ARM_REG_R1), reg(UC_ARM_REG_R2), reg(UC_ARM_REG_R3),
                               reg(UC_ARM_REG_R12), reg(UC_ARM_REG_LR), return_addr & ~1u,
                               (xpsr & ~(1u << 9)) | (realign << 9)};
    if (fpca) {
      // The FP state is always stored (functionally); with lazy stacking (FPCCR.LSPEN) it is
      // charged only if the handler uses the FPU (see return_from_exception).
      for (int i = 0; i < 8; ++i) {
        std::uint64_t d = 0;
        uc_reg_read(uc, UC_ARM_REG_D0 + i, &d);
        words[8 + 2 * i] = static_cast<std::uint32_t>(d);
        words[9 + 2 * i] = static_cast<std::uint32_t>(d >> 32);
      }
      words[24] = reg(UC_ARM_REG_FPSCR);
      words[25] = 0;
    }
    if (!in_memory(frame, frame_size, true) || uc_mem_write(uc, frame, words, frame_size) != UC_ERR_OK) {
      request_stop(StopReason::fault,
                   fmt::format("firmware fault: stacking exception {} at PC 0x{:08x}: frame 0x{:08x}-0x{:08x} "
                               "({}) is not writable SRAM (stack overflow?)",
                               exc, return_addr, frame, frame + frame_size - 1, region_name(frame)));
      return false;
    }
    const bool lazy = fpca && sys->fp_lazy();
    const std::uint32_t stored_words = lazy || !fpca ? 8 : 26;
    sram.writes += stored_words;
    sram.write_bytes += 4ull * stored_words;
    if (frame < stack_low && frame >= stack_floor) stack_low = frame;
    if (!written.empty())
      for (std::size_t i = 0; i < board.sram.size(); ++i)
        if (board.sram[i].contains(frame)) mark_written(i, frame, 4 * stored_words);
    sp = frame;
    if (lazy) sys->set_lazy_fp_pending(frame + 0x20);
    const std::uint32_t exc_return =
        (fpca ? 0xFFFFFFE1u : 0xFFFFFFF1u) | (handler ? 0 : 8u) | (on_psp ? 4u : 0);
    if (!vector_of(exc, start)) return false;
    set_core_mode((xpsr & ~0x0600FDFFu) | static_cast<std::uint32_t>(exc), control & ~6u, msp, psp);
    set_reg(UC_ARM_REG_LR, exc_return);
    sys->activate(exc);
    ++exceptions_taken;
    charge_exception(exc_costs.entry + (fpca && !lazy ? exc_costs.fp_entry_extra : 0));
    reschedule(cycles);
    return true;
  }

  // Exception return (B1.5.8): deactivates the running exception; tail-chains to the next one
  // that preempts the context returned to (frame kept, LR unchanged), else unstacks the frame
  // named by EXC_RETURN (bit 4 = basic frame, bit 3 = Thread mode, bit 2 = PSP).
  bool return_from_exception(Addr exc_return, std::uint32_t& start) {
    const std::uint32_t xpsr = reg(UC_ARM_REG_XPSR), control = reg(UC_ARM_REG_CONTROL);
    const int exc = static_cast<int>(xpsr & 0x1FF);
    if (!sys->deactivate(exc)) {
      request_stop(StopReason::fault, fmt::format("firmware fault: exception return 0x{:08x} from exception {} "
                                                  "which is not active", exc_return, exc));
      return false;
    }
    // A peripheral still holding its interrupt line high pends it again (level-sensitive lines).
    if (exc >= kExcIrq0 && static_cast<std::size_t>(exc - kExcIrq0) < irq_level.size() &&
        irq_level[static_cast<std::size_t>(exc - kExcIrq0)] == 3)
      sys->set_pending(exc);
    Cycles cost = 0;
    // Lazy FP preservation: the handler used the FPU (the core set FPCA again), so the state was
    // saved at its first FP instruction; charged here.
    if ((control & 4) && sys->lazy_fp_pending()) {
      cost += exc_costs.fp_entry_extra;
      sys->clear_lazy_fp_pending();
    }
    sys->sync(cycles);
    const int next = sys->exception_to_take(masks());
    if (next != 0) {  // tail-chaining
      if (!vector_of(next, start)) return false;
      set_reg(UC_ARM_REG_CONTROL, control & ~4u);
      set_reg(UC_ARM_REG_IPSR, static_cast<std::uint32_t>(next));
      set_reg(UC_ARM_REG_LR, exc_return);
      sys->activate(next);
      ++exceptions_taken;
      charge_exception(cost + exc_costs.tail_chain);
      reschedule(cycles);
      return true;
    }
    const bool to_thread = exc_return & 8, to_psp = to_thread && (exc_return & 4);
    const bool extended = !(exc_return & 0x10);
    if (to_thread && sys->nesting() != 0) {
      request_stop(StopReason::fault, fmt::format("firmware fault: exception return 0x{:08x} to Thread mode with "
                                                  "exception {} still active", exc_return, sys->active_exception()));
      return false;
    }
    std::uint32_t msp = reg(UC_ARM_REG_MSP), psp = reg(UC_ARM_REG_PSP);
    std::uint32_t& sp = to_psp ? psp : msp;
    const std::uint32_t frame_size = extended ? 0x68 : 0x20;
    std::uint32_t words[26] = {};
    if (uc_mem_read(uc, sp, words, frame_size) != UC_ERR_OK) {
      request_stop(StopReason::fault, fmt::format("firmware fault: unstacking exception {} from 0x{:08x} ({})", exc,
                                                  sp, region_name(sp)));
      return false;
    }
    const bool fp_saved = extended && !sys->lazy_fp_pending();  // else the state never left the FPU
    sys->clear_lazy_fp_pending();
    if (extended) {
      for (int i = 0; i < 8; ++i) {
        const std::uint64_t d = words[8 + 2 * i] | (std::uint64_t{words[9 + 2 * i]} << 32);
        uc_reg_write(uc, UC_ARM_REG_D0 + i, &d);
      }
      set_reg(UC_ARM_REG_FPSCR, words[24]);
    }
    const int gpr_ids[6] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
    for (int i = 0; i < 6; ++i) set_reg(gpr_ids[i], words[i]);
    const std::uint32_t loaded_words = fp_saved ? 26 : 8;
    sram.reads += loaded_words;
    sram.read_bytes += 4ull * loaded_words;
    const std::uint32_t psr = words[7];
    sp = (sp + frame_size) | ((sys->stack_align8() && (psr & (1u << 9))) ? 4u : 0u);
    const std::uint32_t new_control = (control & ~6u) | (to_psp ? 2u : 0) | (extended ? 4u : 0);
    set_core_mode(psr & ~(1u << 9), new_control, msp, psp);
    start = words[6] & ~1u;
    charge_exception(cost + exc_costs.exit + (fp_saved ? exc_costs.fp_exit_extra : 0));
    reschedule(cycles);
    return true;
  }

  // WFI (Unicorn ended the run with the PC after it): sleep until the next wake-up event
  // (B1.5.19: a pending exception that would preempt with PRIMASK ignored), counted as sleep
  // cycles. The exception is then taken at the first block boundary. Returns false after a stop.
  // A branch to itself at `at` (about to run): it can only be left through an exception. When no
  // enabled source can ever interrupt it (interrupts masked by PRIMASK/FAULTMASK, or no enabled
  // SysTick and no device event), stops the run as `stuck` at once and returns true.
  bool never_progresses(Addr at) {
    std::string why;
    if (isa == core::IsaFamily::arm_m) {
      const PriorityMasks m = masks();
      sys->sync(cycles);
      if (m.primask || m.faultmask)
        why = fmt::format("interrupts are masked ({})", m.primask ? "PRIMASK = 1, e.g. `cpsid i; b .` as in the "
                                                                      "HAL's Error_Handler"
                                                                    : "FAULTMASK = 1");
      else if (!sys->wake_cycle(cycles, m) && bus.next_event() == mem::kNoEvent)
        why = "no exception source is enabled (SysTick off or without TICKINT, no device event)";
    } else if (bus.next_event() == mem::kNoEvent) {
      why = "no device event can interrupt it";
    }
    if (why.empty()) return false;
    request_stop(StopReason::stuck,
                 fmt::format("the firmware can never progress: a branch to itself at PC 0x{:08x} ({}) and {}", at,
                             region_name(at), why));
    return true;
  }

  bool sleep_in_wfi() {
    const Addr p = pc();
    std::uint16_t h = 0;
    std::uint32_t w = 0;
    Addr at = 0;
    if (uc_mem_read(uc, p - 2, &h, 2) == UC_ERR_OK && h == kWfiT1)
      at = p - 2;
    else if (uc_mem_read(uc, p - 4, &w, 4) == UC_ERR_OK && w == kWfiT2)
      at = p - 4;
    else {
      request_stop(StopReason::unsupported,
                   fmt::format("the emulator stopped at PC 0x{:08x} without a reason the simulator knows", p));
      return false;
    }
    for (;;) {
      sys->sync(cycles);
      const auto wake = sys->wake_cycle(cycles, masks());
      const Cycles device_event = bus.next_event();
      if (wake && *wake <= device_event) {
        sleep += *wake - cycles;
        cycles = *wake;
        break;
      }
      if (device_event == mem::kNoEvent && (!wake) && host_sends(cycles)) continue;
      if (device_event == mem::kNoEvent) {
        if (soc && soc->input_exhausted(cycles)) {
          request_stop(StopReason::waiting_for_input,
                       fmt::format("waiting for UART input: WFI at 0x{:08x} with the host input used up", at));
          return false;
        }
        request_stop(StopReason::fault,
                     fmt::format("WFI at 0x{:08x} with no enabled interrupt: the core would sleep forever", at));
        return false;
      }
      // A device needs attention first (it may raise an interrupt line): sleep until then.
      if (device_event > cycles) {
        sleep += device_event - cycles;
        cycles = device_event;
      }
      if (bus.advance(cycles) <= cycles) {
        request_stop(StopReason::unsupported,
                     fmt::format("device event at cycle {}: a device did not move its next event past it", cycles));
        return false;
      }
      if (stop_requested) return false;
    }
    sys->sync(cycles);
    reschedule(cycles);
    return true;
  }

  // ---- GuestMemory / SemihostHost ----------------------------------------------------------
  bool read(Addr addr, void* out, std::uint32_t size) override {
    return uc_mem_read(uc, addr, out, size) == UC_ERR_OK;
  }
  bool write(Addr addr, const void* in, std::uint32_t size) override {
    return uc_mem_write(uc, addr, in, size) == UC_ERR_OK;
  }
  void console_write(std::string_view text) override {
    // Capped (kMaxConsoleBytes): a print loop must not fill the host's memory. The cut is said in
    // the console text itself and in RunResult::console_truncated.
    if (console_truncated) return;
    if (console.size() + text.size() > kMaxConsoleBytes) {
      text = text.substr(0, kMaxConsoleBytes - console.size());
      console_truncated = true;
    }
    console.append(text);
    if (console_sink) console_sink(text);
    if (echo) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    }
    if (console_truncated) {
      const std::string note = fmt::format("\n[mcusim: console output truncated at {} bytes]\n", kMaxConsoleBytes);
      console += note;
      if (echo) std::fputs(note.c_str(), stdout);
    }
  }
  void exit(int status, std::string_view why) override {
    exit_code = status;
    request_stop(StopReason::exited, std::string(why));
  }
  int console_read_char() override {
    if (console_reader) return console_reader();
    if (input_pos >= console_input.size()) return -1;
    return static_cast<unsigned char>(console_input[input_pos++]);
  }
  Cycles now_cycles() const override { return cycles; }
  Hertz clock_hz() const override { return board.clock_hz; }
  void unsupported(std::string message) override {
    request_stop(StopReason::unsupported, fmt::format("{} (PC 0x{:08x})", message, pc()));
  }
  void roi_begin(std::uint32_t id, std::string label) override {
    // Bounded (kMaxRegions distinct ids, kMaxOpenRegions open at once): each costs host memory.
    if (!region_index.count(id) && regions.size() >= kMaxRegions) {
      request_stop(StopReason::unsupported,
                   fmt::format("region-of-interest id {} is one more than the {} distinct ids a run may have "
                               "(PC 0x{:08x})", id, kMaxRegions, pc()));
      return;
    }
    if (open_regions.size() >= kMaxOpenRegions) {
      request_stop(StopReason::unsupported,
                   fmt::format("region-of-interest id {}: {} regions are open already (nested without end; PC "
                               "0x{:08x})", id, kMaxOpenRegions, pc()));
      return;
    }
    auto [it, inserted] = region_index.emplace(id, regions.size());
    if (inserted) {
      RegionResult r;
      r.id = id;
      r.attrs = parse_label(label);
      r.label = std::move(label);
      regions.push_back(std::move(r));
    }
    open_regions.push_back({id, it->second, snapshot()});
    if (profiler) profiler->on_region(region_label(regions[it->second]), true, cycles);
  }
  static std::string region_label(const RegionResult& r) {
    auto it = r.attrs.find("name");
    return it != r.attrs.end() ? it->second : r.label;
  }
  void roi_end(std::uint32_t id) override {
    for (auto it = open_regions.rbegin(); it != open_regions.rend(); ++it) {
      if (it->id != id) continue;
      RegionResult& r = regions[it->index];
      r.counters += snapshot() - it->at_begin;
      ++r.instances;
      if (profiler) profiler->on_region(region_label(r), false, cycles);
      open_regions.erase(std::next(it).base());
      return;
    }
    request_stop(StopReason::unsupported,
                 fmt::format("region-of-interest end for id {} which is not open (PC 0x{:08x})", id, pc()));
  }

  Counters snapshot(bool classes = true) const {
    Counters c;
    c.instructions = instret;
    c.cycles = cycles;
    c.branch_penalty_cycles = branch_penalty;
    c.divide_extra_cycles = divide_extra;
    c.sleep_cycles = sleep;
    c.exception_cycles = exception_overhead;
    c.exceptions = exceptions_taken;
    c.multiply_extra_cycles = multiply_extra;
    if (classes)
      for (const Block* b : block_list)
        if (b->exec_count)
          for (std::size_t i = 0; i < c.classes.size(); ++i) c.classes[i] += b->exec_count * b->info.class_counts[i];
    c.flash = flash.stats();
    c.sram = sram;
    c.tcm = tcm;
    c.ram_regions = ram_regions;
    if (l1i) c.l1i = l1i->stats();
    if (l1d) c.l1d = l1d->stats();
    c.peripheral_accesses = peripheral;
    return c;
  }

  power::EnergyBreakdown energy_of(const Counters& c) const { return energy_of_at(c, board.clock_hz); }
  /// Energy of `c` with its cycles at `clock_hz` (the firmware's programmed clock).
  power::EnergyBreakdown energy_of_at(const Counters& c, Hertz clock_hz) const {
    return power::compute_energy(energy, energy_events(c, clock_hz, energy.flash_kind));
  }

  // EBREAK on RISC-V stops Unicorn with the PC at it (unicorn-notes.md). A semihosting sequence
  // (slli x0,x0,0x1f; ebreak; srai x0,x0,7) is served and execution resumes after it (PC + 8);
  // a plain EBREAK ends the run on boards with ebreak_exits, else it is a fault. Returns true to
  // continue the run, with `start` set to the resume address.
  bool serve_riscv_ebreak(std::uint32_t& start) {
    const std::uint32_t p = pc();
    std::uint32_t before = 0, after = 0, here = 0;
    uc_mem_read(uc, p, &here, 4);
    const bool sequence = here == kRvEbreak && uc_mem_read(uc, p - 4, &before, 4) == UC_ERR_OK &&
                          uc_mem_read(uc, p + 4, &after, 4) == UC_ERR_OK && before == kRvSlliX0 &&
                          after == kRvSraiX0;
    if (sequence) {
      std::uint32_t r0 = gpr(10), r1 = gpr(11);
      r0 = semihost.call(r0, r1, *this, *this);
      uc_reg_write(uc, regs.gpr[10], &r0);
      if (stop_requested) return false;
      start = p + 8;
      return true;
    }
    if (board.ebreak_exits) {
      exit(0, "EBREAK (the board ends the run on ebreak)");
      return false;
    }
    request_stop(StopReason::fault, fmt::format("firmware fault: EBREAK at PC 0x{:08x} ({}) that is not a "
                                                "semihosting call", p, region_name(p)));
    return false;
  }

  RunResult run(const RunOptions& opts) {
    max_instructions = opts.max_instructions;
    echo = opts.echo_console;
    for (const auto& [name, bytes] : opts.uart_input) {
      if (!soc)
        throw InputError(fmt::format("--uart {}: board {} has no SoC peripherals (no `soc` key, docs/boards.md)", name,
                                     board.name));
      soc->feed(name, bytes);
    }
    for (const auto& [name, reader] : opts.uart_reader) {
      if (!soc)
        throw InputError(fmt::format("--uart {}: board {} has no SoC peripherals (no `soc` key, docs/boards.md)", name,
                                     board.name));
      soc->set_reader(name, reader);
    }
    console_input = opts.console_input;
    input_pos = 0;
    console_reader = opts.console_reader;
    console_sink = opts.console_sink;
    started = true;
    next_event_check = std::min(next_event_check, bus.next_event());
    if (opts.progress && opts.progress_every > 0) {
      progress = opts.progress;
      progress_every = opts.progress_every;
      next_progress = progress_every;
    }
    if (opts.profile) {
      symtab = std::make_unique<SymbolTable>(firmware);
      profiler = std::make_unique<Profiler>(
          *symtab, board.clock_hz, *opts.profile, [this] { return snapshot(false); },
          [this](const Counters& c) { return energy_of(c).total_pj(); });
    }
    observing = profiler || progress;
    std::uint32_t start = reset_pc;
    const bool arm = isa == core::IsaFamily::arm_m;
    for (;;) {
      restart_requested = false;
      uc_err err = uc_emu_start(uc, arm ? (start | 1) : start, 0, 0, 0);
      if (stop_requested) break;
      if (restart_requested) {
        start = pc();
        continue;
      }
      if (exc_action != ExcAction::none) {
        const ExcAction action = exc_action;
        exc_action = ExcAction::none;
        const bool ok = action == ExcAction::take ? enter_exception(exc_number, exc_resume, start)
                                                  : return_from_exception(exc_resume, start);
        if (!ok || stop_requested) break;
        continue;
      }
      if (err != UC_ERR_OK && !arm && is_ebreak(pc())) {
        if (serve_riscv_ebreak(start)) continue;
        break;
      }
      if (err != UC_ERR_OK) {
        const std::uint32_t p = pc();
        request_stop(StopReason::fault, fmt::format("firmware fault: {} at PC 0x{:08x} ({})", uc_strerror(err),
                                                    p, region_name(p)));
        break;
      }
      // Returned without a stop request: Unicorn ends the run at WFI (unicorn-notes.md).
      if (arm) {
        if (!sleep_in_wfi()) break;
        start = pc();
        continue;
      }
      request_stop(StopReason::unsupported,
                   fmt::format("WFI at PC 0x{:08x}: no interrupt source is modelled in this version, "
                               "the core would sleep forever", pc() - (arm ? 2 : 4)));
      break;
    }
    RunResult r;
    r.board = board;
    r.core_model = std::string(core->name());
    r.firmware = firmware;
    r.stop = stop;
    r.exit_code = exit_code;
    r.stop_message = stop_message;
    r.total = snapshot();
    r.energy = energy_of(r.total);
    r.energy_table = energy.name;
    r.energy_model = energy;
    for (auto& reg : regions) reg.energy = energy_of(reg.counters);
    r.regions = regions;
    footprint.stack_peak = initial_sp - stack_low;
    if (!footprint.from_sections) measure_image_sram();
    // The firmware may report its activation arena (a part of .bss) as a console line
    // "arena_bytes=<N>" (docs/firmware-interface.md).
    if (auto pos = console.find("arena_bytes="); pos != std::string::npos)
      footprint.arena = std::strtoull(console.c_str() + pos + 12, nullptr, 10);
    r.footprint = footprint;
    r.console = console;
    r.console_truncated = console_truncated;
    if (soc) {
      r.soc.soc = board.soc;
      r.soc.programmed_clock_hz = programmed_clock;
      r.soc.clock_set_at = clock_set_at;
      r.soc.uart_output = uart_out;
      for (const auto& e : soc->gpio_edges()) r.soc.gpio_edges.push_back({e.pin, e.level, e.cycle});
      r.soc.warnings = soc->warnings();
      if (programmed_clock && programmed_clock != board.clock_hz) {
        r.soc.warnings.push_back(fmt::format("the firmware programmed a {} Hz core clock; the board's clock_hz is {} Hz: "
                                             "latency and energy use the programmed clock",
                                             programmed_clock, board.clock_hz));
        r.board.clock_hz = programmed_clock;
        r.energy = energy_of_at(r.total, programmed_clock);
        for (auto& reg : r.regions) reg.energy = energy_of_at(reg.counters, programmed_clock);
      }
    }
    if (profiler) {
      std::vector<std::pair<const core::BlockInfo*, std::uint64_t>> executed;
      for (const Block* b : block_list) executed.push_back({&b->info, b->exec_count});
      r.profile = std::make_shared<const Profile>(profiler->finish(cycles, executed));
      profiler.reset();
    }
    return r;
  }
};

Simulation::Simulation(const BoardConfig& board, const ElfImage& image)
    : impl_(std::make_unique<Impl>(board, image)) {}
Simulation::~Simulation() = default;
RunResult Simulation::run(const RunOptions& opts) { return impl_->run(opts); }
void Simulation::attach_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device) {
  impl_->attach_device(base, size, std::move(device));
}
mem::DeviceHost& Simulation::device_host() { return *impl_; }

}  // namespace mcusim
