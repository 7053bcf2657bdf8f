/*
 * test_lab.c - the lab model through whole key sequences: the seed's
 * walkthrough, its suggested experiments, and the out-of-order keys.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "addr.h"
#include "bind.h"
#include "explain.h"
#include "lab.h"
#include "testutil.h"
#include "testlab.h"

/* A pane's selected socket. */
#define PANE(f, pane)	(*lab_sel(&(f)->lab, (pane)))

/*
 * A lab on loopback: all in one, or (role) a server or client role, with
 * max_conns connections at most.
 */
static int
setup_lab(void **state, enum lab_role role, const char *host, unsigned port,
    size_t max_conns)
{
	static struct fixture f;
	struct lab_config cfg;

	memset(&f, 0, sizeof f);
	f.base = event_base_new();
	assert_non_null(f.base);
	f.pump.base = f.base;
	memset(&cfg, 0, sizeof cfg);
	cfg.role = role;
	cfg.v6only = -1;
	cfg.recv_size = LAB_RECORD_SIZE;
	cfg.max_conns = max_conns;
	cfg.key_name = bind_op_name;
	cfg.host = host;
	cfg.port = port;
	if (role != LAB_ROLE_CLIENT)
		assert_int_equal(addr_parse(host, port, &cfg.bind_addr,
		    &cfg.bind_len), 0);
	assert_int_equal(lab_init(&f.lab, f.base, &cfg), 0);
	f.lab.changed = changed;
	f.lab.changed_arg = &f.pump;
	*state = &f;
	return 0;
}

static int
setup_port(void **state, unsigned port)
{
	return setup_lab(state, LAB_ALL_IN_ONE, "127.0.0.1", port,
	    LAB_CONNS_DEFAULT);
}

static int
setup(void **state)
{
	return setup_port(state, 0);
}

static int
setup_max2(void **state)
{
	return setup_lab(state, LAB_ALL_IN_ONE, "127.0.0.1", 0, 2);
}

static int
setup_ipv6(void **state)
{
	return setup_lab(state, LAB_ALL_IN_ONE, "::1", 0, LAB_CONNS_DEFAULT);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	lab_free(&f->lab);
	pump_free(&f->pump);
	event_base_free(f->base);
	return 0;
}

/* Assert one pane's six counters, in the panes' order. */
static void
counts(struct fixture *f, enum lab_pane pane, unsigned acc, unsigned cls,
    unsigned con, unsigned oob, unsigned rcv, unsigned snd)
{
	const unsigned long *c = PANE(f, pane).counts;

	assert_int_equal(c[ASOCK_ON_ACCEPT], acc);
	assert_int_equal(c[ASOCK_ON_CLOSE], cls);
	assert_int_equal(c[ASOCK_ON_CONNECT], con);
	assert_int_equal(c[ASOCK_ON_OOB], oob);
	assert_int_equal(c[ASOCK_ON_RECEIVE], rcv);
	assert_int_equal(c[ASOCK_ON_SEND], snd);
}

/* "HH:MM:SS.mmm\n" */
static void
assert_time_record(const unsigned char *p, size_t n)
{
	static const char shape[] = "dd:dd:dd.ddd\n";
	size_t i;

	assert_int_equal(n, LAB_RECORD_SIZE);
	for (i = 0; i < n; i++) {
		if (shape[i] == 'd')
			assert_true(p[i] >= '0' && p[i] <= '9');
		else
			assert_int_equal(p[i], shape[i]);
	}
}

static void
test_seed_walkthrough(void **state)
{
	struct fixture *f = *state;

	keys(f, "1234");
	/* The client is connected although nobody has accepted. */
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 0);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 1);
	assert_string_equal(f->lab.result[LAB_OP_CONNECT].brief, "in progress");
	assert_int_equal(PANE(f, LAB_CLIENT).err, EINPROGRESS);
	keys(f, "5");
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	keys(f, "6");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_false(PANE(f, LAB_CLIENT).have_received);
	keys(f, "7");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_true(PANE(f, LAB_CLIENT).have_received);
	assert_time_record(PANE(f, LAB_CLIENT).received, PANE(f, LAB_CLIENT).received_len);
	assert_int_equal(PANE(f, LAB_CLIENT).err, 0);
	assert_true(lab_outcome_ok(
	    f->lab.result[LAB_OP_CLIENT_RECEIVE].outcome));
}

static void
test_two_sends_three_receives(void **state)
{
	struct fixture *f = *state;

	keys(f, "1234566");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	keys(f, "7");
	/* One record read, one remains: OnReceive again. */
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 2, 1);
	assert_int_equal(PANE(f, LAB_CLIENT).received_len, LAB_RECORD_SIZE);
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 2, 1);
	assert_time_record(PANE(f, LAB_CLIENT).received, PANE(f, LAB_CLIENT).received_len);
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 2, 1);
	assert_false(lab_outcome_ok(
	    f->lab.result[LAB_OP_CLIENT_RECEIVE].outcome));
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].err, EAGAIN);
	assert_int_equal(PANE(f, LAB_CLIENT).err, EAGAIN);
	/* The last successful read is still shown. */
	assert_time_record(PANE(f, LAB_CLIENT).received, PANE(f, LAB_CLIENT).received_len);
}

/*
 * Each step records what it came to as an outcome, which the explanations
 * and front ends decide by; the words of its result are for people.
 */
static void
test_outcomes_say_what_happened(void **state)
{
	struct fixture *f = *state;
	const struct lab_result *r = f->lab.result;

	keys(f, "1234");
	assert_int_equal(r[LAB_OP_SERVER_CREATE].outcome, LAB_OK);
	assert_int_equal(r[LAB_OP_CONNECT].outcome, LAB_IN_PROGRESS);
	assert_int_equal(r[LAB_OP_CONNECT].err, EINPROGRESS);
	keys(f, "57");
	assert_int_equal(r[LAB_OP_ACCEPT].outcome, LAB_OK);
	assert_int_equal(r[LAB_OP_CLIENT_RECEIVE].outcome, LAB_WOULD_BLOCK);
	assert_int_equal(lab_mark(&PANE(f, LAB_CLIENT),
	    LAB_OP_CLIENT_RECEIVE)->outcome, LAB_WOULD_BLOCK);
	/* Server-Send closes with the client's line unread: RST. */
	keys(f, "8X");
	assert_int_equal(r[LAB_OP_CONN_CLOSE].outcome, LAB_CLOSED_RESET);
	keys(f, "7");
	assert_int_equal(r[LAB_OP_CLIENT_RECEIVE].outcome, LAB_FAILED);
	assert_int_equal(r[LAB_OP_CLIENT_RECEIVE].err, ECONNRESET);
	keys(f, "7");
	assert_int_equal(r[LAB_OP_CLIENT_RECEIVE].outcome, LAB_END_OF_STREAM);
	/* The reset left no connection: the close sends nothing. */
	keys(f, "x");
	assert_int_equal(r[LAB_OP_CLIENT_CLOSE].outcome, LAB_CLOSED_QUIETLY);
	keys(f, "x");
	assert_int_equal(r[LAB_OP_CLIENT_CLOSE].outcome, LAB_NOT_NOW);
	assert_int_equal(lab_mark(&PANE(f, LAB_CLIENT),
	    LAB_OP_CLIENT_CLOSE)->outcome, LAB_NOT_NOW);
}

