// ARM semihosting (ARM IHI 0071 "Semihosting for AArch32 and AArch64", v2) plus mcusim's
// region-of-interest extension. Pure logic: guest memory and the run's state are reached through
// the two small interfaces below, so this file never sees Unicorn.
#pragma once
#include <cstdint>
#include <string>

#include "mcusim/base/units.h"

namespace mcusim {

/// Semihosting operation numbers (ARM IHI 0071, section 5).
enum SemihostOp : std::uint32_t {
  SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
  SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0A,
  SYS_FLEN = 0x0C, SYS_TMPNAM = 0x0D, SYS_REMOVE = 0x0E, SYS_RENAME = 0x0F, SYS_CLOCK = 0x10,
  SYS_TIME = 0x11, SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
  SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
  SYS_TICKFREQ = 0x31,
  /// mcusim extension (user range 0x100-0x1FF): r1 -> { uint32 id; const char* label }.
  MCUSIM_ROI_BEGIN = 0x100,
  /// mcusim extension: r1 = region id.
  MCUSIM_ROI_END = 0x101,
};

/// ADP_Stopped_ApplicationExit: the reason code of a normal exit (IHI 0071 5.17).
inline constexpr std::uint32_t kAdpStoppedApplicationExit = 0x20026;

/// Access to guest memory; false when an address is not mapped.
class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  virtual bool read(Addr addr, void* out, std::uint32_t size) = 0;
  virtual bool write(Addr addr, const void* in, std::uint32_t size) = 0;
};

/// What semihosting calls do to the run.
class SemihostHost {
 public:
  virtual ~SemihostHost() = default;
  virtual void console_write(std::string_view text) = 0;
  virtual void exit(int status, std::string_view why) = 0;
  virtual void roi_begin(std::uint32_t id, std::string label) = 0;
  virtual void roi_end(std::uint32_t id) = 0;
  virtual Cycles now_cycles() const = 0;
  virtual Hertz clock_hz() const = 0;
  /// A call the simulator cannot serve: stops the run with this message.
  virtual void unsupported(std::string message) = 0;
};

/// Serves one semihosting call (op in r0, argument in r1) and returns the value for r0.
/// Console handles (":tt") and the ":semihosting-features" pseudo-file are supported; other host
/// files are refused (-1, errno ENOENT): a simulation never touches the host file system.
/// SYS_TIME returns 0 and SYS_CLOCK/SYS_ELAPSED return modelled time, so results stay deterministic.
class Semihosting {
 public:
  std::uint32_t call(std::uint32_t op, std::uint32_t arg, GuestMemory& mem, SemihostHost& host);

 private:
  bool read_string(GuestMemory& mem, Addr addr, std::string& out, std::uint32_t max_len = 4096);
  std::uint32_t errno_ = 0;
  std::uint32_t features_pos_ = 0;
};

}  // namespace mcusim
