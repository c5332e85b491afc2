// The keyword-spotting reference firmware on nucleo-l4r5zi: its scores are bit-identical to the
// independent host implementation (workloads/kws/host_reference.cpp), its regions are consistent,
// and two runs give byte-identical reports.
#include <gtest/gtest.h>


#include "console_scores.h"
#include "firmware_paths.h"
#include "host_reference.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/report.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

class Kws : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Simulation sim(load_board("nucleo-l4r5zi"), load_elf(MCUSIM_KWS_FIRMWARE_ELF));
    result_ = new RunResult(sim.run({}));
  }
  static void TearDownTestSuite() { delete result_; }
  static RunResult* result_;
};
RunResult* Kws::result_ = nullptr;

TEST_F(Kws, ExitsCleanly) {
  EXPECT_EQ(result_->stop, StopReason::exited) << result_->stop_message;
  EXPECT_EQ(result_->exit_code, 0);
}

TEST_F(Kws, ScoresAreBitIdenticalToTheHostReference) {
  auto expected = kws_reference_scores();
  ASSERT_EQ(expected.size(), 12u);
  auto got = test::console_scores(result_->console, "kws01");
  ASSERT_EQ(got.size(), 12u) << result_->console;
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(got[i], expected[i]) << "score " << i;
}

TEST_F(Kws, LayerRegionsAddUpWithinTheInference) {
  const RegionResult* inf = inference_region(*result_);
  ASSERT_NE(inf, nullptr);
  EXPECT_EQ(inf->instances, 1u);
  Cycles layers = 0;
  std::uint64_t macs = 0;
  int n_layers = 0;
  for (auto& r : result_->regions) {
    if (r.id < 100) continue;
    ++n_layers;
    layers += r.counters.cycles;
    macs += std::stoull(r.attrs.at("macs"));
  }
  EXPECT_EQ(n_layers, 12);            // 12 timed layers (RESHAPE is a no-op without a region)
  EXPECT_EQ(macs, 2'656'768u);        // mlperf-tiny.md 1.2 total
  EXPECT_LE(layers, inf->counters.cycles);
  // What is not in a layer region is harness and glue: below 1 % of the inference.
  EXPECT_LT(inf->counters.cycles - layers, inf->counters.cycles / 100);
}

TEST_F(Kws, EnergyPartsAddUpAndFootprintIsMeasured) {
  const auto& e = result_->energy;
  // The reported parts (core, flash, caches, sram, tcm, xip, static, sleep) add up exactly.
  double sum = 0;
  for (double part : e.parts()) sum += part;
  EXPECT_EQ(sum, e.total_pj());
  EXPECT_DOUBLE_EQ(e.core_pj() + e.memory_pj() + e.static_pj + e.sleep_pj, e.total_pj());
  EXPECT_GT(e.static_pj, 0);
  EXPECT_GT(result_->footprint.stack_peak, 0u);
  EXPECT_LT(result_->footprint.stack_peak, 16u * 1024);
  EXPECT_GT(result_->footprint.rodata, 24'376u);  // the model's const buffers (mlperf-tiny.md 1.1)
}

TEST_F(Kws, TwoRunsGiveByteIdenticalJson) {
  Simulation sim(load_board("nucleo-l4r5zi"), load_elf(MCUSIM_KWS_FIRMWARE_ELF));
  EXPECT_EQ(json_report(sim.run({})).dump(), json_report(*result_).dump());
}

// The same firmware built for the bench board of QEMU's mps2-an386 machine (bench/mps2-an386.toml;
// code in SSRAM1 at 0x0, data in SSRAM2/3 at 0x20000000, no flash; ROI markers compiled out so
// that QEMU's semihosting accepts every call): it boots from the vector table at 0x0, prints the
// host reference's scores and ends with SYS_EXIT, as on QEMU (bench/bench_kws).
TEST(KwsOnMps2An386, RunsFromSsramToItsSemihostingExitWithTheReferenceScores) {
  auto board = load_board(std::string(MCUSIM_SOURCE_DIR) + "/bench/mps2-an386.toml");
  EXPECT_EQ(board.name, "mps2-an386");
  EXPECT_FALSE(board.has_flash);
  ASSERT_EQ(board.sram.size(), 2u);
  EXPECT_EQ(board.sram[0].base, 0x0u);  // QEMU hw/arm/mps2.c: ssram1 at 0x0, 0x400000 bytes
  EXPECT_EQ(board.sram[0].size_bytes, 0x400000u);
  EXPECT_EQ(board.sram[1].base, 0x20000000u);  // ssram23 at 0x20000000, 0x400000 bytes
  EXPECT_EQ(board.sram[1].size_bytes, 0x400000u);
  Simulation sim(board, load_elf(std::string(MCUSIM_FIRMWARE_DIR) + "/mps2-an386/kws-reference.elf"));
  auto r = sim.run({});
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, 0);
  auto expected = kws_reference_scores();
  auto got = test::console_scores(r.console, "kws01");
  ASSERT_EQ(got.size(), expected.size()) << r.console;
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "score " << i;
  EXPECT_TRUE(r.regions.empty()) << "the an386 build has no ROI markers (QEMU would abort on them)";
  EXPECT_EQ(r.console.rfind("arena_bytes=", 0), 0u) << r.console;  // nothing before the first line
}

}  // namespace
}  // namespace mcusim