static void
test_receive_before_send(void **state)
{
	struct fixture *f = *state;

	keys(f, "12345");
	keys(f, "7");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].err, EAGAIN);
	assert_string_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].brief,
	    "EAGAIN");
	assert_non_null(strstr(f->lab.result[LAB_OP_CLIENT_RECEIVE].detail,
	    "press 6"));
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 1);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	assert_false(PANE(f, LAB_CLIENT).have_received);
}

static void
test_accept_before_connect(void **state)
{
	struct fixture *f = *state;

	keys(f, "1235");
	assert_int_equal(f->lab.result[LAB_OP_ACCEPT].err, EAGAIN);
	assert_int_equal(PANE(f, LAB_SERVER).err, EAGAIN);
	counts(f, LAB_SERVER, 0, 0, 0, 0, 0, 0);
	assert_null(PANE(f, LAB_SEND).sock == NULL ? NULL :
	    (asock_fd(PANE(f, LAB_SEND).sock) == -1 ? NULL : "open"));
	/* The accept re-enabled OnAccept: the connect is announced. */
	keys(f, "4");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	keys(f, "5");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_ACCEPT].outcome));
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
}

static void
test_connect_before_listen(void **state)
{
	struct fixture *f = *state;

	keys(f, "134");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 0);
	assert_int_equal(PANE(f, LAB_CLIENT).err, ECONNREFUSED);
	counts(f, LAB_SERVER, 0, 0, 0, 0, 0, 0);
	/* Linux reports the failed connect once more, then retries work. */
	keys(f, "24");
	assert_int_equal(f->lab.result[LAB_OP_CONNECT].err, ECONNABORTED);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 0);
	keys(f, "4");
	assert_string_equal(f->lab.result[LAB_OP_CONNECT].brief, "in progress");
	counts(f, LAB_CLIENT, 0, 0, 2, 0, 0, 1);
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
}

static void
test_out_of_order_refusals(void **state)
{
	struct fixture *f = *state;
	int fds = count_open_fds();

	keys(f, "2");
	assert_false(lab_outcome_ok(f->lab.result[LAB_OP_LISTEN].outcome));
	assert_non_null(strstr(f->lab.result[LAB_OP_LISTEN].detail, "press 1"));
	keys(f, "4");
	assert_non_null(strstr(f->lab.result[LAB_OP_CONNECT].detail,
	    "press 3"));
	keys(f, "7");
	assert_non_null(strstr(f->lab.result[LAB_OP_CLIENT_RECEIVE].detail,
	    "press 3"));
	keys(f, "6");
	assert_non_null(strstr(f->lab.result[LAB_OP_CONN_SEND].detail,
	    "no accepted connection yet"));
	keys(f, "5");
	assert_non_null(strstr(f->lab.result[LAB_OP_ACCEPT].detail, "press 1"));
	assert_int_equal(count_open_fds(), fds);
	keys(f, "11");
	assert_false(lab_outcome_ok(
	    f->lab.result[LAB_OP_SERVER_CREATE].outcome));
	assert_non_null(strstr(f->lab.result[LAB_OP_SERVER_CREATE].detail,
	    "already exists"));
	assert_int_equal(count_open_fds(), fds + 1);
	keys(f, "33");
	assert_non_null(strstr(f->lab.result[LAB_OP_CLIENT_CREATE].detail,
	    "already exists"));
	keys(f, "2456");
	/* The one connection is accepted: a second accept finds none. */
	keys(f, "5");
	assert_int_equal(f->lab.result[LAB_OP_ACCEPT].err, EAGAIN);
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 1);
	/* Connected already: Linux says 0 once, then EISCONN; no OnConnect. */
	keys(f, "4");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_CONNECT].outcome));
	assert_non_null(strstr(f->lab.result[LAB_OP_CONNECT].detail,
	    "already connected"));
	keys(f, "4");
	assert_int_equal(f->lab.result[LAB_OP_CONNECT].err, EISCONN);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
}

static void
test_reset_in_the_middle(void **state)
{
	struct fixture *f = *state;
	int i;

	keys(f, "12345");
	keys(f, "6r");
	for (i = 0; i < LAB_PANES; i++)
		counts(f, i, 0, 0, 0, 0, 0, 0);
	assert_false(PANE(f, LAB_CLIENT).have_received);
	assert_false(f->lab.have_server_addr);
	assert_int_equal(f->lab.result[LAB_OP_SERVER_CREATE].outcome,
	    LAB_UNTRIED);
	/* The old connection is gone: nothing arrives from it. */
	keys(f, "1234567");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_time_record(PANE(f, LAB_CLIENT).received, PANE(f, LAB_CLIENT).received_len);
}

static void
test_resets_leak_nothing(void **state)
{
	struct fixture *f = *state;
	int before = count_open_fds(), i;

	for (i = 0; i < 50; i++)
		keys(f, "1234567r");
	assert_int_equal(count_open_fds(), before);
	keys(f, "1234567");
	assert_int_equal(count_open_fds(), before + 3);
	lab_reset(&f->lab);
	assert_int_equal(count_open_fds(), before);
}

static void
test_port_in_use_is_a_step_error(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int holder;

	/* Someone else listens on a port; the lab is told to use it. */
	holder = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(addr_parse("127.0.0.1", 0, &ss, &len), 0);
	assert_int_equal(bind(holder, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(holder, 1), 0);
	len = sizeof ss;
	getsockname(holder, (struct sockaddr *)&ss, &len);
	teardown(state);
	setup_port(state, addr_port((struct sockaddr *)&ss));
	f = *state;
	keys(f, "1");
	assert_int_equal(f->lab.result[LAB_OP_SERVER_CREATE].outcome,
	    LAB_FAILED);
	assert_int_equal(f->lab.result[LAB_OP_SERVER_CREATE].err, EADDRINUSE);
	assert_int_equal(PANE(f, LAB_SERVER).err, EADDRINUSE);
	assert_non_null(strstr(f->lab.result[LAB_OP_SERVER_CREATE].detail,
	    "--port"));
	/* Still usable: press 1 again once the port is free. */
	close(holder);
	keys(f, "1");
	assert_true(lab_outcome_ok(
	    f->lab.result[LAB_OP_SERVER_CREATE].outcome));
}

static void
test_recv_size_shorter_than_record(void **state)
{
	struct fixture *f = *state;

	f->lab.cfg.recv_size = 5;
	keys(f, "12345677");
	assert_int_equal(PANE(f, LAB_CLIENT).received_len, 5);
	/* The rest stays queued: OnReceive again after each partial read. */
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 3, 1);
	assert_memory_equal(PANE(f, LAB_CLIENT).received, PANE(f, LAB_CLIENT).received, 5);
}


