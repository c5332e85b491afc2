#include "mcusim/serve.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "mcusim/base/errors.h"
#include "mcusim/devices/soc.h"
#include "mcusim/elf_image.h"
#include "mcusim/simulation.h"

namespace mcusim {

std::string parse_pty_uart(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || spec.substr(eq + 1) != "pty")
    throw InputError(fmt::format("--uart '{}': expected NAME=pty (e.g. lpuart1=pty)", spec));
  return spec.substr(0, eq);
}

namespace {

// A stop signal's number (0 = none) and the write end of the pipe that wakes a blocked poll().
volatile std::sig_atomic_t g_stop_signal = 0;
int g_wake_fd = -1;

extern "C" void on_stop_signal(int sig) {
  g_stop_signal = sig;
  if (g_wake_fd >= 0) {
    const char c = 0;
    [[maybe_unused]] const ssize_t n = write(g_wake_fd, &c, 1);
  }
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

// The pseudo-terminal of one session and its clients. Presence of a client is read from the
// master: POLLHUP once every descriptor of the slave is closed (Linux sets it only after the
// slave was opened once). Opens of the slave path are watched with inotify (IN_OPEN), so waiting
// for the next client blocks in poll() instead of polling the master, which reports POLLHUP
// continuously while nobody has the slave open.
class Pty {
 public:
  Pty() {
    master_ = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0)
      fail("cannot create a pseudo-terminal");
    const char* name = ptsname(master_);
    if (!name) fail("cannot name the pseudo-terminal");
    path_ = name;
    termios tio{};
    if (tcgetattr(master_, &tio) == 0) {  // raw: no echo, no line buffering, no CR/LF mapping
      cfmakeraw(&tio);
      tcsetattr(master_, TCSANOW, &tio);
    }
    inotify_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_ < 0 || inotify_add_watch(inotify_, path_.c_str(), IN_OPEN | IN_CLOSE) < 0)
      fail(fmt::format("cannot watch {} for clients (inotify)", path_));
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) fail("cannot create the signal pipe");
    wake_r_ = p[0];
    wake_w_ = p[1];
  }
  ~Pty() {
    for (int fd : {master_, inotify_, wake_r_, wake_w_})
      if (fd >= 0) close(fd);
  }
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  const std::string& path() const { return path_; }
  int wake_write_fd() const { return wake_w_; }
  bool exit_on_hangup = false;
  std::function<void(const std::string&)> on_hangup;  // see ServeOptions::on_hangup
  std::string ended_by;                               // see ServeResult::ended_by
  std::uint64_t dropped = 0;                          // see ServeResult::dropped_bytes

  // The next chunk the client wrote; blocks (no CPU) while there is none, across hang-ups and
  // reopens. "" = input ended (a stop signal, or a hang-up with exit_on_hangup).
  std::string read_chunk() {
    for (;;) {
      if (g_stop_signal != 0) {
        ended_by = signal_name(g_stop_signal);
        return {};
      }
      if (!client_gone()) {
        pollfd fds[3] = {{master_, POLLIN, 0}, {wake_r_, POLLIN, 0}, {inotify_, POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
          if (errno == EINTR) continue;
          fail("poll on the pseudo-terminal");
        }
        if (fds[2].revents) drain_inotify();
        if (fds[0].revents & POLLIN) {  // data first: what a client wrote before closing counts
          char buf[4096];
          const ssize_t n = read(master_, buf, sizeof buf);
          if (n > 0) {
            had_client_ = true;
            hangup_told_ = false;
            return std::string(buf, static_cast<std::size_t>(n));
          }
          if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
          // EIO: the last client closed the slave; handled as POLLHUP below on the next turn
        }
        continue;  // re-check the stop flag and the client
      }
      // No client has the pty open: a hang-up (or, on a kernel that reports POLLHUP before the
      // first open, no client yet). The firmware keeps waiting and its state; simulated time
      // stands still until the next client writes.
      if (had_client_ && exit_on_hangup) {
        ended_by = "hang-up";
        return {};
      }
      if (had_client_ && !hangup_told_ && on_hangup) on_hangup(path_);
      hangup_told_ = true;
      drain_inotify();
      if (!client_gone()) continue;  // a client opened between the check and the drain
      pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_r_, POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 && errno != EINTR) fail("poll on the inotify watch");
    }
  }

  // Writes firmware output to the pty. While a client has the pty open and does not read, waits
  // for it (flow control; a stop signal ends the wait). Without a client the kernel keeps the
  // output for the next client up to its buffer; what does not fit is dropped and counted.
  void write_all(std::string_view text) {
    std::size_t off = 0;
    while (off < text.size()) {
      const ssize_t n = write(master_, text.data() + off, text.size() - off);
      if (n > 0) {
        off += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN && had_client_ && !client_gone() && g_stop_signal == 0) {
        pollfd fds[2] = {{master_, POLLOUT, 0}, {wake_r_, POLLIN, 0}};
        poll(fds, 2, -1);
        continue;
      }
      dropped += text.size() - off;  // no client to wait for (or EIO): the byte stream ends here
      return;
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& what) {
    throw InputError(fmt::format("{}: {}", what, std::strerror(errno)));
  }
  bool client_gone() const {
    pollfd p{master_, 0, 0};  // POLLHUP is always reported
    return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
  }
  void drain_inotify() {
    alignas(inotify_event) char buf[4096];
    while (read(inotify_, buf, sizeof buf) > 0) {
    }
  }

  int master_ = -1, inotify_ = -1, wake_r_ = -1, wake_w_ = -1;
  std::string path_;
  bool had_client_ = false;   // a client wrote something (so a later POLLHUP is its hang-up)
  bool hangup_told_ = false;  // on_hangup was called for the current absence of a client
};

