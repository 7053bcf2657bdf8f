/*
 * test_wirelab.c - the lab's model of the wire (src/lab_wire.c), fed
 * segments built here: the model's input, as wire.c hands it over. The
 * same against the kernel is tests/wire.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>

#include "explain.h"
#include "lab.h"
#include "lab_wire.h"

#define SPORT	40000
#define CPORT	50000

/* The client's address: 127.0.0.1, or 127.0.0.2 for a second host. */
static uint32_t client_host = INADDR_LOOPBACK;

struct fx {
	struct event_base	*base;
	struct lab		 lab;
	struct timeval		 now;
};

static int
setup(void **state)
{
	static struct fx f;
	struct lab_config cfg;

	memset(&f, 0, sizeof f);
	client_host = INADDR_LOOPBACK;
	f.base = event_base_new();
	assert_non_null(f.base);
	memset(&cfg, 0, sizeof cfg);
	cfg.role = LAB_ALL_IN_ONE;
	cfg.recv_size = LAB_RECORD_SIZE;
	cfg.max_conns = 4;
	assert_int_equal(lab_init(&f.lab, f.base, &cfg), 0);
	lab_wire_set_port(&f.lab, SPORT);
	gettimeofday(&f.now, NULL);
	f.now.tv_sec--;		/* the segments are in the past */
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	lab_free(&f->lab);
	event_base_free(f->base);
	return 0;
}

static void
port_addr(struct sockaddr_storage *ss, unsigned port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof *ss);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* One segment, usec after the last, to the server or back. */
static const struct lab_wire_seg *
seg(struct fx *f, int to_server, uint8_t flags, uint32_t seq, uint32_t ack,
    uint32_t len, uint16_t win, int wscale, long usec)
{
	struct wire_seg w;
	struct sockaddr_in *client;

	memset(&w, 0, sizeof w);
	f->now.tv_usec += usec;
	while (f->now.tv_usec >= 1000000) {
		f->now.tv_usec -= 1000000;
		f->now.tv_sec++;
	}
	w.tv = f->now;
	port_addr(&w.src, to_server ? CPORT : SPORT);
	port_addr(&w.dst, to_server ? SPORT : CPORT);
	client = (struct sockaddr_in *)(to_server ? &w.src : &w.dst);
	client->sin_addr.s_addr = htonl(client_host);
	w.flags = flags;
	w.seq = seq;
	w.ack = ack;
	w.len = len;
	w.win = win;
	w.mss = (flags & WIRE_SYN) ? 65495 : -1;
	w.wscale = wscale;
	lab_wire_in(&w, &f->lab);
	return lab_wire_seg(&f->lab, f->lab.nwsegs - 1);
}

/* The handshake: ISNs 1000 and 5000, window scale 7 both ways. */
static void
handshake(struct fx *f)
{
	seg(f, 1, WIRE_SYN, 1000, 0, 0, 65495, 7, 10);
	seg(f, 0, WIRE_SYN | WIRE_ACK, 5000, 1001, 0, 65483, 7, 10);
	seg(f, 1, WIRE_ACK, 1001, 5001, 0, 512, -1, 10);
}

/* Numbers relative to each ISN; windows scaled, never a SYN's own. */
static void
test_numbers(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;
	char text[200];

	handshake(f);
	s = lab_wire_seg(&f->lab, 0);
	assert_int_equal(s->seq, 0);
	assert_int_equal(s->win, 65495);
	assert_true(s->to_server);
	assert_int_equal(s->conn, CPORT);
	s = lab_wire_seg(&f->lab, 1);
	assert_int_equal(s->seq, 0);
	assert_int_equal(s->ack, 1);
	assert_false(s->to_server);
	s = lab_wire_seg(&f->lab, 2);
	assert_int_equal(s->seq, 1);
	assert_int_equal(s->ack, 1);
	assert_int_equal(s->win, 512 << 7);
	assert_string_equal(lab_wire_text(lab_wire_seg(&f->lab, 1), text,
	    sizeof text), "SYN,ACK seq=0 ack=1 len=0 win=65483 mss=65495 ws=7");
	/* No step yet: nothing expected them. */
	assert_int_equal(s->mark, LAB_WIRE_EXTRA);
}

/*
 * A step whose ladder drew one send of 13 bytes and its ACK: 26 bytes in
 * one segment differ (coalesced), the ACK matches, a second ACK is extra.
 */