/* The kernel's TCP state of a pane's socket, by name. */
static const char *
state(struct fixture *f, enum lab_pane pane)
{
	return asock_tcp_state_name(PANE(f, pane).view.tcp_state);
}

/* Let the loop run until the pane's socket reaches a TCP state. */
static void
wait_state(struct fixture *f, enum lab_pane pane, const char *want)
{
	int i;

	for (i = 0; i < 30 && strcmp(state(f, pane), want) != 0; i++)
		pump_for(&f->pump, 100);
	assert_string_equal(state(f, pane), want);
}

static int
last_close_err(struct fixture *f, enum lab_pane pane)
{
	(void)pane;
	return PANE(f, pane).err;
}

static void
test_reverse_path(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345");
	keys(f, "8");
	/* The client's record lands at Server-Send; OnSend stays at 1. */
	counts(f, LAB_SEND, 0, 0, 0, 0, 1, 1);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 1);
	keys(f, "9");
	assert_int_equal(PANE(f, LAB_SEND).received_len, 5 +
	    LAB_RECORD_SIZE);
	assert_memory_equal(PANE(f, LAB_SEND).received, "ping ", 5);
	counts(f, LAB_SEND, 0, 0, 0, 0, 1, 1);
	keys(f, "9");
	assert_int_equal(f->lab.result[LAB_OP_CONN_RECEIVE].err, EAGAIN);
}

static void
test_graceful_close_waits_for_data(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "123456X");
	/* Data first: OnClose waits until the client has read it. */
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_string_equal(state(f, LAB_CLIENT), "CLOSE_WAIT");
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 1, 1);
	assert_int_equal(last_close_err(f, LAB_CLIENT), 0);
	keys(f, "7");
	assert_string_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].brief, "end");
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 1, 1);
	/* Closing the client in turn: Server-Send is long gone. */
	keys(f, "x");
	assert_int_equal(PANE(f, LAB_CLIENT).view.tcp_state, -1);
}

static void
test_client_close_seen_by_server_send(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345x");
	counts(f, LAB_SEND, 0, 1, 0, 0, 0, 1);
	assert_string_equal(state(f, LAB_SEND), "CLOSE_WAIT");
	/* Sending into a closed peer: the first send works, then RST. */
	keys(f, "6");
	keys(f, "6");
	assert_int_equal(f->lab.result[LAB_OP_CONN_SEND].err, EPIPE);
}

static void
test_half_close_both_ways(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345h");
	counts(f, LAB_SEND, 0, 1, 0, 0, 0, 1);
	/* FIN_WAIT1 until the peer's delayed ACK; the view follows. */
	wait_state(f, LAB_CLIENT, "FIN_WAIT2");
	assert_string_equal(state(f, LAB_SEND), "CLOSE_WAIT");
	/* The half-closed client still receives, but cannot send. */
	keys(f, "67");
	assert_true(lab_outcome_ok(
	    f->lab.result[LAB_OP_CLIENT_RECEIVE].outcome));
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	keys(f, "8");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_SEND].err, EPIPE);
	assert_int_equal(PANE(f, LAB_CLIENT).err, EPIPE);
	/* The other way round: Server-Send shuts down too. */
	keys(f, "H");
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 1, 1);
	assert_int_equal(last_close_err(f, LAB_CLIENT), EPIPE);
}

static void
test_half_close_from_server_send(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "123456H");
	/* The record is unread: OnClose waits behind it. */
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 1, 1);
	assert_int_equal(PANE(f, LAB_CLIENT).err, 0);
	/* Server-Send can still receive what the client sends. */
	keys(f, "89");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_CONN_RECEIVE].outcome));
	keys(f, "6");
	assert_int_equal(f->lab.result[LAB_OP_CONN_SEND].err, EPIPE);
}

static void
test_abortive_close(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345Z");
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 0, 1);
	assert_int_equal(PANE(f, LAB_CLIENT).err, ECONNRESET);
	assert_string_equal(state(f, LAB_CLIENT), "CLOSE");
	/* The reset is still there for the next receive to report. */
	keys(f, "7");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].err, ECONNRESET);
	keys(f, "r12345z");
	counts(f, LAB_SEND, 0, 1, 0, 0, 0, 1);
	assert_int_equal(PANE(f, LAB_SEND).err, ECONNRESET);
}

static void
test_listener_close_resets_queued(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "1234");
	assert_int_equal(PANE(f, LAB_SERVER).view.accept_queue, 1);
	assert_int_equal(PANE(f, LAB_SERVER).view.backlog, LAB_BACKLOG);
	keys(f, "L");
	assert_non_null(strstr(f->lab.result[LAB_OP_SERVER_CLOSE].detail,
	    "1 connection"));
	counts(f, LAB_CLIENT, 0, 1, 1, 0, 0, 1);
	assert_int_equal(PANE(f, LAB_CLIENT).err, ECONNRESET);
	/* With the listener gone, a new connect is refused. */
	keys(f, "L");
	assert_non_null(strstr(f->lab.result[LAB_OP_SERVER_CLOSE].detail,
	    "press 1"));
}

static void
test_urgent_byte(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345U");
	counts(f, LAB_CLIENT, 0, 0, 1, 1, 0, 1);
	assert_true(PANE(f, LAB_CLIENT).view.urgent);
	keys(f, "u");
	assert_true(lab_outcome_ok(
	    f->lab.result[LAB_OP_CLIENT_READ_URGENT].outcome));
	assert_int_equal(PANE(f, LAB_CLIENT).received[0], 'A');
	/* Reading it re-enabled the notification. */
	keys(f, "U");
	counts(f, LAB_CLIENT, 0, 0, 1, 2, 0, 1);
	keys(f, "u");
	assert_int_equal(PANE(f, LAB_CLIENT).received[0], 'B');
	keys(f, "u");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_READ_URGENT].err, EINVAL);
	/* Not re-enabled, a second urgent byte is not announced... */
	keys(f, "UU");
	counts(f, LAB_CLIENT, 0, 0, 1, 3, 0, 1);
	/* ...and only one survives: the newer. */
	keys(f, "u");
	assert_int_equal(PANE(f, LAB_CLIENT).received[0], 'D');
	keys(f, "7");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].err, EAGAIN);
}

