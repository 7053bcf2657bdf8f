#!/usr/bin/env python3
"""run.py - tcpstep's benchmark: the seven figures of bench/README.

    make bench            (or: python3 bench/run.py [FIGURE...])

Each figure is printed with the commands that produced it and, where there
is one, the reference program measured the same way in the same run, so
the ratios hold on a noisy shared machine even when the absolute numbers
move. Nothing here is a test: no figure makes the run fail.
"""
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TCPSTEP = os.environ.get("TCPSTEP", os.path.join(ROOT, "tcpstep"))
LOAD = os.path.join(ROOT, "bench", "load")
PLAIN = os.path.join(ROOT, "bench", "plain")
STAMP = os.path.join(ROOT, "bench", "stamp.py")
SCRATCH = tempfile.mkdtemp(prefix="tcpstep-bench-")

CONNS = 100          # figure 3 and 4: the classroom
WINDOW = 5           # seconds of load measured in figure 3
IDLE = 10            # seconds of idleness watched in figure 1


def say(text=""):
    print(text, flush=True)


def figure(n, title):
    say()
    say("%d. %s" % (n, title))


def command(text):
    say("   $ " + text)


def result(text):
    say("   " + text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid):
    """CPU time a process has used, in ns (/proc/PID/schedstat)."""
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def wait_until(pred, limit=10.0, step=0.02):
    """Bounded poll: pred's value once it is true, None after limit s."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        value = pred()
        if value:
            return value
        time.sleep(step)
    return None


class Tmux:
    """A private tmux server with one session "b", as tests/lib.sh uses."""

    count = 0
    live = set()

    def __init__(self, width, height, cmd):
        Tmux.count += 1
        Tmux.live.add(self)
        self.sock = "tcpstep-bench-%d-%d" % (os.getpid(), Tmux.count)
        self.run("start-server", ";", "set-option", "-g", "remain-on-exit",
                 "on", ";", "set-option", "-g", "default-terminal", "screen",
                 ";", "new-session", "-d", "-x", str(width), "-y",
                 str(height), "-s", "b", cmd)

    def run(self, *args):
        return subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] +
                              list(args), capture_output=True, text=True,
                              env=dict(os.environ, LC_ALL="C.UTF-8")).stdout

    def screen(self):
        return self.run("capture-pane", "-p", "-t", "b")

    def keys(self, *keys):
        self.run("send-keys", "-t", "b", *keys)

    def wait(self, text, limit=10.0):
        """Poll the screen until text shows, or raise."""
        if not wait_until(lambda: text in self.screen(), limit):
            raise RuntimeError("screen never showed %r:\n%s" %
                               (text, self.screen()))

    def pid(self):
        return int(self.run("display", "-p", "-t", "b", "#{pane_pid}"))

    def record(self, prefix):
        """Every byte the program writes to the pane, with arrival times."""
        self.run("pipe-pane", "-o", "-t", "b",
                 "python3 %s %s" % (STAMP, prefix))
        wait_until(lambda: os.path.exists(prefix + ".idx"), 5)

    def stop_recording(self):
        self.run("pipe-pane", "-t", "b")

    def kill(self):
        self.run("kill-server")
        Tmux.live.discard(self)


class Recording:
    """Reads back what stamp.py recorded: (time, end offset) per piece."""

    def __init__(self, prefix):
        self.prefix = prefix

    def pieces(self):
        try:
            with open(self.prefix + ".idx") as f:
                return [(float(t), int(o)) for t, o in
                        (line.split() for line in f if line.count(" ") == 1)]
        except FileNotFoundError:
            return []

    def size(self):
        p = self.pieces()
        return p[-1][1] if p else 0

    def raw(self):
        with open(self.prefix + ".raw", "rb") as f:
            return f.read()

    def settle(self, since_size, quiet=0.3, limit=5.0):
        """Wait for output past since_size, then quiet s of silence."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            p = self.pieces()
            if p and p[-1][1] > since_size and \
                    time.monotonic() - p[-1][0] >= quiet:
                return p[-1][1]
            time.sleep(0.02)
        return self.size()

    def bursts(self, start, end, gap=0.020):
        """Groups of pieces in [start, end) separated by more than gap s:
        frames, since tcpstep writes a frame within a few ms and leaves at
        least 33 ms between two."""
        n, last = 0, None
        for t, _ in self.pieces():
            if start <= t < end:
                if last is None or t - last > gap:
                    n += 1
                last = t
        return n

    def when(self, marker, after):
        """Time of the piece that completed marker, first after time after."""
        data = self.raw()
        pieces = self.pieces()
        begin = 0
        for t, o in pieces:
            if t < after:
                begin = o
        i = data.find(marker, begin)
        if i < 0:
            return None
        for t, o in pieces:
            if o >= i + len(marker):
                return t
        return None


