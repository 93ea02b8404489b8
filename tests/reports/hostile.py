#!/usr/bin/python3
"""Renders every report in the data directory, hostile.json above all, and
checks what escaping must guarantee whatever the guest wrote:
  Markdown: every table row has its header's column count, code fences
    close where they should, no raw HTML (no '<' outside code blocks);
  HTML: parses, only the tags the renderer writes, no script, no event
    handler or URL attribute, the CSP meta tag is there;
  JUnit: parses as XML, testsuite counts match their testcases;
  all: valid UTF-8, no control characters but newline and tab.
usage: hostile.py LC_RENDER DATA_DIR"""
import glob
import html.parser
import os
import re
import subprocess
import sys
import xml.dom.minidom

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def render(tool, fmt, path):
    out = subprocess.run([tool, fmt, path], check=True, capture_output=True).stdout
    text = out.decode('utf-8')          # raises on invalid UTF-8
    bad = [c for c in text if (ord(c) < 0x20 and c not in '\n\t') or 0x7f <= ord(c) <= 0x9f]
    check(not bad, f'{fmt} {path}: control characters {bad[:5]!r}')
    return text


def check_markdown(name, text):
    lines = text.split('\n')
    check(lines[0].startswith('**Nitro boot: '), f'{name}: first line is not the verdict')
    in_code, fence, header_cols, code_blocks = False, 0, None, 0
    for no, line in enumerate(lines, 1):
        where = f'{name}.md:{no}'
        if in_code:
            m = re.fullmatch(r'(`{3,})\s*', line)
            if m and len(m.group(1)) >= fence:
                in_code = False
            continue
        m = re.match(r'(`{3,})(.*)', line)
        if m:
            check('`' not in m.group(2), f'{where}: backtick in info string')
            in_code, fence = True, len(m.group(1))
            code_blocks += 1
            continue
        check('<' not in line, f'{where}: raw "<" outside a code block')
        check('](' not in line.replace('\\](', ''), f'{where}: a link could form')
        if line.startswith('- '):
            check(not re.match(r'- (\s|[-+*=]|\d+[.)])', line), f'{where}: list item starts a block')
        if line.startswith('|'):
            cols = line.count('|') - 1
            check(line.endswith('|'), f'{where}: table row does not end with |')
            if header_cols is None:
                header_cols = cols
            else:
                check(cols == header_cols, f'{where}: {cols} columns, header has {header_cols}')
        else:
            header_cols = None
    check(not in_code, f'{name}.md: a code block is never closed')
    check(code_blocks == text.count('\nRemediation:\n\n`'), f'{name}.md: code blocks and remediations differ')
    check('<script' not in text.lower().replace('&lt;script', ''), f'{name}.md: raw <script')


ALLOWED = {'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'section',
           'article', 'h1', 'h2', 'h3', 'p', 'strong', 'code', 'pre', 'ul', 'li', 'table', 'thead',
           'tbody', 'tr', 'th', 'td', 'details', 'summary'}


class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.bad, self.csp, self.stack = [], [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ALLOWED:
            self.bad.append(f'tag <{tag}>')
        for k, v in attrs:
            if k.startswith('on') or k in ('href', 'src', 'action', 'formaction', 'srcdoc', 'xlink:href'):
                self.bad.append(f'attribute {k}={v!r} on <{tag}>')
            if k == 'class' and not re.fullmatch(r'[a-z -]+', v or ''):
                self.bad.append(f'class {v!r}')
        if tag == 'meta' and dict(attrs).get('http-equiv') == 'Content-Security-Policy':
            self.csp = dict(attrs).get('content')
        if tag not in ('meta',):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.bad.append(f'</{tag}> closes <{self.stack[-1] if self.stack else None}>')
        else:
            self.stack.pop()


def check_html(name, text):
    p = Html()
    p.feed(text)
    p.close()
    check(not p.bad, f'{name}.html: {p.bad[:5]}')
    check(not p.stack, f'{name}.html: unclosed {p.stack}')
    check('script' not in p.tags, f'{name}.html: a <script> element')
    check(p.csp is not None and "default-src 'none'" in p.csp, f'{name}.html: no strict CSP')
    check(text.startswith('<!DOCTYPE html>'), f'{name}.html: no doctype')


def check_junit(name, text):
    try:
        dom = xml.dom.minidom.parseString(text.encode('utf-8'))
    except Exception as e:   # noqa: BLE001 - any parse error fails the test
        check(False, f'{name}.xml does not parse: {e}')
        return
    suites = dom.getElementsByTagName('testsuite')
    check([s.getAttribute('name') for s in suites] ==
          ['liftcheck.' + a for a in ('core', 'nitro', 'network', 'elf', 'applications')],
          f'{name}.xml: testsuites')
    total = 0
    for s in suites:
        cases = s.getElementsByTagName('testcase')
        total += len(cases)
        check(int(s.getAttribute('tests')) == len(cases), f'{name}.xml: tests count of {s.getAttribute("name")}')
        nfail = sum(len(c.getElementsByTagName('failure')) for c in cases)
        check(int(s.getAttribute('failures')) == nfail, f'{name}.xml: failures of {s.getAttribute("name")}')
    check(int(dom.documentElement.getAttribute('tests')) == total, f'{name}.xml: total tests')


def main():
    tool, data = sys.argv[1], sys.argv[2]
    paths = sorted(glob.glob(os.path.join(data, '*.json')))
    check(any(p.endswith('hostile.json') for p in paths), 'hostile.json is missing')
    for path in paths:
        name = os.path.basename(path)[:-5]
        check_markdown(name, render(tool, 'markdown', path))
        check_html(name, render(tool, 'html', path))
        check_junit(name, render(tool, 'junit', path))
    for f in failures:
        print('FAIL:', f)
    print(f'{len(paths)} reports, {len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
