/* Launching the appliance.
 *
 * /dev/kvm may exist and still not work: qemu can abort (MSR errors) or spin
 * forever in the firmware.  In auto mode a KVM launch is therefore watched:
 * if qemu has not brought the appliance up within kvm_timeout seconds it is
 * killed and the launch is retried under TCG, and the report says why.  A
 * small cache remembers a host where KVM failed, so later runs go straight
 * to TCG instead of paying for the failed attempt again.
 *
 * Under TCG the appliance has one vCPU: with two, a boot on a busy host
 * hung about once in a hundred (see new_handle).  A boot that hangs anyway
 * is launched again: a boot prints a line every few seconds at worst, so a
 * console silent for BOOT_SILENCE_S seconds is a hang, qemu is killed and
 * the appliance launched again (twice at most), and the report says why. */
#include "image.h"

#include "appliance_sh.h"
#include "helper_path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/proc_stat.h"
#include "util/progress.h"
#include "util/stop.h"
#include "util/tmpdir.h"
#include "util/xalloc.h"

#define KVM_CACHE_TTL (24 * 3600)
#define PROBE_DISK_SIZE (4ULL << 30)
#define TCG_CACHE_MIB 64
#define BOOT_SILENCE_S 60
#define BOOT_ATTEMPTS 3

/* Every call into the appliance is a wait the watchdog bounds (util/stop.h);
 * its progress messages restart the clock.  The launch is one wait: the
 * calls libguestfs makes to itself meanwhile are part of it, and each line
 * the appliance writes on its console while it boots restarts the clock
 * and becomes part of what the run says it waits for, so a launch that
 * stops says how far the boot got. */
static void launch_wait(const struct console_tail *console)
{
    char what[64 + CONSOLE_LINE_MAX];
    if (console->last[0])
        snprintf(what, sizeof what, "the appliance to start (its console's last line: '%s')",
                 console->last);
    else
        snprintf(what, sizeof what, "the appliance to start (nothing on its console yet)");
    stop_wait(what);
}

static void call_event(guestfs_h *g, void *opaque, uint64_t event, int eh,
                       int flags, const char *buf, size_t len,
                       const uint64_t *array, size_t alen)
{
    struct image *im = opaque;
    (void)eh; (void)flags;
    if (event == GUESTFS_EVENT_APPLIANCE) {
        /* Registering for these takes them from libguestfs's own printing
         * under -v: print them as it would. */
        if (guestfs_get_verbose(g) > 0 && buf && len)
            fwrite(buf, 1, len, stderr);
        if (!im->launching || !buf)
            return;
        if (console_tail_feed(&im->console, buf, len)) {
            atomic_store(&im->console_line_ms, mono_ms());
            launch_wait(&im->console);
        } else
            stop_wait_progress();
    } else if (event == GUESTFS_EVENT_ENTER) {
        char what[128];
        if (im->launching)
            return;
        if (len == 6 && !memcmp(buf, "launch", 6)) {
            im->launching = 1;
            memset(&im->console, 0, sizeof im->console);
            launch_wait(&im->console);
            return;
        }
        snprintf(what, sizeof what, "the appliance (libguestfs call %.*s)",
                 (int)(len < 64 ? len : 64), buf);
        stop_wait(what);
    } else if (alen >= 4) {
        stop_wait_progress();
        progress_percent(array[2], array[3]);
    }
}

