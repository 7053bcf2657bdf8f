#!/bin/sh
# wire.sh - the real wire in batch mode, against the kernel: the "wire"
# lines of tcpstep(1)'s BATCH OUTPUT, the transcript's wire lines and the
# Explain area's sentences on what Linux put on the wire. Skipped with the
# reason where capture cannot work (wire_t, tests/lib.sh).
. tests/lib.sh

# The wire lines of $o, from "flags" on, without after=/+ms/conn=.
wires() {
	say "$o" | grep '^wire  ' | sed 's/^wire *after=[^ ]* +[0-9.]*ms conn=[0-9]* //'
}

# The seed's steps 1-7: the handshake and one record, exactly.
handshake_and_record() {
	o=$($TCPSTEP --batch --keys 1234567) || fail "exit $?"
	expect="client>server SYN seq=0 ack=0 len=0 win=65495 mss=65495 ws=WS sack ts match
server>client SYN,ACK seq=0 ack=1 len=0 win=WIN mss=65495 ws=WS sack ts match
client>server ACK seq=1 ack=1 len=0 win=WIN ts match
server>client PSH,ACK seq=1 ack=1 len=13 win=WIN ts match
client>server ACK seq=1 ack=14 len=0 win=WIN ts match"
	got=$(wires | sed -E 's/ws=[0-9]+/ws=WS/; s/(SYN,ACK.*) win=[0-9]+/\1 win=WIN/; s/^(client>server ACK|server>client PSH,ACK|client>server ACK).* win=[0-9]+/&/')
	got=$(say "$got" | sed -E '/SYN /!{/SYN,ACK/!s/ win=[0-9]+/ win=WIN/}; s/(SYN,ACK seq=0 ack=1 len=0) win=[0-9]+/\1 win=WIN/')
	[ "$got" = "$expect" ] || fail "got:" "$got" "output:" "$o"
	# Each segment's line names its cause and the client's port.
	port=$(say "$o" | sed -n 's/^> 3 .* at 127\.0\.0\.1:\([0-9]*\) .*/\1/p')
	[ "$(say "$o" | grep -c "^wire         after=4 +[0-9]*\.[0-9][0-9][0-9]ms conn=$port ")" -eq 3 ] ||
	    fail "after=4 conn=$port:" "$o"
	[ "$(say "$o" | grep -c "^wire         after=6 +[0-9.]*ms conn=$port ")" -eq 2 ] ||
	    fail "after=6:" "$o"
	# The windows: scaled by the SYN's ws once both SYNs agreed.
	ws=$(say "$o" | sed -n 's/^wire .* SYN seq=0 .* ws=\([0-9]*\) .*/\1/p')
	raw=$(say "$o" | grep -m1 '^wire .* client>server ACK seq=1 ack=1 ' | sed 's/.* win=\([0-9]*\).*/\1/')
	[ $((raw % (1 << ws))) -eq 0 ] || fail "win $raw not scaled by 2^$ws"
}

# The wire lines in the transcript: in time order between the key line
# and the notifications, --log too.
transcript_order() {
	o=$($TCPSTEP --batch --log "$TESTTMP/log" --keys 1234) || fail "exit $?"
	tr=$(say "$o" | sed -n '/^> 4 /,/^= after 4/p' | grep '^  ')
	say "$tr" | sed -n 1p | grep -q ' key 4: Client Connect$' || fail "$tr"
	say "$tr" | sed -n 2p | grep -q ' wire        client>server SYN seq=0 ack=0 len=0 ' || fail "$tr"
	say "$tr" | sed -n 3p | grep -q ' wire        server>client SYN,ACK seq=0 ack=1 ' || fail "$tr"
	say "$tr" | sed -n 4p | grep -q ' wire        client>server ACK seq=1 ack=1 ' || fail "$tr"
	say "$tr" | sed -n '5,$p' | grep -q 'OnConnect' || fail "$tr"
	say "$tr" | sed -n '5,$p' | grep -q ' wire ' && fail "$tr"
	# The stamps never go back.
	say "$tr" | awk '{ if ($1 < last) exit 1; last = $1 }' || fail "order:" "$tr"
	# --log: the same lines, stamps and all (and the ones at exit).
	[ "$(grep ' wire ' "$TESTTMP/log" | head -3)" = \
	    "$(say "$tr" | grep ' wire ' | sed 's/^  //')" ] ||
	    fail "log:" "$(cat "$TESTTMP/log")"
}

# x then X after reading everything: FIN, ACK both ways.
graceful_close() {
	o=$($TCPSTEP --batch --keys 12345679xX) || fail "exit $?"
	got=$(say "$o" | sed -n '/^> x /,$p' | grep '^wire ' |
	    sed 's/^wire *after=[^ ]* +[0-9.]*ms conn=[0-9]* //; s/ win=[0-9]* ts//')
	expect="client>server FIN,ACK seq=1 ack=14 len=0 match
server>client ACK seq=14 ack=2 len=0 match
server>client FIN,ACK seq=14 ack=2 len=0 match
client>server ACK seq=2 ack=15 len=0 match"
	[ "$got" = "$expect" ] || fail "got:" "$got"
	say "$o" | grep -q 'RST' && fail "RST in a graceful close:" "$o"
	return 0
}

