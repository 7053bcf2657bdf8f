# lib.sh - shared helpers for tcpstep's shell tests (sourced, POSIX sh).
#
# Each test is a shell function; `t name fn` runs it and prints a TAP line,
# "ok - name" or "not ok - name" followed by what went wrong as "# " lines.
# tmux helpers follow tmux's own regress suite: a private server, a detached
# session of a fixed size, send-keys, capture-pane, and a bounded poll for
# screen content instead of a bare sleep.

TCPSTEP=${TCPSTEP:-./tcpstep}
TMUX_SOCK="tcpstep-test-$$"

# Everything a suite writes goes under one directory, removed when it ends
# however it ends; a suite that needs more cleaning calls lib_cleanup from
# its own trap.
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpstep-test.XXXXXX") || exit 1
lib_cleanup() {
	tui_stop_all
	bstop_all
	rm -rf "$TESTTMP"
}
trap lib_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

TMUX_USED=$TESTTMP/tmux-servers	# every tmux server a test started
: >"$TMUX_USED"
POLL_LIMIT=${POLL_LIMIT:-100}		# tries of 0.05 s: 5 s at most

t() {
	_name=$1
	shift
	_log=$TESTTMP/test.log
	if ( "$@" ) >"$_log" 2>&1; then
		echo "ok - $_name"
	else
		echo "not ok - $_name"
		sed 's/^/# /' "$_log" | head -40
	fi
	rm -f "$_log"
	tui_stop_all
	bstop_all
}

# Print what went wrong and end the test: each test runs in a subshell of
# its own (see t), so exit ends just that test, wherever fail is called.
fail() {
	for _line in "$@"; do
		printf '%s\n' "$_line"
	done
	exit 1
}

# Poll until a command succeeds; 5 s at most.
poll() {
	_i=0
	while ! "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -ge "$POLL_LIMIT" ] && return 1
		sleep 0.05
	done
	return 0
}

tm() {
	tmux -L "$TMUX_SOCK" -f /dev/null "$@"
}

# tui_start W H COMMAND: a fresh tmux server and session "t" running
# COMMAND, kept on screen after it exits. Each start gets a server of its
# own, so a server still shutting down can never answer the next test.
tui_start() {
	TMUX_SOCK="tcpstep-test-$$-$(date +%s%N)"
	echo "$TMUX_SOCK" >>"$TMUX_USED"
	tm start-server \; set-option -g remain-on-exit on \; \
	    set-option -g default-terminal screen \; \
	    new-session -d -x "$1" -y "$2" -s t "$3" || return 1
}

# tui_walked W H COMMAND: tui_start, then the seed's walkthrough
# 1 2 3 4 5 6 6 7 awaited to its Receive: where many screen tests start.
tui_walked() {
	tui_start "$1" "$2" "$3" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6 6 7
	wait_for "7 Receive 13 bytes"
}

tui_stop() {
	tm kill-server 2>/dev/null
	return 0
}

tui_stop_all() {
	while read -r _sock; do
		tmux -L "$_sock" kill-server 2>/dev/null
	done <"$TMUX_USED"
	: >"$TMUX_USED"
}

screen() {
	tm capture-pane -p -t t
}

# The screen with its attributes as escape sequences (capture-pane -e).
screen_attrs() {
	tm capture-pane -e -p -t t
}

on_screen() {
	screen | grep -q -- "$1"
}

wait_for() {
	poll on_screen "$1" || { echo "never appeared: $1"; screen; return 1; }
}

_not_on_screen() {
	! on_screen "$1"
}

# wait_gone TEXT: poll until TEXT has left the screen.
wait_gone() {
	poll _not_on_screen "$1" || { echo "never went away: $1"; screen; return 1; }
}

pane_var() {
	tm display-message -p -t t "#{$1}"
}

pane_is_dead() {
	[ "$(pane_var pane_dead)" = 1 ]
}

# counter_is PANE NAME VALUE: the pane (server, send or client) shows that
# counter with that value. The three panes list the same counter on one
# row, left to right, so the Nth value after NAME belongs to the Nth pane.
counter_is() {
	case $1 in
	server) _n=1 ;;
	send)	_n=2 ;;
	client)	_n=3 ;;
	esac
	_v=$(screen | awk -v name="$2" -v n="$_n" '
	    { k = 0; for (i = 1; i < NF; i++) if ($i == name && ++k == n)
	      print $(i + 1) }')
	[ "$_v" = "$3" ]
}

