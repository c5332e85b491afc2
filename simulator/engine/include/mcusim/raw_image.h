// Firmware images other than ELF: raw binaries (.bin, objcopy -O binary) and Intel HEX (.hex,
// objcopy -O ihex), detection of the format by content, and loading an image for a board. The
// loaders fill the same Image as load_elf (mcusim/image.h) with no sections and no symbols: the
// simulator's load checks (memory map, vector table, initial SP, reset vector) then apply
// unchanged. docs/images.md.
#pragma once
#include <filesystem>

#include "mcusim/base/units.h"
#include "mcusim/image.h"

namespace mcusim {

struct BoardConfig;

/// Format of the file at `path`, by content: the ELF magic (0x7F 'E' 'L' 'F') is elf; a file whose
/// first line is ':' followed by hexadecimal digits only (an Intel HEX record) is hex; anything
/// else is bin (raw). The file name plays no part. Throws InputError naming the file when it
/// cannot be opened or is empty (0 bytes).
ImageFormat detect_image_format(const std::filesystem::path& path);

/// Reads a raw binary: the whole file is one segment placed at `load_address` (its physical and
/// virtual address), executable and read-only. `entry` is the Arm reset vector (the file's second
/// 32-bit word, little-endian) when machine is arm and the file holds at least 8 bytes, otherwise
/// `load_address`. Throws InputError naming the file when it cannot be opened, is empty, or does
/// not fit the 32-bit address space from `load_address` (the board's memory map is checked when
/// the simulation loads the image).
Image load_raw_binary(const std::filesystem::path& path, Addr load_address, ElfMachine machine);

/// Reads an Intel HEX file (record types 00 data, 01 end of file, 02 extended segment address,
/// 03 start segment address, 04 extended linear address, 05 start linear address; Intel
/// "Hexadecimal Object File Format Specification" rev. A, 1988). Data records are merged into one
/// segment per contiguous address run, in address order (a gap starts a new segment). `entry` is
/// the start address (05: EIP; 03: CS * 16 + IP) when the file gives one, else (machine arm) the
/// reset vector, the second word of the lowest segment when it holds 8 bytes, else the lowest
/// address. Throws InputError naming the file and line for: a line not starting with ':', a
/// non-hex character, a line shorter or longer than its byte count says (truncated record), a bad
/// checksum (giving the expected value), an unknown record type, a malformed 02/03/04/05 record,
/// data that wraps past 0xFFFFFFFF, a byte given twice (overlapping records), records after the
/// end-of-file record, a missing end-of-file record, and a file with no data record.
Image load_intel_hex(const std::filesystem::path& path, ElfMachine machine);

/// Address a raw binary is loaded at on `board`: its `boot_address` key when given, else the
/// flash base; a board without flash and without boot_address is an InputError naming the file.
Addr raw_load_address(const BoardConfig& board);

/// Loads `path` for `board` whatever its format (detect_image_format): ELF through load_elf, Intel
/// HEX through load_intel_hex, a raw binary at raw_load_address(board) after checking that its
/// size fits the memory region there (InputError naming the file, its size, the address and the
/// region otherwise). The machine of HEX and raw images is the board core's ISA.
Image load_board_image(const std::filesystem::path& path, const BoardConfig& board);

}  // namespace mcusim
