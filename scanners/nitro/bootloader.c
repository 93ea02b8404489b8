/* Which kernel boots by default, and with which command line: GRUB 2
 * (grub.cfg + grubenv), Boot Loader Specification entries (RHEL 8+),
 * GRUB legacy (menu.lst / grub.conf). */
#include "nitro_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define CFG_CAP (8u << 20)
#define MAX_ENTRIES 512
#define MAX_SUBMENU 8

static struct boot_entry *add_entry(struct boot_info *bi)
{
    if (bi->n >= MAX_ENTRIES)
        return NULL;
    if (bi->n == bi->cap) {
        int nc = bi->cap ? bi->cap * 2 : 16;
        bi->e = xreallocarray(bi->e, (size_t)nc, sizeof *bi->e);
        bi->cap = nc;
    }
    struct boot_entry *e = &bi->e[bi->n++];
    memset(e, 0, sizeof *e);
    return e;
}

void boot_free(struct boot_info *bi)
{
    for (int i = 0; i < bi->n; i++)
        free(bi->e[i].cmdline);
    free(bi->e);
    bi->e = NULL;
    bi->n = bi->cap = 0;
}

int boot_path_find(vfs *v, const char *entry_path, char *out, size_t cap)
{
    const char *p = entry_path;
    /* "(hd0,msdos1)/vmlinuz-..." names the device first */
    if (p[0] == '(' && strchr(p, ')'))
        p = strchr(p, ')') + 1;
    if (p[0] != '/')
        return 0;
    if (strncmp(p, "/boot/", 6)) {
        str_fmt(out, cap, "/boot%s", p);
        if (vfs_exists(v, out))
            return 1;
    }
    str_fmt(out, cap, "%s", p);
    return vfs_exists(v, out);
}

void boot_kernel_version(const char *kpath, char *out, size_t cap)
{
    const char *b = strrchr(kpath, '/');
    b = b ? b + 1 : kpath;
    if (b[0] == ')' )
        b++;
    if (!strncmp(b, "vmlinuz-", 8))
        b += 8;
    else if (!strncmp(b, "vmlinux-", 8) || !strncmp(b, "kernel-", 7))
        b = strchr(b, '-') + 1;
    str_fmt(out, cap, "%s", b);
}

/* Reads one word, unquoting '...' and "..."; returns the rest or NULL. */
static const char *word(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    if (!*s)
        return NULL;
    while (*s && !isspace((unsigned char)*s)) {
        if (*s == '\'' || *s == '"') {
            char q = *s++;
            while (*s && *s != q) {
                if (q == '"' && *s == '\\' && s[1])
                    s++;
                if (n + 1 < cap)
                    out[n++] = *s;
                s++;
            }
            if (*s)
                s++;
        } else {
            if (n + 1 < cap)
                out[n++] = *s;
            s++;
        }
    }
    out[n] = '\0';
    return s;
}

/* An image line's main file, without a "(hd0,0)" device: GRUB loads
 * every file an initrd line names and the last one is the distribution's
 * (microcode images come before it; EL7's $tuned_initrd is a variable). */
void boot_image_path(const char *args, char *out, size_t cap)
{
    char w[512];
    const char *s = args;
    out[0] = '\0';
    while (s && (s = word(s, w, sizeof w))) {
        if (!w[0] || w[0] == '$')
            continue;
        const char *close = w[0] == '(' ? strchr(w, ')') : NULL;
        str_fmt(out, cap, "%s", close ? close + 1 : w);
    }
}

static int is_initrd_cmd(const char *w)
{
    return !strcmp(w, "initrd") || !strcmp(w, "initrd16") || !strcmp(w, "initrdefi");
}

static char *env_get(const char *env, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = env;
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            size_t vl = ll - kl - 1;
            if (vl >= cap)
                vl = cap - 1;
            memcpy(out, p + kl + 1, vl);
            out[vl] = '\0';
            return out;
        }
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

struct g2 {
    struct boot_info *bi;
    int depth;                      /* brace depth of menus */
    int sub_index[MAX_SUBMENU];     /* index path of open submenus */
    char sub_title[MAX_SUBMENU][128];
    int nsub;
    int top_count[MAX_SUBMENU + 1]; /* items seen at each menu level */
    struct boot_entry *cur;
    int cur_depth;
    int in_function;
};