// SIGINT/SIGTERM/SIGHUP end the session gracefully for its duration; SA_RESETHAND restores the
// default action, so a second signal ends the process at once.
class StopSignals {
 public:
  explicit StopSignals(int wake_fd) {
    g_stop_signal = 0;
    g_wake_fd = wake_fd;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // no SA_RESTART: a blocked poll() returns EINTR
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~StopSignals() {
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &old_[i], nullptr);
    g_wake_fd = -1;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

}  // namespace

ServeResult serve_on_pty(const BoardConfig& board, const std::string& elf, const ServeOptions& opts,
                         const std::function<void(const std::string&)>& ready) {
  if (!board.soc.empty()) {  // before the pty exists, so a client never sees a path for nothing
    const auto desc = dev::load_soc(data_dir() / "boards" / "socs" / (board.soc + ".toml"));
    std::string have;
    bool found = false;
    for (const auto& p : desc.peripherals) {
      if (p.model != "usart" && p.model != "lpuart") continue;
      have += (have.empty() ? "" : ", ") + p.name;
      found = found || p.name == opts.uart;
    }
    if (!found)
      throw InputError(fmt::format("--uart {}: SoC {} has no UART named '{}' (it has: {})",
                                   opts.uart, desc.name, opts.uart, have));
  }
  Simulation sim(board, load_elf(elf));
  Pty pty;
  pty.exit_on_hangup = opts.exit_on_hangup;
  pty.on_hangup = opts.on_hangup;
  StopSignals signals(pty.wake_write_fd());
  ready(pty.path());

  RunOptions ro;
  ro.max_instructions = opts.max_instructions;
  std::string pending;  // console mode: bytes read but not yet taken by SYS_READC
  if (!board.soc.empty()) {
    // The SoC's UART: whatever the client wrote, in one chunk (the UART model splits it into
    // commands at '%' and presents them at the programmed baud rate). "" = input ended.
    ro.uart_reader[opts.uart] = [&]() { return pty.read_chunk(); };
  } else {
    ro.console_reader = [&]() -> int {
      if (pending.empty()) pending = pty.read_chunk();
      if (pending.empty()) return -1;
      const int c = static_cast<unsigned char>(pending.front());
      pending.erase(0, 1);
      return c;
    };
  }
  ro.console_sink = [&](std::string_view text) { pty.write_all(text); };
  ServeResult out;
  out.run = sim.run(ro);
  out.ended_by = pty.ended_by;
  out.dropped_bytes = pty.dropped;
  return out;
}

}  // namespace mcusim
