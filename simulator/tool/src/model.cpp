// `mcusim model` / `bench --model` (issue 17): import a .tflite file with the tools' Python
// importer (subprocess), build its firmware with the cross toolchain, run it with run_bench().
#include "mcusim/model.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mcusim/base/errors.h"

#ifndef MCUSIM_TOOLS_SOURCE_DIR
#error "MCUSIM_TOOLS_SOURCE_DIR (the source tree: scripts/, reference-firmware/) must be defined"
#endif

namespace mcusim {
namespace {

namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string source_dir() {
  return env_or("MCUSIM_SOURCE_DIR", MCUSIM_TOOLS_SOURCE_DIR);
}
std::string python() {
  return env_or("MCUSIM_PYTHON", env_or("MCUSIM_VENV", source_dir() + "/.venv") + "/bin/python");
}
std::string cmake() {
  return env_or("MCUSIM_CMAKE", MCUSIM_CMAKE_COMMAND);
}

std::string read_file(const fs::path& p, const std::string& what) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError(fmt::format("{} {}: cannot be read", what, p.string()));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
void fnv1a(std::uint64_t& h, const std::string& bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= 0xff;  // separator between the hashed parts
  h *= 0x100000001b3ull;
}

/// A POSIX shell word: single-quoted, embedded quotes as '\''.
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs `command` through /bin/sh with stderr merged into stdout; returns (exit status, output).
std::pair<int, std::string> run_command(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw InputError(fmt::format("cannot start: {}", command));
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;)
    out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

/// The model's name: the file stem with characters other than [A-Za-z0-9_.-] replaced by '_'
/// (it names the ELF, the CMake targets and the printed model id).
std::string model_name(const std::string& path) {
  std::string n = fs::path(path).stem().string();
  for (auto& c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
  return n.empty() ? std::string("model") : n;
}

}  // namespace

std::string model_cache_dir() {
  if (const char* d = std::getenv("MCUSIM_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/mcusim";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/mcusim";
  return MCUSIM_BUILD_DIR "/model-cache";
}

PreparedModel prepare_model(const ModelSpec& spec, const BoardConfig& board) {
  if (!fs::is_regular_file(spec.tflite))
    throw InputError(fmt::format("model {}: no such file", spec.tflite));
  if (!spec.input.empty() && !fs::is_regular_file(spec.input))
    throw InputError(fmt::format("--input {}: no such file", spec.input));
  const fs::path importer = fs::path(source_dir()) / "scripts" / "mcusim_model";
  if (!fs::is_directory(importer))
    throw InputError(fmt::format(
        "the model importer {} is missing (set MCUSIM_SOURCE_DIR to the mcusim source tree)",
        importer.string()));
  if (!fs::exists(python()))
    throw InputError(fmt::format(
        "the tools' Python {} is missing: run scripts/install-deps.sh (or set MCUSIM_PYTHON)",
        python()));

  // Cache key: the model, the input and the importer's sources (sorted by name).
  std::uint64_t h = 0xcbf29ce484222325ull;
  fnv1a(h, read_file(spec.tflite, "model"));
  fnv1a(h,
        spec.input.empty() ? std::string("<generated input>") : read_file(spec.input, "--input"));
  std::vector<fs::path> sources;
  for (auto& e : fs::directory_iterator(importer))
    if (e.path().extension() == ".py") sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  for (auto& s : sources) fnv1a(h, s.filename().string() + read_file(s, "importer source"));
  // ... and the firmware it is built with (driver, kernels, startup, linker scripts, the
  // layer-table headers), so that a cache hit may skip the build.
  std::vector<fs::path> firmware;
  for (const char* d : {"reference-firmware", "workloads/net"})
    for (auto& e : fs::recursive_directory_iterator(fs::path(source_dir()) / d))
      if (e.is_regular_file()) firmware.push_back(e.path());
  std::sort(firmware.begin(), firmware.end());
  for (auto& f : firmware)
    fnv1a(h, fs::relative(f, source_dir()).string() + read_file(f, "firmware source"));
  const std::string name = model_name(spec.tflite);
  const fs::path dir = fs::path(model_cache_dir()) / "models" / fmt::format("{}-{:016x}", name, h);
  const fs::path gen = dir / "import";

  // Import (the flash/SRAM check uses the board's sizes; the link is the final word).
  std::uint64_t sram = 0;
  for (auto& r : board.sram) sram = std::max<std::uint64_t>(sram, r.size_bytes);
  const std::uint64_t flash = board.has_flash ? board.flash.size_bytes : sram;
  const std::string import_cmd = fmt::format(
      "PYTHONPATH={} {} -m mcusim_model import {} --out {} --name {} --board {} --flash-bytes {} "
      "--ram-bytes {}{}",
      quote(source_dir() + "/scripts"), quote(python()), quote(spec.tflite), quote(gen.string()),
      quote(name), quote(board.name), flash, sram,
      spec.input.empty() ? std::string() : " --input " + quote(spec.input));
  // The importer's checks depend on the board: run it unless this board's import is recorded.
  const fs::path stamp = gen / fmt::format("imported-for-{}", board.name);
  if (!fs::exists(stamp)) {
    fs::create_directories(gen);
    auto [rc, out] = run_command(import_cmd);
    if (rc != 0) {
      auto pos = out.rfind("error: ");
      throw InputError(pos == std::string::npos
                           ? fmt::format("model import failed ({}):\n{}", import_cmd, trim(out))
                           : trim(out.substr(pos + 7)));
    }
    std::ofstream(stamp) << trim(out) << "\n";
  }

  // Build (configured once per board; skipped when this key's ELFs exist).
  const fs::path fw = dir / "firmware";
  const fs::path built = fw / board.name / "built";
  if (!fs::exists(built)) {
    const std::string build_cmd =
        fmt::format("{} -DBOARD={} -DMODELS={} -DBINARY_DIR={} -DOUTPUT_DIR={} -P {}",
                    quote(cmake()), quote(board.name), quote(name + "=" + gen.string()),
                    quote((dir / "build" / board.name).string()), quote((fw / board.name).string()),
                    quote(source_dir() + "/reference-firmware/cmake/build-model.cmake"));
    auto [rc, out] = run_command(build_cmd);
    if (rc != 0) {
      if (out.find("overflowed") != std::string::npos ||
          out.find("will not fit") != std::string::npos) {
        std::string lines;
        std::istringstream in(out);
        for (std::string l; std::getline(in, l);)
          if (l.find("overflowed") != std::string::npos ||
              l.find("will not fit") != std::string::npos)
            lines += "\n  " + l;
        throw InputError(fmt::format("model {} does not fit board {}: the linker says:{}",
                                     spec.tflite, board.name, lines));
      }
      throw InputError(fmt::format("building the firmware of {} for {} failed:\n{}", spec.tflite,
                                   board.name, trim(out)));
    }
    std::ofstream(built) << "reference optimized\n";
  }

  nlohmann::json info;
  try {
    info = nlohmann::json::parse(read_file(gen / "model.json", "importer output"));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: {}", (gen / "model.json").string(), e.what()));
  }
  PreparedModel p;
  p.task = TinyTask{name, name, info.at("macs").get<std::uint64_t>()};
  p.firmware_dir = fw.string();
  p.import_dir = gen.string();
  return p;
}

std::vector<BenchRun> run_model_bench(const ModelSpec& spec, const BoardConfig& board,
                                      const std::vector<std::string>& kernels, unsigned jobs,
                                      const ProfileOptions* profile, const BenchProgress& progress) {
  const PreparedModel m = prepare_model(spec, board);
  return run_bench(board, {m.task}, kernels, m.firmware_dir, jobs, profile, progress);
}

}  // namespace mcusim
