// The HAL-style bring-up firmware (reference-firmware/bringup/) on the six STM32 boards, with the
// SoC peripheral models: it programs the clock tree, prints on the virtual COM port U(S)ART and
// times a known loop with TIM2 at 1 MHz and with SysTick. Every expected value is derived by hand
// below from the firmware's own PLL settings and the cores' published cycle counts, never taken
// from a simulator run. Registered only when the tree has SoC descriptions (boards/socs/).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <ostream>
#include <vector>
#include <string>

#include "firmware_paths.h"
#include "mcusim/board.h"
#include "mcusim/raw_image.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

constexpr std::uint64_t kIterations = 100000;  // BRINGUP_LOOP_ITERATIONS in bringup.c

struct Case {
  const char* board;
  std::uint64_t sysclk_hz;      // the PLL output bringup.elf programs (soc_<part>.c)
  std::uint64_t alt_sysclk_hz;  // the one bringup-alt.elf programs
  // Cycles per iteration of `subs rN, #1; bne 1b` (16-bit SUBS and B<cond>) once the loop's 4
  // bytes sit in the instruction cache / ART (every board here enables one):
  //  Cortex-M0+: SUBS 1 + B<cond> taken 2 = 3 (Cortex-M0+ TRM 3.3, core-facts A.1).
  //  Cortex-M4:  SUBS 1 + B<cond> taken 1 + P, P = 1 for an immediate branch = 3 (Cortex-M4
  //              TRM 3.3.1).
  //  Cortex-M33: SUBS 1 + taken branch 2 = 3; the branch does not dual-issue after the
  //              flag-setting SUBS (core-facts A.5).
  //  Cortex-M7:  SUBS and the predicted-taken BNE issue together (one ALU, one branch slot,
  //              branches do not wait for the flags) = 1 per iteration (docs/models/cortex-m7.md).
  std::uint64_t cycles_per_iteration;
  const char* uart;  // the ST-LINK virtual COM port's U(S)ART (board user manual)
  const char* led;   // the user LED's pin (board user manual)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.board; }

//  nucleo-g0b1re    HSI16 x 8 / 2 = 64 MHz;  alt / 4 = 32 MHz
//  nucleo-f446re    HSI 16 / 8 x 180 / 2 = 180 MHz;  alt x 90 = 90 MHz
//  nucleo-l4r5zi    HSI16 x 15 / 2 = 120 MHz;  alt x 10 = 80 MHz
//  stm32f746g-disco HSI 16 / 8 x 216 / 2 = 216 MHz;  alt x 108 = 108 MHz
//  nucleo-h7a3zi-q  HSI 64 / 4 x 35 / 2 = 280 MHz;  alt / 4 = 140 MHz
//  nucleo-u575zi-q  HSI16 x 20 / 2 = 160 MHz;  alt / 4 = 80 MHz
//  VCP U(S)ART and LED: UM2324 (G0B1RE: USART2, LD4 PA5), UM1724 (F446RE: USART2, LD2 PA5),
//  UM2179 (L4R5ZI: LPUART1, LD1 PC7), UM1907 (F746G-DISCO: USART1, LD1 PI1), UM2408 (H7A3ZI-Q:
//  USART3, LD1 PB0), UM2861 (U575ZI-Q: USART1, LD1 PC7).
const Case kCases[] = {
    {"nucleo-g0b1re", 64'000'000, 32'000'000, 3, "usart2", "PA5"},
    {"nucleo-f446re", 180'000'000, 90'000'000, 3, "usart2", "PA5"},
    {"nucleo-l4r5zi", 120'000'000, 80'000'000, 3, "lpuart1", "PC7"},
    {"stm32f746g-disco", 216'000'000, 108'000'000, 1, "usart1", "PI1"},
    {"nucleo-h7a3zi-q", 280'000'000, 140'000'000, 1, "usart3", "PB0"},
    {"nucleo-u575zi-q", 160'000'000, 80'000'000, 3, "usart1", "PC7"},
};

// The fields of the firmware's line "mcusim-bringup board=B sysclk_hz=F loop_iterations=N
// loop_us=T loop_cycles=C".
std::map<std::string, std::string> banner(const std::string& console) {
  std::map<std::string, std::string> f;
  auto pos = console.find("mcusim-bringup ");
  if (pos == std::string::npos) return f;
  auto end = console.find('\n', pos);
  std::string line = console.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  for (std::size_t i = 0; i < line.size();) {
    auto sp = line.find(' ', i);
    auto word = line.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
    if (auto eq = word.find('='); eq != std::string::npos) f[word.substr(0, eq)] = word.substr(eq + 1);
    if (sp == std::string::npos) break;
    i = sp + 1;
  }
  return f;
}

std::uint64_t num(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  EXPECT_NE(it, f.end()) << "no " << key << " in the banner";
  return it == f.end() ? 0 : std::stoull(it->second);
}

RunResult run(const std::string& board_name, const std::string& file) {
  auto board = load_board(board_name);
  Simulation sim(board, load_board_image(file, board));
  RunOptions opts;
  opts.max_instructions = 20'000'000;  // the firmware needs well under 1 M
  return sim.run(opts);
}

std::string fw(const Case& c, const std::string& name) {
  return std::string(MCUSIM_FIRMWARE_DIR) + "/" + c.board + "/" + name;
}

class Bringup : public ::testing::TestWithParam<Case> {};

// Checks one run of bringup(-alt): clean exit, the banner, and the loop measured three ways.
void check_run(const Case& c, const RunResult& r, std::uint64_t sysclk_hz) {
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message << "\nconsole: " << r.console;
  EXPECT_EQ(r.exit_code, 0);
  // The line as sent on the VCP U(S)ART (the run's console carries it too).
  auto sent = r.soc.uart_output.find(c.uart);
  const auto f = banner(sent != r.soc.uart_output.end() ? sent->second : r.console);
  ASSERT_FALSE(f.empty()) << "no bring-up line on " << c.uart << "; console: " << r.console;
  EXPECT_EQ(f.at("board"), c.board);
  EXPECT_EQ(num(f, "sysclk_hz"), sysclk_hz);
  EXPECT_EQ(num(f, "loop_iterations"), kIterations);
  // SysTick on the processor clock: N iterations of K cycles, plus the first iteration's fetch
  // and (Cortex-M7) two branch mispredictions, well under 1 % of N * K.
  const std::uint64_t cycles = num(f, "loop_cycles");
  const double expected_cycles = static_cast<double>(kIterations * c.cycles_per_iteration);
  EXPECT_NEAR(static_cast<double>(cycles), expected_cycles, expected_cycles * 0.01);
  // TIM2 at 1 MHz from the programmed clock: N * K / f microseconds, e.g. 100000 x 3 / 120 MHz
  // = 2500 us on the L4R5; +-2 us for the timer's phase and the reads around the loop.
  const double expected_us = expected_cycles / (static_cast<double>(sysclk_hz) / 1e6);
  EXPECT_NEAR(static_cast<double>(num(f, "loop_us")), expected_us, expected_us * 0.01 + 2);
  // The firmware's two measurements agree: TIM2 is read outside the SysTick reads (up to ~40
  // cycles, 1.3 us at 32 MHz) and quantised to 1 us.
  EXPECT_NEAR(static_cast<double>(num(f, "loop_us")), static_cast<double>(cycles) * 1e6 / sysclk_hz, 3.0);
  // The SoC's view: the clock the firmware programmed, the line on the VCP U(S)ART, and one LED
  // pulse around the loop (rising, then falling N * K cycles plus the timer reads later).
  EXPECT_EQ(r.soc.programmed_clock_hz, sysclk_hz);
  auto out = r.soc.uart_output.find(c.uart);
  ASSERT_NE(out, r.soc.uart_output.end()) << "nothing sent on " << c.uart;
  EXPECT_NE(out->second.find("mcusim-bringup board="), std::string::npos) << out->second;
  // The pin's edges: it may first be reported at level 0 when it becomes an output (MODER),
  // then the one pulse.
  std::vector<GpioEdgeRecord> led;
  for (auto& e : r.soc.gpio_edges)
    if (e.pin == c.led && (e.level == 1 || !led.empty())) led.push_back(e);
  ASSERT_EQ(led.size(), 2u) << "LED " << c.led << ": expected one rising and one falling edge";
  EXPECT_EQ(led[0].level, 1);
  EXPECT_EQ(led[1].level, 0);
  EXPECT_GE(led[1].cycle - led[0].cycle, cycles);
  EXPECT_LE(led[1].cycle - led[0].cycle, cycles + 500);
}

TEST_P(Bringup, ProgramsTheBoardClockAndTimesTheLoop) {
  const Case& c = GetParam();
  check_run(c, run(c.board, fw(c, "bringup.elf")), c.sysclk_hz);
}

TEST_P(Bringup, AnotherPllFrequencyRunsWithThatClock) {
  const Case& c = GetParam();
  const auto r = run(c.board, fw(c, "bringup-alt.elf"));
  check_run(c, r, c.alt_sysclk_hz);
}

TEST_P(Bringup, BinAndHexGiveTheElfsResults) {
  const Case& c = GetParam();
  const auto elf = run(c.board, fw(c, "bringup.elf"));
  ASSERT_EQ(elf.stop, StopReason::exited) << elf.stop_message;
  for (const char* name : {"bringup.bin", "bringup.hex"}) {
    SCOPED_TRACE(name);
    const auto r = run(c.board, fw(c, name));
    ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
    EXPECT_EQ(r.console, elf.console);
    EXPECT_EQ(r.total.instructions, elf.total.instructions);
    EXPECT_EQ(r.total.cycles, elf.total.cycles);
    EXPECT_FALSE(r.footprint.from_sections);
  }
}

INSTANTIATE_TEST_SUITE_P(Stm32Boards, Bringup, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           std::string n = info.param.board;
                           for (auto& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace mcusim
