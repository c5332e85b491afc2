#include "mcusim/profile.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <tuple>

#include "mcusim/base/errors.h"

namespace mcusim {
namespace {

// Stall cycles of a counters delta (ProfileCost::stall_cycles).
Cycles stalls(const Counters& c) {
  return c.flash.ifetch_stall_cycles + c.flash.data_stall_cycles + c.sram.stall_cycles + c.tcm.stall_cycles +
         c.l1i.stall_cycles + c.l1d.stall_cycles + c.branch_penalty_cycles + c.divide_extra_cycles +
         c.multiply_extra_cycles;
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

SymbolTable::SymbolTable(const std::filesystem::path& path) {
  functions_.push_back({"(no symbol)", 0, 0, "", 0});
  files_.push_back("");
  elf_version(EV_CURRENT);
  FdCloser fd{open(path.c_str(), O_RDONLY)};
  if (fd.fd < 0) throw InputError(fmt::format("{}: cannot open for the profile's symbols", path.string()));
  std::unique_ptr<Elf, decltype(&elf_end)> elf(elf_begin(fd.fd, ELF_C_READ, nullptr), &elf_end);
  // A raw binary or Intel HEX image has no symbols: every instruction is "(no symbol)", and the
  // timeline's regions and power track still work.
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) return;
  // Function symbols.
  std::vector<ProfileFunction> funcs;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf.get(), scn));) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !sh.sh_entsize) continue;
    for (std::size_t i = 0; i < sh.sh_size / sh.sh_entsize; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value)
        continue;
      const char* name = elf_strptr(elf.get(), sh.sh_link, sym.st_name);
      if (!name || !*name) continue;
      funcs.push_back({name, static_cast<Addr>(sym.st_value & ~1ull), static_cast<std::uint32_t>(sym.st_size), "", 0});
    }
  }
  std::sort(funcs.begin(), funcs.end(), [](const auto& a, const auto& b) {
    return a.address != b.address ? a.address < b.address : a.name < b.name;
  });
  for (auto& f : funcs)
    if (functions_.size() == 1 || functions_.back().address != f.address) functions_.push_back(f);

  // DWARF line table (optional).
  if (Dwarf* dw = dwarf_begin_elf(elf.get(), DWARF_C_READ, nullptr)) {
    std::map<std::string, std::uint32_t> file_index;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu;
      if (dwarf_offdie(dw, off + hsize, &cu)) {
        Dwarf_Lines* lines;
        size_t n;
        if (dwarf_getsrclines(&cu, &lines, &n) == 0)
          for (size_t i = 0; i < n; ++i) {
            Dwarf_Line* l = dwarf_onesrcline(lines, i);
            Dwarf_Addr a;
            int lineno;
            bool end = false;
            if (dwarf_lineaddr(l, &a) || dwarf_lineno(l, &lineno)) continue;
            dwarf_lineendsequence(l, &end);
            const char* src = dwarf_linesrc(l, nullptr, nullptr);
            std::uint32_t fi = 0;
            if (src && !end) {
              std::string name = std::filesystem::path(src).filename().string();
              auto [it, fresh] = file_index.emplace(name, files_.size());
              if (fresh) files_.push_back(name);
              fi = it->second;
            }
            lines_.push_back({static_cast<Addr>(a & ~1ull), end ? 0u : fi, end ? 0u : static_cast<unsigned>(lineno)});
          }
      }
      off = next;
    }
    dwarf_end(dw);
    std::stable_sort(lines_.begin(), lines_.end(), [](auto& a, auto& b) { return a.address < b.address; });
    for (std::size_t i = 1; i < functions_.size(); ++i) {
      auto [f, l] = line_of(functions_[i].address);
      functions_[i].file = files_[f];
      functions_[i].line = l;
    }
  }
}

std::size_t SymbolTable::function_of(Addr a) const {
  auto it = std::upper_bound(functions_.begin() + 1, functions_.end(), a,
                             [](Addr x, const ProfileFunction& f) { return x < f.address; });
  if (it == functions_.begin() + 1) return 0;
  const auto& f = *std::prev(it);
  if (f.size && a >= f.address + f.size) return 0;
  return static_cast<std::size_t>(std::prev(it) - functions_.begin());
}

