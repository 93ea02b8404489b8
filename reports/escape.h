/* Escaping of report strings for the human-facing renderers.
 *
 * Every string in a report may come from the guest (file names, config
 * lines, hostnames), so each renderer passes all of them through here.
 * Common to all three: invalid UTF-8 bytes and control characters are
 * shown as \xNN (\n, \r and \t by name), invisible format characters that
 * can reorder or hide text (bidi overrides, line separators, BOM) as
 * \u{XXXX}, and after max characters (0: no limit) the rest is replaced by
 * an ellipsis.  NULL is treated as "". */
#ifndef LIFTCHECK_ESCAPE_H
#define LIFTCHECK_ESCAPE_H

#include <stddef.h>

#include "util/strbuf.h"

/* Keep newlines (and tabs) as they are, for code blocks and <pre>. */
#define ESC_MULTILINE 1

/* Markdown inline text, also safe inside a GitHub table cell: | ` < > &
 * become HTML entities (no raw HTML, autolink or code span can start) and
 * \ * _ [ ] # ~ $ { } are backslash-escaped, so nothing formats, links or
 * ends a cell.  ( ) and ! are left alone: with [ ] escaped they cannot make
 * a link or an image.  The result is never put at the start of a line, so
 * - + = 1. cannot start a list or heading. */
void md_escape(struct strbuf *out, const char *s, size_t max);

/* The same for text that starts a block, such as a list item's: leading
 * blanks, - + = and "1." or "1)" are escaped so no nested list, rule,
 * heading underline or indented code block can start. */
void md_escape_block(struct strbuf *out, const char *s, size_t max);

/* Number of backticks for a fence that no backtick run in s can close. */
size_t md_fence_len(const char *s);

/* A fenced code block holding s verbatim, but with controls made visible
 * and a '<' that could open an HTML tag shown as \x3C (a bare placeholder
 * such as <kver> stays). */
void md_code_block(struct strbuf *out, const char *s, size_t max);

/* HTML text or attribute value: & < > " ' as entities. */
void html_escape(struct strbuf *out, const char *s, size_t max, int flags);

/* XML 1.0 text or attribute value: & < > " ' as entities; characters XML
 * forbids never reach the output. */
void xml_escape(struct strbuf *out, const char *s, size_t max, int flags);

/* One quoted CSV field (RFC 4180): " doubled, and a text that a
 * spreadsheet would take for a formula (= + - @, tab, CR first) starts
 * with a ' so it stays text. */
void csv_field(struct strbuf *out, const char *s, size_t max);

#endif
