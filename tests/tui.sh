#!/bin/sh
# tui.sh - the real binary in tmux, driven and read the way tmux's own
# regress suite does it: send-keys, capture-pane, bounded polls.
. tests/lib.sh

command -v tmux >/dev/null || { echo "not ok - tui: tmux is not installed"; exit 1; }

RUN="exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP"

three_panes_at() {
	tui_start "$1" "$2" "$RUN" || return 1
	wait_for "Server-Send" || return 1
	on_screen "Server " || fail "no Server pane"
	on_screen "Client " || fail "no Client pane"
	screen | tail -1 | grep -q "^ 1-9 step  .*g guide  a auto  ? help  q quit *$" ||
	    fail "no legend"
	on_screen "Received: nothing yet" || fail "no Received line"
	# Left to right in the seed's order.
	screen | grep -q "Server .*Server-Send .*Client" || fail "pane order"
}

panes_80x24() {
	three_panes_at 80 24
}

panes_120x40() {
	three_panes_at 120 40 || return 1
	[ "$(pane_var pane_width)" = 120 ] || fail "width"
}

every_key_visible() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "1 Create  OK" || return 1
	wait_for "server 127.0.0.1:[0-9]" || return 1
	tm send-keys -t t 2
	wait_for "2 Listen  OK" || return 1
	tm send-keys -t t 3
	wait_for "3 Create  OK" || return 1
	tm send-keys -t t 4
	wait_for "4 Connect OK" || return 1
	wait_counter server OnAccept 1 || return 1
	wait_counter client OnConnect 1 || return 1
	wait_counter client OnSend 1 || return 1
	tm send-keys -t t 5
	wait_for "5 Accept  OK" || return 1
	wait_counter send OnSend 1 || return 1
	tm send-keys -t t 6
	wait_for "6 Send    OK" || return 1
	wait_counter client OnReceive 1 || return 1
	on_screen "Received: nothing yet" || fail "received before 7"
	tm send-keys -t t 7
	wait_for 'Received: 13 bytes "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]\\n"' ||
	    return 1
	wait_for "7 Receive 13 bytes" || return 1
	tm send-keys -t t 7
	wait_for "7 Receive EAGAIN" || return 1
	# At 24 lines the error is short, in the pane's bottom border; i
	# explains every error in full.
	wait_for "recv EAGAIN 10035" || return 1
	tm send-keys -t t i
	wait_for "EAGAIN 11 Resource temporarily unavailable (WSAEWOULDBLOCK 10035)" ||
	    return 1
	wait_for "recv with nothing queued" || return 1
	tm send-keys -t t x
	wait_for "7 Receive EAGAIN" || return 1
	counter_is client OnReceive 1 || fail "OnReceive moved"
	tm send-keys -t t r
	wait_for "r Reset" || return 1
	wait_for "Received: nothing yet" || return 1
	counter_is server OnAccept 0 || fail "reset kept counters"
	# Any key after r works from a clean state.
	tm send-keys -t t 1
	wait_for "1 Create  OK" || return 1
}

out_of_order_explained() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 6
	wait_for "no accepted connection yet" || return 1
	tm send-keys -t t 2
	wait_for "no server socket yet: press 1" || return 1
	tm send-keys -t t 1 3 4
	wait_counter client OnConnect 1 || return 1
	# The step's own paragraph shows first; E shows the notification's.
	tm send-keys -t t E
	wait_for "then press n for a fresh" ||
	    return 1
	tm send-keys -t t Escape
	wait_for "Received:" || return 1
	tm send-keys -t t i
	wait_for "ECONNREFUSED 111 Connection refused (WSAECONNREFUSED 10061)" ||
	    return 1
}

help_screen() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	tm send-keys -t t x
	wait_for "1-9 step" || return 1
	tm send-keys -t t F1
	wait_for "help, page 1 of 4" || return 1
	tm send-keys -t t Escape
	wait_for "1-9 step" || return 1
}

too_small_and_back() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "1 Create  OK" || return 1
	tm resize-window -t t -x 60 -y 20
	wait_for "terminal too small - need 80x24, now 60x20" || return 1
	tm resize-window -t t -x 80 -y 24
	wait_for "Server-Send" || return 1
	on_screen "1 Create  OK" || fail "state lost across resize"
	tm resize-window -t t -x 1 -y 1
	tm resize-window -t t -x 100 -y 30
	wait_for "Server-Send" || return 1
}

no_color() {
	# Colour on: the error is drawn red (SGR 31).
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 7
	wait_for "7 Receive EAGAIN" || return 1
	screen_attrs | grep -q '\[31m\|;31m' || fail "no colour without NO_COLOR"
	tui_stop
	tui_start 80 24 "exec env NO_COLOR=1 LANG=C.UTF-8 $TCPSTEP" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 7
	wait_for "7 Receive EAGAIN" || return 1
	screen_attrs | grep -q '\[3[0-7]m\|;3[0-7]m' && fail "colour with NO_COLOR"
	return 0
}

ascii_borders() {
	tui_start 80 24 "$RUN --ascii" || return 1
	wait_for "+- Server -" || return 1
	on_screen "|" || fail "no ASCII sides"
	tui_stop
	# Not a UTF-8 locale: ASCII without being asked.
	tui_start 80 24 "exec env LANG=C LC_ALL=C $TCPSTEP" || return 1
	wait_for "+- Server -" || return 1
	tui_stop
	tui_start 80 24 "$RUN" || return 1
	wait_for "┌─ Server ─" || return 1
}

terminal_types() {
	for term in xterm xterm-256color screen tmux-256color linux vt100; do
		infocmp "$term" >/dev/null 2>&1 || continue
		tui_start 80 24 "exec env TERM=$term LANG=C.UTF-8 $TCPSTEP" ||
		    return 1
		wait_for "Server-Send" || fail "TERM=$term"
		tm send-keys -t t 1
		wait_for "1 Create  OK" || fail "TERM=$term"
		tui_stop
	done
}

unknown_term() {
	tui_start 80 24 "env TERM=no-such-terminal $TCPSTEP; echo rc=\$?; exec cat" ||
	    return 1
	wait_for "rc=1" || return 1
	wait_for "cannot use terminal type 'no-such-terminal'" || return 1
}

