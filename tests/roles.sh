#!/bin/sh
# roles.sh - tcpstep -s and -c in batch mode against peers nobody here
# wrote: nc, socat and Python's socket module; many clients; running out
# of descriptors; name resolution.
. tests/lib.sh

PEER="python3 tests/peer.py"
TIME='[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9]'

# The newest snapshot's lines (from its "= after" line on).
last_snapshot() {
	awk '/^= after /{ buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' \
	    "$BDIR/$1.out"
}

server_accepts_nc_and_socat() {
	port=$(test_port 1)
	bstart srv $TCPSTEP -s -p "$port"
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN local=\[::\]:$port" || return 1
	bgrun nc sh -c "(printf 'hello from nc\\033[2J\\n'; sleep 5) | nc 127.0.0.1 $port"
	bwait srv "kernel       server " "queue=1/" || return 1
	# accept re-enables OnAccept: the second client announces itself.
	bkeys srv 5
	bgrun socat sh -c "(printf 'hi from socat\\n'; sleep 5) | socat - TCP6:[::1]:$port"
	bwait srv "server " "OnAccept=2 " || return 1
	bkeys srv 59k9
	poll sh -c "grep -c '^= after 9' $BDIR/srv.out | grep -qx 2" || return 1
	bwait srv "row          server-send#2" "" || return 1
	snap=$(last_snapshot srv)
	# Both listed, with their own addresses and what they sent, escaped.
	say "$snap" | grep -q '^row          server-send#1 \* .* ESTABLISHED .*peer=127\.0\.0\.1:[0-9]* .* read="hello from nc\\x1b\[2J\\n"$' ||
	    fail "nc row:" "$snap"
	say "$snap" | grep -q '^row          server-send#2 - .*OnReceive=1 .* ESTABLISHED .*peer=\[::1\]:[0-9]* .* read="hi from socat\\n"$' ||
	    fail "socat row:" "$snap"
	# The raw escape byte never reaches the output.
	grep -q "$(printf '\033')" "$BDIR/srv.out" && fail "raw ESC in output"
	bend srv
}

client_receives_from_socat() {
	port=$(test_port 2)
	bgrun socat socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr \
	    SYSTEM:'echo hello-client; sleep 3'
	poll sh -c "ss -ltn | grep -q 127.0.0.1:$port" || fail "socat not listening"
	o=$($TCPSTEP -c 127.0.0.1 -p "$port" --batch --keys 34w7x) || fail "exit $?"
	say "$o" | grep -q "^> 4 Client Connect: in progress: connect([0-9]*, 127\.0\.0\.1:$port)" ||
	    fail "$o"
	say "$o" | grep -q '^client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=1 OnSend=1 ' ||
	    fail "$o"
	say "$o" | grep -q '^received     13 bytes "hello-client\\n"$' || fail "$o"
	say "$o" | grep -q "^resolver     127.0.0.1 -> 127.0.0.1:$port$" || fail "$o"
	# No server panes in this role: their steps say where they live.
	o=$($TCPSTEP -c 127.0.0.1 -p "$port" --batch --keys 1) || fail "exit $?"
	say "$o" | grep -q '^> 1 Server Create: not now: .*tcpstep -s' || fail "$o"
}

urgent_byte_from_python() {
	port=$(test_port 3)
	bstart srv $TCPSTEP -s -4 -p "$port"
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN local=0\.0\.0\.0:$port" || return 1
	bgrun py $PEER oob 127.0.0.1 "$port"
	bwait srv "kernel       server " "queue=1/" || return 1
	bkeys srv 5
	bwait srv "row          server-send#1" "OnOutOfBandData=1 " || return 1
	bkeys srv O
	bwait srv "> O" "" || return 1
	bwait srv "row          server-send#1" 'read="!"$' || return 1
	blast srv "> O" | grep -q 'recv([0-9]*, 1, MSG_OOB) = 1' ||
	    fail "$(blast srv '> O')"
	bend srv
}

# Auto mode under a flood answers every OnReceive with its recv, but writes
# the runs between two snapshots up in one line each.
auto_mode_sums_up_a_flood() {
	port=$(test_port 7)
	bstart srv $TCPSTEP -s -4 -p "$port"
	bkeys srv 12a
	bwait srv "> a Auto mode" "on" || return 1
	bgrun py $PEER flood 127.0.0.1 "$port" 4 20
	poll grep -q '^sent ' "$BDIR/py.out" || fail "the flood never ended"
	sent=$(sed -n 's/^sent //p' "$BDIR/py.out")
	bwait srv "row          server-send#1" " bytes=$sent " || return 1
	row=$(blast srv "row          server-send#1")
	rcv=$(say "$row" | sed -n 's/.* OnReceive=\([0-9]*\) .*/\1/p')
	# One recv(64) for each OnReceive, every byte read.
	[ "$rcv" -ge $((sent / 64)) ] || fail "$sent bytes, $rcv OnReceive" "$row"
	grep -q 'server-send [0-9]* more OnReceive, each answered by recv([0-9]*, 64), [0-9]* bytes: one line for them all' \
	    "$BDIR/srv.out" || fail "no summed-up run" "$(tail -20 "$BDIR/srv.out")"
	lines=$(grep -c 'server-send recv(' "$BDIR/srv.out")
	[ "$lines" -lt $((rcv / 10)) ] || fail "$lines recv lines for $rcv OnReceive"
	bend srv
}

