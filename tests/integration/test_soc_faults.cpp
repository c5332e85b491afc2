// Accesses to the SoC's peripheral space that hit no register (issue 13, docs/peripherals.md): an
// unlisted offset inside a listed block reads 0 and is reported once; an address outside every
// block faults, naming the PC and the address, even when it shares the emulator's 1 KiB page with
// a block. The firmware is a hand-assembled raw image (Thumb encodings from the Armv7-M ARM,
// A7.7.44 LDR (literal) T1, A7.7.43 LDR (immediate) T1, A7.7.161 STR (immediate) T1, A7.7.12 B T2).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/raw_image.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

// STM32L4R5 SYSCFG: block 0x40010000, 0x30 bytes, registers up to SWPR2 at 0x28 (RM0432 9.2,
// boards/socs/stm32l4r5.toml). 0x4001002C is inside the block but no register; 0x40010100 is
// outside every block but in the same 1 KiB page.
constexpr std::uint32_t kUnlisted = 0x4001002C, kOutside = 0x40010100;

// Vector table (SP, reset), then at 0x08000008:
//   ldr r0, =kUnlisted; ldr r1, [r0]; ldr r1, [r0]   (twice: reported once)
//   ldr r0, =kOutside;  ldr r1, [r0] or str r1, [r0]  (at 0x08000010: the fault)
//   b .
std::string image(bool write) {
  std::vector<std::uint16_t> code = {
      0x4803,                    // 0x08000008 ldr r0, [pc, #12] -> literal at 0x08000018
      0x6801,                    // 0x0800000A ldr r1, [r0]
      0x6801,                    // 0x0800000C ldr r1, [r0]
      0x4803,                    // 0x0800000E ldr r0, [pc, #12] -> literal at 0x0800001C
      std::uint16_t(write ? 0x6001 : 0x6801),  // 0x08000010 str/ldr r1, [r0]
      0xE7FE,                    // 0x08000012 b .
      0xBF00, 0xBF00,            // 0x08000014 nop; nop
  };
  std::vector<std::uint32_t> words = {0x20001000, 0x08000009};
  for (std::size_t i = 0; i < code.size(); i += 2) words.push_back(code[i] | (std::uint32_t(code[i + 1]) << 16));
  words.push_back(kUnlisted);  // 0x08000018
  words.push_back(kOutside);   // 0x0800001C
  const std::string path = std::string(TEST_TMP) + (write ? "/soc_fault_write.bin" : "/soc_fault_read.bin");
  std::ofstream f(path, std::ios::binary);
  for (std::uint32_t w : words)
    for (int b = 0; b < 4; ++b) f.put(char((w >> (8 * b)) & 0xFF));
  return path;
}

RunResult run(bool write) {
  auto board = load_board("nucleo-l4r5zi");
  Simulation sim(board, load_board_image(image(write), board));
  RunOptions opts;
  opts.max_instructions = 1000;
  return sim.run(opts);
}

void check(const RunResult& r, const std::string& what) {
  ASSERT_EQ(r.stop, StopReason::fault) << r.stop_message;
  EXPECT_NE(r.stop_message.find(what + " unmapped address 0x40010100 (4 bytes"), std::string::npos)
      << r.stop_message;
  EXPECT_NE(r.stop_message.find("PC 0x08000010"), std::string::npos) << r.stop_message;
  // The two reads of the unlisted SYSCFG offset: one warning.
  int n = 0;
  for (const auto& w : r.soc.warnings) n += w.find("0x4001002c") != std::string::npos;
  EXPECT_EQ(n, 1);
}

TEST(SocFaults, ReadOutsideEveryBlockInABlocksPageFaults) { check(run(false), "read from"); }

TEST(SocFaults, WriteOutsideEveryBlockInABlocksPageFaults) { check(run(true), "write to"); }

}  // namespace
}  // namespace mcusim
