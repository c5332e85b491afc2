#!/usr/bin/env bash
# Installs what mcusim needs and is missing: Debian 12 packages with apt-get, and the Python
# packages of its tools (scripts/requirements-*.txt, from PyPI) in a virtual environment at
# $MCUSIM_VENV (default: .venv in the repository root). Does nothing, and needs no network, when
# everything is present. Nothing else is downloaded at build, test or run time.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  build-essential cmake pkg-config
  libunicorn-dev libcapstone-dev libelf-dev libdw-dev
  libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libgtest-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  python3 python3-venv
)
# Extra package lists of individual features (one package a line, '#' comments).
for list in scripts/packages-*.txt; do
  [ -e "$list" ] || continue
  while read -r p _; do
    case "$p" in ''|'#'*) continue ;; esac
    packages+=("$p")
  done < "$list"
done
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The tools' Python environment: Debian's python3, a standard venv, PyPI packages by name.
venv="${MCUSIM_VENV:-$PWD/.venv}"
reqs=(scripts/requirements-*.txt)
if [ -e "${reqs[0]}" ]; then
  stamp="$venv/.mcusim-requirements"
  want="$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ]; then
    /usr/bin/python3 -m venv "$venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "install-deps: installing Python packages into $venv"
    req_args=()
    for r in "${reqs[@]}"; do req_args+=(-r "$r"); done
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "${req_args[@]}"
    echo "$want" > "$stamp"
  else
    echo "install-deps: Python environment $venv up to date"
  fi
fi
