#!/bin/sh
# class.sh - the -s class view over network namespaces: a server host A
# with a name server of the test's own (reverse names, PTR), and client
# hosts B and C joined to it by veth pairs. The rows name their peers by
# address and reverse name; a silent name server leaves the addresses and
# the keys alone; hostile names are escaped and cut; a class connecting at
# once never has more than evdns's max-inflight questions out.
# Needs root (ip netns); says so and skips otherwise.
. tests/lib.sh

NS_A=tcpstep-ca-$$
NS_B=tcpstep-cb-$$
NS_C=tcpstep-cc-$$
NS_ALL="$NS_A $NS_B $NS_C"
DNS=$TESTTMP/ptrdns.py
CLIENTS=$TESTTMP/classclients.py
INFLIGHT=4		# LAB_NAMES_INFLIGHT (include/lab_names.h)

# A name server for reverse names: ADDR=NAME arguments (NAME with Python
# escapes, so a test can put control bytes in it), "silent" for one that
# never answers. Each answer waits DELAY seconds, so questions overlap if
# tcpstep sends them at once; the log says how many were ever out at once.
cat >"$DNS" <<'EOF'
import codecs, select, socket, struct, sys, time
mode, delay, names = sys.argv[1], float(sys.argv[2]), {}
for a in sys.argv[3:]:
    k, v = a.split("=", 1)
    names[".".join(reversed(k.split("."))) + ".in-addr.arpa"] = \
        codecs.decode(v, "unicode_escape").encode("latin-1")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 53))
print("listening", flush=True)
out, most, seen = [], 0, 0
while True:
    wait = min([t for t, _, _ in out], default=time.time() + 60) - time.time()
    r, _, _ = select.select([u], [], [], max(wait, 0))
    if r:
        q, peer = u.recvfrom(512)
        seen += 1
        if mode == "silent":
            print("query", seen, "(not answered)", flush=True)
            continue
        out.append((time.time() + delay, q, peer))
        most = max(most, len(out))
        print("query", seen, "out", len(out), "most", most, flush=True)
    now = time.time()
    for item in [o for o in out if o[0] <= now]:
        out.remove(item)
        _, q, peer = item
        qid, = struct.unpack("!H", q[:2])
        end = q.index(b"\0", 12) + 5
        labels, i = [], 12
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode("latin-1"))
            i += 1 + q[i]
        name = names.get(".".join(labels).lower())
        if name is None:
            u.sendto(struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) +
                     q[12:end], peer)
            continue
        rdata = b"".join(bytes([len(l)]) + l for l in name.split(b".")) + b"\0"
        answer = b"\xc0\x0c" + struct.pack("!HHIH", 12, 1, 60, len(rdata)) + rdata
        u.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) +
                 q[12:end] + answer, peer)
EOF

# N connections to HOST PORT, held until killed.
cat >"$CLIENTS" <<'EOF'
import socket, sys, time
socks = [socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
         for _ in range(int(sys.argv[3]))]
print("connected", len(socks), flush=True)
time.sleep(60)
EOF

# Host A (10.78.1.1 to B at 10.78.1.2, 10.78.2.1 to C at 10.78.2.2), its
# resolv.conf naming the test's name server on A's own loopback; the name
# server runs with MODE and the ADDR=NAME arguments.
class_hosts() {
	trap ns_cleanup EXIT
	ip netns add $NS_A && ip netns add $NS_B && ip netns add $NS_C &&
	ip link add ca$$ type veth peer name cb$$ &&
	ip link add cc$$ type veth peer name cd$$ &&
	ip link set ca$$ netns $NS_A && ip link set cb$$ netns $NS_B &&
	ip link set cc$$ netns $NS_A && ip link set cd$$ netns $NS_C &&
	ip -n $NS_A addr add 10.78.1.1/24 dev ca$$ &&
	ip -n $NS_A addr add 10.78.2.1/24 dev cc$$ &&
	ip -n $NS_B addr add 10.78.1.2/24 dev cb$$ &&
	ip -n $NS_C addr add 10.78.2.2/24 dev cd$$ &&
	for _l in "$NS_A ca$$" "$NS_A cc$$" "$NS_B cb$$" "$NS_C cd$$" \
	    "$NS_A lo" "$NS_B lo" "$NS_C lo"; do
		set -- $_l
		ip -n "$1" link set "$2" up || return 1
	done || fail "cannot build the namespaces"
	mkdir -p /etc/netns/$NS_A
	printf 'nameserver 127.0.0.1\n' >/etc/netns/$NS_A/resolv.conf
}

# name_server MODE DELAY ADDR=NAME...
name_server() {
	bgrun dns ip netns exec $NS_A python3 "$DNS" "$@"
	poll grep -q listening "$BDIR/dns.out" || fail "$(cat "$BDIR/dns.out")"
}

