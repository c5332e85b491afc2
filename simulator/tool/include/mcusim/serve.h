// `mcusim serve`: runs a firmware with its serial line on a pseudo-terminal, so the MLCommons
// runner (or any serial terminal) drives the simulated board like a board on a USB serial port
// (docs/mlperf.md "mcusim serve").
//
// Interim transport (until the SoC UART models of issue 13 are on main): the serial line is the
// semihosting console; `--uart NAME=pty` names it. Simulated time runs only while the firmware
// executes: when it waits for a byte (SYS_READC) the host blocks in read() on the pty, using no
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
/// with the console on the pty until the firmware exits or the client hangs up after having
/// sent something (SYS_READC then returns -1). Returns the run's result. Throws InputError when
/// the pty cannot be created.
RunResult serve_on_pty(const BoardConfig& board, const std::string& elf,
                       const std::function<void(const std::string&)>& ready,
                       std::uint64_t max_instructions = 0);

}  // namespace mcusim
