#include "mcusim/mlperf_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>

#include "mcusim/base/errors.h"
#include "mcusim/elf_image.h"
#include "mcusim/raw_image.h"
#include "mcusim/energy_report.h"
#include "mcusim/report.h"
#include "mcusim/simulation.h"

namespace mcusim::mlperf {
namespace {

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::energy:
      return "energy";
    case Mode::accuracy:
      return "accuracy";
    case Mode::performance:
      break;
  }
  return "performance";
}

// The host script: every command the runner sends, in order, each terminated by '%'.
struct Script {
  std::string text;
  void add(std::string_view cmd) {
    text += cmd;
    text += '%';
  }
  void load(const std::vector<std::uint8_t>& bytes) {
    for (const auto& c : db_commands(bytes)) add(c);
  }
};

std::size_t argmax(const std::vector<double>& v) {
  return v.empty() ? 0 : static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

Mode parse_mode(std::string_view name) {
  if (name == "performance") return Mode::performance;
  if (name == "energy") return Mode::energy;
  if (name == "accuracy") return Mode::accuracy;
  throw InputError(fmt::format("--mode '{}': expected performance, energy or accuracy", name));
}

Run run(const BoardConfig& board, const std::string& elf, const Options& o) {
  const auto& info = task_info(o.task);
  Run r;
  r.options = o;
  if (o.mode == Mode::accuracy) {
    r.n = 1;
    r.w = 0;
  } else {
    r.n = o.n.value_or(o.mode == Mode::energy ? info.energy_n : info.perf_n);
    r.w = o.w.value_or(o.mode == Mode::energy ? info.energy_w : info.perf_w);
  }
  if (r.n == 0) throw InputError("--infer N W: N must be at least 1");
  if (o.mode != Mode::accuracy && o.windows == 0) throw InputError("--windows: at least 1");
  if (!o.input.empty()) {
    r.inputs = read_inputs(o.input, o.task);
  } else {
    r.generated = true;
    r.inputs = generated_inputs(o.task, o.mode == Mode::accuracy ? 5 : o.windows);
  }
  const std::size_t count = o.mode == Mode::accuracy ? r.inputs.size() : o.windows;

  Script script;
  script.add("name");
  script.add("profile");
  for (std::size_t i = 0; i < count; ++i) {
    script.load(r.inputs[i % r.inputs.size()].bytes);
    script.add(fmt::format("infer {} {}", r.n, r.w));
  }

  const std::string uart = o.uart.empty() ? board.runner_uart : o.uart;
  if (uart.empty())
    throw InputError(fmt::format(
        "board {}: no `runner_uart` (the SoC UART the MLPerf Tiny runner talks to, docs/mlperf.md); "
        "name one with --uart",
        board.name));
  const Image image = load_board_image(elf, board);  // ELF, raw binary or Intel HEX
  Simulation sim(board, image);
  RunOptions ro;
  ro.max_instructions = o.max_instructions;
  // The host script on the runner UART: the UART model holds each command (up to its '%') until
  // the DUT has answered the previous one and waits for input, as the runner waits for m-ready.
  ro.uart_input[uart] = script.text;
  ro.profile = o.profile;
  ro.progress = o.progress;
  // Energy mode: the run snapshots its counters at every edge of the timestamp pin; on an image
  // without window regions (a vendor binary), or with --window-from edges, a window's energy is
  // priced from the difference of the snapshots at its two falling edges, like a region.
  const bool edge_priced = o.mode == Mode::energy;
  if (edge_priced) ro.snapshot_pin = board.timestamp_pin;
  r.result = sim.run(ro);
  // The DUT never exits on its own: the session ends when the script is used up and the DUT
  // sleeps waiting for the next command.
  const bool ended = r.result.stop == StopReason::waiting_for_input ||
                     (r.result.stop == StopReason::exited && r.result.exit_code == 0);
  if (!ended)
    throw InputError(fmt::format(
        "{}: the DUT firmware stopped before the end of the runner's script: {}", elf,
        r.result.stop_message.empty() ? "exit status " + std::to_string(r.result.exit_code)
                                      : r.result.stop_message));

  // Replay the DUT's UART output through the runner's session: the DUT answered the commands in
  // order, so reading its lines after each (recorded) command is the same exchange.
  std::deque<std::string> lines;
  {
    const auto out = r.result.soc.uart_output.find(uart);
    const std::string c = out == r.result.soc.uart_output.end() ? std::string() : out->second;
    std::size_t pos = 0;
    while (pos < c.size()) {
      auto nl = c.find('\n', pos);
      if (nl == std::string::npos) nl = c.size();
      std::string l = c.substr(pos, nl - pos);
      if (!l.empty() && l.back() == '\r') l.pop_back();
      lines.push_back(std::move(l));
      pos = nl + 1;
    }
  }
  DutLink link{
      [](std::string_view) {},
      [&lines, &elf]() {
        if (lines.empty())
          throw InputError(fmt::format("{}: the DUT's output ended before its m-ready", elf));
        auto l = lines.front();
        lines.pop_front();
        return l;
      }};
  Session s(link);
  s.wait_ready();
  r.dut_name = s.name();
  r.model = s.profile();
  if (!r.model.empty() && r.model != info.model)
    throw InputError(fmt::format("{}: the DUT runs model '{}', not the task's '{}' (--task {})",
                                 elf, r.model, info.model, info.name));
  const bool energy = o.mode == Mode::energy;
  if (energy) {
    const auto& out = r.result.soc.uart_output[uart];
    if (out.find("m-timestamp-mode-energy") == std::string::npos)
      throw InputError(fmt::format(
          "{}: --mode energy needs the DUT's energy build (timestamp pulses on {}, e.g. "
          "dut-{}-energy.elf); this DUT does not print m-timestamp-mode-energy",
          elf, board.timestamp_pin.empty() ? std::string("the timestamp pin") : board.timestamp_pin,
          info.name));
    if (board.timestamp_pin.empty())
      throw InputError(fmt::format("board {}: no `timestamp_pin` (the energy-mode timestamp GPIO, docs/mlperf.md)",
                                   board.name));
  }
  for (std::size_t i = 0; i < count; ++i) {
    s.load(r.inputs[i % r.inputs.size()].bytes);
    r.windows.push_back(energy ? s.infer_untimed(r.n, r.w) : s.infer(r.n, r.w));
  }
  r.transcript = s.transcript();
  r.timestamp_pin = board.timestamp_pin;
  const Hertz clock = r.result.soc.programmed_clock_hz ? r.result.soc.programmed_clock_hz : board.clock_hz;
  if (energy) {
    // The energy monitor's view: the timestamp pin's falling edges, two per window, in order.
    std::vector<std::pair<std::uint64_t, bool>> pin;
    for (const auto& e : r.result.soc.gpio_edges)
      if (e.pin == board.timestamp_pin) pin.emplace_back(e.cycle, e.level != 0);
    auto falls = falling_edges(pin);
    // A vendor build may pulse the pin at boot too: the windows are the last 2 x windows edges
    // (the runner takes each window's last two timestamps).
    if (falls.size() < 2 * count)
      throw InputError(fmt::format("{}: {} falling edges on the timestamp pin {}, expected 2 per window ({})",
                                   elf, falls.size(), board.timestamp_pin, 2 * count));
    falls.erase(falls.begin(), falls.end() - static_cast<std::ptrdiff_t>(2 * count));
    const auto us = [clock](std::uint64_t cycles) {
      return static_cast<std::uint64_t>(std::llround(static_cast<double>(cycles) * 1e6 / static_cast<double>(clock)));
    };
    for (std::size_t i = 0; i < count; ++i) {
      r.windows[i].lap0_us = us(falls[2 * i]);
      r.windows[i].lap1_us = r.windows[i].lap0_us + us(falls[2 * i + 1] - falls[2 * i]);
      r.edge_cycles.push_back(falls[2 * i + 1] - falls[2 * i]);
      r.edge_begin.push_back(falls[2 * i]);
    }
  }

  if (o.mode == Mode::accuracy && !o.input.empty() && std::filesystem::is_directory(o.input)) {
    const auto labels = std::filesystem::path(o.input) / "y_labels.csv";
    if (std::filesystem::exists(labels)) {
      r.labels_path = labels.string();
      std::vector<std::string> files;
      std::vector<std::vector<double>> results;
      for (std::size_t i = 0; i < r.windows.size(); ++i) {
        const auto& name = r.inputs[i].name;
        files.push_back(name.substr(0, name.find('#')));  // AD slide windows share their file
        results.push_back(r.windows[i].results);
      }
      r.accuracy = score_accuracy(files, results, read_labels(r.labels_path));
    }
  }

  // mcusim's view: the DUT's "window" regions, in window order (ids 1000 + k).
  std::vector<const RegionResult*> wins;
  for (const auto& reg : r.result.regions) {
    auto it = reg.attrs.find("name");
    if (it != reg.attrs.end() && it->second == "window") wins.push_back(&reg);
  }
  std::sort(wins.begin(), wins.end(), [](auto* a, auto* b) { return a->id < b->id; });
  if (edge_priced && (wins.empty() || o.price_from_edges)) {
    // The energy monitor's view, priced like a region: the counters between the window's two
    // falling edges, at the programmed clock.
    std::vector<const PinSnapshot*> falls;
    for (std::size_t k = 0; k < r.result.pin_snapshots.size(); ++k) {
      const auto& sn = r.result.pin_snapshots[k];
      // The timestamp pin idles high (falling_edges): the first edge falls if it goes low.
      const bool was_high = k == 0 || r.result.pin_snapshots[k - 1].level != 0;
      if (sn.level == 0 && was_high) falls.push_back(&sn);
    }
    if (falls.size() < 2 * count)
      throw InputError(
          fmt::format("{}: {} counter snapshots at falling edges of {}, expected 2 per window ({})",
                      elf, falls.size(), board.timestamp_pin, 2 * count));
    falls.erase(falls.begin(), falls.end() - static_cast<std::ptrdiff_t>(2 * count));
    for (std::size_t i = 0; i < count; ++i) {
      const Counters c = falls[2 * i + 1]->counters - falls[2 * i]->counters;
      WindowFigures f;
      f.from_edges = true;
      f.cycles = r.edge_cycles[i];
      f.seconds = static_cast<double>(f.cycles) / static_cast<double>(clock);
      f.energy = power::compute_energy(r.result.energy_model,
                                       energy_events(c, clock, r.result.energy_model.flash_kind));
      f.energy_pj = f.energy.total_pj();
      r.figures.push_back(f);
    }
    return r;
  }
  if (wins.size() != count)
    throw InputError(
        fmt::format("{}: {} timed windows marked by the DUT (regions name=window), expected {}",
                    elf, wins.size(), count));
  for (auto* w : wins) {
    WindowFigures f;
    f.cycles = w->counters.cycles;
    f.seconds = static_cast<double>(f.cycles) / static_cast<double>(clock);
    f.energy = w->energy;
    f.energy_pj = w->energy.total_pj();
    r.figures.push_back(f);
  }
  return r;
}

std::string text(const Run& r) {
  const auto& info = task_info(r.options.task);
  const double clock = static_cast<double>(r.result.board.clock_hz);
  std::string out;
  out +=
      fmt::format("mlperf {} ({}), {} mode, board {} @ {:g} MHz, DUT '{}'\n", info.name, info.model,
                  mode_name(r.options.mode), r.result.board.name, clock / 1e6, r.dut_name);
  out += fmt::format(
      "inputs: {}\n",
      r.generated ? fmt::format("{} generated (deterministic, seed 1; no --input)", r.inputs.size())
                  : fmt::format("{} from {}", r.inputs.size(), r.options.input));
  if (r.options.mode == Mode::accuracy) {
    out += "input,top1,results\n";
    for (std::size_t i = 0; i < r.windows.size(); ++i) {
      out += fmt::format("{},{},{}\n", r.inputs[i].name,
                         r.options.task == Task::ad ? std::string("-")
                                                    : std::to_string(argmax(r.windows[i].results)),
                         fmt::join(r.windows[i].results, " "));
    }
    if (r.accuracy) {
      out += fmt::format("\nrunner's accuracy summary ({} files, labels {}; benchmark/runner/main.py):\n",
                         r.accuracy->files.size(), r.labels_path);
      out += fmt::format("ulp-mlperf: Top 1% = {:2.1f}\n", r.accuracy->top1_percent);
      if (r.accuracy->auc)
        out += fmt::format("ulp-mlperf: AUC = {:.3f}\n", *r.accuracy->auc);
      else
        out += fmt::format("ulp-mlperf: AUC undefined: {}\n", r.accuracy->auc_note);
    } else {
      out += "(no y_labels.csv in the input directory: no Top-1 / AUC summary)\n";
    }
    return out;
  }
  out += fmt::format("infer {} {} x {} windows\n\n", r.n, r.w, r.windows.size());
  out +=
      "window  runner: runtime    throughput   latency     | mcusim: cycles     latency     "
      "energy/inf   "
      "power     not inference\n";
  const RegionResult* inf = inference_region(r.result);
  const double inf_cycles =
      inf && inf->instances ? static_cast<double>(inf->counters.cycles) / inf->instances : 0;
  std::vector<double> epi;
  for (std::size_t i = 0; i < r.windows.size(); ++i) {
    const auto& w = r.windows[i];
    const auto& f = r.figures[i];
    const double e_inf = f.energy_pj / r.n;
    epi.push_back(e_inf);
    const double overhead = f.cycles && inf_cycles > 0 ? 1.0 - r.n * inf_cycles / static_cast<double>(f.cycles) : 0;
    out += fmt::format(
        "{:>6}  {:>11.6f} s {:>9.3f}/s {:>10.3f} ms | {:>13} {:>8.3f} ms {:>9.2f} uJ {:>7.2f} mW "
        "{:>6.2f} %{}\n",
        i, w.runtime_s(), w.throughput(), w.latency_s() * 1e3, f.cycles,
        static_cast<double>(f.cycles) / clock / r.n * 1e3, e_inf * 1e-6,
        f.seconds > 0 ? f.energy_pj * 1e-9 / f.seconds : 0, 100 * overhead,
        w.meets_runtime_rules() ? "" : "  (< 10 s or < 10 inferences: the runner would flag it)");
  }
  const double med = median_throughput(r.windows);
  out +=
      fmt::format("\nrunner: median throughput {:.3f} inf/s -> latency {:.3f} ms per inference\n",
                  med, med > 0 ? 1e3 / med : 0);
  out += fmt::format("runner-style energy (window energy / N, median): {:.2f} uJ per inference\n",
                     median(epi) * 1e-6);
  if (inf)
    out += fmt::format(
        "mcusim: inference region {:.0f} cycles = {:.3f} ms at {:g} MHz ({} instances, warm-ups "
        "included)\n",
        inf_cycles, inf_cycles / clock * 1e3, clock / 1e6, inf->instances);
  // Energy breakdown of the median window.
  std::vector<std::size_t> order(r.figures.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return epi[a] < epi[b]; });
  const auto& mf = r.figures[order[order.size() / 2]];
  out += fmt::format("energy per inference, window {} (median):\n", order[order.size() / 2]);
  out += energy_text(mf.energy, mf.seconds);
  if (mf.from_edges)
    out += fmt::format(
        "  (priced from the counters at the falling edges of {}: the image has no window "
        "regions)\n",
        r.timestamp_pin);
  out += fmt::format("  (window totals; divide by N = {} for per inference)\n", r.n);
  out += fmt::format(
      "energy model: {} at VDD {:g} V, {} regulator, V_core {:g} V ({})\n",
      r.result.energy_model.name, r.result.energy_model.vdd_v,
      power::regulator_name(r.result.energy_model.regulator), r.result.energy_model.vcore_v,
      r.result.energy_model.range.empty() ? std::string("direct") : r.result.energy_model.range);
  if (r.options.mode == Mode::energy && !r.edge_cycles.empty() && !r.figures.empty() &&
      !r.figures[0].from_edges) {
    std::string spans;
    for (std::size_t i = 0; i < r.edge_cycles.size() && i < r.figures.size(); ++i)
      spans += fmt::format("{}{:+}", spans.empty() ? "" : ", ",
                           static_cast<long long>(r.edge_cycles[i]) - static_cast<long long>(r.figures[i].cycles));
    out += fmt::format(
        "energy mode: windows framed by the falling edges of {} (the energy monitor's view); edge "
        "window minus mcusim's window region, cycles: {}\n",
        r.timestamp_pin, spans);
  }
  return out;
}

