#include "mcusim/semihosting.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace mcusim {
namespace {

// Handles handed out by SYS_OPEN. 1..3 are the console; 4 is the feature pseudo-file.
constexpr std::uint32_t kStdin = 1, kStdout = 2, kStderr = 3, kFeatures = 4;
// ":semihosting-features" content (IHI 0071 5.5.2): magic "SHFB", then feature byte 0 with
// SH_EXT_EXIT_EXTENDED (bit 0) and SH_EXT_STDOUT_STDERR (bit 1).
constexpr std::array<std::uint8_t, 5> kFeatureFile = {'S', 'H', 'F', 'B', 0x03};
constexpr std::uint32_t kENOENT = 2, kEBADF = 9;
constexpr std::uint32_t kMinus1 = 0xFFFFFFFFu;

}  // namespace

bool Semihosting::read_string(GuestMemory& mem, Addr addr, std::string& out, std::uint32_t max_len) {
  out.clear();
  for (std::uint32_t i = 0; i < max_len; ++i) {
    char c;
    if (!mem.read(addr + i, &c, 1)) return false;
    if (c == 0) return true;
    out.push_back(c);
  }
  return true;  // truncated at max_len
}

std::uint32_t Semihosting::call(std::uint32_t op, std::uint32_t arg, GuestMemory& mem,
                                SemihostHost& host) {
  auto word = [&](std::uint32_t index, std::uint32_t& v) {
    return mem.read(arg + 4 * index, &v, 4);
  };
  auto bad_block = [&]() {
    host.unsupported(fmt::format("semihosting operation 0x{:02x}: parameter block at 0x{:08x} is "
                                 "not in mapped memory", op, arg));
    return kMinus1;
  };
  switch (op) {
    case SYS_OPEN: {
      std::uint32_t name_ptr, mode, len;
      if (!word(0, name_ptr) || !word(1, mode) || !word(2, len)) return bad_block();
      std::string name;
      if (!read_string(mem, name_ptr, name, len + 1)) return bad_block();
      if (name == ":tt") return mode < 4 ? kStdin : mode < 8 ? kStdout : kStderr;
      if (name == ":semihosting-features") {
        features_pos_ = 0;
        return kFeatures;
      }
      errno_ = kENOENT;
      return kMinus1;
    }
    case SYS_CLOSE:
      return 0;
    case SYS_WRITEC: {
      char c;
      if (!mem.read(arg, &c, 1)) return bad_block();
      host.console_write(std::string_view(&c, 1));
      return 0;
    }
    case SYS_WRITE0: {
      std::string s;
      if (!read_string(mem, arg, s, 1 << 16)) return bad_block();
      host.console_write(s);
      return 0;
    }
    case SYS_WRITE: {
      std::uint32_t handle, buf, len;
      if (!word(0, handle) || !word(1, buf) || !word(2, len)) return bad_block();
      if (handle != kStdout && handle != kStderr) {
        errno_ = kEBADF;
        return len;  // nothing written
      }
      std::string s(len, '\0');
      if (len && !mem.read(buf, s.data(), len)) return bad_block();
      host.console_write(s);
      return 0;  // bytes NOT written
    }
    case SYS_READ: {
      std::uint32_t handle, buf, len;
      if (!word(0, handle) || !word(1, buf) || !word(2, len)) return bad_block();
      if (handle == kFeatures) {
        std::uint32_t n = 0;
        while (n < len && features_pos_ < kFeatureFile.size()) {
          if (!mem.write(buf + n, &kFeatureFile[features_pos_], 1)) return bad_block();
          ++n, ++features_pos_;
        }
        return len - n;
      }
      return len;  // console input is at end of file: nothing read
    }
    case SYS_READC:
      return kMinus1;
    case SYS_ISERROR:
      return static_cast<std::int32_t>(arg) < 0 ? 1 : 0;
    case SYS_ISTTY: {
      std::uint32_t handle;
      if (!word(0, handle)) return bad_block();
      return handle >= kStdin && handle <= kStderr ? 1 : 0;
    }
    case SYS_SEEK: {
      std::uint32_t handle, pos;
      if (!word(0, handle) || !word(1, pos)) return bad_block();
      if (handle == kFeatures) {
        features_pos_ = pos;
        return 0;
      }
      errno_ = kEBADF;
      return kMinus1;
    }
    case SYS_FLEN: {
      std::uint32_t handle;
      if (!word(0, handle)) return bad_block();
      if (handle == kFeatures) return static_cast<std::uint32_t>(kFeatureFile.size());
      return handle >= kStdin && handle <= kStderr ? 0 : kMinus1;
    }
    case SYS_TMPNAM:
    case SYS_REMOVE:
    case SYS_RENAME:
    case SYS_SYSTEM:
      errno_ = kENOENT;
      return kMinus1;
    case SYS_CLOCK:  // centiseconds of modelled time
      return static_cast<std::uint32_t>(host.now_cycles() * 100 / host.clock_hz());
    case SYS_TIME:  // no wall clock: results must be deterministic
      return 0;
    case SYS_ERRNO:
      return errno_;
    case SYS_GET_CMDLINE: {
      std::uint32_t buf, len;
      if (!word(0, buf) || !word(1, len)) return bad_block();
      if (len == 0) return kMinus1;
      char zero = 0;
      std::uint32_t zero32 = 0;
      if (!mem.write(buf, &zero, 1) || !mem.write(arg + 4, &zero32, 4)) return bad_block();
      return 0;
    }
    case SYS_HEAPINFO: {
      // arg points to a pointer to four words: heap base, heap limit, stack base, stack limit.
      // Zeros tell the C library to use its linker symbols.
      std::uint32_t block;
      if (!word(0, block)) return bad_block();
      std::array<std::uint32_t, 4> zeros{};
      if (!mem.write(block, zeros.data(), 16)) return bad_block();
      return 0;
    }
    case SYS_EXIT: {
      // AArch32: r1 holds the reason code itself.
      if (arg == kAdpStoppedApplicationExit)
        host.exit(0, "");
      else
        host.exit(1, fmt::format("SYS_EXIT with reason 0x{:x}", arg));
      return 0;
    }
    case SYS_EXIT_EXTENDED: {
      std::uint32_t reason, subcode;
      if (!word(0, reason) || !word(1, subcode)) return bad_block();
      if (reason == kAdpStoppedApplicationExit)
        host.exit(static_cast<int>(subcode), "");
      else
        host.exit(1, fmt::format("SYS_EXIT_EXTENDED with reason 0x{:x} subcode {}", reason, subcode));
      return 0;
    }
    case SYS_ELAPSED: {
      std::uint64_t t = host.now_cycles();
      if (!mem.write(arg, &t, 8)) return bad_block();
      return 0;
    }
    case SYS_TICKFREQ:
      return static_cast<std::uint32_t>(host.clock_hz());
    case MCUSIM_ROI_BEGIN: {
      std::uint32_t id, label_ptr;
      if (!word(0, id) || !word(1, label_ptr)) return bad_block();
      std::string label;
      if (label_ptr && !read_string(mem, label_ptr, label, 512)) return bad_block();
      host.roi_begin(id, std::move(label));
      return 0;
    }
    case MCUSIM_ROI_END:
      host.roi_end(arg);
      return 0;
    default:
      host.unsupported(fmt::format("unsupported semihosting operation 0x{:x}", op));
      return kMinus1;
  }
}

}  // namespace mcusim
