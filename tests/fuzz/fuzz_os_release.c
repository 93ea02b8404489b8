/* os-release, lsb-release, redhat-release, SuSE-release and first-line
 * parsing, then the whole release-file reader through the vfs with the
 * input in every file it looks at (including the hostname files and the
 * ELF header of /bin/sh, which gives the architecture). */
#include "fuzz.h"
#include "inspector/os_release.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

static void touch(const struct os_info *o)
{
    const char *const s[] = { o->type, o->distro, o->version, o->product_name, o->arch,
                              o->hostname, o->package_format, o->root_device };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (s[i])
            fuzz_touch(s[i]);
}

static int rhel_line(char *line, void *opaque)
{
    struct os_info o;
    (void)opaque;
    memset(&o, 0, sizeof o);
    os_release_parse_rhel_line(line, &o);
    touch(&o);
    os_info_free(&o);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;

    struct os_info o;
    memset(&o, 0, sizeof o);
    os_release_parse(text, &o);
    touch(&o);
    if (o.distro)
        (void)os_package_format(o.distro);
    os_info_free(&o);
    os_release_parse_lsb(text, &o);
    touch(&o);
    os_info_free(&o);
    os_release_parse_suse(text, &o);
    touch(&o);
    os_info_free(&o);
    os_release_parse_first_line(text, "debian", &o);
    touch(&o);
    os_info_free(&o);
    char *h = os_release_value(text, "HOSTNAME");
    if (h)
        fuzz_touch(h);
    free(h);
    for_each_line(text, size, rhel_line, NULL);

    static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release",
        "/etc/system-release", "/etc/redhat-release", "/etc/debian_version", "/etc/hostname",
        "/etc/lsb-release", "/etc/oracle-release", "/etc/centos-release", "/etc/SuSE-release",
        "/etc/alpine-release", "/etc/arch-release", "/etc/HOSTNAME", "/etc/sysconfig/network",
        "/bin/sh", NULL };
    vfs *v = memvfs_new();
    for (int i = 0; v && files[i]; i++)
        memvfs_add(v, files[i], data, size);
    if (v) {
        memset(&o, 0, sizeof o);
        os_release_read(v, &o);
        touch(&o);
        os_info_free(&o);
    }
    vfs_close(v);
    free(text);
    return 0;
}