# quit_with HOW STATUS: leave by a key or a signal, check the aftermath.
# A shell stays in the pane after tcpstep (tmux forgets a dead pane's
# cursor state), reporting the exit status.
quit_with() {
	tui_start 80 24 "env LANG=C.UTF-8 LC_ALL= $TCPSTEP; echo rc=\$?; exec cat" ||
	    return 1
	wait_for "Server-Send" || return 1
	pid=$(pgrep -P "$(pane_var pane_pid)") || fail "no tcpstep process"
	tm send-keys -t t 1 2 3 4 5
	wait_for "5 Accept  OK" || return 1
	case $1 in
	q|F10)	tm send-keys -t t "$1" ;;
	*)	kill -s "$1" "$pid" ;;
	esac
	wait_for "rc=$2" || return 1
	kill -0 "$pid" 2>/dev/null && fail "process $pid left behind"
	# The terminal is restored: alternate screen left, cursor shown.
	[ "$(pane_var alternate_on)" = 0 ] || fail "still on alternate screen"
	[ "$(pane_var cursor_flag)" = 1 ] || fail "cursor hidden"
	return 0
}

quit_q()	{ quit_with q 0; }
quit_f10()	{ quit_with F10 0; }
quit_hup()	{ quit_with HUP 129; }
quit_term()	{ quit_with TERM 143; }
quit_int()	{ quit_with INT 130; }
quit_quit()	{ quit_with QUIT 131; }

# A log that cannot be written is said on screen (Events) at once and on
# standard error at the end, and the exit status is 1.
log_failure_on_screen() {
	tui_start 80 24 "env LANG=C.UTF-8 LC_ALL= $TCPSTEP --log /dev/full; echo rc=\$?; exec cat" ||
	    return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "LOG FAILED  loopback lab" || return 1
	tm send-keys -t t q
	wait_for "rc=1" || return 1
	on_screen "tcpstep: --log '/dev/full': No space left on device" ||
	    fail "no message" "$(screen)"
}

# The E page repeats where the server is, which the title may shorten.
explain_page_names_the_server() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t E
	wait_for "Server will listen on: 127.0.0.1, port chosen at step 1" ||
	    return 1
	tm send-keys -t t Escape 1 E
	wait_for "Server reachable at: 127.0.0.1:[0-9]" || return 1
}

# Events scrolled back at 80x24 say so; the E page shows the newest.
events_scrolled_said() {
	tui_walked 80 24 "$RUN" || return 1
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
	poll _screen_steady
	newest=$(screen | grep -o '^ [0-9][0-9]:[0-9:.]*' | tail -1)
	tm send-keys -t t PPage
	wait_for "Events, scrolled back: PgDn for the newest" || return 1
	on_screen "^$newest" && fail "not scrolled" "$(screen)"
	tm send-keys -t t E
	wait_for "The last step, explained in full" || return 1
	wait_for "^$newest" || return 1
}

# _stamps: the transcript stamps on screen now, into $TESTTMP/seen, from
# two captures alike (never a frame half drawn).
_stamps() {
	poll _screen_steady || return 1
	screen | grep -o '^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]*' |
	    tr -d ' ' >>"$TESTTMP/seen"
}

_screen_steady() {
	a=$(screen)
	[ "$a" = "$(screen)" ]
}

# PgUp pages the Events back one view at a time at 80x24 (two rows),
# and PgDn forward: every transcript line shows on some page, none is
# skipped (a page was half the screen, and lines in between never
# showed). Keys in a burst, faster than frames, page alike.
events_pages_skip_nothing() {
	tui_walked 80 24 "$RUN --no-wire --log $TESTTMP/ev.log" || return 1
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
	: >"$TESTTMP/seen"
	_stamps
	i=0
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		now=$(screen)
		tm send-keys -t t PPage
		poll _screen_moved "$now" || break	# the oldest page: no change
		_stamps
	done
	cut -d' ' -f1 "$TESTTMP/ev.log" | sort -u >"$TESTTMP/want"
	sort -u "$TESTTMP/seen" >"$TESTTMP/got"
	missing=$(comm -23 "$TESTTMP/want" "$TESTTMP/got" | head -5)
	[ -z "$missing" ] || fail "PgUp never showed:" $missing "$(screen)"
	# And forward again: PgDn from the oldest page shows every line too.
	: >"$TESTTMP/seen"
	_stamps
	i=0
	while [ $i -lt 60 ] && on_screen "scrolled back"; do
		i=$((i + 1))
		now=$(screen)
		tm send-keys -t t NPage
		poll _screen_moved "$now" || fail "PgDn did nothing" "$(screen)"
		_stamps
	done
	sort -u "$TESTTMP/seen" >"$TESTTMP/got"
	missing=$(comm -23 "$TESTTMP/want" "$TESTTMP/got" | head -5)
	[ -z "$missing" ] || fail "PgDn never showed:" $missing "$(screen)"
	# Three PgUp one by one, then three in one burst: the same page.
	wait_gone "scrolled back" || return 1
	for k in 1 2 3; do
		now=$(screen)
		tm send-keys -t t PPage
		poll _screen_moved "$now" || fail "PgUp did nothing"
	done
	poll _screen_steady
	one=$(screen)
	tm send-keys -t t NPage NPage NPage
	wait_gone "scrolled back" || return 1
	tm send-keys -t t PPage PPage PPage
	wait_for "scrolled back" || return 1
	poll _screen_steady
	[ "$(screen)" = "$one" ] || fail "a burst paged otherwise:" \
	    "one by one:" "$one" "in a burst:" "$(screen)"
}

# _explain_rows: the Explain view's rows at 80x24 (under its rule, over
# the legend), one per line.
_explain_rows() {
	screen | sed -n '/Explain  (v:/,$p' | sed '1d;$d'
}

# PgDn in the Explain view at 80x24: a row cut for "... [E]" comes whole
# on the next page, so no word is only ever behind the "...".
explain_pages_hide_nothing() {
	tui_walked 80 24 "$RUN" || return 1
	wait_for "PgDn more" || return 1
	pages=0
	while on_screen "PgDn more" && [ $pages -lt 40 ]; do
		pages=$((pages + 1))
		last=$(_explain_rows | tail -1)
		now=$(screen)
		tm send-keys -t t NPage
		poll _screen_moved "$now" || fail "PgDn did nothing" "$(screen)"
		case $last in
		*"… [E]")
			cut=${last%"… [E]"}
			cut=${cut%" "}
			_explain_rows | grep -qF -- "$cut" ||
			    fail "page $pages cut \"$last\"; the next lacks it:" \
			    "$(_explain_rows)"
			_explain_rows | grep -F -- "$cut" | grep -q '… \[E\]$' &&
			    fail "page $pages: still cut on the next" \
			    "$(_explain_rows)"
		esac
	done
	[ $pages -ge 2 ] || fail "too few pages to tell" "$(screen)"
}

