#!/bin/sh
# screen.sh - what the screen shows at 80x24, checked line by line.
#
# Each test drives the real binary in tmux one key at a time, keeps the
# screen after every key, and has tests/screen.py compare each line under
# the panes with the full texts batch mode prints for the same keys: a
# line may end where its text ends, carry on in the next line, or end with
# "... [KEY]" naming the key that shows the rest, nothing else.
. tests/lib.sh

command -v tmux >/dev/null || { echo "not ok - screen: tmux is not installed"; exit 1; }
command -v python3 >/dev/null || { echo "not ok - screen: python3 is not installed"; exit 1; }
WORK=$TESTTMP/work	# lib.sh removes it on exit
mkdir -p "$WORK"

echo "1..20"

# The screen stopped changing: two captures in a row are the same.
_prev=
_stable() {
	_now=$(screen)
	[ "$_now" = "$_prev" ] && return 0
	_prev=$_now
	return 1
}

_changed() {
	[ "$(screen)" != "$_before" ]
}

# settle: after a key, wait (a second at most) for the screen to change,
# then until it holds still.
settle() {
	POLL_LIMIT=20 poll _changed
	_prev=
	poll _stable
}

# scan ARGS KEYS BATCHKEYS: run tcpstep ARGS at 80x24, press KEYS one by
# one, keep each screen; then batch mode with the same ARGS and BATCHKEYS
# gives the full texts to check the screens against.
scan() {
	dir=$WORK/$$.$(date +%s%N)
	mkdir -p "$dir" || return 1
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP $1" || return 1
	wait_for "Received:" || return 1
	keys=$2
	n=0
	while [ -n "$keys" ]; do
		k=$(printf '%s' "$keys" | cut -c1)
		keys=$(printf '%s' "$keys" | cut -c2-)
		_before=$(screen)
		tm send-keys -t t -l "$k"
		settle
		n=$((n + 1))
		{ echo "# after $k (key $n of $2)"; screen; } >"$dir/$(printf %03d $n)"
	done
	$TCPSTEP $1 --batch --keys "$3" >"$dir/corpus" 2>&1 ||
	    fail "batch mode failed" "$(tail "$dir/corpus")"
	python3 tests/screen.py "$dir/corpus" "$dir"/[0-9]* ||
	    fail "$(cat "$dir/$(printf %03d $n)")"
}

walkthrough()	{ scan "" 1234567 1234567; }
lesson1()	{ scan "--guide 1" 1234567 1234567; }
lesson2()	{ scan "--guide 2" 66777 66777; }
lesson3()	{ scan "--guide 3" 767 767; }
lesson4()	{ scan "--guide 4" 1342n4 1342n4; }
lesson5()	{ scan "--guide 5" 67xn45h6n45Z 67xn45h6n45Z; }
lesson6()	{ scan "--guide 6" UuUUu UuUUu; }
lesson7()	{ scan "--guide 7" Fd Fd; }
lesson8()	{ scan "--guide 8" a8a aww8wa; }
lifecycle_a()	{ scan "" 123456UuoOfFdDhHxXL 123456UuoOfFdDhHxXL; }
lifecycle_b()	{ scan "" 12345n45bzZ 12345n45bzZ; }
events()	{ scan "" e1234567x 1234567x; }

# Before any key: the hint and the legend are whole.
first_screen() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP $1" || return 1
	wait_for "Received:" || return 1
	_prev=
	poll _stable
	# The lines after Received, up to the view's rule, are the hint; it
	# ends a sentence.
	hint=$(screen | sed -n '/Received:/,/^──/p' | sed '1d;$d' |
	    tr '\n' ' ' | sed 's/ *$//')
	case $hint in
	*[.?!]|*"]") ;;
	*) fail "hint cut: $hint" "$(screen)" ;;
	esac
	screen | tail -1 | grep -q '? help  q quit *$' ||
	    fail "legend: $(screen | tail -1)"
	screen | grep -q "$2" || fail "no '$2' in the hint" "$(screen)"
}

first_all()	{ first_screen "" "Press 1"; }
first_client()	{ first_screen "-c 127.0.0.1 -p $(test_port 1)" "Press 3"; }

# -s: every address batch mode lists for step 1 shows in full.
server_addresses() {
	port=$(test_port 2)
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP -s -p $port" ||
	    return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1
	wait_for "1 Server Create" || return 1
	# The addresses as the kernel lists them: ip(8), every interface up.
	addrs=$(ip -o addr show up | awk '{ print $3, $4 }' |
	    sed -n 's|^inet \([0-9.]*\)/.*|\1|p; s|^inet6 \([0-9a-f:]*\)/.*|[\1]|p' |
	    grep -v '^\[fe80')
	[ -n "$addrs" ] || fail "no address from ip addr"
	for a in $addrs; do
		screen | tr -s ' ' '\n' | tr -d ',' | grep -qxF "$a:$port" ||
		    fail "$a:$port not shown in full" "$(screen | head -4)"
	done
}

# Explain starts with the step's own paragraph, not its notifications'.
explain_step_first() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnSend 1 || return 1
	first=$($TCPSTEP --batch --keys 1234 | sed -n 's/^explain      //p' |
	    sed -n '1,$p' | tail -4 | head -1 | cut -c1-40)
	wait_for "── Explain" || return 1
	screen | sed -n '/── Explain/{n;p;}' | grep -qF "$first" ||
	    fail "Explain does not start with: $first" "$(screen)"
}