class Batch:
    """tcpstep --batch with keys written to its standard input."""

    def __init__(self, args):
        self.proc = subprocess.Popen([TCPSTEP, "--batch"] + args,
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.lines = []        # (time read, line)
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def keys(self, keys):
        self.proc.stdin.write(keys)
        self.proc.stdin.flush()

    def wait(self, text, count=1, limit=15.0):
        def seen():
            with self.lock:
                return sum(1 for _, l in self.lines if l == text) >= count
        if not wait_until(seen, limit):
            raise RuntimeError("batch never printed %r" % text)

    def snapshots(self, key):
        """(time, total notifications) of every "= after KEY" snapshot."""
        with self.lock:
            lines = list(self.lines)
        out, cur = [], None
        for t, l in lines:
            if l.startswith("= after "):
                if cur is not None:
                    out.append(cur)
                cur = [t, 0] if l == "= after " + key else None
            elif cur is not None and (l.startswith("server ") or
                                      l.startswith("row ")):
                cur[1] += sum(int(n) for n in re.findall(r"On\w+=(\d+)", l))
        if cur is not None:
            out.append(cur)
        return out

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_load(port, conns, seconds):
    load = subprocess.Popen([LOAD, "127.0.0.1", str(port), str(conns),
                             str(seconds)], stdout=subprocess.PIPE, text=True)
    line = load.stdout.readline()
    if not line.startswith("connected"):
        load.kill()
        raise RuntimeError("load could not connect: %r" % line)
    return load


def end_load(load):
    load.stdout.read()
    load.wait()


def syscalls(pid, seconds):
    """System calls pid makes in seconds (strace -c), None without it."""
    log = os.path.join(SCRATCH, "strace-%d-%d" % (pid, time.monotonic_ns()))
    subprocess.run(["timeout", "-s", "INT", str(seconds), "strace", "-qq",
                    "-c", "-f", "-p", str(pid), "-o", log],
                   capture_output=True)
    if not os.path.exists(log):
        return None
    calls = 0
    with open(log) as f:
        for line in f:
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+\s+)?total",
                         line)
            if m:
                calls = int(m.group(1))
    return calls


# ---- 1. idle cost ----

def idle_one(name, cmd, ready, keys=(), settled=None):
    tmux = Tmux(80, 24, cmd)
    try:
        tmux.wait(ready)
        for k in keys:
            tmux.keys(k)
        if settled:
            tmux.wait(settled)
        time.sleep(0.5)        # let a key's redraw finish before watching
        pid = tmux.pid()
        before = cpu_ns(pid)
        calls = syscalls(pid, IDLE) or 0
        cpu = (cpu_ns(pid) - before) / 1e6
        result("%-8s %6d system calls  %8.2f ms CPU in %d s" %
               (name, calls, cpu, IDLE))
        return calls, cpu
    finally:
        tmux.kill()


def fig_idle():
    figure(1, "Idle cost: all sockets connected, left alone under tmux for "
              "%d s" % IDLE)
    command("strace -qq -c -f -p PID (for %d s); CPU from /proc/PID/schedstat"
            % IDLE)
    idle_one("tcpstep", TCPSTEP, "Server-Send", ["1", "2", "3", "4", "5"],
             "5 Accept  OK")
    idle_one("top -d 1", "top -d 1", "load average")
    if shutil.which("htop"):
        idle_one("htop", "htop", "Load average")
    else:
        result("htop     not installed, not measured")
    result("target: tcpstep 0 system calls (no wake-ups), under 1 ms CPU")


