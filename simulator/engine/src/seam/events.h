// The engine events the Unicorn seam produces. The run loop (engine/src/run_loop.cpp) defines
// these functions; the seam calls them directly with the `sink` it was given, so a block or a
// data access pays a direct call, no virtual one (issue 12: the hot path as cheap as before).
#pragma once
#include <cstdint>

#include "mcusim/base/units.h"
#include "seam/seam.h"

namespace mcusim::seam {

/// A basic block of `size` bytes at `start` is about to run (every block entry).
void block_entered(void* sink, Addr start, std::uint32_t size);
/// A data load (write = false) or store of `size` bytes at `addr` is about to be made.
void data_access(void* sink, Addr addr, std::uint32_t size, bool write);
/// The instruction at `pc`, bound with Seam::bind_site, is about to run.
void site_reached(void* sink, Addr pc, Site kind);
/// An access the memory map refuses. Returning false ends the slice with the emulator's error.
bool bad_access(void* sink, BadAccess kind, Addr addr, std::uint32_t size);
/// A synchronous exception (`number` = the emulator's own code, for Trap::other).
void trap(void* sink, Trap kind, std::uint32_t number);
/// An instruction the emulator cannot decode, at the current PC.
void invalid_instruction(void* sink);
/// A device-window read of `size` bytes at `addr` (absolute); returns the value read.
std::uint32_t device_read(void* sink, Addr addr, unsigned size);
/// A device-window write of `size` bytes of `value` at `addr` (absolute).
void device_write(void* sink, Addr addr, unsigned size, std::uint32_t value);

}  // namespace mcusim::seam