# i with no error at 80x24: the sentence wraps between words.
errors_page_wraps_words() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t i
	wait_for "Errors on screen, explained" || return 1
	got=$(screen | sed -n '3,6p' | sed 's/^ *//;s/ *$//' | tr '\n' ' ' |
	    sed 's/  *$//')
	[ "$got" = "No error is shown now. Errors appear in the panes and in the step's result; i explains them here." ] ||
	    fail "got: $got" "$(screen)"
}

# PgUp in the Ladder view at 80x24 says it does not scroll, and leaves
# the hidden Events where they were (they moved unseen before).
ladder_pgup_says() {
	tui_walked 80 24 "$RUN" || return 1
	tm send-keys -t t v
	wait_for "Ladder  TCP_INFO" || return 1
	tm send-keys -t t PPage
	wait_for "The Ladder shows the newest segments and does not scroll" ||
	    return 1
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
}

# At 80x24 the Client list's steps line keeps the last step's result
# (n New: OK was cut to "n New: "), the separators narrowing to fit.
list_steps_keep_result() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 n
	wait_for "Client: 2, #2 selected" || return 1
	wait_for "3 Create: OK  4 Connect: -  7 Receive: -  n New: OK" || return 1
	tm send-keys -t t x
	wait_for "3 Create: OK 4 Connect: - 7 Receive: - x Close: OK" || return 1
}

# Guided mode in a list: the key to press shows in reverse video on the
# list's steps line too (6 Send: in Server-Send's, after n made a list).
guide_reverse_in_list() {
	printf 'lesson: L\ngoal: g\nsetup: 1 2 3 4 5 n\nstep: 6\nsay: s\ndone: d\n' \
	    >"$TESTTMP/list.lesson"
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --lesson $TESTTMP/list.lesson" ||
	    return 1
	wait_for "Client: 2, #2 selected" || return 1
	wait_for "6 Send: -" || return 1
	poll _six_reversed ||
	    fail "6 not highlighted" "$(screen_attrs | grep 'Send: -')"
}

_six_reversed() {
	screen_attrs | grep "Send: -" | grep -q "$(printf '\033\\[7m')6"
}

_screen_moved() {
	[ "$(screen)" != "$1" ]
}

# At 80x24 the ladder shows three segments: a step whose first segment
# scrolled off gets no label, so no key sits on the other side's reply.
ladder_labels_their_step() {
	tui_walked 80 24 "$RUN" || return 1
	tm send-keys -t t v
	wait_for "Ladder  TCP_INFO" || return 1
	# The last three: 6's ACK (unlabelled), then 6: data, ACK.
	screen | grep -q "^ 6 .*data 13 bytes" || fail "6 not on its data" "$(screen)"
	[ "$(screen | grep -c '^ 6 ')" -eq 1 ] || fail "6 on its ACK" "$(screen)"
}

# A closed row keeps its address in the list, so rows stay told apart.
closed_rows_keep_address() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	for k in 1 2 3 4 5 n 4 5; do
		tm send-keys -t t $k
		wait_for ">$k \|$k [A-Z][a-z]*: OK\|Server-Send: 2" || return 1
	done
	wait_for "Server-Send: 2, #2 selected" || return 1
	tm send-keys -t t X
	wait_for "X Close: OK" || return 1
	screen | grep -q "> 2 127\.0\.0\.1:[0-9]* *no socket" ||
	    fail "the closed row lost its peer" "$(screen)"
}

# ] on the last lesson starts nothing, so it asks nothing: it says so.
last_lesson_no_question() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide 10" ||
	    return 1
	wait_for "GUIDE: press 1" || return 1
	tm send-keys -t t ']'
	wait_for "Lesson 10 is the last lesson" || return 1
	on_screen "y/n" && fail "asked" "$(screen)"
	return 0
}

# Past 32767 columns curses cannot start: the message says that, and does
# not suggest the TERM already in use.
too_wide_for_curses() {
	tui_start 80 24 "env COLUMNS=40000 LANG=C.UTF-8 $TCPSTEP; echo rc=\$?; exec cat" ||
	    return 1
	wait_for "rc=1" || return 1
	on_screen "40000 columns" || fail "the size is not named"
	on_screen "TERM=" && fail "suggests another TERM"
	return 0
}

idle_makes_no_system_calls() {
	command -v strace >/dev/null || fail "strace is not installed"
	# --no-wire: after F the kernel probes the zero window again and
	# again, and a capture wakes to show each probe (the Wire view's
	# point). Idle with the capture on, nothing in flight, is
	# capture.sh's test; this one is about timers and spinning.
	tui_start 80 24 "$RUN --no-wire" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6
	wait_for "6 Send    OK" || return 1
	wait_counter client OnReceive 1 || return 1
	# Urgent data and a full pipe must not leave anything spinning.
	tm send-keys -t t U
	wait_counter client OnOutOfBandData 1 || return 1
	tm send-keys -t t F
	wait_for "F Fill    full" || return 1
	tm send-keys -t t a a
	wait_for "auto mode off" || true
	pid=$(pane_var pane_pid)
	log=$(mktemp -p "$TESTTMP")
	# Watch the settled process for a second: it must stay asleep.
	timeout -s INT 1 strace -qq -f -p "$pid" -o "$log" 2>/dev/null
	calls=$(grep -v 'resuming interrupted\|<unfinished \.\.\.>\|<detached \.\.\.>' "$log")
	rm -f "$log"
	[ -z "$calls" ] || fail "system calls while idle:" "$calls"
}

lifecycle_keys_and_kernel_view() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2
	wait_for "fd [0-9]* LISTEN" || return 1
	wait_for "queue 0/5" || return 1
	tm send-keys -t t 3 4
	wait_for "queue 1/5" || return 1
	wait_for "fd [0-9]* ESTABLISHED" || return 1
	on_screen "L 127.0.0.1:[0-9]" || fail "no local address"
	on_screen "P 127.0.0.1:[0-9]" || fail "no peer address"
	tm send-keys -t t 5 6
	wait_for "in 13 out 0" || return 1
	tm send-keys -t t 7
	wait_for "7 Receive 13 bytes" || return 1
	tm send-keys -t t 8
	wait_for "8 Send    OK" || return 1
	tm send-keys -t t 9
	wait_for "Server-Send read 18 bytes \"ping " || return 1
	tm send-keys -t t x
	wait_for "x Close   OK" || return 1
	wait_counter send OnClose 1 || return 1
	wait_for "fd [0-9]* CLOSE_WAIT" || return 1
	tm send-keys -t t Z
	wait_for "Z Abort   OK" || return 1
	tm send-keys -t t L
	wait_for "L Close   OK" || return 1
	[ "$(screen | grep -o "no socket" | wc -l)" -eq 3 ] ||
	    fail "sockets left" "$(screen)"
	tm send-keys -t t r 1 2 3 4 5 U
	wait_for "U Urgent  OK" || return 1
	wait_counter client OnOutOfBandData 1 || return 1
	on_screen "in 0 out 0 .*-wu" || fail "urgent not shown ready"
	tm send-keys -t t u
	wait_for "u Urgent  1 urgent" || return 1
	wait_for 'Received: 1 byte "A"' || return 1
}

events_small_and_large() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_for "4 Connect OK" || return 1
	tm send-keys -t t e
	wait_for "── Events  (v: Explain)" || return 1
	wait_for "[0-9]\\{6\\} client      fd [0-9]* EV_WRITE" || return 1
	tm send-keys -t t e
	wait_for "── Explain  (v: Ladder" || return 1
	on_screen "4 Client Connect: connect" || fail "step result hidden"
	tm resize-window -t t -x 120 -y 40
	wait_for "Events " || return 1
	# The call, not the key's line: with a capture, the handshake's
	# segments take rows of the Events too.
	wait_for "connect([0-9]*, 127\\.0\\.0\\.1:[0-9]*) = -1 EINPROGRESS" || return 1
	wait_for "EV_WRITE, SO_ERROR = 0 -> OnConnect(0)" || return 1
	on_screen "4 Client Connect: connect" || fail "step result hidden"
	# The kernel view stays in every pane at the larger size.
	on_screen "fd [0-9]* LISTEN" || fail "no listener state"
	on_screen "queue 1/5" || fail "no accept queue"
	[ "$(screen | grep -o "fd [0-9]* ESTABLISHED" | wc -l)" -eq 1 ] ||
	    fail "client state"
	# Scrolling back and forth.
	tm send-keys -t t 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7
	tm send-keys -t t PPage
	wait_for "Events (scrolled: PgDn)" || return 1
	tm send-keys -t t NPage
	wait_gone "scrolled" || return 1
	wait_for "Events " || return 1
}

help_pages() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	for k in "1  Server" "8  Client" "9  Server-Send" "PgUp" "Ctrl-L"; do
		on_screen "$k" || fail "page 1 lacks $k"
	done
	tm send-keys -t t '?'
	wait_for "help, page 2 of 4" || return 1
	for k in "x  Client      Close" "L  Server      Close" "U  Server-Send Urgent" \
	    "D  Server-Send Drain"; do
		on_screen "$k" || fail "page 2 lacks $k"
	done
	tm send-keys -t t Space
	wait_for "help, page 3 of 4" || return 1
	wait_for "OnOutOfBandData FD_OOB  an urgent byte waits" || return 1
	tm send-keys -t t x
	wait_for "1-9 step" || return 1
	on_screen "x Close" && fail "x closed the help and ran a step"
	return 0
}

auto_mode_on_screen() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter server OnAccept 1 || return 1
	tm send-keys -t t a
	wait_for "AUTO MODE" || return 1
	# Nobody presses 5, 6 or 7: auto mode accepts, sends and receives.
	wait_for "5 Accept  OK" || return 1
	POLL_LIMIT=200 wait_counter client OnReceive 2 || return 1
	wait_for 'Received: 13 bytes' || return 1
	tm send-keys -t t a
	poll sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'AUTO MODE'" ||
	    fail "auto mode still on"
}

# server_list W H: tcpstep -s with 20 clients from Python, accepted one by
# one; the Server-Send list scrolls to keep the selected row in view.
server_list() {
	port=$(test_port "$1")
	tui_start "$1" "$2" "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP -s -p $port" ||
	    return 1
	wait_for "Server-Send: none yet" || return 1
	tm send-keys -t t 1 2
	wait_for "2 Listen  OK" || return 1
	bgrun py python3 tests/peer.py clients 127.0.0.1 "$port" 20
	poll grep -q "connected 20" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	i=0
	while [ $i -lt 20 ]; do
		tm send-keys -t t 5
		i=$((i + 1))
		wait_for "Server-Send: $i, #$i selected" || return 1
	done
	wait_for "│>20 127\\.0\\.0\\.1:[0-9]* *ESTABLISHED " || return 1
	wait_for " $3-20 of 20 " || return 1
	on_screen "│  1 127" && fail "row 1 should have scrolled away"
	on_screen "$4" || fail "no header: $4"
	# Up to row 5: the list scrolls back to its top.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		tm send-keys -t t Up
	done
	wait_for "Server-Send: 20, #5 selected" || return 1
	wait_for "│> 5 127\\.0\\.0\\.1:" || return 1
	wait_for "│  1 127\\.0\\.0\\.1:" || return 1
	wait_for " 1-$5 of 20 " || return 1
	# The steps act on the selected row.
	tm send-keys -t t 6
	wait_for "6 Send: OK" || return 1
	wait_for "6 Server-Send Send: send(" || return 1
}

server_list_80() {
	server_list 80 24 12 "  # peer                 state       Clo OOB Rcv Snd" 9
}

server_list_120() {
	server_list 120 40 8 "  # peer                       state       Acc Clo Con OOB Rcv Snd    in   out" 13
}

# All in one, a second client turns the panes into the two lists.
clients_list() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5
	wait_for "5 Accept  OK" || return 1
	on_screen "Client: " && fail "lists with one client"
	tm send-keys -t t n 4
	wait_for "Client: 2, #2 selected" || return 1
	tm send-keys -t t 5
	wait_for "Server-Send: 2, #2 selected" || return 1
	tm send-keys -t t Tab
	wait_for "Client: 2, #1 selected" || return 1
	tm send-keys -t t BTab
	wait_for "Client: 2, #2 selected" || return 1
}

# The Explain view at 80x24 wraps between words: each of its lines is a
# run of whole words of the paragraph batch mode prints for the same keys.
_pgdn_to_end() {
	on_screen "PgUp back" && return 0
	tm send-keys -t t NPage
	return 1
}

