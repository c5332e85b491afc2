// Speed benchmark: runs the KWS reference firmware with plain Unicorn (no hooks but the
// semihosting interrupt hook the firmware needs to exit), with trivial block and memory hooks,
// and with mcusim's full model, in one process, and prints MIPS and the ratios.
// MIPS = retired instructions (from the full model's count) / host seconds. Not a test.
#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/simulation.h"

namespace {

enum class Hooks { none, block, block_and_memory };

struct Plain {
  bool done = false;
};

void on_intr(uc_engine* uc, std::uint32_t intno, void* ud) {
  auto* p = static_cast<Plain*>(ud);
  std::uint32_t pc = 0, r0 = 0;
  uc_reg_read(uc, UC_ARM_REG_PC, &pc);
  uc_reg_read(uc, UC_ARM_REG_R0, &r0);
  if (intno != 7 || r0 == 0x18 || r0 == 0x20) {  // not semihosting, or SYS_EXIT(_EXTENDED)
    p->done = true;
    uc_emu_stop(uc);
    return;
  }
  std::uint32_t zero = 0, next = (pc + 2) | 1;  // other calls: ignore, return 0
  uc_reg_write(uc, UC_ARM_REG_R0, &zero);
  uc_reg_write(uc, UC_ARM_REG_PC, &next);
}
void on_block(uc_engine*, std::uint64_t, std::uint32_t, void* ud) { ++*static_cast<std::uint64_t*>(ud); }
void on_mem(uc_engine*, uc_mem_type, std::uint64_t, int, std::int64_t, void* ud) {
  ++*static_cast<std::uint64_t*>(ud);
}
std::uint64_t scs_read(uc_engine*, std::uint64_t, unsigned, void*) { return 0; }
void scs_write(uc_engine*, std::uint64_t, unsigned, std::uint64_t, void*) {}

double run_plain(const mcusim::BoardConfig& b, const mcusim::ElfImage& img, Hooks hooks) {
  uc_engine* uc = nullptr;
  uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc);
  uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4);
  uc_mem_map(uc, b.flash.base, b.flash.size_bytes, UC_PROT_READ | UC_PROT_EXEC);
  for (auto& s : b.sram) uc_mem_map(uc, s.base, s.size_bytes, UC_PROT_ALL);
  uc_mmio_map(uc, 0xE0000000, 0x100000, scs_read, nullptr, scs_write, nullptr);
  for (auto& seg : img.segments)
    if (!seg.bytes.empty()) uc_mem_write(uc, seg.paddr, seg.bytes.data(), seg.bytes.size());
  std::uint32_t vt[2];
  uc_mem_read(uc, *b.vector_table, vt, 8);
  uc_reg_write(uc, UC_ARM_REG_SP, &vt[0]);
  Plain p;
  std::uint64_t count = 0;
  uc_hook h;
  uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(on_intr), &p, 1, 0);
  if (hooks != Hooks::none) uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(on_block), &count, 1, 0);
  if (hooks == Hooks::block_and_memory)
    uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(on_mem), &count, 1, 0);
  uc_ctl_exits_enable(uc);
  auto t0 = std::chrono::steady_clock::now();
  std::uint32_t pc = vt[1];
  while (!p.done) {
    if (uc_emu_start(uc, pc | 1, 0, 0, 0) != UC_ERR_OK) break;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uc_close(uc);
  return s;
}

template <class F>
double median_of(int n, F f) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(f());
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string elf = argc > 1 ? argv[1] : MCUSIM_KWS_ELF;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  auto board = mcusim::load_board("nucleo-l4r5zi");
  auto image = mcusim::load_elf(elf);
  std::uint64_t instructions = 0;
  double full = median_of(reps, [&] {
    auto t0 = std::chrono::steady_clock::now();
    mcusim::Simulation sim(board, image);
    auto r = sim.run({});
    instructions = r.total.instructions;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  double plain = median_of(reps, [&] { return run_plain(board, image, Hooks::none); });
  double block = median_of(reps, [&] { return run_plain(board, image, Hooks::block); });
  double mem = median_of(reps, [&] { return run_plain(board, image, Hooks::block_and_memory); });
  auto mips = [&](double s) { return instructions / s / 1e6; };
  fmt::print("KWS firmware {}: {} retired instructions, median of {} runs\n", elf, instructions, reps);
  fmt::print("  {:<44} {:>9.1f} MIPS  {:>7.3f} s\n", "plain Unicorn (no hooks)", mips(plain), plain);
  fmt::print("  {:<44} {:>9.1f} MIPS  {:>7.3f} s\n", "Unicorn + trivial block hook", mips(block), block);
  fmt::print("  {:<44} {:>9.1f} MIPS  {:>7.3f} s\n", "Unicorn + trivial block and memory hooks", mips(mem), mem);
  fmt::print("  {:<44} {:>9.1f} MIPS  {:>7.3f} s\n", "mcusim full model (incl. load and decode)", mips(full), full);
  fmt::print("ratio full model / plain Unicorn: {:.3f}\n", plain / full);
  return 0;
}
