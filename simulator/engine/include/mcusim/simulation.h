// One simulated board running one firmware image.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <memory>
#include <string>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/mem/device.h"
#include "mcusim/results.h"

namespace mcusim {
struct ProfileOptions;
}

namespace mcusim {

struct RunOptions {
  std::uint64_t max_instructions = 0;  ///< 0 = no limit; else stop with StopReason::instruction_limit
  bool echo_console = false;           ///< also stream the firmware's console output to stdout
  /// Host input per SoC UART (instance name, lower case -> bytes), from --uart NAME=SPEC. Throws
  /// InputError from run() when the board has no SoC or the SoC no such UART.
  std::map<std::string, std::string> uart_input;
  /// Interactive host per SoC UART (mcusim serve on a pseudo-terminal): called for the next chunk
  /// of input when the UART's input is used up and the firmware waits; may block (simulated time
  /// does not advance); "" = the host hung up. Same errors as uart_input.
  std::map<std::string, std::function<std::string()>> uart_reader;
  /// Collect a per-function profile (RunResult::profile) with these options; null = off (the
  /// run loop then pays one pointer test per block).
  const ProfileOptions* profile = nullptr;
  /// Called about every `progress_every` simulated cycles with the cycles and retired
  /// instructions so far (for a progress display; it must not change the run). Empty = never.
  std::function<void(Cycles cycles, std::uint64_t instructions)> progress;
  Cycles progress_every = 10'000'000;
  /// Bytes the firmware reads with semihosting SYS_READC, in order; after the last one SYS_READC
  /// returns -1 (end of input). Used to play a host script to the firmware (mcusim mlperf).
  std::string console_input;
  /// When set, SYS_READC calls it instead of reading console_input: the next byte (0-255) or -1
  /// (end of input). It may block (mcusim serve waits on a pseudo-terminal); simulated time does
  /// not advance while it waits.
  std::function<int()> console_reader;
  /// When set, also called with every piece of console output as the firmware writes it.
  std::function<void(std::string_view)> console_sink;
  /// A SoC GPIO pin name ("PF13"): at every output edge of that pin the run snapshots its counters
  /// (RunResult::pin_snapshots), so a window between two edges can be priced event by event like
  /// a region (mcusim mlperf --mode energy on an image without window regions). At most 65,536
  /// snapshots: one more stops the run (StopReason::unsupported, the pin named). Empty = off.
  std::string snapshot_pin;
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
