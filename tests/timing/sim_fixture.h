// Runs a test snippet on nucleo-l4r5zi (with board overrides) and finds its regions.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/simulation.h"

namespace mcusim::test {

/// Runs snippet `name` on `board` (a board name or a .toml path, e.g. a test board under
/// TEST_BOARD_DIR) with `sets` overrides.
inline RunResult run_snippet_on(const std::string& board_name, const std::string& name,
                                const std::vector<std::string>& sets = {},
                                std::uint64_t max_instructions = 0) {
  auto board = load_board(board_name, sets);
  auto image = load_elf(std::string(SNIPPET_DIR) + "/" + name + ".elf");
  Simulation sim(board, image);
  RunOptions opts;
  opts.max_instructions = max_instructions;
  return sim.run(opts);
}

/// Runs snippet `name` on nucleo-l4r5zi with `sets` overrides.
inline RunResult run_snippet(const std::string& name, const std::vector<std::string>& sets = {},
                             std::uint64_t max_instructions = 0) {
  return run_snippet_on("nucleo-l4r5zi", name, sets, max_instructions);
}

inline const RegionResult& region(const RunResult& r, std::uint32_t id) {
  for (auto& reg : r.regions)
    if (reg.id == id) return reg;
  ADD_FAILURE() << "no region " << id;
  static RegionResult none;
  return none;
}

/// Zero wait states everywhere: core timing alone (fetch and data stalls are 0 at 0 WS).
inline const std::vector<std::string> kZeroWaitStates = {"flash.wait_states=0"};

}  // namespace mcusim::test
