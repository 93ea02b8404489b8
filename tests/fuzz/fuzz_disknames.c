/* Disk names and the next initramfs rebuild on a tree (see memvfs_from_tree):
 * multipath bindings and multipath.conf, fstab and crypttab against a fixed
 * set of disks, /etc/default/grub, device.map, mdadm.conf, lvm.conf filters,
 * dracut and initramfs-tools settings; then lvm_conf_filters,
 * shell_assignment and devname_unstable on the raw input. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

static const char disks[] =
    "[ { \"index\": 0, \"format\": \"raw\", \"filesystems\": ["
    "  { \"device\": \"/dev/sda1\", \"uuid\": \"1f000000-0000-4000-8000-000000000001\","
    "    \"label\": \"root\", \"volume\": 0, \"volumes\": [0] },"
    "  { \"device\": \"/dev/vg0/home\", \"uuid\": null, \"label\": null, \"volume\": 0,"
    "    \"volumes\": [0, 1] } ] },"
    "  { \"index\": 1, \"format\": \"qcow2\", \"filesystems\": [] } ]";

static int each_line(char *line, void *opaque)
{
    char *name, *val;
    int append;
    (void)opaque;
    (void)devname_unstable(NULL, line);
    if (shell_assignment(line, &name, &append, &val)) {
        fuzz_touch(name);
        fuzz_touch(val);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lvm_filter fs[4];
    char why[256];
    int n = lvm_conf_filters((const char *)data, size, fs, 4);
    if (n < 0 || n > 4)
        abort();
    for (int i = 0; i < n; i++) {
        fuzz_touch(fs[i].text);
        if (fs[i].n < 0 || fs[i].n > LVM_PATTERNS_MAX)
            abort();
        if (lvm_filter_hides_nvme(fs[i].pat, fs[i].n, why, sizeof why))
            fuzz_touch(why);
    }
    for_each_line((const char *)data, size, each_line, NULL);

    struct report *r = report_new();
    vfs *v = memvfs_from_tree(data, size);
    if (r && v) {
        struct scan_ctx c;
        struct disk_names dn;
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        report_set(r, "volumes", json_tokener_parse(disks));
        disk_names_init(&c, &dn);
        json_object_put(fstab_scan(&c, &dn));
        crypttab_scan(&c, &dn);
        diskconf_scan(&c, &dn);
        lvm_filter_scan(&c);
        rebuild_scan(&c, NULL);
        disk_names_free(&dn);
        (void)json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PLAIN);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
