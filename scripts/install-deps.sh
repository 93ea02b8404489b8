#!/bin/bash
# Installs the Debian 12 packages liftcheck needs.
#   install-deps.sh run    build it, run it, build the sample image (scripts/sample.sh)
#   install-deps.sh test   all of that, and what the test suites need (scripts/test.sh)
#   install-deps.sh list-appliance
#                          print (not install) what an installed liftcheck needs
#                          beside the libraries its binaries link: the container
#                          image (deploy/container/build-image.sh) installs these
#   install-deps.sh list-run | list-test
#                          print (not install) the run or the test set
#                          (bench/deps-size.sh measures them on a fresh system)
# Idempotent: packages already there are skipped by apt.
set -euo pipefail

mode=${1:-test}
# libguestfs builds its appliance from these at run time (supermin)
appliance_packages=(libguestfs0 qemu-system-x86 qemu-utils linux-image-amd64)
run_packages=(
  # build (the test programs are built with it: cmocka)
  gcc meson ninja-build pkg-config
  libguestfs-dev libelf-dev libmagic-dev libjson-c-dev libzstd-dev liblzma-dev
  zlib1g-dev liblz4-dev libbz2-dev librpm-dev libcapstone-dev libcmocka-dev
  libext2fs-dev comerr-dev libyaml-dev python3
  # run: the libguestfs appliance needs qemu and a host kernel to boot
  "${appliance_packages[@]}" libguestfs-tools
  # XFS roots and /boot (RHEL 7 and later) are mounted by the appliance
  libguestfs-xfs
  # the sample image (images/build-sample.sh) and its summary (scripts/sample.sh)
  debootstrap e2fsprogs fdisk zstd jq
)
test_packages=(
  # image recipes and test fixtures
  dosfstools mtools grub-efi-amd64-bin lvm2 mdadm btrfs-progs cpio gzip bzip2 xz-utils lz4 lzop
  # the EL7-style image (images/build-el7.sh): XFS, and an initramfs dracut builds
  xfsprogs dracut-core
  binutils file busybox-static musl-tools gcc-multilib g++ golang-go
  rpm python3-jsonschema python3-venv
  # the lived-in server (images/build-lived.sh): a JDK, node, an initramfs unpacker, git
  openjdk-17-jre-headless nodejs initramfs-tools-core git
  # libguestfs's own inspection, compared with liftcheck's (test_inspect_diff.py)
  python3-guestfs
  # deploy/ manifests (YAML) and the POSIX entrypoint both engines run
  python3-yaml shellcheck
  # hostile-input checks: fuzzers, sanitizers, a real browser for the HTML report
  clang libclang-rt-14-dev valgrind chromium
  # Markdown reports rendered as GitHub does (cmark-gfm, tables extension)
  cmark-gfm
  # the installed man page is rendered with warnings on (groff)
  groff-base
  # the container image (deploy/container): built and run rootful; runc
  # where crun cannot run on the host's cgroups
  podman runc
)
case $mode in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  list-appliance) printf '%s\n' "${appliance_packages[@]}"; exit 0 ;;
  list-run) printf '%s\n' "${run_packages[@]}"; exit 0 ;;
  list-test) printf '%s\n' "${run_packages[@]}" "${test_packages[@]}"; exit 0 ;;
  *) echo "usage: $0 run|test|list-appliance|list-run|list-test" >&2; exit 2 ;;
esac

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
