#!/bin/sh
# mouse.sh - the mouse in tmux: xterm's SGR 1006 reports (and X10's under
# TERM=screen) sent to the pane as the terminal would send them, found
# by where capture-pane shows a step; bounded polls, as tests/tui.sh.
. tests/lib.sh

command -v tmux >/dev/null || { echo "not ok - mouse: tmux is not installed"; exit 1; }
command -v python3 >/dev/null || { echo "not ok - mouse: python3 is not installed"; exit 1; }

ESC=$(printf '\033')
LOG=$TESTTMP/log
# xterm-256color's terminfo names SGR 1006 (kmous=\E[<), so curses asks
# for it; --no-wire: no capture wakes the loop.
RUN="exec env TERM=xterm-256color LANG=C.UTF-8 LC_ALL= $TCPSTEP --no-wire --log $LOG"

# xy TEXT [N]: the 1-based column;row where the Nth (default first)
# occurrence of TEXT on the screen begins, as a mouse report gives them.
xy() {
	screen | python3 -c '
import sys
text, n = sys.argv[1], int(sys.argv[2])
for row, line in enumerate(sys.stdin.read().split("\n"), 1):
	col = line.find(text)
	while col >= 0:
		n -= 1
		if n == 0:
			print("%d;%d" % (col + 1, row))
			sys.exit(0)
		col = line.find(text, col + 1)
sys.exit(1)' "$1" "${2:-1}"
}

# sgr BUTTON X;Y [m]: one SGR report, a press (M) or a release (m).
sgr() {
	tm send-keys -t t -l "$ESC[<$1;$2${3:-M}"
}

# click TEXT [N]: press and release button 1 on TEXT.
click() {
	_at=$(xy "$1" "${2:-1}") || fail "not on screen: $1" "$(screen)"
	sgr 0 "$_at"
	sgr 0 "$_at" m
}

keys_logged() {
	grep -c '^[0-9:.]* key ' "$LOG"
}

_keys_are() {
	[ "$(keys_logged)" = "$1" ]
}

# A click on a step line runs the step, as its key would: the transcript
# says "key N", the pane its result; 6 in Server-Send sends to the Client.
click_presses_step() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	[ "$(pane_var mouse_sgr_flag)" = 1 ] || fail "SGR mouse mode is off"
	# One click at a time, each step's result awaited, as a hand clicks.
	for s in "1 Create" "2 Listen" "3 Create" "4 Connect" "5 Accept"; do
		click "$s"
		wait_for ">$s " || return 1
	done
	wait_for ">5 Accept  OK" || return 1
	click "6 Send"
	wait_for ">6 Send    OK" || return 1
	wait_counter client OnReceive 1 || return 1
	grep -q "key 6: Server-Send Send" "$LOG" || fail "no key 6" "$(cat "$LOG")"
	[ "$(keys_logged)" = 6 ] || fail "not six keys" "$(cat "$LOG")"
}

# Press and release in one read, as a fast hand or a slow SSH link
# delivers them: curses gives one KEY_MOUSE for the pair and getmouse
# the release first, so the press must be fetched too (this lost clicks).
click_in_one_read() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	for s in "1 Create" "2 Listen" "3 Create" "4 Connect" "5 Accept"; do
		_at=$(xy "$s") || fail "not on screen: $s" "$(screen)"
		tm send-keys -t t -l "$ESC[<0;${_at}M$ESC[<0;${_at}m"
		wait_for ">$s " || return 1
	done
	[ "$(keys_logged)" = 5 ] || fail "not five keys" "$(cat "$LOG")"
}

click_in_one_read_x10() {
	_x10_click "$ESC[M ##$ESC[M###"
}

# A click on empty space, on a counter, on the title, and a drag that
# starts on a step but ends elsewhere press nothing and say nothing.
click_elsewhere_nothing() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	at=$(xy "OnReceive") || fail "no OnReceive"
	sgr 0 "$at"
	sgr 0 "$at" m
	sgr 0 "50;1"
	sgr 0 "50;1" m
	sgr 0 "60;4"		# under 6 Send: an empty line of the pane
	sgr 0 "60;4" m
	sgr 0 "$(xy "1 Create")"
	sgr 0 "$(xy "OnClose")" m
	tm send-keys -t t 1
	wait_for ">1 Create  OK" || return 1
	[ "$(keys_logged)" = 1 ] || fail "a click pressed a key" "$(cat "$LOG")"
	on_screen "not a key" && fail "a click said something" "$(screen)"
	on_screen "\\[<" && fail "a report shows" "$(screen)"
	return 0
}

