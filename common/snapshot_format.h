/* The file-tree snapshot written by liftcheck-probe inside the appliance and
 * read by vfs_snapshot on the host.
 *
 * Through libguestfs every lstat or pread is a round trip (~1 ms under TCG);
 * a server with 100k files and 10k ELF files would spend minutes on them.
 * The probe walks the mounted guest once inside the appliance and records
 * every entry with its metadata, and the exact byte ranges the ELF parser
 * reads, into one stream on the probe's disk, which the host maps.
 *
 * Layout, all integers little-endian (the probe runs on the host's kernel,
 * so on the host's architecture):
 *   header  (SNAP_HEADER_SIZE bytes, struct snap_header)
 *   records until payload_len:
 *     'E' entry:  struct snap_entry, then path (path_len bytes, NUL included),
 *                 then symlink target (link_len bytes, NUL included, or 0)
 *     'R' range:  struct snap_range, then len bytes of the file named by the
 *                 entry-th 'E' record (counted from 0), which came before it
 *     'D' disk:   struct snap_disk: an ext2/3/4 filesystem that the host said
 *                 it can read from the input disk's files itself
 *     'X' extents: struct snap_extents, then count struct snap_extent: where
 *                 the bytes of the entry-th file lie on the disk of the
 *                 disk-th 'D' record; bytes in no extent read as zeros
 * Entries come in the order of a vfs_dir walk of "/": a directory's children
 * all together, sorted, then the subtrees of its subdirectories in order, so
 * every directory's descendants form one contiguous run.  The ranges of one
 * entry come together; the probe reads files after the walk, in the order
 * of their blocks on disk, so ranges follow the entries, not their own.
 *
 * The reader treats the stream as hostile like any guest data: every length
 * is checked against the payload. */
#ifndef LIFTCHECK_SNAPSHOT_FORMAT_H
#define LIFTCHECK_SNAPSHOT_FORMAT_H

#include <stdint.h>

#define SNAP_MAGIC "LCSNAP03"
#define SNAP_HEADER_SIZE 4096
#define SNAP_BUILD_ID_LEN 32

struct snap_entry {
    uint8_t tag;              /* 'E' */
    uint8_t type;             /* enum vfs_type */
    uint16_t path_len, link_len;
    uint16_t pad;
    uint32_t mode;
    uint64_t size, ino, dev, nlink;
    int64_t mtime;
};

struct snap_header {
    char magic[8];
    uint64_t payload_len;     /* bytes of records after the header */
    uint64_t entries, ranges;
    uint32_t complete;        /* the walk listed every directory, no limit hit */
    uint32_t truncated;       /* the output area filled up: records are a prefix */
    uint64_t walk_errors;     /* directories or entries that could not be read */
    uint32_t depth_limited, entries_limited;
    uint64_t heads;           /* files whose first bytes were read */
    uint64_t heads_in_disk_order;   /* of those, read from the device */
    uint64_t dirs;            /* directories listed */
    uint64_t dirs_from_metadata;    /* of those, from ext2/3/4 metadata read in bulk */
    uint64_t elf_files;       /* ELF files parsed */
    uint64_t elf_from_device; /* of those, from bytes read in disk order */
    uint64_t direct_files;    /* files with 'X' records */
    struct snap_entry root;   /* the root itself (path_len 0): the host's
                               * tree shows it at the mount point */
    char build_id[SNAP_BUILD_ID_LEN];   /* SNAP_BUILD_ID of the writer's
                               * build, NUL-padded: the magic versions the
                               * layout, this the code on either side */
};

struct snap_range {
    uint8_t tag;              /* 'R' */
    uint8_t pad[3];
    uint32_t len;
    uint64_t off;
    uint64_t entry;
};

#define SNAP_LABEL_LEN 32

struct snap_disk {
    uint8_t tag;              /* 'D' */
    uint8_t pad[7];
    char label[SNAP_LABEL_LEN];     /* the input disk's label, NUL-terminated */
    uint64_t start;           /* byte offset of the filesystem on that disk */
    uint8_t uuid[16];         /* the filesystem's UUID (superblock s_uuid) */
};

#define SNAP_MAX_EXTENTS 4096

struct snap_extents {
    uint8_t tag;              /* 'X' */
    uint8_t pad[3];
    uint32_t count;
    uint32_t disk;            /* index of a 'D' record before it */
    uint32_t pad2;
    uint64_t entry;
};

struct snap_extent {
    uint64_t file_off;        /* bytes file_off .. file_off+len of the file */
    uint64_t disk_off;        /* lie at disk_off of the disk */
    uint64_t len;
};

/* Where the probe's binary, its progress record (common/tree/probe_progress.h)
 * and its output sit on the probe disk. */
#define SNAP_DISK_PROGRESS_OFFSET (15ULL << 20)
#define SNAP_DISK_OUTPUT_OFFSET (16ULL << 20)

#endif