static void menu_header(struct g2 *g, const char *line, int is_sub)
{
    char title[256] = "", w[256], id[256] = "";
    const char *s = word(line, w, sizeof w);   /* menuentry / submenu */
    if (s)
        s = word(s, title, sizeof title);
    while (s && (s = word(s, w, sizeof w))) {
        if (!strcmp(w, "$menuentry_id_option") || !strcmp(w, "--id")) {
            s = word(s, id, sizeof id);
        } else if (!strncmp(w, "--id=", 5)) {
            str_fmt(id, sizeof id, "%s", w + 5);
        }
    }
    int level = g->nsub;
    if (level > MAX_SUBMENU)
        return;
    int idx = g->top_count[level]++;
    if (is_sub) {
        if (g->nsub < MAX_SUBMENU) {
            g->sub_index[g->nsub] = idx;
            str_fmt(g->sub_title[g->nsub], sizeof g->sub_title[0], "%s", title);
            g->nsub++;
            g->top_count[g->nsub] = 0;
        }
        return;
    }
    struct boot_entry *e = add_entry(g->bi);
    if (!e)
        return;
    /* index path "1>0" and title path, both forms grub accepts */
    char ipath[160] = "";
    size_t off = 0;
    for (int i = 0; i < g->nsub && off < 100; i++)
        off += (size_t)snprintf(ipath + off, sizeof ipath - off, "%d>", g->sub_index[i]);
    str_fmt(ipath + off, sizeof ipath - off, "%d", idx);
    str_fmt(e->title, sizeof e->title, "%s", title);
    str_fmt(e->id, sizeof e->id, "%s|%s", ipath, id);
    g->cur = e;
    g->cur_depth = g->depth;
}

static int g2_line(char *raw, void *opaque)
{
    struct g2 *g = opaque;
    char *line = trim(raw), w[64];
    if (!*line || *line == '#')
        return 0;
    word(line, w, sizeof w);
    if (!strcmp(w, "function")) {
        g->in_function = 1;
        g->depth++;
        return 0;
    }
    if (!strcmp(w, "menuentry") || !strcmp(w, "submenu")) {
        menu_header(g, line, w[0] == 's');
        g->depth++;
        return 0;
    }
    if (!strcmp(w, "set") && !g->cur && g->nsub == 0 && !g->in_function) {
        char a[256];
        word(line + 3, a, sizeof a);
        if (!strncmp(a, "default=", 8))
            str_fmt(g->bi->default_spec, sizeof g->bi->default_spec, "%s", a + 8);
        return 0;
    }
    if (g->cur && (!strcmp(w, "linux") || !strcmp(w, "linux16") || !strcmp(w, "linuxefi") ||
                   !strcmp(w, "kernel"))) {
        const char *s = word(line, w, sizeof w);
        char k[512];
        if (s && (s = word(s, k, sizeof k))) {
            str_fmt(g->cur->kernel, sizeof g->cur->kernel, "%s", k);
            while (*s && isspace((unsigned char)*s))
                s++;
            free(g->cur->cmdline);
            g->cur->cmdline = xstrdup(s);
        }
        return 0;
    }
    if (g->cur && is_initrd_cmd(w)) {
        boot_image_path(word(line, w, sizeof w), g->cur->initrd, sizeof g->cur->initrd);
        return 0;
    }
    /* braces opening on other lines (if/for blocks) are rare in entries;
     * count them so closing braces pair up */
    for (const char *p = line; *p; p++) {
        if (*p == '{' && strcmp(w, "menuentry"))
            g->depth++;
        else if (*p == '}') {
            if (g->depth > 0)
                g->depth--;
            if (g->cur && g->depth == g->cur_depth)
                g->cur = NULL;
            else if (!g->cur && g->in_function && g->depth == 0)
                g->in_function = 0;
            else if (!g->cur && g->nsub > 0 && g->depth == g->nsub - 1)
                g->nsub--;
        }
    }
    return 0;
}