static guestfs_h *new_handle(struct image *im, const struct image_options *opt, int tcg)
{
    guestfs_h *g = guestfs_create_flags(0);
    if (!g)
        return NULL;
    guestfs_set_error_handler(g, NULL, NULL);   /* we report errors ourselves */
    guestfs_set_verbose(g, opt->verbose);
    guestfs_set_trace(g, opt->trace);
    if (tcg) {
        char *settings[] = {"force_tcg", NULL};
        guestfs_set_backend_settings(g, settings);
    }
    /* libguestfs boots its kernel "quiet" unless verbose, so the console
     * stays silent until the appliance's /init.  Its boot lines instead
     * restart the launch's stall clock and let a launch that stops say
     * where (a later loglevel= overrides quiet). */
    if (!opt->verbose) {
        const char *user = guestfs_get_append(g);  /* LIBGUESTFS_APPEND, kept */
        char *append = user && *user ? xasprintf("%s loglevel=7", user) : xstrdup("loglevel=7");
        guestfs_set_append(g, append);
        free(append);
    }
    guestfs_set_event_callback(g, call_event, GUESTFS_EVENT_ENTER | GUESTFS_EVENT_PROGRESS |
                               GUESTFS_EVENT_APPLIANCE, 0, im);
    /* Under KVM a vCPU per host CPU, up to 4: the probe keeps several
     * reads in flight.  Under TCG one: with two, qemu's multi-threaded TCG
     * can go on running its old translation of kernel code that the other
     * vCPU has just patched (a static key switched with int3, as the kernel
     * does at boot), and both vCPUs then trap forever on an int3 that is
     * no longer in memory (see README, "KVM and TCG"). */
    long cpus = tcg ? 1 : sysconf(_SC_NPROCESSORS_ONLN);
    guestfs_set_smp(g, cpus > 4 ? 4 : cpus > 1 ? (int)cpus : 1);
    /* Every disk is an overlay or a scratch disk thrown away afterwards:
     * nothing to sync and unmount at shutdown (seconds under emulation). */
    guestfs_set_autosync(g, 0);
    return g;
}

static int add_disks(guestfs_h *g, struct image *im)
{
    /* Each disk is reached only through our overlay (see disk_make_overlay):
     * the overlay takes every write, the disk is opened read-only below it. */
    for (int i = 0; i < im->ndisks; i++) {
        struct guestfs_add_drive_opts_argv a = {
            .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK |
                       GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK |
                       GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK,
            .readonly = 0, .format = "qcow2", .cachemode = "unsafe",
        };
        /* Labels name the disks in the appliance's own /dev (see image.h). */
        char label[16];
        if (i < 26) {
            snprintf(label, sizeof label, "%s%c", DISK_LABEL_PREFIX, 'a' + i);
            a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK;
            a.label = label;
        }
        if (guestfs_add_drive_opts_argv(g, im->disks[i].overlay, &a) < 0)
            return -1;
    }
    /* A small writable scratch disk (in a host temp file, never an input)
     * gives data-only servers a root to mount their filesystems under. */
    if (guestfs_add_drive_scratch(g, 16 << 20, -1) < 0)
        return -1;
    /* The probe's binary and its snapshot (probe_run.c): sparse, so only
     * what the snapshot fills takes space.  The label gives it a name in
     * the appliance's shell (/dev/disk/guestfs/LABEL): the kernel may name
     * the disks in another order than the API does. */
    if (!im->probe_disk_path) {
        char path[4096];
        snprintf(path, sizeof path, "%s/probe.img", im->overlay_dir);
        im->probe_disk_path = xstrdup(path);
    }
    const char *path = im->probe_disk_path;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)PROBE_DISK_SIZE) < 0) {
        if (fd >= 0)
            close(fd);
        return 0;   /* no probe disk: the run reads file by file */
    }
    close(fd);
    im->probe_disk_size = PROBE_DISK_SIZE;
    return guestfs_add_drive_opts(g, path, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                  GUESTFS_ADD_DRIVE_OPTS_READONLY, 0,
                                  GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "unsafe",
                                  GUESTFS_ADD_DRIVE_OPTS_LABEL, PROBE_DISK_LABEL, -1);
}

/* The launch's watchdog: kills our qemu child when a KVM launch is not
 * done in time, or when a boot's console goes silent. */
enum watch_fired { FIRED_NONE, FIRED_KVM_TIMEOUT, FIRED_BOOT_SILENT };
struct watchdog {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, timeout, silence;
    enum watch_fired fired;
    const atomic_llong *console_line_ms;
};

/* Our qemu child, or 0.  libguestfs's direct backend forks qemu itself. */
static pid_t find_qemu_child(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t self = getpid(), found = 0;

    if (!d)
        return 0;
    while (!found && (e = readdir(d))) {
        struct proc_stat st;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid > 0 && proc_stat_read(pid, &st) == 0 && st.ppid == self &&
            !strncmp(st.comm, "qemu-system", 11))
            found = pid;
    }
    closedir(d);
    return found;
}

