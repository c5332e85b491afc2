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
#include <unordered_map>

#include "mcusim/errors.h"
#include "mcusim/semihosting.h"
#include "mcusim/simulation.h"

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
constexpr std::uint16_t kSemihostBkpt = 0xBEAB;   // BKPT #0xAB (Thumb)

struct Block {
  core::BlockInfo info;
  std::vector<mem::FetchUnit> fetch;  // flash read units in program order (empty outside flash)
  bool in_flash = false;
  std::uint64_t exec_count = 0;
};

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

}  // namespace

struct Simulation::Impl final : GuestMemory, SemihostHost {
  BoardConfig board;
  std::string firmware;
  std::unique_ptr<core::CoreModel> core;
  power::EnergyTable energy;
  mem::Flash flash;
  uc_engine* uc = nullptr;
  core::IsaFamily isa = core::IsaFamily::arm_m;
  ArchRegs regs;
  Addr reset_pc = 0, initial_sp = 0;
  Footprint footprint;
  Addr stack_floor = 0;  // end of static SRAM data: writes between here and the SP are stack

  // --- hot state -----------------------------------------------------------------------------
  Cycles cycles = 0;
  std::uint64_t instret = 0;
  Cycles branch_penalty = 0, divide_extra = 0, multiply_extra = 0;
  SramCounters sram;
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
  std::uint64_t max_instructions = 0;
  bool predicting = false;  // the core model predicts branches (leave_block on every transition)
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
  Semihosting semihost;
  bool echo = false;
  std::string console;
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

