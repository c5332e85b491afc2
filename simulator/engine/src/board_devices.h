// The board's console and halt registers (board `console_address`, `halt_address`) as devices on
// the bus: the simplest devices, and the model for new ones (docs/architecture.md "Adding a
// device"). Engine-internal.
#pragma once
#include "mcusim/mem/device.h"

namespace mcusim {

/// A write stores its low byte to the console (stream "console"); reads return 0 ("TX ready").
/// Each access costs `wait_states` core cycles more (board `device_wait_states`).
class ConsoleRegister final : public mem::Device {
 public:
  explicit ConsoleRegister(mem::DeviceHost& host, Cycles wait_states = 0) : host_(host), ws_(wait_states) {}
  std::string_view name() const override { return "console"; }
  Cycles access_wait_states() const override { return ws_; }
  std::uint32_t read(Addr, unsigned, Cycles) override { return 0; }
  void write(Addr offset, unsigned, std::uint32_t value, Cycles now) override {
    if (offset != 0) return;
    const char c = static_cast<char>(value & 0xFF);
    host_.output("console", std::string_view(&c, 1), now);
  }

 private:
  mem::DeviceHost& host_;
  Cycles ws_;
};

/// Any write ends the run with status 0; reads return 0. Each access costs `wait_states` core
/// cycles more (board `device_wait_states`).
class HaltRegister final : public mem::Device {
 public:
  explicit HaltRegister(mem::DeviceHost& host, Cycles wait_states = 0) : host_(host), ws_(wait_states) {}
  std::string_view name() const override { return "halt"; }
  Cycles access_wait_states() const override { return ws_; }
  std::uint32_t read(Addr, unsigned, Cycles) override { return 0; }
  void write(Addr offset, unsigned, std::uint32_t, Cycles) override {
    if (offset == 0) host_.exit(0, "halt register written");
  }

 private:
  mem::DeviceHost& host_;
  Cycles ws_;
};

}  // namespace mcusim