nlohmann::ordered_json json(const Run& r) {
  const auto& info = task_info(r.options.task);
  nlohmann::ordered_json j;
  j["task"] = info.name;
  j["model"] = r.model;
  j["mode"] = mode_name(r.options.mode);
  j["dut_name"] = r.dut_name;
  j["infer_n"] = r.n;
  j["infer_w"] = r.w;
  j["inputs_generated"] = r.generated;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (auto& i : r.inputs) inputs.push_back(i.name);
  j["inputs"] = inputs;
  const double clock = static_cast<double>(r.result.board.clock_hz);
  nlohmann::ordered_json ws = nlohmann::ordered_json::array();
  std::vector<double> epi;
  for (std::size_t i = 0; i < r.windows.size(); ++i) {
    const auto& w = r.windows[i];
    nlohmann::ordered_json o;
    o["input"] = r.inputs[i % r.inputs.size()].name;
    o["lap_us"] = {w.lap0_us, w.lap1_us};
    o["runtime_s"] = w.runtime_s();
    o["throughput_per_s"] = w.throughput();
    o["meets_runtime_rules"] = w.meets_runtime_rules();
    o["results"] = w.results;
    if (i < r.figures.size()) {
      const auto& f = r.figures[i];
      o["cycles"] = f.cycles;
      o["seconds"] = f.seconds;
      o["energy"] = energy_json(f.energy, f.seconds);
      if (f.from_edges) o["priced_from"] = "timestamp_edges";
      o["energy_per_inference_pj"] = f.energy_pj / r.n;
      if (i < r.edge_cycles.size()) o["edge_window_cycles"] = r.edge_cycles[i];
      epi.push_back(f.energy_pj / r.n);
    }
    ws.push_back(o);
  }
  j["windows"] = ws;
  if (r.accuracy) {
    nlohmann::ordered_json a;
    a["labels"] = r.labels_path;
    a["top1_percent"] = r.accuracy->top1_percent;
    a["auc"] = r.accuracy->auc ? nlohmann::ordered_json(*r.accuracy->auc) : nlohmann::ordered_json(nullptr);
    if (!r.accuracy->auc) a["auc_note"] = r.accuracy->auc_note;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : r.accuracy->files)
      files.push_back({{"file", f.file},
                       {"true_class", f.true_class},
                       {"predicted_class", f.predicted_class},
                       {"prediction", f.prediction}});
    a["files"] = files;
    j["accuracy"] = a;
  }
  if (r.options.mode != Mode::accuracy && !r.windows.empty()) {
    const double med = median_throughput(r.windows);
    j["median_throughput_per_s"] = med;
    j["latency_s"] = med > 0 ? 1.0 / med : 0.0;
    j["energy_per_inference_pj"] = epi.empty() ? 0.0 : median(epi);
    const RegionResult* inf = inference_region(r.result);
    if (inf && inf->instances) {
      const double c = static_cast<double>(inf->counters.cycles) / inf->instances;
      j["inference_cycles"] = c;
      j["inference_latency_s"] = c / clock;
    }
  }
  return j;
}

}  // namespace mcusim::mlperf
