#!/bin/sh
# wireview.sh - the Wire view (tcpstep(1), DESCRIPTION): the segments
# really captured, drawn in tmux from the real binary at 80x24, beside the
# expected ones at 132x44, in ASCII with --ascii, and the one line that
# says why when nothing is captured. The segments are the kernel's own:
# these tests need a capture (root, or unprivileged user namespaces) and
# are skipped with the reason where there is none (wire_t, tests/lib.sh).
. tests/lib.sh

command -v tmux >/dev/null || { echo "not ok - wireview: tmux is not installed"; exit 1; }

RUN="exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP"

echo "1..16"

# Patterns hold line-drawing characters: grep them in a UTF-8 locale, so
# that a quantifier applies to the whole character.
ugrep() {
	LC_ALL=C.UTF-8 grep "$@"
}

# The rows under the Wire view's rule (the rule's dashes: ASCII or not),
# down to the legend, which is left out.
wire_rows() {
	screen | sed -n '/^\(──\|--\) Wire/,$p' | sed '1d;$d'
}

_wire_has() {
	wire_rows | ugrep -q -E -- "$1"
}

# wire_wait PATTERN: poll until a Wire row matches the extended regex.
wire_wait() {
	poll _wire_has "$1" || { echo "no Wire row matches: $1"; screen; return 1; }
}

# to_wire: v from Explain to the Ladder, then to Wire (at 80x24 one view).
to_wire() {
	tm send-keys -t t v
	wait_for "Ladder" || return 1
	tm send-keys -t t v
	wait_for "(v: Events)" || return 1
}

# The handshake's three rows: the key on the first only, the direction of
# each arrow, the flags, and = (as the ladder expected).
handshake_rows() {
	wire_wait '^ 4 +│─+ SYN .*─→│ = +\+[0-9.]+(us|ms)$' || return 1
	wire_wait '^   +│←─+ SYN, ACK .*│ = ' || return 1
	wire_wait '^   +│─+ ACK .*→│ = ' || return 1
	[ "$(wire_rows | ugrep -c -E '^ 4 ')" -eq 1 ] ||
	    fail "key 4 not on its first row only" "$(screen)"
}

handshake_80x24() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5
	wait_counter server OnAccept 1 || return 1
	wait_for "5 Server Accept" || return 1
	to_wire || return 1
	handshake_rows || return 1
	# The relative numbers: SYN seq=0, its answer ack=1.
	wire_rows | ugrep -q -E 'SYN, ACK +seq=0 ack=1' ||
	    fail "SYN, ACK not numbered from 0" "$(screen)"
}

# The same keys in one burst give the same rows (times aside).
burst_same_rows() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5
	wait_for "5 Server Accept" || return 1
	to_wire || return 1
	handshake_rows || return 1
	wire_rows | sed 's/ *+[0-9.]*[mu]*s *$//; s/ *$//' >"$TESTTMP/slow"
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t -l "12345"
	wait_for "5 Server Accept" || return 1
	to_wire || return 1
	handshake_rows || return 1
	wire_rows | sed 's/ *+[0-9.]*[mu]*s *$//; s/ *$//' >"$TESTTMP/burst"
	cmp -s "$TESTTMP/slow" "$TESTTMP/burst" ||
	    fail "one key at a time:" "$(cat "$TESTTMP/slow")" "in a burst:" \
	    "$(cat "$TESTTMP/burst")"
}

# 6 sends the 13-byte record: its row says so, server to client, under 6.
data_row() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6 7
	wait_for "7 Client Receive" || return 1
	to_wire || return 1
	wire_wait '^ 6 +│←─+ PSH, ACK 13 .*│ = ' || return 1
	wire_wait '^   +│─+ ACK .*→│ = ' || return 1
}

# Closing with the record unread resets the connection: the RST row is
# marked as unlike the FIN the ladder expected, or says why.
rst_row() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6
	wait_for "6 Server-Send Send" || return 1
	tm send-keys -t t x
	wait_for "x Client Close" || return 1
	to_wire || return 1
	wire_wait '^ x +│─+ RST.*(not FIN.*→│ [=!] |→│ ! )' || return 1
}

# PgUp scrolls the Wire view back, and its rule says so.
scrolled_back() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6 7
	wait_for "7 Client Receive" || return 1
	to_wire || return 1
	wire_wait 'PSH, ACK 13' || return 1
	tm send-keys -t t PPage
	wait_for "Wire, scrolled back: PgDn for the newest" || return 1
	handshake_rows || return 1
	tm send-keys -t t NPage
	wait_for "(v: Events)" || return 1
	wire_wait 'PSH, ACK 13' || return 1
}

