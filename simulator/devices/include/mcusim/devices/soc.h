// SoC peripherals as data plus named behaviours (docs/peripherals.md). A SoC data file
// (boards/socs/<soc>.toml) lists the peripheral instances of one part: name, model, base, size,
// IRQ lines, the clock that drives it, and each register with its offset, reset value and the
// reference-manual section it comes from. Registers without behaviour are storage with their reset
// value; the models below (RCC, FLASH interface, PWR, USART/LPUART, timers, GPIO, CRC) add the
// behaviour the firmware depends on. Everything is driven by simulated core cycles: devices never
// read host time. Devices sit on the engine's device bus as mem::Device and raise interrupts and
// console output through mem::DeviceHost.
#pragma once
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcusim/base/units.h"
#include "mcusim/mem/device.h"

namespace mcusim::mem {
class Flash;
}

namespace mcusim::dev {

/// One register of a peripheral block, as the SoC data file gives it.
struct RegisterDef {
  std::string name;          ///< as in the reference manual ("CR", "CFGR", "ISR")
  Addr offset = 0;           ///< byte offset from the block base (multiple of 4)
  std::uint32_t reset = 0;   ///< reset value
  std::uint32_t ro_mask = 0; ///< bits software cannot write (flags driven by the model or fixed)
  std::string section;       ///< reference-manual section of the register description
};

/// "Ready flag follows its enable": after every write to the block, bit `ready` of register
/// `ready_reg` follows bit `enable` of register `enable_reg` (RCC HSIRDY <- HSION, PLLRDY <-
/// PLLON, PWR VOSRDY, ...). With `startup_us` = 0 the flag follows at once; otherwise it rises
/// `startup_us` microseconds (the datasheet's oscillator start-up or PLL lock time, cited in the
/// data file) after the enable bit was set, counted in core cycles at the programmed core clock
/// (rescaled when that clock changes while waiting). Clearing the enable clears the flag at once.
struct FollowRule {
  std::string enable_reg;
  unsigned enable_bit = 0;
  std::string ready_reg;
  unsigned ready_bit = 0;
  double startup_us = 0;  ///< microseconds from enable to ready (0: at once)
};

/// A field copied to another after every write (RCC SWS <- SW): `width` bits at `from_shift` of
/// `from_reg` go to `to_shift` of `to_reg`.
struct MirrorRule {
  std::string from_reg;
  unsigned from_shift = 0;
  std::string to_reg;
  unsigned to_shift = 0;
  unsigned width = 0;
};

/// One peripheral instance of a SoC.
struct PeripheralDef {
  std::string name;     ///< instance name, lower case ("rcc", "lpuart1", "tim5", "gpiof")
  std::string model;    ///< "registers", "rcc", "flash", "pwr", "usart", "lpuart", "timer", "gpio", "crc"
  Addr base = 0;        ///< first address of the block
  std::uint32_t size = 0x400;  ///< bytes
  std::vector<int> irqs;       ///< NVIC lines (vector table position - 16); first = global IRQ
  std::string clock;    ///< clock-tree node that drives the block ("pclk1", "timpclk1", ...)
  /// Kernel clock selection (USART/LPUART): `kernel_sources[field value]` of the RCC register
  /// `kernel_reg` bits [kernel_shift, kernel_shift + kernel_width); empty = `clock` is the kernel.
  std::string kernel_reg;
  unsigned kernel_shift = 0;
  unsigned kernel_width = 0;
  std::vector<std::string> kernel_sources;
  bool fifo = false;          ///< USART: FIFO variant (FIFOEN in CR1, 8-deep TX/RX FIFOs)
  std::string layout = "v2";  ///< USART register layout: "v2" (ISR/ICR/RDR/TDR) or "v1" (F4 SR/DR)
  unsigned counter_bits = 16; ///< timers: 16 or 32
  /// RCC clock-enable bit of the block (`rcc_enable = "APB1ENR1.3"`): the RCC register and bit
  /// that gate its bus clock; empty = not tracked. Not inherited through `like`.
  std::string rcc_enable_reg;
  unsigned rcc_enable_bit = 0;
  /// Clock-tree node of the bus the block sits on ("hclk", "pclk1", "pclk2", ...): the clock its
  /// datasheet current per MHz is given for (`bus_clock`, required with `rcc_enable`).
  std::string bus_clock;
  std::string section;        ///< reference-manual chapter of the block
  std::vector<RegisterDef> registers;
  std::vector<FollowRule> follow;
  std::vector<MirrorRule> mirror;
};

/// A SoC data file, parsed.
struct SocDescription {
  std::filesystem::path file;
  std::string name;       ///< "stm32l4r5"
  std::string family;     ///< clock-tree rules of the RCC model: stm32l4, stm32g0, stm32f4, stm32f7, stm32h7, stm32u5
  std::string reference;  ///< reference manual ("RM0432 Rev 9")
  /// Fixed oscillators in Hz by clock-tree name ("hsi16", "msi", "lsi", "lse", "hse", "hsi48", "csi").
  std::map<std::string, Hertz> oscillators;
  std::vector<PeripheralDef> peripherals;
  /// PCLK cycles of one transfer across an AHB-to-APB bridge (top-level key
  /// `apb_transfer_cycles`, default 2: the AMBA APB protocol's SETUP and ACCESS phases, "every
  /// transfer takes at least two cycles", ARM IHI 0024). An access to a block whose `bus_clock`
  /// is an APB clock costs the core ceil(this x core clock / bus clock) - 1 wait cycles
  /// (Peripheral::access_wait_states); 0 = APB accesses cost no extra cycles.
  unsigned apb_transfer_cycles = 2;
  /// The core clock at reset (HCLK from the reset clock source), Hz.
  Hertz reset_core_hz() const;
  const PeripheralDef* find(std::string_view name) const;
};

/// Parses boards/socs/<name>.toml (or a path). Throws InputError naming the file, the peripheral
/// and key for anything missing, unknown or out of range (overlapping blocks, a register offset
/// outside its block, an unknown model or family).
SocDescription load_soc(const std::filesystem::path& file);

/// The clocks the RCC model computes from the firmware's settings, by clock-tree name, in Hz:
/// "sysclk", "hclk", "core" (the CPU clock; = hclk except on the H7, where the core runs at
/// sys_ck / CDCPRE), "pclk1", "pclk2", "pclk3", "timpclk1", "timpclk2" (timer clocks: x1 when
/// the APB prescaler is 1, else x2: RM0432 6.2 "Timer clock"), and the oscillators.
class ClockTree {
 public:
  Hertz get(std::string_view node) const;  ///< 0 when the node is unknown or stopped
  void set(const std::string& node, Hertz hz) { hz_[node] = hz; }
  Hertz core() const { return get("core"); }
  const std::map<std::string, Hertz, std::less<>>& all() const { return hz_; }

