#include "mcusim/serve.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "mcusim/base/errors.h"
#include "mcusim/elf_image.h"
#include "mcusim/simulation.h"

namespace mcusim {

std::string parse_pty_uart(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || spec.substr(eq + 1) != "pty")
    throw InputError(fmt::format("--uart '{}': expected NAME=pty (e.g. lpuart1=pty)", spec));
  return spec.substr(0, eq);
}

RunResult serve_on_pty(const BoardConfig& board, const std::string& elf, const std::string& uart,
                       const std::function<void(const std::string&)>& ready,
                       std::uint64_t max_instructions) {
  Simulation sim(board, load_elf(elf));
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
    throw InputError(fmt::format("cannot create a pseudo-terminal: {}", std::strerror(errno)));
  const char* name = ptsname(master);
  if (!name)
    throw InputError(fmt::format("cannot name the pseudo-terminal: {}", std::strerror(errno)));
  const std::string slave_path = name;
  termios tio{};
  if (tcgetattr(master, &tio) == 0) {  // raw: no echo, no line buffering, no CR/LF mapping
    cfmakeraw(&tio);
    tcsetattr(master, TCSANOW, &tio);
  }
  // Hold the slave open until the client's first byte, so that read() on the master blocks
  // (instead of failing with EIO) while no client is connected; after that a hang-up ends input.
  int hold = open(slave_path.c_str(), O_RDWR | O_NOCTTY);
  ready(slave_path);

  RunOptions opts;
  opts.max_instructions = max_instructions;
  if (!board.soc.empty()) {
    // The SoC's UART: whatever the client wrote, in one blocking read (the UART model splits it
    // into commands at '%' and presents them at the programmed baud rate). "" = hung up.
    opts.uart_reader[uart] = [&]() -> std::string {
      char buf[4096];
      for (;;) {
        const ssize_t n = read(master, buf, sizeof buf);  // blocks: no host CPU while the firmware waits
        if (n > 0) {
          if (hold >= 0) {
            close(hold);
            hold = -1;
          }
          return std::string(buf, static_cast<std::size_t>(n));
        }
        if (n < 0 && errno == EINTR) continue;
        return std::string();  // EIO: the client closed the terminal
      }
    };
  } else
    opts.console_reader = [&]() -> int {
    unsigned char c;
    for (;;) {
      const ssize_t n = read(master, &c, 1);  // blocks: no host CPU while the firmware waits
      if (n == 1) {
        if (hold >= 0) {
          close(hold);
          hold = -1;
        }
        return c;
      }
      if (n < 0 && errno == EINTR) continue;
      return -1;  // EIO: the client closed the terminal
    }
  };
  opts.console_sink = [&](std::string_view text) {
    std::size_t off = 0;
    while (off < text.size()) {
      const ssize_t n = write(master, text.data() + off, text.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;  // no reader any more: the output is still in the run's console
      }
      off += static_cast<std::size_t>(n);
    }
  };
  auto result = sim.run(opts);
  if (hold >= 0) close(hold);
  close(master);
  return result;
}

}  // namespace mcusim
