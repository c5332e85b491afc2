#!/usr/bin/env bash
# Installs what is missing, then configures and builds the host tool, the firmware and the tests
# into ./build (one CMake configure + build).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
