/* Release-file parsing, and the whole reader on staged root trees holding
 * the release files each distro shipped (the --root path: vfs_dir). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/os_release.h"
#include "staging.h"

static void test_amazon_linux_2(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse(
        "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\n"
        "VERSION_ID=\"2\"\nPRETTY_NAME=\"Amazon Linux 2\"\n", &o), 0);
    assert_string_equal(o.distro, "amazonlinux");
    assert_string_equal(o.version, "2");
    assert_int_equal(o.major, 2);
    assert_int_equal(o.minor, 0);
    assert_string_equal(o.product_name, "Amazon Linux 2");
    assert_string_equal(os_package_format(o.distro), "rpm");
    os_info_free(&o);
}

static void test_oracle_alma_rocky(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse("ID=\"ol\"\nVERSION_ID=\"8.9\"\n", &o), 0);
    assert_string_equal(o.distro, "oraclelinux");
    assert_int_equal(o.major, 8);
    assert_int_equal(o.minor, 9);
    os_info_free(&o);
    assert_int_equal(os_release_parse("ID='almalinux'\nVERSION_ID='8.10'\r\n", &o), 0);
    assert_string_equal(o.distro, "almalinux");
    assert_int_equal(o.minor, 10);
    os_info_free(&o);
    assert_int_equal(os_release_parse_rhel_line("Rocky Linux release 9.3 (Blue Onyx)\n", &o), 0);
    assert_string_equal(o.distro, "rocky");
    assert_string_equal(o.version, "9.3");
    assert_string_equal(o.product_name, "Rocky Linux release 9.3 (Blue Onyx)");
    os_info_free(&o);
    assert_int_equal(os_release_parse_rhel_line("CentOS release 6.10 (Final)", &o), 0);
    assert_string_equal(o.distro, "centos");
    assert_int_equal(o.major, 6);
    os_info_free(&o);
}

static void test_legacy_parsers(void **state)
{
    (void)state;
    struct os_info o = {0};
    /* RHEL 3/4 put the minor in "Update N". */
    assert_int_equal(os_release_parse_rhel_line(
        "Red Hat Enterprise Linux AS release 4 (Nahant Update 9)\n", &o), 0);
    assert_string_equal(o.distro, "rhel");
    assert_string_equal(o.version, "4.9");
    assert_int_equal(o.minor, 9);
    os_info_free(&o);
    /* A bare lsb-release (RHEL's redhat-lsb) names no distro. */
    assert_int_equal(os_release_parse_lsb("LSB_VERSION=base-4.0-amd64:base-4.0-noarch\n", &o), -1);
    assert_null(o.distro);
    assert_int_equal(os_release_parse_suse("openSUSE 13.2 (x86_64)\nVERSION = 13.2\n"
                                           "CODENAME = Harlequin\n", &o), 0);
    assert_string_equal(o.distro, "opensuse");
    assert_string_equal(o.version, "13.2");
    os_info_free(&o);
    /* SLES GA: PATCHLEVEL = 0 gives "11", as os-release's VERSION_ID would. */
    assert_int_equal(os_release_parse_suse("SUSE Linux Enterprise Server 11 (x86_64)\n"
                                           "VERSION = 11\nPATCHLEVEL = 0\n", &o), 0);
    assert_string_equal(o.distro, "sles");
    assert_string_equal(o.version, "11");
    os_info_free(&o);
    /* Debian testing and Ubuntu: a codename, no version. */
    assert_int_equal(os_release_parse_first_line("squeeze/sid\n", "debian", &o), 0);
    assert_string_equal(o.distro, "debian");
    assert_null(o.version);
    os_info_free(&o);
    char *h = os_release_value("NETWORKING=yes\n  HOSTNAME='a.example'\nHOSTNAME=\"b\"\n", "HOSTNAME");
    assert_string_equal(h, "b");
    free(h);
    assert_null(os_release_value("HOSTNAME=\nX=1", "HOSTNAME"));
}

static void test_garbage(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse("# only a comment\n=\n==\nVERSION_ID=\n", &o), -1);
    assert_null(o.distro);
    assert_int_equal(os_release_parse_rhel_line("no release word here", &o), -1);
    assert_int_equal(os_release_parse_rhel_line("Some Unknown OS release 1", &o), -1);
    assert_int_equal(os_release_parse_rhel_line("CentOS release \n6", &o), -1);
    assert_int_equal(os_release_parse_suse("\n", &o), -1);
    assert_int_equal(os_release_parse_first_line("", "debian", &o), -1);
    assert_int_equal(os_release_parse("ID=x\nVERSION_ID=99999999999999999999.99999999999\n", &o), 0);
    assert_int_equal(o.major, 1000000);
    os_info_free(&o);
}

