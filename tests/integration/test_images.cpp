// Raw binary and Intel HEX images of test snippets (made by arm-none-eabi-objcopy at build time)
// run exactly like their ELF: same instructions, cycles, console and exit status. Without
// sections the footprint is the image's bytes (flash) and the SRAM the run wrote (measured).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/raw_image.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

RunResult run_file(const std::string& path) {
  auto board = load_board("nucleo-l4r5zi");
  Simulation sim(board, load_board_image(path, board));
  return sim.run({});
}

class Images : public ::testing::TestWithParam<const char*> {};

TEST_P(Images, BinAndHexRunLikeTheElf) {
  const std::string base = std::string(SNIPPET_DIR) + "/" + GetParam();
  EXPECT_EQ(detect_image_format(base + ".elf"), ImageFormat::elf);
  EXPECT_EQ(detect_image_format(base + ".bin"), ImageFormat::bin);
  EXPECT_EQ(detect_image_format(base + ".hex"), ImageFormat::hex);
  const auto elf = run_file(base + ".elf");
  ASSERT_EQ(elf.stop, StopReason::exited) << elf.stop_message;
  for (const char* ext : {".bin", ".hex"}) {
    SCOPED_TRACE(ext);
    const auto r = run_file(base + ext);
    ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
    EXPECT_EQ(r.exit_code, elf.exit_code);
    EXPECT_EQ(r.console, elf.console);
    EXPECT_EQ(r.total.instructions, elf.total.instructions);
    EXPECT_EQ(r.total.cycles, elf.total.cycles);
    EXPECT_FALSE(r.footprint.from_sections);
    EXPECT_TRUE(elf.footprint.from_sections);
    // objcopy -O binary writes every byte from the lowest to the highest loaded address: the
    // snippets load flash only, so that is the ELF's text + rodata + data.
    if (std::string(ext) == ".bin") {
      EXPECT_EQ(r.footprint.flash_total(), std::filesystem::file_size(base + ".bin"));
    }
    EXPECT_EQ(r.footprint.flash_total(), elf.footprint.flash_total());
    // The stack measured from writes is the ELF's measured stack rounded up to 32-byte granules.
    EXPECT_EQ(r.footprint.stack_peak, (elf.footprint.stack_peak + 31) / 32 * 32);
  }
}

// The CLI: `mcusim run` takes each format (hello exits with status 3 -> exit code 1) and names a
// broken Intel HEX record with exit code 2.
TEST(ImagesCli, RunTakesEachFormatAndReportsBadRecords) {
  auto cli = [](const std::string& args, std::string* err = nullptr) {
    const std::string log = std::string(TEST_TMP) + "/images_cli.err";
    int rc = std::system((std::string(MCUSIM_BIN) + " " + args + " > /dev/null 2> " + log).c_str());
    if (err) {
      std::ifstream in(log);
      err->assign(std::istreambuf_iterator<char>(in), {});
    }
    return WEXITSTATUS(rc);
  };
  const std::string dir = SNIPPET_DIR;
  for (const char* ext : {".elf", ".bin", ".hex"}) EXPECT_EQ(cli("run " + dir + "/hello" + ext), 1) << ext;
  const std::string bad = std::string(TEST_TMP) + "/cli_bad.hex";
  std::ofstream(bad) << ":10010000214601360121470136007EFE09D2190141\n:00000001FF\n";  // checksum 0x40
  std::string err;
  EXPECT_EQ(cli("run " + bad, &err), 2);
  EXPECT_NE(err.find("cli_bad.hex:1: Intel HEX: bad checksum 0x41 (expected 0x40)"), std::string::npos) << err;
}

// hello: no SRAM written; sys_svc: an SVC exception stacks its frame below the initial SP.
INSTANTIATE_TEST_SUITE_P(Snippets, Images, ::testing::Values("hello", "sys_svc"));

}  // namespace
}  // namespace mcusim
