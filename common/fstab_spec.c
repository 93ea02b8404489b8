#include "fstab_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* /dev/mapper/vg-lv -> /dev/vg/lv ("--" stands for a "-" in a name). */
static int mapper_to_lv(const char *m, char *out, size_t cap)
{
    size_t o = 0;
    int split = 0;
    if (cap < 8)
        return -1;
    memcpy(out, "/dev/", 5);
    o = 5;
    for (const char *p = m; *p; p++) {
        if (o + 2 >= cap)
            return -1;
        if (*p == '-' && p[1] == '-') {
            out[o++] = '-';
            p++;
        } else if (*p == '-' && !split) {
            out[o++] = '/';
            split = 1;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return split ? 0 : -1;
}

/* Hardware RAID logical drives, /dev/cciss/c0d1p2 (HP Smart Array),
 * /dev/ida/c0d1p2 (Compaq) and /dev/rd/c0d1p2 (Mylex) -> /dev/sdb2: the
 * controller is dropped and the logical drive is the disk's position, as
 * libguestfs's inspection maps them. */
/* Hardware RAID logical drives, /dev/cciss/c0d1p2 (HP Smart Array),
 * /dev/ida/c0d1p2 (Compaq) and /dev/rd/c0d1p2 (Mylex) -> /dev/sdb2: the
 * controller is dropped and the logical drive is the disk's position, as
 * libguestfs's inspection maps them. */

/* Up to 3 decimal digits at *p, advancing it; -1 when there are none. */
static int small_number(const char **p)
{
    int v = 0, digits = 0;
    while (isdigit((unsigned char)**p) && digits < 3) {
        v = v * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits && !isdigit((unsigned char)**p) ? v : -1;
}

static int raid_name_to_sd(const char *dev, char *out, size_t cap)
{
    static const char *const pre[] = {"/dev/cciss/c", "/dev/ida/c", "/dev/rd/c", NULL};
    for (int i = 0; pre[i]; i++) {
        size_t l = strlen(pre[i]);
        if (strncmp(dev, pre[i], l))
            continue;
        const char *p = dev + l;
        int disk, part = 0;
        if (small_number(&p) < 0 || *p++ != 'd' || (disk = small_number(&p)) < 0 || disk >= 26)
            return -1;
        if (*p == 'p') {
            p++;
            if ((part = small_number(&p)) <= 0)
                return -1;
        }
        if (*p)
            return -1;
        if (part)
            return snprintf(out, cap, "/dev/sd%c%d", 'a' + disk, part) < (int)cap ? 0 : -1;
        return snprintf(out, cap, "/dev/sd%c", 'a' + disk) < (int)cap ? 0 : -1;
    }
    return -1;
}

/* /dev/xvdb2, /dev/hda1, /dev/vdc, /dev/sdb3 -> /dev/sd<same letter><n>;
 * /dev/nvme1n1p2 -> /dev/sdb2: the disk's position is what is stable. */
static int disk_name_to_sd(const char *dev, char *out, size_t cap)
{
    const char *p = NULL;
    static const char *pre[] = {"/dev/xvd", "/dev/sd", "/dev/hd", "/dev/vd", NULL};
    for (int i = 0; pre[i]; i++)
        if (!strncmp(dev, pre[i], strlen(pre[i]))) {
            p = dev + strlen(pre[i]);
            break;
        }
    if (p) {
        size_t letters = strspn(p, "abcdefghijklmnopqrstuvwxyz");
        if (letters == 0 || letters > 2 || (p[letters] && !isdigit((unsigned char)p[letters])))
            return -1;
        return snprintf(out, cap, "/dev/sd%.*s%s", (int)letters, p, p + letters) < (int)cap ? 0 : -1;
    }
    unsigned ctrl, ns, part = 0;
    int n = 0;
    if (sscanf(dev, "/dev/nvme%un%u%n", &ctrl, &ns, &n) == 2 && ctrl < 26) {
        if (dev[n] == 'p' && sscanf(dev + n + 1, "%u", &part) != 1)
            return -1;
        if (part)
            return snprintf(out, cap, "/dev/sd%c%u", 'a' + ctrl, part) < (int)cap ? 0 : -1;
        return snprintf(out, cap, "/dev/sd%c", 'a' + ctrl) < (int)cap ? 0 : -1;
    }
    return raid_name_to_sd(dev, out, cap);
}

static int match_field(const char *want, const struct fs_ident *fss, size_t n, int field)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = field == 0 ? fss[i].uuid : field == 1 ? fss[i].label :
                        field == 2 ? fss[i].partuuid : fss[i].device;
        if (v && (field == 1 || field == 3 ? !strcmp(v, want) : !strcasecmp(v, want)))
            return (int)i;
    }
    return -1;
}

int fstab_spec_match(const char *spec, const struct fs_ident *fss, size_t n)
{
    static const struct { const char *prefix; int field; } keyed[] = {
        {"UUID=", 0}, {"/dev/disk/by-uuid/", 0}, {"LABEL=", 1},
        {"/dev/disk/by-label/", 1}, {"PARTUUID=", 2}, {"/dev/disk/by-partuuid/", 2},
    };
    char buf[512];

    for (size_t k = 0; k < sizeof keyed / sizeof keyed[0]; k++) {
        size_t l = strlen(keyed[k].prefix);
        if (!strncmp(spec, keyed[k].prefix, l)) {
            const char *v = spec + l;
            size_t vl = strlen(v);
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                snprintf(buf, sizeof buf, "%.*s", (int)(vl - 2), v + 1);
                v = buf;
            }
            return match_field(v, fss, n, keyed[k].field);
        }
    }
    if (!strncmp(spec, "/dev/mapper/", 12) && mapper_to_lv(spec + 12, buf, sizeof buf) == 0)
        return match_field(buf, fss, n, 3);
    int i = match_field(spec, fss, n, 3);
    if (i >= 0)
        return i;
    if (disk_name_to_sd(spec, buf, sizeof buf) == 0)
        return match_field(buf, fss, n, 3);
    return -1;
}

/* Undoes \NNN octal escapes (fstab writes a space as \040). */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            int c = (p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0');
            *o++ = c ? (char)c : '?';
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

int fstab_split(char *line, char *fields[4])
{
    int n = 0;
    char *p = line;
    while (n < 4) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#' || *p == '\n' || *p == '\r')
            break;
        fields[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        if (*p)
            *p++ = '\0';
    }
    for (int i = 0; i < n; i++)
        unescape(fields[i]);
    return n;
}
