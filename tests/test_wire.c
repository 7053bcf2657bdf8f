/*
 * test_wire.c - the capture (src/wire.c) against the real kernel: real
 * loopback sockets made by the test, captured on lo in the test's own
 * event loop, each segment's flags and length checked exactly; the
 * filter, the pcap file, and the private network an unprivileged user
 * may capture in. Where this process cannot capture it enters a private
 * network first; where that fails too every test skips with the reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "wire.h"

#define TW_MAX	64

/* Why the wire cannot be tested here ("" when it can). */
static char tw_skip[200];
/* The tests' files: a directory under $TMPDIR, removed at the end. */
static char tw_dir[256];

/* What the callback got. */
struct tw {
	struct event_base	*base;
	struct wire		*w;
	struct wire_seg		 segs[TW_MAX];
	int			 n;
	unsigned		 port;	/* the listener's */
};

static void
tw_in(const struct wire_seg *seg, void *arg)
{
	struct tw *t = arg;

	if (t->n < TW_MAX)
		t->segs[t->n] = *seg;
	t->n++;
}

/* A port of a sockaddr_in. */
static unsigned
tw_port(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* Run the loop until n segments came, 3 s at most. */
static void
tw_wait(struct tw *t, int n)
{
	struct timeval tv = { 0, 20000 };
	int i;

	for (i = 0; i < 150 && t->n < n; i++) {
		event_base_loopexit(t->base, &tv);
		event_base_dispatch(t->base);
	}
}

/* The loop for ms milliseconds, whatever comes. */
static void
tw_run_for(struct tw *t, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(t->base, &tv);
	event_base_dispatch(t->base);
}

/* A listener on 127.0.0.1, a port the kernel chooses. */
static int
tw_listen(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A blocking client of port, and the server's end of it. */
static void
tw_connect(int lfd, unsigned port, int *cfd, int *sfd)
{
	struct sockaddr_in sin;

	*cfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*cfd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	assert_int_equal(connect(*cfd, (struct sockaddr *)&sin, sizeof sin),
	    0);
	*sfd = accept(lfd, NULL, NULL);
	assert_true(*sfd >= 0);
}

/*
 * As the lab does: the host's lo where this process may capture, else a
 * private network of its own, entered once (after the unprivileged test,
 * which must fork from the host's network).
 */
static void
tw_enter(void)
{
	static int entered;
	char why[160];

	if (entered++)
		return;
	if (!wire_can_capture() && wire_private_net(why, sizeof why) == -1)
		snprintf(tw_skip, sizeof tw_skip, "cannot capture here: %s",
		    why);
}

static int
tw_setup(void **state)
{
	struct tw *t;
	char why[200];

	tw_enter();
	if (tw_skip[0] != '\0')
		return 0;
	t = calloc(1, sizeof *t);
	assert_non_null(t);
	t->base = event_base_new();
	assert_non_null(t->base);
	t->w = wire_open(t->base, "lo", tw_in, t, why, sizeof why);
	if (t->w == NULL)
		fail_msg("wire_open lo: %s", why);
	*state = t;
	return 0;
}

static int
tw_teardown(void **state)
{
	struct tw *t = *state;
	char why[200];

	if (t == NULL)
		return 0;
	wire_close(t->w, why, sizeof why);
	event_base_free(t->base);
	free(t);
	return 0;
}

/* Whether segment i went flags, len, toward the server or back. */
static void
tw_is(const struct tw *t, int i, uint8_t flags, uint32_t len, int to_server)
{
	char want[48], got[48];

	if (i >= t->n)
		fail_msg("segment %d: not captured (%d in all)", i, t->n);
	if (t->segs[i].flags != flags || t->segs[i].len != len ||
	    (tw_port(&t->segs[i].dst) == t->port) != to_server)
		fail_msg("segment %d: want %s len %lu %s, got %s len %lu to "
		    "port %u", i, wire_flags_name(flags, want, sizeof want),
		    (unsigned long)len, to_server ? "to the server" :
		    "to the client", wire_flags_name(t->segs[i].flags, got,
		    sizeof got), (unsigned long)t->segs[i].len,
		    tw_port(&t->segs[i].dst));
}

/* Skip with the reason; where TCPSTEP_REQUIRE_WIRE is set (CI), fail. */
static void
tw_skip_why(const char *why)
{
	if (getenv("TCPSTEP_REQUIRE_WIRE") != NULL)
		fail_msg("%s (TCPSTEP_REQUIRE_WIRE is set)", why);
	print_message("# SKIP %s\n", why);
	skip();
}

#define TW_SKIP() do {						\
	if (tw_skip[0] != '\0')					\
		tw_skip_why(tw_skip);				\
} while (0)

/*
 * A listener, the capture filtered to its port, and a connection to it:
 * the start of every exchange below.
 */
static void
tw_start(struct tw *t, int *lfd, int *cfd, int *sfd)
{
	char why[100];

	*lfd = tw_listen(&t->port);
	assert_int_equal(wire_set_port(t->w, t->port, why, sizeof why), 0);
	tw_connect(*lfd, t->port, cfd, sfd);
}

/*
 * The seed's exchange, captured: the handshake, 13 bytes each way, each
 * acknowledged at once, then the client closes and the server closes:
 * FIN both ways, each acknowledged.
 */
static void
test_wire_exchange(void **state)
{
	struct tw *t = *state;
	char buf[13];
	int lfd, cfd, sfd;

	TW_SKIP();
	tw_start(t, &lfd, &cfd, &sfd);
	tw_wait(t, 3);
	assert_int_equal(send(cfd, "Hello, World!", 13, 0), 13);
	tw_wait(t, 5);
	assert_int_equal(recv(sfd, buf, sizeof buf, 0), 13);
	assert_int_equal(send(sfd, "Hello, World!", 13, 0), 13);
	tw_wait(t, 7);
	assert_int_equal(recv(cfd, buf, sizeof buf, 0), 13);
	close(cfd);
	tw_wait(t, 9);
	close(sfd);
	tw_wait(t, 11);
	tw_run_for(t, 50);	/* nothing more may come */
	close(lfd);
	tw_is(t, 0, WIRE_SYN, 0, 1);
	tw_is(t, 1, WIRE_SYN | WIRE_ACK, 0, 0);
	tw_is(t, 2, WIRE_ACK, 0, 1);
	tw_is(t, 3, WIRE_PSH | WIRE_ACK, 13, 1);
	tw_is(t, 4, WIRE_ACK, 0, 0);
	tw_is(t, 5, WIRE_PSH | WIRE_ACK, 13, 0);
	tw_is(t, 6, WIRE_ACK, 0, 1);
	tw_is(t, 7, WIRE_FIN | WIRE_ACK, 0, 1);
	tw_is(t, 8, WIRE_ACK, 0, 0);
	tw_is(t, 9, WIRE_FIN | WIRE_ACK, 0, 0);
	tw_is(t, 10, WIRE_ACK, 0, 1);
	assert_int_equal(t->n, 11);
	/* The SYN's options as Linux sends them on lo. */
	assert_int_equal(t->segs[0].mss, 65495);
	assert_true(t->segs[0].wscale >= 0);
	assert_true(t->segs[0].sack_ok);
	assert_true(t->segs[0].ts);
	assert_int_equal(memcmp(t->segs[3].payload, "Hello, World!", 13), 0);
	assert_int_equal(wire_lost(t->w), 0);
}

/* close() with bytes unread sends RST, not FIN (RFC 2525, 2.17). */
static void
test_wire_close_unread_resets(void **state)
{
	struct tw *t = *state;
	int lfd, cfd, sfd;

	TW_SKIP();
	tw_start(t, &lfd, &cfd, &sfd);
	assert_int_equal(send(sfd, "Hello, World!", 13, 0), 13);
	tw_wait(t, 5);
	close(cfd);		/* the 13 bytes unread */
	tw_wait(t, 6);
	tw_run_for(t, 50);
	close(sfd);
	close(lfd);
	tw_is(t, 3, WIRE_PSH | WIRE_ACK, 13, 0);
	tw_is(t, 4, WIRE_ACK, 0, 1);
	tw_is(t, 5, WIRE_RST | WIRE_ACK, 0, 1);
	assert_int_equal(t->n, 6);
}

/*
 * Nothing passes before the port is set, nor for another port; and the
 * port can change.
 */
static void
test_wire_filter(void **state)
{
	struct tw *t = *state;
	char why[100];
	unsigned other;
	int lfd, lfd2, cfd, sfd;

	TW_SKIP();
	lfd = tw_listen(&t->port);
	tw_connect(lfd, t->port, &cfd, &sfd);
	close(cfd);
	close(sfd);
	tw_run_for(t, 100);
	assert_int_equal(t->n, 0);	/* no port yet: nothing */

	lfd2 = tw_listen(&other);
	assert_int_equal(wire_set_port(t->w, other, why, sizeof why), 0);
	tw_connect(lfd, t->port, &cfd, &sfd);
	close(cfd);
	close(sfd);
	tw_run_for(t, 100);
	assert_int_equal(t->n, 0);	/* another port: nothing */

	assert_int_equal(wire_set_port(t->w, t->port, why, sizeof why), 0);
	tw_connect(lfd, t->port, &cfd, &sfd);
	tw_wait(t, 3);
	tw_is(t, 0, WIRE_SYN, 0, 1);
	assert_int_equal(wire_set_port(t->w, 0, why, sizeof why), 0);
	close(cfd);
	close(sfd);
	tw_run_for(t, 100);
	assert_int_equal(t->n, 3);	/* port 0: nothing again */
	close(lfd);
	close(lfd2);
}

/* Read a whole file; its length in *len. */
static unsigned char *
tw_slurp(const char *path, size_t *len)
{
	static unsigned char buf[65536];
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

static uint32_t
tw_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);	/* written in this machine's order */
	return v;
}

