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

# The files of one of the Makefile's source lists.
srcs_of() {
	make -s -n -p tcpstep 2>/dev/null | sed -n "s/^$1 = //p" | head -1
}

# Whether any of the files includes one of the headers (a grep pattern).
includes() {
	_pat=$1
	shift
	grep -l "#include [<\"]\($_pat\)" "$@" 2>/dev/null
}

no_curses_objects() {
	list=$(srcs_of NO_CURSES)
	[ -n "$list" ] || fail "no NO_CURSES list in the Makefile"
	for f in $(srcs_of SOCKET_SRCS) $(srcs_of MODEL_SRCS) \
	    $(srcs_of KEYS_SRCS) $(srcs_of TEXT_SRCS); do
		[ -f "$f" ] || fail "$f is listed but does not exist"
		grep -q 'curses\.h\|"tui' "$f" &&
		    fail "$f is linked into the tests but includes curses or tui"
	done
	# And every source file is in some list: none is left out of a build.
	for f in src/*.c; do
		make -s -n -p tcpstep 2>/dev/null | grep '^SRCS = \|^[A-Z_]*_SRCS = ' |
		    grep -q "$f" || fail "$f is in no source list"
	done
}

# Each layer includes only what is below it: the socket layer no lab, the
# model no key and no lesson, nothing below the front ends a front end.
layers_include_downward() {
	front='tui[a-z_]*\.h\|batch\.h\|opts\.h\|curses\.h'
	keys='bind\.h\|guide[a-z_]*\.h'
	model='lab[a-z_]*\.h\|explain\.h'
	socket=$(srcs_of SOCKET_SRCS)
	model_srcs=$(srcs_of MODEL_SRCS)
	keys_srcs=$(srcs_of KEYS_SRCS)
	[ -n "$socket" ] && [ -n "$model_srcs" ] && [ -n "$keys_srcs" ] ||
	    fail "a layer's source list is missing from the Makefile"
	bad=$(includes "$model\|$keys\|$front" $socket)
	[ -z "$bad" ] || fail "the socket layer includes what is above it:" $bad
	bad=$(includes "$keys\|$front" $model_srcs)
	[ -z "$bad" ] || fail "the model includes keys or a front end:" $bad
	bad=$(includes "$front" $keys_srcs)
	[ -z "$bad" ] || fail "the keys include a front end:" $bad
	# The headers of a layer too: a header is where a shortcut hides.
	for f in $socket $model_srcs; do
		for h in $(sed -n 's/^#include "\(.*\)"/\1/p' "$f"); do
			[ -f "include/$h" ] || continue
			if includes "$keys\|$front" "include/$h" >/dev/null; then
				fail "$f includes $h, which includes keys or a" \
				    "front end"
			fi
		done
	done
	return 0
}

echo "1..4"
t header_deps header_deps
t flags_reach_compiler flags_reach_compiler
t no_curses_objects no_curses_objects
t layers_include_downward layers_include_downward
