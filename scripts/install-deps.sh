#!/bin/bash
# Installs everything liftcheck needs to build, run and test on Debian 12.
# Idempotent: packages already there are skipped by apt.
set -euo pipefail

packages=(
  # build
  gcc meson ninja-build pkg-config
  libguestfs-dev libelf-dev libmagic-dev libjson-c-dev libzstd-dev liblzma-dev
  zlib1g-dev liblz4-dev libbz2-dev libarchive-dev librpm-dev libcapstone-dev libcmocka-dev
  libext2fs-dev comerr-dev
  # run: the libguestfs appliance needs qemu and a host kernel to boot
  libguestfs-tools qemu-system-x86 qemu-utils linux-image-amd64
  # image recipes and test fixtures
  debootstrap e2fsprogs dosfstools mtools fdisk lvm2 mdadm btrfs-progs cpio gzip bzip2 xz-utils zstd lz4 lzop
  binutils file busybox-static musl-tools gcc-multilib g++ golang-go
  rpm python3 python3-jsonschema jq
  # hostile-input checks: fuzzers, sanitizers, a real browser for the HTML report
  clang libclang-rt-14-dev valgrind chromium
  # Markdown reports rendered as GitHub does (cmark-gfm, tables extension)
  cmark-gfm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
