// `mcusim serve`: runs a firmware with its serial line on a pseudo-terminal, so the MLCommons
// runner (or any serial terminal) drives the simulated board like a board on a USB serial port
// (docs/mlperf.md "mcusim serve").
//
// Transport: on a board with SoC peripherals, the U(S)ART that `--uart NAME=pty` names (the
// MLPerf DUT firmware talks on the board's `runner_uart`): what the client writes is fed to its
// receiver at the programmed baud rate, what the firmware transmits goes to the pty. On a board
// without a SoC, the semihosting console (SYS_READC / SYS_WRITE0). Simulated time runs only while
// the firmware executes: when it waits for input the host blocks in read() on the pty, using no
// CPU, and no simulated time passes.
#pragma once
#include <functional>
#include <string>

#include "mcusim/board.h"
#include "mcusim/results.h"

namespace mcusim {

/// Parses "NAME=pty" (the only spec served here). Throws InputError naming the value otherwise.
std::string parse_pty_uart(const std::string& spec);

/// Opens a pseudo-terminal (raw mode), calls `ready(slave_path)`, then runs `elf` on `board`
/// with UART `uart` (or, without a SoC, the console) on the pty until the firmware exits, or the
/// client hangs up after having sent something and the firmware waits for more. Returns the run's
/// result. Throws InputError when the pty cannot be created or the SoC has no such UART.
RunResult serve_on_pty(const BoardConfig& board, const std::string& elf, const std::string& uart,
                       const std::function<void(const std::string&)>& ready,
                       std::uint64_t max_instructions = 0);

}  // namespace mcusim