static void resolve_default(struct boot_info *bi, const char *spec)
{
    bi->default_index = bi->n ? 0 : -1;
    if (!spec || !*spec)
        return;
    str_fmt(bi->default_named, sizeof bi->default_named, "%s", spec);
    /* GRUB boots the first entry when the default names none */
    bi->default_unmatched = bi->n > 0;
    for (int i = 0; i < bi->n; i++) {
        char ip[64];
        const char *bar = strchr(bi->e[i].id, '|');
        size_t l = bar ? (size_t)(bar - bi->e[i].id) : strlen(bi->e[i].id);
        str_fmt(ip, sizeof ip, "%.*s", (int)l, bi->e[i].id);
        const char *id = bar ? bar + 1 : "";
        const char *last = strrchr(spec, '>');
        const char *tail = last ? last + 1 : spec;
        if (!strcmp(ip, spec) || (*id && (!strcmp(id, spec) || !strcmp(id, tail))) ||
            !strcmp(bi->e[i].title, spec) || !strcmp(bi->e[i].title, tail)) {
            bi->default_index = i;
            bi->default_unmatched = 0;
            return;
        }
    }
}

void grub2_parse(struct boot_info *bi, const char *cfg, size_t len, const char *grubenv)
{
    struct g2 g;
    char spec[256] = "", saved[256];
    memset(&g, 0, sizeof g);
    g.bi = bi;
    for_each_line(cfg, len, g2_line, &g);
    str_fmt(spec, sizeof spec, "%s", bi->default_spec);
    if ((!strcmp(spec, "saved") || strstr(spec, "saved_entry")) ) {
        if (grubenv && env_get(grubenv, "saved_entry", saved, sizeof saved))
            str_fmt(spec, sizeof spec, "%s", saved);
        else
            str_fmt(spec, sizeof spec, "0");
    } else if (strstr(spec, "next_entry") || spec[0] == '$') {
        str_fmt(spec, sizeof spec, "0");
    }
    resolve_default(bi, spec);
}

struct legacy { struct boot_info *bi; struct boot_entry *cur; };

static int legacy_line(char *raw, void *opaque)
{
    struct legacy *l = opaque;
    char *line = trim(raw), w[64];
    if (!*line || *line == '#')
        return 0;
    const char *s = word(line, w, sizeof w);
    /* "default=0" and "default 0" are both accepted */
    char *eq = strchr(w, '=');
    if (eq) {
        *eq = '\0';
        s = line + (eq - w) + 1;
    }
    while (s && *s && (isspace((unsigned char)*s) || *s == '='))
        s++;
    if (!strcmp(w, "default") && s) {
        str_fmt(l->bi->default_spec, sizeof l->bi->default_spec, "%s", s);
    } else if (!strcmp(w, "title") && s) {
        l->cur = add_entry(l->bi);
        if (l->cur) {
            str_fmt(l->cur->title, sizeof l->cur->title, "%s", s);
            str_fmt(l->cur->id, sizeof l->cur->id, "%d|", l->bi->n - 1);
        }
    } else if (!strcmp(w, "kernel") && l->cur && s) {
        char k[512];
        const char *r = word(s, k, sizeof k);
        /* "(hd0,0)/vmlinuz-..." */
        const char *kp = k[0] == '(' && strchr(k, ')') ? strchr(k, ')') + 1 : k;
        str_fmt(l->cur->kernel, sizeof l->cur->kernel, "%s", kp);
        while (r && *r && isspace((unsigned char)*r))
            r++;
        free(l->cur->cmdline);
        l->cur->cmdline = xstrdup(r ? r : "");
    } else if (!strcmp(w, "initrd") && l->cur && s) {
        boot_image_path(s, l->cur->initrd, sizeof l->cur->initrd);
    }
    return 0;
}

void grub_legacy_parse(struct boot_info *bi, const char *cfg, size_t len, const char *saved)
{
    struct legacy l = { bi, NULL };
    for_each_line(cfg, len, legacy_line, &l);
    /* "default saved": the entry savedefault wrote as the first line of
     * /boot/grub/default (entry 0 without one) */
    const char *spec = bi->default_spec;
    if (!strncmp(spec, "saved", 5) && (!spec[5] || isspace((unsigned char)spec[5])))
        spec = saved ? saved : "0";
    while (*spec == ' ' || *spec == '\t')
        spec++;
    char *end = (char *)spec;
    long d = isdigit((unsigned char)*spec) ? strtol(spec, &end, 10) : -1;
    bi->default_index = bi->n ? 0 : -1;
    if (d >= 0 && d < bi->n)
        bi->default_index = (int)d;
    else if (end != spec && bi->n) {
        /* a number past the last entry: GRUB boots the first */
        str_fmt(bi->default_named, sizeof bi->default_named, "%s", spec);
        bi->default_unmatched = 1;
    }
}

