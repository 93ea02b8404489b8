#!/usr/bin/python3
"""liftcheck summary over real reports: six server trees are staged
(stage.sh), inspected with `liftcheck --root` into --output-dir
directories and -o files, and rolled up.  The expected roll-up is computed
here, independently, from those reports; the JSON summary is checked
against it and the schema, and the CSV, Markdown and HTML against the
JSON.  Then hostile and unreadable reports: each is listed with its
reason, the rest is still rolled up, exit code 3, guest strings escaped.
With --browser, the HTML summary of the hostile reports is opened in
headless Chromium (skips, exit 77, without it).
usage: test_summary.py LIFTCHECK STAGE_SH NITRO_FIXTURES APPS_STAGE_SH SCHEMA
                       REPORTS_DATA BROWSER_PY [--browser]"""
import csv
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rollup import Tables, expected_rollup, md_tables  # noqa: E402

ARGS = sys.argv[1:8]
BROWSER = '--browser' in sys.argv[8:]
LC, STAGE, FIXTURES, APPS_STAGE, SCHEMA, DATA, BROWSER_PY = ARGS
SERVERS = ['ready01', 'net01', 'web01', 'db01', 'old01', 'ena01']
SKIP = 77


def run(*args, check_rc=None):
    r = subprocess.run([LC, *args], capture_output=True, text=True)
    if check_rc is not None and r.returncode != check_rc:
        raise AssertionError(f'liftcheck {" ".join(args)}: exit {r.returncode}, '
                             f'wanted {check_rc}\n{r.stderr[-3000:]}')
    return r


def cmark_check(test, md):
    """Renders md as GitHub does (cmark-gfm with tables): no raw HTML, and
    every pipe table a table with all its rows."""
    cmark = shutil.which('cmark-gfm')
    if not cmark:
        return 'cmark-gfm is not installed (Debian package: cmark-gfm)'
    r = subprocess.run([cmark, '-e', 'table', '--validate-utf8'], input=md.encode(),
                       capture_output=True, timeout=60)
    test.assertEqual(r.returncode, 0, r.stderr)
    out = r.stdout.decode()
    test.assertNotIn('raw HTML omitted', out)
    tables = md_tables(md)
    test.assertEqual(out.count('<table>'), len(tables))
    test.assertEqual(out.count('<tr>'), sum(len(t) for t in tables))
    return None


