#!/usr/bin/env python3
"""formats.py - check --format brief and json against the text format.

Usage: formats.py json TEXT JSON [loose]
       formats.py brief TEXT BRIEF [loose]

TEXT is --batch's text output for some keys, JSON or BRIEF the output of
another run of the same keys with --format json or brief. Each JSON line
is parsed (the json module) and written back as the text format's lines,
field by field; brief lines are derived from the text's "> " lines and
pane counters. The two must agree.

The runs are two: times, ports and the process id differ, and are masked
before lines are compared. With "loose" (fill and drain, whose byte
counts differ, and the wire, whose timings do) every run of digits is
masked; the pane counters, which do not differ, are still compared
exactly, and a run of lines equal once masked counts as one (a drain's
recv calls).
Exits 1 with the first difference.
"""
import json
import re
import sys

NOTES = ['OnAccept', 'OnClose', 'OnConnect', 'OnOutOfBandData', 'OnReceive',
         'OnSend']
PANES = ['server', 'server-send', 'client']


LOOSE = False


def mask(s):
    if LOOSE:
        return re.sub(r'\d+', '#', s)
    s = re.sub(r'\d\d:\d\d:\d\d\.\d+', 'TIME', s)
    s = re.sub(r'(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]*\]):\d+', r'\1:PORT', s)
    return re.sub(r'F_SETOWN, \d+', 'F_SETOWN, PID', s)


def masked(lines):
    """The lines masked, with runs of equal masked lines as one: a drain's
    recv calls, one line each, are more or fewer from run to run."""
    out = []
    for x in map(mask, lines):
        if not out or out[-1] != x:
            out.append(x)
    return out


def blocks(path):
    """The text output cut at each '= end': a list of lists of lines."""
    out, cur = [], []
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line == '= end':
            out.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        sys.exit('text: output after the last "= end": %r' % cur[:3])
    return out


def counts(o):
    return ' '.join('%s=%d' % (n, o[n]) for n in NOTES) + \
        ' errno=%s' % o['errno']


def view(v):
    s = v['state']
    for k in ('local', 'peer'):
        if k in v:
            s += ' %s=%s' % (k, v[k])
    if 'queue' in v:
        s += ' queue=%d/%d' % (v['queue'], v['backlog'])
    elif 'inq' in v:
        s += ' inq=%d outq=%d' % (v['inq'], v['outq'])
    if 'ready' in v:
        s += ' ready=' + v['ready']
    return s


def hexcheck(escaped, hexed, where):
    """data_hex must be the bytes data shows (escape.c's escapes undone)."""
    raw = bytes.fromhex(hexed)
    shown = ''.join(chr(b) if 32 <= b < 127 and b != 92 else
                    {10: '\\n', 13: '\\r', 9: '\\t', 92: '\\\\'}.get(
                        b, '\\x%02x' % b) for b in raw)
    if shown != escaped:
        sys.exit('%s: hex %s is %r, data says %r' % (where, hexed, shown,
                                                      escaped))


