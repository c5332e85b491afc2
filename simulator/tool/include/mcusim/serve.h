// `mcusim serve`: runs a firmware with its serial line on a pseudo-terminal, so the MLCommons
// runner (or any serial terminal) drives the simulated board like a board on a USB serial port
// (docs/mlperf.md "mcusim serve").
//
// Transport: on a board with SoC peripherals, the U(S)ART that `--uart NAME=pty` names (the
// MLPerf DUT firmware talks on the board's `runner_uart`): what the client writes is fed to its
// receiver at the programmed baud rate, what the firmware transmits goes to the pty. On a board
// without a SoC, the semihosting console (SYS_READC / SYS_WRITE0). Simulated time runs only while
// the firmware executes: when it waits for input the host blocks in poll() on the pty (and, with
// no client, on an inotify watch of the pty's path), using no CPU, and no simulated time passes.
//
// Clients come and go: a client closing the pty (a hang-up) does not end the session. The
// firmware keeps its state and the next client to open the same path continues it, as the
// MLCommons runner does (it closes and reopens the port between identifying the DUT and running
// its script). The session ends when the firmware stops, at SIGINT/SIGTERM/SIGHUP, or (with
// ServeOptions::exit_on_hangup) at the first hang-up.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "mcusim/board.h"
#include "mcusim/results.h"

namespace mcusim {

/// Parses "NAME=pty" (the only spec served here). Throws InputError naming the value otherwise.
std::string parse_pty_uart(const std::string& spec);

/// What `serve_on_pty` does besides running the firmware.
struct ServeOptions {
  std::string uart;  ///< SoC UART instance (lower case, e.g. "lpuart1")
  bool exit_on_hangup =
      false;  ///< end the session when a client that has sent something closes the pty
  std::uint64_t max_instructions = 0;  ///< 0 = no limit (RunOptions::max_instructions)
  /// Called with the pty's path when the session sees a client that had sent something close
  /// the pty while the firmware waits for input, and keeps waiting for the next client (not
  /// with exit_on_hangup). Once per hang-up; a client that closes and reopens before the
  /// firmware next waits for input is not seen. Empty = not called.
  std::function<void(const std::string&)> on_hangup;
};

/// How a `serve_on_pty` session went.
struct ServeResult {
  RunResult run;  ///< the firmware's run (its cycles, console, stop reason)
  /// Why input ended while the firmware was waiting for it: "SIGINT", "SIGTERM" or "SIGHUP" (a
  /// stop signal), "hang-up" (exit_on_hangup), "" (input did not end: the firmware stopped).
  std::string ended_by;
  /// Bytes of firmware output dropped because the kernel's pty buffer was full while no client
  /// had the pty open, or before any client had sent a byte (output is kept for the next client
  /// up to that buffer; a client that has sent something and keeps the pty open is waited for).
  std::uint64_t dropped_bytes = 0;
};

/// Opens a pseudo-terminal (raw mode), calls `ready(slave_path)`, then runs `elf` on `board`
/// with UART `opts.uart` (or, without a SoC, the console) on the pty until the firmware stops,
/// a stop signal arrives (SIGINT, SIGTERM, SIGHUP: the session ends at the next point the
/// firmware waits for input, at once if it waits; a second signal acts as usual, i.e. kills the
/// process) or, with `opts.exit_on_hangup`, a client hangs up. Clients may close and reopen the
/// pty any number of times in between. The signal handlers are installed for the session only.
/// Throws InputError when the pty cannot be created or the SoC has no such UART.
ServeResult serve_on_pty(const BoardConfig& board, const std::string& elf, const ServeOptions& opts,
                         const std::function<void(const std::string&)>& ready);

}  // namespace mcusim
