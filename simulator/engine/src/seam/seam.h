// The Unicorn seam: the only code of mcusim that includes <unicorn/unicorn.h> (seam.cpp here).
// It turns Unicorn's callbacks into engine events (seam/events.h) and offers register and memory
// access through CpuPort; nothing above it knows Unicorn's types or constants.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/base/units.h"
#include "mcusim/core/core_model.h"

struct uc_struct;  // Unicorn's engine, opaque above the seam

namespace mcusim::seam {

/// Architectural registers by a neutral name. gpr(i) (below) reaches the general-purpose file:
/// Arm R0-R15 (13 = SP, 14 = LR, 15 = PC), RISC-V x0-x31. The Arm special registers follow the
/// ARMv7-M ARM B1.4 names; on RISC-V `pc`, `sp` (x2) and the machine CSRs `mstatus`, `mie`.
enum class Reg : std::uint8_t {
  pc,
  sp,
  primask,
  faultmask,
  basepri,
  xpsr,         ///< the whole xPSR (APSR, IPSR, EPSR incl. ITSTATE)
  xpsr_nzcvqg,  ///< write: xPSR with the APSR flags NZCVQ and GE
  ipsr,
  control,
  msp,
  psp,
  fpscr,
  mstatus,  ///< RISC-V mstatus (privileged spec 3.1.6; MIE = bit 3)
  mie,      ///< RISC-V mie (privileged spec 3.1.9; MSIE 3, MTIE 7, MEIE 11)
};

/// Register and memory access to the emulated core: implemented by the seam (Unicorn) and by the
/// fake CPUs of the system-model unit tests. Called on cold paths only (exceptions, semihosting,
/// counters), never per memory access.
class CpuPort {
 public:
  virtual ~CpuPort() = default;
  /// 32-bit register value (0 for a register the architecture lacks).
  virtual std::uint32_t reg(Reg r) const = 0;
  virtual void set_reg(Reg r, std::uint32_t v) = 0;
  /// General-purpose register i (Arm 0-15, RISC-V 0-31); 0 for an index out of range.
  virtual std::uint32_t gpr(unsigned i) const = 0;
  virtual void set_gpr(unsigned i, std::uint32_t v) = 0;
  /// Arm double-precision register D0-D15 (the FP context of an extended exception frame).
  virtual std::uint64_t dreg(unsigned i) const = 0;
  virtual void set_dreg(unsigned i, std::uint64_t v) = 0;
  /// Guest memory by address: false when [addr, addr + size) is not all mapped memory.
  virtual bool read_mem(Addr addr, void* out, std::uint32_t size) const = 0;
  virtual bool write_mem(Addr addr, const void* in, std::uint32_t size) = 0;
  /// Ends the current emulation slice at the next instruction boundary (the run loop then asks
  /// why: a stop request, an exception to take, a restart).
  virtual void stop() = 0;
};

/// Permissions of a mapped memory range.
enum class Perm : std::uint8_t { read_exec, all };

/// Why an access could not be made (the engine names it in the fault message).
enum class BadAccess : std::uint8_t { read_unmapped, write_unmapped, fetch_unmapped, write_prot, read_prot, fetch_prot, other };

/// A synchronous exception the emulator reported (Unicorn's interrupt hook), by kind.
enum class Trap : std::uint8_t {
  breakpoint,        ///< Arm BKPT
  supervisor_call,   ///< Arm SVC
  exception_return,  ///< Arm: a branch to an EXC_RETURN value (0xFFxxxxxx) in Handler mode
  environment_call,  ///< RISC-V ECALL
  other,             ///< anything else; `number` is the emulator's code
};

/// Kinds of instruction sites the run loop binds (the core model found them at decode).
enum class Site : std::uint8_t { operand, counter_read, illegal };

/// How the last emulation slice ended.
struct SliceEnd {
  bool error = false;       ///< the emulator ended with an error (unmapped access, EBREAK, ...)
  std::string error_text;   ///< the emulator's own words for it (when error)
};

/// Seam-internal: what the callbacks of a device window and of the interrupt hook are given.
struct WindowContext {
  void* sink;
  Addr base;
};
struct TrapContext {
  void* sink;
  core::IsaFamily isa;
};

/// The Unicorn engine of one simulation: opened for the core's ISA and CPU model, with the
/// board's memories and device windows mapped and the engine-event hooks installed.
class Seam final : public CpuPort {
 public:
  /// Opens Unicorn for `isa` with the CPU model named `cpu` (a timing table's `unicorn_cpu`);
  /// `sink` receives the events (seam/events.h). Throws InputError for an unknown CPU name,
  /// std::runtime_error when Unicorn cannot be opened.
  Seam(core::IsaFamily isa, const std::string& cpu, void* sink);
  ~Seam() override;
  Seam(const Seam&) = delete;
  Seam& operator=(const Seam&) = delete;

  /// Unicorn's page size in bytes: 1 KiB on Arm, 4 KiB on RISC-V (unicorn-notes.md); every
  /// mapping must be aligned to it.
  std::uint32_t page_bytes() const { return page_bytes_; }
  /// Maps [base, base + size) as memory. Throws std::runtime_error naming Unicorn's error.
  void map(Addr base, std::uint32_t size, Perm perm);
  /// Maps [base, base + size) as a device window: accesses become device_read/device_write
  /// events with the absolute address. Throws std::runtime_error naming Unicorn's error.
  void map_device_window(Addr base, std::uint32_t size);
  /// Installs the block, data, bad-access, interrupt and invalid-instruction hooks (once, before
  /// the first run: unicorn-notes.md).
  void install_hooks();
  /// Binds a code hook to the instruction at `at`: site_reached(at, kind) fires before it runs.
  void bind_site(Addr at, Site kind);
  /// Drops the translated code of [begin, end) so that the next entry re-translates it (with the
  /// hooks bound since).
  void flush_code(Addr begin, Addr end);
  /// Runs from `start` (Thumb bit included on Arm) until a hook stops it or an error ends it.
  SliceEnd run_from(Addr start);

  // CpuPort
  std::uint32_t reg(Reg r) const override;
  void set_reg(Reg r, std::uint32_t v) override;
  std::uint32_t gpr(unsigned i) const override;
  void set_gpr(unsigned i, std::uint32_t v) override;
  std::uint64_t dreg(unsigned i) const override;
  void set_dreg(unsigned i, std::uint64_t v) override;
  bool read_mem(Addr addr, void* out, std::uint32_t size) const override;
  bool write_mem(Addr addr, const void* in, std::uint32_t size) override;
  void stop() override;

 private:
  uc_struct* uc_ = nullptr;
  core::IsaFamily isa_;
  std::uint32_t page_bytes_;
  void* sink_;
  std::vector<std::unique_ptr<WindowContext>> windows_;
  TrapContext trap_ctx_;
};

}  // namespace mcusim::seam
