// Unit tests of the device bus with a fake device: routing by address range, offsets, the cycle
// passed to the device, advance-before-access, next-event scheduling and the overlap errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mcusim/base/errors.h"
#include "mcusim/mem/device_bus.h"

using mcusim::Addr;
using mcusim::Cycles;
using namespace mcusim::mem;

namespace {

// Records every call; a register file of 4 words; an event every `period` cycles.
struct FakeDevice : Device {
  std::string id;
  Cycles period;
  Cycles next;
  std::vector<std::string>* log;
  std::uint32_t regs[4] = {};
  FakeDevice(std::string n, Cycles p, std::vector<std::string>* l) : id(std::move(n)), period(p), next(p), log(l) {}
  std::string_view name() const override { return id; }
  std::uint32_t read(Addr off, unsigned size, Cycles now) override {
    log->push_back(id + " read " + std::to_string(off) + "/" + std::to_string(size) + "@" + std::to_string(now));
    return regs[off / 4];
  }
  void write(Addr off, unsigned size, std::uint32_t v, Cycles now) override {
    log->push_back(id + " write " + std::to_string(off) + "/" + std::to_string(size) + "=" + std::to_string(v) +
                   "@" + std::to_string(now));
    regs[off / 4] = v;
  }
  Cycles next_event() const override { return period ? next : kNoEvent; }
  void advance(Cycles now) override {
    log->push_back(id + " advance@" + std::to_string(now));
    while (period && next <= now) next += period;
  }
  Cycles access_wait_states() const override { return 2; }
};

}  // namespace

TEST(DeviceBus, RoutesByRangeWithOffsetAndCycle) {
  std::vector<std::string> log;
  DeviceBus bus;
  bus.attach(0x40013800, 0x400, std::make_unique<FakeDevice>("usart1", 0, &log));
  bus.attach(0x40000000, 0x400, std::make_unique<FakeDevice>("tim2", 0, &log));
  ASSERT_EQ(bus.mappings().size(), 2u);
  EXPECT_EQ(bus.mappings()[0].base, 0x40000000u);  // sorted by base
  bus.write(0x40013804, 4, 0x55, 100);
  EXPECT_EQ(bus.read(0x40013804, 4, 120), 0x55u);
  EXPECT_EQ(bus.read(0x40000008, 2, 130), 0u);
  // Every access advances the device to the access cycle first.
  const std::vector<std::string> want = {"usart1 advance@100", "usart1 write 4/4=85@100", "usart1 advance@120",
                                         "usart1 read 4/4@120", "tim2 advance@130",       "tim2 read 8/2@130"};
  EXPECT_EQ(log, want);
  // No device: reads 0, writes are dropped, no wait states.
  log.clear();
  EXPECT_EQ(bus.read(0x40000400, 4, 1), 0u);
  bus.write(0x40000400, 4, 1, 1);
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(bus.wait_states(0x40000400), 0u);
  EXPECT_EQ(bus.wait_states(0x400003FF), 2u);
  EXPECT_EQ(bus.find(0x400003FF)->base, 0x40000000u);
  EXPECT_EQ(bus.find(0x40013C00), nullptr);
}

TEST(DeviceBus, NextEventIsTheMinimumAndAdvanceCallsOnlyDueDevices) {
  std::vector<std::string> log;
  DeviceBus bus;
  EXPECT_EQ(bus.next_event(), kNoEvent);
  bus.attach(0x1000, 0x100, std::make_unique<FakeDevice>("a", 1000, &log));
  bus.attach(0x2000, 0x100, std::make_unique<FakeDevice>("b", 300, &log));
  bus.attach(0x3000, 0x100, std::make_unique<FakeDevice>("quiet", 0, &log));
  EXPECT_EQ(bus.next_event(), 300u);
  // At 299 nothing is due.
  EXPECT_EQ(bus.advance(299), 300u);
  EXPECT_TRUE(log.empty());
  // At 650: b (due 300) advances to 650 -> its next event is 900; a (1000) is not due.
  EXPECT_EQ(bus.advance(650), 900u);
  EXPECT_EQ(log, std::vector<std::string>{"b advance@650"});
  // At 1000 both are due; a -> 2000, b -> 1200.
  log.clear();
  EXPECT_EQ(bus.advance(1000), 1200u);
  EXPECT_EQ(log, (std::vector<std::string>{"a advance@1000", "b advance@1000"}));
}

TEST(DeviceBus, ErrorsNameTheDevicesAndRanges) {
  std::vector<std::string> log;
  DeviceBus bus;
  bus.attach(0x40000000, 0x400, std::make_unique<FakeDevice>("tim2", 0, &log));
  auto error_of = [&](Addr base, std::uint32_t size) -> std::string {
    try {
      bus.attach(base, size, std::make_unique<FakeDevice>("usart2", 0, &log));
    } catch (const mcusim::InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of(0x400003FC, 8),
            "device bus: device 'usart2' at 0x400003fc-0x40000403 overlaps device 'tim2' at 0x40000000-0x400003ff");
  EXPECT_EQ(error_of(0x50000000, 0), "device bus: device 'usart2' at 0x50000000 has size 0");
  EXPECT_EQ(error_of(0xFFFFFF00, 0x200),
            "device bus: device 'usart2' at 0xffffff00 (512 bytes) runs past the end of the 32-bit address space");
  // Adjacent ranges are fine.
  EXPECT_EQ(error_of(0x40000400, 0x400), "");
}

TEST(DeviceBus, AccessOutsideEveryDeviceCallsTheUnmappedHandler) {
  std::vector<std::string> log;
  DeviceBus bus;
  bus.attach(0x40010000, 0x30, std::make_unique<FakeDevice>("syscfg", 0, &log));
  std::vector<std::string> faults;
  bus.on_unmapped([&](Addr a, unsigned size, bool write, Cycles now) {
    faults.push_back(std::string(write ? "write " : "read ") + std::to_string(a) + "/" + std::to_string(size) +
                     "@" + std::to_string(now));
  });
  // Inside the device: no fault. 0x40010030 is the first byte past it (same 1 KiB page).
  EXPECT_EQ(bus.read(0x4001000C, 4, 5), 0u);
  EXPECT_TRUE(faults.empty());
  EXPECT_EQ(bus.read(0x40010030, 4, 7), 0u);
  bus.write(0x40010100, 2, 0xFFFF, 9);
  EXPECT_EQ(faults, (std::vector<std::string>{"read 1073807408/4@7", "write 1073807616/2@9"}));
  // The dropped write reached no device.
  EXPECT_EQ(log, (std::vector<std::string>{"syscfg advance@5", "syscfg read 12/4@5"}));
}