static void
test_differs_coalesced(void **state)
{
	struct fx *f = *state;
	struct explain_seg e[2];
	const struct lab_wire_seg *s;
	int i;

	handshake(f);
	memset(e, 0, sizeof e);
	e[0].to_server = 0;
	e[0].flags = WIRE_PSH | WIRE_ACK;
	e[0].len = 13;
	e[1].to_server = 1;
	e[1].flags = WIRE_ACK;
	lab_say_line(&f->lab, "key 6: Server-Send Send");
	lab_wire_group(&f->lab, "6", LAB_OP_CONN_SEND);
	f->now = f->lab.lines[(f->lab.nlines - 1) % LAB_TRANSCRIPT].tv;
	s = seg(f, 0, WIRE_PSH | WIRE_ACK, 5001, 1001, 26, 512, -1, 10);
	/* The step still runs: not compared yet. */
	assert_false(s->settled);
	f->lab.nsteps++;
	for (i = 0; i < 2; i++) {
		f->lab.segs[f->lab.nsegs % LAB_SEGS].op = LAB_OP_CONN_SEND;
		f->lab.segs[f->lab.nsegs % LAB_SEGS].step = f->lab.nsteps;
		f->lab.segs[f->lab.nsegs % LAB_SEGS].seg = e[i];
		f->lab.segs[f->lab.nsegs % LAB_SEGS].wire = ULONG_MAX;
		f->lab.nsegs++;
	}
	f->lab.explain[0] = '\0';
	lab_wire_step_said(&f->lab, f->lab.nsteps);
	assert_true(s->settled);
	assert_int_equal(s->mark, LAB_WIRE_DIFFERS);
	assert_int_equal(s->note, LAB_WIRE_COALESCED);
	assert_string_equal(s->cause, "6");
	assert_int_equal(lab_seg(&f->lab, 0)->wire, f->lab.nwsegs - 1);
	assert_non_null(strstr(f->lab.explain, "Wire: sends coalesced."));
	s = seg(f, 1, WIRE_ACK, 1001, 5027, 0, 512, -1, 10);
	assert_int_equal(s->mark, LAB_WIRE_MATCH);
	s = seg(f, 1, WIRE_ACK, 1001, 5027, 0, 600, -1, 10);
	assert_int_equal(s->mark, LAB_WIRE_EXTRA);
	assert_int_equal(s->note, LAB_WIRE_WINDOW_UPDATE);
}

/* Zero window, a probe one below the edge, a retransmission, an update. */
static void
test_window_notes(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;

	handshake(f);
	seg(f, 0, WIRE_ACK, 5001, 1001, 100, 512, -1, 10);
	s = seg(f, 1, WIRE_ACK, 1001, 5101, 0, 0, -1, 10);
	assert_int_equal(s->note, LAB_WIRE_ZERO_WINDOW);
	s = seg(f, 0, WIRE_ACK, 5100, 1001, 0, 512, -1, 200000);
	assert_int_equal(s->note, LAB_WIRE_PROBE);
	assert_int_equal(s->seq, 100);	/* the edge acknowledged: 101 */
	s = seg(f, 1, WIRE_ACK, 1001, 5101, 0, 4, -1, 10);
	assert_int_equal(s->note, LAB_WIRE_WINDOW_UPDATE);
	assert_int_equal(s->win, 4 << 7);
	s = seg(f, 0, WIRE_ACK, 5001, 1001, 100, 512, -1, 10);
	assert_int_equal(s->note, LAB_WIRE_RETRANSMIT);
	/* A bare ACK 20 ms after the data: delayed. */
	seg(f, 0, WIRE_PSH | WIRE_ACK, 5101, 1001, 10, 512, -1, 10);
	s = seg(f, 1, WIRE_ACK, 1001, 5111, 0, 4, -1, 20000);
	assert_int_equal(s->note, LAB_WIRE_DELAYED_ACK);
	/* Data going back that acknowledges: piggy-backed. */
	seg(f, 0, WIRE_PSH | WIRE_ACK, 5111, 1001, 10, 512, -1, 10);
	s = seg(f, 1, WIRE_PSH | WIRE_ACK, 1001, 5121, 5, 4, -1, 10);
	assert_int_equal(s->note, LAB_WIRE_PIGGYBACK);
}

