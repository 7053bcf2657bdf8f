#!/bin/sh
# capture.sh - the real wire from the outside (tcpstep(1), THE WIRE and
# --pcap): where tcpstep captures, as root and as an unprivileged user
# (as_student); the pcap file read back by tcpdump; --no-wire; an idle
# lab with capture on making no system call; the errors of --pcap.
. tests/lib.sh

RUN="exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP"
# A port for the tests that need a fixed one.
PORT=$((41000 + $$ % 7000))

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
	grep -q "never gain privileges" "$d/out" ||
	    fail "no line says why there is no capture" "$(cat "$d/out")"
}

# The LD_PRELOAD shim (tests/capshim.c) that makes one step of the
# capture's set-up fail; built once, readable by nobody. Prints its path.
shim() {
	if [ ! -f "$TESTTMP/capshim.so" ]; then
		${CC:-cc} -shared -fPIC -o "$TESTTMP/capshim.so" tests/capshim.c \
		    -ldl || return 1
		chmod 755 "$TESTTMP" "$TESTTMP/capshim.so"
	fi
	echo "$TESTTMP/capshim.so"
}

# shimmed MODE CMD...: CMD as nobody, with the shim failing MODE's step.
shimmed() {
	_so=$(shim) || fail "cannot build the shim"
	_mode=$1
	shift
	# Under the sanitizers ASan wants its runtime first of all; the
	# shim only wraps a few calls, so it may come before it.
	as_student env LD_PRELOAD="$_so" TCPSTEP_SHIM="$_mode" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    "$@"
}

# A private network that fails half-way (here: uid_map cannot be
# written) is never entered: the lab runs on the host's network, its
# connect works, and the reason is the step that failed, not a system
# that "switches off" user namespaces.
half_namespace_never_entered() {
	s=$(wire_copy)
	out=$(shimmed uid_map "$s" --batch --keys 1234 2>&1) ||
	    fail "exit $?" "$out"
	say "$out" | grep -q ENETUNREACH &&
	    fail "the lab ran in a namespace with lo down:" "$out"
	say "$out" | grep -q 'connect(.*= -1 EINPROGRESS\|connect(.*= 0' ||
	    fail "no connect went out:" "$out"
	say "$out" | grep -q '^wire  *none: .*/proc/self/uid_map: Permission denied' ||
	    fail "no line says which step failed:" "$out"
	say "$out" | grep -q 'switch' && fail "it blames the system:" "$out"
	return 0
}

# The trial in a child worked, the process itself then failed half-way:
# it must not run a lab there; one line says why, exit 1.
half_namespace_in_process_exits() {
	s=$(wire_copy)
	d=$(student_dir)
	shimmed uid_map-parent "$s" --batch --keys 1234 >"$d/out" 2>"$d/err"
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc, not 1" "$(cat "$d/out" "$d/err")"
	[ -s "$d/out" ] && fail "a lab ran:" "$(cat "$d/out")"
	grep -q "^tcpstep: the private network is half made: /proc/self/uid_map: Permission denied$" \
	    "$d/err" || fail "$(cat "$d/err")"
}

# The reason is worded by what unshare answered. ENOSPC: in a user
# namespace whose user.max_user_namespaces is 0. EPERM: in one with no
# mapping for the user. Neither blames a system that "switches off" user
# namespaces.
# wire_line_in OPTIONS FIRST: the batch's "wire none" line, run in
# unshare OPTIONS after the shell command FIRST.
wire_line_in() {
	unshare $1 sh -c "$2 exec $TCPSTEP --batch --keys 1" |
	    grep '^wire  *none: '
}
reasons_worded_by_errno() {
	got=$(wire_line_in -Ur \
	    'echo 0 >/proc/sys/user/max_user_namespaces &&')
	say "$got" | grep -q 'no user namespace is left to make (user.max_user_namespaces; unshare: No space left on device)' ||
	    fail "ENOSPC:" "$got"
	got=$(wire_line_in -U '')
	say "$got" | grep -q 'making a user namespace is not permitted here (unshare: Operation not permitted)' ||
	    fail "EPERM:" "$got"
	say "$got" | grep -q switch && fail "it blames the system:" "$got"
	return 0
}

lab_gone() {
	! kill -0 "$1" 2>/dev/null
}

