#include "mcusim/profile_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "mcusim/base/errors.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

// Frames from the root to `node` (function indices).
std::vector<std::size_t> stack_of(const Profile& p, std::size_t node) {
  std::vector<std::size_t> s;
  for (std::size_t n = node;; n = p.nodes[n].parent) {
    s.push_back(p.nodes[n].function);
    if (n == 0) break;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

// Inclusive cost per node (children are created after their parents).
std::vector<ProfileCost> inclusive(const Profile& p) {
  std::vector<ProfileCost> inc(p.nodes.size());
  for (std::size_t i = p.nodes.size(); i-- > 0;) {
    auto& c = inc[i];
    c.instructions += p.nodes[i].self.instructions;
    c.cycles += p.nodes[i].self.cycles;
    c.stall_cycles += p.nodes[i].self.stall_cycles;
    c.energy_pj += p.nodes[i].self.energy_pj;
    if (i) {
      auto& up = inc[p.nodes[i].parent];
      up.instructions += c.instructions, up.cycles += c.cycles, up.stall_cycles += c.stall_cycles,
          up.energy_pj += c.energy_pj;
    }
  }
  return inc;
}

double us(const Profile& p, Cycles c) { return static_cast<double>(c) * 1e6 / static_cast<double>(p.clock_hz); }

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (out) out << text;
  if (!out) throw InputError(fmt::format("--profile {}: cannot write: {}", path.string(), std::strerror(errno)));
}

}  // namespace

std::string speedscope_json(const Profile& p, const std::string& name) {
  ojson frames = ojson::array();
  for (auto& f : p.functions) {
    ojson fr{{"name", f.name}};
    if (!f.file.empty()) fr["file"] = f.file;
    if (f.line) fr["line"] = f.line;
    frames.push_back(fr);
  }
  std::vector<std::vector<std::size_t>> stacks(p.nodes.size());
  for (std::size_t i = 0; i < p.nodes.size(); ++i) stacks[i] = stack_of(p, i);
  struct Metric {
    const char* label;
    std::function<double(const ProfileCost&)> get;
  };
  const Metric metrics[] = {
      {"cycles", [](const ProfileCost& c) { return static_cast<double>(c.cycles); }},
      {"instructions", [](const ProfileCost& c) { return static_cast<double>(c.instructions); }},
      {"stall cycles", [](const ProfileCost& c) { return static_cast<double>(c.stall_cycles); }},
      {"energy (pJ)", [](const ProfileCost& c) { return c.energy_pj; }},
  };
  ojson profiles = ojson::array();
  for (auto& m : metrics) {
    ojson samples = ojson::array(), weights = ojson::array();
    double total = 0;
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
      const double w = m.get(p.nodes[i].self);
      if (w <= 0) continue;
      samples.push_back(stacks[i]);
      if (m.label == std::string("energy (pJ)")) weights.push_back(w);
      else weights.push_back(static_cast<std::uint64_t>(w));
      total += w;
    }
    ojson prof;
    prof["type"] = "sampled";
    prof["name"] = fmt::format("{}: {}", name, m.label);
    prof["unit"] = "none";
    prof["startValue"] = 0;
    if (m.label == std::string("energy (pJ)")) prof["endValue"] = total;
    else prof["endValue"] = static_cast<std::uint64_t>(total);
    prof["samples"] = samples;
    prof["weights"] = weights;
    profiles.push_back(prof);
  }
  ojson doc;
  doc["$schema"] = "https://www.speedscope.app/file-format-schema.json";
  // Per source line (DWARF): the function's frame with one frame per line above it, weighted by
  // the line's issue cycles.
  if (!p.lines.empty()) {
    std::map<std::string, std::size_t> fn_frame;
    for (std::size_t i = 0; i < p.functions.size(); ++i) fn_frame.emplace(p.functions[i].name, i);
    ojson samples = ojson::array(), weights = ojson::array();
    std::uint64_t total = 0;
    for (auto& l : p.lines) {
      if (!l.static_cycles) continue;
      frames.push_back({{"name", fmt::format("{}:{}", l.file, l.line)}, {"file", l.file}, {"line", l.line}});
      const auto it = fn_frame.find(l.function);
      samples.push_back({it == fn_frame.end() ? 0 : it->second, frames.size() - 1});
      weights.push_back(l.static_cycles);
      total += l.static_cycles;
    }
    ojson prof;
    prof["type"] = "sampled";
    prof["name"] = fmt::format("{}: issue cycles by source line (zero wait states)", name);
    prof["unit"] = "none";
    prof["startValue"] = 0;
    prof["endValue"] = total;
    prof["samples"] = samples;
    prof["weights"] = weights;
    profiles.push_back(prof);
  }
  doc["shared"] = {{"frames", frames}};
  doc["profiles"] = profiles;
  doc["name"] = name;
  doc["activeProfileIndex"] = 0;
  doc["exporter"] = "mcusim";
  return doc.dump(1) + "\n";
}

