/* Command-line options and exit codes. */
#ifndef LIFTCHECK_CLI_H
#define LIFTCHECK_CLI_H

#include "inspector/image.h"
#include "inspector/luks_keys.h"

enum exit_code {
    EXIT_OK = 0,            /* no finding at or above --fail-on */
    EXIT_BLOCKERS = 1,      /* findings at or above --fail-on */
    EXIT_USAGE = 2,         /* bad command line */
    EXIT_INSPECT = 3,       /* could not inspect: bad or unreadable image */
    EXIT_INCOMPLETE = 4,    /* report written, but part of the scan failed */
    /* 5: out of memory, EXIT_OOM in util/xalloc.h */
};

enum fail_on { FAIL_ON_BLOCKER, FAIL_ON_WARNING, FAIL_ON_NEVER };

struct options {
    char **disks;
    int ndisks;
    const char *root;           /* --root DIR */
    const char *disk_format;
    int allow_backing;
    struct luks_keys keys;      /* --key, --keys-from-stdin */
    struct image_options img;
    const char *output;         /* -o FILE; NULL = stdout */
    int quiet, progress;        /* progress: -1 auto, 0 off, 1 on */
    enum fail_on fail_on;
    int skip_elf, skip_nitro, skip_apps;
    int no_probe;               /* --no-probe: every read a round trip */
    unsigned timeout;           /* --timeout SEC for the whole run; 0 = none */
    unsigned stall_timeout;     /* --stall-timeout SEC for each wait */
    int formats;                /* FMT_* mask from --format */
    const char *output_dir;     /* --output-dir DIR */
    const char *elf_list;       /* --elf-list FILE */
    const char *render_input;   /* `liftcheck render REPORT.json` */
    int summary;                /* `liftcheck summary REPORT...`: reports in disks */
};

/* Parses argv; returns -1 on a usage error (message printed), 1 when
 * --help/--version was handled, 0 to go on. */
int cli_parse(int argc, char **argv, struct options *o);

#endif
