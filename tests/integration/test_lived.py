"""A lived-in server (images/build-lived.sh): the sample Debian 12 server with
a backup copy of its kernel modules under /root, its initramfs unpacked under
/tmp, a build tree in a home, and the applications a person would name:
Tomcat on a JDK, a Python virtualenv, a Node.js service and a vendor daemon
started from an init script.

One run on the disk image (one appliance launch) and one with --root on the
tree it was made from; both must read as that person's inventory: those
applications and no other, each with its decision and base image, fewer
than 30 warnings and a JSON report under 5 MB.  Expected values come from
what the builder used (lived/expect/).
"""

import glob
import os
import unittest

import lc
from test_legacy import base_images_for

LIVED_DIR = os.path.join(lc.CACHE, "lived")
IMAGE = os.path.join(LIVED_DIR, "lived.img")
TREE = os.path.join(LIVED_DIR, "tree")
EXPECT = os.path.join(LIVED_DIR, "expect")
RUN_TIMEOUT = 900

# application -> (install root, the file it is named after)
APPS = {
    "tomcat": ("/opt/tomcat", "/etc/systemd/system/tomcat.service"),
    "inventory": ("/opt/inventory", "/etc/systemd/system/inventory.service"),
    "orders-api": ("/opt/orders", "/etc/systemd/system/orders-api.service"),
    "acme-agent": ("/opt/acme", "/etc/init.d/acme-agent"),
    "jdk-17": ("/opt/jdk-17", None),
}


def expect(name):
    with open(os.path.join(EXPECT, name)) as f:
        return f.read().strip()


def major(version, parts=1):
    return ".".join(version.split(".")[:parts])


