#!/usr/bin/env bash
# Table-driven bad-input test (issue 11): every case runs the mcusim CLI and asserts the exit
# code and that the message names the culprit (file, key, option, address or value). No case
# may abort (exit 134, "terminate called"), crash or run longer than its timeout.
# Usage: bad_input.sh MCUSIM FIRMWARE_DIR SNIPPET_DIR TMP_DIR
set -uo pipefail
MCUSIM=$1 FW=$2 SNIP=$3 TMP=$4/bad_input
SRC=$(cd "$(dirname "$0")/../.." && pwd)
AD=$FW/nucleo-l4r5zi/ad-optimized.elf
rm -rf "$TMP" && mkdir -p "$TMP" && cd "$TMP" || exit 2
pass=0 fail=0

# t NAME RC REGEX -- ARGS...: run mcusim ARGS; expect exit code RC and REGEX (grep -E) in its output.
t() {
  local name=$1 rc=$2 re=$3
  shift 4
  local out got
  out=$(timeout 120 "$MCUSIM" "$@" 2>&1)
  got=$?
  if [ "$got" != "$rc" ] || ! grep -Eq -- "$re" <<<"$out" || grep -q "terminate called" <<<"$out"; then
    echo "FAIL $name: exit $got (want $rc), output must match /$re/:"
    head -c 2000 <<<"$out" | sed 's/^/    /'
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
# ok NAME CONDITION...: a check on the file system after a case.
ok() {
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL $name: $*"; fail=$((fail + 1)); fi
}
board() {  # board NAME SED-SCRIPT: a copy of nucleo-l4r5zi.toml edited by sed
  sed -e "$2" "$SRC/boards/nucleo-l4r5zi.toml" > "$TMP/$1.toml"
  echo "$TMP/$1.toml"
}
json_edit() {  # json_edit IN OUT PYTHON-STATEMENTS (on d)
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY
}

# --- 1. configuration errors reported with the key named (run, board file, --set) -------------
t icache-size 2 '^mcusim: error: --set flash.icache.size=3KiB: flash.icache.ways: 4 ways give 24 sets' -- run "$AD" --set flash.icache.size=3KiB
t icache-ways-64 2 '--set flash.icache.ways=64: flash.icache.ways: 64 does not divide the 32 lines' -- run "$AD" --set flash.icache.ways=64
t icache-ways-3 2 'flash.icache.ways: 3 does not divide' -- run "$AD" --set flash.icache.ways=3
t icache-line-24 2 'flash.icache.line_bytes: 24 is not a power of two' -- run "$AD" --set flash.icache.line_bytes=24
t read-width-3 2 'flash.read_width_bytes: 3 is not a power of two' -- run "$AD" --set flash.read_width_bytes=3
t sram-on-flash 2 "--set sram.sram.base=0x08000000: sram\[0\].base: region 'sram' .* overlaps the flash" -- run "$AD" --set sram.sram.base=0x08000000
t console-in-ppb 2 'console_address: 0xe0001000 is inside the Private Peripheral Bus' -- run "$AD" --set console_address=0xE0001000
t cache-too-big 2 'flash.icache.size: .* larger than the modelled maximum' -- run "$AD" --set flash.icache.size=64MiB
b=$(board file-ways 's/^ways = 4/ways = 3/')
t board-file-ways 2 "^mcusim: error: $b: flash.icache.ways: 3 does not divide" -- run "$AD" --board "$b"
t set-names-option 2 '^mcusim: error: --set clock_hz=0: clock_hz: 0 is out of range' -- run "$AD" --set clock_hz=0
b=$(board bad-ts-pin 's/^timestamp_pin = "PF13"/timestamp_pin = "PF16"/')
t board-timestamp-pin 2 "$b: timestamp_pin: 'PF16' is not a GPIO pin" -- run "$AD" --board "$b"
b=$(board bad-runner-uart 's/^runner_uart = "lpuart1"/runner_uart = "uart9"/')
t mlperf-runner-uart 2 "no UART named 'uart9'" -- mlperf "$FW/nucleo-l4r5zi/dut-kws.elf" --board "$b" --task kws --infer 1 0 --windows 1

# --- 3. output files ------------------------------------------------------------------------
t json-dev-null 0 '' -- run "$AD" -q --json /dev/null
ok dev-null-still-a-device test -c /dev/null
echo old > target.json && ln -sf target.json link.json
t json-symlink 0 '' -- run "$AD" -q --json link.json
ok symlink-kept test -L link.json
ok symlink-target-written grep -q '"schema_version"' target.json
echo keep > ro.json && chmod 444 ro.json
t json-read-only 2 'ro.json: is read-only' -- run "$AD" -q --json ro.json
ok read-only-kept grep -qx keep ro.json
cp "$AD" app.elf
t json-onto-firmware 2 '--json app.elf: is also an input file' -- run app.elf -q --json app.elf
ok firmware-kept cmp -s "$AD" app.elf
t two-outputs-one-file 2 '--json r.json and --csv r.json: two outputs to the same file' -- run "$AD" --json r.json --csv r.json
t json-empty 2 '--json: the file name is empty' -- run "$AD" --json ""
t json-stdout 0 '"schema_version"' -- run "$AD" --json -
t json-dir 2 'is a directory' -- run "$AD" -q --json "$TMP"

# --- 4. a region the baseline has, missing or never closed now: compare fails, named -----------
"$MCUSIM" run "$AD" -q --json base.json >/dev/null 2>&1
json_edit base.json no-inf.json 'd["results"][0]["inference"] = None'
t compare-region-missing 1 'region inference missing' -- compare base.json no-inf.json
json_edit base.json unclosed.json '
for r in d["results"][0]["regions"]:
    if r["attributes"].get("name") == "inference":
        r["instances"] = 0
        r["counters"]["cycles"] = 0; r["counters"]["instructions"] = 0
d["results"][0]["inference"]["cycles"] = 0; d["results"][0]["inference"]["instructions"] = 0'
t compare-region-unclosed 1 'region inference never closed' -- compare base.json unclosed.json
t run-region-unclosed 1 "warning: region 'name=inference' \(id 7\) was opened and never closed" -- run "$SNIP/roi_unclosed.elf" -q
json_edit base.json neg.json 'd["results"][0]["inference"]["energy"]["total_pj"] = -1.0'
t compare-negative-energy 1 'invalid \(negative\)' -- compare base.json neg.json
json_edit base.json zero.json 'd["results"][0]["inference"]["cycles"] = 0'
t compare-zero-cycles 1 'invalid \(zero\)' -- compare base.json zero.json

# --- 5. limits ----------------------------------------------------------------------------------
t max-insns-negative 2 "--max-instructions '-1': expected 0 \(no limit\)" -- run "$AD" --max-instructions -1
t max-insns-2p64 2 "--max-instructions '18446744073709551616'" -- run "$AD" --max-instructions 18446744073709551616
b=$(board console-halt 's/^vector_table.*/&\nconsole_address = 0x40004000\nhalt_address = 0x40004000/')
t console-equals-halt 2 'halt_address: 0x40004000 is also the console_address' -- run "$AD" --board "$b"
t device-ws-no-device 2 'device_wait_states: is set but the board has no console_address or halt_address' -- run "$AD" --set device_wait_states=1
t device-ws-16 2 'device_wait_states: 16 is out of range \[0, 15\]' -- run "$AD" --board picorv32-soc --set device_wait_states=16

t stuck-masked 3 'can never progress: a branch to itself at PC 0x0800000e .*PRIMASK = 1' -- run "$SNIP/stuck_masked.elf" -q
t stuck-loop 3 'can never progress: a branch to itself at PC 0x0800000c .* no exception source' -- run "$SNIP/stuck_loop.elf" -q
t unaligned-ldrd 3 'unaligned 4-byte access to 0x20000102 .* by the instruction at PC 0x[0-9a-f]+, which needs 4-byte alignment' -- run "$SNIP/unaligned_1.elf" -q
t stuck-rv-mie 3 'can never progress: a branch to itself at PC 0x[0-9a-f]+ .*mstatus.MIE = 0' -- run "$SNIP/rv_stuck_masked.elf" --board ibex-simple -q
t stuck-rv-mie-enabled 3 'can never progress: a branch to itself .*mie = 0' -- run "$SNIP/rv_stuck_noirq.elf" --board ibex-simple -q
# An instruction the modelled core does not have though Unicorn runs it: FENCE.I on PicoRV32 (no
# Zifencei: picorv32.v traps on it), stopped before it runs; and the strict RV32 isa strings.
t fence-i-no-zifencei 3 'illegal instruction 0x0000100f at PC 0x00100088 \(ram\): FENCE.I, and core picorv32 has no Zifencei \(isa rv32imc\)' -- run "$SNIP/rv_fence_i.elf" --board ibex-simple --set core=picorv32 -q
sed -e 's/^core = "ibex-small".*/&\ncore_set = ["isa=rv32imc_zicsr"]/' "$SRC/boards/ibex-simple.toml" > "$TMP/bad-isa.toml"
t core-isa-unknown 2 "ibex-small.toml \(with core_set of $TMP/bad-isa.toml\): key 'isa': unknown ISA 'rv32imc_zicsr' \(known: .*rv32im, rv32im_zifencei, rv32imc, rv32imc_zifencei\)" -- run "$SNIP/rv_fence_i.elf" --board "$TMP/bad-isa.toml" -q

# --- 7. counts from input are bounded ----------------------------------------------------------
"$MCUSIM" sweep --task ad --set flash.wait_states=3,4 --shard 1/2 -q --json s1.json >/dev/null 2>&1
"$MCUSIM" sweep --task ad --set flash.wait_states=3,4 --shard 2/2 -q --json s2.json >/dev/null 2>&1
for n in 18446744073709551615 9223372036854775808 1000000000 300000000; do
  json_edit s1.json "count-$n.json" "d['sweep']['shard']['count'] = $n"
  t "merge-shard-count-$n" 2 "sweep.shard.count $n is outside 1..100000|sweep.shard.count $n differs" -- merge "count-$n.json" s2.json
done
t shard-huge 2 "--shard '1/99999999999999999999999': expected I/N" -- sweep --task ad --shard 1/99999999999999999999999
t sweep-1e10 2 'more than 1000000 configurations' -- sweep --task ad --set clock_hz=1..99999 --set flash.wait_states=1..99999 --set vdd_v=1,2
t sweep-2p64 2 'more than 1000000 configurations' -- sweep --task ad --set a=0..65535 --set b=0..65535 --set c=0..65535 --set d=0..65535
json_edit s1.json params.json 'd["results"][0]["parameters"]["flash.wait_states"] = "9"'
t merge-row-params 2 'parameters .* are not the configuration' -- merge params.json s2.json
json_edit s1.json axes.json 'd["sweep"]["axes"] = []; d["sweep"]["configurations"] = 6'
json_edit s2.json axes2.json 'd["sweep"]["axes"] = []; d["sweep"]["configurations"] = 6'
t merge-empty-axes 2 'sweep.configurations 6 differs from the product' -- merge axes.json axes2.json
t merge-ok 0 'ad' -- merge s1.json s2.json
# Error rows of a sweep over a board given by path carry no host path.
b=$(board path-board 's/^ways = 4/ways = 4/')
t sweep-board-path 0 '' -- sweep --board "$b" --task ad --set flash.icache.ways=3,4 -q --json sw.json
ok sweep-error-row-named grep -q 'flash.icache.ways: 3 does not divide' sw.json
ok sweep-no-host-path test -z "$(grep -F "$TMP" sw.json)"

# --- 9. accepted silently before ---------------------------------------------------------------
t size-overflow 2 "flash.icache.size: '17592186044417MiB' is larger than 4 GiB" -- run "$AD" --set 'flash.icache.size="17592186044417MiB"'
b=$(board m4-l1 '$a [cache]\nmiss_overhead_cycles = 0\nbus_bytes = 8\n[cache.icache]\nenabled = true\nsize = "16KiB"\nline_bytes = 32\nways = 2\nreplacement = "lru"\n[cache.dcache]\nenabled = true\nsize = "16KiB"\nline_bytes = 32\nways = 4\nreplacement = "lru"\nwrite_policy = "write-back"\nwrite_allocate = true')
t cache-on-m4 2 'cache: core cortex-m4 has no L1 caches' -- run "$AD" --board "$b"
python3 - "$SNIP/bad_segment.elf" overlap.elf <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<I", b, 0x1C); phentsize, phnum = struct.unpack_from("<HH", b, 0x2A)
loads = [phoff + i * phentsize for i in range(phnum) if struct.unpack_from("<I", b, phoff + i * phentsize)[0] == 1]
assert len(loads) >= 2
# The last PT_LOAD moved onto the first one's address: two segments for the same bytes.
vaddr, paddr = struct.unpack_from("<II", b, loads[0] + 8)
struct.pack_into("<II", b, loads[-1] + 8, vaddr, paddr)
open(sys.argv[2], "wb").write(b)
PY
t elf-overlap 2 'overlap.elf: load segment [0-9]+ .* overlaps an earlier load segment' -- run overlap.elf

# --- smaller gaps ------------------------------------------------------------------------------
t unknown-core 2 "core: 'nope' is not a known table name .*cortex-m4" -- run "$AD" --set core=nope
t core-path 2 "core: '../../x' is not a known table name" -- run "$AD" --set 'core="../../x"'
t unknown-power 2 "power: 'nope' is not a known table name .*stm32l4r5-range1-boost" -- run "$AD" --set power=nope
t firmware-dir 2 "$TMP: is a directory; expected an ELF file" -- run "$TMP"
t results-dir 2 "$TMP: is a directory; expected a results JSON file" -- compare "$TMP" base.json
t board-dir 2 'is a directory; expected a board' -- run "$AD" --board "$TMP/"
t bench-quiet 0 '^$' -- bench --task ad -q
t help-footer-main 0 'What the numbers mean' -- --help
t help-footer-run 0 'What the numbers mean' -- run --help
out=$("$MCUSIM" bench --help 2>&1)
ok help-no-footer-bench test -z "$(grep 'What the numbers mean' <<<"$out")"
MCUSIM_DATA_DIR=$TMP/nowhere t boards-wrong-dir 2 "no board files \(\*.toml\) in $TMP/nowhere/boards" -- boards
MCUSIM_DATA_DIR=$TMP/nowhere t board-wrong-dir 2 "unknown board 'nucleo-l4r5zi' \(looked in $TMP/nowhere/boards" -- run "$AD"

# --- 10. RISC-V first contact -------------------------------------------------------------------
t boards-detail 0 'reset +PC 0x00100080' -- boards --detail ibex-simple
t boards-detail-console 0 'console +byte stores to 0x00020000' -- boards --detail ibex-simple
t boards-detail-halt 0 'halt +a store to 0x00020008' -- boards --detail ibex-simple
# Started at the vector table (0x00100000) instead of _start: crt0's trap handler exits with 128
# + mcause (0 at reset) = 128, so exit code 1, and the note names both addresses.
t reset-pc-differs 1 'starts at its reset_pc 0x00100000, not at the ELF entry point 0x00100080' -- run "$FW/ibex-simple/ad-optimized.elf" --board ibex-simple --set reset_pc=0x00100000 -q

echo "bad_input: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
