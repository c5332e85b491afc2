// `mcusim serve FIRMWARE --uart lpuart1=pty` driven by a scripted serial client: the test opens
// the pseudo-terminal the server names and plays name%, a db load and infer like the runner
// (docs/mlperf.md), closes and reopens it like the MLCommons runner does, and ends the session
// with SIGTERM or a hang-up (--exit-on-hangup). Every read and every wait for the server has a
// timeout, so a silent or stuck server fails the test, never hangs it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "firmware_paths.h"
#include "mcusim/mlperf_inputs.h"
#include "mcusim/mlperf_runner.h"

extern char** environ;

namespace mcusim {
namespace {

constexpr int kReplyTimeoutMs = 120000;

// Lines up to (not including) "m-ready"; empty vector + failure on timeout.
std::vector<std::string> read_reply(int fd, std::string& pending) {
  std::vector<std::string> lines;
  for (;;) {
    auto nl = pending.find('\n');
    while (nl != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line == "m-ready") return lines;
      lines.push_back(line);
      nl = pending.find('\n');
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, kReplyTimeoutMs) <= 0) {
      ADD_FAILURE() << "no m-ready from the server within 120 s; got: " << pending;
      return {};
    }
    char buf[512];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      ADD_FAILURE() << "the pty closed";
      return {};
    }
    pending.append(buf, static_cast<std::size_t>(n));
  }
}

std::vector<std::string> command(int fd, std::string& pending, const std::string& cmd) {
  const std::string c = cmd + "%";
  EXPECT_EQ(write(fd, c.data(), c.size()), static_cast<ssize_t>(c.size()));
  return read_reply(fd, pending);
}

// Opens the pty as a serial program does (raw mode); -1 + failure when it cannot.
int open_client(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_NOCTTY);
  if (fd < 0) {
    ADD_FAILURE() << "cannot open " << path;
    return -1;
  }
  termios tio{};
  EXPECT_EQ(tcgetattr(fd, &tio), 0);
  cfmakeraw(&tio);
  EXPECT_EQ(tcsetattr(fd, TCSANOW, &tio), 0);
  return fd;
}

// `mcusim serve` as a child process: stdout gives the pty line, stderr the closing summary.
struct Server {
  pid_t pid = -1;
  int out = -1, err = -1;
  std::string pty;  // "/dev/pts/N"

  explicit Server(const std::vector<std::string>& extra) {
    const std::string elf = std::string(MCUSIM_FIRMWARE_DIR) + "/nucleo-l4r5zi/dut-kws.elf";
    std::vector<std::string> args = {MCUSIM_BIN,      "serve",  elf,          "--board",
                                     "nucleo-l4r5zi", "--uart", "lpuart1=pty"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int o[2], e[2];
    if (pipe(o) != 0 || pipe(e) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, o[1], 1);
    posix_spawn_file_actions_adddup2(&fa, e[1], 2);
    posix_spawn_file_actions_addclose(&fa, o[0]);
    posix_spawn_file_actions_addclose(&fa, e[0]);
    if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(o[1]);
    close(e[1]);
    out = o[0];
    err = e[0];
    // The first stdout line: "lpuart1: /dev/pts/N".
    const std::string line = stdout_line();
    if (line.rfind("lpuart1: /dev/", 0) == 0)
      pty = line.substr(9);
    else
      ADD_FAILURE() << "no pty line from the server: '" << line << "'";
  }

  // The server's next stdout line without its newline ("" after 60 s without one, or at EOF).
  std::string stdout_line() {
    std::string line;
    char c;
    while (pid > 0) {
      pollfd p{out, POLLIN, 0};
      if (poll(&p, 1, 60000) <= 0 || read(out, &c, 1) != 1) return "";
      if (c == '\n') return line;
      line.push_back(c);
    }
    return "";
  }
  ~Server() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (out >= 0) close(out);
    if (err >= 0) close(err);
  }

  // Waits up to 120 s for the server to exit; returns its exit status (-1 + failure on a
  // timeout or a signal) and its stderr in `stderr_text`.
  int wait_exit(std::string& stderr_text) {
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 2400 && (done = waitpid(pid, &status, WNOHANG)) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    char buf[1024];
    ssize_t n;
    while (done == pid && (n = read(err, buf, sizeof buf)) > 0)
      stderr_text.append(buf, static_cast<std::size_t>(n));
    if (done != pid) {
      ADD_FAILURE() << "the server did not exit within 120 s";
      return -1;
    }
    pid = -1;
    if (!WIFEXITED(status)) {
      ADD_FAILURE() << "the server ended by signal " << WTERMSIG(status);
      return -1;
    }
    return WEXITSTATUS(status);
  }
};

