#!/usr/bin/env python3
"""Prints the host side of an MLPerf Tiny runner session as one UART input stream.

Usage: scripts/runner-host-script.py TASK INFER
  TASK   kws, vww, ic or ad: sets the input tensor size (490, 27648, 3072, 2560 bytes:
         ../shared/reference/mlperf-tiny.md)
  INFER  the runner's infer command, e.g. "infer 300 1"
Prints `name%`, `db load N%`, the tensor as `db <64 hex digits>%` commands of 32 bytes, then
`INFER%`. The tensor is deterministic: AD takes float32 features, so zero bytes (0.0); the
int8/uint8 tasks get the byte ramp (31 i + 7) mod 256. Used by validate-vendor.sh and
validate-acceptance.sh. Exit 0; 2 on bad usage.
"""
import sys

SIZES = {"kws": 490, "vww": 27648, "ic": 3072, "ad": 2560}
if len(sys.argv) != 3 or sys.argv[1] not in SIZES:
    sys.stderr.write(__doc__)
    sys.exit(2)
short, infer = sys.argv[1:3]
size = SIZES[short]
data = bytes(size) if short == "ad" else bytes((i * 31 + 7) & 0xFF for i in range(size))
cmds = ["name", f"db load {size}"]
cmds += ["db " + data[i:i + 32].hex() for i in range(0, size, 32)]
cmds.append(infer)
sys.stdout.write("".join(c + "%" for c in cmds))
