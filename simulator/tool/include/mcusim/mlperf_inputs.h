// Input tensors for the MLPerf Tiny runner protocol: the runner's per-task binary files, or
// deterministic generated ones. Formats: mlperf-tiny.md 1.1 ("Raw input sent by runner") and
// 1.5 [src mlcommons/tiny benchmark/evaluation/datasets/README.md, th_load_tensor() bodies].
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mcusim/mlperf_runner.h"

namespace mcusim::mlperf {

/// One input as the runner sends it: the bytes and where they come from.
struct Input {
  std::string name;                 ///< file name (with "#<window>" for an AD slide window) or
                                    ///< "generated-<task>-<seed>"
  std::vector<std::uint8_t> bytes;  ///< exactly task_info(task).input_bytes
};

/// Bytes per float32 log-mel frame set of an AD spectrogram file: 200 slices x 128 bins x 4 B =
/// 102,400 B; windows of 2,560 B (5 x 128 float32) with a 512-B stride -> 196 windows per file
/// [src mlperf-tiny.md 1.5: micro_model_settings.h, ad01/y_labels.csv "...,2560,512"].
inline constexpr std::size_t kAdSpectrogramBytes = 102400;
inline constexpr std::size_t kAdWindowStrideBytes = 512;

/// Reads one runner input file for `task`:
/// - kws: 490 B (49 x 10 int8 MFCC); vww: 27,648 B (96 x 96 x 3 uint8 RGB); ic: 3,072 B
///   (32 x 32 x 3 uint8 RGB); one input each;
/// - ad: float32 little-endian; a 2,560-B file is one window; a 102,400-B spectrogram gives the
///   196 slide windows (2,560 B every 512 B).
/// Throws InputError naming the file, its size and the expected size(s).
std::vector<Input> read_input_file(const std::filesystem::path& file, Task task);

/// A file -> read_input_file; a directory -> every regular file ending in ".bin" in it, in
/// byte-wise sorted name order (deterministic), each read with read_input_file. Throws
/// InputError when the path does not exist or a directory holds no .bin file.
std::vector<Input> read_inputs(const std::filesystem::path& path, Task task);

/// `count` deterministic inputs for `task` (xorshift32 from `seed` + index; same bytes on every
/// host): kws int8 in [-128, 127]; vww/ic uint8 in [0, 255]; ad float32 in [-60, 10] (inside the
/// int8 input quantizer's range, scale 0.3910152, zero point 89 -> [-84.9, 14.9]).
std::vector<Input> generated_inputs(Task task, std::size_t count, std::uint32_t seed = 1);

}  // namespace mcusim::mlperf
