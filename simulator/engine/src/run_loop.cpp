// The run loop (issue 12): ISA-neutral. It receives the engine events of the Unicorn seam
// (seam/events.h) and, per block, charges the static cost from the core model, the fetch and data
// timing from the memory system, the dynamic sites, the stop conditions, the regions of interest
// and the event scheduling (the next cycle a device or the system model needs attention). What
// the core does around the instructions (exceptions, traps, reset, sleep) is the system model's
// (isa_system.h); it never calls Unicorn (style-anchors principle 1).
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

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>

#include "board_devices.h"
#include "isa_system.h"
#include "mcusim/energy_report.h"
#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"
#include "mcusim/devices/soc.h"
#include "mcusim/semihosting.h"
#include "mcusim/simulation.h"
#include "mcusim/profile.h"
#include "region_table.h"
#include "seam/events.h"
#include "seam/seam.h"

namespace mcusim {
namespace {

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
  // FetchPath::l1: the I-cache line index (L1Cache::last_line_index) of each fetch unit at the
  // block's last fetch, valid while the I-cache's tag generation is still l1_generation (0: no
  // memo). Then the lines are all present where they were (l1_fetch).
  std::vector<std::uint32_t> l1_lines;
  std::uint64_t l1_generation = 0;
  // FetchPath::ram: 32-bit fetches of the block, and more when it is left by a taken branch.
  std::uint32_t ram_fetch_words = 0, ram_fetch_words_fallthrough = 0, ram_fetch_words_taken_exit = 0;
  int region = -1;  // memory region of the code: -1 flash, else index into board.sram
  std::uint64_t exec_count = 0;
  bool self_loop = false;  // one branch to its own address (`b .`, `j .`): checked for no progress
  // Accesses whose alignment the core always checks (IsaSystem::alignment_needs), per
  // instruction; align_check = any. Looked at only for an access misaligned to its own size.
  std::vector<std::uint8_t> align_need;
  bool align_check = false;
  bool stack_select = false;  // may change the stack the core runs on (IsaSystem::may_select_stack)
  std::size_t function = SIZE_MAX;  // profiling: the block's function (Profiler), once per block
};

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
/// Most counter snapshots at edges of RunOptions::snapshot_pin (each holds a Counters).
constexpr std::size_t kMaxPinSnapshots = 65536;
/// Bytes below the SP a stack store may write before the SP moves (VPUSH of 32 single registers).
constexpr std::uint32_t kStoreReach = 128;
/// Most console bytes kept per run (16 MiB); the rest is dropped and the result says so.
constexpr std::size_t kMaxConsoleBytes = 16u << 20;

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
  Cycles access_wait_states() const override { return d_.access_wait_states(); }

 private:
  mem::Device& d_;
};

using seam::Reg;

// The run loop and the machine around it: the Unicorn seam, the memory system, the device bus and
// the system model. Simulation::Impl is this class.
class RunLoop : public GuestMemory, public SemihostHost, public mem::DeviceHost, public SystemHost {
 public:
  BoardConfig board;
  std::string firmware;
  std::unique_ptr<core::CoreModel> core;
  power::EnergyTable energy;
  mem::Flash flash;
  std::unique_ptr<mem::L1Cache> l1i, l1d;  // core L1 caches, when the board has them enabled
  // The Unicorn seam: members declared below (devices, the system model) are destroyed before
  // it closes the engine.
  std::unique_ptr<seam::Seam> cpu_;
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
  // SRAM traffic per board.sram region; the sram/tcm totals of the results are their sums by kind
  // (snapshot()) plus what the system model's frame accesses add here, which no region gets.
  std::vector<SramCounters> ram_regions;
  SramCounters frame_sram;
  // Per board.sram region, what the memory hook needs on every access (no BoardConfig lookups):
  // its wait states and whether its data goes through the L1 D-cache.
  struct RamHot {
    std::uint32_t wait_states = 0;
    bool through_l1d = false;
  };
  std::vector<RamHot> ram_hot;
  RegionTable region_table;  // flash / SRAM region / other, per 1 KiB page (region_table.h)
  std::uint64_t peripheral = 0;
  Addr stack_low = 0;
  // Heap (docs/results-schema.md "footprint"): from the ELF's heap-start symbol, when it lies
  // between the static data and the initial SP; heap_high = end of the highest heap write.
  Addr heap_start = 0xFFFFFFFF, heap_high = 0;
  // Process stack (Cortex-M PSP, footprint.process_stack_peak): whether the core runs on it now,
  // the highest SP seen when it was selected, and the lowest write within the SP's reach on it.
  bool process_stack = false;
  Addr psp_top = 0, psp_low = 0xFFFFFFFF;
  const Block* prev = nullptr;
  Addr prev_end = 0;
  const Block* cur = nullptr;
  Cycles cur_base = 0;  // cycle at which the current block's first instruction issues
  std::uint64_t cur_instret_base = 0;  // retired instructions before the current block
  bool cur_fell_through = false;       // the current block was entered by falling through
  Addr resume_at = 1;                  // a hook moved the PC here inside the current block
  std::uint32_t cur_accesses = 0;  // data accesses made so far by the current block
  // The current block's accesses pipelined behind a load (BlockInfo::pipelined_accesses) and the
  // memory (RegionTable code) of its latest access: a pipelined access to another memory than
  // the access before it pays the saving back (pipelined_access()).
  std::uint64_t cur_pipelined = 0;
  std::uint8_t last_access_code = 0;
  // The parts of a page-crossing unaligned access Unicorn still has to report (on_mem).
  std::uint32_t split_parts_left = 0, split_part_bytes = 0;
  Addr split_next = 0;
  std::uint32_t page_bytes = 1024;  // Unicorn's page (cpu_->page_bytes())
  Addr last_access = 0;            // address of the last data access the memory hook saw
  std::uint64_t max_instructions = 0;
  bool predicting = false;  // the core model predicts branches (leave_block on every transition)
  // First cycle at which the block hook must look at the system model and the devices: a pending
  // exception, the next SysTick wrap (cortex_m_system.h) or the earliest next_event() of a device
  // on the bus. kNever when nothing can happen. One compare per block on the hot path.
  Cycles next_event_check = IsaSystem::kNever;
  struct Slot {
    Addr start = 1;  // odd: never a block start
    std::uint32_t size = 0;
    Block* block = nullptr;
  };
  std::array<Slot, 8192> slots{};  // direct-mapped front of the block map

