#include "mcusim/bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "mcusim/elf_image.h"
#include "mcusim/base/errors.h"
#include "mcusim/report.h"
#include "mcusim/results_doc.h"
#include "mcusim/simulation.h"

namespace mcusim {

const std::vector<TinyTask>& tiny_tasks() {
  // MAC totals: shared/reference/mlperf-tiny.md 1.1 (Conv = Hout*Wout*Cout*Kh*Kw*Cin, DW =
  // Hout*Wout*C*Kh*Kw, FC = in*out; pooling, ADD and softmax not counted).
  static const std::vector<TinyTask> tasks = {
      {"kws", "kws01", 2'656'768}, {"vww", "vww01", 7'489'664}, {"ic", "ic01", 12'501'632}, {"ad", "ad01", 264'192}};
  return tasks;
}

std::vector<BenchRun> run_bench(const BoardConfig& board, const std::vector<TinyTask>& tasks,
                                const std::vector<std::string>& kernels, const std::string& firmware_dir,
                                unsigned jobs, const ProfileOptions* profile, const BenchProgress& progress) {
  std::vector<BenchRun> runs;
  for (auto& t : tasks)
    for (auto& k : kernels)
      runs.push_back({t, k, fmt::format("{}/{}/{}-{}.elf", firmware_dir, board.name, t.name, k), {}, {}});
  std::atomic<std::size_t> next{0};
  // Progress over all runs: each worker's figures of its current run plus those of the runs done.
  std::mutex progress_mutex;
  std::size_t done = 0;
  std::uint64_t done_instructions = 0;
  Cycles done_cycles = 0;
  std::vector<std::pair<std::uint64_t, Cycles>> current(runs.size());
  auto report = [&](std::size_t i, std::uint64_t instructions, Cycles cycles, bool finished) {
    std::lock_guard lock(progress_mutex);
    if (finished) {
      ++done;
      done_instructions += instructions;
      done_cycles += cycles;
      current[i] = {};
    } else {
      current[i] = {instructions, cycles};
    }
    std::uint64_t n = done_instructions;
    Cycles c = done_cycles;
    for (auto& [ci, cc] : current) n += ci, c += cc;
    progress(done, runs.size(), n, c);
  };
  auto worker = [&] {
    for (std::size_t i; (i = next++) < runs.size();) {
      BenchRun& r = runs[i];
      try {
        if (!std::filesystem::exists(r.firmware))
          throw InputError(fmt::format("{}: no such firmware (not built for this board)", r.firmware));
        Simulation sim(board, load_elf(r.firmware));
        RunOptions opts;
        opts.profile = profile;
        if (progress) opts.progress = [&report, i](Cycles c, std::uint64_t n) { report(i, n, c, false); };
        r.result = sim.run(opts);
      } catch (const std::exception& e) {
        r.error = e.what();
      }
      if (progress) report(i, r.result.total.instructions, r.result.total.cycles, true);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned j = 0; j < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(runs.size()))); ++j)
    pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  return runs;
}

namespace {

const Counters& per_inference(const RunResult& r) {
  const RegionResult* inf = inference_region(r);
  return inf ? inf->counters : r.total;
}

const power::EnergyBreakdown& energy_per_inference(const RunResult& r) {
  const RegionResult* inf = inference_region(r);
  return inf ? inf->energy : r.energy;
}

// Digits grouped by thousands (1,234,567), as in `run` and `compare`.
std::string grouped(std::uint64_t v) {
  std::string s = std::to_string(v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

}  // namespace

std::string bench_summary(const std::vector<BenchRun>& runs) {
  std::string out;
  if (runs.empty()) return out;
  out += "MLPerf Tiny, per inference:\n";
  std::size_t w = 5;  // task column: the four tasks, or an imported model's longer name
  for (auto& r : runs) w = std::max(w, r.task.name.size());
  out += fmt::format("  {:<{}} {:<10} {:>13} {:>15} {:>14} {:>9} {:>11} {:>11} {:>8} {:>9} {:>9} {:>8}  {}\n", "task", w,
                     "kernels", "MACs", "instructions", "cycles", "cyc/MAC", "latency ms", "energy uJ", "avg mW",
                     "flash KiB", "SRAM KiB", "speed-up", "outcome");
  for (auto& r : runs) {
    if (!r.error.empty()) {
      out += fmt::format("  {:<{}} {:<10} {:>13}  not run: {}\n", r.task.name, w, r.kernels, grouped(r.task.macs), r.error);
      continue;
    }
    const auto& b = r.result.board;
    const auto& c = per_inference(r.result);
    const auto& e = energy_per_inference(r.result);
    const double s = static_cast<double>(c.cycles) / static_cast<double>(b.clock_hz);
    std::string speedup = "-";
    if (r.kernels == "optimized")
      for (auto& ref : runs)
        if (ref.kernels == "reference" && ref.task.name == r.task.name && c.cycles)
          speedup = fmt::format("{:.2f}x", static_cast<double>(per_inference(ref.result).cycles) / c.cycles);
    std::string outcome = r.result.stop == StopReason::exited && r.result.exit_code == 0
                              ? "ok"
                              : fmt::format("FAILED: {}", r.result.stop_message.empty()
                                                               ? fmt::format("exit status {}", r.result.exit_code)
                                                               : r.result.stop_message);
    out += fmt::format("  {:<{}} {:<10} {:>13} {:>15} {:>14} {:>9.2f} {:>11.3f} {:>11.2f} {:>8.2f} {:>9.1f} {:>9.1f} {:>8}  {}\n",
                       r.task.name, w, r.kernels, grouped(r.task.macs), grouped(c.instructions), grouped(c.cycles),
                       static_cast<double>(c.cycles) / static_cast<double>(r.task.macs), s * 1e3,
                       e.total_pj() * 1e-6, e.average_mw(s), r.result.footprint.flash_total() / 1024.0,
                       r.result.footprint.sram_total() / 1024.0, speedup, outcome);
  }
  return out;
}

nlohmann::ordered_json bench_json(const std::vector<BenchRun>& runs, const Parameters& parameters,
                                  const EntryOptions& options) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (auto& r : runs) {
    ResultEntry e;
    e.parameters = parameters;
    e.task = r.task.name;
    e.kernels = r.kernels;
    e.firmware = r.firmware;
    e.error = r.error;
    entries.push_back(entry_json(e, r.error.empty() ? &r.result : nullptr, options));
  }
  return results_document("bench", nullptr, std::move(entries));
}

}  // namespace mcusim
