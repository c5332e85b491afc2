// Whole runs: semihosting console and exit status, firmware faults, the instruction limit,
// determinism, and the CLI's exit codes and JSON output.
#include <gtest/gtest.h>
#include <unicorn/unicorn.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mcusim/report.h"
#include "mcusim/unicorn_store_fix.h"
#include "sim_fixture.h"

// Unicorn 2.0.1's internal lookup (exported by libunicorn, interposed by mcusim's engine):
// MemoryRegion *memory_mapping(struct uc_struct *, uint64_t).
extern "C" void* memory_mapping(void* uc, std::uint64_t address);

namespace mcusim::test {
namespace {

std::string elf_symbol_hex(const std::string& snippet_name, const std::string& sym) {
  auto image = load_elf(std::string(SNIPPET_DIR) + "/" + snippet_name + ".elf");
  auto a = image.symbol(sym);
  EXPECT_TRUE(a.has_value()) << sym;
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", a.value_or(0));
  return buf;
}

TEST(Semihosting, ConsoleAndExitStatus) {
  auto r = run_snippet("hello");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.console, "hello from the firmware\n");
  EXPECT_EQ(r.exit_code, 3);
}

struct FaultCase {
  const char* snippet;
  const char* what;
  const char* address;
};

class Faults : public ::testing::TestWithParam<FaultCase> {};

TEST_P(Faults, ReportPcAndAddress) {
  const auto& c = GetParam();
  auto r = run_snippet(c.snippet);
  EXPECT_EQ(r.stop, StopReason::fault);
  EXPECT_NE(r.stop_message.find(c.what), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find(c.address), std::string::npos) << r.stop_message;
  // The faulting instruction's PC (the jump case reports the target as the PC).
  std::string pc = std::string(c.snippet) == "fault_jump" ? "0x30000000" : elf_symbol_hex(c.snippet, "fault_insn");
  EXPECT_NE(r.stop_message.find("PC " + pc), std::string::npos) << r.stop_message;
}

INSTANTIATE_TEST_SUITE_P(
    Firmware, Faults,
    ::testing::Values(FaultCase{"fault_read", "read from unmapped address", "0x60000000 (4 bytes, no memory region)"},
                      FaultCase{"fault_flash_write", "write to read-only memory", "0x08001000 (4 bytes, flash)"},
                      FaultCase{"fault_udf", "undefined instruction", "flash"},
                      FaultCase{"fault_jump", "instruction fetch from unmapped address", "0x30000000"}));

// Issue 11 item 9: an access that ARMv7-M always faults when unaligned (A3.2.1) stops the run as a
// fault naming the PC (the snippet's fault_insn) and the address; Unicorn 2.0.1 alone performs it.
struct UnalignedCase {
  const char* snippet;
  const char* address;
  const char* alignment;
};
class Unaligned : public ::testing::TestWithParam<UnalignedCase> {};

TEST_P(Unaligned, FaultsWithPcAndAddress) {
  const auto& c = GetParam();
  auto r = run_snippet(c.snippet);
  EXPECT_EQ(r.stop, StopReason::fault) << r.stop_message;
  EXPECT_NE(r.stop_message.find(std::string("access to ") + c.address), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find("PC " + elf_symbol_hex(c.snippet, "fault_insn")), std::string::npos)
      << r.stop_message;
  EXPECT_NE(r.stop_message.find(c.alignment), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find("UsageFault UNALIGNED"), std::string::npos) << r.stop_message;
}

INSTANTIATE_TEST_SUITE_P(Firmware, Unaligned,
                         ::testing::Values(UnalignedCase{"unaligned_1", "0x20000102", "4-byte alignment"},  // LDRD
                                           UnalignedCase{"unaligned_2", "0x20000102", "4-byte alignment"},  // STRD
                                           UnalignedCase{"unaligned_3", "0x20000102", "4-byte alignment"},  // LDM
                                           UnalignedCase{"unaligned_4", "0x20000102", "4-byte alignment"},  // STM
                                           UnalignedCase{"unaligned_5", "0x20000102", "4-byte alignment"},  // LDREX
                                           UnalignedCase{"unaligned_6", "0x20000101", "2-byte alignment"}));  // LDREXH

// A plain unaligned LDR is performed by ARMv7-M (A3.2.2, CCR.UNALIGN_TRP = 0 at reset): no fault.
TEST(Unaligned, PlainLdrIsPerformed) {
  auto r = run_snippet("unaligned_0");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
}

// Unicorn reports an unaligned load across its 1 KiB page as the access and then its two aligned
// words: those parts must not shift which instruction the block's later accesses belong to (the
// second plain LDR was taken for the STM, a fault that ST's VWW01-Performance binary hit).
TEST(Unaligned, PageCrossingLdrDoesNotShiftTheAccessingInstruction) {
  auto r = run_snippet("unaligned_7");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
}

// heap.S: 64 word stores from `end` (0x20001000), far below the SP, are 256 bytes of heap; the
// PUSH of two registers is 8 bytes of stack; both are in sram_bytes (no static data).
TEST(Footprint, HeapIsReportedApartFromTheStack) {
  auto r = run_snippet("heap");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.footprint.heap, 256u);
  EXPECT_EQ(r.footprint.stack_peak, 8u);
  EXPECT_EQ(r.footprint.sram_total(), 256u + 8u);
  // Firmware without heap writes reports none.
  EXPECT_EQ(run_snippet("hello").footprint.heap, 0u);
}

