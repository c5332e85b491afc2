// load_core_model: reads a timing table and builds the model it names. Dispatch: core
// "cortex-m4" -> the Cortex-M4 model (Capstone Thumb decoder); isa "rv32imc" -> the RV32 model
// parameterised by the table (ibex-small, ibex-maxperf, picorv32*, sifive-e31, ...).
#include <fmt/format.h>

#include "mcusim/core/cortex_m4.h"
#include "mcusim/core/cortex_m7.h"
#include "mcusim/core/rv32.h"

namespace mcusim::core {

namespace {

std::unique_ptr<CoreModel> make_core_model(TimingTable table, const std::string& origin) {
  if (table.core == "cortex-m4") return make_cortex_m4_model(std::move(table));
  if (table.core == "cortex-m7") return make_cortex_m7_model(std::move(table));
  if (table.is_rv32()) return make_rv32_model(std::move(table));
  throw TimingTableError(fmt::format(
      "{}: key 'core': unknown core model '{}' (known: cortex-m4, or any core with isa = \"rv32imc\")",
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
