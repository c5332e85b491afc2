// Ibex testbench (ours), built by Verilator with `ibex_top` as the top module and the
// configuration's parameters given as -G options (tests/rtl/configs.toml: the "small" and
// "maxperf" sets of the package's ibex_configs.yaml). A harness like lowRISC's simple system
// (examples/simple_system/README.md "System Memory Map"), written against the documented bus of
// the core (doc/03_reference/instruction_fetch.rst and load_store_unit.rst: req/gnt/rvalid):
//  - one RAM of 1 MiB at 0x100000 for code and data, single cycle on both ports: gnt in the cycle
//    of req, rvalid (with the read data) in the next cycle — the timing of the simple system's
//    ram_2p behind its bus;
//  - a byte store to 0x20000 prints a character (ASCII out), a store to 0x20008 ends the run
//    (simulator halt); with --device-ws W both withhold data_gnt_i for W cycles (device wait
//    states, boards' device_wait_states);
//  - the boot address is 0x100000: the core starts at 0x100080 and takes exceptions at 0x100000
//    (mtvec after reset), which the programs leave empty, so a fetch there ends the run as "trap".
// Usage: ibex_tb ELF [--device-ws W] [--max-cycles N] [--config NAME] [--json FILE]
// Prints/writes {cycles, instructions, stop, console}: cycles from the release of reset up to and
// including the response cycle of the halt store (the store retires in it); instructions = the
// core's minstret after that cycle (the halt store included).
#include <verilated.h>

#include <iostream>
#include <memory>

#include "Vibex_top.h"
#include "Vibex_top___024root.h"
#include "tb_common.h"

int main(int argc, char** argv) {
  std::string elf, json = "-", config = "ibex";
  std::uint64_t max_cycles = 2'000'000'000ull;
  unsigned dev_ws = 0;  // --device-ws: cycles the console and halt registers withhold the grant
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::cerr << "ibex_tb: " << a << " needs a value\n"; std::exit(2); }
      return argv[++i];
    };
    if (a == "--max-cycles") max_cycles = std::stoull(next());
    else if (a == "--device-ws") dev_ws = unsigned(std::stoul(next()));
    else if (a == "--json") json = next();
    else if (a == "--config") config = next();
    else if (a.rfind("+", 0) == 0) continue;  // Verilator plusargs
    else elf = a;
  }
  if (elf.empty()) {
    std::cerr << "usage: ibex_tb ELF [--device-ws W] [--max-cycles N] [--config NAME] [--json FILE]\n";
    return 2;
  }
  constexpr std::uint32_t kBoot = 0x00100000, kConsole = 0x00020000, kHalt = 0x00020008;
  rtltb::Ram ram;
  ram.base = kBoot;
  ram.bytes.assign(1u << 20, 0);
  try {
    rtltb::load_elf(elf, ram);
  } catch (const std::exception& e) {
    std::cerr << "ibex_tb: " << e.what() << "\n";
    return 2;
  }

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vibex_top>(ctx.get());
  auto& root = *top->rootp;
  rtltb::Result r;
  top->rst_ni = 1;
  top->test_en_i = 0;
  top->ram_cfg_i = 0;
  top->hart_id_i = 0;
  top->boot_addr_i = kBoot;
  top->instr_gnt_i = 0;
  top->instr_rvalid_i = 0;
  top->instr_rdata_i = 0;
  top->instr_rdata_intg_i = 0;
  top->instr_err_i = 0;
  top->data_gnt_i = 0;
  top->data_rvalid_i = 0;
  top->data_rdata_i = 0;
  top->data_rdata_intg_i = 0;
  top->data_err_i = 0;
  top->irq_software_i = 0;
  top->irq_timer_i = 0;
  top->irq_external_i = 0;
  top->irq_fast_i = 0;
  top->irq_nm_i = 0;
  top->scramble_key_valid_i = 0;
  top->debug_req_i = 0;
  top->fetch_enable_i = 0x5;  // ibex_pkg::IbexMuBiOn
  top->scan_rst_ni = 1;
  top->clk_i = 0;
  top->eval();
  // The flops behind the core's clock gate see no clock edge while it is closed: reset them by
  // the falling edge of rst_ni (asynchronous reset), then clock the rest.
  top->rst_ni = 0;
  top->eval();
  for (int i = 0; i < 4; ++i) {
    top->clk_i = 0; top->eval();
    top->clk_i = 1; top->eval();
  }
  top->rst_ni = 1;

  // Responses registered at the last edge (rvalid in the cycle after the grant).
  bool i_valid = false;
  std::uint32_t i_rdata = 0;
  rtltb::ObiDataPort data;  // data.halting: the halt store was granted, one more cycle for its response
  data.console = kConsole;
  data.halt = kHalt;
  unsigned d_waited = 0;  // cycles a device request has been waiting for its grant

  try {
    for (;;) {
      if (r.cycles >= max_cycles) { r.stop = "timeout"; break; }
      top->clk_i = 0;
      top->instr_rvalid_i = i_valid;
      top->instr_rdata_i = i_rdata;
      top->data_rvalid_i = data.rvalid;
      top->data_rdata_i = data.rdata;
      top->eval();
      // Single-cycle memory: every request is granted in its own cycle; a console or halt
      // register request only after it has waited --device-ws cycles (device wait states).
      const std::uint32_t d_req_addr = top->data_addr_o & ~3u;
      const bool device = d_req_addr == kConsole || d_req_addr == kHalt;
      top->instr_gnt_i = top->instr_req_o;
      top->data_gnt_i = top->data_req_o && (!device || d_waited >= dev_ws);
      top->eval();
      const bool i_req = top->instr_req_o, d_we = top->data_we_o;
      const bool d_req = top->data_req_o && top->data_gnt_i;  // granted: served at this edge
      if (top->data_req_o && !top->data_gnt_i) ++d_waited;
      else d_waited = 0;
      const std::uint32_t i_addr = top->instr_addr_o & ~3u, d_addr = top->data_addr_o & ~3u;
      const std::uint32_t d_wdata = top->data_wdata_o;
      const unsigned d_be = top->data_be_o;
      top->clk_i = 1;
      top->eval();
      ++r.cycles;
      if (data.halting) { r.stop = "halt"; break; }  // the halt store's response cycle: it retired
      i_valid = i_req;
      if (i_req) {
        if (i_addr >= kBoot && i_addr < kBoot + 0x80) { r.stop = "trap"; break; }
        i_rdata = ram.read32(i_addr);
      }
      data.serve(ram, r.console, d_req, d_addr, d_we, d_wdata, d_be);
    }
  } catch (const std::exception& e) {
    std::cerr << "ibex_tb: " << elf << ": " << e.what() << " (cycle " << r.cycles << ")\n";
    return 3;
  }
  // minstret counts an instruction in the cycle after it retires: two more edges, not counted,
  // with no new request granted.
  top->instr_gnt_i = 0;
  top->data_gnt_i = 0;
  top->instr_rvalid_i = 0;
  top->data_rvalid_i = 0;
  for (int i = 0; i < 2 && r.stop == "halt"; ++i) {
    top->clk_i = 0; top->eval();
    top->clk_i = 1; top->eval();
  }
  r.instructions = root.ibex_top__DOT__u_ibex_core__DOT__cs_registers_i__DOT__minstret_counter_i__DOT__counter_q;
  top->final();
  rtltb::write_json(json, "ibex", config, r);
  return r.stop == "halt" ? 0 : 1;
}
