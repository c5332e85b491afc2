#!/usr/bin/env bash
# Runs ST's NUCLEO-L4R5ZI MLPerf Tiny v1.2 submission binaries (Performance builds of the four
# tasks) on the simulated nucleo-l4r5zi, unmodified, and prints a table: did the firmware boot and
# print its ready banner, the clock it programmed, its answer to `name%`, and the latency its own
# timer measured the way the runner measures it (`infer N W%` with the N and W of the published
# run's script.async, e.g. `infer 2000 1` for AD; latency = m-lap-us difference / N) next to the
# published figure (median over the runner's windows of runtime / inferences). The window between
# the two m-lap-us reads also holds the print of the first m-lap-us line at the LPUART's 115200
# baud (about 1.4 ms): the runner's N makes it negligible, as on the board. Then runs the four Energy
# builds in energy mode (`mcusim mlperf --mode energy`, on USART3: the Energy builds talk to the
# IO manager on the Arduino D0/D1 USART, and pulse PF13) at the published supply voltage (the
# submission's systems/NUCLEO_L4R5ZI.json: "Operating at 1.8V"), and prints per task the published
# energy-mode latency and energy per inference (median over the windows of results.txt) next to
# mcusim's (edge-framed window, priced from the counters at the two timestamp edges) with mcusim's
# breakdown per inference. Ends with the summary table, one row per task: latency (Performance
# build) and energy per inference (Energy build), published, mcusim, error.
#
# Usage: scripts/validate-vendor.sh DIR [MCUSIM]
#   DIR     a checkout of https://github.com/mlcommons/tiny_results_v1.2 (the binaries are
#           third-party: they are never part of this tree and CI cannot fetch them)
#   MCUSIM  the mcusim binary (default: build/simulator/mcusim)
# Exit status: 0 when every binary booted and answered `name%`, 1 otherwise, 2 on bad usage.
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1" ]]; then
  echo "usage: $0 DIR [MCUSIM]  (DIR: a checkout of mlcommons/tiny_results_v1.2)" >&2
  exit 2
fi
DIR=$1
MCUSIM=${2:-"$(dirname "$0")/../build/simulator/mcusim"}
if [[ ! -x "$MCUSIM" ]]; then
  echo "$0: no mcusim binary at $MCUSIM (build first: bash scripts/build.sh)" >&2
  exit 2
fi
CODE="$DIR/closed/STMicroelectronics/code/NUCLEO_L4R5ZI"
RESULTS="$DIR/closed/STMicroelectronics/results/NUCLEO_L4R5ZI"
if [[ ! -d "$CODE" ]]; then
  echo "$0: $CODE not found: is $DIR a checkout of mlcommons/tiny_results_v1.2?" >&2
  exit 2
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

status=0
printf '%-5s %-8s %-9s %-34s %-14s %12s %12s %8s\n' task booted clock_MHz "name% answer" "command" "mcusim_ms" "published_ms" "error"
for entry in kws:keyword_spotting:KWS01 vww:visual_wake_words:VWW01 ic:image_classification:IC01 ad:anomaly_detection:AD01; do
  IFS=: read -r short dir model <<<"$entry"
  bin="$CODE/$dir/Binaries/$model-Performance.bin"
  if [[ ! -f "$bin" ]]; then
    printf '%-5s missing %s\n' "$short" "$bin"
    status=1
    continue
  fi
  out="$WORK/$short.txt"
  # The runner's own command for this task (first `dut infer N W` of the published script).
  infer=$(grep -m1 -o 'dut infer [0-9]* [0-9]*' "$RESULTS/$short/performance/script.async" 2>/dev/null |
          sed 's/^dut //')
  infer=${infer:-infer 1 0}
  # The host side as the runner plays it: name%, the input tensor (`db load N%` and `db <hex>%`
  # commands of 32 bytes, a deterministic pattern; ST's VWW build reads a stale pointer without
  # one), then the runner's infer.
  python3 "$(dirname "$0")/runner-host-script.py" "$short" "$infer" >"$WORK/$short.in"
  set +e
  "$MCUSIM" run "$bin" --board nucleo-l4r5zi --uart "lpuart1=file:$WORK/$short.in" \
    --max-instructions 40000000000 >"$out" 2>&1
  set -e
  python3 - "$short" "$out" "$RESULTS/$short/performance/results.txt" "$infer" <<'PY' || status=1
import re, statistics, sys
short, out, published, command = sys.argv[1:5]
text = open(out, errors="replace").read()
booted = "m-ready" in text and "m-init-done" in text
m = re.search(r"m-name-dut-\[[^\]]*\]", text)
name = m.group(0) if m else "-"
c = re.search(r"clock\s+programmed by the firmware: ([0-9.]+) MHz", text)
clock = c.group(1) if c else "-"
laps = [int(x) for x in re.findall(r"m-lap-us-(\d+)", text)]
n = re.search(r"m-infer-start-(\d+)", text)
n = int(n.group(1)) if n else 1
sim_ms = (laps[-1] - laps[-2]) / 1000.0 / n if len(laps) >= 3 else None
pub_ms = None
try:
    res = open(published).read()
    runs = [float(x) for x in re.findall(r"Runtime\s*:\s*([0-9.]+) sec", res)]
    infs = [int(x) for x in re.findall(r"# Inferences\s*:\s*(\d+)", res)]
    if runs and len(runs) == len(infs):
        pub_ms = statistics.median(r / n * 1000.0 for r, n in zip(runs, infs))
except OSError:
    pass