# x with bytes unread: RST, and the Explain area says why.
close_unread() {
	o=$($TCPSTEP --batch --keys 12345667x) || fail "exit $?"
	say "$o" | sed -n '/^> x /,$p' | grep -q '^wire         after=x +[0-9.]*ms conn=[0-9]* client>server RST,ACK seq=1 ack=27 len=0 win=[0-9]* ts match note=rst-not-fin$' ||
	    fail "$o"
	say "$o" | sed -n '/^> x /,$p' | grep -q '^wire .*FIN' && fail "FIN:" "$o"
	say "$o" | sed -n '/^> x /,$p' | grep -q '^explain      Wire: RST, not FIN\. close() found bytes the client had not read, so Linux reset the connection instead of closing it with FIN: the unread bytes are thrown away and the server.s OnClose reports ECONNRESET\.' ||
	    fail "explain:" "$o"
	# The server's OnClose says ECONNRESET, as the sentence says.
	say "$o" | sed -n '/^= after x/,/^= end/p' | grep -q '^server-send .* OnClose=1 .* errno=ECONNRESET$' ||
	    fail "OnClose:" "$o"
}

# U: URG, one byte, and the pointer one past it (tcp_stdurg=0).
urgent_pointer() {
	[ "$(cat /proc/sys/net/ipv4/tcp_stdurg)" = 0 ] || skip "tcp_stdurg is not 0 here"
	o=$($TCPSTEP --batch --keys 12345U) || fail "exit $?"
	say "$o" | grep -q '^wire         after=U +[0-9.]*ms conn=[0-9]* server>client URG,PSH,ACK seq=1 ack=1 len=1 win=[0-9]* urp=1 ts match note=urgent$' ||
	    fail "$o"
	say "$o" | grep -q '^explain      Wire: urgent pointer\. The urgent byte went out with URG set, seq=1 len=1 urp=1: Linux points the urgent pointer one past the urgent byte (the BSD reading; net\.ipv4\.tcp_stdurg=0, the default), so the urgent byte is the one at seq+urp-1\.$' ||
	    fail "explain:" "$o"
	# And it is the byte U sent ("A"), the only one in the segment.
	o=$($TCPSTEP --batch --pcap "$TESTTMP/u.pcap" --keys 12345U) || fail "exit $?"
	tcpdump -r "$TESTTMP/u.pcap" -nn -X 'tcp[tcpflags] & tcp-urg != 0' 2>/dev/null |
	    grep -q 'urg 1, .*length 1' || fail "tcpdump:" "$(tcpdump -r "$TESTTMP/u.pcap" -nn 2>&1)"
}

# F fills the client's window: a zero window, window probes one below
# the acknowledged edge, answered with the window; d drains: an update.
fill_drain() {
	o=$($TCPSTEP --batch --keys 12345Fwd) || fail "exit $?"
	fw=$(say "$o" | sed -n '/^> F /,/^> d /p')
	say "$fw" | grep -q '^wire .* client>server ACK seq=1 ack=[0-9]* len=0 win=0 ts match note=zero-window$' ||
	    fail "zero window:" "$fw"
	probe=$(say "$fw" | grep -m1 ' note=probe$') || fail "no probe:" "$fw"
	pseq=$(say "$probe" | sed 's/.* server>client ACK seq=\([0-9]*\) .* len=0 .*/\1/')
	zack=$(say "$fw" | grep -m1 'note=zero-window$' | sed 's/.* ack=\([0-9]*\) .*/\1/')
	[ "$pseq" -eq $((zack - 1)) ] || fail "probe seq $pseq, zero window ack $zack"
	say "$fw" | grep -A1 ' note=probe$' | sed -n 2p | grep -q "client>server ACK seq=1 ack=$zack len=0 win=0 " ||
	    fail "probe answered:" "$fw"
	say "$fw" | grep -q '^explain      Wire: zero window\. The client.s receive buffer is full: its ACK offers win=0, and the server must stop sending\.' ||
	    fail "$fw"
	say "$fw" | grep -q '^explain      Wire: window probe\. While the client.s window is 0, Linux on the server.s side sends a segment with no new data every so often, one below the acknowledged edge' ||
	    fail "$fw"
	d=$(say "$o" | sed -n '/^> d /,$p')
	say "$d" | grep -m1 '^wire ' | grep -q "after=d .* client>server ACK seq=1 ack=$zack len=0 win=[1-9][0-9]* ts match note=window-update$" ||
	    fail "update:" "$d"
	say "$d" | grep -q '^explain      Wire: window update\. Reading made room in the client.s receive buffer' ||
	    fail "$d"
}

# The wire's arrivals keep batch's settle going: the zero window F's
# sender meets a quarter second later is in F's own snapshot.
settle_counts_wire() {
	o=$($TCPSTEP --batch --settle 300 --keys 12345F) || fail "exit $?"
	say "$o" | sed -n '/^> F /,$p' | grep -q 'note=zero-window$' || fail "$o"
}

# --no-wire: one line, in the first snapshot only.
no_wire() {
	o=$($TCPSTEP --batch --no-wire --keys 1234) || fail "exit $?"
	[ "$(say "$o" | grep -c '^wire')" -eq 1 ] || fail "$o"
	say "$o" | sed -n '/^= after 1/,/^= end/p' | grep -q '^wire         none: no capture: --no-wire$' ||
	    fail "$o"
}

wire_t "1234567: SYN, SYN,ACK, ACK, PSH,ACK 13, ACK, numbered and matched" handshake_and_record
wire_t "the transcript's wire lines: after the key, before OnConnect, in --log" transcript_order
wire_t "a graceful close: FIN,ACK both ways" graceful_close
wire_t "close with bytes unread: RST, explained" close_unread
wire_t "U: URG with the urgent pointer one past the byte" urgent_pointer
wire_t "F w d: zero window, probes, window update" fill_drain
wire_t "wire arrivals count for batch's settle" settle_counts_wire
t "--no-wire: the wire none line" no_wire
