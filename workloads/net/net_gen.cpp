// net_gen: writes <task>_params.{h,c} (a network's synthetic int8 parameters, input and arena plan
// as C const arrays) for the reference firmware. Usage: net_gen <task> <out_dir> [seed]
// task: kws | vww | ic | ad. seed defaults to the model's default_seed (workloads/README.md).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "net_generator.h"

int main(int argc, char** argv) {
  const net_model_t* model = argc >= 3 ? mcusim::net::FindModel(argv[1]) : nullptr;
  if (argc < 3 || argc > 4 || !model) {
    std::fprintf(stderr, "usage: %s <kws|vww|ic|ad> <out_dir> [seed]\n", argv[0]);
    return 2;
  }
  const uint64_t seed = argc == 4 ? std::strtoull(argv[3], nullptr, 0) : 0;
  const auto params = mcusim::net::GenerateParams(*model, seed);
  if (!mcusim::net::WriteParamsC(params, argv[2])) {
    std::fprintf(stderr, "net_gen: cannot write %s/%s_params.{h,c}\n", argv[2], model->task);
    return 1;
  }
  return 0;
}