# ---- 2. bytes to the terminal per step ----

def cells_changed(a, b, width):
    la, lb = a.split("\n"), b.split("\n")
    n = 0
    for i in range(max(len(la), len(lb))):
        x = (la[i] if i < len(la) else "").ljust(width)
        y = (lb[i] if i < len(lb) else "").ljust(width)
        n += sum(1 for p, q in zip(x, y) if p != q)
    return n


def bytes_one(width, height, args="", name=""):
    tmux = Tmux(width, height, TCPSTEP + args)
    prefix = os.path.join(SCRATCH, "bytes-%dx%d%s" % (width, height,
                                                        args.replace(" ", "")))
    try:
        tmux.wait("Server-Send")
        tmux.keys("1", "2", "3", "4", "5")
        tmux.wait("5 Accept  OK")
        tmux.record(prefix)
        rec = Recording(prefix)
        start = rec.settle(-1, limit=1.0)
        a = tmux.screen()
        tmux.keys("6")
        mid = rec.settle(start)
        b = tmux.screen()
        tmux.keys("7")
        end = rec.settle(mid)
        c = tmux.screen()
        step = end - start
        changed = cells_changed(a, b, width) + cells_changed(b, c, width)
        tmux.keys("C-l")
        repaint = rec.settle(end) - end
        result("%dx%d%s: 6 + 7 wrote %5d bytes; a full repaint (Ctrl-L) "
               "%5d bytes: %4.1f %%; %4d characters changed on screen: "
               "%.2f bytes per changed character" %
               (width, height, name, step, repaint,
                100.0 * step / max(repaint, 1), changed,
                step / max(changed, 1)))
        return step
    finally:
        tmux.kill()


def fig_bytes():
    figure(2, "Bytes to the terminal for one 6 + 7 cycle, against a full "
              "repaint")
    command("tmux pipe-pane -o 'python3 bench/stamp.py F' around keys 6, 7, "
            "then C-l; characters changed from capture-pane -p before/after")
    bytes_one(80, 24)
    bytes_one(120, 40)
    result("target: under 10 % of a repaint, within 2 bytes per changed "
           "character")


# ---- 3. engine throughput ----

def rate(points):
    """Notifications per second between the first and last (time, n)."""
    (t0, n0), (t1, n1) = points[0], points[-1]
    return (n1 - n0) / (t1 - t0)


def engine_plain():
    port = free_port()
    plain = subprocess.Popen([PLAIN, str(port), "64"], stdout=subprocess.PIPE,
                             text=True)
    points = []
    try:
        plain.stdout.readline()                        # "listening"
        load = start_load(port, CONNS, WINDOW + 3)
        # One line a second; the first covers the connecting.
        for _ in range(WINDOW + 2):
            line = plain.stdout.readline()
            points.append((time.monotonic(), int(line.split()[1])))
        end_load(load)
    finally:
        plain.terminate()
        plain.wait()
    return rate(points[1:])


LIBC_ALLOC = ("malloc", "calloc", "realloc")


def probes(add):
    """perf uprobes on libc's allocators (root, uprobes); True if there."""
    libc = next((p for p in ("/lib/x86_64-linux-gnu/libc.so.6",
                             "/lib/aarch64-linux-gnu/libc.so.6",
                             "/lib64/libc.so.6") if os.path.exists(p)), None)
    if not shutil.which("perf") or libc is None:
        return False
    for fn in LIBC_ALLOC:
        args = ["-x", libc, "--add", fn] if add else ["-d", "probe_libc:" + fn]
        if subprocess.run(["perf", "probe", "-q"] + args,
                          capture_output=True).returncode != 0 and add:
            return False
    return True


def allocations(pid, seconds):
    """Calls of malloc, calloc and realloc by pid over seconds, or None."""
    r = subprocess.run(["perf", "stat", "-x,", "-e",
                        ",".join("probe_libc:" + f for f in LIBC_ALLOC),
                        "-p", str(pid), "--", "sleep", str(seconds)],
                       capture_output=True, text=True)
    counts = [int(line.split(",")[0]) for line in r.stderr.splitlines()
              if "probe_libc:" in line and line.split(",")[0].isdigit()]
    return sum(counts) if len(counts) == len(LIBC_ALLOC) else None


