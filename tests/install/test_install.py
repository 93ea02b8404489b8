#!/usr/bin/python3
"""meson install into a DESTDIR, then the installed liftcheck: its probe,
qemu wrapper and man page are where the install put them, the installed
binary finds its own helpers (not the build tree's), and it inspects a
small tree with --root and summarises the report.
usage: test_install.py BUILD_DIR MESON"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BUILD, MESON = sys.argv[1:3]


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dest = os.path.join(cls.tmp.name, 'dest')
        r = subprocess.run([MESON, 'install', '-C', BUILD, '--no-rebuild', '--quiet',
                            '--destdir', cls.dest], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        # Where the build says each file goes, under DESTDIR.
        intro = subprocess.run([MESON, 'introspect', BUILD, '--installed'], check=True,
                               capture_output=True, text=True).stdout
        cls.installed = {os.path.basename(dst): cls.dest + dst
                         for dst in json.loads(intro).values()}
        # The installed binary alone: no variable may point it elsewhere.
        cls.env = {k: v for k, v in os.environ.items()
                   if k not in ('LIFTCHECK_PROBE', 'LIFTCHECK_QEMU_TCG')}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def lc(self, *args):
        return subprocess.run([self.installed['liftcheck'], *args], capture_output=True,
                              text=True, env=self.env)

    def test_files(self):
        for name in ('liftcheck', 'liftcheck-probe', 'liftcheck-qemu-tcg', 'liftcheck.1'):
            self.assertIn(name, self.installed)
            self.assertTrue(os.path.isfile(self.installed[name]), self.installed[name])
        for name in ('liftcheck', 'liftcheck-probe', 'liftcheck-qemu-tcg'):
            self.assertTrue(os.access(self.installed[name], os.X_OK), name)
        self.assertTrue(self.installed['liftcheck.1'].endswith('/man1/liftcheck.1'))
        self.assertEqual(os.path.dirname(self.installed['liftcheck-probe']),
                         os.path.dirname(self.installed['liftcheck-qemu-tcg']))
        with open(self.installed['liftcheck.1']) as f:
            page = f.read()
        self.assertNotIn('@VERSION@', page)
        self.assertNotIn('@LIBEXECDIR@', page)

    def test_finds_its_own_helpers(self):
        r = self.lc('--version')
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = dict(ln.split(': ', 1) for ln in r.stdout.splitlines()[1:])
        self.assertEqual(os.path.realpath(lines['probe']),
                         os.path.realpath(self.installed['liftcheck-probe']))
        self.assertEqual(os.path.realpath(lines['qemu wrapper (TCG)']),
                         os.path.realpath(self.installed['liftcheck-qemu-tcg']))

    def test_man_page_renders(self):
        if not shutil.which('groff'):
            self.skipTest('groff is not installed')
        r = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z', self.installed['liftcheck.1']],
                           capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stderr), (0, ''))

    def test_root_and_summary(self):
        tree = os.path.join(self.tmp.name, 'tree')
        os.makedirs(os.path.join(tree, 'etc'))
        with open(os.path.join(tree, 'etc/os-release'), 'w') as f:
            f.write('NAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n')
        with open(os.path.join(tree, 'etc/fstab'), 'w') as f:
            f.write('/dev/sda1 / ext4 defaults 0 1\n')
        out = os.path.join(self.tmp.name, 'out', 'tree01')
        os.makedirs(os.path.dirname(out))
        r = self.lc('-q', '--root', tree, '--output-dir', out)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        with open(os.path.join(out, 'report.json')) as f:
            rep = json.load(f)
        self.assertEqual(rep['os']['distro'], 'debian')
        self.assertIn('BOOT-FSTAB-DEVNAME', [f['id'] for f in rep['findings']])
        self.assertEqual(r.returncode, 1 if rep['verdict']['blockers'] else 0)
        r = self.lc('summary', os.path.dirname(out), '--format', 'csv')
        self.assertEqual(r.returncode, 1 if rep['verdict']['blockers'] else 0, r.stderr)
        self.assertIn('tree01', r.stdout)


if __name__ == '__main__':
    unittest.main(argv=[sys.argv[0]], verbosity=2)
