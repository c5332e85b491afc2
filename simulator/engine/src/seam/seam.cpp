// The Unicorn seam (seam.h): the only file of mcusim that includes <unicorn/unicorn.h> (bench/
// measures plain Unicorn and includes it too). Each Unicorn callback becomes one engine event
// (events.h), called directly; Unicorn's register ids, hook types, memory-access types and QEMU
// exception numbers end here.
#include "seam/seam.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <stdexcept>

#include "mcusim/base/errors.h"
#include "mcusim/unicorn_store_fix.h"
#include "seam/events.h"

namespace mcusim::seam {
namespace {

constexpr int kArmExcpSwi = 2, kArmExcpBkpt = 7;  // QEMU target/arm EXCP_SWI, EXCP_BKPT
// Exception return (a branch to 0xFFxxxxxx in handler mode) reaches the interrupt hook as QEMU's
// EXCP_PREFETCH_ABORT (3) on M3/M4/M7 and EXCP_EXCEPTION_EXIT (8) on M33 (unicorn-notes.md); the
// Cortex-M system model checks the PC.
constexpr int kArmExcpPrefetchAbort = 3, kArmExcpExceptionExit = 8;
constexpr int kRvExcpEcall = 8;  // Unicorn reports ECALL as interrupt 8 (unicorn-notes.md)

void check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("unicorn: {}: {}", what, uc_strerror(e)));
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

int reg_id(core::IsaFamily isa, Reg r) {
  if (isa == core::IsaFamily::rv32) {
    switch (r) {
      case Reg::pc: return UC_RISCV_REG_PC;
      case Reg::sp: return UC_RISCV_REG_X2;
      case Reg::mstatus: return UC_RISCV_REG_MSTATUS;
      case Reg::mie: return UC_RISCV_REG_MIE;
      default: return -1;
    }
  }
  switch (r) {
    case Reg::pc: return UC_ARM_REG_PC;
    case Reg::sp: return UC_ARM_REG_SP;
    case Reg::primask: return UC_ARM_REG_PRIMASK;
    case Reg::faultmask: return UC_ARM_REG_FAULTMASK;
    case Reg::basepri: return UC_ARM_REG_BASEPRI;
    case Reg::xpsr: return UC_ARM_REG_XPSR;
    case Reg::xpsr_nzcvqg: return UC_ARM_REG_XPSR_NZCVQG;
    case Reg::ipsr: return UC_ARM_REG_IPSR;
    case Reg::control: return UC_ARM_REG_CONTROL;
    case Reg::msp: return UC_ARM_REG_MSP;
    case Reg::psp: return UC_ARM_REG_PSP;
    case Reg::fpscr: return UC_ARM_REG_FPSCR;
    default: return -1;
  }
  return -1;
}

constexpr int kArmGpr[16] = {UC_ARM_REG_R0,  UC_ARM_REG_R1,  UC_ARM_REG_R2,  UC_ARM_REG_R3,
                             UC_ARM_REG_R4,  UC_ARM_REG_R5,  UC_ARM_REG_R6,  UC_ARM_REG_R7,
                             UC_ARM_REG_R8,  UC_ARM_REG_R9,  UC_ARM_REG_R10, UC_ARM_REG_R11,
                             UC_ARM_REG_R12, UC_ARM_REG_SP,  UC_ARM_REG_LR,  UC_ARM_REG_PC};

int gpr_id(core::IsaFamily isa, unsigned i) {
  if (isa == core::IsaFamily::arm_m) return i < 16 ? kArmGpr[i] : -1;
  return i < 32 ? UC_RISCV_REG_X0 + static_cast<int>(i) : -1;
}

// ---- Unicorn callbacks -> engine events ---------------------------------------------------------
void on_block(uc_engine*, std::uint64_t address, std::uint32_t size, void* sink) {
  block_entered(sink, static_cast<Addr>(address), size);
}

void on_mem(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t, void* sink) {
  data_access(sink, static_cast<Addr>(address), static_cast<std::uint32_t>(size), type != UC_MEM_READ);
}

void on_operand_site(uc_engine*, std::uint64_t address, std::uint32_t, void* sink) {
  site_reached(sink, static_cast<Addr>(address), Site::operand);
}

void on_counter_site(uc_engine*, std::uint64_t address, std::uint32_t, void* sink) {
  site_reached(sink, static_cast<Addr>(address), Site::counter_read);
}

void on_illegal_site(uc_engine*, std::uint64_t address, std::uint32_t, void* sink) {
  site_reached(sink, static_cast<Addr>(address), Site::illegal);
}

bool on_bad_mem(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t, void* sink) {
  BadAccess kind = BadAccess::other;
  switch (type) {
    case UC_MEM_READ_UNMAPPED: kind = BadAccess::read_unmapped; break;
    case UC_MEM_WRITE_UNMAPPED: kind = BadAccess::write_unmapped; break;
    case UC_MEM_FETCH_UNMAPPED: kind = BadAccess::fetch_unmapped; break;
    case UC_MEM_WRITE_PROT: kind = BadAccess::write_prot; break;
    case UC_MEM_READ_PROT: kind = BadAccess::read_prot; break;
    case UC_MEM_FETCH_PROT: kind = BadAccess::fetch_prot; break;
    default: break;
  }
  return bad_access(sink, kind, static_cast<Addr>(address), static_cast<std::uint32_t>(size));
}

void on_intr(uc_engine*, std::uint32_t intno, void* ud) {
  auto* c = static_cast<TrapContext*>(ud);
  Trap kind = Trap::other;
  if (c->isa == core::IsaFamily::arm_m) {
    if (intno == kArmExcpBkpt)
      kind = Trap::breakpoint;
    else if (intno == kArmExcpPrefetchAbort || intno == kArmExcpExceptionExit)
      kind = Trap::exception_return;
    else if (intno == kArmExcpSwi)
      kind = Trap::supervisor_call;
  } else if (intno == kRvExcpEcall) {
    kind = Trap::environment_call;
  }
  trap(c->sink, kind, intno);
}

bool on_bad_insn(uc_engine*, void* sink) {
  invalid_instruction(sink);
  return false;
}

std::uint64_t on_mmio_read(uc_engine*, std::uint64_t offset, unsigned size, void* ud) {
  auto* w = static_cast<WindowContext*>(ud);
  return device_read(w->sink, w->base + static_cast<Addr>(offset), size);
}

void on_mmio_write(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value, void* ud) {
  auto* w = static_cast<WindowContext*>(ud);
  device_write(w->sink, w->base + static_cast<Addr>(offset), size, static_cast<std::uint32_t>(value));
}

}  // namespace