/* One distro as it shipped: its release files and what it must come out as. */
struct distro_case {
    const char *name;
    const char *files[12];    /* path, content, path, content, ..., NULL */
    const char *distro, *version;
    int major, minor;
    const char *product_name, *package_format, *hostname;
};

#define CENTOS7_OS_RELEASE \
    "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n" \
    "VERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\nANSI_COLOR=\"0;31\"\n" \
    "CPE_NAME=\"cpe:/o:centos:centos:7\"\nHOME_URL=\"https://www.centos.org/\"\n" \
    "BUG_REPORT_URL=\"https://bugs.centos.org/\"\n\nCENTOS_MANTISBT_PROJECT=\"CentOS-7\"\n" \
    "CENTOS_MANTISBT_PROJECT_VERSION=\"7\"\nREDHAT_SUPPORT_PRODUCT=\"centos\"\n" \
    "REDHAT_SUPPORT_PRODUCT_VERSION=\"7\"\n\n"
#define DEBIAN12_OS_RELEASE \
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n" \
    "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n" \
    "HOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\n" \
    "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n"
#define SLES11_LSB "LSB_VERSION=\"core-2.0-noarch:core-3.2-noarch:core-4.0-noarch:" \
    "core-2.0-x86_64:core-3.2-x86_64:core-4.0-x86_64\"\n"

static const struct distro_case cases[] = {
    {"centos7", {"/etc/os-release", CENTOS7_OS_RELEASE,
                 "/etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n",
                 "/etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n",
                 "/etc/hostname", "centos7.example.com\n", NULL},
     "centos", "7.9.2009", 7, 9, "CentOS Linux 7 (Core)", "rpm", "centos7.example.com"},
    {"centos6", {"/etc/centos-release", "CentOS release 6.10 (Final)\n",
                 "/etc/redhat-release", "CentOS release 6.10 (Final)\n",
                 "/etc/lsb-release", "LSB_VERSION=base-4.0-amd64:base-4.0-noarch:core-4.0-amd64:"
                                    "core-4.0-noarch:graphics-4.0-amd64:graphics-4.0-noarch:"
                                    "printing-4.0-amd64:printing-4.0-noarch\n",
                 "/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=db01.example.com\n", NULL},
     "centos", "6.10", 6, 10, "CentOS release 6.10 (Final)", "rpm", "db01.example.com"},
    {"rhel5", {"/etc/redhat-release", "Red Hat Enterprise Linux Server release 5.11 (Tikanga)\n",
               "/etc/sysconfig/network", "NETWORKING=yes\nNETWORKING_IPV6=no\nHOSTNAME=rhel5.localdomain\n",
               NULL},
     "rhel", "5.11", 5, 11, "Red Hat Enterprise Linux Server release 5.11 (Tikanga)", "rpm",
     "rhel5.localdomain"},
    {"oracle6", {"/etc/oracle-release", "Oracle Linux Server release 6.10\n",
                 "/etc/redhat-release", "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n",
                 "/etc/system-release", "Oracle Linux Server release 6.10\n",
                 "/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=ol6.example.com\n", NULL},
     "oraclelinux", "6.10", 6, 10, "Oracle Linux Server release 6.10", "rpm", "ol6.example.com"},
    {"amzn1", {"/etc/system-release", "Amazon Linux AMI release 2013.09\n",
               "/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=localhost.localdomain\n"
                                        "NOZEROCONF=yes\nNETWORKING_IPV6=no\n", NULL},
     "amazonlinux", "2013.09", 2013, 9, "Amazon Linux AMI release 2013.09", "rpm",
     "localhost.localdomain"},
    {"sles11", {"/etc/SuSE-release", "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\n"
                                    "PATCHLEVEL = 4\n",
                "/etc/lsb-release", SLES11_LSB,
                "/etc/HOSTNAME", "sles11.example.com\n", NULL},
     "sles", "11.4", 11, 4, "SUSE Linux Enterprise Server 11 (x86_64)", "rpm", "sles11.example.com"},
    {"sles12", {"/etc/os-release", "NAME=\"SLES\"\nVERSION=\"12-SP5\"\nVERSION_ID=\"12.5\"\n"
                                  "PRETTY_NAME=\"SUSE Linux Enterprise Server 12 SP5\"\nID=\"sles\"\n"
                                  "ANSI_COLOR=\"0;32\"\nCPE_NAME=\"cpe:/o:suse:sles:12:sp5\"\n",
                "/etc/SuSE-release", "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\n"
                                    "PATCHLEVEL = 5\n# This file is deprecated and will be removed "
                                    "in a future service pack or release.\n",
                "/etc/HOSTNAME", "sles12\n", NULL},
     "sles", "12.5", 12, 5, "SUSE Linux Enterprise Server 12 SP5", "rpm", "sles12"},
    {"ubuntu1004", {"/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=10.04\n"
                                       "DISTRIB_CODENAME=lucid\n"
                                       "DISTRIB_DESCRIPTION=\"Ubuntu 10.04.4 LTS\"\n",
                    "/etc/debian_version", "squeeze/sid\n",
                    "/etc/hostname", "lucid64\n", NULL},
     "ubuntu", "10.04", 10, 4, "Ubuntu 10.04.4 LTS", "deb", "lucid64"},
    {"debian6", {"/etc/debian_version", "6.0.10\n", "/etc/hostname", "squeeze\n", NULL},
     "debian", "6.0.10", 6, 0, "6.0.10", "deb", "squeeze"},
    {"debian12", {"/etc/os-release", DEBIAN12_OS_RELEASE, "/etc/debian_version", "12.5\n",
                  "/etc/hostname", "# set by the installer\n\nbookworm\n", NULL},
     "debian", "12.5", 12, 5, "Debian GNU/Linux 12 (bookworm)", "deb", "bookworm"},
    {"arch-old", {"/etc/arch-release", "", "/etc/hostname", "archbox\n", NULL},
     "archlinux", NULL, 0, 0, NULL, "pacman", "archbox"},
    {"arch", {"/etc/os-release", "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\n"
                                "BUILD_ID=rolling\nANSI_COLOR=\"38;2;23;147;209\"\n"
                                "HOME_URL=\"https://archlinux.org/\"\nLOGO=archlinux-logo\n",
              "/etc/arch-release", "", NULL},
     "archlinux", NULL, 0, 0, "Arch Linux", "pacman", NULL},
    {"alpine", {"/etc/alpine-release", "3.18.4\n", "/etc/hostname", "alpine\n", NULL},
     "alpinelinux", "3.18.4", 3, 18, "3.18.4", "apk", "alpine"},
    {"alpine-os-release", {"/usr/lib/os-release", "NAME=\"Alpine Linux\"\nID=alpine\n"
                                                 "VERSION_ID=3.18.4\n"
                                                 "PRETTY_NAME=\"Alpine Linux v3.18\"\n",
                           "/etc/alpine-release", "3.18.4\n", NULL},
     "alpinelinux", "3.18.4", 3, 18, "Alpine Linux v3.18", "apk", NULL},
};

