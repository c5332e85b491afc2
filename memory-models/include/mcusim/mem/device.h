// The device interface of the memory system's device bus (docs/architecture.md, style-anchors
// principle 13): a device is an address range with read/write callbacks that get the offset, the
// access size and the current core cycle; it says when it next needs attention on the simulated
// clock and raises interrupt lines through its host. Devices never see Unicorn and never read
// host time.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "mcusim/base/units.h"

namespace mcusim::mem {

/// "No event": a device that needs no attention returns this from next_event().
inline constexpr Cycles kNoEvent = std::numeric_limits<Cycles>::max();

/// What a device may ask of the machine it sits in. Implemented by the engine (the system model
/// and run loop); devices keep a reference given at construction.
class DeviceHost {
 public:
  virtual ~DeviceHost() = default;
  /// Drives interrupt line `irq` (the SoC's IRQ number as in the vendor's vector table, 0-based
  /// external interrupt; on Cortex-M exception number = 16 + irq) to `level` at cycle `now`.
  virtual void set_irq(int irq, bool level, Cycles now) = 0;
  /// Appends `text` to the console output of the stream named `stream` (e.g. "console",
  /// "lpuart1") at cycle `now`.
  virtual void output(std::string_view stream, std::string_view text, Cycles now) = 0;
  /// Ends the run as if the firmware exited with `status` (halt registers).
  virtual void exit(int status, std::string_view why) = 0;
  /// The core clock in Hz now (the board's clock_hz, or the one the firmware programmed).
  virtual Hertz core_clock_hz() const = 0;
};

/// A memory-mapped device on the bus. Offsets are from the device's base address; `size` is the
/// access width in bytes (1, 2 or 4); `now` is the core cycle at which the access is made.
class Device {
 public:
  virtual ~Device() = default;
  /// A short instance name for messages and reports ("console", "usart2", "rcc").
  virtual std::string_view name() const = 0;
  /// Reads `size` bytes at `offset`; returns the value zero-extended to 32 bits.
  virtual std::uint32_t read(Addr offset, unsigned size, Cycles now) = 0;
  /// Writes the low `size` bytes of `value` at `offset`.
  virtual void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) = 0;
  /// The first core cycle at or after which advance() must be called, or kNoEvent.
  virtual Cycles next_event() const { return kNoEvent; }
  /// Brings the device's state up to cycle `now` (timers count, frames finish, IRQs rise). The
  /// run loop calls it at the first block boundary at or after next_event(), and the bus calls
  /// it before every access to the device.
  virtual void advance(Cycles now) { (void)now; }
  /// Wait states (core cycles) the bus adds to each access to this device.
  virtual Cycles access_wait_states() const { return 0; }
};

}  // namespace mcusim::mem
