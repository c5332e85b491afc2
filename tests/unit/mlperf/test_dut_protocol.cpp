// The project's DUT protocol core (reference-firmware/dut/ee_dut.c, compiled for the host) driven
// by the runner's Session through a loopback link: the two sides of the protocol agree. The fake
// port's timer advances 2,500 us per inference, so a window of N inferences spans N x 2.5 ms.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "mcusim/base/errors.h"
#include "mcusim/mlperf_inputs.h"
#include "mcusim/mlperf_runner.h"

extern "C" {
#include "ee_dut.h"
}

namespace mcusim::mlperf {
namespace {

std::string g_out;
std::uint32_t g_now_us;
std::uint32_t g_infers;
std::uint32_t g_pulses;
std::uint32_t g_checksum;

extern "C" void port_write(const char* s) {
  g_out += s;
}
extern "C" std::uint32_t port_time() {
  return g_now_us;
}
extern "C" void port_pulse() {
  ++g_pulses;
}
extern "C" void port_load(const std::uint8_t* in, std::size_t n) {
  g_checksum = 0;
  for (std::size_t i = 0; i < n; ++i) g_checksum += in[i];
}
extern "C" void port_infer() {
  ++g_infers;
  g_now_us += 2500;
}
extern "C" std::size_t port_results(float* out, std::size_t) {
  out[0] = 0.25f;
  out[1] = static_cast<float>(g_checksum % 1000) / 1000.0f;
  return 2;
}

DutLink loopback() {
  return {[](std::string_view c) {
            for (char ch : c) ee_dut_feed(ch);
          },
          [] {
            auto nl = g_out.find('\n');
            if (nl == std::string::npos) throw InputError("DUT silent");
            auto line = g_out.substr(0, nl + 1);
            g_out.erase(0, nl + 1);
            return line;
          }};
}

ee_dut_port port(bool energy) {
  ee_dut_port p{};
  p.write = port_write;
  p.timestamp_us = port_time;
  p.timestamp_pulse = energy ? port_pulse : nullptr;
  p.load_tensor = port_load;
  p.infer = port_infer;
  p.results = port_results;
  p.name = "mcusim-test";
  p.model = "kws01";
  return p;
}

TEST(MlperfDut, RunnerDrivesTheDutThroughAWindow) {
  g_out.clear();
  g_now_us = 1000;
  g_infers = g_pulses = 0;
  static const auto p = port(false);
  ee_dut_init(&p);
  Session s(loopback());
  const auto banner = s.wait_ready();
  EXPECT_EQ(banner, (std::vector<std::string>{"m-timestamp-mode-performance", "m-init-done"}));
  EXPECT_EQ(s.name(), "mcusim-test");
  EXPECT_EQ(s.profile(), "kws01");
  auto in = generated_inputs(Task::kws, 1);
  s.load(in[0].bytes);  // 490 bytes in 16 db commands (15 x 32 + 10)
  std::size_t loaded = 0;
  const std::uint8_t* buf = ee_dut_input(&loaded);
  ASSERT_EQ(loaded, 490u);
  EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + loaded), in[0].bytes);
  auto w = s.infer(8, 2);
  // 2 warm-ups outside the window, 8 timed: 8 x 2500 us = 20 ms; throughput 400 inf/s.
  EXPECT_EQ(g_infers, 10u);
  EXPECT_EQ(w.lap1_us - w.lap0_us, 20000u);
  EXPECT_DOUBLE_EQ(w.throughput(), 400.0);
  std::uint32_t sum = 0;
  for (auto b : in[0].bytes) sum += b;
  ASSERT_EQ(w.results.size(), 2u);
  EXPECT_DOUBLE_EQ(w.results[0], 0.25);
  EXPECT_NEAR(w.results[1], (sum % 1000) / 1000.0, 1e-9);  // printed with 3 decimals: exact
  EXPECT_EQ(s.results(), w.results);
  // An unknown command is an e-[...] line, then m-ready: the session reports it.
  EXPECT_THROW(s.command("bogus"), InputError);
  EXPECT_EQ(s.name(), "mcusim-test");  // still in step after the error
}

TEST(MlperfDut, EnergyModeMarksTimeWithPulses) {
  g_out.clear();
  g_pulses = 0;
  static const auto p = port(true);
  ee_dut_init(&p);
  Session s(loopback());
  EXPECT_EQ(s.wait_ready().front(), "m-timestamp-mode-energy");
  s.load(std::vector<std::uint8_t>(490, 1));
  auto w = s.infer_untimed(3, 0);
  EXPECT_EQ(g_pulses, 2u);  // one pulse before and one after the timed inferences
  EXPECT_EQ(w.lap0_us, 0u);
  EXPECT_THROW(s.infer(3, 0), InputError);  // no m-lap-us in energy mode
}

TEST(MlperfDut, OversizedLoadIsAnError) {
  g_out.clear();
  static const auto p = port(false);
  ee_dut_init(&p);
  Session s(loopback());
  s.wait_ready();
  EXPECT_THROW(s.command("db load 27649"), InputError);
  EXPECT_THROW(s.command("db 00"), InputError);  // no db load before
}

}  // namespace
}  // namespace mcusim::mlperf
