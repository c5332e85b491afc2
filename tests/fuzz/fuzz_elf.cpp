// libFuzzer target: the ELF loader, the machine build and a short run (issue 11).
//
// Input: an ELF file. It must be refused with an InputError, or load; a loaded Arm image is built
// into a machine on nucleo-l4r5zi and a RISC-V one on ibex-simple (refused with an InputError, or
// built) and run for at most 20,000 instructions. Seeds: the test snippets
// (build*/tests/snippets/*.elf, assembled from tests/timing), copied by scripts/sanitize.sh.
#include <cstdint>
#include <string>

#include "mcusim/base/errors.h"
#include "mcusim/board.h"
#include "mcusim/elf_image.h"
#include "mcusim/simulation.h"
#include "scratch_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return -1;
  static mcusim::fuzz::ScratchFile scratch("elf", ".elf");
  static const mcusim::BoardConfig arm = mcusim::load_board("nucleo-l4r5zi");
  static const mcusim::BoardConfig rv = mcusim::load_board("ibex-simple");
  const std::string& path = scratch.write(data, size);
  try {
    const auto image = mcusim::load_elf(path);
    mcusim::Simulation sim(image.machine == mcusim::ElfMachine::arm ? arm : rv, image);
    mcusim::RunOptions o;
    o.max_instructions = 20000;  // a short run: the machine build and the first blocks
    (void)sim.run(o);
  } catch (const mcusim::InputError&) {
  }
  return 0;
}
