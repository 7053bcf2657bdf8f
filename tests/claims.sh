#!/bin/sh
# claims.sh - every sentence tcpstep shows about the kernel, made true by
# the kernel: each test makes real sockets do what a text says, checks the
# counters, kernel lines or transcript, and checks that the text says it.
# A text that went back to an old, false wording fails here.
. tests/lib.sh

PEER="python3 tests/peer.py"

# Run tcpstep --batch with keys $1 (more options may follow); the output
# goes to $o.
run() {
	_k=$1
	shift
	o=$($TCPSTEP --batch "$@" --keys "$_k") || fail "exit $?" "$o"
}

# The part of $o from the snapshot block of the Nth key ("> K ...") on,
# up to the next "> " line: what key N printed.
key_out() {
	say "$o" | awk -v n="$1" '/^> /{ i++ } i == n'
}

has() {
	say "$2" | grep -q -- "$1" || fail "no match for: $1" "$2"
}

hasnt() {
	say "$2" | grep -q -- "$1" && fail "should not match: $1" "$2"
	return 0
}

# z/Z: the bytes already queued at the peer stay readable on Linux; recv
# returns them, then ECONNRESET once, then 0. OnClose(ECONNRESET) follows.
abort_leaves_queued_bytes_readable() {
	run 123456Z777
	z=$(key_out 7)
	has 'Server-Send Abort: OK: .*SO_LINGER.*OnClose(ECONNRESET) at once; on Linux it still reads what had reached it' "$z"
	has "CAsyncSocket::SetSockOpt(SO_LINGER) + Close: .*OnClose(ECONNRESET) (FD_CLOSE) at once, even with data unread. On Linux it still reads the bytes that had reached it: its recv returns them, then fails once with ECONNRESET" "$z"
	# At once: the Client's OnClose came with the Z, its record unread.
	has 'client .*OnReceive pending, POLLERR: .*-> OnClose(ECONNRESET)' "$z"
	has '^client       .* OnClose=1 .* OnReceive=1 ' "$z"
	has '^kernel       client .* inq=13 ' "$z"
	has '^explain      Client OnClose(ECONNRESET) (FD_CLOSE): .*The 13 bytes that reached this side before the RST are still queued: on Linux recv (7) returns them, then fails once with ECONNRESET' "$z"
	r1=$(key_out 8)
	has '^> 7 Client Receive: 13 bytes' "$r1"
	hasnt 'Whatever was queued is lost' "$o"
	r2=$(key_out 9)
	has '^> 7 Client Receive: ECONNRESET: .*the peer reset the connection, and every byte that came before the RST has been read' "$r2"
	has 'On Linux recv first returns every byte that came before the RST' "$r2"
	r3=$(key_out 10)
	has '^> 7 Client Receive: end: recv(.*) = 0' "$r3"
	has 'or reset the connection, which Linux reported once already' "$r3"
}

# Closing with bytes unread sends RST; the peer still reads what it had.
close_unread_peer_still_reads() {
	run 12345686x999
	x=$(key_out 9)
	has '^> x Client Close: OK: close(.*) = 0 with bytes unread: so the kernel sends RST, not FIN. The peer gets OnClose(ECONNRESET) at once; on Linux it still reads' "$x"
	has 'Linux sends RST instead of FIN. The peer gets OnClose(ECONNRESET) (FD_CLOSE) at once; on Linux its recv still returns the bytes that had reached it' "$x"
	# At once: Server-Send's OnClose came with the x, its line unread.
	has '^server-send  .* OnClose=1 ' "$x"
	has '^kernel       server-send .* inq=18 ' "$x"
	has '^> 9 Server-Send Receive: 18 bytes' "$(key_out 10)"
	has 'ECONNRESET' "$(key_out 11)"
	has '^> 9 Server-Send Receive: end' "$(key_out 12)"
}

# The error page (i) says the same about ECONNRESET.
error_page_on_reset() {
	run 123456Z77i
	has '^error        ECONNRESET 104 .*stay readable: recv returns them, then this error once, then 0. Winsock discards them' "$o"
	hasnt 'Queued data is lost' "$o"
}

# Urgent data, SO_OOBINLINE off, as Linux does it (tcp(7)).
# A plain recv reaching the urgent byte skips it: recv MSG_OOB then EINVAL.
urgent_skipped_by_plain_recv() {
	run 12345U7u
	has '^> 7 Client Receive: EAGAIN' "$(key_out 7)"
	u=$(key_out 8)
	has '^> u Client Urgent: EINVAL: .*a plain recv passed its place in the stream (Linux drops it then)' "$u"
	has 'or a plain recv passed its place in the stream, which drops it on Linux' "$u"
}

