#!/usr/bin/env bash
# Latency regression gate (docs/ci.md): runs MLPerf Tiny on the board with the firmware built in
# $MCUSIM_BUILD_DIR and compares it with a committed baseline. Writes into OUTDIR:
#   current.json   results of this commit (docs/results-schema.md)
#   results.md     the results as a Markdown table
#   results.html   the results as a self-contained HTML page with charts (docs/report.md)
#   compare.txt    the comparison table (also printed)
#   compare.md     the comparison as Markdown, for a pull-request comment
#   junit.xml      JUnit XML, one test case per task and metric
#   compare.html   the comparison as a self-contained HTML page
# Exit status: that of `mcusim compare` (0 pass, 1 regression beyond tolerance, 2 unusable input).
#
# Usage: scripts/ci-gate.sh [BASELINE.json] [OUTDIR]
# Environment (all optional):
#   MCUSIM_BUILD_DIR   build directory (default build)
#   MCUSIM_BOARD       board (default nucleo-l4r5zi)
#   MCUSIM_TASK        kws, vww, ic, ad or all (default all)
#   MCUSIM_KERNELS     reference, optimized or both (default optimized)
#   MCUSIM_TOLERANCES  space-separated metric=value list, e.g. "cycles=0.5% flash=512B"
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:-ci/mcusim-baseline.json}
out=${2:-mcusim-report}
mcusim="${MCUSIM_BUILD_DIR:-build}/simulator/mcusim"
mkdir -p "$out"

"$mcusim" bench --board "${MCUSIM_BOARD:-nucleo-l4r5zi}" --task "${MCUSIM_TASK:-all}" \
  --kernels "${MCUSIM_KERNELS:-optimized}" --json "$out/current.json" --markdown "$out/results.md" \
  --html "$out/results.html" \
  > "$out/bench.txt"

tolerances=()
for t in ${MCUSIM_TOLERANCES:-}; do tolerances+=(--tolerance "$t"); done
set +e
"$mcusim" compare "$baseline" "$out/current.json" "${tolerances[@]}" \
  --junit "$out/junit.xml" --markdown "$out/compare.md" --html "$out/compare.html" > "$out/compare.txt"
rc=$?
set -e
cat "$out/compare.txt"
exit $rc
