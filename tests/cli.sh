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

port_message_names_the_range() {
	err=$($TCPSTEP --port 70000 2>&1)
	say "$err" | head -1 | grep -q "^tcpstep: --port '70000': give a port from 1 to 65535" ||
	    fail "$err"
}

help_and_version() {
	o=$($TCPSTEP --help) || fail "--help exit $?"
	for opt in --port --recv-size --ascii --batch --keys --settle --log \
	    --help --version; do
		say "$o" | grep -q -- "$opt" || fail "--help lacks $opt"
	done
	for k in PgUp PgDn Ctrl-L F10 "auto mode"; do
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
	    "EXAMPLES" "= after"; do
		say "$page" | grep -q -- "$k" || fail "man page lacks '$k'"
	done
}

install_and_uninstall() {
	d=$(mktemp -d)
	make -s install DESTDIR="$d" PREFIX=/opt/ts >/dev/null ||
	    fail "make install"
	[ -x "$d/opt/ts/bin/tcpstep" ] || fail "no binary"
	[ -f "$d/opt/ts/share/man/man1/tcpstep.1" ] || fail "no man page"
	"$d/opt/ts/bin/tcpstep" --version >/dev/null || fail "installed binary"
	make -s uninstall DESTDIR="$d" PREFIX=/opt/ts >/dev/null
	[ -z "$(find "$d" -type f)" ] || fail "left: $(find "$d" -type f)"
	rm -rf "$d"
}

t "cli: bad values and options exit 2 with one line and a hint" bad_values_exit_2
t "cli: --port 70000 names the accepted range" port_message_names_the_range
t "cli: --help lists every option; --version" help_and_version
t "cli: without a terminal and without --batch, exit 1 and say why" needs_a_terminal
t "cli: man page is clean under mandoc -Tlint" man_page_lint
t "cli: man page covers every option, key and notification" man_page_covers_options_and_keys
t "cli: make install and uninstall honour DESTDIR and PREFIX" install_and_uninstall
