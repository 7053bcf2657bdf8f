#!/bin/sh
# lessons.sh - lessons are files (tcpstep-lesson(5)): a bad one is refused
# with FILE:LINE and exit 2, the shipped ones and the man page's example
# pass --check-lesson against the kernel, a lesson that does not hold
# fails at its step, --lesson runs an instructor's file, and tcpstep finds
# its lessons from the build directory, from TCPSTEP_LESSONS and after
# make install, and says so in one line when it finds none.
. tests/lib.sh

# The binary by its full path: some tests run from another directory.
BIN=$(cd "$(dirname "$TCPSTEP")" && pwd)/$(basename "$TCPSTEP")
H='lesson: t\ngoal: g\n'
S='lesson: t\ngoal: g\nstep: 1\nsay: s\n'

# Each line: the file (printf %b), a tab, the one line tcpstep must say.
BAD_TABLE="# only a comment\\n	bad.lesson:1: no \"lesson:\" line
goal: g\\n	bad.lesson:1: \"lesson:\" must come first, not \"goal:\"
${H}goal: h\\n	bad.lesson:3: \"goal:\" given twice
${H}step: Q\\n	bad.lesson:3: unknown key \"Q\" (see tcpstep --help)
${H}step: r\\n	bad.lesson:3: key \"r\" cannot be a step (a step is one of the lab's steps, or a)
${H}step: 1 2\\n	bad.lesson:3: \"step:\" takes one key, not \"1 2\"
${H}step: 1\\ndone: d\\n	bad.lesson:3: step 1 has no \"say:\"
${H}done: d\\n	bad.lesson:3: \"done:\" before any \"step:\"
${H}	bad.lesson:2: no \"step:\" line
${S}	bad.lesson:4: no \"done:\" line
lesson: t\\nstep: 1\\nsay: s\\ndone: d\\n	bad.lesson:4: no \"goal:\" line
${S}expect: serv OnConnect >= 1\\n	bad.lesson:5: expect: unknown pane \"serv\" (server, server-send or client, or a row: client#2)
${S}expect: server#1 OnAccept >= 1\\n	bad.lesson:5: expect: the Server has one socket and no rows: write server, not \"server#1\"
${S}expect: client#0 OnConnect >= 1\\n	bad.lesson:5: expect: \"client#0\" is not a row: rows are numbered 1 to 16, as the list's # column shows them
${S}expect: client#17 OnConnect >= 1\\n	bad.lesson:5: expect: \"client#17\" is not a row: rows are numbered 1 to 16, as the list's # column shows them
${S}expect: server-send#x OnReceive >= 1\\n	bad.lesson:5: expect: \"server-send#x\" is not a row: rows are numbered from 1, as the list's # column shows them
${S}expect: server-send#1234567 OnReceive >= 1\\n	bad.lesson:5: expect: \"server-send#1234567\" is not a row: rows are numbered from 1, as the list's # column shows them
${S}expect: client# inq == 0\\n	bad.lesson:5: expect: \"client#\" is not a row: rows are numbered 1 to 16, as the list's # column shows them
${S}expect: client#2 rows == 2\\n	bad.lesson:5: expect: rows counts a pane's rows: name the pane without a row, not \"client#2\"
${S}expect: client OnFoo >= 1\\n	bad.lesson:5: expect: unknown counter \"OnFoo\" (inq, rows, received, or OnAccept, OnClose, OnConnect, OnOutOfBandData, OnReceive, OnSend)
${S}expect: client inq >= 1\\n	bad.lesson:5: expect: give == after inq
${S}expect: error EFOO\\n	bad.lesson:5: expect: unknown error \"EFOO\"
${S}expect: wire SYN,XYZ\\n	bad.lesson:5: expect: unknown TCP flag \"XYZ\"
${S}expect: wire SYN up\\n	bad.lesson:5: expect: give client>server or server>client, not \"up\"
${S}expect: client OnReceive >= many\\n	bad.lesson:5: expect: \"many\" is not a number
${S}expect: client OnReceive >= 1 more\\n	bad.lesson:5: expect: unexpected \"more\"
  x\\nlesson: t\\n	bad.lesson:1: continuation line with nothing to continue
