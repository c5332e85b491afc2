#!/usr/bin/env bash
# An installed copy works away from the source tree (issue 11): `cmake --install` into a scratch
# prefix, then the installed binary lists its boards from <prefix>/share/mcusim (a board that only
# the installed copy has proves it) and runs the reference firmware from there.
# Usage: installed_copy.sh BUILD_DIR TMP_DIR
set -euo pipefail
build=$1 prefix=$2/installed_copy
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" > /dev/null
bin=$prefix/bin/mcusim
test -x "$bin"
sed 's/^description = .*/description = "only in the installed copy"/' "$prefix/share/mcusim/boards/nucleo-l4r5zi.toml" \
  > "$prefix/share/mcusim/boards/installed-only.toml"
# Through a file: `| grep -q` with pipefail fails when grep exits before mcusim has written
# everything (SIGPIPE once the list outgrows one stdio buffer).
(cd / && env -u MCUSIM_DATA_DIR -u MCUSIM_FIRMWARE_DIR "$bin" boards) > "$prefix/boards.txt"
grep -q 'only in the installed copy' "$prefix/boards.txt"
(cd / && env -u MCUSIM_DATA_DIR -u MCUSIM_FIRMWARE_DIR "$bin" bench --task ad --board installed-only -q \
  --json "$prefix/ad.json")
grep -q '"status": "ok"' "$prefix/ad.json"
echo "installed_copy: 1 passed, 0 failed"
