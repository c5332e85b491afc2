#include "mcusim/results_doc.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mcusim/base/errors.h"
#include "mcusim/report.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

std::string strip_prefixes(std::string msg, const EntryOptions& o) {
  for (auto prefix : o.strip_prefixes) {
    if (prefix.empty()) continue;
    if (prefix.back() != '/') prefix += '/';
    for (std::size_t pos; (pos = msg.find(prefix)) != std::string::npos;) msg.erase(pos, prefix.size());
  }
  return msg;
}

const char* status_of(const RunResult* r) {
  if (!r) return "error";
  // A firmware that served all UART input and waits for more ended as it should.
  if (r->stop == StopReason::waiting_for_input) return "ok";
  return r->stop == StopReason::exited && r->exit_code == 0 ? "ok" : "failed";
}

// --- validation -----------------------------------------------------------------------------

std::string type_name(const ojson& j) {
  switch (j.type()) {
    case ojson::value_t::null: return "null";
    case ojson::value_t::boolean: return "a boolean";
    case ojson::value_t::string: return fmt::format("string \"{}\"", j.get<std::string>().substr(0, 40));
    case ojson::value_t::number_integer: return fmt::format("integer {}", j.get<std::int64_t>());
    case ojson::value_t::number_unsigned: return fmt::format("integer {}", j.get<std::uint64_t>());
    case ojson::value_t::number_float: return fmt::format("number {}", j.get<double>());
    case ojson::value_t::array: return "an array";
    case ojson::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

class Checker {
 public:
  explicit Checker(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", origin_, path.empty() ? "(document)" : path, what));
  }

  enum class Type { object, array, string, uint, number, boolean };

  static const char* expected(Type t) {
    switch (t) {
      case Type::object: return "an object";
      case Type::array: return "an array";
      case Type::string: return "a string";
      case Type::uint: return "an unsigned integer";
      case Type::number: return "a number";
      case Type::boolean: return "a boolean";
    }
    return "?";
  }

  static bool is(const ojson& j, Type t) {
    switch (t) {
      case Type::object: return j.is_object();
      case Type::array: return j.is_array();
      case Type::string: return j.is_string();
      case Type::uint: return j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0);
      case Type::number: return j.is_number();
      case Type::boolean: return j.is_boolean();
    }
    return false;
  }

  // obj[key] with the given type (or null when `nullable`); returns it.
  const ojson& need(const ojson& obj, const std::string& path, const char* key, Type t, bool nullable = false) const {
    const std::string p = path.empty() ? key : path + "." + key;
    auto it = obj.find(key);
    if (it == obj.end()) fail(p, fmt::format("missing; expected {}", expected(t)));
    if (nullable && it->is_null()) return *it;
    if (!is(*it, t))
      fail(p, fmt::format("expected {}{}, found {}", expected(t), nullable ? " or null" : "", type_name(*it)));
    return *it;
  }

  void one_of(const ojson& v, const std::string& path, std::initializer_list<const char*> allowed) const {
    for (auto* a : allowed)
      if (v == a) return;
    std::string list;
    for (auto* a : allowed) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", a);
    fail(path, fmt::format("expected one of {}, found {}", list, type_name(v)));
  }

  void counters(const ojson& c, const std::string& p) const {
    for (auto* k : {"instructions", "cycles", "branch_penalty_cycles", "divide_extra_cycles"}) need(c, p, k, Type::uint);
    for (auto* k : {"cpi", "latency_s"}) need(c, p, k, Type::number);
    need(c, p, "instruction_classes", Type::object);
    const auto& f = need(c, p, "flash", Type::object);
    for (auto* k : {"array_reads", "prefetch_reads", "ifetch_units", "ifetch_buffer_hits", "prefetch_hits", "data_reads",
                    "data_read_bytes", "ifetch_stall_cycles", "data_stall_cycles"})
      need(f, p + ".flash", k, Type::uint);
    for (auto* cache : {"icache", "dcache"}) {
      const auto& x = need(f, p + ".flash", cache, Type::object);
      for (auto* k : {"hits", "misses", "evictions"}) need(x, p + ".flash." + cache, k, Type::uint);
    }
    const auto& s = need(c, p, "sram", Type::object);
    for (auto* k : {"reads", "writes", "read_bytes", "write_bytes", "stall_cycles"}) need(s, p + ".sram", k, Type::uint);
    need(c, p, "peripheral_accesses", Type::uint);
    const auto& e = need(c, p, "energy", Type::object);
    for (auto* k : {"total_pj", "static_pj", "sleep_pj", "average_power_mw"}) need(e, p + ".energy", k, Type::number);
    for (auto* k : {"core_pj", "memory_pj"})
      need(need(e, p + ".energy", k, Type::object), p + ".energy." + k, "total_pj", Type::number);
  }

  void board(const ojson& b, const std::string& p) const {
    need(b, p, "name", Type::string);
    need(b, p, "core", Type::string);
    need(b, p, "clock_hz", Type::uint);
    need(b, p, "flash", Type::object);
    const auto& sram = need(b, p, "sram", Type::array);
    for (std::size_t i = 0; i < sram.size(); ++i) {
      const std::string q = fmt::format("{}.sram[{}]", p, i);
      if (!sram[i].is_object()) fail(q, fmt::format("expected an object, found {}", type_name(sram[i])));
      need(sram[i], q, "name", Type::string);
      need(sram[i], q, "size_bytes", Type::uint);
    }
    need(b, p, "energy_table", Type::string);
  }

  void entry(const ojson& e, const std::string& p) const {
    need(e, p, "configuration", Type::uint);
    const auto& params = need(e, p, "parameters", Type::object);
    for (auto& [k, v] : params.items())
      if (!v.is_string()) fail(p + ".parameters." + k, fmt::format("expected a string, found {}", type_name(v)));
    need(e, p, "task", Type::string);
    need(e, p, "kernels", Type::string);
    need(e, p, "firmware", Type::string);
    const auto& status = need(e, p, "status", Type::string);
    one_of(status, p + ".status", {"ok", "failed", "error"});
    need(e, p, "error", Type::string);
    const bool ran = status != "error";
    // An entry that ran carries its figures; one that did not has nulls in their place.
    const auto& b = need(e, p, "board", Type::object, !ran);
    if (!b.is_null()) board(b, p + ".board");
    const auto& stop = need(e, p, "stop", Type::object, !ran);
    if (!stop.is_null()) {
      one_of(need(stop, p + ".stop", "reason", Type::string), p + ".stop.reason",
             {"exited", "fault", "instruction_limit", "unsupported", "stuck", "waiting_for_input"});
      need(stop, p + ".stop", "exit_code", Type::number);
      need(stop, p + ".stop", "message", Type::string);
    }
    const auto& total = need(e, p, "total", Type::object, !ran);
    if (!total.is_null()) counters(total, p + ".total");
    const auto& inf = need(e, p, "inference", Type::object, true);
    if (!inf.is_null()) counters(inf, p + ".inference");
    const auto& fp = need(e, p, "footprint", Type::object, !ran);
    if (!fp.is_null())
      for (auto* k : {"flash_bytes", "sram_bytes", "text", "rodata", "data", "bss", "arena", "stack_peak"})
        need(fp, p + ".footprint", k, Type::uint);
    const auto& regions = need(e, p, "regions", Type::array);
    for (std::size_t i = 0; i < regions.size(); ++i) {
      const std::string q = fmt::format("{}.regions[{}]", p, i);
      if (!regions[i].is_object()) fail(q, fmt::format("expected an object, found {}", type_name(regions[i])));
      need(regions[i], q, "id", Type::uint);
      need(regions[i], q, "label", Type::string);
      need(regions[i], q, "attributes", Type::object);
      need(regions[i], q, "instances", Type::uint);
      counters(need(regions[i], q, "counters", Type::object), q + ".counters");
    }
    need(e, p, "console", Type::string);
  }

  void sweep(const ojson& s, const std::string& p) const {
    need(s, p, "board", Type::string);
    const auto& axes = need(s, p, "axes", Type::array);
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::string q = fmt::format("{}.axes[{}]", p, i);
      if (!axes[i].is_object()) fail(q, fmt::format("expected an object, found {}", type_name(axes[i])));
      need(axes[i], q, "key", Type::string);
      const auto& values = need(axes[i], q, "values", Type::array);
      for (std::size_t v = 0; v < values.size(); ++v)
        if (!values[v].is_string())
          fail(fmt::format("{}.values[{}]", q, v), fmt::format("expected a string, found {}", type_name(values[v])));
    }
    for (auto* list : {"tasks", "kernels"}) {
      const auto& a = need(s, p, list, Type::array);
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!a[i].is_string())
          fail(fmt::format("{}.{}[{}]", p, list, i), fmt::format("expected a string, found {}", type_name(a[i])));
    }
    need(s, p, "configurations", Type::uint);
    need(s, p, "rows", Type::uint);
    const auto& shard = need(s, p, "shard", Type::object, true);
    if (!shard.is_null()) {
      need(shard, p + ".shard", "index", Type::uint);
      need(shard, p + ".shard", "count", Type::uint);
    }
  }

  void document(const ojson& doc) const {
    if (!doc.is_object()) fail("", fmt::format("expected a JSON object, found {}", type_name(doc)));
    const auto& version = need(doc, "", "schema_version", Type::uint);
    if (version != kResultSchemaVersion)
      fail("schema_version", fmt::format("schema mismatch: the file has schema_version {}, this mcusim reads {}",
                                         version.get<std::uint64_t>(), kResultSchemaVersion));
    need(doc, "", "mcusim_version", Type::string);
    one_of(need(doc, "", "command", Type::string), "command", {"run", "bench", "sweep", "mlperf"});
    const auto& s = need(doc, "", "sweep", Type::object, true);
    if (!s.is_null()) sweep(s, "sweep");
    const auto& results = need(doc, "", "results", Type::array);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::string p = fmt::format("results[{}]", i);
      if (!results[i].is_object()) fail(p, fmt::format("expected an object, found {}", type_name(results[i])));
      entry(results[i], p);
    }
  }

 private:
  std::string origin_;
};

}  // namespace

