// Unit tests of the SoC peripheral models against the shipped SoC data files. Every expected value
// is worked out by hand from the reference manuals (the derivation is in the comment next to it),
// never copied from the simulator's output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mcusim/base/errors.h"
#include "mcusim/devices/peripherals.h"
#include "mcusim/devices/soc.h"
#include "mcusim/mem/flash.h"

using namespace mcusim;
using namespace mcusim::dev;

namespace {

std::filesystem::path soc_file(const std::string& name) {
  return std::filesystem::path(MCUSIM_SOURCE_DIR) / "boards" / "socs" / (name + ".toml");
}

struct FakeHost final : mem::DeviceHost {
  struct Irq { int line; bool level; Cycles at; };
  std::vector<Irq> irqs;
  std::string out;
  std::vector<Cycles> out_at;
  void set_irq(int irq, bool level, Cycles now) override { irqs.push_back({irq, level, now}); }
  void output(std::string_view stream, std::string_view text, Cycles now) override {
    out += std::string(stream) + ":" + std::string(text) + ";";
    out_at.push_back(now);
  }
  void exit(int, std::string_view) override {}
  Hertz core_clock_hz() const override { return 0; }
};

struct Bench {
  SocDescription desc;
  FakeHost host;
  std::unique_ptr<Soc> soc;
  // `startup_times` false: ready flags follow their enables at once (the data file's start-up
  // and lock times set to 0), for tests of other behaviour that program the clock at cycle 0.
  explicit Bench(const std::string& name, SocOptions opt = {}, bool startup_times = false)
      : desc(load_soc(soc_file(name))) {
    if (!startup_times)
      for (auto& p : desc.peripherals)
        for (auto& f : p.follow) f.startup_us = 0;
    soc = std::make_unique<Soc>(desc, host, std::move(opt));
  }
  mem::Device& dev(Addr a) {
    auto* m = soc->find(a);
    EXPECT_NE(m, nullptr) << std::hex << a;
    return *m->device;
  }
  std::uint32_t rd(Addr a, Cycles now = 0) {
    auto* m = soc->find(a);
    m->device->advance(now);
    return m->device->read(a - m->base, 4, now);
  }
  void wr(Addr a, std::uint32_t v, Cycles now = 0) {
    auto* m = soc->find(a);
    m->device->advance(now);
    m->device->write(a - m->base, 4, v, now);
  }
};

// STM32L4R5 addresses (RM0432 2.2.2 Table 3) and register offsets (RM0432 6.4, 50.8, 39.4).
constexpr Addr kRcc = 0x40021000, kFlash = 0x40022000, kLpuart1 = 0x40008000,
               kUsart2 = 0x40004400, kTim5 = 0x40000C00, kGpioF = 0x48001400, kCrc = 0x40023000;
constexpr Addr CR = 0x00, CFGR = 0x08, PLLCFGR = 0x0C;

// Programs the L4R5 for 120 MHz from HSI16: PLLM = /2, PLLN = 30, PLLR = /2:
// 16 MHz / 2 * 30 = 240 MHz VCO, / 2 = 120 MHz (RM0432 6.4.4). `ppre1` is CFGR.PPRE1.
void l4_to_120mhz(Bench& b, std::uint32_t ppre1 = 0) {
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 8));  // HSION
  b.wr(kRcc + PLLCFGR, 2u | (1u << 4) | (30u << 8) | (0u << 25) | (1u << 24));
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 24));  // PLLON
  b.wr(kRcc + CFGR, 3u | (ppre1 << 8));            // SW = PLL
}

}  // namespace

TEST(SocData, EveryShippedSocLoads) {
  for (const char* n : {"stm32l4r5", "stm32g0b1", "stm32f446", "stm32f746", "stm32h7a3", "stm32u575"}) {
    SCOPED_TRACE(n);
    if (!std::filesystem::exists(soc_file(n))) GTEST_SKIP() << "not yet shipped: " << n;
    SocDescription d = load_soc(soc_file(n));
    EXPECT_EQ(d.name, n);
    EXPECT_NE(d.find("rcc"), nullptr);
  }
}

TEST(SocData, ErrorsNameFileAndKey) {
  auto dir = std::filesystem::temp_directory_path() / "mcusim_soc_test";
  std::filesystem::create_directories(dir);
  auto f = dir / "bad.toml";
  std::ofstream(f) << "schema_version = 1\nname = \"x\"\nfamily = \"stm32l4\"\nreference = \"r\"\n"
                      "[[peripheral]]\nname = \"rcc\"\nmodel = \"rcc\"\nbase = 0x40021000\n"
                      "[[peripheral]]\nname = \"uart\"\nmodel = \"uartx\"\nbase = 0x40000000\n";
  try {
    load_soc(f);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("uartx"), std::string::npos) << e.what();
  }
  std::ofstream(f) << "schema_version = 1\nname = \"x\"\nfamily = \"stm32l4\"\nreference = \"r\"\n"
                      "[[peripheral]]\nname = \"rcc\"\nmodel = \"registers\"\nbase = 0x40021000\n"
                      "[[peripheral]]\nname = \"b\"\nbase = 0x40021100\n";
  EXPECT_THROW(load_soc(f), InputError);  // overlapping blocks
  std::ofstream(f) << "schema_version = 1\nname = \"x\"\nfamily = \"stm32l4\"\nreference = \"r\"\n"
                      "apb_transfer_cycles = 17\n"
                      "[[peripheral]]\nname = \"rcc\"\nmodel = \"rcc\"\nbase = 0x40021000\n";
  try {
    load_soc(f);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("apb_transfer_cycles"), std::string::npos) << e.what();
  }
}

