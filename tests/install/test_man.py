#!/usr/bin/python3
"""liftcheck(1) and --help say the same: the same options (the man page's
OPTIONS section, --help's option lines), the same commands in the
synopsis, the same exit codes, the same summary formats.
usage: test_man.py LIFTCHECK MAN_SOURCE"""
import re
import subprocess
import sys
import unittest

LC, MAN = sys.argv[1:3]


def unroff(s):
    """Text of a roff line: font escapes and \\- gone."""
    return re.sub(r'\\f[BIRP]', '', s).replace('\\-', '-').replace('\\(aq', "'")


def man_sections():
    sections, cur = {}, None
    with open(MAN) as f:
        for line in f:
            if line.startswith('.SH '):
                cur = line[4:].strip().strip('"')
                sections[cur] = []
            elif cur:
                sections[cur].append(line.rstrip('\n'))
    return sections


def options(text):
    return set(re.findall(r'(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])', text))


class ManPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        r = subprocess.run([LC, '--help'], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.help = r.stdout
        cls.man = man_sections()

    def help_options(self):
        # Option lines: two spaces, then "-x, --long" or "--long".
        lines = [ln for ln in self.help.split('\n') if re.match(r'  -', ln)]
        return options('\n'.join(re.split(r'\s{2,}', ln.strip())[0] for ln in lines))

    def man_options(self):
        # The lines after each .TP in OPTIONS are the options described.
        body = self.man['OPTIONS']
        heads = [unroff(body[i + 1]) for i, ln in enumerate(body) if ln == '.TP']
        return options('\n'.join(heads))

    def test_same_options(self):
        h, m = self.help_options(), self.man_options()
        self.assertGreater(len(h), 15)
        self.assertEqual(sorted(h - m), [], 'in --help, not in liftcheck(1)')
        self.assertEqual(sorted(m - h), [], 'in liftcheck(1), not in --help')

    def test_same_commands(self):
        usage = [ln for ln in self.help.split('\n') if 'liftcheck ' in ln and
                 (ln.startswith('Usage:') or ln.startswith('       '))]
        synopsis = ' '.join(unroff(ln) for ln in self.man['SYNOPSIS'])
        for cmd in ('render', 'summary'):
            self.assertTrue(any('liftcheck ' + cmd in ln for ln in usage), cmd)
            self.assertIn('liftcheck ' + cmd, synopsis)
        self.assertEqual(len(usage), synopsis.count('.B liftcheck'))

    def test_same_exit_codes(self):
        part = self.help.split('Exit codes:')[1]
        h = set(re.findall(r'^  (\d+)(?:/(\d+))?', part, re.M))
        h = {c for pair in h for c in pair if c}
        m = set()
        body = self.man['EXIT STATUS']
        for i, ln in enumerate(body):
            if ln == '.TP':
                m.update(re.findall(r'\d+', body[i + 1]))
        self.assertEqual(h, m)

    def test_summary_formats(self):
        fmt = unroff(' '.join(self.man['OPTIONS']))
        for name in ('json', 'markdown', 'html', 'junit', 'csv'):
            self.assertIn(name, self.help)
            self.assertIn(name, fmt)


if __name__ == '__main__':
    unittest.main(argv=[sys.argv[0]], verbosity=2)
