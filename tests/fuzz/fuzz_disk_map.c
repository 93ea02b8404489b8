/* Fuzz target: the disk map built from `qemu-img map --output=json` lines
 * (disk_map.h), then reads across it.  qemu-img prints what a hostile image
 * describes: whatever the lines say, a part the map calls readable must
 * read, and nothing may be read outside the files. */
#include "fuzz.h"
#include "inspector/disk_map.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DISK_SIZE (256u << 10)
#define FILE_SIZE (64u << 10)

static int file_of(unsigned char byte)
{
    static unsigned char bytes[FILE_SIZE];
    memset(bytes, byte, sizeof bytes);
    int fd = memfd_create("layer", 0);
    if (fd < 0 || write(fd, bytes, sizeof bytes) != (ssize_t)sizeof bytes)
        abort();
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fds[2] = {-1, -1};
    if (fds[0] < 0) {
        fds[0] = file_of(0xAA);   /* the overlay */
        fds[1] = file_of(0x55);   /* the input disk */
    }
    char *json = malloc(size + 1);
    if (!json)
        return 0;
    memcpy(json, data, size);
    json[size] = '\0';
    struct disk_map *m = disk_map_parse(json, DISK_SIZE, fds, 2);
    free(json);
    if (!m)
        return 0;
    static unsigned char buf[DISK_SIZE];
    for (uint64_t off = 0; off < DISK_SIZE; off += 12288) {
        uint64_t len = off % 5 ? 20000 : 4096;
        if (len > DISK_SIZE - off)
            len = DISK_SIZE - off;
        int readable = disk_map_readable(m, off, len);
        int got = disk_map_pread(m, buf, (size_t)len, off);
        if (readable != (got == 0))
            abort();
        for (uint64_t i = 0; got == 0 && i < len; i++)
            if (buf[i] != 0 && buf[i] != 0xAA && buf[i] != 0x55)
                abort();
        disk_map_advise(m, off, len);
    }
    if (disk_map_pread(m, buf, 1, DISK_SIZE) == 0 || disk_map_readable(m, DISK_SIZE - 1, 2))
        abort();
    disk_map_unref(m);
    return 0;
}
