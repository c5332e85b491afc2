#include "mcusim/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <vector>

#include "mcusim/base/errors.h"
#include "mcusim/compare.h"

namespace mcusim {
namespace {

using ojson = nlohmann::ordered_json;

// ----------------------------------------------------------------------------------------------
// Text helpers

std::string esc(std::string_view s) { return xml_escape(s); }

// A JSON pointer token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string ptr_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string ptr(const std::string& base, std::string_view key) { return base + "/" + ptr_token(key); }
std::string ptr(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

// Digits grouped by thousands, e.g. -1,234,567.
std::string grouped(long long v) {
  const bool neg = v < 0;
  std::string s = std::to_string(neg ? -static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v));
  std::string out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it, ++n) {
    if (n && n % 3 == 0) out.push_back(',');
    out.push_back(*it);
  }
  if (neg) out.push_back('-');
  return {out.rbegin(), out.rend()};
}

// `v` with `digits` decimals; digits == 0 gives a grouped integer.
std::string number(double v, int digits) {
  if (digits <= 0) return grouped(std::llround(v));
  std::string s = fmt::format("{:.{}f}", std::abs(v), digits);
  const auto dot = s.find('.');
  std::string out = grouped(std::stoll(s.substr(0, dot))) + s.substr(dot);
  if (v < 0 && std::stod(s) != 0) out = "-" + out;
  return out;
}

// A number as the JSON document writes it (shortest round-trip form), for `value` attributes.
std::string raw(const ojson& v) { return v.is_number() ? v.dump() : "0"; }

// Looks up `p` in `doc`; throws InputError naming the pointer when it is missing.
const ojson& at_ptr(const ojson& doc, const std::string& p) {
  try {
    return doc.at(ojson::json_pointer(p));
  } catch (const nlohmann::json::exception&) {
    throw InputError(fmt::format("html report: {}: missing in the document", p));
  }
}

double num_at(const ojson& doc, const std::string& p) {
  const ojson& v = at_ptr(doc, p);
  if (!v.is_number()) throw InputError(fmt::format("html report: {}: expected a number, found {}", p, v.type_name()));
  return v.get<double>();
}

// Bytes as B, KiB or MiB with the precision the text report uses.
std::pair<double, std::string> bytes_scale(double bytes) {
  if (bytes >= 1024.0 * 1024.0) return {1.0 / 1048576.0, "MiB"};
  if (bytes >= 1024.0) return {1.0 / 1024.0, "KiB"};
  return {1.0, "B"};
}

const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
const char* color(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

// ----------------------------------------------------------------------------------------------
// The page: figures are <data> elements tied to the document by JSON pointers.

class Page {
 public:
  explicit Page(const ojson& doc) : doc_(doc) {}

  // A figure: the value at pointer `p` times `scale`, shown with `digits` decimals and `unit`.
  std::string fig(const std::string& p, double scale = 1, int digits = 0, std::string_view unit = "") const {
    const ojson& v = at_ptr(doc_, p);
    if (!v.is_number()) throw InputError(fmt::format("html report: {}: expected a number, found {}", p, v.type_name()));
    const std::string u = unit.empty() ? "" : fmt::format(" {}", unit);
    return fmt::format(R"(<data class="fig" value="{}" data-ptr="{}" data-scale="{}">{}</data>{})", raw(v), esc(p),
                       scale, number(v.get<double>() * scale, digits), esc(u));
  }
  // A share in percent: value at `p` over value at `den`.
  std::string share(const std::string& p, const std::string& den, int digits = 1) const {
    const double n = num_at(doc_, p), d = num_at(doc_, den);
    const double pct = d != 0 ? 100.0 * n / d : 0.0;
    return fmt::format(R"(<data class="fig share" value="{}" data-ptr="{}" data-den="{}" data-scale="100">{}</data> %)",
                       raw(at_ptr(doc_, p)), esc(p), esc(den), number(pct, digits));
  }
  // Bytes with a unit chosen by size.
  std::string bytes(const std::string& p) const {
    const double b = num_at(doc_, p);
    auto [scale, unit] = bytes_scale(b);
    return fig(p, scale, unit == "B" ? 0 : (unit == "KiB" ? 1 : 2), unit);
  }
  double num(const std::string& p) const { return num_at(doc_, p); }
  const ojson& at(const std::string& p) const { return at_ptr(doc_, p); }
  const ojson& doc() const { return doc_; }

 private:
  const ojson& doc_;
};

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;background:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #4e79a7;padding-bottom:3px;margin-top:28px}
h3{font-size:15px;margin:18px 0 6px}.sub{color:#555;margin:0 0 12px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#eef2f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 14px}
.card{border:1px solid #d5dbe3;border-radius:6px;padding:8px 12px;min-width:130px;background:#f8fafc}
.card .k{color:#555;font-size:12px}.card .v{font-size:18px;font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:18px}
svg{font-family:inherit;font-size:11px;background:#fff}svg text{fill:#222}
.regressed{color:#b00020;font-weight:bold}.improved{color:#1b7f3a}.ok{color:#1b7f3a}.bad{color:#b00020}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
details{margin:8px 0}summary{cursor:pointer;color:#333}
footer{margin-top:30px;color:#777;font-size:12px}
)";

std::string page_head(const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      esc(title), kStyle);
}

std::string page_foot(const std::string& version) {
  return fmt::format(
      "<footer>Written by mcusim {} from its results document; every figure is a &lt;data&gt; element naming its "
      "JSON pointer (data-ptr). Cycles are modelled core clock cycles; energy comes from the board's energy "
      "table.</footer>\n</body>\n</html>\n",
      esc(version));
}

// ----------------------------------------------------------------------------------------------
// Charts (inline SVG)

// "Nice" tick step for a range (1, 2 or 5 times a power of ten).
double nice_step(double range, int ticks) {
  if (range <= 0) return 1;
  const double raw_step = range / ticks;
  const double p = std::pow(10.0, std::floor(std::log10(raw_step)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw_step) return m * p;
  return 10 * p;
}

int decimals_for(double step) { return step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9)); }

struct Bar {
  std::string label;
  std::string pointer;  // JSON pointer of the value
  double value;         // in the chart's unit
  std::string text;     // value as shown next to the bar
};

// Horizontal bars, one per item, scaled to the largest value.
std::string hbar_chart(const std::string& title, const std::vector<Bar>& bars, const std::string& unit,
                       const std::string& fill) {
  const int label_w = 110, bar_w = 300, row_h = 20, top = 24, value_w = 80;
  const int width = label_w + bar_w + value_w, height = top + static_cast<int>(bars.size()) * row_h + 8;
  double max = 0;
  for (auto& b : bars) max = std::max(max, b.value);
  std::string s = fmt::format(
      R"(<svg class="chart hbar" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
      "\n<text x=\"0\" y=\"14\" font-weight=\"bold\">{} ({})</text>\n",
      width, height, width, height, esc(title), esc(title), esc(unit));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double w = max > 0 ? bar_w * b.value / max : 0;
    const int y = top + static_cast<int>(i) * row_h;
    s += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.3f}\" height=\"{}\" fill=\"{}\" data-ptr=\"{}\"><title>{}: {} "
        "{}</title></rect><text x=\"{:.3f}\" y=\"{}\">{}</text>\n",
        label_w - 6, y + 13, esc(b.label), label_w, y + 2, w, row_h - 5, fill, esc(b.pointer), esc(b.label),
        esc(b.text), esc(unit), label_w + w + 4, y + 13, esc(b.text));
  }
  return s + "</svg>\n";
}

struct Segment {
  std::string label;
  std::string pointer;
  double value;
};

// One horizontal stacked bar of `total` width units (segments in order) with a legend.
std::string stacked_bar(const std::vector<Segment>& segs, double total, int width) {
  const int h = 26;
  std::string s = fmt::format(
      R"(<svg class="chart stacked" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}">)",
      width + 2, h + 2, width + 2, h + 2);
  s += fmt::format("<rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" fill=\"#f1f3f6\" stroke=\"#888\"/>", width, h);
  double x = 1;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const double w = total > 0 ? width * segs[i].value / total : 0;
    s += fmt::format(
        "<rect class=\"seg\" x=\"{:.3f}\" y=\"1\" width=\"{:.3f}\" height=\"{}\" fill=\"{}\" data-ptr=\"{}\"><title>{}</title></rect>",
        x, w, h, color(i), esc(segs[i].pointer), esc(segs[i].label));
    x += w;
  }
  return s + "</svg>\n";
}

// A line chart: x positions are categories (the swept values as given), one polyline per series.
struct Series {
  std::string name;
  std::vector<std::optional<double>> y;          // per category
  std::vector<std::string> pointers;             // per category (empty when no value)
};

std::string line_chart(const std::string& title, const std::string& xlabel, const std::vector<std::string>& cats,
                       const std::vector<Series>& series, const std::string& ylabel) {
  // Legend entries wrap onto lines below the plot.
  std::vector<std::pair<int, int>> legend_at;  // (x, line) per series
  int legend_lines = 0;
  if (series.size() > 1) {
    int lx = 64;
    legend_lines = 1;
    for (auto& sr : series) {
      const int item = 24 + 7 * static_cast<int>(sr.name.size());
      if (lx > 64 && lx + item > 500) lx = 64, ++legend_lines;
      legend_at.push_back({lx, legend_lines - 1});
      lx += item;
    }
  }
  const int w = 500, left = 64, right = 44, top = 28, bottom = 42 + 15 * legend_lines;
  const int h = 230 + bottom;
  const int pw = w - left - right, ph = h - top - bottom;
  double lo = 0, hi = 0;
  bool any = false;
  for (auto& sr : series)
    for (auto& v : sr.y)
      if (v) {
        hi = any ? std::max(hi, *v) : *v;
        any = true;
      }
  if (!any) hi = 1;
  const double step = nice_step(hi - lo, 5);
  hi = std::ceil(hi / step) * step;
  if (hi <= lo) hi = lo + step;
  auto X = [&](std::size_t i) { return left + (cats.size() <= 1 ? pw / 2.0 : pw * static_cast<double>(i) / (cats.size() - 1)); };
  auto Y = [&](double v) { return top + ph - ph * (v - lo) / (hi - lo); };
  std::string s = fmt::format(
      R"(<svg class="chart line" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
      "\n<text x=\"{}\" y=\"16\" font-weight=\"bold\">{}</text>\n",
      w, h, w, h, esc(title), left, esc(title));
  const int dec = decimals_for(step);
  for (double t = lo; t <= hi + step / 2; t += step)
    s += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#e3e6ea\"/><text x=\"{}\" y=\"{:.2f}\" "
        "text-anchor=\"end\">{}</text>\n",
        left, left + pw, Y(t), Y(t), left - 4, Y(t) + 4, number(t, dec));
  s += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#444\"/><line x1=\"{0}\" x2=\"{3}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#444\"/>\n",
                   left, top, top + ph, left + pw);
  for (std::size_t i = 0; i < cats.size(); ++i)
    s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", X(i), top + ph + 15, esc(cats[i]));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + pw / 2, top + ph + 29, esc(xlabel));
  s += fmt::format("<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", top + ph / 2,
                   esc(ylabel));
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& sr = series[k];
    std::string pts;
    for (std::size_t i = 0; i < cats.size(); ++i)
      if (sr.y[i]) pts += fmt::format("{:.2f},{:.2f} ", X(i), Y(*sr.y[i]));
    if (!pts.empty()) pts.pop_back();
    s += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", color(k), pts);
    for (std::size_t i = 0; i < cats.size(); ++i)
      if (sr.y[i])
        s += fmt::format(
            "<circle class=\"pt\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.5\" fill=\"{}\" data-ptr=\"{}\"><title>{}{}{}: "
            "{}</title></circle>\n",
            X(i), Y(*sr.y[i]), color(k), esc(sr.pointers[i]), esc(sr.name), sr.name.empty() ? "" : ", ", esc(cats[i]),
            number(*sr.y[i], 3));
  }
  for (std::size_t k = 0; k < legend_at.size(); ++k) {
    const int lx = legend_at[k].first, ly = top + ph + 44 + 15 * legend_at[k].second;
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                     lx, ly - 9, color(k), lx + 13, ly, esc(series[k].name));
  }
  return s + "</svg>\n";
}