TEST(Rcc, ResetClockIsMsi4MHz) {
  // RM0432 6.2.3: after reset the MSI at 4 MHz (MSISRANGE = 6) is the system clock.
  Bench b("stm32l4r5");
  EXPECT_EQ(b.soc->core_clock_hz(), 4'000'000u);
  EXPECT_EQ(b.rd(kRcc + CR) & 3u, 3u);  // MSION | MSIRDY
}

TEST(Rcc, ReadyFlagsFollowEnablesAndSwsFollowsSw) {
  Bench b("stm32l4r5");
  EXPECT_EQ(b.rd(kRcc + CR) & (1u << 10), 0u);          // HSIRDY clear
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 8));
  EXPECT_NE(b.rd(kRcc + CR) & (1u << 10), 0u);          // HSIRDY set
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 10) | (1u << 16));  // RDY is read-only; HSEON
  EXPECT_NE(b.rd(kRcc + CR) & (1u << 17), 0u);          // HSERDY
  b.wr(kRcc + CFGR, 1);                                  // SW = HSI16
  EXPECT_EQ((b.rd(kRcc + CFGR) >> 2) & 3u, 1u);          // SWS = HSI16
  EXPECT_EQ(b.soc->core_clock_hz(), 16'000'000u);
  b.wr(kRcc + 0x94, 1);                                  // CSR.LSION
  EXPECT_EQ(b.rd(kRcc + 0x94) & 2u, 2u);                 // LSIRDY
}

TEST(Rcc, PllTo120MHzAndApbTimerRule) {
  Bench b("stm32l4r5");
  std::vector<std::pair<Hertz, Cycles>> changes;
  b.soc->on_core_clock_change([&](Hertz hz, Cycles at) { changes.push_back({hz, at}); });
  l4_to_120mhz(b, 0b111);  // APB1 = HCLK / 16
  EXPECT_NE(b.rd(kRcc + CR) & (1u << 25), 0u);  // PLLRDY
  EXPECT_EQ(b.soc->clocks().get("sysclk"), 120'000'000u);
  EXPECT_EQ(b.soc->core_clock_hz(), 120'000'000u);
  // RM0432 6.2: APB1 = 120 MHz / 16 = 7.5 MHz; timers on APB1 get x2 = 15 MHz (the ST MLPerf
  // Tiny .ioc: APB1Freq_Value = 7500000, APB1TimFreq_Value = 15000000).
  EXPECT_EQ(b.soc->clocks().get("pclk1"), 7'500'000u);
  EXPECT_EQ(b.soc->clocks().get("timpclk1"), 15'000'000u);
  EXPECT_EQ(b.soc->clocks().get("timpclk2"), 120'000'000u);  // PPRE2 = 1: x1
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().first, 120'000'000u);
}

TEST(Rcc, DifferentPllFrequency) {
  // HSI16 / 1 * 10 / 2 = 80 MHz: PLLM = 0, PLLN = 10, PLLR = 0.
  Bench b("stm32l4r5");
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 8));
  b.wr(kRcc + PLLCFGR, 2u | (10u << 8) | (1u << 24));
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 24));
  b.wr(kRcc + CFGR, 3u | (0b1000u << 4));  // HPRE = /2
  EXPECT_EQ(b.soc->clocks().get("sysclk"), 80'000'000u);
  EXPECT_EQ(b.soc->core_clock_hz(), 40'000'000u);
}

TEST(FlashInterface, AcrDrivesFlashModelAndChecksLatency) {
  mem::Flash flash(mem::art_l4(5));
  SocOptions opt;
  opt.flash = &flash;
  opt.wait_state_table_hz = {20'000'000, 40'000'000, 60'000'000, 80'000'000, 100'000'000, 120'000'000};
  Bench b("stm32l4r5", opt);
  // ACR reset 0x600 (RM0432 3.7.1): LATENCY 0, ICEN, DCEN.
  EXPECT_EQ(b.rd(kFlash), 0x600u);
  b.wr(kFlash, 0x700u | 5u);  // PRFTEN | ICEN | DCEN | 5 WS
  EXPECT_EQ(flash.config().wait_states, 5u);
  EXPECT_TRUE(flash.config().prefetch);
  b.wr(kFlash, 0x000u | 5u);  // caches and prefetch off
  EXPECT_FALSE(flash.config().prefetch);
  EXPECT_FALSE(flash.config().icache_enabled);
  EXPECT_FALSE(flash.config().dcache_enabled);
  EXPECT_TRUE(b.soc->warnings().empty());
  b.wr(kFlash, 0x600u | 1u);  // 1 WS, then 120 MHz: 120 MHz needs 5 WS (RM0432 Table 12)
  l4_to_120mhz(b);
  ASSERT_FALSE(b.soc->warnings().empty());
  EXPECT_NE(b.soc->warnings().back().find("LATENCY = 1"), std::string::npos) << b.soc->warnings().back();
}

TEST(Registers, UnlistedOffsetReadsZeroReportedOnce) {
  Bench b("stm32l4r5");
  EXPECT_EQ(b.rd(kRcc + 0x24), 0u);  // 0x24 is reserved in RM0432 6.4
  EXPECT_EQ(b.rd(kRcc + 0x24), 0u);
  ASSERT_EQ(b.soc->warnings().size(), 1u);
  EXPECT_NE(b.soc->warnings()[0].find("0x40021024"), std::string::npos) << b.soc->warnings()[0];
  // Storage keeps what was written; byte access sees its lane.
  b.wr(kRcc + 0x58, 0x12345678u);  // APB1ENR1
  EXPECT_EQ(b.dev(kRcc).read(0x59, 1, 0), 0x56u);
}

