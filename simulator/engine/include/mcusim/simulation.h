// One simulated board running one firmware image.
#pragma once
#include <cstdint>
#include <memory>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/mem/device.h"
#include "mcusim/results.h"

namespace mcusim {

struct RunOptions {
  std::uint64_t max_instructions = 0;  ///< 0 = no limit; else stop with StopReason::instruction_limit
  bool echo_console = false;           ///< also stream the firmware's console output to stdout
};

/// Builds the machine for `board`, loads `image` and runs it with the board's core, memory and
/// energy models. Not thread-safe; one Simulation per thread (each owns its Unicorn engine).
class Simulation {
 public:
  /// Maps the board's memories, loads every PT_LOAD segment at its load address and reads the
  /// reset vector. Throws InputError naming the file/address for: a segment outside every memory
  /// region, a vector table outside the image, an initial SP outside SRAM, a reset vector or
  /// entry point outside executable memory, or a missing/invalid core or energy table.
  Simulation(const BoardConfig& board, const ElfImage& image);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Runs from reset until the firmware exits (semihosting SYS_EXIT), faults, or hits the
  /// instruction limit. Never throws for firmware behaviour: the outcome is in RunResult::stop.
  RunResult run(const RunOptions& opts);

  /// Puts `device` on the machine's device bus at [base, base + size) (bytes), before run().
  /// Accesses to it are forwarded with the offset from `base`, the access size and the issue
  /// cycle of the accessing instruction; the run loop calls its advance() at the first block
  /// boundary at or after its next_event() (and during WFI sleep). Throws InputError naming the
  /// device and the range when a page of it (1 KiB on Arm, 4 KiB on RISC-V) overlaps a memory
  /// region or the range overlaps a device already on the bus (console, halt register, SCS);
  /// std::logic_error after run().
  void attach_device(Addr base, std::uint32_t size, std::unique_ptr<mem::Device> device);
  /// The machine as devices see it (interrupt lines, console output, exit, core clock): give it
  /// to a device's constructor before attach_device. set_irq on Cortex-M pends exception
  /// 16 + irq in the NVIC; on RV32 it stops the run (StopReason::unsupported) in this version.
  mem::DeviceHost& device_host();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcusim
