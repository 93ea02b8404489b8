/* liftcheck: inspector -> scanners -> verdict -> reports. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "inspector/disk_format.h"
#include "inspector/image.h"
#include "inspector/probe_run.h"
#include "model/jdoc.h"
#include "model/report.h"
#include "inspector/os.h"
#include "reports/output.h"
#include "reports/reports.h"
#include "scanners/scanners.h"
#include "summary_cmd.h"
#include "util/clock.h"
#include "util/progress.h"
#include "util/stop.h"
#include "util/xalloc.h"

static void add_header(struct report *r)
{
    report_set(r, "tool", report_tool());
    report_set(r, "started_at", report_utc_now());
}

/* How the appliance was launched; im NULL: none was (--root). */
static void add_launch(struct report *r, const struct image *im)
{
    json_object *l = jobject();
    doc_put(l, "accelerator", jstr(im ? im->accelerator : "none"));
    if (l) {
        doc_put(l, "fallback_reason", jstr_or_null(im ? im->fallback_reason : NULL));
        doc_put(l, "relaunch_reason", jstr_or_null(im ? im->relaunch_reason : NULL));
        doc_put(l, "tcg_cache_mib", im && im->tcg_cache_mib > 0 ? jint(im->tcg_cache_mib) : NULL);
    }
    report_set(r, "launch", l);
}

static void run_scanners(const struct options *o, vfs *v, struct report *r,
                         const struct inspection *ins)
{
    struct scan_ctx c = {
        .v = v,
        .r = r,
        .distro = ins->os.distro,
        .os_version = ins->os.version,
        .os_major = ins->os.major,
        .os_minor = ins->os.minor,
        .package_format = ins->os.package_format,
        .arch = ins->os.arch,
        .root_volume = ins->root_volume,
        .devs = ins->devs,
        .ndevs = ins->ndevs,
        .progress = progress_enabled(),
    };
    /* A stopped run reads nothing more: a scanner would only report as
     * missing what it could not read. */
    if (stop_requested()) {
        r->incomplete = 1;
        return;
    }
    if (!o->skip_nitro && ins->has_os) {
        progress_stage("checking kernels, initramfs, boot and network");
        if (scan_nitro(&c) < 0)
            r->incomplete = 1;
    }
    if (!o->skip_elf && !stop_requested()) {
        progress_stage("finding ELF files");
        if (scan_elf(&c) < 0)
            r->incomplete = 1;
        else if (!o->skip_apps && !stop_requested()) {
            progress_stage("grouping applications and deciding where each runs");
            if (scan_apps(&c) < 0)
                r->incomplete = 1;
        }
    }
}

static int exit_code_for(const struct options *o, struct report *r)
{
    json_object *v = doc_obj(r->doc, "verdict");
    int64_t blockers = 0, warnings = 0;
    doc_int(v, "blockers", &blockers);
    doc_int(v, "warnings", &warnings);
    if (o->fail_on == FAIL_ON_BLOCKER && blockers > 0)
        return EXIT_BLOCKERS;
    if (o->fail_on == FAIL_ON_WARNING && blockers + warnings > 0)
        return EXIT_BLOCKERS;
    return r->incomplete ? EXIT_INCOMPLETE : EXIT_OK;
}

static int finish(const struct options *o, struct report *r, long long t0)
{
    if (stop_requested() == STOP_SIGNAL)
        return 128 + stop_signal_number();   /* no report for an abandoned run */
    if (stop_requested() == STOP_TIMEOUT) {
        json_object *f = report_add_finding(r, F_SCAN_TIMEOUT, -1,
            "Run again with a larger --timeout, or skip scanners with --skip.", NULL);
        report_finding_evidence(f, "%s", stop_description());
        r->incomplete = 1;
    }
    if (stop_requested() == STOP_STALL) {
        json_object *f = report_add_finding(r, F_SCAN_STALLED, -1,
            "Run again with --progress -v to see what the appliance did; on a very busy "
            "host, a larger --stall-timeout.", NULL);
        report_finding_evidence(f, "%s", stop_description());
        if (*stop_appliance_account())
            report_finding_evidence(f, "%s", stop_appliance_account());
        r->incomplete = 1;
    }
    report_set(r, "duration_ms", jint(mono_ms() - t0));
    report_set(r, "complete", jbool(!r->incomplete));
    if (verdict_compute(r->doc) < 0) {
        fprintf(stderr, "liftcheck: cannot compute the verdict\n");
        return EXIT_INSPECT;
    }
    struct lc_error err = {0};
    if (output_write(r->doc, o->formats, o->output, o->output_dir, &err) < 0) {
        fprintf(stderr, "liftcheck: %s\n", err.msg);
        return EXIT_INSPECT;
    }
    if (o->elf_list && write_elf_list(r->doc, o->elf_list) < 0) {
        fprintf(stderr, "liftcheck: %s: cannot write the ELF list: %s\n", o->elf_list,
                strerror(errno));
        return EXIT_INSPECT;
    }
    return exit_code_for(o, r);
}