class TestLived(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        lc.build_with("build-lived.sh", LIVED_DIR, "lived-in image")
        cls.runs = {
            "image": lc.Run([IMAGE], inputs=[IMAGE], timeout=RUN_TIMEOUT),
            "root": lc.Run(["--root", TREE]),
        }

    def reports(self):
        """(run name, its report), for a subTest each."""
        return [(name, self.report_of(run)) for name, run in sorted(self.runs.items())]

    def apps(self, rep):
        return {a["name"]: a for a in rep.get("applications") or []}

    def test_contract(self):
        self.check_common(self.runs["image"], [IMAGE])
        rep = self.get_report(self.runs["root"])
        lc.validate(rep)
        self.assertEqual(rep["launch"]["accelerator"], "none")

    def test_applications_a_person_would_name(self):
        for run, rep in self.reports():
            with self.subTest(run=run):
                apps = self.apps(rep)
                self.assertEqual(sorted(apps), sorted(APPS),
                                 [(a["name"], a["root"]) for a in apps.values()])
                for name, (root, named_from) in APPS.items():
                    self.assertEqual(apps[name]["root"], root)
                    self.assertEqual(apps[name].get("named_from"), named_from, name)

    def test_decisions_and_base_images(self):
        java = expect("java_version")
        want = {
            "tomcat": "eclipse-temurin:%s" % major(java),
            "jdk-17": "eclipse-temurin:%s" % major(java),
            "inventory": "python:%s-slim" % major(expect("python_version"), 2),
            "orders-api": "node:%s-slim" % major(expect("node_version")),
        }
        _, oldest = base_images_for(expect("acme_glibc"), None, None)
        for run, rep in self.reports():
            with self.subTest(run=run):
                apps = self.apps(rep)
                for name, a in apps.items():
                    self.assertEqual(a["decision"], "container", (name, a["reasons"]))
                    if name in want:
                        self.assertEqual(a["base_image"], want[name], (name, a["reasons"]))
                self.assertIn(apps["acme-agent"]["base_image"], oldest, apps["acme-agent"]["reasons"])

    def test_runtimes(self):
        for run, rep in self.reports():
            with self.subTest(run=run):
                apps = self.apps(rep)
                java = [r for r in apps["tomcat"]["runtimes"] if r["kind"] == "java"]
                self.assertEqual(len(java), 1, apps["tomcat"]["runtimes"])
                self.assertEqual((java[0]["home"], java[0]["version"]), ("/opt/jdk-17", expect("java_version")))
                self.assertIn("/opt/tomcat/webapps/shop.war", java[0]["archives"]["paths"])
                py = [r for r in apps["inventory"]["runtimes"] if r["kind"] == "python"]
                self.assertEqual(len(py), 1, apps["inventory"]["runtimes"])
                self.assertEqual(py[0]["version"], expect("python_version"))
                self.assertTrue(py[0]["virtualenv"])
                self.assertEqual(py[0]["extensions"]["count"], 1)
                node = [r for r in apps["orders-api"]["runtimes"] if r["kind"] == "node"]
                self.assertEqual(len(node), 1, apps["orders-api"]["runtimes"])
                self.assertEqual(node[0]["version"], expect("node_version"))
                self.assertEqual(node[0]["addons"]["paths"],
                                 ["/opt/orders/node_modules/fastcsv/build/Release/fastcsv.node"])

    def test_entry_points_run_at_boot(self):
        for run, rep in self.reports():
            with self.subTest(run=run):
                apps = self.apps(rep)
                for name, (_, named_from) in APPS.items():
                    eps = [e for e in apps[name]["entry_points"] if e["source"] == named_from]
                    if named_from:
                        self.assertTrue(eps, apps[name]["entry_points"])
                        self.assertTrue(all(e["state"] == "enabled" for e in eps), eps)
                agent = [e for e in apps["acme-agent"]["entry_points"] if e["kind"] == "sysv"]
                self.assertEqual({e["runlevels"] for e in agent}, {"2345"})

    def test_os_libraries_and_their_packages(self):
        """Each OS library the vendor daemon needs, with the package whose
        file list (in the tree's dpkg database) holds that library."""
        for run, rep in self.reports():
            with self.subTest(run=run):
                libs = self.apps(rep)["acme-agent"]["needs"]["libraries"]
                self.assertIn("libz.so.1", libs)
                for so, lib in libs.items():
                    self.assertIsNotNone(lib["package"], so)
                    info = os.path.join(TREE, "var/lib/dpkg/info", lib["package"])
                    listed = set()
                    for name in glob.glob(info + ".list") + glob.glob(info + ":*.list"):
                        with open(name) as f:
                            listed |= {os.path.realpath(os.path.join(TREE, p.strip().lstrip("/")))
                                       for p in f}
                    self.assertIn(os.path.realpath(os.path.join(TREE, lib["path"].lstrip("/"))),
                                  listed, so)

    def test_lived_in_trees_are_inventory_only(self):
        kver = expect("kver")
        backup = glob.glob(os.path.join(TREE, "root/backup/lib/modules", kver, "kernel/**/*.ko"),
                           recursive=True)
        self.assertTrue(backup, "the builder copied no modules")
        for run, rep in self.reports():
            with self.subTest(run=run):
                paths = {f["path"] for f in rep["elf_files"]}
                self.assertIn("/" + os.path.relpath(backup[0], TREE), paths)
                self.assertIn("/home/dev/src/acme/build/acmed", paths)
                self.assertTrue(any(p.startswith("/tmp/initrd-%s/" % kver) for p in paths))
                ids = [f["id"] for f in rep["findings"]]
                self.assertFalse([i for i in ids if i.startswith("APP-KERNEL")], ids)

    def test_a_report_a_person_reads_to_the_end(self):
        for name, run in sorted(self.runs.items()):
            with self.subTest(run=name):
                rep = self.report_of(run)
                warnings = [f["id"] for f in rep["findings"] if f["severity"] == "warning"]
                self.assertLess(len(warnings), 30, warnings)
                self.assertLess(os.path.getsize(run.report_path), 5 << 20)

    def test_image_and_tree_agree(self):
        seen = {}
        for name, rep in self.reports():
            seen[name] = sorted((a["name"], a["decision"], a["base_image"])
                                for a in rep["applications"])
        self.assertEqual(seen["image"], seen["root"])


if __name__ == "__main__":
    lc.main()
