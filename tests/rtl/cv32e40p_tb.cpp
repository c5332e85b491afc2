// CV32E40P testbench (ours), built by Verilator with `cv32e40p_top` as the top module and its
// default configuration (COREV_PULP = 0, COREV_CLUSTER = 0, FPU = 0: RV32IMC; parameters as -G
// options from tests/rtl/configs.toml). Written against the core's documented OBI bus
// (docs/source/instruction_fetch.rst and load_store_unit.rst of the package: req/gnt/rvalid) with
// the memory map of the Ibex testbench (tests/rtl/ibex_tb.cpp, boards/ibex-simple.toml), so that
// both cores run the same ELF files:
//  - one RAM of 1 MiB at 0x100000 for code and data, single cycle on both ports: gnt in the cycle
//    of req, rvalid (with the read data) in the next cycle;
//  - a byte store to 0x20000 prints a character, a store to 0x20008 ends the run;
//  - boot_addr_i = 0x100080 (the first fetch), mtvec_addr_i = 0x100000: the programs leave the
//    trap vector empty, so a fetch below 0x100080 ends the run as "trap".
// The core's counters are inhibited out of reset (mcountinhibit resets to 1s,
// control_status_registers.rst); the board of mcusim has them running, so the testbench clears
// mcountinhibit in the cycle reset is released (tests/rtl/cv32e40p.vlt makes it writable),
// before the first instruction reaches the decoder.
// Usage: cv32e40p_tb ELF [--max-cycles N] [--config NAME] [--json FILE]
// Prints/writes {cycles, instructions, stop, console}: cycles from the release of reset up to and
// including the response cycle of the halt store; instructions = minstret in that cycle.
#include <verilated.h>

#include <iostream>
#include <memory>

#include "Vcv32e40p_top.h"
#include "Vcv32e40p_top___024root.h"
#include "tb_common.h"

int main(int argc, char** argv) {
  std::string elf, json = "-", config = "cv32e40p";
  std::uint64_t max_cycles = 2'000'000'000ull;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::cerr << "cv32e40p_tb: " << a << " needs a value\n"; std::exit(2); }
      return argv[++i];
    };
    if (a == "--max-cycles") max_cycles = std::stoull(next());
    else if (a == "--json") json = next();
    else if (a == "--config") config = next();
    else if (a.rfind("+", 0) == 0) continue;  // Verilator plusargs
    else elf = a;
  }
  if (elf.empty()) {
    std::cerr << "usage: cv32e40p_tb ELF [--max-cycles N] [--config NAME] [--json FILE]\n";
    return 2;
  }
  constexpr std::uint32_t kRam = 0x00100000, kReset = 0x00100080, kConsole = 0x00020000, kHalt = 0x00020008;
  rtltb::Ram ram;
  ram.base = kRam;
  ram.bytes.assign(1u << 20, 0);
  try {
    rtltb::load_elf(elf, ram);
  } catch (const std::exception& e) {
    std::cerr << "cv32e40p_tb: " << e.what() << "\n";
    return 2;
  }

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vcv32e40p_top>(ctx.get());
  auto& root = *top->rootp;
  rtltb::Result r;
  top->rst_ni = 1;
  top->pulp_clock_en_i = 1;
  top->scan_cg_en_i = 0;
  top->boot_addr_i = kReset;
  top->mtvec_addr_i = kRam;
  top->dm_halt_addr_i = kRam;
  top->dm_exception_addr_i = kRam;
  top->hart_id_i = 0;
  top->instr_gnt_i = 0;
  top->instr_rvalid_i = 0;
  top->instr_rdata_i = 0;
  top->data_gnt_i = 0;
  top->data_rvalid_i = 0;
  top->data_rdata_i = 0;
  top->irq_i = 0;
  top->debug_req_i = 0;
  top->fetch_enable_i = 0;
  top->clk_i = 0;
  top->eval();
  top->rst_ni = 0;
  top->eval();
  for (int i = 0; i < 4; ++i) {
    top->clk_i = 0; top->eval();
    top->clk_i = 1; top->eval();
  }
  top->rst_ni = 1;
  top->fetch_enable_i = 1;
  root.cv32e40p_top__DOT__core_i__DOT__cs_registers_i__DOT__mcountinhibit_q = 0;

  bool i_valid = false;
  std::uint32_t i_rdata = 0;
  rtltb::ObiDataPort data;  // the halt store's response cycle ends the run (data.halting)
  data.console = kConsole;
  data.halt = kHalt;

  try {
    for (;;) {
      if (r.cycles >= max_cycles) { r.stop = "timeout"; break; }
      top->clk_i = 0;
      top->instr_rvalid_i = i_valid;
      top->instr_rdata_i = i_rdata;
      top->data_rvalid_i = data.rvalid;
      top->data_rdata_i = data.rdata;
      top->eval();
      top->instr_gnt_i = top->instr_req_o;
      top->data_gnt_i = top->data_req_o;
      top->eval();
      const bool i_req = top->instr_req_o, d_req = top->data_req_o, d_we = top->data_we_o;
      const std::uint32_t i_addr = top->instr_addr_o & ~3u, d_addr = top->data_addr_o & ~3u;
      const std::uint32_t d_wdata = top->data_wdata_o;
      const unsigned d_be = top->data_be_o;
      top->clk_i = 1;
      top->eval();
      ++r.cycles;
      if (data.halting) { r.stop = "halt"; break; }
      i_valid = i_req;
      if (i_req) {
        if (i_addr >= kRam && i_addr < kReset) { r.stop = "trap"; break; }
        i_rdata = ram.read32(i_addr);
      }
      data.serve(ram, r.console, d_req, d_addr, d_we, d_wdata, d_be);
    }
  } catch (const std::exception& e) {
    std::cerr << "cv32e40p_tb: " << elf << ": " << e.what() << " (cycle " << r.cycles << ")\n";
    return 3;
  }
  // minstret counts an instruction in the cycle after it leaves the decoder: at the halt store's
  // response cycle it holds every instruction up to and including the store, and not yet the
  // jump after it, which the core has already fetched (it is counted one cycle later).
  // mhpmcounter_q is logic [31:0][63:0] (packed): counter 2 (minstret) is bits 191:128, the
  // 32-bit words 4 and 5 of Verilator's wide value.
  const auto& counters = root.cv32e40p_top__DOT__core_i__DOT__cs_registers_i__DOT__mhpmcounter_q;
  r.instructions = std::uint64_t(counters[4]) | std::uint64_t(counters[5]) << 32;
  top->final();
  rtltb::write_json(json, "cv32e40p", config, r);
  return r.stop == "halt" ? 0 : 1;
}