// psp.S: 8 bytes pushed on the main stack, then 48 bytes deep on a process stack whose top is
// 0x20010000 (PUSH of 4 registers, a 32-byte frame written at its bottom): each stack reported
// on its own; the process stack's writes are not main-stack writes though they lie below the MSP.
TEST(Footprint, MainAndProcessStacksAreMeasuredApart) {
  auto r = run_snippet("psp");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_EQ(r.footprint.stack_peak, 8u);
  EXPECT_EQ(r.footprint.process_stack_peak, 48u);
  // A firmware that never selects the PSP reports no process stack.
  EXPECT_EQ(run_snippet("heap").footprint.process_stack_peak, 0u);
}

TEST(Limits, MaxInstructionsStopsAnEndlessLoop) {
  auto r = run_snippet("endless", {}, 1000);
  EXPECT_EQ(r.stop, StopReason::instruction_limit);
  EXPECT_LE(r.total.instructions, 1000u);
  EXPECT_GT(r.total.instructions, 990u);
  EXPECT_NE(r.stop_message.find("--max-instructions 1000"), std::string::npos) << r.stop_message;
}

// faults.S FAULT=6: MOV.W (4 bytes) at 0x08000008 after the 2-word vector table, CPSID I at
// 0x0800000C, then `b .` at 0x0800000E with PRIMASK = 1: nothing can ever interrupt it.
TEST(Limits, BranchToSelfWithInterruptsMaskedStopsAtOnce) {
  auto r = run_snippet("stuck_masked", {}, 1'000'000);
  EXPECT_EQ(r.stop, StopReason::stuck);
  EXPECT_LT(r.total.instructions, 10u);  // stopped at once, not at the limit
  EXPECT_NE(r.stop_message.find("branch to itself at PC 0x0800000e"), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find("PRIMASK = 1"), std::string::npos) << r.stop_message;
}

// RISC-V (issue 11 item 5): tests/timing/rv/stuck.S, `j .` after a nop with mstatus.MIE clear as at
// reset, or set with mie = 0: no interrupt can ever be taken (privileged spec 3.1.6.1, 3.1.9).
TEST(Limits, RiscvBranchToSelfWithMieClearStopsAtOnce) {
  auto r = run_snippet_on("ibex-simple", "rv_stuck_masked", {}, 1'000'000);
  EXPECT_EQ(r.stop, StopReason::stuck) << r.stop_message;
  EXPECT_LT(r.total.instructions, 10u);
  EXPECT_NE(r.stop_message.find("branch to itself"), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find("mstatus.MIE = 0"), std::string::npos) << r.stop_message;
  auto e = run_snippet_on("ibex-simple", "rv_stuck_noirq", {}, 1'000'000);
  EXPECT_EQ(e.stop, StopReason::stuck) << e.stop_message;
  EXPECT_LT(e.total.instructions, 10u);
  EXPECT_NE(e.stop_message.find("mie = 0"), std::string::npos) << e.stop_message;
}

