#include "mcusim/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "mcusim/base/errors.h"
#include "mcusim/results_doc.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

const MetricInfo& metric_info(const std::string& name) {
  for (auto& m : compare_metrics())
    if (m.name == name) return m;
  throw InputError(fmt::format("no metric '{}'", name));
}

std::string grouped(long double v) {
  const bool neg = v < 0;
  std::string s = fmt::format("{:.0f}", static_cast<double>(std::fabs(static_cast<double>(v)))), out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it, ++n) {
    if (n && n % 3 == 0) out.push_back(',');
    out.push_back(*it);
  }
  if (neg) out.push_back('-');
  return {out.rbegin(), out.rend()};
}

// A value (or a signed change) in the metric's display unit.
std::string value_text(const std::string& unit, double v, bool sign) {
  std::string s;
  // Latency in ms (us below 1 ms), energy in uJ (nJ below 1 uJ): readable for layers and snippets.
  if (unit == "s") s = std::fabs(v) >= 1e-3 || v == 0 ? fmt::format("{:.3f} ms", std::fabs(v) * 1e3)
                                                       : fmt::format("{:.3f} us", std::fabs(v) * 1e6);
  else if (unit == "pJ") s = std::fabs(v) >= 1e6 || v == 0 ? fmt::format("{:.2f} uJ", std::fabs(v) * 1e-6)
                                                            : fmt::format("{:.2f} nJ", std::fabs(v) * 1e-3);
  else if (unit == "B") s = grouped(std::fabs(v)) + " B";
  else s = grouped(std::fabs(v));
  if (v < 0) return "-" + s;
  return sign && v > 0 ? "+" + s : s;
}

std::string pct_text(const CompareRow& r) {
  if (r.metric == "outcome") return "";
  if (r.baseline == 0) return r.current == 0 ? "0.00%" : "n/a";
  return fmt::format("{:+.2f}%", 100.0 * (r.current - r.baseline) / r.baseline);
}

std::string change_text(const CompareRow& r) {
  if (r.metric == "outcome") return "";
  return value_text(r.unit, r.current - r.baseline, true);
}

// Leaves of a JSON object as "a.b.c" -> compact value text.
void flatten(const ojson& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else {
    out[prefix] = j.dump();
  }
}

std::string region_name(const ojson& reg) {
  auto& attrs = reg.at("attributes");
  auto it = attrs.find("name");
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : reg.at("label").get<std::string>();
}

double metric_value(const std::string& metric, const ojson& counters, const ojson* footprint) {
  auto u = [](const ojson& o, const char* k) { return static_cast<double>(o.at(k).get<std::uint64_t>()); };
  if (metric == "instructions") return u(counters, "instructions");
  if (metric == "cycles") return u(counters, "cycles");
  if (metric == "latency") return counters.at("latency_s").get<double>();
  if (metric == "energy") return counters.at("energy").at("total_pj").get<double>();
  if (metric == "flash") return footprint ? u(*footprint, "flash_bytes") : 0;
  if (metric == "sram") return footprint ? u(*footprint, "sram_bytes") : 0;
  return 0;
}

struct Keyed {
  std::string key;
  const ojson* entry;
};

std::vector<Keyed> keyed_entries(const ojson& doc, const std::string& file, const CompareOptions& o) {
  const bool sweep = doc.at("command") == "sweep";
  std::vector<Keyed> out;
  std::set<std::string> seen;
  for (auto& e : doc.at("results")) {
    std::string key = e.at("task").get<std::string>();
    const std::string kernels = e.at("kernels");
    if (!o.ignore_kernels && !kernels.empty()) key += "/" + kernels;
    if (sweep) {
      std::string params;
      for (auto& [k, v] : e.at("parameters").items())
        params += fmt::format("{}{}={}", params.empty() ? "" : ", ", k, v.get<std::string>());
      key += " [" + params + "]";
    }
    if (!seen.insert(key).second)
      throw InputError(fmt::format("{}: two results for task {}{}", file, key,
                                   o.ignore_kernels ? " (--ignore-kernels needs one kernel library per task)" : ""));
    out.push_back({key, &e});
  }
  return out;
}

