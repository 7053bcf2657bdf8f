#!/bin/sh
# keys.sh - the screen speaks the binding table (src/bind.c): the help
# pages list every key of it, and the legend shows only its items.
#
# tests/test_keys prints what the table holds: --list the keys the help
# pages must show ("name<TAB>help"), --legend every item the legend may
# show (a key's own, guided mode's, the groups of step keys, the steps of
# each role). The real binary runs in tmux, as in tui.sh.
. tests/lib.sh

command -v tmux >/dev/null || { echo "not ok - keys: tmux is not installed"; exit 1; }
TEST_KEYS=${TEST_KEYS:-./tests/test_keys}
[ -x "$TEST_KEYS" ] || { echo "not ok - keys: $TEST_KEYS is not built"; exit 1; }
WORK=$TESTTMP/work	# lib.sh removes it on exit
mkdir -p "$WORK"

RUN="exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP"

echo "1..6"

# Help pages 1 and 2 (? and ? again) show each key of --list: a line that
# starts with the key (after the margin) and holds the start of its help.
help_lists_every_key() {
	"$TEST_KEYS" --list >"$WORK/list" || fail "test_keys --list failed"
	[ "$(wc -l <"$WORK/list")" -ge 30 ] ||
	    fail "test_keys --list printed too few keys" "$(cat "$WORK/list")"
	tui_start 120 40 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	# The bottom line is drawn last: with it, the page is all there.
	tm send-keys -t t '?'
	wait_for "tcpstep help, page 1 of 4" || return 1
	wait_for "? or Space next page" || return 1
	screen >"$WORK/help"
	tm send-keys -t t '?'
	wait_for "tcpstep help, page 2 of 4" || return 1
	wait_for "? or Space next page" || return 1
	screen >>"$WORK/help"
	missing=$(awk -F '\t' '
	    NR == FNR { key[++n] = $1; help[n] = substr($2, 1, 30); next }
	    { line[++m] = $0 }
	    END {
		for (i = 1; i <= n; i++) {
			found = 0
			for (j = 1; j <= m && !found; j++)
				found = index(line[j], "   " key[i] " ") == 1 &&
				    index(line[j], help[i]) > 0
			if (!found)
				print key[i] "\t" help[i]
		}
	    }' "$WORK/list" "$WORK/help")
	[ -z "$missing" ] ||
	    fail "not on help pages 1 and 2:" "$missing" "$(cat "$WORK/help")"
}

# The legend's items: the last line, split where two spaces or more stand.
legend_items() {
	screen | tail -1 | sed 's/^ *//; s/ *$//' |
	    awk '{ n = split($0, a, /   */); for (i = 1; i <= n; i++) print a[i] }'
}

# legend_ok WANT...: every item of the legend now is one of the table's
# (or where guided mode stands: "GUIDE: press KEY" with a key of the
# table, "GUIDE: done", "GUIDE: waiting", "lesson N/8 ..."), and each WANT
# is among them.
legend_ok() {
	"$TEST_KEYS" --legend >"$WORK/legend" || fail "test_keys --legend failed"
	"$TEST_KEYS" --list | cut -f1 >"$WORK/names" || fail "test_keys --list failed"
	legend_items >"$WORK/items"
	[ -s "$WORK/items" ] || fail "no legend" "$(screen)"
	while IFS= read -r item; do
		case $item in
		"GUIDE: press "*)
			grep -qxF -- "${item#GUIDE: press }" "$WORK/names" ||
			    fail "legend: $item: no such key" "$(screen | tail -1)"
			continue ;;
		"GUIDE: done"|"GUIDE: waiting")
			continue ;;
		esac
		if say "$item" | grep -q '^lesson [0-9]*/[0-9]* '; then
			continue
		fi
		grep -qxF -- "$item" "$WORK/legend" ||
		    fail "legend item '$item' is not the binding table's" \
		    "$(screen | tail -1)" "$(cat "$WORK/legend")"
	done <"$WORK/items"
	for want in "$@"; do
		grep -qxF -- "$want" "$WORK/items" ||
		    fail "legend lacks '$want'" "$(screen | tail -1)"
	done
}

# All in one: fresh, then after 1234567 at two sizes (80x24 has v view,
# 120x40 room for both groups of step keys).
legend_all_in_one() {
	tui_start 80 24 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	legend_ok "1-9 step" "g guide" "a auto" "? help" "q quit" || return 1
	tm send-keys -t t 1234567
	wait_for "7 Receive 13 bytes" || return 1
	legend_ok "1-9 step" "E explain" "v view" "? help" "q quit"
}

legend_all_in_one_wide() {
	tui_start 120 40 "$RUN" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1234567
	wait_for "7 Receive 13 bytes" || return 1
	legend_ok "1-9 step" "E explain" "xhzufd Client" "XHZUFD Server-Send" \
	    "g guide" "a auto"
}

# -c: the client's steps, then its group with o (the peer is another
# tcpstep) once it has a socket.
legend_client_role() {
	tui_start 120 40 "$RUN -c 127.0.0.1 -p $(test_port 1)" || return 1
	wait_for "Press 3" || return 1
	legend_ok "3 4 7 8 steps" "n new" "a auto" || return 1
	tm send-keys -t t 3
	wait_for "3 Create  OK" || return 1
	legend_ok "3 4 7 8 steps" "E explain" "xhzuofd Client" "n new"
}

# -s: the server's steps; with a connection accepted, Server-Send's group
# with O, and b.
legend_server_role() {
	port=$(test_port 2)
	tui_start 120 40 "$RUN -s -p $port" || return 1
	wait_for "Press 1" || return 1
	legend_ok "1 2 5 6 9 steps" "a auto" || return 1
	tm send-keys -t t 12
	wait_for "2 Listen  OK" || return 1
	bgrun peer python3 -c "import socket, time
s = socket.create_connection(('127.0.0.1', $port))
time.sleep(10)"
	wait_for "queue 1/" || return 1
	tm send-keys -t t 5
	wait_for "5 Accept  OK" || return 1
	legend_ok "1 2 5 6 9 steps" "XHZUOFD Server-Send" "b all"
}

# Guided mode: where the lesson stands, then its own keys.
legend_guided() {
	tui_start 120 40 "$RUN --guide 2" || return 1
	wait_for "GUIDE: press" || return 1
	legend_ok "r again" "] next" "g off"
	screen | tail -1 | grep -q "GUIDE: press .*lesson 2/10" ||
	    fail "no lesson in the legend" "$(screen | tail -1)"
}

t "help pages list every key of the table" help_lists_every_key
t "legend all in one: fresh, after 1234567" legend_all_in_one
t "legend all in one, 120x40: both groups of step keys" legend_all_in_one_wide
t "legend in client role (-c)" legend_client_role
t "legend in server role (-s), a connection accepted" legend_server_role
t "legend in guided mode" legend_guided