# Data, urgent A, urgent B: A becomes a plain byte in the stream; recv stops
# before B, the next recv skips B, and B is gone.
urgent_older_becomes_inline() {
	run 123456UU777u
	has 'stays in the stream as a plain byte when unread bytes are before it' "$(key_out 8)"
	has '^> 7 Client Receive: 13 bytes' "$(key_out 9)"
	has '^  .* client      recv(.*) = 1 "A"$' "$(key_out 10)"
	has '^> 7 Client Receive: EAGAIN' "$(key_out 11)"
	has '^> u Client Urgent: EINVAL' "$(key_out 12)"
	# Read with MSG_OOB first, and B comes out of band, A inline.
	run 123456UUu77
	has '^  .* client      recv(.*, 1, MSG_OOB) = 1' "$(key_out 9)"
	has '^received     1 byte "B"' "$(key_out 9)"
	has '^  .* client      recv(.*) = 1 "A"$' "$(key_out 11)"
}

# No data before: the older urgent byte is dropped outright (lesson 6).
urgent_older_dropped_when_next() {
	run 12345UuUUu7
	has 'takes its place, and the older is dropped' "$(key_out 8)"
	has '^received     1 byte "C"' "$(key_out 10)"
	has '^> 7 Client Receive: EAGAIN' "$(key_out 11)"
	has 'OnOutOfBandData=2 ' "$(key_out 10)"
}

# After a refused connect every text names n then 4, and n then 4 works.
refused_connect_advice() {
	run 134i
	has '^explain      Client OnConnect(ECONNREFUSED) (FD_CONNECT): .*Listen (2), then press n for a fresh client socket and 4 to connect it' "$o"
	has '^error        ECONNREFUSED 111 .*press n for a fresh client socket, then 4' "$o"
	# The guide's lesson 4 takes the same way: after the refusal and 2 it
	# asks for n, then 4, and that ends the lesson.
	o=$($TCPSTEP --batch --guide 4 --keys 1342 | grep '^guide ' | tail -1)
	has 'next=n | Press n: a fresh client socket for a new try' "$o"
	o=$($TCPSTEP --batch --guide 4 --keys 1342n4 | grep '^guide ' | tail -1)
	has 'lesson=4 done | Lesson done\.' "$o"
	run 1342n4
	has '^client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=0 OnSend=1 ' "$(key_out 6)"
	has 'OnConnect(0)' "$(key_out 6)"
	# 4 again on the refused socket: ECONNABORTED once, then it connects.
	run 134244
	has '^> 4 Client Connect: ECONNABORTED: .*the next connect (4) starts afresh' "$(key_out 5)"
	has 'OnConnect(0)' "$(key_out 6)"
}

# The SYN in the out queue: 1 after a refusal, 0 while pending.
out_bytes_of_a_connect() {
	run 134
	has '^kernel       client      CLOSE .* outq=1 ' "$o"
	has 'The 1 byte now shown queued out is the SYN' "$o"
	# A full accept queue drops SYNs: the last client stays in SYN_SENT.
	run 1234n4n4n4n4n4n4n4n4
	has '^kernel       client      SYN_SENT .* outq=0 ' "$(key_out 20)"
	has 'While it is pending (SYN_SENT) Linux shows 0 bytes queued out' "$o"
}

# A fresh socket's ready=rw-: recv fails at once (ENOTCONN), send too (EPIPE).
fresh_socket_readiness() {
	run 378
	has '^kernel       client      CLOSE .* ready=rw-$' "$(key_out 1)"
	has 'Its ready flags rw- are poll()'"'"'s answer for a socket in CLOSE: recv would fail at once with ENOTCONN and send with EPIPE' "$(key_out 1)"
	has '^> 7 Client Receive: ENOTCONN' "$(key_out 2)"
	has '^> 8 Client Send: EPIPE' "$(key_out 3)"
}

# Notification paragraphs name their socket, and #2 for later rows.
notes_name_their_socket() {
	run 12345n45
	has '^explain      Server OnAccept (FD_ACCEPT): ' "$o"
	has '^explain      Client OnConnect(0) (FD_CONNECT): ' "$o"
	has '^explain      Client OnSend (FD_WRITE): ' "$o"
	has '^explain      Server-Send OnSend (FD_WRITE): ' "$o"
	has '^explain      Client #2 OnConnect(0) (FD_CONNECT): ' "$o"
	has '^explain      Server-Send #2 OnSend (FD_WRITE): ' "$o"
	has '^explain      CAsyncSocket::Accept: ' "$o"
	hasnt '^explain      On[A-Z]' "$o"
}

