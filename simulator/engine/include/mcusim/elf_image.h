// Loading of bare-metal ELF32 little-endian executables (through libelf).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim {

/// One PT_LOAD segment, placed at its physical (load) address.
struct LoadSegment {
  Addr paddr = 0;                   ///< LMA: where the bytes are stored (flash for .data)
  Addr vaddr = 0;                   ///< VMA
  std::vector<std::uint8_t> bytes;  ///< p_filesz bytes from the file
  std::uint32_t mem_size = 0;       ///< p_memsz (bytes beyond filesz are zero)
  bool executable = false;
  bool writable = false;
};

/// An allocated section (SHF_ALLOC), for footprint reporting.
struct ElfSection {
  std::string name;
  Addr addr = 0;  ///< VMA
  Addr load_addr = 0;  ///< LMA (addr of the segment byte that holds it)
  std::uint32_t size = 0;
  bool nobits = false;  ///< .bss-like: occupies no file/flash bytes
  bool executable = false;
  bool writable = false;
};

enum class ElfMachine { arm, riscv };

struct ElfImage {
  std::filesystem::path path;
  ElfMachine machine = ElfMachine::arm;
  Addr entry = 0;
  std::vector<LoadSegment> segments;
  std::vector<ElfSection> sections;
  std::map<std::string, Addr> symbols;  ///< global and local symbols with an address (ordered)
  std::optional<Addr> symbol(const std::string& name) const {
    auto it = symbols.find(name);
    if (it == symbols.end()) return std::nullopt;
    return it->second;
  }
};

/// Reads `path`. Throws InputError naming the file for: a missing/unreadable file, not an ELF,
/// not ELF32 little-endian, not an executable, a machine other than EM_ARM/EM_RISCV, no PT_LOAD.
ElfImage load_elf(const std::filesystem::path& path);

}  // namespace mcusim