# lab_bg WHO BIN [OPTIONS]: BIN as a lab listening on PORT for a second
# (12w), run as WHO ("as_student", "shimmed MODE" or nothing); LAB_PID
# gets the lab's own pid once it listens. Not in $(...): the shell that
# runs a function in the background keeps the substitution's pipe open
# until the lab ends.
lab_bg() {
	_who=$1
	shift
	_d=$(student_dir)
	# The last test's lab holds the port until its second is out.
	[ -f "$_d/pid" ] && poll lab_gone "$(cat "$_d/pid")"
	rm -f "$_d/pid" "$_d/bglog"
	$_who sh -c 'echo $$ >"$0"; exec "$@"' "$_d/pid" "$@" --batch \
	    -p $PORT --keys 12w --log "$_d/bglog" >"$_d/bgout" 2>&1 &
	poll grep -q "listen(" "$_d/bglog" ||
	    fail "never listened: $(cat "$_d/bgout")"
	LAB_PID=$(cat "$_d/pid")
}

# Whether process $1 holds capability number $2 (linux/capability.h) in
# its permitted or effective set, as /proc says.
holds_cap() {
	for _v in $(awk '/^Cap(Prm|Eff):/ { print $2 }' /proc/"$1"/status); do
		[ $((0x$_v >> $2 & 1)) -eq 1 ] && return 0
	done
	return 1
}
CAP_NET_BIND_SERVICE=10
CAP_NET_RAW=13
# Whether process $1 holds no capability at all.
holds_none() {
	[ -z "$(awk '/^Cap(Prm|Eff):/ && $2 !~ /^0+$/' /proc/"$1"/status)" ]
}

# Root keeps the capture it opened, not CAP_NET_RAW: dropped from the
# permitted set once the capture is open; nothing else is taken.
root_gives_up_cap_net_raw() {
	[ "$(id -u)" -eq 0 ] || { echo "# not root: nothing to give up"; return 0; }
	lab_bg "" "$TCPSTEP"
	pid=$LAB_PID
	has_packet_socket "$pid" || fail "no capture open"
	holds_cap "$pid" $CAP_NET_RAW && fail "root kept CAP_NET_RAW:" \
	    "$(grep ^Cap /proc/"$pid"/status)"
	holds_cap "$pid" $CAP_NET_BIND_SERVICE ||
	    fail "root lost CAP_NET_BIND_SERVICE too"
	return 0
}

# In the private network every capability goes, even when the capture
# could not open there (the shim refuses packet sockets): a port below
# 1024 is EACCES as on the host, and the lab stays in its private network.
private_network_without_capture_holds_nothing() {
	s=$(wire_copy)
	out=$(shimmed no-packet "$s" --batch -p 80 --keys 1 2>&1) ||
	    fail "exit $?" "$out"
	say "$out" | grep -q 'bind(.*:80) = -1 EACCES' ||
	    fail "port 80 bound: the capabilities were kept" "$out"
	say "$out" | grep -q '^wire  *none: ' || fail "a capture opened:" "$out"
	lab_bg "shimmed no-packet" "$s"
	pid=$LAB_PID
	holds_none "$pid" || fail "$(grep ^Cap /proc/"$pid"/status)"
	host_does_not_listen || fail "the lab left its private network"
}

# How root looks inside the private network (tcpstep(1), THE WIRE):
# nsenter into the lab's network, where ss sees its listener.
nsenter_sees_inside_private_network() {
	command -v nsenter >/dev/null || fail "nsenter is not installed"
	s=$(wire_copy)
	lab_bg as_student "$s"
	pid=$LAB_PID
	host_does_not_listen || fail "the host sees the lab's listener"
	inside=$(nsenter -t "$pid" -n ss -Hltn "sport = :$PORT")
	[ -n "$inside" ] || fail "nsenter -t $pid -n ss saw no listener"
}

