/* lvm.conf's filter and global_filter: a list of "a|regex|" (accept) and
 * "r|regex|" (reject) patterns.  A filter written for the old disks
 * ("a|^/dev/sd.*|", "r|.*|") rejects every name the PV has on Nitro, and
 * the volume group, root included, is not found at boot. */
#include "nitro_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

#define LVM_CONF_CAP (1u << 20)
#define TEXT_MAX 400

/* The names a PV on an EBS volume has on the instance. */
static const char *const nitro_names[] = {
    "/dev/nvme0n1p2", "/dev/nvme0n1", "/dev/nvme1n1",
    "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0-part2",
    "/dev/disk/by-path/pci-0000:00:04.0-nvme-1-part2", "/dev/block/259:1",
};

struct lexer {
    const char *p, *end;
    int line;
};

/* Skips blanks and # comments; counts lines. */
static void skip_space(struct lexer *lx)
{
    while (lx->p < lx->end) {
        if (*lx->p == '\n') {
            lx->line++;
            lx->p++;
        } else if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r') {
            lx->p++;
        } else if (*lx->p == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else {
            break;
        }
    }
}

/* A double-quoted string into out (cut at cap); 0, or -1 when unterminated. */
static int read_string(struct lexer *lx, char *out, size_t cap)
{
    size_t n = 0;
    lx->p++;
    while (lx->p < lx->end && *lx->p != '"') {
        if (*lx->p == '\\' && lx->p + 1 < lx->end)
            lx->p++;
        if (*lx->p == '\n')
            lx->line++;
        if (n + 1 < cap)
            out[n++] = *lx->p;
        lx->p++;
    }
    out[n] = '\0';
    if (lx->p >= lx->end)
        return -1;
    lx->p++;
    return 0;
}

/* Index of the first pattern matching name, or -1. */
static int first_match(char pats[][LVM_PATTERN_MAX], int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        const char *p = pats[i];
        size_t l = strlen(p);
        if (l < 3 || (p[0] != 'a' && p[0] != 'r') || p[l - 1] != p[1])
            continue;
        char re[LVM_PATTERN_MAX];
        str_fmt(re, sizeof re, "%.*s", (int)(l - 3), p + 2);
        /* LVM's own regex engine has no back-references; glibc's can take
         * exponential time on them */
        int backref = 0;
        for (const char *q = re; *q && !backref; q++)
            backref = q[0] == '\\' && isdigit((unsigned char)q[1]);
        if (backref)
            continue;
        regex_t rx;
        if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
            continue;
        int m = regexec(&rx, name, 0, NULL, 0) == 0;
        regfree(&rx);
        if (m)
            return i;
    }
    return -1;
}

int lvm_filter_hides_nvme(char pats[][LVM_PATTERN_MAX], int n, char *why, size_t cap)
{
    int rejected = -1;
    for (size_t i = 0; i < sizeof nitro_names / sizeof nitro_names[0]; i++) {
        int m = first_match(pats, n, nitro_names[i]);
        if (m >= 0 && pats[m][0] == 'a')
            return 0;
        if (m >= 0 && rejected < 0)
            rejected = m;
    }
    /* LVM passes a device whose names match no pattern */
    if (rejected < 0)
        return 0;
    str_fmt(why, cap, "%s: rejected by \"%s\"", nitro_names[0], pats[rejected]);
    return 1;
}

int lvm_conf_filters(const char *buf, size_t len, struct lvm_filter *out, int max)
{
    struct lexer lx = { buf, buf + len, 1 };
    int nf = 0;
    while (lx.p < lx.end) {
        skip_space(&lx);
        if (lx.p >= lx.end)
            break;
        const char *tok = lx.p;
        int line = lx.line;
        while (lx.p < lx.end && (isalnum((unsigned char)*lx.p) || *lx.p == '_'))
            lx.p++;
        size_t tl = (size_t)(lx.p - tok);
        if (!tl) {
            if (*lx.p == '"') {
                char junk[8];
                read_string(&lx, junk, sizeof junk);
            } else {
                lx.p++;
            }
            continue;
        }
        int global = tl == 13 && !strncmp(tok, "global_filter", 13);
        if (!global && !(tl == 6 && !strncmp(tok, "filter", 6)))
            continue;
        skip_space(&lx);
        if (lx.p >= lx.end || *lx.p != '=')
            continue;
        lx.p++;
        skip_space(&lx);
        if (nf >= max)
            break;
        struct lvm_filter *f = &out[nf];
        memset(f, 0, sizeof *f);
        f->global = global;
        f->line = line;
        int list = lx.p < lx.end && *lx.p == '[';
        if (list)
            lx.p++;
        while (lx.p < lx.end) {
            skip_space(&lx);
            if (lx.p >= lx.end || *lx.p != '"')
                break;
            char pat[LVM_PATTERN_MAX];
            if (read_string(&lx, pat, sizeof pat) < 0)
                break;
            if (f->n < LVM_PATTERNS_MAX)
                memcpy(f->pat[f->n++], pat, sizeof pat);
            skip_space(&lx);
            if (!list || lx.p >= lx.end || *lx.p != ',')
                break;
            lx.p++;
        }
        if (list && lx.p < lx.end && *lx.p == ']')
            lx.p++;
        str_fmt(f->text, sizeof f->text, "%.*s",
                (int)(lx.p - tok < TEXT_MAX ? lx.p - tok : TEXT_MAX), tok);
        for (char *q = f->text; *q; q++)
            if (*q == '\n' || *q == '\t' || *q == '\r')
                *q = ' ';
        nf++;
    }
    return nf;
}

void lvm_filter_scan(struct scan_ctx *c)
{
    static const char *const files[] = { "/etc/lvm/lvm.conf", "/etc/lvm/lvmlocal.conf" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        _cleanup_free_ char *buf = read_small(c->v, files[i], LVM_CONF_CAP, &len);
        char why[600];
        if (!buf)
            continue;
        _cleanup_free_ struct lvm_filter *fs = xcalloc(8, sizeof *fs);
        int n = lvm_conf_filters(buf, len, fs, 8);
        for (int k = 0; k < n; k++) {
            if (!lvm_filter_hides_nvme(fs[k].pat, fs[k].n, why, sizeof why))
                continue;
            json_object *f = report_add_findingf(c->r, F_BOOT_LVM_FILTER, c->root_volume,
                "Accept the NVMe names as well: put \"a|^/dev/nvme|\" before the reject patterns "
                "of filter and global_filter, then rebuild the initramfs, which carries a copy "
                "of lvm.conf.", "%s in %s", fs[k].global ? "global_filter" : "filter", files[i]);
            report_finding_evidence(f, "%s:%d: %s", files[i], fs[k].line, fs[k].text);
            report_finding_evidence(f, "%s", why);
        }
    }
}
