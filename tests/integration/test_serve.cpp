// `mcusim serve FIRMWARE --uart lpuart1=pty` driven by a scripted serial client: the test opens
// the pseudo-terminal the server names and plays name%, a db load and infer like the runner
// (docs/mlperf.md). Every read has a timeout, so a silent server fails the test, never hangs it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "firmware_paths.h"
#include "mcusim/mlperf_inputs.h"
#include "mcusim/mlperf_runner.h"

namespace mcusim {
namespace {

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
    if (poll(&p, 1, 120000) <= 0) {
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

TEST(Serve, ScriptedSerialClientDrivesTheDutThroughAPty) {
  const std::string elf = std::string(MCUSIM_FIRMWARE_DIR) + "/nucleo-l4r5zi/dut-kws.elf";
  const std::string cmd =
      std::string(MCUSIM_BIN) + " serve " + elf + " --board nucleo-l4r5zi --uart lpuart1=pty";
  FILE* server = popen(cmd.c_str(), "r");
  ASSERT_NE(server, nullptr);
  char first[256] = {0};
  ASSERT_NE(fgets(first, sizeof first, server), nullptr);
  std::string line = first;
  ASSERT_EQ(line.rfind("lpuart1: /dev/", 0), 0u) << line;
  const std::string path = line.substr(9, line.find_last_not_of("\r\n") - 8);
  const int fd = open(path.c_str(), O_RDWR | O_NOCTTY);
  ASSERT_GE(fd, 0) << path;
  termios tio{};
  ASSERT_EQ(tcgetattr(fd, &tio), 0);
  cfmakeraw(&tio);
  ASSERT_EQ(tcsetattr(fd, TCSANOW, &tio), 0);

  std::string pending;
  const auto banner = read_reply(fd, pending);
  EXPECT_EQ(banner, (std::vector<std::string>{"m-timestamp-mode-performance", "m-init-done"}));
  EXPECT_EQ(command(fd, pending, "name"), (std::vector<std::string>{"m-name-dut-[mcusim-kws01]"}));
  const auto input = mlperf::generated_inputs(mlperf::Task::kws, 1)[0].bytes;
  std::vector<std::string> last;
  for (const auto& c : mlperf::db_commands(input)) last = command(fd, pending, c);
  EXPECT_EQ(last, (std::vector<std::string>{"m-load-done"}));
  const auto reply = command(fd, pending, "infer 2 1");
  std::vector<std::uint64_t> laps;
  std::size_t results = 0;
  for (const auto& l : reply) {
    if (l.rfind("m-lap-us-", 0) == 0) laps.push_back(mlperf::parse_lap_us(l));
    if (l.rfind("m-results-", 0) == 0) results = mlperf::parse_results(l).size();
  }
  ASSERT_EQ(laps.size(), 2u);
  EXPECT_GT(laps[1], laps[0]);
  EXPECT_EQ(results, 12u);
  EXPECT_EQ(command(fd, pending, "bogus").size(), 1u);  // e-[Unknown command: bogus]
  close(fd);  // hang up: SYS_READC returns -1, the DUT exits 0
  EXPECT_EQ(pclose(server), 0);
}

}  // namespace
}  // namespace mcusim