explain_wraps_whole_words() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	for k in 1 2 3 4 5 6; do
		tm send-keys -t t $k
		wait_for ">$k " || return 1
	done
	wait_counter client OnReceive 1 || return 1
	tm send-keys -t t 6
	wait_for "── Explain  (v: Ladder" || return 1
	# The step's paragraph first; PgDn scrolls on to its end.
	wait_for "send copied the bytes" || return 1
	# PgDn until the end shows (its length depends on the text).
	POLL_LIMIT=40 poll _pgdn_to_end || fail "never reached the end" "$(screen)"
	on_screen "one-shot, so two sends can give one" ||
	    fail "the paragraph's end" "$(screen)"
	$TCPSTEP --batch --keys 1234566 | awk '/^> /{ t = "" }
	    /^explain      /{ t = t " " substr($0, 14) } END { print t }' \
	    >"$TESTTMP/expl"
	screen | sed -n '/── Explain/,$p' | sed '1d;$d' >"$TESTTMP/view"
	python3 - "$TESTTMP/expl" "$TESTTMP/view" <<'PY' || fail "$(screen)"
import re, sys
text = " " + open(sys.argv[1]).read().strip() + " "
lines = [re.sub(r' \u2026 \[E\]$', '', l.strip())
         for l in open(sys.argv[2]) if l.strip()]
assert lines, "no Explain text on screen"
for l in lines:
    assert " " + l + " " in text, "not whole words: %r" % l
PY
}

# Every help page fits 80x24: no line runs into the last column.
help_pages_fit() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	for page in 1 2 3 4; do
		tm send-keys -t t '?'
		wait_for "help, page $page of 4" || return 1
		screen | sed '1d;$d' | awk 'length($0) >= 80 { bad = 1; print }
		    END { exit bad }' || fail "page $page clipped"
		[ "$page" -ne 3 ] || on_screen "OnSend    FD_WRITE    you may Send" ||
		    fail "page 3"
	done
	# Page 4, the Wire view's, ends whole (its last line shows).
	on_screen "nc in other windows cannot see them" || fail "page 4" "$(screen)"
	# Page 1 lists every key of its own, the last one too, and no step's
	# help is cut.
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	on_screen "q or F10" || fail "page 1 lost its last key" "$(screen)"
	on_screen "a kernel-picked port$" || fail "step 3's help cut" "$(screen)"
}

# After 1 2 3 4 the ladder shows the handshake, and its segment counts
# are the kernel's: the same as ss -ti says for the client's socket.
ladder_shows_handshake() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnConnect 1 || return 1
	tm send-keys -t t v
	wait_for "── Ladder  TCP_INFO segs out/in: Client [0-9]*/[0-9]*" || return 1
	# Fixed strings: in the C locale a quantifier after a multibyte
	# character would apply to its last byte.
	wait_for " 4 │────" || return 1
	wait_for "──── SYN ────" || return 1
	wait_for "│←────" || return 1
	wait_for "──── SYN, ACK ────" || return 1
	wait_for "──── ACK ────────" || return 1
	wait_for "───→│" || return 1
	port=$(screen | grep -o "L 127\.0\.0\.1:[0-9]*" | tail -1 | cut -d: -f2)
	[ -n "$port" ] || fail "no client port"
	shown=$(screen | sed -n 's/.*segs out\/in: Client \([0-9]*\/[0-9]*\).*/\1/p')
	ss=$(ss -tinH src "127.0.0.1:$port" | tr ' ' '\n' |
	    sed -n 's/^segs_out:\([0-9]*\)$/\1/p; s/^segs_in:\([0-9]*\)$/\1/p' |
	    paste -sd/)
	[ -n "$ss" ] && [ "$shown" = "$ss" ] ||
	    fail "screen says $shown, ss -ti says $ss" "$(ss -tin src 127.0.0.1:$port)"
	# ASCII when asked.
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --ascii" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 v
	wait_for "4 |-* SYN -*>|" || return 1
	wait_for "|<-* SYN, ACK -*|" || return 1
}

# Guided mode on screen: the key to press shows in the legend and in
# reverse video in its pane; a wrong key gets the way back.
guide_on_screen() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide" ||
	    return 1
	wait_for "GUIDE: press 1  lesson 1/10 step 1 of 7" || return 1
	screen_attrs | grep -q "$(printf '\033\\[7m')1" ||
	    fail "key 1 not highlighted" "$(screen_attrs | head -5)"
	tm send-keys -t t 1
	wait_for "GUIDE: press 2  lesson 1/10 step 2 of 7" || return 1
	tm send-keys -t t 7
	wait_for "You pressed 7 (Client" || return 1
	wait_for "The lesson wants 2 (Server Listen)" || return 1
	tm send-keys -t t 2 3 4
	wait_for "GUIDE: press 5" || return 1
	# Sockets are open: ] asks before it closes them.
	tm send-keys -t t ']'
	wait_for "close every socket? y/n" || return 1
	tm send-keys -t t y
	wait_for "lesson 2/10" || return 1
	wait_for "for you: the scene is set" || return 1
	tm send-keys -t t g
	wait_for "1-9 step .*xhzufd Client" || return 1
}

# m switches the model and the Explain view says how the counts differ.
model_on_screen() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 m
	wait_for "EDGE MODEL  loopback lab" || return 1
	tm send-keys -t t 6
	wait_counter client OnReceive 1 || return 1
	tm send-keys -t t 6
	wait_counter client OnReceive 2 || return 1
	# Each arrival is an edge; epoll reports the socket writable too.
	tm send-keys -t t E
	wait_for "(FD_WRITE) on an edge" || return 1
	wait_for "(FD_READ) on an edge" || return 1
	tm send-keys -t t Escape m E
	wait_for "then another because bytes remain" || return 1
	! on_screen "EDGE MODEL" || fail "still says edge"
}

# the_walkthrough_counts: the counters the seed article shows after 1 to 7.
the_walkthrough_counts() {
	wait_for 'Received: 13 bytes' || return 1
	wait_counter server OnAccept 1 || return 1
	counter_is client OnConnect 1 || fail "client OnConnect" "$(screen)"
	counter_is client OnSend 1 || fail "client OnSend" "$(screen)"
	counter_is client OnReceive 1 || fail "client OnReceive" "$(screen)"
	counter_is send OnSend 1 || fail "Server-Send OnSend" "$(screen)"
}

# Typed in one burst (as a paste), 1234567 counts what slow typing counts:
# each key's notifications are delivered before the next key runs.
burst_settles_each_key() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1234567
	the_walkthrough_counts
}

# A burst with a wrong key in the middle of a lesson: the hint, then the
# lesson goes on to its end with the walkthrough's counts.
burst_in_a_lesson() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide" ||
	    return 1
	wait_for "GUIDE: press 1" || return 1
	tm send-keys -t t 12734567
	wait_for "GUIDE: done  lesson 1/10" || return 1
	the_walkthrough_counts
}

