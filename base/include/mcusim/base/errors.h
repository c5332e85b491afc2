// Error types of the simulator and the process exit codes they map to.
#pragma once
#include <stdexcept>
#include <string>

namespace mcusim {

/// Process exit codes of the `mcusim` CLI (documented in `mcusim --help` and the README).
enum ExitCode : int {
  kExitOk = 0,              ///< run completed, firmware exited with status 0
  kExitFirmwareStatus = 1,  ///< run completed, firmware exited with a non-zero status
  kExitBadInput = 2,        ///< bad command line, board file, data file or ELF
  kExitFirmwareFault = 3,   ///< the firmware faulted (unmapped access, undefined instruction, ...)
  kExitLimit = 4,           ///< --max-instructions reached before the firmware exited
  kExitInternal = 5,        ///< host resources exhausted (out of memory) or an internal error
};

/// Bad user input: a file, field or value that is missing or not what was expected. The message
/// names the file/field/address and the expectation.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace mcusim
