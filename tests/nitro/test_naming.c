/* Disk names wherever the guest names a device, UUID= and LABEL= resolved
 * against the disks, nofail, and the next initramfs rebuild, on the trees
 * of tests/nitro/make_naming_fixtures.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tree_scan.h"

static const char *fx;

/* A value of uuids.env, written by the fixture script. */
static const char *made(const char *key)
{
    static char val[8][128];
    static int next;
    char p[1024], line[256];
    snprintf(p, sizeof p, "%s/uuids.env", fx);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char *out = val[next++ % 8];
    out[0] = '\0';
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == '=') {
            snprintf(out, 128, "%s", line + strlen(key) + 1);
            out[strcspn(out, "\n")] = '\0';
        }
    fclose(f);
    assert_true(out[0]);
    return out;
}

static struct report *scan(const char *tree, int with_disks)
{
    char p[1024], disks[1024];
    snprintf(p, sizeof p, "%s/%s", fx, tree);
    snprintf(disks, sizeof disks, "%s/disks.json", fx);
    return tree_scan(p, "centos", "rpm", with_disks ? disks : NULL);
}

static void test_classifier(void **s)
{
    (void)s;
    static const char *const unstable[] = { "/dev/sda2", "/dev/xvdf", "/dev/hda1", "/dev/vdb1",
        "/dev/cciss/c0d0p3", "/dev/ida/c0d0p1", "/dev/disk/by-id/scsi-36000c29a-part2",
        "/dev/disk/by-id/ata-ST500DM002_Z3T0-part1", "/dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:0:0-part1",
        "/dev/mapper/mpatha", "/dev/mapper/mpathbp2", "/dev/mapper/3600508b400105e210000900000490000",
        "/dev/dm-3", NULL };
    static const char *const stable[] = { "UUID=1", "LABEL=root", "PARTUUID=ab-01",
        "/dev/disk/by-uuid/1", "/dev/disk/by-label/root", "/dev/disk/by-partuuid/ab-01",
        "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0-part1",
        "/dev/disk/by-id/dm-name-vg0-root", "/dev/disk/by-id/md-uuid-3b1f0c2e:9d1a4b6c",
        "/dev/mapper/vg0-root", "/dev/vg0/root", "/dev/md0", "/dev/md/data", "/dev/nvme0n1p1",
        "/dev/mapper/data", "/dev/mapper/mpathvg-root", "/dev/sdata/lv0", "/dev/sd", "tmpfs", NULL };
    for (int i = 0; unstable[i]; i++)
        assert_non_null(devname_unstable(NULL, unstable[i]));
    for (int i = 0; stable[i]; i++)
        if (devname_unstable(NULL, stable[i]))
            fail_msg("%s taken as unstable", stable[i]);
    struct naming nm;
    memset(&nm, 0, sizeof nm);
    naming_add_alias(&nm, "data");
    assert_non_null(devname_unstable(&nm, "/dev/mapper/data"));
    assert_non_null(devname_unstable(&nm, "/dev/mapper/data-part1"));
    assert_null(devname_unstable(&nm, "/dev/mapper/database"));
}

