// General-purpose / basic timer model (RM0432 39-41, RM0390 17-19, RM0444 22-24, RM0385 23-25,
// RM0455 40-42, RM0456 53-55: the TIMx time base is the same on every family).
#include <algorithm>

#include "mcusim/devices/peripherals.h"

namespace mcusim::dev {

namespace {
// CR1: CEN 0, UDIS 1, URS 2, OPM 3, ARPE 7. DIER: UIE 0. SR: UIF 0 (rc_w0). EGR: UG 0.
constexpr std::uint32_t kCen = 1, kUdis = 2, kUrs = 4, kOpm = 8, kArpe = 0x80;
}  // namespace

Timer::Timer(const PeripheralDef& def, Soc& soc) : Peripheral(def, soc) {
  cr1_ = need("CR1");
  dier_ = need("DIER");
  sr_ = need("SR");
  egr_ = need("EGR");
  cnt_ = need("CNT");
  psc_ = need("PSC");
  arr_ = need("ARR");
  cnt_val_ = regs_[cnt_];
  psc_s_ = regs_[psc_] & 0xFFFF;
  arr_s_ = regs_[arr_] & mask();
}

std::uint64_t Timer::mask() const { return def_.counter_bits == 32 ? 0xFFFFFFFFull : 0xFFFFull; }

void Timer::update_event(bool set_flag) {
  psc_s_ = regs_[psc_] & 0xFFFF;
  arr_s_ = regs_[arr_] & mask();  // ARR preload: the shadow takes ARR at the update event
  if (set_flag) regs_[sr_] |= 1;
}

void Timer::advance(Cycles now) {
  if (now <= last_) return;
  const Cycles elapsed = now - last_;
  last_ = now;
  const bool counting = regs_[cr1_] & kCen;
  const Hertz tim = clock_hz(), core = soc_.clocks().core();
  if (!counting || tim == 0 || core == 0) {
    frac_ = 0;
    return;
  }
  // Timer ticks in `elapsed` core cycles: elapsed * tim / core, the remainder carried.
  const unsigned __int128 num = (unsigned __int128)elapsed * tim + frac_;
  std::uint64_t ticks = std::uint64_t(num / core);
  frac_ = std::uint64_t(num % core);
  const bool arpe = regs_[cr1_] & kArpe;
  if (!arpe) arr_s_ = regs_[arr_] & mask();
  while (ticks > 0) {
    const std::uint64_t div = psc_s_ + 1;
    if (arr_s_ == 0) {  // ARR = 0: the counter is blocked (RM0432 39.4.1)
      pc_ = (pc_ + ticks) % div;
      return;
    }
    // Ticks until the counter passes ARR (the update event).
    const std::uint64_t cnt = std::min(cnt_val_, arr_s_);
    const std::uint64_t to_update = (arr_s_ - cnt) * div + (div - pc_);
    if (ticks < to_update) {
      const std::uint64_t t = pc_ + ticks;
      cnt_val_ = cnt + t / div;
      pc_ = t % div;
      return;
    }
    ticks -= to_update;
    cnt_val_ = 0;
    pc_ = 0;
    if (!(regs_[cr1_] & kUdis)) update_event(true);
    if (regs_[cr1_] & kOpm) {  // one-pulse mode: CEN cleared at the update event
      regs_[cr1_] &= ~kCen;
      break;
    }
    // Whole periods with the (now constant) shadow values.
    const std::uint64_t period = (arr_s_ + 1) * (psc_s_ + 1);
    if (ticks >= period) ticks %= period;
  }
  sync_irq(now);
}

Cycles Timer::next_event() const {
  // Only an enabled update interrupt needs the run loop's attention; flags are brought up to
  // date by advance() before every access.
  if (!(regs_[cr1_] & kCen) || !(regs_[dier_] & 1) || (regs_[sr_] & 1)) return mem::kNoEvent;
  const Hertz tim = clock_hz(), core = soc_.clocks().core();
  if (tim == 0 || core == 0) return mem::kNoEvent;
  const bool arpe = regs_[cr1_] & kArpe;
  const std::uint64_t arr = arpe ? arr_s_ : (regs_[arr_] & mask());
  if (arr == 0) return mem::kNoEvent;
  const std::uint64_t div = psc_s_ + 1;
  const std::uint64_t cnt = std::min(cnt_val_, arr);
  const std::uint64_t ticks = (arr - cnt) * div + (div - pc_);
  // Smallest c with (c * tim + frac) / core >= ticks.
  const unsigned __int128 need = (unsigned __int128)ticks * core;
  const unsigned __int128 have = frac_;
  const unsigned __int128 c = need <= have ? 0 : (need - have + tim - 1) / tim;
  return last_ + Cycles(c);
}

void Timer::sync_irq(Cycles now) { drive_irq((regs_[dier_] & 1) && (regs_[sr_] & 1), now); }

std::uint32_t Timer::on_read(int idx, Cycles now) {
  advance(now);
  if (idx == cnt_) return std::uint32_t(cnt_val_ & mask());
  return regs_[idx];
}

void Timer::on_write(int idx, std::uint32_t value, unsigned size, Cycles now) {
  advance(now);
  if (idx == sr_) {
    regs_[sr_] &= value;  // rc_w0
  } else if (idx == egr_) {
    if (value & 1) {  // UG: re-initialise the counter and load the shadows
      cnt_val_ = 0;
      pc_ = 0;
      update_event(!(regs_[cr1_] & kUrs));
    }
  } else if (idx == cnt_) {
    cnt_val_ = value & mask();
    regs_[cnt_] = value;
  } else {
    Peripheral::on_write(idx, value, size, now);
    if (idx == arr_ && !(regs_[cr1_] & kArpe)) arr_s_ = regs_[arr_] & mask();
  }
  sync_irq(now);
}

}  // namespace mcusim::dev
