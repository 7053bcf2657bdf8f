#!/bin/sh
# capture.sh - the real wire from the outside (tcpstep(1), THE WIRE and
# --pcap): where tcpstep captures, as root and as an unprivileged user
# (as_student); the pcap file read back by tcpdump; --no-wire; an idle
# lab with capture on making no system call; the errors of --pcap.
. tests/lib.sh

RUN="exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP"
# A port for the tests that need a fixed one.
PORT=$((41000 + $$ % 7000))

# The model (src/lab_wire.c) names the lab's port to the capture; the
# tests of what is captured in a real lab need it.
model_sets_port() {
	grep -q 'wire_set_port' src/lab*.c
}
need_model() {
	model_sets_port || { echo "needs the model to set the port"; return 1; }
}
# A test of a real lab's capture, skipped (said so) until the model sets
# the port.
model_t() {
	if model_sets_port; then
		wire_t "$@"
	else
		echo "ok - $1 # SKIP the model does not set the capture's port yet"
	fi
}

# A directory the unprivileged user may write to.
student_dir() {
	mkdir -p "$TESTTMP/s"
	chmod 777 "$TESTTMP/s"
	echo "$TESTTMP/s"
}

# The segments of pcap file $1 as tcpdump shows them: "S 0", "S. 0",
# "P. 13", "R. 0", one a line.
segments() {
	tcpdump -nr "$1" 2>/dev/null |
	    sed -n 's/.*Flags \[\([^]]*\)\].*length \([0-9]*\).*/\1 \2/p'
}

SEED="S 0
S. 0
. 0
P. 13
. 0
P. 13
. 0
R. 0"

# 1234567: the seed's exchange, and x closes the client with 13 bytes
# unread: RST, not FIN.
pcap_read_back_by_tcpdump() {
	command -v tcpdump >/dev/null || fail "tcpdump is not installed"
	$TCPSTEP --batch --keys 12345667x --pcap "$TESTTMP/a.pcap" >/dev/null ||
	    fail "exit $?"
	got=$(segments "$TESTTMP/a.pcap")
	[ "$got" = "$SEED" ] || fail "tcpdump read:" "$got" "wanted:" "$SEED"
}

# The same as nobody: the lab on its private network captures there.
unprivileged_captures_in_private_network() {
	s=$(wire_copy)
	d=$(student_dir)
	as_student "$s" --batch --keys 12345667x --pcap "$d/a.pcap" \
	    >"$d/out" 2>&1 || fail "exit $?" "$(cat "$d/out")"
	tcpdump -nr "$d/a.pcap" >/dev/null 2>&1 ||
	    fail "tcpdump cannot read the student's pcap file"
	need_model || return 0
	got=$(segments "$d/a.pcap")
	[ "$got" = "$SEED" ] || fail "tcpdump read:" "$got" "wanted:" "$SEED"
}

# Whether something listens on the host's network on PORT.
host_listens() {
	[ -n "$(ss -Hltn "sport = :$PORT")" ]
}
host_does_not_listen() {
	! host_listens
}

# $1 (a command line) runs a lab listening on PORT for a second (w):
# while it runs, host_listens says what the host's ss sees.
listens_while() {
	_log=$(student_dir)/log.$2
	rm -f "$_log"
	$1 --batch -p $PORT --keys 12w --log "$_log" >/dev/null 2>&1 &
	_pid=$!
	poll grep -q "listen(" "$_log" || { kill $_pid; fail "never listened"; }
	if host_listens; then _seen=yes; else _seen=no; fi
	wait $_pid
	echo "$_seen"
}

# The private network's consequence: ss on the host does not see the
# lab's listener; with --no-wire it does.
private_network_invisible_to_ss() {
	s=$(wire_copy)
	seen=$(listens_while "as_student $s" wire) || fail "$seen"
	[ "$seen" = no ] || fail "the host's ss saw the private lab's listener"
	seen=$(listens_while "as_student $s --no-wire" nowire) || fail "$seen"
	[ "$seen" = yes ] || fail "--no-wire: the host's ss did not see it"
}

# -s never enters a private network: the host sees its listener, and
# without privilege it runs on, saying why there is no capture.
server_unprivileged_says_why() {
	s=$(wire_copy)
	d=$(student_dir)
	as_student "$s" -s -p $PORT --batch --keys 12w --log "$d/log" \
	    >"$d/out" 2>"$d/err" &
	pid=$!
	poll grep -q "listen(" "$d/log" || { kill $pid; fail "never listened"; }
	if host_listens; then seen=yes; else seen=no; fi
	wait $pid || fail "exit $?" "$(cat "$d/err")"
	[ "$seen" = yes ] || fail "-s as nobody: not on the host's network"
	[ -s "$d/err" ] && fail "said on standard error:" "$(cat "$d/err")"
	model_sets_port || return 0
	grep -q "never gain privileges" "$d/out" ||
	    fail "no line says why there is no capture" "$(cat "$d/out")"
}

# strace's socket calls of a batch run with options $*.
socket_calls() {
	strace -f -qq -e trace=socket -o "$TESTTMP/st" \
	    $TCPSTEP --batch --keys 12 "$@" >/dev/null 2>&1
	cat "$TESTTMP/st"
}

