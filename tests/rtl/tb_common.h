// Shared parts of the project's RTL testbenches (tests/rtl/*_tb.cpp): a flat RAM loaded from an
// ELF with libelf (the same PT_LOAD segments mcusim loads), the console and halt registers of the
// boards (boards/picorv32-soc.toml, boards/ibex-simple.toml), and the JSON result file read by
// tests/rtl/validate.py. No third-party code: the cores' RTL comes from the PyPI pythondata
// packages at build time (scripts/requirements-rtl.txt).
#pragma once

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtltb {

/// One flat RAM of `size` bytes at `base` (byte addresses), little-endian.
struct Ram {
  std::uint32_t base = 0;
  std::vector<std::uint8_t> bytes;

  bool contains(std::uint32_t a) const { return a >= base && a - base < bytes.size(); }
  std::uint32_t read32(std::uint32_t a) const {
    a &= ~3u;
    if (!contains(a)) throw std::runtime_error("read outside the RAM at 0x" + hex(a));
    const std::uint8_t* p = &bytes[a - base];
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
  }
  /// Writes the bytes of `data` selected by the 4-bit byte-enable mask `strb` at word address `a`.
  void write32(std::uint32_t a, std::uint32_t data, unsigned strb) {
    a &= ~3u;
    if (!contains(a)) throw std::runtime_error("write outside the RAM at 0x" + hex(a));
    for (unsigned i = 0; i < 4; ++i)
      if (strb & (1u << i)) bytes[a - base + i] = std::uint8_t(data >> (8 * i));
  }
  static std::string hex(std::uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "%08x", v);
    return b;
  }
};

/// Loads the PT_LOAD segments of the ELF32 file `path` into `ram` (file bytes, then zeroes up to
/// p_memsz). Returns the entry address. Throws std::runtime_error naming the file and the
/// segment when the file is not an ELF32 or a segment falls outside the RAM.
inline std::uint32_t load_elf(const std::string& path, Ram& ram) {
  if (elf_version(EV_CURRENT) == EV_NONE) throw std::runtime_error("libelf: version mismatch");
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(path + ": cannot open");
  Elf* e = elf_begin(fd, ELF_C_READ, nullptr);
  GElf_Ehdr eh;
  if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || gelf_getclass(e) != ELFCLASS32) {
    close(fd);
    throw std::runtime_error(path + ": not an ELF32 file");
  }
  std::size_t n = 0;
  elf_getphdrnum(e, &n);
  std::vector<std::uint8_t> file;
  {
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (std::size_t i = 0; i < n; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(e, int(i), &ph) || ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    const std::uint32_t a = std::uint32_t(ph.p_paddr);
    if (!ram.contains(a) || !ram.contains(a + std::uint32_t(ph.p_memsz) - 1) || ph.p_offset + ph.p_filesz > file.size())
      throw std::runtime_error(path + ": segment " + std::to_string(i) + " at 0x" + Ram::hex(a) +
                               " is outside the RAM");
    std::memcpy(&ram.bytes[a - ram.base], &file[ph.p_offset], ph.p_filesz);
    std::memset(&ram.bytes[a - ram.base + ph.p_filesz], 0, ph.p_memsz - ph.p_filesz);
  }
  elf_end(e);
  close(fd);
  return std::uint32_t(eh.e_entry);
}

/// The data side of the OBI bus (req/gnt/rvalid) of the Ibex and CV32E40P testbenches, with the
/// boards' console and halt registers at byte addresses `console` and `halt` and single-cycle RAM
/// behind it. Call `serve` at each clock edge with the data request granted in the cycle that
/// ends (`granted` false when none); it registers the response the core sees in the next cycle:
/// `rvalid`, and `rdata` (the RAM word for a load, 0 otherwise). A store to `halt` sets `halting`
/// (the run ends after the store's response cycle); a store to `console` with byte 0 enabled
/// appends that byte to `console_text`; other stores write `ram` through the 4-bit byte-enable
/// mask. Addresses are word addresses (low 2 bits clear). Throws std::runtime_error (Ram) for an
/// access outside the RAM.
struct ObiDataPort {
  std::uint32_t console = 0, halt = 0;
  bool rvalid = false;
  std::uint32_t rdata = 0;
  bool halting = false;

  void serve(Ram& ram, std::string& console_text, bool granted, std::uint32_t addr, bool we,
             std::uint32_t wdata, unsigned be) {
    rvalid = granted;
    rdata = 0;
    if (!granted) return;
    if (addr == halt && we) {
      halting = true;
    } else if (addr == console) {
      if (we && (be & 1)) console_text += char(wdata & 0xFF);
    } else if (we) {
      ram.write32(addr, wdata, be);
    } else {
      rdata = ram.read32(addr);
    }
  }
};

/// What a run produced: cycles from the release of reset to the halt, retired instructions
/// (the core's own counter), the console text and why it stopped.
struct Result {
  std::uint64_t cycles = 0;
  std::uint64_t instructions = 0;
  std::string console;
  std::string stop;  // "halt", "ebreak", "trap", "timeout"
  /// The PC of the instruction the core stopped at, when the testbench knows it (PicoRV32:
  /// reg_pc at the trap); written as "stop_pc".
  std::optional<std::uint32_t> stop_pc;
};

inline std::string json_escape(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += char(c);
    else if (c == '\n') o += "\\n";
    else if (c < 0x20 || c >= 0x7f) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += char(c);
  }
  return o;
}

/// Writes `r` as one JSON object to `path` ("-": stdout).
inline void write_json(const std::string& path, const std::string& core, const std::string& config,
                       const Result& r) {
  std::string j = "{\"core\": \"" + core + "\", \"config\": \"" + config + "\", \"cycles\": " +
                  std::to_string(r.cycles) + ", \"instructions\": " + std::to_string(r.instructions) +
                  ", \"stop\": \"" + r.stop + "\"" +
                  (r.stop_pc ? ", \"stop_pc\": " + std::to_string(*r.stop_pc) : std::string()) +
                  ", \"console\": \"" + json_escape(r.console) + "\"}\n";
  if (path == "-") {
    std::fputs(j.c_str(), stdout);
  } else {
    std::ofstream(path) << j;
  }
}

}  // namespace rtltb
