/* Runs liftcheck-probe inside the appliance and opens its snapshot.
 *
 * The probe's binary is written into the probe disk's file (a scratch disk
 * of ours, never an input), copied to the appliance's own /tmp (read around
 * the page cache, which may still hold the empty blocks udev read at boot)
 * and run over /sysroot, where the guest filesystems are mounted
 * read-only; it writes the snapshot onto
 * the same disk, a raw file of ours that the host then maps (or, where
 * it cannot, downloads).  The files of the ext2/3/4 filesystems that the
 * host can read from the input disks' files itself (direct_disks.h) are
 * only mapped by the probe, not read. */
#include "probe_run.h"

#include "appliance_sh.h"
#include "direct_disks.h"
#include "helper_path.h"
#include "host_tree.h"
#include "common/snapshot_format.h"
#include "snapshot_header.h"
#include "util/progress.h"
#include "util/stop.h"
#include "util/tmpdir.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROBE_SHELL_DEV "/dev/disk/guestfs/" PROBE_DISK_LABEL

static int gerr(struct image *im, const char *what, struct lc_error *err)
{
    const char *m = guestfs_last_error(im->g);
    int e = guestfs_last_errno(im->g);
    return lc_fail(err, e > 0 ? -e : -EIO, "%s: %s", what, m ? m : "appliance error");
}

/* Runs a shell command in the appliance (outside the guest's root). */
static int debug_sh(struct image *im, const char *cmd, struct lc_error *err, char **out)
{
    char *r = appliance_sh(im->g, cmd, err);
    if (!r)
        return err ? err->code : -EIO;
    if (out)
        *out = r;
    else
        free(r);
    return 0;
}

/* The probe's phases (probe/probe_progress.h), as progress stages. */
static const char *const phase_names[] = {
    NULL,
    NULL,                                   /* the walk: the caller's stage */
    "reading file heads inside the appliance, in disk order",
    "reading ELF headers inside the appliance",
    "reading configuration files inside the appliance",
};

/* The probe's progress record, read from our own copy of its disk:
 * "PHASE DONE TOTAL STATE".  0 if it is not there yet. */
static int read_progress(const char *disk, unsigned *phase, unsigned long long *done,
                         unsigned long long *total, char *state)
{
    char rec[128];
    int fd = open(disk, O_RDONLY | O_CLOEXEC), n = 0;
    if (fd >= 0) {
        ssize_t k = pread(fd, rec, sizeof rec - 1, (off_t)SNAP_DISK_PROGRESS_OFFSET);
        rec[k > 0 ? k : 0] = '\0';
        n = sscanf(rec, "%u %llu %llu %c", phase, done, total, state) == 4;
        close(fd);
    }
    return n;
}

/* Whether the probe's shell has exited: its status, or -1 while it runs. */
static int probe_exit(struct image *im, struct lc_error *err, int *status)
{
    char *out = NULL;
    if (debug_sh(im, "cat /tmp/lc-rc 2>/dev/null; true", err, &out) < 0)
        return -1;
    if (sscanf(out, "%d", status) != 1)
        *status = -1;
    free(out);
    return 0;
}

/* Waits for the background probe, showing its progress.  The record on
 * the disk costs the appliance nothing to read; the exit status (a shell in
 * the appliance) is checked only now and then, for a probe that died. */
