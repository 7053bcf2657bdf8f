#!/bin/sh
# guide.sh - guided mode has no dead ends: a lesson that can no longer go on
# says so and names the key that recovers, and the lessons keep to the
# Winsock model they teach.
. tests/lib.sh

# guide_line N KEYS [OPTION...]: the last guide line of lesson N after KEYS.
guide_line() {
	_n=$1
	_k=$2
	shift 2
	$TCPSTEP --batch --guide "$_n" "$@" --keys "$_k" | grep '^guide ' |
	    tail -1
}

# dead_end N KEYS CAUSE GOOD: after KEYS lesson N cannot go on, the guide
# line says so, names r and the CAUSE (a pattern); r then GOOD completes it.
dead_end() {
	l=$(guide_line "$1" "$2") || fail "exit $?"
	say "$l" | grep -q "next=r | This lesson cannot go on: $3.* Press r to start it again" ||
	    fail "lesson $1 after $2:" "$l"
	l=$(guide_line "$1" "$2r$4") || fail "exit $?"
	say "$l" | grep -q "^guide        lesson=$1 done | Lesson done\." ||
	    fail "lesson $1 after $2r$4:" "$l"
}

# 1: Server-Send closed before it sends; its send is refused.
dead_end_1() { dead_end 1 12345X6 "Server-Send is closed" 1234567; }
# 2: the Client aborted; the second record can never reach it.
dead_end_2() { dead_end 2 6z6 "the Client is closed" 66777; }
# 3: Server-Send closed; nothing can send the record step 2 waits for.
dead_end_3() { dead_end 3 7X6 "Server-Send is closed" 767; }
# 4: the server listened before the connect, which the lesson wants
# refused; OnConnect(0) came, once per connect.
dead_end_4() { dead_end 4 1234 "OnConnect came at Client with no error, not with ECONNREFUSED as this step needs" 1342n4; }
# 5: the brief's example, Server-Send closed before the Client's close.
dead_end_5() { dead_end 5 6X7x "Server-Send is closed" 67xn45h6n45Z; }
# 6: Server-Send closed between two urgent bytes.
dead_end_6() { dead_end 6 UXuU "Server-Send is closed" UuUUu; }
# 7: Server-Send closed while its pipe was full: no OnSend can come.
dead_end_7() { dead_end 7 FXd "Server-Send is closed" Fd; }
# 8: the Client aborted while auto mode waited for its records.
dead_end_8() { dead_end 8 az "the Client is closed" awww8wa; }

# Soft ends: the guide names the key that really recovers.
soft_ends() {
	# Lesson 8: auto mode switched off again before two records came.
	l=$(guide_line 8 aa) || fail "exit $?"
	say "$l" | grep -q "next=a | .*auto mode off: nothing is sent or read on its own now\. Press a again" ||
	    fail "auto off:" "$l"
	l=$(guide_line 8 aaawww8wa) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "aaa:" "$l"
	# Lesson 2: a recv of 26 bytes read both records, so no second
	# OnReceive can come until Server-Send sends again.
	l=$(guide_line 2 667 --recv-size 26) || fail "exit $?"
	say "$l" | grep -q "next=6 | Nothing waits for the Client and nothing is on its way, so OnReceive cannot come: press 6" ||
	    fail "667 --recv-size 26:" "$l"
	l=$(guide_line 2 6676 --recv-size 26) || fail "exit $?"
	say "$l" | grep -q "step 4 of 5 next=7 " || fail "6676:" "$l"
	# Lesson 5: the closed first client picked again (C): Tab back.
	l=$(guide_line 5 67xnC) || fail "exit $?"
	say "$l" | grep -q "next=c | The selected Client row is closed.*Tab" ||
	    fail "67xnC:" "$l"
	l=$(guide_line 5 67xnCc45h6n45Z) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "67xnCc...:" "$l"
	# Lesson 4: a client closed before its connect: 3 makes it again.
	l=$(guide_line 4 13x4) || fail "exit $?"
	say "$l" | grep -q "next=3 | The Client is closed, so its key 4 .*press 3" ||
	    fail "13x4:" "$l"
	l=$(guide_line 4 13x342n4) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "13x342n4:" "$l"
	l=$(guide_line 4 1342nx4) || fail "exit $?"
	say "$l" | grep -q "next=3 | The Client is closed" ||
	    fail "1342nx4:" "$l"
	l=$(guide_line 4 1342nx34) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "1342nx34:" "$l"
	# Lesson 5: bytes unread at Server-Send hold its OnClose back: D.
	l=$(guide_line 5 678x) || fail "exit $?"
	say "$l" | grep -q "next=D | Server-Send has 18 bytes unread.*press D" ||
	    fail "678x:" "$l"
	l=$(guide_line 5 678xDn45h6n45Z) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "678xD...:" "$l"
}

