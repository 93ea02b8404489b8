/* Opening a guest file for reading inside the appliance. */
#ifndef LIFTCHECK_PROBE_GUEST_FILE_H
#define LIFTCHECK_PROBE_GUEST_FILE_H

/* Opens path (a guest path, "/usr/bin/ls", or a name) relative to dirfd,
 * read-only, never through a final symlink (every path the probe opens
 * comes from its own listing, so no earlier component is one either), and
 * without touching atime where allowed.  -1 with errno set on failure. */
int open_guest_file(int dirfd, const char *path);

#endif