Seam::Seam(core::IsaFamily isa, const std::string& cpu, void* sink)
    : isa_(isa), page_bytes_(isa == core::IsaFamily::arm_m ? 1024 : 4096), sink_(sink), trap_ctx_{sink, isa} {
  const bool arm = isa == core::IsaFamily::arm_m;
  // Unicorn 2.0.1's per-store code check is interposed (unicorn_store_fix.cpp, issue 16).
  static_cast<void>(store_check_fix_linked());
  // UC_MODE_MCLASS would force the M33 model: open Thumb and set the model (unicorn-notes.md).
  if (uc_open(arm ? UC_ARCH_ARM : UC_ARCH_RISCV, arm ? UC_MODE_THUMB : UC_MODE_RISCV32, &uc_) != UC_ERR_OK)
    throw std::runtime_error("uc_open failed");
  try {
    check(uc_ctl_set_cpu_model(uc_, unicorn_cpu_model(cpu)), "set CPU model");
  } catch (...) {
    uc_close(uc_);  // the destructor does not run when the constructor throws (issue 11)
    throw;
  }
}

Seam::~Seam() { uc_close(uc_); }

void Seam::map(Addr base, std::uint32_t size, Perm perm) {
  check(uc_mem_map(uc_, base, size, perm == Perm::all ? UC_PROT_ALL : UC_PROT_READ | UC_PROT_EXEC), "map memory");
}

