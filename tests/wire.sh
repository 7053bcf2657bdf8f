#!/bin/sh
# wire.sh - the real wire in batch mode, against the kernel: the "wire"
# lines of tcpstep(1)'s BATCH OUTPUT, the transcript's wire lines and the
# Explain area's sentences on what Linux put on the wire. Skipped with the
# reason where capture cannot work (wire_t, tests/lib.sh).
. tests/lib.sh

# The wire lines of $o, from "flags" on, without after=/+ms/conn=.
wires() {
	say "$o" | grep '^wire  *after=' | sed 's/^wire *after=[^ ]* +[0-9.]*ms conn=[0-9]* //'
}

# The seed's steps 1-7: the handshake and one record, exactly.
handshake_and_record() {
	o=$($TCPSTEP --batch --pcap "$TESTTMP/r.pcap" --keys 1234567) || fail "exit $?"
	expect="client>server SYN seq=0 ack=0 len=0 win=W mss=65495 ws=WS sack ts match
server>client SYN,ACK seq=0 ack=1 len=0 win=W mss=65495 ws=WS sack ts match
client>server ACK seq=1 ack=1 len=0 win=W ts match
server>client PSH,ACK seq=1 ack=1 len=13 win=W ts match
client>server ACK seq=1 ack=14 len=0 win=W ts match"
	got=$(wires | sed -E 's/ws=[0-9]+/ws=WS/; s/ win=[0-9]+/ win=W/')
	[ "$got" = "$expect" ] || fail "got:" "$got" "output:" "$o"
	# Each segment's line names its cause and the client's port.
	port=$(say "$o" | sed -n 's/^> 3 .* at 127\.0\.0\.1:\([0-9]*\) .*/\1/p')
	[ "$(say "$o" | grep -c "^wire         after=4 +[0-9]*\.[0-9][0-9][0-9]ms conn=$port ")" -eq 3 ] ||
	    fail "after=4 conn=$port:" "$o"
	[ "$(say "$o" | grep -c "^wire         after=6 +[0-9.]*ms conn=$port ")" -eq 2 ] ||
	    fail "after=6:" "$o"
	# The windows: tcpdump reads the raw field from --pcap; a SYN's is
	# shown as it is, every later one scaled by its sender's ws.
	cws=$(say "$o" | sed -n 's/^wire .* client>server SYN seq=0 .* ws=\([0-9]*\) .*/\1/p')
	sws=$(say "$o" | sed -n 's/^wire .* server>client SYN,ACK seq=0 .* ws=\([0-9]*\) .*/\1/p')
	raw=$(tcpdump -r "$TESTTMP/r.pcap" -nn 2>/dev/null | head -5 |
	    sed -n 's/.* > 127\.0\.0\.1\.\([0-9]*\): .* win \([0-9]*\),.*/\1 \2/p')
	[ "$(say "$raw" | wc -l)" -eq 5 ] || fail "tcpdump:" "$raw"
	shown=$(say "$o" | grep '^wire  .* conn=' | sed 's/.* \(client>server\|server>client\) \([A-Z,]*\) .* win=\([0-9]*\).*/\1 \2 \3/')
	i=0
	say "$raw" | while read -r _ w; do
		i=$((i + 1))
		line=$(say "$shown" | sed -n "${i}p")
		set -- $line
		case $2 in
		SYN*) want=$w ;;
		*) [ "$1" = client\>server ] && want=$((w << cws)) ||
		    want=$((w << sws)) ;;
		esac
		[ "$3" -eq "$want" ] ||
		    fail "segment $i: win=$3, tcpdump's raw $w (ws $cws/$sws)"
	done || exit 1
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

