#include "mcusim/mlperf_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>

#include "mcusim/base/errors.h"

namespace mcusim::mlperf {
namespace {

// mlperf-tiny.md 1.1 (raw input bytes sent by the runner) and 3.4 (tests_*.yaml).
constexpr std::array<TaskInfo, 4> kTasks = {{
    {Task::kws, "kws", "kws01", 490, 12, 70, 10, 70, 10},
    {Task::vww, "vww", "vww01", 27648, 2, 20, 5, 20, 5},
    {Task::ic, "ic", "ic01", 3072, 10, 20, 5, 20, 0},
    {Task::ad, "ad", "ad01", 2560, 1, 1500, 10, 1500, 0},
}};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string_view bracket(std::string_view line, std::string_view prefix) {
  if (!starts_with(line, prefix) || line.size() < prefix.size() + 2 || line[prefix.size()] != '[' ||
      line.back() != ']')
    throw InputError(fmt::format("DUT line '{}': expected {}[...]", line, prefix));
  return line.substr(prefix.size() + 1, line.size() - prefix.size() - 2);
}

}  // namespace

const TaskInfo& task_info(Task t) {
  return kTasks[static_cast<std::size_t>(t)];
}

Task parse_task(std::string_view name) {
  for (const auto& t : kTasks)
    if (name == t.name || name == t.model) return t.task;
  throw InputError(fmt::format("--task '{}': expected kws, vww, ic or ad", name));
}

std::vector<std::string> db_commands(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::string> out;
  out.push_back(fmt::format("db load {}", bytes.size()));
  for (std::size_t i = 0; i < bytes.size(); i += kDbChunkBytes) {
    std::string cmd = "db ";
    for (std::size_t j = i; j < std::min(bytes.size(), i + kDbChunkBytes); ++j)
      cmd += fmt::format("{:02x}", bytes[j]);
    out.push_back(std::move(cmd));
  }
  return out;
}

std::uint64_t parse_lap_us(std::string_view line) {
  constexpr std::string_view p = "m-lap-us-";
  if (!starts_with(line, p))
    throw InputError(fmt::format("DUT line '{}': expected m-lap-us-<us>", line));
  auto num = line.substr(p.size());
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (ec != std::errc() || end != num.data() + num.size() || num.empty())
    throw InputError(fmt::format("DUT line '{}': the timestamp is not a whole number of us", line));
  return v;
}

std::vector<double> parse_results(std::string_view line) {
  auto body = bracket(line, "m-results-");
  std::vector<double> out;
  while (!body.empty()) {
    auto comma = body.find(',');
    auto item = body.substr(0, comma);
    // trim spaces
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size() || item.empty())
      throw InputError(fmt::format("DUT line '{}': '{}' is not a number", line, item));
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return out;
}

std::string parse_name(std::string_view line) {
  return std::string(bracket(line, "m-name-dut-"));
}

double median(std::vector<double> v) {
  if (v.empty()) throw InputError("median of no windows");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double median_throughput(const std::vector<InferWindow>& windows) {
  std::vector<double> t;
  for (const auto& w : windows) t.push_back(w.throughput());
  return median(std::move(t));
}

std::string Session::read() {
  std::string line = link_.read_line();
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  transcript_.push_back(line);
  return line;
}

std::vector<std::string> Session::wait_ready() {
  std::vector<std::string> lines;
  for (;;) {
    auto l = read();
    if (l == "m-ready") return lines;
    lines.push_back(l);
  }
}

std::vector<std::string> Session::command(std::string_view cmd) {
  link_.send(fmt::format("{}%", cmd));
  auto lines = wait_ready();
  for (const auto& l : lines)
    if (starts_with(l, "e-"))
      throw InputError(fmt::format("DUT answered command '{}%' with '{}'", cmd, l));
  return lines;
}

std::string Session::name() {
  for (const auto& l : command("name"))
    if (starts_with(l, "m-name-dut-")) return parse_name(l);
  throw InputError("DUT did not answer name% with m-name-dut-[...]");
}

std::string Session::profile() {
  for (const auto& l : command("profile"))
    if (starts_with(l, "m-model-")) return std::string(bracket(l, "m-model-"));
  return {};
}

void Session::load(const std::vector<std::uint8_t>& bytes) {
  bool done = false;
  for (const auto& c : db_commands(bytes))
    for (const auto& l : command(c))
      if (l == "m-load-done") done = true;
  if (!done)
    throw InputError(fmt::format("DUT did not print m-load-done after {} bytes", bytes.size()));
}

InferWindow Session::infer_untimed(std::uint32_t n, std::uint32_t w) {
  InferWindow win;
  win.n = n;
  win.warmup = w;
  std::vector<std::uint64_t> laps;
  for (const auto& l : command(fmt::format("infer {} {}", n, w))) {
    if (starts_with(l, "m-lap-us-")) laps.push_back(parse_lap_us(l));
    if (starts_with(l, "m-results-")) win.results = parse_results(l);
  }
  if (laps.size() == 2) {
    win.lap0_us = laps[0];
    win.lap1_us = laps[1];
  }
  return win;
}

InferWindow Session::infer(std::uint32_t n, std::uint32_t w) {
  const auto before = transcript_.size();
  auto win = infer_untimed(n, w);
  std::size_t laps = 0;
  for (std::size_t i = before; i < transcript_.size(); ++i)
    if (starts_with(transcript_[i], "m-lap-us-")) ++laps;
  if (laps != 2)
    throw InputError(fmt::format(
        "DUT printed {} m-lap-us timestamps for 'infer {} {}%', expected 2 (performance mode)",
        laps, n, w));
  if (win.lap1_us < win.lap0_us)
    throw InputError(fmt::format("DUT timestamps go backwards: m-lap-us-{} then m-lap-us-{}",
                                 win.lap0_us, win.lap1_us));
  return win;
}

std::vector<double> Session::results() {
  for (const auto& l : command("results"))
    if (starts_with(l, "m-results-")) return parse_results(l);
  throw InputError("DUT did not answer results% with m-results-[...]");
}

std::vector<InferWindow> run_windows(Session& s,
                                     const std::vector<std::vector<std::uint8_t>>& inputs,
                                     std::uint32_t windows, std::uint32_t n, std::uint32_t w,
                                     bool timed) {
  if (inputs.empty()) throw InputError("no input tensors for the windows");
  std::vector<InferWindow> out;
  for (std::uint32_t i = 0; i < windows; ++i) {
    s.load(inputs[i % inputs.size()]);
    out.push_back(timed ? s.infer(n, w) : s.infer_untimed(n, w));
  }
  return out;
}

std::vector<std::uint64_t> falling_edges(const std::vector<std::pair<std::uint64_t, bool>>& edges) {
  std::vector<std::uint64_t> out;
  bool level = true;  // the timestamp pin idles high (the DUT pulls it low to mark time)
  for (const auto& [cycle, high] : edges) {
    if (level && !high) out.push_back(cycle);
    level = high;
  }
  return out;
}

namespace {

// sklearn's roc_auc_score for one binary problem: the Mann-Whitney statistic with average ranks
// for ties (equal scores count 1/2). Empty when a side has no sample.
std::optional<double> binary_auc(const std::vector<int>& positive, const std::vector<double>& score) {
  const std::size_t n = score.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return score[a] < score[b]; });
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && score[order[j + 1]] == score[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;  // 1-based mean rank
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  double pos = 0, sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (positive[i]) {
      ++pos;
      sum += rank[i];
    }
  const double neg = static_cast<double>(n) - pos;
  if (pos == 0 || neg == 0) return std::nullopt;
  return (sum - pos * (pos + 1) / 2) / (pos * neg);
}

}  // namespace

std::map<std::string, int> read_labels(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read the label file", path));
  std::map<std::string, int> labels;
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::size_t pos = 0;
    for (;;) {
      const auto comma = line.find(',', pos);
      f.push_back(line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    int cls = 0;
    const auto& c = f.size() >= 3 ? f[2] : std::string();
    const auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), cls);
    if (f.size() < 3 || f[0].empty() || ec != std::errc() || p != c.data() + c.size() || cls < 0)
      throw InputError(fmt::format("{} line {}: '{}': expected file,classes,true_class (a class >= 0)", path,
                                   no, line));
    labels[f[0]] = cls;
  }
  return labels;
}

