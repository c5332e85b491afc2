#!/usr/bin/env bash
# `mcusim mlperf` in energy mode on a raw image (no symbols: the window energy comes from the
# counters at the timestamp edges) without --profile writes no profile files: it once wrote .trace.json and
# .speedscope.json into the working directory.
# Usage: no_stray_files.sh MCUSIM FIRMWARE_DIR WORK_DIR
set -euo pipefail
mcusim="$1" fw="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
arm-none-eabi-objcopy -O binary "$fw/nucleo-l4r5zi/dut-ad-energy.elf" dut.bin
"$mcusim" mlperf dut.bin --board nucleo-l4r5zi --task ad --mode energy --infer 2 0 --windows 1 -q
left="$(ls -A | grep -v '^dut.bin$' || true)"
[ -z "$left" ] || { echo "FAIL: files written without --profile: $left"; exit 1; }
echo "PASS: no files written"
