// PicoRV32 testbench (ours), built by Verilator with the core's parameters given as -G options
// (tests/rtl/configs.toml). The memory follows picorv32 README.md "Memory Interface":
//  - mode "la" (look-ahead, 0 wait states): the RAM registers the request of mem_la_read /
//    mem_la_write at the clock edge before mem_valid rises and answers with mem_ready in the first
//    cycle of mem_valid ("the look-ahead interface ... one clock cycle ahead");
//  - mode "native" with W wait states: mem_ready rises after mem_valid has been high for W
//    cycles (W = 0: ready in the first cycle, the same timing as the look-ahead memory).
// Devices as in boards/picorv32-soc.toml: a byte stored to 0x10000000 is printed (its own wait
// states: --device-ws), EBREAK ends the run (the core traps; CATCH_ILLINSN = 1).
// Usage: picorv32_tb ELF [--mode la|native] [--ws W] [--device-ws W] [--max-cycles N]
//                    [--config NAME] [--json FILE]
// Prints/writes {cycles, instructions, stop, stop_pc, console}: cycles from the release of reset
// to the cycle in which trap rises; instructions = the core's count_instr (ENABLE_COUNTERS);
// stop_pc = reg_pc, the PC of the instruction the core trapped at (EBREAK or an illegal one).
#include <verilated.h>

#include <iostream>
#include <memory>

#include "Vpicorv32.h"
#include "Vpicorv32___024root.h"
#include "tb_common.h"

int main(int argc, char** argv) {
  std::string elf, mode = "la", json = "-", config = "picorv32";
  unsigned ws = 0, dev_ws = 0;
  std::uint64_t max_cycles = 2'000'000'000ull;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::cerr << "picorv32_tb: " << a << " needs a value\n"; std::exit(2); }
      return argv[++i];
    };
    if (a == "--mode") mode = next();
    else if (a == "--ws") ws = unsigned(std::stoul(next()));
    else if (a == "--device-ws") dev_ws = unsigned(std::stoul(next()));
    else if (a == "--max-cycles") max_cycles = std::stoull(next());
    else if (a == "--json") json = next();
    else if (a == "--config") config = next();
    else if (a.rfind("+", 0) == 0) continue;  // Verilator plusargs
    else elf = a;
  }
  if (elf.empty() || (mode != "la" && mode != "native") || (mode == "la" && ws != 0)) {
    std::cerr << "usage: picorv32_tb ELF [--mode la|native] [--ws W (native only)] [--device-ws W] "
                 "[--max-cycles N] [--config NAME] [--json FILE]\n";
    return 2;
  }
  constexpr std::uint32_t kConsole = 0x10000000;
  rtltb::Ram ram;
  ram.base = 0;
  ram.bytes.assign(1u << 20, 0);
  try {
    rtltb::load_elf(elf, ram);
  } catch (const std::exception& e) {
    std::cerr << "picorv32_tb: " << e.what() << "\n";
    return 2;
  }

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vpicorv32>(ctx.get());
  rtltb::Result r;
  top->resetn = 0;
  top->mem_ready = 0;
  top->mem_rdata = 0;
  top->irq = 0;
  top->pcpi_wr = 0;
  top->pcpi_rd = 0;
  top->pcpi_wait = 0;
  top->pcpi_ready = 0;
  for (int i = 0; i < 4; ++i) {
    top->clk = 0; top->eval();
    top->clk = 1; top->eval();
  }
  top->resetn = 1;

  // Look-ahead memory state: the request registered at the last edge.
  bool la_pending = false, la_write = false;
  std::uint32_t la_addr = 0, la_wdata = 0;
  unsigned la_wstrb = 0;
  unsigned waited = 0;  // native: cycles mem_valid has been high without ready

  auto access = [&](std::uint32_t addr, bool write, std::uint32_t wdata, unsigned wstrb) -> std::uint32_t {
    if (addr == kConsole) {
      if (write) r.console += char(wdata & 0xFF);
      return 0;
    }
    if (write) {
      ram.write32(addr, wdata, wstrb);
      return 0;
    }
    return ram.read32(addr);
  };
  auto wait_states = [&](std::uint32_t addr) { return addr == kConsole ? dev_ws : ws; };

  try {
    while (!top->trap) {
      if (r.cycles >= max_cycles) { r.stop = "timeout"; break; }
      top->clk = 0;
      top->eval();
      // Outputs of the last edge are visible: drive mem_ready / mem_rdata for this cycle.
      top->mem_ready = 0;
      if (top->mem_valid) {
        const bool write = top->mem_wstrb != 0;
        if (mode == "la") {
          if (!la_pending || la_addr != (top->mem_addr & ~3u) || la_write != write)
            throw std::runtime_error("mem_valid without the matching look-ahead request at 0x" +
                                     rtltb::Ram::hex(top->mem_addr));
          if (wait_states(la_addr) <= waited) {
            top->mem_rdata = access(la_addr, la_write, la_wdata, la_wstrb);
            top->mem_ready = 1;
          }
        } else if (waited >= wait_states(top->mem_addr)) {
          top->mem_rdata = access(top->mem_addr & ~3u, write, top->mem_wdata, top->mem_wstrb);
          top->mem_ready = 1;
        }
      }
      top->eval();
      const bool valid = top->mem_valid, ready = top->mem_ready;
      const bool la_r = top->mem_la_read, la_w = top->mem_la_write;
      const std::uint32_t la_a = top->mem_la_addr & ~3u;
      top->clk = 1;
      top->eval();
      ++r.cycles;
      if (valid && !ready) ++waited;
      if (ready) { waited = 0; la_pending = false; }
      if (mode == "la" && (la_r || la_w)) {
        la_pending = true;
        la_write = la_w;
        la_addr = la_a;
        la_wdata = top->mem_la_wdata;  // registered at this edge together with mem_wdata
        la_wstrb = top->mem_la_wstrb;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "picorv32_tb: " << elf << ": " << e.what() << " (cycle " << r.cycles << ")\n";
    return 3;
  }
  if (r.stop.empty()) {
    // The core traps on EBREAK, and also on an illegal or misaligned instruction: tell them apart
    // by the instruction at the trapping PC (reg_pc).
    const std::uint32_t pc = top->rootp->picorv32__DOT__reg_pc;
    const std::uint32_t w = ram.contains(pc) ? ram.read32(pc) : 0;
    const std::uint32_t insn = (pc & 2) ? w >> 16 : w;
    const bool ebreak = insn == 0x00100073u || (insn & 0xFFFFu) == 0x9002u;
    r.stop = ebreak ? "ebreak" : "trap";
    r.stop_pc = pc;
  }
  r.instructions = top->rootp->picorv32__DOT__count_instr;
  top->final();
  rtltb::write_json(json, "picorv32", config, r);
  return r.stop == "ebreak" ? 0 : 1;
}
