// RCC clock tree per family and the FLASH interface (FLASH_ACR -> flash model).
#include <fmt/format.h>

#include "mcusim/base/errors.h"
#include "mcusim/devices/peripherals.h"
#include "mcusim/mem/flash.h"

namespace mcusim::dev {

namespace {
std::uint32_t field(std::uint32_t v, unsigned shift, unsigned width) {
  return (v >> shift) & ((1u << width) - 1);
}
}  // namespace

unsigned ahb_divider(std::uint32_t hpre) {
  // RM0432 6.4.3 CFGR.HPRE: 0xxx: /1, 1000: /2, 1001: /4, 1010: /8, 1011: /16, 1100: /64,
  // 1101: /128, 1110: /256, 1111: /512 (same coding on every STM32 family).
  static constexpr unsigned k[8] = {2, 4, 8, 16, 64, 128, 256, 512};
  return (hpre & 8) ? k[hpre & 7] : 1;
}

unsigned apb_divider(std::uint32_t ppre) {
  // RM0432 6.4.3 CFGR.PPRE1/2: 0xx: /1, 100: /2, 101: /4, 110: /8, 111: /16.
  return (ppre & 4) ? (2u << (ppre & 3)) : 1;
}

Rcc::Rcc(const PeripheralDef& def, Soc& soc) : Peripheral(def, soc) {
  apply_rules();
  (void)compute();  // resolves every register the family needs (InputError when missing)
}

ClockTree Rcc::compute() const {
  ClockTree t;
  const auto& osc = soc_.clocks();
  auto r = [&](std::string_view n) { return regs_[need(n)]; };
  const std::string& fam = soc_.description().family;
  Hertz sys = 0, core = 0, hclk = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0;
  unsigned d1 = 1, d2 = 1;
  const Hertz hse = osc.get("hse"), lsi = osc.get("lsi"), lse = osc.get("lse");
  if (fam == "stm32l4") {
    // RM0432 6.2.3 MSI: range from CR.MSIRANGE when CR.MSIRGSEL, else CSR.MSISRANGE.
    static constexpr Hertz kMsi[12] = {100'000,   200'000,    400'000,    800'000,
                                       1'000'000, 2'000'000,  4'000'000,  8'000'000,
                                       16'000'000, 24'000'000, 32'000'000, 48'000'000};
    const std::uint32_t cr = r("CR");
    unsigned range = (cr & (1u << 3)) ? field(cr, 4, 4) : field(r("CSR"), 8, 4);
    const Hertz msi = kMsi[std::min(range, 11u)];
    const Hertz hsi = osc.get("hsi16");
    // RM0432 6.4.4 PLLCFGR: PLLSRC[1:0] (1 MSI, 2 HSI16, 3 HSE), PLLM[7:4] (/M+1), PLLN[14:8],
    // PLLR[26:25] (/2, /4, /6, /8).
    const std::uint32_t pll = r("PLLCFGR");
    const Hertz src[4] = {0, msi, hsi, hse};
    const Hertz vco = src[field(pll, 0, 2)] / (field(pll, 4, 4) + 1) * field(pll, 8, 7);
    const Hertz pllr = vco / (2 * (field(pll, 25, 2) + 1));
    // RM0432 6.4.3 CFGR: SW[1:0] (MSI, HSI16, HSE, PLL), HPRE[7:4], PPRE1[10:8], PPRE2[13:11].
    const std::uint32_t cfgr = r("CFGR");
    const Hertz sw[4] = {msi, hsi, hse, pllr};
    sys = sw[field(cfgr, 0, 2)];
    hclk = core = sys / ahb_divider(field(cfgr, 4, 4));
    d1 = apb_divider(field(cfgr, 8, 3));
    d2 = apb_divider(field(cfgr, 11, 3));
    t.set("msi", msi);
  } else if (fam == "stm32g0") {
    // RM0444 5.4.1 CR.HSIDIV[13:11]: HSISYS = HSI16 / 2^HSIDIV.
    const Hertz hsi = osc.get("hsi16");
    const Hertz hsisys = hsi >> field(r("CR"), 11, 3);
    // RM0444 5.4.4 PLLCFGR: PLLSRC[1:0] (2 HSI16, 3 HSE), PLLM[6:4] (/M+1), PLLN[14:8],
    // PLLR[31:29] (/R+1).
    const std::uint32_t pll = r("PLLCFGR");
    const Hertz src[4] = {0, 0, hsi, hse};
    const Hertz vco = src[field(pll, 0, 2)] / (field(pll, 4, 3) + 1) * field(pll, 8, 7);
    const Hertz pllr = vco / (field(pll, 29, 3) + 1);
    // RM0444 5.4.3 CFGR: SW[2:0] (HSISYS, HSE, PLLRCLK, LSI, LSE), HPRE[11:8], PPRE[14:12].
    const std::uint32_t cfgr = r("CFGR");
    const Hertz sw[8] = {hsisys, hse, pllr, lsi, lse, 0, 0, 0};
    sys = sw[field(cfgr, 0, 3)];
    hclk = core = sys / ahb_divider(field(cfgr, 8, 4));
    d1 = d2 = apb_divider(field(cfgr, 12, 3));  // one APB: pclk2 = pclk1
  } else if (fam == "stm32f4" || fam == "stm32f7") {
    // RM0390 6.3.2 / RM0385 5.3.2 PLLCFGR: PLLM[5:0], PLLN[14:6], PLLP[17:16] (/2,4,6,8),
    // PLLSRC bit 22 (HSI, HSE), PLLR[30:28] (F446 only).
    const Hertz hsi = osc.get("hsi16");
    const std::uint32_t pll = r("PLLCFGR");
    const Hertz in = (pll & (1u << 22)) ? hse : hsi;
    const unsigned m = field(pll, 0, 6);
    const Hertz vco = m ? in / m * field(pll, 6, 9) : 0;
    const Hertz pllp = vco / (2 * (field(pll, 16, 2) + 1));
    const unsigned rdiv = field(pll, 28, 3);
    const Hertz pllr = rdiv ? vco / rdiv : 0;
    // CFGR: SW[1:0] (HSI, HSE, PLL_P, PLL_R on the F446), HPRE[7:4], PPRE1[12:10], PPRE2[15:13].
    const std::uint32_t cfgr = r("CFGR");
    const Hertz sw[4] = {hsi, hse, pllp, fam == "stm32f4" ? pllr : 0};
    sys = sw[field(cfgr, 0, 2)];
    hclk = core = sys / ahb_divider(field(cfgr, 4, 4));
    d1 = apb_divider(field(cfgr, 10, 3));
    d2 = apb_divider(field(cfgr, 13, 3));
  } else if (fam == "stm32h7") {
    // RM0455 8.7.2 CR.HSIDIV[4:3]: hsi_ck = 64 MHz / 2^HSIDIV.
    const Hertz hsi = osc.get("hsi64") >> field(r("CR"), 3, 2);
    const Hertz csi = osc.get("csi");
    // RM0455 8.7.11 PLLCKSELR: PLLSRC[1:0] (HSI, CSI, HSE, none), DIVM1[9:4];
    // 8.7.13 PLL1DIVR: DIVN1[8:0] (xN+1), DIVP1[15:9] (/P+1). PLL1FRACR is not modelled.
    const std::uint32_t sel = r("PLLCKSELR");
    const Hertz src[4] = {hsi, csi, hse, 0};
    const unsigned m = field(sel, 4, 6);
    const std::uint32_t div = r("PLL1DIVR");
    const Hertz vco = m ? src[field(sel, 0, 2)] / m * (field(div, 0, 9) + 1) : 0;
    const Hertz p = vco / (field(div, 9, 7) + 1);
    // 8.7.6 CFGR.SW[2:0] (HSI, CSI, HSE, PLL1_P); 8.7.8 CDCFGR1: CDCPRE[11:8] (core),
    // CDPPRE[6:4] (APB3), HPRE[3:0]; 8.7.9 CDCFGR2: CDPPRE1[6:4], CDPPRE2[10:8];
    // 8.7.10 SRDCFGR: SRDPPRE[6:4] (APB4).
    const Hertz sw[8] = {hsi, csi, hse, p, 0, 0, 0, 0};
    sys = sw[field(r("CFGR"), 0, 3)];
    const std::uint32_t c1 = r("CDCFGR1"), c2 = r("CDCFGR2");
    core = sys / ahb_divider(field(c1, 8, 4));
    hclk = core / ahb_divider(field(c1, 0, 4));
    d1 = apb_divider(field(c2, 4, 3));
    d2 = apb_divider(field(c2, 8, 3));
    p3 = hclk / apb_divider(field(c1, 4, 3));
    p4 = hclk / apb_divider(field(r("SRDCFGR"), 4, 3));
    t.set("hsi", hsi);
    // PLL2 and PLL3 (kernel clocks of the UARTs, SPIs, ...): the same source as PLL1 (PLLSRC),
    // 8.7.11 DIVM2[17:12], DIVM3[25:20]; 8.7.15/8.7.17 PLLxDIVR: DIVNx[8:0] (xN+1),
    // DIVPx[15:9], DIVQx[22:16], DIVRx[30:24] (/value+1); 8.7.12 PLLCFGR: DIVP2EN 19, DIVQ2EN 20,
    // DIVR2EN 21, DIVP3EN 22, DIVQ3EN 23, DIVR3EN 24. An output runs when its PLL is locked
    // (CR.PLL2RDY 27, PLL3RDY 29) and its divider is enabled; PLLxFRACR is not modelled.
    const std::uint32_t cr = r("CR"), pcfg = r("PLLCFGR");
    for (unsigned n = 2; n <= 3; ++n) {
      const unsigned mx = field(sel, n == 2 ? 12 : 20, 6);
      const std::uint32_t dv = r(n == 2 ? "PLL2DIVR" : "PLL3DIVR");
      const bool locked = (cr >> (n == 2 ? 27 : 29)) & 1;
      const Hertz v = locked && mx ? src[field(sel, 0, 2)] / mx * (field(dv, 0, 9) + 1) : 0;
      const unsigned en = n == 2 ? 19 : 22;
      const std::string pll = "pll" + std::to_string(n);
      t.set(pll + "p", (pcfg >> en) & 1 ? v / (field(dv, 9, 7) + 1) : 0);
      t.set(pll + "q", (pcfg >> (en + 1)) & 1 ? v / (field(dv, 16, 7) + 1) : 0);
      t.set(pll + "r", (pcfg >> (en + 2)) & 1 ? v / (field(dv, 24, 7) + 1) : 0);
    }
  } else if (fam == "stm32u5") {
    // RM0456 11.8.2 ICSCR1: MSISRANGE[31:28] when MSIRGSEL (bit 23), else 4 MHz (the reset range).
    static constexpr Hertz kMsis[16] = {48'000'000, 24'000'000, 16'000'000, 12'000'000,
                                        4'000'000,  2'000'000,  1'330'000,  1'000'000,
                                        3'072'000,  1'536'000,  1'024'000,  768'000,
                                        400'000,    200'000,    133'000,    100'000};
    const std::uint32_t icscr1 = r("ICSCR1");
    const Hertz msis = (icscr1 & (1u << 23)) ? kMsis[field(icscr1, 28, 4)] : 4'000'000;
    // MSIK, the kernel-clock MSI (LPUART1, ADC, ...): ICSCR1.MSIKRANGE[27:24] when MSIRGSEL, with
    // the same range table as MSIS (RM0456 11.8.2), else 4 MHz (range 4, the reset value); it
    // runs while CR.MSIKRDY (bit 5) is set (11.8.1).
    const Hertz msik = !(r("CR") & (1u << 5))   ? 0
                       : (icscr1 & (1u << 23)) ? kMsis[field(icscr1, 24, 4)]
                                               : 4'000'000;
    t.set("msik", msik);
    const Hertz hsi = osc.get("hsi16");
    // 11.8.9 PLL1CFGR: PLL1SRC[1:0] (none, MSIS, HSI16, HSE), PLL1M[11:8] (/M+1);
    // 11.8.12 PLL1DIVR: PLL1N[8:0] (xN+1), PLL1R[30:24] (/R+1).
    const std::uint32_t cfg = r("PLL1CFGR"), div = r("PLL1DIVR");
    const Hertz src[4] = {0, msis, hsi, hse};
    const Hertz vco = src[field(cfg, 0, 2)] / (field(cfg, 8, 4) + 1) * (field(div, 0, 9) + 1);
    const Hertz pllr = vco / (field(div, 24, 7) + 1);
    // 11.8.6 CFGR1.SW[1:0] (MSIS, HSI16, HSE, PLL1R); 11.8.7 CFGR2: HPRE[3:0], PPRE1[6:4],
    // PPRE2[10:8]; 11.8.8 CFGR3: PPRE3[6:4].
    const Hertz sw[4] = {msis, hsi, hse, pllr};
    sys = sw[field(r("CFGR1"), 0, 2)];
    const std::uint32_t c2 = r("CFGR2");
    hclk = core = sys / ahb_divider(field(c2, 0, 4));
    d1 = apb_divider(field(c2, 4, 3));
    d2 = apb_divider(field(c2, 8, 3));
    p3 = hclk / apb_divider(field(r("CFGR3"), 4, 3));
    t.set("msis", msis);
  }
  p1 = hclk / d1;
  p2 = hclk / d2;
  t.set("sysclk", sys);
  t.set("core", core);
  t.set("hclk", hclk);
  t.set("pclk1", p1);
  t.set("pclk2", p2);
  if (p3) t.set("pclk3", p3);
  if (p4) t.set("pclk4", p4);
  // Timer clocks: x1 when the APB prescaler is 1, else x2 (RM0432 6.2 "Timer clock",
  // RM0390 6.2, RM0444 5.2, RM0455 8.5.6 with TIMPRE = 0, RM0456 11.4.17).
  t.set("timpclk1", d1 == 1 ? p1 : 2 * p1);
  t.set("timpclk2", d2 == 1 ? p2 : 2 * p2);
  return t;
}

void Rcc::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  Peripheral::on_write(idx, value, size, now);
  ClockTree t = compute();
  // Keep the fixed oscillators in the Soc's tree.
  soc_.clocks_changed(t, now);
}

