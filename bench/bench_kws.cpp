// Speed benchmark (issue 16): runs one firmware on one board, in one process, as
//   1. plain Unicorn 2.0.1 as Debian ships it (no hooks but what the firmware needs to exit),
//   2. plain Unicorn with mcusim's fixes: the per-store self-modifying-code check bypassed and the
//      memory_mapping() memo (seam/unicorn_store_fix.cpp),
//   3. mcusim's full model with Unicorn's store check as shipped (the model before issue 16),
//   4. mcusim's full model as built (store check bypassed),
// and, as the floor of any model with per-access hooks, 2. with trivial block and memory hooks,
// and 2. with a trivial block hook and a memory hook bound to the flash range only (what hooking
// only the memories with address-dependent timing could reach),
// each the median of N runs, in CPU time (this thread's CLOCK_THREAD_CPUTIME_ID) and wall time,
// and prints MIPS and the ratio of each to plain Unicorn. MIPS = the full model's retired
// instructions / seconds (the plain runs execute the same instructions; semihosting calls other
// than exit return 0 there). The full-model times include loading the models and decoding blocks.
// With qemu-system-arm (on PATH, or --qemu PATH) and a board that matches a QEMU machine (the
// user board file bench/mps2-an386.toml: QEMU's mps2-an386; or --qemu-machine M), also
//   5. QEMU on the same ELF, each run a child process, CPU time from its rusage (all threads),
//   6. QEMU on <elf dir>/empty.elf (start-up and exit only), taken off 5. in a third row,
// and checks once that QEMU executes as many instructions as mcusim retires (QEMU's
// `-d in_asm,exec,nochain` log streamed through a pipe and counted, qemu_run.h; --qemu-count
// singlestep uses `-singlestep`, one log line per instruction, about 6x slower; off skips it).
// Without QEMU the QEMU rows say why and the bench still exits 0.
// Not a test (timing depends on the host). Usage:
//   bench_kws [--board NAME|FILE] [--elf FILE] [--reps N] [--qemu PATH] [--qemu-machine M]
//             [--qemu-count tb|singlestep|off]
// Defaults: nucleo-l4r5zi, the board's KWS reference-kernel firmware (build/firmware/<board
// name>/kws-reference.elf, else nucleo-l4r5zi's), 5 runs, qemu-system-arm from PATH,
// the machine from the board (mps2-an386 for the board named mps2-an386), count tb.
#include <fmt/format.h>
#include <time.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware_paths.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/simulation.h"
#include "mcusim/unicorn_store_fix.h"
#include "qemu_run.h"

namespace {

struct Times {
  double cpu = 0, wall = 0;
};

class Stopwatch {
 public:
  Stopwatch() : w0_(std::chrono::steady_clock::now()), c0_(cpu_now()) {}
  Times elapsed() const {
    return {cpu_now() - c0_, std::chrono::duration<double>(std::chrono::steady_clock::now() - w0_).count()};
  }

 private:
  static double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
  }
  std::chrono::steady_clock::time_point w0_;
  double c0_;
};

struct Plain {
  bool arm = true;
  bool done = false;
  std::uint64_t events = 0;
};

// Trivial block and memory hooks: the floor of any model that sees every block and data access.
void on_block(uc_engine*, std::uint64_t, std::uint32_t, void* ud) { ++static_cast<Plain*>(ud)->events; }
void on_mem(uc_engine*, uc_mem_type, std::uint64_t, int, std::int64_t, void* ud) {
  ++static_cast<Plain*>(ud)->events;
}