/* A flood: 64 kept, the rest one summed entry at the look. */
static void
test_flood_summed(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;
	unsigned long i, lines;

	handshake(f);
	for (i = 0; i < 100; i++)
		seg(f, 0, WIRE_ACK, 5001 + i * 10, 1001, 10, 512, -1, 1);
	assert_int_equal(f->lab.nwsegs, LAB_WIRE_BURST);
	lines = f->lab.nlines;
	lab_look(&f->lab);
	assert_int_equal(f->lab.nwsegs, LAB_WIRE_BURST + 1);
	s = lab_wire_seg(&f->lab, LAB_WIRE_BURST);
	assert_int_equal(s->summed, 100 + 3 - LAB_WIRE_BURST);
	assert_int_equal(s->summed_bytes, (100 + 3 - LAB_WIRE_BURST) * 10);
	assert_int_equal(f->lab.nlines, lines + 1);
	assert_non_null(strstr(lab_line(&f->lab, lines)->text,
	    "39 segments"));
	/* And the next ones are kept again. */
	seg(f, 0, WIRE_ACK, 9001, 1001, 10, 512, -1, 1);
	assert_int_equal(f->lab.nwsegs, LAB_WIRE_BURST + 2);
}

/* A segment stamped before lines already written goes in among them. */
static void
test_late_line_sorted(void **state)
{
	struct fx *f = *state;
	unsigned long n;

	struct lab_line *l;

	lab_say_line(&f->lab, "first");
	f->now = lab_line(&f->lab, f->lab.nlines - 1)->tv;
	lab_say_line(&f->lab, "second");
	lab_say_line(&f->lab, "third");
	/* 100 and 200 us after the first, whatever the clock's grain. */
	for (n = 1; n <= 2; n++) {
		l = &f->lab.lines[(f->lab.nlines - 3 + n) % LAB_TRANSCRIPT];
		l->tv = f->now;
		l->tv.tv_usec += 100 * n;
		if (l->tv.tv_usec >= 1000000) {
			l->tv.tv_usec -= 1000000;
			l->tv.tv_sec++;
		}
	}
	seg(f, 1, WIRE_SYN, 1000, 0, 0, 65495, 7, 1);
	n = f->lab.nlines;
	assert_string_equal(lab_line(&f->lab, n - 4)->text, "first");
	assert_non_null(strstr(lab_line(&f->lab, n - 3)->text,
	    "wire        client>server SYN seq=0"));
	assert_string_equal(lab_line(&f->lab, n - 1)->text, "third");
}

/*
 * A key's step: its key line and group; the segments the caller feeds
 * next are its; then step_said with the ladder e[0..n-1].
 */
static void
step_begin(struct fx *f, const char *key, enum lab_op op)
{
	lab_say_line(&f->lab, "key %s", key);
	lab_wire_group(&f->lab, key, op);
	f->now = f->lab.lines[(f->lab.nlines - 1) % LAB_TRANSCRIPT].tv;
}

static void
step_said(struct fx *f, enum lab_op op, const struct explain_seg *e, int n)
{
	int i;

	f->lab.nsteps++;
	for (i = 0; i < n; i++) {
		f->lab.segs[f->lab.nsegs % LAB_SEGS].op = op;
		f->lab.segs[f->lab.nsegs % LAB_SEGS].step = f->lab.nsteps;
		f->lab.segs[f->lab.nsegs % LAB_SEGS].seg = e[i];
		f->lab.segs[f->lab.nsegs % LAB_SEGS].wire = ULONG_MAX;
		f->lab.nsegs++;
	}
	lab_wire_step_said(&f->lab, n > 0 ? f->lab.nsteps : 0);
}

/* The longest cause the lab makes is kept whole (review 15, 4). */
static void
test_cause_whole(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;

	handshake(f);
	lab_wire_group(&f->lab, "server-send#10 OnOutOfBandData",
	    LAB_OP_NONE);
	f->now = f->lab.wmodel.groups[(f->lab.wmodel.ngroups - 1) %
	    LAB_WIRE_GROUPS].tv;
	s = seg(f, 1, WIRE_ACK, 1001, 5001, 0, 512, -1, 10);
	assert_string_equal(s->cause, "server-send#10 OnOutOfBandData");
}

/*
 * A step followed by 32 notifications: the last one's group takes the
 * step's old slot in the ring, and must still belong to the step
 * (review 15, 5): its segment is compared with the step's ladder.
 */
static void
test_group_slot_reused(void **state)
{
	struct fx *f = *state;
	struct explain_seg e;
	const struct lab_wire_seg *s;
	int i;

	handshake(f);
	step_begin(f, "6", LAB_OP_CONN_SEND);
	for (i = 0; i < LAB_WIRE_GROUPS; i++)
		lab_wire_group(&f->lab, "client OnReceive", LAB_OP_NONE);
	f->now = f->lab.wmodel.groups[(f->lab.wmodel.ngroups - 1) %
	    LAB_WIRE_GROUPS].tv;
	s = seg(f, 0, WIRE_PSH | WIRE_ACK, 5001, 1001, 13, 512, -1, 10);
	assert_int_equal(s->op, LAB_OP_CONN_SEND);
	memset(&e, 0, sizeof e);
	e.flags = WIRE_PSH | WIRE_ACK;
	e.len = 13;
	step_said(f, LAB_OP_CONN_SEND, &e, 1);
	s = lab_wire_seg(&f->lab, f->lab.nwsegs - 1);
	assert_true(s->settled);
	assert_int_equal(s->mark, LAB_WIRE_MATCH);
}