// Colour from light to dark blue for t in [0, 1].
std::string ramp(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const int r = static_cast<int>(std::lround(222 + (8 - 222) * t));
  const int g = static_cast<int>(std::lround(235 + (69 - 235) * t));
  const int b = static_cast<int>(std::lround(247 + (148 - 247) * t));
  return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

struct Cell {
  std::optional<double> value;
  std::string pointer;
};

// A heatmap of rows x columns; cells labelled with their values.
std::string heatmap(const std::string& title, const std::string& row_key, const std::vector<std::string>& rows,
                    const std::string& col_key, const std::vector<std::string>& cols,
                    const std::vector<std::vector<Cell>>& cells, int digits) {
  const int cw = std::max(70, static_cast<int>(420 / std::max<std::size_t>(cols.size(), 1))), ch = 26;
  const int left = 110, top = 56;
  const int w = left + cw * static_cast<int>(cols.size()) + 10, h = top + ch * static_cast<int>(rows.size()) + 10;
  double lo = 0, hi = 0;
  bool any = false;
  for (auto& r : cells)
    for (auto& c : r)
      if (c.value) {
        lo = any ? std::min(lo, *c.value) : *c.value;
        hi = any ? std::max(hi, *c.value) : *c.value;
        any = true;
      }
  std::string s = fmt::format(
      R"(<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
      "\n<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>\n<text x=\"{}\" y=\"32\">{} &#8594;</text><text x=\"{}\" "
      "y=\"{}\" text-anchor=\"end\">{} &#8595;</text>\n",
      w, h, w, h, esc(title), esc(title), left, esc(col_key), left - 6, top - 6, esc(row_key));
  for (std::size_t j = 0; j < cols.size(); ++j)
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>", left + cw * j + cw / 2,
                     top - 6, esc(cols[j]));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>", left - 6,
                     top + ch * i + 17, esc(rows[i]));
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const auto& c = cells[i][j];
      const double t = c.value && hi > lo ? (*c.value - lo) / (hi - lo) : 0.0;
      s += fmt::format("<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"{}/>",
                       left + cw * j, top + ch * i, cw, ch, c.value ? ramp(t) : "#eeeeee",
                       c.value ? fmt::format(" data-ptr=\"{}\"", esc(c.pointer)) : "");
      s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" style=\"fill:{}\">{}</text>\n",
                       left + cw * j + cw / 2, top + ch * i + 17, t > 0.55 ? "#fff" : "#222", t > 0.55 ? "#fff" : "#222",
                       c.value ? number(*c.value, digits) : "n/a");
    }
  }
  return s + "</svg>\n";
}