TEST(Usart, Brr115200At120MHzFrameTime) {
  // USART2 kernel clock = PCLK1 = 120 MHz (PPRE1 = 1). BRR = 120e6 / 115200 = 1041.7 -> 1042
  // (oversampling by 16, RM0432 50.5.7). 10-bit frame (start, 8 data, stop) = 10 * 1042 kernel
  // clocks = 10420 core cycles at 120 MHz (86.8 us).
  Bench b("stm32l4r5");
  l4_to_120mhz(b);
  b.wr(kUsart2 + 0x0C, 1042);
  b.wr(kUsart2 + 0x00, 1u | (1u << 3));  // UE | TE
  auto& u = static_cast<Usart&>(b.dev(kUsart2));
  EXPECT_EQ(u.frame_cycles(), 10420u);
  EXPECT_NE(b.rd(kUsart2 + 0x1C, 1000) & (1u << 21), 0u);  // TEACK
  b.wr(kUsart2 + 0x28, 'A', 1000);
  // TDR moved to the shift register at once: TXE = 1, TC = 0 while the frame is on the line.
  std::uint32_t isr = b.rd(kUsart2 + 0x1C, 1001);
  EXPECT_EQ(isr & 0xC0u, 0x80u);
  b.wr(kUsart2 + 0x28, 'B', 1001);                     // waits in TDR
  EXPECT_EQ(b.rd(kUsart2 + 0x1C, 1002) & 0x80u, 0u);   // TXE = 0
  EXPECT_EQ(b.rd(kUsart2 + 0x1C, 1000 + 10419) & 0x40u, 0u);
  b.rd(kUsart2 + 0x1C, 1000 + 10420);                  // 'A' done, 'B' starts
  EXPECT_EQ(b.host.out, "usart2:A;");
  EXPECT_EQ(b.host.out_at.at(0), 11420u);
  EXPECT_EQ(b.rd(kUsart2 + 0x1C, 1000 + 2 * 10420) & 0x40u, 0x40u);  // TC after 'B'
  EXPECT_EQ(b.host.out, "usart2:A;usart2:B;");
  EXPECT_EQ(b.host.out_at.at(1), 1000u + 2 * 10420u);
}

TEST(Usart, LpuartFrameAndStopBits) {
  // LPUART1 kernel = PCLK1 = 120 MHz. BRR = 256 * 120e6 / 115200 = 266666.7 -> 266667
  // (RM0432 51.4.7). One bit = 266667 / 256 = 1041.67 kernel clocks; 10 bits = 10416.7 ->
  // 10417 core cycles (rounded up); with 2 stop bits (CR2.STOP = 10): 11 bits = 11458.4 -> 11459.
  Bench b("stm32l4r5");
  l4_to_120mhz(b);
  b.wr(kLpuart1 + 0x0C, 266667);
  b.wr(kLpuart1 + 0x00, 1u | (1u << 3));
  auto& u = static_cast<Usart&>(b.dev(kLpuart1));
  EXPECT_EQ(u.frame_cycles(), 10417u);
  b.wr(kLpuart1 + 0x04, 2u << 12);
  EXPECT_EQ(u.frame_cycles(), 11459u);
  // Kernel clock selection: LPUART1SEL = 10 (HSI16, RM0432 6.4.28): BRR for 115200 at 16 MHz =
  // 35556; 10 bits = 10 * 35556 / 256 = 1388.9 HSI16 clocks = 1388.9 * 120/16 = 10416.8 -> 10417.
  b.wr(kRcc + 0x88, 2u << 10);
  b.wr(kLpuart1 + 0x04, 0);
  b.wr(kLpuart1 + 0x00, 0);
  b.wr(kLpuart1 + 0x0C, 35556);
  EXPECT_EQ(u.kernel_hz(), 16'000'000u);
  EXPECT_EQ(u.frame_cycles(), 10417u);
}

TEST(Usart, RxFromHostRaisesRxneAndIrq) {
  SocOptions opt;
  opt.uart_input["lpuart1"] = {"n%x%"};
  Bench b("stm32l4r5", opt);
  l4_to_120mhz(b);
  b.wr(kLpuart1 + 0x0C, 266667);
  EXPECT_EQ(b.soc->input_exhausted(0), false);
  b.wr(kLpuart1 + 0x00, 1u | (1u << 2) | (1u << 5), 100);  // UE | RE | RXNEIE
  b.soc->advance(100);
  // The host holds its input until the firmware waits for it (one command per release).
  EXPECT_EQ(b.rd(kLpuart1 + 0x1C, 100) & (1u << 5), 0u);
  EXPECT_TRUE(b.host.irqs.empty());
  EXPECT_TRUE(b.soc->release_input(100));
  ASSERT_FALSE(b.host.irqs.empty());
  EXPECT_EQ(b.host.irqs.back().line, 70);  // LPUART1 global interrupt (RM0432 Table 58)
  EXPECT_TRUE(b.host.irqs.back().level);
  EXPECT_EQ(b.rd(kLpuart1 + 0x1C, 101) & (1u << 5), 1u << 5);  // RXNE
  EXPECT_EQ(b.rd(kLpuart1 + 0x24, 102), std::uint32_t('n'));
  EXPECT_FALSE(b.host.irqs.back().level);  // RXNE cleared by the read
  // Next byte one frame (10417 cycles) after the read.
  EXPECT_EQ(b.soc->next_event(), 102u + 10417u);
  b.soc->advance(102 + 10416);
  EXPECT_EQ(b.rd(kLpuart1 + 0x1C, 102 + 10416) & (1u << 5), 0u);
  b.soc->advance(102 + 10417);
  EXPECT_TRUE(b.host.irqs.back().level);
  EXPECT_EQ(b.rd(kLpuart1 + 0x24, 20000), std::uint32_t('%'));
  EXPECT_FALSE(b.soc->input_exhausted(20000));  // "x%" still held
  EXPECT_EQ(b.soc->next_event(), mem::kNoEvent);
  EXPECT_TRUE(b.soc->release_input(40000));  // a byte at once (the line is free since 30417)
  EXPECT_EQ(b.rd(kLpuart1 + 0x24, 40000), std::uint32_t('x'));
  EXPECT_EQ(b.rd(kLpuart1 + 0x24, 40000 + 10417), std::uint32_t('%'));
  EXPECT_TRUE(b.soc->input_exhausted(60000));
  EXPECT_FALSE(b.soc->release_input(60000));
}