# The guide's setup keys are delivered like typed ones: lesson 2 starts
# with the counts of 1 2 3 4 5 typed slowly.
guide_setup_counts() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide 2" ||
	    return 1
	wait_for "for you: the scene is set" || return 1
	wait_for "GUIDE: press 6" || return 1
	wait_counter server OnAccept 1 || return 1
	counter_is client OnConnect 1 || fail "client OnConnect" "$(screen)"
	counter_is client OnSend 1 || fail "client OnSend" "$(screen)"
	counter_is send OnSend 1 || fail "Server-Send OnSend" "$(screen)"
	# The same lesson started by a key, from inside the loop.
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t ']'
	wait_for "for you: the scene is set" || return 1
	wait_for "GUIDE: press 6  lesson 2/10" || return 1
	wait_counter server OnAccept 1 || return 1
	counter_is client OnConnect 1 || fail "] client OnConnect" "$(screen)"
	counter_is client OnSend 1 || fail "] client OnSend" "$(screen)"
	counter_is send OnSend 1 || fail "] Server-Send OnSend" "$(screen)"
}

# An escape sequence curses does not know (PgUp under TERM=vt100 is
# ESC [ 5 ~) is dropped whole: no [ (guide), no 5 (accept).
unknown_sequence_dropped() {
	infocmp vt100 >/dev/null 2>&1 || fail "no vt100 terminfo"
	tui_start 80 24 "exec env TERM=vt100 LANG=C.UTF-8 LC_ALL= $TCPSTEP" ||
	    return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter server OnAccept 1 || return 1
	tm send-keys -t t PPage
	# e comes after PgUp: once Events show, PgUp has been read.
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
	on_screen "GUIDE" && fail "PgUp started the guide" "$(screen)"
	on_screen "5 Accept  -" || fail "PgUp accepted" "$(screen)"
	on_screen "key 5" && fail "PgUp ran key 5" "$(screen)"
	counter_is server OnAccept 1 || fail "OnAccept changed" "$(screen)"
	# A sequence cut in two writes (a slow link) is dropped whole too.
	# The pause is the link's (longer than ESCDELAY, so curses hands
	# over ESC [ alone), not a wait for output.
	tm send-keys -t t -l "$(printf '\033[')"
	sleep 0.06
	tm send-keys -t t -l "5~"
	tm send-keys -t t e
	wait_for "Explain  (v: Ladder" || return 1
	on_screen "5 Accept  -" || fail "the split PgUp accepted" "$(screen)"
	on_screen "GUIDE" && fail "the split PgUp started the guide" "$(screen)"
	tm send-keys -t t e
	wait_for "Events  (v: Explain)" || return 1
	# Escape right before a key is still Escape (it leaves the help).
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	tm send-keys -t t Escape v
	wait_for "Explain  (v: Ladder" || return 1
}

# While the terminal is too small, step keys do nothing, and it says so.
too_small_keys_do_nothing() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm resize-window -t t -x 60 -y 20
	wait_for "terminal too small - need 80x24, now 60x20" || return 1
	tm send-keys -t t 1 6
	wait_for "key 6 does nothing" || return 1
	# No help page fits either: ? is ignored too, and says so.
	tm send-keys -t t '?'
	wait_for "key ? does nothing" || return 1
	tm resize-window -t t -x 80 -y 24
	wait_for "Server-Send" || return 1
	on_screen "help, page" && fail "a help page opened" "$(screen)"
	on_screen "Press 1 to create the server socket" ||
	    fail "a step ran" "$(screen)"
	on_screen "1 Create  -" || fail "1 ran" "$(screen)"
	on_screen "6 Send    -" || fail "6 ran" "$(screen)"
}

# g, [ and ] would close every socket: with sockets open the TUI asks
# first; any key but y cancels and says so. r does not ask.
guide_asks_first() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "1 Create  OK" || return 1
	tm send-keys -t t g
	wait_for "close every socket? y/n" || return 1
	tm send-keys -t t n
	wait_for "Cancelled" || return 1
	on_screen "1 Create  OK" || fail "socket closed" "$(screen)"
	on_screen "GUIDE" && fail "guide on after n" "$(screen)"
	tm send-keys -t t ']'
	wait_for "close every socket? y/n" || return 1
	tm send-keys -t t 2
	wait_for "Cancelled" || return 1
	on_screen "2 Listen  -" || fail "the cancelling key ran" "$(screen)"
	tm send-keys -t t g
	wait_for "close every socket? y/n" || return 1
	tm send-keys -t t y
	wait_for "GUIDE: press 1  lesson 1/10" || return 1
	# No socket: no question.
	tm send-keys -t t ']'
	wait_for "lesson 2/10" || return 1
	wait_for "GUIDE: press 6" || return 1
	tm send-keys -t t r
	wait_for "Lesson started again" || return 1
	on_screen "y/n" && fail "r asked" "$(screen)"
	return 0
}

# pane_text FROM TO: columns FROM to TO (1-based, characters) of the screen.
pane_text() {
	screen | python3 -c '
import sys
a, b = int(sys.argv[1]), int(sys.argv[2])
for l in sys.stdin.read().split("\n"):
    print(l[a - 1:b])' "$1" "$2"
}

# pane_shows FROM TO TEXT: those columns of the screen hold TEXT.
pane_shows() {
	_text=$(pane_text "$1" "$2")
	say "$_text" | grep -q -- "$3"
}

# Every list on screen lines up under its header: each row's state starts
# under "state", each number ends under the end of its heading, and no row
# runs past the header's last heading. Prints the list rows it checked.
lists_aligned() {
	screen | python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
border = "\u2502|"
bad, rows = [], 0
for i, l in enumerate(lines):
    m = re.search(r" # (peer|local) +state ", l)
    if not m:
        continue
    lo = max(l.rfind(c, 0, m.start()) for c in border) + 1
    his = [l.find(c, m.end()) for c in border]
    hi = min([h for h in his if h >= 0] or [len(l)])
    head = l[lo:hi]
    st = head.index("state")
    nums = [(t.start(), t.end()) for t in
        re.finditer(r"Acc|Clo|Con|OOB|Rcv|Snd|in|out", head)]
    last = nums[-1][1]
    for r in lines[i + 1:]:
        seg = r[lo:hi]
        if not re.match(r"[> ] *[0-9]+ ", seg):
            break
        rows += 1
        print(seg.rstrip())
        if not re.match(r"[A-Z_]|no socket", seg[st:]) or seg[st - 1] != " ":
            bad.append("state not under its heading: " + seg)
        if len(seg.rstrip()) > last:
            bad.append("row past its header: " + seg)
        for a, e in nums:
            if e <= len(seg.rstrip()) and (seg[e - 1] == " " or
                (e < len(seg) and seg[e] != " ")):
                bad.append("column %r not aligned: %s" % (head[a:e], seg))
if rows == 0:
    bad.append("no list rows on screen")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)'
}

