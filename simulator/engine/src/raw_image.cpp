#include "mcusim/raw_image.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <optional>

#include "mcusim/base/errors.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"

namespace mcusim {
namespace {

constexpr std::uint64_t kAddressSpace = 0x1'0000'0000ull;  // 32-bit addresses

std::ifstream open_image(const std::filesystem::path& path, std::ios::openmode mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory; expected an ELF file, a raw binary or Intel HEX", path.string()));
  std::ifstream in(path, mode);
  if (!in) throw InputError(fmt::format("{}: cannot open firmware: {}", path.string(), std::strerror(errno)));
  return in;
}

std::uint64_t image_size(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory; expected an ELF file, a raw binary or Intel HEX", path.string()));
  auto n = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(fmt::format("{}: cannot open firmware: {}", path.string(), ec.message()));
  return n;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

}  // namespace

ImageFormat detect_image_format(const std::filesystem::path& path) {
  auto in = open_image(path, std::ios::binary);
  if (image_size(path) == 0) throw InputError(fmt::format("{}: empty firmware file (0 bytes)", path.string()));
  char head[4] = {};
  in.read(head, 4);
  if (in.gcount() == 4 && std::memcmp(head, "\x7f" "ELF", 4) == 0) return ImageFormat::elf;
  if (head[0] != ':') return ImageFormat::bin;
  // First line: ':' then hex digits up to CR/LF or the end of the file. The longest record is
  // 1 + 2 * (5 + 255) = 521 characters; a longer "line" is binary data, not a record.
  in.clear();
  in.seekg(1);
  std::size_t digits = 0;
  for (int c = in.get(); c != EOF; c = in.get(), ++digits) {
    if (c == '\r' || c == '\n') break;
    if (hex_digit(static_cast<char>(c)) < 0 || digits > 520) return ImageFormat::bin;
  }
  return digits > 0 ? ImageFormat::hex : ImageFormat::bin;
}

Image load_raw_binary(const std::filesystem::path& path, Addr load_address, ElfMachine machine) {
  const std::string p = path.string();
  auto in = open_image(path, std::ios::binary);
  const std::uint64_t n = image_size(path);
  if (n == 0) throw InputError(fmt::format("{}: empty firmware file (0 bytes)", p));
  if (load_address + n > kAddressSpace)
    throw InputError(fmt::format("{}: raw binary of {} bytes loaded at 0x{:08x} runs past the end of the 32-bit "
                                 "address space (at most {} bytes fit there)",
                                 p, n, load_address, kAddressSpace - load_address));
  LoadSegment seg;
  seg.paddr = seg.vaddr = load_address;
  seg.bytes.resize(n);
  in.read(reinterpret_cast<char*>(seg.bytes.data()), static_cast<std::streamsize>(n));
  if (static_cast<std::uint64_t>(in.gcount()) != n)
    throw InputError(fmt::format("{}: read {} of {} bytes", p, in.gcount(), n));
  seg.mem_size = static_cast<std::uint32_t>(n);
  seg.executable = true;
  Image img;
  img.path = path;
  img.format = ImageFormat::bin;
  img.machine = machine;
  img.entry = machine == ElfMachine::arm && n >= 8 ? le32(seg.bytes.data() + 4) : load_address;
  img.segments.push_back(std::move(seg));
  return img;
}

Image load_intel_hex(const std::filesystem::path& path, ElfMachine machine) {
  const std::string p = path.string();
  auto in = open_image(path, std::ios::in | std::ios::binary);
  if (image_size(path) == 0) throw InputError(fmt::format("{}: empty firmware file (0 bytes)", p));
  // Contiguous runs of data as read (consecutive records usually extend the last run), with the
  // line each run starts on; sorted and checked for overlaps at the end.
  struct Run {
    Addr addr;
    std::vector<std::uint8_t> bytes;
    std::size_t line;
  };
  std::vector<Run> runs;
  std::uint32_t base = 0;              // from record 02 (segment << 4) or 04 (upper 16 bits)
  std::optional<Addr> start;
  bool eof = false;
  std::size_t line_no = 0;
  std::size_t eof_line = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fail = [&](const std::string& what) {
      throw InputError(fmt::format("{}:{}: Intel HEX: {}", p, line_no, what));
    };
    if (eof) fail(fmt::format("record after the end-of-file record of line {}", eof_line));
    if (line[0] != ':') fail(fmt::format("line does not start with ':' (got '{}')", line.substr(0, 16)));
    std::vector<std::uint8_t> rec;
    for (std::size_t i = 1; i < line.size(); i += 2) {
      const int hi = hex_digit(line[i]);
      const int lo = i + 1 < line.size() ? hex_digit(line[i + 1]) : -2;
      if (hi < 0 || lo == -1)
        fail(fmt::format("'{}' at column {} is not a hexadecimal digit", hi < 0 ? line[i] : line[i + 1],
                         hi < 0 ? i + 1 : i + 2));
      if (lo == -2) fail("odd number of hexadecimal digits (truncated record)");
      rec.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    if (rec.size() < 5) fail(fmt::format("truncated record: {} bytes, a record has at least 5", rec.size()));
    const std::size_t count = rec[0];
    if (rec.size() != count + 5)
      fail(fmt::format("{} record: byte count {} needs {} bytes on the line, found {}",
                       rec.size() < count + 5 ? "truncated" : "overlong", count, count + 5, rec.size()));
    std::uint8_t sum = 0;
    for (std::size_t i = 0; i + 1 < rec.size(); ++i) sum = static_cast<std::uint8_t>(sum + rec[i]);
    const auto want = static_cast<std::uint8_t>(0x100 - sum);
    if (rec.back() != want) fail(fmt::format("bad checksum 0x{:02X} (expected 0x{:02X})", rec.back(), want));
    const std::uint32_t offset = std::uint32_t{rec[1]} << 8 | rec[2];
    const std::uint8_t type = rec[3];
    const std::uint8_t* data = rec.data() + 4;
    auto need = [&](std::size_t n, const char* name) {
      if (count != n) fail(fmt::format("{} record (type {:02X}) must hold {} data bytes, has {}", name, type, n, count));
      if (type != 1 && offset != 0)
        fail(fmt::format("{} record (type {:02X}) must have address 0000, has {:04X}", name, type, offset));
    };
    switch (type) {
      case 0x00: {
        const std::uint64_t first = std::uint64_t{base} + offset;
        if (first + count > kAddressSpace)
          fail(fmt::format("data at 0x{:08x} ({} bytes) runs past 0xFFFFFFFF", first, count));
        if (count == 0) break;
        if (runs.empty() || runs.back().addr + runs.back().bytes.size() != first)
          runs.push_back({static_cast<Addr>(first), {}, line_no});
        runs.back().bytes.insert(runs.back().bytes.end(), data, data + count);
        break;
      }
      case 0x01:
        need(0, "end-of-file");
        eof = true;
        eof_line = line_no;
        break;
      case 0x02:
        need(2, "extended segment address");
        base = (std::uint32_t{data[0]} << 8 | data[1]) << 4;
        break;
      case 0x03:
        need(4, "start segment address");
        start = ((std::uint32_t{data[0]} << 8 | data[1]) << 4) + (std::uint32_t{data[2]} << 8 | data[3]);
        break;
      case 0x04:
        need(2, "extended linear address");
        base = (std::uint32_t{data[0]} << 8 | data[1]) << 16;
        break;
      case 0x05:
        need(4, "start linear address");
        start = std::uint32_t{data[0]} << 24 | std::uint32_t{data[1]} << 16 | std::uint32_t{data[2]} << 8 | data[3];
        break;
      default:
        fail(fmt::format("unknown record type {:02X} (00-05 expected)", type));
    }
  }
  if (!eof)
    throw InputError(fmt::format("{}: Intel HEX: no end-of-file record (type 01) after line {}: the file is truncated",
                                 p, line_no));
  if (runs.empty()) throw InputError(fmt::format("{}: Intel HEX: no data record", p));
  std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.addr < b.addr; });

