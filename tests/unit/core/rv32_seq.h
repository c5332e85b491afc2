// Loads an assembled RV32 test sequence (rv32_sequences.s section <name> -> seq/rv_<name>.bin).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace mcusim::core::test {

inline std::vector<std::uint8_t> rv_seq(const std::string& name) {
  std::ifstream in(std::string(MCUSIM_CORE_SEQ_DIR) + "/rv_" + name + ".bin", std::ios::binary);
  std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), {});
  EXPECT_FALSE(b.empty()) << "missing or empty sequence " << name;
  return b;
}

}  // namespace mcusim::core::test