# A step key refused at its turn never leaves the guide waiting.
refused_step_never_waits() {
	# 4 before 1: refused at its turn later? No: 1 3 then 2 4 goes on.
	l=$(guide_line 1 1323) || fail "exit $?"
	say "$l" | grep -q "step 4 of 7 next=4 " || fail "1323:" "$l"
	# Lesson 5's 6 after X: refused, no "waiting".
	l=$(guide_line 5 X6) || fail "exit $?"
	say "$l" | grep -q "waiting" && fail "X6:" "$l"
	say "$l" | grep -q "cannot go on" || fail "X6:" "$l"
	# A step that failed with an error (7 with nothing to read) is not
	# taken as done either, and 6 then 7 goes on.
	l=$(guide_line 1 123456d7) || fail "exit $?"
	say "$l" | grep -q "step 7 of 7 next=6 | Nothing waits for the Client" ||
	    fail "d7:" "$l"
	l=$(guide_line 1 123456d767) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "d767:" "$l"
}

# m during a lesson is refused with a reason; the model stays Winsock.
model_key_refused() {
	o=$($TCPSTEP --batch --guide 2 --keys 6m) || fail "exit $?"
	say "$o" | grep -q '^> m Guide: refused: .*Winsock' || fail "$o"
	say "$o" | grep -q '^> m Model' && fail "m switched:" "$o"
	l=$(guide_line 2 6m6777) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "6m6777:" "$l"
	# Once the lesson is done, m switches, to compare the models.
	o=$($TCPSTEP --batch --guide 2 --keys 66777m) || fail "exit $?"
	say "$o" | grep -q '^> m Model: edge-triggered' || fail "done m:" "$o"
	# Out of guided mode m still switches.
	o=$($TCPSTEP --batch --guide 2 --keys gm) || fail "exit $?"
	say "$o" | grep -q '^> m Model: edge-triggered' || fail "gm:" "$o"
}

# Started under --model edge, a lesson asks for m before it goes on.
model_edge_at_start() {
	l=$(guide_line 2 6 --model edge) || fail "exit $?"
	say "$l" | grep -q "step 1 of 5 next=m | The edge-triggered model is on.*Press m" ||
	    fail "edge 6:" "$l"
	o=$($TCPSTEP --batch --guide 2 --model edge --keys m66777) ||
	    fail "exit $?"
	say "$o" | grep -q '^> m Model: Winsock' || fail "$o"
	say "$o" | grep '^guide ' | tail -1 | grep -q "done | Lesson done" ||
	    fail "$o"
	# m before g: the same.
	o=$($TCPSTEP --batch --keys mg6) || fail "exit $?"
	say "$o" | grep '^guide ' | tail -1 | grep -q "next=m | The edge-triggered model is on" ||
	    fail "mg6:" "$o"
}

# Dead ends found by playing random keys: a half-closed peer, an urgent
# byte behind a full pipe or read past, and a waiting step told to press
# the key it already pressed.
more_dead_ends() {
	# Server-Send had OnClose (h), yet OnSend still comes after a fill
	# in CLOSE_WAIT: no dead end.
	l=$(guide_line 7 1h9F) || fail "exit $?"
	say "$l" | grep -q "cannot go on" && fail "1h9F:" "$l"
	l=$(guide_line 7 1h9Fd) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "1h9Fd:" "$l"
	l=$(guide_line 6 FU) || fail "exit $?"
	say "$l" | grep -q "next=r | This lesson cannot go on: the urgent byte waits behind [0-9]* bytes the Client has not read" ||
	    fail "FU:" "$l"
	# A second d reads what was still on its way when the first one met
	# EAGAIN (on a busy machine the sender is still pushing then).
	l=$(guide_line 6 FUdd) || fail "exit $?"
	say "$l" | grep -q "next=r | This lesson cannot go on: no urgent byte waits at the Client" ||
	    fail "FUdd:" "$l"
	$TCPSTEP --batch --guide 6 --keys FUddu | grep -q '^> u Client Urgent: EINVAL' ||
	    fail "FUddu: the urgent byte was still there"
	l=$(guide_line 6 FUddrUuUUu) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "FUdr...:" "$l"
	# A new client, never connected, selected while auto mode waits.
	l=$(guide_line 8 793an7X) || fail "exit $?"
	say "$l" | grep -q "next=r | This lesson cannot go on: the selected Client row is not connected" ||
	    fail "793an7X:" "$l"
	# Auto mode on and waiting: another key does not ask for a again.
	l=$(guide_line 8 a3) || fail "exit $?"
	say "$l" | grep -q "Press a to go on" && fail "a3:" "$l"
	say "$l" | grep -q "still waiting for two records" || fail "a3:" "$l"
}

