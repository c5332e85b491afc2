// `mcusim model FILE.tflite` and `mcusim bench --model FILE.tflite` (issue 17): a user's int8
// TensorFlow Lite model imported by the tools' Python importer (scripts/mcusim_model, run as a
// subprocess of the venv that scripts/install-deps.sh makes: the simulator itself does not
// depend on Python), built for the board with the cross toolchain
// (reference-firmware/cmake/build-model.cmake) and run like the MLPerf Tiny tasks.
#pragma once
#include <string>
#include <vector>

#include "mcusim/bench.h"
#include "mcusim/board.h"

namespace mcusim {

/// A model to import: the .tflite file and optionally its input (a .npy file of int8 or float32
/// values, or raw bytes: N int8 or N float32 values, N = the input tensor's size). Without an
/// input the importer generates a deterministic one (SplitMix64, docs/tflite.md).
struct ModelSpec {
  std::string tflite;
  std::string input;
};

/// An imported model ready to run: `task` (name = model_id = the file's stem, macs = the model's
/// MAC count) and the directory holding <board>/<name>-<kernels>.elf for run_bench().
struct PreparedModel {
  TinyTask task;
  std::string firmware_dir;
  std::string import_dir;  ///< importer output: model_params.{c,h}, input.npy, model.json
};

/// Where imported models are cached: $MCUSIM_CACHE_DIR, else $XDG_CACHE_HOME/mcusim, else
/// ~/.cache/mcusim, else build-tree/model-cache; models under <that>/models/<content hash>/.
std::string model_cache_dir();

/// Imports `spec` and builds its firmware (both kernel libraries) for `board`, reusing the cache:
/// the key is a 64-bit FNV-1a hash of the .tflite bytes, the input bytes and the importer's
/// sources, so a second run neither imports nor compiles again (the incremental build finds
/// nothing to do). Throws InputError with the importer's message (unsupported operator with its
/// index, float model, too big for the board's flash or SRAM with both sizes), a missing file,
/// a missing venv, or the cross build's failure.
PreparedModel prepare_model(const ModelSpec& spec, const BoardConfig& board);

/// prepare_model + run_bench for the given kernel libraries ("reference", "optimized").
std::vector<BenchRun> run_model_bench(const ModelSpec& spec, const BoardConfig& board,
                                      const std::vector<std::string>& kernels, unsigned jobs,
                                      const ProfileOptions* profile = nullptr, const BenchProgress& progress = {});

}  // namespace mcusim
