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

TEST(Soc, PeripheralClockEnergyIsTheEnabledBusCyclesAtTheTablesCurrent) {
  // soc_periph_clock.S at the reset clock (MSI 4 MHz, APB1 /1: PCLK1 = core clock). Cortex-M4 at
  // 0 WS (TRM 3.3.1): STR 1, LDR 2, SUBS 1, BNE 2 taken / 1 not taken. The TIM5EN store is at
  // cycle S; CYCCNT is read at S + 1; the loop (1000 x SUBS + 999 taken BNE + 1 not taken) runs
  // from S + 3 for 1000 + 999 x 2 + 1 = 2999 cycles; CYCCNT is read again at S + 3002 and the
  // clearing store is at S + 3004. Exit status: 3002 - 1 = 3001; TIM5 was clocked for
  // 3004 bus cycles.
  auto r = mcusim::test::run_snippet("soc_periph_clock", mcusim::test::kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, 3001);
  const auto& t = r.energy_model;
  ASSERT_TRUE(t.peripherals.count("tim5"));
  // The table's figure, 6.5 uA/MHz measured in range 1 (V_core 1.2 V), at the run's VDD and
  // V_core (LDO: uA/MHz x VDD x V_core / 1.2 V pJ per bus cycle).
  const double pj = 6.5 * t.vdd_v * t.vcore_v / 1.2;
  EXPECT_NEAR(t.peripherals.at("tim5").pj_per_cycle, pj, 1e-12);
  ASSERT_EQ(r.energy.peripheral_pj.size(), 1u);
  EXPECT_EQ(r.energy.peripheral_pj[0].first, "tim5");
  EXPECT_NEAR(r.energy.peripherals_pj, 3004 * pj, 1e-9);
  EXPECT_TRUE(r.energy.unpriced_peripherals.empty());
  // It is a part of the total: the total without it is what the other parts add up to.
  double others = 0;
  for (double p : r.energy.parts()) others += p;
  EXPECT_EQ(others, r.energy.total_pj());
  EXPECT_NEAR(r.energy.total_pj() - r.energy.core_pj() - r.energy.memory_pj() - r.energy.static_pj -
                  r.energy.sleep_pj,
              3004 * pj, 1e-6);
}

TEST(Soc, ApbReadCostsTwoBusCyclesInCoreCycles) {
  // soc_apb_read.S at the reset clock (MSI 4 MHz). An APB transfer takes two PCLK cycles (AMBA
  // APB, ARM IHI 0024: SETUP and ACCESS): ceil(2 x f_core / f_pclk) core cycles, of which the
  // load's own data cycle is one, so an LDR from TIM5 (APB1) costs 2 + 2 x 16 - 1 = 33 cycles at
  // PPRE1 = /16 and 2 + 1 = 3 at /1. Cortex-M4 at 0 WS (TRM 3.3.1): SUBS 1, BNE 2 taken / 1 not
  // taken. CYCCNT is read at T, the loop runs from T + 2 for 10 x (1 + LDR) + 9 x 2 + 1 cycles
  // and the second read is at its end: difference = loop + 2. /16: 10 x 34 + 19 + 2 = 361;
  // /1: 10 x 4 + 19 + 2 = 61.
  auto r = mcusim::test::run_snippet("soc_apb_read", mcusim::test::kZeroWaitStates);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  const auto status = static_cast<std::uint32_t>(r.exit_code);
  EXPECT_EQ(status & 0xFFFF, 361u);
  EXPECT_EQ(status >> 16, 61u);
}
