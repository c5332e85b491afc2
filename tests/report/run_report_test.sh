#!/usr/bin/env bash
# The HTML report in a real browser (issue 18, part 2): writes the reports of a bench, a sweep and
# a comparison, opens each in headless Chromium (check_html_report.py: no console errors, nothing
# loaded from outside the file, every figure equal to the results document, bars to scale, the
# Pareto front right) and keeps full-page screenshots as CI artifacts.
#
#   tests/report/run_report_test.sh MCUSIM ARTIFACT_DIR FIRMWARE_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mcusim="$1" artifacts="$2" firmware="$3"
mkdir -p "$artifacts"
tmp="$(mktemp -d /tmp/mcusim-report.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
check() { python3 "$here/check_html_report.py" "$@"; }

# bench: one task, its layers, energy breakdown, footprint, board.
"$mcusim" bench --task ad --json "$tmp/bench.json" --html "$artifacts/report.html" > /dev/null
check --html "$artifacts/report.html" --json "$tmp/bench.json" --expect-charts hbar,stacked --min-figures 100 \
  --screenshot "$artifacts/report.png" --thumbnail "$artifacts/report-top.png"

# run with a profile: the page of a single run, and the profile files through the CLI (their
# cycles add up to the run's, the table is in the text report).
"$mcusim" run "$firmware/nucleo-l4r5zi/ad-optimized.elf" --name ad --json "$tmp/run.json" \
  --html "$artifacts/report-run.html" --profile "$artifacts/profile-ad" > "$tmp/run.txt"
grep -q "Profile: top 10 functions by exclusive cycles" "$tmp/run.txt" || { echo "FAIL: no profile table in the report"; exit 1; }
check --html "$artifacts/report-run.html" --json "$tmp/run.json" --expect-charts hbar,stacked --min-figures 100
python3 - "$artifacts/profile-ad" "$tmp/run.json" <<'PY'
import json, sys
prefix, run = sys.argv[1], json.load(open(sys.argv[2]))
s = json.load(open(prefix + ".speedscope.json"))
t = json.load(open(prefix + ".trace.json"))
cycles = sum(s["profiles"][0]["weights"])
total = run["results"][0]["total"]["cycles"]
assert s["profiles"][0]["name"].endswith("cycles"), s["profiles"][0]["name"]
assert cycles == total, f"speedscope cycles {cycles} != run cycles {total}"
layers = [e for e in t["traceEvents"] if e.get("cat") == "region"]
assert len(layers) == len(run["results"][0]["regions"]), (len(layers), len(run["results"][0]["regions"]))
power = [e for e in t["traceEvents"] if e["ph"] == "C"]
assert power and all(e["args"]["mW"] > 0 for e in power)
print(f"profile: {cycles} cycles in {len(s['profiles'][0]['samples'])} call stacks = the run's {total}; "
      f"{len(layers)} region slices, {len(power)} power samples")
PY

# sweep: two parameters (lines, heatmaps, Pareto front).
"$mcusim" sweep --board nucleo-l4r5zi --task ad --set clock_hz=48000000,80000000,120000000 \
  --set flash.icache.size=256,1KiB,4KiB --jobs 2 --json "$tmp/sweep.json" --html "$artifacts/report-sweep.html" -q
check --html "$artifacts/report-sweep.html" --json "$tmp/sweep.json" --expect-charts line,heatmap,pareto \
  --min-figures 50 --screenshot "$artifacts/report-sweep.png"

# compare: reference kernels against the optimized ones (a real regression).
"$mcusim" bench --task ad --kernels reference --json "$tmp/reference.json" > /dev/null
status=0
"$mcusim" compare "$tmp/bench.json" "$tmp/reference.json" --ignore-kernels --json "$tmp/compare.json" \
  --html "$artifacts/report-compare.html" > /dev/null || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: compare exited with $status, expected 1 (a regression)"; exit 1; }
check --html "$artifacts/report-compare.html" --json "$tmp/compare.json" --expect-charts change --min-figures 20 \
  --screenshot "$artifacts/report-compare.png"