/*
 * The pcap file: its header (Ethernet, 512-byte snaplen), then each
 * frame, there as soon as it was captured (flushed per packet: read
 * before the wire is closed).
 */
static void
test_wire_dump(void **state)
{
	struct tw *t = *state;
	char path[300], why[100];
	unsigned char *p, big[1000];
	size_t len, off, rec4 = 0;
	int lfd, cfd, sfd, records = 0;

	TW_SKIP();
	snprintf(path, sizeof path, "%s/a.pcap", tw_dir);
	assert_int_equal(wire_dump(t->w, fopen(path, "w"), why, sizeof why),
	    0);
	tw_start(t, &lfd, &cfd, &sfd);
	tw_wait(t, 3);
	memset(big, 'x', sizeof big);
	assert_int_equal(send(cfd, big, sizeof big, 0), sizeof big);
	tw_wait(t, 5);
	p = tw_slurp(path, &len);
	close(cfd);
	close(sfd);
	close(lfd);
	assert_true(len >= 24);
	assert_int_equal(tw_u32(p), 0xa1b2c3d4);
	assert_int_equal(tw_u32(p + 16), 512);		/* snaplen */
	assert_int_equal(tw_u32(p + 20), 1);		/* DLT_EN10MB */
	for (off = 24; off + 16 <= len; records++) {
		if (records == 3)
			rec4 = off;
		off += 16 + tw_u32(p + off + 8);
	}
	assert_int_equal(off, len);
	assert_int_equal(records, t->n);
	assert_int_equal(records, 5);
	/* The 1000 bytes' segment: 512 of its 14 + 20 + 32 + 1000 kept. */
	tw_is(t, 3, WIRE_PSH | WIRE_ACK, 1000, 1);
	assert_int_equal(tw_u32(p + rec4 + 8), 512);
	assert_int_equal(tw_u32(p + rec4 + 12), 14 + 20 + 32 + 1000);
}