AccuracySummary score_accuracy(const std::vector<std::string>& files,
                               const std::vector<std::vector<double>>& results,
                               const std::map<std::string, int>& labels) {
  AccuracySummary s;
  std::map<std::string, std::size_t> index;  // file -> position in s.files (first seen order)
  std::vector<std::size_t> counts;
  std::size_t width = 0;
  for (std::size_t i = 0; i < files.size() && i < results.size(); ++i) {
    auto r = results[i];
    if (width == 0) width = r.size();
    if (r.size() != width || width == 0)
      throw InputError(fmt::format("{}: {} result values, the first file had {}", files[i], r.size(), width));
    if (r.size() > 1) {
      const double total = std::accumulate(r.begin(), r.end(), 0.0);
      if (total != 0)
        for (auto& v : r) v /= total;
    }
    auto it = index.find(files[i]);
    if (it == index.end()) {
      const auto l = labels.find(files[i]);
      if (l == labels.end()) throw InputError(fmt::format("{}: not in the label file (y_labels.csv)", files[i]));
      it = index.emplace(files[i], s.files.size()).first;
      s.files.push_back({files[i], l->second, std::vector<double>(width, 0.0), 0});
      counts.push_back(0);
    }
    for (std::size_t k = 0; k < width; ++k) s.files[it->second].prediction[k] += r[k];
    ++counts[it->second];
  }
  if (s.files.empty()) throw InputError("accuracy: no results to score");
  for (std::size_t f = 0; f < s.files.size(); ++f) {
    auto& fs = s.files[f];
    for (auto& v : fs.prediction) v /= static_cast<double>(counts[f]);
    fs.predicted_class = static_cast<int>(std::max_element(fs.prediction.begin(), fs.prediction.end()) -
                                          fs.prediction.begin());
  }
  const std::size_t n = s.files.size();
  if (width == 1) {  // anomaly score: the threshold sweep of calculate_accuracy
    double lo = s.files[0].prediction[0], hi = lo;
    for (auto& f : s.files) {
      lo = std::min(lo, f.prediction[0]);
      hi = std::max(hi, f.prediction[0]);
    }
    double best = 0;
    for (int k = 0; k < 100; ++k) {
      const double thr = lo + 0.01 * k * (hi - lo);
      double tp = 0, fp = 0, fn = 0;
      for (auto& f : s.files) {
        const bool anomalous = f.prediction[0] > thr;
        if (f.true_class == 0 && anomalous) ++fp;
        if (f.true_class == 1 && anomalous) ++tp;
        if (f.true_class == 1 && !anomalous) ++fn;
      }
      const double precision = tp / (tp + fp + 1e-8), recall = tp / (tp + fn + 1e-8);
      best = std::max(best, 100 * (precision + recall) / 2);
    }
    s.top1_percent = best;
  } else {
    std::size_t correct = 0;
    for (auto& f : s.files) correct += f.predicted_class == f.true_class;
    s.top1_percent = 100.0 * static_cast<double>(correct) / static_cast<double>(n);
  }
  // AUC.
  std::vector<int> classes;
  for (auto& f : s.files) classes.push_back(f.true_class);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (width <= 2) {
    std::vector<int> pos;
    std::vector<double> score;
    for (auto& f : s.files) {
      pos.push_back(f.true_class == 1);
      score.push_back(f.prediction[width - 1]);
    }
    s.auc = binary_auc(pos, score);
    if (!s.auc) s.auc_note = "the files have only one class";
  } else if (classes.size() != width) {
    s.auc_note = fmt::format("{} distinct labels for {} result values (sklearn's one-vs-rest AUC needs every class)",
                             classes.size(), width);
  } else {
    double sum = 0;
    for (std::size_t c = 0; c < width; ++c) {
      std::vector<int> pos;
      std::vector<double> score;
      for (auto& f : s.files) {
        pos.push_back(f.true_class == classes[c]);
        score.push_back(f.prediction[c]);
      }
      const auto a = binary_auc(pos, score);
      if (!a) {
        s.auc_note = fmt::format("class {} has no positive or no negative file", classes[c]);
        return s;
      }
      sum += *a;
    }
    s.auc = sum / static_cast<double>(width);
  }
  return s;
}

}  // namespace mcusim::mlperf
