// Input readers: the runner's per-task binary files and the generated inputs.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "mcusim/base/errors.h"
#include "mcusim/mlperf_inputs.h"

namespace mcusim::mlperf {
namespace {
namespace fs = std::filesystem;

fs::path write_file(const fs::path& dir, const std::string& name, std::size_t n,
                    std::uint8_t seed) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  for (std::size_t i = 0; i < n; ++i)
    out.put(static_cast<char>(static_cast<std::uint8_t>(seed + i)));
  return dir / name;
}

TEST(MlperfInputs, ReadsTaskFilesAndRejectsWrongSizes) {
  const auto dir = fs::temp_directory_path() / "mcusim-mlperf-inputs";
  fs::remove_all(dir);
  write_file(dir, "b.bin", 490, 1);
  write_file(dir, "a.bin", 490, 2);
  write_file(dir, "notes.txt", 3, 0);
  auto v = read_inputs(dir, Task::kws);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].name, "a.bin");  // sorted by name, .bin only
  EXPECT_EQ(v[0].bytes[0], 2);
  EXPECT_EQ(v[1].bytes[489], static_cast<std::uint8_t>(1 + 489));
  try {
    read_inputs(dir / "a.bin", Task::ic);
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("490 bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("3072 bytes"), std::string::npos) << m;
  }
  EXPECT_THROW(read_inputs(dir / "missing.bin", Task::kws), InputError);
  fs::remove_all(dir);
}

TEST(MlperfInputs, AdSpectrogramGives196SlideWindows) {
  const auto dir = fs::temp_directory_path() / "mcusim-mlperf-ad";
  fs::remove_all(dir);
  const auto f = write_file(dir, "normal_id_01.bin", kAdSpectrogramBytes, 0);
  auto v = read_input_file(f, Task::ad);
  // (102400 - 2560) / 512 + 1 = 196 windows; window k starts at byte 512 k.
  ASSERT_EQ(v.size(), 196u);
  EXPECT_EQ(v[1].bytes.size(), 2560u);
  EXPECT_EQ(v[1].bytes[0], static_cast<std::uint8_t>(512));
  EXPECT_EQ(v[195].bytes[0], static_cast<std::uint8_t>(195 * 512));
  EXPECT_EQ(v[195].name, "normal_id_01.bin#195");
  write_file(dir, "one.bin", 2560, 0);
  EXPECT_EQ(read_input_file(dir / "one.bin", Task::ad).size(), 1u);
  fs::remove_all(dir);
}

TEST(MlperfInputs, GeneratedInputsAreDeterministicAndInRange) {
  auto a = generated_inputs(Task::vww, 2, 7), b = generated_inputs(Task::vww, 2, 7);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].bytes.size(), 27648u);
  EXPECT_EQ(a[0].bytes, b[0].bytes);
  EXPECT_NE(a[0].bytes, a[1].bytes);
  auto ad = generated_inputs(Task::ad, 1);
  ASSERT_EQ(ad[0].bytes.size(), 2560u);
  for (std::size_t i = 0; i < 640; ++i) {
    float f;
    std::memcpy(&f, &ad[0].bytes[4 * i], 4);  // little-endian host (x86-64, AArch64)
    EXPECT_GE(f, -60.0f);
    EXPECT_LE(f, 10.0f);
  }
}

}  // namespace
}  // namespace mcusim::mlperf