 private:
  std::map<std::string, Hertz, std::less<>> hz_;
};

/// A GPIO output edge: `pin` ("PF13"), the new `level` (0/1) and the core `cycle` of the write.
struct GpioEdge {
  std::string pin;
  int level = 0;
  Cycles cycle = 0;
};

/// Bus-clock cycles of one peripheral while its RCC enable bit was set (Soc::peripheral_clocks):
/// the integral over simulated time of its bus clock (Hz, as the RCC prescalers program it) while
/// enabled. A datasheet current in uA/MHz x VDD (V) is the energy in pJ per such cycle.
struct PeripheralClock {
  std::string name;       ///< instance name ("tim5")
  double bus_cycles = 0;  ///< bus-clock cycles while enabled
};

/// Host input of one UART: bytes the firmware will receive, in order. The first byte is
/// delivered when the receiver is enabled; each next one a frame time after the previous one was
/// read (the host paces at the line rate and never overruns the firmware).
struct UartInput {
  std::string bytes;
};

/// What a Soc needs from the board and the engine.
struct SocOptions {
  mem::Flash* flash = nullptr;            ///< the flash model FLASH_ACR drives (may be null)
  std::vector<Hertz> wait_state_table_hz; ///< max HCLK for 0, 1, 2.. WS (legality of LATENCY)
  std::optional<Hertz> hse_hz;            ///< the board's HSE (crystal or ST-LINK MCO), overrides the SoC's
  std::map<std::string, UartInput, std::less<>> uart_input;  ///< by UART instance name
};

class Peripheral;
class Usart;

/// The SoC's peripherals, built from a description. Owns the devices and the clock tree.
/// Devices report accesses to unlisted offsets once each through warnings().
class Soc {
 public:
  /// Builds every peripheral of `desc`. `host` receives IRQ changes and UART output.
  /// Throws InputError when an option names a UART the SoC does not have.
  Soc(const SocDescription& desc, mem::DeviceHost& host, SocOptions options);
  ~Soc();
  Soc(const Soc&) = delete;
  Soc& operator=(const Soc&) = delete;

  struct Mapping {
    Addr base = 0;
    std::uint32_t size = 0;
    mem::Device* device = nullptr;
  };
  /// Every block with its address range, sorted by base.
  const std::vector<Mapping>& mappings() const { return map_; }
  /// The device whose block holds `addr`, or nullptr.
  const Mapping* find(Addr addr) const;