std::pair<std::string, std::string> split_parameter(const std::string& key_value) {
  auto eq = key_value.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(fmt::format("--set '{}': expected key=value", key_value));
  return {key_value.substr(0, eq), key_value.substr(eq + 1)};
}

ojson entry_json(const ResultEntry& e, const RunResult* result, const EntryOptions& o) {
  ojson params = ojson::object();
  for (auto& [k, v] : e.parameters) params[k] = v;
  ojson j;
  j["configuration"] = e.configuration;
  j["parameters"] = params;
  j["task"] = e.task;
  j["kernels"] = e.kernels;
  j["firmware"] = o.record_paths ? e.firmware : std::filesystem::path(e.firmware).filename().string();
  j["status"] = status_of(result);
  j["error"] = o.record_paths ? e.error : strip_prefixes(e.error, o);
  if (result) {
    ojson run = run_json(*result);
    for (auto& [k, v] : run.items()) j[k] = std::move(v);
    if (!result->soc.soc.empty()) {  // SoC peripherals (docs/results-schema.md "peripherals")
      const auto& s = result->soc;
      ojson p;
      p["soc"] = s.soc;
      p["programmed_clock_hz"] = s.programmed_clock_hz;
      p["clock_set_at_cycle"] = s.clock_set_at;
      ojson uarts = ojson::object();
      for (const auto& [name, text] : s.uart_output) uarts[name] = text;
      p["uarts"] = uarts;
      ojson edges = ojson::array();
      for (const auto& e : s.gpio_edges) edges.push_back({{"pin", e.pin}, {"level", e.level}, {"cycle", e.cycle}});
      p["gpio_edges"] = edges;
      p["warnings"] = s.warnings;
      j["peripherals"] = p;
    }
  } else {
    for (auto* k : {"board", "energy_model", "stop", "total", "inference", "footprint"}) j[k] = nullptr;
    j["regions"] = ojson::array();
    j["console"] = "";
  }
  return j;
}

