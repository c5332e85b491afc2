// Per-function profiles (issue 18, part 1) on the anomaly-detection firmware (10 fully connected
// layers, optimized kernels) on nucleo-l4r5zi: exclusive figures add up to the run's totals, the
// call tree follows the firmware's calls (expected from its source: net_run_layer calls
// nn_fully_connected_s8 once per layer, 10 layers), profiling changes no result, and the two files
// have the structure their formats document:
//  * speedscope: https://www.speedscope.app/file-format-schema.json (SampledProfile: type,
//    name, unit, startValue, endValue, samples = arrays of frame indices, weights);
//  * trace-event JSON: Chrome's "Trace Event Format" document (traceEvents; ph "X" complete
//    events with ts/dur in microseconds, "C" counter events with numeric args, "M" metadata).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <iostream>
#include <set>

#include "firmware_paths.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/profile.h"
#include "mcusim/profile_formats.h"
#include "mcusim/simulation.h"

namespace mcusim {
namespace {

using json = nlohmann::json;

const char* kElf = MCUSIM_FIRMWARE_DIR "/nucleo-l4r5zi/ad-optimized.elf";

struct Runs {
  RunResult plain, profiled;
};

const Runs& runs() {
  static const Runs r = [] {
    const BoardConfig board = load_board("nucleo-l4r5zi");
    Runs out;
    {
      Simulation sim(board, load_elf(kElf));
      out.plain = sim.run({});
    }
    ProfileOptions po;
    RunOptions ro;
    ro.profile = &po;
    Simulation sim(board, load_elf(kElf));
    out.profiled = sim.run(ro);
    return out;
  }();
  return r;
}

const Profile& profile() { return *runs().profiled.profile; }

std::size_t function_index(const Profile& p, const std::string& name) {
  for (std::size_t i = 0; i < p.functions.size(); ++i)
    if (p.functions[i].name == name) return i;
  ADD_FAILURE() << "no function " << name;
  return 0;
}

TEST(Profile, RunsCleanAndChangesNoResult) {
  const auto& r = runs();
  ASSERT_EQ(r.plain.stop, StopReason::exited);
  ASSERT_EQ(r.profiled.stop, StopReason::exited);
  ASSERT_TRUE(r.profiled.profile);
  EXPECT_FALSE(r.plain.profile);
  EXPECT_EQ(r.profiled.total.cycles, r.plain.total.cycles);
  EXPECT_EQ(r.profiled.total.instructions, r.plain.total.instructions);
  EXPECT_EQ(r.profiled.energy.total_pj(), r.plain.energy.total_pj());
  EXPECT_EQ(r.profiled.console, r.plain.console);
}

TEST(Profile, ExclusiveFiguresAddUpToTheRun) {
  const auto& p = profile();
  const auto& r = runs().profiled;
  Cycles cycles = 0, stalls = 0;
  std::uint64_t insns = 0;
  double energy = 0;
  for (auto& n : p.nodes) cycles += n.self.cycles, insns += n.self.instructions, energy += n.self.energy_pj,
                          stalls += n.self.stall_cycles;
  EXPECT_EQ(cycles, r.total.cycles);
  EXPECT_EQ(insns, r.total.instructions);
  EXPECT_NEAR(energy, r.energy.total_pj(), 1e-9 * r.energy.total_pj());
  const auto& t = r.total;
  EXPECT_EQ(stalls, t.flash.ifetch_stall_cycles + t.flash.data_stall_cycles + t.sram.stall_cycles +
                        t.tcm.stall_cycles + t.l1i.stall_cycles + t.l1d.stall_cycles + t.branch_penalty_cycles +
                        t.divide_extra_cycles + t.multiply_extra_cycles);
  EXPECT_EQ(p.total_cycles, r.total.cycles);
}

TEST(Profile, CallTreeFollowsTheFirmware) {
  const auto& p = profile();
  const std::size_t fc = function_index(p, "nn_fully_connected_s8");
  std::uint64_t calls = 0;
  Cycles fc_self = 0;
  for (auto& n : p.nodes) {
    if (n.function != fc) continue;
    calls += n.calls;
    fc_self += n.self.cycles;
    // The call stack, from the firmware's disassembly: Reset_Handler BL main; main tail-calls
    // net_task_main (B.W, so main's frame is replaced); net_task_main BL net_infer; net_infer BL
    // net_run_layer; net_run_layer BL nn_fully_connected_s8.
    std::vector<std::string> stack;
    for (std::size_t a = n.parent; a != 0; a = p.nodes[a].parent) stack.insert(stack.begin(), p.functions[p.nodes[a].function].name);
    EXPECT_EQ(stack, (std::vector<std::string>{"Reset_Handler", "net_task_main", "net_infer", "net_run_layer"}));
  }
  EXPECT_EQ(calls, 10u);  // AD: 10 fully connected layers (mlperf-tiny.md)
  // The layers' regions wrap the kernel calls: the kernel's own cycles are most of them.
  Cycles layers = 0;
  for (auto& reg : runs().profiled.regions)
    if (reg.attrs.count("op") && reg.attrs.at("op") == "FULLY_CONNECTED") layers += reg.counters.cycles;
  EXPECT_LE(fc_self, layers);
  EXPECT_GE(fc_self, layers * 9 / 10);
}

TEST(Profile, RegionSlicesOnTheSimulatedClock) {
  const auto& p = profile();
  std::map<std::string, Cycles> region_cycles;
  for (auto& s : p.slices)
    if (s.track == "regions") region_cycles[s.name] += s.end - s.begin;
  for (auto& reg : runs().profiled.regions) {
    const std::string name = reg.attrs.count("name") ? reg.attrs.at("name") : reg.label;
    EXPECT_EQ(region_cycles[name], reg.counters.cycles) << name;
  }
}

TEST(Profile, DwarfLinesAndSourcePositions) {
  const auto& p = profile();
  ASSERT_TRUE(p.has_dwarf);
  const auto& f = p.functions[function_index(p, "nn_fully_connected_s8")];
  EXPECT_FALSE(f.file.empty());
  EXPECT_GT(f.line, 0u);
  std::uint64_t insns = 0;
  for (auto& l : p.lines) insns += l.instructions;
  EXPECT_GT(insns, runs().profiled.total.instructions * 9 / 10);  // almost all code has line info
  EXPECT_LE(insns, runs().profiled.total.instructions);
}

TEST(Profile, SpeedscopeFileFormat) {
  const auto& p = profile();
  const json doc = json::parse(speedscope_json(p, "ad"));
  EXPECT_EQ(doc.at("$schema"), "https://www.speedscope.app/file-format-schema.json");
  const auto& frames = doc.at("shared").at("frames");
  ASSERT_TRUE(frames.is_array());
  for (auto& f : frames) {
    ASSERT_TRUE(f.at("name").is_string());
    if (f.contains("line")) {
      EXPECT_TRUE(f.at("line").is_number_unsigned());
    }
    if (f.contains("file")) {
      EXPECT_TRUE(f.at("file").is_string());
    }
  }
  const auto& profiles = doc.at("profiles");
  ASSERT_EQ(profiles.size(), 5u);  // cycles, instructions, stall cycles, energy; lines (DWARF)
  const std::set<std::string> units = {"none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"};
  for (auto& pr : profiles) {
    EXPECT_EQ(pr.at("type"), "sampled");
    EXPECT_TRUE(pr.at("name").is_string());
    EXPECT_TRUE(units.count(pr.at("unit").get<std::string>()));
    EXPECT_TRUE(pr.at("startValue").is_number());
    const auto& samples = pr.at("samples");
    const auto& weights = pr.at("weights");
    ASSERT_EQ(samples.size(), weights.size());
    double sum = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      ASSERT_TRUE(samples[i].is_array());
      ASSERT_FALSE(samples[i].empty());
      for (auto& idx : samples[i]) {
        ASSERT_TRUE(idx.is_number_unsigned());
        EXPECT_LT(idx.get<std::size_t>(), frames.size());
      }
      sum += weights[i].get<double>();
    }
    EXPECT_NEAR(pr.at("endValue").get<double>() - pr.at("startValue").get<double>(), sum, 1e-6 * sum);
  }
  // The line profile: the per-line issue cycles.
  std::uint64_t line_cycles = 0;
  for (auto& l : p.lines) line_cycles += l.static_cycles;
  EXPECT_EQ(profiles[4].at("endValue").get<std::uint64_t>(), line_cycles);
  // The cycles profile adds up to the run's cycles.
  std::uint64_t cycles = 0;
  for (auto& w : profiles[0].at("weights")) cycles += w.get<std::uint64_t>();
  EXPECT_EQ(cycles, runs().profiled.total.cycles);
}

TEST(Profile, TraceEventFormat) {
  const auto& p = profile();
  const json doc = json::parse(trace_event_json(p, "ad"));
  const auto& ev = doc.at("traceEvents");
  ASSERT_TRUE(ev.is_array());
  std::size_t regions = 0, counters = 0;
  double energy_pj = 0;
  const double total_s = static_cast<double>(runs().profiled.total.cycles) / p.clock_hz;
  std::map<int, std::vector<std::pair<double, double>>> open;  // tid -> stack of (begin, end)
  for (auto& e : ev) {
    ASSERT_TRUE(e.at("name").is_string());
    ASSERT_TRUE(e.at("pid").is_number_integer());
    const std::string ph = e.at("ph");
    if (ph == "M") continue;
    ASSERT_TRUE(e.at("ts").is_number());
    const double ts = e.at("ts").get<double>();
    EXPECT_GE(ts, 0);
    EXPECT_LE(ts, total_s * 1e6 * (1 + 1e-12));
    if (ph == "X") {
      ASSERT_TRUE(e.at("tid").is_number_integer());
      const double end = ts + e.at("dur").get<double>();
      EXPECT_GE(e.at("dur").get<double>(), 0);
      // Complete events on one thread nest: each starts after, and ends before, its enclosing one.
      auto& st = open[e.at("tid").get<int>()];
      while (!st.empty() && st.back().second <= ts) st.pop_back();
      if (!st.empty()) {
        EXPECT_LE(end, st.back().second * (1 + 1e-12)) << e.dump();
      }
      st.push_back({ts, end});
      if (e.at("cat") == "region") ++regions;
    } else if (ph == "C") {
      ASSERT_TRUE(e.at("args").at("mW").is_number());
      // Average power over its interval (the last one is partial).
      const double begin_s = ts * 1e-6;
      const double span = std::min(1e-3, total_s - begin_s);
      energy_pj += e.at("args").at("mW").get<double>() * 1e-3 * span * 1e12;
      ++counters;
    } else {
      ADD_FAILURE() << "unexpected phase " << ph;
    }
  }
  EXPECT_EQ(regions, runs().profiled.regions.size());
  EXPECT_EQ(counters, static_cast<std::size_t>(std::ceil(total_s / 1e-3)));  // 1 ms samples
  // The power track integrates to the run's energy (samples are taken at block boundaries).
  EXPECT_NEAR(energy_pj, runs().profiled.energy.total_pj(), 0.002 * runs().profiled.energy.total_pj());
}

TEST(Profile, TopTable) {
  const std::string t = profile_top_table(profile(), 5);
  std::cout << t;
  // The kernel with the most own cycles leads (CallTreeFollowsTheFirmware: about 90 % of the run).
  const auto first = t.find('\n', t.find('\n') + 1) + 1;
  EXPECT_EQ(t.substr(first + 2, 21), "nn_fully_connected_s8");
  EXPECT_NE(t.find("source lines"), std::string::npos);
}

TEST(Profile, Deterministic) {
  const BoardConfig board = load_board("nucleo-l4r5zi");
  ProfileOptions po;
  RunOptions ro;
  ro.profile = &po;
  Simulation sim(board, load_elf(kElf));
  const RunResult again = sim.run(ro);
  EXPECT_EQ(speedscope_json(*again.profile, "ad"), speedscope_json(profile(), "ad"));
  EXPECT_EQ(trace_event_json(*again.profile, "ad"), trace_event_json(profile(), "ad"));
  EXPECT_EQ(profile_top_table(*again.profile, 10), profile_top_table(profile(), 10));
}

}  // namespace
}  // namespace mcusim
