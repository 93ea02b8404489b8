"""The roll-up `liftcheck summary` should give, computed from the reports
without liftcheck's code, and readers of its HTML and Markdown tables;
shared by the summary suite and the container test."""
import html.parser
import re


def expected_rollup(reports):
    """The roll-up, computed from the reports without liftcheck's code."""
    per_id, images, servers = {}, {}, []
    for name, rep in reports:
        fs = [f for f in rep['findings'] if f['severity'] in ('blocker', 'warning')]
        blockers = sorted({f['id'] for f in fs if f['severity'] == 'blocker'})
        servers.append({'name': name, 'nitro_boot': rep['verdict']['nitro_boot'],
                        'blockers': sum(f['severity'] == 'blocker' for f in fs),
                        'warnings': sum(f['severity'] == 'warning' for f in fs),
                        'blocker_ids': blockers,
                        'warning_ids': sorted({f['id'] for f in fs if f['severity'] == 'warning'}),
                        'applications': [{'name': a['name'], 'decision': a['decision'],
                                          'base_image': a['base_image']}
                                         for a in rep.get('applications') or []]})
        for fid in sorted({f['id'] for f in fs}):
            e = per_id.setdefault(fid, {'id': fid, 'servers_hit': 0, 'servers_blocked': 0,
                                        'servers_unblocked': 0, 'servers': []})
            e['servers_hit'] += 1
            e['servers'].append(name)
            if fid in blockers:
                e['servers_blocked'] += 1
                e['servers_unblocked'] += blockers == [fid]
        seen = set()
        for a in rep.get('applications') or []:
            if a['base_image']:
                i = images.setdefault(a['base_image'], {'image': a['base_image'],
                                                        'applications': 0, 'servers': 0})
                i['applications'] += 1
                if a['base_image'] not in seen:
                    i['servers'] += 1
                    seen.add(a['base_image'])
    findings = sorted(per_id.values(), key=lambda e: (-e['servers_unblocked'],
                      -e['servers_blocked'], -e['servers_hit'], e['id']))
    return servers, findings, sorted(images.values(), key=lambda i: (-i['applications'], i['image']))


class Tables(html.parser.HTMLParser):
    """Every table of a page as rows of cell texts."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.tags, self.attrs, self.meta = [], set(), set(), []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(k for k, _ in attrs)
        if tag == 'meta':
            self.meta.append(dict(attrs))
        if tag == 'table':
            self.tables.append([])
        elif tag == 'tr':
            self.tables[-1].append([])
        elif tag in ('td', 'th'):
            self._cell = ''

    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self._cell is not None:
            self.tables[-1][-1].append(self._cell)
            self._cell = None

    def handle_data(self, d):
        if self._cell is not None:
            self._cell += d


def md_tables(text):
    """Markdown tables as rows of cells (header first, the rule left out)."""
    tables, cur, fence = [], None, 0
    for line in text.split('\n'):
        m = re.match(r'(`{3,})', line)
        if fence:                       # inside a fenced code block
            if m and len(m.group(1)) >= fence and not line.strip('`'):
                fence = 0
            continue
        if m:
            fence, cur = len(m.group(1)), None
            continue
        if line.startswith('|'):
            if cur is None:
                cur = []
                tables.append(cur)
            if not re.fullmatch(r'\|( --- \|)+', line):
                cur.append([c.strip() for c in re.split(r'(?<!\\)\|', line)[1:-1]])
        else:
            cur = None
    return tables
