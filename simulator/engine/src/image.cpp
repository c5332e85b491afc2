#include "mcusim/image.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "mcusim/base/errors.h"
#include "mcusim/elf_image.h"

namespace mcusim {

const char* image_format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::elf: return "elf";
    case ImageFormat::bin: return "bin";
    case ImageFormat::hex: return "hex";
  }
  return "?";
}

namespace {

ImageFormat detect_format(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open firmware: {}", path.string(), std::strerror(errno)));
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() == 4 && magic[0] == 0x7F && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F')
    return ImageFormat::elf;
  const std::string ext = path.extension().string();
  if (ext == ".bin") return ImageFormat::bin;
  if (ext == ".hex" || ext == ".ihex") return ImageFormat::hex;
  // Not ELF and no raw-format extension: the ELF loader names what is wrong with it.
  return ImageFormat::elf;
}

}  // namespace

Image load_image(const std::filesystem::path& path, const ImageOptions& opts) {
  const ImageFormat f = opts.format ? *opts.format : detect_format(path);
  switch (f) {
    case ImageFormat::elf: return load_elf(path);
    case ImageFormat::bin:
    case ImageFormat::hex: break;
  }
  throw InputError(fmt::format("{}: {} images are not supported in this version (only ELF)", path.string(),
                               image_format_name(f)));
}

}  // namespace mcusim