// rv32im (issue 15 item 4): tests/timing/rv/compressed.S has c.addi (0x0505) at 0x00100088. On a
// core without the C extension (PicoRV32 COMPRESSED_ISA = 0) it is an illegal instruction: the
// run stops there before it runs; on ibex-small (rv32imc) the same image runs to its exit.
TEST(Faults, CompressedInstructionOnAnRv32imCoreIsIllegal) {
  auto r = run_snippet_on("ibex-simple", "rv_compressed", {"core=picorv32-rv32im-sp"});
  EXPECT_EQ(r.stop, StopReason::fault) << r.stop_message;
  EXPECT_NE(r.stop_message.find("illegal instruction 0x0505 at PC 0x00100088"), std::string::npos) << r.stop_message;
  auto ok = run_snippet_on("ibex-simple", "rv_compressed");
  EXPECT_EQ(ok.stop, StopReason::exited) << ok.stop_message;
  EXPECT_EQ(ok.exit_code, 0);
}

// FENCE.I on a core without Zifencei: tests/timing/rv/fence_i.S has fence.i (0x0000100f, MISC-MEM
// funct3 = 001) at 0x00100088. picorv32.v decodes MISC-MEM with funct3 = 000 only (instr_fence)
// and traps on anything else (instr_trap, CATCH_ILLINSN = 1): on the picorv32 core the run stops
// there before it runs, naming the encoding, the PC, the core and its isa; on ibex-small
// (rv32imc_zifencei: Ibex compliance.rst, Zifencei always enabled) the same image runs to its exit.
TEST(Faults, FenceIOnACoreWithoutZifenceiIsIllegal) {
  ASSERT_EQ(elf_symbol_hex("rv_fence_i", "fence_i_insn"), "0x00100088");
  for (const char* core : {"picorv32", "picorv32-rv32im-sp"}) {
    auto r = run_snippet_on("ibex-simple", "rv_fence_i", {std::string("core=") + core});
    EXPECT_EQ(r.stop, StopReason::fault) << core << ": " << r.stop_message;
    EXPECT_NE(r.stop_message.find("illegal instruction 0x0000100f at PC 0x00100088"),
              std::string::npos)
        << r.stop_message;
    EXPECT_NE(r.stop_message.find(std::string("core ") + core + " has no Zifencei (isa rv32im"),
              std::string::npos)
        << r.stop_message;
  }
  auto ok = run_snippet_on("ibex-simple", "rv_fence_i");
  EXPECT_EQ(ok.stop, StopReason::exited) << ok.stop_message;
  EXPECT_EQ(ok.exit_code, 0);
}

// faults.S FAULT=7: `b .` at 0x0800000C with interrupts enabled but no SysTick and no device.
TEST(Limits, BranchToSelfWithNoExceptionSourceStopsAtOnce) {
  auto r = run_snippet("stuck_loop", {}, 1'000'000);
  EXPECT_EQ(r.stop, StopReason::stuck);
  EXPECT_LT(r.total.instructions, 10u);
  EXPECT_NE(r.stop_message.find("branch to itself at PC 0x0800000c"), std::string::npos) << r.stop_message;
  EXPECT_NE(r.stop_message.find("no exception source is enabled"), std::string::npos) << r.stop_message;
}

// floods.S FLOOD=1 writes 20 x 1 MiB: the first 16 MiB are kept, then one line says the rest was
// dropped; the run itself ends normally.
TEST(Limits, ConsoleOutputIsCappedAndSaysSo) {
  auto r = run_snippet("console_flood");
  EXPECT_EQ(r.stop, StopReason::exited) << r.stop_message;
  EXPECT_TRUE(r.console_truncated);
  const std::string note = "\n[mcusim: console output truncated at 16777216 bytes]\n";
  ASSERT_EQ(r.console.size(), (16u << 20) + note.size());
  EXPECT_EQ(r.console.substr(16u << 20), note);
}

