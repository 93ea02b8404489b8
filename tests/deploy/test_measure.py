#!/usr/bin/python3
"""deploy/measure-server.sh sums the resident memory of liftcheck and what
it starts, and reports the wall time, the accelerator the report names and
liftcheck's exit code. liftcheck is a stand-in on PATH that writes a report,
holds memory in itself and in a child for a while and exits with 1.
Exit 77 when ps, setsid or jq is missing (Debian: procps, util-linux, jq).
usage: test_measure.py MEASURE_SCRIPT"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.abspath(sys.argv[1])
PARENT_MIB, CHILD_MIB, HOLD_S = 120, 150, 2.0

STANDIN = r'''#!/usr/bin/python3
import json, os, subprocess, sys, time
out = sys.argv[sys.argv.index("--output-dir") + 1]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "report.json"), "w") as f:
    json.dump({"launch": {"accelerator": "tcg"}, "argv": sys.argv[1:]}, f)
held = b"x" * (%d << 20)
child = subprocess.Popen([sys.executable, "-c",
                          "import time; held = b'y' * (%d << 20); time.sleep(%f)"])
time.sleep(%f)
child.wait()
sys.exit(1)
''' % (PARENT_MIB, CHILD_MIB, HOLD_S, HOLD_S)


class Measure(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.bin = os.path.join(self.tmp.name, 'bin')
        os.makedirs(self.bin)
        with open(os.path.join(self.bin, 'liftcheck'), 'w') as f:
            f.write(STANDIN)
        os.chmod(os.path.join(self.bin, 'liftcheck'), 0o755)

    def tearDown(self):
        self.tmp.cleanup()

    def run_measure(self, args, **env):
        e = dict(os.environ, PATH=self.bin + ':' + os.environ['PATH'], TMPDIR=self.tmp.name, **env)
        return subprocess.run(['/bin/sh', SCRIPT] + args, env=e, capture_output=True, text=True,
                              timeout=60)

    def test_sums_every_process(self):
        r = self.run_measure(['--accel', 'tcg', 'web01.qcow2'])
        self.assertEqual(r.returncode, 1, r.stderr)
        m = re.fullmatch(r'peak_mib=(\d+) wall_s=([\d.]+) accelerator=(\w+) exit=(\d+) '
                         r'load=[\d.]+,[\d.]+,[\d.]+\n', r.stdout)
        self.assertIsNotNone(m, r.stdout)
        peak, wall, accel, rc = int(m[1]), float(m[2]), m[3], int(m[4])
        # Both processes' memory, not only the largest one's.
        self.assertGreaterEqual(peak, PARENT_MIB + CHILD_MIB)
        self.assertLess(peak, 4 * (PARENT_MIB + CHILD_MIB))
        self.assertGreaterEqual(wall, HOLD_S)
        self.assertEqual((accel, rc), ('tcg', 1))
        # The temporary reports are gone.
        self.assertEqual([n for n in os.listdir(self.tmp.name) if n != 'bin'], [])

    def test_keeps_reports_when_asked(self):
        keep = os.path.join(self.tmp.name, 'keep')
        r = self.run_measure(['-v', 'a.raw', 'b.raw'], MEASURE_OUTPUT_DIR=keep)
        self.assertEqual(r.returncode, 1, r.stderr)
        with open(os.path.join(keep, 'report.json')) as f:
            self.assertIn('"argv": ["-q", "--output-dir", "%s", "-v", "a.raw", "b.raw"]' % keep,
                          f.read())

    def test_usage(self):
        r = self.run_measure([])
        self.assertEqual(r.returncode, 2)
        self.assertIn('usage:', r.stderr)


if __name__ == '__main__':
    missing = [t for t in ('ps', 'setsid', 'jq') if not shutil.which(t)]
    if missing:
        print('skipped: %s not installed' % ', '.join(missing))
        sys.exit(77)
    unittest.main(argv=sys.argv[:1], verbosity=2)
