// Devices on the bus through the whole engine: a fake device attached with
// Simulation::attach_device raises an interrupt line at a given cycle; on Cortex-M the NVIC takes
// it as exception 16 + irq and the handler runs; on RV32 interrupt lines are not modelled yet.
#include <memory>

#include "mcusim/mem/device.h"
#include "sim_fixture.h"

namespace mcusim::test {
namespace {

// Raises IRQ `irq` once, at core cycle `at` (its only event), and records when it was advanced.
struct IrqAtCycle : mem::Device {
  mem::DeviceHost& host;
  int irq;
  Cycles at;
  Cycles* advanced_at;
  bool raised = false;
  IrqAtCycle(mem::DeviceHost& h, int i, Cycles c, Cycles* seen) : host(h), irq(i), at(c), advanced_at(seen) {}
  std::string_view name() const override { return "irq-at-cycle"; }
  std::uint32_t read(Addr, unsigned, Cycles) override { return 0; }
  void write(Addr, unsigned, std::uint32_t, Cycles) override {}
  Cycles next_event() const override { return raised ? mem::kNoEvent : at; }
  void advance(Cycles now) override {
    if (raised || now < at) return;
    raised = true;
    *advanced_at = now;
    host.set_irq(irq, true, now);
  }
};

constexpr Addr kDeviceBase = 0x50000000;  // nothing of nucleo-l4r5zi's or ibex-simple's memory

RunResult run_with_device(const std::string& board_name, const std::string& snippet, Cycles at, Cycles* seen,
                          const std::vector<std::string>& sets = kZeroWaitStates) {
  auto board = load_board(board_name, sets);
  Simulation sim(board, load_elf(std::string(SNIPPET_DIR) + "/" + snippet + ".elf"));
  sim.attach_device(kDeviceBase, 0x400, std::make_unique<IrqAtCycle>(sim.device_host(), 2, at, seen));
  return sim.run({});
}

TEST(Devices, AnInterruptLineWakesWfiAndItsHandlerRuns) {
  Cycles seen = 0;
  auto r = run_with_device("nucleo-l4r5zi", "sys_irq_enabled", 5000, &seen);
  ASSERT_EQ(r.stop, StopReason::exited) << r.stop_message;
  // The core sleeps in WFI until the device's event: it is advanced exactly at cycle 5000.
  EXPECT_EQ(seen, 5000u);
  EXPECT_EQ(r.exit_code, 1);  // the IRQ2 handler ran once
  EXPECT_EQ(r.total.exceptions, 1u);
  EXPECT_GT(r.total.sleep_cycles, 0u);
  // Fewer than 20 cycles of code run before the WFI (6 instructions at 0 WS).
  EXPECT_GT(r.total.sleep_cycles, 5000u - 20u);
  EXPECT_GT(r.total.cycles, 5000u);
}

TEST(Devices, ADisabledInterruptLineCannotWakeWfi) {
  Cycles seen = 0;
  auto r = run_with_device("nucleo-l4r5zi", "sys_irq_disabled", 5000, &seen);
  EXPECT_EQ(seen, 5000u);  // the device still ran at its event
  EXPECT_EQ(r.stop, StopReason::fault);
  EXPECT_NE(r.stop_message.find("with no enabled interrupt: the core would sleep forever"), std::string::npos)
      << r.stop_message;
}

TEST(Devices, InterruptLinesOnRv32StopWithAClearMessage) {
  Cycles seen = 0;
  auto r = run_with_device("ibex-simple", "rv_loop_20", 10, &seen, {});
  EXPECT_EQ(r.stop, StopReason::unsupported);
  EXPECT_NE(r.stop_message.find("device 'irq-at-cycle' raised IRQ 2"), std::string::npos) << r.stop_message;
}

TEST(Devices, AttachingOverAMemoryRegionIsAnInputError) {
  auto board = load_board("nucleo-l4r5zi", {});
  Simulation sim(board, load_elf(std::string(SNIPPET_DIR) + "/hello.elf"));
  Cycles seen = 0;
  try {
    sim.attach_device(0x20000000, 0x400, std::make_unique<IrqAtCycle>(sim.device_host(), 2, 10, &seen));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("device 'irq-at-cycle' at 0x20000000"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mcusim::test