wait_counter() {
	poll counter_is "$1" "$2" "$3" ||
	    { echo "$1 $2 never became $3"; screen; return 1; }
}

# printf, not echo: dash's echo would turn the "\n" in escaped output into a
# real newline.
say() {
	printf '%s\n' "$*"
}

# Batch sessions driven like a script on another machine would drive them:
# bstart NAME COMMAND... runs COMMAND --batch with its keys coming from a
# fifo (held open, so it waits for more) and its output in $BDIR/NAME.out;
# bkeys NAME KEYS sends keys; bend NAME closes the fifo and waits for the
# exit. bwait NAME PREFIX PATTERN polls until the newest output line
# starting with PREFIX matches PATTERN.
BDIR=$TESTTMP/batch
mkdir -p "$BDIR"

bstart() {
	_b=$1
	shift
	rm -f "$BDIR/$_b.in"
	mkfifo "$BDIR/$_b.in" || return 1
	"$@" --batch <"$BDIR/$_b.in" >"$BDIR/$_b.out" 2>&1 &
	echo $! >"$BDIR/$_b.pid"
	sleep 600 >"$BDIR/$_b.in" &
	echo $! >"$BDIR/$_b.hold"
}

bkeys() {
	printf '%s' "$2" >"$BDIR/$1.in"
}

bout() {
	cat "$BDIR/$1.out"
}

blast() {
	grep -- "^$2" "$BDIR/$1.out" | tail -1
}

_bmatch() {
	blast "$1" "$2" | grep -q -- "$3"
}

bwait() {
	poll _bmatch "$1" "$2" "$3" || {
		echo "$1: never matched: $2 ... $3"
		tail -30 "$BDIR/$1.out"
		return 1
	}
}

_bgone() {
	! kill -0 "$(cat "$BDIR/$1.pid")" 2>/dev/null
}

bend() {
	kill "$(cat "$BDIR/$1.hold")" 2>/dev/null
	poll _bgone "$1" || { echo "$1 did not exit at end of input"; return 1; }
}