# Each row keeps its own results: a client made with n shows "-" for
# 4 Connect, where the first client's retry said ECONNABORTED.
rows_keep_their_results() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 3 4
	wait_counter client OnConnect 1 || return 1
	tm send-keys -t t 2 4
	wait_for "4 Connect ECONNABORTED" || return 1
	tm send-keys -t t n
	wait_for "Client: 2, #2 selected" || return 1
	wait_for "4 Connect: -" || return 1
	tm send-keys -t t Tab
	wait_for "Client: 2, #1 selected" || return 1
	wait_for "4 Connect: ECONNABORTED" || return 1
}

# 4 Connect follows its outcome (OK, or OnConnect's error), while the
# pane's error row keeps the call's own EINPROGRESS with Winsock's 10035,
# visible in every pane at 80x24 and in full at 120x40.
connect_follows_outcome() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnConnect 1 || return 1
	wait_for "4 Connect OK" || return 1
	pane_shows 53 80 "connect EINPROGRESS 10035" ||
	    fail "no connect error in the Client pane" "$(screen)"
	tm send-keys -t t 5 5
	wait_for "5 Accept  EAGAIN" || return 1
	pane_shows 1 26 "accept EAGAIN 10035" ||
	    fail "no accept error in the Server pane" "$(screen)"
	# A list's selected row, at 80x24 too.
	tm send-keys -t t n 4
	wait_for "Client: 2, #2 selected" || return 1
	wait_for "4 Connect: OK" || return 1
	pane_shows 27 80 "connect:* EINPROGRESS.* 10035" ||
	    fail "no error for the selected client" "$(screen)"
	tm send-keys -t t r 1 3 4
	wait_for "4 Connect ECONNREFUSED" || return 1
	pane_shows 53 80 "ECONNREFUSED 10061" ||
	    fail "no OnConnect error in the Client pane" "$(screen)"
	tui_stop
	tui_start 120 40 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_for "4 Connect OK" || return 1
	pane_shows 81 120 "connect: EINPROGRESS 115" ||
	    fail "no full error at 120x40" "$(screen)"
	pane_shows 81 120 "(WSAEWOULDBLOCK" && pane_shows 81 120 "10035)" ||
	    fail "no Winsock code at 120x40" "$(screen)"
}

# One spelling of TCP states: the kernel's, in the lists as in the panes.
states_one_spelling() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 n 4 5
	wait_for "Server-Send: 2, #2 selected" || return 1
	wait_for "> 2 127\\.0\\.0\\.1:[0-9]* *ESTABLISHED " || return 1
	tm send-keys -t t x
	wait_for "> 2 127\\.0\\.0\\.1:[0-9]* *CLOSE_WAIT " || return 1
	wait_for "fd [0-9]* CLOSE_WAIT" || return 1
	on_screen "  1 127\\.0\\.0\\.1:[0-9]* *ESTABLISHED " || fail "row 1"
	on_screen "CLOSE-WAIT\\|ESTAB \\|FIN-WAIT" && fail "ss spelling" "$(screen)"
	lists_aligned || fail "$(screen)"
}

# Row ids from 100 and counters above 999 keep the columns under their
# headings, wide and narrow.
columns_stay_aligned() {
	port=$(test_port 40)
	tui_start 120 40 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP -s -4 --max-conns 200 -p $port" ||
	    return 1
	wait_for "Server-Send: none yet" || return 1
	tm send-keys -t t 1 2
	wait_for "2 Listen  OK" || return 1
	bgrun py python3 tests/peer.py clients 127.0.0.1 "$port" 105
	poll grep -q "connected 105" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	tm send-keys -t t a
	POLL_LIMIT=200 wait_for "Server-Send: 105, #1 selected" || return 1
	bgrun fl python3 tests/peer.py flood 127.0.0.1 "$port" 1 20
	POLL_LIMIT=200 poll grep -q '^sent ' "$BDIR/fl.out" || fail "flood"
	wait_for "Server-Send: 106, #1 selected" || return 1
	tm send-keys -t t k
	wait_for "Server-Send: 106, #106 selected" || return 1
	# The flood's OnReceive, more than 999, abbreviated.
	POLL_LIMIT=200 wait_for ">106 127\\.0\\.0\\.1:[0-9]* .*[0-9]k " || return 1
	lists_aligned || fail "$(screen)"
	tm resize-window -t t -x 80 -y 24
	wait_for "Server-Send: 106, #106 selected" || return 1
	lists_aligned || fail "$(screen)"
}

# wide_and_tiny: the lists at 1000x50 (wider than any line buffer) and at
# 2x200 (too small), in every role. Nothing may crash, the rows stay
# aligned, and nothing is written to stderr (where ASan would report).
# wide_lists_in WHAT TEXT: the lists on screen are aligned, and stay so
# through sizes from too small to wider than any line buffer; then q, and
# the exit status and stderr (where ASan and UBSan would report) are clean.
# The command runs as "tcpstep 2>$BDIR/err; echo rc=$?; exec cat".
wide_lists_in() {
	lists_aligned || fail "$1" "$(screen | cut -c1-200)"
	tm resize-window -t t -x 2 -y 200
	tm resize-window -t t -x 200 -y 50
	wait_for "$2" || return 1
	tm resize-window -t t -x 900 -y 50
	wait_for "$2" || return 1
	tm resize-window -t t -x 2 -y 200
	wait_for "" || return 1
	tm resize-window -t t -x 1000 -y 50
	wait_for "$2" || return 1
	lists_aligned || fail "$1" "$(screen | cut -c1-200)"
	tm send-keys -t t q
	wait_for "^rc=" || return 1
	on_screen "^rc=0$" || fail "$1: $(screen | grep '^rc=')" "$(cat "$BDIR/err")"
	[ -s "$BDIR/err" ] && fail "$1: stderr" "$(head -30 "$BDIR/err")"
	return 0
}

