"""Encrypted volumes (luks-root.img of images/build-volumes.sh): the root in an LV on LUKS
(sda2), /srv in LUKS on an LV (vgdata/secret).  A volume left closed is a
finding, a blocker when no root could be read, and such a run never exits
0; keys given as --key or on standard input open them read-only."""

import os
import unittest

import lc

ROOT_LUKS = lc.fixture_uuid(902)
SRV_LUKS = lc.fixture_uuid(904)


def passphrase(name):
    with open(os.path.join(lc.VOLUMES_DIR, name)) as f:
        return f.readline().rstrip("\n")


class TestLuks(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        d = lc.ensure_volumes()
        cls.disk = os.path.join(d, "luks-root.img")
        root_key = passphrase("luks-root.pass")
        cls.runs = {
            "no-key": lc.Run([cls.disk], inputs=[cls.disk]),
            "root-key": lc.Run(["--key", "/dev/sda2:key:" + root_key, cls.disk],
                               inputs=[cls.disk]),
            # the root's key on standard input, /srv's from a file by LUKS UUID
            "both-keys": lc.Run(["--keys-from-stdin", "--key", "%s:file:%s" % (
                SRV_LUKS, os.path.join(d, "luks-srv.pass")), cls.disk],
                inputs=[cls.disk], stdin=root_key + "\n"),
            "wrong-key": lc.Run(["--fail-on", "never", "--key",
                                 ROOT_LUKS + ":key:not-" + root_key, cls.disk],
                                inputs=[cls.disk]),
        }

    def rep(self, name):
        return self.report_of(self.runs[name])

    def findings(self, name, fid):
        return [f for f in self.rep(name)["findings"] if f["id"] == fid]

    def test_contract(self):
        for name in ("no-key", "root-key", "both-keys"):
            with self.subTest(name):
                self.check_common(self.runs[name], [self.disk])

    def test_no_key_is_a_blocker_and_exit_1(self):
        run = self.runs["no-key"]
        self.assertEqual(run.rc, 1, run.describe())
        rep = self.rep("no-key")
        self.assertIsNone(rep["os"])
        locked = {f["title"].rsplit(": ", 1)[-1]: f for f in self.findings("no-key", "FS-LUKS-LOCKED")}
        self.assertEqual(sorted(locked), ["/dev/sda2", "/dev/vgdata/secret"])
        for f in locked.values():
            self.assertEqual(f["severity"], "blocker")
            self.assertEqual(f["volume"], 0)
        self.assertIn("UUID " + ROOT_LUKS, " ".join(locked["/dev/sda2"]["evidence"]))
        self.assertEqual(rep["verdict"]["nitro_boot"], "unknown")
        self.assertFalse(rep["complete"])
        luks = self.fs_by_uuid(rep, ROOT_LUKS)
        self.check_fs(luks, device="/dev/sda2", type="crypto_LUKS", mounted=False, volume=0)

    def test_root_key_opens_lvm_on_luks(self):
        rep = self.rep("root-key")
        self.check_os(rep, type="linux", distro="debian", version="12.5", hostname="luks-root",
                      package_format="deb", root_device="/dev/vgcrypt/root")
        root = self.fs_by_uuid(rep, lc.fixture_uuid(903))
        self.check_fs(root, device="/dev/vgcrypt/root", type="ext4", mountpoint="/",
                      volume=0, mounted=True)
        self.check_fs(self.fs_by_uuid(rep, lc.fixture_uuid(901)), mountpoint="/boot", mounted=True)
        # /srv's volume stays closed: a warning, since the root was read
        [srv] = self.findings("root-key", "FS-LUKS-LOCKED")
        self.assertEqual((srv["severity"], srv["title"].rsplit(": ", 1)[-1]),
                         ("warning", "/dev/vgdata/secret"))
        self.assertNotIn("FS-LUKS-KEY-REJECTED", self.finding_ids(rep))
        self.assertNotIn("OS-NOT-FOUND", self.finding_ids(rep))
        self.assertFalse(rep["complete"])
        # LVM on LUKS: the LV, then the LUKS container its PV is opened from
        self.assertEqual(self.root_stack(rep), [("lvm", "/dev/vgcrypt/root", None),
                                                ("crypt", "/dev/sda2", None)])
        self.check_no_kernel_no_root_needs(rep)

    def test_both_keys_open_luks_on_lvm(self):
        rep = self.rep("both-keys")
        self.check_os(rep, distro="debian", hostname="luks-root")
        srv = self.fs_by_uuid(rep, lc.fixture_uuid(905))
        self.check_fs(srv, device="/dev/mapper/luks-" + SRV_LUKS, type="ext4", mountpoint="/srv",
                      volume=0, mounted=True)
        ids = self.finding_ids(rep)
        self.assertFalse([i for i in ids if i.startswith("FS-LUKS-")], ids)
        self.assertNotIn("FS-MOUNT-FAILED", ids)
        self.assertTrue(rep["complete"])
        # files inside were read: the shell on the root
        self.assertIn("/usr/bin/dash", [e["path"] for e in rep.get("elf_files", [])])

    def test_wrong_key_is_said_and_never_exit_0(self):
        run = self.runs["wrong-key"]
        # --fail-on never: the unread root still makes the run incomplete
        self.assertEqual(run.rc, 4, run.describe())
        rep = self.rep("wrong-key")
        [f] = self.findings("wrong-key", "FS-LUKS-KEY-REJECTED")
        self.assertEqual((f["severity"], f["title"].rsplit(": ", 1)[-1]), ("blocker", "/dev/sda2"))
        self.assertIn("did not open it", " ".join(f["evidence"]))
        self.assertIsNone(rep["os"])
        self.assertEqual(rep["verdict"]["nitro_boot"], "unknown")

    def test_images_untouched(self):
        for run in self.runs.values():
            self.check_untouched(run)


if __name__ == "__main__":
    unittest.main(verbosity=2)