fmt = lambda v: f"{v:.3f}" if v is not None else "-"
err = f"{(sim_ms - pub_ms) / pub_ms * 100:+.1f}%" if sim_ms and pub_ms else "-"
print(f"{short:<5} {'yes' if booted else 'NO':<8} {clock:<9} {name:<34} {command:<14} {fmt(sim_ms):>12} {fmt(pub_ms):>12} {err:>8}")
open(out + ".latency", "w").write(f"{fmt(pub_ms)} {fmt(sim_ms)} {err}\n")
if sim_ms is None:
    # No timed window: say why the run stopped (e.g. a firmware fault) instead of a bare '-'.
    o = re.search(r"^outcome\s+(.*)$", text, re.M)
    print(f"      {short}: no latency: " + (o.group(1) if o else "no m-lap-us pair in the output"))
sys.exit(0 if booted and m and sim_ms is not None else 1)
PY
done
VDD=$(python3 "$(dirname "$0")/submission-vdd.py" "$DIR/closed/STMicroelectronics/systems/NUCLEO_L4R5ZI.json" "1.8")
echo
echo "energy mode at VDD ${VDD} V (the submission's system description), infer N 0, one window:"
printf '%-5s %12s %12s %8s %14s %14s %8s   %s\n' task pub_ms mcusim_ms error pub_uJ/inf mcusim_uJ/inf error \
  "mcusim uJ/inf: core (instructions + clock), flash, caches, sram, peripherals, static, sleep"
for entry in kws:keyword_spotting:KWS01:4 vww:visual_wake_words:VWW01:2 ic:image_classification:IC01:2 ad:anomaly_detection:AD01:20; do
  IFS=: read -r short dir model n <<<"$entry"
  bin="$CODE/$dir/Binaries/$model-Energy.bin"
  if [[ ! -f "$bin" ]]; then
    printf '%-5s missing %s\n' "$short" "$bin"
    status=1
    continue
  fi
  json="$WORK/$short-energy.json"
  set +e
  "$MCUSIM" mlperf "$bin" --board nucleo-l4r5zi --task "$short" --mode energy --uart usart3 \
    --infer "$n" 0 --windows 1 --set "vdd_v=$VDD" --max-instructions 40000000000 --json "$json" \
    >"$WORK/$short-energy.txt" 2>&1
  rc=$?
  set -e
  python3 - "$short" "$json" "$RESULTS/$short/energy/results.txt" "$rc" "$WORK/$short-energy.txt" \
    "$WORK/$short.txt.latency" <<'PY' || status=1
import json, re, statistics, sys
short, path, published, rc, log, latency = sys.argv[1:7]
if rc != "0":
    print(f"{short:<5} mcusim failed: " + open(log, errors="replace").read().strip().splitlines()[-1])
    sys.exit(1)
m = json.load(open(path))["results"][0]["mlperf"]
sim_ms = m["windows"][0]["seconds"] / m["infer_n"] * 1e3
sim_uj = m["energy_per_inference_pj"] * 1e-6
res = open(published).read()
pub_uj = statistics.median(float(x) for x in re.findall(r"Energy/Inf\.\s*:\s*([0-9.]+) uJ/inf", res))
energies = [float(x) for x in re.findall(r"Energy\s*:\s*([0-9.]+) uJ", res)]
powers = [float(x) for x in re.findall(r"Power\s*:\s*([0-9.]+) uW", res)]
# latency per inference in the published energy windows: (energy / power) / (energy / energy per inf)
lat = [e / p * 1e3 / (e / q) for e, p, q in zip(energies, powers,
       [float(x) for x in re.findall(r"Energy/Inf\.\s*:\s*([0-9.]+) uJ/inf", res)])]
pub_ms = statistics.median(lat) if lat else float("nan")
e = m["windows"][0]["energy"]
n = m["infer_n"]
mem = e["memory_pj"]
per = e.get("peripherals_pj", {})
parts = [e["core_pj"]["total_pj"], mem["flash"]["total_pj"], mem["caches"]["total_pj"], mem["sram"]["total_pj"],
         per.get("total_pj", 0.0), e["static_pj"], e["sleep_pj"]]
breakdown = ", ".join(f"{p / n * 1e-6:.1f}" for p in parts)
if per.get("not_priced"):
    cyc = per.get("bus_cycles", {})
    breakdown += " (clocked in the window, no figure: " + ", ".join(
        f"{k} {cyc.get(k, 0) / n:.0f} bus cycles/inf" for k in per["not_priced"]) + ")"
print(f"{short:<5} {pub_ms:12.3f} {sim_ms:12.3f} {(sim_ms - pub_ms) / pub_ms * 100:+7.1f}% "
      f"{pub_uj:14.3f} {sim_uj:14.3f} {(sim_uj - pub_uj) / pub_uj * 100:+7.1f}%   {breakdown}")
try:
    lat = open(latency).read().split()
except OSError:
    lat = ["-", "-", "-"]
with open(latency.replace(".txt.latency", ".summary"), "w") as f:
    f.write(f"{short:<5} {lat[0]:>12} {lat[1]:>12} {lat[2]:>8} {pub_uj:14.1f} {sim_uj:14.1f} "
            f"{(sim_uj - pub_uj) / pub_uj * 100:+7.1f}%\n")
PY
done
echo
echo "summary: latency (Performance builds, the runner's infer N W) and energy per inference (Energy builds, ${VDD} V):"
printf '%-5s %12s %12s %8s %14s %14s %8s\n' task pub_ms mcusim_ms error pub_uJ/inf mcusim_uJ/inf error
for short in kws vww ic ad; do
  cat "$WORK/$short.summary" 2>/dev/null || printf '%-5s (no energy row)\n' "$short"
done
exit $status
