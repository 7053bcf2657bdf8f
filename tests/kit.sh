#!/bin/sh
# kit.sh - what a packaged tool is expected to have: shell completion for
# bash and zsh, installed by make install, and a source tarball (make dist)
# that builds and passes a suite from a clean extraction.
. tests/lib.sh

# bash_complete WORD... : run the bash completion function on the command
# line "tcpstep WORD..." (the last word the one being completed), as bash
# would on Tab, from the directory $CDIR; print the candidates, one a line.
bash_complete() {
	command -v bash >/dev/null || { echo "bash is not installed"; return 1; }
	bash --norc --noprofile -c '
		[ -f /usr/share/bash-completion/bash_completion ] &&
		    . /usr/share/bash-completion/bash_completion
		. "$1/completion/tcpstep.bash" || exit 1
		cd "$2" || exit 1
		shift 2
		COMP_WORDS=(tcpstep "$@")
		COMP_CWORD=$#
		COMP_LINE="tcpstep $*"
		COMP_POINT=${#COMP_LINE}
		_tcpstep tcpstep "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
		printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$PWD" "${CDIR:-$PWD}" "$@"
}

# The long options tcpstep --help prints, one a line.
help_longs() {
	$TCPSTEP --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

bash_loads_and_registers() {
	o=$(bash --norc --noprofile -c \
	    '. completion/tcpstep.bash && complete -p tcpstep' 2>&1) ||
	    fail "sourcing failed: $o"
	[ "$o" = "complete -F _tcpstep tcpstep" ] || fail "complete -p: $o"
}

# The lists are written out in the scripts: every long option --help
# prints must be among them, so a new option cannot be forgotten.
bash_completes_every_help_option() {
	bash_complete -- >"$TESTTMP/c" || fail "completion failed"
	n=0
	for opt in $(help_longs); do
		grep -qx -- "$opt" "$TESTTMP/c" ||
		    fail "bash does not complete $opt:" "$(cat "$TESTTMP/c")"
		n=$((n + 1))
	done
	[ "$n" -ge 15 ] || fail "only $n options in --help?"
	[ "$(bash_complete --mo)" = "--model" ] ||
	    fail "--mo: $(bash_complete --mo)"
}

bash_completes_values() {
	o=$(bash_complete --model '' | tr '\n' ' ')
	[ "$o" = "edge winsock " ] || fail "--model: $o"
	o=$(bash_complete --format '' | tr '\n' ' ')
	[ "$o" = "brief json text " ] || fail "--format: $o"
	o=$(bash_complete --batch --format j | tr '\n' ' ')
	[ "$o" = "json " ] || fail "--format j: $o"
}

bash_completes_lesson_files() {
	CDIR=$TESTTMP/lessons
	mkdir -p "$CDIR/sub"
	: >"$CDIR/one.lesson"
	: >"$CDIR/two.lesson"
	: >"$CDIR/notes.txt"
	export CDIR
	o=$(bash_complete --lesson '' | tr '\n' ' ')
	[ "$o" = "one.lesson sub two.lesson " ] || fail "--lesson: $o"
	o=$(bash_complete --lesson t | tr '\n' ' ')
	[ "$o" = "two.lesson " ] || fail "--lesson t: $o"
	# --check-lesson takes several.
	o=$(bash_complete --check-lesson one.lesson '' | tr '\n' ' ')
	[ "$o" = "one.lesson sub two.lesson " ] || fail "--check-lesson: $o"
	# --log takes any file.
	o=$(bash_complete --log n | tr '\n' ' ')
	[ "$o" = "notes.txt " ] || fail "--log n: $o"
}

zsh_loads_and_defines() {
	command -v zsh >/dev/null || fail "zsh is not installed"
	o=$(HOME=$TESTTMP ZDOTDIR=$TESTTMP zsh -f -c '
		fpath=("$1/completion" $fpath)
		autoload -U compinit && compinit -u -d "$2/zcompdump" || exit 1
		[[ ${_comps[tcpstep]} == _tcpstep ]] || { print "not registered"; exit 1; }
		autoload -Uz +X _tcpstep || exit 1
		whence -w _tcpstep' zsh "$PWD" "$TESTTMP" 2>&1) ||
	    fail "zsh: $o"
	[ "$o" = "_tcpstep: function" ] || fail "zsh: $o"
	zsh -n completion/_tcpstep || fail "zsh -n: syntax error"
}

zsh_names_every_help_option() {
	for opt in $(help_longs); do
		grep -q -- "[{,']$opt[]=['}]" completion/_tcpstep ||
		    fail "_tcpstep lacks $opt"
	done
	for v in winsock edge text brief json '\*.lesson'; do
		grep -q -- "$v" completion/_tcpstep || fail "_tcpstep lacks $v"
	done
}

install_puts_completions_in_place() {
	d=$TESTTMP/inst
	make -s install DESTDIR="$d" PREFIX=/opt/ts >/dev/null ||
	    fail "make install"
	cmp -s "$d/opt/ts/share/bash-completion/completions/tcpstep" \
	    completion/tcpstep.bash || fail "no bash completion installed"
	cmp -s "$d/opt/ts/share/zsh/site-functions/_tcpstep" \
	    completion/_tcpstep || fail "no zsh completion installed"
	make -s uninstall DESTDIR="$d" PREFIX=/opt/ts >/dev/null
	[ -z "$(find "$d" -type f)" ] || fail "left: $(find "$d" -type f)"
}

# make dist, extracted elsewhere, is a source tree of its own: the parts a
# build and its tests need, nothing built, no .git; it builds, and a suite
# passes there (the whole make check would double the run's time). From a
# git checkout the tarball holds the last commit, not uncommitted edits.
dist_builds_and_passes_from_a_clean_extraction() {
	d=$TESTTMP/dist
	mkdir -p "$d"
	make -s dist DISTDIR="$d" >/dev/null || fail "make dist"
	v=$($TCPSTEP --version | grep -o '[0-9][0-9.]*' | head -1)
	[ -f "$d/tcpstep-$v.tar.gz" ] || fail "no tcpstep-$v.tar.gz:" "$(ls "$d")"
	tar -xzf "$d/tcpstep-$v.tar.gz" -C "$d" || fail "tar -x"
	x=$d/tcpstep-$v
	for f in Makefile README src/batch.c include/lab.h man/tcpstep.1 \
	    tests/run.sh tests/cli.sh completion/tcpstep.bash \
	    completion/_tcpstep scripts/deps.sh; do
		[ -f "$x/$f" ] || fail "the tarball lacks $f"
	done
	[ ! -e "$x/.git" ] || fail "the tarball has .git"
	[ -z "$(find "$x" -name '*.o' -o -name '*.d' -o -name tcpstep -type f)" ] ||
	    fail "built files in the tarball"
	make -C "$x" -s -j4 tcpstep >"$d/build.log" 2>&1 ||
	    fail "make tcpstep in the extraction:" "$(tail -20 "$d/build.log")"
	(cd "$x" && sh tests/cli.sh) >"$d/cli.tap" 2>&1
	grep -q '^not ok' "$d/cli.tap" && fail "cli.sh from the extraction:" \
	    "$(grep -A5 '^not ok' "$d/cli.tap")"
	[ "$(grep -c '^ok' "$d/cli.tap")" -ge 5 ] ||
	    fail "cli.sh ran too little:" "$(cat "$d/cli.tap")"
	# A tarball makes the same tarball: make dist works without git too.
	mkdir -p "$d/again"
	make -C "$x" -s dist DISTDIR="$d/again" >/dev/null ||
	    fail "make dist in the extraction"
	tar -tzf "$d/again/tcpstep-$v.tar.gz" | grep -v '/$' | sort >"$d/b"
	tar -tzf "$d/tcpstep-$v.tar.gz" | grep -v '/$' | sort >"$d/a"
	cmp -s "$d/a" "$d/b" || fail "make dist without git differs:" \
	    "$(diff "$d/a" "$d/b" | head)"
}

t "kit: bash completion loads and registers for tcpstep" bash_loads_and_registers
t "kit: bash completes every long option of --help" bash_completes_every_help_option
t "kit: bash completes --model and --format values" bash_completes_values
t "kit: bash completes *.lesson files for --lesson, --check-lesson; files for --log" \
    bash_completes_lesson_files
t "kit: zsh loads _tcpstep with compinit" zsh_loads_and_defines
t "kit: zsh completion names every long option of --help and the values" \
    zsh_names_every_help_option
t "kit: make install and uninstall put the completions where shells look" \
    install_puts_completions_in_place
t "kit: make dist builds and passes cli.sh from a clean extraction" \
    dist_builds_and_passes_from_a_clean_extraction
