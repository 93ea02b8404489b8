/* A guest can write any header into its own raw disk, so probing the format
 * of a raw image lets the guest choose how we read it (for example a qcow2
 * header whose backing file is a host file).  The format therefore comes
 * from the user or the file name first, and probing is the last resort and
 * is reported.  Headers are read by `qemu-img info`, which is what qemu
 * itself will accept, and which does not open backing files. */
#include "disk_format.h"

#include "run_capture.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define QEMU_IMG_TIMEOUT_MS 60000
#define QEMU_IMG_OUTPUT_CAP (1u << 20)

static const struct { const char *ext, *fmt; } by_ext[] = {
    {".raw", "raw"}, {".img", "raw"}, {".qcow2", "qcow2"}, {".qcow", "qcow2"},
    {".vmdk", "vmdk"}, {".vhd", "vpc"}, {".vhdx", "vhdx"},
};

const char *disk_format_from_name(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++) {
        size_t e = strlen(by_ext[i].ext);
        if (n > e && strcasecmp(path + n - e, by_ext[i].ext) == 0)
            return by_ext[i].fmt;
    }
    return NULL;
}

const char *disk_format_normalise(const char *fmt)
{
    static const struct { const char *in, *out; } names[] = {
        {"raw", "raw"}, {"qcow2", "qcow2"}, {"vmdk", "vmdk"}, {"vhd", "vpc"},
        {"vpc", "vpc"}, {"vhdx", "vhdx"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(fmt, names[i].in) == 0)
            return names[i].out;
    return NULL;
}

/* First line of qemu-img's complaint, without its program prefix. */
/* qemu-img's first line of complaint as the error; returns -EINVAL. */
static int first_line(const char *msg, struct lc_error *err)
{
    if (!msg || !*msg)
        return lc_fail(err, -EINVAL, "qemu-img could not read the image header");
    if (strncmp(msg, "qemu-img: ", 10) == 0)
        msg += 10;
    size_t n = strcspn(msg, "\n");
    return lc_fail(err, -EINVAL, "%.*s", (int)(n < 400 ? n : 400), msg);
}

static int qemu_img_info(struct disk *d, const char *fmt, struct lc_error *err)
{
    char *argv[10];
    int a = 0;
    char *out = NULL, *eout = NULL;
    int rc;

    argv[a++] = "qemu-img";
    argv[a++] = "info";
    argv[a++] = "--output=json";
    argv[a++] = "-U";           /* a snapshot in use by another reader is fine */
    if (fmt) {
        argv[a++] = "-f";
        argv[a++] = (char *)fmt;
    }
    argv[a++] = "--";
    argv[a++] = d->path;
    argv[a] = NULL;

    int st = run_capture(argv, QEMU_IMG_OUTPUT_CAP, QEMU_IMG_TIMEOUT_MS, &out, &eout);
    if (st < 0) {
        rc = lc_fail(err, errno ? -errno : -EINTR, "qemu-img did not run or timed out (%s)",
                     errno ? strerror(errno) : "killed");
        goto out;
    }
    if (st != 0) {
        rc = first_line(eout, err);
        goto out;
    }
    json_object *j = out ? json_tokener_parse(out) : NULL, *o;
    if (!j) {
        rc = lc_fail(err, -EINVAL, "qemu-img info gave unreadable output");
        goto out;
    }
    if (json_object_object_get_ex(j, "virtual-size", &o))
        d->virtual_size = (uint64_t)json_object_get_int64(o);
    if (json_object_object_get_ex(j, "format", &o) && !d->format)
        d->format = xstrdup(json_object_get_string(o));
    if (json_object_object_get_ex(j, "backing-filename", &o))
        d->backing_file = xstrdup(json_object_get_string(o));
    /* A vmdk's data may lie in extent files other than path, and so may a
     * qcow2's with an external data file. */
    json_object *spec, *data;
    int data_file = json_object_object_get_ex(j, "format-specific", &spec) &&
                    json_object_object_get_ex(spec, "data", &data) &&
                    json_object_object_get_ex(data, "data-file", &o);
    d->data_in_file = d->format && !data_file &&
                      (!strcmp(d->format, "raw") || !strcmp(d->format, "qcow2") ||
                       !strcmp(d->format, "vpc") || !strcmp(d->format, "vhdx"));
    json_object_put(j);
    rc = 0;
out:
    free(out);
    free(eout);
    return rc;
}

/* qcow2 images carry their own consistency data: a truncated or damaged
 * one would otherwise read as zeros past the damage and look like a broken
 * filesystem.  Exit code 2 of `qemu-img check` means corruption. */
static int qcow2_check(struct disk *d, struct lc_error *err)
{
    char *argv[] = {"qemu-img", "check", "-U", "-f", "qcow2", "--", d->path, NULL};
    char *out = NULL, *eout = NULL;
    int st = run_capture(argv, QEMU_IMG_OUTPUT_CAP, QEMU_IMG_TIMEOUT_MS, &out, &eout);
    int rc = 0;
    if (st == 2) {
        const char *p = out ? strstr(out, " errors were found") : NULL;
        const char *q = p;
        while (q && q > out && q[-1] >= '0' && q[-1] <= '9')
            q--;
        rc = lc_fail(err, -EINVAL, "corrupt or truncated qcow2 image (qemu-img check: %.*s errors)",
                     p ? (int)(p - q) : 1, p ? q : "?");
    } else if (st == 1) {
        rc = first_line(eout, err);
    }
    free(out);
    free(eout);
    return rc;
}

int disk_make_overlay(struct disk *d, const char *dir, int index, struct lc_error *err)
{
    char path[4096], backing[4096];
    char *out = NULL, *eout = NULL;

    if (!realpath(d->path, backing))
        return lc_fail(err, -errno, "%s", strerror(errno));
    snprintf(path, sizeof path, "%s/overlay%d.qcow2", dir, index);
    char *argv[] = {"qemu-img", "create", "-q", "-f", "qcow2", "-F", d->format,
                    "-b", backing, path, NULL};
    int st = run_capture(argv, QEMU_IMG_OUTPUT_CAP, QEMU_IMG_TIMEOUT_MS, &out, &eout);
    int rc = st != 0 ? first_line(eout, err) : 0;
    if (rc == 0)
        d->overlay = xstrdup(path);
    free(out);
    free(eout);
    return rc;
}

int disk_prepare(struct disk *d, const char *path, const char *fmt_option,
                 int allow_backing, struct lc_error *err)
{
    struct stat st;
    const char *fmt = NULL;

    memset(d, 0, sizeof *d);
    d->path = xstrdup(path);
    if (stat(path, &st) < 0)
        return lc_fail(err, -errno, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return lc_fail(err, -EISDIR, "is a directory (use --root DIR to scan a directory tree)");
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
        return lc_fail(err, -EINVAL, "not a disk image file or block device");
    d->block_device = S_ISBLK(st.st_mode);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return lc_fail(err, -errno, "cannot read: %s", strerror(errno));
    char probe;
    ssize_t got = read(fd, &probe, 1);
    close(fd);
    if (got < 0)
        return lc_fail(err, -errno, "cannot read: %s", strerror(errno));
    if (got == 0)
        return lc_fail(err, -EINVAL, "empty file: no disk image in it");

    if (fmt_option) {
        fmt = disk_format_normalise(fmt_option);
        d->format_source = "option";
    } else if ((fmt = disk_format_from_name(path))) {
        d->format_source = "extension";
    } else if (d->block_device) {
        fmt = "raw";    /* a snapshot volume holds the guest's raw disk */
        d->format_source = "extension";
    } else {
        d->format_source = "probed";
    }
    if (fmt)
        d->format = xstrdup(fmt);
    int rc = qemu_img_info(d, fmt, err);
    if (rc < 0)
        return rc;
    if (!d->format)
        return lc_fail(err, -EINVAL, "could not tell the disk format");
    if (d->backing_file && !allow_backing)
        return lc_fail(err, -EPERM,
                       "%s image has a backing file '%.200s'; refusing to follow it "
                       "(--allow-backing-file allows it)", d->format, d->backing_file);
    if (d->virtual_size == 0)
        return lc_fail(err, -EINVAL, "disk has a virtual size of 0 bytes");
    return !strcmp(d->format, "qcow2") ? qcow2_check(d, err) : 0;
}

void disk_free(struct disk *d)
{
    if (d->overlay)
        unlink(d->overlay);
    free(d->overlay);
    free(d->path);
    free(d->format);
    free(d->backing_file);
    memset(d, 0, sizeof *d);
}
