#!/bin/sh
# cli.sh - the command line, the man page and make install.
. tests/lib.sh

# bad ARGS... : exit 2, one line naming the problem, then the usage hint.
bad() {
	err=$($TCPSTEP "$@" 2>&1 >/dev/null </dev/null)
	rc=$?
	[ "$rc" -eq 2 ] || fail "tcpstep $*: exit $rc: $err"
	[ "$(say "$err" | wc -l)" -eq 2 ] || fail "tcpstep $*: $err"
	say "$err" | tail -1 | grep -q "Try 'tcpstep --help'" || fail "$err"
}

bad_values_exit_2() {
	bad --port 70000 && bad --port 0 && bad --port abc && bad -p -1 &&
	bad --recv-size 0 && bad --recv-size 65537 && bad --settle 0 &&
	bad --batch --keys 12q && bad --keys 1 && bad --nope && bad -x &&
	bad --port && bad stray && bad --log /nonexistent/dir/x.log &&
	bad --log ''
}

# bad_says ARGS... -- TEXT: exit 2 and the message names the problem.
bad_says() {
	_args=
	while [ "$1" != -- ]; do
		_args="$_args '$1'"
		shift
	done
	err=$(eval "$TCPSTEP $_args" 2>&1 >/dev/null </dev/null)
	rc=$?
	[ "$rc" -eq 2 ] || fail "tcpstep$_args: exit $rc: $err"
	say "$err" | head -1 | grep -q -- "$2" ||
	    fail "tcpstep$_args: message lacks '$2': $err"
}

bad_roles_and_addresses_exit_2() {
	long=$(printf 'a%.0s' $(seq 300))
	bad_says -s -c host -- "-s and -c contradict" &&
	bad_says -c '' -- "give the server's host name" &&
	bad_says -c "$long" -- "too long (300 characters" &&
	bad_says -c 'a b' -- "not a host name" &&
	bad_says -c 'x;rm' -- "not a host name" &&
	bad_says -c -- "needs a value" &&
	bad_says -B foo -- "-B 'foo': give a numeric" &&
	bad_says -B '' -- "give a numeric" &&
	bad_says -B 127.0.0.1.1 -- "give a numeric" &&
	bad_says -4 -6 -- "contradict each other" &&
	bad_says -4 -B ::1 -- "-B gives an IPv6 address but -4" &&
	bad_says -6 -c 127.0.0.1 -- "is an IPv4 address but -6" &&
	bad_says -B ::1 -c 127.0.0.1 -- "but -B asks for IPv6" &&
	bad_says --max-conns 0 -- "--max-conns '0'" &&
	bad_says --max-conns 1025 -- "from 1 to 1024" &&
	bad_says --max-conns abc -- "--max-conns 'abc'" &&
	bad_says -c h --max-conns 5 -- "no meaning with -c" &&
	bad_says -s --port 0 -- "--port '0'" &&
	bad_says --client -- "needs a value" &&
	bad_says --guide 0 -- "--guide '0': give a lesson from 1 to 10" &&
	bad_says --guide=11 -- "from 1 to 10" &&
	bad_says --model fast -- "--model 'fast': give winsock or edge" &&
	bad_says --model -- "needs a value"
}

