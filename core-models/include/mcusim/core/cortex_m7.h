// Cortex-M7 (ARMv7E-M, FPv5-D16) core timing model: an in-order dual-issue scheduler run once per
// block at decode time, with a result scoreboard, plus a dynamic branch predictor charged at block
// transitions (leave_block). Parameters and their sources: core-models/data/cortex-m7.toml
// (class entries and the model's own [m7] section); rules and approximations:
// docs/models/cortex-m7.md.
#pragma once
#include <memory>

#include "mcusim/core/core_model.h"
#include "mcusim/core/timing_table.h"

namespace mcusim::core {

/// Builds the Cortex-M7 model from a parsed table whose `core` is "cortex-m7". Parses the [m7]
/// section from table.source_text and checks it (and the M7-specific meaning of the shared
/// [pipeline] keys); throws TimingTableError naming the file and key on any problem.
/// The model keeps predictor state and a Capstone handle: one model per engine (not thread-safe).
std::unique_ptr<CoreModel> make_cortex_m7_model(TimingTable table);

}  // namespace mcusim::core