class Summary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        t = cls.tmp.name
        subprocess.run(['bash', STAGE, FIXTURES, APPS_STAGE, os.path.join(t, 'trees')],
                       check=True, stdout=subprocess.DEVNULL)
        cls.reports, cls.more = os.path.join(t, 'reports'), os.path.join(t, 'more')
        os.makedirs(cls.reports)
        os.makedirs(cls.more)
        rcs = {}
        for name in SERVERS:
            tree = os.path.join(t, 'trees', name)
            if name in ('ready01', 'net01'):       # as --output-dir writes them
                out = ['--output-dir', os.path.join(cls.reports, name)]
                path = os.path.join(cls.reports, name, 'report.json')
            else:
                path = os.path.join(cls.reports if name in ('web01', 'db01') else cls.more,
                                    name + '.json')
                out = ['-o', path]
            rcs[name] = run('-q', '--root', tree, *out).returncode
            with open(path) as f:
                rcs[name] = (rcs[name], json.load(f))
        cls.rcs = rcs
        # The order summary lists them in: the directory's entries by name,
        # then the files as given.
        order = ['db01', 'net01', 'ready01', 'web01', 'old01', 'ena01']
        cls.args = [cls.reports, os.path.join(cls.more, 'old01.json'),
                    os.path.join(cls.more, 'ena01.json')]
        cls.expect = expected_rollup([(n, rcs[n][1]) for n in order])
        cls.out = os.path.join(t, 'summary')
        cls.summary_rc = run('summary', *cls.args, '--output-dir', cls.out).returncode
        with open(os.path.join(cls.out, 'summary.json')) as f:
            cls.doc = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, ext):
        with open(os.path.join(self.out, 'summary.' + ext), newline='') as f:
            return f.read()

    def test_staged_servers(self):
        verdicts = {n: self.rcs[n][1]['verdict']['nitro_boot'] for n in SERVERS}
        self.assertEqual(verdicts, {'ready01': 'ready', 'net01': 'fixable', 'web01': 'fixable',
                                    'db01': 'fixable', 'old01': 'blocked', 'ena01': 'blocked'})
        self.assertEqual(self.rcs['ready01'][0], 0)
        self.assertEqual(self.rcs['net01'][0], 1)

    def test_json_schema(self):
        import jsonschema
        with open(SCHEMA) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(self.doc, schema, cls=jsonschema.Draft202012Validator)

    def test_json_rollup(self):
        servers, findings, images = self.expect
        self.assertEqual(self.summary_rc, 1)    # blockers on five servers
        t = self.doc['totals']
        self.assertEqual((t['servers'], t['read'], t['unreadable'], t['failing']), (6, 6, 0, 5))
        self.assertEqual(t['verdicts'], {'ready': 1, 'fixable': 3, 'blocked': 2, 'unknown': 0,
                                         'not_applicable': 0})
        got = [{k: s[k] for k in servers[0]} for s in self.doc['servers']]
        self.assertEqual(got, servers)
        got = [{k: e[k] for k in findings[0]} for e in self.doc['findings']]
        self.assertEqual(got, findings)
        self.assertEqual(self.doc['base_images'], images)
        # The two fixes that alone unblock a server come first.
        top = {e['id']: e['servers_unblocked'] for e in self.doc['findings'][:2]}
        self.assertEqual(top, {'NET-NO-PRIMARY-CONFIG': 1, 'NITRO-ENA-MISSING': 1})
        net = next(e for e in self.doc['findings'] if e['id'] == 'NET-NO-PRIMARY-CONFIG')
        self.assertEqual((net['servers_hit'], net['servers_blocked']), (3, 3))
        self.assertEqual(sum(fx['servers'] for fx in net['fixes']), 3)
        self.assertTrue(net['fixes'][0]['remediation'])

    def test_csv(self):
        rows = list(csv.DictReader(io.StringIO(self.read('csv'))))
        self.assertEqual([r['server'] for r in rows], [s['name'] for s in self.doc['servers']])
        for r, s in zip(rows, self.doc['servers']):
            self.assertEqual(r['nitro_boot'], s['nitro_boot'])
            self.assertEqual(int(r['blockers']), s['blockers'])
            self.assertEqual(r['blocker_ids'], '; '.join(s['blocker_ids']))
            self.assertEqual(r['fails'], 'yes' if s['fails'] else 'no')
            self.assertEqual(r['applications'].count(': '), len(s['applications']))

    def test_markdown(self):
        text = self.read('md')
        self.assertTrue(text.startswith('**Wave: 6 servers: 1 ready, 3 fixable, 2 blocked'), text[:200])
        self.assertIn('5 fail --fail-on blocker', text.split('\n')[0])
        tables = md_tables(text)
        fixes = tables[0]
        self.assertEqual(fixes[0][:3], ['Finding', 'Severity', 'Unblocks (its only blocker)'])
        ids = [row[0].replace('\\', '') for row in fixes[1:]]
        self.assertEqual(ids, [e['id'] for e in self.doc['findings']])
        self.assertEqual([int(r[2]) for r in fixes[1:]],
                         [e['servers_unblocked'] for e in self.doc['findings']])
        servers = next(tb for tb in tables if tb[0][0] == 'Server')
        self.assertEqual([r[0] for r in servers[1:]], [s['name'] for s in self.doc['servers']])
        why = cmark_check(self, text)
        if why:
            print('cmark-gfm check skipped:', why)
        images = next(tb for tb in tables if tb[0][0] == 'Base image')
        self.assertEqual([(r[0], int(r[1])) for r in images[1:]],
                         [(i['image'], i['applications']) for i in self.doc['base_images']])

    def test_html(self):
        p = Tables()
        p.feed(self.read('html'))
        self.assertNotIn('script', p.tags)
        csp = [m for m in p.meta if m.get('http-equiv') == 'Content-Security-Policy']
        self.assertTrue(csp and "default-src 'none'" in csp[0]['content'])
        fixes = p.tables[0]
        self.assertEqual([r[0] for r in fixes[1:]], [e['id'] for e in self.doc['findings']])
        self.assertEqual([int(r[4]) for r in fixes[1:]],
                         [e['servers_hit'] for e in self.doc['findings']])
        servers = next(tb for tb in p.tables if tb[0][0] == 'Server')
        self.assertEqual([(r[0], r[3]) for r in servers[1:]],
                         [(s['name'], s['nitro_boot']) for s in self.doc['servers']])

    def test_single_format_and_gates(self):
        r = run('summary', *self.args, '--format', 'md', check_rc=1)
        self.assertEqual(r.stdout, self.read('md'))
        run('summary', *self.args, '--fail-on', 'never', check_rc=0)
        # A report named twice is one server.
        again = os.path.join(self.reports, 'net01', '..', 'net01', 'report.json')
        r = run('summary', *self.args, again, check_rc=1)
        self.assertEqual(json.loads(r.stdout)['totals']['servers'], len(SERVERS))
        ready = os.path.join(self.reports, 'ready01')
        run('summary', ready, check_rc=0)                        # warnings only
        r = run('summary', ready, '--fail-on', 'warning', '--format', 'csv', check_rc=1)
        self.assertEqual(len(list(csv.reader(io.StringIO(r.stdout)))), 2)
        r = run('summary', ready, '--format', 'junit')
        self.assertEqual(r.returncode, 2)
        self.assertIn('json, markdown, html, csv', r.stderr)
        self.assertEqual(run('summary').returncode, 2)

    def hostile_dir(self):
        d = os.path.join(self.tmp.name, 'hostile')
        if os.path.isdir(d):
            return d
        os.makedirs(d)
        good = self.rcs['net01'][1]

        def put(name, doc=None, text=None):
            with open(os.path.join(d, name), 'w') as f:
                f.write(text if text is not None else json.dumps(doc))

        def variant(**changes):
            v = json.loads(json.dumps(good))
            v.update(changes)
            return v

        put('future.json', variant(schema_version='2.0'))
        put('notjson.json', text='{"schema_version": "1.0",')
        put('empty.json', text='')
        put('notreport.json', {'a': 1})
        put('schemaint.json', variant(schema_version=1))
        put('findingsstr.json', variant(findings='x'))
        bad = variant()
        bad['findings'][0]['severity'] = 3
        put('severityint.json', bad)
        put('verdictstr.json', variant(verdict='ready'))
        put('appsobj.json', variant(applications={}))
        put('deep.json', text='[' * 5000 + ']' * 5000)
        put('wave.json', self.doc)      # a summary left among the reports
        # A later 1.x: a field and a verdict this liftcheck does not know.
        put('minor.json', variant(schema_version='1.9', new_section={'x': [1]},
                                  verdict={'nitro_boot': 'sideways', 'blockers': 1, 'warnings': 0}))
        # Guest strings that a spreadsheet, a Markdown viewer or a browser
        # would act on.
        evil = variant()
        evil['os']['hostname'] = '=HYPERLINK("http://x")'
        evil['findings'].append({'id': '-2+3<script>', 'severity': 'blocker', 'volume': None,
                                 'title': 'a\nb | c', 'evidence': [],
                                 'remediation': 'line1\n```\n</pre><script>x</script>,"q"'})
        put('=evil.json', evil)
        # The renderers' hostile report, less the applications whose types
        # are wrong (such a report is refused whole, as severityint.json).
        with open(os.path.join(DATA, 'hostile.json')) as f:
            h = json.load(f)
        h['applications'] = [a for a in h['applications']
                             if isinstance(a, dict) and isinstance(a.get('name'), str) and isinstance(a.get('decision'), str)
                             and isinstance(a.get('base_image'), (str, type(None)))]
        put('hostile.json', h)
        return d

    def test_hostile_reports(self):
        d = self.hostile_dir()
        out = os.path.join(self.tmp.name, 'hostile-summary')
        missing = os.path.join(self.tmp.name, 'no-such.json')
        empty_dir = os.path.join(self.tmp.name, 'empty-dir')
        os.makedirs(empty_dir, exist_ok=True)
        r = run('summary', *self.args, d, missing, empty_dir, '--output-dir', out)
        self.assertEqual(r.returncode, 3, r.stderr)
        with open(os.path.join(out, 'summary.json')) as f:
            doc = json.load(f)
        import jsonschema
        with open(SCHEMA) as f:
            jsonschema.validate(doc, json.load(f), cls=jsonschema.Draft202012Validator)
        errors = {s['name']: s['error'] for s in doc['servers'] if s['status'] != 'read'}
        want = {'future': '2.x is not supported', 'notjson': 'not JSON', 'empty': 'not JSON',
                'notreport': 'not a liftcheck report', 'schemaint': 'schema_version is not a string',
                'findingsstr': 'findings is not an array',
                'severityint': 'findings[0] has no severity string',
                'verdictstr': 'verdict.nitro_boot', 'appsobj': 'applications is not an array',
                'deep': 'not JSON', 'wave': 'a liftcheck summary', 'no-such': 'cannot open',
                empty_dir: 'no report'}
        self.assertEqual(set(errors), set(want))
        for name, phrase in want.items():
            self.assertIn(phrase, errors[name], name)
            self.assertIn(phrase.split('[')[0], r.stderr)
        # The good reports are still rolled up.
        read = [s['name'] for s in doc['servers'] if s['status'] == 'read']
        self.assertEqual(read, ['db01', 'net01', 'ready01', 'web01', 'old01', 'ena01', '=evil',
                                'hostile', 'minor'])
        minor = next(s for s in doc['servers'] if s['name'] == 'minor')
        self.assertEqual((minor['schema_version'], minor['nitro_boot'], minor['blocker_ids']),
                         ('1.9', 'unknown', ['NET-NO-PRIMARY-CONFIG']))
        self.assertEqual(doc['totals']['unreadable'], len(want))
        # CSV: one row per server whatever the strings hold; formulas stay text.
        with open(os.path.join(out, 'summary.csv'), newline='') as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), len(doc['servers']))
        evil = next(r for r in rows if r['server'] == "'=evil")
        self.assertEqual(evil['hostname'], "'" + '=HYPERLINK("http://x")')
        self.assertIn('-2+3<script>', evil['blocker_ids'])
        for row in rows:
            for v in row.values():
                self.assertFalse(v[:1] in ('=', '+', '-', '@'), v)
        # Markdown: no raw HTML outside code blocks, every table row whole.
        with open(os.path.join(out, 'summary.md')) as f:
            md = f.read()
        in_code, fence = False, 0
        for line in md.split('\n'):
            m = re.match(r'(`{3,})', line)
            if in_code:
                if m and len(m.group(1)) >= fence and not line.strip('`'):
                    in_code = False
                continue
            if m:
                in_code, fence = True, len(m.group(1))
                continue
            self.assertNotIn('<', line)
        for tb in md_tables(md):
            self.assertEqual({len(row) for row in tb}, {len(tb[0])}, tb[0])
        cmark_check(self, md)
        # HTML: no element a string could have made.
        p = Tables()
        with open(os.path.join(out, 'summary.html')) as f:
            p.feed(f.read())
        self.assertFalse(p.tags & {'script', 'img', 'a', 'iframe', 'svg', 'object'}, p.tags)
        self.assertFalse([a for a in p.attrs if a.startswith('on') or a in ('href', 'src')])

    def test_browser(self):
        if not BROWSER:
            self.skipTest('run with --browser')
        spec = importlib.util.spec_from_file_location('browser', BROWSER_PY)
        browser = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(browser)
        exe = browser.find_browser()
        if not exe:
            print('SKIP: chromium is not installed (Debian package: chromium)')
            sys.exit(SKIP)
        page = run('summary', *self.args, self.hostile_dir(), '--format', 'html').stdout
        dom = browser.dump_dom(exe, page.encode())
        parsed = browser.Tags()
        parsed.feed(dom)
        self.assertEqual(parsed.title.strip(), 'liftcheck: wave summary')
        self.assertEqual(browser.element_problems(parsed), [])
        self.assertIn('PWNED', dom)      # shown as text, never run


if __name__ == '__main__':
    unittest.main(argv=[sys.argv[0]] + (['Summary.test_browser'] if BROWSER else []),
                  verbosity=2)