std::string status_text(const ojson& e) {
  const std::string status = e.at("status");
  if (status == "error") return "error: " + e.at("error").get<std::string>();
  if (status == "failed") {
    const std::string msg = e.at("stop").at("message");
    return "failed: " + (msg.empty() ? "exit status " + e.at("stop").at("exit_code").dump() : msg);
  }
  return status;
}

void judge(CompareRow& r, const Tolerance& t, bool gates) {
  const double delta = r.current - r.baseline;
  if (delta == 0) {
    r.verdict = "unchanged";
  } else if (delta < 0) {
    r.verdict = "improved";
  } else {
    // A hair of slack for tolerances computed in floating point (1% of a value, unit conversion).
    const double allowed = t.allowed(r.baseline);
    if (delta <= allowed * (1 + 1e-12)) {
      r.verdict = "within tolerance";
    } else {
      r.verdict = gates ? "regressed" : "regressed (not gated)";
      r.failed = gates;
    }
  }
}

}  // namespace

const std::vector<MetricInfo>& compare_metrics() {
  static const std::vector<MetricInfo> metrics = {
      {"instructions", "", true}, {"cycles", "", true}, {"latency", "s", true},
      {"energy", "pJ", true},     {"flash", "B", false}, {"sram", "B", false}};
  return metrics;
}

void parse_tolerance(const std::string& spec, std::map<std::string, Tolerance>& into) {
  auto eq = spec.find('=');
  if (eq == std::string::npos)
    throw InputError(fmt::format("--tolerance '{}': expected metric=value, e.g. cycles=1% or flash=512B", spec));
  const std::string name = spec.substr(0, eq), value = spec.substr(eq + 1);
  std::vector<const MetricInfo*> targets;
  for (auto& m : compare_metrics())
    if (name == "all" || m.name == name) targets.push_back(&m);
  if (targets.empty()) {
    std::string names;
    for (auto& m : compare_metrics()) names += m.name + ", ";
    throw InputError(fmt::format("--tolerance '{}': unknown metric '{}' (metrics: {}all)", spec, name, names));
  }
  std::size_t pos = 0;
  double n = 0;
  try {
    n = std::stod(value, &pos);
  } catch (...) {
    pos = 0;
  }
  if (pos == 0 || !std::isfinite(n) || n < 0)
    throw InputError(fmt::format("--tolerance '{}': '{}' is not a non-negative amount like 1%, 1000, 0.5ms, 2uJ, 512B",
                                 spec, value));
  std::string unit = value.substr(pos);
  unit.erase(0, unit.find_first_not_of(' '));
  for (auto* m : targets) {
    Tolerance t;
    if (unit == "%") {
      t.relative = true;
      t.amount = n / 100;
    } else {
      // Scale to the metric's base unit; "" is the base unit itself.
      static const std::map<std::string, std::map<std::string, double>> scale = {
          {"", {{"", 1}}},
          {"s", {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}}},
          {"pJ", {{"", 1}, {"J", 1e12}, {"mJ", 1e9}, {"uJ", 1e6}, {"nJ", 1e3}, {"pJ", 1}}},
          {"B", {{"", 1}, {"B", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}}}};
      auto& units = scale.at(m->unit);
      auto it = units.find(unit);
      if (it == units.end()) {
        std::string allowed;
        for (auto& [u, f] : units)
          if (!u.empty()) allowed += u + ", ";
        throw InputError(fmt::format("--tolerance '{}': unit '{}' does not fit metric {} (use {}{}or N%)", spec, unit,
                                     m->name, allowed, m->unit.empty() ? "a plain count " : ""));
      }
      t.amount = n * it->second;
    }
    into[m->name] = t;
  }
}

std::string tolerance_text(const MetricInfo& m, const Tolerance& t) {
  if (t.relative) return fmt::format("{:g}%", t.amount * 100);
  if (t.amount == 0) return "0";
  return value_text(m.unit, t.amount, false);
}

std::size_t Comparison::failures() const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.failed; }));
}