# 65 clients with the default --max-conns 64: 64 listed and sent to, the
# 65th closed at once.
many_clients() {
	port=$(test_port 4)
	bstart srv $TCPSTEP -s -p "$port"
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN" || return 1
	bgrun py $PEER clients 127.0.0.1 "$port" 65
	poll grep -q "connected 65" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	bkeys srv "$(printf '5%.0s' $(seq 65))"
	poll sh -c "[ \$(grep -c '^= after 5' $BDIR/srv.out) -eq 65 ]" ||
	    fail "$(grep -c '^= after 5' "$BDIR/srv.out") accepts"
	blast srv "> 5" | grep -q '^> 5 Server Accept: full: accept([0-9]*) = fd [0-9]*, then close([0-9]*): this server already holds 64 connections (--max-conns)' ||
	    fail "65th: $(blast srv '> 5')"
	[ "$(grep -c 'over --max-conns 64: fd [0-9]* closed at once' "$BDIR/srv.out")" -eq 1 ] ||
	    fail "transcript"
	bkeys srv b
	bwait srv "> b" "" || return 1
	blast srv "> b" | grep -q 'each of 64 connection(s): all 64 on their way' ||
	    fail "$(blast srv '> b')"
	snap=$(last_snapshot srv)
	[ "$(say "$snap" | grep -c '^row          server-send#[0-9]* .* OnSend=1 errno=0 ESTABLISHED ')" -eq 64 ] ||
	    fail "rows:" "$snap"
	say "$snap" | grep -q '^row          server-send#64 \*' || fail "$snap"
	poll grep -q "data 64 eof 1" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	bend srv
}

# Under a low descriptor limit, accept fails with EMFILE; once clients go
# away, auto mode accepts the rest and the listener keeps working.
listener_survives_emfile() {
	port=$(test_port 5)
	bstart srv sh -c "ulimit -n 24 && exec $TCPSTEP -s -4 -p $port \"\$@\"" sh
	bkeys srv 12a
	bwait srv "kernel       server " "LISTEN" || return 1
	bgrun py $PEER clients 127.0.0.1 "$port" 30 CLOSE_AFTER 3 20
	poll grep -q "connected 30" "$BDIR/py.out" || fail "$(cat "$BDIR/py.out")"
	POLL_LIMIT=200 poll grep -q "data 10 eof 0" "$BDIR/py.out" ||
	    fail "$(cat "$BDIR/py.out")" "$(grep -E 'EMFILE|accept' "$BDIR/srv.out" | tail)"
	grep -q 'accept([0-9]*) = -1 EMFILE' "$BDIR/srv.out" ||
	    fail "no EMFILE seen"
	# An accept that worked after the EMFILE.
	awk '/= -1 EMFILE/ { e = 1 } e && /accept\([0-9]*\) = [0-9]+, peer/ { ok = 1 }
	    END { exit !ok }' "$BDIR/srv.out" || fail "no accept after EMFILE"
	bend srv
}

localhost_resolves() {
	o=$($TCPSTEP -c localhost -p 9 --batch --keys 34w) || fail "exit $?"
	say "$o" | grep -Eq '^resolver     localhost -> (127\.0\.0\.1|\[::1\]):9' ||
	    fail "$o"
	say "$o" | grep -Eq '^  [0-9:.]+ resolver    getaddrinfo\("localhost", "9"\) = ' ||
	    fail "$o"
	# Nothing listens on port 9: refused, on the Connect step.
	say "$o" | grep -q '^client .* errno=ECONNREFUSED$' || fail "$o"
	# An IPv6 literal needs no name server either.
	o=$($TCPSTEP -c ::1 -p 9 --batch --keys 3) || fail "exit $?"
	say "$o" | grep -q '^resolver     ::1 -> \[::1\]:9$' || fail "$o"
	say "$o" | grep -q '^> 3 Client Create: OK: socket() + bind() = fd [0-9]* at \[::\]:' ||
	    fail "$o"
}

t "roles: tcpstep -s lists nc and socat clients and reads their lines" server_accepts_nc_and_socat
t "roles: tcpstep -c connects to socat and receives" client_receives_from_socat
t "roles: an urgent byte from Python raises OnOutOfBandData" urgent_byte_from_python
t "roles: 65 clients, 64 listed and sent to, the 65th closed at once" many_clients
t "roles: the listener survives EMFILE under ulimit -n 24" listener_survives_emfile
t "roles: auto mode reads a 4 MB flood and sums up its runs" auto_mode_sums_up_a_flood
t "roles: localhost and ::1 resolve without a name server" localhost_resolves
