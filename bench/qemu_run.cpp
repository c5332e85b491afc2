#include "qemu_run.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace mcusim::bench {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

[[noreturn]] void sys_fail(const std::string& what, int err) {
  throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(err)));
}

// "0x1f2e..." at the start of `s` -> value; false when there is no hex number.
bool parse_hex(std::string_view s, std::uint64_t& v) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  v = 0;
  std::size_t i = 2;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else break;
    v = (v << 4) | std::uint64_t(d);
  }
  return i > 2;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::optional<std::string> find_program(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name)) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::string_view rest = path;
  while (true) {
    const auto colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);  // empty: the current directory
    const std::string candidate = (std::filesystem::path(dir.empty() ? "." : dir) / name).string();
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

ChildRun run_child(const std::vector<std::string>& argv, QemuExecCounter* trace) {
  if (argv.empty()) throw std::runtime_error("run_child: no program");
  const std::string& prog = argv[0];
  int out[2] = {-1, -1}, log[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0) sys_fail("pipe", errno);
  if (trace && ::pipe2(log, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out[0]);
    ::close(out[1]);
    sys_fail("pipe", e);
  }
  // A larger pipe means fewer context switches while QEMU streams its log (best effort).
  if (trace) (void)::fcntl(log[0], F_SETPIPE_SZ, 1 << 20);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, out[1], 2);
  if (trace) posix_spawn_file_actions_adddup2(&fa, log[1], 3);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, prog.c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  if (trace) ::close(log[1]);
  if (rc != 0) {
    ::close(out[0]);
    if (trace) ::close(log[0]);
    sys_fail(fmt::format("cannot start {}", prog), rc);
  }

  ChildRun r;
  constexpr std::size_t kOutputCap = 1 << 20;
  std::vector<char> buf(1 << 20);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {trace ? log[0] : -1, POLLIN, 0}};
  int open_fds = trace ? 2 : 1;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      sys_fail("poll", errno);
    }
    for (auto& p : fds) {
      if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(p.fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(p.fd);
        p.fd = -1;
        --open_fds;
        continue;
      }
      if (p.fd == out[0]) {
        if (r.output.size() < kOutputCap)
          r.output.append(buf.data(), std::min<std::size_t>(std::size_t(n), kOutputCap - r.output.size()));
      } else {
        trace->feed(std::string_view(buf.data(), std::size_t(n)));
      }
    }
  }
  if (trace) trace->finish();

  int status = 0;
  rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) sys_fail(fmt::format("wait4 {}", prog), errno);
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) * 1e-6 + double(ru.ru_stime.tv_sec) +
            double(ru.ru_stime.tv_usec) * 1e-6;
  if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

void QemuExecCounter::fail(std::string msg) {
  if (error_.empty()) error_ = std::move(msg);
}

void QemuExecCounter::feed(std::string_view data) {
  while (!data.empty()) {
    const auto nl = data.find('\n');
    if (nl == std::string_view::npos) {
      partial_.append(data);
      return;
    }
    if (partial_.empty()) {
      line(data.substr(0, nl));
    } else {
      partial_.append(data.substr(0, nl));
      line(partial_);
      partial_.clear();
    }
    data.remove_prefix(nl + 1);
  }
}

void QemuExecCounter::finish() {
  if (!partial_.empty()) {
    line(partial_);
    partial_.clear();
  }
  if (in_block_) end_block();
}

void QemuExecCounter::end_block() {
  in_block_ = false;
  if (block_insns_ == 0) {
    fail("an in_asm block (\"IN:\") lists no instruction");
    return;
  }
  ++translated_;
  pending_ = true;
  pending_insns_ = block_insns_;
  pending_pc_ = block_pc_;
}

void QemuExecCounter::line(std::string_view l) {
  if (in_block_) {
    std::uint64_t addr = 0;
    if (parse_hex(l, addr) && addr <= 0xFFFFFFFFu && l.find(':') != std::string_view::npos) {
      if (block_insns_ == 0) block_pc_ = addr;
      ++block_insns_;
      return;
    }
    end_block();  // the empty line after the block, or anything else
  }
  if (starts_with(l, "IN:")) {
    in_block_ = true;
    block_insns_ = 0;
    return;
  }
  if (starts_with(l, "Trace ")) {
    // "Trace 0: 0x7fbc88000100 [00800408/00000848/00000110/ff000200] Reset_Handler"
    const auto colon = l.find(": ");
    std::uint64_t ptr = 0;
    if (colon == std::string_view::npos || !parse_hex(l.substr(colon + 2), ptr)) {
      fail(fmt::format("cannot read the host pointer of the exec line '{}'", l));
      return;
    }
    // The guest pc: the second '/'-separated field inside the brackets.
    std::uint64_t pc = 0;
    bool have_pc = false;
    const auto lb = l.find('[');
    const auto slash = lb == std::string_view::npos ? lb : l.find('/', lb);
    if (slash != std::string_view::npos) {
      std::string hex = "0x";
      for (std::size_t i = slash + 1; i < l.size() && l[i] != '/' && l[i] != ']'; ++i) hex += l[i];
      have_pc = parse_hex(hex, pc);
    }
    if (pending_) {
      if (have_pc && pc != pending_pc_)
        fail(fmt::format("exec line at guest pc 0x{:08x} follows the translation of the block at 0x{:08x}",
                         pc, pending_pc_));
      tbs_[ptr] = pending_insns_;
      pending_ = false;
    }
    const auto it = tbs_.find(ptr);
    if (it == tbs_.end()) {
      fail(fmt::format("exec line for host code 0x{:x} (guest pc 0x{:08x}) whose translation was not logged",
                       ptr, pc));
      return;
    }
    instructions_ += it->second;
    ++executed_;
    return;
  }
  if (starts_with(l, "Stopped execution of TB chain before ")) {
    std::uint64_t ptr = 0;
    if (!parse_hex(l.substr(std::strlen("Stopped execution of TB chain before ")), ptr)) {
      fail(fmt::format("cannot read the host pointer of '{}'", l));
      return;
    }
    const auto it = tbs_.find(ptr);
    if (it == tbs_.end()) {
      fail(fmt::format("'{}' names a block that was never executed", l));
      return;
    }
    instructions_ -= it->second;
    ++stopped_;
  }
  // Anything else ("----------------" separators, empty lines, other log categories): ignored.
}

}  // namespace mcusim::bench
