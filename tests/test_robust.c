/*
 * test_robust.c - the lab where an attack on tcpstep found it stalling or
 * crashing: a start that fails half-way, a server out of descriptors at its
 * connection limit, and auto mode under the edge-triggered model. Real
 * loopback sockets, as in test_lab.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "addr.h"
#include "bind.h"
#include "lab.h"
#include "testutil.h"
#include "testlab.h"

static void
config(struct lab_config *cfg, size_t max_conns)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->role = LAB_ALL_IN_ONE;
	cfg->v6only = -1;
	cfg->recv_size = LAB_RECORD_SIZE;
	cfg->max_conns = max_conns;
	cfg->key_name = bind_op_name;
	assert_int_equal(addr_parse("127.0.0.1", 0, &cfg->bind_addr,
	    &cfg->bind_len), 0);
}

static int
setup_max(void **state, size_t max_conns)
{
	static struct fixture f;
	struct lab_config cfg;

	memset(&f, 0, sizeof f);
	f.base = event_base_new();
	assert_non_null(f.base);
	f.pump.base = f.base;
	config(&cfg, max_conns);
	assert_int_equal(lab_init(&f.lab, f.base, &cfg), 0);
	f.lab.changed = changed;
	f.lab.changed_arg = &f.pump;
	*state = &f;
	return 0;
}

static int
setup(void **state)
{
	return setup_max(state, LAB_CONNS_DEFAULT);
}

static int
setup_max2(void **state)
{
	return setup_max(state, 2);
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

/*
 * A start that fails half-way (here: the connection table cannot be
 * allocated) leaves a lab that lab_free can still take apart.
 */
static void
test_free_after_failed_init(void **state)
{
	struct event_base *base = event_base_new();
	struct lab_config cfg;
	struct lab lab;

	(void)state;
	assert_non_null(base);
	config(&cfg, SIZE_MAX / 4);	/* calloc must refuse this */
	assert_int_equal(lab_init(&lab, base, &cfg), -1);
	lab_free(&lab);
	lab_free(&lab);			/* twice: every free path is safe */
	event_base_free(base);
}

/* A plain client socket, connected (the kernel finishes the handshake). */
static int
peer(const struct lab *lab)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd != -1);
	assert_int_equal(connect(fd, (const struct sockaddr *)&lab->server_addr,
	    lab->server_len), 0);
	return fd;
}

/*
 * At --max-conns with descriptors just enough for the connections, the
 * accept that would close an over-limit connection fails with EMFILE.
 * Once a peer leaves and its descriptor comes back, auto mode must serve
 * the waiting connection: the listener may not stay deaf.
 */
static void
test_emfile_at_the_limit_recovers(void **state)
{
	struct fixture *f = *state;
	struct rlimit old, low;
	int a, b, c, fd;

	keys(f, "12a");
	a = peer(&f->lab);
	b = peer(&f->lab);
	pump_run(&f->pump);
	lab_look(&f->lab);
	assert_int_equal(lab_open_conns(&f->lab), 2);
	/* The third peer's socket first, then no descriptor left at all. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c != -1);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true((fd = dup(0)) != -1);	/* the lowest free number */
	close(fd);
	low = old;
	low.rlim_cur = (rlim_t)fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	assert_int_equal(connect(c, (const struct sockaddr *)
	    &f->lab.server_addr, f->lab.server_len), 0);
	pump_run(&f->pump);
	lab_look(&f->lab);
	assert_int_equal(f->lab.result[LAB_OP_ACCEPT].err, EMFILE);
	assert_int_equal(f->lab.server.view.accept_queue, 1);
	/* A peer leaves; auto mode closes its row and a descriptor is free. */
	close(a);
	pump_run(&f->pump);
	lab_look(&f->lab);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(f->lab.server.view.accept_queue, 0);
	assert_int_equal(lab_open_conns(&f->lab), 2);
	close(b);
	close(c);
	pump_run(&f->pump);
}

/*
 * Auto mode under the edge-triggered model reads until EAGAIN on each
 * OnReceive: a filled pipe is drained, and the close that follows is seen.
 */