  const ClockTree& clocks() const { return clocks_; }
  /// The core clock the firmware programmed (Hz); at reset the SoC's reset clock.
  Hertz core_clock_hz() const { return clocks_.core(); }
  /// Called with (new core clock Hz, cycle) whenever the programmed core clock changes; every
  /// device has been advanced to that cycle under the old clock first.
  void on_core_clock_change(std::function<void(Hertz, Cycles)> f) { clock_cb_ = std::move(f); }

  /// Messages for the run report (unlisted registers, flash latency too low for the clock), in
  /// the order they happened; each distinct message once.
  const std::vector<std::string>& warnings() const { return warnings_; }
  void warn(const std::string& msg);

  /// Adds host bytes to the receive queue of UART `uart` (instance name, lower case). Throws
  /// InputError naming the SoC's UARTs when it has no such UART.
  void feed(std::string_view uart, std::string_view bytes);
  /// Sets the interactive host reader of UART `uart` (Usart::set_reader). Throws InputError
  /// naming the SoC's UARTs when it has no such UART.
  void set_reader(std::string_view uart, std::function<std::string()> reader);
  /// Names of the SoC's UARTs, in data-file order.
  std::vector<std::string> uart_names() const;

  /// Per peripheral with an `rcc_enable` bit (data-file order): its bus-clock cycles while
  /// enabled, from reset up to core cycle `now` (the interval still open is counted up to `now`;
  /// nothing is changed). Integrated from the enable-bit intervals at each RCC write, never per
  /// access (docs/models/energy.md "Peripherals").
  std::vector<PeripheralClock> peripheral_clocks(Cycles now) const;

  /// Every GPIO output edge so far, in cycle order.
  const std::vector<GpioEdge>& gpio_edges() const { return edges_; }
  void record_edge(GpioEdge e) { edges_.push_back(std::move(e)); }

  /// True when every UART's host input has been delivered and read, no UART is transmitting, and
  /// at least one UART had host input or the firmware has polled an empty receiver (the engine's
  /// "waiting for UART input" stop condition, docs/peripherals.md).
  bool input_exhausted(Cycles now) const;
  /// True when no UART is receiving or transmitting (host chunks may still be held back).
  bool uarts_idle() const;
  /// The firmware waits for input: hand each idle UART its next held host chunk (the host
  /// sends the next command once the firmware has answered the previous one). Returns true
  /// when something was released.
  bool release_input(Cycles now);
  /// Number of reads of an empty receiver's status since the last UART activity, summed.
  std::uint64_t idle_rx_polls() const;

  /// Earliest next_event() over all devices.
  Cycles next_event() const;
  /// Advances every device to `now`.
  void advance(Cycles now);

  /// Internal: the RCC recomputed the tree at `now`.
  void clocks_changed(const ClockTree& t, Cycles now);
  mem::DeviceHost& host() { return host_; }
  const SocOptions& options() const { return options_; }
  const SocDescription& description() const { return desc_; }
  /// Register value of another block (kernel clock selection reads RCC registers).
  std::uint32_t peek(std::string_view block, std::string_view reg) const;

 private:
  Usart& uart(std::string_view name);  // throws InputError naming the SoC's UARTs
  SocDescription desc_;
  mem::DeviceHost& host_;
  SocOptions options_;
  ClockTree clocks_;
  std::vector<std::unique_ptr<Peripheral>> owned_;
  std::vector<Usart*> uarts_;
  std::vector<Mapping> map_;
  std::vector<std::string> warnings_;
  std::vector<GpioEdge> edges_;
  std::function<void(Hertz, Cycles)> clock_cb_;
  bool in_clock_change_ = false;
  // Clock gates of the blocks with an rcc_enable bit: open (enabled) since `since` at `ratio` =
  // bus Hz / core Hz of that interval; `cycles` = bus cycles of the closed intervals.
  struct Gate {
    std::string name, reg, bus;
    unsigned bit = 0;
    bool on = false;
    double ratio = 0;
    Cycles since = 0;
    double cycles = 0;
  };
  std::vector<Gate> gates_;
  void close_gates(Cycles now);  // counts every open interval up to `now` at its ratio
  void open_gates(Cycles now);   // re-reads the enable bits and the bus clocks
};

/// Standard reflected/unreflected CRC helper used by the CRC model and its tests: feeds `bits`
/// (8, 16 or 32) of `data`, MSB first, into `crc` with polynomial `poly` of `poly_bits` bits.
std::uint32_t crc_update(std::uint32_t crc, std::uint32_t data, unsigned bits, std::uint32_t poly,
                         unsigned poly_bits);

}  // namespace mcusim::dev
