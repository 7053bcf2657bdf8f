#!/bin/sh
# pair.sh - lessons across two machines (tcpstep-lesson(5), role: pair):
# tcpstep -s --guide N in one network namespace and tcpstep -c HOST
# --guide N in another, each pressing the steps "on:" its side and
# waiting for what the partner's keys cause there; a wrong key on one
# side; the screen's "Your partner presses ..."; and the parser's on:
# errors (FILE:LINE, exit 2), which need no namespace.
# The namespaces need root (ip netns); skipped with the reason otherwise.
. tests/lib.sh

BIN=$(cd "$(dirname "$TCPSTEP")" && pwd)/$(basename "$TCPSTEP")
NS_A=tcpstep-pa-$$
NS_B=tcpstep-pb-$$
NS_ALL="$NS_A $NS_B"
P='lesson: t\ngoal: g\nrole: pair\n'
S='lesson: t\ngoal: g\n'

# Each line: the file (printf %b), a tab, the one line tcpstep must say.
BAD_TABLE="${S}step: 1\\non: server\\n	bad.lesson:4: \"on:\" is for two-machine lessons: give \"role: pair\" before the first \"step:\"
${P}step: 1\\non: both\\n	bad.lesson:5: on: give server or client, not \"both\"
${P}step: 1\\non: server\\non: server\\n	bad.lesson:6: \"on:\" given twice in this step
${P}step: 4\\non: server\\n	bad.lesson:5: on: server, but key \"4\" is a step of the Client pane, which only tcpstep -c has
${P}step: 6\\non: client\\n	bad.lesson:5: on: client, but key \"6\" is a step of the Server-Send pane, which only tcpstep -s has
${P}step: 1\\nsay: s\\ndone: d\\n	bad.lesson:4: step 1 has no \"on:\" (in a \"role: pair\" lesson each step says who acts: on: server or on: client)
${P}step: 1\\nsay: s\\non: server\\nstep: 3\\nsay: s\\nstep: 4\\n	bad.lesson:7: step 2 has no \"on:\" (in a \"role: pair\" lesson each step says who acts: on: server or on: client)
${P}on: server\\n	bad.lesson:4: \"on:\" outside a step (it follows \"step:\")
${P}step: 1\\non:\\n	bad.lesson:5: \"on:\" has no value"

# Every row: exit 2, one line on stderr, exactly that line.
on_errors() {
	lesson_table_refused "$BAD_TABLE" 9
}

# Lessons that do not fit the role are refused with the ones that do;
# a pair lesson plays both sides in one all-in-one lab.
roles_fit() {
	err=$($TCPSTEP -s --guide 1 --batch --keys 1 2>&1 >/dev/null)
	[ $? -eq 2 ] || fail "-s --guide 1 ran: $err"
	say "$err" | grep -q '^tcpstep: --guide: lesson 1, ".*", uses the all-in-one lab: run it without -s; the lessons for two machines are [0-9, ]*9, 10$' ||
	    fail "$err"
	err=$($TCPSTEP -c 10.77.0.1 --guide 2 --batch --keys 3 2>&1 >/dev/null)
	[ $? -eq 2 ] && say "$err" | grep -q 'without -c' || fail "$err"
	o=$($TCPSTEP --check-lesson lessons/09-pair-exchange.lesson \
	    lessons/10-pair-refused.lesson) || fail "$o"
	say "$o" | grep -q '^lessons/09-pair-exchange.lesson: pass (8 of 8 steps)$' ||
	    fail "$o"
	o=$($TCPSTEP --guide 9 --batch --keys 1234567x 2>&1) || fail "$o"
	say "$o" | grep -q '^guide        lesson=9 step 4 of 8 next=4 | Press 4: connect' ||
	    fail "$o"
	say "$o" | grep -q '^guide        lesson=9 done' || fail "$o"
	say "$o" | grep -q 'Your partner presses' && fail "all in one: $o"
	return 0
}

# The guide's line of a side: "guide        lesson=9 step 4 of 8 next=. | ..."
gwait() {
	bwait "$1" "guide " "$2"
}

