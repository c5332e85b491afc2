// The peripheral models behind a Soc (docs/peripherals.md). Each is a register block from the SoC
// data file (storage with reset values, read-only bits, follow/mirror rules) plus the behaviour of
// its model. Exposed for the unit tests; the engine only needs soc.h.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/devices/soc.h"

namespace mcusim::dev {

/// A register block on the device bus. Reads and writes of 1, 2 or 4 bytes are merged into the
/// 32-bit register that holds them. An offset that is not a listed register reads 0, ignores
/// writes and is reported once through Soc::warn.
class Peripheral : public mem::Device {
 public:
  /// Throws InputError when a register the model needs is missing from the data file.
  Peripheral(const PeripheralDef& def, Soc& soc);
  std::string_view name() const override { return def_.name; }
  std::uint32_t read(Addr offset, unsigned size, Cycles now) override;
  void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) override;
  /// Core wait cycles of one access to this block: for a block on an APB bus (`bus_clock`
  /// pclk1..pclk4, or without `bus_clock` a `clock` of pclkN or timpclkN: bus pclkN) at bus
  /// clock f_bus, ceil(apb_transfer_cycles x f_core / f_bus) - 1 at the
  /// clocks the firmware has programmed now: the APB transfer's two PCLK cycles (AMBA APB, ARM
  /// IHI 0024) in core cycles, less the one core cycle the load or store already takes. E.g. 31
  /// at f_core = 120 MHz, f_bus = 7.5 MHz; 1 when the APB runs at the core clock. 0 for AHB
  /// blocks (`hclk`), blocks without `bus_clock`, and a stopped bus clock. Not modelled: the
  /// bridge's wait for the next PCLK edge (0 to f_core / f_bus - 1 more), PREADY wait states of
  /// the peripheral, and the core's write buffer hiding a store's bus time (a store pays as a
  /// load). Kept up to date by update_bus_wait(), not computed per access.
  Cycles access_wait_states() const override { return bus_wait_; }
  /// Recomputes access_wait_states() from the clock tree; Soc calls it whenever the tree changes.
  void update_bus_wait();
  const PeripheralDef& def() const { return def_; }
  /// The current value of register `reg` (by name) without side effects; throws InputError when
  /// the block has no such register.
  std::uint32_t peek(std::string_view reg) const;
  /// The earliest cycle a ready flag with a start-up time rises (mem::kNoEvent when none is pending).
  Cycles next_event() const override { return follow_due_; }
  /// Raises the ready flags whose start-up time has elapsed by cycle `now`.
  void advance(Cycles now) override;
  /// The core clock changed from `old_hz` to `new_hz` at cycle `now`: what remains of each
  /// pending start-up time is rescaled to the new clock (the time in µs is what is fixed).
  void rescale_pending(Cycles now, Hertz old_hz, Hertz new_hz);

 protected:
  /// Register index of `name`; throws InputError naming the SoC file and block when absent.
  int need(std::string_view name) const;
  /// Register index of `name` or -1.
  int find(std::string_view name) const;
  /// Behaviour hooks. `idx` is the register index, `value` the full 32-bit value after merging a
  /// narrow write, `size` the access width (for data registers where it matters).
  virtual std::uint32_t on_read(int idx, Cycles now) { (void)now; return regs_[idx]; }
  virtual void on_write(int idx, std::uint32_t value, unsigned size, Cycles now);
  /// Stores `value` into register `idx`, keeping its read-only bits.
  void store(int idx, std::uint32_t value);
  /// Applies the block's follow and mirror rules from the data file after a write at cycle
  /// `now` (a flag with a start-up time is scheduled, not set).
  void apply_rules(Cycles now = 0);
  /// Called after advance() raised a delayed ready flag at cycle `now` (the RCC recomputes the
  /// clock tree: an output gated by its ready flag starts).
  virtual void on_ready(Cycles now) { (void)now; }
  /// Drives this block's first IRQ line to `level` (only on change).
  void drive_irq(bool level, Cycles now);
  Hertz clock_hz() const { return soc_.clocks().get(def_.clock); }

  PeripheralDef def_;
  Soc& soc_;
  std::vector<std::uint32_t> regs_;

 private:
  struct ResolvedFollow {
    int en, rdy;
    unsigned en_bit, rdy_bit;
    double startup_us;
    Cycles due = mem::kNoEvent;  // the cycle the flag rises (pending start-up), else kNoEvent
  };
  Cycles follow_due_ = mem::kNoEvent;  // min over follow_[].due
  struct ResolvedMirror { int from, to; unsigned from_shift, to_shift, width; };
  std::vector<ResolvedFollow> follow_;
  std::vector<ResolvedMirror> mirror_;
  std::set<Addr> reported_;
  bool irq_level_ = false;
  std::string apb_bus_;  // clock-tree node of the APB bus accesses cross ("pclk1"), or empty
  Cycles bus_wait_ = 0;  // access_wait_states() at the current clock tree
  int index_of(Addr word_offset) const;
};