# The wheel (buttons 64 and 65) scrolls the Events back and forth, as
# PgUp and PgDn do: at 80x24 the one view, at 120x40 its box.
wheel_scrolls_events() {
	tui_walked 80 24 "$RUN" || return 1
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
	sgr 64 "40;20"
	wait_for "Events, scrolled back: PgDn for the newest" || return 1
	sgr 65 "40;20"
	wait_gone "scrolled back" || return 1
	wait_for "Events  (v: Explain)" || return 1
	[ "$(keys_logged)" = 8 ] || fail "the wheel pressed a key" "$(cat "$LOG")"
}

# The wheel in the Explain view turns its pages as PgDn and PgUp do.
wheel_scrolls_explain() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_for "CAsyncSocket::Connect: connect on a non-blocking" || return 1
	on_screen "will say how it ended. The server" &&
	    fail "the second page shows already" "$(screen)"
	sgr 65 "40;20"
	wait_for "will say how it ended. The server" || return 1
	on_screen "CAsyncSocket::Connect: connect on" &&
	    fail "the first page still shows" "$(screen)"
	sgr 64 "40;20"
	wait_for "CAsyncSocket::Connect: connect on a non-blocking" || return 1
	[ "$(keys_logged)" = 4 ] || fail "the wheel pressed a key" "$(cat "$LOG")"
}

wheel_scrolls_events_box() {
	tui_start 120 40 "$RUN" || return 1
	wait_for "Events " || return 1
	tm send-keys -t t 1 2 3 4 5 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7
	poll _keys_are 21 || fail "keys not run"
	wait_for "key 7: Client Receive" || return 1
	sgr 64 "60;35"
	wait_for "Events (scrolled: PgDn)" || return 1
	sgr 65 "60;35"
	wait_gone "scrolled" || return 1
}

# A click on a row of the Client list selects it (Tab the shorter way).
click_selects_row() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 n
	wait_for "Client: 2, #2 selected" || return 1
	at=$(xy "  1 127.0.0.1") || fail "no row 1" "$(screen)"
	sgr 0 "$at"
	sgr 0 "$at" m
	wait_for "Client: 2, #1 selected" || return 1
	# The list's own step line presses too: a second key 4.
	click "4 Connect"
	poll _key4_twice || fail "no second key 4" "$(cat "$LOG")"
}

_key4_twice() {
	[ "$(grep -c "key 4: Client Connect" "$LOG")" = 2 ]
}

# Two row clicks in one read: the second moves from where the first
# left the selection, not from where it was when both were read.
row_clicks_in_one_read() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 3 n n
	wait_for "Client: 3, #3 selected" || return 1
	a=$(xy "  1 127.0.0.1") || fail "no row 1" "$(screen)"
	b=$(xy "  2 127.0.0.1") || fail "no row 2" "$(screen)"
	tm send-keys -t t -l "$ESC[<0;${a}M$ESC[<0;${a}m$ESC[<0;${b}M$ESC[<0;${b}m"
	wait_for "Client: 3, #2 selected" || return 1
}

# _only_2_ran: press 2 (Listen, not now without 1) and see that it is the
# only key run, and that nothing before it said anything or showed.
_only_2_ran() {
	tm send-keys -t t 2
	wait_for ">2 Listen  not now" || return 1
	[ "$(keys_logged)" = 1 ] || fail "a report pressed a key" "$(cat "$LOG")"
	on_screen "not a key" && fail "a report said something" "$(screen)"
	return 0
}

# --no-mouse: no reporting asked for, and a report that comes anyway
# (a program before left the terminal reporting) presses nothing and
# shows nothing, in SGR's form or in X10's.
no_mouse() {
	tui_start 100 30 "$RUN --no-mouse" || return 1
	wait_for "Server-Send" || return 1
	[ "$(pane_var mouse_any_flag)" = 0 ] || fail "mouse reporting is on"
	click "1 Create"
	sgr 64 "40;20"
	_only_2_ran
}

# _x10_ignored TERM: under --no-mouse an X10 report (a program before us
# left the terminal reporting) is dropped whole, its bytes run no key:
# under TERM=screen, whose terminfo names X10's reports (curses gives
# KEY_MOUSE for their start), and under xterm-256color, whose names
# SGR's (the bytes come to tcpstep as an unknown sequence).
_x10_ignored() {
	tui_start 100 30 "exec env TERM=$1 LANG=C.UTF-8 LC_ALL= $TCPSTEP --no-wire --log $LOG --no-mouse" ||
	    return 1
	wait_for "Server-Send" || return 1
	# Button 1 at column 17 (byte 32+17, "1"), row 3 ("#"); release.
	tm send-keys -t t -l "$ESC[M 1#"
	tm send-keys -t t -l "$ESC[M#1#"
	_only_2_ran
}

no_mouse_x10() {
	_x10_ignored screen
}

