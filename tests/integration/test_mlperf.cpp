// `mcusim mlperf` on the project's DUT firmware (reference-firmware/dut): every STM32 board and
// every task in performance mode with a small `infer N W` (CI budget), energy and accuracy mode
// on one board. Expected values: the DUT's answers from the protocol (docs/mlperf.md), its results
// from the host reference network (workloads/net/net_reference.cpp) on the same input, and the
// runner's latency against mcusim's inference cycles at the board clock.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ad_model.h"
#include "firmware_paths.h"
#include "ic_model.h"
#include "kws_model.h"
#include "mcusim/base/errors.h"
#include "mcusim/board.h"
#include "mcusim/mlperf_command.h"
#include "mcusim/profile_formats.h"
#include "mcusim/report.h"
#include "net_generator.h"
#include "net_reference.h"
#include "vww_model.h"

namespace mcusim::mlperf {
namespace {

const net_model_t& model_of(Task t) {
  switch (t) {
    case Task::kws:
      return kws_model;
    case Task::vww:
      return vww_model;
    case Task::ic:
      return ic_model;
    case Task::ad:
      return ad_model;
  }
  return kws_model;
}

float le_float(const std::vector<std::uint8_t>& b, std::size_t i) {
  std::uint32_t bits = b[4 * i] | b[4 * i + 1] << 8 | b[4 * i + 2] << 16 |
                       static_cast<std::uint32_t>(b[4 * i + 3]) << 24;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// What the DUT's th_load_tensor + th_results compute, on the host reference network.
std::vector<double> expected_results(Task t, const std::vector<std::uint8_t>& in) {
  auto params = net::GenerateParams(model_of(t));
  const std::size_t n = params.input.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (t == Task::kws) {
      params.input[i] = static_cast<std::int8_t>(in[i]);
    } else if (t == Task::ad) {
      const float q = le_float(in, i) / 0.3910152f + 89.0f;
      const int v = static_cast<int>(q < 0 ? q - 0.5f : q + 0.5f);
      params.input[i] = static_cast<std::int8_t>(std::clamp(v, -128, 127));
    } else {
      params.input[i] = static_cast<std::int8_t>(static_cast<int>(in[i]) - 128);
    }
  }
  const auto out = net::ReferenceForward(params).back();
  std::vector<double> r;
  if (t == Task::ad) {
    float sum = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const float d = static_cast<float>(out[i] - 96) * 0.3644985f - le_float(in, i);
      sum += d * d;
    }
    r.push_back(sum / static_cast<float>(out.size()));
  } else {
    for (auto q : out) r.push_back((q + 128) / 256.0);
  }
  return r;
}

std::string dut_elf(const std::string& board, Task t) {
  return std::string(MCUSIM_FIRMWARE_DIR) + "/" + board + "/dut-" + std::string(task_info(t).name) +
         ".elf";
}

struct Case {
  std::string board;
  Task task;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.board << "/" << task_info(c.task).name;
}

class EachBoardAndTask : public ::testing::TestWithParam<Case> {};

TEST_P(EachBoardAndTask, PerformanceModeFollowsTheProtocolAndTheModel) {
  const auto& c = GetParam();
  const auto board = load_board(c.board);
  Options o;
  o.task = c.task;
  // Small windows for CI: kws and ad with a warm-up, vww and ic one inference.
  o.n = c.task == Task::ad ? 4 : c.task == Task::kws ? 2 : 1;
  o.w = c.task == Task::kws || c.task == Task::ad ? 1 : 0;
  o.windows = 1;
  const auto r = run(board, dut_elf(c.board, c.task), o);
  const auto& info = task_info(c.task);
  // The session ran over the board's runner UART (its VCP), at the clock the DUT programmed.
  ASSERT_FALSE(board.runner_uart.empty());
  ASSERT_TRUE(r.result.soc.uart_output.count(board.runner_uart));
  EXPECT_NE(r.result.soc.uart_output.at(board.runner_uart).find("m-init-done"), std::string::npos);
  EXPECT_EQ(r.result.soc.programmed_clock_hz, board.clock_hz);
  EXPECT_EQ(r.dut_name, "mcusim-" + std::string(info.model));
  EXPECT_EQ(r.model, info.model);
  ASSERT_EQ(r.windows.size(), 1u);
  const auto& w = r.windows[0];
  // The DUT's results are the host reference network's on the same input, printed with 3
  // decimals.
  const auto expect = expected_results(c.task, r.inputs[0].bytes);
  ASSERT_EQ(w.results.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i)
    EXPECT_NEAR(w.results[i], expect[i],
                c.task == Task::ad ? 0.002 * std::max(1.0, expect[i]) : 0.0005 + 1e-9)
        << i;
  // The runner's latency (its timestamps, us) is mcusim's inference latency at the board clock
  // within the non-inference overhead of the window: the input restore before each inference,
  // the loop, and the UART transmit interrupts of the first m-lap-us line (queued before the
  // window, sent during it), under 0.5 % of the window, plus the 1-us resolution of TIM2.
  const auto* inf = region_named(r.result, "inference");
  ASSERT_NE(inf, nullptr);
  ASSERT_EQ(inf->instances, *o.n + *o.w);
  const double inf_s = static_cast<double>(inf->counters.cycles) / inf->instances / board.clock_hz;
  EXPECT_NEAR(w.latency_s(), inf_s, inf_s * 0.005 + 2e-6 / *o.n);
  // mcusim's window (its region) and the runner's runtime agree to the timestamp resolution plus
  // the region markers between the TIM2 reads and the window's ends (a semihosting call each:
  // well under 2,000 cycles even on the Cortex-M0+).
  EXPECT_NEAR(w.runtime_s(), r.figures[0].seconds, 3e-6 + 2000.0 / board.clock_hz);
  EXPECT_GE(r.figures[0].cycles, *o.n * inf->counters.cycles / inf->instances);
}

std::string dut_energy_elf(const std::string& board, Task t) {
  return std::string(MCUSIM_FIRMWARE_DIR) + "/" + board + "/dut-" + std::string(task_info(t).name) +
         "-energy.elf";
}

// Energy mode (the DUT's energy build): the window is framed by the falling edges of the
// board's timestamp pin, as the energy monitor sees it. The edge window contains mcusim's window
// region and exceeds it only by the marker calls between an edge and the region's begin / end
// (a semihosting call, two stores and the return: well under 300 cycles on every core), and it
// holds the N inferences.
TEST_P(EachBoardAndTask, EnergyModeFramesTheWindowByTheTimestampEdges) {
  const auto& c = GetParam();
  const auto board = load_board(c.board);
  Options o;
  o.task = c.task;
  o.mode = Mode::energy;
  o.n = c.task == Task::ad ? 2 : 1;
  o.w = 0;
  o.windows = 1;
  const auto r = run(board, dut_energy_elf(c.board, c.task), o);
  const auto& out = r.result.soc.uart_output.at(board.runner_uart);
  EXPECT_NE(out.find("m-timestamp-mode-energy"), std::string::npos);
  EXPECT_EQ(out.find("m-lap-us-"), std::string::npos);
  ASSERT_EQ(r.edge_cycles.size(), 1u);
  ASSERT_EQ(r.figures.size(), 1u);
  EXPECT_GE(r.edge_cycles[0], r.figures[0].cycles);
  EXPECT_LE(r.edge_cycles[0], r.figures[0].cycles + 300);
  const auto* inf = region_named(r.result, "inference");
  ASSERT_NE(inf, nullptr);
  EXPECT_GE(r.figures[0].cycles, *o.n * inf->counters.cycles / inf->instances);
  // The runner's runtime (edge to edge, 1 us resolution) is the edge window at the clock.
  EXPECT_NEAR(r.windows[0].runtime_s(), static_cast<double>(r.edge_cycles[0]) / board.clock_hz, 1.5e-6);
  // Energy per inference: the window's energy over N.
  EXPECT_DOUBLE_EQ(json(r)["energy_per_inference_pj"].get<double>(), r.figures[0].energy_pj / *o.n);
  EXPECT_GT(r.figures[0].energy_pj, 0);
}

// Accuracy mode on one input with the runner's label file: the DUT's results are the host
// reference network's, and the runner's summary counts the file right when labelled with the
// reference network's class (AD: the anomaly score, one file: Top-1 and AUC need both labels,
// so only the score is checked).
TEST_P(EachBoardAndTask, AccuracyModeOnOneLabelledInput) {
  namespace fs = std::filesystem;
  const auto& c = GetParam();
  const auto dir = fs::path(::testing::TempDir()) /
                   ("mcusim-mlperf-acc-" + c.board + "-" + std::string(task_info(c.task).name) + "-" +
                    std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto gen = generated_inputs(c.task, 1, 7);
  std::ofstream(dir / "in0.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(gen[0].bytes.data()), static_cast<std::streamsize>(gen[0].bytes.size()));
  const auto expect = expected_results(c.task, gen[0].bytes);
  const auto cls = c.task == Task::ad ? 0 : std::max_element(expect.begin(), expect.end()) - expect.begin();
  std::ofstream(dir / "y_labels.csv") << "in0.bin," << (c.task == Task::ad ? 2 : expect.size()) << "," << cls << "\n";
  Options o;
  o.task = c.task;
  o.mode = Mode::accuracy;
  o.input = dir.string();
  const auto r = run(load_board(c.board), dut_elf(c.board, c.task), o);
  ASSERT_EQ(r.windows.size(), 1u);
  ASSERT_EQ(r.windows[0].results.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i)
    EXPECT_NEAR(r.windows[0].results[i], expect[i], c.task == Task::ad ? 0.002 * std::max(1.0, expect[i]) : 0.0005 + 1e-9);
  ASSERT_TRUE(r.accuracy);
  ASSERT_EQ(r.accuracy->files.size(), 1u);
  if (c.task != Task::ad) {
    EXPECT_EQ(r.accuracy->files[0].predicted_class, cls);
    EXPECT_DOUBLE_EQ(r.accuracy->top1_percent, 100.0);
  }
  fs::remove_all(dir);
}

std::vector<Case> cases() {
  std::vector<Case> v;
  for (const char* b : {"nucleo-l4r5zi", "nucleo-g0b1re", "nucleo-f446re", "stm32f746g-disco",
                        "nucleo-h7a3zi-q", "nucleo-u575zi-q"})
    for (Task t : {Task::kws, Task::vww, Task::ic, Task::ad}) v.push_back({b, t});
  return v;
}

INSTANTIATE_TEST_SUITE_P(Dut, EachBoardAndTask, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string n = info.param.board + "_" + std::string(task_info(info.param.task).name);
  for (auto& ch : n)
    if (ch == '-') ch = '_';
  return n;
});

TEST(MlperfModes, EnergyModeEnergyPerInferenceIsTheWindowEnergyOverN) {
  const auto board = load_board("nucleo-l4r5zi");
  Options o;
  o.task = Task::kws;
  o.mode = Mode::energy;
  o.n = 2;
  o.w = 0;
  o.windows = 3;
  const auto r = run(board, dut_energy_elf("nucleo-l4r5zi", Task::kws), o);
  ASSERT_EQ(r.figures.size(), 3u);
  const auto j = json(r);
  // Each window's energy / N; the reported figure is their median, and it equals average power x
  // runtime / N of that window.
  std::vector<double> e;
  for (auto& f : r.figures) e.push_back(f.energy_pj / 2);
  EXPECT_DOUBLE_EQ(j["energy_per_inference_pj"].get<double>(), median(e));
  const auto& f = r.figures[1];
  EXPECT_NEAR(f.energy.average_mw(f.seconds) * 1e9 * f.seconds, f.energy_pj, f.energy_pj * 1e-12);
  EXPECT_EQ(j["mode"], "energy");
}

TEST(MlperfModes, AccuracyModeRunsEveryInputOnce) {
  namespace fs = std::filesystem;
  const auto dir = fs::path(::testing::TempDir()) / ("mcusim-mlperf-accuracy-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto gen = generated_inputs(Task::ic, 2, 11);
  for (std::size_t i = 0; i < gen.size(); ++i)
    std::ofstream(dir / ("img" + std::to_string(i) + ".bin"), std::ios::binary)
        .write(reinterpret_cast<const char*>(gen[i].bytes.data()),
               static_cast<std::streamsize>(gen[i].bytes.size()));
  // The runner's label file: img0 labelled with the reference network's class, img1 with
  // another one -> Top-1 50 %; two labels for ten classes -> the AUC is undefined.
  {
    const auto e0 = expected_results(Task::ic, gen[0].bytes);
    const auto c0 = std::max_element(e0.begin(), e0.end()) - e0.begin();
    const auto e1 = expected_results(Task::ic, gen[1].bytes);
    const auto c1 = (std::max_element(e1.begin(), e1.end()) - e1.begin() + 1) % 10;
    std::ofstream(dir / "y_labels.csv") << "img0.bin,10," << c0 << "\nimg1.bin,10," << c1 << "\n";
  }
  Options o;
  o.task = Task::ic;
  o.mode = Mode::accuracy;
  o.input = dir.string();
  const auto r = run(load_board("nucleo-l4r5zi"), dut_elf("nucleo-l4r5zi", Task::ic), o);
  ASSERT_EQ(r.windows.size(), 2u);
  EXPECT_EQ(r.n, 1u);
  EXPECT_EQ(r.inputs[1].name, "img1.bin");
  for (std::size_t i = 0; i < 2; ++i) {
    const auto expect = expected_results(Task::ic, gen[i].bytes);
    ASSERT_EQ(r.windows[i].results.size(), 10u);
    for (std::size_t k = 0; k < 10; ++k)
      EXPECT_NEAR(r.windows[i].results[k], expect[k], 0.0005 + 1e-9);
  }
  EXPECT_NE(text(r).find("img1.bin,"), std::string::npos);
  ASSERT_TRUE(r.accuracy);
  EXPECT_DOUBLE_EQ(r.accuracy->top1_percent, 50.0);
  EXPECT_FALSE(r.accuracy->auc);
  EXPECT_NE(text(r).find("ulp-mlperf: Top 1% = 50.0"), std::string::npos);
  EXPECT_EQ(json(r)["accuracy"]["files"].size(), 2u);
  fs::remove_all(dir);
}

// `mcusim mlperf --profile` (issue 18): the profile covers the whole session (one simulation);
// the files follow their formats, per-function cycles add up to the session's cycles, and each
// timed window is a region slice on the timeline at the cycles mcusim measured for it.
TEST(MlperfModes, ProfileCoversTheWholeSession) {
  namespace fs = std::filesystem;
  const auto board = load_board("nucleo-l4r5zi");
  Options o;
  o.task = Task::ad;
  o.n = 2;
  o.w = 1;
  o.windows = 2;
  ProfileOptions po;
  o.profile = &po;
  const auto r = run(board, dut_elf("nucleo-l4r5zi", Task::ad), o);
  ASSERT_TRUE(r.result.profile);
  const auto prefix = (fs::path(::testing::TempDir()) / ("mcusim-mlperf-profile-" + std::to_string(::getpid()))).string();
  const auto [ss_path, te_path] = write_profile_files(prefix, *r.result.profile, "mlperf-ad");
  using nlohmann::json;
  const auto read = [](const fs::path& p) {
    std::ifstream f(p);
    return json::parse(f);
  };
  const json ss = read(ss_path);
  EXPECT_EQ(ss.at("$schema"), "https://www.speedscope.app/file-format-schema.json");
  const auto& frames = ss.at("shared").at("frames");
  const auto& profiles = ss.at("profiles");
  ASSERT_GE(profiles.size(), 4u);  // cycles, instructions, stall cycles, energy (+ lines)
  for (auto& pr : profiles) {
    EXPECT_EQ(pr.at("type"), "sampled");
    ASSERT_EQ(pr.at("samples").size(), pr.at("weights").size());
    for (auto& st : pr.at("samples"))
      for (auto& idx : st) EXPECT_LT(idx.get<std::size_t>(), frames.size());
  }
  std::uint64_t cycles = 0;
  for (auto& w : profiles[0].at("weights")) cycles += w.get<std::uint64_t>();
  EXPECT_EQ(cycles, r.result.total.cycles);
  std::uint64_t insns = 0;
  for (auto& w : profiles[1].at("weights")) insns += w.get<std::uint64_t>();
  EXPECT_EQ(insns, r.result.total.instructions);

  const json te = read(te_path);
  std::vector<std::uint64_t> window_cycles;
  for (auto& e : te.at("traceEvents"))
    if (e.at("ph") == "X" && e.at("cat") == "region" && e.at("name") == "window")
      window_cycles.push_back(e.at("args").at("cycles").get<std::uint64_t>());
  ASSERT_EQ(window_cycles.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(window_cycles[i], r.figures[i].cycles);
  fs::remove(ss_path);
  fs::remove(te_path);
}

TEST(MlperfModes, EnergyModeNeedsTheEnergyBuild) {
  Options o;
  o.task = Task::kws;
  o.mode = Mode::energy;
  o.n = 1;
  o.w = 0;
  o.windows = 1;
  try {
    run(load_board("nucleo-l4r5zi"), dut_elf("nucleo-l4r5zi", Task::kws), o);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dut-kws-energy.elf"), std::string::npos) << e.what();
  }
}

TEST(MlperfModes, TaskMismatchIsAnError) {
  Options o;
  o.task = Task::ad;
  o.n = 1;
  o.w = 0;
  o.windows = 1;
  o.input = "";
  // The KWS DUT answers m-model-[kws01]; run as --task ad its db load of 2,560 bytes is refused.
  EXPECT_THROW(run(load_board("nucleo-l4r5zi"), dut_elf("nucleo-l4r5zi", Task::kws), o),
               InputError);
}

}  // namespace
}  // namespace mcusim::mlperf
