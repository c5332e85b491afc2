// bench/qemu_run.{h,cpp}: the QEMU execution-log counter on hand-written logs in QEMU 7.2's format
// (accel/tcg/cpu-exec.c log_cpu_exec, `-d in_asm,exec,nochain`; the block and line layout as
// qemu-system-arm 7.2 prints it for the mps2-an386 KWS firmware), expected counts worked out by
// hand; and the child-process plumbing (output pipe, the fd-3 log pipe, exit status, PATH search)
// on /bin/sh, so that it is tested without QEMU installed.
#include <gtest/gtest.h>

#include <string>

#include "qemu_run.h"

namespace mcusim::bench {
namespace {

// Two translated blocks: A (3 instructions at 0x848, host 0x...100) and B (2 at 0x882,
// host 0x...200); A runs once, B four times of which the last stopped before its first
// instruction, then A again, then a code-buffer flush reuses A's host pointer for C (1 instruction
// at 0x900). By hand: 3 + 4 x 2 - 2 + 3 + 1 = 13 instructions, 7 blocks started, 1 stopped.
const char* kLog =
    "----------------\n"
    "IN: Reset_Handler\n"
    "0x00000848:  4a18       ldr      r2, [pc, #0x60]\n"
    "0x0000084a:  4919       ldr      r1, [pc, #0x64]\n"
    "0x0000084c:  428a       cmp      r2, r1\n"
    "\n"
    "Trace 0: 0x7fbc88000100 [00800408/00000848/00000110/ff000200] Reset_Handler\n"
    "----------------\n"
    "IN: Reset_Handler\n"
    "0x00000882:  f843 1b04  str      r1, [r3], #4\n"
    "0x00000886:  4293       cmp      r3, r2\n"
    "\n"
    "Trace 0: 0x7fbc88000200 [00800408/00000882/00000110/ff000200] Reset_Handler\n"
    "Trace 0: 0x7fbc88000200 [00800408/00000882/00000110/ff000200] Reset_Handler\n"
    "Trace 0: 0x7fbc88000200 [00800408/00000882/00000110/ff000200] Reset_Handler\n"
    "Trace 0: 0x7fbc88000200 [00800408/00000882/00000110/ff000200] Reset_Handler\n"
    "Stopped execution of TB chain before 0x7fbc88000200 [00000882] Reset_Handler\n"
    "Trace 0: 0x7fbc88000100 [00800408/00000848/00000110/ff000200] Reset_Handler\n"
    "----------------\n"
    "IN: main\n"
    "0x00000900:  2000       movs     r0, #0\n"
    "\n"
    "Trace 0: 0x7fbc88000100 [00800408/00000900/00000110/ff000200] main\n";

TEST(QemuExecCounter, CountsEachStartedBlockWithItsTranslatedLength) {
  QemuExecCounter c;
  c.feed(kLog);
  c.finish();
  EXPECT_EQ(c.error(), "");
  EXPECT_EQ(c.instructions(), 13u);
  EXPECT_EQ(c.blocks_translated(), 3u);
  EXPECT_EQ(c.blocks_executed(), 7u);
  EXPECT_EQ(c.blocks_stopped(), 1u);
}

TEST(QemuExecCounter, AnySplitOfTheStreamGivesTheSameCount) {
  const std::string log = kLog;
  for (std::size_t chunk : {1u, 7u, 64u}) {
    QemuExecCounter c;
    for (std::size_t i = 0; i < log.size(); i += chunk) c.feed(std::string_view(log).substr(i, chunk));
    c.finish();
    EXPECT_EQ(c.error(), "") << chunk;
    EXPECT_EQ(c.instructions(), 13u) << chunk;
  }
}

TEST(QemuExecCounter, ALastLineWithoutNewlineCounts) {
  QemuExecCounter c;
  c.feed("IN: f\n0x00000010:  bf00       nop\n\nTrace 0: 0x7f0000000040 [00800408/00000010/00000110/ff000200] f");
  c.finish();
  EXPECT_EQ(c.error(), "");
  EXPECT_EQ(c.instructions(), 1u);
}

TEST(QemuExecCounter, AnExecLineOfAnUnknownBlockIsAnError) {
  QemuExecCounter c;
  c.feed("Trace 0: 0x7f0000000040 [00800408/00000010/00000110/ff000200] f\n");
  c.finish();
  EXPECT_NE(c.error().find("0x7f0000000040"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("not logged"), std::string::npos) << c.error();
}

TEST(QemuExecCounter, AnExecLineAtAnotherPcThanTheTranslatedBlockIsAnError) {
  QemuExecCounter c;
  c.feed("IN: f\n0x00000010:  bf00       nop\n\nTrace 0: 0x7f0000000040 [00800408/00000020/00000110/ff000200] g\n");
  c.finish();
  EXPECT_NE(c.error().find("0x00000020"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("0x00000010"), std::string::npos) << c.error();
}

TEST(RunChild, CapturesOutputExitStatusAndTheFd3Stream) {
  const auto sh = find_program("sh");
  ASSERT_TRUE(sh.has_value());
  QemuExecCounter c;
  // The child writes a one-block log to fd 3 and two lines to stdout and stderr, then exits 3.
  auto r = run_child({*sh, "-c",
                      "printf 'IN: f\\n0x00000010:  bf00  nop\\n0x00000012:  bf00  nop\\n\\n' >&3; "
                      "printf 'Trace 0: 0x7f0000000040 [0/00000010/0/0] f\\n' >&3; "
                      "printf 'Trace 0: 0x7f0000000040 [0/00000010/0/0] f\\n' >&3; "
                      "echo out; echo err >&2; exit 3"},
                     &c);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.output, "out\nerr\n");
  EXPECT_GE(r.wall_s, 0.0);
  EXPECT_GE(r.cpu_s, 0.0);
  EXPECT_EQ(c.error(), "");
  EXPECT_EQ(c.instructions(), 4u);
}

TEST(RunChild, AMissingProgramIsAnErrorNamingIt) {
  try {
    run_child({"/nonexistent/qemu-system-arm", "-M", "mps2-an386"});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/qemu-system-arm"), std::string::npos) << e.what();
  }
}

TEST(FindProgram, SearchesPathAndChecksExplicitPaths) {
  EXPECT_TRUE(find_program("sh").has_value());
  EXPECT_FALSE(find_program("no-such-program-mcusim-bench").has_value());
  EXPECT_FALSE(find_program("/nonexistent/qemu-system-arm").has_value());
  EXPECT_EQ(find_program("/bin/sh").value_or(""), "/bin/sh");
}

}  // namespace
}  // namespace mcusim::bench
