// SoC peripherals through the whole engine (docs/peripherals.md): the programmed clock, UART TX
// and RX with the peripheral interrupt through the NVIC, GPIO edges and the "waiting for UART
// input" stop. soc_uart.S programs 80 MHz and LPUART1 at 115200 baud (derivations in the file).
#include <gtest/gtest.h>

#include "sim_fixture.h"

using namespace mcusim;

namespace {
RunResult run_uart(const std::string& input, std::uint64_t max_instructions = 5'000'000) {
  auto board = load_board("nucleo-l4r5zi");
  auto image = load_elf(std::string(SNIPPET_DIR) + "/soc_uart.elf");
  Simulation sim(board, image);
  RunOptions opts;
  opts.max_instructions = max_instructions;
  if (!input.empty()) opts.uart_input["lpuart1"] = input;
  return sim.run(opts);
}
}  // namespace

TEST(Soc, ProgrammedClockUartEchoAndWaitingForInput) {
  auto r = run_uart("ab%c\n");
  EXPECT_EQ(r.stop, StopReason::waiting_for_input) << r.stop_message;
  // HSI16 / 1 x 10 / 2 = 80 MHz (RM0432 6.4.4); the board's clock_hz is 120 MHz.
  EXPECT_EQ(r.soc.programmed_clock_hz, 80'000'000u);
  EXPECT_EQ(r.board.clock_hz, 80'000'000u);
  EXPECT_EQ(r.soc.uart_output.at("lpuart1"), "OK\nab%c\n");
  EXPECT_NE(r.console.find("OK\nab%c\n"), std::string::npos);
  bool warned = false;
  for (const auto& w : r.soc.warnings) warned |= w.find("80000000 Hz core clock") != std::string::npos;
  EXPECT_TRUE(warned);
  // PB7: driven low when made an output (ODR 0), then high through BSRR.
  ASSERT_EQ(r.soc.gpio_edges.size(), 2u);
  EXPECT_EQ(r.soc.gpio_edges[0].pin, "PB7");
  EXPECT_EQ(r.soc.gpio_edges[0].level, 0);
  EXPECT_EQ(r.soc.gpio_edges[1].level, 1);
  EXPECT_GT(r.soc.gpio_edges[1].cycle, r.soc.gpio_edges[0].cycle);
  // Each echoed byte raised the LPUART1 interrupt once: 5 exceptions.
  EXPECT_EQ(r.total.exceptions, 5u);
}

TEST(Soc, TxTakesTheFrameTimeAtTheProgrammedBaudRate) {
  // "OK\n" is 3 frames of 10 bits at BRR 177778: ceil(10 x 177778 / 256) = 6945 core cycles each
  // (RM0432 51.4.7), sent back to back: the run (no input, so the firmware sleeps at once after
  // the third byte is queued) lasts at least 3 x 6945 cycles after the clock switch, and the core
  // sleeps while the last frames leave.
  auto r = run_uart("");
  EXPECT_EQ(r.soc.uart_output.at("lpuart1"), "OK\n");
  EXPECT_GE(r.total.cycles, r.soc.clock_set_at + 3 * 6945u);
  EXPECT_GT(r.total.sleep_cycles, 6945u);
}

TEST(Soc, UnknownUartIsBadInput) {
  auto board = load_board("nucleo-l4r5zi");
  auto image = load_elf(std::string(SNIPPET_DIR) + "/soc_uart.elf");
  Simulation sim(board, image);
  RunOptions opts;
  opts.uart_input.emplace("uart9", std::string(1, 'x'));
  EXPECT_THROW(sim.run(opts), InputError);
}

TEST(Soc, PllRdyPollLoopTakesTheLockTime) {
  // soc_pll_poll.S at the reset clock, MSI 4 MHz: PLLRDY rises tLOCK = 15 us (stm32l4r5.toml,
  // DS12023) = 60 core cycles after the PLLON store (cycle S). Cortex-M4 at 0 WS (TRM 3.3.1):
  // STR 1, LDR 2, ADDS/TST 1, B<cond> 2 taken / 1 not taken. CYCCNT is read at S + 1; the loop
  // (ADDS, LDR, TST, BEQ: 6 cycles) reads CR at S + 4, S + 10, ...: the first read at or after
  // S + 60 is the 11th, at S + 64 (within one iteration of the lock); the second CYCCNT read is
  // at S + 64 + 2 + 1 + 1 = S + 68, so the difference is 67.
  auto r = mcusim::test::run_snippet("soc_pll_poll", mcusim::test::kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  const auto status = static_cast<std::uint32_t>(r.exit_code);
  const std::uint32_t cycles = status & 0xFFFF, reads = status >> 16;
  EXPECT_EQ(reads, 11u);
  EXPECT_EQ(cycles, 67u);
  // The property itself: the loop ends within one iteration (6 cycles) after the lock time,
  // plus the 7 cycles of fixed overhead around it (3 before the first read, 4 after the last).
  EXPECT_GE(cycles, 60u + 7u);
  EXPECT_LT(cycles, 60u + 7u + 6u);
}
