#!/bin/sh
# batch.sh - batch mode: the snapshot contract of tcpstep(1).
. tests/lib.sh

TIME='[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]'

# last PREFIX: the last snapshot line of $o that starts with PREFIX.
last() {
	say "$o" | grep "^$1" | tail -1
}

snapshot_after_7() {
	o=$($TCPSTEP --batch --keys 1234567) || fail "exit $?"
	snap=$(say "$o" | sed -n '/^= after 7$/,$p')
	expect="= after 7
server       OnAccept=1 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=0 errno=0
server-send  OnAccept=0 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=1 errno=0
client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=1 OnSend=1 errno=0"
	[ "$(say "$snap" | head -4)" = "$expect" ] || fail "got:" "$snap"
	say "$snap" | sed -n 5p | grep -q "^received     13 bytes \"$TIME\\\\n\"\$" ||
	    fail "received line: $(say "$snap" | sed -n 5p)"
	say "$snap" | sed -n 6p | grep -q '^server-read  none$' || fail "$snap"
	say "$snap" | grep -q '^kernel       server      LISTEN local=127\.0\.0\.1:[0-9]* queue=0/5 ready=---$' ||
	    fail "$snap"
	say "$snap" | grep -q '^kernel       client      ESTABLISHED local=127\.0\.0\.1:[0-9]* peer=127\.0\.0\.1:[0-9]* inq=0 outq=0 ready=-w-$' ||
	    fail "$snap"
	say "$snap" | sed -n 10p | grep -q '^row          server-send#1 \* OnAccept=0 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=1 errno=0 ESTABLISHED local=127\.0\.0\.1:[0-9]* peer=127\.0\.0\.1:[0-9]* inq=0 outq=0 ready=-w- bytes=0$' ||
	    fail "row 1: $snap"
	say "$snap" | sed -n 11p | grep -q "^row          client#1 \\* .* OnReceive=1 OnSend=1 errno=0 ESTABLISHED .* read=\"$TIME\\\\n\"\$" ||
	    fail "row 2: $snap"
	# Then the Explain area, a paragraph a line, and the end line.
	say "$snap" | tail -1 | grep -q '^= end$' || fail "no end line: $snap"
	say "$snap" | sed -n '12,$p' | sed '$d' | grep -qv '^explain      [A-Za-z]' &&
	    fail "after the rows: $snap"
	say "$snap" | sed -n 12p | grep -q '^explain      CAsyncSocket::Receive: recv moved bytes from the kernel' ||
	    fail "explain: $snap"
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
	last received | grep -q "^received     13 bytes" || fail "$o"
}

two_sends_three_receives() {
	o=$($TCPSTEP --batch --keys 12345667) || return 1
	last client | grep -q 'OnReceive=2 OnSend=1 errno=0$' ||
	    fail "$o"
	o=$($TCPSTEP --batch --keys 1234566777) || return 1
	last client | grep -q 'OnReceive=2 OnSend=1 errno=EAGAIN$' ||
	    fail "$o"
	say "$o" | grep -q '^> 7 Client Receive: EAGAIN: recv(.*) = -1 EAGAIN' ||
	    fail "$o"
}

receive_before_send() {
	o=$($TCPSTEP --batch --keys 123457) || return 1
	last client | grep -q 'OnReceive=0 OnSend=1 errno=EAGAIN$' ||
	    fail "$o"
	last received | grep -q '^received     none$' || fail "$o"
}

connect_refused() {
	o=$($TCPSTEP --batch --keys 134) || return 1
	last client | grep -q 'OnConnect=1 OnOutOfBandData=0 OnReceive=0 OnSend=0 errno=ECONNREFUSED$' ||
	    fail "$o"
}

