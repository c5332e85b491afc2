// The runner's arithmetic and protocol handling on canned DUT transcripts. Expected values are
// worked out by hand in the comments (throughput = N / (delta m-lap-us x 1e-6), median of 5).
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "mcusim/base/errors.h"
#include "mcusim/mlperf_runner.h"

namespace mcusim::mlperf {
namespace {

// A DUT that answers each command with canned lines (in order), then m-ready.
struct CannedDut {
  std::deque<std::vector<std::string>> replies;
  std::vector<std::string> sent;
  std::deque<std::string> pending;
  DutLink link() {
    return {[this](std::string_view c) {
              sent.emplace_back(c);
              if (replies.empty()) throw InputError("canned DUT: no reply left");
              for (auto& l : replies.front()) pending.push_back(l + "\r\n");
              pending.push_back("m-ready\r\n");
              replies.pop_front();
            },
            [this] {
              if (pending.empty()) throw InputError("canned DUT: silent");
              auto l = pending.front();
              pending.pop_front();
              return l;
            }};
  }
};

TEST(MlperfRunner, ParsesTheDutLines) {
  EXPECT_EQ(parse_lap_us("m-lap-us-251222283"), 251222283u);
  EXPECT_THROW(parse_lap_us("m-lap-us-12x"), InputError);
  EXPECT_THROW(parse_lap_us("m-lap-ms-12"), InputError);
  EXPECT_EQ(parse_name("m-name-dut-[unspecified]"), "unspecified");
  EXPECT_THROW(parse_name("m-name-dut-unspecified"), InputError);
  // The reference log's KWS result line (mlperf-tiny.md 3.3).
  const auto r = parse_results(
      "m-results-[0.000,0.003,0.000,0.000,0.000,0.761,0.000,0.000,0.000,0.000,0.000,0.234]");
  ASSERT_EQ(r.size(), 12u);
  EXPECT_DOUBLE_EQ(r[1], 0.003);
  EXPECT_DOUBLE_EQ(r[5], 0.761);
  EXPECT_DOUBLE_EQ(r[11], 0.234);
  EXPECT_THROW(parse_results("m-results-[0.1,,0.2]"), InputError);
}

TEST(MlperfRunner, ReferenceLogWindow) {
  // R0.5 reference L4R5 KWS log: infer 100 1, m-lap-us-251222283 then m-lap-us-269414673:
  // 18,192,390 us / 100 = 181.9239 ms per inference; 100 / 18.19239 s = 5.4968039 inf/s.
  InferWindow w;
  w.n = 100;
  w.lap0_us = 251222283;
  w.lap1_us = 269414673;
  EXPECT_DOUBLE_EQ(w.runtime_s(), 18.19239);
  EXPECT_NEAR(w.latency_s(), 0.1819239, 1e-12);
  EXPECT_NEAR(w.throughput(), 5.4968039, 1e-7);
  EXPECT_TRUE(w.meets_runtime_rules());
  w.lap1_us = w.lap0_us + 9'999'999;  // 9.999999 s < 10 s
  EXPECT_FALSE(w.meets_runtime_rules());
}

TEST(MlperfRunner, MedianOfFiveWindows) {
  // Runtimes 10, 12, 8, 20, 16 ms for N = 4 -> throughputs 400, 333.33, 500, 200, 250 inf/s;
  // sorted 200, 250, 333.33, 400, 500 -> median 333.33 (the 12-ms window).
  std::vector<InferWindow> ws;
  for (std::uint64_t ms : {10, 12, 8, 20, 16}) {
    InferWindow w;
    w.n = 4;
    w.lap0_us = 1000;
    w.lap1_us = 1000 + ms * 1000;
    ws.push_back(w);
  }
  EXPECT_NEAR(median_throughput(ws), 4 / 0.012, 1e-9);
  EXPECT_DOUBLE_EQ(median({1, 3, 2, 4}), 2.5);  // even count: mean of the middle two
  EXPECT_THROW(median({}), InputError);
}

TEST(MlperfRunner, DbCommandsFitTheCommandBuffer) {
  std::vector<std::uint8_t> bytes(70);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  const auto c = db_commands(bytes);
  // db load 70, then 32 + 32 + 6 bytes.
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], "db load 70");
  EXPECT_EQ(c[1].size(), 3u + 64u);
  EXPECT_EQ(c[1].substr(0, 9), "db 00070e");  // 0, 7, 14
  // bytes 64..69 = (64..69) x 7 mod 256 = 0xc0, 0xc7, 0xce, 0xd5, 0xdc, 0xe3
  EXPECT_EQ(c[3], "db c0c7ced5dce3");
}

TEST(MlperfRunner, SessionPlaysTheCommandsAndReadsTheWindow) {
  CannedDut dut;
  dut.replies = {
      {"m-name-dut-[mcusim-kws]"},
      {"m-profile-[x]", "m-model-[kws01]"},
      {"m-[Expecting 3 bytes]"},
      {"m-load-done"},
      {"m-warmup-start-1", "m-warmup-done", "m-infer-start-10", "m-lap-us-1000", "m-lap-us-1001000",
       "m-infer-done", "m-results-[0.250,0.750]"},
  };
  Session s(dut.link());
  EXPECT_EQ(s.name(), "mcusim-kws");
  EXPECT_EQ(s.profile(), "kws01");
  s.load({1, 2, 0xff});
  auto w = s.infer(10, 1);
  EXPECT_EQ(dut.sent, (std::vector<std::string>{"name%", "profile%", "db load 3%", "db 0102ff%",
                                                "infer 10 1%"}));
  EXPECT_EQ(w.lap1_us - w.lap0_us, 1'000'000u);
  EXPECT_DOUBLE_EQ(w.throughput(), 10.0);  // 10 / 1.000000 s
  EXPECT_EQ(w.results, (std::vector<double>{0.25, 0.75}));
}