/* No capture: --pcap still gets a valid file, with no packet. */
static void
test_wire_dump_empty(void **state)
{
	char path[300], why[100];
	unsigned char *p;
	size_t len;

	(void)state;
	snprintf(path, sizeof path, "%s/e.pcap", tw_dir);
	assert_int_equal(wire_dump(NULL, fopen(path, "w"), why, sizeof why),
	    0);
	p = tw_slurp(path, &len);
	assert_int_equal(len, 24);
	assert_int_equal(tw_u32(p), 0xa1b2c3d4);
	assert_int_equal(tw_u32(p + 16), 512);
	assert_int_equal(tw_u32(p + 20), 1);
}

/* A full disk: the write error is reported, by wire_close or at once. */
static void
test_wire_dump_full(void **state)
{
	struct tw *t = *state;
	char why[100] = "";
	FILE *f;

	TW_SKIP();
	assert_non_null(f = fopen("/dev/full", "w"));
	assert_int_equal(wire_dump(t->w, f, why, sizeof why), 0);
	assert_int_equal(wire_close(t->w, why, sizeof why), -1);
	t->w = NULL;
	assert_string_equal(why, strerror(ENOSPC));
	assert_non_null(f = fopen("/dev/full", "w"));
	assert_int_equal(wire_dump(NULL, f, why, sizeof why), -1);
	assert_string_equal(why, strerror(ENOSPC));
}