static void
test_edge_auto_mode_drains(void **state)
{
	struct fixture *f = *state;
	const struct lab_sock *s;

	keys(f, "12345ma");
	keys(f, "f");
	pump_for(&f->pump, 500);
	lab_look(&f->lab);
	s = lab_sel(&f->lab, LAB_SEND);
	assert_true(s->bytes_read > 100000);
	assert_int_equal(s->view.inq, 0);
	/* The EAGAIN that ends the loop is no error, and Explain says why. */
	assert_int_equal(s->err, 0);
	assert_non_null(strstr(f->lab.explain, "until it said EAGAIN"));
	keys(f, "x");
	pump_for(&f->pump, 300);
	lab_look(&f->lab);
	s = lab_sel(&f->lab, LAB_SEND);
	assert_int_equal(s->counts[ASOCK_ON_CLOSE], 1);
}

/*
 * Auto mode switched on under the edge-triggered model reads what already
 * waits until EAGAIN: no later edge would announce it.
 */
static void
test_edge_auto_mode_catches_up(void **state)
{
	struct fixture *f = *state;
	const struct lab_sock *c;

	keys(f, "12345m66");
	c = lab_sel(&f->lab, LAB_CLIENT);
	assert_int_equal(c->view.inq, 2 * LAB_RECORD_SIZE);
	keys(f, "a");
	c = lab_sel(&f->lab, LAB_CLIENT);
	assert_int_equal(c->view.inq, 0);
	assert_int_equal(c->bytes_read, 2 * LAB_RECORD_SIZE);
	assert_int_equal(c->err, 0);
}

/*
 * A socket whose peer has half-closed (CLOSE_WAIT) can still send, so a
 * send that filled its pipe re-enables OnSend as on any connection, under
 * both models and across a switch of model.
 */
static void
test_close_wait_fill_gets_onsend(void **state)
{
	struct fixture *f = *state;

	keys(f, "12345hFd");
	assert_int_equal(lab_sel(&f->lab, LAB_SEND)->counts[ASOCK_ON_CLOSE], 1);
	assert_int_equal(lab_sel(&f->lab, LAB_SEND)->counts[ASOCK_ON_SEND], 2);
	keys(f, "r12345hFmd");
	assert_true(lab_sel(&f->lab, LAB_SEND)->counts[ASOCK_ON_SEND] >= 2);
}

/*
 * Auto mode switched on answers the notifications already delivered and
 * leaves the rest to the loop: a connection accepted on the way has its
 * queued line read only after its own OnReceive, never without one.
 */
static void
test_auto_catch_up_reads_after_onreceive(void **state)
{
	struct fixture *f = *state;
	const struct lab_sock *s;

	keys(f, "12348");
	keys(f, "a");
	s = lab_sel(&f->lab, LAB_SEND);
	assert_int_equal(lab_rows(&f->lab, LAB_SEND), 1);
	assert_int_equal(s->bytes_read, 5 + LAB_RECORD_SIZE);
	assert_int_equal(s->counts[ASOCK_ON_RECEIVE], 1);
}

/*
 * Auto mode's once-a-second sends stop once no connection is left (a soak
 * whose clients have gone must cost nothing), and start with the next.
 */
static void
test_auto_timer_only_with_connections(void **state)
{
	struct fixture *f = *state;

	keys(f, "12a");
	assert_false(evtimer_pending(f->lab.auto_timer, NULL));
	keys(f, "34");
	assert_true(evtimer_pending(f->lab.auto_timer, NULL));
	keys(f, "X");
	pump_for(&f->pump, 1200);
	assert_int_equal(lab_open_conns(&f->lab), 0);
	assert_false(evtimer_pending(f->lab.auto_timer, NULL));
	keys(f, "n4");
	assert_true(evtimer_pending(f->lab.auto_timer, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_after_failed_init),
		cmocka_unit_test_setup_teardown(
		    test_emfile_at_the_limit_recovers, setup_max2, teardown),
		cmocka_unit_test_setup_teardown(test_edge_auto_mode_drains,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_auto_timer_only_with_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_edge_auto_mode_catches_up, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_close_wait_fill_gets_onsend, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_auto_catch_up_reads_after_onreceive, setup, teardown),
	};

	return cmocka_run_group_tests_name("robust", tests, NULL, NULL);
}