struct Point {
  double x, y;
  std::string label;     // configuration text
  std::string x_ptr, y_ptr;
  std::size_t configuration;
};

// Indices of the points no other point beats in both x and y (lower is better), sorted by x.
std::vector<std::size_t> pareto_front(const std::vector<Point>& pts) {
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < pts.size() && !dominated; ++j)
      dominated = j != i && pts[j].x <= pts[i].x && pts[j].y <= pts[i].y && (pts[j].x < pts[i].x || pts[j].y < pts[i].y);
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end(), [&](auto a, auto b) {
    return pts[a].x != pts[b].x ? pts[a].x < pts[b].x : a < b;
  });
  return front;
}

std::string scatter_pareto(const std::string& title, const std::vector<Point>& pts, const std::vector<std::size_t>& front,
                           const std::string& xlabel, const std::string& ylabel) {
  const int w = 520, h = 320, left = 70, right = 16, top = 28, bottom = 44;
  const int pw = w - left - right, ph = h - top - bottom;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (!pts.empty()) {
    x0 = x1 = pts[0].x;
    y0 = y1 = pts[0].y;
    for (auto& p : pts) x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const double xs = nice_step(std::max(x1 - x0, std::abs(x1) * 1e-3 + 1e-12), 5);
  const double ys = nice_step(std::max(y1 - y0, std::abs(y1) * 1e-3 + 1e-12), 5);
  x0 = std::floor(x0 / xs) * xs, x1 = std::ceil(x1 / xs) * xs;
  y0 = std::floor(y0 / ys) * ys, y1 = std::ceil(y1 / ys) * ys;
  if (x1 <= x0) x1 = x0 + xs;
  if (y1 <= y0) y1 = y0 + ys;
  auto X = [&](double v) { return left + pw * (v - x0) / (x1 - x0); };
  auto Y = [&](double v) { return top + ph - ph * (v - y0) / (y1 - y0); };
  std::string s = fmt::format(
      R"(<svg class="chart pareto" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
      "\n<text x=\"{}\" y=\"16\" font-weight=\"bold\">{}</text>\n",
      w, h, w, h, esc(title), left, esc(title));
  for (double t = x0; t <= x1 + xs / 2; t += xs)
    s += fmt::format("<line x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e3e6ea\"/><text x=\"{0:.2f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                     X(t), top, top + ph, top + ph + 14, number(t, decimals_for(xs)));
  for (double t = y0; t <= y1 + ys / 2; t += ys)
    s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.2f}\" y2=\"{2:.2f}\" stroke=\"#e3e6ea\"/><text x=\"{3}\" y=\"{4:.2f}\" text-anchor=\"end\">{5}</text>\n",
                     left, left + pw, Y(t), left - 4, Y(t) + 4, number(t, decimals_for(ys)));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + pw / 2, h - 8, esc(xlabel));
  s += fmt::format("<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", top + ph / 2, esc(ylabel));
  std::string line;
  for (auto i : front) line += fmt::format("{:.2f},{:.2f} ", X(pts[i].x), Y(pts[i].y));
  if (!line.empty()) line.pop_back();
  s += fmt::format("<polyline fill=\"none\" stroke=\"#e15759\" stroke-width=\"2\" stroke-dasharray=\"5 3\" points=\"{}\"/>\n", line);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const bool on = std::find(front.begin(), front.end(), i) != front.end();
    s += fmt::format(
        "<circle class=\"pt{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\" data-configuration=\"{}\" data-x-ptr=\"{}\" "
        "data-y-ptr=\"{}\" data-pareto=\"{}\"><title>{}: {} / {}</title></circle>\n",
        on ? " front" : "", X(pts[i].x), Y(pts[i].y), on ? 5 : 3.5, on ? "#e15759" : "#4e79a7", pts[i].configuration,
        esc(pts[i].x_ptr), esc(pts[i].y_ptr), on ? 1 : 0, esc(pts[i].label), number(pts[i].x, 3), number(pts[i].y, 2));
  }
  return s + "</svg>\n";
}