// floods.S FLOOD=2 opens ids 0, 1, 2, ...: ids 0..4095 are the 4096 a run may have, id 4096 stops it.
TEST(Limits, DistinctRegionIdsAreCapped) {
  auto r = run_snippet("roi_flood");
  EXPECT_EQ(r.stop, StopReason::unsupported);
  EXPECT_EQ(r.regions.size(), 4096u);
  EXPECT_NE(r.stop_message.find("region-of-interest id 4096 is one more than the 4096 distinct ids"),
            std::string::npos)
      << r.stop_message;
}

TEST(Determinism, TwoRunsGiveIdenticalReports) {
  auto a = json_report(run_snippet("core_m4")).dump();
  auto b = json_report(run_snippet("core_m4")).dump();
  EXPECT_EQ(a, b);
}

int run_cli(const std::string& args) {
  int rc = std::system((std::string(MCUSIM_BIN) + " " + args + " > /dev/null 2>&1").c_str());
  return WEXITSTATUS(rc);
}

TEST(Cli, ExitCodes) {
  const std::string dir = SNIPPET_DIR;
  EXPECT_EQ(run_cli("run " + dir + "/core_m4.elf"), 0);
  EXPECT_EQ(run_cli("run " + dir + "/hello.elf"), 1);  // firmware status 3
  EXPECT_EQ(run_cli("run " + dir + "/fault_read.elf"), 3);
  EXPECT_EQ(run_cli("run " + dir + "/endless.elf --max-instructions 100"), 4);
  EXPECT_EQ(run_cli("run " + dir + "/stuck_masked.elf"), 3);
  EXPECT_EQ(run_cli("run /nonexistent.elf"), 2);
  EXPECT_EQ(run_cli("run " + dir + "/core_m4.elf --board nope"), 2);
  EXPECT_EQ(run_cli("frobnicate"), 2);
}

TEST(Cli, JsonReportCarriesTheSameFigures) {
  const std::string out = std::string(TEST_TMP) + "/core_m4.json";
  std::remove(out.c_str());
  ASSERT_EQ(run_cli("run " + std::string(SNIPPET_DIR) + "/core_m4.elf --json " + out), 0);
  std::ifstream f(out);
  auto j = nlohmann::json::parse(f);
  auto direct = run_snippet("core_m4");
  EXPECT_EQ(j["schema_version"], 2);
  ASSERT_EQ(j["results"].size(), 1u);
  const auto& e = j["results"][0];
  EXPECT_EQ(e["task"], "core_m4");
  EXPECT_EQ(e["firmware"], "core_m4.elf");  // no host path unless --record-paths
  EXPECT_EQ(e["board"]["name"], "nucleo-l4r5zi");
  EXPECT_EQ(e["total"]["cycles"].get<std::uint64_t>(), direct.total.cycles);
  EXPECT_EQ(e["total"]["instructions"].get<std::uint64_t>(), direct.total.instructions);
  EXPECT_EQ(e["regions"].size(), 20u);  // the 20 ROI regions of snippets/core_m4.S
}

TEST(Cli, UnwritableJsonIsAnInputErrorAndLeavesNothing) {
  EXPECT_EQ(run_cli("run " + std::string(SNIPPET_DIR) + "/core_m4.elf --json /nonexistent-dir/x.json"), 2);
}

// Firmware that copies a function to SRAM, runs it, patches it and runs it again (as flash drivers
// do) must see each patch: Unicorn 2.0.1's store-path code check is interposed (issue 16) and
// Unicorn must still invalidate the overwritten translation. 1, 2, 7 -> exit status 127 (the
// snippets' comments); a stale translation gives 111, 117 or 122.
TEST(SelfModifyingCode, PatchedRamFunctionRunsPatched) {
  auto arm = run_snippet("smc");
  EXPECT_EQ(arm.stop, StopReason::exited) << arm.stop_message;
  EXPECT_EQ(arm.exit_code, 127);
  for (const char* b : {"ibex-simple"}) {
    auto rv = run_snippet_on(b, "rv_smc");
    EXPECT_EQ(rv.stop, StopReason::exited) << b << ": " << rv.stop_message;
    EXPECT_EQ(rv.exit_code, 127) << b;
  }
}