# Tall and wide: the ladder's box sets the expected segment (left) beside
# the captured one (right) on each row.
side_by_side_132x44() {
	tui_start 132 44 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5
	wait_for "5 Server Accept" || return 1
	wait_for "Ladder: expected, and captured on the wire" || return 1
	_row() { screen | ugrep -q -E -- "$1"; }
	poll _row '│4 │─+ SYN ─+→│ 4 +│─+ SYN .*→│ = ' ||
	    fail "no SYN beside SYN" "$(screen)"
	_row '│  │←─+ SYN, ACK ─+│ +│←─+ SYN, ACK .*│ = ' ||
	    fail "no SYN, ACK beside SYN, ACK" "$(screen)"
	_row '│  │─+ ACK ─+→│ +│─+ ACK .*→│ = ' ||
	    fail "no ACK beside ACK" "$(screen)"
}

# --ascii: the Wire view is drawn without a line-drawing character.
ascii_only() {
	tui_start 80 24 "$RUN --ascii" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6
	wait_for "6 Server-Send Send" || return 1
	to_wire || return 1
	wire_wait '^ 6 +\|<-+ PSH, ACK 13 .*-\| = ' || return 1
	wire_wait '^   +\|-+ ACK .*->\| = ' || return 1
	if wire_rows | LC_ALL=C grep -q '[^ -~]'; then
		fail "not ASCII:" "$(wire_rows | LC_ALL=C grep '[^ -~]')"
	fi
}

# Runs whether or not this system can capture: --no-wire says so in one
# line where the segments would be.
no_wire_line() {
	tui_start 80 24 "$RUN --no-wire" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnConnect 1 || return 1
	to_wire || return 1
	wire_wait '^ --no-wire: nothing is captured' || return 1
	[ "$(wire_rows | grep -c '[^ ]')" -eq 1 ] ||
	    fail "more than the one line" "$(screen)"
}

# An unprivileged student: tcpstep makes its private network, says so in
# the title, and captures there. The pane runs what as_student runs (a
# shell function cannot cross into the pane): as root, setpriv as nobody.
private_network() {
	bin=$(wire_copy)
	student=
	[ "$(id -u)" -eq 0 ] &&
	    student="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $student $bin" ||
	    return 1
	wait_for "Server-Send" || return 1
	screen | head -1 | grep -q "private network" ||
	    fail "the title does not say private network" "$(screen)"
	# Before any segment, the Wire view says what that means.
	to_wire || return 1
	wire_wait "Private network: this lab's sockets live in a network" ||
	    return 1
	wire_rows | tr -s ' \n' '  ' | grep -q "ss and nc in other windows cannot see them" ||
	    fail "the meaning of private network is cut" "$(screen)"
	tm send-keys -t t v v
	wait_for "Explain  (v: Ladder" || return 1
	tm send-keys -t t 1 2 3 4 5
	wait_for "5 Server Accept" || return 1
	to_wire || return 1
	handshake_rows || return 1
}

# The rows of the tall screen's Wire box (right of the Explain box).
box_rows() {
	screen | sed -n '/Wire: captured segments/,/^└/p' | sed '1d;$d' |
	    sed 's/^.*││//; s/│$//'
}

# 80x32: the Wire box is narrow. A label that does not fit whole is left
# out whole ("PSH, ACK 13" never becomes "PSH, ACK "), and the times stay.
narrow_whole_words() {
	tui_start 80 32 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6 7
	wait_for "7 Client Receive" || return 1
	_six() { box_rows | ugrep -q -E '^6 +│←'; }
	poll _six || fail "no row under 6" "$(screen)"
	box_rows | ugrep -E '^6 ' | ugrep -q -E '│←─+( PSH, ACK 13 .*)?─│' ||
	    fail "the data row's label is cut" "$(screen)"
	box_rows | ugrep -E '│ [=!+-] ' | ugrep -v -q -E '\+[0-9.]+(us|ms|s)$' &&
	    fail "a row lost its time" "$(screen)"
	return 0
}

# -s at 80x24: the addresses take a row under the title, and still the
# Wire view keeps three rows under its rule (tcpstep(1): at least three).
server_role_three_rows() {
	tui_start 80 24 "$RUN -s -p $(test_port 3)" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2
	wait_for "2 Server Listen" || return 1
	screen | sed -n 2p | grep -q "$(test_port 3)" ||
	    fail "the addresses have no row of their own here" "$(screen)"
	tm send-keys -t t v
	wait_for "Ladder" || return 1
	tm send-keys -t t v
	wait_for "(v: Events)" || return 1
	n=$(screen | sed -n '/^── Wire/,$p' | sed '1d;$d' | wc -l)
	[ "$n" -ge 3 ] || fail "$n rows under the Wire rule" "$(screen)"
}

