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
  /// Format; unset = from the file's content (detect_image_format, raw_image.h): ELF magic -> elf,
  /// Intel HEX records -> hex, anything else -> bin. The file name plays no part.
  std::optional<ImageFormat> format;
  /// Raw images: address of the first byte, and the board's instruction-set family.
  std::optional<Addr> load_address;
  std::optional<ElfMachine> machine;
};

/// Name of a format as used in messages and on the command line: "elf", "bin", "hex".
const char* image_format_name(ImageFormat f);

/// Reads the image at `path` in the format `opts` says or the file shows (load_elf, load_intel_hex
/// with opts.machine or Arm, load_raw_binary at opts.load_address; raw_image.h). Throws InputError
/// naming the file for: a missing, unreadable or empty file, any error of that format's loader,
/// and a raw binary without load_address and machine. With a board at hand, load_board_image
/// (raw_image.h) fills the options from it.
Image load_image(const std::filesystem::path& path, const ImageOptions& opts = {});

}  // namespace mcusim