static void
test_fill_then_drain(void **state_)
{
	struct fixture *f = *state_;
	int i;

	keys(f, "12345F");
	assert_int_equal(PANE(f, LAB_SEND).err, EAGAIN);
	assert_string_equal(f->lab.result[LAB_OP_CONN_FILL].brief, "full");
	assert_int_equal(f->lab.result[LAB_OP_CONN_FILL].outcome, LAB_FILLED);
	assert_true(PANE(f, LAB_SEND).view.outq > 0);
	assert_true(PANE(f, LAB_CLIENT).view.inq > 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	/* The client drains; room frees; OnSend fires exactly once more. */
	for (i = 0; i < 50 && PANE(f, LAB_SEND).counts[ASOCK_ON_SEND] < 2;
	    i++)
		keys(f, "d");
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 2);
	keys(f, "dd");
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 2);
}

static void
test_kernel_view_lifecycle(void **state_)
{
	struct fixture *f = *state_;
	const struct lab_sock *c;

	assert_int_equal(PANE(f, LAB_SERVER).view.tcp_state, -1);
	keys(f, "1");
	assert_string_equal(state(f, LAB_SERVER), "CLOSE");
	keys(f, "2");
	assert_string_equal(state(f, LAB_SERVER), "LISTEN");
	assert_int_equal(PANE(f, LAB_SERVER).view.accept_queue, 0);
	keys(f, "34");
	c = &PANE(f, LAB_CLIENT);
	/* Established before anyone accepted. */
	assert_string_equal(state(f, LAB_CLIENT), "ESTABLISHED");
	assert_true(c->view.have_peer);
	assert_int_equal(addr_port((struct sockaddr *)&c->view.peer),
	    addr_port((struct sockaddr *)&f->lab.server_addr));
	assert_int_equal(PANE(f, LAB_SERVER).view.accept_queue, 1);
	keys(f, "56");
	assert_int_equal(PANE(f, LAB_SERVER).view.accept_queue, 0);
	assert_int_equal(c->view.inq, LAB_RECORD_SIZE);
	assert_true(c->view.readable);
	assert_true(c->view.writable);
	keys(f, "7");
	assert_int_equal(c->view.inq, 0);
	assert_false(c->view.readable);
	keys(f, "h");
	wait_state(f, LAB_CLIENT, "FIN_WAIT2");
	assert_string_equal(state(f, LAB_SEND), "CLOSE_WAIT");
	keys(f, "X");
	assert_int_equal(PANE(f, LAB_SEND).view.tcp_state, -1);
}

static int
has_line(struct fixture *f, const char *needle)
{
	unsigned long n;
	const struct lab_line *l;

	for (n = 0; n < f->lab.nlines; n++)
		if ((l = lab_line(&f->lab, n)) != NULL &&
		    strstr(l->text, needle) != NULL)
			return 1;
	return 0;
}

static void
test_transcript_of_the_walkthrough(void **state_)
{
	struct fixture *f = *state_;
	static const char *want[] = {
		"key 1: Server Create",
		"socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK) = ",
		"bind(", ", 127.0.0.1:0) = 0",
		", 5) = 0",				/* listen */
		") = -1 EINPROGRESS",			/* connect */
		"EV_READ on a listener: a connection waits -> OnAccept(0)",
		"EV_WRITE, SO_ERROR = 0 -> OnConnect(0)",
		"EV_WRITE, room to send -> OnSend(0)",
		"accept(",
		", 13) = 13",				/* send */
		"EV_READ, 13 bytes queued -> OnReceive(0)",
		"recv(",
		"key 7: Client Receive",
	};
	const struct lab_line *l;
	size_t i;

	keys(f, "1234567");
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!has_line(f, want[i]))
			fail_msg("no transcript line with \"%s\"", want[i]);
	/* Timestamps only move forward. */
	for (i = 1; i < f->lab.nlines; i++) {
		l = lab_line(&f->lab, i);
		assert_false(timercmp(&l->tv, &lab_line(&f->lab, i - 1)->tv,
		    <));
	}
	/* Refusals are in the transcript too. */
	keys(f, "r6");
	assert_true(has_line(f, "not now: no accepted connection yet"));
}

static void
test_transcript_ring_keeps_the_newest(void **state_)
{
	struct fixture *f = *state_;
	int i;

	for (i = 0; i < 300; i++)
		keys(f, "7");
	assert_true(f->lab.nlines > LAB_TRANSCRIPT);
	assert_null(lab_line(&f->lab, 0));
	assert_non_null(lab_line(&f->lab, f->lab.nlines - 1));
	assert_null(lab_line(&f->lab, f->lab.nlines));
}

static void
test_auto_mode(void **state_)
{
	struct fixture *f = *state_;
	const struct lab_sock *c;
	int i;

	keys(f, "1234");
	c = &PANE(f, LAB_CLIENT);
	/* OnAccept was delivered before auto mode: it catches up. */
	keys(f, "a");
	assert_true(f->lab.auto_mode);
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_ACCEPT].outcome));
	/* Server-Send sends each second; the client receives on its own. */
	for (i = 0; i < 10 && c->counts[ASOCK_ON_RECEIVE] < 3; i++)
		pump_for(&f->pump, 1000);
	assert_true(c->counts[ASOCK_ON_RECEIVE] >= 3);
	lab_look(&f->lab);
	assert_true(c->have_received);
	assert_time_record(c->received, c->received_len);
	assert_int_equal(c->view.inq, 0);
	/* The reverse path too: OnReceive at Server-Send reads the line. */
	keys(f, "8");
	assert_true(PANE(f, LAB_SEND).have_received);
	assert_memory_equal(PANE(f, LAB_SEND).received, "ping ", 5);
	/* Back to manual: the timer stops, state stays. */
	keys(f, "a");
	assert_false(f->lab.auto_mode);
	assert_false(evtimer_pending(f->lab.auto_timer, NULL));
	i = (int)c->counts[ASOCK_ON_RECEIVE];
	keys(f, "6");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, (unsigned)i + 1, 1);
	assert_int_equal(c->view.inq, LAB_RECORD_SIZE);
}

