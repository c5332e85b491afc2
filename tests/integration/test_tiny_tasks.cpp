// The four MLPerf Tiny tasks with both kernel libraries on nucleo-l4r5zi (issue 3): each exits
// cleanly, both libraries print identical outputs, the layer regions carry the document's MAC
// totals and add up to the inference minus a bounded harness overhead, and the optimized
// library is at least 2x faster than the reference library on every task.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>

#include "ad_model.h"
#include "console_scores.h"
#include "firmware_paths.h"
#include "ic_model.h"
#include "kws_model.h"
#include "net_reference.h"
#include "vww_model.h"
#include "mcusim/bench.h"
#include "mcusim/report.h"

namespace mcusim {
namespace {

class TinyTasks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    runs_ = new std::vector<BenchRun>(
        run_bench(load_board("nucleo-l4r5zi"), tiny_tasks(), {"reference", "optimized"}, MCUSIM_FIRMWARE_DIR, 2));
  }
  static void TearDownTestSuite() { delete runs_; }
  static const BenchRun& get(const std::string& task, const std::string& kernels) {
    for (auto& r : *runs_)
      if (r.task.name == task && r.kernels == kernels) return r;
    throw std::runtime_error("no run " + task + "/" + kernels);
  }
  static std::vector<BenchRun>* runs_;
};
std::vector<BenchRun>* TinyTasks::runs_ = nullptr;

std::vector<int> scores(const BenchRun& r) { return test::console_scores(r.result.console, r.task.model_id); }

const net_model_t& model_of(const std::string& task) {
  static const std::map<std::string, const net_model_t*> models = {
      {"kws", &kws_model}, {"vww", &vww_model}, {"ic", &ic_model}, {"ad", &ad_model}};
  return *models.at(task);
}

class EachTask : public TinyTasks, public ::testing::WithParamInterface<std::string> {};


TEST_P(EachTask, OutputsAreBitIdenticalToTheHostReference) {
  // workloads/net/net_reference.cpp: plain C++ loops, no firmware kernel code.
  const auto expected = net::ReferenceOutput(model_of(GetParam()));
  for (const char* kernels : {"reference", "optimized"}) {
    auto got = scores(get(GetParam(), kernels));
    ASSERT_EQ(got.size(), expected.size()) << kernels;
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i]) << kernels << " output " << i;
  }
}

TEST_P(EachTask, BothLibrariesExitCleanlyWithIdenticalOutputs) {
  const auto& ref = get(GetParam(), "reference");
  const auto& opt = get(GetParam(), "optimized");
  for (auto* r : {&ref, &opt}) {
    ASSERT_EQ(r->error, "") << r->firmware;
    EXPECT_EQ(r->result.stop, StopReason::exited) << r->firmware << ": " << r->result.stop_message;
    EXPECT_EQ(r->result.exit_code, 0) << r->firmware;
  }
  auto a = scores(ref), b = scores(opt);
  EXPECT_FALSE(a.empty()) << ref.result.console;
  EXPECT_EQ(a, b);
}

TEST_P(EachTask, LayerRegionsCarryTheDocumentMacsAndAddUp) {
  for (const char* kernels : {"reference", "optimized"}) {
    SCOPED_TRACE(kernels);
    const auto& run = get(GetParam(), kernels);
    const RegionResult* inf = inference_region(run.result);
    ASSERT_NE(inf, nullptr);
    std::uint64_t macs = 0;
    Cycles layer_cycles = 0;
    int layers = 0;
    for (auto& reg : run.result.regions) {
      if (&reg == inf) continue;
      ++layers;
      layer_cycles += reg.counters.cycles;
      if (auto it = reg.attrs.find("macs"); it != reg.attrs.end()) macs += std::stoull(it->second);
    }
    EXPECT_EQ(macs, run.task.macs);  // mlperf-tiny.md 1.1 totals
    ASSERT_LE(layer_cycles, inf->counters.cycles);
    // Harness overhead: the marker calls and the glue between layers (docs/timing.md) stay below
    // 200 cycles per layer region.
    EXPECT_LT(inf->counters.cycles - layer_cycles, 200u * layers);
  }
}

TEST_P(EachTask, OptimizedIsAtLeastTwiceAsFast) {
  const auto ref = inference_region(get(GetParam(), "reference").result);
  const auto opt = inference_region(get(GetParam(), "optimized").result);
  ASSERT_TRUE(ref && opt);
  EXPECT_GE(static_cast<double>(ref->counters.cycles) / static_cast<double>(opt->counters.cycles), 2.0);
}

// docs/ci.md shows a compare of kws, optimized (baseline) against reference (current): its
// figures must be this build's (issue 11: they were stale).
TEST_F(TinyTasks, DocsCiExampleIsTheRun) {
  auto grouped = [](std::uint64_t v) {
    std::string s = std::to_string(v), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i && (s.size() - i) % 3 == 0) out += ',';
      out += s[i];
    }
    return out;
  };
  const auto* opt = inference_region(get("kws", "optimized").result);
  const auto* ref = inference_region(get("kws", "reference").result);
  ASSERT_TRUE(opt && ref);
  const std::map<std::string, std::pair<std::string, std::string>> want = {
      {"instructions", {grouped(opt->counters.instructions), grouped(ref->counters.instructions)}},
      {"cycles", {grouped(opt->counters.cycles), grouped(ref->counters.cycles)}},
      {"energy", {fmt::format("{:.2f} uJ", opt->energy.total_pj() * 1e-6), fmt::format("{:.2f} uJ", ref->energy.total_pj() * 1e-6)}}};
  std::ifstream doc(data_dir() / "docs" / "ci.md");
  ASSERT_TRUE(doc) << "docs/ci.md not found under " << data_dir();
  static const std::regex row(R"(^  kws +inference +(\w+) +([0-9,.]+(?: uJ)?) +([0-9,.]+(?: uJ)?) .*)");
  std::size_t checked = 0;
  for (std::string line; std::getline(doc, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    auto it = want.find(m[1]);
    if (it == want.end()) continue;
    EXPECT_EQ(m[2].str(), it->second.first) << "docs/ci.md, kws " << m[1] << " baseline (optimized)";
    EXPECT_EQ(m[3].str(), it->second.second) << "docs/ci.md, kws " << m[1] << " current (reference)";
    ++checked;
  }
  EXPECT_EQ(checked, want.size()) << "docs/ci.md: expected the kws instructions, cycles and energy rows";
}

