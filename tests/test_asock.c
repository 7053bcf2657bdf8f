/*
 * test_asock.c - the notification rules of design.md section 2, one test
 * each, over real loopback sockets and a real libevent loop.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "addr.h"
#include "asock.h"
#include "testutil.h"

/* One socket under test and what it was told. */
struct probe {
	struct pump	*pump;
	struct asock	*s;
	unsigned	 counts[ASOCK_NOTES];
	int		 last_err[ASOCK_NOTES];

	/* With answer set, each OnReceive gets recv(answer), as auto mode. */
	size_t		 answer;
	unsigned	 recv_ok, recv_bad;
	size_t		 bytes;
	unsigned	 trace_lines;

	/* The notifications in the order they came, the first 16. */
	enum asock_note	 order[16];
	unsigned	 norder;
};

struct fixture {
	struct event_base	*base;
	struct pump		 pump;
	struct probe		 listener, client, accepted;
	struct sockaddr_storage	 addr;	/* where the listener is */
	socklen_t		 addr_len;
};

static void
probe_cb(struct asock *s, enum asock_note note, int err, void *arg)
{
	struct probe *p = arg;

	char buf[256];
	ssize_t n;

	(void)s;
	p->counts[note]++;
	p->last_err[note] = err;
	if (p->norder < sizeof p->order / sizeof p->order[0])
		p->order[p->norder++] = note;
	if (note == ASOCK_ON_RECEIVE && p->answer > 0) {
		n = asock_receive(s, buf, p->answer);
		if (n > 0) {
			p->recv_ok++;
			p->bytes += (size_t)n;
		} else
			p->recv_bad++;
	}
	pump_poke(p->pump);
}

static void
probe_trace(struct asock *s, const char *line, void *arg)
{
	struct probe *p = arg;

	(void)s;
	(void)line;
	p->trace_lines++;
}

static void
probe_init(struct fixture *f, struct probe *p)
{
	memset(p, 0, sizeof *p);
	p->pump = &f->pump;
	p->s = asock_new(f->base, probe_cb, p);
	assert_non_null(p->s);
}

static int
setup(void **state)
{
	static struct fixture f;
	struct sockaddr_storage any;
	socklen_t len;

	memset(&f, 0, sizeof f);
	f.base = event_base_new();
	assert_non_null(f.base);
	f.pump.base = f.base;
	probe_init(&f, &f.listener);
	probe_init(&f, &f.client);
	probe_init(&f, &f.accepted);
	assert_int_equal(addr_parse("127.0.0.1", 0, &any, &len), 0);
	assert_int_equal(asock_create(f.listener.s, (struct sockaddr *)&any,
	    len), 0);
	f.addr_len = sizeof f.addr;
	getsockname(asock_fd(f.listener.s), (struct sockaddr *)&f.addr,
	    &f.addr_len);
	assert_int_equal(asock_create(f.client.s, (struct sockaddr *)&any,
	    len), 0);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	asock_free(f->listener.s);
	asock_free(f->client.s);
	asock_free(f->accepted.s);
	pump_free(&f->pump);
	event_base_free(f->base);
	return 0;
}

/* Listen, connect the client, accept it: the 1-5 of the lab. */
static void
connect_pair(struct fixture *f)
{
	assert_int_equal(asock_listen(f->listener.s, 5), 0);
	asock_connect(f->client.s, (struct sockaddr *)&f->addr, f->addr_len);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CONNECT], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CONNECT], 0);
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
}

/* A plain blocking client, not an asock: the peer nobody steps. */
static int
raw_connect(struct fixture *f)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&f->addr,
	    f->addr_len), 0);
	return fd;
}

static void
test_onaccept_rearmed_only_by_accept(void **state)
{
	struct fixture *f = *state;
	int a, b, c;

	assert_int_equal(asock_listen(f->listener.s, 5), 0);
	a = raw_connect(f);
	b = raw_connect(f);
	pump_run(&f->pump);
	/* Two wait in the queue, but OnAccept is one-shot. */
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 1);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 1);
	/* accept re-enables it, and another connection still waits. */
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 2);
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 2);
	/* The queue is empty: accept says so, nothing fires. */
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), -1);
	assert_int_equal(errno, EAGAIN);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 2);
	/* A new arrival is announced, since accept re-enabled it. */
	c = raw_connect(f);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 3);
	close(a);
	close(b);
	close(c);
}

