#include "mcusim/formats.h"

#include <fmt/format.h>

#include <algorithm>

#include "mcusim/base/errors.h"
#include "mcusim/results_doc.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

// Parameter keys of the document in order of first appearance (a sweep's axes order).
std::vector<std::string> parameter_keys(const ojson& doc) {
  std::vector<std::string> keys;
  for (auto& e : doc.at("results"))
    for (auto& [k, v] : e.at("parameters").items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  return keys;
}

std::string param(const ojson& e, const std::string& key) {
  auto it = e.at("parameters").find(key);
  return it == e.at("parameters").end() ? std::string() : it->get<std::string>();
}

std::uint64_t u64(const ojson& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() && *it >= 0 ? it->get<std::uint64_t>() : 0;
}

double num(const ojson& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string hit_rate(const ojson& cache) {
  const auto hits = u64(cache, "hits"), lookups = hits + u64(cache, "misses");
  return lookups ? fmt::format("{:.4f}", static_cast<double>(hits) / lookups) : std::string();
}

// The region name a row shows: the label's name= attribute, else the label.
std::string region_name(const ojson& reg) {
  auto& attrs = reg.at("attributes");
  auto it = attrs.find("name");
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : reg.at("label").get<std::string>();
}

// One row: an entry's figures (counters = its inference or total) or one of its regions.
struct Row {
  const ojson* entry;
  const ojson* counters;  // null when the entry did not run
  std::string region;
  bool is_region;
};

std::vector<Row> rows_of(const ojson& doc, bool layers) {
  std::vector<Row> rows;
  for (auto& e : doc.at("results")) {
    const ojson* c = nullptr;
    std::string region = "inference";
    if (e.at("inference").is_object()) {
      c = &e.at("inference");
    } else if (e.at("total").is_object()) {
      c = &e.at("total");
      region = "total";
    }
    rows.push_back({&e, c, region, false});
    if (layers)
      for (auto& reg : e.at("regions")) {
        if (reg.at("attributes").value("name", "") == "inference") continue;
        rows.push_back({&e, &reg.at("counters"), region_name(reg), true});
      }
  }
  return rows;
}

std::string status_text(const ojson& e) {
  const std::string status = e.at("status");
  if (status == "ok") return status;
  if (status == "error") return "error: " + e.at("error").get<std::string>();
  const auto& stop = e.at("stop");
  const std::string msg = stop.at("message");
  return fmt::format("failed: {}", msg.empty() ? fmt::format("exit status {}", stop.at("exit_code").dump()) : msg);
}

// Header and cells of the human-readable table (text and Markdown).
struct Summary {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> cells;
};

Summary summary(const ojson& doc, bool layers) {
  Summary s;
  const auto keys = parameter_keys(doc);
  const bool sweep = doc.at("sweep").is_object();
  if (sweep) s.header.push_back("cfg"), s.numeric.push_back(true);
  for (auto& k : keys) s.header.push_back(k), s.numeric.push_back(false);
  for (auto* h : {"task", "kernels"}) s.header.push_back(h), s.numeric.push_back(false);
  if (layers) s.header.push_back("region"), s.numeric.push_back(false);
  for (auto* h : {"cycles", "latency ms", "energy uJ", "flash KiB", "SRAM KiB"})
    s.header.push_back(h), s.numeric.push_back(true);
  s.header.push_back("status"), s.numeric.push_back(false);
  for (auto& r : rows_of(doc, layers)) {
    const ojson& e = *r.entry;
    std::vector<std::string> row;
    if (sweep) row.push_back(std::to_string(e.at("configuration").get<std::uint64_t>()));
    for (auto& k : keys) row.push_back(param(e, k));
    row.push_back(e.at("task"));
    row.push_back(e.at("kernels"));
    if (layers) row.push_back(r.region);
    if (r.counters) {
      const auto& c = *r.counters;
      const auto& fp = e.at("footprint");
      row.push_back(fmt::format("{}", u64(c, "cycles")));
      row.push_back(fmt::format("{:.3f}", num(c, "latency_s") * 1e3));
      row.push_back(fmt::format("{:.2f}", num(c.at("energy"), "total_pj") * 1e-6));
      row.push_back(r.is_region || !fp.is_object() ? "" : fmt::format("{:.1f}", u64(fp, "flash_bytes") / 1024.0));
      row.push_back(r.is_region || !fp.is_object() ? "" : fmt::format("{:.1f}", u64(fp, "sram_bytes") / 1024.0));
    } else {
      for (int i = 0; i < 5; ++i) row.push_back("");
    }
    row.push_back(r.is_region ? "" : status_text(e));
    s.cells.push_back(std::move(row));
  }
  return s;
}

}  // namespace

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> names = {"table", "csv", "markdown", "json"};
  return names;
}

Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "csv") return Format::csv;
  if (name == "markdown") return Format::markdown;
  if (name == "json") return Format::json;
  throw InputError(fmt::format("--format '{}': expected one of table, csv, markdown, json", name));
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string results_csv(const ojson& doc, bool layers) {
  const auto keys = parameter_keys(doc);
  std::vector<std::string> header = {"configuration"};
  for (auto& k : keys) header.push_back("set:" + k);
  for (auto* h : {"task", "kernels", "region", "status", "error", "board", "core", "clock_hz", "flash_wait_states",
                  "instructions", "cycles", "cpi", "latency_ms", "energy_uj", "energy_core_uj", "energy_memory_uj",
                  "energy_static_uj", "average_power_mw", "branch_penalty_cycles", "flash_ifetch_stall_cycles",
                  "flash_data_stall_cycles", "sram_stall_cycles", "flash_icache_hit_rate", "flash_dcache_hit_rate",
                  "flash_bytes", "sram_bytes", "stack_peak_bytes"})
    header.push_back(h);
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_field(fields[i]);
    }
    out += "\n";
  };
  line(header);
  for (auto& r : rows_of(doc, layers)) {
    const ojson& e = *r.entry;
    std::vector<std::string> f = {std::to_string(e.at("configuration").get<std::uint64_t>())};
    for (auto& k : keys) f.push_back(param(e, k));
    f.push_back(e.at("task"));
    f.push_back(e.at("kernels"));
    f.push_back(r.region);
    f.push_back(e.at("status"));
    f.push_back(e.at("error"));
    const auto& b = e.at("board");
    if (b.is_object()) {
      f.push_back(b.at("name"));
      f.push_back(b.at("core"));
      f.push_back(std::to_string(u64(b, "clock_hz")));
      const auto& fl = b.at("flash");
      f.push_back(fl.contains("wait_states") ? fl.at("wait_states").dump() : "");
    } else {
      f.insert(f.end(), 4, "");
    }
    if (r.counters) {
      const auto& c = *r.counters;
      const auto& en = c.at("energy");
      const auto& fl = c.at("flash");
      f.push_back(std::to_string(u64(c, "instructions")));
      f.push_back(std::to_string(u64(c, "cycles")));
      f.push_back(fmt::format("{:.4f}", num(c, "cpi")));
      f.push_back(fmt::format("{:.6f}", num(c, "latency_s") * 1e3));
      f.push_back(fmt::format("{:.6f}", num(en, "total_pj") * 1e-6));
      f.push_back(fmt::format("{:.6f}", num(en.at("core_pj"), "total_pj") * 1e-6));
      f.push_back(fmt::format("{:.6f}", num(en.at("memory_pj"), "total_pj") * 1e-6));
      f.push_back(fmt::format("{:.6f}", num(en, "static_pj") * 1e-6));
      f.push_back(fmt::format("{:.4f}", num(en, "average_power_mw")));
      f.push_back(std::to_string(u64(c, "branch_penalty_cycles")));
      f.push_back(std::to_string(u64(fl, "ifetch_stall_cycles")));
      f.push_back(std::to_string(u64(fl, "data_stall_cycles")));
      f.push_back(std::to_string(u64(c.at("sram"), "stall_cycles")));
      f.push_back(hit_rate(fl.at("icache")));
      f.push_back(hit_rate(fl.at("dcache")));
    } else {
      f.insert(f.end(), 15, "");
    }
    const auto& fp = e.at("footprint");
    if (!r.is_region && fp.is_object()) {
      f.push_back(std::to_string(u64(fp, "flash_bytes")));
      f.push_back(std::to_string(u64(fp, "sram_bytes")));
      f.push_back(std::to_string(u64(fp, "stack_peak")));
    } else {
      f.insert(f.end(), 3, "");
    }
    line(f);
  }
  return out;
}

