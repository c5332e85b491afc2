#include "mcusim/mlperf_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

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

}  // namespace mcusim::mlperf
