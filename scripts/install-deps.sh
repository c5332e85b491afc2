#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages mcusim needs that are not installed yet.
# Does nothing (and needs no network) when everything is present.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libunicorn-dev libcapstone-dev libelf-dev
  libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libgtest-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