// ----------------------------------------------------------------------------------------------
// Results document sections

std::string region_name(const ojson& reg) {
  auto& attrs = reg.at("attributes");
  auto it = attrs.find("name");
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : reg.at("label").get<std::string>();
}

std::string entry_title(const ojson& e) {
  std::string t = e.at("task").get<std::string>();
  if (!e.at("kernels").get<std::string>().empty()) t += " / " + e.at("kernels").get<std::string>() + " kernels";
  std::string params;
  for (auto& [k, v] : e.at("parameters").items()) params += fmt::format("{}{}={}", params.empty() ? "" : ", ", k, v.get<std::string>());
  if (!params.empty()) t += " [" + params + "]";
  return t;
}

std::string status_html(const ojson& e) {
  const std::string st = e.at("status");
  if (st == "ok") return "<span class=\"ok\">ok</span>";
  if (st == "error") return fmt::format("<span class=\"bad\">error: {}</span>", esc(e.at("error").get<std::string>()));
  const auto& stop = e.at("stop");
  std::string msg = stop.is_object() ? stop.value("message", "") : "";
  if (msg.empty() && stop.is_object()) msg = "exit status " + stop.value("exit_code", ojson(0)).dump();
  return fmt::format("<span class=\"bad\">failed: {}</span>", esc(msg));
}

// The counters an entry reports: its inference, else its whole run.
std::optional<std::string> counters_ptr(const ojson& e, const std::string& base) {
  if (e.at("inference").is_object()) return base + "/inference";
  if (e.at("total").is_object()) return base + "/total";
  return std::nullopt;
}

std::string card(const std::string& key, const std::string& value) {
  return fmt::format("<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>", esc(key), value);
}

// Energy components of a counters object, in the order of docs/models/energy.md.
std::vector<Segment> energy_segments(const Page& p, const std::string& energy) {
  std::vector<Segment> segs;
  const ojson& en = p.at(energy);
  auto add = [&](const std::string& label, const std::string& ptr_) { segs.push_back({label, ptr_, p.num(ptr_)}); };
  if (en.contains("core_pj") && en.at("core_pj").is_object()) {
    const std::string core = ptr(energy, "core_pj");
    for (auto& [k, v] : en.at("core_pj").items())
      if (k != "total_pj" && v.is_number()) add("core " + k.substr(0, k.size() - 3), ptr(core, k));
  }
  if (en.contains("memory_pj") && en.at("memory_pj").is_object()) {
    const std::string mem = ptr(energy, "memory_pj");
    for (auto& [k, v] : en.at("memory_pj").items())
      if (v.is_object() && v.contains("total_pj")) add(k, ptr(ptr(mem, k), "total_pj"));
  }
  if (en.contains("peripherals_pj") && en.at("peripherals_pj").is_object())
    add("peripherals", ptr(ptr(energy, "peripherals_pj"), "total_pj"));
  for (auto* k : {"static_pj", "sleep_pj"})
    if (en.contains(k)) add(std::string(k).substr(0, std::strlen(k) - 3), ptr(energy, k));
  return segs;
}

std::string energy_section(const Page& p, const std::string& energy) {
  const auto segs = energy_segments(p, energy);
  const std::string total = ptr(energy, "total_pj");
  std::string s = "<h3>Energy by component</h3>\n" + stacked_bar(segs, p.num(total), 760);
  s += "<table class=\"energy\"><tr><th>component</th><th class=\"n\">energy</th><th class=\"n\">share</th></tr>\n";
  for (std::size_t i = 0; i < segs.size(); ++i)
    s += fmt::format("<tr><td><span class=\"legend\"><i style=\"background:{}\"></i></span>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                     color(i), esc(segs[i].label), p.fig(segs[i].pointer, 1e-6, 2, "uJ"), p.share(segs[i].pointer, total));
  s += fmt::format("<tr><th>total</th><th class=\"n\">{}</th><th></th></tr></table>\n", p.fig(total, 1e-6, 2, "uJ"));
  return s;
}

std::string footprint_section(const Page& p, const ojson& e, const std::string& base) {
  if (!e.at("footprint").is_object() || !e.at("board").is_object()) return "";
  const std::string fp = base + "/footprint", board = base + "/board";
  std::string s = "<h3>Memory footprint against the board</h3>\n";
  s += "<table><tr><th>memory</th><th class=\"n\">used</th><th class=\"n\">size</th><th class=\"n\">used share</th><th>parts</th></tr>\n";
  // Flash: text + rodata + data against the flash array.
  const std::string flash_size = board + "/flash/size_bytes";
  std::vector<Segment> flash_parts;
  for (auto* k : {"text", "rodata", "data"}) flash_parts.push_back({k, ptr(fp, k), p.num(ptr(fp, k))});
  // SRAM: data + bss + stack against the sum of the SRAM regions (each also listed).
  std::vector<Segment> sram_parts;
  for (auto* k : {"data", "bss", "stack_peak"}) sram_parts.push_back({k, ptr(fp, k), p.num(ptr(fp, k))});
  const ojson& srams = e.at("board").at("sram");
  double sram_total = 0;
  std::string sram_sizes;
  for (std::size_t i = 0; i < srams.size(); ++i) {
    sram_total += p.num(ptr(ptr(board + "/sram", i), "size_bytes"));
    sram_sizes += fmt::format("{}{} {}", i ? " + " : "", esc(srams[i].value("name", "sram")),
                              p.bytes(ptr(ptr(board + "/sram", i), "size_bytes")));
  }
  auto parts_text = [&](const std::vector<Segment>& parts) {
    std::string t;
    for (std::size_t i = 0; i < parts.size(); ++i)
      t += fmt::format("{}<span class=\"legend\"><i style=\"background:{}\"></i></span>{} {}", i ? ", " : "", color(i),
                       esc(parts[i].label), p.bytes(parts[i].pointer));
    return t;
  };
  s += fmt::format("<tr><td>flash</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                   p.bytes(fp + "/flash_bytes"), p.bytes(flash_size), p.share(fp + "/flash_bytes", flash_size, 2),
                   parts_text(flash_parts));
  const double sram_used = p.num(fp + "/sram_bytes");
  s += fmt::format("<tr><td>SRAM</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n</table>\n",
                   p.bytes(fp + "/sram_bytes"), sram_sizes,
                   number(sram_total > 0 ? 100.0 * sram_used / sram_total : 0.0, 2) + " %", parts_text(sram_parts));
  s += "<div>flash</div>" + stacked_bar(flash_parts, p.num(flash_size), 760);
  s += "<div>SRAM</div>" + stacked_bar(sram_parts, sram_total, 760);
  return s;
}

// The resolved board as dotted keys.
void flatten(const Page& p, const ojson& v, const std::string& key, const std::string& pointer, std::string& rows) {
  if (v.is_object()) {
    for (auto& [k, sub] : v.items()) flatten(p, sub, key.empty() ? k : key + "." + k, ptr(pointer, k), rows);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) flatten(p, v[i], fmt::format("{}[{}]", key, i), ptr(pointer, i), rows);
  } else {
    std::string shown;
    if (v.is_number()) {
      const bool address = key.size() >= 4 && key.substr(key.size() - 4) == "base";
      shown = address ? fmt::format(R"(<data class="fig" value="{}" data-ptr="{}" data-scale="1" data-hex="1">0x{:08x}</data>)",
                                    raw(v), esc(pointer), v.get<std::uint64_t>())
                      : p.fig(pointer, 1, v.is_number_float() ? 3 : 0);
    } else if (v.is_null()) {
      shown = "&#8212;";
    } else {
      shown = esc(v.is_string() ? v.get<std::string>() : v.dump());
    }
    rows += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", esc(key), shown);
  }
}

