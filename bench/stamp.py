#!/usr/bin/env python3
"""stamp.py - record a tmux pane's output with the time each piece arrived.

    tmux pipe-pane -o 'python3 bench/stamp.py PREFIX'

The bytes go to PREFIX.raw; PREFIX.idx gets one line per read,
"MONOTONIC_SECONDS END_OFFSET", so the benchmark can tell when each byte
reached the terminal (time.monotonic is CLOCK_MONOTONIC, the same clock in
every process of the machine).
"""
import os
import sys
import time

prefix = sys.argv[1]
end = 0
with open(prefix + ".raw", "ab", buffering=0) as raw, \
        open(prefix + ".idx", "a", buffering=1) as idx:
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            break
        now = time.monotonic()
        raw.write(chunk)
        end += len(chunk)
        idx.write("%.6f %d\n" % (now, end))