static void
test_auto_mode_closes_on_close(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345a");
	keys(f, "x");
	/* Server-Send saw OnClose and closed itself, as a program would. */
	assert_int_equal(PANE(f, LAB_SEND).counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(PANE(f, LAB_SEND).view.tcp_state, -1);
	keys(f, "a");
}

/*
 * Fill the Server-Send socket from the client in auto mode and wait until
 * Server-Send has read it all; returns how many bytes the fill sent.
 */
static unsigned long
auto_flood(struct fixture *f)
{
	unsigned long total = 0;
	int fd, i;

	keys(f, "12345a");
	keys(f, "f");
	assert_int_equal(sscanf(f->lab.result[LAB_OP_CLIENT_FILL].detail,
	    "send(%d, 16384 bytes) repeated: %lu bytes", &fd, &total), 2);
	assert_true(total > 64 * 100);
	for (i = 0; i < 50 && PANE(f, LAB_SEND).bytes_read < total; i++)
		pump_for(&f->pump, 100);
	lab_look(&f->lab);
	assert_int_equal(PANE(f, LAB_SEND).bytes_read, total);
	return total;
}

/* Transcript lines since line from that contain text. */
static unsigned long
lines_with(struct fixture *f, unsigned long from, const char *text)
{
	const struct lab_line *l;
	unsigned long n = 0;

	for (; from < f->lab.nlines; from++)
		if ((l = lab_line(&f->lab, from)) != NULL &&
		    strstr(l->text, text) != NULL)
			n++;
	return n;
}

static void
test_auto_mode_sums_up_a_flood(void **state_)
{
	struct fixture *f = *state_;
	unsigned long total, before = f->lab.nlines, rcv;

	total = auto_flood(f);
	/* Every byte was read 64 at a time, one recv per OnReceive. */
	rcv = PANE(f, LAB_SEND).counts[ASOCK_ON_RECEIVE];
	assert_true(rcv >= (total + 63) / 64);
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_CONN_RECEIVE].outcome));
	/*
	 * Most of them went by without a line each: the runs are summed up
	 * and their counts add up to the notifications.
	 */
	assert_true(f->lab.nlines - before < rcv / 4);
	assert_true(lines_with(f, before, "more OnReceive, each answered "
	    "by recv") >= 1);
	/* A look leaves no row quiet. */
	assert_int_equal(PANE(f, LAB_SEND).run, 0);
	assert_int_equal(PANE(f, LAB_SEND).reported, 0);
	assert_int_equal(PANE(f, LAB_SEND).view.inq, 0);
}

static void
test_auto_mode_logs_every_receive(void **state_)
{
	struct fixture *f = *state_;
	unsigned long before = f->lab.nlines, rcv;

	/* --log keeps every line, so every receive is written out. */
	f->lab.log = tmpfile();
	assert_non_null(f->lab.log);
	auto_flood(f);
	rcv = PANE(f, LAB_SEND).counts[ASOCK_ON_RECEIVE];
	assert_int_equal(lines_with(f, before, "more OnReceive"), 0);
	/* The ring holds the last lines; the log has them all. */
	assert_true(f->lab.nlines - before > 3 * rcv);
	fclose(f->lab.log);
	f->lab.log = NULL;
}

static void
test_no_timer_when_idle(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "1234567");
	assert_false(evtimer_pending(f->lab.tick, NULL));
	assert_false(evtimer_pending(f->lab.auto_timer, NULL));
	keys(f, "hX");
	assert_false(evtimer_pending(f->lab.tick, NULL));
}

/* Row i of a list, for the multi-connection tests. */
static const struct lab_sock *
row(struct fixture *f, enum lab_pane pane, size_t i)
{
	assert_true(i < lab_rows(&f->lab, pane));
	return lab_row(&f->lab, pane, i);
}

static void
test_many_clients_and_connections(void **state_)
{
	struct fixture *f = *state_;
	size_t i;

	/* Three clients, each accepted into a Server-Send row of its own. */
	keys(f, "12345n45n45");
	assert_int_equal(lab_rows(&f->lab, LAB_CLIENT), 3);
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 3);
	assert_int_equal(lab_open_conns(&f->lab), 3);
	/* The newest of each is selected; ids count 1, 2, 3. */
	assert_int_equal(PANE(f, LAB_SEND).id, 3);
	assert_int_equal(PANE(f, LAB_CLIENT).id, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(row(f, LAB_CLIENT, i)->counts[ASOCK_ON_CONNECT],
		    1);
		/* Each connection's peer is the client of the same number. */
		assert_int_equal(addr_port((const struct sockaddr *)
		    &row(f, LAB_SEND, i)->view.peer), addr_port(
		    (const struct sockaddr *)&row(f, LAB_CLIENT, i)->view.local));
	}
	/* k moves Server-Send up: 6 goes to client 2 only. */
	keys(f, "k6");
	assert_int_equal(PANE(f, LAB_SEND).id, 2);
	assert_int_equal(row(f, LAB_CLIENT, 1)->counts[ASOCK_ON_RECEIVE], 1);
	assert_int_equal(row(f, LAB_CLIENT, 0)->counts[ASOCK_ON_RECEIVE], 0);
	assert_int_equal(row(f, LAB_CLIENT, 2)->counts[ASOCK_ON_RECEIVE], 0);
	/* C picks client 2, whose 7 reads that record. */
	keys(f, "C7");
	assert_int_equal(PANE(f, LAB_CLIENT).id, 2);
	assert_true(PANE(f, LAB_CLIENT).have_received);
	assert_time_record(PANE(f, LAB_CLIENT).received,
	    PANE(f, LAB_CLIENT).received_len);
	/* b sends to all three. */
	keys(f, "b");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_SEND_ALL].outcome));
	assert_non_null(strstr(f->lab.result[LAB_OP_SEND_ALL].detail,
	    "each of 3"));
	for (i = 0; i < 3; i++)
		assert_true(row(f, LAB_CLIENT, i)->view.inq > 0);
	/* Selections wrap around. */
	keys(f, "jj");
	assert_int_equal(PANE(f, LAB_SEND).id, 1);
	keys(f, "cc");
	assert_int_equal(PANE(f, LAB_CLIENT).id, 1);
}

/*
 * Each row keeps its own step results: a client made with n shows "-"
 * for 4 Connect, not the ECONNABORTED of the first client's retry.
 */