static void
test_client_connected_before_accept(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(asock_listen(f->listener.s, 5), 0);
	assert_int_equal(asock_connect(f->client.s, (struct sockaddr *)&f->addr,
	    f->addr_len), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(f->client.counts[ASOCK_ON_CONNECT], 0);
	pump_run(&f->pump);
	/* The kernel finished the handshake; nobody has accepted yet. */
	assert_int_equal(f->client.counts[ASOCK_ON_CONNECT], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CONNECT], 0);
	assert_int_equal(f->client.counts[ASOCK_ON_SEND], 1);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 1);
	assert_int_equal(asock_state(f->client.s), ASOCK_CONNECTED);
}

static void
test_onsend_once_after_connect_and_accept(void **state)
{
	struct fixture *f = *state;
	int i;

	connect_pair(f);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
	/* Writable all along, yet no more OnSend: it is not persistent. */
	for (i = 0; i < 3; i++)
		pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_SEND], 1);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
	/* A send that succeeds does not re-enable it either. */
	assert_int_equal(asock_send(f->accepted.s, "hello", 5), 5);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
}

static void
test_onsend_again_only_after_ewouldblock(void **state)
{
	struct fixture *f = *state;
	static char chunk[65536], sink[65536];
	ssize_t n;
	long sent = 0, drained = 0;
	int turns = 0;

	connect_pair(f);
	/* Fill the send buffer and the peer's receive buffer. */
	while ((n = asock_send(f->accepted.s, chunk, sizeof chunk)) > 0)
		sent += n;
	assert_int_equal(n, -1);
	assert_int_equal(errno, EAGAIN);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
	/* Drain the client; space frees, OnSend comes exactly once more. */
	while (((n = asock_receive(f->client.s, sink, sizeof sink)) > 0 ||
	    drained < sent) && turns++ < 10000) {
		if (n > 0)
			drained += n;
		pump_run(&f->pump);
	}
	assert_int_equal(drained, sent);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 2);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 2);
}

static void
test_onreceive_once_for_two_arrivals(void **state)
{
	struct fixture *f = *state;
	char buf[64];

	connect_pair(f);
	assert_int_equal(asock_send(f->accepted.s, "first\n", 6), 6);
	pump_run(&f->pump);
	assert_int_equal(asock_send(f->accepted.s, "second\n", 7), 7);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 1);
	/* A partial read re-enables it, and bytes remain: again at once. */
	assert_int_equal(asock_receive(f->client.s, buf, 6), 6);
	assert_memory_equal(buf, "first\n", 6);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 2);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 7);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 2);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), -1);
	assert_int_equal(errno, EAGAIN);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 2);
}

static void
test_onclose_graceful_after_data_read(void **state)
{
	struct fixture *f = *state;
	char buf[64];

	connect_pair(f);
	assert_int_equal(asock_send(f->accepted.s, "bye\n", 4), 4);
	assert_int_equal(asock_close(f->accepted.s), 0);
	pump_run(&f->pump);
	/* Data first: the close waits behind it. */
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 1);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 0);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 4);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], 0);
	assert_int_equal(asock_state(f->client.s), ASOCK_PEER_CLOSED);
	/* Once per connection. */
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 0);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 1);
}

static void
test_onclose_reset_on_abortive_close(void **state)
{
	struct fixture *f = *state;
	struct linger lg = { 1, 0 };

	connect_pair(f);
	/* SO_LINGER with a zero timeout: close() sends RST, not FIN. */
	assert_int_equal(setsockopt(asock_fd(f->accepted.s), SOL_SOCKET,
	    SO_LINGER, &lg, sizeof lg), 0);
	assert_int_equal(asock_close(f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], ECONNRESET);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 0);
}