/* Re-renders a saved report; the verdict is recomputed from its facts. */
static int run_render(const struct options *o)
{
    json_object *doc = json_object_from_file(o->render_input);
    if (!doc || !json_object_is_type(doc, json_type_object)) {
        const char *why = doc ? "not a JSON object" : json_util_get_last_err();
        fprintf(stderr, "liftcheck: %s: not a liftcheck JSON report: %.*s\n", o->render_input,
                why ? (int)strcspn(why, "\n") : 7, why ? why : "unknown");
        json_object_put(doc);
        return EXIT_INSPECT;
    }
    /* a report that does not say it is complete (false, null, mistyped)
     * keeps the exit code of an incomplete scan; one that never said (an
     * older report) does not */
    struct report r = {.doc = doc, .findings = NULL,
                       .incomplete = doc_has(doc, "complete") && doc_bool(doc, "complete") != 1};
    int rc;
    if (verdict_compute(doc) < 0) {
        fprintf(stderr, "liftcheck: %s: cannot compute the verdict\n", o->render_input);
        rc = EXIT_INSPECT;
    } else {
        struct lc_error err = {0};
        if (output_write(doc, o->formats, o->output, o->output_dir, &err) < 0) {
            fprintf(stderr, "liftcheck: %s\n", err.msg);
            rc = EXIT_INSPECT;
        } else {
            rc = exit_code_for(o, &r);
        }
    }
    json_object_put(doc);
    return rc;
}

static int run_root(const struct options *o, struct report *r, long long t0)
{
    struct inspection ins;
    vfs *v = vfs_dir_open(o->root);

    if (!v) {
        fprintf(stderr, "liftcheck: %s: cannot open as a directory: %s\n", o->root, strerror(errno));
        return EXIT_INSPECT;
    }
    add_launch(r, NULL);
    inspect_dir(v, o->root, r, &ins);
    run_scanners(o, v, r, &ins);
    int rc = finish(o, r, t0);
    inspection_free(&ins);
    vfs_close(v);
    return rc;
}

static int run_disks(const struct options *o, struct report *r, long long t0)
{
    struct disk *disks = xcalloc((size_t)o->ndisks, sizeof *disks);
    struct image im = {0};
    struct inspection ins = {0};
    struct lc_error err = {0};
    int rc = EXIT_INSPECT, prepared = 0;

    for (int i = 0; i < o->ndisks; i++, prepared++) {
        if (disk_prepare(&disks[i], o->disks[i], o->disk_format, o->allow_backing, &err) < 0) {
            fprintf(stderr, "liftcheck: %s: %s\n", o->disks[i], err.msg);
            disk_free(&disks[i]);
            goto out;
        }
        if (!strcmp(disks[i].format_source, "probed"))
            notice("%s: format probed as %s; name the file or use --disk-format to be sure",
                   disks[i].path, disks[i].format);
    }
    if (image_open(&im, disks, o->ndisks, &o->img, &err) < 0) {
        if (stop_requested() == STOP_SIGNAL)
            rc = 128 + stop_signal_number();
        else if (stop_requested()) {
            /* Stopped in the launch (the message said where): what is
             * known goes into a report marked incomplete. */
            add_launch(r, &im);
            inspect_disks_only(disks, o->ndisks, r);
            r->incomplete = 1;
            rc = finish(o, r, t0);
        } else
            fprintf(stderr, "liftcheck: %s: %s\n", o->disks[0], err.msg);
        goto out;
    }
    if (stop_requested() == STOP_SIGNAL) {
        rc = 128 + stop_signal_number();
        goto out;
    }
    add_launch(r, &im);
    if (im.kvm_failed) {
        json_object *f = report_add_finding(r, F_LAUNCH_TCG_FALLBACK, -1, NULL, NULL);
        report_finding_evidence(f, "%s", im.fallback_reason);
    }
    for (int i = 0; i < o->ndisks; i++)
        if (!strcmp(disks[i].format_source, "probed")) {
            json_object *f = report_add_findingf(r, F_DISK_FORMAT_PROBED, i,
                "Name the image by its format (.raw, .qcow2, ...) or pass --disk-format.",
                "%s read as %s", disks[i].path, disks[i].format);
            (void)f;
        }
    if (inspect_image(&im, &o->keys, r, &ins, &err) < 0) {
        if (stop_requested() == STOP_SIGNAL) {
            rc = 128 + stop_signal_number();
            goto out;
        }
        r->incomplete = 1;
        if (stop_requested()) {     /* cut short, not a bad image */
            if (!json_object_object_get_ex(r->doc, "os", NULL))
                report_set(r, "os", NULL);
            rc = finish(o, r, t0);
            goto out;
        }
        fprintf(stderr, "liftcheck: %s: %s\n",
                o->ndisks == 1 ? o->disks[0] : "disks", err.msg);
        finish(o, r, t0);
        rc = EXIT_INSPECT;
        goto out;
    }
    vfs *v = vfs_guestfs_open(im.g);
    if (!o->no_probe && !(o->skip_elf && o->skip_apps)) {
        progress_stage("finding where the filesystems lie on the disks");
        struct lc_error why = {0};
        vfs *snap = probe_snapshot(&im, v, &why);
        if (snap)
            v = snap;
        else if (stop_requested())
            ;   /* the stop is reported by the scanners' unwinding */
        else
            notice("reading files one by one: %s", why.msg);
    }
    run_scanners(o, v, r, &ins);
    vfs_close(v);
    rc = finish(o, r, t0);
out:
    inspection_free(&ins);
    image_close(&im);
    for (int i = 0; i < prepared; i++)
        disk_free(&disks[i]);
    free(disks);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o;
    long long t0 = mono_ms();

    int p = cli_parse(argc, argv, &o);
    if (p != 0)
        return p < 0 ? EXIT_USAGE : EXIT_OK;
    progress_setup(o.quiet, o.progress < 0 ? isatty(2) : o.progress);
    stop_setup(o.timeout, o.stall_timeout);

    if (o.render_input)
        return run_render(&o);
    if (o.summary)
        return run_summary(&o);

    struct report *r = report_new();
    add_header(r);
    int rc = o.root ? run_root(&o, r, t0) : run_disks(&o, r, t0);
    report_free(r);
    luks_keys_free(&o.keys);
    return rc;
}