Comparison compare_results(const ojson& baseline, const ojson& current, const std::string& baseline_file,
                           const std::string& current_file, const CompareOptions& o) {
  Comparison c;
  c.baseline_file = baseline_file;
  c.current_file = current_file;
  auto base = keyed_entries(baseline, baseline_file, o);
  auto cur = keyed_entries(current, current_file, o);
  if (base.empty()) throw InputError(fmt::format("{}: no results to compare", baseline_file));

  // Same tasks (and configurations) on both sides.
  std::vector<std::string> only_base, only_cur;
  for (auto& b : base)
    if (std::none_of(cur.begin(), cur.end(), [&](auto& x) { return x.key == b.key; })) only_base.push_back(b.key);
  for (auto& x : cur)
    if (std::none_of(base.begin(), base.end(), [&](auto& b) { return x.key == b.key; })) only_cur.push_back(x.key);
  if (!only_base.empty() || !only_cur.empty()) {
    std::string msg = "different tasks:";
    if (!only_base.empty()) msg += fmt::format(" only in {}: {};", baseline_file, fmt::join(only_base, ", "));
    if (!only_cur.empty()) msg += fmt::format(" only in {}: {};", current_file, fmt::join(only_cur, ", "));
    msg.pop_back();
    bool kernels_differ = false;
    for (auto& b : base)
      for (auto& x : cur)
        if (b.entry->at("task") == x.entry->at("task") && b.entry->at("kernels") != x.entry->at("kernels"))
          kernels_differ = true;
    if (kernels_differ && !o.ignore_kernels)
      msg += " (the kernel libraries differ; --ignore-kernels compares by task alone)";
    throw InputError(msg);
  }

  if (baseline.at("mcusim_version") != current.at("mcusim_version"))
    c.notes.push_back(fmt::format("mcusim versions differ: {} in the baseline, {} now",
                                  baseline.at("mcusim_version").get<std::string>(),
                                  current.at("mcusim_version").get<std::string>()));
  std::set<std::string> board_notes;

  for (auto& b : base) {
    const ojson& be = *b.entry;
    const ojson& ce = *std::find_if(cur.begin(), cur.end(), [&](auto& x) { return x.key == b.key; })->entry;
    c.entries.push_back(b.key);
    const std::string task = be.at("task");
    auto add = [&](CompareRow r) {
      r.entry = b.key;
      r.task = task;
      c.rows.push_back(std::move(r));
    };
    const bool b_ran = be.at("status") != "error", c_ran = ce.at("status") != "error";
    if (b_ran && c_ran) {
      const std::string bn = be.at("board").at("name"), cn = ce.at("board").at("name");
      if (bn != cn)
        throw InputError(fmt::format("different boards: {} ran on {} in {} and on {} in {}", b.key, bn, baseline_file,
                                     cn, current_file));
      if (c.board.empty()) c.board = bn;
      std::map<std::string, std::string> fb, fc;
      flatten(be.at("board"), "", fb);
      flatten(ce.at("board"), "", fc);
      for (auto& [k, v] : fb) {
        auto it = fc.find(k);
        const std::string now = it == fc.end() ? "(absent)" : it->second;
        if (now != v) board_notes.insert(fmt::format("board parameter {}: {} in the baseline, {} now", k, v, now));
      }
      for (auto& [k, v] : fc)
        if (!fb.count(k)) board_notes.insert(fmt::format("board parameter {}: absent in the baseline, {} now", k, v));
      if (be.at("kernels") != ce.at("kernels"))
        board_notes.insert(fmt::format("{}: kernel library {} in the baseline, {} now", task,
                                       be.at("kernels").get<std::string>(), ce.at("kernels").get<std::string>()));
    }

    // The outcome: a run that worked and now does not is a regression.
    CompareRow outcome;
    outcome.scope = "run";
    outcome.metric = "outcome";
    outcome.baseline_text = status_text(be);
    outcome.current_text = status_text(ce);
    outcome.tolerance = "";
    const bool b_ok = be.at("status") == "ok", c_ok = ce.at("status") == "ok";
    if (b_ok && !c_ok) {
      outcome.verdict = "regressed";
      outcome.failed = true;
    } else if (!b_ok && c_ok) {
      outcome.verdict = "improved";
    } else {
      outcome.verdict = outcome.baseline_text == outcome.current_text ? "unchanged" : "changed";
    }
    add(outcome);
    if (!b_ran || !c_ran) continue;

    // The metric's tolerance and its text. Latency is cycles / clock: without a latency tolerance
    // of its own it follows the cycles tolerance (an absolute one converted at the current clock).
    const double clock_hz = ce.at("board").at("clock_hz").get<double>();
    auto tolerance_for = [&](const MetricInfo& m, std::string& text) {
      auto it = o.tolerances.find(m.name);
      if (it != o.tolerances.end()) {
        text = tolerance_text(m, it->second);
        return it->second;
      }
      auto cyc = o.tolerances.find("cycles");
      if (m.name == "latency" && cyc != o.tolerances.end()) {
        Tolerance t = cyc->second;
        if (!t.relative) t.amount /= clock_hz;
        text = tolerance_text(metric_info("cycles"), cyc->second) + " (cycles)";
        return t;
      }
      text = "0";
      return Tolerance{};
    };

    // Per inference when both marked one, else the whole run.
    const bool inf = be.at("inference").is_object() && ce.at("inference").is_object();
    if (be.at("inference").is_object() != ce.at("inference").is_object())
      c.notes.push_back(fmt::format("{}: only one file has an inference region; whole runs are compared", b.key));
    const char* scope = inf ? "inference" : "total";
    for (auto& m : compare_metrics()) {
      CompareRow r;
      r.scope = scope;
      r.metric = m.name;
      r.unit = m.unit;
      r.baseline = metric_value(m.name, be.at(scope), &be.at("footprint"));
      r.current = metric_value(m.name, ce.at(scope), &ce.at("footprint"));
      r.baseline_text = value_text(m.unit, r.baseline, false);
      r.current_text = value_text(m.unit, r.current, false);
      const Tolerance t = tolerance_for(m, r.tolerance);
      judge(r, t, true);
      add(r);
    }

    // Layers present in both files, matched by name and occurrence.
    auto layers = [](const ojson& e) {
      std::vector<std::pair<std::string, const ojson*>> out;
      std::map<std::string, int> seen;
      for (auto& reg : e.at("regions")) {
        std::string name = region_name(reg);
        if (name == "inference") continue;
        if (int n = seen[name]++) name += fmt::format("#{}", n + 1);
        out.emplace_back(name, &reg.at("counters"));
      }
      return out;
    };
    auto bl = layers(be), cl = layers(ce);
    std::vector<std::string> unmatched;
    for (auto& [name, bc] : bl) {
      auto it = std::find_if(cl.begin(), cl.end(), [&](auto& x) { return x.first == name; });
      if (it == cl.end()) {
        unmatched.push_back(name + " (baseline only)");
        continue;
      }
      for (auto& m : compare_metrics()) {
        if (!m.per_layer) continue;
        CompareRow r;
        r.scope = name;
        r.metric = m.name;
        r.unit = m.unit;
        r.baseline = metric_value(m.name, *bc, nullptr);
        r.current = metric_value(m.name, *it->second, nullptr);
        r.baseline_text = value_text(m.unit, r.baseline, false);
        r.current_text = value_text(m.unit, r.current, false);
        const Tolerance t = tolerance_for(m, r.tolerance);
        r.gated = o.gate_layers;
        judge(r, t, o.gate_layers);
        add(r);
      }
    }
    for (auto& [name, cc] : cl)
      if (std::none_of(bl.begin(), bl.end(), [&](auto& x) { return x.first == name; }))
        unmatched.push_back(name + " (current only)");
    if (!unmatched.empty())
      c.notes.push_back(fmt::format("{}: layers not in both files: {}", b.key, fmt::join(unmatched, ", ")));
  }
  c.notes.insert(c.notes.end(), board_notes.begin(), board_notes.end());
  return c;
}