/// RCC: ready flags follow enables, after the datasheet start-up or lock time where the data file
/// gives one, and SWS follows SW (data rules); after every write, and when a delayed ready flag
/// rises, the clock
/// tree is recomputed from the firmware's oscillator, PLL and prescaler settings for the SoC's
/// family (RM0432 6.2, RM0444 5.2, RM0390 6.2, RM0385 5.2, RM0455 8.5, RM0456 11.4) and handed
/// to the Soc. Fractional PLL modes and spread spectrum are not modelled.
class Rcc : public Peripheral {
 public:
  Rcc(const PeripheralDef& def, Soc& soc);
  /// The tree the current register values give (also used at reset).
  ClockTree compute() const;

 protected:
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;
  void on_ready(Cycles now) override;
};

/// FLASH interface: the access-control register (FLASH_ACR) drives the flash model's wait states,
/// prefetch and accelerator caches as the firmware programs them (bits per family: RM0432 3.7.1,
/// RM0444 3.7.1, RM0390 3.8.1, RM0385 3.7.1, RM0455 4.9.1, RM0456 7.9.1); a LATENCY below what
/// the board's wait-state table requires for the programmed HCLK is reported.
class FlashInterface : public Peripheral {
 public:
  FlashInterface(const PeripheralDef& def, Soc& soc);
  /// Checks LATENCY against HCLK `hclk_hz` and reports when too low (the Soc calls it on every
  /// clock change too).
  void check_latency(Hertz hclk_hz);
  /// Wait states FLASH_ACR.LATENCY holds now.
  std::uint32_t latency() const;

 protected:
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;

 private:
  int acr_;
  void apply_acr(std::uint32_t acr, std::uint32_t old);
};

/// USART / LPUART, STM32 "v2" IP (ISR/ICR/RDR/TDR; FIFO variant of G0, H7, U5) and the F4 "v1"
/// IP (SR/DR). TX: a byte written to TDR moves to the shift register when it is free and leaves
/// one frame time later (start + data + parity + stop bits at the programmed baud rate and
/// kernel clock, in core cycles at the programmed core clock); TXE and TC follow, and the byte is
/// sent to the host's stream of this UART's name at the cycle its stop bit ends. RX: host bytes
/// are presented one per frame time, the next one a frame after the firmware read the previous
/// one (no overrun); RXNE and its interrupt follow.
class Usart : public Peripheral {
 public:
  Usart(const PeripheralDef& def, Soc& soc);
  std::uint32_t read(Addr offset, unsigned size, Cycles now) override;
  void write(Addr offset, unsigned size, std::uint32_t value, Cycles now) override;
  Cycles next_event() const override;
  void advance(Cycles now) override;
  /// Adds host bytes to the held host input, in chunks that end after '%' or a newline (one
  /// runner command or one line each).
  void feed(std::string_view bytes);
  /// Releases the next held chunk when nothing is being received; returns true if it did. With a
  /// reader set and nothing held, first asks the reader for the next chunk (it may block).
  bool release(Cycles now);
  /// An interactive host (mcusim serve on a pseudo-terminal): called for the next chunk of host
  /// input when the held input is used up and the firmware waits; it may block (simulated time
  /// does not advance meanwhile) and returns "" when the host has hung up (then no more input).
  void set_reader(std::function<std::string()> reader) { reader_ = std::move(reader); }
  /// Nothing being received or sent (held chunks may remain).
  bool idle() const { return rx_queue_.empty() && !rxne_ && !tx_busy(); }
  bool holding() const { return !held_.empty(); }
  /// Core cycles of one frame at the current settings (0 when the baud rate is not set).
  Cycles frame_cycles() const;
  /// Kernel clock in Hz (after the kernel-clock selection; before PRESC).
  Hertz kernel_hz() const;
  /// Everything transmitted so far.
  const std::string& transmitted() const { return tx_log_; }
  bool had_input() const { return had_input_; }
  bool input_pending() const { return !rx_queue_.empty() || rxne_ || !held_.empty() || reader_; }
  bool tx_busy() const { return !tx_fifo_.empty() || shift_busy_; }
  std::uint64_t empty_polls() const { return empty_polls_; }

