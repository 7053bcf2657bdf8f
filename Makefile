# tcpstep - step through asynchronous TCP one system call at a time.
#
#   make            build ./tcpstep
#   make run        install missing packages, build, start tcpstep
#   make check      install missing packages, build, run every test
#   make install    PREFIX=/usr/local DESTDIR= (binary and man page)

VERSION = 0.1
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
PKG_CONFIG ?= pkg-config

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra
PKGS = libevent ncursesw
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) \
	-DTCPSTEP_VERSION='"$(VERSION)"' $(CFLAGS) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# The socket layer and the lab model: no curses, linked into the unit tests.
CORE = src/addr.c src/asock.c src/errname.c src/escape.c src/explain.c \
	src/guide.c src/lab.c src/opts.c src/batch.c
SRCS = $(CORE) src/tui.c src/main.c
OBJS = $(SRCS:.c=.o)
CORE_OBJS = $(CORE:.c=.o)
HDRS = $(wildcard include/*.h)
TESTS = tests/test_asock tests/test_lab tests/test_util

all: tcpstep

tcpstep: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

%.o: %.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/test_%: tests/test_%.c $(CORE_OBJS) $(HDRS)
	$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(CORE_OBJS) $(LIBS) \
		$(TEST_LIBS)

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

install: tcpstep
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	cp tcpstep $(DESTDIR)$(BINDIR)/tcpstep
	chmod 755 $(DESTDIR)$(BINDIR)/tcpstep
	cp man/tcpstep.1 $(DESTDIR)$(MANDIR)/tcpstep.1
	chmod 644 $(DESTDIR)$(MANDIR)/tcpstep.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tcpstep $(DESTDIR)$(MANDIR)/tcpstep.1

clean:
	rm -f tcpstep $(OBJS) $(TESTS)

.PHONY: all deps deps-check run check install uninstall clean
