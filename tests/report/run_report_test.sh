#!/usr/bin/env bash
# The HTML report in a real browser (issue 18, part 2): writes the reports of a bench, a sweep and
# a comparison, opens each in headless Chromium (check_html_report.py: no console errors, nothing
# loaded from outside the file, every figure equal to the results document, bars to scale, the
# Pareto front right) and keeps full-page screenshots as CI artifacts.
#
#   tests/report/run_report_test.sh MCUSIM RENDER_HTML ARTIFACT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mcusim="$1" render="$2" artifacts="$3"
mkdir -p "$artifacts"
tmp="$(mktemp -d /tmp/mcusim-report.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
check() { python3 "$here/check_html_report.py" "$@"; }

# bench: one task, its layers, energy breakdown, footprint, board.
"$mcusim" bench --task ad --json "$tmp/bench.json" > /dev/null
"$render" results "$tmp/bench.json" "$artifacts/report.html"
check --html "$artifacts/report.html" --json "$tmp/bench.json" --expect-charts hbar,stacked --min-figures 100 \
  --screenshot "$artifacts/report.png" --thumbnail "$artifacts/report-top.png"

# sweep: two parameters (lines, heatmaps, Pareto front).
"$mcusim" sweep --board nucleo-l4r5zi --task ad --set clock_hz=48000000,80000000,120000000 \
  --set flash.icache.size=256,1KiB,4KiB --jobs 2 --json "$tmp/sweep.json" -q
"$render" results "$tmp/sweep.json" "$artifacts/report-sweep.html"
check --html "$artifacts/report-sweep.html" --json "$tmp/sweep.json" --expect-charts line,heatmap,pareto \
  --min-figures 50 --screenshot "$artifacts/report-sweep.png"

# compare: reference kernels against the optimized ones (a real regression).
"$mcusim" bench --task ad --kernels reference --json "$tmp/reference.json" > /dev/null
status=0
"$mcusim" compare "$tmp/bench.json" "$tmp/reference.json" --ignore-kernels --json "$tmp/compare.json" > /dev/null || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: compare exited with $status, expected 1 (a regression)"; exit 1; }
"$render" compare "$tmp/compare.json" "$artifacts/report-compare.html"
check --html "$artifacts/report-compare.html" --json "$tmp/compare.json" --expect-charts change --min-figures 20 \
  --screenshot "$artifacts/report-compare.png"
