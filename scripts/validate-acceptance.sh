#!/usr/bin/env bash
# Runs the MLPerf Tiny v1.2 acceptance set: the published closed-division submissions mcusim was
# never developed against (everything in mlcommons/tiny_results_v1.2 except ST's NUCLEO_L4R5ZI set,
# which scripts/validate-vendor.sh covers), unmodified, on the simulated board of the same part,
# and prints one row per submission x task: did the firmware boot, the UART it talks on (and where
# that came from), the clock it programmed, its answer to `name%`, the runner's `infer N W` (from
# the published performance/script.async), the published latency (median over the windows of
# performance/results.txt of runtime / inferences), mcusim's latency (the firmware's own m-lap-us
# difference / N, as the runner computes it), the error, and why the run stopped. Systems of boards
# mcusim does not have (any submitter's systems/*.json) are listed as "no board". Then ST's Energy
# builds (NUCLEO-H7A3ZI-Q and NUCLEO-U575ZI-Q) in energy mode at the supply voltage of the
# submission's systems/*.json: published and mcusim energy per inference.
#
# Nothing here is tuned: the figures are what the shipped models give. The host side is the same as
# scripts/validate-vendor.sh: raw .bin on the board, `name%`, a deterministic `db load` input of the
# task's size, then the runner's `infer N W`, all over the firmware's UART (`mcusim run --uart
# NAME=file:...`). The UART: ST's ports name it in their sources (tinyml_api/st_port.c,
# rxSetInterrupt: the Performance build's handle, then the Energy build's); Bosch's sources do not,
# so the board's U(S)ARTs are tried in a fixed order (the board's runner_uart, then the SoC file's
# order) with `name%` and the first that answers `m-name-dut` is taken ("probed" in the table). The
# Energy builds' timestamp pin is the one st_port.c's th_timestamp drives (passed as --set
# timestamp_pin=...). Every run is bounded by --max-instructions; a failing run is a row.
#
# Usage: scripts/validate-acceptance.sh [--markdown FILE] DIR [MCUSIM]
#   DIR       a checkout of https://github.com/mlcommons/tiny_results_v1.2 (at least
#             closed/{STMicroelectronics,bosch}/{code,results,systems}; third-party files: never part
#             of this tree, CI cannot fetch them)
#   MCUSIM    the mcusim binary (default: build/simulator/mcusim)
#   --markdown FILE  also write the tables as Markdown (for docs/validation.md)
# Environment: MCUSIM_ACCEPT_ENERGY=0 skips the energy part.
# Exit status: 0 when the script ran (boot failures, stops and errors are findings, in the table),
# 2 on bad usage.
set -euo pipefail