TEST(MlperfRunner, ErrorsAndMissingTimestampsAreReported) {
  CannedDut dut;
  dut.replies = {{"e-[Unknown command: nmae]"},
                 {"m-warmup-start-0", "m-warmup-done", "m-infer-start-1", "m-lap-us-5",
                  "m-infer-done", "m-results-[1.000]"}};
  Session s(dut.link());
  try {
    s.command("nmae");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown command"), std::string::npos);
  }
  try {
    s.infer(1, 0);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 m-lap-us"), std::string::npos) << e.what();
  }
}

TEST(MlperfRunner, EnergyFramingUsesFallingEdges) {
  // Pin idles high; pulses low at 100..150 and 900..950; a rising edge alone is not a timestamp.
  const std::vector<std::pair<std::uint64_t, bool>> edges = {
      {100, false}, {150, true}, {900, false}, {950, true}, {960, true}};
  EXPECT_EQ(falling_edges(edges), (std::vector<std::uint64_t>{100, 900}));
}

TEST(MlperfRunner, TaskFacts) {
  EXPECT_EQ(task_info(parse_task("kws")).input_bytes, 490u);
  EXPECT_EQ(task_info(parse_task("vww01")).input_bytes, 27648u);
  EXPECT_EQ(task_info(Task::ad).perf_n, 1500u);
  EXPECT_EQ(task_info(Task::ic).energy_w, 0u);
  EXPECT_THROW(parse_task("kws2"), InputError);
}

// The runner's accuracy summary (benchmark/runner/main.py), hand-computed cases.
TEST(Accuracy, TwoClassFilesTop1AndAucWithATie) {
  // A: two inferences [0.1, 0.9], [0.3, 0.7] -> mean [0.2, 0.8], label 1 (right).
  // B: [1.4, 0.6] normalized to [0.7, 0.3], label 0 (right). C: [0.7, 0.3], label 1 (wrong).
  // D: [0.9, 0.1], label 0 (right). Top-1 = 3 / 4 = 75 %.
  // AUC on column 1: positives A 0.8, C 0.3; negatives B 0.3, D 0.1: pairs (A,B) 1, (A,D) 1,
  // (C,B) tie 1/2, (C,D) 1 -> 3.5 / 4 = 0.875.
  const std::vector<std::string> files = {"a.bin", "a.bin", "b.bin", "c.bin", "d.bin"};
  const std::vector<std::vector<double>> res = {{0.1, 0.9}, {0.3, 0.7}, {1.4, 0.6}, {0.7, 0.3}, {0.9, 0.1}};
  const std::map<std::string, int> labels = {{"a.bin", 1}, {"b.bin", 0}, {"c.bin", 1}, {"d.bin", 0}};
  const auto s = score_accuracy(files, res, labels);
  ASSERT_EQ(s.files.size(), 4u);
  EXPECT_NEAR(s.files[0].prediction[1], 0.8, 1e-12);
  EXPECT_NEAR(s.files[1].prediction[0], 0.7, 1e-12);
  EXPECT_DOUBLE_EQ(s.top1_percent, 75.0);
  ASSERT_TRUE(s.auc);
  EXPECT_DOUBLE_EQ(*s.auc, 0.875);
}

TEST(Accuracy, MultiClassOneVsRestAndMissingClasses) {
  // Three classes, three files, f3 predicted 2 but labelled 1: Top-1 2/3. Each class's column
  // ranks its own file highest: one-vs-rest AUC 1 per class, macro mean 1.
  const std::map<std::string, int> labels = {{"f1", 0}, {"f2", 2}, {"f3", 1}};
  auto s = score_accuracy({"f1", "f2", "f3"}, {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}, {0.2, 0.35, 0.45}}, labels);
  EXPECT_NEAR(s.top1_percent, 200.0 / 3, 1e-12);
  ASSERT_TRUE(s.auc);
  EXPECT_DOUBLE_EQ(*s.auc, 1.0);
  // Two labels for three result values: sklearn's one-vs-rest AUC is undefined.
  s = score_accuracy({"f1", "f3"}, {{0.7, 0.2, 0.1}, {0.2, 0.35, 0.45}}, labels);
  EXPECT_FALSE(s.auc);
  EXPECT_FALSE(s.auc_note.empty());
  EXPECT_THROW(score_accuracy({"nope"}, {{0.5, 0.5}}, labels), InputError);
}

TEST(Accuracy, AnomalyScoreThresholdSweep) {
  // Normal file mean score 1.0 (windows 0.5 and 1.5), anomalous 3.0: at the lowest threshold
  // (1.0, not above it) only the anomalous file is flagged: precision = recall = 1 (1e-8
  // guards): Top-1 ~ 100; AUC 1.
  const auto s = score_accuracy({"n", "n", "x"}, {{0.5}, {1.5}, {3.0}}, {{"n", 0}, {"x", 1}});
  EXPECT_NEAR(s.files[0].prediction[0], 1.0, 1e-12);
  EXPECT_NEAR(s.top1_percent, 100.0, 1e-5);
  ASSERT_TRUE(s.auc);
  EXPECT_DOUBLE_EQ(*s.auc, 1.0);
}

}  // namespace
}  // namespace mcusim::mlperf
