/* Staging trees and images for tests: files, directories and links under
 * a root, and shell commands (mkfs.ext4, qemu-img); each helper fails the
 * test when its step fails. */
#ifndef LIFTCHECK_TESTS_STAGING_H
#define LIFTCHECK_TESTS_STAGING_H

#include <stddef.h>

void stage_put(const char *root, const char *rel, const void *data, size_t len);
void stage_text(const char *root, const char *rel, const char *text);
void stage_dir(const char *root, const char *rel, unsigned mode);
void stage_link(const char *root, const char *target, const char *rel);
/* A new directory /tmp/liftcheck-NAME-XXXXXX into dir; 0 or -1 (for a
 * group setup). */
int stage_tmpdir(char *dir, size_t cap, const char *name);
/* Removes it and all below: 0 or -1 (for a group teardown). */
int stage_rmdir(const char *dir);
void stage_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