  Image img;
  img.path = path;
  img.format = ImageFormat::hex;
  img.machine = machine;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto& r = runs[i];
    if (!img.segments.empty()) {
      auto& last = img.segments.back();
      const std::uint64_t end = std::uint64_t{last.paddr} + last.bytes.size();
      if (r.addr < end)
        throw InputError(fmt::format("{}:{}: Intel HEX: address 0x{:08x} is given twice (the data of line {} "
                                     "overlaps the data of line {})",
                                     p, r.line, r.addr, r.line, runs[i - 1].line));
      if (r.addr == end) {
        last.bytes.insert(last.bytes.end(), r.bytes.begin(), r.bytes.end());
        continue;
      }
    }
    LoadSegment s;
    s.paddr = s.vaddr = r.addr;
    s.executable = true;
    s.bytes = std::move(r.bytes);
    img.segments.push_back(std::move(s));
  }
  for (auto& s : img.segments) s.mem_size = static_cast<std::uint32_t>(s.bytes.size());
  const auto& first = img.segments.front();
  img.entry = first.paddr;
  if (start)
    img.entry = *start;
  else if (machine == ElfMachine::arm && first.bytes.size() >= 8)
    img.entry = le32(first.bytes.data() + 4);
  return img;
}

Addr raw_load_address(const BoardConfig& board) {
  if (board.boot_address) return *board.boot_address;
  if (!board.has_flash)
    throw InputError(fmt::format("{}: board {} has no [flash]: give boot_address to load a raw binary",
                                 board.file.string(), board.name));
  return board.flash.base;
}

Image load_board_image(const std::filesystem::path& path, const BoardConfig& board) {
  const auto format = detect_image_format(path);
  if (format == ImageFormat::elf) return load_elf(path);
  const auto isa = load_board_core(board)->isa_family();
  const ElfMachine machine = isa == core::IsaFamily::arm_m ? ElfMachine::arm : ElfMachine::riscv;
  if (format == ImageFormat::hex) return load_intel_hex(path, machine);
  // Raw: refuse a file larger than the memory it is loaded into before reading it.
  const Addr at = raw_load_address(board);
  const std::uint64_t n = image_size(path);
  std::optional<std::uint64_t> room;
  std::string region;
  if (board.has_flash && at - board.flash.base < board.flash.size_bytes) {
    room = board.flash.size_bytes - (at - board.flash.base);
    region = "flash";
  }
  for (auto& s : board.sram)
    if (!room && s.contains(at)) {
      room = s.size_bytes - (at - s.base);
      region = s.name;
    }
  if (!room)
    throw InputError(fmt::format("{}: raw binary load address 0x{:08x} of board {} is in no memory region",
                                 path.string(), at, board.name));
  if (n > *room)
    throw InputError(fmt::format("{}: raw binary of {} bytes is too large for board {}: {} holds {} bytes from "
                                 "0x{:08x}",
                                 path.string(), n, board.name, region, *room, at));
  return load_raw_binary(path, at, machine);
}

}  // namespace mcusim