def text_of(o, first):
    """The text format's lines for one JSON object."""
    t = ['> ' + o['line']]
    if 'errors' in o:
        return t + ['error        ' + e for e in o['errors']]
    t += ['  %s %s' % (l['time'], l['text']) for l in o['transcript']]
    t.append('= after ' + o['key'])
    for p in PANES:
        t.append('%-12s %s' % (p, counts(o['panes'][p])))
    for name in ('received', 'server-read'):
        r = o[name]
        if r is None:
            t.append('%-12s none' % name)
        elif 'drained' in r:
            t.append('%-12s drained %d byte%s' % (
                name, r['drained'], '' if r['drained'] == 1 else 's'))
        else:
            hexcheck(r['data'], r['data_hex'], name)
            t.append('%-12s %d byte%s "%s"' % (
                name, r['bytes'], '' if r['bytes'] == 1 else 's', r['data']))
    for p in PANES:
        t.append('kernel       %-11s %s' % (p, view(o['kernel'][p])))
    for r in o['rows']:
        s = 'row          %s#%d %s %s %s bytes=%d' % (
            r['pane'], r['id'], '*' if r['selected'] else '-', counts(r),
            view(r['kernel']), r['bytes'])
        if 'read' in r:
            hexcheck(r['read'], r['read_hex'], 'row read')
            s += ' read="%s"' % r['read']
        if 'name' in r:
            s += ' name=%s' % r['name']
        t.append(s)
    if 'resolver' in o:
        t.append('resolver     ' + o['resolver'])
    t += ['explain      ' + p for p in o['explain']]
    g = o['guide']
    if g is not None and g['done']:
        t.append('guide        lesson=%d done | %s' % (g['lesson'], g['msg']))
    elif g is not None:
        t.append('guide        lesson=%d %s next=%s | %s | %s' % (
            g['lesson'], g['progress'], g['next'], g['say'], g['msg']))
    if 'wire_none' in o:
        if not first:
            sys.exit('json: wire_none after the first object')
        t.append('%-12s none: %s' % ('wire', o['wire_none']))
    if 'wire_capture' in o:
        if not first:
            sys.exit('json: wire_capture after the first object')
        t.append('%-12s capture on %s' % ('wire', o['wire_capture']))
    for w in o.get('wire', []):
        if 'summed' in w:
            t.append('%-12s %s' % ('wire', w['text']))
            continue
        t.append('%-12s after=%s +%d.%03dms conn=%d %s %s %s%s' % (
            'wire', w['after'].replace(' ', ':'), w['usec'] // 1000,
            w['usec'] % 1000, w['conn'], w['direction'], w['text'],
            w['mark'], ' note=' + w['note'] if 'note' in w else ''))
    return t


def pane_counts(block):
    """{pane: {note: n}} from a text block's pane lines."""
    out = {}
    for line in block:
        f = line.split()
        if f and f[0] in PANES and len(f) == 8:
            out[f[0]] = dict(x.split('=') for x in f[1:7])
    return out


def check_json(text, jpath):
    tb = blocks(text)
    objs = [json.loads(l) for l in open(jpath, encoding='utf-8')]
    if len(objs) != len(tb):
        sys.exit('%d JSON objects for %d text snapshots' % (len(objs),
                                                           len(tb)))
    for i, (o, b) in enumerate(zip(objs, tb)):
        got = text_of(o, i == 0)
        mg, mb = masked(got), masked(b)
        if mg != mb:
            for a, c in zip(mg + ['(end)'] * len(mb), mb + ['(end)'] * len(mg)):
                if a != c:
                    sys.exit('object %d (key %s):\n json: %s\n text: %s' % (
                        i + 1, o['key'], a, c))
        if 'panes' in o:
            want = pane_counts(b)
            for p in PANES:
                for n in NOTES:
                    if str(o['panes'][p][n]) != want[p][n]:
                        sys.exit('key %s: %s %s json %d, text %s' % (
                            o['key'], p, n, o['panes'][p][n], want[p][n]))
    print('%d objects agree with the text' % len(objs))


def check_brief(text, bpath):
    tb = blocks(text)
    lines = [l.rstrip('\n') for l in open(bpath, encoding='utf-8')]
    if len(lines) != len(tb):
        sys.exit('%d brief lines for %d text snapshots' % (len(lines),
                                                          len(tb)))
    before = {p: {n: '0' for n in NOTES} for p in PANES}
    for line, b in zip(lines, tb):
        head = b[0][2:]
        m = re.match(r'(\S+ (Server|Server-Send|Client) \S+: [^:]*)(: |$)',
                     head)
        own = None
        if m:
            head = m.group(1)
            own = {'Server': 'server', 'Server-Send': 'server-send',
                   'Client': 'client'}[m.group(2)]
        now = pane_counts(b) or before
        want = [head]
        for p in ([own] if own else []) + [q for q in PANES if q != own]:
            moved = ['%s%+d' % (n, int(now[p][n]) - int(before[p][n]))
                     for n in NOTES if now[p][n] != before[p][n]]
            if moved:
                want.append(p + ' ' + ' '.join(moved))
        want = ' | '.join(want)
        if mask(want) != mask(line) or \
                want.split(' | ')[1:] != line.split(' | ')[1:]:
            sys.exit('brief: %s\n text says: %s' % (line, want))
        before = now
    print('%d brief lines agree with the text' % len(lines))


if __name__ == '__main__':
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ('json', 'brief'):
        sys.exit(__doc__)
    LOOSE = sys.argv[4:] == ['loose']
    (check_json if sys.argv[1] == 'json' else check_brief)(sys.argv[2],
                                                          sys.argv[3])
