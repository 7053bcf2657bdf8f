#!/bin/sh
# batch.sh - batch mode: the snapshot contract of tcpstep(1).
. tests/lib.sh

TIME='[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]'

snapshot_after_7() {
	o=$($TCPSTEP --batch --keys 1234567) || fail "exit $?"
	last=$(say "$o" | tail -5)
	expect="= after 7
server       OnAccept=1 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=0 errno=0
server-send  OnAccept=0 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=1 errno=0
client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=1 OnSend=1 errno=0"
	[ "$(say "$last" | head -4)" = "$expect" ] ||
	    fail "got:" "$last"
	say "$last" | tail -1 | grep -q "^received     13 bytes \"$TIME\\\\n\"\$" ||
	    fail "received line: $(say "$last" | tail -1)"
}

snapshot_after_4() {
	o=$($TCPSTEP --batch --keys 1234) || return 1
	say "$o" | grep -q '^server       OnAccept=1 ' || fail "$o"
	say "$o" | grep -q '^client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=0 OnSend=1 errno=EINPROGRESS$' ||
	    fail "$o"
}

one_snapshot_per_key() {
	o=$($TCPSTEP --batch --keys '7 6 5 r 1 1 2') || fail "exit $?"
	[ "$(say "$o" | grep -c '^= after ')" -eq 7 ] || fail "$o"
	[ "$(say "$o" | grep -c '^> ')" -eq 7 ] || fail "$o"
	say "$o" | grep -q '^> 6 Server-Send Send: not now: no accepted connection yet' ||
	    fail "$o"
	say "$o" | grep -q '^> 1 Server Create: not now: the server socket already exists' ||
	    fail "$o"
	say "$o" | grep -q '^= after r$' || fail "$o"
}

keys_from_stdin() {
	o=$(printf '12345\n67\n' | $TCPSTEP --batch) || fail "exit $?"
	[ "$(say "$o" | grep -c '^= after ')" -eq 7 ] || fail "$o"
	say "$o" | tail -1 | grep -q "^received     13 bytes" || fail "$o"
}

two_sends_three_receives() {
	o=$($TCPSTEP --batch --keys 12345667) || return 1
	say "$o" | tail -2 | head -1 | grep -q 'OnReceive=2 OnSend=1 errno=0$' ||
	    fail "$o"
	o=$($TCPSTEP --batch --keys 1234566777) || return 1
	say "$o" | tail -2 | head -1 | grep -q 'OnReceive=2 OnSend=1 errno=EAGAIN$' ||
	    fail "$o"
	say "$o" | grep -q '^> 7 Client Receive: EAGAIN: recv(.*) = -1 EAGAIN' ||
	    fail "$o"
}

receive_before_send() {
	o=$($TCPSTEP --batch --keys 123457) || return 1
	say "$o" | tail -2 | head -1 | grep -q 'OnReceive=0 OnSend=1 errno=EAGAIN$' ||
	    fail "$o"
	say "$o" | tail -1 | grep -q '^received     none$' || fail "$o"
}

connect_refused() {
	o=$($TCPSTEP --batch --keys 134) || return 1
	say "$o" | tail -2 | head -1 | grep -q 'OnConnect=1 OnOutOfBandData=0 OnReceive=0 OnSend=0 errno=ECONNREFUSED$' ||
	    fail "$o"
}

recv_size() {
	o=$($TCPSTEP --batch --recv-size 5 --keys 1234567) || return 1
	say "$o" | tail -1 | grep -q '^received     5 bytes "[0-9][0-9]:[0-9][0-9]"$' ||
	    fail "$o"
}

fixed_port_in_use() {
	# Take a port with a first tcpstep, which holds it while the second runs.
	port=$(( ($$ % 20000) + 30000 ))
	( $TCPSTEP --batch --port $port --settle 1500 --keys 12 >/dev/null & )
	poll sh -c "ss -ltn 2>/dev/null | grep -q ':$port ' ||
	    grep -qi ':$(printf %04X $port) 00000000:0000 0A' /proc/net/tcp" ||
	    fail "first tcpstep never listened"
	o=$($TCPSTEP --batch --port $port --keys 1) || fail "exit $?"
	say "$o" | grep -q '^> 1 Server Create: EADDRINUSE: ' || fail "$o"
	say "$o" | grep -q 'errno=EADDRINUSE$' || fail "$o"
}

bad_stdin_key() {
	echo 12x | $TCPSTEP --batch 2>err.$$ && { rm -f err.$$; fail "exit 0"; }
	rc=$?
	msg=$(cat err.$$)
	rm -f err.$$
	[ "$rc" -eq 2 ] || fail "exit $rc"
	say "$msg" | grep -q "'x' is not a step key" || fail "$msg"
}

peer_bytes_escaped() {
	# The received line escapes what it shows: run with a record's worth.
	o=$($TCPSTEP --batch --keys 1234567) || return 1
	say "$o" | tail -1 | grep -q '\\n"$' || fail "$o"
	printf '%s' "$o" | LC_ALL=C grep -q "$(printf '\033')" && fail "raw ESC"
	return 0
}

no_leaks_across_resets() {
	command -v valgrind >/dev/null || fail "valgrind is not installed"
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	    --error-exitcode=9 $TCPSTEP --batch --settle 20 \
	    --keys 1234567r12345667r77r134r >/dev/null 2>vg.$$
	rc=$?
	msg=$(cat vg.$$)
	rm -f vg.$$
	[ "$rc" -eq 0 ] || fail "valgrind exit $rc" "$msg"
	[ -z "$msg" ] || fail "$msg"
}

t "batch: snapshot after 1234567 matches the documented format" snapshot_after_7
t "batch: after 1234 the client is connected and the server has OnAccept" snapshot_after_4
t "batch: one snapshot after every key, failed steps and r included" one_snapshot_per_key
t "batch: keys read from stdin when --keys is absent" keys_from_stdin
t "batch: 6 6 7 7 7 gives two OnReceive then EAGAIN" two_sends_three_receives
t "batch: 7 before 6 is EAGAIN with counters unchanged" receive_before_send
t "batch: 1 3 4 shows OnConnect(ECONNREFUSED)" connect_refused
t "batch: --recv-size 5 reads five bytes" recv_size
t "batch: a taken --port is EADDRINUSE on step 1, not an exit" fixed_port_in_use
t "batch: a bad key on stdin exits 2 with a message" bad_stdin_key
t "batch: output carries no raw control bytes" peer_bytes_escaped
t "batch: valgrind finds no leak or bad access across resets" no_leaks_across_resets
