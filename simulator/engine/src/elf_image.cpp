#include "mcusim/elf_image.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "mcusim/base/errors.h"

namespace mcusim {
namespace {

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

ElfImage load_elf(const std::filesystem::path& path) {
  const std::string p = path.string();
  if (elf_version(EV_CURRENT) == EV_NONE)
    throw InputError(fmt::format("libelf initialisation failed: {}", elf_errmsg(-1)));
  Fd fd{open(p.c_str(), O_RDONLY)};
  if (fd.fd < 0)
    throw InputError(fmt::format("{}: cannot open firmware: {}", p, std::strerror(errno)));
  std::unique_ptr<Elf, ElfCloser> elf(elf_begin(fd.fd, ELF_C_READ, nullptr));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF)
    throw InputError(fmt::format("{}: not an ELF file", p));
  if (gelf_getclass(elf.get()) != ELFCLASS32)
    throw InputError(fmt::format("{}: not a 32-bit ELF (ELFCLASS32 expected)", p));
  GElf_Ehdr eh;
  if (!gelf_getehdr(elf.get(), &eh))
    throw InputError(fmt::format("{}: unreadable ELF header: {}", p, elf_errmsg(-1)));
  if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
    throw InputError(fmt::format("{}: not little-endian (ELFDATA2LSB expected)", p));
  if (eh.e_type != ET_EXEC)
    throw InputError(fmt::format("{}: not an executable (ET_EXEC expected, e_type={})", p, eh.e_type));
  ElfImage img;
  img.path = path;
  img.format = ImageFormat::elf;
  if (eh.e_machine == EM_ARM)
    img.machine = ElfMachine::arm;
  else if (eh.e_machine == EM_RISCV)
    img.machine = ElfMachine::riscv;
  else
    throw InputError(fmt::format("{}: machine {} is not Arm (EM_ARM=40) or RISC-V (EM_RISCV=243)", p,
                                 eh.e_machine));
  img.entry = static_cast<Addr>(eh.e_entry);

  std::size_t nph = 0;
  if (elf_getphdrnum(elf.get(), &nph) != 0)
    throw InputError(fmt::format("{}: unreadable program headers: {}", p, elf_errmsg(-1)));
  // Whole-file image for segment bytes.
  std::size_t file_size = 0;
  char* raw = elf_rawfile(elf.get(), &file_size);
  for (std::size_t i = 0; i < nph; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph)) continue;
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_offset + ph.p_filesz > file_size)
      throw InputError(fmt::format("{}: segment {} extends past the end of the file", p, i));
    LoadSegment s;
    s.paddr = static_cast<Addr>(ph.p_paddr);
    s.vaddr = static_cast<Addr>(ph.p_vaddr);
    s.mem_size = static_cast<std::uint32_t>(ph.p_memsz);
    s.bytes.assign(raw + ph.p_offset, raw + ph.p_offset + ph.p_filesz);
    s.executable = ph.p_flags & PF_X;
    s.writable = ph.p_flags & PF_W;
    img.segments.push_back(std::move(s));
  }
  if (img.segments.empty()) throw InputError(fmt::format("{}: no loadable (PT_LOAD) segment", p));

  std::size_t shstrndx = 0;
  elf_getshdrstrndx(elf.get(), &shstrndx);
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    if (sh.sh_type == SHT_SYMTAB) {
      Elf_Data* data = elf_getdata(scn, nullptr);
      std::size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
      for (std::size_t k = 0; data && k < n; ++k) {
        GElf_Sym sym;
        if (!gelf_getsym(data, static_cast<int>(k), &sym)) continue;
        const char* nm = elf_strptr(elf.get(), sh.sh_link, sym.st_name);
        if (!nm || !*nm || sym.st_shndx == SHN_UNDEF) continue;
        int type = GELF_ST_TYPE(sym.st_info);
        if (type == STT_SECTION || type == STT_FILE) continue;
        img.symbols.emplace(nm, static_cast<Addr>(sym.st_value));
      }
    }
    if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0) continue;
    ElfSection s;
    const char* nm = elf_strptr(elf.get(), shstrndx, sh.sh_name);
    s.name = nm ? nm : "?";
    s.addr = static_cast<Addr>(sh.sh_addr);
    s.size = static_cast<std::uint32_t>(sh.sh_size);
    s.nobits = sh.sh_type == SHT_NOBITS;
    s.executable = sh.sh_flags & SHF_EXECINSTR;
    s.writable = sh.sh_flags & SHF_WRITE;
    s.load_addr = s.addr;
    for (auto& seg : img.segments)
      if (s.addr >= seg.vaddr && s.addr < seg.vaddr + seg.mem_size)
        s.load_addr = seg.paddr + (s.addr - seg.vaddr);
    img.sections.push_back(std::move(s));
  }
  return img;
}

}  // namespace mcusim