recv_size() {
	o=$($TCPSTEP --batch --recv-size 5 --keys 1234567) || return 1
	last received | grep -q '^received     5 bytes "[0-9][0-9]:[0-9][0-9]"$' ||
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
	echo 12q | $TCPSTEP --batch 2>"$TESTTMP/err" && fail "exit 0"
	rc=$?
	msg=$(cat "$TESTTMP/err")
	[ "$rc" -eq 2 ] || fail "exit $rc"
	say "$msg" | grep -q "'q' is not a step key" || fail "$msg"
}

peer_bytes_escaped() {
	# The received line escapes what it shows: run with a record's worth.
	o=$($TCPSTEP --batch --keys 1234567) || return 1
	last received | grep -q '\\n"$' || fail "$o"
	printf '%s' "$o" | LC_ALL=C grep -q "$(printf '\033')" && fail "raw ESC"
	return 0
}

# vg ARGS...: tcpstep under valgrind, which must find nothing at all.
vg() {
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	    --error-exitcode=9 $TCPSTEP "$@" >/dev/null 2>"$TESTTMP/vg"
	rc=$?
	msg=$(cat "$TESTTMP/vg")
	[ "$rc" -eq 0 ] || fail "valgrind exit $rc: tcpstep $*" "$msg"
	[ -z "$msg" ] || fail "tcpstep $*" "$msg"
}

no_leaks_across_resets() {
	command -v valgrind >/dev/null || fail "valgrind is not installed"
	vg --batch --settle 20 \
	    --keys 1234567r12345667r77r134rLr12345UuFdd89hHr12345awr
	# Many rows: a third client over --max-conns 2, a closed row reused,
	# selections, send to all, reset with rows open.
	vg --batch --settle 20 --max-conns 2 \
	    --keys 12345n45n45bjkcC6Xn45Zr12345n45
	# The client role and its resolver, with a refused connect.
	vg -c localhost -p 9 --batch --settle 20 --keys 34w4
}

transcript_between_snapshots() {
	o=$($TCPSTEP --batch --keys 1234) || return 1
	# Indented, microsecond-stamped lines come before each snapshot.
	say "$o" | grep -q "^  $TIME[0-9][0-9][0-9] key 4: Client Connect$" ||
	    fail "$o"
	say "$o" | grep -Eq '^  [0-9:.]+ client      connect\([0-9]+, 127\.0\.0\.1:[0-9]+\) = -1 EINPROGRESS$' ||
	    fail "$o"
	say "$o" | grep -Eq '^  [0-9:.]+ client      fd [0-9]+ EV_WRITE, SO_ERROR = 0 -> OnConnect\(0\)$' ||
	    fail "$o"
	say "$o" | grep -Eq '^  [0-9:.]+ server      fd [0-9]+ EV_READ on a listener: a connection waits -> OnAccept\(0\)$' ||
	    fail "$o"
	# The transcript of key 4 sits between "= after 3" and "= after 4".
	say "$o" | sed -n '/^= after 3$/,/^= after 4$/p' | grep -q 'EINPROGRESS' ||
	    fail "$o"
}

log_file() {
	log=$(mktemp -p "$TESTTMP")
	o=$($TCPSTEP --batch --log "$log" --keys 12345U67) || fail "exit $?"
	grep -Eq "^$TIME[0-9]{3} client      connect\(.*\) = -1 EINPROGRESS$" "$log" ||
	    fail "$(cat "$log")"
	grep -q 'send(.*"A", 1, MSG_OOB) = 1$' "$log" || fail "$(cat "$log")"
	grep -q -- '-> OnOutOfBandData(0)$' "$log" || fail "$(cat "$log")"
	grep -Eq 'recv\([0-9]+, 13\) = 13 "[0-9:.]+\\n"$' "$log" ||
	    fail "$(cat "$log")"
	# Nothing raw: every byte of the log is printable ASCII or newline.
	LC_ALL=C grep -q '[^ -~]' "$log" && fail "non-printable byte in log"
	# The same lines as batch mode printed, in the same order; the log
	# also has the close() calls of the exit, after the last snapshot,
	# and the segments they put on the wire.
	say "$o" | sed -n 's/^  //p' >"$log.batch"
	n=$(wc -l <"$log.batch")
	[ "$n" -gt 20 ] || fail "only $n transcript lines"
	head -n "$n" "$log" | cmp -s - "$log.batch" ||
	    fail "log and batch differ:" "$(head -n "$n" "$log" | diff - "$log.batch")"
	tail -n +"$((n + 1))" "$log" | grep -v ' wire        ' |
	    grep -qv ' close([0-9]*) = 0$' &&
	    fail "after the last snapshot:" "$(tail -n +"$((n + 1))" "$log")"
	rm -f "$log.batch"
	rm -f "$log"
}