static int wait_probe(struct image *im, const char *disk, struct lc_error *err)
{
    const struct timespec tick = {0, 50 * 1000 * 1000};
    unsigned shown = 1;
    /* The record must move: a probe that stops moving is a stall. */
    unsigned long long last = ~0ULL;
    struct timespec moved;
    clock_gettime(CLOCK_MONOTONIC, &moved);
    for (unsigned polls = 1;; polls++) {
        unsigned phase = 0;
        unsigned long long done = 0, total = 0;
        char state = 'R';
        int status = -1;
        if (stop_requested())
            return lc_fail(err, -EINTR, "stopped");
        int have = read_progress(disk, &phase, &done, &total, &state);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (have && done + ((unsigned long long)phase << 56) != last) {
            last = done + ((unsigned long long)phase << 56);
            moved = now;
        } else if (stop_stall_seconds() && now.tv_sec - moved.tv_sec >= stop_stall_seconds()) {
            stop_stalled("the probe inside the appliance (its progress record)");
            lc_fail(err, -EINTR, "stopped");
            return -1;
        }
        if ((have && state != 'R') || polls % 40 == 0) {
            if (probe_exit(im, err, &status) < 0)
                return -1;
            if (status == 0) {
                progress_percent(1, 1);
                return 0;
            }
            if (status > 0) {
                char *msg = NULL;
                debug_sh(im, "cat /tmp/lc-out", err, &msg);
                lc_fail(err, -EIO, "the probe failed (exit %d): %s", status, msg ? msg : "");
                free(msg);
                return -1;
            }
        }
        if (have && phase > shown && phase < sizeof phase_names / sizeof *phase_names) {
            progress_percent(1, 1);
            progress_stage("%s", phase_names[phase]);
            shown = phase;
        }
        if (have && total)
            progress_percent(done < total ? done : total - 1, total);
        nanosleep(&tick, NULL);
    }
}

#define MAX_DIRECT_FS 32

/* Copies file src to the start of the existing file dst. */
static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC), out = dst ? open(dst, O_WRONLY | O_CLOEXEC) : -1;
    char buf[65536];
    ssize_t n = 0;
    off_t at = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0 &&
           pwrite(out, buf, (size_t)n, at) == n)
        at += n;
    int ok = in >= 0 && out >= 0 && n == 0;   /* qemu reads through the page cache */
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return ok ? 0 : -1;
}

/* Puts the probe in the appliance's /tmp; its --partitions listing into
 * *listing. */
static int install_probe(struct image *im, char **listing, struct lc_error *err)
{
    char probe[PATH_MAX], cmd[1024];
    struct stat st;
    const char *dev = im->probe_device;

    if (!dev)
        return lc_fail(err, -ENODEV, "no probe disk");
    if (helper_path(&HELPER_PROBE, probe, sizeof probe) < 0 || stat(probe, &st) < 0)
        return lc_fail(err, -ENOENT, "liftcheck-probe not found (looked for %s)", probe);
    if ((unsigned long long)st.st_size >= SNAP_DISK_PROGRESS_OFFSET)
        return lc_fail(err, -EFBIG, "%s is too large", probe);
    /* Written into the disk's file here: qemu reads it from there, and the
     * appliance reads around its own page cache (which may hold what udev
     * read at boot).  A remote backend needs the upload. */
    if (copy_file(probe, im->probe_disk_path) < 0 && guestfs_upload(im->g, probe, dev) < 0) {
        gerr(im, "uploading the probe", err);
        return -1;
    }
    /* Whole blocks of the disk: the zeros after the program are harmless. */
    snprintf(cmd, sizeof cmd,
             "dd if=%s of=/tmp/liftcheck-probe iflag=direct bs=65536 count=%lld status=none && "
             "chmod 700 /tmp/liftcheck-probe && /tmp/liftcheck-probe --partitions /sysroot",
             PROBE_SHELL_DEV, (long long)(st.st_size + 65535) / 65536);
    return debug_sh(im, cmd, err, listing);
}

static void tree_ready(vfs *v, const char *where)
{
    struct vfs_snapshot_info info;
    vfs_snapshot_info(v, &info);
    progress_stage("file tree ready, read %s (%zu entries, %zu recorded reads; "
                   "%llu of %llu directories read from ext2/3/4 metadata; "
                   "%llu files mapped on the input disks, read by the host; "
                   "%llu of %llu file heads and %llu of %llu ELF files read in disk order)",
                   where, info.entries, info.ranges, (unsigned long long)info.dirs_from_metadata,
                   (unsigned long long)info.dirs, (unsigned long long)info.direct_files,
                   (unsigned long long)info.heads_in_disk_order,
                   (unsigned long long)info.heads,
                   (unsigned long long)info.elf_from_device,
                   (unsigned long long)info.elf_files);
}