# What the lessons' closing texts say the kernel does, played for real.
lesson_texts_hold() {
	# Lesson 5: after RST the bytes that had arrived are read first,
	# then recv fails with ECONNRESET.
	o=$($TCPSTEP --batch --guide 5 --keys 67xn45h6n456Z77) || fail "exit $?"
	say "$o" | grep '^> 7 ' | tail -2 | head -1 |
	    grep -q '^> 7 Client Receive: 13 bytes: ' || fail "$o"
	say "$o" | grep '^> 7 ' | tail -1 |
	    grep -q '^> 7 Client Receive: ECONNRESET: ' || fail "$o"
	$TCPSTEP --batch --guide 5 --keys 67xn45h6n45Z | grep '^guide ' |
	    tail -1 | grep -q 'on Linux the peer reads what had reached it, then ECONNRESET' ||
	    fail "lesson 5's text"
	# Lesson 6: C replaced B, and B is not in the stream either.
	o=$($TCPSTEP --batch --guide 6 --keys UuUUu7) || fail "exit $?"
	say "$o" | grep '^received ' | tail -1 | grep -q '"C"$' || fail "$o"
	say "$o" | grep -q '^> 7 Client Receive: EAGAIN' || fail "$o"
	# Lesson 8: auto mode reads the line, and the counters stop after a.
	o=$($TCPSTEP --batch --guide 8 --keys awww8waw) || fail "exit $?"
	say "$o" | grep -q '^server-read  18 bytes "ping ' || fail "$o"
	[ "$(say "$o" | grep '^client ' | tail -2 | uniq | wc -l)" -eq 1 ] ||
	    fail "counters moved after a:" "$(say "$o" | grep '^client ')"
}

# The same on screen: m turned down with its reason, a dead end told and
# r shown as the key to press.
guide_tui() {
	tui_start 120 40 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide 2" ||
	    return 1
	wait_for "GUIDE: press 6" || return 1
	tm send-keys -t t m
	wait_for "m is turned down during a lesson" || return 1
	on_screen "EDGE MODEL" && fail "m switched the model" "$(screen)"
	tm send-keys -t t 6 z 6
	wait_for "GUIDE: press r" || return 1
	wait_for "This lesson cannot go on" || return 1
	tm send-keys -t t r
	wait_for "GUIDE: press 6" || return 1
}

# A step whose effect already holds (3 when the Client has a socket) is
# done, not a dead end; a socket made again starts its counts afresh; a
# connect that came back wrong names x, the key that recovers.
no_false_dead_end() {
	l=$(guide_line 1 13) || fail "exit $?"
	say "$l" | grep -q "cannot go on" && fail "13:" "$l"
	say "$l" | grep -q "step 2 of 7 next=2 " || fail "13:" "$l"
	l=$(guide_line 1 132) || fail "exit $?"
	say "$l" | grep -q "step 4 of 7 next=4 | .*| Good: .*3 (Client Create) was already done" ||
	    fail "132:" "$l"
	# 4 before 2: refused; x and 3 make a fresh socket whose connect
	# is judged on its own.
	for k in 134x 134x3 134x32; do
		l=$(guide_line 1 $k) || fail "exit $?"
		say "$l" | grep -q "cannot go on" && fail "$k:" "$l"
	done
	l=$(guide_line 1 134x32) || fail "exit $?"
	say "$l" | grep -q "step 4 of 7 next=4 " || fail "134x32:" "$l"
	l=$(guide_line 1 134x324567) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "134x324567:" "$l"
	# 2 after the refused connect: x recovers, and says so.
	l=$(guide_line 1 1342) || fail "exit $?"
	say "$l" | grep -q "step 4 of 7 next=x | .*ECONNREFUSED.*press x" ||
	    fail "1342:" "$l"
	l=$(guide_line 1 1342x) || fail "exit $?"
	say "$l" | grep -q "step 4 of 7 next=3 " || fail "1342x:" "$l"
	l=$(guide_line 1 1342x34567) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "1342x34567:" "$l"
	l=$(guide_line 1 1342n4567) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "1342n4567:" "$l"
}

