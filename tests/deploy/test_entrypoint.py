#!/usr/bin/python3
"""deploy/liftcheck-wave.sh picks the server of its index and runs liftcheck
as the Kubernetes Job and the AWS Batch job definition expect: line
INDEX+1 of the list, its disks under LIFTCHECK_DISKS, --output-dir
LIFTCHECK_REPORTS/<server>, and the exit-code mapping the manifests rely
on. liftcheck is a stand-in on PATH that records its argv and exits with
the code it is told. Every case runs under each POSIX shell on the host
(dash as /bin/sh; busybox sh when installed).
usage: test_entrypoint.py ENTRYPOINT"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ENTRYPOINT = os.path.abspath(sys.argv[1])
OPTIONS = ['-q', '--accel', 'tcg', '--timeout', '900']

STANDIN = r'''#!/bin/sh
# liftcheck stand-in: one argument a line in $STANDIN_ARGV
: > "$STANDIN_ARGV"
for a in "$@"; do printf '%s\n' "$a" >> "$STANDIN_ARGV"; done
exit "${STANDIN_RC:-0}"
'''


def shells():
    found = [['/bin/sh']]
    busybox = shutil.which('busybox')
    if busybox and subprocess.run([busybox, 'sh', '-c', 'exit 0']).returncode == 0:
        found.append([busybox, 'sh'])
    return found


class Entrypoint(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = self.tmp.name
        self.bin = os.path.join(t, 'bin')
        self.disks = os.path.join(t, 'disks')
        self.reports = os.path.join(t, 'wave', 'reports')
        self.argv_file = os.path.join(t, 'argv')
        self.servers = os.path.join(t, 'servers.txt')
        os.makedirs(self.bin)
        os.makedirs(self.disks)
        with open(os.path.join(self.bin, 'liftcheck'), 'w') as f:
            f.write(STANDIN)
        os.chmod(os.path.join(self.bin, 'liftcheck'), 0o755)
        # A file a glob in the list would match: the list's text is taken as is.
        open(os.path.join(self.disks, 'data1.qcow2'), 'w').close()
        self.write_list('web01.qcow2\n'
                        'db01.qcow2 /srv/images/db01-data.raw\n'
                        'app01.vmdk  data[1].qcow2\tlogs.vhdx')   # no final newline

    def tearDown(self):
        self.tmp.cleanup()

    def write_list(self, text):
        with open(self.servers, 'w') as f:
            f.write(text)

    def run_wave(self, shell, index_env, rc=0, options=OPTIONS):
        env = {'PATH': self.bin + ':/usr/bin:/bin', 'LIFTCHECK_SERVERS': self.servers,
               'LIFTCHECK_DISKS': self.disks, 'LIFTCHECK_REPORTS': self.reports,
               'STANDIN_ARGV': self.argv_file, 'STANDIN_RC': str(rc)}
        env.update(index_env)
        if os.path.exists(self.argv_file):
            os.unlink(self.argv_file)
        r = subprocess.run(shell + [ENTRYPOINT] + options, env=env,
                           capture_output=True, text=True, timeout=60)
        argv = None
        if os.path.exists(self.argv_file):
            with open(self.argv_file) as f:
                argv = f.read().splitlines()
        return r, argv

    def expect_argv(self, server, disks):
        return OPTIONS + ['--output-dir', os.path.join(self.reports, server)] + disks

    def test_servers_by_either_index(self):
        d = self.disks
        cases = [
            ('0', 'web01', [d + '/web01.qcow2']),
            ('1', 'db01', [d + '/db01.qcow2', '/srv/images/db01-data.raw']),
            ('2', 'app01', [d + '/app01.vmdk', d + '/data[1].qcow2', d + '/logs.vhdx']),
            ('01', 'db01', [d + '/db01.qcow2', '/srv/images/db01-data.raw']),
        ]
        for shell in shells():
            for var in ('JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'):
                for index, server, disks in cases:
                    with self.subTest(shell=shell, var=var, index=index):
                        r, argv = self.run_wave(shell, {var: index})
                        self.assertEqual(r.returncode, 0, r.stderr)
                        self.assertEqual(argv, self.expect_argv(server, disks))
                        self.assertTrue(os.path.isdir(self.reports))
                        self.assertIn(f'server {server}', r.stderr)

    def test_kubernetes_index_wins(self):
        r, argv = self.run_wave(['/bin/sh'], {'JOB_COMPLETION_INDEX': '0',
                                              'AWS_BATCH_JOB_ARRAY_INDEX': '1'})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(argv, self.expect_argv('web01', [self.disks + '/web01.qcow2']))

    def test_exit_codes(self):
        # A report written (0, 1 blockers, 4 incomplete) is the server's
        # result: the pod or child succeeds. No report: liftcheck's code.
        expected = {0: 0, 1: 0, 4: 0, 2: 2, 3: 3, 130: 130, 143: 143, 5: 5}
        for shell in shells():
            for rc, want in expected.items():
                with self.subTest(shell=shell, liftcheck_rc=rc):
                    r, argv = self.run_wave(shell, {'JOB_COMPLETION_INDEX': '1'}, rc=rc)
                    self.assertEqual(r.returncode, want, r.stderr)
                    self.assertIsNotNone(argv)
                    if rc != 0:
                        self.assertIn(f'liftcheck exit {rc}', r.stderr)

    def assert_refused(self, index_env, message, shell=('/bin/sh',)):
        r, argv = self.run_wave(list(shell), index_env)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIsNone(argv, 'liftcheck ran')
        self.assertIn(message, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_index_past_the_end(self):
        for shell in shells():
            for var in ('JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'):
                with self.subTest(shell=shell, var=var):
                    self.assert_refused({var: '3'}, f'{var}=3: the server list '
                                        f'{self.servers} has 3 line(s) (indices 0 to 2)', shell)

    def test_bad_index(self):
        self.assert_refused({}, 'no index: neither JOB_COMPLETION_INDEX')
        for bad in ('-1', 'abc', '1.0', ' 1', '12345678901'):
            with self.subTest(index=bad):
                self.assert_refused({'AWS_BATCH_JOB_ARRAY_INDEX': bad},
                                    'AWS_BATCH_JOB_ARRAY_INDEX=')

    def test_bad_lists(self):
        os.unlink(self.servers)
        self.assert_refused({'JOB_COMPLETION_INDEX': '0'}, 'cannot read the server list')
        self.write_list('web01.qcow2\n   \ndb01.qcow2\n')
        self.assert_refused({'JOB_COMPLETION_INDEX': '1'}, 'line 2 (index 1) is empty')
        self.write_list('web01.qcow2\n/other/web01.qcow2 extra.raw\n')
        self.assert_refused({'JOB_COMPLETION_INDEX': '0'}, "2 lines name server 'web01'")
        for first in ('.qcow2', '*.qcow2', 'web$(id).qcow2', '../x/..'):
            with self.subTest(first=first):
                self.write_list(first + '\n')
                self.assert_refused({'JOB_COMPLETION_INDEX': '0'}, 'server name')


if __name__ == '__main__':
    unittest.main(argv=sys.argv[:1], verbosity=2)
