#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
# Sanitizers (ASan + UBSan + LSan) on the fast tests, then each fuzz target for a bounded time
# (issue 11; docs/limits-and-errors.md).
bash scripts/sanitize.sh
# CI artifacts of the report test (screenshots of the HTML report in headless Chromium).
for f in build/artifacts/report*.png; do [ -e "$f" ] && echo "artifact: $PWD/$f"; done
true