static void check_str(const char *what, const char *got, const char *want)
{
    if (!want && !got)
        return;
    if (!want || !got || strcmp(got, want)) {
        fail_msg("%s: got '%s', want '%s'", what, got ? got : "(null)", want ? want : "(null)");
    }
}

static void test_distro_trees(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct distro_case *c = &cases[i];
        char root[256];
        assert_int_equal(stage_tmpdir(root, sizeof root, c->name), 0);
        stage_dir(root, "/etc", 0755);
        stage_dir(root, "/etc/sysconfig", 0755);
        stage_dir(root, "/usr", 0755);
        stage_dir(root, "/usr/lib", 0755);
        for (int k = 0; c->files[k]; k += 2)
            stage_text(root, c->files[k], c->files[k + 1]);
        vfs *v = vfs_dir_open(root);
        assert_non_null(v);
        struct os_info o = {0};
        print_message("%s\n", c->name);
        assert_int_equal(os_release_read(v, &o), 0);
        check_str("type", o.type, "linux");
        check_str("distro", o.distro, c->distro);
        check_str("version", o.version, c->version);
        assert_int_equal(o.major, c->major);
        assert_int_equal(o.minor, c->minor);
        check_str("product_name", o.product_name, c->product_name);
        check_str("package_format", o.package_format, c->package_format);
        check_str("hostname", o.hostname, c->hostname);
        os_info_free(&o);
        vfs_close(v);
        assert_int_equal(stage_rmdir(root), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amazon_linux_2),
        cmocka_unit_test(test_oracle_alma_rocky),
        cmocka_unit_test(test_legacy_parsers),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_distro_trees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
