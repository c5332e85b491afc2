#include "mcusim/mem/device_bus.h"

#include <algorithm>
#include <string>

#include "mcusim/base/errors.h"

namespace mcusim::mem {

namespace {
std::string hex(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x00000000";
  for (int i = 9; i >= 2; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 0xF];
  return s;
}
}  // namespace

void DeviceBus::attach(Addr base, std::uint32_t size, std::unique_ptr<Device> device) {
  if (!device) throw InputError("device bus: no device given for " + hex(base));
  const std::string name(device->name());
  if (size == 0) throw InputError("device bus: device '" + name + "' at " + hex(base) + " has size 0");
  if (std::uint64_t{base} + size > 0x100000000ull)
    throw InputError("device bus: device '" + name + "' at " + hex(base) + " (" + std::to_string(size) +
                     " bytes) runs past the end of the 32-bit address space");
  for (const Mapping& m : map_)
    if (base < m.base + std::uint64_t{m.size} && m.base < base + std::uint64_t{size})
      throw InputError("device bus: device '" + name + "' at " + hex(base) + "-" + hex(base + size - 1ull) +
                       " overlaps device '" + std::string(m.device->name()) + "' at " + hex(m.base) + "-" +
                       hex(m.base + m.size - 1ull));
  Mapping m{base, size, device.get()};
  owned_.push_back(std::move(device));
  map_.insert(std::upper_bound(map_.begin(), map_.end(), m,
                               [](const Mapping& a, const Mapping& b) { return a.base < b.base; }),
              m);
}

const DeviceBus::Mapping* DeviceBus::find(Addr addr) const {
  for (const Mapping& m : map_)
    if (m.contains(addr)) return &m;
  return nullptr;
}

std::uint32_t DeviceBus::read(Addr addr, unsigned size, Cycles now) {
  const Mapping* m = find(addr);
  if (!m) {
    if (unmapped_) unmapped_(addr, size, false, now);
    return 0;
  }
  return with_current(m->device, [&] {
    m->device->advance(now);
    return m->device->read(addr - m->base, size, now);
  });
}

void DeviceBus::write(Addr addr, unsigned size, std::uint32_t value, Cycles now) {
  const Mapping* m = find(addr);
  if (!m) {
    if (unmapped_) unmapped_(addr, size, true, now);
    return;
  }
  with_current(m->device, [&] {
    m->device->advance(now);
    m->device->write(addr - m->base, size, value, now);
  });
}

Cycles DeviceBus::wait_states(Addr addr) const {
  const Mapping* m = find(addr);
  return m ? m->device->access_wait_states() : 0;
}

Cycles DeviceBus::next_event() const {
  Cycles next = kNoEvent;
  for (const Mapping& m : map_) next = std::min(next, m.device->next_event());
  return next;
}

Cycles DeviceBus::advance(Cycles now) {
  for (const Mapping& m : map_)
    if (m.device->next_event() <= now) with_current(m.device, [&] { m.device->advance(now); });
  return next_event();
}

}  // namespace mcusim::mem
