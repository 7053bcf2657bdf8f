# tcpstep - step through asynchronous TCP one system call at a time.
#
#   make            build ./tcpstep
#   make run        install missing packages, build, start tcpstep
#   make check      install missing packages, build, run every test
#   make check-sanitize  the same tests, built with ASan and UBSan
#   make fuzz       libFuzzer on the escaper, the options, the decoder, the
#                   lesson parser (clang),
#                   FUZZ_SECONDS each (default 60)
#   make bench      the seven figures of bench/README, a soak included (not a
#                   test: never part of check or CI)
#   make install    PREFIX=/usr/local DESTDIR= (binary, man pages, lessons,
#                   bash and zsh completion)
#   make dist       tcpstep-VERSION.tar.gz, the tracked source files
#   make distcheck  make dist, then make check in the tarball extracted in
#                   a scratch directory (CI runs it)

VERSION = 0.1
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
# Where bash-completion and zsh look for completions under a prefix.
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
MAN5DIR = $(PREFIX)/share/man/man5
# The lessons of guided mode (tcpstep-lesson(5)), read at run time.
LESSONDIR = $(PREFIX)/share/tcpstep/lessons
LESSONS = $(wildcard lessons/*.lesson)
PKG_CONFIG ?= pkg-config

# CC comes from make itself (cc), or from the command line or environment.
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra
PKGS = libevent ncursesw libpcap json-c
# CPPFLAGS last but one: Debian's hardening flags (-D_FORTIFY_SOURCE) come
# there. -MMD -MP: each object depends on the headers it really includes.
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) \
	-DTCPSTEP_VERSION='"$(VERSION)"' \
	-DTCPSTEP_LESSON_DIR='"$(LESSONDIR)"' $(CPPFLAGS) $(CFLAGS) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# The layers (README, "How the code is laid out"), each including only
# what is below it (tests/build.sh checks): the socket layer; the lab
# model; the keys (the binding table, and the lessons that name keys);
# the front ends. None but the screen includes curses: the unit tests
# link the rest.
SOCKET_SRCS = src/addr.c src/asock.c src/asock_notify.c src/errname.c \
	src/escape.c src/wire.c src/wire_decode.c
MODEL_SRCS = src/lab.c src/lab_steps.c src/lab_setup.c src/lab_auto.c src/lab_view.c \
	src/lab_resolve.c src/lab_names.c src/lab_transcript.c src/lab_wire.c \
	src/explain.c
KEYS_SRCS = src/bind.c src/guide.c src/guide_lessons.c src/guide_check.c \
	src/guide_end.c src/lesson.c
TEXT_SRCS = src/opts.c src/batch.c src/batch_format.c src/lesson_check.c
SCREEN_SRCS = src/tui.c src/tui_draw.c src/tui_legend.c src/tui_ladder.c \
	src/tui_screen.c
NO_CURSES = $(SOCKET_SRCS) $(MODEL_SRCS) $(KEYS_SRCS) $(TEXT_SRCS)
SRCS = $(NO_CURSES) $(SCREEN_SRCS) src/main.c
OBJS = $(SRCS:.c=.o)
NO_CURSES_OBJS = $(NO_CURSES:.c=.o)
DEPS = $(SRCS:.c=.d) $(TESTS:=.d)
TESTS = tests/test_asock tests/test_lab tests/test_util tests/test_robust \
	tests/test_keys tests/test_wire tests/test_decode tests/test_wirelab

all: tcpstep

tcpstep: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

%.o: %.c
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

tests/test_%: tests/test_%.c $(NO_CURSES_OBJS)
	$(CC) $(ALL_CFLAGS) -MMD -MP -Itests $(LDFLAGS) -o $@ $< \
		$(NO_CURSES_OBJS) $(LIBS) $(TEST_LIBS)

-include $(DEPS)

deps:
	@sh scripts/deps.sh build

deps-check:
	@sh scripts/deps.sh check

run: deps
	@$(MAKE) --no-print-directory tcpstep
	./tcpstep

check: deps-check
	@$(MAKE) --no-print-directory tcpstep $(TESTS)
	sh tests/run.sh

# Every test again with AddressSanitizer and UndefinedBehaviorSanitizer;
# any report fails the run (valgrind, which cannot run them, is skipped).
# An allocation that cannot be made returns NULL, as in a real run, so
# the paths that handle it (a failed start) are tested too.
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
check-sanitize: deps-check
	@$(MAKE) --no-print-directory clean
	@$(MAKE) --no-print-directory CFLAGS="-O1 -g $(SANITIZE)" \
	    LDFLAGS="$(SANITIZE)" tcpstep $(TESTS)
	TCPSTEP_SANITIZE=1 \
	    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh
	@$(MAKE) --no-print-directory clean

# libFuzzer targets, with the seed corpora in tests/fuzz/corpus; what the
# fuzzer finds goes to a scratch directory, not into the tree.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE -Iinclude $(CPPFLAGS) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZERS = tests/fuzz/fuzz_escape tests/fuzz/fuzz_opts tests/fuzz/fuzz_wire \
	tests/fuzz/fuzz_lesson
# Built whole from sources with another compiler: they depend on every header.
FUZZ_HDRS = $(wildcard include/*.h)
tests/fuzz/fuzz_escape: tests/fuzz/fuzz_escape.c src/escape.c $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_escape.c src/escape.c
tests/fuzz/fuzz_opts: tests/fuzz/fuzz_opts.c src/opts.c src/addr.c \
    src/escape.c src/bind.c $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_opts.c src/opts.c \
	    src/addr.c src/escape.c src/bind.c
tests/fuzz/fuzz_wire: tests/fuzz/fuzz_wire.c src/wire_decode.c $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_wire.c src/wire_decode.c
# The parser checks a pair lesson's on: against the pane of each key's
# step (lab_op_pane): it links the socket layer and the model, as the unit
# tests do, with their libraries.
LESSON_FUZZ_SRCS = src/lesson.c src/bind.c $(SOCKET_SRCS) $(MODEL_SRCS)
tests/fuzz/fuzz_lesson: tests/fuzz/fuzz_lesson.c $(LESSON_FUZZ_SRCS) $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(shell $(PKG_CONFIG) --cflags $(PKGS) \
	    2>/dev/null) -o $@ tests/fuzz/fuzz_lesson.c $(LESSON_FUZZ_SRCS) \
	    $(LIBS)
fuzz:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZERS)
	sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

# The benchmark's yardstick and load: plain libevent, no curses.
BENCH = bench/load bench/plain
EVENT_CFLAGS = $(shell $(PKG_CONFIG) --cflags libevent 2>/dev/null)
EVENT_LIBS = $(shell $(PKG_CONFIG) --libs libevent 2>/dev/null)
bench/%: bench/%.c
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(EVENT_CFLAGS) \
	    $(LDFLAGS) -o $@ $< $(EVENT_LIBS)
bench: deps-check
	@$(MAKE) --no-print-directory tcpstep $(BENCH)
	python3 bench/run.py

install: tcpstep
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	cp tcpstep $(DESTDIR)$(BINDIR)/tcpstep
	chmod 755 $(DESTDIR)$(BINDIR)/tcpstep
	cp man/tcpstep.1 $(DESTDIR)$(MANDIR)/tcpstep.1
	chmod 644 $(DESTDIR)$(MANDIR)/tcpstep.1
	mkdir -p $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	cp completion/tcpstep.bash $(DESTDIR)$(BASHCOMPDIR)/tcpstep
	cp completion/_tcpstep $(DESTDIR)$(ZSHCOMPDIR)/_tcpstep
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/tcpstep $(DESTDIR)$(ZSHCOMPDIR)/_tcpstep
	mkdir -p $(DESTDIR)$(MAN5DIR) $(DESTDIR)$(LESSONDIR)
	cp man/tcpstep-lesson.5 $(DESTDIR)$(MAN5DIR)/tcpstep-lesson.5
	chmod 644 $(DESTDIR)$(MAN5DIR)/tcpstep-lesson.5
	cp $(LESSONS) $(DESTDIR)$(LESSONDIR)/
	cd $(DESTDIR)$(LESSONDIR) && chmod 644 $(LESSONS:lessons/%=%)

# The source tarball: in a git checkout, the files of the last commit (git
# archive: what is tracked, nothing built or left lying about); elsewhere,
# as in an extracted tarball, the tree without what the build makes.
# DISTDIR: where the tarball goes (the tests put it in a scratch directory).
DISTDIR = .
DIST = tcpstep-$(VERSION)
dist:
	@if [ -e .git ] && command -v git >/dev/null; then \
	    git archive --format=tar.gz --prefix=$(DIST)/ \
		-o $(DISTDIR)/$(DIST).tar.gz HEAD; \
	else \
	    tar -czf $(DISTDIR)/$(DIST).tar.gz --transform 's,^\.,$(DIST),' \
		--exclude='*.o' --exclude='*.d' --exclude='$(DIST).tar.gz' \
		--exclude=./tcpstep $(TESTS:%=--exclude=./%) \
		$(FUZZERS:%=--exclude=./%) $(BENCH:%=--exclude=./%) .; \
	fi
	@echo $(DISTDIR)/$(DIST).tar.gz

# The tarball (in a checkout: the last commit, not uncommitted edits) is
# a source tree of its own: extracted where nothing else is, it builds
# and its whole make check passes. The scratch directory goes whatever
# happens, and a signal stops the run there.
distcheck:
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/tcpstep-distcheck.XXXXXX") && \
	trap 'rm -rf "$$tmp"' EXIT && trap 'exit 130' INT && \
	trap 'exit 143' TERM && \
	$(MAKE) -s dist DISTDIR="$$tmp" >/dev/null && \
	tar -xzf "$$tmp/$(DIST).tar.gz" -C "$$tmp" && \
	echo "== make check in $(DIST).tar.gz, extracted" && \
	$(MAKE) -C "$$tmp/$(DIST)" check

# The lessons directory goes only if nothing else was put in it.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tcpstep $(DESTDIR)$(MANDIR)/tcpstep.1 \
	    $(DESTDIR)$(MAN5DIR)/tcpstep-lesson.5
	rm -f $(DESTDIR)$(BASHCOMPDIR)/tcpstep $(DESTDIR)$(ZSHCOMPDIR)/_tcpstep
	rm -f $(LESSONS:lessons/%=$(DESTDIR)$(LESSONDIR)/%)
	-rmdir $(DESTDIR)$(LESSONDIR) $(DESTDIR)$(PREFIX)/share/tcpstep \
	    2>/dev/null

clean:
	rm -f tcpstep $(OBJS) $(DEPS) $(TESTS) $(FUZZERS) $(BENCH)

.PHONY: all deps deps-check run check check-sanitize fuzz bench install \
	uninstall clean dist distcheck