# Why a copy of tcpstep cannot be given CAP_NET_RAW here, nothing when
# it can (setcap needs root and a filesystem that keeps file
# capabilities, in an extended attribute).
fcaps_why_not() {
	command -v setcap >/dev/null ||
	    { echo "setcap is not installed (libcap2-bin)"; return; }
	_f=$TESTTMP/fcaps-probe
	cp "$TCPSTEP" "$_f"
	_e=$(setcap cap_net_raw+ep "$_f" 2>&1) ||
	    echo "setcap cap_net_raw+ep refused here: $_e"
	rm -f "$_f"
}
FCAPS_WHY=$(fcaps_why_not)
# A test that needs file capabilities: skipped with the reason where they
# cannot be had, a failure then where TCPSTEP_REQUIRE_WIRE is set.
fcaps_t() {
	if [ -z "$FCAPS_WHY" ]; then
		t "$@"
	elif [ -n "${TCPSTEP_REQUIRE_WIRE:-}" ]; then
		echo "not ok - $1: $FCAPS_WHY (TCPSTEP_REQUIRE_WIRE is set)"
	else
		echo "ok - $1 # SKIP $FCAPS_WHY"
	fi
}

# The README's and tcpstep(1)'s way to give CAP_NET_RAW: setcap on a
# copy. Run as nobody it captures on the host's lo (its listener is the
# host's: no private network), and gives the capability up once the
# capture is open.
setcap_copy_captures_on_host() {
	c=$(wire_copy)
	setcap cap_net_raw+ep "$c" || fail "setcap failed"
	d=$(student_dir)
	as_student "$c" --batch --keys 12345667x --pcap "$d/c.pcap" \
	    >"$d/out" 2>&1 || fail "exit $?" "$(cat "$d/out")"
	got=$(segments "$d/c.pcap")
	[ "$got" = "$SEED" ] || fail "tcpdump read:" "$got" "wanted:" "$SEED"
	lab_bg as_student "$c"
	pid=$LAB_PID
	host_listens || fail "not on the host's network"
	holds_cap "$pid" $CAP_NET_RAW && fail "CAP_NET_RAW kept:" \
	    "$(grep ^Cap /proc/"$pid"/status)"
	return 0
}

# Each reset picks the port again (the kernel chooses one at step 1),
# so a tcpdump started alongside must be given -p's port.
server_port() {
	sed -n 's/^> 1 Server Create: OK: .* at [0-9.]*:\([0-9]*\):.*/\1/p'
}
reset_picks_port_unless_p() {
	ports=$($TCPSTEP --batch --no-wire --keys 1r1 | server_port)
	[ "$(say "$ports" | sort -u | wc -l)" -eq 2 ] ||
	    fail "the same port after r:" "$ports"
	p=$((PORT + 1))	# PORT may be a finishing lab's
	ports=$($TCPSTEP --batch --no-wire -p $p --keys 1r1 | server_port)
	[ "$ports" = "$p
$p" ] || fail "-p $p, then r:" "$ports"
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
	# The client's ACK of the record is the last segment: once the Wire
	# view shows it, nothing is left for the capture to read.
	tm send-keys -t t v v
	wait_for "ACK  seq=1 ack=14" || return 1
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
	say "$help" | grep -q "(Explain, Ladder, Wire, Events)" ||
	    fail "--help's v does not name Wire"
	ex=$(say "$man" | sed -n '/^EXAMPLES/,/^SEE ALSO/p')
	for want in "tcpstep --pcap /tmp/lab.pcap" "tcpdump -nr /tmp/lab.pcap" \
	    "tcpstep --no-wire"; do
		say "$ex" | grep -q -- "$want" || fail "EXAMPLES lack $want"
	done
}

wire_t "capture: --pcap read back by tcpdump: S, S., ., P. 13, ., P. 13, ., R." \
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
wire_t "capture: a private network that fails half-way is never entered" \
    half_namespace_never_entered
wire_t "capture: failing half-way in the process itself exits 1, said" \
    half_namespace_in_process_exits
wire_t "capture: no private network: the reason worded by errno (ENOSPC, EPERM)" \
    reasons_worded_by_errno
wire_t "capture: root gives up CAP_NET_RAW once the capture is open" \
    root_gives_up_cap_net_raw
wire_t "capture: the private network without a capture keeps no capability" \
    private_network_without_capture_holds_nothing
wire_t "capture: nsenter -t PID -n ss sees inside the private network" \
    nsenter_sees_inside_private_network
fcaps_t "capture: a setcap cap_net_raw+ep copy run as nobody captures on the host's lo" \
    setcap_copy_captures_on_host
t "capture: each r picks the port again, -p keeps it" \
    reset_picks_port_unless_p
echo "1..19"