# "This side may still send": only the pane's own key, only while true.
may_still_send() {
	run 12345x
	has '^explain      Server-Send OnClose(0) (FD_CLOSE): .*This side may still send until it closes (X)\.$' "$o"
	# The peer's FIN after this side's own shutdown: nothing more to send.
	run 12345Hx
	has 'Server-Send OnClose(0)' "$o"
	hasnt 'Server-Send OnClose(0).*may still send' "$o"
	# Server role: the Server-Send pane has X, never x.
	port=$(test_port 7)
	bstart srv $TCPSTEP -s -4 -p "$port"
	bkeys srv 12
	bwait srv "kernel       server " "LISTEN" || return 1
	$PEER send 127.0.0.1 "$port" 6869 0 >/dev/null || fail "peer"
	bwait srv "server " "OnAccept=1 " || return 1
	bkeys srv 59
	bwait srv "server-send " "OnClose=1 " || return 1
	out=$(cat "$BDIR/srv.out")
	has 'Server-Send OnClose(0) (FD_CLOSE): .*until it closes (X)\.' "$out"
	hasnt '(x)\|(x or X)\|press [3478x]\b\| (4)' "$(say "$out" | grep '^explain\|^> ')"
	bend srv
}

# The accepted socket's TCP_INFO counts begin after the handshake.
accept_text_on_segments() {
	run 12345
	has 'its out count starts at 0 while the client'"'"'s is 2 (SYN, ACK)' "$o"
}

# Graceful close: OnClose(0) only once everything before the FIN was read.
graceful_close_after_data() {
	run 123456X7
	has '^client       .*OnClose=0 ' "$(key_out 7)"
	has 'the peer sees OnClose(0) (FD_CLOSE) only once it has read everything' "$(key_out 7)"
	has '^client       .*OnClose=1 ' "$(key_out 8)"
	has '^explain      Client OnClose(0) (FD_CLOSE)' "$(key_out 8)"
}

# Half-close: send fails with EPIPE, receiving goes on, the peer may send.
half_close() {
	run 12345h867
	has 'a send now fails with EPIPE' "$(key_out 6)"
	has '^> 8 Client Send: EPIPE' "$(key_out 7)"
	has '^> 7 Client Receive: 13 bytes' "$(key_out 9)"
}

# Closing the listener resets queued connections; new connects are refused.
listener_close() {
	run 1234L
	has 'Connections still waiting in its queue are reset, and a new connect is refused' "$(key_out 5)"
	has 'Client OnClose(ECONNRESET)' "$(key_out 5)"
	port=$(test_port 8)
	bstart srv $TCPSTEP -s -4 -p "$port"
	bkeys srv 12L
	bwait srv "kernel       server " "no-socket" || return 1
	python3 -c "import socket,sys
try: socket.create_connection(('127.0.0.1', $port), timeout=5)
except ConnectionRefusedError: sys.exit(0)
sys.exit(1)" || fail "connect after L was not refused"
	bend srv
}