TEST(Usart, BadUartNameIsInputError) {
  SocOptions opt;
  opt.uart_input["uart9"] = {"x"};
  EXPECT_THROW(Bench("stm32l4r5", opt), InputError);
}

TEST(Timer, Psc119Arr999At120MHzUpdatesEvery120000Cycles) {
  // TIM5 on APB1 with PPRE1 = 1: timer clock 120 MHz. PSC = 119 -> 1 MHz count, ARR = 999 ->
  // update every 1000 counts = 1 ms = 120,000 core cycles (RM0432 39.3.2).
  Bench b("stm32l4r5");
  l4_to_120mhz(b);
  b.wr(kTim5 + 0x28, 119);
  b.wr(kTim5 + 0x2C, 999);
  b.wr(kTim5 + 0x14, 1);   // UG: load PSC/ARR
  b.wr(kTim5 + 0x10, 0);   // clear UIF
  b.wr(kTim5 + 0x0C, 1);   // UIE
  b.wr(kTim5 + 0x00, 1, 0);  // CEN at cycle 0
  EXPECT_EQ(b.soc->next_event(), 120'000u);
  EXPECT_EQ(b.rd(kTim5 + 0x24, 119'999), 999u);    // CNT
  EXPECT_EQ(b.rd(kTim5 + 0x10, 119'999) & 1u, 0u);
  EXPECT_EQ(b.rd(kTim5 + 0x10, 120'000) & 1u, 1u);  // UIF
  EXPECT_EQ(b.host.irqs.back().line, 50);
  EXPECT_TRUE(b.host.irqs.back().level);
  EXPECT_EQ(b.rd(kTim5 + 0x24, 120'000 + 120 * 7), 7u);  // 7 us later
  b.wr(kTim5 + 0x10, 0, 120'001);
  EXPECT_FALSE(b.host.irqs.back().level);
  EXPECT_EQ(b.soc->next_event(), 240'000u);
}

TEST(Timer, ApbPrescalerDoublesTimerClock) {
  // PPRE1 = /2: PCLK1 = 60 MHz, timer clock = 2 x 60 = 120 MHz, so PSC = 119 still counts 1 MHz.
  // PPRE1 = /16: PCLK1 = 7.5 MHz, timer clock 15 MHz: PSC = 14 counts 1 MHz: 1 count = 120 cycles.
  Bench b("stm32l4r5");
  l4_to_120mhz(b, 0b100);
  b.wr(kTim5 + 0x28, 119);
  b.wr(kTim5 + 0x14, 1);
  b.wr(kTim5 + 0x00, 1, 0);
  EXPECT_EQ(b.rd(kTim5 + 0x24, 120 * 1000), 1000u);
  Bench c("stm32l4r5");
  l4_to_120mhz(c, 0b111);
  c.wr(kTim5 + 0x28, 14);
  c.wr(kTim5 + 0x14, 1);
  c.wr(kTim5 + 0x00, 1, 0);
  EXPECT_EQ(c.rd(kTim5 + 0x24, 120 * 1000 - 1), 999u);
  EXPECT_EQ(c.rd(kTim5 + 0x24, 120 * 1000), 1000u);
}

TEST(Gpio, OutputEdgesRecordedWithCycle) {
  Bench b("stm32l4r5");
  b.wr(kGpioF + 0x14, 0, 1);                           // ODR 0 while the pin is analog: no edge
  b.wr(kGpioF + 0x00, 0xFFFFFFFFu & ~(2u << 26), 2);   // MODER13 = 01 (output): driven low
  b.wr(kGpioF + 0x18, 1u << 13, 10);                   // BSRR set
  b.wr(kGpioF + 0x18, 1u << 13, 11);                   // no change: no edge
  b.wr(kGpioF + 0x18, 1u << (13 + 16), 25);            // BSRR reset
  const auto& e = b.soc->gpio_edges();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].pin, "PF13");
  EXPECT_EQ(e[0].level, 0);
  EXPECT_EQ(e[0].cycle, 2u);
  EXPECT_EQ(e[1].level, 1);
  EXPECT_EQ(e[1].cycle, 10u);
  EXPECT_EQ(e[2].level, 0);
  EXPECT_EQ(e[2].cycle, 25u);
  EXPECT_EQ(b.rd(kGpioF + 0x10) & (1u << 13), 0u);  // IDR follows the driven level
}

TEST(Crc, Crc32Mpeg2AndCrc32CheckValues) {
  // Check values of the CRC catalogue for "123456789": CRC-32/MPEG-2 (poly 0x04C11DB7, init
  // 0xFFFFFFFF, no reflection, no final XOR) = 0x0376E6E7; CRC-32 (ISO-HDLC: same poly and init,
  // input and output reflected, final XOR 0xFFFFFFFF) = 0xCBF43926.
  Bench b("stm32l4r5");
  auto& crc = b.dev(kCrc);
  const std::string s = "123456789";
  b.wr(kCrc + 0x08, 1);  // RESET
  for (char c : s) crc.write(0, 1, std::uint8_t(c), 0);
  EXPECT_EQ(b.rd(kCrc), 0x0376E6E7u);
  b.wr(kCrc + 0x08, 1u | (1u << 5) | (1u << 7));  // RESET, REV_IN by byte, REV_OUT
  for (char c : s) crc.write(0, 1, std::uint8_t(c), 0);
  EXPECT_EQ(b.rd(kCrc) ^ 0xFFFFFFFFu, 0xCBF43926u);
  // A 32-bit write feeds the word MSB first: "1234" as the word 0x31323334.
  b.wr(kCrc + 0x08, 1);
  b.wr(kCrc, 0x31323334u);
  std::uint32_t ref = 0xFFFFFFFFu;
  for (char c : std::string("1234")) ref = crc_update(ref, std::uint8_t(c), 8, 0x04C11DB7u, 32);
  EXPECT_EQ(b.rd(kCrc), ref);
}

// ---- The other families' clock trees and the F4 v1 USART, by register name ----------------

namespace {
struct Named : Bench {
  using Bench::Bench;
  Addr addr(const std::string& block, const std::string& reg) {
    const PeripheralDef* p = desc.find(block);
    EXPECT_NE(p, nullptr) << block;
    for (const auto& r : p->registers)
      if (r.name == reg) return p->base + r.offset;
    ADD_FAILURE() << block << "." << reg;
    return 0;
  }
  std::uint32_t get(const std::string& b, const std::string& r, Cycles now = 0) { return rd(addr(b, r), now); }
  void set(const std::string& b, const std::string& r, std::uint32_t v, Cycles now = 0) { wr(addr(b, r), v, now); }
  void orr(const std::string& b, const std::string& r, std::uint32_t v) { set(b, r, get(b, r) | v); }
};
}  // namespace

TEST(Rcc, G0PllTo64MHz) {
  // RM0444 5.2: reset SYSCLK = HSISYS = HSI16 / 1. PLL: HSI16 / (PLLM 0 + 1) x 8 = 128 MHz VCO,
  // / (PLLR 1 + 1) = 64 MHz; APB prescaler /2 -> PCLK 32 MHz, timers x2 = 64 MHz.
  Named b("stm32g0b1");
  EXPECT_EQ(b.soc->core_clock_hz(), 16'000'000u);
  b.set("rcc", "PLLCFGR", 2u | (0u << 4) | (8u << 8) | (1u << 28) | (1u << 29));
  b.orr("rcc", "CR", 1u << 24);
  EXPECT_NE(b.get("rcc", "CR") & (1u << 25), 0u);
  b.set("rcc", "CFGR", 2u | (0b100u << 12));
  EXPECT_EQ((b.get("rcc", "CFGR") >> 3) & 7u, 2u);
  EXPECT_EQ(b.soc->core_clock_hz(), 64'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pclk1"), 32'000'000u);
  EXPECT_EQ(b.soc->clocks().get("timpclk1"), 64'000'000u);
}

TEST(Rcc, F446PllTo180MHzAndV1Usart) {
  // RM0390 6.3.2: HSE 8 MHz / PLLM 4 x PLLN 180 = 360 MHz VCO, / PLLP 2 = 180 MHz. PPRE1 = /4
  // (45 MHz), PPRE2 = /2 (90 MHz); APB1 timers x2 = 90 MHz.
  Named b("stm32f446");
  EXPECT_EQ(b.soc->core_clock_hz(), 16'000'000u);
  b.orr("rcc", "CR", 1u << 16);
  EXPECT_NE(b.get("rcc", "CR") & (1u << 17), 0u);  // HSERDY
  b.set("rcc", "PLLCFGR", 4u | (180u << 6) | (0u << 16) | (1u << 22) | (2u << 28));
  b.orr("rcc", "CR", 1u << 24);
  b.set("pwr", "CR", b.get("pwr", "CR") | (1u << 16));
  EXPECT_NE(b.get("pwr", "CSR") & (1u << 16), 0u);  // ODRDY follows ODEN
  b.set("rcc", "CFGR", 2u | (0b101u << 10) | (0b100u << 13));
  EXPECT_EQ(b.soc->core_clock_hz(), 180'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pclk1"), 45'000'000u);
  EXPECT_EQ(b.soc->clocks().get("timpclk1"), 90'000'000u);
  // USART2 (v1) at 115200 on PCLK1 45 MHz: USARTDIV = 45e6 / (16 x 115200) = 24.41 -> mantissa
  // 24, fraction 7 (0.4375): BRR = 0x187 = 391 (RM0390 25.4.4). 10-bit frame = 3910 PCLK1 clocks
  // = 3910 x 180 / 45 = 15640 core cycles.
  b.set("usart2", "BRR", 0x187);
  b.set("usart2", "CR1", (1u << 13) | (1u << 3));  // UE | TE
  auto& u = static_cast<Usart&>(b.dev(b.addr("usart2", "SR")));
  EXPECT_EQ(u.frame_cycles(), 15640u);
  b.set("usart2", "DR", 'Z', 100);
  EXPECT_EQ(b.get("usart2", "SR", 101) & 0x40u, 0u);
  EXPECT_EQ(b.get("usart2", "SR", 100 + 15640) & 0xC0u, 0xC0u);
  EXPECT_EQ(b.host.out, "usart2:Z;");
}

TEST(Rcc, F746PllTo216MHz) {
  // RM0385 5.3.2: HSE 25 MHz (STM32F746G-DISCO) / PLLM 25 x PLLN 432 = 432 MHz, / PLLP 2 = 216 MHz.
  Named b("stm32f746");
  b.orr("rcc", "CR", 1u << 16);
  b.set("rcc", "PLLCFGR", 25u | (432u << 6) | (1u << 22));
  b.orr("rcc", "CR", 1u << 24);
  b.set("rcc", "CFGR", 2u);
  EXPECT_EQ((b.get("rcc", "CFGR") >> 2) & 3u, 2u);
  EXPECT_EQ(b.soc->core_clock_hz(), 216'000'000u);
}

TEST(Rcc, H7a3PllTo280MHzWithDomainPrescalers) {
  // RM0455 8.5: reset sys_ck = HSI 64 MHz. PLL1: HSI 64 / DIVM1 4 = 16 MHz x (DIVN1 34 + 1) =
  // 560 MHz, / (DIVP1 1 + 1) = 280 MHz = CPU clock (CDCPRE /1); HPRE /2 -> HCLK 140 MHz;
  // CDPPRE1 /2 -> PCLK1 70 MHz, APB1 timers x2 = 140 MHz.
  Named b("stm32h7a3");
  EXPECT_EQ(b.soc->core_clock_hz(), 64'000'000u);
  EXPECT_NE(b.get("rcc", "CR") & (3u << 14), 0u);  // CPUCKRDY, CDCKRDY
  b.set("rcc", "PLLCKSELR", 0u | (4u << 4));
  b.set("rcc", "PLL1DIVR", 34u | (1u << 9));
  b.orr("rcc", "CR", 1u << 24);
  EXPECT_NE(b.get("rcc", "CR") & (1u << 25), 0u);
  b.set("rcc", "CDCFGR1", 0b1000u);
  b.set("rcc", "CDCFGR2", 0b100u << 4);
  b.set("rcc", "CFGR", 3u);
  EXPECT_EQ((b.get("rcc", "CFGR") >> 3) & 7u, 3u);
  EXPECT_EQ(b.soc->core_clock_hz(), 280'000'000u);
  EXPECT_EQ(b.soc->clocks().get("hclk"), 140'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pclk1"), 70'000'000u);
  EXPECT_EQ(b.soc->clocks().get("timpclk1"), 140'000'000u);
  EXPECT_NE(b.get("pwr", "SRDCR") & (1u << 13), 0u);  // VOSRDY
}

TEST(Rcc, U575PllTo160MHz) {
  // RM0456 11.4: reset SYSCLK = MSIS 4 MHz. PLL1: MSIS 4 MHz / (PLL1M 0 + 1) x (PLL1N 79 + 1) =
  // 320 MHz, / (PLL1R 1 + 1) = 160 MHz. PWR: SMPS selection and boost ready follow their enables.
  Named b("stm32u575");
  EXPECT_EQ(b.soc->core_clock_hz(), 4'000'000u);
  b.set("pwr", "CR3", 2u);
  EXPECT_NE(b.get("pwr", "SVMSR") & 2u, 0u);
  b.set("pwr", "VOSR", (3u << 16) | (1u << 18));
  EXPECT_EQ(b.get("pwr", "VOSR") & (3u << 14), 3u << 14);  // VOSRDY, BOOSTRDY
  b.set("rcc", "PLL1CFGR", 1u | (1u << 18));
  b.set("rcc", "PLL1DIVR", 79u | (1u << 24));
  b.orr("rcc", "CR", 1u << 24);
  b.set("rcc", "CFGR1", 3u);
  EXPECT_EQ(b.soc->core_clock_hz(), 160'000'000u);
}

// ---- Start-up and lock times (issue 13 item 4) and the H7 PLL2/PLL3 and U5 MSIK clocks -------

TEST(Rcc, PllLockTimeAPollLoopWaits) {
  // stm32l4r5.toml: PLLRDY rises tLOCK = 15 us after PLLON (DS12023 "PLL characteristics", typ);
  // HSIRDY 0.8 us after HSION (tsu(HSI16) typ). At the reset clock, MSI 4 MHz, that is
  // 15 us x 4 MHz = 60 core cycles and 0.8 us x 4 MHz = 3.2 -> 4 cycles (rounded up).
  Bench b("stm32l4r5", {}, true);
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 8), 0);  // HSION at cycle 0
  EXPECT_EQ(b.rd(kRcc + CR, 3) & (1u << 10), 0u);
  EXPECT_NE(b.rd(kRcc + CR, 4) & (1u << 10), 0u);
  b.wr(kRcc + PLLCFGR, 2u | (1u << 4) | (30u << 8) | (1u << 24), 10);
  const Cycles on = 1000, poll = 7;  // a poll loop of 7 cycles per iteration (LDR, TST, BEQ)
  b.wr(kRcc + CR, b.rd(kRcc + CR, on) | (1u << 24), on);
  EXPECT_EQ(b.soc->next_event(), on + 60);
  Cycles t = on;
  while (!(b.rd(kRcc + CR, t) & (1u << 25)) && t < on + 100'000) t += poll;
  EXPECT_GE(t - on, 60u);
  EXPECT_LT(t - on, 60u + poll);
  // Clearing PLLON drops PLLRDY at once.
  b.wr(kRcc + CR, b.rd(kRcc + CR, t) & ~(1u << 24), t);
  EXPECT_EQ(b.rd(kRcc + CR, t) & (1u << 25), 0u);
  EXPECT_EQ(b.soc->next_event(), mem::kNoEvent);
}

TEST(Rcc, LockTimeIsRescaledWhenTheCoreClockChanges) {
  // PLLON at cycle 0 at MSI 4 MHz: due at 60. At cycle 20 (5 us elapsed) the core switches to
  // HSI16: the remaining 10 us are 10 us x 16 MHz = 160 cycles -> PLLRDY at 180.
  Bench b("stm32l4r5", {}, true);
  b.wr(kRcc + CR, b.rd(kRcc + CR) | (1u << 8) | (1u << 24), 0);  // HSION (ready at 4), PLLON
  EXPECT_NE(b.rd(kRcc + CR, 20) & (1u << 10), 0u);
  b.wr(kRcc + CFGR, 1u, 20);  // SW = HSI16
  EXPECT_EQ(b.soc->core_clock_hz(), 16'000'000u);
  EXPECT_EQ(b.rd(kRcc + CR, 179) & (1u << 25), 0u);
  EXPECT_NE(b.rd(kRcc + CR, 180) & (1u << 25), 0u);
}

TEST(Rcc, H7a3Pll2AndPll3Outputs) {
  // RM0455 8.7.11-8.7.17. PLL2 from HSI 64 MHz: DIVM2 = 4 -> 16 MHz, DIVN2 = 24 -> x25 = 400 MHz
  // VCO; DIVP2 = 1 -> /2 = 200 MHz, DIVQ2 = 7 -> /8 = 50 MHz, DIVR2 = 3 -> /4 = 100 MHz. PLL3 at its
  // reset dividers (DIVM3 = 32, DIVN3 = 0x80, P/Q/R = 1): 64 / 32 x 129 = 258 MHz / 2 = 129 MHz.
  // Lock time 50 us (DS13195, typ) at the reset core clock 64 MHz = 3200 cycles.
  Named b("stm32h7a3", {}, true);
  const std::uint32_t sel = b.get("rcc", "PLLCKSELR");
  EXPECT_EQ(sel, 0x02020200u);
  b.set("rcc", "PLLCKSELR", (sel & ~(0x3Fu << 12)) | (4u << 12));
  b.set("rcc", "PLL2DIVR", 24u | (1u << 9) | (7u << 16) | (3u << 24));
  EXPECT_EQ(b.soc->clocks().get("pll2q"), 0u);  // PLL2 off
  b.set("rcc", "CR", b.get("rcc", "CR") | (1u << 26) | (1u << 28), 100);  // PLL2ON, PLL3ON
  EXPECT_EQ(b.get("rcc", "CR", 3299) & (1u << 27), 0u);
  EXPECT_EQ(b.soc->clocks().get("pll2q"), 0u);  // not locked yet
  EXPECT_EQ(b.get("rcc", "CR", 3300) & (5u << 27), 5u << 27);  // PLL2RDY, PLL3RDY
  EXPECT_EQ(b.soc->clocks().get("pll2p"), 200'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pll2q"), 50'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pll2r"), 100'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pll3p"), 129'000'000u);
  EXPECT_EQ(b.soc->clocks().get("pll3q"), 129'000'000u);
  // PLLCFGR.DIVQ3EN (bit 23) off: PLL3's Q output stops, P and R keep running.
  b.set("rcc", "PLLCFGR", b.get("rcc", "PLLCFGR", 3300) & ~(1u << 23), 3300);
  EXPECT_EQ(b.soc->clocks().get("pll3q"), 0u);
  EXPECT_EQ(b.soc->clocks().get("pll3r"), 129'000'000u);
  EXPECT_EQ(b.soc->core_clock_hz(), 64'000'000u);  // PLL1 not involved
  // USART1 on pll2q (RCC_CDCCIP2R.USART16910SEL[5:3] = 1): BRR = 50 MHz / 115200 = 434; a 10-bit
  // frame is 4340 kernel clocks = 86.8 us = 5555.2 -> 5556 core cycles at 64 MHz.
  b.set("rcc", "CDCCIP2R", 1u << 3, 3300);
  b.set("usart1", "BRR", 434, 3300);
  b.set("usart1", "CR1", 1u | (1u << 3), 3300);  // UE | TE
  const auto* u = b.soc->find(b.addr("usart1", "BRR"));
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(static_cast<Usart*>(u->device)->frame_cycles(), 5556u);
}

TEST(Rcc, U575MsikRangesAndEnable) {
  // RM0456 11.8.1/11.8.2: MSIK runs at reset (CR = 0x35: MSIKON, MSIKRDY) at range 4 = 4 MHz.
  // MSIRGSEL = 1 with MSIKRANGE = 2 gives 16 MHz while MSIS keeps range 4 (4 MHz); MSIKON = 0
  // stops it.
  Named b("stm32u575");
  EXPECT_EQ(b.soc->clocks().get("msik"), 4'000'000u);
  b.set("rcc", "ICSCR1", (4u << 28) | (2u << 24) | (1u << 23));
  EXPECT_EQ(b.soc->clocks().get("msik"), 16'000'000u);
  EXPECT_EQ(b.soc->clocks().get("msis"), 4'000'000u);
  // LPUART1 on MSIK (RCC_CCIPR3.LPUART1SEL[2:0] = 4): BRR = 256 x 16 MHz / 115200 = 35555.6 ->
  // 35556; a 10-bit frame is 10 x 35556 / 256 = 1388.9 kernel clocks = 86.8 us = 347.2 -> 348
  // core cycles at MSIS 4 MHz (RM0456 LPUART baud rate formula).
  b.set("rcc", "CCIPR3", 4u);
  b.set("lpuart1", "BRR", 35556);
  b.set("lpuart1", "CR1", 1u | (1u << 3));  // UE | TE
  const auto* u = b.soc->find(b.addr("lpuart1", "BRR"));
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(static_cast<Usart*>(u->device)->frame_cycles(), 348u);
  b.set("rcc", "CR", b.get("rcc", "CR") & ~(1u << 4));
  EXPECT_EQ(b.soc->clocks().get("msik"), 0u);
}

// Peripheral clock gates (docs/models/energy.md "Peripherals"): bus-clock cycles while the RCC
// enable bit is set, integrated from the enable intervals in core cycles.
TEST(PeripheralClocks, Tim5BusCyclesFollowItsEnableBitAndTheApbPrescaler) {
  Bench b("stm32l4r5");
  constexpr Addr APB1ENR1 = 0x58;  // RM0432 6.4.19; TIM5EN bit 3
  auto tim5 = [&](Cycles now) {
    for (const auto& p : b.soc->peripheral_clocks(now))
      if (p.name == "tim5") return p.bus_cycles;
    ADD_FAILURE() << "no tim5 gate";
    return -1.0;
  };
  // Reset: MSI 4 MHz, HPRE = PPRE1 = /1, so PCLK1 = core clock: one bus cycle per core cycle.
  EXPECT_EQ(tim5(500), 0.0);             // not enabled yet
  b.wr(kRcc + APB1ENR1, 1u << 3, 1000);  // TIM5EN at cycle 1000
  EXPECT_EQ(tim5(1000), 0.0);
  EXPECT_EQ(tim5(1500), 500.0);          // open interval counted up to `now`
  b.wr(kRcc + CFGR, 0b111u << 8, 3000);  // PPRE1 = /16 at cycle 3000: PCLK1 = 4 MHz / 16
  EXPECT_EQ(tim5(3000), 2000.0);         // 2000 core cycles x 1
  b.wr(kRcc + APB1ENR1, 0u, 7000);       // TIM5EN cleared at cycle 7000
  // 2000 x 1 + (7000 - 3000) / 16 = 2250 bus cycles; nothing more while disabled.
  EXPECT_EQ(tim5(7000), 2250.0);
  EXPECT_EQ(tim5(90000), 2250.0);
  // A block without rcc_enable is not tracked; the others are zero.
  for (const auto& p : b.soc->peripheral_clocks(90000)) {
    EXPECT_NE(p.name, "rcc");
    if (p.name != "tim5") {
      EXPECT_EQ(p.bus_cycles, 0.0) << p.name;
    }
  }
}

TEST(PeripheralClocks, AhbBlockCountsHclkAndSurvivesAClockSwitch) {
  Bench b("stm32l4r5");
  constexpr Addr AHB2ENR = 0x4C;  // RM0432 6.4.17; GPIOFEN bit 5
  auto gpiof = [&](Cycles now) {
    for (const auto& p : b.soc->peripheral_clocks(now))
      if (p.name == "gpiof") return p.bus_cycles;
    return -1.0;
  };
  b.wr(kRcc + AHB2ENR, 1u << 5, 0);
  // The core switches to 120 MHz (all prescalers /1) at some cycle: HCLK = core clock before and
  // after, so every core cycle is one AHB cycle, whatever the switch does to the time base.
  l4_to_120mhz(b);
  b.wr(kRcc + CFGR, 3u | (0b1000u << 4), 10000);  // HPRE = /2 at cycle 10000: core = HCLK again
  EXPECT_EQ(gpiof(25000), 25000.0);
}

TEST(PeripheralClocks, RccEnableErrorsNameTheBlockAndKey) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mcusim-gate-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& body) {
    const auto f = dir / "s.toml";
    std::ofstream(f)
        << "schema_version = 1\nname = \"s\"\nfamily = \"stm32l4\"\nreference = \"r\"\n"
           "[[peripheral]]\nname = \"rcc\"\nmodel = \"rcc\"\nbase = 0x40021000\n"
           "registers = [{ name = \"APB1ENR1\", offset = 0x58 }]\n"
           "[[peripheral]]\nname = \"tim5\"\nbase = 0x40000C00\n"
        << body;
    return f;
  };
  auto msg = [&](const std::string& body) {
    try {
      (void)load_soc(write(body));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      msg("rcc_enable = \"APB1ENR9.3\"\nbus_clock = \"pclk1\"\n").find("no register 'APB1ENR9'"),
      std::string::npos);
  EXPECT_NE(msg("rcc_enable = \"APB1ENR1.3\"\nbus_clock = \"timpclk1\"\n").find("bus_clock"),
            std::string::npos);
  EXPECT_NE(msg("rcc_enable = \"APB1ENR1.3\"\n").find("'bus_clock'"), std::string::npos);
  EXPECT_NE(msg("bus_clock = \"pclk1\"\n").find("without rcc_enable"), std::string::npos);
  std::filesystem::remove_all(dir);
}