# clients NAME NS HOST N: N connections from NS to the server.
clients() {
	bgrun "$1" ip netns exec "$2" python3 "$CLIENTS" "$3" "$PORT" "$4"
	POLL_LIMIT=200 poll grep -q connected "$BDIR/$1.out" ||
	    fail "$1: $(cat "$BDIR/$1.out")"
}

PORT=$(test_port 5)

# A batch server in A, listening, auto mode accepting.
batch_server() {
	bstart srv ip netns exec $NS_A $TCPSTEP -s -4 -p $PORT
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN" || return 1
}

# bnamed PATTERN: poll (a key w each time: one second of loop, then a
# snapshot) until a row line matches.
_brow() {
	bkeys srv w
	sleep 0.2
	grep -q -- "$1" "$BDIR/srv.out"
}
bnamed() {
	POLL_LIMIT=${2:-40} poll _brow "$1" || {
		echo "never matched: $1"; grep '^row\|resolver' "$BDIR/srv.out" |
		    tail -20; return 1; }
}

two_students_named() {
	class_hosts
	name_server names 0 10.78.1.2=alice.lab.test 10.78.2.2=bob.lab.test
	batch_server || return 1
	clients b $NS_B 10.78.1.1 1
	clients c $NS_C 10.78.2.1 1
	bkeys srv 55
	bwait srv "kernel       server-send " "ESTABLISHED" || return 1
	bnamed '^row          server-send#1 .* peer=10\.78\.[12]\.2:[0-9]* .* name=\(alice\|bob\)\.lab\.test$' ||
	    return 1
	bnamed '^row          server-send#2 .* peer=10\.78\.[12]\.2:[0-9]* .* name=\(alice\|bob\)\.lab\.test$' ||
	    return 1
	# Each its own: B's address is alice, C's bob.
	grep -q '^row .* peer=10\.78\.1\.2:.* name=alice\.lab\.test$' "$BDIR/srv.out" &&
	grep -q '^row .* peer=10\.78\.2\.2:.* name=bob\.lab\.test$' "$BDIR/srv.out" ||
	    fail "$(grep '^row' "$BDIR/srv.out" | tail -4)"
	grep -q '^  .* resolver    Server-Send #[12]: 10\.78\.1\.2:[0-9]* is alice\.lab\.test$' \
	    "$BDIR/srv.out" || fail "no transcript line"
	# JSON: the same name in the row object.
	bend srv
}

# The same, on the screen: at 80x24 the peer column shows the names; at
# 150 columns the address and the name each have a column.
tui_rows() {
	class_hosts
	name_server names 0 10.78.1.2=alice.lab.test 10.78.2.2=bob.lab.test
	tui_start "$1" "$2" "exec ip netns exec $NS_A env LANG=C.UTF-8 $TCPSTEP -s -4 -p $PORT" ||
	    return 1
	tm send-keys -t t 1 2
	wait_for "2 Listen  OK" || return 1
	clients b $NS_B 10.78.1.1 1
	clients c $NS_C 10.78.2.1 1
	tm send-keys -t t 5 5 6
	wait_for "Server-Send: 2, #2 selected" || return 1
	wait_for "$3 alice\\.lab\\.test " || return 1
	wait_for "$4 bob\\.lab\\.test " || return 1
}
tui_rows_80() {
	# Narrow: the name in the peer column, then state and counters.
	tui_rows 80 24 "│[ >] [12]" "│[ >] [12]" || return 1
	wait_for "│[ >] [12] alice\\.lab\\.test  *ESTABLISHED   0   0   0   [01]│" ||
	    return 1
	on_screen "  # peer                 state       Clo OOB Rcv Snd│" ||
	    fail "heading" "$(screen)"
}
tui_rows_150() {
	tui_rows 150 30 "[12] 10\\.78\\.1\\.2:[0-9]* *" "[12] 10\\.78\\.2\\.2:[0-9]* *" ||
	    return 1
	on_screen "  # peer  *name  *state  *Acc Clo Con OOB Rcv Snd    in   out" ||
	    fail "heading" "$(screen)"
}

