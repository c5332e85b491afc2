#!/usr/bin/env bash
# Renders a speedscope profile written by `mcusim ... --profile` in speedscope itself and keeps a
# screenshot (the README's picture, docs/img/speedscope-kws.png), issue 18.
#
# Usage: scripts/speedscope-screenshot.sh SPEEDSCOPE_DIR PROFILE.speedscope.json OUT.png [TITLE]
#   SPEEDSCOPE_DIR: a built speedscope web app you provide (a release zip from
#   github.com/jlfwong/speedscope/releases unpacked, or its gh-pages branch checked out): the
#   directory holding index.html. It is served from a loopback port for the time of the
#   screenshot; nothing of it is copied into the tree, and nothing is downloaded.
# Needs: python3 (http.server) and Debian's chromium (headless, software rendering).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 SPEEDSCOPE_DIR PROFILE.speedscope.json OUT.png [TITLE]" >&2; exit 2; }
app="$(realpath "$1")"; profile="$(realpath "$2")"; out="$(realpath -m "$3")"; title="${4:-$(basename "$2" .speedscope.json)}"
[ -f "$app/index.html" ] || { echo "$0: $app: no index.html (expected a built speedscope web app)" >&2; exit 2; }
[ -f "$profile" ] || { echo "$0: $profile: no such file" >&2; exit 2; }
command -v chromium >/dev/null || { echo "$0: chromium is not installed (scripts/install-deps.sh report)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
ln -s "$app"/* "$work"/
cp "$profile" "$work/profile.json"
port=$((20000 + RANDOM % 20000))
(cd "$work" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
url="http://127.0.0.1:$port/index.html#profileURL=$(enc "http://127.0.0.1:$port/profile.json")&title=$(enc "$title")"
timeout 120 chromium --headless=new --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader \
  --window-size=1400,560 --virtual-time-budget=15000 --screenshot="$out" "$url" >/dev/null 2>&1
[ -s "$out" ] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "wrote $out"
