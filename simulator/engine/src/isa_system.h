// One system model per ISA behind one interface (issue 12): what the core does around the
// instructions Unicorn executes — reset, exceptions and traps, interrupt lines, sleep, the
// system's own registers, semihosting traps. The run loop (run_loop.cpp) calls it on cold paths
// only (a trap, a due event, a stopped slice), never per memory access; it has no ISA checks of
// its own. Implementations: CortexMIsaSystem (cortex_m_isa.cpp), Rv32System (rv32_system.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/base/units.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/mem/device.h"
#include "mcusim/simulation.h"
#include "seam/seam.h"

namespace mcusim {

/// What a system model may ask of the machine it runs in (implemented by the run loop; by a fake
/// in the unit tests). All cold paths.
class SystemHost {
 public:
  virtual ~SystemHost() = default;
  /// Registers and memory of the emulated core.
  virtual seam::CpuPort& cpu() = 0;
  virtual const BoardConfig& board_config() const = 0;
  /// Modelled cycle count now (cycles of the core clock).
  virtual Cycles now() const = 0;
  /// The core sleeps (WFI) until cycle `until` (>= now()): counted as sleep cycles.
  virtual void sleep_until(Cycles until) = 0;
  /// Charges `cost` cycles of exception entry, return or tail-chain (exception overhead; the
  /// refill of the interrupted flow is part of it) and counts one exception taken when `taken`.
  virtual void charge_exception(Cycles cost, bool taken) = 0;
  /// Ends the run with `why` and `message` (the first request wins) and stops the emulator.
  virtual void request_stop(StopReason why, std::string message) = 0;
  virtual bool stop_requested() const = 0;
  /// The system's next event may have moved: recompute when the run loop looks next.
  virtual void reschedule(Cycles now) = 0;
  /// Call at_boundary at the next block boundary (an interrupt was pended).
  virtual void look_at_next_boundary() = 0;
  /// The memory region holding `a` ("flash", an [[sram]] name, ...), for messages.
  virtual std::string region_name(Addr a) const = 0;
  /// [a, a + n) lies in flash (reads only) or SRAM of the board.
  virtual bool in_memory(Addr a, std::uint32_t n, bool need_write) const = 0;
  /// The core itself wrote (exception frame) or read `words` 32-bit words at `addr`, outside the
  /// data hook: counted as SRAM traffic (and, written, in the stack measurement of the main
  /// stack, or of the process stack when `process_stack`).
  virtual void frame_access(Addr addr, std::uint32_t words, bool write, bool process_stack) = 0;
  /// The core now runs on its process stack (`process` = true: Cortex-M Thread mode with
  /// CONTROL.SPSEL = 1, the stack pointer is PSP) or on its main stack: the stack its data writes
  /// are measured in (RunResult footprint: stack_peak, process_stack_peak).
  virtual void stack_selected(bool process) = 0;
  /// Earliest next event of the devices on the bus (mem::kNoEvent when none).
  virtual Cycles device_event() const = 0;
  /// Advances the devices to `now`; returns their next event.
  virtual Cycles advance_devices(Cycles now) = 0;
  /// Host input (SoC UARTs): sends the next chunk when the firmware waits (true when it did);
  /// whether the host has nothing more to send.
  virtual bool host_sends(Cycles now) = 0;
  virtual bool host_input_exhausted(Cycles now) const = 0;
  /// PC of the instruction making the current device access.
  virtual Addr pc_of_device_access() const = 0;
  /// A semihosting call: operation `op` with parameter block `param`; returns the result (r0/a0).
  virtual std::uint32_t semihost(std::uint32_t op, std::uint32_t param) = 0;
  /// Ends the run as exited with `status`.
  virtual void exit(int status, std::string_view why) = 0;
};

/// Reset state of the core: where execution starts and the initial stack pointer (the top the
/// stack high-water mark is measured from).
struct ResetState {
  Addr pc = 0;
  Addr sp = 0;
};

/// The system's own register space, put on the device bus by the run loop (the Cortex-M SCS).
struct ControlSpace {
  Addr base = 0;
  std::uint32_t size = 0;
  std::unique_ptr<mem::Device> device;
  std::string what;  ///< named in the error when it overlaps memory
};

/// A system model: the ISA-specific behaviour of the core around Unicorn.
class IsaSystem {
 public:
  static constexpr Cycles kNever = std::numeric_limits<Cycles>::max();
  /// What the run loop does after a slice that ended without a stop or restart request.
  enum class Outcome {
    resume,    ///< go on at the address given
    stopped,   ///< the system requested a stop
    not_mine,  ///< the slice ended with an emulator error the system does not handle: a fault
  };