lifecycle_in_batch() {
	o=$($TCPSTEP --batch --keys 123456X7) || return 1
	last client | grep -q 'OnClose=1 OnConnect=1 OnOutOfBandData=0 OnReceive=1 OnSend=1 errno=0$' ||
	    fail "$o"
	o=$($TCPSTEP --batch --keys 12345Z7) || return 1
	last client | grep -q 'OnClose=1 .* errno=ECONNRESET$' || fail "$o"
	say "$o" | grep -q '^> 7 Client Receive: ECONNRESET: ' || fail "$o"
	o=$($TCPSTEP --batch --keys 12345h8) || return 1
	say "$o" | grep -q '^> 8 Client Send: EPIPE: ' || fail "$o"
	last 'kernel       server-send' | grep -q ' CLOSE_WAIT ' || fail "$o"
}

auto_mode_runs_alone() {
	o=$($TCPSTEP --batch --keys '12345a www') || fail "exit $?"
	say "$o" | grep -q '^> a Auto mode: on$' || fail "$o"
	n=$(last client | sed 's/.*OnReceive=\([0-9]*\).*/\1/')
	[ "$n" -ge 3 ] || fail "OnReceive=$n after 3 s of auto mode" "$o"
	[ "$(say "$o" | grep -c 'key 6: Server-Send Send (auto mode)')" -ge 3 ] ||
	    fail "$o"
	[ "$(say "$o" | grep -c 'key 7: Client Receive (auto mode)')" -ge 3 ] ||
	    fail "$o"
	last received | grep -q "^received     13 bytes \"$TIME" || fail "$o"
}

# counts_after KEY: the three counter lines of the snapshot after KEY in $o.
counts_after() {
	say "$o" | sed -n "/^= after $1\$/,/^received/p" |
	    grep '^server \|^server-send \|^client '
}

# The TUI's burst, given to batch by --keys and by a pipe: each key is
# settled before the next, so both count what slow typing counts.
burst_keys_and_pipe() {
	walk="server       OnAccept=1 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=0 errno=0
server-send  OnAccept=0 OnClose=0 OnConnect=0 OnOutOfBandData=0 OnReceive=0 OnSend=1 errno=0
client       OnAccept=0 OnClose=0 OnConnect=1 OnOutOfBandData=0 OnReceive=1 OnSend=1 errno=0"
	o=$($TCPSTEP --batch --keys 1234567) || fail "exit $?"
	[ "$(counts_after 7)" = "$walk" ] || fail "--keys:" "$(counts_after 7)"
	last received | grep -q "^received     13 bytes" || fail "$o"
	o=$(printf 1234567 | $TCPSTEP --batch) || fail "exit $?"
	[ "$(counts_after 7)" = "$walk" ] || fail "pipe:" "$(counts_after 7)"
	last received | grep -q "^received     13 bytes" || fail "$o"
	# The same with a wrong key in the middle of lesson 1.
	o=$($TCPSTEP --batch --guide 1 --keys 12734567) || fail "exit $?"
	[ "$(counts_after 7 | tail -3)" = "$walk" ] || fail "lesson:" "$o"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q '^guide        lesson=1 done' || fail "$o"
	o=$(printf 12734567 | $TCPSTEP --batch --guide 1) || fail "exit $?"
	[ "$(counts_after 7 | tail -3)" = "$walk" ] || fail "lesson, pipe:" "$o"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q '^guide        lesson=1 done' || fail "$o"
}