/* The clocks start when qemu appears: building the appliance on a first
 * run may take longer than a boot, and is neither KVM's fault nor a hang. */
static void *watchdog_main(void *arg)
{
    struct watchdog *w = arg;
    long long started = 0;
    pid_t qemu = 0;

    pthread_mutex_lock(&w->mu);
    while (!w->done) {
        struct timespec tick;
        clock_gettime(CLOCK_REALTIME, &tick);
        tick.tv_nsec += 250 * 1000000L;
        if (tick.tv_nsec >= 1000000000L) {
            tick.tv_sec++;
            tick.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &tick);
        if (w->done)
            break;
        long long now = mono_ms();
        if (!qemu && (qemu = find_qemu_child()))
            started = now;
        if (!qemu)
            continue;
        long long line = atomic_load(w->console_line_ms);
        long long quiet_since = line > started ? line : started;
        if (w->timeout && now - started >= w->timeout * 1000LL)
            w->fired = FIRED_KVM_TIMEOUT;
        else if (w->silence && now - quiet_since >= w->silence * 1000LL)
            w->fired = FIRED_BOOT_SILENT;
        if (w->fired) {
            kill(qemu, SIGKILL);
            break;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static const char *kvm_cache_path(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/liftcheck/kvm-broken", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.cache/liftcheck/kvm-broken", home);
    else
        return NULL;
    return buf;
}

/* The cache key: a new kernel or qemu may fix KVM. */
static void kvm_cache_key(char *buf, size_t n)
{
    struct utsname u;
    struct stat st;
    long qemu_mtime = stat("/usr/bin/qemu-system-x86_64", &st) == 0 ? (long)st.st_mtime : 0;
    uname(&u);
    snprintf(buf, n, "%s %ld", u.release, qemu_mtime);
}

static int kvm_known_broken(void)
{
    char path[1024], key[256], line[512];
    struct stat st;
    if (!kvm_cache_path(path, sizeof path) || stat(path, &st) < 0 ||
        time(NULL) - st.st_mtime > KVM_CACHE_TTL)
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    kvm_cache_key(key, sizeof key);
    line[strcspn(line, "\n")] = '\0';
    return ok && strcmp(line, key) == 0;
}

static void kvm_remember_broken(void)
{
    char path[1024], key[256];
    if (!kvm_cache_path(path, sizeof path))
        return;
    char *slash = strrchr(path, '/');
    *slash = '\0';
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *ps = strrchr(parent, '/');
    if (ps) {
        *ps = '\0';
        mkdir(parent, 0755);
    }
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    kvm_cache_key(key, sizeof key);
    fprintf(f, "%s\n", key);
    fclose(f);
}

static int env_forces_tcg(void)
{
    const char *s = getenv("LIBGUESTFS_BACKEND_SETTINGS");
    return s && strstr(s, "force_tcg");
}

/* Under TCG, qemu runs through liftcheck-qemu-tcg with a smaller
 * translation cache (the script says why).  The cache's size in MiB, or 0
 * when qemu runs as libguestfs starts it (LIFTCHECK_TCG_CACHE_MIB=0, or
 * no script). */
static int small_tcg_cache(guestfs_h *g)
{
    const char *env = getenv("LIFTCHECK_TCG_CACHE_MIB");
    int mib = env && *env ? atoi(env) : TCG_CACHE_MIB;
    char wrapper[4096], num[16];
    if (mib <= 0 || mib > 4096 ||
        helper_path(&HELPER_QEMU_TCG, wrapper, sizeof wrapper) < 0 || access(wrapper, X_OK) < 0)
        return 0;
    char *hv = guestfs_get_hv(g);
    if (!hv)
        return 0;
    snprintf(num, sizeof num, "%d", mib);
    int ok = setenv("LIFTCHECK_QEMU", hv, 1) == 0 &&
             setenv("LIFTCHECK_TCG_CACHE_MIB", num, 1) == 0 && guestfs_set_hv(g, wrapper) == 0;
    free(hv);
    return ok ? mib : 0;
}

/* One launch attempt, watched for a KVM boot longer than kvm_timeout (when
 * kvm_watch) and for a console silent for `silence` seconds (when not 0);
 * returns 0, or a negative errno with the reason in err (libguestfs's
 * text) and a few words in brief.  -ETIMEDOUT: the watchdog killed qemu. */
static int try_launch(struct image *im, const struct image_options *opt, int tcg,
                      int kvm_watch, int silence, struct lc_error *err, char *brief,
                      size_t brieflen)
{
    struct watchdog w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0,
                         kvm_watch ? opt->kvm_timeout : 0, silence, FIRED_NONE,
                         &im->console_line_ms};
    pthread_t th;
    int watching = 0;

    im->g = new_handle(im, opt, tcg);
    if (!im->g)
        return lc_fail(err, -EIO, "cannot create a libguestfs handle");
    im->tcg_cache_mib = tcg ? small_tcg_cache(im->g) : 0;
    if (add_disks(im->g, im) < 0) {
        lc_fail(err, -EIO, "%s", guestfs_last_error(im->g));
        goto fail;
    }
    atomic_store(&im->console_line_ms, 0);
    if ((w.timeout || w.silence) && pthread_create(&th, NULL, watchdog_main, &w) == 0)
        watching = 1;
    stop_set_victim_finder(find_qemu_child);   /* a stop during the launch kills qemu */
    int r = guestfs_launch(im->g);
    im->launching = 0;
    stop_set_victim_finder(NULL);
    if (watching) {
        pthread_mutex_lock(&w.mu);
        w.done = 1;
        pthread_cond_signal(&w.cv);
        pthread_mutex_unlock(&w.mu);
        pthread_join(th, NULL);
    }
    if (r < 0) {
        if (w.fired == FIRED_KVM_TIMEOUT) {
            lc_fail(err, -ETIMEDOUT, "KVM launch made no progress in %d s", opt->kvm_timeout);
            snprintf(brief, brieflen, "no progress in %d s", opt->kvm_timeout);
        } else if (w.fired == FIRED_BOOT_SILENT) {
            if (im->console.last[0])
                lc_fail(err, -ETIMEDOUT, "the appliance's boot stopped: no console line in "
                        "%d s after '%s'", silence, im->console.last);
            else
                lc_fail(err, -ETIMEDOUT, "the appliance's boot stopped: no console line in %d s",
                        silence);
            snprintf(brief, brieflen, "no console line in %d s", silence);
        } else {
            lc_fail(err, -EIO, "%s", guestfs_last_error(im->g));
            snprintf(brief, brieflen, "the appliance did not start");
        }
        goto fail;
    }
    stop_set_victim(guestfs_get_pid(im->g));
    return 0;
fail:
    guestfs_close(im->g);
    im->g = NULL;
    return err->code;
}

/* Seconds of console silence after which a TCG boot counts as hung
 * (LIFTCHECK_BOOT_SILENCE_S sets it; 0: never); none when the stall bound
 * comes first, which then ends the run as any stall. */
static int boot_silence_bound(void)
{
    const char *env = getenv("LIFTCHECK_BOOT_SILENCE_S");
    int s = env && *env ? atoi(env) : BOOT_SILENCE_S;
    unsigned stall = stop_stall_seconds();
    return s > 0 && (stall == 0 || (unsigned)s < stall) ? s : 0;
}

/* A TCG launch, launched again while its boot hangs, up to BOOT_ATTEMPTS
 * boots (a hang under load may come again on the next boot); the last is
 * bounded by the stall clock alone. */
static int launch_tcg(struct image *im, const struct image_options *opt,
                      struct lc_error *err, char *brief, size_t brieflen)
{
    int silence = boot_silence_bound();
    for (int attempt = 1;; attempt++) {
        int rc = try_launch(im, opt, 1, 0, attempt < BOOT_ATTEMPTS ? silence : 0, err, brief,
                            brieflen);
        if (rc != -ETIMEDOUT || stop_requested())
            return rc;
        notice("%s; launching it again", err->msg);
        if (!im->relaunch_reason)
            im->relaunch_reason = xstrdup(err->msg);
        memset(err, 0, sizeof *err);
    }
}

int image_open(struct image *im, struct disk *disks, int ndisks,
               const struct image_options *opt, struct lc_error *err)
{
    struct lc_error why = {0};

    memset(im, 0, sizeof *im);
    im->disks = disks;
    im->ndisks = ndisks;

    char dir[4096];
    snprintf(dir, sizeof dir, "%s/liftcheck-XXXXXX", tmp_dir());
    if (!mkdtemp(dir))
        return lc_fail(err, -errno, "cannot create a temporary directory: %s", strerror(errno));
    im->overlay_dir = xstrdup(dir);
    for (int i = 0; i < ndisks; i++) {
        struct lc_error oe = {0};
        int rc = disk_make_overlay(&disks[i], dir, i, &oe);
        if (rc < 0)
            return lc_fail(err, rc, "cannot create an overlay: %s", oe.msg);
    }

    int tcg = opt->accel == ACCEL_TCG;
    if (opt->accel == ACCEL_AUTO) {
        if (env_forces_tcg()) {
            tcg = 1;
            im->fallback_reason = xstrdup("LIBGUESTFS_BACKEND_SETTINGS=force_tcg");
        } else if (access("/dev/kvm", R_OK | W_OK) != 0) {
            tcg = 1;
            im->fallback_reason = xasprintf("/dev/kvm: %s", strerror(errno));
        } else if (kvm_known_broken()) {
            tcg = 1;
            im->fallback_reason = xstrdup("KVM failed on this host earlier (cached for a day in ~/.cache/liftcheck/kvm-broken)");
        }
    }

    char brief[128];
    im->accelerator = tcg ? "tcg" : "kvm";     /* also what a stopped launch reports */
    progress_stage("launching the appliance (%s)", tcg ? "TCG" : "KVM");
    if ((tcg ? launch_tcg(im, opt, &why, brief, sizeof brief)
             : try_launch(im, opt, 0, opt->accel == ACCEL_AUTO, 0, &why, brief,
                          sizeof brief)) == 0)
        goto launched;
    if (opt->accel != ACCEL_AUTO || tcg || stop_requested())
        return lc_fail(err, why.code, "appliance launch failed: %s", why.msg);
    /* KVM did not work: say so in one line and run under TCG; libguestfs's
     * own account (several lines of advice) only under -v. */
    free(im->fallback_reason);
    im->fallback_reason = xstrdup(why.msg);
    im->kvm_failed = 1;
    notice("KVM launch failed (%s); continuing under TCG (slower)", brief);
    if (opt->verbose)
        notice("the KVM launch failed with: %s", why.msg);
    kvm_remember_broken();
    im->accelerator = "tcg";
    progress_stage("launching the appliance (TCG)");
    if (launch_tcg(im, opt, &why, brief, sizeof brief) < 0)
        return lc_fail(err, why.code, "appliance launch failed under TCG too: %s", why.msg);
launched:
    appliance_sh_check(im->g);
    char **devs = guestfs_list_devices(im->g);
    if (devs) {
        for (int i = 0; devs[i]; i++) {
            if (i == ndisks)
                im->scratch_device = xstrdup(devs[i]);
            else if (i == ndisks + 1)
                im->probe_device = xstrdup(devs[i]);
            free(devs[i]);
        }
        free(devs);
    }
    return 0;
}

void image_close(struct image *im)
{
    if (im->g) {
        guestfs_shutdown(im->g);
        guestfs_close(im->g);
    }
    stop_set_victim(0);     /* its pid may be reused once it is gone */
    /* The overlays go with the disks; then their directory. */
    for (int i = 0; i < im->ndisks; i++)
        if (im->disks[i].overlay) {
            unlink(im->disks[i].overlay);
            free(im->disks[i].overlay);
            im->disks[i].overlay = NULL;
        }
    if (im->probe_disk_path)
        unlink(im->probe_disk_path);
    free(im->probe_disk_path);
    if (im->overlay_dir)
        rmdir(im->overlay_dir);
    free(im->overlay_dir);
    free(im->fallback_reason);
    free(im->relaunch_reason);
    free(im->scratch_device);
    free(im->probe_device);
    for (int i = 0; i < 26; i++)
        free(im->kernel_disk_name[i]);
    memset(im, 0, sizeof *im);
}