# A name server that never answers: the rows keep their addresses, keys
# are answered at once, and evdns's timeout ends the questions.
silent_name_server() {
	class_hosts
	name_server silent 0
	tui_start 80 24 "exec ip netns exec $NS_A env LANG=C.UTF-8 $TCPSTEP -s -4 -p $PORT" ||
	    return 1
	tm send-keys -t t 1 2
	wait_for "2 Listen  OK" || return 1
	clients b $NS_B 10.78.1.1 1
	clients c $NS_C 10.78.2.1 1
	tm send-keys -t t 5 5
	wait_for "Server-Send: 2, #2 selected" || return 1
	poll grep -q "query 2" "$BDIR/dns.out" || fail "not asked"
	# While both questions are out: each key answered within a second.
	for k in 6 Up 6 Down; do
		_t0=$(date +%s%N)
		tm send-keys -t t "$k"
		case $k in
		Up) wait_for "Server-Send: 2, #1 selected" || return 1 ;;
		Down) wait_for "Server-Send: 2, #2 selected" || return 1 ;;
		6) wait_for "6 Send: OK" || return 1 ;;
		esac
		_ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
		[ "$_ms" -lt 1000 ] || fail "key $k took $_ms ms"
	done
	wait_for "│[ >] 1 10\\.78\\.[12]\\.2:[0-9]* *ESTABLISHED" || return 1
	wait_for "│[ >] 2 10\\.78\\.[12]\\.2:[0-9]* *ESTABLISHED" || return 1
	# The timeout (2 s, twice) gives up: still the addresses.
	POLL_LIMIT=300 poll grep -q "query 4" "$BDIR/dns.out" ||
	    fail "evdns did not ask again" "$(cat "$BDIR/dns.out")"
	tm send-keys -t t 6
	wait_for "│[ >] 1 10\\.78\\.[12]\\.2:[0-9]* *ESTABLISHED" || return 1
	on_screen "Nameserver" && fail "resolver message on the screen"
	return 0
}

# Names with control bytes, and longer than a row keeps, arrive escaped
# and cut; the raw bytes never reach the output.
hostile_names() {
	class_hosts
	name_server names 0 \
	    '10.78.1.2=\x1b[2J\x07evil\x01 x.lab.test' \
	    "10.78.2.2=$(printf 'a%.0s' $(seq 1 30)).$(printf 'b%.0s' $(seq 1 28))"
	batch_server || return 1
	clients b $NS_B 10.78.1.1 1
	clients c $NS_C 10.78.2.1 1
	bkeys srv 55
	bnamed '^row .* peer=10\.78\.1\.2:[0-9]* .* name=\\x1b\[2J\\x07evil\\x01\\x20x\.lab\.test$' ||
	    return 1
	bnamed '^row .* peer=10\.78\.2\.2:[0-9]* .* name=a\{30\}\.b\{13\}\.\.\.$' ||
	    return 1
	# Not a raw control byte anywhere in the output.
	LC_ALL=C grep -q "$(printf '[\001\007\033]')" "$BDIR/srv.out" &&
	    fail "raw control bytes in the output"
	bend srv
}

# A class of 50 connecting at once: 50 rows, each named, and never more
# than INFLIGHT questions out at the name server at once (each answer
# waits 0.2 s there, so questions sent together would overlap).
class_of_fifty() {
	class_hosts
	name_server names 0.2 10.78.1.2=pupil.lab.test
	bstart srv ip netns exec $NS_A $TCPSTEP -s -4 -p $PORT --max-conns 64
	bkeys srv 12a
	bwait srv "kernel       server " "LISTEN" || return 1
	clients b $NS_B 10.78.1.1 50
	bnamed '^row          server-send#50 ' 60 || return 1
	POLL_LIMIT=300 poll grep -q "query 50 " "$BDIR/dns.out" ||
	    fail "not 50 questions" "$(tail -3 "$BDIR/dns.out")"
	bnamed '^row          server-send#50 .* name=pupil\.lab\.test$' 60 ||
	    return 1
	_most=$(tail -1 "$BDIR/dns.out" | sed 's/.* most //')
	[ "$_most" -le $INFLIGHT ] ||
	    fail "$_most questions out at once (bound $INFLIGHT)"
	[ "$_most" -ge 2 ] ||
	    fail "never more than one out at once: the test shows nothing"
	_n=$(awk '/^= after/ { n = 0 } /^row          server-send#.* name=pupil\.lab\.test$/ { n++ } END { print n }' \
	    "$BDIR/srv.out")
	[ "$_n" -eq 50 ] || fail "$_n rows named in the last snapshot"
	bend srv
}


netns_or_skip class "two students" "80x24" "150 columns" \
    "silent name server" "hostile names" "fifty"
t "class: two students: rows name their peers by address and reverse name" two_students_named
t "class: 80x24: the peer column shows the names, then state and counters" tui_rows_80
t "class: 150 columns: address and name in columns of their own" tui_rows_150
t "class: silent name server: addresses stay, keys answered in under 1 s" silent_name_server
t "class: hostile names: control bytes escaped, long names cut" hostile_names
t "class: fifty at once: all rows, at most $INFLIGHT questions out" class_of_fifty