  Impl(const BoardConfig& b, const ElfImage& image) : board(b), flash(b.flash) {
    firmware = image.path.string();
    core = load_board_core(b);
    energy = power::load_energy_table(energy_table_path(b));
    isa = core->isa_family();
    regs = arch_regs(isa);
    const bool elf_arm = image.machine == ElfMachine::arm;
    if (elf_arm != (isa == core::IsaFamily::arm_m))
      throw InputError(fmt::format("{}: {} firmware cannot run on board {} (core {})", firmware,
                                   elf_arm ? "Arm" : "RISC-V", b.name, b.core));
    const bool arm = isa == core::IsaFamily::arm_m;
    // UC_MODE_MCLASS would force the M33 model: open Thumb and set the model (unicorn-notes.md).
    if (uc_open(arm ? UC_ARCH_ARM : UC_ARCH_RISCV, arm ? UC_MODE_THUMB : UC_MODE_RISCV32, &uc) != UC_ERR_OK)
      throw std::runtime_error("uc_open failed");
    check(uc_ctl_set_cpu_model(uc, unicorn_cpu_model(std::string(core->unicorn_cpu()))), "set CPU model");
    predicting = core->predicts_branches();
    map_memories();
    load(image);
    install_hooks();
  }
  ~Impl() override {
    if (uc) uc_close(uc);
  }

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
    if (isa == core::IsaFamily::arm_m)
      check(uc_mmio_map(uc, kScsBase, kScsSize, &Impl::scs_read, this, &Impl::scs_write, this),
            "map system control space");
    // Console and halt registers: one device page each (shared when they are in the same page).
    std::vector<Addr> pages;
    for (auto a : {board.console_address, board.halt_address})
      if (a) {
        const Addr page = *a & ~(regs.page_bytes - 1);
        if (std::find(pages.begin(), pages.end(), page) == pages.end()) pages.push_back(page);
      }
    for (Addr page : pages) {
      if (in_memory(page, regs.page_bytes, false))
        throw InputError(fmt::format("{}: console/halt register page 0x{:08x} overlaps a memory region",
                                     board.file.string(), page));
      check(uc_mmio_map(uc, page, regs.page_bytes, &Impl::device_read, this, &Impl::device_write, this),
            "map console/halt registers");
    }
  }

  static std::uint64_t device_read(uc_engine*, std::uint64_t, unsigned, void*) { return 0; }  // TX ready

  static void device_write(uc_engine*, std::uint64_t offset, unsigned, std::uint64_t value, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    // The page base is the console's or the halt register's page; rebuild the address.
    for (auto reg : {s->board.console_address, s->board.halt_address}) {
      if (!reg) continue;
      const Addr page = *reg & ~(s->regs.page_bytes - 1);
      if (page + offset != *reg) continue;
      if (reg == s->board.console_address) {
        const char c = static_cast<char>(value & 0xFF);
        s->console_write(std::string_view(&c, 1));
      } else {
        s->exit(0, "halt register written");
      }
      return;
    }
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
    stack_floor = static_end;
    stack_low = initial_sp;
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
    b->in_flash = flash.contains(start);
    if (b->in_flash) {
      // One fetch unit per instruction-side transfer, with the offset of its first instruction.
      const std::uint32_t granule = flash.ifetch_granule_bytes();
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
        if (!b->info.dividers.empty() || !b->info.csr_reads.empty()) {
          // Divider latency and counter CSRs need the instruction's operands: bind a code hook to
          // each such instruction and have the block translated again with it (hooks are checked
          // at translation time). The block has not run yet; restart at its start.
          auto bind = [&](Addr at, void* cb) {
            uc_hook h;
            uc_hook_add(uc, &h, UC_HOOK_CODE, cb, s, at, at);
            s->site_hooks.push_back(h);
          };
          for (auto& d : b->info.dividers) bind(d.addr, reinterpret_cast<void*>(&Impl::on_divide));
          for (auto& c : b->info.csr_reads) bind(c.addr, reinterpret_cast<void*>(&Impl::on_csr_read));
          uc_ctl_remove_cache(uc, a, a + size);
          s->restart_requested = true;
          uc_emu_stop(uc);
          return;
        }
      }
      slot = {a, size, b};
    }
    if (s->prev) {
      const bool taken = a != s->prev_end;
      const std::uint32_t penalty = s->predicting ? s->core->leave_block(s->prev->info, taken)
                                                  : (taken ? s->prev->info.taken_branch_penalty : 0);
      s->cycles += penalty;
      s->branch_penalty += penalty;
    }
    s->prev = nullptr;
    if (s->max_instructions && s->instret + b->info.n_insns > s->max_instructions) {
      s->request_stop(StopReason::instruction_limit,
                      fmt::format("instruction limit reached: {} instructions retired, the next block "
                                  "at 0x{:08x} would exceed --max-instructions {}",
                                  s->instret, a, s->max_instructions));
      return;
    }
    ++b->exec_count;
    s->cur_instret_base = s->instret;
    s->instret += b->info.n_insns;
    const Cycles stall = b->in_flash ? s->flash.fetch_block(b->fetch, s->cycles) : 0;
    s->cur = b;
    s->cur_accesses = 0;
    s->cur_base = s->cycles + stall;
    s->cycles += stall + b->info.static_cycles;
    s->prev = b;
    s->prev_end = a + size;
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
    if (s->flash.contains(a)) {
      if (type == UC_MEM_READ) s->cycles += s->flash.data_read(a, n, s->cycles);
      return;  // a write to flash faults (UC_HOOK_MEM_PROT)
    }
    for (auto& r : s->board.sram) {
      if (!r.contains(a)) continue;
      if (type == UC_MEM_READ) {
        ++s->sram.reads;
        s->sram.read_bytes += n;
      } else {
        ++s->sram.writes;
        s->sram.write_bytes += n;
        if (a < s->stack_low && a >= s->stack_floor) s->stack_low = a;
      }
      s->sram.stall_cycles += r.wait_states;
      s->cycles += r.wait_states;
      return;
    }
    ++s->peripheral;
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
    if (intno == kArmExcpSwi)
      s->request_stop(StopReason::unsupported,
                      fmt::format("SVC at PC 0x{:08x}: exception entry is not modelled in this version", p - 2));
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

  static std::uint64_t scs_read(uc_engine*, std::uint64_t offset, unsigned, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const Addr a = kScsBase + static_cast<Addr>(offset);
    if (a == kDwtCyccnt)
      return s->cyccnt_enabled
                 ? static_cast<std::uint32_t>(static_cast<std::int64_t>(s->cycle_of_current_insn()) - s->cyccnt_offset)
                 : s->cyccnt_frozen;
    if (a == kCpuid) return kCpuidCortexM4;
    auto it = s->scs_regs.find(a);
    return it == s->scs_regs.end() ? 0 : it->second;
  }

  static void scs_write(uc_engine*, std::uint64_t offset, unsigned, std::uint64_t value, void* ud) {
    auto* s = static_cast<Impl*>(ud);
    const Addr a = kScsBase + static_cast<Addr>(offset);
    const auto v = static_cast<std::uint32_t>(value);
    const auto now = static_cast<std::int64_t>(s->cycle_of_current_insn());
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

  // ---- GuestMemory / SemihostHost ----------------------------------------------------------
  bool read(Addr addr, void* out, std::uint32_t size) override {
    return uc_mem_read(uc, addr, out, size) == UC_ERR_OK;
  }
  bool write(Addr addr, const void* in, std::uint32_t size) override {
    return uc_mem_write(uc, addr, in, size) == UC_ERR_OK;
  }
  void console_write(std::string_view text) override {
    console.append(text);
    if (echo) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    }
  }
  void exit(int status, std::string_view why) override {
    exit_code = status;
    request_stop(StopReason::exited, std::string(why));
  }
  Cycles now_cycles() const override { return cycles; }
  Hertz clock_hz() const override { return board.clock_hz; }
  void unsupported(std::string message) override {
    request_stop(StopReason::unsupported, fmt::format("{} (PC 0x{:08x})", message, pc()));
  }
  void roi_begin(std::uint32_t id, std::string label) override {
    auto [it, inserted] = region_index.emplace(id, regions.size());
    if (inserted) {
      RegionResult r;
      r.id = id;
      r.attrs = parse_label(label);
      r.label = std::move(label);
      regions.push_back(std::move(r));
    }
    open_regions.push_back({id, it->second, snapshot()});
  }
  void roi_end(std::uint32_t id) override {
    for (auto it = open_regions.rbegin(); it != open_regions.rend(); ++it) {
      if (it->id != id) continue;
      RegionResult& r = regions[it->index];
      r.counters += snapshot() - it->at_begin;
      ++r.instances;
      open_regions.erase(std::next(it).base());
      return;
    }
    request_stop(StopReason::unsupported,
                 fmt::format("region-of-interest end for id {} which is not open (PC 0x{:08x})", id, pc()));
  }

  Counters snapshot() const {
    Counters c;
    c.instructions = instret;
    c.cycles = cycles;
    c.branch_penalty_cycles = branch_penalty;
    c.divide_extra_cycles = divide_extra;
    c.multiply_extra_cycles = multiply_extra;
    for (const Block* b : block_list)
      if (b->exec_count)
        for (std::size_t i = 0; i < c.classes.size(); ++i) c.classes[i] += b->exec_count * b->info.class_counts[i];
    c.flash = flash.stats();
    c.sram = sram;
    c.peripheral_accesses = peripheral;
    return c;
  }

  power::EnergyBreakdown energy_of(const Counters& c) const {
    return power::compute_energy(energy, energy_events(c, board.clock_hz));
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
    for (auto& reg : regions) reg.energy = energy_of(reg.counters);
    r.regions = regions;
    footprint.stack_peak = initial_sp - stack_low;
    // The firmware may report its activation arena (a part of .bss) as a console line
    // "arena_bytes=<N>" (docs/firmware-interface.md).
    if (auto pos = console.find("arena_bytes="); pos != std::string::npos)
      footprint.arena = std::strtoull(console.c_str() + pos + 12, nullptr, 10);
    r.footprint = footprint;
    r.console = console;
    return r;
  }
};

Simulation::Simulation(const BoardConfig& board, const ElfImage& image)
    : impl_(std::make_unique<Impl>(board, image)) {}
Simulation::~Simulation() = default;
RunResult Simulation::run(const RunOptions& opts) { return impl_->run(opts); }

}  // namespace mcusim
