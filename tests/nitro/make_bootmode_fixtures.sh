#!/bin/bash
# Builds the trees of the boot mode tests: /boot as BIOS, UEFI and dual-boot
# installs lay it out (GRUB platform directories, loaders on the EFI system
# partition), and the disks they lie on as inspection records them in the
# report's volumes (partition table, partition types).
# Usage: make_bootmode_fixtures.sh OUT
set -euo pipefail
OUT=$1
rm -rf "$OUT"
mkdir -p "$OUT"
ESP=c12a7328-f81f-11d2-ba4b-00a0c93ec93b
BIOSBOOT=21686148-6449-6e6f-744e-656564454649
LINUX=0fc63daf-8483-4772-8e79-3d69e4c47de4

grubcfg() { mkdir -p "$1/boot/$2"; printf "menuentry 'Linux' {\n\tlinux /vmlinuz-6 root=UUID=0 ro\n}\n" >"$1/boot/$2/grub.cfg"; }

# RHEL-style UEFI install: shim and grub on the ESP, no i386-pc
R=$OUT/uefi
grubcfg "$R" grub2
mkdir -p "$R/boot/efi/EFI/redhat" "$R/boot/efi/EFI/BOOT"
printf 'MZ' >"$R/boot/efi/EFI/redhat/shimx64.efi"
printf 'MZ' >"$R/boot/efi/EFI/redhat/grubx64.efi"
printf 'MZ' >"$R/boot/efi/EFI/BOOT/BOOTX64.EFI"
printf 'MZ' >"$R/boot/efi/EFI/redhat/mmx64.efi"

# GPT with a BIOS boot partition and grub-pc
R=$OUT/bios-gpt
grubcfg "$R" grub2
mkdir -p "$R/boot/grub2/i386-pc"
printf 'x' >"$R/boot/grub2/i386-pc/core.img"

# both: grub-pc and grub-efi, ESP at /efi
R=$OUT/both
grubcfg "$R" grub
mkdir -p "$R/boot/grub/i386-pc" "$R/boot/grub/x86_64-efi" "$R/efi/EFI/debian"
printf 'MZ' >"$R/efi/EFI/debian/grubx64.efi"

# MBR disk with a grub config and no platform directory
R=$OUT/mbr-plain
grubcfg "$R" grub

# nothing that boots
mkdir -p "$OUT/bare/etc" "$OUT/bare/boot"

disk() {   # disk FILE TABLE "DEV NUM TYPE FS"...
    local out=$1 table=$2 sep="" p dev num type fs
    shift 2
    { printf '[ { "index": 0, "path": "disk0.img", "format": "raw", "filesystems": [],\n'
      printf '    "partition_table": "%s", "partitions": [\n' "$table"
      for p in "$@"; do
          read -r dev num type fs <<<"$p"
          printf '%s      { "device": "%s", "number": %s, "type": "%s", "filesystem": %s }' \
              "$sep" "$dev" "$num" "$type" "$fs"
          sep=$',\n'
      done
      printf ' ] } ]\n'; } >"$out"
}
disk "$OUT/gpt-esp.json" gpt "/dev/sda1 1 $ESP \"vfat\"" "/dev/sda2 2 $LINUX \"xfs\""
disk "$OUT/gpt-bios.json" gpt "/dev/sda1 1 $BIOSBOOT null" "/dev/sda2 2 $LINUX \"xfs\""
disk "$OUT/gpt-both.json" gpt "/dev/sda1 1 $BIOSBOOT null" "/dev/sda2 2 $ESP \"vfat\"" \
    "/dev/sda3 3 $LINUX \"ext4\""
disk "$OUT/gpt-plain.json" gpt "/dev/sda1 1 $LINUX \"ext4\""
disk "$OUT/mbr.json" dos "/dev/sda1 1 0x83 \"ext4\""
disk "$OUT/mbr-esp.json" dos "/dev/sda1 1 0x83 \"ext4\"" "/dev/sda2 2 0xef \"vfat\""
echo "boot mode fixtures in $OUT"