  // --- cold state ----------------------------------------------------------------------------
  std::unordered_map<std::uint64_t, std::unique_ptr<Block>> blocks;  // key: start << 32 | size
  std::vector<Block*> block_list;                                   // decode order
  std::set<Addr> site_hook_addrs;   // code hooks bound to divides and counter CSR reads:   // their addresses: one hook per address (blocks can overlap)
  // Illegal-instruction sites (BlockInfo::illegal_insns): why each is illegal.
  std::map<Addr, core::IllegalInsnKind> illegal_kinds;
  Semihosting semihosting;
  bool echo = false;
  std::string console_input;  // SYS_READC bytes (RunOptions::console_input)
  std::function<int()> console_reader;                     // RunOptions::console_reader
  std::function<void(std::string_view)> console_sink;      // RunOptions::console_sink
  std::size_t input_pos = 0;
  std::string console;
  bool console_truncated = false;  // more than kMaxConsoleBytes were written
  bool stopping = false, restart_requested = false;
  StopReason stop = StopReason::exited;
  int exit_code = 0;
  std::string stop_message;
  struct OpenRegion {
    std::uint32_t id;
    std::size_t index;
    Counters at_begin;
  };
  std::vector<OpenRegion> open_regions;
  // Counter snapshots at the output edges of one GPIO pin (RunOptions::snapshot_pin).
  std::string snapshot_pin;
  std::size_t edges_seen = 0;
  std::vector<PinSnapshot> pin_snapshots;
  std::vector<RegionResult> regions;
  std::map<std::uint32_t, std::size_t> region_index;
  // The system model of the core's ISA (isa_system.h): exceptions, traps, reset, sleep.
  std::unique_ptr<IsaSystem> sys;
  // Profiling (--profile): null when off, and then the block hook pays one test.
  std::unique_ptr<SymbolTable> symtab;
  std::unique_ptr<Profiler> profiler;
  bool observing = false;  // a profiler or a progress display is attached
  // Progress display (RunOptions::progress): next cycle count at which to call it.
  Cycles next_progress = IsaSystem::kNever;
  std::function<void(Cycles, std::uint64_t)> progress;
  Cycles progress_every = 0;
  Cycles sleep = 0, exception_overhead = 0;
  std::uint64_t exceptions_taken = 0;

  // Device bus: the console and halt registers, the system model's register space (the Cortex-M
  // SCS) and devices attached by the caller. Each run of device pages is one seam device window.
  mem::DeviceBus bus;
  std::set<Addr> mmio_pages;
  bool started = false;  // run() was called: no more devices

  // SoC peripherals (board `soc`, docs/peripherals.md): the models, the level of each interrupt
  // line, what each UART sent, the core clock the firmware programmed, and spin detection.
  std::unique_ptr<dev::Soc> soc;
  std::map<std::string, std::string> uart_out;
  Hertz programmed_clock = 0;
  Cycles clock_set_at = 0;
  Addr spin_block = 1;
  std::uint64_t spin_count = 0, writes_total = 0, spin_writes = 0;
  std::array<std::uint32_t, 16> spin_regs{};

  RunLoop(const BoardConfig& b, const ElfImage& image) : board(b), flash(b.flash) {
    firmware = image.path.string();
    core = load_board_core(b);
    energy = load_run_energy_table(b);  // rescaled to the board's vdd_v
    sys = make_isa_system(core->isa_family(), b, core->unicorn_cpu(), image, *this);
    cpu_ = std::make_unique<seam::Seam>(core->isa_family(), std::string(core->unicorn_cpu()),
                                        static_cast<void*>(this));
    page_bytes = cpu_->page_bytes();
    predicting = core->predicts_branches();
    if (b.l1.present && b.l1.icache.enabled) l1i = std::make_unique<mem::L1Cache>(b.l1.icache, "cache.icache");
    if (b.l1.present && b.l1.dcache.enabled) l1d = std::make_unique<mem::L1Cache>(b.l1.dcache, "cache.dcache");
    ram_regions.resize(b.sram.size());
    std::vector<RegionTable::Range> ranges;
    for (auto& r : b.sram) {
      ranges.push_back({r.base, r.size_bytes});
      ram_hot.push_back({r.wait_states, l1d && r.cacheable});
    }
    region_table = RegionTable({b.flash.base, b.flash.size_bytes}, std::move(ranges));
    // An access in a device page but outside every device faults like any unmapped access.
    bus.on_unmapped([this](Addr a, unsigned size, bool write, Cycles) {
      request_stop(StopReason::fault,
                   fmt::format("firmware fault: {} unmapped address 0x{:08x} ({} bytes, {}) by the instruction at "
                               "PC 0x{:08x}", write ? "write to" : "read from", a, size, region_name(a),
                               cur_accesses > 0 ? pc_of_access(cur_accesses - 1) : pc()));
    });
    map_memories();
    load(image);
    if (!b.soc.empty()) attach_soc();
    cpu_->install_hooks();
  }
  ~RunLoop() override = default;  // members declared after cpu_ go first; then it closes Unicorn

  std::string region_name(Addr a) const override {
    if (flash.contains(a)) return "flash";
    for (auto& s : board.sram)
      if (s.contains(a)) return s.name;
    if (const char* own = sys->region_name(a)) return own;
    return "no memory region";
  }

  void map_memories() {
    auto map = [&](Addr base, std::uint32_t size, seam::Perm perms, const std::string& name) {
      if (base % cpu_->page_bytes() || size % cpu_->page_bytes())
        throw InputError(fmt::format("{}: {} at 0x{:08x} size {} is not aligned to the emulator's {}-byte pages",
                                     board.file.string(), name, base, size, cpu_->page_bytes()));
      cpu_->map(base, size, perms);
    };
    if (board.has_flash) map(board.flash.base, board.flash.size_bytes, seam::Perm::read_exec, "flash");
    for (auto& s : board.sram) map(s.base, s.size_bytes, seam::Perm::all, s.name);
    // The system model's register space (the Cortex-M SCS) and the board's console and halt
    // registers are devices on the bus.
    if (auto cs = sys->control_space()) map_device(cs->base, cs->size, std::move(cs->device), cs->what);
    if (board.console_address)
      map_device(*board.console_address, 1, std::make_unique<ConsoleRegister>(*this, board.device_wait_states),
                 "console/halt register");
    if (board.halt_address && board.halt_address != board.console_address)
      map_device(*board.halt_address, 1, std::make_unique<HaltRegister>(*this, board.device_wait_states),
                 "console/halt register");
  }

