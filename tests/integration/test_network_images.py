"""Network truth through the appliance: small disk images made at test time
from the trees of tests/nitro/make_network_fixtures.sh, with the release
files and fstab of the server each stands for, read through libguestfs.
The expected values are the ones the unit tests check on the same trees."""

import os
import shutil
import subprocess
import tempfile
import unittest

import lc

MAKE_TREES = os.path.join(lc.SOURCE_ROOT, "tests", "nitro", "make_network_fixtures.sh")

# tree -> (release file, its text, filesystem UUID)
SERVERS = {
    "centos7-ens192": (
        "os-release",
        'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\n'
        'VERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n',
        lc.fixture_uuid(1701)),
    "centos6-persistent": (
        "redhat-release", "CentOS release 6.10 (Final)\n", lc.fixture_uuid(1702)),
    "ubuntu-netplan-glob": (
        "os-release",
        'NAME="Ubuntu"\nVERSION="20.04.6 LTS (Focal Fossa)"\nID=ubuntu\nID_LIKE=debian\n'
        'VERSION_ID="20.04"\nPRETTY_NAME="Ubuntu 20.04.6 LTS"\n',
        lc.fixture_uuid(1703)),
}


def build_images(work):
    trees = os.path.join(work, "trees")
    subprocess.run([MAKE_TREES, trees], check=True, stdout=subprocess.DEVNULL)
    images = {}
    for name, (release, text, uuid) in SERVERS.items():
        root = os.path.join(trees, name)
        with open(os.path.join(root, "etc", release), "w") as f:
            f.write(text)
        with open(os.path.join(root, "etc", "fstab"), "w") as f:
            f.write("UUID=%s  /  ext4  defaults  1 1\n" % uuid)
        with open(os.path.join(root, "etc", "hostname"), "w") as f:
            f.write(name + "\n")
        img = os.path.join(work, name + ".img")
        subprocess.run(["mkfs.ext4", "-q", "-F", "-t", "ext4", "-U", uuid, "-L", "root",
                        "-d", root, img, "32M"], check=True)
        images[name] = img
    return images


class NetworkImages(lc.ReportTest):

    @classmethod
    def setUpClass(cls):
        if not shutil.which("mkfs.ext4"):
            raise unittest.SkipTest("mkfs.ext4 is not installed")
        cls.work = tempfile.mkdtemp(prefix="liftcheck-net-")
        cls.images = build_images(cls.work)
        cls.runs = {n: lc.Run([p], inputs=[p]) for n, p in cls.images.items()}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.work, ignore_errors=True)

    def net(self, name):
        rep = self.check_common(self.runs[name], [self.images[name]])
        self.assertIsNotNone(rep["os"], self.runs[name].describe())
        return rep, rep["network"]

    def ids(self, rep, severity):
        return [f["id"] for f in rep["findings"]
                if f["id"].startswith("NET-") and f["severity"] == severity]

    def test_centos7_static_ens192_blocks(self):
        rep, n = self.net("centos7-ens192")
        self.assertEqual(n["predicted_primary"]["name"], "ens5")
        self.assertFalse(n["primary_configured"])
        self.assertEqual([(c["interface"], c["address"]) for c in n["configs"]],
                         [("ens192", "static")])
        self.assertEqual(self.ids(rep, "blocker"), ["NET-NO-PRIMARY-CONFIG"])

    def test_centos6_rules_move_ena_to_eth1(self):
        rep, n = self.net("centos6-persistent")
        self.assertEqual(rep["os"]["major"], 6)
        self.assertEqual(n["predicted_primary"]["name"], "eth1")
        self.assertEqual([c["binds"] for c in n["configs"]], ["mac"])
        self.assertEqual(self.ids(rep, "blocker"), ["NET-NO-PRIMARY-CONFIG"])

    def test_ubuntu_netplan_glob_comes_up(self):
        rep, n = self.net("ubuntu-netplan-glob")
        self.assertEqual(n["predicted_primary"]["name"], "ens5")
        self.assertTrue(n["primary_configured"])
        self.assertEqual(self.ids(rep, "blocker") + self.ids(rep, "warning"), [])


if __name__ == "__main__":
    lc.main()