def engine_tcpstep(count_allocs, extra=()):
    port = free_port()
    b = Batch(["-s", "-4", "-p", str(port)] + list(extra))
    allocs = None
    try:
        b.keys("12a\n")
        b.wait("= after a")
        load = start_load(port, CONNS, WINDOW + 3)
        # Key w runs the loop for one second, then prints a snapshot.
        b.keys("w" * (WINDOW + 2) + "\n")
        if count_allocs:
            time.sleep(1.5)
            allocs = allocations(b.proc.pid, 2)
        b.wait("= after w", WINDOW + 2)
        points = [(t, n) for t, n in b.snapshots("w")]
        end_load(load)
    finally:
        b.close()
    return rate(points[1:]), allocs


def fig_engine():
    figure(3, "Engine throughput: %d clients sending time records as fast as "
              "they can, %d s" % (CONNS, WINDOW))
    command("bench/load 127.0.0.1 PORT %d %d  against each of:" %
            (CONNS, WINDOW + 3))
    command("tcpstep -s -4 -p PORT --batch   keys 1 2 a, then w once a second,"
            " notifications summed from the snapshots")
    command("bench/plain PORT 64              (plain libevent, the same "
            "recv(64) per OnReceive)")
    runs = []
    for i in range(2):
        p = engine_plain()
        t, _ = engine_tcpstep(False)
        runs.append((p, t))
        result("plain %9.0f notifications/s   tcpstep %9.0f "
               "notifications/s   ratio %.2f" % (p, t, t / p))
    p = statistics.median(r[0] for r in runs)
    t = statistics.median(r[1] for r in runs)
    result("median: ratio %.2f (target: at least 0.80)" % (t / p))
    command("perf probe -x libc --add malloc (calloc, realloc); perf stat "
            "-e probe_libc:... -p PID -- sleep 2, in the middle of the load")
    if probes(True):
        try:
            _, allocs = engine_tcpstep(True)
        finally:
            probes(False)
        result("allocations by tcpstep in 2 s of load: %s" %
               ("not measured" if allocs is None else allocs))
    else:
        result("allocations: not measured (needs perf with uprobes, as "
               "root)")


# ---- 4. the screen under load ----

def fig_screen():
    figure(4, "The screen under load: tcpstep -s in auto mode, %d clients "
              "flooding" % CONNS)
    port = free_port()
    tmux = Tmux(80, 24, "%s -s -4 -p %d" % (TCPSTEP, port))
    prefix = os.path.join(SCRATCH, "screen")
    try:
        tmux.wait("Server")
        tmux.keys("1", "2", "a")
        tmux.wait("AUTO MODE")
        load = start_load(port, CONNS, 12)
        tmux.record(prefix)
        rec = Recording(prefix)
        time.sleep(3)               # measured: frames over these 3 s
        t1 = time.monotonic()
        frames = rec.bursts(t1 - 2.5, t1)
        command("tmux pipe-pane -o 'python3 bench/stamp.py F'; bursts of "
                "output more than 20 ms apart over 2.5 s")
        result("frames drawn: %.1f per second (target: at most 30)" %
               (frames / 2.5))
        lat = []
        for _ in range(20):
            t0 = time.monotonic()
            tmux.keys("?")
            tmux.wait("tcpstep help, page 1")
            t = rec.when(b"help, page 1", t0)
            if t is not None:
                lat.append((t - t0) * 1000)
            tmux.keys("Escape")
            wait_until(lambda: "tcpstep help" not in tmux.screen(), 5)
        command("tmux send-keys ?, time until the help page's bytes reach "
                "tmux (from the same recording), 20 times")
        if lat:
            result("key to screen: median %.1f ms, worst %.1f ms, of %d "
                   "(target: median within 50 ms)" %
                   (statistics.median(lat), max(lat), len(lat)))
        end_load(load)
    finally:
        tmux.kill()


