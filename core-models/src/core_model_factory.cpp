// load_core_model: reads a timing table and builds the model it names. Dispatch: isa "rv32imc"
// -> the RV32 model parameterised by the table (ibex-small, ibex-maxperf, picorv32*,
// sifive-e31, ...); the Cortex-M cores of the family model (Capstone Thumb decoder, rules
// switched on by the table) -> make_cortex_m_model.
#include <fmt/format.h>

#include "mcusim/core/cortex_m.h"
#include "mcusim/core/cortex_m7.h"
#include "mcusim/core/rv32.h"

namespace mcusim::core {

namespace {

// Cores timed by the table-driven Cortex-M family model.
constexpr const char* kCortexMFamily[] = {"cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m33"};

std::unique_ptr<CoreModel> make_core_model(TimingTable table, const std::string& origin) {
  if (table.core == "cortex-m7") return make_cortex_m7_model(std::move(table));
  if (table.is_rv32()) return make_rv32_model(std::move(table));
  for (const char* c : kCortexMFamily)
    if (table.core == c) return make_cortex_m_model(std::move(table));
  throw TimingTableError(fmt::format(
      "{}: key 'core': unknown core model '{}' (known: cortex-m0plus, cortex-m3, cortex-m4, "
      "cortex-m33, or any core with isa = \"rv32imc\")",
      origin, table.core));
}

}  // namespace

std::unique_ptr<CoreModel> load_core_model(const std::filesystem::path& path) {
  return make_core_model(load_timing_table(path), path.string());
}

std::unique_ptr<CoreModel> parse_core_model(std::string_view toml_text, const std::string& origin) {
  return make_core_model(parse_timing_table(toml_text, origin), origin);
}

}  // namespace mcusim::core