std::pair<std::uint32_t, unsigned> SymbolTable::line_of(Addr a) const {
  auto it = std::upper_bound(lines_.begin(), lines_.end(), a, [](Addr x, const LineRow& r) { return x < r.address; });
  if (it == lines_.begin()) return {0, 0};
  --it;
  return {it->file, it->line};
}

Profiler::Profiler(const SymbolTable& symbols, Hertz clock_hz, const ProfileOptions& options,
                   std::function<Counters()> snapshot, std::function<double(const Counters&)> energy_pj)
    : symbols_(symbols),
      clock_hz_(clock_hz),
      options_(options),
      snapshot_(std::move(snapshot)),
      energy_pj_(std::move(energy_pj)) {
  profile_.functions = symbols.functions();
  profile_.functions[0].name = "(no symbol)";
  profile_.has_dwarf = symbols.has_dwarf();
  profile_.clock_hz = clock_hz;
  profile_.power_interval_cycles =
      std::max<Cycles>(1, static_cast<Cycles>(std::llround(options.power_interval_s * static_cast<double>(clock_hz))));
  next_power_sample_ = profile_.power_interval_cycles;
  ProfileFunction root{"(reset)", 0, 0, "", 0};
  profile_.functions.push_back(root);
  ProfileNode r;
  r.function = profile_.functions.size() - 1;
  r.parent = 0;
  r.calls = 1;
  profile_.nodes.push_back(r);
  stack_.push_back({0, 0, 0});
  last_ = snapshot_();
  power_last_ = last_;
}

std::size_t Profiler::child(std::size_t parent, std::size_t function) {
  auto [it, fresh] = children_.emplace(std::make_pair(parent, function), profile_.nodes.size());
  if (fresh) {
    ProfileNode n;
    n.function = function;
    n.parent = parent;
    profile_.nodes.push_back(n);
  }
  return it->second;
}

void Profiler::charge() {
  Counters now = snapshot_();
  Counters delta = now - last_;
  delta.classes = pending_classes_;
  pending_classes_ = {};
  profile_.nodes[stack_.back().node].counters += delta;
  last_ = std::move(now);
}

void Profiler::push(std::size_t function, Addr return_to, Cycles now) {
  const std::size_t n = child(stack_.back().node, function);
  ++profile_.nodes[n].calls;
  stack_.push_back({n, return_to, now});
}

void Profiler::pop_to(std::size_t depth, Cycles now) {
  while (stack_.size() > std::max<std::size_t>(depth, 1)) {
    const Frame f = stack_.back();
    stack_.pop_back();
    const unsigned d = static_cast<unsigned>(stack_.size());  // depth of the popped frame - 1
    if (d > options_.max_slice_depth) continue;
    if (function_slices_ < options_.max_slices) {
      ++function_slices_;
      profile_.slices.push_back({profile_.functions[profile_.nodes[f.node].function].name, "functions", d - 1,
                                 f.entered, now});
    } else {
      ++profile_.slices_dropped;
    }
  }
}

void Profiler::sample_power(Cycles now, bool final) {
  Counters c = snapshot_();
  // Classes so far: those charged to nodes plus the pending ones.
  core::ClassCounts all{};
  for (auto& n : profile_.nodes)
    for (std::size_t i = 0; i < all.size(); ++i) all[i] += n.counters.classes[i];
  for (std::size_t i = 0; i < all.size(); ++i) all[i] += pending_classes_[i];
  c.classes = all;
  const double e = energy_pj_(c);
  const Cycles span = c.cycles - power_last_.cycles;
  // The average over the span since the last sample, for every interval the span completes (one,
  // unless the core slept in WFI or an exception took longer than an interval; the last, partial
  // interval at the end of the run).
  const Cycles interval = profile_.power_interval_cycles;
  const std::size_t target = static_cast<std::size_t>(final ? (now + interval - 1) / interval : now / interval);
  if (span > 0) {
    const double mw = (e - power_energy_) * 1e-12 / (static_cast<double>(span) / clock_hz_) * 1e3;
    while (profile_.power_mw.size() < target) profile_.power_mw.push_back(mw);
  }
  power_energy_ = e;
  power_last_ = c;
  while (next_power_sample_ <= now) next_power_sample_ += profile_.power_interval_cycles;
}

