#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspector/disk_format.h"
#include "inspector/helper_path.h"
#include "reports/output.h"
#include "reports/summary.h"
#include "util/xalloc.h"

static const char usage_text[] =
"Usage: liftcheck [OPTIONS] DISK [DISK...]\n"
"       liftcheck [OPTIONS] --root DIR\n"
"       liftcheck render REPORT.json [--format ...] [-o FILE | --output-dir DIR]\n"
"       liftcheck summary REPORT... [--format ...] [-o FILE | --output-dir DIR]\n"
"\n"
"Inspects the disks of one Linux server, without booting it and without\n"
"writing to them, and reports whether it will boot and run on an AWS Nitro\n"
"instance.  DISKs are the server's disks in order: raw, qcow2, vmdk, vhd,\n"
"vhdx images or block devices.  The JSON report goes to stdout or -o FILE.\n"
"summary rolls up many servers' reports (report files, --output-dir\n"
"directories, or directories of those) into one page per wave.\n"
"\n"
"Input:\n"
"  --root DIR               scan a directory tree (mounted snapshot, or / on a\n"
"                           live server) instead of disk images\n"
"  --disk-format FMT        raw|qcow2|vmdk|vhd|vhdx for every DISK (default:\n"
"                           from the file name, else probed and reported)\n"
"  --allow-backing-file     follow a qcow2/vmdk backing file (refused by default)\n"
"  --key ID:key:PASSPHRASE  open the LUKS volume ID (device name as in the\n"
"  --key ID:file:FILENAME   report, or LUKS UUID) read-only with this key,\n"
"                           or the first line of FILENAME; repeatable\n"
"  --keys-from-stdin        one line of standard input for each LUKS volume\n"
"                           that no --key names, in the order they are found\n"
"Appliance:\n"
"  --accel auto|kvm|tcg     accelerator; auto tries KVM, falls back to TCG\n"
"  --kvm-timeout SEC        how long a KVM boot may take in auto mode (20)\n"
"  -v, --verbose            libguestfs verbose messages\n"
"  -x, --trace              libguestfs API trace\n"
"  --no-probe               read the guest file by file through libguestfs\n"
"                           instead of one walk inside the appliance (slower)\n"
"Output:\n"
"  -o, --output FILE        write the report to FILE (atomically)\n"
"  --format LIST            json,markdown,html,junit (default json; with\n"
"                           --output-dir all four); summary: json,markdown,\n"
"                           html,csv\n"
"  --output-dir DIR         write report.<ext> for the server and\n"
"                           volume-<n>.<ext> for each disk, every format,\n"
"                           Dockerfile.<n> for each containerizable\n"
"                           application (summary: summary.<ext>)\n"
"  --elf-list FILE          also write the ELF inventory to FILE as JSON\n"
"                           Lines, one elf_files entry per line\n"
"  --fail-on LEVEL          blocker|warning|never: findings that make exit 1\n"
"  --skip SCANNERS          comma list of scanners to skip: elf,nitro,apps\n"
"  --timeout SEC            stop the run after SEC seconds, in any stage; the\n"
"                           report says what was cut short (exit code 4)\n"
"  --stall-timeout SEC      stop when one wait (the appliance's launch, a call\n"
"                           into it, the probe, qemu-img, a disk read) makes\n"
"                           no progress for SEC seconds (180; exit code 4)\n"
"  -q, --quiet              no messages on stderr but errors\n"
"  --no-progress            no progress lines (default: only on a terminal)\n"
"  -h, --help               this text\n"
"  -V, --version            version\n"
"\n"
"Exit codes:\n"
"  0  no finding at the --fail-on level (default: no blockers)\n"
"  1  findings at the --fail-on level (default: blockers found)\n"
"  2  usage error\n"
"  3  could not inspect: bad, unreadable or empty image (summary: a report\n"
"     could not be read; the summary lists it)\n"
"  4  report written, but part of the scan failed or was cut short\n"
"  5  out of memory: the run ended at once, no report\n"
"  130/143  interrupted by SIGINT/SIGTERM: no report, nothing left behind\n";