/* ---- BLS entries ---- */
struct bls { struct boot_entry *e; const char *env; };

static int bls_line(char *raw, void *opaque)
{
    struct bls *b = opaque;
    char *line = trim(raw), w[64];
    const char *s = word(line, w, sizeof w);
    if (!s)
        return 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    if (!strcmp(w, "title"))
        str_fmt(b->e->title, sizeof b->e->title, "%s", s);
    else if (!strcmp(w, "linux"))
        str_fmt(b->e->kernel, sizeof b->e->kernel, "%s", s);
    else if (!strcmp(w, "initrd"))
        boot_image_path(s, b->e->initrd, sizeof b->e->initrd);
    else if (!strcmp(w, "options")) {
        char kopts[2048];
        free(b->e->cmdline);
        /* RHEL 8 keeps the options in grubenv as $kernelopts */
        if (strstr(s, "$kernelopts") && b->env &&
            env_get(b->env, "kernelopts", kopts, sizeof kopts))
            b->e->cmdline = xstrdup(kopts);
        else
            b->e->cmdline = xstrdup(s);
    }
    return 0;
}

static void bls_scan(struct scan_ctx *c, struct boot_info *bi, const char *grubenv)
{
    char **names = NULL, p[600], saved[256];
    if (vfs_list(c->v, "/boot/loader/entries", &names) < 0)
        return;
    int first = bi->n;
    for (char **n = names; *n; n++) {
        size_t l = strlen(*n);
        if (l < 6 || strcmp(*n + l - 5, ".conf"))
            continue;
        str_fmt(p, sizeof p, "/boot/loader/entries/%s", *n);
        size_t len;
        char *buf = read_small(c->v, p, 65536, &len);
        if (!buf)
            continue;
        struct boot_entry *e = add_entry(bi);
        if (e) {
            struct bls b = { e, grubenv };
            str_fmt(e->id, sizeof e->id, "|%.*s", (int)(l - 5), *n);
            for_each_line(buf, len, bls_line, &b);
        }
        free(buf);
    }
    vfs_free_names(names);
    /* grub sorts BLS entries newest first */
    for (int i = first + 1; i < bi->n; i++)
        for (int j = i; j > first && version_cmp(bi->e[j - 1].id, bi->e[j].id) < 0; j--) {
            struct boot_entry t = bi->e[j];
            bi->e[j] = bi->e[j - 1];
            bi->e[j - 1] = t;
        }
    for (int i = first; i < bi->n; i++) {
        char ip[64];
        const char *bar = strchr(bi->e[i].id, '|');
        str_fmt(ip, sizeof ip, "%d|%s", i - first, bar ? bar + 1 : "");
        str_fmt(bi->e[i].id, sizeof bi->e[i].id, "%s", ip);
    }
    if (grubenv && env_get(grubenv, "saved_entry", saved, sizeof saved) && saved[0])
        resolve_default(bi, saved);
    else
        bi->default_index = bi->n > first ? first : -1;
}

