#!/bin/bash
# Build the encrypted-server fixture: a small root inside LUKS, for the
# tests of locked and unlocked volumes (tests/integration/test_luks.py).
#
#   images/build-luks.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/luks.
# luks-root.img, 128 MiB, MBR (disk id 0x1f000900):
#   sda1  ext4 /boot (UUID ...0901), no OS in it
#   sda2  LUKS2 (UUID ...0902, passphrase in luks-root.pass) holding the PV
#         of VG vgcrypt; LV vgcrypt/root is the root ext4 (UUID ...0903):
#         LVM on LUKS
#   sda3  PV of VG vgdata; LV vgdata/secret is LUKS1 (UUID ...0904,
#         passphrase in luks-srv.pass) holding an ext4 (UUID ...0905) that
#         fstab mounts at /srv: LUKS on LVM
# The root is SYNTHETIC (release files, fstab, crypttab and one shell),
# labelled as such.  The LUKS volumes use PBKDF2 with few iterations so an
# emulated appliance opens them in a moment; their UUIDs are fixed.
# Nothing is rebuilt when OUTDIR/.stamp matches this script's hash.  Needs
# e2fsprogs, fdisk, guestfish (one appliance launch, no host privileges).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/luks}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)

log() { printf '%s build-luks: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for t in mkfs.ext4 sfdisk guestfish sha256sum; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

exec 9>"$OUTDIR/.lock"
flock 9
stamp=$(sha256sum <"$HERE/build-luks.sh" | cut -d' ' -f1)
if [ -f "$OUTDIR/.stamp" ] && [ "$(cat "$OUTDIR/.stamp")" = "$stamp" ]; then
    log "up to date: $OUTDIR"
    exit 0
fi
rm -f "$OUTDIR/.stamp"
start=$(date +%s)
WORK=$(mktemp -d "$OUTDIR/.work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export E2FSPROGS_FAKE_TIME=1700000000
HASH_SEED=1f000000-0000-4000-8000-0000000000a5
uuid() { printf '1f000000-0000-4000-8000-%012d' "$1"; }
mkext4() {  # TREE UUID LABEL SIZE_MIB OUT
    mkfs.ext4 -q -F -t ext4 -U "$2" -L "$3" -E "hash_seed=$HASH_SEED" -d "$1" "$5" "${4}M" >/dev/null
}

ROOT_PASS=lc-root-pass
SRV_PASS=lc-srv-pass

# The root: usr-merged, a real x86_64 /bin/sh, release files, fstab naming
# the LV and the filesystems by UUID, crypttab naming both LUKS volumes.
R=$WORK/root
mkdir -p "$R"/{etc,usr/bin,usr/lib,boot,srv,root,tmp,proc,sys,dev,run}
ln -s usr/bin "$R/bin"
ln -s usr/lib "$R/lib"
cp /usr/bin/dash "$R/usr/bin/dash"
ln -s dash "$R/usr/bin/sh"
echo luks-root >"$R/etc/hostname"
cat >"$R/etc/liftcheck-fixture" <<'EOF'
SYNTHETIC TEST FIXTURE built by liftcheck images/build-luks.sh.
Release files, fstab, crypttab and one shell only: not a real installation.
EOF
cat >"$R/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-luks.sh), not a real install.
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
EOF
echo 12.5 >"$R/etc/debian_version"
cat >"$R/etc/fstab" <<EOF
/dev/mapper/vgcrypt-root  /      ext4  errors=remount-ro  0  1
UUID=$(uuid 901)  /boot  ext4  defaults  0  2
UUID=$(uuid 905)  /srv   ext4  defaults,nofail  0  2
EOF
cat >"$R/etc/crypttab" <<EOF
cryptroot  UUID=$(uuid 902)  none  luks
cryptsrv   UUID=$(uuid 904)  none  luks
EOF
mkext4 "$R" "$(uuid 903)" root 24 "$WORK/root.ext4"

B=$WORK/boot
mkdir -p "$B/grub"
echo '# placeholder: this fixture has no kernel' >"$B/grub/grub.cfg"
mkext4 "$B" "$(uuid 901)" boot 16 "$WORK/boot.ext4"

S=$WORK/srv
mkdir -p "$S/www"
echo 'behind a second key' >"$S/www/index.html"
mkext4 "$S" "$(uuid 905)" srv 8 "$WORK/srv.ext4"

IMG=$WORK/luks-root.img
truncate -s 128M "$IMG"
printf 'label: dos\nlabel-id: 0x1f000900\nunit: sectors\n\n%s\n%s\n%s\n' \
    "start=2048, size=32768, type=83" "start=34816, size=98304, type=83" \
    "start=133120, size=126976, type=8e" | sfdisk -q "$IMG"
dd if="$WORK/boot.ext4" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none

# One disk: the appliance's kernel names it /dev/sda as the API does.
FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --batch-mode"
log "LUKS and LVM (guestfish)"
LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg} \
guestfish --rw -a "$IMG" <<EOF
run
debug sh "printf %s $ROOT_PASS | cryptsetup luksFormat --type luks2 $FAST --uuid $(uuid 902) --key-file - /dev/sda2"
debug sh "printf %s $ROOT_PASS | cryptsetup open --key-file - /dev/sda2 cryptroot"
pvcreate /dev/mapper/cryptroot
vgcreate vgcrypt /dev/mapper/cryptroot
lvcreate-free root vgcrypt 100
upload $WORK/root.ext4 /dev/vgcrypt/root
pvcreate /dev/sda3
vgcreate vgdata /dev/sda3
lvcreate secret vgdata 16
debug sh "printf %s $SRV_PASS | cryptsetup luksFormat --type luks1 $FAST --uuid $(uuid 904) --key-file - /dev/vgdata/secret"
debug sh "printf %s $SRV_PASS | cryptsetup open --key-file - /dev/vgdata/secret cryptsrv"
upload $WORK/srv.ext4 /dev/mapper/cryptsrv
debug sh "cryptsetup close cryptsrv"
vg-activate false "vgcrypt vgdata"
debug sh "cryptsetup close cryptroot"
EOF

printf '%s\n' "$ROOT_PASS" >"$WORK/luks-root.pass"
printf '%s\n' "$SRV_PASS" >"$WORK/luks-srv.pass"
mv "$IMG" "$WORK/luks-root.pass" "$WORK/luks-srv.pass" "$OUTDIR/"
echo "$stamp" >"$OUTDIR/.stamp"
log "built in $(($(date +%s) - start)) s: $OUTDIR"
