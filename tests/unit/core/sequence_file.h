// Reads an instruction sequence assembled at build time (tests/unit/core/CMakeLists.txt: each
// `.section .text.<name>` of a sequences file becomes MCUSIM_CORE_SEQ_DIR/<prefix><name>.bin).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace mcusim::core {

/// The bytes of sequence `file_stem` (e.g. "ldr_ldr", "m7_alu_pair"); an empty or missing file is
/// a test failure naming it.
inline std::vector<std::uint8_t> read_sequence(const std::string& file_stem) {
  std::ifstream in(std::string(MCUSIM_CORE_SEQ_DIR) + "/" + file_stem + ".bin", std::ios::binary);
  std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), {});
  EXPECT_FALSE(b.empty()) << "missing or empty sequence " << file_stem;
  return b;
}

}  // namespace mcusim::core