 protected:
  std::uint32_t on_read(int idx, Cycles now) override;
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;

 private:
  bool v1_, lpuart_;
  int cr1_, cr2_, brr_, isr_, icr_ = -1, rdr_, tdr_, presc_ = -1, rqr_ = -1;
  // Bit positions (v1 and v2 differ in CR1).
  std::uint32_t ue_, te_, re_;
  std::deque<std::uint8_t> tx_fifo_;  // written, not yet in the shift register
  bool shift_busy_ = false;
  Cycles shift_done_ = 0;
  std::uint8_t shift_byte_ = 0;
  std::deque<std::uint8_t> rx_queue_;  // released host bytes not yet presented
  std::deque<std::string> held_;       // host chunks not yet released
  std::function<std::string()> reader_;  // interactive host (set_reader); empty: none
  bool rxne_ = false;
  std::uint8_t rdr_byte_ = 0;
  Cycles rx_ready_at_ = 0;  // the next host byte can be presented from this cycle
  bool tc_ = true;
  bool had_input_ = false;
  std::string tx_log_;
  std::uint64_t empty_polls_ = 0;
  Cycles last_ = 0;
  bool enabled(std::uint32_t bit) const;
  unsigned tx_depth() const;
  void start_shift(Cycles at);
  void update_flags(Cycles now);
};

/// General-purpose and basic timers (TIMx): up-counting counter with prescaler and auto-reload
/// (ARPE preload), update event (overflow or EGR.UG) setting SR.UIF and, with DIER.UIE, the IRQ;
/// one-pulse mode stops the counter at the update. Counts the timer kernel clock derived from
/// modelled core cycles (the APB timer clock: x1 when the APB prescaler is 1, x2 otherwise).
/// Capture/compare channels, down/centre-aligned counting, slave modes and DMA are storage only.
class Timer : public Peripheral {
 public:
  Timer(const PeripheralDef& def, Soc& soc);
  Cycles next_event() const override;
  void advance(Cycles now) override;

 protected:
  std::uint32_t on_read(int idx, Cycles now) override;
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;

 private:
  int cr1_, dier_, sr_, egr_, cnt_, psc_, arr_;
  std::uint64_t cnt_val_ = 0, pc_ = 0;  // counter and prescaler counter
  std::uint64_t psc_s_ = 0, arr_s_ = 0; // shadow (active) prescaler and auto-reload
  std::uint64_t frac_ = 0;              // leftover of elapsed*tim_hz not yet a whole tick
  Cycles last_ = 0;
  std::uint64_t mask() const;
  void update_event(bool set_flag);
  void sync_irq(Cycles now);
};

/// GPIO port: MODER/ODR/BSRR/BRR stored with their semantics; every change of a pin's driven
/// output level (pin in output mode) is recorded with its cycle (Soc::gpio_edges). IDR reads the
/// driven level of output pins and the reset value elsewhere.
class Gpio : public Peripheral {
 public:
  Gpio(const PeripheralDef& def, Soc& soc);

 protected:
  std::uint32_t on_read(int idx, Cycles now) override;
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;

 private:
  int moder_, idr_, odr_, bsrr_, brr_;
  std::uint32_t idr_reset_;
  std::uint32_t out_mask() const;
  void track(std::uint32_t old_mask, std::uint32_t old_odr, Cycles now);
  char port_;
};

/// CRC calculation unit: DR accumulates 8/16/32-bit writes MSB first with the programmed
/// polynomial (POL, POLYSIZE; default CRC-32/MPEG-2 0x04C11DB7, init INIT = 0xFFFFFFFF), input
/// reversal REV_IN and output reversal REV_OUT; CR.RESET loads INIT (RM0432 14, RM0390 8: the F4
/// unit has the fixed polynomial and only RESET).
class Crc : public Peripheral {
 public:
  Crc(const PeripheralDef& def, Soc& soc);

 protected:
  std::uint32_t on_read(int idx, Cycles now) override;
  void on_write(int idx, std::uint32_t value, unsigned size, Cycles now) override;

 private:
  int dr_, cr_, init_ = -1, pol_ = -1;
  std::uint32_t crc_ = 0xFFFFFFFFu;
  unsigned poly_bits() const;
};

/// Decodes an AHB prescaler field (HPRE: 0xxx = 1, 1000 = 2, ... 1111 = 512).
unsigned ahb_divider(std::uint32_t hpre);
/// Decodes an APB prescaler field (PPRE: 0xx = 1, 100 = 2, 101 = 4, 110 = 8, 111 = 16).
unsigned apb_divider(std::uint32_t ppre);

}  // namespace mcusim::dev
