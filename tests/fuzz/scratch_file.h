// A fuzz target's scratch file: the loaders under test take a path, so each input is written to
// one file per fuzzing process, in the system's temporary directory, removed when the process
// exits normally (libFuzzer's -max_total_time ends with exit()). A crash leaves it for the repro.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace mcusim::fuzz {

/// One scratch file per process, named `mcusim-fuzz-<stem>-<pid><ext>` under
/// std::filesystem::temp_directory_path(). write() replaces its contents; the destructor removes it.
class ScratchFile {
 public:
  /// stem: the target's name; ext: the extension the loader expects (".elf", ".toml").
  ScratchFile(const std::string& stem, const std::string& ext)
      : path_(std::filesystem::temp_directory_path() /
              ("mcusim-fuzz-" + stem + "-" + std::to_string(getpid()) + ext)) {}
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

  /// Writes `size` bytes from `data` as the whole file; returns its path.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream f(path_, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path_str_ = path_.string();
  }

 private:
  std::filesystem::path path_;
  std::string path_str_;
};

}  // namespace mcusim::fuzz
