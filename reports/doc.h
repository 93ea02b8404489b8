/* What the renderers share beyond the typed reads of model/jdoc.h. */
#ifndef LIFTCHECK_DOC_H
#define LIFTCHECK_DOC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "model/jdoc.h"
#include "util/strbuf.h"

/* "FIXABLE" for "fixable"; "UNKNOWN" when absent or not one we know. */
const char *doc_verdict_label(json_object *doc);

/* Severity rank of a finding: 2 blocker, 1 warning, 0 info (and unknown). */
int doc_severity(json_object *finding);

/* The area a finding id belongs to: core, nitro, network, elf, applications. */
const char *doc_area(const char *id);

/* "Debian GNU/Linux 12 (bookworm) x86_64" from os, unescaped; empty
 * when there is no OS. */
void doc_os_line(json_object *doc, struct strbuf *out);

/* Bytes as "1.5 GiB". */
void doc_size(struct strbuf *out, int64_t bytes);

/* "ext4 3, xfs 1" from an object of counts (members not integers skipped). */
void doc_counts(struct strbuf *out, json_object *counts);

/* "a; b; c" from an array of strings, or the string itself. */
void doc_join(struct strbuf *out, json_object *arr_or_str, const char *sep);

/* boot.mode in one line, unescaped: "both; AMI boot mode uefi-preferred.
 * <meaning> Evidence: a; b."  Empty when mode is not an object. */
void doc_boot_mode_line(json_object *mode, struct strbuf *out);

/* network.predicted_primary, unescaped: "ens5: <reason>"; empty when it is
 * not an object. */
void doc_primary_line(json_object *primary, struct strbuf *out);

/* What a network.configs[] entry binds to: "name ens5", "MAC 52:54:...",
 * "any Ethernet interface", with its driver, rename and bond or bridge. */
void doc_config_binds(json_object *config, struct strbuf *out);

/* One label per runtime ("Java 17.0.9 (/opt/jdk17)") and per entry
 * point ("systemd /etc/systemd/system/app.service: enabled"), at most max,
 * then "... and N more"; a new array for a table's list cell, NULL when
 * there is none (or no memory). */
json_object *doc_runtime_labels(json_object *runtimes, size_t max);
json_object *doc_entry_point_labels(json_object *entry_points, size_t max);

#endif
