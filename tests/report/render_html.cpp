// Test helper: renders a results document or a comparison (compare --json) as the HTML report.
//   render_html results DOC.json OUT.html | render_html compare COMPARISON.json OUT.html
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "mcusim/base/errors.h"
#include "mcusim/html_report.h"
#include "mcusim/results_doc.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: render_html results|compare IN.json OUT.html\n";
    return 2;
  }
  try {
    const std::string kind = argv[1];
    if (kind == "results") {
      mcusim::write_html_file(argv[3], mcusim::html_results_report(mcusim::read_results_file(argv[2])));
    } else {
      std::ifstream in(argv[2]);
      mcusim::write_html_file(argv[3], mcusim::html_compare_report(nlohmann::ordered_json::parse(in)));
    }
  } catch (const std::exception& e) {
    std::cerr << "render_html: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