static void
test_rows_keep_their_results(void **state_)
{
	struct fixture *f = *state_;
	const struct lab_mark *m;

	keys(f, "134");		/* refused: nobody listens */
	keys(f, "24");		/* Linux reports the failure once more */
	m = lab_mark(row(f, LAB_CLIENT, 0), LAB_OP_CONNECT);
	assert_int_not_equal(m->outcome, LAB_UNTRIED);
	assert_int_equal(m->err, ECONNABORTED);
	assert_string_equal(m->brief, "ECONNABORTED");
	keys(f, "n");
	assert_int_equal(PANE(f, LAB_CLIENT).id, 2);
	m = lab_mark(row(f, LAB_CLIENT, 1), LAB_OP_CONNECT);
	assert_int_equal(m->outcome, LAB_UNTRIED);
	assert_int_equal(m->err, 0);
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_CLIENT, 1),
	    LAB_OP_NEW_CLIENT)->outcome));
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_CLIENT, 1),
	    LAB_OP_CLIENT_CREATE)->outcome));
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_CLIENT, 0),
	    LAB_OP_CLIENT_CREATE)->outcome));
	m = lab_mark(row(f, LAB_CLIENT, 0), LAB_OP_CONNECT);
	assert_int_not_equal(m->outcome, LAB_UNTRIED);
	assert_string_equal(m->brief, "ECONNABORTED");
	/* The lab-wide last result stays, with its sentence. */
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_NEW_CLIENT].outcome));
	assert_int_equal(f->lab.result[LAB_OP_CONNECT].err, ECONNABORTED);
	/* Connections too: 9 on row 1 leaves row 2's 9 untried. */
	keys(f, "4C4556");
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_SEND, 1),
	    LAB_OP_CONN_SEND)->outcome));
	assert_int_equal(lab_mark(row(f, LAB_SEND, 0),
	    LAB_OP_CONN_SEND)->outcome, LAB_UNTRIED);
	keys(f, "k9");
	assert_int_equal(lab_mark(row(f, LAB_SEND, 0),
	    LAB_OP_CONN_RECEIVE)->err, EAGAIN);
	assert_int_equal(lab_mark(row(f, LAB_SEND, 1),
	    LAB_OP_CONN_RECEIVE)->outcome, LAB_UNTRIED);
	/* b sends on every row: each row's 6 says so. */
	keys(f, "b");
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_SEND, 0),
	    LAB_OP_CONN_SEND)->outcome));
	/* A step of another pane is never tried on a row. */
	assert_int_equal(lab_mark(row(f, LAB_SEND, 0), LAB_OP_CONNECT)->outcome,
	    LAB_UNTRIED);
	/* r forgets them all. */
	keys(f, "r");
	assert_int_equal(lab_mark(&PANE(f, LAB_SERVER),
	    LAB_OP_SERVER_CREATE)->outcome, LAB_UNTRIED);
	assert_int_equal(lab_mark(&PANE(f, LAB_CLIENT),
	    LAB_OP_CONNECT)->outcome, LAB_UNTRIED);
}

/*
 * lab_do runs a step on the row it is given, not only the selected one,
 * and leaves the selection alone; a row or an op that does not exist is
 * refused with -1 and nothing written.
 */
/* A front end whose Accept key is K; the other keys as bound. */
static const char *
key_name_k(enum lab_op op)
{
	return op == LAB_OP_ACCEPT ? "K" : bind_op_name(op);
}

/*
 * The model knows no keys: a sentence that says what to press names the
 * key as lab_config.key_name does, and the op itself when there is none.
 */
static void
test_key_names_from_front_end(void **state)
{
	struct fixture *f = *state;
	const struct lab_result *r = &f->lab.result[LAB_OP_CONN_SEND];

	f->lab.cfg.key_name = key_name_k;
	keys(f, "6");
	assert_string_equal(r->detail,
	    "no accepted connection yet: press K (Accept) first");
	assert_non_null(strstr(f->lab.explain, "press K (Accept) first"));
	keys(f, "1234");	/* OnAccept: its paragraph names accept's key */
	assert_non_null(strstr(f->lab.explain, "Call accept (K) to take it"));

	f->lab.cfg.key_name = NULL;
	keys(f, "6");
	assert_string_equal(r->detail,
	    "no accepted connection yet: press Accept (Accept) first");
	keys(f, "x");
	assert_int_equal(lab_do(&f->lab, LAB_OP_NEW_CLIENT, LAB_ROW_SELECTED),
	    0);
	assert_non_null(strstr(f->lab.explain, "Press Connect to connect it."));
}

static void
test_do_on_a_row(void **state_)
{
	struct fixture *f = *state_;
	unsigned long lines;

	keys(f, "12345n45");	/* client #1 <-> Server-Send #1, #2 <-> #2 */
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	assert_int_equal(lab_selected(&f->lab, LAB_SEND), 1);
	assert_int_equal(lab_selected(&f->lab, LAB_CLIENT), 1);

	lines = f->lab.nlines;
	assert_int_equal(lab_do(&f->lab, LAB_OP_CONN_SEND, 2), -1);
	assert_int_equal(lab_do(&f->lab, LAB_OP_CLIENT_RECEIVE, 2), -1);
	assert_int_equal(lab_do(&f->lab, LAB_OP_LISTEN, 1), -1);
	assert_int_equal(lab_do(&f->lab, LAB_OPS, LAB_ROW_SELECTED), -1);
	assert_int_equal(f->lab.nlines, lines);
	assert_int_equal(lab_mark(row(f, LAB_SEND, 0), LAB_OP_CONN_SEND)->
	    outcome, LAB_UNTRIED);

	/* Server-Send #1 sends, though #2 is selected. */
	assert_int_equal(lab_do(&f->lab, LAB_OP_CONN_SEND, 0), 0);
	pump_run(&f->pump);
	lab_look(&f->lab);
	assert_int_equal(lab_selected(&f->lab, LAB_SEND), 1);
	assert_true(lab_outcome_ok(lab_mark(row(f, LAB_SEND, 0),
	    LAB_OP_CONN_SEND)->outcome));
	assert_int_equal(lab_mark(row(f, LAB_SEND, 1), LAB_OP_CONN_SEND)->
	    outcome, LAB_UNTRIED);
	assert_int_equal(row(f, LAB_CLIENT, 0)->counts[ASOCK_ON_RECEIVE], 1);
	assert_int_equal(row(f, LAB_CLIENT, 1)->counts[ASOCK_ON_RECEIVE], 0);

	/* Client #1 reads it, though #2 is selected. */
	assert_int_equal(lab_do(&f->lab, LAB_OP_CLIENT_RECEIVE, 0), 0);
	pump_run(&f->pump);
	lab_look(&f->lab);
	assert_int_equal(lab_selected(&f->lab, LAB_CLIENT), 1);
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].outcome, LAB_OK);
	assert_true(row(f, LAB_CLIENT, 0)->have_received);
	assert_time_record(row(f, LAB_CLIENT, 0)->received,
	    row(f, LAB_CLIENT, 0)->received_len);
	assert_false(row(f, LAB_CLIENT, 1)->have_received);
	assert_int_equal(lab_mark(row(f, LAB_CLIENT, 1),
	    LAB_OP_CLIENT_RECEIVE)->outcome, LAB_UNTRIED);
}

/* Every step of a pane has a place of its own in a row. */
static void
test_row_marks_fit(void **state_)
{
	struct fixture *f = *state_;
	const struct lab_sock *p;
	int d, e;

	for (d = 0; d < LAB_OP_STEPS; d++) {
		p = lab_sel(&f->lab, lab_op_pane(d));
		for (e = 0; e < LAB_OP_STEPS; e++)
			if (e != d && lab_op_pane(e) == lab_op_pane(d))
				assert_ptr_not_equal(lab_mark(p, d),
				    lab_mark(p, e));
	}
}

