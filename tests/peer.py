#!/usr/bin/env python3
"""peer.py - peers for tcpstep's role tests, written with Python's socket
module so that tcpstep meets code it did not write.

  peer.py clients HOST PORT N [CLOSE_AFTER S M]
      connect N sockets, print "connected N", then wait (10 s at most) until
      every socket got data or end of stream and print "data D eof E".
      With CLOSE_AFTER S M: close the first M sockets after S seconds.
  peer.py oob HOST PORT
      connect, send "x", then one urgent byte "!" with MSG_OOB; hold 5 s.
  peer.py dns nx|silent [ADDR]
      a name server on ADDR (127.0.0.1) port 53: "nx" answers every query
      NXDOMAIN except lab.test (A 127.0.0.1); "silent" never answers.
"""
import select
import socket
import struct
import sys
import time


def clients(host, port, n, close_after=None, close_m=0):
    socks = {}
    for i in range(n):
        socks[i] = socket.create_connection((host, port), timeout=10)
    print("connected", len(socks), flush=True)
    got = {}            # index -> "data" or "eof", for the open sockets
    start = time.time()
    closed = close_after is None
    while time.time() - start < 10:
        if not closed and time.time() - start >= close_after:
            for i in range(close_m):
                socks.pop(i).close()
                got.pop(i, None)
            closed = True
            print("closed", close_m, flush=True)
        waiting = {s: i for i, s in socks.items() if i not in got}
        if closed and not waiting:
            break
        r, _, _ = select.select(list(waiting), [], [], 0.1)
        for s in r:
            try:
                b = s.recv(4096)
            except ConnectionResetError:
                b = b""
            got[waiting[s]] = "data" if b else "eof"
    data = sum(1 for v in got.values() if v == "data")
    eof = sum(1 for v in got.values() if v == "eof")
    print("data", data, "eof", eof, flush=True)
    time.sleep(5)     # still connected while the test looks at the server


def oob(host, port):
    s = socket.create_connection((host, port), timeout=10)
    s.send(b"x")
    time.sleep(0.3)
    s.send(b"!", socket.MSG_OOB)
    print("sent", flush=True)
    time.sleep(5)


def dns(mode, addr="127.0.0.1"):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, 53))
    print("listening", flush=True)
    while True:
        q, peer = u.recvfrom(512)
        if mode == "silent" or len(q) < 12:
            continue
        qid, = struct.unpack("!H", q[:2])
        # The question: labels up to a zero byte, then type and class.
        end = q.index(b"\0", 12) + 5
        labels, i = [], 12
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        qtype, = struct.unpack("!H", q[end - 4:end - 2])
        name = ".".join(labels).lower()
        if name == "lab.test" and qtype == 1:
            answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + \
                socket.inet_aton("127.0.0.1")
            head = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
            u.sendto(head + q[12:end] + answer, peer)
        elif name == "lab.test":
            head = struct.pack("!HHHHHH", qid, 0x8180, 1, 0, 0, 0)
            u.sendto(head + q[12:end], peer)
        else:
            head = struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0)
            u.sendto(head + q[12:end], peer)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "clients":
        a = sys.argv[2:]
        if len(a) == 6 and a[3] == "CLOSE_AFTER":
            clients(a[0], int(a[1]), int(a[2]), float(a[4]), int(a[5]))
        else:
            clients(a[0], int(a[1]), int(a[2]))
    elif cmd == "oob":
        oob(sys.argv[2], int(sys.argv[3]))
    elif cmd == "dns":
        dns(*sys.argv[2:])
    else:
        sys.exit(__doc__)