// The memo in front of Unicorn's memory_mapping() (unicorn_store_fix.cpp, issue 16) must forget a
// region as soon as the mappings change: after uc_mem_unmap the address is unmapped (NULL), after
// uc_mmio_map at the same address it is the new region, and a closed engine's entries never
// answer for a new one. A memo without its generation counter returns the freed region here.
TEST(UnicornMappingMemo, ForgetsRegionsWhenMappingsChange) {
  constexpr std::uint64_t kRam = 0x20000000;
  uc_engine* uc = nullptr;
  ASSERT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc), UC_ERR_OK);
  ASSERT_EQ(uc_mem_map(uc, kRam, 0x400, UC_PROT_ALL), UC_ERR_OK);
  void* ram = memory_mapping(uc, kRam + 4);
  ASSERT_NE(ram, nullptr);
  EXPECT_EQ(memory_mapping(uc, kRam + 8), ram);  // memo hit: the same answer
  EXPECT_EQ(memory_mapping(uc, kRam + 0x400), nullptr);
  ASSERT_EQ(uc_mem_unmap(uc, kRam, 0x400), UC_ERR_OK);
  EXPECT_EQ(memory_mapping(uc, kRam + 4), nullptr);
  auto rd = [](uc_engine*, std::uint64_t, unsigned, void*) -> std::uint64_t { return 0; };
  auto wr = [](uc_engine*, std::uint64_t, unsigned, std::uint64_t, void*) {};
  ASSERT_EQ(uc_mmio_map(uc, kRam, 0x400, rd, nullptr, wr, nullptr), UC_ERR_OK);
  void* mmio = memory_mapping(uc, kRam + 4);
  EXPECT_NE(mmio, nullptr);
  EXPECT_EQ(memory_mapping(uc, kRam + 12), mmio);
  uc_close(uc);
  // A new engine (possibly at the same address) with nothing mapped there.
  ASSERT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc), UC_ERR_OK);
  EXPECT_EQ(memory_mapping(uc, kRam + 4), nullptr);
  uc_close(uc);
}


// The access fast path (unicorn_store_fix.cpp, issue 16) binds only to an engine whose data hooks
// are exactly mcusim's: one UC_HOOK_MEM_READ|WRITE hook over all addresses with the expected
// callback and user data, and no UC_HOOK_MEM_READ_AFTER hook. Binding reads Unicorn's internal
// layout (hook lists, page size) at the offsets of Debian 12's libunicorn.so.2, so a true result
// on a matching hook and a false one on each mismatch shows those offsets right; on this
// project's machine (Debian 12) the build is the one the fast path knows, so this test fails when
// the fast path is not active (another libunicorn build, or the fixes switched off).
void hook_a(uc_engine*, uc_mem_type, std::uint64_t, int, std::int64_t, void*) {}
void hook_b(uc_engine*, uc_mem_type, std::uint64_t, int, std::int64_t, void*) {}

