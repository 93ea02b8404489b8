#!/usr/bin/python3
"""Opens the HTML report of hostile.json in headless Chromium and checks
that no script ran: the hostile strings set document.title to PWNED and
add elements if they ever execute.  Skips (exit 77) without chromium; on
Debian: apt-get install chromium.
usage: browser.py LC_RENDER DATA_DIR"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


class Tags(html.parser.HTMLParser):
    """Real elements and attributes of the DOM, not text that looks like them."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.title, self._in_title = set(), set(), '', False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(k for k, _ in attrs)
        self._in_title = tag == 'title'

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, d):
        if self._in_title:
            self.title += d


def find_browser():
    return next((shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome')
                 if shutil.which(b)), None)


def dump_dom(browser, html):
    """The DOM headless Chromium builds from the page html (bytes), or
    raises RuntimeError with why it could not."""
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, 'report.html')
        with open(page, 'wb') as f:
            f.write(html)
        profile = os.path.join(tmp, 'profile')
        try:
            r = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu',
                                '--disable-background-networking', '--disable-component-update',
                                '--disable-sync', '--no-first-run', '--disable-extensions',
                                '--user-data-dir=' + profile, '--virtual-time-budget=3000',
                                '--dump-dom', 'file://' + page],
                               capture_output=True, timeout=90)
        except subprocess.TimeoutExpired:
            raise RuntimeError('chromium did not finish in 90 s')
    dom = r.stdout.decode('utf-8', 'replace')
    if r.returncode != 0 or '<html' not in dom:
        raise RuntimeError(f'chromium exited {r.returncode}: {r.stderr.decode(errors="replace")[-2000:]}')
    return dom


def element_problems(parsed):
    """Elements and attributes that a script, a load or a link could use."""
    problems = []
    for tag in ('script', 'img', 'iframe', 'object', 'embed', 'svg', 'a', 'link', 'base', 'form'):
        if tag in parsed.tags:
            problems.append(f'the DOM holds a <{tag}> element')
    handlers = [a for a in parsed.attrs if a.startswith('on') or a in ('href', 'src', 'srcdoc')]
    if handlers:
        problems.append(f'the DOM holds attributes {handlers}')
    return problems


def main():
    tool, data = sys.argv[1], sys.argv[2]
    browser = find_browser()
    if not browser:
        print('SKIP: chromium is not installed (Debian package: chromium)')
        return SKIP
    html = subprocess.run([tool, 'html', os.path.join(data, 'hostile.json')], check=True,
                          capture_output=True).stdout
    try:
        dom = dump_dom(browser, html)
    except RuntimeError as e:
        print('FAIL:', e)
        return 1
    parsed = Tags()
    parsed.feed(dom)
    problems = []
    # The hostile hostname is in the title as text; a script would replace it.
    if parsed.title.strip() == 'PWNED' or not parsed.title.startswith('liftcheck: '):
        problems.append(f'a script changed the title to {parsed.title[:80]!r}')
    if 'PWNED' not in parsed.title:
        problems.append('the hostile hostname is not shown as text in the title')
    problems += element_problems(parsed)
    for p in problems:
        print('FAIL:', p)
    print(f'chromium {"found problems" if problems else "ran no script"} ({len(dom)} bytes of DOM)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