int boot_scan(struct scan_ctx *c, struct boot_info *bi)
{
    static const char *const g2cfg[] = {
        "/boot/grub2/grub.cfg", "/boot/grub/grub.cfg", "/boot/efi/EFI/redhat/grub.cfg",
        "/boot/efi/EFI/centos/grub.cfg", "/boot/efi/EFI/rocky/grub.cfg",
        "/boot/efi/EFI/almalinux/grub.cfg", "/boot/efi/EFI/fedora/grub.cfg",
        "/boot/efi/EFI/amzn/grub.cfg", "/boot/efi/EFI/debian/grub.cfg",
        "/boot/efi/EFI/ubuntu/grub.cfg", "/boot/efi/EFI/opensuse/grub.cfg",
        "/boot/efi/EFI/sles/grub.cfg", NULL };
    static const char *const envs[] = { "/boot/grub2/grubenv", "/boot/grub/grubenv",
        "/boot/efi/EFI/redhat/grubenv", "/boot/efi/EFI/centos/grubenv", NULL };
    static const char *const legacy[] = { "/boot/grub/menu.lst", "/boot/grub/grub.conf",
        "/etc/grub.conf", NULL };
    char *env = NULL, *buf;
    size_t len;

    memset(bi, 0, sizeof *bi);
    bi->default_index = -1;
    str_fmt(bi->loader, sizeof bi->loader, "none");
    for (int i = 0; envs[i] && !env; i++)
        env = read_small(c->v, envs[i], 65536, NULL);

    for (int i = 0; g2cfg[i]; i++) {
        if (!(buf = read_small(c->v, g2cfg[i], CFG_CAP, &len)))
            continue;
        str_fmt(bi->config, sizeof bi->config, "%s", g2cfg[i]);
        if (strstr(buf, "blscfg")) {
            str_fmt(bi->loader, sizeof bi->loader, "grub2-bls");
            bls_scan(c, bi, env);
        } else {
            str_fmt(bi->loader, sizeof bi->loader, "grub2");
            grub2_parse(bi, buf, len, env);
        }
        free(buf);
        goto out;
    }
    for (int i = 0; legacy[i]; i++) {
        if (!(buf = read_small(c->v, legacy[i], CFG_CAP, &len)))
            continue;
        str_fmt(bi->config, sizeof bi->config, "%s", legacy[i]);
        str_fmt(bi->loader, sizeof bi->loader, "grub-legacy");
        char *saved = read_small(c->v, "/boot/grub/default", 4096, NULL);
        grub_legacy_parse(bi, buf, len, saved);
        free(saved);
        free(buf);
        goto out;
    }
    if (vfs_exists(c->v, "/boot/loader/entries")) {
        str_fmt(bi->loader, sizeof bi->loader, "bls");
        str_fmt(bi->config, sizeof bi->config, "/boot/loader/entries");
        bls_scan(c, bi, env);
    }
out:
    free(env);
    return bi->n;
}

int cmdline_get(const char *cmdline, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *s = cmdline;
    char w[512];
    int found = 0;
    /* the last occurrence wins, as in the kernel */
    while (s && (s = word(s, w, sizeof w))) {
        if (!strncmp(w, key, kl) && (w[kl] == '=' || (w[kl] == '\0' && !strchr(key, '=')))) {
            str_fmt(out, cap, "%s", w[kl] == '=' ? w + kl + 1 : "");
            found = 1;
        }
    }
    return found;
}

#define CMDLINE_HOW "On the kernel command line, set it in GRUB_CMDLINE_LINUX of " \
    "/etc/default/grub and regenerate the GRUB configuration (grub2-mkconfig or update-grub); " \
    "GRUB legacy: edit the kernel lines of menu.lst/grub.conf."

/* Every key=value word whose value names a device: root= and resume=
 * always (UUID= and LABEL= included), anything else when it is a /dev path. */
void cmdline_devnames(struct scan_ctx *c, struct disk_names *dn, const char *cmdline,
                      const char *where, enum severity sev)
{
    const char *s = cmdline;
    char w[512], ev[1200];
    while (s && (s = word(s, w, sizeof w))) {
        char *eq = strchr(w, '=');
        if (!eq || eq == w)
            continue;
        const char *val = eq + 1;
        int is_root = eq - w == 4 && !strncmp(w, "root", 4);
        int is_resume = eq - w == 6 && !strncmp(w, "resume", 6);
        if (!is_root && !is_resume && strncmp(val, "/dev/", 5))
            continue;
        str_fmt(ev, sizeof ev, "%s: %s", where, w);
        if (!devname_check(c, dn, F_BOOT_CMDLINE_DEVNAME, sev, val, w, ev, CMDLINE_HOW) &&
            (is_root || is_resume))
            content_name_check(c, dn, val, is_root && sev == SEV_BLOCKER, ev);
    }
}

void cmdline_check(struct scan_ctx *c, struct disk_names *dn, const char *cmdline,
                   const char *where)
{
    cmdline_devnames(c, dn, cmdline, where, SEV_BLOCKER);
    /* console= may appear several times: check every one */
    const char *s = cmdline;
    char w[512];
    while (s && (s = word(s, w, sizeof w))) {
        if (!strncmp(w, "console=hvc0", 12) || !strncmp(w, "console=xvc0", 12)) {
            json_object *f = report_add_findingf(c->r, F_BOOT_XEN_CONSOLE, c->root_volume,
                "Replace the Xen console with console=tty0 console=ttyS0,115200n8.", "%s", w + 8);
            report_finding_evidence(f, "%s: %s", where, w);
        }
    }
}
