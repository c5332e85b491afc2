// The device bus of the memory system (docs/architecture.md): maps address ranges to mem::Device
// instances, forwards reads and writes with their size and the current core cycle, and tells the
// run loop the next cycle any device needs attention. Memories (flash, SRAM, TCM) are not on it:
// their timing is the memory system's; only memory-mapped registers are.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "mcusim/base/units.h"
#include "mcusim/mem/device.h"

namespace mcusim::mem {

/// Address ranges -> devices. Deterministic: mappings are kept sorted by base address and every
/// scan runs in that order. Not thread-safe (one bus per simulated machine).
class DeviceBus {
 public:
  /// One device mapped at [base, base + size).
  struct Mapping {
    Addr base = 0;
    std::uint32_t size = 0;  ///< bytes
    Device* device = nullptr;
    bool contains(Addr a) const { return a - base < size; }
  };

  /// Maps `device` at [base, base + size) (bytes). Throws InputError naming the device and the
  /// range for: a null device, size 0, a range past 0xFFFFFFFF, or an overlap with a device
  /// already mapped (naming both).
  void attach(Addr base, std::uint32_t size, std::unique_ptr<Device> device);

  /// The mappings, sorted by base address.
  const std::vector<Mapping>& mappings() const { return map_; }
  /// The mapping containing `addr`, or nullptr.
  const Mapping* find(Addr addr) const;

  /// Called for an access to an address no device holds: the bus address `addr`, the access
  /// `size` in bytes, `write` (true for a store) and the core cycle `now`. The machine the bus
  /// sits in reports it as a bus fault (the emulator maps device pages whole, so such an address
  /// can share a page with a device; docs/peripherals.md).
  using UnmappedHandler = std::function<void(Addr addr, unsigned size, bool write, Cycles now)>;
  /// Installs the handler for accesses outside every device (replaces any earlier one).
  void on_unmapped(UnmappedHandler h) { unmapped_ = std::move(h); }

  /// Reads `size` bytes (1, 2 or 4) at bus address `addr` at core cycle `now`: the device is
  /// first advanced to `now`. An address with no device calls the unmapped handler (a bus fault)
  /// and reads 0; without a handler it just reads 0.
  std::uint32_t read(Addr addr, unsigned size, Cycles now);
  /// Writes the low `size` bytes of `value` at `addr` at cycle `now` (advance first). An address
  /// with no device calls the unmapped handler (a bus fault); the write is dropped.
  void write(Addr addr, unsigned size, std::uint32_t value, Cycles now);
  /// Wait states (core cycles) of an access at `addr`: the device's access_wait_states(), 0 when
  /// no device is mapped there.
  Cycles wait_states(Addr addr) const;

  /// The earliest next_event() over all devices (core cycles), kNoEvent when none needs any.
  Cycles next_event() const;
  /// Calls advance(now) on every device whose next_event() is at or before `now`, in base
  /// address order. Returns next_event() afterwards.
  Cycles advance(Cycles now);

  /// The device whose read/write/advance is running (so a DeviceHost call such as set_irq can
  /// name it), else nullptr.
  const Device* current() const { return current_; }

 private:
  // Runs f with current_ = d.
  template <class F>
  auto with_current(Device* d, F f) {
    struct Reset {
      const Device*& c;
      ~Reset() { c = nullptr; }
    } reset{current_};
    current_ = d;
    return f();
  }
  const Device* current_ = nullptr;
  UnmappedHandler unmapped_;
  std::vector<Mapping> map_;
  std::vector<std::unique_ptr<Device>> owned_;
};

}  // namespace mcusim::mem
