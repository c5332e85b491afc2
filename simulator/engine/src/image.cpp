#include "mcusim/image.h"

#include <fmt/format.h>

#include "mcusim/base/errors.h"
#include "mcusim/elf_image.h"
#include "mcusim/raw_image.h"

namespace mcusim {

const char* image_format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::elf: return "elf";
    case ImageFormat::bin: return "bin";
    case ImageFormat::hex: return "hex";
  }
  return "?";
}

Image load_image(const std::filesystem::path& path, const ImageOptions& opts) {
  const ImageFormat f = opts.format ? *opts.format : detect_image_format(path);
  switch (f) {
    case ImageFormat::elf: return load_elf(path);
    case ImageFormat::hex: return load_intel_hex(path, opts.machine.value_or(ElfMachine::arm));
    case ImageFormat::bin:
      if (!opts.load_address || !opts.machine)
        throw InputError(fmt::format("{}: a raw binary image needs a load address and an instruction set (the "
                                     "board's: load it with a board, e.g. `mcusim run FILE --board B`)",
                                     path.string()));
      return load_raw_binary(path, *opts.load_address, *opts.machine);
  }
  throw InputError(fmt::format("{}: unknown image format", path.string()));
}

}  // namespace mcusim