// Arm semihosting (BKPT 0xAB arrives as interrupt 7): SYS_EXIT(_EXTENDED) ends the run, other
// calls return 0. Anything else (an SVC, an exception return) ends it too.
void on_intr(uc_engine* uc, std::uint32_t intno, void* ud) {
  auto* p = static_cast<Plain*>(ud);
  std::uint32_t pc = 0, r0 = 0;
  uc_reg_read(uc, UC_ARM_REG_PC, &pc);
  uc_reg_read(uc, UC_ARM_REG_R0, &r0);
  if (intno != 7 || r0 == 0x18 || r0 == 0x20) {
    p->done = true;
    uc_emu_stop(uc);
    return;
  }
  std::uint32_t zero = 0, next = (pc + 2) | 1;
  uc_reg_write(uc, UC_ARM_REG_R0, &zero);
  uc_reg_write(uc, UC_ARM_REG_PC, &next);
}
std::uint64_t dev_read(uc_engine*, std::uint64_t, unsigned, void*) { return 0; }
void dev_write(uc_engine*, std::uint64_t, unsigned, std::uint64_t, void*) {}
void halt_write(uc_engine* uc, std::uint64_t, unsigned, std::uint64_t, void* ud) {
  static_cast<Plain*>(ud)->done = true;
  uc_emu_stop(uc);
}

void must(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("bench: {}: {}", what, uc_strerror(e)));
}

// Plain Unicorn on the board's memory map: flash and SRAM as RAM, the console/halt registers and
// (Arm) the system control space as no-op MMIO, so the firmware runs to its exit.
enum class Hooks { none, all, flash_only };

Times run_plain(const mcusim::BoardConfig& b, const mcusim::ElfImage& img, Hooks hooks) {
  Plain p;
  p.arm = img.machine == mcusim::ElfMachine::arm;
  uc_engine* uc = nullptr;
  must(uc_open(p.arm ? UC_ARCH_ARM : UC_ARCH_RISCV, p.arm ? UC_MODE_THUMB : UC_MODE_RISCV32, &uc), "uc_open");
  const std::uint32_t page = p.arm ? 1024 : 4096;
  if (p.arm) {
    must(uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4), "cpu model");
  } else {
    must(uc_ctl_set_cpu_model(uc, UC_CPU_RISCV32_SIFIVE_E31), "cpu model");
  }
  if (b.has_flash) must(uc_mem_map(uc, b.flash.base, b.flash.size_bytes, UC_PROT_READ | UC_PROT_EXEC), "map flash");
  for (auto& s : b.sram) must(uc_mem_map(uc, s.base, s.size_bytes, UC_PROT_ALL), "map sram");
  if (p.arm) must(uc_mmio_map(uc, 0xE0000000, 0x100000, dev_read, nullptr, dev_write, nullptr), "map SCS");
  if (b.console_address)
    uc_mmio_map(uc, *b.console_address & ~(page - 1), page, dev_read, nullptr, dev_write, nullptr);
  if (b.halt_address)
    uc_mmio_map(uc, *b.halt_address & ~(page - 1), page, dev_read, nullptr, halt_write, &p);
  for (auto& seg : img.segments)
    if (!seg.bytes.empty()) must(uc_mem_write(uc, seg.paddr, seg.bytes.data(), seg.bytes.size()), "load");
  std::uint32_t pc = img.entry;
  if (p.arm) {
    std::uint32_t vt[2];
    must(uc_mem_read(uc, b.vector_table.value_or(0), vt, 8), "vector table");
    uc_reg_write(uc, UC_ARM_REG_SP, &vt[0]);
    pc = vt[1];
  } else if (b.reset_pc) {
    pc = *b.reset_pc;
  }
  uc_hook h;
  if (p.arm) uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(on_intr), &p, 1, 0);
  if (hooks != Hooks::none) {
    uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(on_block), &p, 1, 0);
    // A memory hook bound to the flash range only: the ceiling of a model that hooks only the
    // memories with address-dependent data timing (Unicorn 2.0.1 still takes its load/store slow
    // path for every access once any memory hook exists; the range only skips the callback).
    // (Only on boards with flash: bench skips the row on the others.)
    const std::uint64_t begin = hooks == Hooks::all ? 1 : b.flash.base;
    const std::uint64_t end = hooks == Hooks::all ? 0 : std::uint64_t(b.flash.base) + b.flash.size_bytes - 1;
    uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(on_mem), &p, begin, end);
  }
  uc_ctl_exits_enable(uc);
  Stopwatch sw;
  while (!p.done) {
    uc_err err = uc_emu_start(uc, p.arm ? (pc | 1) : pc, 0, 0, 0);
    uc_reg_read(uc, p.arm ? int(UC_ARM_REG_PC) : int(UC_RISCV_REG_PC), &pc);
    if (p.done) break;
    if (p.arm) {
      if (err != UC_ERR_OK) break;
      continue;
    }
    // RISC-V: ebreak stops the run at the ebreak. Semihosting (slli; ebreak; srai): exit ends,
    // other calls return 0 and resume after the sequence; a plain ebreak ends the run.
    std::uint32_t before = 0, a0 = 0;
    uc_mem_read(uc, pc - 4, &before, 4);
    uc_reg_read(uc, UC_RISCV_REG_X10, &a0);
    if (before != 0x01f01013 || a0 == 0x18 || a0 == 0x20) break;
    std::uint32_t zero = 0;
    uc_reg_write(uc, UC_RISCV_REG_X10, &zero);
    pc += 8;
  }
  Times t = sw.elapsed();
  uc_close(uc);
  return t;
}