std::string results_markdown(const ojson& doc, bool layers) {
  const Summary s = summary(doc, layers);
  std::string out = "|";
  for (auto& h : s.header) out += fmt::format(" {} |", markdown_cell(h));
  out += "\n|";
  for (bool n : s.numeric) out += n ? "---:|" : "---|";
  out += "\n";
  for (auto& row : s.cells) {
    out += "|";
    for (auto& c : row) out += fmt::format(" {} |", markdown_cell(c));
    out += "\n";
  }
  return out;
}

std::string results_table(const ojson& doc, bool layers) {
  const Summary s = summary(doc, layers);
  std::vector<std::size_t> width(s.header.size());
  for (std::size_t i = 0; i < width.size(); ++i) {
    width[i] = s.header[i].size();
    // The last column (status) is not padded; errors can be long.
    if (i + 1 < width.size())
      for (auto& row : s.cells) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) l += "  ";
      if (i + 1 == cells.size()) l += cells[i];
      else if (s.numeric[i]) l += fmt::format("{:>{}}", cells[i], width[i]);
      else l += fmt::format("{:<{}}", cells[i], width[i]);
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(s.header);
  for (auto& row : s.cells) line(row);
  return out;
}

std::string render_results(const ojson& doc, Format f, bool layers) {
  switch (f) {
    case Format::table: return results_table(doc, layers);
    case Format::csv: return results_csv(doc, layers);
    case Format::markdown: return results_markdown(doc, layers);
    case Format::json: return dump_document(doc);
  }
  return {};
}

}  // namespace mcusim