# ] starts lesson 2: its setup keys are settled one by one, and the one
# snapshot after ] shows their counts; the guide asks nothing in batch.
guide_setup_settled() {
	o=$($TCPSTEP --batch --keys '1]') || fail "exit $?"
	say "$o" | grep -q '^> ] Guide: Lesson 2 of 10: Two sends, one receive$' ||
	    fail "$o"
	[ "$(say "$o" | grep -c '^= after ')" -eq 2 ] || fail "$o"
	counts_after ']' | grep -q '^server       OnAccept=1 ' || fail "$o"
	counts_after ']' | grep -q '^server-send  .* OnSend=1 ' || fail "$o"
	counts_after ']' | grep -q '^client       .* OnConnect=1 .* OnSend=1 errno=EINPROGRESS$' ||
	    fail "$o"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q '^guide        lesson=2 step 1 of 5 next=6 | .* The guide pressed 12345 for you' ||
	    fail "$o"
	o2=$(printf '1]' | $TCPSTEP --batch) || fail "exit $?"
	[ "$(say "$o" | grep -c '^= after ')" = "$(say "$o2" | grep -c '^= after ')" ] ||
	    fail "pipe: $o2"
}

# Output that cannot be written is said, and is an error: a full disk, a
# closed standard output; a reader that went away (| head) ends the run at
# once with SIGPIPE's status, as other filters end.
output_failures() {
	err=$($TCPSTEP --batch --keys 1234567 2>&1 >/dev/full)
	rc=$?
	[ "$rc" -eq 1 ] || fail "/dev/full: exit $rc"
	say "$err" | grep -q '^tcpstep: cannot write the batch output to standard output: No space left on device$' ||
	    fail "/dev/full: $err"
	err=$($TCPSTEP --batch --keys 12 2>&1 >&-)
	rc=$?
	[ "$rc" -eq 1 ] || fail "closed: exit $rc"
	say "$err" | grep -q '^tcpstep: standard output is closed' || fail "closed: $err"
	# Twenty one-second waits: only a prompt end finishes within 5 s.
	rc=$( ( timeout 5 $TCPSTEP --batch --keys 1234567wwwwwwwwwwwwwwwwwwww; echo $? >"$TESTTMP/rc" ) |
	    head -c 10 >/dev/null; cat "$TESTTMP/rc")
	[ "$rc" -eq 141 ] || fail "| head -c 10: exit $rc"
	# --help and --version check their output too.
	$TCPSTEP --help >/dev/full 2>/dev/null && fail "--help to /dev/full: exit 0"
	return 0
}

