#!/usr/bin/env bash
# `mcusim mlperf --mode energy` on an image without window regions (a vendor binary) prices each
# window from the counters snapshotted at the timestamp pin's falling edges; `--window-from edges`
# does so on any image. The DUT's AD energy build priced from its window region and priced from
# the edges, which enclose the region with a few cycles of pin writes (docs/mlperf.md), must agree
# within the energy of those cycles, and the edge-priced window must carry the full breakdown
# (core, flash, caches, SRAM, static, and the peripherals the window clocked) adding up to its total.
# Usage: energy_from_edges.sh MCUSIM FIRMWARE_DIR WORK_DIR
set -euo pipefail
mcusim="$1" fw="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
elf="$fw/nucleo-l4r5zi/dut-ad-energy.elf"
args=(--board nucleo-l4r5zi --task ad --mode energy --infer 2 0 --windows 1 -q)
"$mcusim" mlperf "$elf" "${args[@]}" --json elf.json
"$mcusim" mlperf "$elf" "${args[@]}" --window-from edges --json edges.json
python3 - <<'PY'
import json, sys
elf = json.load(open("elf.json"))["results"][0]["mlperf"]["windows"][0]
edge = json.load(open("edges.json"))["results"][0]["mlperf"]["windows"][0]
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= cond
check("priced_from" not in elf, "default: the window region")
check(edge.get("priced_from") == "timestamp_edges", "--window-from edges: priced from the timestamp edges")
e = edge["energy"]
# The peripherals part is present when the window clocked a block the table prices (the DUT
# keeps its timer, LPUART1 and GPIO ports clocked: docs/models/energy.md "Peripherals").
parts = (e["core_pj"]["total_pj"] + e["memory_pj"]["total_pj"] + e["static_pj"] + e["sleep_pj"]
         + e.get("peripherals_pj", {}).get("total_pj", 0.0))
check(abs(parts - e["total_pj"]) <= 1e-9 * e["total_pj"], f"parts add up: {parts:.1f} = {e['total_pj']:.1f} pJ")
check(e["core_pj"]["instructions_pj"] > 0 and e["memory_pj"]["flash"]["total_pj"] > 0
      and e["memory_pj"]["sram"]["total_pj"] > 0 and e["static_pj"] > 0, "core, flash, SRAM and static all priced")
# The edges enclose the region: extra cycles = edge window - region cycles (pin writes).
extra = elf["edge_window_cycles"] - elf["cycles"]
bound = max(extra, 1) / elf["cycles"] * 4 + 1e-6  # a pin-write cycle costs at most ~4x the window's average
rel = abs(edge["energy"]["total_pj"] - elf["energy"]["total_pj"]) / elf["energy"]["total_pj"]
check(0 <= extra < 300 and rel <= bound,
      f"edges vs region window energy {edge['energy']['total_pj']:.0f} vs {elf['energy']['total_pj']:.0f} pJ: "
      f"{rel:.2e} <= {bound:.2e} ({extra} edge-minus-region cycles)")
print("PASS: window priced from the edges" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