/* "'s'" for the appliance's shell; -1 when it does not fit. */
static int shell_quote(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    if (cap < 3)
        return -1;
    out[n++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t len = piece ? 4 : 1;
        if (n + len + 2 > cap)
            return -1;
        if (piece)
            memcpy(out + n, piece, len);
        else
            out[n] = *s;
        n += len;
    }
    out[n++] = '\'';
    out[n] = '\0';
    return 0;
}

/* Runs the probe over guest path root (max_depth levels at most) into its
 * disk and waits for it.  0, or a negative errno (err says why). */
static int run_probe(struct image *im, const char *args, const char *root, unsigned max_depth,
                     unsigned long long max, struct lc_error *err)
{
    char quoted[2 * PATH_MAX + 32], full[PATH_MAX + 16];
    if ((size_t)snprintf(full, sizeof full, "/sysroot%s", strcmp(root, "/") ? root : "") >=
            sizeof full ||
        shell_quote(full, quoted, sizeof quoted) < 0)
        return lc_fail(err, -ENAMETOOLONG, "a mount point's name is too long");
    /* Started in the background so that its progress can be shown.  Its
     * heap grows 64 MiB at a time on huge pages: under emulation each page
     * fault costs tens of microseconds, and the tree takes ~18k small
     * pages (about a second of the tree's time on the reference image). */
    char *cmd = xasprintf("rm -f /tmp/lc-rc /tmp/lc-out && "
                          "(GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864 "
                          "/tmp/liftcheck-probe %s--max-depth %u %s %s %llu %llu %s %llu "
                          ">/tmp/lc-out 2>&1; echo $? >/tmp/lc-rc) </dev/null >/dev/null 2>&1 &",
                          args, max_depth, quoted, PROBE_SHELL_DEV, SNAP_DISK_OUTPUT_OFFSET, max,
                          PROBE_SHELL_DEV, SNAP_DISK_PROGRESS_OFFSET);
    int rc = debug_sh(im, cmd, err, NULL);
    free(cmd);
    if (rc < 0)
        return -1;
    return wait_probe(im, im->probe_disk_path, err);
}

/* The tree read by the host (host_tree.h), its foreign subtrees by the
 * probe: 1 with the snapshot vfs in *v, 0 when the probe must read it all
 * (the stage line says why).  LIFTCHECK_HOST_TREE=0 leaves it to the probe
 * (to compare the two). */
static int tree_on_host(struct image *im, const char *listing, vfs *live, const char *args,
                        const struct vfs_direct_fs *direct, size_t ndirect,
                        unsigned long long max, vfs **v)
{
    const char *env = getenv("LIFTCHECK_HOST_TREE");
    char file[PATH_MAX];
    struct lc_error reason = {0};
    if (env && !strcmp(env, "0"))
        return 0;
    struct host_tree *h = host_tree_plan(listing, direct, ndirect, &reason);
    size_t nf = h ? host_tree_foreign_count(h) : 0;
    for (size_t i = 0; h && i < nf; i++) {
        const char *path;
        unsigned depth;
        host_tree_foreign(h, i, &path, &depth);
        progress_stage("reading a filesystem the host cannot read inside the appliance "
                       "(%zu of %zu)", i + 1, nf);
        if (run_probe(im, args, path, depth, max, &reason) < 0 ||
            host_tree_add_foreign(h, i, im->probe_disk_path, SNAP_DISK_OUTPUT_OFFSET,
                                  &reason) < 0) {
            host_tree_free(h);
            h = NULL;
        }
    }
    snprintf(file, sizeof file, "%s/liftcheck-tree-XXXXXX", tmp_dir());
    int fd = h ? mkstemp(file) : -1;
    if (h && fd < 0)
        lc_fail(&reason, -errno, "a temporary file: %s", strerror(errno));
    if (fd >= 0) {
        close(fd);
        progress_stage("reading the file tree on the host from ext2/3/4 metadata");
        if (host_tree_write(h, file, max, &reason) == 1)
            *v = vfs_snapshot_open_at(live, file, 0, direct, ndirect, &reason);
        unlink(file);       /* the mapping keeps the data */
    }
    host_tree_free(h);
    if (*v)
        tree_ready(*v, "on the host");
    else
        progress_stage("the host cannot read the file tree (%s)", reason.msg);
    return *v != NULL;
}