/*
 * A quiet socket (auto mode under a flood) is told about bytes it knows
 * are queued without asking the kernel each time; it must still give one
 * OnReceive per recv while bytes remain, and OnClose(0) only once they
 * are all read. A reset that is already there when the loop looks comes
 * right after the first OnReceive, as Winsock's FD_CLOSE does; Linux keeps
 * the rest of the bytes for recv.
 */
static void
quiet_drain(struct fixture *f, int abortive)
{
	struct linger lg = { 1, 0 };
	char data[1000];

	connect_pair(f);
	asock_set_quiet(f->client.s, 1);
	asock_set_trace(f->client.s, probe_trace, &f->client);
	f->client.answer = 64;
	memset(data, 'x', sizeof data);
	assert_int_equal(asock_send(f->accepted.s, data, sizeof data),
	    sizeof data);
	if (abortive)
		assert_int_equal(setsockopt(asock_fd(f->accepted.s),
		    SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
	assert_int_equal(asock_close(f->accepted.s), 0);
	pump_run(&f->pump);
	if (abortive) {
		assert_int_equal(f->client.bytes, 64);
		assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 1);
		assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
		assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE],
		    ECONNRESET);
		assert_int_equal(f->client.trace_lines, 1);
		assert_int_equal(asock_receive(f->client.s, data, sizeof data),
		    sizeof data - 64);
		return;
	}
	assert_int_equal(f->client.bytes, sizeof data);
	assert_int_equal(f->client.recv_ok, (sizeof data + 63) / 64);
	assert_int_equal(f->client.recv_bad, 0);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE],
	    (sizeof data + 63) / 64);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], 0);
	/* Quiet: only the OnClose line was written, not 16 receives. */
	assert_int_equal(f->client.trace_lines, 1);
}

static void
test_quiet_receives_until_fin(void **state)
{
	quiet_drain(*state, 0);
}

static void
test_quiet_receives_until_reset(void **state)
{
	quiet_drain(*state, 1);
}

static void
test_onconnect_refused(void **state)
{
	struct fixture *f = *state;

	/* The listener is bound but not listening: the kernel answers RST. */
	asock_connect(f->client.s, (struct sockaddr *)&f->addr, f->addr_len);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CONNECT], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CONNECT], ECONNREFUSED);
	assert_int_equal(f->client.counts[ASOCK_ON_SEND], 0);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 0);
	assert_int_equal(asock_state(f->client.s), ASOCK_CREATED);
}

static void
test_receive_with_nothing_sent(void **state)
{
	struct fixture *f = *state;
	char buf[16];
	int i;

	connect_pair(f);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), -1);
	assert_int_equal(errno, EAGAIN);
	pump_run(&f->pump);
	for (i = 0; i < ASOCK_NOTES; i++)
		assert_int_equal(f->client.counts[i], i == ASOCK_ON_CONNECT ||
		    i == ASOCK_ON_SEND ? 1 : 0);
}

static void
test_close_frees_descriptor(void **state)
{
	struct fixture *f = *state;
	int before = count_open_fds();

	connect_pair(f);
	assert_int_equal(count_open_fds(), before + 1);	/* accepted */
	assert_int_equal(asock_close(f->accepted.s), 0);
	assert_int_equal(asock_fd(f->accepted.s), -1);
	assert_int_equal(count_open_fds(), before);
	assert_int_equal(asock_close(f->accepted.s), -1);
	assert_int_equal(errno, EBADF);
}

/* Where note first came in p's order, or -1. */
static int
came_at(const struct probe *p, enum asock_note note)
{
	unsigned i;

	for (i = 0; i < p->norder; i++)
		if (p->order[i] == note)
			return (int)i;
	return -1;
}

