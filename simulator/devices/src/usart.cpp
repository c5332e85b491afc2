// USART / LPUART model (STM32 v2 IP with FIFO variant, and the F4 v1 IP).
#include <fmt/format.h>

#include <algorithm>

#include "mcusim/base/errors.h"
#include "mcusim/devices/peripherals.h"

namespace mcusim::dev {

namespace {
// v2 ISR bits (RM0432 50.8.8 / 51.7.8): RXNE(RXFNE) 5, TC 6, TXE(TXFNF) 7, TEACK 21, REACK 22,
// TXFE 23 (FIFO variants, RM0444 33.8.10). v1 SR (RM0390 25.6.1): RXNE 5, TC 6, TXE 7.
constexpr std::uint32_t kRxne = 1u << 5, kTc = 1u << 6, kTxe = 1u << 7, kTeack = 1u << 21,
                        kReack = 1u << 22, kTxfe = 1u << 23;
// CR1 interrupt enables, same positions in v1 and v2: RXNEIE 5, TCIE 6, TXEIE 7.
constexpr std::uint32_t kRxneie = 1u << 5, kTcie = 1u << 6, kTxeie = 1u << 7;
// LPUART/USART PRESC (RM0444 33.8.12): 0000 /1, /2, /4, /6, /8, /10, /12, /16, /32, /64, /128, /256.
constexpr unsigned kPresc[12] = {1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256};
}  // namespace

Usart::Usart(const PeripheralDef& def, Soc& soc)
    : Peripheral(def, soc), v1_(def.layout == "v1"), lpuart_(def.model == "lpuart") {
  cr1_ = need("CR1");
  cr2_ = need("CR2");
  brr_ = need("BRR");
  if (v1_) {
    isr_ = need("SR");
    rdr_ = tdr_ = need("DR");
    // RM0390 25.6.4 CR1: UE 13, TE 3, RE 2.
    ue_ = 1u << 13;
  } else {
    isr_ = need("ISR");
    icr_ = need("ICR");
    rdr_ = need("RDR");
    tdr_ = need("TDR");
    presc_ = find("PRESC");
    rqr_ = find("RQR");
    // RM0432 50.8.1 CR1: UE 0, TE 3, RE 2.
    ue_ = 1u;
  }
  te_ = 1u << 3;
  re_ = 1u << 2;
  if (def.clock.empty() && def.kernel_reg.empty())
    throw InputError(fmt::format("{}: peripheral '{}': a UART needs 'clock' or 'kernel_clock'",
                                 soc.description().file.string(), def.name));
}

bool Usart::enabled(std::uint32_t bit) const {
  const std::uint32_t cr1 = regs_[cr1_];
  return (cr1 & ue_) && (cr1 & bit);
}

Hertz Usart::kernel_hz() const {
  if (def_.kernel_reg.empty()) return clock_hz();
  const std::uint32_t sel =
      (soc_.peek("rcc", def_.kernel_reg) >> def_.kernel_shift) & ((1u << def_.kernel_width) - 1);
  return soc_.clocks().get(def_.kernel_sources[sel]);
}

unsigned Usart::tx_depth() const {
  // Non-FIFO: TDR holds one byte while the shift register sends another. FIFO mode (CR1.FIFOEN,
  // bit 29): 8 entries (RM0444 33.5.3).
  if (def_.fifo && !v1_ && (regs_[cr1_] & (1u << 29))) return 8;
  return 1;
}

Cycles Usart::frame_cycles() const {
  const std::uint32_t cr1 = regs_[cr1_];
  // Data bits (word length includes parity): v2 M1:M0 (bits 28, 12): 00 = 8, 01 = 9, 10 = 7;
  // v1 M (bit 12): 0 = 8, 1 = 9.
  unsigned data = 8;
  if (cr1 & (1u << 12)) data = 9;
  if (!v1_ && (cr1 & (1u << 28))) data = 7;
  // Stop bits CR2.STOP[13:12]: 00 = 1, 01 = 0.5, 10 = 2, 11 = 1.5. Counted in half bits.
  static constexpr unsigned kStopHalf[4] = {2, 1, 4, 3};
  const unsigned half_bits = 2 * (1 + data) + kStopHalf[(regs_[cr2_] >> 12) & 3];
  Hertz ker = kernel_hz();
  if (presc_ >= 0) ker /= kPresc[std::min<std::uint32_t>(regs_[presc_] & 0xF, 11)];
  const std::uint32_t brr = regs_[brr_];
  const Hertz core = soc_.clocks().core();
  if (ker == 0 || core == 0) return 0;
  // Bit time in kernel clocks: LPUART 256 * ker / BRR baud -> BRR / 256 kernel clocks
  // (RM0432 51.4.7); USART oversampling by 16: BRR kernel clocks; by 8 (CR1.OVER8, bit 15):
  // BRR[15:4] * 8 + BRR[2:0] (RM0432 50.5.7, RM0390 25.4.4).
  std::uint64_t num = 0, den = 2 * ker;  // cycles = half_bits * bit_kernel_clocks * core / (2 ker)
  if (lpuart_) {
    num = std::uint64_t(brr & 0xFFFFF);
    den *= 256;
  } else if (cr1 & (1u << 15)) {
    num = std::uint64_t(((brr >> 4) & 0xFFF) * 8 + (brr & 7));
  } else {
    num = std::uint64_t(brr & 0xFFFF);
  }
  if (num == 0) return 0;
  const unsigned __int128 c = (unsigned __int128)half_bits * num * core;
  return Cycles((c + den - 1) / den);
}

void Usart::feed(std::string_view bytes) {
  std::string chunk;
  for (char c : bytes) {
    chunk.push_back(c);
    if (c == '%' || c == '\n') {
      held_.push_back(std::move(chunk));
      chunk.clear();
    }
  }
  if (!chunk.empty()) held_.push_back(std::move(chunk));
  if (!bytes.empty()) had_input_ = true;
}

bool Usart::release(Cycles now) {
  if (!rx_queue_.empty() || rxne_) return false;
  if (held_.empty() && reader_) {
    const std::string chunk = reader_();
    if (chunk.empty())
      reader_ = nullptr;  // the host hung up
    else
      feed(chunk);
  }
  if (held_.empty()) return false;
  for (char c : held_.front()) rx_queue_.push_back(std::uint8_t(c));
  held_.pop_front();
  rx_ready_at_ = std::max(rx_ready_at_, now);
  empty_polls_ = 0;
  return true;
}

void Usart::start_shift(Cycles at) {
  shift_byte_ = tx_fifo_.front();
  tx_fifo_.pop_front();
  shift_busy_ = true;
  shift_done_ = at + std::max<Cycles>(frame_cycles(), 1);
  tc_ = false;
}

Cycles Usart::next_event() const {
  Cycles n = mem::kNoEvent;
  if (shift_busy_) n = shift_done_;
  if (!rxne_ && !rx_queue_.empty() && enabled(re_)) n = std::min(n, std::max(rx_ready_at_, last_));
  return n;
}

void Usart::advance(Cycles now) {
  if (now < last_) now = last_;
  // Transmitter: finish frames up to `now`, each next byte starting when the previous ends.
  while (shift_busy_ && shift_done_ <= now) {
    const Cycles done = shift_done_;
    tx_log_.push_back(char(shift_byte_));
    soc_.host().output(def_.name, std::string_view(reinterpret_cast<const char*>(&shift_byte_), 1),
                       done);
    shift_busy_ = false;
    if (!tx_fifo_.empty()) start_shift(done);
    else tc_ = true;
  }
  // Receiver: present the next host byte once the line has delivered it.
  if (!rxne_ && !rx_queue_.empty() && enabled(re_) && rx_ready_at_ <= now) {
    rdr_byte_ = rx_queue_.front();
    rx_queue_.pop_front();
    rxne_ = true;
    empty_polls_ = 0;
  }
  last_ = now;
  update_flags(now);
}

void Usart::update_flags(Cycles now) {
  std::uint32_t isr = regs_[isr_];
  isr &= ~(kRxne | kTc | kTxe | (v1_ ? 0 : (kTeack | kReack | kTxfe)));
  if (rxne_) isr |= kRxne;
  if (tc_) isr |= kTc;
  if (tx_fifo_.size() < tx_depth()) isr |= kTxe;
  if (!v1_) {
    if (enabled(te_)) isr |= kTeack;
    if (enabled(re_)) isr |= kReack;
    if (tx_fifo_.empty()) isr |= kTxfe;
  }
  regs_[isr_] = isr;
  const std::uint32_t cr1 = regs_[cr1_];
  const bool irq = ((cr1 & kRxneie) && (isr & kRxne)) || ((cr1 & kTcie) && (isr & kTc)) ||
                   ((cr1 & kTxeie) && (isr & kTxe));
  drive_irq(irq, now);
}

std::uint32_t Usart::read(Addr offset, unsigned size, Cycles now) {
  advance(now);
  return Peripheral::read(offset, size, now);
}

void Usart::write(Addr offset, unsigned size, std::uint32_t value, Cycles now) {
  advance(now);
  Peripheral::write(offset, size, value, now);
  update_flags(now);
}

std::uint32_t Usart::on_read(int idx, Cycles now) {
  if (idx == rdr_) {
    if (!rxne_) return regs_[rdr_];
    rxne_ = false;
    regs_[rdr_] = rdr_byte_;
    // The host sends the next byte at the line rate after this one was taken.
    rx_ready_at_ = now + frame_cycles();
    update_flags(now);
    return rdr_byte_;
  }
  if (idx == isr_ && !rxne_ && !tx_busy()) ++empty_polls_;  // waiting to receive, not to send
  return regs_[idx];
}

void Usart::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  if (idx == tdr_) {
    regs_[tdr_] = value & 0x1FF;
    if (!enabled(te_)) return;  // transmitter disabled: the write is lost
    if (tx_fifo_.size() >= tx_depth()) return;  // written while TXE = 0: lost, as on silicon
    tx_fifo_.push_back(std::uint8_t(value));
    if (!shift_busy_) start_shift(now);
    empty_polls_ = 0;
    return;
  }
  if (idx == icr_) {
    // ICR (RM0432 50.8.9): TCCF bit 6 clears TC; the other flags (errors, IDLE) are not modelled.
    if (value & kTc) tc_ = false;
    return;
  }
  if (v1_ && idx == isr_) {
    // SR (RM0390 25.6.1): TC and RXNE are rc_w0.
    if (!(value & kTc)) tc_ = false;
    if (!(value & kRxne)) rxne_ = false;
    return;
  }
  if (idx == rqr_) {
    if (value & (1u << 3)) rxne_ = false;  // RXFRQ: flush the received byte
    return;
  }
  const bool was_rx = enabled(re_);
  Peripheral::on_write(idx, value, size, now);
  if (idx == cr1_ && !was_rx && enabled(re_) && rx_ready_at_ < now) rx_ready_at_ = now;
  (void)size;
}

}  // namespace mcusim::dev
