/* Package ownership from the rpm database.
 *
 * The database formats (BerkeleyDB "Packages" on CentOS 5-8 and Amazon
 * Linux 1/2, "rpmdb.sqlite" on RHEL 9+, Fedora 33+, AL2023) are read by
 * librpm itself, from a private copy of the guest's database directory: the
 * guest is never written to, and the host's own database is never touched.
 * librpm is a build dependency found with pkg-config; a build without it
 * reports rpm ownership as unavailable. */
#include "elf_int.h"

#include "util/error.h"
#include "util/tmpdir.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBRPM
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#define RPMDB_CAP (2ULL << 30)      /* whole database copied out, at most */
#define COPY_CHUNK (1u << 20)

/* Copies one guest file into dst, in chunks. */
static int copy_out(vfs *v, const char *src, const char *dst, uint64_t size, uint64_t *budget)
{
    if (size > *budget)
        return -1;
    *budget -= size;
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    char *buf = xmalloc(COPY_CHUNK);
    int rc = 0;
    for (uint64_t off = 0; rc == 0 && off < size;) {
        size_t want = size - off < COPY_CHUNK ? (size_t)(size - off) : COPY_CHUNK;
        ssize_t n = vfs_pread(v, src, buf, want, off);
        if (n <= 0 || write(fd, buf, (size_t)n) != n)
            rc = -1;
        else
            off += (uint64_t)n;
    }
    free(buf);
    if (close(fd) < 0)
        rc = -1;
    return rc;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Where the guest keeps its database; NULL when it has none. */
static char *find_dbdir(vfs *v, const char **backend)
{
    static const char *const dirs[] = {"/var/lib/rpm", "/usr/lib/sysimage/rpm"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char *real = NULL, p[4200];
        if (vfs_realpath(v, dirs[i], &real) < 0)
            continue;
        snprintf(p, sizeof p, "%s/rpmdb.sqlite", real);
        if (vfs_exists(v, p)) {
            *backend = "sqlite";
            return real;
        }
        snprintf(p, sizeof p, "%s/Packages", real);
        if (vfs_exists(v, p)) {
            *backend = "bdb_ro";
            return real;
        }
        snprintf(p, sizeof p, "%s/Packages.db", real);
        if (vfs_exists(v, p)) {
            *backend = "ndb";
            return real;
        }
        free(real);
    }
    return NULL;
}

int rpm_owners(vfs *v, struct elf_inventory *inv, struct strv *owners, struct lc_error *err)
{
    const char *backend = NULL;
    char *dbdir = find_dbdir(v, &backend);
    char tmp[4096];
    char **names = NULL;
    int count = -ENOENT, made_tmp = 0;
    rpmts ts = NULL;
    rpmdbMatchIterator mi = NULL;

    lc_error_clear(err);
    if (!dbdir)
        return -ENOENT;
    snprintf(tmp, sizeof tmp, "%s/liftcheck-rpmdb-XXXXXX", tmp_dir());
    if (!mkdtemp(tmp)) {
        count = lc_fail(err, -errno, "cannot create a temporary directory: %s", strerror(errno));
        goto out;
    }
    made_tmp = 1;
    char local[4200];
    snprintf(local, sizeof local, "%s/var", tmp);
    mkdir(local, 0700);
    snprintf(local, sizeof local, "%s/var/lib", tmp);
    mkdir(local, 0700);
    snprintf(local, sizeof local, "%s/var/lib/rpm", tmp);
    mkdir(local, 0700);
    if (vfs_list(v, dbdir, &names) < 0) {
        count = lc_fail(err, -EIO, "%s: %s", dbdir, vfs_error(v));
        goto out;
    }
    uint64_t budget = RPMDB_CAP;
    for (size_t i = 0; names[i]; i++) {
        char src[4200], dst[8500];
        struct vfs_stat st;
        snprintf(src, sizeof src, "%s/%s", dbdir, names[i]);
        if (vfs_lstat(v, src, &st) < 0 || st.type != VFS_REG || !strncmp(names[i], "__db", 4) ||
            !strcmp(names[i], ".rpm.lock") || !strcmp(names[i], ".dbenv.lock"))
            continue;   /* environment and lock files belong to the live system */
        snprintf(dst, sizeof dst, "%s/%s", local, names[i]);
        if (copy_out(v, src, dst, st.size, &budget) < 0) {
            count = lc_fail(err, -EIO, "cannot copy %s out of the guest", src);
            goto out;
        }
    }

    if (rpmReadConfigFiles(NULL, NULL) != 0) {
        count = lc_fail(err, -EIO, "librpm could not read its configuration");
        goto out;
    }
    rpmPushMacro(NULL, "_dbpath", NULL, "/var/lib/rpm", RMIL_CMDLINE);
    rpmPushMacro(NULL, "_db_backend", NULL, backend, RMIL_CMDLINE);
    ts = rpmtsCreate();
    if (!ts || rpmtsSetRootDir(ts, tmp) != 0) {
        count = lc_fail(err, -EIO, "librpm could not open the database copy");
        goto out;
    }
    mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
    if (!mi) {
        count = lc_fail(err, -EIO, "librpm could not read the %s database in %s", backend,
                        dbdir);
        goto out;
    }
    count = 0;
    Header h;
    while ((h = rpmdbNextIterator(mi)) != NULL) {
        const char *name = headerGetString(h, RPMTAG_NAME);
        if (!name)
            continue;
        if (strv_add(owners, name) < 0) {
            count = -ENOMEM;
            break;
        }
        const char *pkg = owners->v[owners->n - 1];
        count++;
        rpmfi fi = rpmfiNew(ts, h, RPMTAG_BASENAMES, RPMFI_FLAGS_QUERY);
        while (fi && rpmfiNext(fi) >= 0) {
            const char *fn = rpmfiFN(fi);
            long idx = fn ? elf_inv_lookup_alias(inv, fn) : -1;
            if (idx >= 0 && !inv->files[idx].package)
                inv->files[idx].package = pkg;
        }
        if (fi)
            rpmfiFree(fi);
    }
out:
    if (mi)
        rpmdbFreeIterator(mi);
    if (ts)
        rpmtsFree(ts);
    rpmFreeMacros(NULL);
    rpmFreeRpmrc();
    if (made_tmp)
        nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    vfs_free_names(names);
    free(dbdir);
    return count;
}

#else

int rpm_owners(vfs *v, struct elf_inventory *inv, struct strv *owners, struct lc_error *err)
{
    (void)inv;
    (void)owners;
    lc_error_clear(err);
    if (!vfs_exists(v, "/var/lib/rpm/Packages") && !vfs_exists(v, "/var/lib/rpm/rpmdb.sqlite") &&
        !vfs_exists(v, "/usr/lib/sysimage/rpm/rpmdb.sqlite"))
        return -ENOENT;
    return lc_fail(err, -ENOTSUP, "rpm database found but liftcheck was built without librpm");
}

#endif