template <class F>
Times median_of(int n, F f) {
  std::vector<Times> v;
  for (int i = 0; i < n; ++i) v.push_back(f());
  std::vector<double> c, w;
  for (auto& t : v) c.push_back(t.cpu), w.push_back(t.wall);
  std::sort(c.begin(), c.end());
  std::sort(w.begin(), w.end());
  return {c[c.size() / 2], w[w.size() / 2]};
}

// The QEMU part (rows 5 and 6 and the instruction-count check).
struct QemuSetup {
  std::string program;  // found executable, or empty
  std::string machine;  // QEMU machine, or empty
  std::string why_not;  // why there are no QEMU rows
  std::string empty_elf;
  std::string count = "tb";
};

std::vector<std::string> qemu_argv(const QemuSetup& q, const std::string& elf, const char* count) {
  std::vector<std::string> a = {q.program, "-M", q.machine, "-nographic", "-semihosting-config",
                                "enable=on,target=native", "-kernel", elf};
  if (count) {
    // The log goes to the child's fd 3 (run_child's trace pipe); the firmware's semihosting
    // output stays on stderr.
    a.insert(a.end(), {"-d", "in_asm,exec,nochain", "-D", "/dev/fd/3"});
    // QEMU 7.2 (Debian 12); from QEMU 8.1 on the same is `-accel tcg,one-insn-per-tb=on`.
    if (std::string(count) == "singlestep") a.push_back("-singlestep");
  }
  return a;
}

// One QEMU run; a run that does not exit with status 0 or prints other text than mcusim's run is
// reported (the times are still returned).
Times qemu_time(const QemuSetup& q, const std::string& elf, const std::string& expected_output, bool& ok) {
  auto r = mcusim::bench::run_child(qemu_argv(q, elf, nullptr));
  if (r.exit_status != 0 || r.output != expected_output) {
    if (ok)
      fmt::print(stderr, "bench_kws: QEMU on {}: exit status {}{}, output {}:\n{}\n", elf, r.exit_status,
                 r.signal ? fmt::format(" (signal {})", r.signal) : "",
                 r.output == expected_output ? "as mcusim's" : "DIFFERS from mcusim's", r.output);
    ok = false;
  }
  return {r.cpu_s, r.wall_s};
}

// Counts QEMU's executed instructions on `elf` and prints them next to mcusim's.
void qemu_count_check(const QemuSetup& q, const std::string& elf, std::uint64_t mcusim_instructions) {
  mcusim::bench::QemuExecCounter counter;
  auto r = mcusim::bench::run_child(qemu_argv(q, elf, q.count.c_str()), &counter);
  const std::uint64_t n = counter.instructions();
  fmt::print("  instructions, {} ({} count, {:.1f} s): QEMU {} (blocks: {} translated, {} executed, {} stopped), "
             "mcusim {}: {}\n",
             std::filesystem::path(elf).filename().string(), q.count, r.wall_s, n, counter.blocks_translated(),
             counter.blocks_executed(), counter.blocks_stopped(), mcusim_instructions,
             !counter.error().empty() || r.exit_status != 0 ? "COUNT FAILED"
             : n == mcusim_instructions                     ? "equal"
                                                            : "MISMATCH");
  if (r.exit_status != 0)
    fmt::print("  !!! QEMU exited with status {} (signal {}) in the counting run:\n{}\n", r.exit_status,
               r.signal, r.output);
  if (!counter.error().empty()) fmt::print("  !!! QEMU log not understood: {}\n", counter.error());
  if (n != mcusim_instructions)
    fmt::print("  !!! QEMU and mcusim differ by {} instructions on {}\n", std::int64_t(n - mcusim_instructions),
               elf);
}

}  // namespace