/* A device that is not there: NULL and why, no crash. */
static void
test_wire_open_no_device(void **state)
{
	struct event_base *base = event_base_new();
	char why[200] = "";

	(void)state;
	tw_enter();
	TW_SKIP();
	assert_null(wire_open(base, "tcpstep-none0", tw_in, NULL, why,
	    sizeof why));
	assert_true(why[0] != '\0');
	event_base_free(base);
}

/* In a child: whether lo is up, as the kernel says. */
static int
tw_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), up;

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	up = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 &&
	    (ifr.ifr_flags & IFF_UP);
	close(fd);
	return up;
}

/*
 * The child of test_wire_private_net_unprivileged: nobody (when the test
 * runs as root), its private network, a listener there and a capture on
 * its lo. Writes "S<why>" to pfd to skip, or "P<port>"; then, once the
 * parent has tried that port from the host (a byte on gfd), checks the
 * host's attempt was not seen here while the lab's own connection is.
 * Exits 0, or a code saying which step failed.
 */
static void
tw_private_child(int pfd, int gfd)
{
	struct tw priv;
	char why[200];
	int fd, cfd, sfd;
	unsigned port = 0;

	memset(&priv, 0, sizeof priv);
	if (geteuid() == 0 && (setgroups(0, NULL) == -1 ||
	    setgid(65534) == -1 || setuid(65534) == -1))
		_exit(10);
	/*
	 * setuid left the process undumpable, its /proc/self root's: an
	 * exec, as setpriv's, would have made it dumpable again.
	 */
	prctl(PR_SET_DUMPABLE, 1);
	if (wire_can_capture())
		_exit(11);	/* nobody must not, on the host */
	if (wire_private_net(why, sizeof why) == -1) {
		dprintf(pfd, "S%s", why);
		_exit(0);
	}
	if (!wire_can_capture())
		_exit(12);
	if (!tw_lo_up())
		_exit(13);
	fd = tw_listen(&port);
	if ((priv.base = event_base_new()) == NULL ||
	    (priv.w = wire_open(priv.base, "lo", tw_in, &priv, why,
	    sizeof why)) == NULL ||
	    wire_set_port(priv.w, port, why, sizeof why) == -1)
		_exit(14);
	dprintf(pfd, "P%u", port);
	close(pfd);
	/* The host's connection to the same port: not seen here. */
	if (read(gfd, why, 1) != 1)
		_exit(15);
	tw_run_for(&priv, 100);
	if (priv.n != 0)
		_exit(16);
	/* While the lab's own are. */
	tw_connect(fd, port, &cfd, &sfd);
	tw_wait(&priv, 3);
	_exit(priv.n == 3 ? 0 : 17);
}

/* From the host's network: connect to port on 127.0.0.1; the errno. */
static int
tw_host_connect(unsigned port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0), err = 0;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		err = errno;
	close(fd);
	return err;
}

/*
 * The private network, as an unprivileged user (nobody, when the test
 * runs as root): no packet socket before; after wire_private_net a
 * packet socket, lo up, a listener the host's network cannot reach, and
 * a capture on its lo that sees the lab's own segments and nothing of the
 * host's on the same port.
 * Runs in a child: the namespace is for good.
 */