/*
 * 4 Connect follows its outcome as the seed's dialog does: OK once
 * OnConnect says so, or OnConnect's error. The error row keeps the
 * call's own EINPROGRESS and says it was connect's.
 */
static void
test_connect_status_follows_outcome(void **state_)
{
	struct fixture *f = *state_;
	const struct lab_mark *m;

	keys(f, "1234");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 1);
	m = lab_mark(&PANE(f, LAB_CLIENT), LAB_OP_CONNECT);
	assert_true(lab_outcome_ok(m->outcome));
	assert_int_equal(m->err, 0);
	assert_string_equal(m->brief, "OK");
	/* The status line keeps what the call returned. */
	assert_string_equal(f->lab.result[LAB_OP_CONNECT].brief, "in progress");
	assert_int_equal(PANE(f, LAB_CLIENT).err, EINPROGRESS);
	assert_string_equal(PANE(f, LAB_CLIENT).err_from, "connect");
	/* A refused connect: OnConnect's error, and that it was OnConnect's. */
	keys(f, "r134");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 0);
	m = lab_mark(&PANE(f, LAB_CLIENT), LAB_OP_CONNECT);
	assert_false(lab_outcome_ok(m->outcome));
	assert_int_equal(m->err, ECONNREFUSED);
	assert_string_equal(m->brief, "ECONNREFUSED");
	assert_int_equal(PANE(f, LAB_CLIENT).err, ECONNREFUSED);
	assert_string_equal(PANE(f, LAB_CLIENT).err_from, "OnConnect");
	/* A step that fails names its call; one that succeeds clears it. */
	keys(f, "r12345");
	keys(f, "7");
	assert_string_equal(PANE(f, LAB_CLIENT).err_from, "recv");
	assert_int_equal(PANE(f, LAB_CLIENT).err, EAGAIN);
	keys(f, "8");
	assert_int_equal(PANE(f, LAB_CLIENT).err, 0);
	assert_string_equal(PANE(f, LAB_CLIENT).err_from, "");
}

static void
test_over_max_conns_closed_at_once(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "12345n45n4");
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	/* The third is accepted and closed: its client sees OnClose(0). */
	keys(f, "5");
	assert_false(lab_outcome_ok(f->lab.result[LAB_OP_ACCEPT].outcome));
	assert_string_equal(f->lab.result[LAB_OP_ACCEPT].brief, "full");
	assert_int_equal(f->lab.result[LAB_OP_ACCEPT].outcome, LAB_OVER_LIMIT);
	assert_non_null(strstr(f->lab.result[LAB_OP_ACCEPT].detail,
	    "--max-conns"));
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	assert_int_equal(PANE(f, LAB_CLIENT).id, 3);
	assert_int_equal(PANE(f, LAB_CLIENT).counts[ASOCK_ON_CLOSE], 1);
	assert_int_not_equal(PANE(f, LAB_CLIENT).err, ECONNRESET);
	/* A closed row makes room: the next connection reuses its place. */
	keys(f, "X");
	assert_int_equal(lab_open_conns(&f->lab), 1);
	keys(f, "n45");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_ACCEPT].outcome));
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	assert_int_equal(lab_open_conns(&f->lab), 2);
	assert_int_equal(PANE(f, LAB_SEND).id, 3);
}

/*
 * Out of descriptors: accept fails with EMFILE, the connection stays
 * queued and OnAccept is not re-enabled (it would fire without end); once
 * descriptors are free the next accept works and the listener goes on.
 */
static void
test_accept_survives_emfile(void **state_)
{
	struct fixture *f = *state_;
	struct rlimit old, low;
	unsigned long before;
	int fd;

	keys(f, "12345n4");
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* A new descriptor takes the lowest free number: allow below it. */
	assert_true((fd = dup(0)) != -1);
	close(fd);
	low = old;
	low.rlim_cur = (rlim_t)fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	keys(f, "5");
	assert_int_equal(f->lab.result[LAB_OP_ACCEPT].err, EMFILE);
	assert_non_null(strstr(f->lab.result[LAB_OP_ACCEPT].detail,
	    "no descriptor"));
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 1);
	assert_int_equal(PANE(f, LAB_SERVER).view.accept_queue, 1);
	/* No OnAccept storm while the connection waits. */
	before = PANE(f, LAB_SERVER).counts[ASOCK_ON_ACCEPT];
	pump_for(&f->pump, 100);
	assert_int_equal(PANE(f, LAB_SERVER).counts[ASOCK_ON_ACCEPT], before);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	keys(f, "5");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_ACCEPT].outcome));
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 2);
	/* And the listener still announces the next one. */
	keys(f, "n4");
	assert_int_equal(PANE(f, LAB_SERVER).counts[ASOCK_ON_ACCEPT],
	    before + 1);
}

static void
test_ipv6_walkthrough(void **state_)
{
	struct fixture *f = *state_;

	keys(f, "1234567");
	assert_int_equal(f->lab.server_addr.ss_family, AF_INET6);
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_time_record(PANE(f, LAB_CLIENT).received,
	    PANE(f, LAB_CLIENT).received_len);
	assert_int_equal(PANE(f, LAB_CLIENT).view.local.ss_family, AF_INET6);
}

/* A server role on "::" takes IPv4 clients too (v6only 0). */
static int
setup_server_role(void **state)
{
	struct fixture *f;

	setup_lab(state, LAB_ROLE_SERVER, "::", 0, LAB_CONNS_DEFAULT);
	f = *state;
	f->lab.cfg.v6only = 0;
	return 0;
}

static void
test_server_role(void **state_)
{
	struct fixture *f = *state_;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	keys(f, "12");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_LISTEN].outcome));
	assert_non_null(strstr(f->lab.result[LAB_OP_SERVER_CREATE].detail,
	    "127.0.0.1:"));
	/* The client steps belong to tcpstep -c. */
	keys(f, "3");
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_CREATE].outcome,
	    LAB_NOT_NOW);
	assert_non_null(strstr(f->lab.result[LAB_OP_CLIENT_CREATE].detail,
	    "tcpstep -c"));
	/* A plain IPv4 client, as a student's machine would connect. */
	addr_parse("127.0.0.1", addr_port((struct sockaddr *)
	    &f->lab.server_addr), &ss, &len);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(send(fd, "hi\n", 3, 0), 3);
	pump_run(&f->pump);
	keys(f, "59");
	assert_true(lab_outcome_ok(f->lab.result[LAB_OP_CONN_RECEIVE].outcome));
	assert_int_equal(PANE(f, LAB_SEND).received_len, 3);
	assert_memory_equal(PANE(f, LAB_SEND).received, "hi\n", 3);
	close(fd);
}

static int
setup_client_role(void **state)
{
	return setup_lab(state, LAB_ROLE_CLIENT, "localhost", 9, 1);
}

