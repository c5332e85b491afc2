// Loading of bare-metal ELF32 little-endian executables (through libelf) into an Image.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/image.h"

namespace mcusim {

/// The image of an ELF file (Image with format elf); kept so existing code keeps compiling.
using ElfImage = Image;

/// Reads `path`. Throws InputError naming the file for: a missing/unreadable file, not an ELF,
/// not ELF32 little-endian, not an executable, a machine other than EM_ARM/EM_RISCV, no PT_LOAD.
ElfImage load_elf(const std::filesystem::path& path);

}  // namespace mcusim
