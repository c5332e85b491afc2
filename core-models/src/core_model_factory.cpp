// load_core_model: reads a timing table and builds the model it names. Dispatch: core
// "cortex-m4" -> the Cortex-M4 model (Capstone Thumb decoder); isa "rv32imc" -> the RV32 model
// parameterised by the table (ibex-small, ibex-maxperf, picorv32*, sifive-e31, ...).
#include <fmt/format.h>

#include "mcusim/core/cortex_m4.h"
#include "mcusim/core/rv32.h"

namespace mcusim::core {

std::unique_ptr<CoreModel> load_core_model(const std::filesystem::path& path) {
  TimingTable table = load_timing_table(path);
  if (table.core == "cortex-m4") return make_cortex_m4_model(std::move(table));
  if (table.is_rv32()) return make_rv32_model(std::move(table));
  throw TimingTableError(fmt::format(
      "{}: key 'core': unknown core model '{}' (known: cortex-m4, or any core with isa = \"rv32imc\")",
      path.string(), table.core));
}

}  // namespace mcusim::core
