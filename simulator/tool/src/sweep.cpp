#include "mcusim/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/report.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

// Splits at commas outside brackets, braces and quotes (TOML arrays and strings stay whole).
std::vector<std::string> split_values(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(cur);
  return out;
}

ojson sweep_object(const std::string& board, const SweepSpec& spec, std::size_t configs, std::size_t rows,
                   std::optional<Shard> shard) {
  ojson axes = ojson::array();
  for (auto& a : spec.axes) axes.push_back({{"key", a.key}, {"values", a.values}});
  ojson tasks = ojson::array();
  for (auto& t : spec.tasks) tasks.push_back(t.name);
  ojson s;
  s["board"] = board;
  s["axes"] = axes;
  s["tasks"] = tasks;
  s["kernels"] = spec.kernels;
  s["configurations"] = configs;
  s["rows"] = rows;
  s["shard"] = shard ? ojson{{"index", shard->index}, {"count", shard->count}} : ojson();
  return s;
}

}  // namespace

SweepAxis parse_sweep_axis(const std::string& spec) {
  auto [key, list] = split_parameter(spec);
  SweepAxis axis{key, {}};
  static const std::regex range(R"(^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*(?::\s*(\d+))?\s*$)");
  for (auto& item : split_values(list)) {
    if (item.empty()) throw InputError(fmt::format("--set '{}': empty value in the list", spec));
    std::smatch m;
    if (item.find("..") != std::string::npos && item.front() != '"' && item.front() != '[') {
      if (!std::regex_match(item, m, range))
        throw InputError(fmt::format("--set '{}': '{}' is not a range like 0..5 or 0..20:4", spec, item));
      const long long lo = std::stoll(m[1]), hi = std::stoll(m[2]);
      const long long step = m[3].matched ? std::stoll(m[3]) : 1;
      if (step <= 0 || hi < lo)
        throw InputError(fmt::format("--set '{}': range '{}' needs first <= last and a positive step", spec, item));
      if ((hi - lo) / step >= 100000)
        throw InputError(fmt::format("--set '{}': range '{}' has more than 100000 values", spec, item));
      for (long long v = lo; v <= hi; v += step) axis.values.push_back(std::to_string(v));
    } else {
      axis.values.push_back(item);
    }
  }
  return axis;
}

std::size_t configuration_count(const std::vector<SweepAxis>& axes) {
  std::size_t n = 1;
  for (auto& a : axes) {
    if (a.values.empty()) throw InputError(fmt::format("--set {}: no values", a.key));
    if (n > kMaxSweepRows / a.values.size())
      throw InputError(fmt::format("the sweep has more than {} configurations (the product of the --set value "
                                   "counts); split it into several sweeps",
                                   kMaxSweepRows));
    n *= a.values.size();
  }
  return n;
}

Parameters configuration_parameters(const std::vector<SweepAxis>& axes, std::size_t index) {
  Parameters p(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    const auto n = axes[i].values.size();
    p[i] = {axes[i].key, axes[i].values[index % n]};
    index /= n;
  }
  return p;
}

Shard parse_shard(const std::string& text) {
  static const std::regex re(R"(^(\d{1,9})/(\d{1,9})$)");
  std::smatch m;
  if (std::regex_match(text, m, re)) {
    Shard s{std::stoul(m[1]), std::stoul(m[2])};
    if (s.count >= 1 && s.index >= 1 && s.index <= s.count && s.count <= kMaxShards) return s;
  }
  throw InputError(
      fmt::format("--shard '{}': expected I/N with 1 <= I <= N <= {}, e.g. 3/8", text, kMaxShards));
}

std::pair<std::size_t, std::size_t> shard_rows(std::size_t rows, Shard s) {
  return {rows * (s.index - 1) / s.count, rows * s.index / s.count};
}

