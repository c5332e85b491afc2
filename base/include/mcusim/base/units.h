// Units used across mcusim. Every quantity that crosses a module boundary carries its unit in its
// type name (and in the field name where a plain integer is unavoidable).
#pragma once
#include <cstdint>

namespace mcusim {

/// A 32-bit target address (byte address in the core's physical memory map).
using Addr = std::uint32_t;
/// A count of core clock cycles.
using Cycles = std::uint64_t;
/// A count of bytes.
using Bytes = std::uint64_t;
/// Energy in picojoules (double: energy is a derived, not a counted, quantity).
using Picojoules = double;
/// Frequency in hertz.
using Hertz = std::uint64_t;

}  // namespace mcusim
