// RISC-V through the whole engine: per-core loop timing, counter CSRs, console/halt registers and
// EBREAK handling. Expected cycles are derived by hand from the cores' timing tables
// (core-models/data/<core>.toml, sources in core-facts.md B).
#include "mcusim/base/errors.h"
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

RunResult run_rv(const std::string& snippet, const std::string& board, const std::vector<std::string>& sets = {}) {
  auto b = load_board(board, sets);
  Simulation sim(b, load_elf(std::string(SNIPPET_DIR) + "/" + snippet + ".elf"));
  return sim.run({});
}

std::string test_board(const std::string& core) { return std::string(TEST_BOARD_DIR) + "/rv-" + core + ".toml"; }

// loop.S: 3 x ADDI + BNEZ (taken), run 20 and 10 times; the difference is 10 steady-state
// iterations (first-iteration and exit effects cancel).
Cycles steady_ten(const std::string& core, const std::vector<std::string>& sets = {}) {
  auto a = run_rv("rv_loop_20", test_board(core), sets);
  auto b = run_rv("rv_loop_10", test_board(core), sets);
  EXPECT_EQ(a.stop, StopReason::exited) << a.stop_message;
  EXPECT_EQ(b.stop, StopReason::exited) << b.stop_message;
  return region(a, 1).counters.cycles - region(b, 1).counters.cycles;
}

TEST(RiscvLoop, IbexSmall) {
  // Ibex (core-facts B.1): ALU 1; branch taken 3 total (1 + 2 stall). 3 + 3 = 6 per iteration.
  EXPECT_EQ(steady_ten("ibex-small"), 60u);
}

TEST(RiscvLoop, IbexMaxperf) {
  // Branch target ALU: taken branch 2 total. 3 + 2 = 5 per iteration.
  EXPECT_EQ(steady_ten("ibex-maxperf"), 50u);
}

TEST(RiscvLoop, PicoRV32) {
  // PicoRV32 README CPI (core-facts B.3): ALU reg+imm 3, branch taken 5. 3 x 3 + 5 = 14.
  EXPECT_EQ(steady_ten("picorv32"), 140u);
}

TEST(RiscvLoop, BoardCoreSetOverridesTheTimingTable) {
  // core_set = classes.alu.cycles=1 (e.g. a faster PicoRV32 build): 3 x 1 + branch taken 5 = 8.
  EXPECT_EQ(steady_ten("picorv32", {"core_set=[\"classes.alu.cycles=1\"]"}), 80u);
  try {
    run_rv("rv_loop_10", test_board("picorv32"), {"core_set=[\"classes.nosuch.cycles=1\"]"});
    ADD_FAILURE() << "an unknown timing-table key must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nosuch"), std::string::npos) << e.what();
  }
}

TEST(RiscvLoop, SifiveE31PredictsTheLoopBranch) {
  // E31: ALU 1, branch 1; once the predictor has learnt the loop branch, no mispredict
  // penalty: 4 per iteration (the training and exit mispredicts cancel between the two runs).
  EXPECT_EQ(steady_ten("sifive-e31"), 40u);
}

TEST(RiscvCounters, McycleAndMinstretReadTheModel) {
  // counters.S: csrr mcycle (index 0), csrr minstret (1), 10 x ADDI (2..11), csrr mcycle (12),
  // csrr minstret (13). On ibex-small CSR and ALU take 1 cycle: cycle delta = 12 instructions
  // x 1 = 12; minstret delta = 13 - 1 = 12. Status = (12 << 8) | 12.
  auto r = run_rv("rv_counters", test_board("ibex-small"));
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, (12 << 8) | 12);
}

TEST(RiscvDevices, ConsoleAndHaltRegisters) {
  auto r = run_rv("rv_halt", "ibex-simple");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.console, "ok\n");
}

TEST(RiscvDevices, EbreakEndsTheRunWhereTheBoardSaysSo) {
  auto r = run_rv("rv_ebreak", test_board("picorv32"));  // ebreak_exits = true
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.console, "ok\n");
  auto f = run_rv("rv_ebreak", "ibex-simple");  // no ebreak_exits: a fault
  EXPECT_EQ(f.stop, StopReason::fault);
  EXPECT_NE(f.stop_message.find("EBREAK"), std::string::npos) << f.stop_message;
}

}  // namespace
}  // namespace mcusim::test
