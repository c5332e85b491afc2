// GPIO port and CRC unit models.
#include <fmt/format.h>

#include "mcusim/devices/peripherals.h"

namespace mcusim::dev {

// GPIO (RM0432 8.5, RM0390 7.4, RM0444 7.4, RM0385 6.4, RM0455 11.4, RM0456 13.4): MODER 2 bits
// per pin (01 = general-purpose output), IDR, ODR, BSRR (set low half, reset high half; set wins),
// BRR (reset, not on F4/F7: optional).
Gpio::Gpio(const PeripheralDef& def, Soc& soc) : Peripheral(def, soc) {
  moder_ = need("MODER");
  idr_ = need("IDR");
  odr_ = need("ODR");
  bsrr_ = need("BSRR");
  brr_ = find("BRR");
  idr_reset_ = regs_[idr_];
  port_ = def.name.size() == 5 && def.name.rfind("gpio", 0) == 0 ? char(def.name[4] - 'a' + 'A') : '?';
}

std::uint32_t Gpio::out_mask() const {
  std::uint32_t m = 0;
  const std::uint32_t moder = regs_[moder_];
  for (unsigned p = 0; p < 16; ++p)
    if (((moder >> (2 * p)) & 3) == 1) m |= 1u << p;
  return m;
}

std::uint32_t Gpio::on_read(int idx, Cycles now) {
  (void)now;
  if (idx == idr_) {
    const std::uint32_t m = out_mask();
    return (idr_reset_ & ~m) | (regs_[odr_] & m);
  }
  return regs_[idx];
}

void Gpio::track(std::uint32_t old_mask, std::uint32_t old_odr, Cycles now) {
  const std::uint32_t m = out_mask(), odr = regs_[odr_];
  for (unsigned p = 0; p < 16; ++p) {
    const std::uint32_t b = 1u << p;
    if (!(m & b)) continue;  // not driven: no edge
    const int level = (odr & b) ? 1 : 0;
    const bool was_driven = old_mask & b;
    const int old_level = (old_odr & b) ? 1 : 0;
    if (!was_driven || old_level != level)
      soc_.record_edge({fmt::format("P{}{}", port_, p), level, now});
  }
}

void Gpio::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  const std::uint32_t old_mask = out_mask(), old_odr = regs_[odr_];
  if (idx == bsrr_) {
    regs_[odr_] = ((regs_[odr_] & ~(value >> 16)) | value) & 0xFFFF;
  } else if (idx == brr_) {
    regs_[odr_] &= ~(value & 0xFFFF);
  } else if (idx == idr_) {
    return;  // read-only
  } else {
    Peripheral::on_write(idx, value, size, now);
  }
  track(old_mask, old_odr, now);
}

// CRC (RM0432 14.4: DR, IDR, CR with RESET 0, POLYSIZE[4:3], REV_IN[6:5], REV_OUT 7; INIT, POL;
// RM0390 8.4: DR, IDR, CR.RESET only, fixed CRC-32 0x04C11DB7 with init 0xFFFFFFFF).
Crc::Crc(const PeripheralDef& def, Soc& soc) : Peripheral(def, soc) {
  dr_ = need("DR");
  cr_ = need("CR");
  init_ = find("INIT");
  pol_ = find("POL");
  crc_ = init_ >= 0 ? regs_[init_] : 0xFFFFFFFFu;
}

unsigned Crc::poly_bits() const {
  static constexpr unsigned k[4] = {32, 16, 8, 7};
  return pol_ >= 0 ? k[(regs_[cr_] >> 3) & 3] : 32;
}

namespace {
std::uint32_t reverse_bits(std::uint32_t v, unsigned n) {
  std::uint32_t r = 0;
  for (unsigned i = 0; i < n; ++i) r |= ((v >> i) & 1) << (n - 1 - i);
  return r;
}
}  // namespace

std::uint32_t Crc::on_read(int idx, Cycles now) {
  (void)now;
  if (idx == dr_) {
    const bool rev_out = regs_[cr_] & 0x80;
    return rev_out ? reverse_bits(crc_, poly_bits()) : crc_;
  }
  return regs_[idx];
}

void Crc::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  if (idx == dr_) {
    const unsigned bits = size * 8;
    // A narrow write was merged into the register image; DR is at offset 0, so the written
    // byte/halfword is the low part of the merged value.
    const std::uint32_t data0 = size >= 4 ? value : value & ((1u << bits) - 1);
    std::uint32_t data = data0;
    const unsigned rev = pol_ >= 0 ? (regs_[cr_] >> 5) & 3 : 0;
    if (rev == 1) {  // bit-reversal by byte
      std::uint32_t r = 0;
      for (unsigned b = 0; b < bits; b += 8) r |= reverse_bits((data >> b) & 0xFF, 8) << b;
      data = r;
    } else if (rev == 2) {  // by half-word
      std::uint32_t r = 0;
      for (unsigned b = 0; b < bits; b += 16)
        r |= reverse_bits((data >> b) & 0xFFFF, std::min(16u, bits)) << b;
      data = r;
    } else if (rev == 3) {  // by word
      data = reverse_bits(data, bits);
    }
    const std::uint32_t poly = pol_ >= 0 ? regs_[pol_] : 0x04C11DB7u;
    crc_ = crc_update(crc_, data, bits, poly, poly_bits());
    return;
  }
  Peripheral::on_write(idx, value, size, now);
  if (idx == cr_ && (regs_[cr_] & 1)) {  // RESET: load INIT; the bit clears itself
    crc_ = init_ >= 0 ? regs_[init_] : 0xFFFFFFFFu;
    regs_[cr_] &= ~1u;
  }
}

}  // namespace mcusim::dev