/* The peer sends data, then resets: close with SO_LINGER {on, 0}. */
static void
send_then_reset(struct fixture *f, const char *data)
{
	struct linger lg = { 1, 0 };

	assert_int_equal(asock_send(f->accepted.s, data, strlen(data)),
	    (ssize_t)strlen(data));
	assert_int_equal(setsockopt(asock_fd(f->accepted.s), SOL_SOCKET,
	    SO_LINGER, &lg, sizeof lg), 0);
	assert_int_equal(asock_close(f->accepted.s), 0);
}

/*
 * An OnReceive waits to be re-enabled and its bytes are unread when the
 * peer resets: OnClose(ECONNRESET) comes at once, as Winsock's FD_CLOSE
 * does. Linux keeps the bytes that came before the reset: the next recv
 * returns them, the one after reports the reset, and then end of stream.
 */
static void
reset_while_receive_pending(struct fixture *f, int edge)
{
	char buf[64];

	asock_set_edge(f->client.s, edge);
	connect_pair(f);
	assert_int_equal(asock_send(f->accepted.s, "abc", 3), 3);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 1);
	send_then_reset(f, "");
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], ECONNRESET);
	assert_int_equal(f->client.order[f->client.norder - 1],
	    ASOCK_ON_CLOSE);
	assert_int_equal(asock_state(f->client.s), ASOCK_PEER_CLOSED);
	/* What the kernel answers the receives that follow. */
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 0);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
}

static void
test_reset_while_receive_pending(void **state)
{
	reset_while_receive_pending(*state, 0);
}

static void
test_reset_while_receive_pending_edge(void **state)
{
	reset_while_receive_pending(*state, 1);
}

/*
 * Data and a reset are both there when the loop first looks: OnReceive
 * for the data, then OnClose(ECONNRESET), without waiting for a recv.
 */
static void
data_and_reset_at_once(struct fixture *f, int edge)
{
	asock_set_edge(f->client.s, edge);
	connect_pair(f);
	send_then_reset(f, "abc");
	pump_run(&f->pump);
	assert_true(f->client.counts[ASOCK_ON_RECEIVE] >= 1);
	assert_int_equal(f->client.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], ECONNRESET);
	assert_true(came_at(&f->client, ASOCK_ON_RECEIVE) <
	    came_at(&f->client, ASOCK_ON_CLOSE));
	assert_int_equal(f->client.order[f->client.norder - 1],
	    ASOCK_ON_CLOSE);
}

static void
test_data_and_reset_at_once(void **state)
{
	data_and_reset_at_once(*state, 0);
}

static void
test_data_and_reset_at_once_edge(void **state)
{
	data_and_reset_at_once(*state, 1);
}

/*
 * Accepted after the peer closed (CLOSE_WAIT): the FD_WRITE that accept
 * records still comes, since the socket can still send, and before the
 * FD_CLOSE.
 */
static void
test_accepted_after_peer_closed(void **state)
{
	struct fixture *f = *state;
	char buf[8];
	int fd;

	assert_int_equal(asock_listen(f->listener.s, 5), 0);
	fd = raw_connect(f);
	close(fd);
	pump_run(&f->pump);
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
	assert_int_equal(f->accepted.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->accepted.last_err[ASOCK_ON_CLOSE], 0);
	assert_int_equal(f->accepted.counts[ASOCK_ON_RECEIVE], 0);
	assert_int_equal(f->accepted.norder, 2);
	assert_int_equal(f->accepted.order[0], ASOCK_ON_SEND);
	assert_int_equal(f->accepted.order[1], ASOCK_ON_CLOSE);
	/* It can still send: the kernel takes the bytes. */
	assert_int_equal(asock_send(f->accepted.s, "late", 4), 4);
	assert_int_equal(asock_receive(f->accepted.s, buf, sizeof buf), 0);
}

/*
 * A client whose connect completes and whose peer closes at once: when
 * the loop looks, OnConnect, then OnSend, then OnClose(0).
 */