ojson run_sweep(const SweepSpec& spec) {
  const BoardConfig base = load_board(spec.board);  // the board itself must load
  const std::size_t configs = configuration_count(spec.axes);
  const std::size_t per_config = spec.tasks.size() * spec.kernels.size();
  if (per_config == 0 || configs > kMaxSweepRows / per_config)
    throw InputError(fmt::format("the sweep has {} configurations x {} task/kernel runs, more than {} rows; split it",
                                 configs, per_config, kMaxSweepRows));
  const std::size_t total_rows = configs * per_config;
  // Not a structured binding: clang (C++20) cannot capture those in the lambdas below.
  const auto range = shard_rows(total_rows, spec.shard);
  const std::size_t first = range.first, last = range.second;

  // Boards of the configurations this shard touches, loaded up front (cheap, and deterministic).
  struct Config {
    Parameters params;
    std::optional<BoardConfig> board;
    std::string error;
  };
  std::vector<std::optional<Config>> boards(configs);
  for (std::size_t r = first; r < last; ++r) {
    const std::size_t c = r / per_config;
    if (boards[c]) continue;
    Config cfg;
    cfg.params = configuration_parameters(spec.axes, c);
    std::vector<std::string> sets;
    for (auto& [k, v] : cfg.params) sets.push_back(k + "=" + v);
    try {
      cfg.board = load_board(spec.board, sets);
    } catch (const InputError& e) {
      cfg.error = fmt::format("invalid configuration: {}", e.what());
    }
    boards[c] = std::move(cfg);
  }

  std::vector<ojson> rows(last - first);
  std::atomic<std::size_t> next{first}, done{0}, errors{0};
  std::atomic<std::uint64_t> simulated_ns{0};  // simulated time of the finished rows, ns (progress display)
  std::mutex progress_mutex;
  const auto started = std::chrono::steady_clock::now();
  auto report_progress = [&](bool final) {
    if (!spec.progress) return;
    std::lock_guard lock(progress_mutex);
    // Host time for the display only (elapsed, ETA); nothing of it reaches the results.
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::size_t n = done.load(), rows = last - first;
    const std::string eta =
        n && n < rows ? fmt::format(", ETA {:.0f} s", secs / static_cast<double>(n) * static_cast<double>(rows - n)) : "";
    std::cerr << fmt::format("\r\033[Ksweep: {}/{} rows done, {} not ok, {:.3f} s simulated, {:.0f} s{}", n, rows,
                             errors.load(), simulated_ns.load() * 1e-9, secs, eta)
              << (final ? "\n" : "") << std::flush;
  };
  EntryOptions opts = spec.entry_options;
  opts.strip_prefixes.push_back(spec.firmware_dir);
  opts.strip_prefixes.push_back(data_dir().string());
  for (auto& [name, dir] : spec.model_firmware_dirs) opts.strip_prefixes.push_back(dir);
  // A board given by path: its directory is a host path too ("no host paths" in the results).
  if (base.file.has_parent_path()) {
    std::error_code ec;
    opts.strip_prefixes.push_back(base.file.parent_path().string());
    const auto abs = std::filesystem::absolute(base.file.parent_path(), ec);
    if (!ec) opts.strip_prefixes.push_back(abs.string());
  }

  auto worker = [&] {
    for (std::size_t r; (r = next++) < last;) {
      const Config& cfg = *boards[r / per_config];
      const TinyTask& task = spec.tasks[(r / spec.kernels.size()) % spec.tasks.size()];
      const std::string& kernels = spec.kernels[r % spec.kernels.size()];
      ResultEntry e;
      e.configuration = r / per_config;
      e.parameters = cfg.params;
      e.task = task.name;
      e.kernels = kernels;
      const auto model_dir = spec.model_firmware_dirs.find(task.name);
      e.firmware = fmt::format("{}/{}/{}-{}.elf",
                               model_dir == spec.model_firmware_dirs.end() ? spec.firmware_dir : model_dir->second,
                               base.name, task.name, kernels);
      std::optional<RunResult> result;
      if (!cfg.board) {
        e.error = cfg.error;
      } else {
        try {
          if (!std::filesystem::exists(e.firmware))
            throw InputError(fmt::format("{}: no such firmware (not built for this board)", e.firmware));
          Simulation sim(*cfg.board, load_elf(e.firmware));
          result = sim.run({});
          result->firmware = e.firmware;
        } catch (const std::exception& ex) {
          e.error = ex.what();
        }
      }
      rows[r - first] = entry_json(e, result ? &*result : nullptr, opts);
      if (result) simulated_ns += static_cast<std::uint64_t>(result->seconds() * 1e9);
      if (!result || result->stop != StopReason::exited || result->exit_code != 0) ++errors;
      ++done;
      report_progress(false);
    }
  };
  std::vector<std::thread> pool;
  const unsigned n = std::max(1u, std::min<unsigned>(spec.jobs, static_cast<unsigned>(std::max<std::size_t>(1, last - first))));
  for (unsigned j = 0; j < n; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  report_progress(true);

  ojson entries = ojson::array();
  for (auto& r : rows) entries.push_back(std::move(r));
  const bool sharded = spec.shard.count > 1;
  return results_document("sweep", sweep_object(base.name, spec, configs, total_rows,
                                                sharded ? std::optional<Shard>(spec.shard) : std::nullopt),
                          std::move(entries));
}

ojson merge_sweeps(const std::vector<ojson>& docs, const std::vector<std::string>& files) {
  if (docs.empty()) throw InputError("merge: no shard files given");
  auto name = [&](std::size_t i) { return i < files.size() ? files[i] : fmt::format("shard {}", i + 1); };
  for (std::size_t i = 0; i < docs.size(); ++i)
    if (docs[i].at("command") != "sweep" || !docs[i].at("sweep").is_object())
      throw InputError(fmt::format("{}: command: not a sweep result (found \"{}\")", name(i),
                                   docs[i].at("command").get<std::string>()));
  // Everything but the shard must agree.
  auto common = [](const ojson& d) {
    ojson s = d.at("sweep");
    s.erase("shard");
    return ojson{{"mcusim_version", d.at("mcusim_version")}, {"sweep", s}};
  };
  const ojson ref = common(docs[0]);
  const ojson& ref_shard = docs[0].at("sweep").at("shard");
  const std::size_t count = ref_shard.is_null() ? 1 : ref_shard.at("count").get<std::size_t>();
  if (count < 1 || count > kMaxShards)
    throw InputError(fmt::format("{}: sweep.shard.count {} is outside 1..{}", name(0), count, kMaxShards));
  if (docs.size() > count)
    throw InputError(fmt::format("merge: {} files for a sweep of {} shard(s)", docs.size(), count));
  std::vector<std::string> seen(count + 1);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const ojson c = common(docs[i]);
    for (auto& [k, v] : ref.at("sweep").items())
      if (c.at("sweep").value(k, ojson()) != v)
        throw InputError(fmt::format("{}: sweep.{} differs from {} (shards of different sweeps?)", name(i), k, name(0)));
    if (c.at("mcusim_version") != ref.at("mcusim_version"))
      throw InputError(fmt::format("{}: mcusim_version {} differs from {} in {}", name(i), c.at("mcusim_version").dump(),
                                   ref.at("mcusim_version").dump(), name(0)));
    const ojson& sh = docs[i].at("sweep").at("shard");
    const std::size_t idx = sh.is_null() ? 1 : sh.at("index").get<std::size_t>();
    const std::size_t cnt = sh.is_null() ? 1 : sh.at("count").get<std::size_t>();
    if (cnt != count)
      throw InputError(fmt::format("{}: sweep.shard.count {} differs from {} in {}", name(i), cnt, count, name(0)));
    if (idx < 1 || idx > count)
      throw InputError(fmt::format("{}: sweep.shard.index {} is outside 1..{}", name(i), idx, count));
    if (!seen[idx].empty())
      throw InputError(fmt::format("{}: shard {}/{} is also in {}", name(i), idx, count, seen[idx]));
    seen[idx] = name(i);
  }
  std::vector<std::string> missing;
  for (std::size_t i = 1; i <= count; ++i)
    if (seen[i].empty()) missing.push_back(fmt::format("{}/{}", i, count));
  if (!missing.empty()) throw InputError(fmt::format("merge: missing shard(s) {}", fmt::join(missing, ", ")));

  const ojson& sweep = docs[0].at("sweep");
  std::vector<std::string> tasks = sweep.at("tasks"), kernels = sweep.at("kernels");
  // The sweep's sizes must agree with its axes, tasks and kernels, within the bounds of a sweep.
  std::vector<SweepAxis> axes;
  for (auto& a : sweep.at("axes")) axes.push_back({a.at("key").get<std::string>(), a.at("values").get<std::vector<std::string>>()});
  std::size_t configs = 1;
  for (auto& a : axes) {
    if (a.values.empty())
      throw InputError(fmt::format("{}: sweep.axes: axis '{}' has no values", name(0), a.key));
    if (configs > kMaxSweepRows / a.values.size())
      throw InputError(fmt::format("{}: sweep.axes: more than {} configurations", name(0), kMaxSweepRows));
    configs *= a.values.size();
  }
  if (sweep.at("configurations").get<std::uint64_t>() != configs)
    throw InputError(fmt::format("{}: sweep.configurations {} differs from the product of the axes' value counts {}",
                                 name(0), sweep.at("configurations").dump(), configs));
  if (tasks.empty() || kernels.empty())
    throw InputError(fmt::format("{}: sweep.tasks and sweep.kernels must not be empty", name(0)));
  if (configs > kMaxSweepRows / (tasks.size() * kernels.size()) ||
      sweep.at("rows").get<std::uint64_t>() != configs * tasks.size() * kernels.size())
    throw InputError(fmt::format("{}: sweep.rows {} is not configurations x tasks x kernels = {} x {} x {} (at most {})",
                                 name(0), sweep.at("rows").dump(), configs, tasks.size(), kernels.size(),
                                 kMaxSweepRows));
  auto order = [&](const ojson& e) {
    auto pos = [](const std::vector<std::string>& v, const std::string& x) {
      return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
    };
    return std::tuple(e.at("configuration").get<std::size_t>(), pos(tasks, e.at("task")), pos(kernels, e.at("kernels")));
  };
  std::vector<ojson> rows;
  for (std::size_t i = 0; i < docs.size(); ++i)
    for (auto& e : docs[i].at("results")) {
      auto [c, t, k] = order(e);
      if (t >= tasks.size() || k >= kernels.size() || c >= configs)
        throw InputError(fmt::format("{}: result for {} ({}) configuration {} is not part of the sweep", name(i),
                                     e.at("task").get<std::string>(), e.at("kernels").get<std::string>(), c));
      // The row's parameters must be those of its configuration index.
      ojson want = ojson::object();
      for (auto& [key, value] : configuration_parameters(axes, c)) want[key] = value;
      if (e.at("parameters") != want)
        throw InputError(fmt::format("{}: result for {} ({}) configuration {}: parameters {} are not the "
                                     "configuration's {}", name(i), e.at("task").get<std::string>(),
                                     e.at("kernels").get<std::string>(), c, e.at("parameters").dump(), want.dump()));
      if (rows.size() >= configs * tasks.size() * kernels.size())
        throw InputError(fmt::format("{}: more result rows than the sweep's {}", name(i), configs * tasks.size() * kernels.size()));
      rows.push_back(e);
    }
  std::stable_sort(rows.begin(), rows.end(), [&](const ojson& a, const ojson& b) { return order(a) < order(b); });
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (order(rows[i]) == order(rows[i - 1]))
      throw InputError(fmt::format("merge: configuration {} task {} ({}) appears twice",
                                   rows[i].at("configuration").get<std::size_t>(), rows[i].at("task").get<std::string>(),
                                   rows[i].at("kernels").get<std::string>()));
  const std::size_t expected = sweep.at("rows");
  if (rows.size() != expected)
    throw InputError(fmt::format("merge: {} rows, the sweep has {}", rows.size(), expected));

  ojson merged = docs[0];
  merged["sweep"]["shard"] = nullptr;
  ojson entries = ojson::array();
  for (auto& r : rows) entries.push_back(std::move(r));
  merged["results"] = std::move(entries);
  return merged;
}

}  // namespace mcusim