TEST(UnicornAccessFastPath, BindsOnlyToAnEngineWithExactlyMcusimsDataHook) {
  int sink = 0;
  auto* a = reinterpret_cast<void*>(&hook_a);
  uc_engine* uc = nullptr;
  ASSERT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc), UC_ERR_OK);
  uc_hook h = 0, h2 = 0;
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));  // no data hook yet
  ASSERT_EQ(uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, a, &sink, 1, 0), UC_ERR_OK);
  EXPECT_TRUE(unicorn_access_fix_bind(uc, a, &sink)) << "the fast path is not active with this libunicorn.so.2";
  EXPECT_TRUE(unicorn_access_fix_bound(uc));
  EXPECT_FALSE(unicorn_access_fix_bind(uc, reinterpret_cast<void*>(&hook_b), &sink));  // another callback
  EXPECT_FALSE(unicorn_access_fix_bound(uc));
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, nullptr));  // another user data
  store_check_fix(false);
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));  // Unicorn as shipped
  store_check_fix(true);
  ASSERT_TRUE(unicorn_access_fix_bind(uc, a, &sink));
  // A second read hook, or a read-after hook: Unicorn's helper must call them all.
  ASSERT_EQ(uc_hook_add(uc, &h2, UC_HOOK_MEM_READ, reinterpret_cast<void*>(&hook_b), &sink, 1, 0), UC_ERR_OK);
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));
  ASSERT_EQ(uc_hook_del(uc, h2), UC_ERR_OK);
  ASSERT_EQ(uc_hook_add(uc, &h2, UC_HOOK_MEM_READ_AFTER, reinterpret_cast<void*>(&hook_b), &sink, 1, 0), UC_ERR_OK);
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));
  uc_close(uc);
  // A hook bound to a range, not all addresses.
  ASSERT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc), UC_ERR_OK);
  ASSERT_EQ(uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, a, &sink, 0x20000000, 0x20000fff), UC_ERR_OK);
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));
  uc_close(uc);
  // A bound engine's binding ends with uc_close (a new engine may reuse its address).
  ASSERT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc), UC_ERR_OK);
  ASSERT_EQ(uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, a, &sink, 1, 0), UC_ERR_OK);
  ASSERT_TRUE(unicorn_access_fix_bind(uc, a, &sink));
  uc_engine* closed = uc;
  uc_close(uc);
  EXPECT_FALSE(unicorn_access_fix_bound(closed));
  // RISC-V engines (4 KiB pages, other helpers) are never bound.
  ASSERT_EQ(uc_open(UC_ARCH_RISCV, UC_MODE_RISCV32, &uc), UC_ERR_OK);
  ASSERT_EQ(uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, a, &sink, 1, 0), UC_ERR_OK);
  EXPECT_FALSE(unicorn_access_fix_bind(uc, a, &sink));
  uc_close(uc);
}

// With and without Unicorn's fixes (the access fast path, the memo, the store-check bypass) every
// report is the same, on snippets with loads and stores of every size, misaligned and
// page-crossing accesses, alignment faults, faults on unmapped and read-only memory, device
// registers, stack and heap tracking, self-modifying code and the Cortex-M7 caches and TCM.
TEST(UnicornAccessFastPath, ReportsIdenticalWithAndWithoutTheFixes) {
  struct Case {
    const char* board;
    const char* snippet;
  };
  const std::string m7 = std::string(TIMING_BOARD_DIR) + "/arm-m7-memory.toml";
  const std::string m7core = std::string(TIMING_BOARD_DIR) + "/arm-cortex-m7.toml";
  std::vector<Case> cases;
  for (const char* s : {"core_m4", "divide", "cyccnt", "heap", "psp", "smc", "fault_read", "fault_flash_write",
                        "sys_svc_fp_lazy_used"})
    cases.push_back({"nucleo-l4r5zi", s});
  static const char* const kUnaligned[] = {"unaligned_0", "unaligned_1", "unaligned_2", "unaligned_3",
                                           "unaligned_4", "unaligned_5", "unaligned_6", "unaligned_7"};
  for (const char* s : kUnaligned) cases.push_back({"nucleo-l4r5zi", s});
  cases.push_back({m7core.c_str(), "core_m7"});
  cases.push_back({m7.c_str(), "mem_m7"});
  for (const Case& c : cases) {
    const std::string fixed = json_report(run_snippet_on(c.board, c.snippet)).dump();
    store_check_fix(false);
    const std::string shipped = json_report(run_snippet_on(c.board, c.snippet)).dump();
    store_check_fix(true);
    EXPECT_EQ(fixed, shipped) << c.board << " " << c.snippet;
  }
}

}  // namespace
}  // namespace mcusim::test
