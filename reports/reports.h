/* Renderers: they only read the report document. */
#ifndef LIFTCHECK_REPORTS_H
#define LIFTCHECK_REPORTS_H

#include <json-c/json.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Writes the JSON report to path (NULL or "-" = stdout), its ELF inventory
 * streamed rather than held whole as text.  A file is written next to its
 * final name and renamed, so a reader never sees half a report.  Returns 0
 * or -1 with errno set. */
int report_write_json(json_object *doc, const char *path);

/* Writes text, then tail (a string, or NULL), to path atomically (temp file
 * + rename): a large report is written from the serializer's own buffer. */
int write_file_atomic(const char *path, const char *text, size_t len, const char *tail);
/* The same with what fill(fd, ctx) writes to the temp file (0 or -1). */
int write_file_atomic_with(const char *path, int (*fill)(int fd, void *ctx), void *ctx);

/* Writes the report's elf_files to path as JSON Lines (one object per
 * line), atomically.  Returns 0 or -1 with errno set. */
int write_elf_list(json_object *doc, const char *path);

/* Human-facing renderers.  Each appends one whole document to out and
 * returns 0, or -1 when doc is not an object.  They read
 * only doc (never recompute the verdict), treat every string in it as
 * hostile, and render any missing section as absent ("Not scanned"), so a
 * --root report, a data-only disk (os null) or an older report all work.
 *
 * render_markdown: GitHub-flavoured Markdown for a ticket; the first line
 *   is the verdict.
 * render_html: one self-contained HTML5 page (inline CSS, a strict
 *   Content-Security-Policy, no script, no external resource).
 * render_junit: JUnit XML, one testsuite per area (core, nitro, network,
 *   elf, applications).  Blockers are <failure>s.  Warnings pass with a
 *   "WARNING" note in <system-out>, like the default --fail-on blocker, so
 *   the CI result agrees with the exit code; info findings pass with a note
 *   too.  Checks that found nothing are passing testcases, as are kernel
 *   facts that are fine; a kernel fact that is not fine (a non-default
 *   kernel without NVMe, say) is <skipped> with the reason, since whether it
 *   blocks is decided by the findings. */
int render_markdown(json_object *doc, struct strbuf *out);
int render_html(json_object *doc, struct strbuf *out);
int render_junit(json_object *doc, struct strbuf *out);

#endif