std::string trace_event_json(const Profile& p, const std::string& name) {
  ojson events = ojson::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 0}, {"args", {{"name", name}}}});
  events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 1}, {"args", {{"name", "regions (layers)"}}}});
  events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 2}, {"args", {{"name", "functions"}}}});
  // Slices per track, parents before children (begin ascending, end descending).
  std::vector<const ProfileSlice*> order;
  for (auto& s : p.slices) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](const ProfileSlice* a, const ProfileSlice* b) {
    if (a->track != b->track) return a->track > b->track;  // regions first
    if (a->begin != b->begin) return a->begin < b->begin;
    return a->end > b->end;
  });
  for (auto* s : order)
    events.push_back({{"name", s->name},
                      {"cat", s->track == "regions" ? "region" : "function"},
                      {"ph", "X"},
                      {"ts", us(p, s->begin)},
                      {"dur", us(p, s->end - s->begin)},
                      {"pid", 1},
                      {"tid", s->track == "regions" ? 1 : 2},
                      {"args", {{"cycles", s->end - s->begin}}}});
  for (std::size_t i = 0; i < p.power_mw.size(); ++i)
    events.push_back({{"name", "power"},
                      {"ph", "C"},
                      {"ts", us(p, i * p.power_interval_cycles)},
                      {"pid", 1},
                      {"args", {{"mW", p.power_mw[i]}}}});
  ojson doc;
  doc["traceEvents"] = events;
  doc["displayTimeUnit"] = "ns";
  doc["otherData"] = {{"generator", "mcusim"},
                      {"clock", "simulated: ts and dur in microseconds from reset at the board clock"},
                      {"clock_hz", p.clock_hz},
                      {"power_interval_us", us(p, p.power_interval_cycles)},
                      {"function_slices_dropped", p.slices_dropped}};
  return doc.dump(1) + "\n";
}

std::string profile_top_table(const Profile& p, std::size_t n) {
  const auto inc = inclusive(p);
  struct Row {
    std::size_t function;
    ProfileCost self, incl;
    std::uint64_t calls = 0;
  };
  std::vector<Row> rows(p.functions.size());
  for (std::size_t f = 0; f < rows.size(); ++f) rows[f].function = f;
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    auto& r = rows[p.nodes[i].function];
    const auto& s = p.nodes[i].self;
    r.self.instructions += s.instructions, r.self.cycles += s.cycles, r.self.stall_cycles += s.stall_cycles,
        r.self.energy_pj += s.energy_pj;
    r.calls += p.nodes[i].calls;
    // Inclusive: only the outermost node of a function on each stack (recursion counted once).
    bool outer = true;
    for (std::size_t a = p.nodes[i].parent; i && outer; a = p.nodes[a].parent) {
      if (p.nodes[a].function == p.nodes[i].function) outer = false;
      if (a == 0) break;
    }
    if (outer) r.incl.cycles += inc[i].cycles;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.self.cycles > b.self.cycles; });
  const double total = static_cast<double>(std::max<Cycles>(1, p.total_cycles));
  std::string out = fmt::format("Profile: top {} functions by exclusive cycles (of {} cycles, {} instructions)\n", n,
                                p.total_cycles, p.total_instructions);
  out += fmt::format("  {:<32} {:>12} {:>6} {:>12} {:>6} {:>12} {:>11} {:>11} {:>8}\n", "function", "self cycles", "%",
                     "incl cycles", "%", "instructions", "stalls", "energy uJ", "calls");
  std::size_t shown = 0;
  for (auto& r : rows) {
    if (shown == n || r.self.cycles == 0) break;
    ++shown;
    std::string fname = p.functions[r.function].name;
    if (fname.size() > 32) fname = fname.substr(0, 31) + "~";
    out += fmt::format("  {:<32} {:>12} {:>5.1f}% {:>12} {:>5.1f}% {:>12} {:>11} {:>11.2f} {:>8}\n", fname,
                       r.self.cycles, 100.0 * r.self.cycles / total, r.incl.cycles, 100.0 * r.incl.cycles / total,
                       r.self.instructions, r.self.stall_cycles, r.self.energy_pj * 1e-6, r.calls);
  }
  if (!p.lines.empty()) {
    std::vector<const ProfileLine*> lines;
    for (auto& l : p.lines) lines.push_back(&l);
    std::stable_sort(lines.begin(), lines.end(),
                     [](auto* a, auto* b) { return a->static_cycles > b->static_cycles; });
    out += fmt::format("Profile: top {} source lines by issue cycles (zero wait states; stalls stay with the function)\n", n);
    out += fmt::format("  {:<40} {:<28} {:>12} {:>12}\n", "file:line", "function", "cycles", "instructions");
    for (std::size_t i = 0; i < std::min(n, lines.size()); ++i)
      out += fmt::format("  {:<40} {:<28} {:>12} {:>12}\n", fmt::format("{}:{}", lines[i]->file, lines[i]->line),
                         lines[i]->function.substr(0, 28), lines[i]->static_cycles, lines[i]->instructions);
  }
  return out;
}

std::pair<std::filesystem::path, std::filesystem::path> write_profile_files(const std::string& prefix,
                                                                              const Profile& p,
                                                                              const std::string& name) {
  const std::filesystem::path a = prefix + ".speedscope.json", b = prefix + ".trace.json";
  write_file(a, speedscope_json(p, name));
  write_file(b, trace_event_json(p, name));
  return {a, b};
}

}  // namespace mcusim
