#!/usr/bin/python3
"""Mistyped reports must never crash `liftcheck render`.

Takes real reports and makes every variant with one member swapped to each
other JSON type (null, boolean, number, string, array, object) or removed,
for every member path (objects in full, the first ARRAY_ITEMS items of each
array), then runs `liftcheck render VARIANT --output-dir DIR` (every format,
every volume view, the Dockerfiles) on each.  A variant fails when
liftcheck dies of a signal (exit >= 128), prints a sanitizer report, or
refuses it without saying why on stderr.

usage: mutate.py LIFTCHECK REPORT.json...
Environment: MUTATE_JOBS (parallel renders, default 2), MUTATE_KEEP=DIR
(keep failing variants there)."""
import concurrent.futures
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARRAY_ITEMS = 1          # items of each array mutated in depth (the first)
MAX_VARIANTS = 6000      # per report: a bound, not a sample
EXIT_CODES = {0, 1, 3, 4}    # ok, blockers, could not inspect (with a message), incomplete
SANITIZER = re.compile(rb'(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|'
                       rb'runtime error:|MemorySanitizer)')

ABSENT = object()
SWAPS = {
    'null': None,
    'boolean': True,
    'number': 42,
    'string': 'mutated',
    'array': ['mutated', {'mutated': 1}],
    'object': {'mutated': 'mutated'},
}


def type_of(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, (int, float)):
        return 'number'
    if isinstance(v, str):
        return 'string'
    if isinstance(v, list):
        return 'array'
    return 'object'


def paths(v, prefix=()):
    """Every member path, depth first; arrays contribute their first items."""
    if isinstance(v, dict):
        items = list(v.items())
    elif isinstance(v, list):
        items = list(enumerate(v[:ARRAY_ITEMS]))
    else:
        return
    for k, x in items:
        yield prefix + (k,), x
        yield from paths(x, prefix + (k,))


def variant(doc, path, new):
    d = copy.deepcopy(doc)
    parent = d
    for k in path[:-1]:
        parent = parent[k]
    if new is ABSENT:
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    else:
        parent[path[-1]] = copy.deepcopy(new)
    return d


def variants(doc):
    yield ('<root>', 'null'), None
    for path, old in paths(doc):
        name = '/'.join(str(k) for k in path)
        for t, v in SWAPS.items():
            if t != type_of(old):
                yield (name, t), variant(doc, path, v)
        yield (name, 'absent'), variant(doc, path, ABSENT)


def render(liftcheck, work, n, label, doc):
    src = os.path.join(work, f'v{n}.json')
    out = os.path.join(work, f'v{n}.out')
    with open(src, 'w') as f:
        json.dump(doc, f)
    p = subprocess.run([liftcheck, 'render', src, '--output-dir', out],
                       capture_output=True, timeout=120)
    why = None
    if p.returncode < 0 or p.returncode >= 128:
        why = f'died (exit {p.returncode})'
    elif SANITIZER.search(p.stderr):
        why = 'sanitizer report'
    elif p.returncode not in EXIT_CODES:
        why = f'unexpected exit {p.returncode}'
    elif p.returncode == 3 and not p.stderr.startswith(b'liftcheck: '):
        why = 'refused without a message'
    keep = os.environ.get('MUTATE_KEEP')
    if why and keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(src, os.path.join(keep, f'{label[0].replace("/", ".")}-{label[1]}.json'))
    os.unlink(src)
    shutil.rmtree(out, ignore_errors=True)
    if why:
        tail = p.stderr.decode('utf-8', 'replace').strip().splitlines()[-3:]
        return f'{label[0]} as {label[1]}: {why}: ' + ' | '.join(tail)
    return None


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    liftcheck, reports = sys.argv[1], sys.argv[2:]
    jobs = int(os.environ.get('MUTATE_JOBS', '2'))
    failures, total = [], 0
    with tempfile.TemporaryDirectory(prefix='lc-mutate-') as work, \
            concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for report in reports:
            with open(report) as f:
                doc = json.load(f)
            futures = []
            for n, (label, v) in enumerate(variants(doc)):
                if n >= MAX_VARIANTS:
                    failures.append(f'{report}: more than {MAX_VARIANTS} variants; raise the bound')
                    break
                futures.append(pool.submit(render, liftcheck, work, total + n, label, v))
            total += len(futures)
            for fut in futures:
                r = fut.result()
                if r:
                    failures.append(f'{os.path.basename(report)}: {r}')
                    print('FAIL', failures[-1], flush=True)
            print(f'{report}: {len(futures)} variants', flush=True)
    print(f'{total - len(failures)} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
