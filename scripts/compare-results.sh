#!/usr/bin/env bash
# Proof of no behaviour change (issue 12): runs `mcusim bench --kernels both --board B --json F`
# for every shipped board (boards/*.toml) with two mcusim binaries and diffs the JSON results
# byte for byte. Both binaries read the same data tables (MCUSIM_DATA_DIR, default this checkout)
# and the same firmware (MCUSIM_FIRMWARE_DIR, default build/firmware).
#
# Usage:
#   scripts/compare-results.sh BEFORE_MCUSIM AFTER_MCUSIM [OUTDIR]   run both, then diff
#   scripts/compare-results.sh run MCUSIM OUTDIR                      run one binary into OUTDIR
#   scripts/compare-results.sh diff DIR_A DIR_B                       diff two result directories
# Environment (optional): BOARDS (space-separated board names; default every boards/*.toml),
#   JOBS (bench -j, default 2).
# Exit status: 0 when every board's JSON is identical, 1 when any differs or is missing, 2 on
# bad usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export MCUSIM_DATA_DIR=${MCUSIM_DATA_DIR:-$root}
export MCUSIM_FIRMWARE_DIR=${MCUSIM_FIRMWARE_DIR:-$root/build/firmware}
boards=${BOARDS:-$(cd "$root/boards" && ls *.toml | sed 's/\.toml$//' | sort)}

usage() { sed -n '2,15p' "$0" >&2; exit 2; }

run_one() {  # MCUSIM OUTDIR
  local bin=$1 out=$2
  [ -x "$bin" ] || { echo "compare-results: $bin is not an executable" >&2; exit 2; }
  mkdir -p "$out"
  for b in $boards; do
    # bench exits non-zero when a firmware faults; the JSON records that too and is compared.
    "$bin" bench --kernels both --board "$b" -j "${JOBS:-2}" --json "$out/$b.json" \
      > "$out/$b.stdout" 2> "$out/$b.stderr" || echo "$b: exit $?" >> "$out/exit-codes.txt"
    echo "$b done" >&2
  done
}

diff_dirs() {  # DIR_A DIR_B
  local a=$1 b=$2 bad=0
  for board in $boards; do
    if [ ! -f "$a/$board.json" ] || [ ! -f "$b/$board.json" ]; then
      echo "MISSING $board"; bad=1
    elif cmp -s "$a/$board.json" "$b/$board.json"; then
      echo "SAME    $board ($(wc -c < "$a/$board.json") bytes, sha256 $(sha256sum < "$a/$board.json" | cut -c1-16))"
    else
      echo "DIFFER  $board"; diff <(tr ',' '\n' < "$a/$board.json") <(tr ',' '\n' < "$b/$board.json") | head -20
      bad=1
    fi
  done
  if ! cmp -s "$a/exit-codes.txt" "$b/exit-codes.txt" 2>/dev/null && \
     [ -f "$a/exit-codes.txt" -o -f "$b/exit-codes.txt" ]; then
    echo "DIFFER  exit codes"; bad=1
  fi
  return $bad
}

case "${1:-}" in
  run) [ $# -eq 3 ] || usage; run_one "$2" "$3" ;;
  diff) [ $# -eq 3 ] || usage; diff_dirs "$2" "$3" ;;
  ""|-h|--help) usage ;;
  *)
    [ $# -ge 2 ] || usage
    out=${3:-$(mktemp -d)}
    run_one "$1" "$out/before"
    run_one "$2" "$out/after"
    diff_dirs "$out/before" "$out/after"
    ;;
esac
