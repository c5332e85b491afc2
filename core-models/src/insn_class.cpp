// Names of the instruction classes, derived from the one list (insn_classes.def).
#include <array>
#include <string_view>

#include "mcusim/core/core_model.h"

namespace mcusim::core {
namespace {
constexpr std::array<std::string_view, kNumInsnClasses> kClassNames = {
#define MCUSIM_INSN_CLASS(id, desc) std::string_view{#id},
#include "mcusim/core/insn_classes.def"
#undef MCUSIM_INSN_CLASS
};
}  // namespace

std::string_view insn_class_name(InsnClass c) {
  const auto i = static_cast<std::size_t>(c);
  return i < kClassNames.size() ? kClassNames[i] : std::string_view{"?"};
}

std::optional<InsnClass> insn_class_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames[i] == name) return static_cast<InsnClass>(i);
  }
  return std::nullopt;
}

}  // namespace mcusim::core
