// Imported .tflite models (issue 17): the four MLPerf Tiny architectures of tests/data/models
// (scripts/make-test-models.py) and `ops` (PAD, CONCATENATION, MAX_POOL_2D, MEAN, RELU6, float
// input/output through QUANTIZE/DEQUANTIZE) and `ext` (dilated CONV_2D and DEPTHWISE_CONV_2D,
// depth multiplier 2, a 3-way CONCATENATION, broadcast ADDs, MEAN over H+W, H, W and C), imported by scripts/mcusim_model and built as
// tflite_<m>-<kernels>.elf, run on a Cortex-M4 (nucleo-l4r5zi), a Cortex-M0+ (nucleo-g0b1re) and
// an RV32IMC board (ibex-simple) with both kernel libraries. Each output must be bit-identical to
// TensorFlow Lite Micro's interpreter on the same input (expected.txt, written at build time by
// `mcusim_model reference`), and the layer regions must carry the per-layer MACs of
// shared/reference/mlperf-tiny.md 1.2-1.5 (the test models have the reference architectures;
// `ops` and `ext` are counted by hand).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "console_scores.h"
#include "firmware_paths.h"
#include "mcusim/bench.h"
#include "mcusim/report.h"

namespace mcusim {
namespace {

// Per-layer MACs from mlperf-tiny.md (1.2 KWS, 1.3 VWW, 1.4 IC, 1.5 AD tables), the layers with
// MACs only, sorted (the converter may order IC's shortcut convolutions differently).
std::vector<std::uint64_t> document_macs(const std::string& m) {
  std::vector<std::uint64_t> v;
  if (m == "kws") {
    v = {320000, 768};
    for (int i = 0; i < 4; ++i) v.insert(v.end(), {72000, 512000});
  } else if (m == "vww") {
    v = {497664, 165888, 294912, 82944,  294912, 165888, 589824, 41472,  294912,
         82944,  589824, 20736,  294912, 10368,  294912, 20736,  589824, 512};
    for (int i = 0; i < 5; ++i) v.insert(v.end(), {41472, 589824});
  } else if (m == "ic") {
    v = {442368, 2359296, 2359296, 1179648, 2359296, 131072, 1179648, 2359296, 131072, 640};
  } else if (m == "ad") {
    v = {81920, 16384, 16384, 16384, 1024, 1024, 16384, 16384, 16384, 81920};
  } else if (m == "ops") {
    // scripts/make-test-models.py ops(), by hand: CONV 3x3 24x24x4 -> 24x24x8 = 24*24*8*9*4;
    // CONV 4x4 VALID 27x27x4 -> 24x24x8 = 24*24*8*16*4; DW 3x3 s2 12x12x16 -> 6x6x16 = 6*6*16*9;
    // FC 16 -> 10. PAD, CONCATENATION, MAX_POOL_2D and MEAN have none.
    v = {165888, 294912, 5184, 160};
  } else if (m == "ext") {
    // scripts/make-test-models.py ext(), by hand (dilation does not change the tap count; a
    // depthwise output channel has kh*kw taps whatever the depth multiplier):
    // DW 3x3 x2 12x12x4 -> 12x12x8 = 12*12*8*9 (twice: plain and dilated 2x1);
    // CONV 3x3 dilation 2 SAME 12x12x4 -> 12x12x8 = 12*12*8*9*4;
    // CONV 3x3 dilation 2x3 VALID 12x12x24 -> 8x6x8 = 8*6*8*9*24 (12 - 2*2 = 8, 12 - 2*3 = 6);
    // FC 48 -> 10.
    v = {10368, 10368, 41472, 82944, 480};
  }
  std::sort(v.begin(), v.end());
  return v;
}

// mlperf-tiny.md 1.1 MAC totals.
std::uint64_t document_total(const std::string& m) {
  static const std::map<std::string, std::uint64_t> t = {
      {"kws", 2656768}, {"vww", 7489664}, {"ic", 12501632}, {"ad", 264192}, {"ops", 466144},
      {"ext", 145632}};
  return t.at(m);
}

std::vector<int> expected_output(const std::string& m) {
  std::ifstream in(std::string(MCUSIM_TEST_MODELS_DIR) + "/" + m + "/expected.txt");
  std::vector<int> v;
  for (int x; in >> x;) v.push_back(x);
  return v;
}

class ImportedModels : public ::testing::TestWithParam<std::string> {};

TEST_P(ImportedModels, RunBitExactWithTfliteMicroAndCarryTheModelsMacs) {
  ASSERT_EQ(MCUSIM_TEST_MODELS_BUILT, 1)
      << "the tools' venv is missing: run scripts/install-deps.sh";
  std::vector<TinyTask> tasks;
  for (const char* m : {"kws", "vww", "ic", "ad", "ops", "ext"})
    tasks.push_back({std::string("tflite_") + m, std::string("tflite_") + m, document_total(m)});
  const auto runs =
      run_bench(load_board(GetParam()), tasks, {"reference", "optimized"}, MCUSIM_FIRMWARE_DIR, 2);
  ASSERT_EQ(runs.size(), 12u);
  for (const auto& r : runs) {
    SCOPED_TRACE(r.firmware);
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.result.stop, StopReason::exited) << r.result.stop_message;
    EXPECT_EQ(r.result.exit_code, 0);
    const std::string m = r.task.name.substr(7);
    const auto expected = expected_output(m);
    ASSERT_FALSE(expected.empty()) << "no TFLite Micro output for " << m;
    EXPECT_EQ(test::console_scores(r.result.console, r.task.model_id), expected);

    const RegionResult* inf = inference_region(r.result);
    ASSERT_NE(inf, nullptr);
    std::vector<std::uint64_t> macs;
    std::uint64_t total = 0;
    for (const auto& reg : r.result.regions) {
      if (&reg == inf) continue;
      auto it = reg.attrs.find("macs");
      ASSERT_NE(it, reg.attrs.end()) << "layer region without macs=";
      const auto n = std::stoull(it->second);
      total += n;
      if (n) macs.push_back(n);
    }
    std::sort(macs.begin(), macs.end());
    EXPECT_EQ(macs, document_macs(m));
    EXPECT_EQ(total, document_total(m));
  }
}

INSTANTIATE_TEST_SUITE_P(Boards, ImportedModels,
                         ::testing::Values("nucleo-l4r5zi", "nucleo-g0b1re", "ibex-simple"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace mcusim
