#!/usr/bin/env python3
"""peer.py - peers for tcpstep's role tests, written with Python's socket
module so that tcpstep meets code it did not write.

  peer.py clients HOST PORT N [CLOSE_AFTER S M]
      connect N sockets, print "connected N", then wait (10 s at most) until
      every socket got data or end of stream and print "data D eof E".
      With CLOSE_AFTER S M: close the first M sockets after S seconds.
  peer.py oob HOST PORT
      connect, send "x", then one urgent byte "!" with MSG_OOB; hold 5 s.
  peer.py send HOST PORT HEX [HOLD]
      connect, send the bytes given in hex, hold the connection HOLD s (30).
  peer.py flood HOST PORT MEGABYTES SECONDS
      send that much as fast as the peer takes it, for at most SECONDS;
      print "sent N".
  peer.py drip HOST PORT N
      send N one-byte writes (TCP_NODELAY); print "sent N"; hold 30 s.
  peer.py urgent HOST PORT N
      send N urgent bytes (MSG_OOB), 2 ms apart; hold 30 s.
  peer.py reset HOST PORT
      send 1000 bytes, then close with SO_LINGER 0: RST mid-stream.
  peer.py hangup TCPSTEP PORT
      run TCPSTEP -s -p PORT under a pty of its own, press 1 2, flood it,
      press 5 a, then close the pty as a dropped SSH connection does; print
      "exited after N ms, status S".
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


def send(host, port, hexbytes, hold=30):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(bytes.fromhex(hexbytes))
    print("sent", flush=True)
    time.sleep(float(hold))


def flood(host, port, megabytes, seconds):
    s = socket.create_connection((host, port), timeout=1)
    chunk = b"x" * 65536
    total, end = 0, time.time() + float(seconds)
    while total < int(megabytes) << 20 and time.time() < end:
        try:
            total += s.send(chunk)
        except socket.timeout:
            continue
        except OSError:
            break
    print("sent", total, flush=True)
    time.sleep(1)


def drip(host, port, n):
    s = socket.create_connection((host, port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(int(n)):
        s.send(b".")
    print("sent", n, flush=True)
    time.sleep(30)


def urgent(host, port, n):
    s = socket.create_connection((host, port), timeout=10)
    for _ in range(int(n)):
        s.send(b"!", socket.MSG_OOB)
        time.sleep(0.002)
    print("sent", n, flush=True)
    time.sleep(30)


def reset(host, port):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(b"r" * 1000)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    print("reset", flush=True)


def hangup(tcpstep, port):
    import os
    import pty
    import threading
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execv(tcpstep, [tcpstep, "-s", "-p", port])
    stop = []

    def drain():            # read the screen, as a terminal would
        while not stop:
            try:
                r, _, _ = select.select([fd], [], [], 0.1)
                if r:
                    os.read(fd, 65536)
            except OSError:
                return
    threading.Thread(target=drain, daemon=True).start()
    time.sleep(0.5)
    os.write(fd, b"12")
    time.sleep(0.3)
    threading.Thread(target=flood, args=("127.0.0.1", int(port), 100, 20),
                     daemon=True).start()
    time.sleep(0.5)
    os.write(fd, b"5a")
    time.sleep(1)
    stop.append(1)
    start = time.time()
    os.close(fd)            # the master side goes: SIGHUP, then EIO
    for _ in range(500):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        print("still running", flush=True)
        os.kill(pid, 9)
        return
    print("exited after %d ms, status %d" % ((time.time() - start) * 1000,
          os.waitstatus_to_exitcode(status)), flush=True)


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
    elif cmd == "hangup":
        hangup(sys.argv[2], sys.argv[3])
    elif cmd in ("send", "flood", "drip", "urgent", "reset"):
        a = sys.argv[2:]
        globals()[cmd](a[0], int(a[1]), *a[2:])
    elif cmd == "dns":
        dns(*sys.argv[2:])
    else:
        sys.exit(__doc__)