# 80x24: the rule says which rail is which and what the marks mean.
rule_explains_80x24() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnConnect 1 || return 1
	to_wire || return 1
	on_screen "── Wire  Client│─→│Server  = match ! differs + extra - not seen  (v: Events) ─" ||
	    fail "no rails or marks in the rule" "$(screen)"
}

# U: the urgent row shows its pointer; the data row does not repeat its
# length or flags (the label says "PSH, ACK 13").
urgent_and_no_repeats() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6
	wait_for "6 Server-Send Send" || return 1
	to_wire || return 1
	wire_wait '^ 6 .*PSH, ACK 13 ' || return 1
	wire_rows | ugrep -E '^ 6 ' | ugrep -q -E 'len=13|PSH,ACK' &&
	    fail "the data row says its length or flags twice" "$(screen)"
	tm send-keys -t t U
	wait_for "U Server-Send Urgent" || return 1
	wire_wait '^ U .*URG, PSH, ACK 1 .*urp=1 ' || return 1
}

# F then d: the flood's summed entry is one line between the rails, with
# no arrow, mark or time.
summed_line() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 F
	wait_for "F Server-Send Fill" || return 1
	tm send-keys -t t d
	wait_for "d Client Drain" || return 1
	to_wire || return 1
	wire_wait '^ +│ +[0-9]+ segments, [0-9]+ bytes, not shown one by one +│$' ||
	    return 1
}

# 100x30 shows one view under the panes: the legend keeps v.
legend_v_100x30() {
	tui_start 100 30 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "1 Server Create" || return 1
	wait_for "(v: Ladder" || return 1
	on_screen "v view" || fail "the legend lost v view" "$(screen)"
}

# PgUp moves the Wire view a whole page (its three rows, none shown
# twice), and scrolled back it holds still while new segments arrive.
pgup_steady() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4 5 6 7
	wait_for "7 Client Receive" || return 1
	tm send-keys -t t 6
	wait_for "6 Server-Send Send" || return 1
	tm send-keys -t t 7
	wait_for "7 Client Receive" || return 1
	to_wire || return 1
	wire_wait '^ 6 ' || return 1
	wire_rows >"$TESTTMP/newest"
	tm send-keys -t t PPage
	wait_for "Wire, scrolled back" || return 1
	wire_rows >"$TESTTMP/back"
	sort "$TESTTMP/newest" >"$TESTTMP/n.sorted"
	sort "$TESTTMP/back" >"$TESTTMP/b.sorted"
	[ -z "$(comm -12 "$TESTTMP/n.sorted" "$TESTTMP/b.sorted")" ] ||
	    fail "PgUp showed a row again:" "$(cat "$TESTTMP/newest")" "then:" \
	    "$(cat "$TESTTMP/back")"
	tm send-keys -t t 6
	wait_for "6 Server-Send Send" || return 1
	tm send-keys -t t 7
	wait_for "7 Client Receive" || return 1
	wire_rows >"$TESTTMP/held"
	cmp -s "$TESTTMP/back" "$TESTTMP/held" ||
	    fail "the scrolled view moved:" "$(cat "$TESTTMP/back")" "then:" \
	    "$(cat "$TESTTMP/held")"
}

wire_t "wireview: 80x24, 1-5: SYN, SYN-ACK, ACK under key 4, each =" handshake_80x24
wire_t "wireview: 12345 in one burst gives the same rows" burst_same_rows
wire_t "wireview: 6 7: the 13-byte data row under 6, and its ACK" data_row
wire_t "wireview: x with the record unread: the RST row marked !" rst_row
wire_t "wireview: PgUp scrolls the Wire view back, PgDn to the newest" scrolled_back
wire_t "wireview: 132x44: expected beside captured in the ladder box" side_by_side_132x44
wire_t "wireview: --ascii draws the Wire view in ASCII only" ascii_only
t "wireview: --no-wire says why in one line" no_wire_line
wire_t "wireview: an unprivileged student: private network in the title, segments captured" private_network
wire_t "wireview: 80x32: a label is whole or left out, and the times stay" narrow_whole_words
t "wireview: -s at 80x24: the Wire view keeps three rows" server_role_three_rows
wire_t "wireview: 80x24: the rule names the rails and the marks" rule_explains_80x24
wire_t "wireview: U shows urp=1; the data row says len and flags once" urgent_and_no_repeats
wire_t "wireview: F d: the summed entry is one line, no arrow, mark or time" summed_line
t "wireview: 100x30: one view, and the legend keeps v view" legend_v_100x30
wire_t "wireview: PgUp moves a whole page and holds still as segments come" pgup_steady