vfs *probe_snapshot(struct image *im, vfs *live, struct lc_error *err)
{
    char file[PATH_MAX], *listing = NULL;
    const char *dev = im->probe_device;

    if (!appliance_sh_available(im->g)) {
        lc_fail(err, -ENOTSUP, "the probe runs through the appliance's shell, which it lacks");
        return NULL;
    }
    if (install_probe(im, &listing, err) < 0)
        return NULL;
    unsigned long long max = im->probe_disk_size - SNAP_DISK_OUTPUT_OFFSET - SNAP_HEADER_SIZE;
    /* LIFTCHECK_DIRECT=0 has the appliance read every file (to compare). */
    const char *env = getenv("LIFTCHECK_DIRECT");
    struct vfs_direct_fs direct[MAX_DIRECT_FS];
    size_t ndirect = env && !strcmp(env, "0") ? 0
                   : direct_disks_choose(im->disks, im->ndisks, listing, direct, MAX_DIRECT_FS);
    char args[MAX_DIRECT_FS * 64] = "";
    size_t used = 0;
    for (size_t i = 0; i < ndirect; i++) {
        int w = snprintf(args + used, sizeof args - used, "--direct '%s:%llu' ", direct[i].label,
                         (unsigned long long)direct[i].start);
        if (w > 0 && (size_t)w < sizeof args - used)
            used += (size_t)w;
    }
    vfs *v = NULL;
    if (ndirect && tree_on_host(im, listing, live, args, direct, ndirect, max, &v)) {
        free(listing);
        goto out;
    }
    free(listing);
    progress_stage("reading the file tree inside the appliance");
    if (run_probe(im, args, "/", VFS_WALK_DEFAULT_DEPTH, max, err) < 0)
        goto out;
    /* The probe's disk is our own raw file: qemu has written the snapshot
     * into it, so it is mapped where it lies, with no download. */
    v = vfs_snapshot_open_at(live, im->probe_disk_path, SNAP_DISK_OUTPUT_OFFSET, direct, ndirect,
                             err);
    if (v) {
        tree_ready(v, "inside the appliance");
        goto out;
    }
    /* Not readable here (a remote backend, say): download it. */
    size_t n = 0;
    char *hdr = guestfs_pread_device(im->g, dev, SNAP_HEADER_SIZE,
                                     (int64_t)SNAP_DISK_OUTPUT_OFFSET, &n);
    if (!hdr) {
        gerr(im, "reading the snapshot header", err);
        goto out;
    }
    struct snap_header h;
    int ok = n == SNAP_HEADER_SIZE;
    if (ok)
        memcpy(&h, hdr, sizeof h);
    free(hdr);
    if (!ok || h.payload_len > max) {
        lc_fail(err, -EINVAL, "the probe wrote no valid snapshot");
        goto out;
    }
    if (snap_header_check(&h, err) < 0)
        goto out;
    snprintf(file, sizeof file, "%s/liftcheck-snapshot-XXXXXX", tmp_dir());
    int fd = mkstemp(file);
    if (fd < 0) {
        lc_fail(err, -errno, "%s: %s", file, strerror(errno));
        goto out;
    }
    close(fd);
    progress_stage("downloading the file tree (%llu entries, %.1f MiB; "
                   "%llu of %llu file heads read in disk order)",
                   (unsigned long long)h.entries, (double)h.payload_len / (1 << 20),
                   (unsigned long long)h.heads_in_disk_order, (unsigned long long)h.heads);
    if (guestfs_download_offset(im->g, dev, file, (int64_t)SNAP_DISK_OUTPUT_OFFSET,
                                (int64_t)(SNAP_HEADER_SIZE + h.payload_len)) < 0)
        gerr(im, "downloading the snapshot", err);
    else
        v = vfs_snapshot_open_at(live, file, 0, direct, ndirect, err);
    unlink(file);   /* the mapping keeps the data */
out:
    direct_disks_close(direct, ndirect);   /* the snapshot keeps its own */
    return v;
}