# ---- 5. start-up and memory ----

EXEC_STAMP = ("import os,sys,time; open(sys.argv[1],'w').write("
              "repr(time.monotonic())); os.execv(sys.argv[2], sys.argv[2:])")


def startup_tmux():
    t0file = os.path.join(SCRATCH, "t0")
    prefix = os.path.join(SCRATCH, "start")
    for ext in (".raw", ".idx"):
        if os.path.exists(prefix + ext):
            os.unlink(prefix + ext)
    tmux = Tmux(80, 24, "read x; exec python3 -c \"%s\" %s %s" %
                (EXEC_STAMP, t0file, TCPSTEP))
    try:
        tmux.record(prefix)
        rec = Recording(prefix)
        if os.path.exists(t0file):
            os.unlink(t0file)
        tmux.keys("Enter")
        tmux.wait("Server-Send")
        rec.settle(0, quiet=0.2)
        with open(t0file) as f:
            t0 = float(f.read())
        # The first frame: the first burst of output after exec, which
        # must hold the whole screen down to the key legend at the bottom.
        last = end = None
        for t, o in rec.pieces():
            if t >= t0:
                if last is not None and t - last > 0.010:
                    break
                last, end = t, o
        if rec.raw()[:end].find(b"? help") < 0:
            raise RuntimeError("the first burst is not a whole frame")
        return (last - t0) * 1000
    finally:
        tmux.kill()


def startup_batch(settle):
    t0 = time.monotonic()
    p = subprocess.Popen([TCPSTEP, "--batch", "--keys", "1", "--settle",
                          str(settle)], stdout=subprocess.PIPE)
    p.stdout.read(1)
    t = (time.monotonic() - t0) * 1000
    p.stdout.read()
    p.wait()
    return t


def rss_batch(conns):
    port = free_port()
    b = Batch(["-s", "-4", "-p", str(port), "--max-conns", "1024"])
    try:
        b.keys("12a\n")
        b.wait("= after a")
        load = start_load(port, conns, 2)
        end_load(load)
        return peak_rss_kb(b.proc.pid)
    finally:
        b.close()


def rss_tui(conns):
    port = free_port()
    tmux = Tmux(80, 24, "%s -s -4 -p %d --max-conns 1024" % (TCPSTEP, port))
    try:
        tmux.wait("Server")
        tmux.keys("1", "2", "a")
        tmux.wait("AUTO MODE")
        load = start_load(port, conns, 2)
        end_load(load)
        return peak_rss_kb(tmux.pid())
    finally:
        tmux.kill()


def fig_start():
    figure(5, "Start-up and memory")
    command("tmux: exec stamped by python, then the first burst of output "
            "(pipe-pane), 5 times")
    first = statistics.median(startup_tmux() for _ in range(5))
    result("exec to first complete frame: median %.1f ms (target: under "
           "20 ms)" % first)
    command("tcpstep --batch --keys 1 --settle 1 (and the default --settle "
            "50): exec to the first byte of the snapshot, 10 times")
    result("exec to first batch snapshot: median %.1f ms with --settle 1, "
           "%.1f ms with the default settle" %
           (statistics.median(startup_batch(1) for _ in range(10)),
            statistics.median(startup_batch(50) for _ in range(10))))
    command("VmHWM of tcpstep -s --max-conns 1024 (keys 1 2 a) after "
            "bench/load with 1, 64 and 1000 clients flooding for 2 s")
    for name, fn in (("batch", rss_batch), ("tui  ", rss_tui)):
        one, many, most = fn(1), fn(64), fn(1000)
        result("%s peak RSS: %5d KB with 1 connection, %5d KB with 64, "
               "%5d KB with 1000: %.1f KB per added connection" %
               (name, one, many, most, (most - one) / 999.0))
    result("target: under 8 MB with one, under 64 KB per added connection")

# ---- 6. soak under the sanitizers ----

SOAK = int(os.environ.get("SOAK_SECONDS", "300"))   # 50 clients this long
SOAK_KEYS = int(os.environ.get("SOAK_KEYS", "20000"))


