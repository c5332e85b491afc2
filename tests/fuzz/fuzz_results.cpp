// libFuzzer target: the results-document reader, `compare` and `merge` (issue 11).
//
// Input: one or two results documents (JSON) separated by a line "----". Each must be refused
// with an InputError by the reader (validate_results) or be readable by everything that consumes
// results: the CSV/Markdown renderers, compare (each against the other) and merge.
#include <cstdint>
#include <string>
#include <vector>

#include "mcusim/base/errors.h"
#include "mcusim/compare.h"
#include "mcusim/formats.h"
#include "mcusim/results_doc.h"
#include "mcusim/sweep.h"

namespace {

using ojson = nlohmann::ordered_json;

bool read(const std::string& text, ojson& doc) {
  try {
    doc = ojson::parse(text);
    mcusim::validate_results(doc, "fuzz.json");
    return true;
  } catch (const nlohmann::json::exception&) {  // parse errors and out-of-range numbers (1e400)
  } catch (const mcusim::InputError&) {
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto sep = text.find("\n----\n");
  std::vector<ojson> docs;
  for (const std::string& part : {text.substr(0, sep), sep == std::string::npos ? std::string() : text.substr(sep + 6)}) {
    ojson d;
    if (!part.empty() && read(part, d)) docs.push_back(std::move(d));
  }
  for (auto& d : docs) {
    try {
      (void)mcusim::results_csv(d, true);
      (void)mcusim::results_markdown(d, true);
    } catch (const mcusim::InputError&) {
    }
  }
  if (docs.empty()) return 0;
  const ojson& b = docs.front();
  const ojson& c = docs.back();
  try {
    mcusim::CompareOptions o;
    o.gate_layers = true;
    const auto cmp = mcusim::compare_results(b, c, "baseline.json", "current.json", o);
    for (auto f : {mcusim::Format::table, mcusim::Format::csv, mcusim::Format::markdown, mcusim::Format::json})
      (void)mcusim::render_comparison(cmp, f, true);
    (void)mcusim::comparison_junit(cmp);
  } catch (const mcusim::InputError&) {
  }
  try {
    (void)mcusim::merge_sweeps(docs, {"a.json", "b.json"});
  } catch (const mcusim::InputError&) {
  }
  return 0;
}