ojson results_document(std::string_view command, ojson sweep, ojson entries) {
  ojson j;
  j["schema_version"] = kResultSchemaVersion;
  j["mcusim_version"] = std::string(mcusim_version());
  j["command"] = std::string(command);
  j["sweep"] = std::move(sweep);
  j["results"] = entries.is_array() ? std::move(entries) : ojson::array();
  return j;
}

nlohmann::ordered_json json_report(const RunResult& r) {
  ResultEntry e;
  e.task = std::filesystem::path(r.firmware).stem().string();
  e.firmware = r.firmware;
  ojson entries = ojson::array();
  entries.push_back(entry_json(e, &r, {}));
  return results_document("run", nullptr, std::move(entries));
}

void validate_results(const ojson& doc, const std::string& origin) { Checker(origin).document(doc); }

ojson read_results_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory; expected a results JSON file", path.string()));
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
  std::stringstream text;
  text << f.rdbuf();
  if (f.bad()) throw InputError(fmt::format("{}: read failed", path.string()));
  ojson doc;
  try {
    doc = ojson::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON (byte {}): {}", path.string(), e.byte, e.what()));
  } catch (const nlohmann::json::exception& e) {  // e.g. a number out of range (1e400)
    throw InputError(fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
  }
  validate_results(doc, path.string());
  return doc;
}

std::string dump_document(const ojson& doc) { return doc.dump(2) + "\n"; }

}  // namespace mcusim
