#include "disk_place.h"

#include "dm_linear.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define LABEL_DIR "/dev/disk/guestfs"

/* The label whose link points at /dev/disk_name. */
static int label_of(const char *disk_name, char *label)
{
    DIR *d = opendir(LABEL_DIR);
    struct dirent *e;
    int found = -1;

    if (!d)
        return -1;
    while (found < 0 && (e = readdir(d))) {
        char link[PATH_MAX], target[PATH_MAX];
        if (e->d_name[0] == '.' || strlen(e->d_name) >= DISK_LABEL_MAX)
            continue;
        snprintf(link, sizeof link, "%s/%s", LABEL_DIR, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        const char *base = strrchr(target, '/');
        if (!strcmp(base ? base + 1 : target, disk_name)) {
            snprintf(label, DISK_LABEL_MAX, "%s", e->d_name);
            found = 0;
        }
    }
    closedir(d);
    return found;
}

static int read_u64(const char *path, uint64_t *v)
{
    FILE *f = fopen(path, "re");
    unsigned long long x;
    int ok = f && fscanf(f, "%llu", &x) == 1;
    if (f)
        fclose(f);
    if (ok)
        *v = x;
    return ok ? 0 : -1;
}

/* A whole labelled disk or one of its partitions. */
static int place_of(uint64_t dev, struct disk_place *out)
{
    char sys[128], real[PATH_MAX], attr[PATH_MAX + 32];
    struct stat st;

    snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u", major((dev_t)dev), minor((dev_t)dev));
    if (!realpath(sys, real))
        return -1;
    char *name = strrchr(real, '/');
    if (!name)
        return -1;
    *name++ = '\0';
    snprintf(attr, sizeof attr, "%s/%s/partition", real, name);
    uint64_t sectors = 0;
    if (stat(attr, &st) == 0) {
        /* A partition: its directory lies in its disk's. */
        snprintf(attr, sizeof attr, "%s/%s/start", real, name);
        if (read_u64(attr, &sectors) < 0 || sectors > UINT64_MAX / 512)
            return -1;
        char *disk = strrchr(real, '/');
        if (!disk)
            return -1;
        name = disk + 1;
    }
    out->start = sectors * 512;     /* sysfs counts 512-byte sectors */
    return label_of(name, out->label);
}

int disk_place_parse(const char *spec, struct disk_place *out)
{
    const char *colon = strrchr(spec, ':');
    char *end;
    if (!colon || colon == spec || (size_t)(colon - spec) >= DISK_LABEL_MAX)
        return -1;
    unsigned long long start = strtoull(colon + 1, &end, 10);
    if (*end || end == colon + 1)
        return -1;
    memcpy(out->label, spec, (size_t)(colon - spec));
    out->label[colon - spec] = '\0';
    out->start = start;
    return 0;
}

int disk_place_of(uint64_t dev, struct disk_place *out)
{
    uint64_t below, offset;
    if (place_of(dev, out) == 0)
        return 0;
    /* One level down only: a volume on a partition or disk. */
    if (dm_linear_of(dev, &below, &offset) < 0 || place_of(below, out) < 0 ||
        out->start > UINT64_MAX - offset)
        return -1;
    out->start += offset;
    return 0;
}

/* Linear device-mapper volumes (/sys/block/dm-N) on the labelled disks. */
static int list_volumes(FILE *out)
{
    DIR *d = opendir("/sys/block");
    struct dirent *e;
    int lines = 0;
    while (d && (e = readdir(d))) {
        char attr[300];
        unsigned maj, min;
        struct disk_place pl;
        if (strncmp(e->d_name, "dm-", 3))
            continue;
        snprintf(attr, sizeof attr, "/sys/block/%s/dev", e->d_name);
        FILE *f = fopen(attr, "re");
        int ok = f && fscanf(f, "%u:%u", &maj, &min) == 2;
        if (f)
            fclose(f);
        if (ok && disk_place_of(makedev(maj, min), &pl) == 0) {
            fprintf(out, "%s %llu\n", pl.label, (unsigned long long)pl.start);
            lines++;
        }
    }
    if (d)
        closedir(d);
    return lines;
}

int disk_place_list(FILE *out)
{
    DIR *d = opendir(LABEL_DIR);
    struct dirent *e;
    int lines = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char link[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.' || strlen(e->d_name) >= DISK_LABEL_MAX)
            continue;
        snprintf(link, sizeof link, "%s/%s", LABEL_DIR, e->d_name);
        if (stat(link, &st) < 0 || !S_ISBLK(st.st_mode))
            continue;
        /* The host reads the disk as qemu holds it (the journal the kernel
         * replayed at mount is in the overlay): flush what the appliance
         * wrote so that qemu writes its own caches out. */
        int fd = open(link, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        fprintf(out, "%s 0\n", e->d_name);
        lines++;
        /* Its partitions: /sys/dev/block/M:m/<disk><n>/start. */
        char sys[128], real[PATH_MAX];
        snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u", major(st.st_rdev), minor(st.st_rdev));
        DIR *p = realpath(sys, real) ? opendir(real) : NULL;
        struct dirent *pe;
        while (p && (pe = readdir(p))) {
            char attr[PATH_MAX + 300];
            uint64_t sectors;
            snprintf(attr, sizeof attr, "%s/%s/partition", real, pe->d_name);
            if (pe->d_name[0] == '.' || stat(attr, &st) < 0)
                continue;
            snprintf(attr, sizeof attr, "%s/%s/start", real, pe->d_name);
            if (read_u64(attr, &sectors) == 0 && sectors <= UINT64_MAX / 512) {
                fprintf(out, "%s %llu\n", e->d_name, (unsigned long long)(sectors * 512));
                lines++;
            }
        }
        if (p)
            closedir(p);
    }
    closedir(d);
    return lines + list_volumes(out);
}