// "mcusim serve: session ended by SIGTERM after N cycles, ..." -> N (0 when absent).
std::uint64_t cycles_in(const std::string& summary) {
  const auto at = summary.find(" after ");
  return at == std::string::npos ? 0 : std::stoull(summary.substr(at + 7));
}

const std::vector<std::string> kBanner = {"m-timestamp-mode-performance", "m-init-done"};
const std::vector<std::string> kName = {"m-name-dut-[mcusim-kws01]"};

// `infer N W` reply: two m-lap-us lines in order and one 12-class m-results line.
void expect_infer_reply(const std::vector<std::string>& reply) {
  std::vector<std::uint64_t> laps;
  std::size_t results = 0;
  for (const auto& l : reply) {
    if (l.rfind("m-lap-us-", 0) == 0) laps.push_back(mlperf::parse_lap_us(l));
    if (l.rfind("m-results-", 0) == 0) results = mlperf::parse_results(l).size();
  }
  ASSERT_EQ(laps.size(), 2u);
  EXPECT_GT(laps[1], laps[0]);
  EXPECT_EQ(results, 12u);
}

TEST(Serve, ScriptedSerialClientDrivesTheDutThroughAPty) {
  Server server({"--exit-on-hangup"});
  ASSERT_FALSE(server.pty.empty());
  const int fd = open_client(server.pty);
  ASSERT_GE(fd, 0);
  std::string pending;
  EXPECT_EQ(read_reply(fd, pending), kBanner);
  EXPECT_EQ(command(fd, pending, "name"), kName);
  const auto input = mlperf::generated_inputs(mlperf::Task::kws, 1)[0].bytes;
  std::vector<std::string> last;
  for (const auto& c : mlperf::db_commands(input)) last = command(fd, pending, c);
  EXPECT_EQ(last, (std::vector<std::string>{"m-load-done"}));
  expect_infer_reply(command(fd, pending, "infer 2 1"));
  EXPECT_EQ(command(fd, pending, "bogus").size(), 1u);  // e-[Unknown command: bogus]
  close(fd);  // hang up: with --exit-on-hangup the session ends, the DUT waiting for input
  std::string summary;
  EXPECT_EQ(server.wait_exit(summary), 0);
  EXPECT_NE(summary.find("session ended by hang-up after "), std::string::npos) << summary;
}

// The MLCommons runner closes the port after reading the DUT's name and opens it again for its
// script: the session must survive that, with the firmware's state, and simulated time must not
// move while no client is there. The same commands over one connection end at the same cycle.
TEST(Serve, ClientClosesAndReopensThePty) {
  std::uint64_t cycles[2] = {0, 0};
  for (int reopen = 0; reopen < 2; ++reopen) {
    Server server({});
    ASSERT_FALSE(server.pty.empty());
    int fd = open_client(server.pty);
    ASSERT_GE(fd, 0);
    std::string pending;
    EXPECT_EQ(read_reply(fd, pending), kBanner);
    EXPECT_EQ(command(fd, pending, "name"), kName);
    if (reopen) {
      close(fd);  // the hang-up: the server keeps the session and waits for the next open
      EXPECT_EQ(server.stdout_line(),
                "lpuart1: hang-up; waiting for the next client on " + server.pty);
      fd = open_client(server.pty);
      ASSERT_GE(fd, 0) << "the pty went away when the client closed it";
      EXPECT_EQ(pending, "");
    }
    EXPECT_EQ(command(fd, pending, "name"), kName);
    expect_infer_reply(command(fd, pending, "infer 1 0"));
    close(fd);
    // Without --exit-on-hangup only a stop signal ends the session.
    ASSERT_EQ(kill(server.pid, SIGTERM), 0);
    std::string summary;
    EXPECT_EQ(server.wait_exit(summary), 0);
    EXPECT_NE(summary.find("session ended by SIGTERM after "), std::string::npos) << summary;
    cycles[reopen] = cycles_in(summary);
  }
  EXPECT_GT(cycles[0], 0u);
  EXPECT_EQ(cycles[1], cycles[0]) << "a close and reopen changed the simulated time";
}

// A UART the SoC does not have is refused before the pty exists: no path is printed that a
// client could open for nothing.
TEST(Serve, UnknownUartIsRefusedBeforeThePtyLine) {
  const std::string cmd = std::string(MCUSIM_BIN) + " serve " + MCUSIM_FIRMWARE_DIR +
                          "/nucleo-l4r5zi/dut-kws.elf --board nucleo-l4r5zi --uart usart9=pty 2>&1";
  FILE* p = popen(cmd.c_str(), "r");  // the process exits at once either way: no hang
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = pclose(p);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(
      out.find(
          "SoC stm32l4r5 has no UART named 'usart9' (it has: usart1, usart2, usart3, lpuart1)"),
      std::string::npos)
      << out;
  EXPECT_EQ(out.find("/dev/pts"), std::string::npos) << out;
}

}  // namespace
}  // namespace mcusim
