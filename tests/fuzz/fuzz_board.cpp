// libFuzzer target: the board-file parser and --set overrides (issue 11).
//
// Input: a board TOML file. Lines "#set key=value" (TOML comments, so the file stays valid) are
// also passed as --set overrides. Every outcome must be a loaded board or an InputError; a board
// that loads must also be accepted by the memory models it configures (the loader validates
// what the models would otherwise refuse later, mcusim::mem::ConfigError).
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "mcusim/base/errors.h"
#include "mcusim/board.h"
#include "mcusim/mem/flash.h"
#include "mcusim/mem/l1_cache.h"
#include "scratch_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // board files are small; keep executions fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> sets;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("#set ", 0) == 0) sets.push_back(line.substr(5));
  static mcusim::fuzz::ScratchFile scratch("board", ".toml");
  const std::string& path = scratch.write(data, size);
  try {
    const auto board = mcusim::load_board(path, sets);
    mcusim::mem::Flash flash(board.flash);  // throws ConfigError only if the loader missed something
    if (board.l1.present) {
      if (board.l1.icache.enabled) mcusim::mem::L1Cache i(board.l1.icache, "cache.icache");
      if (board.l1.dcache.enabled) mcusim::mem::L1Cache d(board.l1.dcache, "cache.dcache");
    }
    (void)mcusim::memory_summary(board);
  } catch (const mcusim::InputError&) {
  }
  return 0;
}