wide_and_tiny() {
	w="env LANG=C.UTF-8 LC_ALL= $TCPSTEP"
	e="2>$BDIR/err; echo rc=\$?; exec cat"
	port=$(test_port 41)
	tui_start 1000 50 "$w -s -4 -p $port $e" || return 1
	wait_for "Server-Send: none yet" || return 1
	tm send-keys -t t 1 2
	wait_for "2 Listen  OK" || return 1
	bgrun py python3 tests/peer.py clients 127.0.0.1 "$port" 2
	poll grep -q "connected 2" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	tm send-keys -t t 5 5
	wait_for "Server-Send: 2, #2 selected" || return 1
	wide_lists_in "-s" "Server-Send: 2, #2 selected" || return 1

	tui_start 1000 50 "$w $e" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 n 4 5
	wait_for "Client: 2, #2 selected" || return 1
	wait_for "Server-Send: 2, #2 selected" || return 1
	wide_lists_in "all in one" "Client: 2, #2 selected" || return 1

	port=$(test_port 42)
	bstart srv $TCPSTEP -s -4 -p "$port"
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN" || return 1
	tui_start 1000 50 "$w -c 127.0.0.1 -p $port $e" || return 1
	wait_for "Client" || return 1
	tm send-keys -t t 3 4 n 4
	wait_for "Client: 2, #2 selected" || return 1
	wide_lists_in "-c" "Client: 2, #2 selected" || return 1
	bend srv
}

t "tui: three panes, legend and Received line at 80x24" panes_80x24
t "tui: three panes at 120x40" panes_120x40
t "tui: every key 1-7 and r has its visible effect" every_key_visible
t "tui: out-of-order keys give explained results" out_of_order_explained
t "tui: ? and F1 open help, any key returns" help_screen
t "tui: too-small screen at 60x20, resumes when grown" too_small_and_back
t "tui: NO_COLOR turns colour off" no_color
t "tui: --ascii and non-UTF-8 locales draw ASCII borders" ascii_borders
t "tui: works under xterm, screen, tmux-256color, linux, vt100" terminal_types
t "tui: unknown TERM exits 1 with a clear message" unknown_term
t "tui: q quits, restores the terminal, leaves no process" quit_q
t "tui: F10 quits" quit_f10
t "tui: SIGHUP restores the terminal and exits" quit_hup
t "tui: SIGTERM restores the terminal and exits" quit_term
t "tui: SIGINT restores the terminal and exits" quit_int
t "tui: SIGQUIT (Ctrl-\\) restores the terminal and exits" quit_quit
t "tui: a terminal too wide for curses is named as the reason" too_wide_for_curses
t "tui: a --log that cannot be written is said, and exit 1" log_failure_on_screen
t "tui: the E page names where the server is" explain_page_names_the_server
t "tui: ] on the last lesson asks nothing and says why" last_lesson_no_question
t "tui: a closed row keeps its peer's address in the list" closed_rows_keep_address
t "tui: ladder labels sit on their step's first segment" ladder_labels_their_step
t "tui: scrolled-back Events say so at 80x24; E shows the newest" events_scrolled_said
t "tui: PgUp and PgDn page the Events a view at a time, skipping no line" events_pages_skip_nothing
t "tui: PgDn in Explain shows a row cut for E whole on the next page" explain_pages_hide_nothing
t "tui: i with no error wraps its sentence between words at 80x24" errors_page_wraps_words
t "tui: PgUp in the Ladder says it does not scroll, Events stay put" ladder_pgup_says
t "tui: a list's steps line keeps the last step's result at 80x24" list_steps_keep_result
t "tui: guided mode shows the next key reversed on a list's steps line" guide_reverse_in_list
t "tui: lifecycle keys and the kernel view render at 80x24" lifecycle_keys_and_kernel_view
t "tui: Events at 80x24 (key e) and at 120x40, scrolling" events_small_and_large
t "tui: three help pages list every key and notification" help_pages
t "tui: auto mode drives the steps on screen" auto_mode_on_screen
t "tui: idle, the process makes no system calls" idle_makes_no_system_calls
t "tui: the Server-Send list at 80x24 scrolls with the selection" server_list_80
t "tui: the Server-Send list at 120x40 shows every counter" server_list_120
t "tui: a second client shows the two lists, Tab picks" clients_list
t "tui: the Explain view at 80x24 wraps between whole words" explain_wraps_whole_words
t "tui: every help page fits 80x24 unclipped" help_pages_fit
t "tui: the ladder shows the handshake after 4, its counts agree with ss -ti" ladder_shows_handshake
t "tui: guided mode highlights the next key and hints after a wrong one" guide_on_screen
t "tui: m switches the notification model, Explain says how counts differ" model_on_screen
t "tui: a burst of 1234567 counts what slow typing counts" burst_settles_each_key
t "tui: a burst with a wrong key in a lesson reaches the lesson's end" burst_in_a_lesson
t "tui: --guide 2's setup keys deliver their notifications" guide_setup_counts
t "tui: an unknown escape sequence (PgUp under vt100) is dropped whole" unknown_sequence_dropped
t "tui: keys do nothing while the terminal is too small" too_small_keys_do_nothing
t "tui: g, [ and ] ask before closing sockets; any key but y cancels" guide_asks_first
t "tui: each row keeps its own step results (n after 1 3 4 2 4)" rows_keep_their_results
t "tui: 4 Connect follows its outcome, the error row keeps connect's 10035" connect_follows_outcome
t "tui: TCP states spelled as the kernel names them, lists included" states_one_spelling
t "tui: ids from 100 and counters above 999 keep the columns aligned" columns_stay_aligned
t "tui: lists at 1000x50 and 2x200 in every role: no crash, aligned" wide_and_tiny

# A key that does nothing says so on the last line, and the next key
# takes the legend back.
unknown_key_says_so() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t Q
	wait_for "Q is not a key here: ? for help" || return 1
	tm send-keys -t t 1
	wait_for "1 Server Create" || return 1
	wait_gone "is not a key here" || fail "the notice stayed" "$(screen)"
}

# Help page 1 says PgUp/PgDn scroll the Wire view too; page 4 explains
# the Wire view's marks and the private network.
help_names_wire() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	on_screen "PgUp/PgDn scroll the Explain text, the Wire view or the Events" ||
	    fail "PgUp/PgDn's help leaves out Wire" "$(screen)"
	tm send-keys -t t '?' '?' '?'
	wait_for "help, page 4 of 4" || return 1
	for k in "=  match" "!  differs" "+  extra" "-  not seen" \
	    '"private network" in the title'; do
		on_screen "$k" || fail "page 4 lacks $k" "$(screen)"
	done
}

t "tui: an unknown key says it is not a key here" unknown_key_says_so
t "tui: help names the Wire view, its marks and the private network" help_names_wire