std::string board_section(const Page& p, const ojson& e, const std::string& base) {
  if (!e.at("board").is_object()) return "";
  std::string rows;
  flatten(p, e.at("board"), "", base + "/board", rows);
  return "<details><summary>Resolved board configuration</summary>\n<table class=\"board\"><tr><th>key</th><th>value</th></tr>\n" +
         rows + "</table></details>\n";
}

std::string entry_section(const Page& p, std::size_t index) {
  const std::string base = ptr("/results", index);
  const ojson& e = p.at(base);
  std::string s = fmt::format("<section class=\"entry\" data-entry=\"{}\">\n<h2>{}</h2>\n", index, esc(entry_title(e)));
  s += fmt::format("<p class=\"sub\">firmware {} &#183; status {}</p>\n", esc(e.at("firmware").get<std::string>()), status_html(e));
  const auto cptr = counters_ptr(e, base);
  if (!cptr) return s + "</section>\n";
  const std::string c = *cptr;
  const ojson& board = e.at("board");
  s += fmt::format("<p class=\"sub\">figures of the {} on {} ({}, {} MHz)</p>\n",
                   c.ends_with("/inference") ? "inference (region name=inference)" : "whole run (reset to exit)",
                   esc(board.value("name", "")), esc(board.value("core", "")), p.fig(base + "/board/clock_hz", 1e-6, 0));
  s += "<div class=\"cards\">";
  s += card("latency", p.fig(c + "/latency_s", 1e3, 3, "ms"));
  s += card("energy", p.fig(c + "/energy/total_pj", 1e-6, 2, "uJ"));
  s += card("average power", p.fig(c + "/energy/average_power_mw", 1, 2, "mW"));
  s += card("cycles", p.fig(c + "/cycles"));
  s += card("instructions", p.fig(c + "/instructions"));
  s += card("CPI", p.fig(c + "/cpi", 1, 3));
  if (e.at("footprint").is_object()) {
    s += card("flash", p.bytes(base + "/footprint/flash_bytes"));
    s += card("SRAM", p.bytes(base + "/footprint/sram_bytes"));
  }
  s += "</div>\n";
  // Stall cycles.
  const ojson& cc = p.at(c);
  s += "<table><tr><th>stalls and penalties</th><th class=\"n\">cycles</th><th class=\"n\">share of cycles</th></tr>\n";
  auto stall_row = [&](const std::string& label, const std::string& pt) {
    s += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n", esc(label), p.fig(pt),
                     p.share(pt, c + "/cycles", 2));
  };
  stall_row("branch refill", c + "/branch_penalty_cycles");
  if (cc.contains("flash") && cc.at("flash").is_object()) {
    stall_row("flash wait states, instruction fetch", c + "/flash/ifetch_stall_cycles");
    stall_row("flash wait states, data", c + "/flash/data_stall_cycles");
  }
  if (cc.contains("sram") && cc.at("sram").is_object()) stall_row("SRAM wait states", c + "/sram/stall_cycles");
  s += "</table>\n";

  // Layers: every region except the inference itself.
  std::vector<Bar> lat, en;
  std::string layer_rows;
  const ojson& regions = e.at("regions");
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (regions[i].at("attributes").value("name", "") == "inference") continue;
    const std::string r = ptr(ptr(base + "/regions", i), "counters");
    const std::string name = region_name(regions[i]);
    const double l = p.num(r + "/latency_s") * 1e3, j = p.num(r + "/energy/total_pj") * 1e-6;
    lat.push_back({name, r + "/latency_s", l, number(l, 3)});
    en.push_back({name, r + "/energy/total_pj", j, number(j, 2)});
    layer_rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        esc(name), esc(regions[i].at("attributes").value("op", "")), p.fig(ptr(ptr(base + "/regions", i), "instances")),
        p.fig(r + "/cycles"), p.fig(r + "/latency_s", 1e3, 3), p.share(r + "/cycles", c + "/cycles"),
        p.fig(r + "/energy/total_pj", 1e-6, 2), p.fig(r + "/cpi", 1, 3));
  }
  if (!lat.empty()) {
    s += "<h3>Per layer</h3>\n<div class=\"charts\">" + hbar_chart("latency per layer", lat, "ms", "#4e79a7") +
         hbar_chart("energy per layer", en, "uJ", "#f28e2b") + "</div>\n";
    s += "<table class=\"layers\"><tr><th>layer</th><th>op</th><th class=\"n\">instances</th><th class=\"n\">cycles</th><th class=\"n\">latency ms</th><th class=\"n\">% of cycles</th><th class=\"n\">energy uJ</th><th class=\"n\">CPI</th></tr>\n" +
         layer_rows + "</table>\n";
  }
  s += energy_section(p, c + "/energy");
  s += footprint_section(p, e, base);
  s += board_section(p, e, base);
  return s + "</section>\n";
}