void Profiler::on_block(Addr start, std::size_t function, const core::BlockInfo& info, Addr prev_end, Cycles now,
                        const std::function<Addr()>& link) {
  if (now >= next_power_sample_) sample_power(now, false);
  const std::size_t current = profile_.nodes[stack_.back().node].function;
  if (function != current) {
    charge();
    // Return: a frame's return address, searched from the top.
    bool done = false;
    for (std::size_t i = stack_.size(); i-- > 1;)
      if (stack_[i].return_to == start) {
        pop_to(i, now);
        done = true;
        break;
      }
    if (!done) {
      const Addr lr = link() & ~1u;
      const bool entry = function != 0 && start == profile_.functions[function].address;
      if (lr == prev_end && start != prev_end) {
        push(function, prev_end, now);  // BL / BLX / JAL(R) ra
      } else if (entry && (link() & 0xFFFFFF00u) == 0xFFFFFF00u) {
        push(function, 0, now);  // exception entry (LR = EXC_RETURN)
      } else {
        // Into a function on the stack: a return to it (exception return, longjmp).
        std::size_t found = 0;
        for (std::size_t i = stack_.size(); i-- > 1;)
          if (profile_.nodes[stack_[i].node].function == function) {
            found = i + 1;
            break;
          }
        if (found) {
          pop_to(found, now);
        } else {
          // Tail call (or a jump into another function): replaces the current frame.
          const Frame top = stack_.back();
          if (stack_.size() > 1) {
            pop_to(stack_.size() - 1, now);
            push(function, top.return_to, now);
          } else {
            push(function, 0, now);
          }
        }
      }
    }
  }
  for (std::size_t i = 0; i < pending_classes_.size(); ++i) pending_classes_[i] += info.class_counts[i];
}

void Profiler::on_region(const std::string& name, bool begin, Cycles now) {
  if (begin) {
    open_regions_.push_back({name, now});
    return;
  }
  for (auto it = open_regions_.rbegin(); it != open_regions_.rend(); ++it)
    if (it->first == name) {
      const unsigned depth = static_cast<unsigned>(std::distance(it, open_regions_.rend()) - 1);
      profile_.slices.push_back({name, "regions", depth, it->second, now});
      open_regions_.erase(std::next(it).base());
      return;
    }
}

Profile Profiler::finish(Cycles now, const std::vector<std::pair<const core::BlockInfo*, std::uint64_t>>& blocks) {
  charge();
  sample_power(now, true);
  pop_to(1, now);
  for (auto& [name, begin] : open_regions_) profile_.slices.push_back({name, "regions", 0, begin, now});
  open_regions_.clear();
  Counters total;
  for (auto& n : profile_.nodes) {
    n.self.instructions = n.counters.instructions;
    n.self.cycles = n.counters.cycles;
    n.self.stall_cycles = stalls(n.counters);
    n.self.energy_pj = energy_pj_(n.counters);
    profile_.total_energy_pj += n.self.energy_pj;
    total += n.counters;
  }
  profile_.total_cycles = total.cycles;
  profile_.total_instructions = total.instructions;
  // Per source line: each executed instruction's issue cycles (its static offset to the next).
  if (symbols_.has_dwarf()) {
    // Keyed by function too: a line of an inlined header appears once per function using it.
    std::map<std::tuple<std::size_t, std::uint32_t, unsigned>, ProfileLine> lines;
    for (auto& [b, count] : blocks) {
      if (!count) continue;
      for (std::size_t i = 0; i < b->insn_addrs.size(); ++i) {
        const auto key = symbols_.line_of(b->insn_addrs[i]);
        if (key.second == 0) continue;
        const std::uint32_t next = i + 1 < b->insn_cycle_offset.size() ? b->insn_cycle_offset[i + 1] : b->static_cycles;
        const std::size_t fn = symbols_.function_of(b->insn_addrs[i]);
        auto& l = lines[{fn, key.first, key.second}];
        if (l.line == 0) {
          l.file = symbols_.files()[key.first];
          l.line = key.second;
          l.function = profile_.functions[fn].name;
        }
        l.instructions += count;
        l.static_cycles += count * (next - std::min(next, b->insn_cycle_offset[i]));
      }
    }
    for (auto& [k, l] : lines) profile_.lines.push_back(std::move(l));
  }
  std::stable_sort(profile_.slices.begin(), profile_.slices.end(),
                   [](const ProfileSlice& a, const ProfileSlice& b) { return a.end < b.end; });
  return std::move(profile_);
}

}  // namespace mcusim