static void
test_connected_and_closed_at_once(void **state)
{
	struct fixture *f = *state;
	int lfd, fd, one = 1;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	/* A plain listener of our own, on the client's target address. */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	asock_close(f->listener.s);
	assert_int_equal(bind(lfd, (struct sockaddr *)&f->addr, f->addr_len),
	    0);
	assert_int_equal(listen(lfd, 5), 0);
	asock_connect(f->client.s, (struct sockaddr *)&f->addr, f->addr_len);
	fd = accept(lfd, (struct sockaddr *)&ss, &len);	/* blocks */
	assert_true(fd >= 0);
	close(fd);
	close(lfd);
	pump_run(&f->pump);
	assert_int_equal(f->client.norder, 3);
	assert_int_equal(f->client.order[0], ASOCK_ON_CONNECT);
	assert_int_equal(f->client.order[1], ASOCK_ON_SEND);
	assert_int_equal(f->client.order[2], ASOCK_ON_CLOSE);
	assert_int_equal(f->client.last_err[ASOCK_ON_CLOSE], 0);
}

/*
 * What waits when a socket is accepted is reported at once: an urgent
 * byte sent before accept (its SIGURG went to nobody), the data queued
 * before it, and the FIN behind them once the data is read.
 */
static void
test_conditions_present_at_accept(void **state)
{
	struct fixture *f = *state;
	char buf[16], c;
	int fd;

	assert_int_equal(asock_listen(f->listener.s, 5), 0);
	fd = raw_connect(f);
	assert_int_equal(send(fd, "data", 4, 0), 4);
	assert_int_equal(send(fd, "U", 1, MSG_OOB), 1);
	shutdown(fd, SHUT_WR);
	pump_run(&f->pump);
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_SEND], 1);
	assert_int_equal(f->accepted.counts[ASOCK_ON_OOB], 1);
	assert_int_equal(f->accepted.counts[ASOCK_ON_RECEIVE], 1);
	assert_int_equal(f->accepted.counts[ASOCK_ON_CLOSE], 0);
	assert_int_equal(asock_receive_oob(f->accepted.s, &c), 1);
	assert_int_equal(c, 'U');
	/* Linux stops a recv at the urgent mark: "data", then nothing. */
	assert_int_equal(asock_receive(f->accepted.s, buf, sizeof buf), 4);
	pump_run(&f->pump);
	assert_int_equal(f->accepted.counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(f->accepted.last_err[ASOCK_ON_CLOSE], 0);
	close(fd);
}

/*
 * A notification whose condition vanished before the loop looked is not
 * delivered: asock reads the condition when the loop reports it (Winsock
 * would post it when the data came, and the handler's recv would then
 * fail with WSAEWOULDBLOCK). Here the recv takes the bytes before the
 * loop runs; the kernel had them, and no OnReceive follows.
 */
static void
test_vanished_condition_not_delivered(void **state)
{
	struct fixture *f = *state;
	char buf[16];
	int fd;

	connect_pair(f);
	assert_int_equal(asock_send(f->accepted.s, "tick", 4), 4);
	assert_int_equal(asock_receive(f->client.s, buf, sizeof buf), 4);
	pump_run(&f->pump);
	assert_int_equal(f->client.counts[ASOCK_ON_RECEIVE], 0);
	/* The same for OnAccept: accept before the loop looks. */
	fd = raw_connect(f);
	assert_int_equal(asock_accept(f->listener.s, f->accepted.s), 0);
	pump_run(&f->pump);
	assert_int_equal(f->listener.counts[ASOCK_ON_ACCEPT], 1);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_onaccept_rearmed_only_by_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_client_connected_before_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onsend_once_after_connect_and_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onsend_again_only_after_ewouldblock, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onreceive_once_for_two_arrivals, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onclose_graceful_after_data_read, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onclose_reset_on_abortive_close, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_quiet_receives_until_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_quiet_receives_until_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_onconnect_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_receive_with_nothing_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_close_frees_descriptor, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reset_while_receive_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reset_while_receive_pending_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_data_and_reset_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_data_and_reset_at_once_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_accepted_after_peer_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_connected_and_closed_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_conditions_present_at_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_vanished_condition_not_delivered, setup, teardown),
	};

	return cmocka_run_group_tests_name("asock", tests, NULL, NULL);
}
