#!/bin/sh
# Runs qemu ($LIFTCHECK_QEMU) with the arguments libguestfs gives, except
# that TCG gets a translation cache of $LIFTCHECK_TCG_CACHE_MIB MiB.
#
# qemu's default cache is 1 GiB, and an appliance run fills a few hundred
# MiB of it with code it translates once (the boot, short-lived commands):
# that memory is the largest part of qemu's footprint under emulation.
# A full cache is flushed and refilled with the code still running, which
# costs little here.  The size is only settable through -accel, which qemu
# refuses next to the "-machine accel=" that libguestfs passes, so the
# accel item moves out of -machine.
set -eu
qemu=${LIFTCHECK_QEMU:?LIFTCHECK_QEMU names the qemu to run}
mib=${LIFTCHECK_TCG_CACHE_MIB:-64}
n=$#
while [ "$n" -gt 0 ]; do
    a=$1
    shift
    n=$((n - 1))
    if [ "$a" = -machine ] && [ "$n" -gt 0 ]; then
        m=$1
        shift
        n=$((n - 1))
        case ",$m," in
        *,accel=tcg,*)
            rest=$(printf '%s\n' ",$m," | sed 's/,accel=tcg,/,/; s/^,//; s/,$//')
            [ -z "$rest" ] || set -- "$@" -machine "$rest"
            set -- "$@" -accel "tcg,tb-size=$mib"
            ;;
        *)
            set -- "$@" -machine "$m"
            ;;
        esac
    else
        set -- "$@" "$a"
    fi
done
exec "$qemu" "$@"