// Sweep: group rows by (task, kernels); per group, charts against each axis, heatmaps for two
// axes, and the Pareto front.
std::string sweep_section(const Page& p) {
  const ojson& doc = p.doc();
  const ojson& sweep = doc.at("sweep");
  const ojson& axes = sweep.at("axes");
  const ojson& results = doc.at("results");
  std::string s = "<section class=\"sweep\">\n<h2>Sweep</h2>\n<p class=\"sub\">";
  for (std::size_t a = 0; a < axes.size(); ++a)
    s += fmt::format("{}<b>{}</b> = {}", a ? " &#215; " : "", esc(axes[a].at("key").get<std::string>()),
                     esc([&] {
                       std::string v;
                       for (auto& x : axes[a].at("values")) v += (v.empty() ? "" : ", ") + x.get<std::string>();
                       return v;
                     }()));
  s += fmt::format(" &#183; {} configurations, {} rows</p>\n", p.fig("/sweep/configurations"), p.fig("/sweep/rows"));

  // Groups in order of first appearance.
  std::vector<std::pair<std::string, std::string>> groups;
  for (auto& e : results) {
    std::pair<std::string, std::string> g{e.at("task"), e.at("kernels")};
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  }
  auto value_index = [&](std::size_t a, const ojson& e) -> std::optional<std::size_t> {
    const std::string key = axes[a].at("key");
    auto it = e.at("parameters").find(key);
    if (it == e.at("parameters").end()) return std::nullopt;
    const auto& vals = axes[a].at("values");
    for (std::size_t i = 0; i < vals.size(); ++i)
      if (vals[i] == *it) return i;
    return std::nullopt;
  };
  for (auto& [task, kernels] : groups) {
    s += fmt::format("<h3>{}{}</h3>\n<div class=\"charts\">\n", esc(task), kernels.empty() ? "" : " / " + esc(kernels) + " kernels");
    std::vector<std::size_t> rows;  // ok entries of this group
    for (std::size_t i = 0; i < results.size(); ++i)
      if (results[i].at("task") == task && results[i].at("kernels") == kernels && results[i].at("status") == "ok" &&
          counters_ptr(results[i], ""))
        rows.push_back(i);
    struct Metric {
      const char* name;
      const char* leaf;
      double scale;
      const char* unit;
    };
    const Metric metrics[] = {{"latency", "/latency_s", 1e3, "ms"}, {"energy", "/energy/total_pj", 1e-6, "uJ"}};
    for (std::size_t a = 0; a < axes.size(); ++a) {
      std::vector<std::string> cats;
      for (auto& v : axes[a].at("values")) cats.push_back(v);
      for (auto& m : metrics) {
        // One series per combination of the other axes' values.
        std::vector<Series> series;
        std::map<std::string, std::size_t> by_name;
        for (auto i : rows) {
          const auto& e = results[i];
          std::string name;
          for (std::size_t b = 0; b < axes.size(); ++b)
            if (b != a) {
              const std::string key = axes[b].at("key");
              name += fmt::format("{}{}={}", name.empty() ? "" : ", ", key, e.at("parameters").value(key, ""));
            }
          auto [it, fresh] = by_name.emplace(name, series.size());
          if (fresh) series.push_back({name, std::vector<std::optional<double>>(cats.size()), std::vector<std::string>(cats.size())});
          const auto vi = value_index(a, e);
          if (!vi) continue;
          const std::string pt = *counters_ptr(e, ptr("/results", i)) + m.leaf;
          series[it->second].y[*vi] = p.num(pt) * m.scale;
          series[it->second].pointers[*vi] = pt;
        }
        s += line_chart(fmt::format("{} vs {}", m.name, axes[a].at("key").get<std::string>()), axes[a].at("key"), cats,
                        series, fmt::format("{} ({})", m.name, m.unit));
      }
    }
    if (axes.size() == 2) {
      std::vector<std::string> rv, cv;
      for (auto& v : axes[0].at("values")) rv.push_back(v);
      for (auto& v : axes[1].at("values")) cv.push_back(v);
      for (auto& m : metrics) {
        std::vector<std::vector<Cell>> cells(rv.size(), std::vector<Cell>(cv.size()));
        for (auto i : rows) {
          const auto r = value_index(0, results[i]), c = value_index(1, results[i]);
          if (!r || !c) continue;
          const std::string pt = *counters_ptr(results[i], ptr("/results", i)) + m.leaf;
          cells[*r][*c] = {p.num(pt) * m.scale, pt};
        }
        s += heatmap(fmt::format("{} ({})", m.name, m.unit), axes[0].at("key"), rv, axes[1].at("key"), cv, cells,
                     m.unit == std::string("ms") ? 3 : 1);
      }
    }
    std::vector<Point> pts;
    for (auto i : rows) {
      const std::string c = *counters_ptr(results[i], ptr("/results", i));
      std::string label = fmt::format("configuration {}", results[i].at("configuration").get<std::size_t>());
      for (auto& [k, v] : results[i].at("parameters").items()) label += fmt::format(", {}={}", k, v.get<std::string>());
      pts.push_back({p.num(c + "/latency_s") * 1e3, p.num(c + "/energy/total_pj") * 1e-6, label, c + "/latency_s",
                     c + "/energy/total_pj", results[i].at("configuration").get<std::size_t>()});
    }
    const auto front = pareto_front(pts);
    s += scatter_pareto("Pareto front: latency vs energy", pts, front, "latency (ms)", "energy (uJ)");
    s += "</div>\n<table class=\"pareto\"><tr><th>on the Pareto front</th><th class=\"n\">latency</th><th class=\"n\">energy</th></tr>\n";
    for (auto i : front)
      s += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n", esc(pts[i].label),
                       p.fig(pts[i].x_ptr, 1e3, 3, "ms"), p.fig(pts[i].y_ptr, 1e-6, 2, "uJ"));
    s += "</table>\n";
  }

  // Every row.
  s += "<h3>Rows</h3>\n<table class=\"rows\"><tr><th class=\"n\">cfg</th>";
  for (auto& a : axes) s += fmt::format("<th>{}</th>", esc(a.at("key").get<std::string>()));
  s += "<th>task</th><th>kernels</th><th class=\"n\">cycles</th><th class=\"n\">latency ms</th><th class=\"n\">energy uJ</th><th class=\"n\">avg mW</th><th class=\"n\">flash</th><th class=\"n\">SRAM</th><th>status</th></tr>\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const ojson& e = results[i];
    const std::string base = ptr("/results", i);
    s += fmt::format("<tr><td class=\"n\">{}</td>", p.fig(base + "/configuration"));
    for (auto& a : axes) s += fmt::format("<td>{}</td>", esc(e.at("parameters").value(a.at("key").get<std::string>(), "")));
    s += fmt::format("<td>{}</td><td>{}</td>", esc(e.at("task").get<std::string>()), esc(e.at("kernels").get<std::string>()));
    const auto c = counters_ptr(e, base);
    if (c && e.at("footprint").is_object())
      s += fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                       p.fig(*c + "/cycles"), p.fig(*c + "/latency_s", 1e3, 3), p.fig(*c + "/energy/total_pj", 1e-6, 2),
                       p.fig(*c + "/energy/average_power_mw", 1, 2), p.bytes(base + "/footprint/flash_bytes"),
                       p.bytes(base + "/footprint/sram_bytes"));
    else
      s += "<td></td><td></td><td></td><td></td><td></td><td></td>";
    s += fmt::format("<td>{}</td></tr>\n", status_html(e));
  }
  return s + "</table>\n</section>\n";
}