void Seam::map_device_window(Addr base, std::uint32_t size) {
  windows_.push_back(std::make_unique<WindowContext>(WindowContext{sink_, base}));
  WindowContext* w = windows_.back().get();
  check(uc_mmio_map(uc_, base, size, &on_mmio_read, w, &on_mmio_write, w), "map device registers");
}

void Seam::install_hooks() {
  uc_hook h;
  // Everything is installed before the first uc_emu_start (unicorn-notes.md).
  check(uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&on_block), sink_, 1, 0), "block hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&on_mem), sink_, 1, 0),
        "memory hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&on_bad_mem), sink_, 1, 0),
        "invalid memory hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&on_intr), &trap_ctx_, 1, 0), "interrupt hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(&on_bad_insn), sink_, 1, 0),
        "invalid instruction hook");
  check(uc_ctl_exits_enable(uc_), "enable exits");  // no `until`: only hooks stop the run
}

void Seam::bind_site(Addr at, Site kind) {
  uc_hook h;
  void* callback = kind == Site::operand        ? reinterpret_cast<void*>(&on_operand_site)
                   : kind == Site::counter_read ? reinterpret_cast<void*>(&on_counter_site)
                                                : reinterpret_cast<void*>(&on_illegal_site);
  uc_hook_add(uc_, &h, UC_HOOK_CODE, callback, sink_, at, at);
}

void Seam::flush_code(Addr begin, Addr end) { uc_ctl_remove_cache(uc_, begin, end); }

SliceEnd Seam::run_from(Addr start) {
  // Unicorn's load/store slow path bypassed for plain accesses (unicorn_store_fix.cpp, issue 16).
  if (isa_ == core::IsaFamily::arm_m)
    static_cast<void>(unicorn_access_fix_bind(uc_, reinterpret_cast<const void*>(&on_mem), sink_));
  const uc_err err = uc_emu_start(uc_, start, 0, 0, 0);
  if (err == UC_ERR_OK) return {};
  return {true, uc_strerror(err)};
}

std::uint32_t Seam::reg(Reg r) const {
  std::uint32_t v = 0;
  if (const int id = reg_id(isa_, r); id >= 0) uc_reg_read(uc_, id, &v);
  return v;
}

void Seam::set_reg(Reg r, std::uint32_t v) {
  if (const int id = reg_id(isa_, r); id >= 0) uc_reg_write(uc_, id, &v);
}

std::uint32_t Seam::gpr(unsigned i) const {
  std::uint32_t v = 0;
  if (const int id = gpr_id(isa_, i); id >= 0) uc_reg_read(uc_, id, &v);
  return v;
}

void Seam::set_gpr(unsigned i, std::uint32_t v) {
  if (const int id = gpr_id(isa_, i); id >= 0) uc_reg_write(uc_, id, &v);
}

std::uint64_t Seam::dreg(unsigned i) const {
  std::uint64_t v = 0;
  if (isa_ == core::IsaFamily::arm_m && i < 16) uc_reg_read(uc_, UC_ARM_REG_D0 + static_cast<int>(i), &v);
  return v;
}

void Seam::set_dreg(unsigned i, std::uint64_t v) {
  if (isa_ == core::IsaFamily::arm_m && i < 16) uc_reg_write(uc_, UC_ARM_REG_D0 + static_cast<int>(i), &v);
}

bool Seam::read_mem(Addr addr, void* out, std::uint32_t size) const {
  return uc_mem_read(uc_, addr, out, size) == UC_ERR_OK;
}

bool Seam::write_mem(Addr addr, const void* in, std::uint32_t size) {
  return uc_mem_write(uc_, addr, in, size) == UC_ERR_OK;
}

void Seam::stop() { uc_emu_stop(uc_); }

}  // namespace mcusim::seam