# One spelling of TCP states: the kernel's.
state_spelling() {
	grep -n 'CLOSE-WAIT\|FIN-WAIT\|TIME-WAIT\|SYN-SENT\|SYN-RECV\|LAST-ACK' \
	    src/*.c man/tcpstep.1 README && fail "hyphenated TCP state"
	return 0
}

# The article by name, never "the seed", wherever a user reads.
article_by_name() {
	grep -qi seed man/tcpstep.1 README && fail "$(grep -ni seed man/tcpstep.1 README)"
	grep -q 'Asynchronous TCP Part 1' man/tcpstep.1 || fail "man"
	grep -q 'Asynchronous TCP Part 1' README || fail "README"
	$TCPSTEP --help | grep -q 'Asynchronous TCP Part 1' || fail "--help"
	grep -n '"[^"]*seed[^"]*"' src/*.c && fail "seed in a string"
	return 0
}

# tcpstep(1) renders cleanly.
man_renders() {
	if command -v mandoc >/dev/null 2>&1; then
		w=$(mandoc -Tlint -W warning man/tcpstep.1 2>&1)
		[ -z "$w" ] || fail "$w"
	fi
	command -v man >/dev/null 2>&1 || return 0
	m=$(MANWIDTH=80 man -l man/tcpstep.1 2>/dev/null | col -b)
	[ -n "$m" ] || fail "no output"
	hasnt '“[^”]*“[^”]*”[^“]*”' "$m"
	hasnt 'byte its receives' "$m"
	hasnt '””' "$m"
}

# tcp_out KEYS: "OutSegs OutRsts" of a private network namespace in which
# tcpstep --batch ran KEYS: every segment it (and its exit) sent.
tcp_out() {
	unshare -rn sh -c "ip link set lo up && $TCPSTEP --batch --keys '$1' >/dev/null &&
	    awk '/^Tcp:/ { if (++n == 1) for (i = 1; i <= NF; i++) h[i] = \$i
	    else for (i = 1; i <= NF; i++) v[h[i]] = \$i }
	    END { print v[\"OutSegs\"], v[\"OutRsts\"] }' /proc/net/snmp"
}

# Closing a socket with no connection left sends nothing: a client never
# connected, or a connection the peer has reset. The ladder draws nothing.
close_without_connection() {
	unshare -rn true 2>/dev/null || {
		echo "# SKIP no unprivileged network namespaces"
		return 0
	}
	run 12345667zX
	x=$(key_out 10)
	has '^> X Server-Send Close: OK: close(.*) = 0: the peer had already reset the connection, so nothing goes on the wire, no FIN and no RST' "$x"
	has 'No connection was left to close' "$x"
	# The handshake (3), two records with their ACKs (4) and z's RST: 8,
	# with X and the exit's closes adding nothing.
	[ "$(tcp_out 12345667z)" = "8 1" ] || fail "z: $(tcp_out 12345667z)"
	[ "$(tcp_out 12345667zX)" = "8 1" ] || fail "zX: $(tcp_out 12345667zX)"
	run 13x
	has '^> x Client Close: OK: close(.*) = 0: the socket was not connected, so nothing goes on the wire' "$o"
	[ "$(tcp_out 13x)" = "0 0" ] || fail "13x: $(tcp_out 13x)"
}

# After OnClose no notification comes: recv reads on without OnReceive.
no_notification_after_close() {
	run 1234566Z77
	r=$(key_out 9)
	has 'OnClose has come already, and after it no notification comes' "$r"
	has '^client       .* OnClose=1 .* OnReceive=1 ' "$(key_out 10)"
	has '^> 7 Client Receive: 13 bytes' "$(key_out 10)"
}

# F names the drain that helps (d, on the Client); OnSend comes again
# when the Client reads, and Linux may free room without a read too: once
# the Client has read a lot, its receive buffer can grow by itself.
fill_then_room() {
	run 12345F
	has '^> F Server-Send Fill: full: .*OnSend fires once room frees up (d drains the Client)' "$o"
	run 12345f
	has '^> f Client Fill: full: .*(D drains Server-Send)' "$o"
	run 12345Fd
	has '^server-send  .* OnSend=2 ' "$(key_out 7)"
	# Up to five tries: it depends on the kernel's timing, not always.
	# --no-wire: the window probes after F are activity that keeps F's
	# own snapshot waiting (up to its second), and the growth shows there.
	for i in 1 2 3 4 5; do
		run 12345FdFwww --no-wire
		grow=$(say "$o" | awk '/^kernel       client /{ split($0, a, "inq="); split(a[2], b, " "); v[++n] = b[1] }
		    END { print (v[n] > v[8]) ? "yes" : "no" }')
		say "$o" | grep '^server-send ' | tail -1 | grep -q ' OnSend=3 ' &&
		    [ "$grow" = yes ] && return 0
	done
	fail "never an OnSend without a read" "$o"
}

t "claims: z/Z leaves the peer's queued bytes readable, then ECONNRESET, then 0" abort_leaves_queued_bytes_readable
t "claims: closing with bytes unread sends RST, the peer still reads its bytes" close_unread_peer_still_reads
t "claims: the error page on ECONNRESET says the same" error_page_on_reset
t "claims: a plain recv skips an urgent byte and drops it" urgent_skipped_by_plain_recv
t "claims: with data before it, an older urgent byte becomes a plain byte" urgent_older_becomes_inline
t "claims: with nothing before it, an older urgent byte is dropped" urgent_older_dropped_when_next
t "claims: after a refused connect every text says n then 4, and it works" refused_connect_advice
t "claims: out is 1 (the SYN) after a refusal, 0 while pending" out_bytes_of_a_connect
t "claims: a fresh socket's ready=rw- means calls fail at once" fresh_socket_readiness
t "claims: notification paragraphs name their socket and FD_ event" notes_name_their_socket
t "claims: 'may still send' names the pane's own key, only while true" may_still_send
t "claims: the accept text on the accepted socket's segment counts" accept_text_on_segments
t "claims: graceful close, OnClose(0) only after the data" graceful_close_after_data
t "claims: half-close, EPIPE on send, receiving goes on" half_close
t "claims: closing the listener resets queued connections" listener_close
t "claims: TCP states spelt as the kernel does" state_spelling
t "claims: the article named, not the seed" article_by_name
t "claims: tcpstep(1) renders without defects" man_renders
t "claims: closing with no connection left sends nothing (counted in a netns)" close_without_connection
t "claims: after OnClose, recv reads on and no OnReceive comes" no_notification_after_close
t "claims: F says which drain helps; room can come without a read" fill_then_room
