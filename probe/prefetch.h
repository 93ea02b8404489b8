/* Warms the kernel's dentry and inode caches ahead of the ordered walk.
 *
 * The walk must list directories in one fixed order (the snapshot's), one
 * at a time; cold, each directory and inode block costs a disk round trip.
 * Threads that list the same tree in any order keep several of those
 * round trips in flight, so the ordered walk mostly finds a warm cache.
 * Nothing they read is kept: the walk still reads everything itself. */
#ifndef LIFTCHECK_PROBE_PREFETCH_H
#define LIFTCHECK_PROBE_PREFETCH_H

struct prefetch;

/* Starts threads over the tree at root (not following symlinks, no deeper
 * than max_depth); NULL if none could start, which only costs speed. */
struct prefetch *prefetch_start(const char *root, unsigned threads, unsigned max_depth);
/* Stops the threads (the walk is done) and frees everything. */
void prefetch_stop(struct prefetch *p);

#endif