// The few summary rows of a multi-entry run/bench document.
std::string overview_section(const Page& p) {
  const ojson& results = p.doc().at("results");
  std::string s = "<table class=\"overview\"><tr><th>task</th><th>kernels</th><th class=\"n\">cycles</th><th class=\"n\">latency</th><th class=\"n\">energy</th><th class=\"n\">flash</th><th class=\"n\">SRAM</th><th>status</th></tr>\n";
  std::vector<Bar> lat, en;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const ojson& e = results[i];
    const std::string base = ptr("/results", i);
    s += fmt::format("<tr><td><a href=\"#entry-{}\">{}</a></td><td>{}</td>", i, esc(e.at("task").get<std::string>()),
                     esc(e.at("kernels").get<std::string>()));
    const auto c = counters_ptr(e, base);
    if (c && e.at("footprint").is_object()) {
      s += fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                       p.fig(*c + "/cycles"), p.fig(*c + "/latency_s", 1e3, 3, "ms"), p.fig(*c + "/energy/total_pj", 1e-6, 2, "uJ"),
                       p.bytes(base + "/footprint/flash_bytes"), p.bytes(base + "/footprint/sram_bytes"));
      const double l = p.num(*c + "/latency_s") * 1e3, j = p.num(*c + "/energy/total_pj") * 1e-6;
      lat.push_back({entry_title(e), *c + "/latency_s", l, number(l, 3)});
      en.push_back({entry_title(e), *c + "/energy/total_pj", j, number(j, 2)});
    } else {
      s += "<td></td><td></td><td></td><td></td><td></td>";
    }
    s += fmt::format("<td>{}</td></tr>\n", status_html(e));
  }
  s += "</table>\n";
  if (lat.size() > 1)
    s += "<div class=\"charts\">" + hbar_chart("latency per task", lat, "ms", "#4e79a7") +
         hbar_chart("energy per task", en, "uJ", "#f28e2b") + "</div>\n";
  return s;
}

}  // namespace

std::string html_results_report(const ojson& doc) {
  try {
    const Page p(doc);
    const std::string command = doc.at("command");
    const ojson& results = doc.at("results");
    std::string board;
    if (doc.at("sweep").is_object()) board = doc.at("sweep").at("board");
    for (auto& e : results)
      if (board.empty() && e.at("board").is_object()) board = e.at("board").at("name");
    std::string s = page_head(fmt::format("mcusim {}{}{}", command, board.empty() ? "" : " on ", board));
    s += fmt::format("<h1>mcusim {}{}{}</h1>\n<p class=\"sub\">{} result{} &#183; schema version {} &#183; mcusim {}</p>\n",
                     esc(command), board.empty() ? "" : " on ", esc(board), results.size(), results.size() == 1 ? "" : "s",
                     doc.at("schema_version").dump(), esc(doc.at("mcusim_version").get<std::string>()));
    if (doc.at("sweep").is_object()) {
      s += sweep_section(p);
    } else {
      if (results.size() > 1) s += overview_section(p);
      for (std::size_t i = 0; i < results.size(); ++i) {
        s += fmt::format("<a id=\"entry-{}\"></a>\n", i);
        s += entry_section(p, i);
      }
    }
    return s + page_foot(doc.at("mcusim_version"));
  } catch (const nlohmann::json::exception& ex) {
    throw InputError(fmt::format("html report: the results document lacks a key or has a wrong type: {}", ex.what()));
  }
}