static void test_centos7_vmware(void **s)
{
    (void)s;
    struct report *r = scan("centos7", 0);
    json_object *f = NULL;
    /* fstab: the VMware disk serial of / and the Smart Array name; EBS's
     * by-id name and the LVM swap pass */
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", "blocker", NULL, NULL), 4);
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "by-id/scsi-", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/fstab:4: /dev/disk/by-id/scsi-"));
    assert_true(tree_has_evidence(f, "disk serial"));
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "/dev/cciss/c0d0p3 on /data", NULL), 1);
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "Amazon_Elastic_Block_Store", NULL), 0);
    /* multipath: an alias of multipath.conf and a bindings name */
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "/dev/mapper/oradata on /u01", &f), 1);
    assert_true(tree_has_evidence(f, "multipath alias"));
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "/dev/mapper/mpatha1 on /u02", NULL), 1);
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", NULL, "centos-swap", NULL), 0);
    assert_int_equal(tree_findings(r, "BOOT-CRYPTTAB-DEVNAME", "blocker", "/dev/sdb2", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/crypttab:1:"));
    /* /boot is on the disk that boots: no nofail asked */
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-NOFAIL", NULL, NULL, NULL), 0);
    /* GRUB legacy's kernel line boots; /etc/default/grub acts at the next
     * regeneration (sysconfig/grub is a link to it: said once) */
    assert_int_equal(tree_findings(r, "BOOT-CMDLINE-DEVNAME", "blocker", "root=/dev/sda2", &f), 1);
    assert_true(tree_has_evidence(f, "/boot/grub/grub.conf"));
    assert_non_null(strstr(tree_sget(f, "remediation"), "GRUB_CMDLINE_LINUX"));
    assert_int_equal(tree_findings(r, "BOOT-CMDLINE-DEVNAME", "warning", "resume=/dev/sdb1", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/default/grub:3"));
    assert_false(tree_has_evidence(f, "/etc/sysconfig/grub"));
    assert_int_equal(tree_findings(r, "BOOT-CMDLINE-DEVNAME", NULL, "rd.lvm.lv", NULL), 0);
    /* device.map, and mdadm.conf scanning only sd* while an array is listed */
    assert_int_equal(tree_findings(r, "BOOT-CONFIG-DEVNAME", "warning", "device.map", &f), 1);
    assert_true(tree_has_evidence(f, "/boot/grub/device.map:2: (hd0)"));
    assert_int_equal(tree_findings(r, "BOOT-CONFIG-DEVNAME", "blocker", "/etc/mdadm.conf", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/mdadm.conf:1: DEVICE /dev/sd*"));
    /* the LVM filter accepts only sd* */
    assert_int_equal(tree_findings(r, "BOOT-LVM-FILTER", "blocker", "filter in /etc/lvm/lvm.conf", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/lvm/lvm.conf:4: filter = ["));
    assert_true(tree_has_evidence(f, "r|.*|"));
    /* the distribution's dracut default is host-only, nothing adds nvme */
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", "warning", "hostonly", &f), 1);
    assert_true(tree_has_evidence(f, "/usr/lib/dracut/dracut.conf.d/01-dist.conf:1"));
    /* no disks were read: the UUID of /boot could not be checked, and says so */
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNCHECKED", "info", NULL, NULL), 1);
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNRESOLVED", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_stable_names(void **s)
{
    (void)s;
    struct report *r = scan("stable", 0);
    static const char *const none[] = { "BOOT-FSTAB-DEVNAME", "BOOT-CRYPTTAB-DEVNAME",
        "BOOT-CMDLINE-DEVNAME", "BOOT-CONFIG-DEVNAME", "BOOT-LVM-FILTER",
        "NITRO-INITRAMFS-HOSTONLY", "BOOT-FSTAB-NOFAIL", NULL };
    for (int i = 0; none[i]; i++)
        if (tree_findings(r, none[i], NULL, NULL, NULL))
            fail_msg("%s on names that survive the move", none[i]);
    report_free(r);
}

static void test_dracut_order(void **s)
{
    (void)s;
    json_object *f = NULL;
    struct report *r = scan("dracut-masked", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", NULL, NULL, NULL), 0);
    report_free(r);
    r = scan("dracut-omit", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", "warning", "omit_drivers", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/dracut.conf.d/90-omit.conf:2"));
    report_free(r);
    /* add_drivers= (not +=) replaced the list that held nvme */
    r = scan("dracut-replaced", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", "warning", "hostonly", NULL), 1);
    report_free(r);
    /* a rebuild cannot drop a driver built into every installed kernel */
    r = scan("dracut-builtin", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_initramfs_tools(void **s)
{
    (void)s;
    json_object *f = NULL;
    struct report *r = scan("itools-dep", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", "warning", "MODULES=dep", &f), 1);
    assert_true(tree_has_evidence(f, "/etc/initramfs-tools/initramfs.conf:1: MODULES=dep"));
    report_free(r);
    r = scan("itools-dep-nvme", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", NULL, NULL, NULL), 0);
    report_free(r);
    r = scan("itools-confd-most", 0);
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-HOSTONLY", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_names_against_disks(void **s)
{
    (void)s;
    json_object *f = NULL;
    char want[256];
    struct report *r = scan("uuids", 1);
    /* a UUID of no filesystem: fstab's /gone and the default entry's resume= */
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNRESOLVED", "warning", made("GONE_UUID"), &f), 1);
    assert_true(tree_has_evidence(f, "/etc/fstab:4:"));
    assert_true(tree_has_evidence(f, "resume=UUID="));
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNRESOLVED", NULL, NULL, NULL), 1);
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNCHECKED", NULL, NULL, NULL), 0);
    /* nofail: /bulk is on the second disk, /boot on the root's */
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-NOFAIL", "warning", "/bulk", NULL), 1);
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-NOFAIL", NULL, NULL, NULL), 1);
    /* the kernel name's remediation gives the UUID of the filesystem there */
    assert_int_equal(tree_findings(r, "BOOT-FSTAB-DEVNAME", "blocker", "/dev/sdb1", &f), 1);
    snprintf(want, sizeof want, "Write UUID=%s", made("DATA_UUID"));
    assert_non_null(strstr(tree_sget(f, "remediation"), want));
    /* the report says which filesystem each fstab line is */
    json_object *fst = report_get(r, "fstab");
    assert_string_equal(tree_sget(json_object_array_get_idx(fst, 0), "filesystem"), "/dev/sda2");
    assert_string_equal(tree_sget(json_object_array_get_idx(fst, 2), "filesystem"), "/dev/sdb1");
    assert_string_equal(tree_sget(json_object_array_get_idx(fst, 3), "issue"), "unresolved");
    assert_string_equal(tree_sget(json_object_array_get_idx(fst, 3), "filesystem"), "");
    /* /dev/md0, which only the guest's mdadm.conf ties to the array that
     * inspection assembled as /dev/md127 and mounted at /srv */
    assert_string_equal(tree_sget(json_object_array_get_idx(fst, 5), "filesystem"), "/dev/md127");
    report_free(r);
    /* the root's UUID matching nothing is a blocker */
    r = scan("uuids-root-gone", 1);
    assert_int_equal(tree_findings(r, "BOOT-UUID-UNRESOLVED", "blocker", made("GONE_UUID"), NULL), 1);
    report_free(r);
}

static void test_lvm_filter_parser(void **s)
{
    (void)s;
    static const char conf[] =
        "devices {\n  # filter = [ \"r|.*|\" ]\n"
        "  global_filter = [ \"a|^/dev/xvd|\", \"r|.*|\" ]\n"
        "  filter = \"a|.*|\"\n"
        "  preferred_names = [ \"^/dev/mpath/\" ]\n}\n";
    struct lvm_filter fs[4];
    char why[256];
    assert_int_equal(lvm_conf_filters(conf, sizeof conf - 1, fs, 4), 2);
    assert_true(fs[0].global);
    assert_int_equal(fs[0].line, 3);
    assert_int_equal(fs[0].n, 2);
    assert_string_equal(fs[0].pat[0], "a|^/dev/xvd|");
    assert_true(lvm_filter_hides_nvme(fs[0].pat, fs[0].n, why, sizeof why));
    assert_false(fs[1].global);
    assert_false(lvm_filter_hides_nvme(fs[1].pat, fs[1].n, why, sizeof why));
    /* a device no pattern matches is accepted */
    char only_fd[1][LVM_PATTERN_MAX] = { "r|^/dev/fd|" };
    assert_false(lvm_filter_hides_nvme(only_fd, 1, why, sizeof why));
    /* unterminated input ends the list, not the scan */
    assert_int_equal(lvm_conf_filters("filter = [ \"a|x", 14, fs, 4), 1);
}

int main(void)
{
    fx = getenv("NAMING_FIXTURES");
    if (!fx) {
        fprintf(stderr, "NAMING_FIXTURES not set\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classifier),
        cmocka_unit_test(test_centos7_vmware),
        cmocka_unit_test(test_stable_names),
        cmocka_unit_test(test_dracut_order),
        cmocka_unit_test(test_initramfs_tools),
        cmocka_unit_test(test_names_against_disks),
        cmocka_unit_test(test_lvm_filter_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