# Every batch session and helper a test left behind.
bstop_all() {
	[ -d "$BDIR" ] || return 0
	for _f in "$BDIR"/*.hold "$BDIR"/*.pid; do
		[ -f "$_f" ] && kill "$(cat "$_f")" 2>/dev/null
	done
	rm -f "$BDIR"/*
	return 0
}

# A port for a test's server: different for each test run.
test_port() {
	echo $((20000 + ($$ * 7 + ${1:-0}) % 30000))
}

# bgrun NAME COMMAND...: a helper process (a peer) with its output in
# $BDIR/NAME.out, stopped by bstop_all.
bgrun() {
	_b=$1
	shift
	"$@" >"$BDIR/$_b.out" 2>&1 &
	echo $! >"$BDIR/$_b.pid"
}

# The real wire (tcpstep(1), THE WIRE): tcpstep captures as root (or with
# CAP_NET_RAW) on the host's lo, and otherwise in a private user + network
# namespace it makes itself. wire_why_not prints why neither can work here,
# nothing when one can.
wire_why_not() {
	[ "$(id -u)" -eq 0 ] && return
	unshare -Urn true 2>/dev/null ||
	    echo "not root and no unprivileged user namespaces here"
}

# A wire test: called as t is. Where the wire cannot work here it is
# skipped with the reason; where TCPSTEP_REQUIRE_WIRE is set (.ci/run sets
# it) a skip is a failure.
WIRE_WHY=${WIRE_WHY-$(wire_why_not)}
wire_t() {
	if [ -z "$WIRE_WHY" ]; then
		t "$@"
	elif [ -n "${TCPSTEP_REQUIRE_WIRE:-}" ]; then
		echo "not ok - $1: $WIRE_WHY (TCPSTEP_REQUIRE_WIRE is set)"
	else
		echo "ok - $1 # SKIP $WIRE_WHY"
	fi
}

# Run a command as an unprivileged user, as a student's account would:
# as root through setpriv as nobody (the binary must be where nobody can
# reach it: see wire_copy), otherwise as we are.
as_student() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}

# A copy of tcpstep nobody can run, under TESTTMP (the tree may be
# private to its owner); prints its path.
wire_copy() {
	chmod 755 "$TESTTMP"
	cp "$TCPSTEP" "$TESTTMP/tcpstep-student"
	chmod 755 "$TESTTMP/tcpstep-student"
	echo "$TESTTMP/tcpstep-student"
}

# A table of bad lessons, one row "CONTENT<TAB>MESSAGE" (CONTENT with
# printf's escapes): each is refused by --check-lesson and --lesson alike,
# exit 2 and exactly MESSAGE on stderr. $1: the table; $2: the fewest rows
# it must have. BIN: tcpstep by an absolute path (the file is read from a
# scratch directory, as an instructor's own would be).
lesson_table_refused() {
	_tab=$(printf '\t')
	_dir=$TESTTMP/bad
	mkdir -p "$_dir"
	: >"$_dir/count"
	say "$1" | while IFS="$_tab" read -r _content _want; do
		printf '%b' "$_content" >"$_dir/bad.lesson"
		for _opt in --check-lesson --lesson; do
			_err=$(cd "$_dir" && "$BIN" $_opt bad.lesson --batch \
			    --keys 1 2>&1 >/dev/null </dev/null)
			_rc=$?
			[ "$_rc" -eq 2 ] || fail "$_opt $_content: exit $_rc" "$_err"
			[ "$_err" = "$_want" ] ||
			    fail "$_opt $_content:" "want: $_want" "got:  $_err"
		done
		echo x >>"$_dir/count"
	done || exit 1
	[ "$(wc -l <"$_dir/count")" -ge "$2" ] ||
	    fail "only $(wc -l <"$_dir/count") cases"
}

# Network namespaces (netns.sh, pair.sh, class.sh). A suite names the
# namespaces it makes in NS_ALL; ns_cleanup, the EXIT trap of the test's
# subshell, removes them, and what runs in them, even when a test fails.
ns_cleanup() {
	bstop_all
	tui_stop_all
	for _ns in $NS_ALL; do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$_ns" 2>/dev/null
		rm -rf "/etc/netns/$_ns"
	done
	return 0
}

# Two hosts joined by a veth pair: A at 10.77.0.1 and fd77::1, B at
# 10.77.0.2 and fd77::2 (namespaces $NS_A and $NS_B).
two_hosts() {
	trap ns_cleanup EXIT
	ip netns add $NS_A && ip netns add $NS_B &&
	ip link add tsa$$ type veth peer name tsb$$ &&
	ip link set tsa$$ netns $NS_A && ip link set tsb$$ netns $NS_B &&
	ip -n $NS_A addr add 10.77.0.1/24 dev tsa$$ &&
	ip -n $NS_B addr add 10.77.0.2/24 dev tsb$$ &&
	ip -n $NS_A -6 addr add fd77::1/64 dev tsa$$ nodad &&
	ip -n $NS_B -6 addr add fd77::2/64 dev tsb$$ nodad &&
	ip -n $NS_A link set tsa$$ up && ip -n $NS_B link set tsb$$ up &&
	ip -n $NS_A link set lo up && ip -n $NS_B link set lo up ||
	    fail "cannot build the two namespaces"
}

# Whether this machine lets us make network namespaces: root alone is not
# enough in a container or an unprivileged user namespace.
netns_why_not() {
	[ "$(id -u)" -ne 0 ] && { echo "needs root"; return; }
	command -v ip >/dev/null || { echo "needs ip (iproute2)"; return; }
	_err=$(ip netns add "tcpstep-probe-$$" 2>&1) || {
		echo "cannot create a network namespace here: $_err"
		return
	}
	ip netns del "tcpstep-probe-$$"
}

# netns_or_skip SUITE NAME...: where no namespace can be made, the suite
# reports each named test skipped with the reason, or failed where
# TCPSTEP_REQUIRE_NETNS is set (.ci/run sets it), and ends.
netns_or_skip() {
	_suite=$1
	shift
	_why=$(netns_why_not)
	[ -z "$_why" ] && return 0
	for _n in "$@"; do
		if [ -n "${TCPSTEP_REQUIRE_NETNS:-}" ]; then
			echo "not ok - $_suite: $_n: $_why (TCPSTEP_REQUIRE_NETNS is set)"
		else
			echo "ok - $_suite: $_n # SKIP $_why"
		fi
	done
	exit 0
}