usage() {
  echo "usage: $0 [--markdown FILE] DIR [MCUSIM]  (DIR: a checkout of mlcommons/tiny_results_v1.2)" >&2
  exit 2
}
MARKDOWN=
if [[ ${1:-} == --markdown ]]; then
  [[ $# -ge 2 ]] || usage
  MARKDOWN=$2
  shift 2
fi
[[ $# -ge 1 && $# -le 2 && -d "$1" ]] || usage
DIR=$1
if [[ -n "$MARKDOWN" ]]; then
  md_abs=$(realpath -m -- "$MARKDOWN")
  dir_abs=$(realpath -- "$DIR")
  if [[ "$md_abs" == "$dir_abs"/* || -d "$md_abs" ]]; then
    echo "$0: --markdown $MARKDOWN: must be a new or existing file outside the checkout $DIR (an input)" >&2
    exit 2
  fi
  [[ -d "$(dirname "$md_abs")" ]] || { echo "$0: --markdown $MARKDOWN: directory $(dirname "$md_abs") does not exist" >&2; exit 2; }
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MCUSIM=${2:-"$ROOT/build/simulator/mcusim"}
if [[ ! -x "$MCUSIM" ]]; then
  echo "$0: no mcusim binary at $MCUSIM (build first: bash scripts/build.sh)" >&2
  exit 2
fi
CLOSED="$DIR/closed"
if [[ ! -d "$CLOSED/STMicroelectronics/results" && ! -d "$CLOSED/bosch/results" ]]; then
  echo "$0: neither $CLOSED/STMicroelectronics nor $CLOSED/bosch found: is $DIR a checkout of mlcommons/tiny_results_v1.2?" >&2
  exit 2
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROWS="$WORK/rows.jsonl"
: >"$ROWS"

# Submissions with a board mcusim has: submitter, system (the name of systems/<system>.json), board.
# Any other system found under closed/*/systems is listed as "no board".
SUBMISSIONS="
STMicroelectronics NUCLEO_H7A3ZI_Q nucleo-h7a3zi-q
STMicroelectronics NUCLEO_U575ZI_Q nucleo-u575zi-q
bosch DISCO_F746NG_int8 stm32f746g-disco
bosch DISCO_F746NG_int8_max_performance stm32f746g-disco
bosch NUCLEO_G0B1RE_int8 nucleo-g0b1re
bosch NUCLEO_H7A3ZI_int8 nucleo-h7a3zi-q
bosch NUCLEO_H7A3ZI_float nucleo-h7a3zi-q
bosch NUCLEO_H7A3ZI_int8_max_performance nucleo-h7a3zi-q
bosch NUCLEO_H7A3ZI_int8_min_ram nucleo-h7a3zi-q
bosch NUCLEO_L4R5ZI_int8 nucleo-l4r5zi
bosch NUCLEO_L4R5ZI_int8_max_performance nucleo-l4r5zi
bosch NUCLEO_U575ZI_int8 nucleo-u575zi-q
bosch NUCLEO_U575ZI_int8_max_performance nucleo-u575zi-q
"
TASKS="kws:keyword_spotting:KWS01 vww:visual_wake_words:VWW01 ic:image_classification:IC01 ad:anomaly_detection:AD01"
PROBE_INSTRUCTIONS=300000000

# The board's U(S)ARTs in probe order: its runner_uart first, then the SoC file's order.
board_uarts() {
  python3 - "$ROOT/boards" "$1" <<'PY'
import pathlib, sys, tomllib
boards, name = pathlib.Path(sys.argv[1]), sys.argv[2]
board = tomllib.loads((boards / f"{name}.toml").read_text())
order = [board["runner_uart"]] if board.get("runner_uart") else []
soc = board.get("soc")
if soc:
    for p in tomllib.loads((boards / "socs" / f"{soc}.toml").read_text()).get("peripheral", []):
        if p.get("model") in ("usart", "lpuart") and p["name"] not in order:
            order.append(p["name"])
print(" ".join(order))
PY
}

# What ST's port says: "PERF_UART ENERGY_UART TIMESTAMP_PIN" from tinyml_api/st_port.c (rxSetInterrupt
# takes the Performance build's handle, then the Energy build's; th_timestamp pulls the pin low).
st_port_facts() {
  python3 - "$1" <<'PY'
import re, sys
try:
    src = open(sys.argv[1], errors="replace").read()
except OSError:
    print("- - -"); sys.exit(0)
def uart(handle):
    m = re.fullmatch(r"h(lp)?uart(\d+)", handle)
    return ("lpuart" if m.group(1) else "usart") + m.group(2) if m else "-"
body = src[src.find("void rxSetInterrupt"):]
handles = re.findall(r"HAL_UART_Receive_IT\(&(\w+)", body)[:2]
perf, energy = (uart(h) for h in handles) if len(handles) == 2 else ("-", "-")
pin = re.search(r"HAL_GPIO_WritePin\(GPIO([A-K]),\s*GPIO_PIN_(\d+),\s*GPIO_PIN_RESET\)", src)
print(perf, energy, f"P{pin.group(1)}{pin.group(2)}" if pin else "-")
PY
}

# The host script: name%, the input tensor (`db load N%`, `db <hex>%` in 32-byte chunks, a
# deterministic pattern; AD: float32 zeros), then the runner's infer.
host_script() {
  python3 "$ROOT/scripts/runner-host-script.py" "$1" "$2"
}

# One performance row: parses mcusim's output and the published results into a JSON line.
perf_row() {
  python3 - "$@" >>"$ROWS" <<'PY'
import json, re, statistics, sys
submitter, system, board, short, binary, uart, uart_from, command, out, published = sys.argv[1:11]
row = dict(kind="perf", submitter=submitter, system=system, board=board, task=short, binary=binary,
           uart=uart, uart_from=uart_from, command=command)
try:
    text = open(out, errors="replace").read()
except OSError:
    text = ""
row["booted"] = "m-init-done" in text and "m-ready" in text
m = re.search(r"m-name-dut-\[[^\]]*\]", text)
row["name"] = m.group(0) if m else "-"
c = re.search(r"clock\s+programmed by the firmware: ([0-9.]+) MHz", text)
row["clock_mhz"] = c.group(1) if c else "-"
laps = [int(x) for x in re.findall(r"m-lap-us-(\d+)", text)]
n = re.search(r"m-infer-start-(\d+)", text)
n = int(n.group(1)) if n else None
row["mcusim_ms"] = (laps[-1] - laps[-2]) / 1000.0 / n if n and len(laps) >= 3 else None
row["published_ms"] = None
try:
    res = open(published).read()
    runs = [float(x) for x in re.findall(r"Runtime\s*:\s*([0-9.]+) sec", res)]
    infs = [int(x) for x in re.findall(r"# Inferences\s*:\s*(\d+)", res)]
    if runs and len(runs) == len(infs):
        row["published_ms"] = statistics.median(r / k * 1000.0 for r, k in zip(runs, infs))
except OSError:
    pass
o = re.search(r"^outcome\s+(.*)$", text, re.M)
row["stop"] = o.group(1).strip() if o else (text.strip().splitlines() or ["no output"])[-1]
if row["stop"].startswith("STOPPED (waiting_for_input)"):
    row["stop"] = "waiting_for_input (the normal end: the script is used up)"
print(json.dumps(row))
PY
}

# Progress: the last row's system, task, mode and stop reason.
progress() {
  python3 - "$ROWS" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readlines()[-1])
print(f"  {r['system']} {r['task']} {r['kind']}: {r['stop']}", flush=True)
PY
}

echo "acceptance set: performance mode (the runner's infer N W; one window each)"
for sub in $(echo "$SUBMISSIONS" | awk 'NF == 3 { print $1 ":" $2 ":" $3 }'); do
  IFS=: read -r submitter system board <<<"$sub"
  results="$CLOSED/$submitter/results/$system"
  code="$CLOSED/$submitter/code/$system"
  if [[ ! -d "$results" ]]; then
    echo "{\"kind\": \"missing\", \"submitter\": \"$submitter\", \"system\": \"$system\", \"board\": \"$board\"}" >>"$ROWS"
    continue
  fi
  uarts=$(board_uarts "$board")
  for entry in $TASKS; do
    IFS=: read -r short dir model <<<"$entry"
    [[ -d "$results/$short/performance" ]] || continue
    if [[ $submitter == STMicroelectronics ]]; then
      bin="$code/$dir/Binaries/$model-Performance.bin"
      read -r st_perf _ _ <<<"$(st_port_facts "$code/$dir/tinyml_api/st_port.c")"
    else
      bin=$(find "$code/$short" -maxdepth 1 -name '*.bin' 2>/dev/null | sort | head -n1 || true)
      st_perf=-
    fi
    infer=$(grep -m1 -o 'dut infer [0-9]* [0-9]*' "$results/$short/performance/script.async" 2>/dev/null |
            sed 's/^dut //' || true)
    infer=${infer:-infer 1 0}
    if [[ -z "$bin" || ! -f "$bin" ]]; then
      perf_row "$submitter" "$system" "$board" "$short" "-" "-" "-" "$infer" "/nonexistent" \
        "$results/$short/performance/results.txt"
      continue
    fi
    # Which UART: from ST's sources, else the first of the board's that answers `name%`.
    if [[ $st_perf != - ]]; then
      uart=$st_perf
      from="st_port.c"
    else
      uart=-
      from=probed
      for u in $uarts; do
        set +e
        "$MCUSIM" run "$bin" --board "$board" --uart "$u=text:name%" \
          --max-instructions "$PROBE_INSTRUCTIONS" >"$WORK/probe.txt" 2>&1
        set -e
        if grep -q 'm-name-dut' "$WORK/probe.txt"; then
          uart=$u
          break
        fi
      done
    fi
    out="$WORK/$system-$short.txt"
    if [[ $uart == - ]]; then
      # No UART answered: the stop reason of the probe on the board's runner_uart is the finding.
      set +e
      "$MCUSIM" run "$bin" --board "$board" --uart "${uarts%% *}=text:name%" \
        --max-instructions "$PROBE_INSTRUCTIONS" >"$out" 2>&1
      set -e
    else
      host_script "$short" "$infer" >"$WORK/$short.in"
      # Bound: 3 x the published window at the board's clock plus 2e9 for boot and the image load.
      bound=$(python3 - "$ROOT/boards/$board.toml" "$results/$short/performance/results.txt" "$infer" <<'PY'
import re, statistics, sys, tomllib
clock = tomllib.loads(open(sys.argv[1]).read()).get("clock_hz", 500_000_000)
try:
    runs = [float(x) for x in re.findall(r"Runtime\s*:\s*([0-9.]+) sec", open(sys.argv[2]).read())]
except OSError:
    runs = []
seconds = (statistics.median(runs) if runs else 20.0) * (1 + 1 / max(1, int(sys.argv[3].split()[1])))
print(int(3 * clock * seconds + 2e9))
PY
)
      set +e
      "$MCUSIM" run "$bin" --board "$board" --uart "$uart=file:$WORK/$short.in" \
        --max-instructions "$bound" >"$out" 2>&1
      set -e
    fi
    perf_row "$submitter" "$system" "$board" "$short" "$bin" "$uart" "$from" "$infer" "$out" \
      "$results/$short/performance/results.txt"
    progress
  done
done

# Energy: ST's Energy builds, energy mode at the submission's supply voltage.
if [[ ${MCUSIM_ACCEPT_ENERGY:-1} != 0 ]]; then
  echo "acceptance set: energy mode (ST Energy builds, infer N 0, one window)"
  for sub in STMicroelectronics:NUCLEO_H7A3ZI_Q:nucleo-h7a3zi-q STMicroelectronics:NUCLEO_U575ZI_Q:nucleo-u575zi-q; do
    IFS=: read -r submitter system board <<<"$sub"
    results="$CLOSED/$submitter/results/$system"
    code="$CLOSED/$submitter/code/$system"
    [[ -d "$results" ]] || continue
    vdd=$(python3 "$ROOT/scripts/submission-vdd.py" "$CLOSED/$submitter/systems/$system.json" "-")
    for entry in kws:keyword_spotting:KWS01:4 vww:visual_wake_words:VWW01:2 ic:image_classification:IC01:2 ad:anomaly_detection:AD01:20; do
      IFS=: read -r short dir model n <<<"$entry"
      bin="$code/$dir/Binaries/$model-Energy.bin"
      [[ -f "$bin" && -f "$results/$short/energy/results.txt" ]] || continue
      read -r _ st_energy pin <<<"$(st_port_facts "$code/$dir/tinyml_api/st_port.c")"
      args=(--board "$board" --task "$short" --mode energy --infer "$n" 0 --windows 1
            --max-instructions 40000000000 --json "$WORK/$system-$short-energy.json")
      [[ $st_energy != - ]] && args+=(--uart "$st_energy")
      [[ $pin != - ]] && args+=(--set "timestamp_pin=$pin")
      [[ $vdd != - ]] && args+=(--set "vdd_v=$vdd")
      set +e
      "$MCUSIM" mlperf "$bin" "${args[@]}" >"$WORK/$system-$short-energy.txt" 2>&1
      rc=$?
      set -e
      python3 - "$system" "$board" "$short" "$st_energy" "$pin" "$vdd" "$n" "$rc" \
        "$WORK/$system-$short-energy.json" "$WORK/$system-$short-energy.txt" \
        "$results/$short/energy/results.txt" >>"$ROWS" <<'PY'
import json, re, statistics, sys
system, board, short, uart, pin, vdd, n, rc, path, log, published = sys.argv[1:12]
row = dict(kind="energy", submitter="STMicroelectronics", system=system, board=board, task=short,
           uart=uart, pin=pin, vdd=vdd, command=f"infer {n} 0")
res = open(published).read()
per_inf = [float(x) for x in re.findall(r"Energy/Inf\.\s*:\s*([0-9.]+) uJ/inf", res)]
energies = [float(x) for x in re.findall(r"Energy\s*:\s*([0-9.]+) uJ", res)]
powers = [float(x) for x in re.findall(r"Power\s*:\s*([0-9.]+) uW", res)]
row["published_uj"] = statistics.median(per_inf) if per_inf else None
lat = [e / p * 1e3 / (e / q) for e, p, q in zip(energies, powers, per_inf)]
row["published_ms"] = statistics.median(lat) if lat else None
row["mcusim_uj"] = row["mcusim_ms"] = None
text = open(log, errors="replace").read()
if rc == "0":
    m = json.load(open(path))["results"][0]["mlperf"]
    row["mcusim_ms"] = m["windows"][0]["seconds"] / m["infer_n"] * 1e3
    row["mcusim_uj"] = m["energy_per_inference_pj"] * 1e-6
    row["stop"] = "ok"
else:
    o = re.search(r"^outcome\s+(.*)$", text, re.M)
    lines = text.strip().splitlines()
    row["stop"] = o.group(1).strip() if o else (lines[-1] if lines else f"exit {rc}, no output")
    if o and lines and lines[-1] != row["stop"]:
        row["stop"] += " / " + lines[-1]
    # mcusim's error names the binary by its path: the row already says which one it is.
    row["stop"] = row["stop"].replace("mcusim: error: ", "")
    row["stop"] = re.sub(r"\S*/(\w+-Energy\.bin)", r"\1", row["stop"])
print(json.dumps(row))
PY
      progress
    done
  done
fi

# Systems without a board in mcusim, of every submitter in the checkout (and ST's L4R5, the
# development set). "._*" files are macOS metadata some submissions carry, not systems.
for subdir in "$CLOSED"/*/; do
  submitter=$(basename "$subdir")
  for json in "$subdir/systems"/*.json; do
    [[ -f "$json" && $(basename "$json") != ._* ]] || continue
    system=$(basename "$json" .json)
    awk -v s="$system" '$2 == s { found = 1 } END { exit !found }' <<<"$SUBMISSIONS" && continue
    echo "{\"kind\": \"noboard\", \"submitter\": \"$submitter\", \"system\": \"$system\"}" >>"$ROWS"
  done
done

python3 - "$ROWS" "$MARKDOWN" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
md = []
def f3(v):
    return f"{v:.3f}" if v is not None else "-"
def err(sim, pub):
    return f"{(sim - pub) / pub * 100:+.1f}%" if sim is not None and pub else "-"
perf = [r for r in rows if r["kind"] == "perf"]
print()
print("performance mode: published latency (median over the windows) vs mcusim (m-lap-us difference / N)")
hdr = ("system", "task", "board", "booted", "uart", "clock_MHz", "name% answer", "command", "published_ms",
       "mcusim_ms", "error", "stop")
fmt = "{:<36} {:<4} {:<16} {:<6} {:<17} {:<9} {:<31} {:<13} {:>12} {:>10} {:>8}  {}"
print(fmt.format(*hdr))
md.append("| " + " | ".join(hdr) + " |")
md.append("|" + "---|" * 4 + "---|---:|---|---|---:|---:|---:|---|")
for r in perf:
    uart = f"{r['uart']} ({r['uart_from']})" if r["uart"] != "-" else "- (none answered)"
    if r["binary"] == "-":
        uart = "-"
    cells = (f"{r['submitter']}/{r['system']}", r["task"], r["board"], "yes" if r["booted"] else "NO", uart,
             r["clock_mhz"], r["name"], r["command"], f3(r["published_ms"]), f3(r["mcusim_ms"]),
             err(r["mcusim_ms"], r["published_ms"]),
             "no binary in the submission" if r["binary"] == "-" else r["stop"])
    print(fmt.format(*cells))
    md.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
energy = [r for r in rows if r["kind"] == "energy"]
if energy:
    print()
    print("energy mode (ST Energy builds): published (median over the windows) vs mcusim (edge-framed window)")
    hdr = ("system", "task", "uart", "pin", "VDD_V", "command", "pub_ms", "mcusim_ms", "error", "pub_uJ/inf",
           "mcusim_uJ/inf", "error", "stop")
    fmt = "{:<36} {:<4} {:<8} {:<5} {:<5} {:<11} {:>9} {:>9} {:>8} {:>11} {:>13} {:>8}  {}"
    print(fmt.format(*hdr))
    md.append("")
    md.append("| " + " | ".join(hdr) + " |")
    md.append("|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for r in energy:
        cells = (f"{r['submitter']}/{r['system']}", r["task"], r["uart"], r["pin"], r["vdd"], r["command"],
                 f3(r["published_ms"]), f3(r["mcusim_ms"]), err(r["mcusim_ms"], r["published_ms"]),
                 f3(r["published_uj"]), f3(r["mcusim_uj"]), err(r["mcusim_uj"], r["published_uj"]), r["stop"])
        print(fmt.format(*cells))
        md.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
others = [r for r in rows if r["kind"] in ("noboard", "missing")]
if others:
    print()
    md.append("")
    for r in others:
        if r["kind"] == "missing":
            line = f"{r['submitter']}/{r['system']}: not in this checkout (board {r['board']})"
        elif r["submitter"] == "STMicroelectronics" and r["system"] == "NUCLEO_L4R5ZI":
            line = f"{r['submitter']}/{r['system']}: the development set (scripts/validate-vendor.sh), not run here"
        else:
            line = f"{r['submitter']}/{r['system']}: no board in mcusim"
        print(line)
        md.append(f"- {line}")
booted = sum(1 for r in perf if r["booted"])
timed = [r for r in perf if r["mcusim_ms"] is not None and r["published_ms"]]
print()
summary = f"{len(perf)} submission x task rows: {booted} booted, {len(timed)} timed"
if timed:
    errs = sorted((r["mcusim_ms"] - r["published_ms"]) / r["published_ms"] * 100 for r in timed)
    summary += f"; latency error {errs[0]:+.1f}% to {errs[-1]:+.1f}% (median {statistics.median(errs):+.1f}%)"
print(summary)
md.append("")
md.append(summary)
if sys.argv[2]:
    # Written whole or not at all: a temporary file in the same directory, then renamed.
    import os, tempfile
    out = os.path.abspath(sys.argv[2])
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(out), prefix=".acceptance-", suffix=".md")
    try:
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(md) + "\n")
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
PY
exit 0
