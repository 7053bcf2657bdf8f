#!/usr/bin/env python3
"""screen.py - check captured tcpstep screens against the model's full texts.

Usage: screen.py CORPUS SCREEN...

CORPUS is batch mode's output for the same keys: every text the screen can
show in part (step results, transcript lines, Explain paragraphs, the
guide's instructions). Each SCREEN is a capture-pane dump, its first line
"# after KEY". A screen line whose text is found in the corpus must either
end where the corpus paragraph ends, be continued by the next screen line,
or end with the marker of a deliberately shortened text ("... [KEY]",
with an ellipsis). Anything else was cut: in a word, or mid-sentence
with nothing saying where the rest is.

Besides: the legend ends with "? help  q quit", and the Received line
closes every quote it opens.

Times, ports, fds and other numbers differ from run to run; every run of
digits is masked as '#' on both sides, runs of spaces count as one.
"""
import re
import sys

MARK = re.compile(r'(\u2026|\.\.\.) \[[^\]]+\]$')
BOX = '\u2502\u250c\u2510\u2514\u2518\u2500|+'


def mask(s):
    s = re.sub(r'\d+', '#', s)
    return re.sub(r'\s+', ' ', s).strip()


def corpus_of(path):
    paras = []
    for line in open(path, encoding='utf-8', errors='replace'):
        line = line.rstrip('\n')
        m = re.match(r'> (\S) (\S+) (\S+): (.*)$', line)
        if m:
            k, pane, name, rest = m.groups()
            paras.append('%s %s %s: %s' % (k, pane, name, rest))
            if ': ' in rest:	# the TUI leaves out the brief
                paras.append('%s %s %s: %s' % (k, pane, name,
                                               rest.split(': ', 1)[1]))
            continue
        m = re.match(r'guide +lesson=\S+ (.*)$', line)
        if m:
            for part in m.group(1).split(' | ')[1:]:
                paras.append(part)
            paras.append(' '.join(m.group(1).split(' | ')[1:]))
            continue
        m = re.match(r'(explain|error|received|server-read) +(.*)$', line)
        if m:
            paras.append(m.group(2))
            continue
        paras.append(line)
    return [mask(p) for p in paras if p.strip()]


def row_text(line):
    """The text of a screen row without box sides."""
    return line.strip().strip(BOX).strip()


def continues(rest, nxt):
    """Whether the next screen row carries on with rest."""
    rest = rest.lstrip()
    if not nxt or not rest:
        return False
    n = min(len(nxt), len(rest), 24)
    return rest[:n] == nxt[:n]


def check(corpus, path):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    head, rows = lines[0], lines[1:]
    while rows and rows[-1] == '':
        rows.pop()
    bad = []
    # Skip the panes: from the first top border to its bottom border.
    first = next((i for i, r in enumerate(rows)
                  if r.startswith(('\u250c', '+-'))), None)
    last = None
    if first is not None:
        last = next((i for i in range(first + 1, len(rows))
                     if rows[i].startswith(('\u2514', '+-'))), None)
    texts = [mask(row_text(r)) for r in rows]
    for i, raw in enumerate(rows):
        if first is not None and last is not None and first <= i <= last:
            continue
        s = texts[i]
        if len(s) < 8 or raw.lstrip().startswith(('\u2500\u2500', '--')):
            continue
        if MARK.search(s):
            continue
        nxt = texts[i + 1] if i + 1 < len(rows) else ''
        found = ok = False
        why = ''
        for p in corpus:
            at = p.find(s)
            while at != -1:
                found = True
                rest = p[at + len(s):]
                if rest.strip() == '' or continues(rest, nxt):
                    ok = True
                    break
                why = 'model goes on: %r' % rest[:50]
                at = p.find(s, at + 1)
            if ok:
                break
        if found and not ok:
            bad.append('%s: row %d cut: %r; %s' % (head, i, raw.strip(),
                                                    why))
    legend = rows[-1].rstrip() if rows else ''
    if not legend.endswith('? help  q quit'):
        bad.append('%s: legend does not end with "? help  q quit": %r' %
                   (head, legend))
    for r in rows:
        if r.lstrip().startswith('Received:'):
            q = re.sub(r'\\.', '', r)
            if q.count('"') % 2 != 0:
                bad.append('%s: Received line leaves a quote open: %r' %
                           (head, r.strip()))
    return bad


def main():
    corpus = corpus_of(sys.argv[1])
    bad = []
    for path in sys.argv[2:]:
        bad += check(corpus, path)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