def build_asan():
    """tcpstep built with ASan and UBSan into the scratch directory (the
    tree's objects stay as they are)."""
    out = os.path.join(SCRATCH, "tcpstep-asan")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libevent",
                            "ncursesw", "libpcap"], capture_output=True,
                           text=True).stdout.split()
    srcs = sorted(os.path.join(ROOT, "src", f)
                  for f in os.listdir(os.path.join(ROOT, "src"))
                  if f.endswith(".c"))
    cmd = [os.environ.get("CC", "cc"), "-std=c11", "-D_GNU_SOURCE", "-O1",
           "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
           "-fno-sanitize-recover=all", "-DTCPSTEP_VERSION=\"soak\"",
           "-I" + os.path.join(ROOT, "include"), "-o", out] + srcs + flags
    subprocess.run(cmd, check=True)
    return out


def rss_fds(pid):
    with open("/proc/%d/status" % pid) as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return rss, len(os.listdir("/proc/%d/fd" % pid))


def asan_reports(prefix):
    found = [f for f in os.listdir(SCRATCH) if f.startswith(prefix)]
    text = ""
    for f in found:
        with open(os.path.join(SCRATCH, f), errors="replace") as h:
            text += h.read()
    return text


def soak_env(tag):
    return ("env LANG=C.UTF-8 ASAN_OPTIONS=log_path=%s/asan-%s:"
            "detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=log_path=%s/"
            "ubsan-%s:print_stacktrace=1 " % (SCRATCH, tag, SCRATCH, tag))


def soak_clients(asan):
    port = free_port()
    tmux = Tmux(80, 24, soak_env("clients") + "%s -s -4 -p %d" %
                (asan, port))
    try:
        tmux.wait("Server-Send")
        tmux.keys("1", "2", "a")
        tmux.wait("AUTO MODE")
        pid = tmux.pid()
        command("bench/load 127.0.0.1 PORT 50 %d against the ASan build of "
                "tcpstep -s in tmux 80x24, auto mode; VmRSS and open "
                "descriptors every 10 s" % SOAK)
        load = start_load(port, 50, SOAK)
        samples = []
        end = time.monotonic() + SOAK
        while time.monotonic() < end:
            time.sleep(min(10, max(0, end - time.monotonic())))
            samples.append(rss_fds(pid))
        end_load(load)
        wait_until(lambda: "Server-Send: " in tmux.screen() and
                   " ESTABLISHED" not in tmux.screen(), 20)
        time.sleep(2)
        left = rss_fds(pid)
        idle = syscalls(pid, 5)
        warm = samples[min(2, len(samples) - 1)]
        result("VmRSS %d KB at %d s, %d KB at the end (peak %d KB); "
               "descriptors %d under load" %
               (warm[0], 10 * (min(2, len(samples) - 1) + 1),
                samples[-1][0], max(r for r, _ in samples), warm[1]))
        result("after the clients left: %d descriptors, %s system calls in "
               "5 s" % (left[1], "not measured (strace)" if idle is None
                        else idle))
        tmux.keys("q")
        wait_until(lambda: not os.path.exists("/proc/%d" % pid), 10)
    finally:
        tmux.kill()
    rep = asan_reports("asan-clients") + asan_reports("ubsan-clients")
    result("sanitizer reports: %s" % ("none" if not rep else
                                      rep.splitlines()[0]))


SOAK_TOKENS = (list("123456789xXLhHzZuUoOfFdDnbrawmig[]jkcCve?iy ") +
               ["Up", "Down", "PageUp", "PageDown", "Tab", "BTab", "F1",
                "Escape", "Enter", "BSpace", "Home", "End", "C-l"])
SOAK_LITERALS = ["\x1b[5~", "\x1b[<0;10;5M", "\x1b[M !!", "\x1b[200~pasted"
                 "\x1b[201~", "\u00e9\u4e2d", "\x1b[99;99R", "\x1bO", "\x1b["]
SOAK_SIZES = [(1, 1), (2, 200), (20, 10), (79, 23), (80, 24), (120, 40),
              (300, 80), (1000, 50)]