static void
test_wire_private_net_unprivileged(void **state)
{
	char why[200];
	int ws, pfd[2], gfd[2], code, err;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(pipe(gfd), 0);
	if ((pid = fork()) == 0) {
		close(pfd[0]);
		close(gfd[1]);
		tw_private_child(pfd[1], gfd[0]);
	}
	close(pfd[1]);
	close(gfd[0]);
	memset(why, 0, sizeof why);
	code = read(pfd[0], why, sizeof why - 1);
	close(pfd[0]);
	if (code > 0 && why[0] == 'P') {
		/* The host cannot reach the child's listener. */
		err = tw_host_connect((unsigned)atoi(why + 1));
		assert_int_equal(write(gfd[1], "g", 1), 1);
		close(gfd[1]);
		assert_int_equal(waitpid(pid, &ws, 0), pid);
		assert_int_equal(err, ECONNREFUSED);
		if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
			fail_msg("child exited %d", WIFEXITED(ws) ?
			    WEXITSTATUS(ws) : -1);
		return;
	}
	close(gfd[1]);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	if (code > 0 && why[0] == 'S')
		tw_skip_why(why + 1);
	fail_msg("child exited %d", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
}

/* Counts the segments it is handed, for test_wire_device_gone. */
static void
tw_count(const struct wire_seg *seg, void *arg)
{
	(void)seg;
	(*(int *)arg)++;
}

/*
 * The child of test_wire_device_gone, in a network of its own: capture
 * on a bridge, delete the bridge. Exits 0 when the capture stopped
 * (nothing left in the loop) and said why; 20 when no bridge can be
 * made here, other codes for what went wrong.
 */
static void
tw_gone_child(void)
{
	struct event_base *base;
	struct wire *w;
	char why[200];
	int n = 0;

	if (unshare(CLONE_NEWNET) == -1 ||
	    system("ip link add tw-gone0 type bridge >/dev/null 2>&1 && "
	    "ip link set tw-gone0 up") != 0)
		_exit(20);
	if ((base = event_base_new()) == NULL ||
	    (w = wire_open(base, "tw-gone0", tw_count, &n, why,
	    sizeof why)) == NULL)
		_exit(21);
	if (system("ip link del tw-gone0") != 0)
		_exit(22);
	/*
	 * Readable now, for good: one round reads the error. No timer may
	 * guard it (it would be an event still pending): an alarm does.
	 */
	alarm(5);
	event_base_loop(base, EVLOOP_ONCE);
	/* 1: nothing is pending; 0: the wire still waits to be called. */
	if (event_base_loop(base, EVLOOP_NONBLOCK) != 1)
		_exit(23);
	if (strstr(wire_error(w), "tw-gone0") == NULL)
		_exit(24);
	wire_close(w, why, sizeof why);
	event_base_free(base);
	_exit(0);
}

/*
 * A device that goes away under the capture: libpcap's read fails, and
 * the descriptor stays readable. The capture must stop reading (else
 * libevent calls it again and again, a busy loop) and keep the reason
 * (wire_error) for the lab to show. In a child: its own network.
 */
static void
test_wire_device_gone(void **state)
{
	pid_t pid;
	int ws;

	(void)state;
	tw_enter();
	TW_SKIP();
	if ((pid = fork()) == 0)
		tw_gone_child();
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	if (WEXITSTATUS(ws) == 20)
		tw_skip_why("no network namespace with a bridge can be made "
		    "here (unshare, ip link add type bridge)");
	if (WEXITSTATUS(ws) != 0)
		fail_msg("child exited %d", WEXITSTATUS(ws));
}

/* The tests' directory, under $TMPDIR (the rules: nothing outside it). */
static int
tw_group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(tw_dir, sizeof tw_dir, "%s/tcpstep-wire.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	return mkdtemp(tw_dir) == NULL ? -1 : 0;
}

/* And gone at the end, whatever failed on the way. */
static int
tw_group_teardown(void **state)
{
	char path[300];

	(void)state;
	snprintf(path, sizeof path, "%s/a.pcap", tw_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/e.pcap", tw_dir);
	unlink(path);
	return rmdir(tw_dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_private_net_unprivileged),
		cmocka_unit_test_setup_teardown(test_wire_exchange,
		    tw_setup, tw_teardown),
		cmocka_unit_test_setup_teardown(test_wire_close_unread_resets,
		    tw_setup, tw_teardown),
		cmocka_unit_test_setup_teardown(test_wire_filter,
		    tw_setup, tw_teardown),
		cmocka_unit_test_setup_teardown(test_wire_dump,
		    tw_setup, tw_teardown),
		cmocka_unit_test(test_wire_dump_empty),
		cmocka_unit_test_setup_teardown(test_wire_dump_full,
		    tw_setup, tw_teardown),
		cmocka_unit_test(test_wire_open_no_device),
		cmocka_unit_test(test_wire_device_gone),
	};

	return cmocka_run_group_tests(tests, tw_group_setup,
	    tw_group_teardown);
}