# Thirty-odd bad invocations, one per line: the words the one-line message
# must contain, then the arguments, tab-separated ("" is an empty
# argument; printf escapes such as \n and \033 are expanded). Each must
# exit 2, print one line naming the problem and the hint, and not crash.
BAD_TABLE='--port '"'"'0'"'"'	--port	0
--port '"'"'65536'"'"'	--port	65536
--port '"'"'-1'"'"'	-p	-1
--port '"'"'abc'"'"'	--port	abc
--port '"'"''"'"'	--port	""
needs a value	--port
--recv-size '"'"'0'"'"'	--recv-size	0
--recv-size '"'"'65537'"'"'	--recv-size	65537
--recv-size '"'"'1e3'"'"'	--recv-size	1e3
--settle '"'"'0'"'"'	--settle	0
--settle '"'"'60001'"'"'	--settle	60001
--max-conns '"'"'0'"'"'	--max-conns	0
--max-conns '"'"'1025'"'"'	--max-conns	1025
--max-conns '"'"' 5'"'"'	--max-conns	 5
no meaning with -c	-c	h	--max-conns	5
give the server'"'"'s host name	-c	""
too long (300 characters	-c	LONGHOST
not a host name	-c	a b
not a host name	-c	x;rm -rf /
not a host name	-c	evil\033]0;PWNED\007
-s and -c contradict	-s	-c	host
-4 and -6 contradict	-4	-6
-B gives an IPv6 address but -4	-4	-B	::1
is an IPv4 address but -6	-6	-c	127.0.0.1
give a numeric IPv4 or IPv6	-B	localhost
give a numeric IPv4 or IPv6	-B	""
--guide '"'"'0'"'"'	--guide	0
from 1 to 10	--guide=99
--model '"'"'fast'"'"'	--model	fast
--keys needs --batch	--keys	1
is not a step key	--batch	--keys	12Q
is not a step key	--batch	--keys	1\033[2J
--log: give a file name	--log	""
--log '"'"'/nonexistent/x.log'"'"'	--log	/nonexistent/x.log
unknown option '"'"'--nope'"'"'	--nope
unknown option '"'"'-x'"'"'	-x
unexpected argument '"'"'stray'"'"'	stray
unexpected argument '"'"'\n\x1b[2J'"'"'	\n\033[2J'

bad_invocations_table() {
	long=$(printf 'a%.0s' $(seq 300))
	n=0
	tab=$(printf '\t')
	say "$BAD_TABLE" | while IFS="$tab" read -r want a1 a2 a3 a4; do
		set --
		for a in "$a1" "$a2" "$a3" "$a4"; do
			[ -z "$a" ] && continue
			[ "$a" = '""' ] && a=
			[ "$a" = LONGHOST ] && a=$long
			set -- "$@" "$(printf '%b' "$a")"
		done
		err=$($TCPSTEP "$@" 2>&1 >/dev/null </dev/null)
		rc=$?
		[ "$rc" -eq 2 ] || fail "tcpstep $*: exit $rc: $err"
		[ "$(say "$err" | wc -l)" -eq 2 ] || fail "tcpstep $*: $err"
		say "$err" | head -1 | grep -qF -- "$want" ||
		    fail "tcpstep $*: '$want' not in: $err"
		say "$err" | tail -1 | grep -q "^Try 'tcpstep --help'" ||
		    fail "tcpstep $*: no hint: $err"
		# Nothing the terminal would act on, whatever was typed.
		say "$err" | LC_ALL=C grep -q '[^ -~]' && fail "raw byte: $*"
		n=$((n + 1))
		echo "$n" >"$TESTTMP/count"
	done || exit 1		# fail ran inside the loop's subshell
	n=$(cat "$TESTTMP/count" 2>/dev/null)
	[ "${n:-0}" -ge 30 ] || fail "only ${n:-0} bad invocations checked"
}

port_message_names_the_range() {
	err=$($TCPSTEP --port 70000 2>&1)
	say "$err" | head -1 | grep -q "^tcpstep: --port '70000': give a port from 1 to 65535" ||
	    fail "$err"
}

help_and_version() {
	o=$($TCPSTEP --help) || fail "--help exit $?"
	for opt in --port --recv-size --ascii --batch --keys --settle --log \
	    --help --version --server --client --bind --ipv4 --ipv6 \
	    --max-conns --guide --model; do
		say "$o" | grep -q -- "$opt" || fail "--help lacks $opt"
	done
	for k in PgUp PgDn Ctrl-L F10 "auto mode" Up/Down Tab "n another" \
	    "b send to every"; do
		say "$o" | grep -q -- "$k" || fail "--help lacks $k"
	done
	$TCPSTEP -h | grep -q '^usage: tcpstep' || fail "-h"
	$TCPSTEP --version | grep -Eq '^tcpstep [0-9]+\.[0-9]+' || fail "--version"
}

needs_a_terminal() {
	err=$($TCPSTEP 2>&1 </dev/null)
	rc=$?
	[ "$rc" -eq 1 ] || fail "exit $rc"
	say "$err" | grep -q -- "use --batch" || fail "$err"
}

man_page_lint() {
	command -v mandoc >/dev/null || fail "mandoc is not installed"
	lint=$(mandoc -Tlint -W warning man/tcpstep.1 2>&1)
	[ -z "$lint" ] || fail "$lint"
}

man_page_covers_options_and_keys() {
	page=$(mandoc -Tascii man/tcpstep.1 | sed 's/.\x08//g')
	for opt in $($TCPSTEP --help | grep -o -- '--[a-z-]*' | sort -u); do
		say "$page" | grep -q -- "$opt" || fail "man page lacks $opt"
	done
	for k in "1 " "2 " "3 " "4 " "5 " "6 " "7 " "8 " "9 " "x, X" "L " \
	    "h, H" "z, Z" "U " "u " "f, F" "d, D" "a " "e " "PgUp" "TRANSCRIPT" \
	    "r " "? " "F1" "q " "F10" "Ctrl-L" "OnAccept" "OnClose" "OnConnect" "OnOutOfBandData" \
	    "OnReceive" "OnSend" "NO_COLOR" "ESCDELAY" "EXIT STATUS" \
	    "EXAMPLES" "= after" "o, O" "n " "b " "Up, Down" "Tab, Shift-Tab" \
	    "-s, --server" "-c host" "-B address" "row  " "resolver" \
	    "> . Notified" "EMFILE" "49000" "GUIDED MODE" "m " "g " "i " \
	    "v " "Explain" "Ladder" "tcpi_segs_out" "explain" "guide " \
	    "Two sends, one receive" "Auto mode, as a real program" "SECURITY" "clipboard" \
	    "escaped"; do
		say "$page" | grep -q -- "$k" || fail "man page lacks '$k'"
	done
}

install_and_uninstall() {
	d=$(mktemp -d -p "$TESTTMP")
	make -s install DESTDIR="$d" PREFIX=/opt/ts >/dev/null ||
	    fail "make install"
	[ -x "$d/opt/ts/bin/tcpstep" ] || fail "no binary"
	[ -f "$d/opt/ts/share/man/man1/tcpstep.1" ] || fail "no man page"
	"$d/opt/ts/bin/tcpstep" --version >/dev/null || fail "installed binary"
	make -s uninstall DESTDIR="$d" PREFIX=/opt/ts >/dev/null
	[ -z "$(find "$d" -type f)" ] || fail "left: $(find "$d" -type f)"
	rm -rf "$d"
}

# Where network namespaces cannot be made (here: root inside an unprivileged
# user namespace, as in a container), the two-host suite skips with the
# reason instead of failing, unless TCPSTEP_REQUIRE_NETNS asks for it.
netns_suite_skips_with_reason() {
	unshare -r true 2>/dev/null || {
		echo "# SKIP: no unprivileged user namespaces here"
		return 0
	}
	o=$(TCPSTEP_REQUIRE_NETNS= unshare -r sh tests/netns.sh 2>&1) || fail "exit $?: $o"
	[ "$(say "$o" | grep -c '^ok - netns: .* # SKIP cannot create a network namespace')" -eq 5 ] ||
	    fail "not five skips with the reason:" "$o"
	o=$(TCPSTEP_REQUIRE_NETNS=1 unshare -r sh tests/netns.sh 2>&1)
	[ "$(say "$o" | grep -c '^not ok - netns: ')" -eq 5 ] ||
	    fail "required but skipped silently:" "$o"
}

# Every batch example of tcpstep(1) runs as printed (pasted into a shell):
# exit 0. The roles' examples need a server elsewhere and are left out.
man_examples_run() {
	mandoc -Tascii man/tcpstep.1 2>/dev/null | col -b |
	    sed -n 's/^[[:space:]]*\$ \(tcpstep .*--batch.*\)$/\1/p' | grep -v -- ' -[sc] ' \
	    >"$TESTTMP/examples"
	[ "$(wc -l <"$TESTTMP/examples")" -ge 4 ] || fail "too few examples:" "$(cat "$TESTTMP/examples")"
	while read -r cmd; do
		sh -c "$(printf '%s' "$cmd" | sed "s|^tcpstep|$TCPSTEP|")" \
		    >/dev/null 2>"$TESTTMP/err" ||
		    fail "exit $?: $cmd" "$(cat "$TESTTMP/err")"
	done <"$TESTTMP/examples"
}

t "cli: a table of 39 bad invocations: each exits 2 with one clear line" bad_invocations_table
t "cli: roles, hosts, addresses and --max-conns: each mistake exits 2" bad_roles_and_addresses_exit_2
t "cli: bad values and options exit 2 with one line and a hint" bad_values_exit_2
t "cli: --port 70000 names the accepted range" port_message_names_the_range
t "cli: --help lists every option; --version" help_and_version
t "cli: without a terminal and without --batch, exit 1 and say why" needs_a_terminal
t "cli: man page is clean under mandoc -Tlint" man_page_lint
t "cli: man page covers every option, key and notification" man_page_covers_options_and_keys
t "cli: make install and uninstall honour DESTDIR and PREFIX" install_and_uninstall
t "cli: the two-host suite skips with its reason where namespaces cannot be made" \
    netns_suite_skips_with_reason
t "cli: every batch example of the man page runs as printed" man_examples_run