def soak_keys(binary, tag):
    """SOAK_KEYS random keys against binary in tmux; the same seed each
    time, so the ASan build and the plain one get the same keys."""
    import random
    rng = random.Random(1)
    tmux = Tmux(80, 24, soak_env(tag) + binary)
    try:
        tmux.wait("Server-Send")
        pid = tmux.pid()
        before = rss_fds(pid)
        command("%d random keys (steps, views, arrows, escape, mouse, paste "
                "and UTF-8 sequences) in bursts of 50, a resize from 1x1 to "
                "1000x50 every 500, against the %s build in tmux" %
                (SOAK_KEYS, tag))
        sent = 0
        half = before
        while sent < SOAK_KEYS:
            burst = []
            for _ in range(50):
                if rng.random() < 0.05:
                    tmux.run("send-keys", "-t", "b", "-l",
                             rng.choice(SOAK_LITERALS))
                else:
                    burst.append(rng.choice(SOAK_TOKENS))
            tmux.keys(*burst)
            sent += 50
            if sent % 500 == 0:
                w, h = rng.choice(SOAK_SIZES)
                tmux.run("resize-window", "-t", "b", "-x", str(w), "-y",
                         str(h))
            if not os.path.exists("/proc/%d" % pid):
                break
            if sent == SOAK_KEYS // 2:
                half = rss_fds(pid)
        alive = os.path.exists("/proc/%d" % pid)
        result("process %s after %d keys" % ("alive" if alive else "GONE",
                                             sent))
        if alive:
            # The keys arrive faster than steps settle: wait until tcpstep
            # has run them all (the screen holds still), then leave any
            # page or question and reset: nothing may run on.
            tmux.run("resize-window", "-t", "b", "-x", "80", "-y", "24")

            def held():
                now = tmux.screen()
                time.sleep(1)
                return tmux.screen() == now
            wait_until(held, 90, 0)
            tmux.keys("Escape", "Escape", "n")
            time.sleep(0.5)
            if "GUIDE" in tmux.screen():
                tmux.keys("g")      # guide off: r would restart a lesson
                time.sleep(0.5)
            tmux.keys("Escape", "r")
            wait_until(lambda: "r Reset" in tmux.screen(), 10)
            time.sleep(1)
            after = rss_fds(pid)
            idle = syscalls(pid, 5)
            result("VmRSS %d KB before, %d KB halfway, %d KB after (a "
                   "1000x50 screen's buffers stay allocated); descriptors "
                   "%d then %d; after r, idle: %s system calls in 5 s" %
                   (before[0], half[0], after[0], before[1], after[1],
                    "not measured" if idle is None else idle))
            tmux.keys("q")
            wait_until(lambda: not os.path.exists("/proc/%d" % pid), 10)
    finally:
        tmux.kill()
    rep = asan_reports("asan-" + tag) + asan_reports("ubsan-" + tag)
    result("sanitizer reports: %s" % ("none" if not rep else
                                      rep.splitlines()[0]))


def fig_soak():
    figure(6, "Soak under ASan and UBSan: 50 clients for %d s, then %d "
              "random keys with resizes" % (SOAK, SOAK_KEYS))
    command("cc -fsanitize=address,undefined src/*.c (into a scratch "
            "directory)")
    asan = build_asan()
    soak_clients(asan)
    soak_keys(asan, "keys")
    # ASan holds freed memory in quarantine, so RSS is read again on the
    # plain build, with the same keys.
    soak_keys(TCPSTEP, "plain")


# ---- 7. the real wire's cost ----

WIRE_CYCLES = 100    # 6 + 7 cycles per batch run in figure 7


def step_cost(args):
    """CPU ms and system calls per step of a batch run of keys 1-5 and
    WIRE_CYCLES cycles of 6 + 7 (--settle 1), under strace -c."""
    keys = "12345" + "67" * WIRE_CYCLES
    log = os.path.join(SCRATCH, "strace-wire-%d" % time.monotonic_ns())
    before = os.times()
    subprocess.run(["strace", "-qq", "-c", "-f", "-o", log, TCPSTEP,
                    "--batch", "--settle", "1", "--keys", keys] + args,
                   stdout=subprocess.DEVNULL)
    after = os.times()
    cpu = ((after.children_user - before.children_user) +
           (after.children_system - before.children_system)) * 1000
    calls = 0
    with open(log) as f:
        for line in f:
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+\s+)?"
                         r"total", line)
            if m:
                calls = int(m.group(1))
    return cpu / len(keys), calls / len(keys)