# The article's scenario over two hosts, both sides guided; a wrong key
# on the client and one on the server in the middle.
pair_exchange() {
	two_hosts
	bstart srv ip netns exec $NS_A $TCPSTEP -s --guide 9
	bstart cli ip netns exec $NS_B $TCPSTEP -c 10.77.0.1 --guide 9
	bkeys srv 1
	gwait srv "lesson=9 step 2 of 8 next=2 | Press 2" || return 1
	bkeys srv 2
	gwait srv "lesson=9 step 4 of 8 next=\. | Your partner presses 4 (Client Connect) on the client\. Here, wait for OnAccept at the Server\. | Good: 2 (Server Listen) gave OK\.$" ||
	    return 1
	# Off the path while the partner's step is due: said, and no harm.
	bkeys srv 6
	gwait srv "step 4 of 8 next=\. | Your partner presses 4 .* | You pressed 6 (Server-Send Send): not now\. It is your partner's turn: they press 4 (Client Connect) on the client\.$" ||
	    return 1
	# The client sees the server's steps 1 and 2 as done: it starts at 3.
	bkeys cli 3
	gwait cli "lesson=9 step 4 of 8 next=4 | Press 4: connect" || return 1
	# A wrong key on the client: the usual off-track message.
	bkeys cli 7
	gwait cli "step 4 of 8 next=4 | Press 4: .* | You pressed 7 (Client Receive): .*\. The lesson wants 4 (Client Connect)\. Press 4 to go on, or r to start this lesson again\.$" ||
	    return 1
	bkeys cli 4
	gwait cli "step 6 of 8 next=\. | Your partner presses 6 (Server-Send Send) on the server\. Here, wait for OnReceive at the Client\. | " ||
	    return 1
	# The server was waiting: OnAccept came, and the guide moved on.
	gwait srv "step 5 of 8 next=5 | Press 5: .* | Your partner's 4 (Client Connect) came through\. The kernels completed" ||
	    return 1
	grep -q '^> \. Notified while waiting' "$BDIR/srv.out" ||
	    fail "no notified snapshot: $(tail -20 "$BDIR/srv.out")"
	bkeys srv 5
	gwait srv "step 6 of 8 next=6 | Press 6" || return 1
	bkeys srv 6
	gwait srv "step 8 of 8 next=\. | Your partner presses x (Client Close) on the client\. Here, wait for OnClose at Server-Send\. | Good: 6 (Server-Send Send) gave " ||
	    return 1
	gwait cli "step 7 of 8 next=7 | Press 7: .* | Your partner's 6 (Server-Send Send) came through\.$" ||
	    return 1
	bkeys cli 7
	gwait cli "step 8 of 8 next=x | Press x" || return 1
	bkeys cli x
	gwait cli "lesson=9 done | Lesson done\. That is" || return 1
	gwait srv "lesson=9 done | Lesson done\. That is" || return 1
	bwait srv "server-send " "OnClose=1 .* errno=0$" || return 1
	bend cli && bend srv
}

# A client that connects before the server listens: ECONNREFUSED on the
# client's machine, then listen and connect again.
pair_refused() {
	two_hosts
	bstart srv ip netns exec $NS_A $TCPSTEP -s --guide 10
	bstart cli ip netns exec $NS_B $TCPSTEP -c 10.77.0.1 --guide 10
	bkeys srv 1
	# The client's 3 and 4 cause nothing the server can see: its 2 is next.
	gwait srv "lesson=10 step 4 of 7 next=2 | Press 2" || return 1
	bkeys cli 34
	bwait cli "client " "OnConnect=1 .*errno=ECONNREFUSED$" || return 1
	gwait cli "lesson=10 step 5 of 7 next=n | Press n" || return 1
	bkeys srv 2
	gwait srv "step 6 of 7 next=\. | Your partner presses 4 (Client Connect) on the client\. Here, wait for OnAccept at the Server\." ||
	    return 1
	bkeys cli n
	gwait cli "step 6 of 7 next=4" || return 1
	bkeys cli 4
	# The server's 5 has nothing the client can see: the client is done.
	gwait cli "lesson=10 done" || return 1
	gwait srv "step 7 of 7 next=5 | Press 5: .* | Your partner's 4 (Client Connect) came through\.$" ||
	    return 1
	bkeys srv 5
	gwait srv "lesson=10 done" || return 1
	bend cli && bend srv
}

# The screen of the server side: the partner's step, then its arrival.
pair_screen() {
	two_hosts
	tui_start 120 45 "ip netns exec $NS_A $TCPSTEP -s --guide 9" ||
	    fail "tmux"
	wait_for "GUIDE: press 1" || return 1
	tm send-keys -t t 1
	wait_for "GUIDE: press 2" || return 1
	tm send-keys -t t 2
	wait_for "Your partner presses 4 (Client Connect) on the client" ||
	    return 1
	wait_for "GUIDE: waiting  lesson 9/10 step 4 of 8" || return 1
	o=$(ip netns exec $NS_B $TCPSTEP -c 10.77.0.1 --batch --keys 34w) ||
	    fail "$o"
	wait_for "Your partner's 4 (Client Connect) came through" || return 1
	wait_for "GUIDE: press 5  lesson 9/10 step 5 of 8" || return 1
}

t "pair: on: errors are FILE:LINE, exit 2" on_errors
t "pair: -s and -c run only the lessons for them; all in one runs both sides" roles_fit
netns_or_skip pair "exchange" "refused" "screen"
t "pair: lesson 9 over two hosts, each side waiting for its partner's steps, wrong keys on both" pair_exchange
t "pair: lesson 10 over two hosts: ECONNREFUSED, then listen and connect again" pair_refused
t "pair: the server's screen shows the partner's step and moves on when it arrives" pair_screen