  virtual ~IsaSystem() = default;
  /// Reads the reset state from the loaded image (Arm: the vector table) and sets the core's
  /// registers. Throws InputError naming the firmware and the value when it is unusable.
  virtual ResetState reset(const ElfImage& image) = 0;
  /// The system's register space as a device, or nullopt.
  virtual std::optional<ControlSpace> control_space() = 0;
  /// Name of the system's own address range holding `a` (for fault messages), or nullptr.
  virtual const char* region_name(Addr a) const = 0;
  /// Address the emulator starts at to execute from `pc` (Arm: the Thumb bit set).
  virtual Addr entry_address(Addr pc) const = 0;
  /// General-purpose register holding the return address (Arm LR, RISC-V ra).
  virtual unsigned link_register() const = 0;
  /// External interrupt lines (IRQ0..n-1); 0 = no interrupt controller modelled.
  virtual unsigned external_irqs() const = 0;
  /// Marks interrupt line `irq` as level-sensitive (a SoC peripheral's line).
  virtual void declare_level_irq(unsigned irq) = 0;
  /// A device (named by `who`) set interrupt line `irq` to `level` at cycle `now`.
  virtual void set_irq(int irq, bool level, Cycles now, const std::string& who) = 0;
  /// First cycle at or after `now` at which at_boundary must run (kNever when none).
  virtual Cycles next_event(Cycles now) = 0;
  /// At a block boundary (the block at `a` has not run), at or after next_event: takes a pending
  /// exception that preempts. True when it stopped the emulator to do so.
  virtual bool at_boundary(Addr a) = 0;
  /// A synchronous exception reported by the seam (BKPT, SVC, exception return, ECALL, ...).
  virtual void on_trap(seam::Trap kind, std::uint32_t number) = 0;
  /// An instruction the emulator cannot decode at `pc`: true when the system serves it once the
  /// slice has ended (RISC-V EBREAK); false for a fault.
  virtual bool on_invalid_instruction(Addr pc) = 0;
  /// A fetch from unmapped `a`: true when it is the system's own (Cortex-M exception return on
  /// the M0 model), false for a fault.
  virtual bool on_fetch_fault(Addr a) = 0;
  /// After a slice that ended without a stop or restart request: performs what the system asked
  /// for (exception entry or return) or what the emulator stopped at (WFI, EBREAK).
  virtual Outcome after_slice(const seam::SliceEnd& end, Addr& resume) = 0;
  /// Per instruction of a decoded block (`info`, raw bytes `code`): the alignment its data
  /// accesses always need on this core, as an address mask (3 = word, 1 = halfword,
  /// kNaturalAlignment = the access size, 0 = none). Empty when no instruction of the block needs
  /// a check (the run loop then pays nothing) or the block's accesses cannot be attributed exactly.
  virtual std::vector<std::uint8_t> alignment_needs(const core::BlockInfo& info,
                                                    const std::vector<std::uint8_t>& code) const = 0;
  static constexpr std::uint8_t kNaturalAlignment = 0xFF;
  /// The block `code` may change which stack the core runs on (Cortex-M: an MSR to CONTROL);
  /// after it runs, the run loop asks on_process_stack() again.
  virtual bool may_select_stack(const std::vector<std::uint8_t>& code) const = 0;
  /// The core runs on a process stack now (Cortex-M: Thread mode and CONTROL.SPSEL = 1).
  virtual bool on_process_stack() const = 0;
  /// The block `code` is one branch to itself (`b .`, `j .`): checked for no progress.
  virtual bool is_self_branch(const std::vector<std::uint8_t>& code) const = 0;
  /// A branch to itself at `at` is about to run: the reason no enabled source can ever end it,
  /// or "" when one can.
  virtual std::string why_stuck(Addr at) = 0;
  /// Interrupts are disabled outright (Arm PRIMASK, RISC-V mstatus.MIE clear).
  virtual bool interrupts_disabled() const = 0;
  /// The registers spin detection compares between two looks.
  virtual std::array<std::uint32_t, 16> spin_state() const = 0;
  /// Value of counter register `csr` read by an instruction that issues at `cycle` with
  /// `retired` instructions before it; nullopt when the system has no such counter.
  virtual std::optional<std::uint32_t> counter_value(std::uint16_t csr, Cycles cycle, std::uint64_t retired) const = 0;
};

/// The board's memory map as text ("flash 0x08000000-0x081fffff, sram1 ..."), for messages.
std::string memory_map_text(const BoardConfig& board);

/// The system model for `isa`: checks that `image` is built for it (InputError naming the
/// firmware, board and core otherwise). Cortex-M reads core-models/data/exceptions.toml for the
/// board's core (`unicorn_cpu` selects the row).
std::unique_ptr<IsaSystem> make_isa_system(core::IsaFamily isa, const BoardConfig& board, std::string_view unicorn_cpu,
                                           const ElfImage& image, SystemHost& host);

}  // namespace mcusim
