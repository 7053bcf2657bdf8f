/*
 * test_lab.c - the lab model through whole key sequences: the seed's
 * walkthrough, its suggested experiments, and the out-of-order keys.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "addr.h"
#include "lab.h"
#include "testutil.h"

struct fixture {
	struct event_base	*base;
	struct pump		 pump;
	struct lab		 lab;
};

static void
changed(void *arg)
{
	pump_poke(arg);
}

static int
setup_port(void **state, unsigned port)
{
	static struct fixture f;
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&f, 0, sizeof f);
	f.base = event_base_new();
	assert_non_null(f.base);
	f.pump.base = f.base;
	assert_int_equal(addr_parse("127.0.0.1", port, &ss, &len), 0);
	assert_int_equal(lab_init(&f.lab, f.base, (struct sockaddr *)&ss, len,
	    LAB_RECORD_SIZE), 0);
	f.lab.changed = changed;
	f.lab.changed_arg = &f.pump;
	*state = &f;
	return 0;
}

static int
setup(void **state)
{
	return setup_port(state, 0);
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

/* Press each key, letting the loop deliver what it causes. */
static void
keys(struct fixture *f, const char *k)
{
	for (; *k != '\0'; k++) {
		assert_int_equal(lab_step(&f->lab, *k), 0);
		pump_run(&f->pump);
	}
}

/* Assert one pane's six counters, in the panes' order. */
static void
counts(struct fixture *f, enum lab_pane pane, unsigned acc, unsigned cls,
    unsigned con, unsigned oob, unsigned rcv, unsigned snd)
{
	const unsigned long *c = f->lab.pane[pane].counts;

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
	assert_string_equal(f->lab.result[4].brief, "in progress");
	assert_int_equal(f->lab.pane[LAB_CLIENT].err, EINPROGRESS);
	keys(f, "5");
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	keys(f, "6");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_false(f->lab.have_received);
	keys(f, "7");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_true(f->lab.have_received);
	assert_time_record(f->lab.received, f->lab.received_len);
	assert_int_equal(f->lab.pane[LAB_CLIENT].err, 0);
	assert_true(f->lab.result[7].ok);
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
	assert_int_equal(f->lab.received_len, LAB_RECORD_SIZE);
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 2, 1);
	assert_time_record(f->lab.received, f->lab.received_len);
	keys(f, "7");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 2, 1);
	assert_false(f->lab.result[7].ok);
	assert_int_equal(f->lab.result[7].err, EAGAIN);
	assert_int_equal(f->lab.pane[LAB_CLIENT].err, EAGAIN);
	/* The last successful read is still shown. */
	assert_time_record(f->lab.received, f->lab.received_len);
}

static void
test_receive_before_send(void **state)
{
	struct fixture *f = *state;

	keys(f, "12345");
	keys(f, "7");
	assert_int_equal(f->lab.result[7].err, EAGAIN);
	assert_string_equal(f->lab.result[7].brief, "EAGAIN");
	assert_non_null(strstr(f->lab.result[7].detail, "press 6"));
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 1);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	assert_false(f->lab.have_received);
}

static void
test_accept_before_connect(void **state)
{
	struct fixture *f = *state;

	keys(f, "1235");
	assert_int_equal(f->lab.result[5].err, EAGAIN);
	assert_int_equal(f->lab.pane[LAB_SERVER].err, EAGAIN);
	counts(f, LAB_SERVER, 0, 0, 0, 0, 0, 0);
	assert_null(f->lab.pane[LAB_SEND].sock == NULL ? NULL :
	    (asock_fd(f->lab.pane[LAB_SEND].sock) == -1 ? NULL : "open"));
	/* The accept re-enabled OnAccept: the connect is announced. */
	keys(f, "4");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	keys(f, "5");
	assert_true(f->lab.result[5].ok);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
}

static void
test_connect_before_listen(void **state)
{
	struct fixture *f = *state;

	keys(f, "134");
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 0);
	assert_int_equal(f->lab.pane[LAB_CLIENT].err, ECONNREFUSED);
	counts(f, LAB_SERVER, 0, 0, 0, 0, 0, 0);
	/* Linux reports the failed connect once more, then retries work. */
	keys(f, "24");
	assert_int_equal(f->lab.result[4].err, ECONNABORTED);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 0, 0);
	keys(f, "4");
	assert_string_equal(f->lab.result[4].brief, "in progress");
	counts(f, LAB_CLIENT, 0, 0, 2, 0, 0, 1);
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
}

static void
test_out_of_order_refusals(void **state)
{
	struct fixture *f = *state;
	int fds = count_open_fds();

	keys(f, "2");
	assert_false(f->lab.result[2].ok);
	assert_non_null(strstr(f->lab.result[2].detail, "press 1"));
	keys(f, "4");
	assert_non_null(strstr(f->lab.result[4].detail, "press 3"));
	keys(f, "7");
	assert_non_null(strstr(f->lab.result[7].detail, "press 3"));
	keys(f, "6");
	assert_non_null(strstr(f->lab.result[6].detail,
	    "no accepted connection yet"));
	keys(f, "5");
	assert_non_null(strstr(f->lab.result[5].detail, "press 1"));
	assert_int_equal(count_open_fds(), fds);
	keys(f, "11");
	assert_false(f->lab.result[1].ok);
	assert_non_null(strstr(f->lab.result[1].detail, "already exists"));
	assert_int_equal(count_open_fds(), fds + 1);
	keys(f, "33");
	assert_non_null(strstr(f->lab.result[3].detail, "already exists"));
	keys(f, "2456");
	keys(f, "5");
	assert_non_null(strstr(f->lab.result[5].detail, "press r"));
	/* Connected already: Linux says 0 once, then EISCONN; no OnConnect. */
	keys(f, "4");
	assert_true(f->lab.result[4].ok);
	assert_non_null(strstr(f->lab.result[4].detail, "already connected"));
	keys(f, "4");
	assert_int_equal(f->lab.result[4].err, EISCONN);
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
	assert_false(f->lab.have_received);
	assert_false(f->lab.have_server_addr);
	assert_false(f->lab.result[1].pressed);
	/* The old connection is gone: nothing arrives from it. */
	keys(f, "1234567");
	counts(f, LAB_SERVER, 1, 0, 0, 0, 0, 0);
	counts(f, LAB_SEND, 0, 0, 0, 0, 0, 1);
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 1, 1);
	assert_time_record(f->lab.received, f->lab.received_len);
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
	assert_false(f->lab.result[1].ok);
	assert_int_equal(f->lab.result[1].err, EADDRINUSE);
	assert_int_equal(f->lab.pane[LAB_SERVER].err, EADDRINUSE);
	assert_non_null(strstr(f->lab.result[1].detail, "--port"));
	/* Still usable: press 1 again once the port is free. */
	close(holder);
	keys(f, "1");
	assert_true(f->lab.result[1].ok);
}

static void
test_recv_size_shorter_than_record(void **state)
{
	struct fixture *f = *state;

	f->lab.recv_size = 5;
	keys(f, "12345677");
	assert_int_equal(f->lab.received_len, 5);
	/* The rest stays queued: OnReceive again after each partial read. */
	counts(f, LAB_CLIENT, 0, 0, 1, 0, 3, 1);
	assert_memory_equal(f->lab.received, f->lab.received, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_walkthrough,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sends_three_receives,
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
	};

	return cmocka_run_group_tests_name("lab", tests, NULL, NULL);
}