int main(int argc, char** argv) try {
  std::string board_name = "nucleo-l4r5zi", elf;
  std::string qemu = "qemu-system-arm", qemu_machine;
  QemuSetup q;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 < argc && a == "--board") board_name = argv[++i];
    else if (i + 1 < argc && a == "--elf") elf = argv[++i];
    else if (i + 1 < argc && a == "--reps") reps = std::max(1, std::atoi(argv[++i]));
    else if (i + 1 < argc && a == "--qemu") qemu = argv[++i];
    else if (i + 1 < argc && a == "--qemu-machine") qemu_machine = argv[++i];
    else if (i + 1 < argc && a == "--qemu-count") q.count = argv[++i];
    else {
      fmt::print(stderr,
                 "usage: bench_kws [--board NAME|FILE] [--elf FILE] [--reps N] [--qemu PATH] "
                 "[--qemu-machine M] [--qemu-count tb|singlestep|off]\n");
      return 2;
    }
  }
  if (q.count != "tb" && q.count != "singlestep" && q.count != "off") {
    fmt::print(stderr, "bench_kws: --qemu-count '{}': expected tb, singlestep or off\n", q.count);
    return 2;
  }
  auto board = mcusim::load_board(board_name);
  if (elf.empty()) {
    // The board's own KWS reference-kernel build, else nucleo-l4r5zi's.
    const auto own = std::filesystem::path(MCUSIM_FIRMWARE_DIR) / board.name / "kws-reference.elf";
    elf = std::filesystem::exists(own) ? own.string() : std::string(MCUSIM_KWS_ELF);
  }
  auto image = mcusim::load_elf(elf);

  // QEMU machine: --qemu-machine, else the one the board file matches (bench/mps2-an386.toml).
  q.machine = !qemu_machine.empty() ? qemu_machine : board.name == "mps2-an386" ? "mps2-an386" : "";
  if (auto p = mcusim::bench::find_program(qemu)) q.program = *p;
  if (q.program.empty())
    q.why_not = qemu.find('/') == std::string::npos
                    ? fmt::format("{} not found on PATH (Debian: apt-get install qemu-system-arm)", qemu)
                    : fmt::format("{} not found or not executable", qemu);
  else if (q.machine.empty())
    q.why_not = fmt::format("no QEMU machine for board {} (bench/mps2-an386.toml matches QEMU's mps2-an386; "
                            "or give --qemu-machine)",
                            board.name);
  const bool with_qemu = q.why_not.empty();
  q.empty_elf = (std::filesystem::path(elf).parent_path() / "empty.elf").string();
  const bool with_empty = with_qemu && std::filesystem::exists(q.empty_elf);

  std::uint64_t instructions = 0;
  std::string console;
  auto full = [&] {
    Stopwatch sw;
    mcusim::Simulation sim(board, image);
    auto r = sim.run({});
    instructions = r.total.instructions;
    console = r.console;
    return sw.elapsed();
  };
  enum class Kind { plain, hooks, flash_hooks, model, qemu, qemu_empty };
  struct Row {
    const char* name;
    bool fix;
    Kind kind;
    Times t;
  };
  std::vector<Row> rows = {{"plain Unicorn 2.0.1 (as shipped)", false, Kind::plain, {}},
                           {"plain Unicorn, store check bypassed", true, Kind::plain, {}},
                           {"  + trivial block and memory hooks", true, Kind::hooks, {}},
                           {"  + trivial block hook, flash-only mem hook", true, Kind::flash_hooks, {}},
                           {"full model, Unicorn's store check", false, Kind::model, {}},
                           {"full model (as built)", true, Kind::model, {}}};
  // Without flash there is no flash-only hook to measure (a range of zero bytes would mean "all").
  if (!board.has_flash) rows.erase(rows.begin() + 3);
  if (with_qemu) rows.push_back({"QEMU (whole process, CPU of all threads)", true, Kind::qemu, {}});
  if (with_empty) rows.push_back({"QEMU start-up and exit (empty.elf)", true, Kind::qemu_empty, {}});
  // mcusim's output, which every QEMU run must print too: from one run before the timed ones.
  if (with_qemu) full();
  std::string empty_console;
  std::uint64_t empty_instructions = 0;
  if (with_empty) {
    mcusim::Simulation sim(board, mcusim::load_elf(q.empty_elf));
    auto r = sim.run({});
    empty_console = r.console;
    empty_instructions = r.total.instructions;
  }
  bool qemu_ok = true;
  // Interleave the configurations per repetition so that load changes on the host hit all alike.
  std::vector<std::vector<Times>> runs(rows.size());
  for (int r = 0; r < reps; ++r)
    for (std::size_t i = 0; i < rows.size(); ++i) {
      mcusim::store_check_fix(rows[i].fix);
      const Hooks h = rows[i].kind == Kind::hooks         ? Hooks::all
                      : rows[i].kind == Kind::flash_hooks ? Hooks::flash_only
                                                          : Hooks::none;
      runs[i].push_back(rows[i].kind == Kind::model        ? full()
                        : rows[i].kind == Kind::qemu       ? qemu_time(q, elf, console, qemu_ok)
                        : rows[i].kind == Kind::qemu_empty ? qemu_time(q, q.empty_elf, empty_console, qemu_ok)
                                                           : run_plain(board, image, h));
    }
  mcusim::store_check_fix(true);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::size_t k = 0;
    rows[i].t = median_of(reps, [&] { return runs[i][k++]; });
  }
  auto mips = [&](double s) { return double(instructions) / s / 1e6; };
  fmt::print("board {}, firmware {}: {} retired instructions, median of {} runs\n", board.name, elf,
             instructions, reps);
  fmt::print("  {:<44} {:>9} {:>9} {:>9} {:>9} {:>8}\n", "configuration", "CPU MIPS", "CPU s", "wall MIPS",
             "wall s", "/plain");
  const double base = rows[0].t.cpu;
  for (auto& r : rows) {
    if (r.kind == Kind::qemu_empty)
      fmt::print("  {:<44} {:>9} {:>9.3f} {:>9} {:>9.3f} {:>8}\n", r.name, "-", r.t.cpu, "-", r.t.wall, "-");
    else
      fmt::print("  {:<44} {:>9.1f} {:>9.3f} {:>9.1f} {:>9.3f} {:>8.3f}\n", r.name, mips(r.t.cpu), r.t.cpu,
                 mips(r.t.wall), r.t.wall, base / r.t.cpu);
  }
  if (with_empty) {
    // QEMU net of its start-up and exit: the difference of the two medians.
    const Times whole = rows[rows.size() - 2].t, start = rows.back().t;
    const Times net{whole.cpu - start.cpu, whole.wall - start.wall};
    if (net.cpu > 0 && net.wall > 0)
      fmt::print("  {:<44} {:>9.1f} {:>9.3f} {:>9.1f} {:>9.3f} {:>8.3f}\n", "QEMU net of start-up (difference)",
                 mips(net.cpu), net.cpu, mips(net.wall), net.wall, base / net.cpu);
  }
  if (!with_qemu) {
    fmt::print("  QEMU: {}\n", q.why_not);
    return 0;
  }
  fmt::print("  QEMU: {} -M {}{}\n", q.program, q.machine,
             qemu_ok ? ", every run exited with status 0 and printed what mcusim's run printed"
                     : "; !!! a QEMU run failed or printed other text (above)");
  if (!with_empty) fmt::print("  QEMU: no {}: no start-up row\n", q.empty_elf);
  if (q.count != "off") {
    if (with_empty) qemu_count_check(q, q.empty_elf, empty_instructions);
    qemu_count_check(q, elf, instructions);
  }
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bench_kws: {}\n", e.what());
  return 2;
}
