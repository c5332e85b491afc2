// QEMU side of bench/bench_kws (issue 16, "Measuring"): finding qemu-system-arm, running it as a
// child process with its CPU time taken from the child's rusage, and counting the guest
// instructions QEMU executes from its own execution log. Not part of the simulator.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mcusim::bench {

/// The first executable file `name` in the directories of $PATH, or nullopt. A name containing
/// '/' is returned as it is when it is an executable file (nullopt otherwise).
std::optional<std::string> find_program(const std::string& name);

/// One finished child process.
struct ChildRun {
  int exit_status = -1;     ///< exit status (0-255), or -1 when a signal ended it
  int signal = 0;           ///< the signal that ended it, 0 when it exited
  double cpu_s = 0;         ///< user + system CPU time of the child and all its threads, seconds
                            ///< (wait4's rusage)
  double wall_s = 0;        ///< wall time from spawn to reaped, seconds
  std::string output;       ///< stdout and stderr as the child wrote them (first 1 MiB)
};

class QemuExecCounter;

/// Runs `argv` (argv[0] = the program's path; no shell, no PATH search) with stdin from
/// /dev/null and stdout + stderr into one pipe, and waits for it. With `trace`, the child's file
/// descriptor 3 is a second pipe whose whole stream is fed to `trace` as it arrives (QEMU writes
/// its log there with `-D /dev/fd/3`), so a log of gigabytes never touches the disk.
/// Throws std::runtime_error when the pipes or the spawn fail (naming the program and errno).
ChildRun run_child(const std::vector<std::string>& argv, QemuExecCounter* trace = nullptr);

/// Counts the guest instructions QEMU executed from its log with `-d in_asm,exec,nochain`:
///   in_asm: "IN: <symbol>", one line "0x<guest address>:  <encoding> <disassembly>" per guest
///           instruction of a newly translated block (TB), then an empty line;
///   exec:   "Trace <cpu>: 0x<host code pointer> [<cs_base>/<guest pc>/<flags>/<cflags>] ..."
///           each time a TB starts executing (QEMU 7.2 accel/tcg/cpu-exec.c, log_cpu_exec);
///   "Stopped execution of TB chain before 0x<host code pointer> ..." when a TB that was logged
///           as started exited before its first instruction (an interrupt or exit request).
/// With nochain every TB execution goes through the main loop and is logged, and QEMU executes a
/// TB right after translating it, so the first Trace line after an in_asm block names that
/// block's host code pointer; the counter binds the pointer to the block's instruction count
/// (rebinding it when QEMU reuses the pointer after a code-buffer flush) and adds that count for
/// every Trace line. With `-singlestep` each TB is one instruction. A TB left in its middle by a
/// synchronous exception (a fault) would be counted whole: the KWS firmware takes none.
class QemuExecCounter {
 public:
  /// Feeds the next piece of the log (any split, also in the middle of a line).
  void feed(std::string_view data);
  /// Ends the log (a last line without a newline is processed).
  void finish();
  std::uint64_t instructions() const { return instructions_; }
  std::uint64_t blocks_executed() const { return executed_; }
  std::uint64_t blocks_translated() const { return translated_; }
  std::uint64_t blocks_stopped() const { return stopped_; }
  /// The first inconsistency found (a Trace of a pointer never bound, a block's first address
  /// different from the Trace's guest pc, an in_asm block without instructions), or empty.
  const std::string& error() const { return error_; }

 private:
  void line(std::string_view l);
  void end_block();
  void fail(std::string msg);
  std::string partial_;
  bool in_block_ = false;
  std::uint32_t block_insns_ = 0;
  std::uint64_t block_pc_ = 0;
  bool pending_ = false;  // a translated block waits for its first Trace line
  std::uint32_t pending_insns_ = 0;
  std::uint64_t pending_pc_ = 0;
  // host code pointer -> instructions of the TB there (lookups only: no iteration order).
  std::unordered_map<std::uint64_t, std::uint32_t> tbs_;
  std::uint64_t instructions_ = 0, executed_ = 0, translated_ = 0, stopped_ = 0;
  std::string error_;
};

}  // namespace mcusim::bench
