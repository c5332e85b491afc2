#include "mcusim/mlperf_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "mcusim/base/errors.h"

namespace mcusim::mlperf {
namespace fs = std::filesystem;

std::vector<Input> read_input_file(const fs::path& file, Task task) {
  const auto& info = task_info(task);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw InputError(fmt::format("input {}: no such file", file.string()));
  std::ifstream in(file, std::ios::binary);
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    throw InputError(fmt::format("input {}: cannot read", file.string()));
  const std::string name = file.filename().string();
  if (task == Task::ad && data.size() == kAdSpectrogramBytes) {
    std::vector<Input> out;
    for (std::size_t off = 0, i = 0; off + info.input_bytes <= data.size();
         off += kAdWindowStrideBytes, ++i)
      out.push_back(
          {fmt::format("{}#{}", name, i),
           std::vector<std::uint8_t>(data.begin() + off, data.begin() + off + info.input_bytes)});
    return out;
  }
  if (data.size() != info.input_bytes)
    throw InputError(
        fmt::format("input {}: {} bytes; a {} input is {} bytes{}", file.string(), data.size(),
                    info.name, info.input_bytes,
                    task == Task::ad
                        ? fmt::format(" (one window) or {} bytes (a 200 x 128 float32 spectrogram)",
                                      kAdSpectrogramBytes)
                        : std::string()));
  return {{name, std::move(data)}};
}

std::vector<Input> read_inputs(const fs::path& path, Task task) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw InputError(fmt::format("--input {}: no such file or directory", path.string()));
  if (!fs::is_directory(path, ec)) return read_input_file(path, task);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path))
    if (e.is_regular_file() && e.path().extension() == ".bin") files.push_back(e.path());
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });
  if (files.empty())
    throw InputError(fmt::format("--input {}: the directory has no .bin file", path.string()));
  std::vector<Input> out;
  for (const auto& f : files) {
    auto v = read_input_file(f, task);
    std::move(v.begin(), v.end(), std::back_inserter(out));
  }
  return out;
}

std::vector<Input> generated_inputs(Task task, std::size_t count, std::uint32_t seed) {
  const auto& info = task_info(task);
  std::vector<Input> out;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint32_t x = seed * 2654435761u + static_cast<std::uint32_t>(k) * 40503u + 1u;
    auto next = [&x] {  // xorshift32 (Marsaglia 2003)
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      return x;
    };
    Input in;
    in.name = fmt::format("generated-{}-{}", info.name, seed + k);
    in.bytes.resize(info.input_bytes);
    if (task == Task::ad) {
      for (std::size_t i = 0; i < info.input_bytes / 4; ++i) {
        const float f = -60.0f + 70.0f * static_cast<float>(next() >> 8) / 16777216.0f;
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        for (int b = 0; b < 4; ++b)
          in.bytes[4 * i + b] = static_cast<std::uint8_t>(bits >> (8 * b));
      }
    } else {
      for (auto& b : in.bytes) b = static_cast<std::uint8_t>(next() >> 24);
    }
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace mcusim::mlperf
