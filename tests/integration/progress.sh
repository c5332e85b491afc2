#!/usr/bin/env bash
# Progress on long runs (issue 18, part 3): `run`, `bench`, `model`, `mlperf` and `sweep` show a progress
# line on standard error when it is a terminal (util-linux `script` gives the command one), and
# nothing when it is not a terminal or with -q.
# Usage: progress.sh MCUSIM FIRMWARE_DIR MODELS_DIR WORK_DIR (MCUSIM_CACHE_DIR may be set).
set -uo pipefail
mcusim="$1" fw="$2" models="$3" work="$4"
mkdir -p "$work"
fails=0
# on_tty NAME ARGS...: runs mcusim with stdout to a file and stderr on a pseudo-terminal;
# the terminal's transcript is $work/NAME.tty.
on_tty() {
  local name="$1"; shift
  local cmd; printf -v cmd '%q ' "$mcusim" "$@"
  script -qec "$cmd >$work/$name.out" "$work/$name.tty" >/dev/null 2>&1
}
expect() {  # expect NAME REGEX: the transcript shows REGEX
  if tr '\r' '\n' < "$work/$1.tty" | grep -aEq "$2"; then echo "PASS: $1"; else
    echo "FAIL: $1: no line matching '$2' in:"; tr '\r' '\n' < "$work/$1.tty" | tail -5; fails=$((fails + 1)); fi
}
absent() {  # absent NAME FILE REGEX: FILE does not show REGEX
  if tr '\r' '\n' < "$2" | grep -aEq "$3"; then echo "FAIL: $1: unexpected '$3'"; fails=$((fails + 1)); else
    echo "PASS: $1"; fi
}

# run: a 48.7 M-cycle firmware passes the 10 M-cycle display interval four times.
on_tty run run "$fw/nucleo-l4r5zi/kws-reference.elf" --board nucleo-l4r5zi
expect run '^.*run: [0-9.]+ M instructions, [0-9.]+ ms simulated'
on_tty run-quiet run "$fw/nucleo-l4r5zi/kws-reference.elf" --board nucleo-l4r5zi -q
absent run-quiet "$work/run-quiet.tty" 'M instructions'
"$mcusim" run "$fw/nucleo-l4r5zi/kws-reference.elf" --board nucleo-l4r5zi > /dev/null 2> "$work/run-pipe.err"
absent run-not-a-terminal "$work/run-pipe.err" 'M instructions'

# bench and model: runs done out of all, instructions and simulated time over all runs.
on_tty bench bench --task ad --kernels both --board nucleo-l4r5zi
expect bench 'bench: 2/2 runs done, [0-9.]+ M instructions, [0-9.]+ s simulated'
"$mcusim" bench --task ad --board nucleo-l4r5zi > /dev/null 2> "$work/bench-pipe.err"
absent bench-not-a-terminal "$work/bench-pipe.err" 'runs done'
on_tty model model "$models/ad.tflite" --board nucleo-l4r5zi --kernels optimized
expect model 'model: 1/1 runs done, [0-9.]+ M instructions'
on_tty model-quiet model "$models/ad.tflite" --board nucleo-l4r5zi --kernels optimized -q
absent model-quiet "$work/model-quiet.tty" 'runs done'

# mlperf: the runner session (boot, commands, windows) is one simulation: a KWS window of one
# 11.5 M-cycle inference (and its warm-up) passes the 10 M-cycle display interval.
on_tty mlperf mlperf "$fw/nucleo-l4r5zi/dut-kws.elf" --board nucleo-l4r5zi --task kws --infer 1 1 --windows 1
expect mlperf '^.*run: [0-9.]+ M instructions, [0-9.]+ ms simulated'
on_tty mlperf-quiet mlperf "$fw/nucleo-l4r5zi/dut-kws.elf" --board nucleo-l4r5zi --task kws --infer 1 1 --windows 1 -q
absent mlperf-quiet "$work/mlperf-quiet.tty" 'M instructions'

# sweep: rows done out of all.
on_tty sweep sweep --task ad --set flash.wait_states=4,5 --jobs 2
expect sweep 'sweep: 2/2 rows done'

[ "$fails" -eq 0 ] || { echo "$fails progress check(s) failed"; exit 1; }