no_wire_opens_no_capture() {
	command -v strace >/dev/null || fail "strace is not installed"
	socket_calls | grep -q AF_PACKET ||
	    fail "without --no-wire no packet socket either: the test is blind"
	calls=$(socket_calls --no-wire)
	say "$calls" | grep -q AF_PACKET && fail "--no-wire opened:" "$calls"
	return 0
}

# The capture's packet socket, open in process $1: its inode is in the
# packet table of the process's network.
has_packet_socket() {
	for _ino in $(ls -l /proc/"$1"/fd 2>/dev/null |
	    sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p'); do
		awk -v i="$_ino" 'NR > 1 && $NF == i { f = 1 } END { exit !f }' \
		    /proc/"$1"/net/packet && return 0
	done
	return 1
}

# $1: the command in the pane. Steps 1-6, then a second of strace.
idle_quiet() {
	tui_start 80 24 "$1" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6
	wait_for "6 Send    OK" || return 1
	wait_counter client OnReceive 1 || return 1
	pid=$(pane_var pane_pid)
	has_packet_socket "$pid" || fail "no capture open in $pid"
	log=$(mktemp -p "$TESTTMP")
	timeout -s INT 1 strace -qq -f -p "$pid" -o "$log" 2>/dev/null
	calls=$(grep -v 'resuming interrupted\|<unfinished \.\.\.>\|<detached \.\.\.>' "$log")
	rm -f "$log"
	[ -z "$calls" ] || fail "system calls while idle:" "$calls"
}

idle_with_capture_makes_no_system_calls() {
	command -v strace >/dev/null || fail "strace is not installed"
	idle_quiet "$RUN"
}

idle_in_private_network_makes_no_system_calls() {
	command -v strace >/dev/null || fail "strace is not installed"
	s=$(wire_copy)
	idle_quiet "exec env LANG=C.UTF-8 LC_ALL= setpriv --reuid=nobody \
	    --regid=nogroup --clear-groups $s"
}

pcap_unwritable_exits_2() {
	err=$($TCPSTEP --batch --keys 1 --pcap "$TESTTMP/no/such" 2>&1 \
	    >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || fail "exit $rc, not 2" "$err"
	say "$err" | grep -q "^tcpstep: --pcap '.*/no/such': No such file or directory$" ||
	    fail "$err"
	say "$err" | grep -q "Try 'tcpstep --help'" || fail "no hint" "$err"
	err=$($TCPSTEP --batch --keys 1 --pcap "" 2>&1 >/dev/null)
	[ $? -eq 2 ] || fail "--pcap '': not a usage error" "$err"
}

pcap_full_disk_exits_1() {
	for nw in "" --no-wire; do
		err=$($TCPSTEP --batch --keys 12 $nw --pcap /dev/full 2>&1 \
		    >/dev/null)
		rc=$?
		[ $rc -eq 1 ] || fail "$nw: exit $rc, not 1" "$err"
		say "$err" | grep -q "^tcpstep: --pcap '/dev/full': No space left on device: the capture is cut short$" ||
		    fail "$nw: $err"
	done
}

# Without a capture, --pcap still makes a file tcpdump reads: no packet.
pcap_without_capture_is_valid() {
	$TCPSTEP --batch --keys 1234 --no-wire --pcap "$TESTTMP/e.pcap" \
	    >/dev/null || fail "exit $?"
	out=$(tcpdump -nr "$TESTTMP/e.pcap" 2>&1) || fail "tcpdump: $out"
	[ -z "$(segments "$TESTTMP/e.pcap")" ] || fail "packets in it: $out"
}

help_and_man_name_the_options() {
	help=$($TCPSTEP --help)
	man=$(MANWIDTH=80 man -l man/tcpstep.1 2>/dev/null)
	for opt in --no-wire --pcap; do
		say "$help" | grep -q -- "$opt" || fail "--help lacks $opt"
		say "$man" | grep -q -- "$opt" || fail "the man page lacks $opt"
	done
	say "$man" | grep -q "THE WIRE" || fail "no section THE WIRE"
}

model_t "capture: --pcap read back by tcpdump: S, S., ., P. 13, ., P. 13, ., R." \
    pcap_read_back_by_tcpdump
wire_t "capture: nobody captures on a private network" \
    unprivileged_captures_in_private_network
wire_t "capture: the private network's listener is invisible to the host's ss; --no-wire's is not" \
    private_network_invisible_to_ss
t "capture: -s as nobody stays on the host, runs, and says why" \
    server_unprivileged_says_why
wire_t "capture: --no-wire opens no packet socket" no_wire_opens_no_capture
wire_t "capture: idle with capture on makes no system call" \
    idle_with_capture_makes_no_system_calls
wire_t "capture: idle on the private network makes no system call" \
    idle_in_private_network_makes_no_system_calls
t "capture: an unwritable --pcap is a usage error (exit 2)" \
    pcap_unwritable_exits_2
t "capture: --pcap on a full disk: cut short, exit 1" pcap_full_disk_exits_1
t "capture: --pcap without a capture is a valid empty pcap file" \
    pcap_without_capture_is_valid
t "capture: --help and tcpstep(1) name --no-wire and --pcap" \
    help_and_man_name_the_options
echo "1..11"