/*
 * A late segment's line never goes above a line a front end already
 * printed (review 15, 6): it is appended, stamp and all.
 */
static void
test_late_line_after_shown(void **state)
{
	struct fx *f = *state;
	unsigned long n;

	lab_say_line(&f->lab, "first");
	f->now = lab_line(&f->lab, f->lab.nlines - 1)->tv;
	lab_say_line(&f->lab, "second");
	f->lab.lines[(f->lab.nlines - 1) % LAB_TRANSCRIPT].tv.tv_sec++;
	f->lab.lines_shown = f->lab.nlines;	/* printed */
	seg(f, 1, WIRE_SYN, 1000, 0, 0, 65495, 7, 1);
	n = f->lab.nlines;
	assert_string_equal(lab_line(&f->lab, n - 2)->text, "second");
	assert_non_null(strstr(lab_line(&f->lab, n - 1)->text,
	    "wire        client>server SYN seq=0"));
	/* Nor above a line written to --log. */
	f->lab.log = tmpfile();
	assert_non_null(f->lab.log);
	lab_say_line(&f->lab, "logged");
	f->lab.lines[(f->lab.nlines - 1) % LAB_TRANSCRIPT].tv.tv_sec += 2;
	seg(f, 0, WIRE_SYN | WIRE_ACK, 5000, 1001, 0, 65483, 7, 1);
	n = f->lab.nlines;
	assert_string_equal(lab_line(&f->lab, n - 2)->text, "logged");
	fclose(f->lab.log);
	f->lab.log = NULL;
}

/*
 * RST during the client's close is "RST, not FIN" only when the client
 * sent it (review 15, 7): the server's RST is no such thing.
 */
static void
test_rst_note_sender(void **state)
{
	struct fx *f = *state;
	struct explain_seg e;
	const struct lab_wire_seg *s;

	handshake(f);
	step_begin(f, "x", LAB_OP_CLIENT_CLOSE);
	s = seg(f, 0, WIRE_RST | WIRE_ACK, 5001, 1001, 0, 0, -1, 10);
	memset(&e, 0, sizeof e);
	e.to_server = 1;
	e.flags = WIRE_RST | WIRE_ACK;
	step_said(f, LAB_OP_CLIENT_CLOSE, &e, 1);
	assert_true(s->settled);
	assert_int_not_equal(s->note, LAB_WIRE_RST_NOT_FIN);
	step_begin(f, "x", LAB_OP_CLIENT_CLOSE);
	s = seg(f, 1, WIRE_RST | WIRE_ACK, 1001, 5001, 0, 0, -1, 10);
	step_said(f, LAB_OP_CLIENT_CLOSE, &e, 1);
	assert_int_equal(s->note, LAB_WIRE_RST_NOT_FIN);
}

/*
 * Two peers of -s on different hosts may use the same port: each keeps
 * its own numbering (review 15, 7).
 */
static void
test_flows_by_address(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;

	seg(f, 1, WIRE_SYN, 1000, 0, 0, 65495, 7, 10);
	client_host = INADDR_LOOPBACK + 1;
	seg(f, 1, WIRE_SYN, 700000, 0, 0, 65495, 7, 10);
	client_host = INADDR_LOOPBACK;
	s = seg(f, 1, WIRE_ACK, 1001, 5001, 0, 512, -1, 10);
	assert_int_equal(s->seq, 1);
	client_host = INADDR_LOOPBACK + 1;
	s = seg(f, 1, WIRE_ACK, 700001, 9001, 0, 512, -1, 10);
	assert_int_equal(s->seq, 1);
}