void Rcc::on_ready(Cycles now) { soc_.clocks_changed(compute(), now); }

// ---------------------------------------------------------------------------------------------

namespace {
struct AcrBits {
  unsigned latency_width;
  int prften, icen, dcen, icrst, dcrst;  // -1: not on this family
};
AcrBits acr_bits(const std::string& fam) {
  // RM0432 3.7.1 FLASH_ACR (L4+): LATENCY[3:0], PRFTEN 8, ICEN 9, DCEN 10, ICRST 11, DCRST 12.
  if (fam == "stm32l4") return {4, 8, 9, 10, 11, 12};
  // RM0390 3.8.1 (F446): LATENCY[3:0], PRFTEN 8, ICEN 9, DCEN 10, ICRST 11, DCRST 12.
  if (fam == "stm32f4") return {4, 8, 9, 10, 11, 12};
  // RM0444 3.7.1 (G0): LATENCY[2:0], PRFTEN 8, ICEN 9, ICRST 11 (no data cache).
  if (fam == "stm32g0") return {3, 8, 9, -1, 11, -1};
  // RM0385 3.7.1 (F7): LATENCY[3:0], PRFTEN 8, ARTEN 9 (ART cache), ARTRST 11.
  if (fam == "stm32f7") return {4, 8, 9, -1, 11, -1};
  // RM0456 7.9.1 (U5): LATENCY[3:0], PRFTEN 8 (the instruction cache is the ICACHE block).
  if (fam == "stm32u5") return {4, 8, -1, -1, -1, -1};
  // RM0455 4.9.1 (H7A3): LATENCY[3:0], WRHIGHFREQ[5:4]; no prefetch or caches in the interface.
  return {4, -1, -1, -1, -1, -1};
}
bool bit(std::uint32_t v, int b) { return b >= 0 && ((v >> b) & 1); }
}  // namespace

