# lib.sh - shared helpers for tcpstep's shell tests (sourced, POSIX sh).
#
# Each test is a shell function; `t name fn` runs it and prints a TAP line,
# "ok - name" or "not ok - name" followed by what went wrong as "# " lines.
# tmux helpers follow tmux's own regress suite: a private server, a detached
# session of a fixed size, send-keys, capture-pane, and a bounded poll for
# screen content instead of a bare sleep.

TCPSTEP=${TCPSTEP:-./tcpstep}
TMUX_SOCK="tcpstep-test-$$"
TMUX_USED=$(mktemp)			# every tmux server a test started
POLL_LIMIT=${POLL_LIMIT:-100}		# tries of 0.05 s: 5 s at most

t() {
	_name=$1
	shift
	_log=$(mktemp)
	if ( "$@" ) >"$_log" 2>&1; then
		echo "ok - $_name"
	else
		echo "not ok - $_name"
		sed 's/^/# /' "$_log" | head -40
	fi
	rm -f "$_log"
	tui_stop_all
}

fail() {
	for _line in "$@"; do
		printf '%s\n' "$_line"
	done
	return 1
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
