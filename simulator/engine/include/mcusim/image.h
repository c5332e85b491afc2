// A firmware image as the engine loads it: segments placed at their load addresses, the entry
// point, and (for ELF) sections and symbols. Filled by a loader per format (elf_image.cpp for ELF;
// raw .bin and Intel HEX fill the same struct).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcusim/base/units.h"

namespace mcusim {

/// One loadable segment (an ELF PT_LOAD, or the whole of a raw image), placed at its physical
/// (load) address.
struct LoadSegment {
  Addr paddr = 0;                   ///< LMA: where the bytes are stored (flash for .data)
  Addr vaddr = 0;                   ///< VMA
  std::vector<std::uint8_t> bytes;  ///< p_filesz bytes from the file
  std::uint32_t mem_size = 0;       ///< p_memsz (bytes beyond filesz are zero)
  bool executable = false;
  bool writable = false;
};

/// An allocated section (SHF_ALLOC), for footprint reporting. Empty for formats without sections.
struct ElfSection {
  std::string name;
  Addr addr = 0;  ///< VMA
  Addr load_addr = 0;  ///< LMA (addr of the segment byte that holds it)
  std::uint32_t size = 0;
  bool nobits = false;  ///< .bss-like: occupies no file/flash bytes
  bool executable = false;
  bool writable = false;
};

/// Instruction-set family of the image (ELF e_machine; given by the board for raw formats).
enum class ElfMachine { arm, riscv };

/// File format an image was read from.
enum class ImageFormat { elf, bin, hex };

/// The image the engine loads (Simulation's constructor). Same fields for every format.
struct Image {
  std::filesystem::path path;
  ImageFormat format = ImageFormat::elf;
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

/// How to read an image whose file does not say it itself.
struct ImageOptions {
  /// Format; unset = from the file: ELF magic -> elf, else the extension (.bin, .hex/.ihex).
  std::optional<ImageFormat> format;
  /// Raw images: address of the first byte, and the board's instruction-set family.
  std::optional<Addr> load_address;
  std::optional<ElfMachine> machine;
};

/// Name of a format as used in messages and on the command line: "elf", "bin", "hex".
const char* image_format_name(ImageFormat f);

/// Reads the image at `path` in the format `opts` says or the file shows. Throws InputError
/// naming the file for: a missing/unreadable file, a format that cannot be told, any error of
/// that format's loader (load_elf), and, in this version, raw .bin and Intel HEX (no loader yet).
Image load_image(const std::filesystem::path& path, const ImageOptions& opts = {});

}  // namespace mcusim