/* /etc/hosts answers without a name server, in the loop. */
static void
test_client_role_resolves(void **state_)
{
	struct fixture *f = *state_;
	int i;

	for (i = 0; i < 100 && f->lab.resolve_pending; i++)
		pump_for(&f->pump, 50);
	assert_false(f->lab.resolve_pending);
	assert_int_equal(f->lab.resolve_err, 0);
	assert_true(f->lab.have_target);
	assert_int_equal(addr_port((struct sockaddr *)&f->lab.target), 9);
	assert_non_null(strstr(f->lab.resolved, "localhost -> "));
	/* Port 9 has no listener: the connect is refused, explained. */
	keys(f, "34");
	for (i = 0; i < 40 && PANE(f, LAB_CLIENT).counts[ASOCK_ON_CONNECT] == 0;
	    i++)
		pump_for(&f->pump, 50);
	assert_int_equal(PANE(f, LAB_CLIENT).err, ECONNREFUSED);
	keys(f, "1");
	assert_int_equal(f->lab.result[LAB_OP_SERVER_CREATE].outcome,
	    LAB_NOT_NOW);
}

/*
 * 6 6 7 7 7 under the two notification models (tcpstep(1), KEYS, m):
 * Winsock's one-shot OnReceive waits for the receive and comes again
 * because a record remains; edge-triggered fires on each arrival, and
 * reports the socket writable (OnSend) on each wakeup.
 */
static void
models_six_six_seven(struct fixture *f, int edge)
{
	const struct lab_sock *c;

	if (edge)
		keys(f, "m");
	assert_int_equal(f->lab.edge, edge);
	keys(f, "12345");
	c = &PANE(f, LAB_CLIENT);
	assert_int_equal(c->counts[ASOCK_ON_SEND], 1);
	keys(f, "66");
	assert_int_equal(c->counts[ASOCK_ON_RECEIVE], edge ? 2 : 1);
	if (edge)
		assert_true(c->counts[ASOCK_ON_SEND] > 1);
	else
		assert_int_equal(c->counts[ASOCK_ON_SEND], 1);
	keys(f, "7");
	assert_int_equal(c->counts[ASOCK_ON_RECEIVE], 2);
	/* The Explain area says what recv re-enables under this model. */
	assert_non_null(strstr(f->lab.explain, edge ? "re-enables nothing" :
	    "re-enables OnReceive"));
	keys(f, "77");
	assert_int_equal(c->counts[ASOCK_ON_RECEIVE], 2);
	assert_int_equal(f->lab.result[LAB_OP_CLIENT_RECEIVE].err, EAGAIN);
	assert_non_null(strstr(f->lab.explain, "EAGAIN"));
}

static void
test_model_winsock(void **state_)
{
	models_six_six_seven(*state_, 0);
}

static void
test_model_edge(void **state_)
{
	models_six_six_seven(*state_, 1);
}

/*
 * The accept text says the accepted socket's TCP_INFO counts begin with
 * the handshake done: the listener sent the SYN-ACK, so the new socket's
 * out count starts at 0 while the client has sent 2 (SYN, ACK).
 */
static void
test_accepted_socket_segments(void **state_)
{
	struct fixture *f = *state_;
	char buf[LAB_EXPLAIN];

	keys(f, "12345");
	lab_look(&f->lab);
	assert_int_equal(PANE(f, LAB_SEND).view.segs_out, 0);
	assert_int_equal(PANE(f, LAB_CLIENT).view.segs_out, 2);
	assert_true(PANE(f, LAB_CLIENT).view.segs_in >= 1);
	explain_step(&f->lab, LAB_OP_ACCEPT, &PANE(f, LAB_SERVER),
	    &f->lab.result[LAB_OP_ACCEPT],
	    buf, sizeof buf);
	assert_non_null(strstr(buf, "its out count starts at 0 while the "
	    "client's is 2 (SYN, ACK)"));
}

/* The number of the last transcript line that contains text, or -1. */
static long
last_line_with(struct fixture *f, const char *text)
{
	const struct lab_line *l;
	unsigned long n;

	for (n = f->lab.nlines; n-- > 0;)
		if ((l = lab_line(&f->lab, n)) != NULL &&
		    strstr(l->text, text) != NULL)
			return (long)n;
	return -1;
}

/*
 * The client closes before the server accepts: the accepted socket is in
 * CLOSE_WAIT, can still send, and gets OnSend and then OnClose(0).
 */
static void
accept_after_client_closed(struct fixture *f, const char *k)
{
	long acc, snd, cls;

	keys(f, k);
	assert_int_equal(PANE(f, LAB_SEND).counts[ASOCK_ON_SEND], 1);
	assert_int_equal(PANE(f, LAB_SEND).counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(PANE(f, LAB_SEND).err, 0);
	acc = last_line_with(f, "accept(");
	snd = last_line_with(f, "room to send -> OnSend(0)");
	cls = last_line_with(f, "-> OnClose(0)");
	assert_true(acc >= 0);
	assert_true(acc < snd);
	assert_true(snd < cls);
}

static void
test_accept_after_client_closed(void **state_)
{
	accept_after_client_closed(*state_, "1234x5");
}

static void
test_accept_after_client_closed_auto(void **state_)
{
	accept_after_client_closed(*state_, "1234xa");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_walkthrough,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sends_three_receives,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outcomes_say_what_happened,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_before_send,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_before_connect,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_before_listen,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_refusals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_in_the_middle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_resets_leak_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_port_in_use_is_a_step_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_recv_size_shorter_than_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reverse_path,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_graceful_close_waits_for_data, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_client_close_seen_by_server_send, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_close_both_ways,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_half_close_from_server_send, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abortive_close,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_listener_close_resets_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urgent_byte,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_then_drain,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_view_lifecycle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepted_socket_segments,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_transcript_of_the_walkthrough, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_transcript_ring_keeps_the_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_mode,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_auto_mode_closes_on_close, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_auto_mode_sums_up_a_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_auto_mode_logs_every_receive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_timer_when_idle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_many_clients_and_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_keep_their_results,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_do_on_a_row, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_key_names_from_front_end,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_row_marks_fit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_connect_status_follows_outcome, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_over_max_conns_closed_at_once, setup_max2, teardown),
		cmocka_unit_test_setup_teardown(test_accept_survives_emfile,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_walkthrough,
		    setup_ipv6, teardown),
		cmocka_unit_test_setup_teardown(test_server_role,
		    setup_server_role, teardown),
		cmocka_unit_test_setup_teardown(test_client_role_resolves,
		    setup_client_role, teardown),
		cmocka_unit_test_setup_teardown(test_model_winsock,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_model_edge,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_accept_after_client_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_accept_after_client_closed_auto, setup, teardown),
	};

	return cmocka_run_group_tests_name("lab", tests, NULL, NULL);
}
