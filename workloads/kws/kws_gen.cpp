// kws_gen: writes kws_params.{h,c} (the DS-CNN's synthetic int8 parameters and input as C const
// arrays) for the reference firmware. Usage: kws_gen <out_dir> [seed]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kws_generator.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s <out_dir> [seed (default 0x%llx)]\n", argv[0],
                 static_cast<unsigned long long>(mcusim::kws::kDefaultSeed));
    return 2;
  }
  uint64_t seed = mcusim::kws::kDefaultSeed;
  if (argc == 3) seed = std::strtoull(argv[2], nullptr, 0);
  const auto params = mcusim::kws::GenerateKwsParams(seed);
  if (!mcusim::kws::WriteKwsParamsC(params, argv[1])) {
    std::fprintf(stderr, "kws_gen: cannot write %s/kws_params.{h,c}\n", argv[1]);
    return 1;
  }
  return 0;
}
