// The system-model factory (isa_system.h): the one place that picks a system model by ISA.
#include "isa_system.h"

#include <fmt/format.h>

#include "cortex_m_isa.h"
#include "mcusim/base/errors.h"
#include "rv32_system.h"

namespace mcusim {

std::string memory_map_text(const BoardConfig& board) {
  std::string t = board.has_flash ? fmt::format("flash 0x{:08x}-0x{:08x}", board.flash.base,
                                                board.flash.base + board.flash.size_bytes - 1)
                                  : std::string();
  for (auto& s : board.sram)
    t += fmt::format("{}{} 0x{:08x}-0x{:08x}", t.empty() ? "" : ", ", s.name, s.base, s.base + s.size_bytes - 1);
  return t;
}

std::unique_ptr<IsaSystem> make_isa_system(core::IsaFamily isa, const BoardConfig& board, std::string_view unicorn_cpu,
                                           const ElfImage& image, SystemHost& host) {
  const bool elf_arm = image.machine == ElfMachine::arm;
  if (elf_arm != (isa == core::IsaFamily::arm_m))
    throw InputError(fmt::format("{}: {} firmware cannot run on board {} (core {})", image.path.string(),
                                 elf_arm ? "Arm" : "RISC-V", board.name, board.core));
  if (isa == core::IsaFamily::rv32) return std::make_unique<Rv32System>(host);
  auto t = load_exception_table((data_dir() / "core-models" / "data" / "exceptions.toml").string(), board.core,
                                std::string(unicorn_cpu));
  t.config.vtor_reset = board.vector_table.value_or(0);  // reset() refuses a board without one
  t.config.cpuid = 0x410FC241;  // Cortex-M4 r0p1 (Cortex-M4 TRM 4.3.1), as the SCS reports it
  return std::make_unique<CortexMIsaSystem>(host, t.config, t.costs);
}

}  // namespace mcusim