# Lesson 5: x with a record unread sends RST, and Server-Send's
# OnClose(ECONNRESET) is not the graceful close the step shows.
abortive_close_not_graceful() {
	o=$($TCPSTEP --batch --guide 5 --keys 676x) || fail "exit $?"
	say "$o" | grep '^row          server-send' | tail -1 |
	    grep -q "OnClose=1 .*errno=ECONNRESET" || fail "kernel:" "$o"
	l=$(say "$o" | grep '^guide ' | tail -1)
	say "$l" | grep -q "step 3 of 12 next=r | .*ECONNRESET.*unread.*RST" ||
	    fail "676x:" "$l"
	# Before the x, the guide says to read the record first.
	l=$(guide_line 5 676) || fail "exit $?"
	say "$l" | grep -q "step 3 of 12 next=d | The Client has 13 bytes unread.*RST" ||
	    fail "676:" "$l"
	l=$(guide_line 5 676dxn45h6n45Z) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "676dx...:" "$l"
}

# Lesson 2: a recv between the two records spoils "OnReceive stays at
# 1"; the guide says so in plain words instead of the step's text.
lesson2_premise_gone() {
	for k in 6776 676; do
		l=$(guide_line 2 $k) || fail "exit $?"
		say "$l" | grep -q "stays at 1\|Only 13 bytes" && fail "$k:" "$l"
		say "$l" | grep -q "step 2 of 5 next=r | The Client called recv (7 or d) since its OnReceive.* Press r" ||
		    fail "$k:" "$l"
	done
	l=$(guide_line 2 6776r66777) || fail "exit $?"
	say "$l" | grep -q "done | Lesson done" || fail "6776r...:" "$l"
}

# ] on the last lesson and [ on the first say so and restart nothing.
lesson_ends() {
	o=$($TCPSTEP --batch --guide 10 --keys '1]') || fail "exit $?"
	say "$o" | grep '^guide ' | tail -1 |
	    grep -q "lesson=10 step 2 of 7 .*| Lesson 10 is the last lesson: \[ goes back to lesson 9, g leaves the guide\.$" ||
	    fail "]:" "$(say "$o" | grep '^guide ')"
	o=$($TCPSTEP --batch --guide 1 --keys '1[') || fail "exit $?"
	say "$o" | grep '^guide ' | tail -1 |
	    grep -q "lesson=1 step 2 of 7 .*| Lesson 1 is the first lesson" ||
	    fail "[:" "$(say "$o" | grep '^guide ')"
}

# A key that completes its step at once says "Good".
good_after_a_step() {
	l=$(guide_line 1 1) || fail "exit $?"
	say "$l" | grep -q "step 2 of 7 next=2 | .* | Good: 1 (Server Create) gave OK\.$" ||
	    fail "1:" "$l"
	l=$(guide_line 3 7) || fail "exit $?"
	say "$l" | grep -q "step 2 of 3 next=6 | .* | Good: 7 (Client Receive) gave EAGAIN\.$" ||
	    fail "3 7:" "$l"
}

t "guide: lesson 1 dead end (Server-Send closed) says so, r recovers" dead_end_1
t "guide: lesson 2 dead end (Client aborted) says so, r recovers" dead_end_2
t "guide: lesson 3 dead end (Server-Send closed) says so, r recovers" dead_end_3
t "guide: lesson 4 dead end (listening before the connect) says so, r recovers" dead_end_4
t "guide: lesson 5 dead end (6 X 7 x) says so, r recovers" dead_end_5
t "guide: lesson 6 dead end (Server-Send closed) says so, r recovers" dead_end_6
t "guide: lesson 7 dead end (full pipe, Server-Send closed) says so, r recovers" dead_end_7
t "guide: lesson 8 dead end (Client aborted in auto mode) says so, r recovers" dead_end_8
t "guide: a lesson that waits on another key names it" soft_ends
t "guide: a refused or failed step key never leaves the guide waiting" refused_step_never_waits
t "guide: m is refused during a lesson, with the reason" model_key_refused
t "guide: a lesson under --model edge asks for m, then runs" model_edge_at_start
t "guide: dead ends found by random keys say so too" more_dead_ends
t "guide: on screen, m is turned down and a dead end shows r" guide_tui
t "guide: what the lessons say the kernel does holds when played" lesson_texts_hold
t "guide: a step already done is no dead end; x names its way back" no_false_dead_end
t "guide: lesson 5 takes x with a record unread (RST) as no graceful close" abortive_close_not_graceful
t "guide: lesson 2 says when a recv spoiled its second step" lesson2_premise_gone
t "guide: ] on the last lesson and [ on the first say so" lesson_ends
t "guide: a key that completes its step says Good" good_after_a_step