// docs/profiles.md shows `mcusim run kws-optimized.elf --profile kws` on nucleo-l4r5zi: its table's
// first line names the whole run's cycles and instructions, which must be this build's (the
// example was stale after timing changes, issue 14).
TEST_F(TinyTasks, DocsProfilesExampleIsTheRun) {
  const auto& run = get("kws", "optimized").result;
  std::ifstream doc(data_dir() / "docs" / "profiles.md");
  ASSERT_TRUE(doc) << "docs/profiles.md not found under " << data_dir();
  static const std::regex head(R"(^Profile: top 10 functions by exclusive cycles \(of (\d+) cycles, (\d+) instructions\)$)");
  std::size_t found = 0;
  for (std::string line; std::getline(doc, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, head)) continue;
    ++found;
    EXPECT_EQ(std::stoull(m[1].str()), run.total.cycles) << "docs/profiles.md example: whole-run cycles";
    EXPECT_EQ(std::stoull(m[2].str()), run.total.instructions) << "docs/profiles.md example: instructions";
  }
  EXPECT_EQ(found, 1u) << "docs/profiles.md: expected one example table";
}

// docs/tflite.md compares the imported reference models with `mcusim bench`'s hand-described
// networks: "kws optimized N cycles" is the inference region of this build's KWS run.
TEST_F(TinyTasks, DocsTfliteBenchFigureIsTheRun) {
  const auto* opt = inference_region(get("kws", "optimized").result);
  ASSERT_NE(opt, nullptr);
  std::ifstream in(data_dir() / "docs" / "tflite.md");
  ASSERT_TRUE(in) << "docs/tflite.md not found under " << data_dir();
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(doc, m, std::regex(R"(kws\s+optimized\s+([0-9,]+)\s+cycles)")))
      << "docs/tflite.md: expected 'kws optimized N cycles'";
  std::string digits = m[1].str();
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  EXPECT_EQ(std::stoull(digits), opt->counters.cycles) << "docs/tflite.md: mcusim bench kws optimized";
}

INSTANTIATE_TEST_SUITE_P(MlperfTiny, EachTask, ::testing::Values("kws", "vww", "ic", "ad"));

// Every other board (RISC-V: issue 4; the Cortex-M family: issue 5): the same firmware sources
// built for each core produce outputs bit-identical to the host reference; a task whose image
// does not fit a board is reported with the segment that overflows, and the other tasks still
// run. The M0+ boards run the optimized library only (its portable-C fallback: the reference
// library on ARMv6-M adds ~600 M instructions of test time and no new code path).
struct BoardCase {
  std::string board;
  std::vector<std::string> kernels;
};

class OtherBoards : public ::testing::TestWithParam<BoardCase> {};

TEST_P(OtherBoards, OutputsAreBitIdenticalToTheHostReference) {
  const auto& c = GetParam();
  auto runs = run_bench(load_board(c.board), tiny_tasks(), c.kernels, MCUSIM_FIRMWARE_DIR, 2);
  int ran = 0;
  for (auto& r : runs) {
    SCOPED_TRACE(r.firmware);
    if (!r.error.empty()) {
      // Only the 16 KiB DTIM of the HiFive1 is too small (kws, vww, ic activations).
      EXPECT_EQ(c.board, "hifive1-revb");
      EXPECT_NE(r.error.find("lies outside the memory of board hifive1-revb"), std::string::npos) << r.error;
      continue;
    }
    ++ran;
    ASSERT_EQ(r.result.stop, StopReason::exited) << r.result.stop_message;
    EXPECT_EQ(r.result.exit_code, 0);
    EXPECT_EQ(scores(r), [&] {
      auto ref = net::ReferenceOutput(model_of(r.task.name));
      return std::vector<int>(ref.begin(), ref.end());
    }());
  }
  EXPECT_GT(ran, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Boards, OtherBoards,
    ::testing::Values(BoardCase{"ibex-simple", {"reference", "optimized"}}, BoardCase{"esp32-c3", {"reference"}},
                      BoardCase{"picorv32-soc", {"reference"}}, BoardCase{"hifive1-revb", {"reference", "optimized"}},
                      BoardCase{"nucleo-g0b1re", {"optimized"}}, BoardCase{"rp2040", {"optimized"}},
                      BoardCase{"nucleo-f446re", {"reference", "optimized"}},
                      BoardCase{"stm32f746g-disco", {"reference", "optimized"}},
                      BoardCase{"nucleo-h7a3zi-q", {"optimized"}},
                      BoardCase{"nucleo-u575zi-q", {"reference", "optimized"}}),
    [](const auto& info) {
      std::string n = info.param.board;
      for (auto& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

}  // namespace
}  // namespace mcusim