std::string html_compare_report(const ojson& c) {
  try {
    const Page p(c);
    const bool pass = c.at("result") == "pass";
    std::string s = page_head("mcusim compare");
    s += fmt::format("<h1>mcusim compare: <span class=\"{}\">{}</span></h1>\n", pass ? "ok" : "regressed",
                     pass ? "PASS" : "FAIL");
    s += fmt::format("<p class=\"sub\">{} (baseline) &#8594; {} (current), board {} &#183; {} metric{} regressed beyond tolerance</p>\n",
                     esc(c.at("baseline").get<std::string>()), esc(c.at("current").get<std::string>()),
                     esc(c.at("board").get<std::string>()), p.fig("/failures"), c.at("failures") == 1 ? "" : "s");
    if (!c.at("notes").empty()) {
      s += "<ul class=\"notes\">";
      for (auto& n : c.at("notes")) s += "<li>" + esc(n.get<std::string>()) + "</li>";
      s += "</ul>\n";
    }
    const ojson& rows = c.at("rows");
    struct Unit {
      double scale;
      int digits;
      const char* name;
    };
    auto unit_of = [](const std::string& u) -> Unit {
      if (u == "s") return {1e3, 3, "ms"};
      if (u == "pJ") return {1e-6, 2, "uJ"};
      if (u == "B") return {1, 0, "B"};
      return {1, 0, ""};
    };
    // Relative change of each task-level metric: bars from a zero line, red when regressed.
    std::vector<std::size_t> top;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].at("metric") != "outcome" && (rows[i].at("scope") == "inference" || rows[i].at("scope") == "total") &&
          rows[i].at("baseline").is_number() && rows[i].at("baseline").get<double>() != 0)
        top.push_back(i);
    double max_pct = 1;
    for (auto i : top) max_pct = std::max(max_pct, std::abs(100.0 * rows[i].at("change").get<double>() / rows[i].at("baseline").get<double>()));
    const int label_w = 190, half = 260, row_h = 20, top_y = 26;
    const int w = label_w + 2 * half + 70, h = top_y + row_h * static_cast<int>(top.size()) + 10;
    s += fmt::format(
        "<h2>Relative change per task metric</h2>\n<svg class=\"chart change\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"relative change\">\n"
        "<text x=\"{}\" y=\"14\" text-anchor=\"middle\">change in % of the baseline (scale &#177;{} %)</text><line x1=\"{}\" x2=\"{}\" y1=\"20\" y2=\"{}\" stroke=\"#444\"/>\n",
        w, h, w, h, label_w + half, number(max_pct, 1), label_w + half, label_w + half, h - 4);
    for (std::size_t k = 0; k < top.size(); ++k) {
      const auto& r = rows[top[k]];
      const double pct = 100.0 * r.at("change").get<double>() / r.at("baseline").get<double>();
      const double len = half * std::abs(pct) / max_pct;
      const int y = top_y + static_cast<int>(k) * row_h;
      const std::string verdict = r.at("verdict");
      const char* fill = verdict == "regressed" ? "#e15759" : verdict == "improved" ? "#59a14f" : "#bab0ac";
      const std::string rp = ptr("/rows", top[k]);
      s += fmt::format(
          "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {}</text><rect class=\"bar\" x=\"{:.3f}\" y=\"{}\" width=\"{:.3f}\" height=\"{}\" fill=\"{}\" data-ptr=\"{}\" data-den=\"{}\"><title>{}</title></rect>"
          "<text x=\"{:.3f}\" y=\"{}\" text-anchor=\"{}\">{}{} %</text>\n",
          label_w - 6, y + 13, esc(r.at("entry").get<std::string>()), esc(r.at("metric").get<std::string>()),
          pct < 0 ? label_w + half - len : label_w + half, y + 2, len, row_h - 5, fill, rp + "/change", rp + "/baseline",
          esc(verdict), pct < 0 ? label_w + half - len - 4 : label_w + half + len + 4, y + 13, pct < 0 ? "end" : "start",
          pct > 0 ? "+" : "", number(pct, 2));
    }
    s += "</svg>\n";

    auto table = [&](bool layers) {
      std::string t = "<table class=\"compare\"><tr><th>entry</th><th>scope</th><th>metric</th><th class=\"n\">baseline</th><th class=\"n\">current</th><th class=\"n\">change</th><th class=\"n\">change %</th><th>tolerance</th><th>verdict</th></tr>\n";
      std::size_t n = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const bool layer = r.at("scope") != "inference" && r.at("scope") != "total" && r.at("scope") != "run";
        if (layer != layers) continue;
        ++n;
        const std::string rp = ptr("/rows", i);
        const std::string verdict = r.at("verdict");
        const char* cls = verdict.starts_with("regressed") ? "regressed" : verdict == "improved" ? "improved" : "";
        if (!r.at("baseline").is_number()) {
          t += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td><td></td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                           esc(r.at("entry").get<std::string>()), esc(r.at("scope").get<std::string>()),
                           esc(r.at("metric").get<std::string>()), esc(r.at("baseline").get<std::string>()),
                           esc(r.at("current").get<std::string>()), esc(r.at("tolerance").get<std::string>()), cls, esc(verdict));
          continue;
        }
        const Unit u = unit_of(r.at("unit"));
        const std::string change = p.fig(rp + "/change", u.scale, u.digits, u.name);
        t += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
            esc(r.at("entry").get<std::string>()), esc(r.at("scope").get<std::string>()), esc(r.at("metric").get<std::string>()),
            p.fig(rp + "/baseline", u.scale, u.digits, u.name), p.fig(rp + "/current", u.scale, u.digits, u.name),
            r.at("change").get<double>() > 0 ? "+" : "", change,
            r.at("baseline").get<double>() != 0
                ? (r.at("change").get<double>() > 0 ? "+" : "") + p.share(rp + "/change", rp + "/baseline", 2)
                : "",
            esc(r.at("tolerance").get<std::string>()), cls, esc(verdict));
      }
      return std::make_pair(t + "</table>\n", n);
    };
    auto [task_table, task_rows] = table(false);
    s += "<h2>What changed</h2>\n" + task_table;
    auto [layer_table, layer_rows] = table(true);
    if (layer_rows) s += fmt::format("<details><summary>Layers ({} rows; not gated unless --gate-layers)</summary>\n{}</details>\n", layer_rows, layer_table);
    return s + "<footer>Written by mcusim compare from its JSON output; every figure names its JSON pointer (data-ptr).</footer>\n</body>\n</html>\n";
  } catch (const nlohmann::json::exception& ex) {
    throw InputError(fmt::format("html report: the comparison lacks a key or has a wrong type: {}", ex.what()));
  }
}

void write_html_file(const std::filesystem::path& path, const std::string& html) {
  std::ofstream out(path, std::ios::binary);
  if (out) out << html;
  if (!out) throw InputError(fmt::format("--html {}: cannot write: {}", path.string(), std::strerror(errno)));
}

}  // namespace mcusim
