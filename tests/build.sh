#!/bin/sh
# build.sh - the Makefile keeps its promises: objects depend on the headers
# they include (and only those), CPPFLAGS and CC reach the compiler, and
# the objects the unit tests link hold no curses. Each test builds a copy of
# the sources under the test directory, never in the tree.
. "$(dirname "$0")/lib.sh"

# A copy of what make needs: Makefile, src, include, scripts.
copy_tree() {
	mkdir -p "$TESTTMP/tree" &&
	cp -R Makefile src include scripts "$TESTTMP/tree/" &&
	rm -f "$TESTTMP"/tree/src/*.o "$TESTTMP"/tree/src/*.d
}

# What make would compile after touching one header: the .c files named.
rebuilt_after() {
	touch "$TESTTMP/tree/include/$1"
	make -s -C "$TESTTMP/tree" -n tcpstep | grep -o 'src/[a-z_]*\.c' |
	    sort -u | tr '\n' ' '
}

header_deps() {
	copy_tree || fail "cannot copy the tree"
	make -s -C "$TESTTMP/tree" -j2 tcpstep >"$TESTTMP/build.log" 2>&1 ||
	    fail "the copy does not build" "$(tail -5 "$TESTTMP/build.log")"
	ls "$TESTTMP"/tree/src/*.d >/dev/null 2>&1 ||
	    fail "no dependency files (.d) were written"
	got=$(rebuilt_after escape.h)
	# escape.h is included by some files, not all: exactly those rebuild.
	want=$(cd "$TESTTMP/tree" && grep -l '"escape.h"' src/*.c | sort |
	    tr '\n' ' ')
	[ "$got" = "$want" ] ||
	    fail "touching escape.h rebuilt: $got" "includers: $want"
	make -s -C "$TESTTMP/tree" tcpstep >/dev/null 2>&1
	got=$(rebuilt_after tui.h)
	echo "$got" | grep -q 'asock\.c' &&
	    fail "touching tui.h rebuilt the socket layer: $got"
	[ -n "$got" ] || fail "touching tui.h rebuilt nothing"
	# A header that goes away must not break the build (-MP).
	make -s -C "$TESTTMP/tree" tcpstep >/dev/null 2>&1
	return 0
}

flags_reach_compiler() {
	copy_tree || fail "cannot copy the tree"
	out=$(make -s -C "$TESTTMP/tree" -n CPPFLAGS=-DTCPSTEP_MARK_CPP \
	    CFLAGS=-DTCPSTEP_MARK_C src/addr.o)
	echo "$out" | grep -q -- '-DTCPSTEP_MARK_CPP' ||
	    fail "CPPFLAGS not passed: $out"
	echo "$out" | grep -q -- '-DTCPSTEP_MARK_C\b' ||
	    fail "CFLAGS not passed: $out"
	out=$(CC=tcpstep-test-cc make -s -C "$TESTTMP/tree" -n src/addr.o)
	echo "$out" | grep -q '^tcpstep-test-cc ' ||
	    fail "CC from the environment not used: $out"
	out=$(env -u CC make -s -C "$TESTTMP/tree" -n src/addr.o)
	echo "$out" | grep -q '^cc ' || fail "make's own CC not used: $out"
}

no_curses_objects() {
	list=$(make -s -n -p tcpstep 2>/dev/null |
	    sed -n 's/^NO_CURSES = //p' | head -1)
	[ -n "$list" ] || fail "no NO_CURSES list in the Makefile"
	for f in $(make -s -n -p tcpstep 2>/dev/null | awk '
	    /^SOCKET_SRCS = |^MODEL_SRCS = |^TEXT_SRCS = / {
		for (i = 3; i <= NF; i++) print $i }'); do
		grep -q 'curses\.h\|"tui' "$f" &&
		    fail "$f is linked into the tests but includes curses or tui"
		[ -f "$f" ] || fail "$f is listed but does not exist"
	done
	# And every source file is in some list: none is left out of a build.
	for f in src/*.c; do
		make -s -n -p tcpstep 2>/dev/null | grep '^SRCS = \|^[A-Z_]*_SRCS = ' |
		    grep -q "$f" || fail "$f is in no source list"
	done
}

echo "1..3"
t header_deps header_deps
t flags_reach_compiler flags_reach_compiler
t no_curses_objects no_curses_objects