def wire_where():
    """Where this machine's tcpstep captures: the batch's wire lines."""
    out = subprocess.run([TCPSTEP, "--batch", "--keys", "1234"],
                         capture_output=True, text=True).stdout
    if "wire         none:" in out:
        return "no capture here: " + out.split("wire         none:")[1] \
            .splitlines()[0].strip()
    return "capturing (%d segments for keys 1-4)" % \
        sum(1 for line in out.splitlines() if line.startswith("wire "))


def fig_wire():
    figure(7, "The real wire's cost: capture on against --no-wire, side by "
              "side")
    result("this machine: %s" % wire_where())
    command("strace -c -f tcpstep --batch --settle 1 --keys 12345(67)x%d, "
            "CPU from the children's times, 3 runs each, alternating"
            % WIRE_CYCLES)
    on, off = [], []
    for _ in range(3):
        on.append(step_cost([]))
        off.append(step_cost(["--no-wire"]))
    con = statistics.median(c for c, _ in on)
    coff = statistics.median(c for c, _ in off)
    son = statistics.median(s for _, s in on)
    soff = statistics.median(s for _, s in off)
    result("per step: capture %.3f ms CPU, %.1f system calls; --no-wire "
           "%.3f ms CPU, %.1f system calls; CPU ratio %.2f" %
           (con, son, coff, soff, con / max(coff, 1e-9)))
    command("tmux pipe-pane around keys 6, 7 (as figure 2), capture on and "
            "--no-wire")
    for w, h in ((80, 24), (120, 40)):
        a = bytes_one(w, h, "", " capture ")
        b = bytes_one(w, h, " --no-wire", " no-wire ")
        result("%dx%d: 6 + 7 wrote %d bytes with capture, %d without: "
               "ratio %.2f" % (w, h, a, b, a / max(b, 1)))
    command("bench/load 127.0.0.1 PORT %d %d against plain libevent, "
            "tcpstep -s (capture on) and tcpstep -s --no-wire" %
            (CONNS, WINDOW + 3))
    if os.geteuid() != 0:
        result("-s captures only with privilege: run as root to measure")
        return
    p = engine_plain()
    t_on, _ = engine_tcpstep(False)
    t_off, _ = engine_tcpstep(False, ["--no-wire"])
    result("plain %.0f/s, tcpstep -s capture %.0f/s (ratio %.2f), "
           "--no-wire %.0f/s (ratio %.2f)" %
           (p, t_on, t_on / p, t_off, t_off / p))


FIGURES = {"1": fig_idle, "2": fig_bytes, "3": fig_engine, "4": fig_screen,
           "5": fig_start, "6": fig_soak, "7": fig_wire}


def main():
    for tool in (TCPSTEP, LOAD, PLAIN):
        if not os.access(tool, os.X_OK):
            sys.exit("bench: %s is not built; run make bench" % tool)
    wanted = sys.argv[1:] or sorted(FIGURES)
    if any(n not in FIGURES for n in wanted):
        print("usage: python3 bench/run.py [FIGURE...]  (figures 1 to 7)",
              file=sys.stderr)
        sys.exit(2)
    start = time.monotonic()
    say("tcpstep benchmark, %s, %d cores, %s" %
        (time.strftime("%Y-%m-%d %H:%M"), os.cpu_count(),
         " ".join(os.uname()[2:3])))
    try:
        for n in wanted:
            FIGURES[n]()
    finally:
        for tmux in list(Tmux.live):
            tmux.kill()
        shutil.rmtree(SCRATCH, ignore_errors=True)
    say()
    say("done in %.0f s" % (time.monotonic() - start))


def stop(sig, frame):
    raise SystemExit(128 + sig)     # so that main's cleanup runs


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, stop)
    main()
