#!/usr/bin/env python3
"""Compares two folders of formatted queries (ours, Microsoft's) file by file.

    python3 crates/kql-fmt/scripts/compare.py OURS_DIR MS_DIR [--show KIND]

Files are compared after removing trailing whitespace of each line and blank lines at the end.
A file that differs is counted once in the first matching kind:
  layout     the two differ in where lines break or how deep they are indented;
  spacing    same lines, different spaces inside a line.
Each differing line pair is also classified by what differs (see `line_kinds`), so one file can
count under several line kinds.
"""
import os, re, sys
from collections import Counter

def norm(text):
    lines = [l.rstrip() for l in text.replace('\r\n', '\n').split('\n')]
    while lines and not lines[-1]:
        lines.pop()
    return lines

def squash(s):
    return re.sub(r'\s+', '', s)

LINE_KINDS = [
    ('`x = y` in operator parameters (kind=, hint.*=, with_itemindex=...)',
     lambda a, b: re.sub(r'\b([\w.]+)=(\S)', r'\1 = \2', a) == b),
    ('`a:string` vs `a: string` in schemas and parameters',
     lambda a, b: re.sub(r'(\w):(\s*)(\(|\w)', r'\1: \3', a) == b),
    ('`datatable(`/`externaldata(` vs a space before the parenthesis',
     lambda a, b: re.sub(r'\b(datatable|externaldata)\(', r'\1 (', a) == b),
    ('`in (`, `has_any (`: space before a list',
     lambda a, b: squash(a) == squash(b) and re.sub(r' \(', '(', a) == re.sub(r' \(', '(', b)),
    ('comment spacing (` // c` after code)',
     lambda a, b: re.sub(r'\s*//', '//', a) == re.sub(r'\s*//', '//', b)),
    ('`count()by` kept as written by Kusto', lambda a, b: re.sub(r'\)by\b', ') by', b) == a),
    ('other spacing inside a line', lambda a, b: squash(a) == squash(b)),
]

def main():
    ours_dir, ms_dir = sys.argv[1], sys.argv[2]
    show = sys.argv[sys.argv.index('--show') + 1] if '--show' in sys.argv else None
    files = kinds = 0
    counts = Counter()
    line_counts = Counter()
    identical = 0
    for root, _, names in os.walk(ours_dir):
        for n in sorted(names):
            if not n.endswith('.kql'):
                continue
            p = os.path.join(root, n)
            q = os.path.join(ms_dir, os.path.relpath(p, ours_dir))
            if not os.path.exists(q):
                continue
            files += 1
            a, b = norm(open(p, encoding='utf-8').read()), norm(open(q, encoding='utf-8').read())
            if a == b:
                identical += 1
                continue
            kind = 'spacing' if len(a) == len(b) else 'layout'
            counts[kind] += 1
            seen = set()
            if kind == 'spacing':
                for x, y in zip(a, b):
                    if x != y:
                        k = next((k for k, f in LINE_KINDS if f(x.strip(), y.strip())), 'other')
                        if k not in seen:
                            seen.add(k); line_counts[k] += 1
                        if show and show in k:
                            print(f'{p}\n  ours: {x}\n  MS:   {y}')
            else:
                # Kusto's formatter does not wrap: a code line over 100 columns in its output is
                # one we wrap.
                long = any(len(l) > 100 and not l.lstrip().startswith('//') for l in b)
                line_counts['layout: Kusto leaves a code line over 100 columns' if long
                            else 'layout: other line breaks (subquery brackets, `with`, braces, ...)'] += 1
                if show == 'layout':
                    print(p)
    print(f'files compared: {files}')
    print(f'identical (after trailing whitespace): {identical}')
    for k, c in counts.most_common():
        print(f'differ in {k}: {c}')
    print('by kind of difference (a file with the same line structure may count twice):')
    for k, c in line_counts.most_common():
        print(f'  {c:5}  {k}')

main()