# Key E: the whole explanation of the last step, full-screen; any key back.
explain_page() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP" || return 1
	wait_for "Server-Send" || return 1
	tm send-keys -t t 1 2 3 4
	wait_counter client OnSend 1 || return 1
	tm send-keys -t t E
	wait_gone "┌─ Server" || return 1
	$TCPSTEP --batch --keys 1234 | sed -n 's/^explain      //p' | tail -4 |
	    cut -c1-30 >"$WORK/starts"
	while read -r l; do
		on_screen "$l" || fail "not on the E page: $l" "$(screen)"
	done <"$WORK/starts"
	tm send-keys -t t x
	wait_for "┌─ Server" || return 1
	on_screen "x Client Close" && fail "x ran a step"
	tm send-keys -t t '?'
	wait_for "help, page 1 of 4" || return 1
	on_screen "^   E  " || fail "help does not list E" "$(screen)"
}

# In a lesson the instruction has its own line, the step's result and
# its explanation stay on screen.
lesson_keeps_result() {
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP --guide 2" ||
	    return 1
	wait_for "GUIDE" || return 1
	tm send-keys -t t 6
	wait_counter client OnReceive 1 || return 1
	wait_for "Press 6 again" || return 1
	on_screen "^ 6 Server-Send Send: send(" || fail "no result" "$(screen)"
	on_screen "send copied the bytes" || fail "no explanation" "$(screen)"
}

# same_as_readme screen|batch README_PART NOW: the two agree once times,
# ports and descriptor numbers are masked (on screen also runs of spaces
# and trailing blank lines, which the columns move); else a diff.
same_as_readme() {
	python3 - "$@" <<'PY'
import difflib, re, sys
kind, readme, now = sys.argv[1:4]
def norm(path):
    out = []
    for l in open(path, encoding='utf-8'):
        l = re.sub(r'\d\d:\d\d:\d\d\.\d+', 'HH:MM:SS', l.rstrip())
        l = re.sub(r'(127\.0\.0\.1|\]):\d+', r'\1:PORT', l)
        l = re.sub(r'\b(fd|recv|send|accept|connect|F_SETOWN,)([ (])\d+',
                   r'\1\2N', l)
        out.append(re.sub(r' +', ' ', l) if kind == 'screen' else l)
    while kind == 'screen' and out and out[-1] == '':
        out.pop()
    return out
a, b = norm(readme), norm(now)
if a != b:
    print('\n'.join(difflib.unified_diff(a, b, 'README', 'now', lineterm='')))
    sys.exit(1)
PY
}

# The README's screenshot and batch example are what tcpstep prints today.
readme_screen() {
	keys=$(sed -n 's/^After \([0-9 ]*\):$/\1/p' README | head -1 | tr -d ' ')
	[ -n "$keys" ] || fail "README has no 'After KEYS:' screenshot"
	# The indented block after "After KEYS:".
	awk '/^After [0-9 ]*:$/ { on = 1; next }
	    on && /^    / { print substr($0, 5); seen = 1; next }
	    on && seen { exit }' README >"$WORK/readme.scr"
	tui_start 80 24 "exec env LANG=C.UTF-8 LC_ALL= $TCPSTEP" || return 1
	wait_for "Server-Send" || return 1
	for k in $(printf '%s' "$keys" | sed 's/./& /g'); do
		_before=$(screen)
		tm send-keys -t t "$k"
		settle
	done
	screen | sed 's/ *$//' >"$WORK/now.scr"
	same_as_readme screen "$WORK/readme.scr" "$WORK/now.scr"
}

readme_batch() {
	cmd=$(sed -n 's/^    \$ \(tcpstep --batch .*\)$/\1/p' README | head -1)
	[ -n "$cmd" ] || fail "README has no batch example"
	awk '/^    \$ tcpstep --batch / { on = 1; next }
	    on && /^    / { print substr($0, 5); next }
	    on { exit }' README >"$WORK/readme.out"
	sh -c "$(printf '%s' "$cmd" | sed "s|^tcpstep|$TCPSTEP|")" >"$WORK/now.out" ||
	    fail "$cmd failed"
	same_as_readme batch "$WORK/readme.out" "$WORK/now.out"
}

# ONLY="fn ..." runs just those tests (the plan then does not add up).
run() {
	if [ -n "$ONLY" ]; then
		case " $ONLY " in
		*" $2 "*) ;;
		*) return 0 ;;
		esac
	fi
	t "$@"
}

run "screen: 1-7 walkthrough at 80x24, no line cut" walkthrough
run "screen: lesson 1 at 80x24, no line cut" lesson1
run "screen: lesson 2 at 80x24, no line cut" lesson2
run "screen: lesson 3 at 80x24, no line cut" lesson3
run "screen: lesson 4 at 80x24, no line cut" lesson4
run "screen: lesson 5 at 80x24, no line cut" lesson5
run "screen: lesson 6 at 80x24, no line cut" lesson6
run "screen: lesson 7 at 80x24, no line cut" lesson7
run "screen: lesson 8 at 80x24, no line cut" lesson8
run "screen: lifecycle keys (close, shutdown, urgent, fill, drain) at 80x24" lifecycle_a
run "screen: lifecycle keys (new client, send all, abort) at 80x24" lifecycle_b
run "screen: the Events view through 1-7 at 80x24, no line cut" events
run "screen: the first hint and the legend are whole" first_all
run "screen: -c starts with a client's hint" first_client
run "screen: -s shows every address in full at 80 columns" server_addresses
run "screen: Explain starts with the step's own paragraph" explain_step_first
run "screen: key E shows the whole explanation, any key returns" explain_page
run "screen: in a lesson the step's result and explanation stay visible" lesson_keeps_result
run "screen: README's screenshot is what tcpstep shows" readme_screen
run "screen: README's batch example is what tcpstep prints" readme_batch