/* Sequence numbers wrap past 2^32: relative numbers go on, no notes. */
static void
test_isn_wrap(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;

	seg(f, 1, WIRE_SYN, 0xfffffff0u, 0, 0, 65495, 7, 10);
	seg(f, 0, WIRE_SYN | WIRE_ACK, 0xfffffffau, 0xfffffff1u, 0, 65483, 7,
	    10);
	seg(f, 1, WIRE_ACK, 0xfffffff1u, 0xfffffffbu, 0, 512, -1, 10);
	s = seg(f, 1, WIRE_PSH | WIRE_ACK, 0xfffffff1u, 0xfffffffbu, 40, 512,
	    -1, 10);
	assert_int_equal(s->seq, 1);
	assert_int_equal(s->ack, 1);
	s = seg(f, 0, WIRE_ACK, 0xfffffffbu, 0x19u, 0, 512, -1, 10);
	assert_int_equal(s->ack, 41);
	s = seg(f, 1, WIRE_PSH | WIRE_ACK, 0x19u, 0xfffffffbu, 10, 512, -1,
	    10);
	assert_int_equal(s->seq, 41);
	assert_int_equal(s->note, LAB_WIRE_NOTE_NONE);
	/* The same bytes again, across the wrap: a retransmission. */
	s = seg(f, 1, WIRE_PSH | WIRE_ACK, 0xfffffff1u, 0xfffffffbu, 40, 512,
	    -1, 10);
	assert_int_equal(s->note, LAB_WIRE_RETRANSMIT);
}

/*
 * A listener (-s) expects its peers' handshakes, whichever key came
 * last: they match (new user's trial 15).
 */
static void
test_listener_expects_handshakes(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;
	struct explain_seg e;
	unsigned long n;

	f->lab.cfg.role = LAB_ROLE_SERVER;
	f->lab.server.view.tcp_state = TCP_LISTEN;
	step_begin(f, "2", LAB_OP_LISTEN);
	step_said(f, LAB_OP_LISTEN, NULL, 0);
	handshake(f);
	for (n = 0; n < 3; n++)
		assert_int_equal(lab_wire_seg(&f->lab, n)->mark,
		    LAB_WIRE_MATCH);
	/* Data after it is no handshake. */
	step_begin(f, "9", LAB_OP_CONN_RECEIVE);
	memset(&e, 0, sizeof e);
	step_said(f, LAB_OP_CONN_RECEIVE, &e, 0);
	s = seg(f, 1, WIRE_PSH | WIRE_ACK, 1001, 5001, 0, 512, -1, 10);
	assert_int_equal(s->mark, LAB_WIRE_EXTRA);
}

/* Frames the capture lost are said in a summary, with no direction. */
static void
test_lost_summary(void **state)
{
	struct fx *f = *state;
	const struct lab_wire_seg *s;
	char text[200];

	lab_wire_lost(&f->lab, 3);
	lab_look(&f->lab);
	s = lab_wire_seg(&f->lab, f->lab.nwsegs - 1);
	assert_non_null(s);
	assert_true(s->summary);
	assert_int_equal(s->to_server, -1);
	assert_int_equal(s->lost, 3);
	assert_string_equal(lab_wire_text(s, text, sizeof text),
	    "summed segments=0 bytes=0 lost=3");
	assert_non_null(strstr(lab_line(&f->lab, f->lab.nlines - 1)->text,
	    "3 frames lost"));
	/* Said once: the next look has nothing to say. */
	lab_wire_lost(&f->lab, 3);
	lab_look(&f->lab);
	assert_true(lab_wire_seg(&f->lab, f->lab.nwsegs - 1) == s);
}

/*
 * A connect that starts no handshake expects no segment (new user's
 * trial 15, 1): connect = 0 confirming, EISCONN; EINPROGRESS expects
 * the three.
 */
static void
test_connect_expects(void **state)
{
	struct fx *f = *state;
	struct explain_seg out[4];
	struct lab_result r;
	struct lab_sock *p = &f->lab.server;

	f->lab.server.view.tcp_state = TCP_LISTEN;
	memset(&r, 0, sizeof r);
	r.outcome = LAB_IN_PROGRESS;
	r.err = EINPROGRESS;
	assert_int_equal(explain_segments(LAB_OP_CONNECT, p, &r, out, 4), 3);
	r.outcome = LAB_OK;
	r.err = 0;
	assert_int_equal(explain_segments(LAB_OP_CONNECT, p, &r, out, 4), 0);
	r.outcome = LAB_FAILED;
	r.err = EISCONN;
	assert_int_equal(explain_segments(LAB_OP_CONNECT, p, &r, out, 4), 0);
	r.err = EALREADY;
	assert_int_equal(explain_segments(LAB_OP_CONNECT, p, &r, out, 4), 0);
	r.err = ECONNREFUSED;
	assert_int_equal(explain_segments(LAB_OP_CONNECT, p, &r, out, 4), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_differs_coalesced, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_window_notes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flood_summed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_line_sorted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cause_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_slot_reused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_line_after_shown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rst_note_sender, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flows_by_address, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_isn_wrap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_listener_expects_handshakes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_summary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connect_expects, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