lesson t\\n	bad.lesson:1: expected \"keyword: value\", not \"lesson t\"
${H}color: red\\n	bad.lesson:3: unknown keyword \"color:\"
${H}say: s\\n	bad.lesson:3: \"say:\" outside a step (it follows \"step:\")
${S}done: d\\nstep: 2\\n	bad.lesson:6: \"step:\" after \"done:\" (it ends the lesson)
${S}say: t\\n	bad.lesson:5: \"say:\" given twice in this step
lesson: t\\0x\\n	bad.lesson:1: NUL byte in the line
lesson: \\033[2J\\n	bad.lesson:1: control character 0x1b in the line
lesson: \\0377\\n	bad.lesson:1: not UTF-8 text
${H}setup: 1 r\\n	bad.lesson:3: key \"r\" cannot be in \"setup:\"
${H}role: both\\n	bad.lesson:3: role: give all-in-one, server, client or pair, not \"both\"
lesson: t\\ngoal:\\n	bad.lesson:2: \"goal:\" has no value
${S}expect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\nexpect: ok\\n	bad.lesson:13: more than 8 \"expect:\" lines in one step"

# Every row of the table: exit 2, one line on stderr, exactly that line.
malformed_table() {
	lesson_table_refused "$BAD_TABLE" 37
}

# Lines longer than the limit, files larger than it.
malformed_sizes() {
	dir=$TESTTMP/size
	mkdir -p "$dir"
	{ printf 'lesson: '; head -c 1100 /dev/zero | tr '\0' a; echo; } \
	    >"$dir/bad.lesson"
	err=$(cd "$dir" && "$BIN" --check-lesson bad.lesson 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$err" = "bad.lesson:1: line longer than 1024 bytes" ] ||
	    fail "long line: $err"
	head -c 70000 /dev/zero | tr '\0' '#' >"$dir/bad.lesson"
	err=$(cd "$dir" && "$BIN" --check-lesson bad.lesson 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$err" = "bad.lesson:1: file larger than 65536 bytes" ] ||
	    fail "large file: $err"
}

shipped_pass() {
	out=$("$BIN" --check-lesson lessons/*.lesson) || fail "exit $?" "$out"
	[ "$(say "$out" | grep -c '\.lesson: pass (')" -eq 10 ] || fail "$out"
	say "$out" | grep -q FAIL && fail "$out"
	return 0
}

# The man page's example, as printed there.
man_example() {
	sed -n '/^\.\\" example-begin/,/^\.\\" example-end/p' \
	    man/tcpstep-lesson.5 | sed '1,2d;$d' | sed '$d' \
	    >"$TESTTMP/record.lesson"
	grep -q '^lesson: ' "$TESTTMP/record.lesson" || fail "no example found"
	out=$("$BIN" --check-lesson "$TESTTMP/record.lesson") ||
	    fail "exit $?" "$out"
	say "$out" | tail -1 | grep -q 'record.lesson: pass (4 of 4 steps)$' ||
	    fail "$out"
}

# Step 2 expects EAGAIN of a 3 that works: FAIL there, exit 1.
failing_lesson() {
	printf '%b' "${S}step: 3\\nsay: s\\nexpect: error EAGAIN\\ndone: d\\n" \
	    >"$TESTTMP/fails.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson fails.lesson)
	rc=$?
	[ "$rc" -eq 1 ] || fail "exit $rc" "$out"
	want='fails.lesson: step 1 (key 1): pass
fails.lesson: step 2 (key 3): FAIL: expect 1 "error EAGAIN": the step gave OK
fails.lesson: FAIL (1 of 2 steps)'
	[ "$out" = "$want" ] || fail "want:" "$want" "got:" "$out"
}

# client#1 reads the list's first row while the second is selected: 6
# reaches the first client, and the selected one received nothing. The
# same lesson asking it of client#2 fails there, by that row's count.
ROW_LESSON='lesson: Rows\ngoal: g\nsetup: 1 2 3 4 5 n\nstep: 6\nsay: s\nexpect: ok
expect: ROW OnReceive >= 1\nexpect: client OnReceive == 0\nexpect: server-send#1 OnSend >= 1\ndone: d\n'
row_checks() {
	printf '%b' "$ROW_LESSON" | sed 's/ROW/client#1/' >"$TESTTMP/row.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson row.lesson) ||
	    fail "exit $?" "$out"
	[ "$out" = "row.lesson: step 1 (key 6): pass
row.lesson: pass (1 of 1 steps)" ] || fail "$out"
	out=$("$BIN" --batch --lesson "$TESTTMP/row.lesson" --keys 6) ||
	    fail "exit $?" "$out"
	say "$out" | grep -q '^guide .*done' || fail "not done in batch" "$out"
	printf '%b' "$ROW_LESSON" | sed 's/ROW/client#2/' >"$TESTTMP/row.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson row.lesson)
	[ $? -eq 1 ] || fail "client#2 did not fail" "$out"
	# No errno where the check asks none (it said EINPROGRESS, the
	# connect's, of a client that connected fine).
	[ "$(say "$out" | head -1)" = 'row.lesson: step 1 (key 6): FAIL: expect 2 "client#2 OnReceive >= 1": OnReceive is 0' ] ||
	    fail "$out"
	# A row that is not there holds nothing, not even == 0.
	printf '%b' "$ROW_LESSON" | sed 's/ROW OnReceive >= 1/client#3 OnReceive == 0/' \
	    >"$TESTTMP/row.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson row.lesson)
	[ $? -eq 1 ] || fail "client#3 did not fail" "$out"
	say "$out" | head -1 | grep -qF 'FAIL: expect 2 "client#3 OnReceive == 0": Client has no row #3' ||
	    fail "$out"
}

# A second record raises no second OnReceive, so nothing else reads row
# 1's queue again while row 2 is selected: client#1 inq reads the kernel.
row_inq() {
	printf '%b' 'lesson: Rows\ngoal: g\nsetup: 1 2 3 4 5 n\nstep: 6\nsay: s
expect: client#1 OnReceive >= 1\nstep: 6\nsay: s\nexpect: client#1 inq == 2 records
expect: client inq == 0\ndone: d\n' >"$TESTTMP/inq.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson inq.lesson) ||
	    fail "exit $?" "$out"
	say "$out" | tail -1 | grep -q 'inq.lesson: pass (2 of 2 steps)$' ||
	    fail "$out"
	out=$("$BIN" --batch --lesson "$TESTTMP/inq.lesson" --keys 66) ||
	    fail "exit $?" "$out"
	say "$out" | grep '^guide ' | tail -1 | grep -q 'lesson=1 done' ||
	    fail "not done in batch" "$out"
	say "$out" | grep -q "nothing more is on its way" &&
	    fail "a dead end said" "$out"
	return 0
}

# A named row closed: the guide names that row and offers r, not Tab
# (picking another row cannot help a check that names row 1).
row_gone() {
	printf '%b' 'lesson: R\ngoal: g\nsetup: 1 2 3 4 5 n n\nstep: 6\nsay: s
expect: client#1 OnReceive >= 1\ndone: d\n' >"$TESTTMP/gone.lesson"
	out=$("$BIN" --batch --lesson "$TESTTMP/gone.lesson" --keys cx) ||
	    fail "exit $?" "$out"
	say "$out" | grep '^guide ' | tail -1 | grep -qF "next=r | This lesson cannot go on: Client row 1 is closed, so the OnReceive this step waits for can never come. Press r to start it again." ||
	    fail "$out"
}

# Rows are named by the number in the list's # column, not by place: a
# full list (--max-conns 2) dropped closed #1 for #3, so server-send#3
# is the second place, and server-send#1 is no row at all.
rows_by_number() {
	printf '%b' 'lesson: Ids\ngoal: g\nsetup: 1 2 3 4 5 n 4 5 k X n 4 5\nstep: 6
say: s\nexpect: client#3 OnReceive >= 1\nexpect: server-send#3 OnSend >= 1
expect: server-send rows == 2\nexpect: client#2 OnReceive == 0\ndone: d\n' \
	    >"$TESTTMP/ids.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --max-conns 2 --check-lesson ids.lesson) ||
	    fail "exit $?" "$out"
	sed 's/server-send#3 OnSend/server-send#1 OnSend/' "$TESTTMP/ids.lesson" \
	    >"$TESTTMP/ids1.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --max-conns 2 --check-lesson ids1.lesson)
	[ $? -eq 1 ] || fail "server-send#1 did not fail" "$out"
	say "$out" | head -1 | grep -qF 'FAIL: expect 2 "server-send#1 OnSend >= 1": Server-Send has no row #1' ||
	    fail "$out"
}

# OnConnect >= 1 also asks that the connect worked: a refused one FAILs
# and the line says why (the row's error).
refused_says_why() {
	printf '%b' 'lesson: R\ngoal: g\nsetup: 1 3\nstep: 4\nsay: s
expect: client OnConnect >= 1\ndone: d\n' >"$TESTTMP/ref.lesson"
	out=$(cd "$TESTTMP" && "$BIN" --check-lesson ref.lesson)
	[ $? -eq 1 ] || fail "did not fail" "$out"
	[ "$(say "$out" | head -1)" = 'ref.lesson: step 1 (key 4): FAIL: expect 1 "client OnConnect >= 1": OnConnect is 1, the row'"'"'s error ECONNREFUSED' ] ||
	    fail "$out"
}

# A named row of a pane the role lacks (client#1 under -s) is a dead end
# said at once, as the plain "client" is, not a silent wait.
row_of_missing_pane() {
	printf '%b' 'lesson: S\ngoal: g\nrole: server\nstep: 1\nsay: s
expect: client#1 OnConnect >= 1\ndone: d\n' >"$TESTTMP/s1.lesson"
	# The dead end is said before any key, whether 1's bind works or not.
	out=$("$BIN" -s -B 127.0.0.1 -p $((40000 + $$ % 20000)) --no-wire \
	    --batch --lesson "$TESTTMP/s1.lesson" --keys 1)
	say "$out" | grep '^guide ' | tail -1 | grep -qF "the Client has no socket, so the OnConnect this step waits for can never come" ||
	    fail "$out"
}

# The last step's then: shows, just before done:.
last_then_shows() {
	printf '%b' 'lesson: T\ngoal: g\nstep: 1\nsay: s\nthen: THEN-ONE\nstep: 2
say: s2\nthen: THEN-TWO\ndone: DONE.\n' >"$TESTTMP/then.lesson"
	out=$("$BIN" --batch --lesson "$TESTTMP/then.lesson" --keys 12) ||
	    fail "exit $?" "$out"
	say "$out" | grep '^guide ' | tail -1 | grep -qF "lesson=1 done | THEN-TWO Lesson done. DONE." ||
	    fail "$out"
}

# An instructor's lesson in batch: its setup runs, its then: shows.
lesson_in_batch() {
	man_example
	out=$("$BIN" --batch --lesson "$TESTTMP/record.lesson" --keys 45) ||
	    fail "exit $?"
	say "$out" | grep '^guide ' | head -1 | grep -q "lesson=1 step 2 of 4 next=5 | Press 5: accept it into Server-Send. | .*Nobody has called accept yet\." ||
	    fail "$out"
	say "$out" | grep '^guide ' | tail -1 | grep -q "step 3 of 4 next=6" ||
	    fail "$out"
}

lesson_in_tui() {
	man_example
	tui_start 100 40 "$BIN --lesson $TESTTMP/record.lesson" ||
	    fail "no tmux"
	wait_for "Goal: Send one time record" || fail "no goal"
	wait_for "Press 4: connect. The kernel" || fail "no first step"
	tm send-keys 4
	wait_for "Nobody has called accept yet" || fail "no then: text"
	tui_stop
}

# From another directory, the build directory's lessons are found.
found_from_build_dir() {
	out=$(cd "$TESTTMP" && "$BIN" --batch --guide 2 --keys 6) ||
	    fail "exit $?"
	say "$out" | grep -q '^guide        lesson=2 step 2 of 5' || fail "$out"
}

found_from_env() {
	mkdir -p "$TESTTMP/mine"
	printf 'lesson: Mine\ngoal: g\nstep: 1\nsay: Press 1: my own words.\ndone: d\n' \
	    >"$TESTTMP/mine/a.lesson"
	out=$(TCPSTEP_LESSONS=$TESTTMP/mine "$BIN" --batch --guide 1 --keys 3) ||
	    fail "exit $?"
	say "$out" | grep -q '| Press 1: my own words\.' || fail "$out"
	err=$(TCPSTEP_LESSONS=$TESTTMP/mine "$BIN" --guide 2 2>&1)
	[ $? -eq 2 ] || fail "--guide 2 of 1: $err"
	say "$err" | grep -q "give a lesson from 1 to 1" || fail "$err"
}

found_after_install() {
	d=$TESTTMP/inst
	make -s install DESTDIR="$d" PREFIX=/usr >/dev/null || fail "make install"
	[ "$(ls "$d/usr/share/tcpstep/lessons" | grep -c '\.lesson$')" -eq 10 ] ||
	    fail "lessons not installed"
	[ -f "$d/usr/share/man/man5/tcpstep-lesson.5" ] || fail "no man5 page"
	out=$(cd / && "$d/usr/bin/tcpstep" --check-lesson \
	    "$d"/usr/share/tcpstep/lessons/01-walkthrough.lesson) ||
	    fail "check: $out"
	out=$(cd / && "$d/usr/bin/tcpstep" --batch --guide 7 --keys F) ||
	    fail "exit $?"
	say "$out" | grep -q '^guide        lesson=7 step 2 of 2' || fail "$out"
	make -s uninstall DESTDIR="$d" PREFIX=/usr >/dev/null
	[ -z "$(find "$d" -type f)" ] || fail "left: $(find "$d" -type f)"
	[ -d "$d/usr/share/tcpstep" ] && fail "left the lessons directory"
	return 0
}

# A binary with no lessons anywhere: one line, no crash; the lab still runs.
none_found() {
	[ -d /usr/local/share/tcpstep/lessons ] &&
	    skip "lessons are installed in /usr/local on this machine"
	mkdir -p "$TESTTMP/alone"
	cp "$BIN" "$TESTTMP/alone/tcpstep"
	err=$("$TESTTMP/alone/tcpstep" --batch --guide --keys 1 2>&1 >/dev/null)
	[ $? -eq 2 ] || fail "--guide: exit $?"
	[ "$(say "$err" | wc -l)" -eq 1 ] || fail "$err"
	say "$err" | grep -q "guided mode has no lessons: no lesson directory" ||
	    fail "$err"
	out=$("$TESTTMP/alone/tcpstep" --batch --keys g1) || fail "g: exit $?"
	say "$out" | grep -q '^explain      Guided mode has no lessons: no lesson directory' ||
	    fail "$out"
	err=$(TCPSTEP_LESSONS=$TESTTMP/nowhere "$BIN" --guide 2>&1)
	[ $? -eq 2 ] && say "$err" | grep -q "TCPSTEP_LESSONS .*no such directory" ||
	    fail "$err"
}

t "lessons: a malformed-lesson table gets FILE:LINE and exit 2" malformed_table
t "lessons: a line or a file over the limit is refused" malformed_sizes
t "lessons: every shipped lesson passes --check-lesson" shipped_pass
t "lessons: tcpstep-lesson(5)'s example passes --check-lesson" man_example
t "lessons: an expect that does not hold fails at its step, exit 1" failing_lesson
t "lessons: client#1 reads a row not selected; client#2 fails there" row_checks
t "lessons: client#1 inq reads the kernel while row 2 is selected" row_inq
t "lessons: a named row closed: the guide names it and offers r" row_gone
t "lessons: the last step's then: shows before done:" last_then_shows
t "lessons: a refused connect's FAIL line gives the row's error" refused_says_why
t "lessons: rows are named by their # number, not their place" rows_by_number
t "lessons: client#1 where the role has no Client is a dead end said" row_of_missing_pane
t "lessons: --lesson runs an instructor's file in batch" lesson_in_batch
t "lessons: --lesson runs an instructor's file in the TUI" lesson_in_tui
t "lessons: found from the build directory, from any cwd" found_from_build_dir
t "lessons: found in TCPSTEP_LESSONS" found_from_env
t "lessons: found after make install DESTDIR PREFIX=/usr" found_after_install
t "lessons: none found is one clear line, not a crash" none_found