enum { OPT_ROOT = 256, OPT_FORMAT, OPT_BACKING, OPT_ACCEL, OPT_KVM_TIMEOUT,
       OPT_FAIL_ON, OPT_NO_PROGRESS, OPT_PROGRESS, OPT_SKIP, OPT_TIMEOUT,
       OPT_FORMATS, OPT_OUTPUT_DIR, OPT_NO_PROBE, OPT_ELF_LIST, OPT_STALL_TIMEOUT, OPT_KEY,
       OPT_KEYS_STDIN };

static int usage_error(const char *fmt, const char *arg)
{
    fputs("liftcheck: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see liftcheck --help)\n", stderr);
    return -1;
}

/* Seconds from 1 to max for option opt; -1 after a usage error. */
static long seconds(const char *opt, const char *arg, long max)
{
    char *end;
    long t = strtol(arg, &end, 10);
    if (*end || end == arg || t < 1 || t > max) {
        fprintf(stderr, "liftcheck: %s takes seconds from 1 to %ld, not '%s' "
                "(see liftcheck --help)\n", opt, max, arg);
        return -1;
    }
    return t;
}

int cli_parse(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, OPT_ROOT},
        {"disk-format", required_argument, NULL, OPT_FORMAT},
        {"allow-backing-file", no_argument, NULL, OPT_BACKING},
        {"key", required_argument, NULL, OPT_KEY},
        {"keys-from-stdin", no_argument, NULL, OPT_KEYS_STDIN},
        {"accel", required_argument, NULL, OPT_ACCEL},
        {"kvm-timeout", required_argument, NULL, OPT_KVM_TIMEOUT},
        {"verbose", no_argument, NULL, 'v'},
        {"trace", no_argument, NULL, 'x'},
        {"no-probe", no_argument, NULL, OPT_NO_PROBE},
        {"output", required_argument, NULL, 'o'},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"skip", required_argument, NULL, OPT_SKIP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"stall-timeout", required_argument, NULL, OPT_STALL_TIMEOUT},
        {"format", required_argument, NULL, OPT_FORMATS},
        {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
        {"elf-list", required_argument, NULL, OPT_ELF_LIST},
        {"quiet", no_argument, NULL, 'q'},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    long t;

    memset(o, 0, sizeof *o);
    o->progress = -1;
    if (argc >= 2 && !strcmp(argv[1], "render")) {
        /* liftcheck render REPORT.json [options]: shift the verb away. */
        if (argc < 3 || argv[2][0] == '-')
            return usage_error("%s", "render needs a report file: liftcheck render REPORT.json");
        o->render_input = argv[2];
        argv[2] = argv[0];
        argv += 2;
        argc -= 2;
    } else if (argc >= 2 && !strcmp(argv[1], "summary")) {
        o->summary = 1;
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    o->img.kvm_timeout = 20;
    o->stall_timeout = 180;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vxo:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROOT: o->root = optarg; break;
        case OPT_NO_PROBE: o->no_probe = 1; break;
        case OPT_FORMAT:
            if (!disk_format_normalise(optarg))
                return usage_error("unknown disk format '%s'", optarg);
            o->disk_format = optarg;
            break;
        case OPT_BACKING: o->allow_backing = 1; break;
        case OPT_KEY: {
            struct lc_error why = {0};
            if (luks_keys_add(&o->keys, optarg, &why) < 0)
                return usage_error("%s", why.msg);
            break;
        }
        case OPT_KEYS_STDIN: o->keys.from_stdin = 1; break;
        case OPT_ACCEL:
            if (!strcmp(optarg, "auto")) o->img.accel = ACCEL_AUTO;
            else if (!strcmp(optarg, "kvm")) o->img.accel = ACCEL_KVM;
            else if (!strcmp(optarg, "tcg")) o->img.accel = ACCEL_TCG;
            else return usage_error("--accel takes auto, kvm or tcg, not '%s'", optarg);
            break;
        case OPT_FORMATS:
            if (o->summary && (o->formats = summary_parse_formats(optarg)) < 0)
                return usage_error("summary --format takes a list of json, markdown, html, csv, "
                                   "not '%s'", optarg);
            if (!o->summary && (o->formats = output_parse_formats(optarg)) < 0)
                return usage_error("--format takes a list of json, markdown, html, junit, not '%s'", optarg);
            break;
        case OPT_OUTPUT_DIR: o->output_dir = optarg; break;
        case OPT_ELF_LIST: o->elf_list = optarg; break;
        case OPT_TIMEOUT:
            if ((t = seconds("--timeout", optarg, 7 * 24 * 3600)) < 0)
                return -1;
            o->timeout = (unsigned)t;
            break;
        case OPT_STALL_TIMEOUT:
            if ((t = seconds("--stall-timeout", optarg, 7 * 24 * 3600)) < 0)
                return -1;
            o->stall_timeout = (unsigned)t;
            break;
        case OPT_KVM_TIMEOUT:
            if ((t = seconds("--kvm-timeout", optarg, 3600)) < 0)
                return -1;
            o->img.kvm_timeout = (int)t;
            break;
        case 'v': o->img.verbose = 1; break;
        case 'x': o->img.trace = 1; break;
        case 'o': o->output = optarg; break;
        case OPT_FAIL_ON:
            if (!strcmp(optarg, "blocker")) o->fail_on = FAIL_ON_BLOCKER;
            else if (!strcmp(optarg, "warning")) o->fail_on = FAIL_ON_WARNING;
            else if (!strcmp(optarg, "never")) o->fail_on = FAIL_ON_NEVER;
            else return usage_error("--fail-on takes blocker, warning or never, not '%s'", optarg);
            break;
        case OPT_SKIP: {
            char *copy = xstrdup(optarg), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (!strcmp(t, "elf")) o->skip_elf = 1;
                else if (!strcmp(t, "nitro")) o->skip_nitro = 1;
                else if (!strcmp(t, "apps")) o->skip_apps = 1;
                else {
                    usage_error("unknown scanner '%s' for --skip", t);
                    free(copy);
                    return -1;
                }
            }
            free(copy);
            break;
        }
        case 'q': o->quiet = 1; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case 'h': fputs(usage_text, stdout); return 1;
        case 'V':
            printf("liftcheck %s\n", LIFTCHECK_VERSION);
            helper_paths_print(stdout);
            return 1;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o->disks = argv + optind;
    o->ndisks = argc - optind;
    if (!o->formats && o->summary)
        o->formats = o->output_dir ? SUMMARY_JSON | SUMMARY_MARKDOWN | SUMMARY_HTML | SUMMARY_CSV
                                   : SUMMARY_JSON;
    if (!o->formats)
        o->formats = o->output_dir ? FMT_JSON | FMT_MARKDOWN | FMT_HTML | FMT_JUNIT : FMT_JSON;
    if (o->output && o->output_dir)
        return usage_error("%s", "give either -o FILE or --output-dir DIR, not both");
    if (!o->output_dir && (o->formats & (o->formats - 1)))
        return usage_error("%s", "several formats need --output-dir DIR");
    if (o->render_input) {
        if (o->ndisks > 0 || o->root)
            return usage_error("%s", "render takes one report and no disks");
        return 0;
    }
    if (o->summary) {
        if (o->root || o->ndisks == 0)
            return usage_error("%s", "summary takes reports: liftcheck summary REPORT...");
        return 0;
    }
    if (o->root && o->ndisks > 0)
        return usage_error("%s", "give either --root DIR or disks, not both");
    if (!o->root && o->ndisks == 0)
        return usage_error("%s", "no disk given");
    return 0;
}