# F fills the client's window: a zero window, and the server's send()
# failing with EAGAIN; window probes one below the acknowledged edge,
# again and again, each longer after the last, answered with the window;
# d drains: an update, and the Client says what the drain read.
fill_drain() {
	o=$($TCPSTEP --batch --keys 12345Fwwd) || fail "exit $?"
	fw=$(say "$o" | sed -n '/^> F /,/^> d /p')
	say "$fw" | grep -q '^wire .* client>server ACK seq=1 ack=[0-9]* len=0 win=0 ts match note=zero-window$' ||
	    fail "zero window:" "$fw"
	# "Its send() fails with EAGAIN once its own send queue is full too."
	say "$fw" | grep -q '^> F Server-Send Fill: full: send(.*) repeated: [0-9]* bytes in [0-9]* calls, then -1 EAGAIN' ||
	    fail "EAGAIN:" "$fw"
	probe=$(say "$fw" | grep -m1 ' note=probe$') || fail "no probe:" "$fw"
	pseq=$(say "$probe" | sed 's/.* server>client ACK seq=\([0-9]*\) .* len=0 .*/\1/')
	zack=$(say "$fw" | grep -m1 'note=zero-window$' | sed 's/.* ack=\([0-9]*\) .*/\1/')
	[ "$pseq" -eq $((zack - 1)) ] || fail "probe seq $pseq, zero window ack $zack"
	say "$fw" | grep -A1 ' note=probe$' | sed -n 2p | grep -q "client>server ACK seq=1 ack=$zack len=0 win=0 " ||
	    fail "probe answered:" "$fw"
	# Three probes or more, at the same seq, each gap longer than the last.
	say "$fw" | grep ' note=probe$' | grep -v " seq=$pseq " && fail "$fw"
	gaps=$(say "$fw" | grep -e ' note=probe$' -e 'note=zero-window$' |
	    awk '/note=zero-window$/ && !z { z = 1; t = $3; sub(/^\+/, "", t); last = t + 0; next }
	    / note=probe$/ { t = $3; sub(/^\+/, "", t); t += 0; print t - last; last = t }')
	[ "$(say "$gaps" | wc -l)" -ge 3 ] || fail "fewer than 3 probes:" "$gaps" "$fw"
	say "$gaps" | awk 'NR > 1 && $1 <= prev { exit 1 } { prev = $1 }' ||
	    fail "probe gaps do not grow:" "$gaps"
	say "$fw" | grep -q '^explain      Wire: zero window\. The client.s receive buffer is full: its ACK offers win=0, and the server must stop sending\. Its send() fails with EAGAIN once its own send queue is full too\.' ||
	    fail "$fw"
	say "$fw" | grep -q '^explain      Wire: window probe\. While the client.s window is 0, Linux on the server.s side sends a segment with no new data again and again, waiting longer each time, one below the acknowledged edge' ||
	    fail "$fw"
	d=$(say "$o" | sed -n '/^> d /,$p')
	say "$d" | grep -m1 '^wire ' | grep -q "after=d .* client>server ACK seq=1 ack=$zack len=0 win=[1-9][0-9]* ts match note=window-update$" ||
	    fail "update:" "$d"
	say "$d" | grep -q '^explain      Wire: window update\. Reading made room in the client.s receive buffer' ||
	    fail "$d"
	# What the drain read, in the Client's received line.
	n=$(say "$d" | sed -n 's/^> d Client Drain: \([0-9]*\) bytes: .*/\1/p')
	[ -n "$n" ] && [ "$n" -gt 0 ] || fail "d:" "$d"
	say "$d" | grep -q "^received     drained $n bytes$" || fail "received:" "$d"
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

# A connect that starts no handshake sends nothing: connect = 0
# confirming the finished one, then EISCONN.
connect_again_sends_nothing() {
	o=$($TCPSTEP --batch --keys 123444) || fail "exit $?"
	again=$(say "$o" | sed -n '/^> 4 Client Connect: OK: connect(.*) = 0: already connected/,$p')
	[ -n "$again" ] || fail "no connect = 0:" "$o"
	say "$again" | grep -q '^> 4 Client Connect: EISCONN' || fail "no EISCONN:" "$o"
	say "$again" | grep '^wire ' && fail "segments:" "$again"
	say "$again" | grep '^  .* wire ' && fail "wire lines:" "$again"
	return 0
}

# The first snapshot says where the capture is: the host's lo as root
# (or with CAP_NET_RAW), the private network's lo as a student.
capture_where() {
	o=$($TCPSTEP --batch --keys 12) || fail "exit $?"
	[ "$(say "$o" | grep -c '^wire         capture on ')" -eq 1 ] || fail "$o"
	say "$o" | sed -n '/^= after 1/,/^= end/p' | grep -q '^wire         capture on lo, host$' ||
	    fail "$o"
	[ "$(id -u)" -eq 0 ] || return 0
	student=$(wire_copy)
	o=$(cd / && as_student "$student" --batch --keys 12) || fail "exit $?"
	say "$o" | sed -n '/^= after 1/,/^= end/p' |
	    grep -q -e '^wire         capture on lo, private network$' -e '^wire         none: ' ||
	    fail "student:" "$o"
}

# A segment's line can come before the line of the call that sent it:
# the kernel sends it inside the call, and the call's line is written
# when the call has returned. x: key line, FIN, then close( = 0.
segment_before_call() {
	o=$($TCPSTEP --batch --keys 12345679x) || fail "exit $?"
	tr=$(say "$o" | sed -n '/^> x /,/^= after x/p' | grep '^  ')
	say "$tr" | sed -n 1p | grep -q ' key x: Client Close$' || fail "$tr"
	say "$tr" | sed -n 2p | grep -q ' wire        client>server FIN,ACK seq=1 ' || fail "$tr"
	say "$tr" | sed -n 3p | grep -q ' client      close([0-9]*) = 0$' || fail "$tr"
	say "$tr" | sed -n 1,3p | awk '{ if ($1 < last) exit 1; last = $1 }' || fail "stamps:" "$tr"
}

# Summing is no -s matter: F fills, d drains, and more than 64 segments
# come before batch looks: the rest is one summed line.
summed_all_in_one() {
	o=$($TCPSTEP --batch --keys 12345Fd) || fail "exit $?"
	d=$(say "$o" | sed -n '/^> d /,$p')
	[ "$(say "$d" | grep -c '^wire         after=')" -eq 64 ] || fail "not 64:" "$d"
	say "$d" | grep -q '^wire         summed segments=[1-9][0-9]* bytes=[1-9][0-9]*$' || fail "$d"
	say "$d" | grep -q '^  .* wire        \.\.\. [0-9]* segments, [0-9.]* MB, not shown one by one$' ||
	    fail "$d"
}

# The Client's received line: one byte is "1 byte".
received_one_byte() {
	o=$($TCPSTEP --batch --keys 12345Uu) || fail "exit $?"
	say "$o" | sed -n '/^> u /,$p' | grep -q '^received     1 byte "A"$' || fail "$o"
}

wire_t "1234567: SYN, SYN,ACK, ACK, PSH,ACK 13, ACK, numbered and matched" handshake_and_record
wire_t "the transcript's wire lines: after the key, before OnConnect, in --log" transcript_order
wire_t "a graceful close: FIN,ACK both ways" graceful_close
wire_t "close with bytes unread: RST, explained" close_unread
wire_t "U: URG with the urgent pointer one past the byte" urgent_pointer
wire_t "F w d: zero window, probes, window update" fill_drain
wire_t "wire arrivals count for batch's settle" settle_counts_wire
t "--no-wire: the wire none line" no_wire
wire_t "a second connect (= 0, then EISCONN) sends nothing" connect_again_sends_nothing
wire_t "the first snapshot says where it captures" capture_where
wire_t "a segment's line before its call's: sent inside the call" segment_before_call
wire_t "all in one, a flood past 64 segments is summed" summed_all_in_one
t "received: 1 byte, not 1 bytes" received_one_byte
