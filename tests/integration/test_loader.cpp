// Loader and board errors: each names the file/field/address and what was expected.
#include <gtest/gtest.h>

#include <fstream>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

std::string snippet(const std::string& name) { return std::string(SNIPPET_DIR) + "/" + name + ".elf"; }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string write_tmp(const std::string& name, const std::string& content) {
  std::string p = std::string(TEST_TMP) + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

TEST(Loader, MissingFile) {
  auto msg = error_of([] { load_elf("/nonexistent/fw.elf"); });
  EXPECT_NE(msg.find("/nonexistent/fw.elf"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cannot open"), std::string::npos) << msg;
}

TEST(Loader, NotAnElf) {
  auto p = write_tmp("not_elf.bin", "this is not an ELF file at all");
  auto msg = error_of([&] { load_elf(p); });
  EXPECT_NE(msg.find("not an ELF"), std::string::npos) << msg;
}

TEST(Loader, WrongClass) {
  // The test binary itself is an ELF64 host executable.
  auto msg = error_of([] { load_elf("/proc/self/exe"); });
  EXPECT_NE(msg.find("32-bit"), std::string::npos) << msg;
}

TEST(Loader, WrongMachine) {
  // Patch e_machine of a valid Arm ELF to EM_X86_64 (62).
  std::ifstream in(snippet("hello"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 20u);
  bytes[18] = 62;
  bytes[19] = 0;
  auto p = write_tmp("x86.elf", bytes);
  auto msg = error_of([&] { load_elf(p); });
  EXPECT_NE(msg.find("machine 62"), std::string::npos) << msg;
}

TEST(Loader, SegmentOutsideMemory) {
  auto board = load_board("nucleo-l4r5zi");
  auto image = load_elf(snippet("bad_segment"));
  auto msg = error_of([&] { Simulation sim(board, image); });
  EXPECT_NE(msg.find("0x30000000"), std::string::npos) << msg;
  EXPECT_NE(msg.find("outside the memory of board nucleo-l4r5zi"), std::string::npos) << msg;
}

TEST(Loader, VectorTableDoesNotFit) {
  auto board = load_board("nucleo-l4r5zi");
  auto image = load_elf(snippet("bad_vectors"));
  auto msg = error_of([&] { Simulation sim(board, image); });
  EXPECT_NE(msg.find("initial SP 0x10000000"), std::string::npos) << msg;
}

TEST(Loader, EntryPointOutsideMemory) {
  auto board = load_board("nucleo-l4r5zi");
  auto image = load_elf(snippet("hello"));
  image.entry = 0x60000000;
  auto msg = error_of([&] { Simulation sim(board, image); });
  EXPECT_NE(msg.find("entry point 0x60000000"), std::string::npos) << msg;
}

TEST(Loader, LoadImageReadsElfByItsMagic) {
  const Image img = load_image(snippet("hello"));
  EXPECT_EQ(img.format, ImageFormat::elf);
  EXPECT_EQ(img.machine, ElfMachine::arm);
  EXPECT_FALSE(img.segments.empty());
}

TEST(Loader, LoadImageNamesTheUnsupportedRawFormat) {
  auto p = write_tmp("raw.bin", std::string(16, '\0'));
  EXPECT_EQ(error_of([&] { load_image(p); }), p + ": bin images are not supported in this version (only ELF)");
  EXPECT_EQ(error_of([&] { load_image(p, ImageOptions{ImageFormat::hex, {}, {}}); }),
            p + ": hex images are not supported in this version (only ELF)");
  EXPECT_NE(error_of([&] { load_image(std::string(TEST_TMP) + "/missing.elf"); }).find("cannot open firmware"),
            std::string::npos);
}

TEST(Board, UnknownBoardListsKnownOnes) {
  auto msg = error_of([] { load_board("no-such-board"); });
  EXPECT_NE(msg.find("unknown board 'no-such-board'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nucleo-l4r5zi"), std::string::npos) << msg;
}

TEST(Board, BadOverrideNamesTheKey) {
  auto msg = error_of([] { load_board("nucleo-l4r5zi", {"flash.icache.ways=zero"}); });
  EXPECT_NE(msg.find("flash.icache.ways"), std::string::npos) << msg;
  msg = error_of([] { load_board("nucleo-l4r5zi", {"flash.colour=blue"}); });
  EXPECT_NE(msg.find("flash.colour: unknown key"), std::string::npos) << msg;
  msg = error_of([] { load_board("nucleo-l4r5zi", {"clock_hz=200000000"}); });
  EXPECT_NE(msg.find("exceeds the flash wait-state table"), std::string::npos) << msg;
}

TEST(Board, WaitStatesFromTheClock) {
  // L4+ Range 1 (core-facts D.2): <= 20 MHz 0 WS, <= 40 1 WS, ..., <= 120 5 WS.
  EXPECT_EQ(load_board("nucleo-l4r5zi").flash.wait_states, 5u);
  EXPECT_EQ(load_board("nucleo-l4r5zi", {"clock_hz=20000000"}).flash.wait_states, 0u);
  EXPECT_EQ(load_board("nucleo-l4r5zi", {"clock_hz=20000001"}).flash.wait_states, 1u);
  EXPECT_EQ(load_board("nucleo-l4r5zi", {"flash.wait_states=2"}).flash.wait_states, 2u);
}

}  // namespace
}  // namespace mcusim
