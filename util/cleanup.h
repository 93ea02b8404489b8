/* Scope-bound release of what a function owns, as systemd's _cleanup_free_
 * and libguestfs's CLEANUP_FREE do it: a variable declared with one of
 * these is released when it goes out of scope, on every return path, so an
 * early error return cannot leak.  Each releaser accepts the "nothing held"
 * value (NULL, -1).  Give every such variable an initial value. */
#ifndef LIFTCHECK_CLEANUP_H
#define LIFTCHECK_CLEANUP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_free(void *p) { free(*(void **)p); }
static inline void cleanup_fclose(FILE **f) { if (*f) fclose(*f); }
static inline void cleanup_closedir(DIR **d) { if (*d) closedir(*d); }
static inline void cleanup_close(int *fd) { if (*fd >= 0) close(*fd); }

#define _cleanup_free_ __attribute__((cleanup(cleanup_free)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclose)))
#define _cleanup_closedir_ __attribute__((cleanup(cleanup_closedir)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_close)))

/* Hands what a cleanup variable holds to the caller: the variable is left
 * empty, so its cleanup does nothing. */
#define TAKE_PTR(p) ({ __typeof__(p) p_taken_ = (p); (p) = NULL; p_taken_; })
#define TAKE_FD(fd) ({ int fd_taken_ = (fd); (fd) = -1; fd_taken_; })

#endif