namespace {

bool shown(const CompareRow& r, bool show_unchanged) { return show_unchanged || r.verdict != "unchanged"; }

std::string verdict_line(const Comparison& c) {
  const auto fails = c.failures();
  if (fails == 0) {
    const auto changed = std::count_if(c.rows.begin(), c.rows.end(), [](auto& r) { return r.verdict != "unchanged"; });
    return fmt::format("PASS: no metric regressed beyond its tolerance ({} of {} compared metrics changed, {} task{})",
                       changed, c.rows.size(), c.entries.size(), c.entries.size() == 1 ? "" : "s");
  }
  std::vector<std::string> worst;
  for (auto& r : c.rows)
    if (r.failed && worst.size() < 6)
      worst.push_back(r.metric == "outcome" ? fmt::format("{} {}", r.entry, r.current_text)
                                            : fmt::format("{} {} {}", r.entry, r.metric, pct_text(r)));
  return fmt::format("FAIL: {} metric{} regressed beyond tolerance: {}{}", fails, fails == 1 ? "" : "s",
                     fmt::join(worst, "; "), fails > worst.size() ? "; ..." : "");
}

std::vector<std::string> cells(const CompareRow& r) {
  return {r.entry, r.scope, r.metric, r.baseline_text, r.current_text, change_text(r), pct_text(r),
          r.tolerance, r.verdict == "regressed" ? "REGRESSED" : r.verdict};
}

const std::vector<std::string> kHeader = {"task", "scope", "metric", "baseline", "current",
                                          "change", "change %", "tolerance", "verdict"};
const std::vector<bool> kNumeric = {false, false, false, true, true, true, true, false, false};

std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> w(kHeader.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = kHeader[i].size();
    for (auto& r : rows) w[i] = std::max(w[i], r[i].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    std::string l = " ";
    for (std::size_t i = 0; i < r.size(); ++i)
      l += (i ? "  " : " ") + (kNumeric[i] ? fmt::format("{:>{}}", r[i], w[i]) : fmt::format("{:<{}}", r[i], w[i]));
    while (l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(kHeader);
  for (auto& r : rows) line(r);
  return out;
}

std::string md_table(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (auto& h : kHeader) out += " " + h + " |";
  out += "\n|";
  for (bool n : kNumeric) out += n ? "---:|" : "---|";
  out += "\n";
  for (auto& r : rows) {
    out += "|";
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string cell = markdown_cell(r[i]);
      if (i == 8 && r[i] == "REGRESSED") cell = "**REGRESSED**";
      out += " " + cell + " |";
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string render_comparison(const Comparison& c, Format f, bool show_unchanged) {
  std::vector<std::vector<std::string>> entry_rows, layer_rows;
  for (auto& r : c.rows) {
    if (!shown(r, show_unchanged)) continue;
    const bool layer = r.scope != "inference" && r.scope != "total" && r.scope != "run";
    (layer ? layer_rows : entry_rows).push_back(cells(r));
  }
  const std::string head = fmt::format("mcusim compare: {} (baseline) -> {} (current){}", c.baseline_file,
                                       c.current_file, c.board.empty() ? "" : ", board " + c.board);
  switch (f) {
    case Format::table: {
      std::string out = head + "\n";
      auto all = entry_rows;
      all.insert(all.end(), layer_rows.begin(), layer_rows.end());
      if (all.empty()) out += "  no metric changed\n";
      else out += text_table(all);
      for (auto& n : c.notes) out += "note: " + n + "\n";
      return out + verdict_line(c) + "\n";
    }
    case Format::markdown: {
      std::string out = fmt::format("### mcusim compare: {}\n\n", c.regressed() ? "FAIL" : "PASS");
      out += fmt::format("`{}` (baseline) -> `{}` (current){}\n\n", c.baseline_file, c.current_file,
                         c.board.empty() ? "" : fmt::format(", board `{}`", c.board));
      out += markdown_cell(verdict_line(c)) + "\n\n";
      if (entry_rows.empty() && layer_rows.empty()) out += "No metric changed.\n";
      if (!entry_rows.empty()) out += md_table(entry_rows);
      if (!layer_rows.empty())
        out += fmt::format("\n<details><summary>{} layer metric{} changed</summary>\n\n{}\n</details>\n",
                           layer_rows.size(), layer_rows.size() == 1 ? "" : "s", md_table(layer_rows));
      if (!c.notes.empty()) {
        out += "\n";
        for (auto& n : c.notes) out += "- note: " + markdown_cell(n) + "\n";
      }
      return out;
    }
    case Format::csv: {
      std::string out = "task,entry,scope,metric,unit,baseline,current,change,change_pct,tolerance,verdict\n";
      for (auto& r : c.rows) {
        if (!shown(r, show_unchanged)) continue;
        const bool outcome = r.metric == "outcome";
        std::vector<std::string> f = {r.task, r.entry, r.scope, r.metric, r.unit,
                                      outcome ? r.baseline_text : fmt::format("{}", r.baseline),
                                      outcome ? r.current_text : fmt::format("{}", r.current),
                                      outcome ? "" : fmt::format("{}", r.current - r.baseline),
                                      outcome || r.baseline == 0 ? "" : fmt::format("{:.4f}", 100.0 * (r.current - r.baseline) / r.baseline),
                                      r.tolerance, r.verdict};
        for (std::size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + csv_field(f[i]);
        out += "\n";
      }
      return out;
    }
    case Format::json: {
      ojson j;
      j["baseline"] = c.baseline_file;
      j["current"] = c.current_file;
      j["board"] = c.board;
      j["result"] = c.regressed() ? "fail" : "pass";
      j["failures"] = c.failures();
      j["notes"] = c.notes;
      ojson rows = ojson::array();
      for (auto& r : c.rows) {
        if (!shown(r, show_unchanged)) continue;
        ojson row = {{"task", r.task}, {"entry", r.entry}, {"scope", r.scope}, {"metric", r.metric}, {"unit", r.unit}};
        if (r.metric == "outcome") {
          row["baseline"] = r.baseline_text;
          row["current"] = r.current_text;
        } else {
          row["baseline"] = r.baseline;
          row["current"] = r.current;
          row["change"] = r.current - r.baseline;
        }
        row["tolerance"] = r.tolerance;
        row["verdict"] = r.verdict;
        row["gated"] = r.gated;
        rows.push_back(row);
      }
      j["rows"] = rows;
      return j.dump(2) + "\n";
    }
  }
  return {};
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (unsigned char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // Other control characters are not allowed in XML 1.0 at all.
        if (ch < 0x20) out += '?';
        else out += static_cast<char>(ch);
    }
  }
  return out;
}

std::string comparison_junit(const Comparison& c) {
  std::size_t tests = 0;
  for (auto& r : c.rows) tests += r.gated;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"mcusim compare\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"0\">\n",
                     tests, c.failures());
  for (auto& entry : c.entries) {
    std::size_t n = 0, fails = 0;
    for (auto& r : c.rows)
      if (r.entry == entry && r.gated) n++, fails += r.failed;
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
                       xml_escape(entry), n, fails);
    std::string classname = "mcusim." + entry;
    std::replace(classname.begin(), classname.end(), '/', '.');
    for (auto& r : c.rows) {
      if (r.entry != entry || !r.gated) continue;
      const std::string name = r.scope == "inference" || r.scope == "total" || r.scope == "run"
                                   ? r.metric
                                   : r.scope + " " + r.metric;
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", xml_escape(name), xml_escape(classname));
      if (!r.failed) {
        out += "/>\n";
        continue;
      }
      const std::string msg =
          r.metric == "outcome"
              ? fmt::format("{}: the run was '{}' in the baseline and is '{}' now", entry, r.baseline_text,
                            r.current_text)
              : fmt::format("{} {} {} ({}): {} -> {}, beyond tolerance {}", entry, r.scope, r.metric, pct_text(r),
                            r.baseline_text, r.current_text, r.tolerance);
      out += fmt::format(">\n      <failure message=\"{}\" type=\"regression\">{}</failure>\n    </testcase>\n",
                         xml_escape(msg), xml_escape(msg));
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

std::string junit_input_error(const std::string& message) {
  const std::string m = xml_escape(message);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"mcusim compare\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n"
      "  <testsuite name=\"mcusim compare\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
      "    <testcase name=\"input\" classname=\"mcusim.compare\" time=\"0\">\n"
      "      <error message=\"{}\" type=\"input\">{}</error>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "</testsuites>\n",
      m, m);
}

}  // namespace mcusim
