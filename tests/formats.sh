#!/bin/sh
# formats.sh - --format brief and json say what the text format says:
# each checked field by field against a text run of the same keys
# (tests/formats.py; JSON parsed back by Python's json module).
. tests/lib.sh

# agree [loose] KEYS [OPTIONS...]: the three formats of the same keys
# agree (loose: numbers that differ from run to run, see formats.py).
agree() {
	_loose=
	[ "$1" = loose ] && { _loose=loose; shift; }
	_k=$1
	shift
	for f in text json brief; do
		$TCPSTEP --batch --format $f "$@" --keys "$_k" \
		    >"$TESTTMP/$f" 2>"$TESTTMP/err" ||
		    fail "--format $f --keys $_k: exit $?" "$(cat "$TESTTMP/err")"
	done
	python3 tests/formats.py json "$TESTTMP/text" "$TESTTMP/json" $_loose ||
	    fail "keys $_k: json differs from text"
	python3 tests/formats.py brief "$TESTTMP/text" "$TESTTMP/brief" $_loose ||
	    fail "keys $_k: brief differs from text"
}

walkthrough_agrees() {
	agree 1234567i --no-wire
}

# The wire lines too, where this machine can capture (else "wire none").
walkthrough_with_the_wire_agrees() {
	agree loose 1234567
}

lifecycle_keys_agree() {
	for k in 12345x 12345h 12345z 12345Uu 1234567r; do
		agree $k --no-wire
	done
	agree loose 12345Fd --no-wire
}

guided_mode_agrees() {
	agree 12345 --no-wire --guide 1
}

# The example of tcpstep(1), BATCH FORMATS, as printed.
brief_is_one_line_per_key() {
	o=$($TCPSTEP --batch --no-wire --format brief --keys 1234)
	[ "$(say "$o" | wc -l)" -eq 4 ] || fail "$o"
	say "$o" | grep -qx '4 Client Connect: in progress | client OnConnect+1 OnSend+1 | server OnAccept+1' ||
	    fail "$o"
	say "$o" | head -1 | grep -qx '1 Server Create: OK' || fail "$o"
}

# Every line is one JSON object; the fields a grader reads have the types
# tcpstep(1) gives them.
json_lines_parse() {
	$TCPSTEP --batch --no-wire --format json --keys 1234567 |
	    python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert len(objs) == 7, len(objs)
o = objs[3]
assert o["key"] == "4" and o["step"]["outcome"] == "in progress", o["step"]
assert o["step"]["errno"] == "EINPROGRESS" and o["step"]["pane"] == "client"
assert o["panes"]["server"]["OnAccept"] == 1
assert o["kernel"]["server"]["state"] == "LISTEN"
assert objs[6]["received"]["bytes"] == 13
assert bytes.fromhex(objs[6]["received"]["data_hex"]).endswith(b"\n")
assert objs[6]["received"]["data"].endswith("\\n")
assert isinstance(objs[6]["explain"], list) and objs[6]["guide"] is None
assert "wire_none" in objs[0] and "wire_none" not in objs[1]
' || fail "json is not as documented"
}

# --format text is the default, line for line.
text_is_the_default() {
	$TCPSTEP --batch --no-wire --keys 1234567 | sed 's/[0-9][0-9]*/#/g' \
	    >"$TESTTMP/a"
	$TCPSTEP --batch --no-wire --format text --keys 1234567 |
	    sed 's/[0-9][0-9]*/#/g' >"$TESTTMP/b"
	cmp -s "$TESTTMP/a" "$TESTTMP/b" || fail "$(diff "$TESTTMP/a" "$TESTTMP/b")"
}

bad_format_exits_2() {
	for args in "--batch --format xml" "--batch --format" \
	    "--batch --format JSON" "--format json"; do
		err=$($TCPSTEP $args --keys 1 2>&1 >/dev/null </dev/null)
		rc=$?
		[ "$rc" -eq 2 ] || fail "$args: exit $rc: $err"
	done
	err=$($TCPSTEP --batch --format xml 2>&1 </dev/null)
	say "$err" | head -1 | grep -q "give text, brief or json" || fail "$err"
	err=$($TCPSTEP --format brief 2>&1 </dev/null)
	say "$err" | head -1 | grep -q -- "--format needs --batch" || fail "$err"
}

t "formats: json and brief agree with text for the walkthrough and i" walkthrough_agrees
t "formats: json's wire fields agree with the text's wire lines" \
    walkthrough_with_the_wire_agrees
t "formats: json and brief agree with text for x, h, z, U/u, F/d, r" lifecycle_keys_agree
t "formats: json and brief agree with text in guided mode" guided_mode_agrees
t "formats: brief is one line per key, as tcpstep(1) shows it" brief_is_one_line_per_key
t "formats: every json line parses, with the documented fields" json_lines_parse
t "formats: --format text is the default output" text_is_the_default
t "formats: a bad --format, or --format without --batch, exits 2" bad_format_exits_2