# The log: a device that is full, and a file system that fills up on the
# way (a 16 KB tmpfs in a private mount namespace).
log_failures() {
	err=$($TCPSTEP --batch --log /dev/full --keys 12 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 1 ] || fail "/dev/full: exit $rc"
	say "$err" | grep -q "^tcpstep: --log '/dev/full': No space left on device: the log is cut short$" ||
	    fail "$err"
	if ! unshare -rm true 2>/dev/null; then
		echo "# SKIP the filling file system: no unprivileged namespaces"
		return 0
	fi
	mkdir "$TESTTMP/small"
	err=$(unshare -rm sh -c "mount -t tmpfs -o size=16k none '$TESTTMP/small' &&
	    $TCPSTEP --batch --log '$TESTTMP/small/log' --keys 12345666666ffdd777777xr12345ffdd 2>&1 >/dev/null; echo rc=\$?")
	say "$err" | grep -q 'rc=1$' || fail "filling: $err"
	say "$err" | grep -q "small/log': No space left on device: the log is cut short" ||
	    fail "filling: $err"
}

# The same bytes are the same keys from --keys, a file and a pipe: CRLF
# line ends are spaces everywhere, a NUL byte is refused everywhere.
keys_from_anywhere() {
	printf '12\r\n34\r\n' >"$TESTTMP/crlf"
	a=$($TCPSTEP --batch --keys '12 34' | grep -c '^= after')
	b=$($TCPSTEP --batch <"$TESTTMP/crlf" | grep -c '^= after') || fail "file: exit $?"
	c=$(cat "$TESTTMP/crlf" | $TCPSTEP --batch | grep -c '^= after') || fail "pipe: exit $?"
	[ "$a" = 4 ] && [ "$b" = 4 ] && [ "$c" = 4 ] || fail "snapshots: $a $b $c"
	printf '12\0003' >"$TESTTMP/nul"
	for how in file pipe; do
		if [ $how = file ]; then
			err=$($TCPSTEP --batch <"$TESTTMP/nul" 2>&1 >/dev/null)
		else
			err=$(cat "$TESTTMP/nul" | $TCPSTEP --batch 2>&1 >/dev/null)
		fi
		rc=$?
		[ "$rc" -eq 2 ] || fail "NUL by $how: exit $rc"
		say "$err" | grep -qF "'\\x00' is not a step key" || fail "NUL by $how: $err"
	done
}

# Each key's output ends with "= end", so a script reading a pipe knows a
# snapshot is whole without guessing by time.
snapshot_end_line() {
	o=$($TCPSTEP --batch --keys 12i3) || fail "exit $?"
	[ "$(say "$o" | grep -c '^= end$')" -eq 4 ] || fail "$o"
	# The last line of each key's output is "= end".
	say "$o" | awk '/^> / && NR > 1 && prev != "= end" { bad = 1 }
	    { prev = $0 } END { exit bad || prev != "= end" }' || fail "$o"
	bstart s $TCPSTEP
	bkeys s 1
	bwait s "= " "= end" || return 1
	bkeys s 2
	poll sh -c "[ \$(grep -c '^= end' '$BDIR/s.out') -eq 2 ]" || fail "$(bout s)"
	bend s
}

# Every Explain paragraph is whole: none is cut short by a buffer, so each
# ends as a sentence ends. Before the fix, 1234566Z ended "close this sock".
explain_paragraphs_whole() {
	for k in 1234566Z 12345686x999 134 1234567xX 12345UU7uu 12345hFdD \
	    12345fFdD 1234567L 12345ozOZ 12345n4b 12345m667 12345a6w 1342n4; do
		o=$($TCPSTEP --batch --keys "$k") || fail "$k: exit $?"
		cut=$(say "$o" | grep '^explain ' | grep -v '[.)!"]$')
		[ -z "$cut" ] || fail "$k: a paragraph cut short:" "$cut"
	done
	return 0
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
t "batch: transcript lines, stamped to the microsecond, between snapshots" transcript_between_snapshots
t "batch: --log writes the same transcript, escaped, line by line" log_file
t "batch: close, abort and half-close seen from the peer" lifecycle_in_batch
t "batch: auto mode delivers time records with no key pressed" auto_mode_runs_alone
# Every lesson of guided mode, played through with its keys, reaches its end.
lessons_reach_their_end() {
	n=1
	for keys in 1234567 66777 767 1342n4 67xn45h6n45Z UuUUu Fd awww8wa; do
		o=$($TCPSTEP --batch --guide $n --keys "$keys") || fail "exit $?"
		say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q "^guide        lesson=$n done | Lesson done\." ||
		    fail "lesson $n with $keys:" "$(say "$o" | grep '^guide')"
		n=$((n + 1))
	done
}

# A different key runs all the same; the guide says what it did and the
# way back, and the lesson goes on from there.
wrong_key_gets_a_hint() {
	o=$($TCPSTEP --batch --guide 1 --keys 127) || fail "exit $?"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q "^guide        lesson=1 step 3 of 7 next=3 | Press 3: .* | You pressed 7 (Client Receive): not now\. The lesson wants 3 (Client Create)\. Press 3 to go on, or r to start this lesson again\.$" ||
	    fail "$o"
	o=$($TCPSTEP --batch --guide 1 --keys 12734567) || fail "exit $?"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q '^guide        lesson=1 done' || fail "$o"
	# Out of turn: 3 before 2 is harmless, step 3 counts as done.
	o=$($TCPSTEP --batch --guide 1 --keys 1323) || fail "exit $?"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q 'lesson=1 step 4 of 7 next=4 ' ||
	    fail "$o"
	o=$($TCPSTEP --batch --guide 1 --keys 1323r1234567) || fail "exit $?"
	say "$o" | grep -v '^= end$' | grep -v '^wire ' | tail -1 | grep -q '^guide        lesson=1 done' || fail "$o"
	o=$($TCPSTEP --batch --guide 11 2>&1)
	[ $? -eq 2 ] || fail "--guide 11: $o"
}

# The two notification models on 6 6 7 7 7: Winsock's one-shot OnReceive
# waits for the receive, edge-triggered fires on each arrival.
models_side_by_side() {
	w=$($TCPSTEP --batch --keys '12345 66777' | grep '^client ')
	e=$($TCPSTEP --batch --model edge --keys '12345 66777' | grep '^client ')
	say "$w" | sed -n 7p | grep -q ' OnReceive=1 OnSend=1 ' || fail "winsock 66:" "$w"
	say "$w" | sed -n 8p | grep -q ' OnReceive=2 OnSend=1 ' || fail "winsock 667:" "$w"
	say "$w" | sed -n 10p | grep -q ' OnReceive=2 OnSend=1 errno=EAGAIN$' || fail "winsock:" "$w"
	say "$e" | sed -n 7p | grep -q ' OnReceive=2 ' || fail "edge 66:" "$e"
	say "$e" | sed -n 10p | grep -q ' OnReceive=2 .*errno=EAGAIN$' || fail "edge:" "$e"
	# m switches at any time, and says so.
	o=$($TCPSTEP --batch --keys '12345m66') || fail "exit $?"
	say "$o" | grep -q '^> m Model: edge-triggered (EV_ET)$' || fail "$o"
	say "$o" | grep '^client ' | tail -1 | grep -q ' OnReceive=2 ' || fail "$o"
}

# i explains every error on screen.
errors_explained() {
	o=$($TCPSTEP --batch --keys 134i) || fail "exit $?"
	say "$o" | grep -q '^> i Errors: 2 shown$' || fail "$o"
	say "$o" | grep -q '^error        ECONNREFUSED 111 Connection refused (WSAECONNREFUSED 10061)\. Nothing listens on that address and port' ||
	    fail "$o"
	say "$o" | grep -q '^error        EINPROGRESS 115 ' || fail "$o"
}

t "batch: every guided lesson played through reaches its end" lessons_reach_their_end
t "batch: a wrong key in a lesson gets a hint, and the lesson goes on" wrong_key_gets_a_hint
t "batch: Winsock and edge-triggered models count 6 6 7 7 7 differently" models_side_by_side
t "batch: i explains every error shown" errors_explained
t "batch: a burst by --keys and by a pipe counts what slow typing counts" burst_keys_and_pipe
t "batch: a lesson's setup keys are settled like typed keys" guide_setup_settled
t "batch: output that cannot be written is said; a closed pipe ends it at once" output_failures
t "batch: a log that cannot be written, or fills its disk, is said" log_failures
t "batch: keys are the same from --keys, a file and a pipe (CRLF, NUL)" keys_from_anywhere
t "batch: every key's output ends with an explicit = end line" snapshot_end_line
t "batch: every Explain paragraph is whole, none cut by a buffer" explain_paragraphs_whole
# valgrind cannot run a sanitizer build; ASan and LSan check the same.
if [ -n "${TCPSTEP_SANITIZE:-}" ]; then
	echo "ok - batch: valgrind finds no leak or bad access across resets # SKIP sanitizer build: AddressSanitizer checks instead"
else
	t "batch: valgrind finds no leak or bad access across resets" no_leaks_across_resets
fi