  // Puts `device` on the bus at [base, base + size) and maps the pages it needs that are not yet
  // device pages as seam device windows. `what` names it in the error when a page overlaps memory.
  void map_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device, const std::string& what) {
    const Addr pb = cpu_->page_bytes();
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
      cpu_->map_device_window(run, static_cast<std::uint32_t>(p - run));
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
  std::uint32_t mmio_read(Addr addr, unsigned size) {
    RunLoop* s = this;
    const Cycles now = s->cycle_of_current_insn();
    const std::uint32_t v = s->bus.read(addr, size, now);
    if (s->soc && s->soc->idle_rx_polls() > kIdlePolls && s->soc->uarts_idle() && !s->host_sends(now) &&
        s->soc->input_exhausted(now))
      s->request_stop(StopReason::waiting_for_input,
                      "waiting for UART input: the host input is used up and the firmware polls an empty receiver");
    s->next_event_check = std::min(s->next_event_check, s->bus.next_event());
    return v;
  }

  void mmio_write(Addr addr, unsigned size, std::uint32_t value) {
    RunLoop* s = this;
    s->bus.write(addr, size, value, s->cycle_of_current_insn());
    // A write may have started something in a device (a timer, a transfer).
    s->next_event_check = std::min(s->next_event_check, s->bus.next_event());
    if (!s->snapshot_pin.empty() && s->soc) s->snapshot_new_edges();
  }

  // Snapshots the counters at each new output edge of `snapshot_pin` (a GPIO write just made it).
  void snapshot_new_edges() {
    const auto& edges = soc->gpio_edges();
    for (; edges_seen < edges.size(); ++edges_seen) {
      const auto& e = edges[edges_seen];
      if (e.pin != snapshot_pin) continue;
      if (pin_snapshots.size() >= kMaxPinSnapshots) {
        request_stop(
            StopReason::unsupported,
            fmt::format(
                "more than {} output edges on {}, the pin whose edges frame the energy windows "
                "(PC 0x{:08x})",
                kMaxPinSnapshots, snapshot_pin, pc()));
        return;
      }
      pin_snapshots.push_back({e.level, e.cycle, snapshot()});
    }
  }

  // ---- SoC peripherals ----------------------------------------------------------------------
  void attach_soc() {
    if (sys->external_irqs() == 0)
      throw InputError(fmt::format("{}: soc = \"{}\": SoC peripherals need a Cortex-M core", board.file.string(),
                                   board.soc));
    const auto desc = dev::load_soc(data_dir() / "boards" / "socs" / (board.soc + ".toml"));
    dev::SocOptions opt;
    opt.flash = board.has_flash ? &flash : nullptr;
    opt.wait_state_table_hz = board.wait_state_table_hz;
    opt.hse_hz = board.hse_hz;
    soc = std::make_unique<dev::Soc>(desc, *this, opt);
    for (const auto& p : desc.peripherals)
      for (int irq : p.irqs)
        if (irq >= 0) sys->declare_level_irq(static_cast<unsigned>(irq));
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
  bool host_sends(Cycles now) override {
    if (!soc || !soc->uarts_idle() || !soc->release_input(now)) return false;
    reschedule(now);
    return true;
  }

  // Every kSpinCheck repetitions of a block that branches to itself: the same registers and no
  // store since the last look is a wait loop only an interrupt (or host input) can end.
  [[gnu::noinline]] void check_spin() {
    if (!soc->uarts_idle()) return;
    const std::array<std::uint32_t, 16> r = sys->spin_state();
    const bool same = r == spin_regs && writes_total == spin_writes;
    spin_regs = r;
    spin_writes = writes_total;
    if (!same || bus.next_event() != mem::kNoEvent) return;
    if (sys->interrupts_disabled()) {  // interrupts off: nothing can end the loop (e.g. an Error_Handler)
      request_stop(StopReason::fault,
                   fmt::format("firmware hangs: endless loop at 0x{:08x} with interrupts disabled (PRIMASK), "
                               "entered from LR 0x{:08x}",
                               spin_block, r[sys->link_register()]));
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
    const mem::Device* d = bus.current();
    sys->set_irq(irq, level, now, d ? fmt::format("device '{}'", d->name()) : std::string("a device"));
  }
  void output(std::string_view stream, std::string_view text, Cycles) override {
    if (stream != "console") uart_out[std::string(stream)].append(text);
    console_write(text);
  }
  Hertz core_clock_hz() const override { return programmed_clock ? programmed_clock : board.clock_hz; }

  // First cycle at which the block hook must look again: the system model's next event and the
  // devices' earliest one.
  void reschedule(Cycles now) override { next_event_check = std::min(sys->next_event(now), bus.next_event()); }

  // At a block boundary at or after next_event_check (the block at `a` has not run): advances
  // the devices whose event has come, then lets the system model take a pending exception.
  // Returns true when the emulator was stopped (exception to take, or a stop request).
  [[gnu::noinline]] bool service_events(Addr a) {
    if (bus.next_event() <= cycles) bus.advance(cycles);
    if (stopping) return true;
    return sys->at_boundary(a);
  }

  bool in_memory(Addr a, std::uint32_t n, bool need_write) const override {
    if (n == 0) return true;
    if (!need_write && a >= board.flash.base && a - board.flash.base + std::uint64_t(n) <= board.flash.size_bytes)
      return true;
    for (auto& s : board.sram)
      if (a >= s.base && a - s.base + std::uint64_t(n) <= s.size_bytes) return true;
    return false;
  }

  void load(const ElfImage& image) {
    for (auto& seg : image.segments) {
      auto n = static_cast<std::uint32_t>(seg.bytes.size());
      if (!in_memory(seg.paddr, n, false) || (n == 0 && !in_memory(seg.vaddr, seg.mem_size, true)) ||
          (seg.mem_size > n && !in_memory(seg.vaddr, seg.mem_size, seg.writable)))
        throw InputError(fmt::format(
            "{}: segment at 0x{:08x} ({} bytes, memory image 0x{:08x}, {} bytes) lies outside the "
            "memory of board {} ({})",
            firmware, seg.paddr, n, seg.vaddr, seg.mem_size, board.name, memory_map_text(board)));
      if (n && !cpu_->write_mem(seg.paddr, seg.bytes.data(), n))
        throw std::runtime_error(fmt::format("unicorn: load segment at 0x{:08x} failed", seg.paddr));
    }
    // The reset state (Arm: the vector table; RISC-V: the reset PC) is the system model's.
    const ResetState reset = sys->reset(image);
    reset_pc = reset.pc;
    initial_sp = reset.sp;
    if (!in_memory(image.entry & ~1u, 2, false))
      throw InputError(fmt::format("{}: entry point 0x{:08x} is outside the memory of board {} ({})",
                                   firmware, image.entry, board.name, memory_map_text(board)));
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
    // The heap starts at the first of these symbols (newlib's _sbrk uses `end`; GNU linker
    // scripts of the vendors define `__heap_start`, `_end`, `__end__`) that lies between the
    // static data and the initial SP.
    for (const char* name : {"__heap_start", "__heap_start__", "_heap_start", "end", "_end", "__end__"})
      if (auto h = image.symbol(name); h && *h >= stack_floor && *h < initial_sp) {
        heap_start = *h;
        break;
      }
  }

  [[gnu::noinline]] void mark_written(std::size_t region, Addr a, std::uint32_t n) {
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

  // ---- block handling -----------------------------------------------------------------------
  Block* decode(Addr start, std::uint32_t size) {
    std::vector<std::uint8_t> code(size);
    if (!cpu_->read_mem(start, code.data(), size)) return nullptr;
    auto b = std::make_unique<Block>();
    b->info = core->analyze_block(start, code);
    b->self_loop = sys->is_self_branch(code);
    b->align_need = sys->alignment_needs(b->info, code);
    b->align_check = !b->align_need.empty();
    b->stack_select = sys->may_select_stack(code);
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

  // Hot: every block entry (seam::block_entered).
  void on_block(const Addr a, std::uint32_t size) {
    RunLoop* s = this;
    if (a == s->resume_at) {
      // A code hook moved the PC past an instruction it emulated (a counter CSR read). When that
      // lands inside the block being executed, the rest of it was charged with that block; when
      // the emulated instruction ended its block, this is a new block like any other.
      s->resume_at = 1;
      if (s->cur && a > s->cur->info.start && a < s->cur->info.start + s->cur->info.size_bytes) return;
    }
    Slot& slot = s->slots[(a >> 1) & (s->slots.size() - 1)];
    Block* b = slot.block;
    if (slot.start != a || slot.size != size) [[unlikely]] {
      b = s->find_block(a, size);
      if (!b) return;  // unreadable code (Unicorn raises the fetch fault), or a restart to bind sites
      slot = {a, size, b};
    }
    const bool fell_through = s->prev && a == s->prev_end;
    // The previous block's last instruction prefetched this block's first word (RV32
    // fetch_hidden_after_csr; BlockInfo::hides_next_fetch).
    const bool first_word_hidden = fell_through && s->prev->info.hides_next_fetch && (a & 3u) == 0;
    std::uint32_t overlap = 0;  // cycles b's first instructions share with prev's last (dual issue)
    if (s->prev) {
      const bool taken = a != s->prev_end;
      const std::uint32_t penalty = s->predicting ? s->core->leave_block(s->prev->info, taken, &b->info, &overlap)
                                                  : (taken ? s->prev->info.taken_branch_penalty : 0);
      // The entered block's own cost of being a branch target (BlockInfo::taken_entry_extra).
      // A fall-through after a refetching FENCE / FENCE.I is fetched as a jump target too.
      const std::uint32_t entry = taken || s->prev->info.refetch_at_exit ? b->info.taken_entry_extra : 0;
      s->cycles += penalty + entry;
      s->branch_penalty += penalty + entry;
      if (taken && s->prev->path == FetchPath::ram && s->prev->ram_fetch_words_taken_exit) [[unlikely]]
        s->ram_taken_exit(*s->prev);
    }
    s->prev = nullptr;
    if (s->soc) {  // spin detection (docs/peripherals.md "Host input")
      if (a == s->spin_block) {
        if ((++s->spin_count & (kSpinCheck - 1)) == 0) {
          s->check_spin();
          if (s->stopping) return;
        }
      } else {
        s->spin_block = a;
        s->spin_count = 0;
      }
    }
    // Exceptions are recognised at block boundaries: one compare on the hot path.
    if (s->cycles >= s->next_event_check && s->service_events(a)) return;
    if (b->self_loop && s->never_progresses(a)) return;
    if (s->max_instructions && s->instret + b->info.n_insns > s->max_instructions) [[unlikely]] {
      s->instruction_limit(a);
      return;
    }
    // Observers (profiling, the progress display): one flag test when there are none.
    if (s->observing) [[unlikely]] s->observe(a, *b);
    ++b->exec_count;
    s->cur_instret_base = s->instret;
    s->cur_fell_through = fell_through;
    s->instret += b->info.n_insns;
    Cycles stall = 0;
    if (b->path == FetchPath::flash)
      stall = s->flash.fetch_block(b->fetch, s->cycles);
    else if (b->path == FetchPath::l1)
      stall = s->l1_fetch(*b);
    else if (b->path == FetchPath::ram) {
      std::uint32_t words = fell_through ? b->ram_fetch_words_fallthrough : b->ram_fetch_words;
      if (first_word_hidden && words > 0) --words;
      const std::uint32_t ws = s->board.sram[static_cast<std::size_t>(b->region)].wait_states;
      stall = Cycles{words} * ws;
      s->count_ram(b->region, false, words, Bytes{words} * 4, stall);
    }
    // The block that just ran may have selected another stack (MSR CONTROL): look once.
    if (s->cur && s->cur->stack_select) [[unlikely]]
      s->stack_selected(s->sys->on_process_stack());
    s->cur = b;
    s->cur_accesses = 0;
    s->cur_pipelined = b->info.pipelined_accesses;
    s->cur_base = s->cycles + stall;
    // A stalled fetch delivers b's first instruction too late to pair with prev's last group.
    s->cycles += stall + b->info.static_cycles - (stall == 0 ? overlap : 0);
    s->prev = b;
    s->prev_end = a + size;
  }

  // The block of `size` bytes at `a` when the direct-mapped slots miss: from the block map, or
  // decoded now. Null when its code is unreadable (Unicorn raises the fetch fault) or when sites
  // were bound and the slice restarts (the block has not run yet). Off the hot path.
  [[gnu::noinline]] Block* find_block(Addr a, std::uint32_t size) {
    RunLoop* s = this;
    auto it = s->blocks.find((std::uint64_t(a) << 32) | size);
    if (it != s->blocks.end()) return it->second.get();
    Block* b = s->decode(a, size);
    if (!b) return nullptr;
    bool bound = false;
    {
      // Divider latency, shift amounts and counter CSRs need the instruction's operands: bind
      // a code hook to each such instruction (once per address: a block entered in its middle
      // overlaps another) and have the block translated again with it (hooks are checked at
      // translation time). The block has not run yet; restart at its start.
      auto bind = [&](Addr at, seam::Site kind) {
        if (!s->site_hook_addrs.insert(at).second) return;
        s->cpu_->bind_site(at, kind);
        bound = true;
      };
      for (auto& d : b->info.dividers) bind(d.addr, seam::Site::operand);
      for (auto& c : b->info.csr_reads) bind(c.addr, seam::Site::counter_read);
      for (const core::IllegalInsn& i : b->info.illegal_insns) {
        s->illegal_kinds.insert_or_assign(i.addr, i.kind);  // the latest decode of the address
        bind(i.addr, seam::Site::illegal);
      }
    }
    if (bound) {
      s->cpu_->flush_code(a, a + size);
      s->restart_requested = true;
      s->cpu_->stop();
      return nullptr;
    }
    return b;
  }

  // Block `prev`, in a RAM with wait states, was left by a taken branch: the sequential fetch the
  // core had started before the branch resolved is paid and counted.
  [[gnu::noinline]] void ram_taken_exit(const Block& prev) {
    const std::uint32_t ws = board.sram[static_cast<std::size_t>(prev.region)].wait_states;
    const Cycles stall = Cycles{prev.ram_fetch_words_taken_exit} * ws;
    cycles += stall;
    count_ram(prev.region, false, prev.ram_fetch_words_taken_exit, Bytes{prev.ram_fetch_words_taken_exit} * 4, stall);
  }

  // The block at `a` would exceed --max-instructions: stop before it runs.
  [[gnu::noinline]] void instruction_limit(Addr a) {
    request_stop(StopReason::instruction_limit,
                 fmt::format("instruction limit reached: {} instructions retired, the next block "
                             "at 0x{:08x} would exceed --max-instructions {}",
                             instret, a, max_instructions));
  }

  // Profiling: the block's function (found once per decoded block) and the call-stack update;
  // the progress display every progress_every cycles.
  [[gnu::noinline]] void observe(Addr a, Block& b) {
    if (profiler) {
      if (b.function == SIZE_MAX) b.function = profiler->function_of(a);
      const unsigned link = sys->link_register();
      profiler->on_block(a, b.function, b.info, prev_end, cycles, [&] { return static_cast<Addr>(cpu_->gpr(link)); });
    }
    if (cycles >= next_progress) {
      progress(cycles, instret);
      next_progress = cycles + progress_every;
    }
  }

  // Index of the [[sram]] region holding `a`, or -1 (peripherals, unmapped, or the flash window,
  // which takes precedence as in the memory hook; regions never overlap the mapped flash).
  int ram_region(Addr a) const {
    if (flash.contains(a)) {  // only where a board without flash has RAM in the unused window
      for (std::size_t i = 0; i < board.sram.size(); ++i)
        if (board.sram[i].contains(a)) return static_cast<int>(i);
      return -1;
    }
    return region_table.ram_index(a);
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

  // Traffic to SRAM region `region` (the sram/tcm totals are summed from the regions: snapshot()).
  void count_ram(int region, bool write, std::uint64_t beats, Bytes bytes, Cycles stall) {
    SramCounters& c = ram_regions[static_cast<std::size_t>(region)];
    (write ? c.writes : c.reads) += beats;
    (write ? c.write_bytes : c.read_bytes) += bytes;
    c.stall_cycles += stall;
  }

  // Instruction fetch of block `b` through the L1 I-cache: each missing line is filled from the
  // block's memory before the instruction that needs it issues (no fetch-ahead: the M7's
  // prefetch unit is not modelled). Returns the stall cycles.
  // Memo: when no I-cache line was filled since the block's last fetch and that fetch hit every
  // line (tag generation unchanged), the lines are where they were: each is a hit again
  // (L1Cache::rehit: the same recency update and hit count as a lookup), with no stall.
  Cycles l1_fetch(Block& b) {
    const std::uint64_t generation = l1i->tag_generation();
    if (b.l1_generation == generation) {
      for (const std::uint32_t line : b.l1_lines) l1i->rehit(line);
      return 0;
    }
    Cycles stall = 0;
    b.l1_lines.resize(b.fetch.size());
    for (std::size_t k = 0; k < b.fetch.size(); ++k) {
      const mem::FetchUnit& u = b.fetch[k];
      const mem::L1Outcome o = l1i->read(u.addr);
      b.l1_lines[k] = l1i->last_line_index();
      if (o.hit) continue;
      stall += l1_line_fill(b.region, u.addr, l1i->line_bytes(), cycles + stall + u.need_offset);
    }
    l1i->add_stall(stall);
    b.l1_generation = l1i->tag_generation() == generation ? generation : 0;
    return stall;
  }

  // A data access through the L1 D-cache to region `region` (-1 = flash). Loads that miss wait
  // for the line fill; stores retire into the store buffer (no stall) and their fills,
  // write-backs and write-throughs are counted as traffic.
  [[gnu::always_inline]] Cycles l1_data(int region, Addr a, std::uint32_t n, bool write) {
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

  std::uint32_t gpr(std::uint8_t i) const { return cpu_->gpr(i); }

  // Index of the instruction at `addr` in the current block, or -1.
  int insn_index(Addr addr) const {
    if (!cur) return -1;
    const auto& addrs = cur->info.insn_addrs;
    auto it = std::lower_bound(addrs.begin(), addrs.end(), addr);
    return it == addrs.end() || *it != addr ? -1 : static_cast<int>(it - addrs.begin());
  }

  // An operand site (divide, shift, long multiply) is about to run.
  void on_divide(Addr address) {
    RunLoop* s = this;
    if (!s->cur) return;
    for (auto& d : s->cur->info.dividers) {
      if (d.addr != address) continue;
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

  // An instruction the core cannot execute though Unicorn would (BlockInfo::illegal_insns: a
  // compressed encoding on an rv32im core, FENCE.I on a core without Zifencei), reached before it
  // runs: an illegal-instruction fault.
  void on_illegal_insn(Addr pc) {
    const auto kind = illegal_kinds.find(pc);
    if (kind != illegal_kinds.end() && kind->second == core::IllegalInsnKind::fence_i) {
      std::uint32_t raw = 0;
      cpu_->read_mem(pc, &raw, 4);
      request_stop(
          StopReason::fault,
          fmt::format("firmware fault: illegal instruction 0x{:08x} at PC 0x{:08x} ({}): FENCE.I, "
                      "and core {} has no Zifencei (isa {}): FENCE.I is an illegal instruction on "
                      "it{}",
                      raw, pc, region_name(pc), board.core, core->isa(),
                      board.core.starts_with("picorv32")
                          ? " (PicoRV32: picorv32.v decodes MISC-MEM with funct3 = 000, FENCE, "
                            "only, and traps on any other instruction)"
                          : ""));
      return;
    }
    std::uint16_t raw = 0;
    cpu_->read_mem(pc, &raw, 2);
    request_stop(StopReason::fault,
                 fmt::format("firmware fault: illegal instruction 0x{:04x} at PC 0x{:08x} ({}): a 16-bit compressed "
                             "encoding, and core {} has no C extension (isa rv32im)",
                             raw, pc, region_name(pc), board.core));
  }

  // Counter registers (the core model's counter-read sites, e.g. RISC-V cycle/instret) read the
  // modelled cycle/retired-instruction counts at the reading instruction (its static offset in
  // the block), not host time (unicorn-notes.md); the system model says what each counter holds.
  void on_csr_read(Addr address) {
    RunLoop* s = this;
    if (!s->cur) return;
    for (auto& c : s->cur->info.csr_reads) {
      if (c.addr != address) continue;
      const int i = s->insn_index(c.addr);
      if (i < 0) return;
      const std::uint64_t cycle = s->cur_base + s->cur->info.insn_cycle_offset[static_cast<std::size_t>(i)];
      std::uint64_t retired = s->cur_instret_base + static_cast<std::uint64_t>(i);
      // With a writeback stage (Ibex maxperf) a counter read misses the instruction just before
      // it, except right after a taken jump (RTL measurement, core-models/data/ibex-maxperf.toml).
      if ((i > 0 || s->cur_fell_through) && retired >= c.instret_lag) retired -= c.instret_lag;
      const std::optional<std::uint32_t> word = s->sys->counter_value(c.csr, cycle, retired);
      if (!word) return;
      if (c.rd) s->cpu_->set_gpr(c.rd, *word);
      const std::uint32_t next = c.addr + c.size;
      s->resume_at = next;
      s->cpu_->set_reg(Reg::pc, next);
      return;
    }
  }

  // Hot: every data access (seam::data_access). The usual access (no page-split parts due,
  // aligned, in a block without load-pipelined pairs) is handled here with tail calls only, so
  // without a stack frame; the others take on_mem_pipelined (aligned, no parts due, in a block
  // with load-pipelined pairs) or on_mem_general (out of line).
  void on_mem(const Addr a, const std::uint32_t n, const bool write) {
    if ((split_parts_left | (a & (n - 1)) | cur_pipelined) != 0) [[unlikely]] {
      if ((split_parts_left | (a & (n - 1))) == 0) return on_mem_pipelined(a, n, write);
      return on_mem_general(a, n, write);
    }
    ++cur_accesses;
    last_access = a;
    writes_total += write;
    return price_access(region_table.page_code(a), a, n, write);
  }

  // Every data access that on_mem does not finish itself: page-split parts, misaligned accesses,
  // accesses of blocks with load-pipelined pairs.
  [[gnu::noinline]] void on_mem_general(const Addr a, const std::uint32_t n, const bool write) {
    // Unicorn 2.0.1 (QEMU's load/store_helper) performs an unaligned access that crosses one of its
    // pages in parts and calls the hook again for each: a load as the two aligned words around it,
    // a store byte by byte. The parts are not further accesses of the block's instructions, so
    // they do not advance the count that names the accessing instruction (alignment faults);
    // they are still priced as before (results unchanged).
    bool part = false;
    if (split_parts_left) part = take_split_part(a, n);
    if (!part) ++cur_accesses;
    last_access = a;
    // A misaligned access may be split by Unicorn, and in a block with alignment-checked
    // instructions (decided at decode) it may fault.
    if (a & (n - 1)) {
      if (!part) note_misaligned(a, n, write);
      if ((a & (n - 1) & 3) && cur && cur->align_check) return on_mem_misaligned(a, n, write);
    }
    writes_total += write;
    const std::uint8_t code = region_table.page_code(a);
    // Only accesses in a pipelined pair (bit k: this one pipelined; bit k + 1: the next one) cost
    // a call.
    if (cur_pipelined) {
      const std::uint32_t k = cur_accesses - 1;
      if (!part && k < 64 && ((cur_pipelined >> k) & 3u)) pipelined_access(code, a, k);
    }
    return price_access(code, a, n, write);
  }

  // An aligned access, no split parts due, of a block with load-pipelined pairs: on_mem_general
  // without its part and alignment cases (the same counts and the same pipelining rule,
  // pipelined_access, inlined).
  [[gnu::noinline]] void on_mem_pipelined(const Addr a, const std::uint32_t n, const bool write) {
    const std::uint32_t k = cur_accesses++;
    last_access = a;
    writes_total += write;
    const std::uint8_t code = region_table.page_code(a);
    if (k < 64 && ((cur_pipelined >> k) & 3u)) pipelined_access(code, a, k);
    return price_access(code, a, n, write);
  }

  // A misaligned access (not a part of one): Unicorn may split it at a page boundary
  // (note_split), and the core performs it as several aligned bus accesses
  // (CoreModel::unaligned_access_cycles).
  [[gnu::noinline]] void note_misaligned(const Addr a, const std::uint32_t n, const bool write) {
    note_split(a, n, write);
    cycles += core->unaligned_access_cycles(a, n);
  }

  // Prices the data access of `n` bytes at `a` (region code `code` of region_table) by its memory.
  [[gnu::always_inline]] void price_access(const std::uint8_t code, const Addr a, const std::uint32_t n,
                                           const bool write) {
    // The most frequent accesses, a load from SRAM outside the L1 D-cache and a load that hits
    // the L1 D-cache on its fast checks (L1Cache::read_hit), without a call: ram_access()
    // inlined for those cases.
    if (code >= RegionTable::kRam0 && code != RegionTable::kSplitPage) [[likely]] {
      const std::size_t i = code - RegionTable::kRam0;
      const RamHot& r = ram_hot[i];
      if (!write) [[likely]] {
        if (!r.through_l1d) [[likely]] {
          SramCounters& c = ram_regions[i];
          ++c.reads;
          c.read_bytes += n;
          c.stall_cycles += r.wait_states;
          cycles += r.wait_states;
          return;
        }
        if (l1d->read_hit(a)) return;  // as l1_data for a hit: no stall, no traffic
      }
      return ram_access(i, a, n, write);
    }
    if (code == RegionTable::kFlash) return flash_data(a, n, write);
    return on_mem_rest(code, a, n, write);
  }

  // An access of a block with load-pipelined accesses (BlockInfo::pipelined_accesses), to the
  // memory of region code `code` at `a`: when it is a pipelined one and the access before it went
  // to another memory (flash, another SRAM region, the peripherals), the pipelining does not
  // happen (Cortex-M3/M4: jnk0le, "load pipelining happens only when targeting the same memory
  // block"; core-models/data/cortex-m4.toml pipeline.load_pipelining_same_memory): the saving
  // the block's static cycles took is paid back. Parts of a split access are not accesses (the
  // caller skips them).
  // `k` is the access's index in the block (< 64), called only for the accesses of a pair.
  [[gnu::always_inline]] void pipelined_access(std::uint8_t code, const Addr a, const std::uint32_t k) {
    if (code == RegionTable::kSplitPage) code = region_table.linear(a);
    if (((cur_pipelined >> k) & 1u) && code != last_access_code) {
      cycles += cur->info.pipelined_access_saving;
    }
    last_access_code = code;
  }

  // The access at `a` of `n` bytes while parts of a split access are due: true (and one part
  // fewer due) when it is the next part, else the split is over.
  bool take_split_part(const Addr a, const std::uint32_t n) {
    if (a == split_next && n == split_part_bytes) {
      --split_parts_left;
      split_next += n;
      return true;
    }
    split_parts_left = 0;
    return false;
  }

  // A misaligned access of `n` bytes at `a`: when it crosses one of Unicorn's pages, the parts
  // Unicorn will report next (a load: the two aligned words around it; a store: its bytes).
  void note_split(const Addr a, const std::uint32_t n, const bool write) {
    if ((a & (page_bytes - 1)) + n <= page_bytes) return;
    split_parts_left = write ? n : 2;
    split_part_bytes = write ? 1 : n;
    split_next = write ? a : a & ~(n - 1);
  }

  // A data access to the flash: through the L1 D-cache (Cortex-M7) or the flash accelerator.
  [[gnu::noinline]] void flash_data(const Addr a, const std::uint32_t n, const bool write) {
    if (write) return;  // a write to flash faults (a bad_access event follows)
    if (l1d) {
      if (l1d->read_hit(a)) return;  // as l1_data for a hit: no stall, no traffic
      cycles += l1_data(-1, a, n, false);
    } else {
      cycles += flash.data_read(a, n, cycles);
    }
  }

  // The memory hook's other cases: a misaligned access in a block that checks alignment.
  [[gnu::noinline]] void on_mem_misaligned(const Addr a, const std::uint32_t n, const bool write) {
    if (unaligned_fault(a, n)) return;
    writes_total += write;
    on_mem_rest(region_table.page_code(a), a, n, write);
  }

  // The memory hook's other cases, by the region code of the access's page (RegionTable).
  [[gnu::noinline]] void on_mem_rest(std::uint8_t code, const Addr a, const std::uint32_t n, const bool write) {
    RunLoop* s = this;
    if (code == RegionTable::kSplitPage) code = s->region_table.linear(a);
    if (code >= RegionTable::kRam0) {
      s->ram_access(code - RegionTable::kRam0, a, n, write);
      return;
    }
    if (code == RegionTable::kFlash) {
      s->flash_data(a, n, write);
      return;
    }
    if (code == RegionTable::kScan) {
      s->ram_access(static_cast<std::size_t>(s->region_table.ram_index(a)), a, n, write);
      return;
    }
    ++s->peripheral;
    s->cycles += s->bus.wait_states(a);
  }

  // A data access to SRAM region `i`: its wait states (or the L1 D-cache) and traffic counters.
  [[gnu::noinline]] void ram_access(std::size_t i, Addr a, std::uint32_t n, bool write) {
    const RamHot& r = ram_hot[i];
    if (write) ram_write(i, a, n);
    if (r.through_l1d) {
      cycles += l1_data(static_cast<int>(i), a, n, write);
      return;
    }
    count_ram(static_cast<int>(i), write, 1, n, r.wait_states);
    cycles += r.wait_states;
  }

  // A data write to SRAM region `i`: the stack, heap and (images without sections) written-granule
  // bookkeeping of the footprint. Out of line: loads, the most accesses, skip it.
  [[gnu::noinline]] void ram_write(std::size_t i, Addr a, std::uint32_t n) {
    // A stack write is at or above the stack pointer (less the reach of the storing
    // instruction, which moves SP after its stores: PUSH/VPUSH of up to 128 bytes). Writes far
    // below the SP (a heap, buffers) are not stack.
    // Writes there from the heap start up (below the SP's reach) are heap: the same SP read.
    if (process_stack) [[unlikely]] {
      process_stack_write(a, n);
    } else if (a < stack_low && a >= stack_floor) {
      if (std::uint64_t(a) + kStoreReach >= cpu_->reg(Reg::sp))
        stack_low = a;
      else if (a >= heap_start && a + n > heap_high)
        heap_high = a + n;
    }
    if (!written.empty()) mark_written(i, a, n);
  }

  // ---- faults -------------------------------------------------------------------------------
  // The current block's latest access (`a`, `n` bytes) is misaligned to its size: when the
  // instruction making it needs alignment, stop as the core would fault (UsageFault UNALIGNED,
  // HardFault on ARMv6-M). Unicorn 2.0.1 performs such accesses silently.
  [[gnu::noinline]] bool unaligned_fault(Addr a, std::uint32_t n) {
    const auto& beats = cur->info.insn_data_beats;
    std::uint32_t seen = 0;
    for (std::size_t i = 0; i < beats.size() && i < cur->align_need.size(); ++i) {
      seen += beats[i];
      if (cur_accesses - 1 >= seen) continue;
      const std::uint8_t need = cur->align_need[i];
      const std::uint32_t mask = need == IsaSystem::kNaturalAlignment ? n - 1 : need;
      if (!(a & mask)) return false;
      request_stop(StopReason::fault,
                   fmt::format("firmware fault: unaligned {}-byte access to 0x{:08x} ({}) by the instruction at PC "
                               "0x{:08x}, which needs {}-byte alignment: the core raises an alignment fault "
                               "(UsageFault UNALIGNED, ARMv7-M ARM A3.2.1; HardFault on ARMv6-M)",
                               n, a, region_name(a), cur->info.insn_addrs[i], mask + 1));
      return true;
    }
    return false;
  }

  std::uint32_t pc() const { return cpu_->reg(Reg::pc); }

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

  bool on_bad_mem(seam::BadAccess type, const Addr a, std::uint32_t size) {
    RunLoop* s = this;
    using seam::BadAccess;
    // The system model's own use of a bad fetch (Cortex-M exception return on the M0 model).
    if (type == BadAccess::fetch_unmapped && s->sys->on_fetch_fault(a)) return false;
    const char* what = "invalid access";
    switch (type) {
      case BadAccess::read_unmapped: what = "read from unmapped address"; break;
      case BadAccess::write_unmapped: what = "write to unmapped address"; break;
      case BadAccess::fetch_unmapped: what = "instruction fetch from unmapped address"; break;
      case BadAccess::write_prot: what = "write to read-only memory"; break;
      case BadAccess::read_prot: what = "read from non-readable memory"; break;
      case BadAccess::fetch_prot: what = "instruction fetch from non-executable memory"; break;
      default: break;
    }
    // The memory hook has already counted a faulting write (it fires before the permission
    // check) but not a read from an unmapped address.
    const std::uint32_t index =
        s->cur_accesses > 0 && s->last_access == a ? s->cur_accesses - 1 : s->cur_accesses;
    const std::uint32_t at =
        type == BadAccess::fetch_unmapped || type == BadAccess::fetch_prot ? a : s->pc_of_access(index);
    s->request_stop(StopReason::fault,
                    fmt::format("firmware fault: {} 0x{:08x} ({} bytes, {}) by the instruction at PC 0x{:08x}",
                                what, a, size, s->region_name(a), at));
    return false;
  }

  void on_bad_insn() {
    const std::uint32_t p = pc();
    if (sys->on_invalid_instruction(p)) return;  // served by the system model after the slice
    request_stop(StopReason::fault,
                 fmt::format("firmware fault: undefined instruction at PC 0x{:08x} ({})", p, region_name(p)));
  }

  void request_stop(StopReason why, std::string message) override {
    if (stopping) return;
    stopping = true;
    stop = why;
    stop_message = std::move(message);
    cpu_->stop();
  }
  bool stop_requested() const override { return stopping; }

  // ---- system control space (DWT, SCB) ------------------------------------------------------
  // Cycle at which the instruction making the current data access issues (its static offset in
  // the block). The memory hook has counted the access before the device callback runs.
  Cycles cycle_of_current_insn() const {
    if (!cur || cur_accesses == 0) return cycles;
    const int i = insn_index(pc_of_access(cur_accesses - 1));
    return i < 0 ? cycles : cur_base + cur->info.insn_cycle_offset[static_cast<std::size_t>(i)];
  }

  // A branch to itself at `at` (about to run): it can only be left through an exception or a
  // device event. When the system model says none can ever come, stops the run as `stuck` at once
  // and returns true.
  [[gnu::noinline]] bool never_progresses(Addr at) {
    const std::string why = sys->why_stuck(at);
    if (why.empty()) return false;
    request_stop(StopReason::stuck,
                 fmt::format("the firmware can never progress: a branch to itself at PC 0x{:08x} ({}) and {}", at,
                             region_name(at), why));
    return true;
  }

  // ---- SystemHost ---------------------------------------------------------------------------
  seam::CpuPort& cpu() override { return *cpu_; }
  const BoardConfig& board_config() const override { return board; }
  Cycles now() const override { return cycles; }
  void sleep_until(Cycles until) override {
    sleep += until - cycles;
    cycles = until;
  }
  void charge_exception(Cycles cost, bool taken) override {
    exceptions_taken += taken;
    cycles += cost;
    exception_overhead += cost;
    prev = nullptr;  // the refill of the interrupted/returning flow is part of the cost
    cur = nullptr;
    cur_pipelined = 0;
  }
  void look_at_next_boundary() override { next_event_check = 0; }
  void frame_access(Addr frame, std::uint32_t words, bool write, bool on_process_stack) override {
    if (!write) {
      frame_sram.reads += words;
      frame_sram.read_bytes += 4ull * words;
      return;
    }
    frame_sram.writes += words;
    frame_sram.write_bytes += 4ull * words;
    if (on_process_stack)
      psp_low = std::min(psp_low, frame);
    else if (frame < stack_low && frame >= stack_floor)
      stack_low = frame;
    if (!written.empty())
      for (std::size_t i = 0; i < board.sram.size(); ++i)
        if (board.sram[i].contains(frame)) mark_written(i, frame, 4 * words);
  }
  void stack_selected(bool process) override {
    process_stack = process;
    if (process) psp_top = std::max<Addr>(psp_top, cpu_->reg(Reg::sp));
  }
  // A data write while the core runs on its process stack: a stack write when at or above the SP
  // less the storing instruction's reach (as for the main stack); else heap as on the main stack.
  [[gnu::noinline]] void process_stack_write(Addr a, std::uint32_t n) {
    if (std::uint64_t(a) + kStoreReach >= cpu_->reg(Reg::sp)) {
      psp_low = std::min(psp_low, a);
    } else if (a < stack_low && a >= stack_floor && a >= heap_start && a + n > heap_high) {
      heap_high = a + n;
    }
  }
  Cycles device_event() const override { return bus.next_event(); }
  Cycles advance_devices(Cycles now) override { return bus.advance(now); }
  bool host_input_exhausted(Cycles now) const override { return soc && soc->input_exhausted(now); }
  Addr pc_of_device_access() const override { return pc_of_access(cur_accesses ? cur_accesses - 1 : 0); }
  std::uint32_t semihost(std::uint32_t op, std::uint32_t param) override {
    return semihosting.call(op, param, *this, *this);
  }

  // ---- GuestMemory / SemihostHost ----------------------------------------------------------
  bool read(Addr addr, void* out, std::uint32_t size) override { return cpu_->read_mem(addr, out, size); }
  bool write(Addr addr, const void* in, std::uint32_t size) override { return cpu_->write_mem(addr, in, size); }
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
    c.sram = frame_sram;
    c.tcm = {};
    for (std::size_t i = 0; i < ram_regions.size(); ++i) {
      SramCounters& total = board.sram[i].is_tcm() ? c.tcm : c.sram;
      const SramCounters& r = ram_regions[i];
      total.reads += r.reads;
      total.writes += r.writes;
      total.read_bytes += r.read_bytes;
      total.write_bytes += r.write_bytes;
      total.stall_cycles += r.stall_cycles;
    }
    c.ram_regions = ram_regions;
    if (l1i) c.l1i = l1i->stats();
    if (l1d) c.l1d = l1d->stats();
    c.peripheral_accesses = peripheral;
    if (soc)
      for (auto& pc : soc->peripheral_clocks(cycles))
        c.peripherals.push_back({std::move(pc.name), pc.bus_cycles});
    return c;
  }

  power::EnergyBreakdown energy_of(const Counters& c) const { return energy_of_at(c, board.clock_hz); }
  /// Energy of `c` with its cycles at `clock_hz` (the firmware's programmed clock).
  power::EnergyBreakdown energy_of_at(const Counters& c, Hertz clock_hz) const {
    return power::compute_energy(energy, energy_events(c, clock_hz, energy.flash_kind));
  }

  RunResult run(const RunOptions& opts) {
    max_instructions = opts.max_instructions;
    snapshot_pin = opts.snapshot_pin;
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
    Addr start = reset_pc;
    for (;;) {
      restart_requested = false;
      const seam::SliceEnd end = cpu_->run_from(sys->entry_address(start));
      if (stopping) break;
      if (restart_requested) {
        start = pc();
        continue;
      }
      // Exception entry or return, WFI, EBREAK: the system model's.
      const IsaSystem::Outcome outcome = sys->after_slice(end, start);
      if (outcome == IsaSystem::Outcome::resume) continue;
      if (outcome == IsaSystem::Outcome::stopped || stopping) break;
      const std::uint32_t p = pc();
      request_stop(StopReason::fault,
                   fmt::format("firmware fault: {} at PC 0x{:08x} ({})", end.error_text, p, region_name(p)));
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
    r.pin_snapshots = std::move(pin_snapshots);
    footprint.stack_peak = initial_sp - stack_low;
    if (psp_top > psp_low) footprint.process_stack_peak = psp_top - psp_low;
    // Heap writes the stack later grew over are counted once, as stack.
    if (heap_high > heap_start) footprint.heap = std::min(heap_high, stack_low) - heap_start;
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

struct Simulation::Impl final : RunLoop {
  using RunLoop::RunLoop;
};

// ---- the seam's events (seam/events.h): direct calls into the run loop ------------------------
namespace seam {
void block_entered(void* sink, Addr start, std::uint32_t size) { static_cast<RunLoop*>(sink)->on_block(start, size); }
void data_access(void* sink, Addr addr, std::uint32_t size, bool write) {
  static_cast<RunLoop*>(sink)->on_mem(addr, size, write);
}
void site_reached(void* sink, Addr pc, Site kind) {
  auto* s = static_cast<RunLoop*>(sink);
  if (kind == Site::operand)
    s->on_divide(pc);
  else if (kind == Site::counter_read)
    s->on_csr_read(pc);
  else
    s->on_illegal_insn(pc);
}
bool bad_access(void* sink, BadAccess kind, Addr addr, std::uint32_t size) {
  return static_cast<RunLoop*>(sink)->on_bad_mem(kind, addr, size);
}
void trap(void* sink, Trap kind, std::uint32_t number) { static_cast<RunLoop*>(sink)->sys->on_trap(kind, number); }
void invalid_instruction(void* sink) { static_cast<RunLoop*>(sink)->on_bad_insn(); }
std::uint32_t device_read(void* sink, Addr addr, unsigned size) {
  return static_cast<RunLoop*>(sink)->mmio_read(addr, size);
}
void device_write(void* sink, Addr addr, unsigned size, std::uint32_t value) {
  static_cast<RunLoop*>(sink)->mmio_write(addr, size, value);
}
}  // namespace seam

Simulation::Simulation(const BoardConfig& board, const ElfImage& image)
    : impl_(std::make_unique<Impl>(board, image)) {}
Simulation::~Simulation() = default;
RunResult Simulation::run(const RunOptions& opts) { return impl_->run(opts); }
void Simulation::attach_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device) {
  impl_->attach_device(base, size, std::move(device));
}
mem::DeviceHost& Simulation::device_host() { return *impl_; }

}  // namespace mcusim