no_mouse_x10_under_sgr() {
	_x10_ignored xterm-256color
}

# _x10_click REPORT...: under TERM=screen, whose terminfo names X10's
# reports, each argument written to the pane at once presses "1 Create"
# (column 3, row 3: bytes 32+3 "#", 32+3 "#").
_x10_click() {
	tui_start 100 30 "exec env TERM=screen LANG=C.UTF-8 LC_ALL= $TCPSTEP --no-wire --log $LOG" ||
	    return 1
	wait_for "Server-Send" || return 1
	xy "1 Create" | grep -q '^3;3$' || fail "1 Create moved: $(xy "1 Create")"
	for _r in "$@"; do
		tm send-keys -t t -l "$_r"
	done
	wait_for ">1 Create  OK" || return 1
	grep -q "key 1: Server Create" "$LOG" || fail "no key 1"
}

# Under TERM=screen curses asks for X10's reports; a click works there too.
click_x10() {
	_x10_click "$ESC[M ##" "$ESC[M###" || return 1
	[ "$(pane_var mouse_standard_flag)" = 1 ] || fail "mouse mode is off"
}

# q, a signal, or Ctrl-Z: mouse reporting is off again (and back on fg).
restored_after_q() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	[ "$(pane_var mouse_any_flag)" = 1 ] || fail "mouse reporting is off"
	tm send-keys -t t q
	poll pane_is_dead || fail "still running"
	[ "$(pane_var mouse_any_flag)" = 0 ] || fail "mouse reporting left on"
	[ "$(pane_var alternate_on)" = 0 ] || fail "alternate screen left on"
}

restored_after_term() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for ">1 Create  OK" || return 1
	kill -TERM "$(pane_var pane_pid)"
	poll pane_is_dead || fail "still running"
	[ "$(pane_var mouse_any_flag)" = 0 ] || fail "mouse reporting left on"
}

_flag_is() {
	[ "$(pane_var mouse_any_flag)" = "$1" ]
}

restored_on_suspend() {
	tui_start 100 30 "exec env TERM=xterm-256color sh" || return 1
	tm send-keys -t t "$TCPSTEP --no-wire --log $LOG" Enter
	wait_for "Server-Send" || return 1
	poll _flag_is 1 || fail "mouse reporting is off"
	tm send-keys -t t C-z
	wait_for "Stopped" || return 1
	poll _flag_is 0 || fail "mouse reporting left on while stopped"
	tm send-keys -t t "fg" Enter
	wait_for "Server-Send" || return 1
	poll _flag_is 1 || fail "mouse reporting not back after fg"
	click "1 Create"
	wait_for ">1 Create  OK" || return 1
	tm send-keys -t t q
	poll _flag_is 0 || fail "mouse reporting left on after q"
}

# Help page 2 says what the mouse does, or that it is off, at 80x24.
help_page_says() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t '?' '?'
	wait_for "Mouse     click a step to press it, a row to select it; the wheel scrolls" ||
	    return 1
	tui_start 80 24 "$RUN --no-mouse" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t '?' '?'
	wait_for "Mouse     off (--no-mouse, or no mouse here)" || return 1
}

help_lists() {
	"$TCPSTEP" --help | grep -q -- "--no-mouse" || fail "no --no-mouse"
}

echo "1..18"
t "mouse: a click on a step line presses it (key 6 in the transcript)" click_presses_step
t "mouse: press and release in one read press the step" click_in_one_read
t "mouse: X10 press and release in one read press the step" click_in_one_read_x10
t "mouse: clicks elsewhere and drags press nothing" click_elsewhere_nothing
t "mouse: the wheel scrolls the Events view back and forth" wheel_scrolls_events
t "mouse: the wheel turns the Explain view's pages" wheel_scrolls_explain
t "mouse: the wheel scrolls the Events box" wheel_scrolls_events_box
t "mouse: a click on a list row selects it, its step line presses" click_selects_row
t "mouse: --no-mouse asks for no reports and ignores SGR ones" no_mouse
t "mouse: --no-mouse ignores X10 reports" no_mouse_x10
t "mouse: --no-mouse ignores X10 reports where terminfo names SGR's" no_mouse_x10_under_sgr
t "mouse: two row clicks in one read end on the second row" row_clicks_in_one_read
t "mouse: X10 reports under TERM=screen press too" click_x10
t "mouse: q switches mouse reporting off" restored_after_q
t "mouse: SIGTERM switches mouse reporting off" restored_after_term
t "mouse: Ctrl-Z switches it off, fg back on" restored_on_suspend
t "mouse: help page 2 says what the mouse does, or that it is off" help_page_says
t "mouse: --help lists --no-mouse" help_lists