FlashInterface::FlashInterface(const PeripheralDef& def, Soc& soc)
    : Peripheral(def, soc), acr_(need("ACR")) {}

std::uint32_t FlashInterface::latency() const {
  const auto b = acr_bits(soc_.description().family);
  return regs_[acr_] & ((1u << b.latency_width) - 1);
}

void FlashInterface::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  const std::uint32_t old = regs_[acr_];
  Peripheral::on_write(idx, value, size, now);
  if (idx != acr_) return;
  apply_acr(regs_[acr_], old);
  check_latency(soc_.clocks().get("hclk"));
}

void FlashInterface::apply_acr(std::uint32_t acr, std::uint32_t old) {
  mem::Flash* f = soc_.options().flash;
  if (!f) return;
  const auto b = acr_bits(soc_.description().family);
  f->set_wait_states(acr & ((1u << b.latency_width) - 1));
  if (b.prften >= 0) f->set_prefetch(bit(acr, b.prften));
  if (b.icen >= 0) f->set_icache_enabled(bit(acr, b.icen));
  if (b.dcen >= 0) f->set_dcache_enabled(bit(acr, b.dcen));
  if (bit(acr, b.icrst) && !bit(old, b.icrst)) f->reset_icache();
  if (bit(acr, b.dcrst) && !bit(old, b.dcrst)) f->reset_dcache();
}

void FlashInterface::check_latency(Hertz hclk) {
  const auto& table = soc_.options().wait_state_table_hz;
  if (table.empty() || hclk == 0) return;
  std::uint32_t need_ws = std::uint32_t(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    if (hclk <= table[i]) {
      need_ws = std::uint32_t(i);
      break;
    }
  if (latency() < need_ws)
    soc_.warn(fmt::format("{}: FLASH_ACR.LATENCY = {} wait states at HCLK {} Hz; the board's "
                          "wait-state table requires at least {} (on silicon flash reads would "
                          "return wrong data)",
                          def_.name, latency(), hclk, need_ws));
}

}  // namespace mcusim::dev
