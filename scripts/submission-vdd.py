#!/usr/bin/env python3
"""Prints the supply voltage an MLPerf Tiny submission states in its system description.

Usage: scripts/submission-vdd.py SYSTEM_JSON DEFAULT
  SYSTEM_JSON  closed/<submitter>/systems/<system>.json of a tiny_results checkout
  DEFAULT      printed when the file is unreadable or its "Hardware Notes" name no voltage
Prints the first "<number> V" of "Hardware Notes" (e.g. "Operating at 1.8V" -> 1.8). Used by
validate-vendor.sh and validate-acceptance.sh. Exit 0; 2 on bad usage.
"""
import json
import re
import sys

if len(sys.argv) != 3:
    sys.stderr.write(__doc__)
    sys.exit(2)
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        notes = json.load(f).get("Hardware Notes", "")
except (OSError, ValueError):
    notes = ""
m = re.search(r"([0-9.]+)\s*V\b", notes if isinstance(notes, str) else "")
print(m.group(1) if m else sys.argv[2])
