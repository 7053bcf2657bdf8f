/*
 * lab_auto.c - auto mode (LAB_OP_AUTO): notifications drive the steps, as the
 * code of a real asynchronous program would. OnAccept accepts, OnReceive
 * receives (under the edge-triggered model, until EAGAIN), OnOutOfBandData
 * reads the urgent byte, OnClose closes, and Server-Send sends the time
 * once a second while a connection is open. An accept that found no
 * descriptor is tried again once one comes free.
 *
 * Under a flood a socket's OnReceive after the first is only answered and
 * counted until a front end looks (lab_look, before each frame or
 * snapshot), which writes the run up in one line. Nobody can read two
 * million lines a second, and writing them was what made a notification
 * expensive (bench/README).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/time.h>

#include <event2/event.h>

#include "asock.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_steps.h"
#include "lab_transcript.h"
#include "lab_view.h"

/* Which step answers OnReceive on this row: the Receive of its pane. */
static enum lab_op
lab_auto_receive_op(const struct lab_sock *p)
{
	return p->which == LAB_CLIENT ? LAB_OP_CLIENT_RECEIVE :
	    LAB_OP_CONN_RECEIVE;
}

/* A step auto mode takes, marked so in the transcript. */
static void
lab_auto_step(struct lab *lab, enum lab_op op, struct lab_sock *p)
{
	lab->auto_running = 1;
	lab_step_on(lab, op, p);
	lab->auto_running = 0;
}

/*
 * Auto mode's OnReceive under the edge-triggered model. OnReceive comes
 * only when new bytes arrive, so correct code reads until EAGAIN (or the
 * end of the stream) every time: one recv would leave the rest unread for
 * ever. The EAGAIN that ends the loop is the expected end, not an error,
 * and the Explain area says what the loop did.
 */
static void
lab_auto_drain(struct lab *lab, struct lab_sock *p)
{
	enum lab_op op = lab_auto_receive_op(p);
	unsigned long calls = 0;
	unsigned long long before = p->bytes_read;

	do {
		lab_auto_step(lab, op, p);
		calls++;
	} while (lab_is_open(p) && p->err == 0 && p->have_received &&
	    p->received_len > 0);
	if (p->err != EAGAIN)
		return;		/* the end of the stream, or a real error */
	p->err = 0;
	snprintf(lab->explain, sizeof lab->explain, "Auto mode under the "
	    "edge-triggered model: recv was called %lu times on %s, %llu "
	    "bytes, until it said EAGAIN: the queue is empty. Bytes left "
	    "unread would fire no new OnReceive (FD_READ) under this model, "
	    "so correct code reads until EAGAIN on every notification; "
	    "Winsock's model would fire OnReceive again instead.", calls,
	    lab_pane_name(p->which), p->bytes_read - before);
}

/* Auto mode: what a real program would do on each notification. */
static void
lab_auto_react(struct lab *lab, struct lab_sock *p, enum asock_note note)
{
	int client = p->which == LAB_CLIENT;

	switch (note) {
	case ASOCK_ON_ACCEPT:
		lab_auto_step(lab, LAB_OP_ACCEPT, p);
		break;
	case ASOCK_ON_RECEIVE:
		if (lab->edge)
			lab_auto_drain(lab, p);
		else
			lab_auto_step(lab, lab_auto_receive_op(p), p);
		break;
	case ASOCK_ON_OOB:
		lab_auto_step(lab, client ? LAB_OP_CLIENT_READ_URGENT :
		    LAB_OP_CONN_READ_URGENT, p);
		break;
	case ASOCK_ON_CLOSE:
		lab_auto_step(lab, client ? LAB_OP_CLIENT_CLOSE :
		    LAB_OP_CONN_CLOSE, p);
		break;
	default:
		break;		/* OnConnect, OnSend: carry on */
	}
}

/*
 * Auto mode's answer to a notification reported in full: the step a real
 * program would make, then the views again. After an OnReceive, the next
 * one before a front end looks may be quick (lab_auto_quick).
 */
void
lab_auto_answer(struct lab *lab, struct lab_sock *p, enum asock_note note)
{
	lab_auto_react(lab, p, note);
	lab_view_refresh(lab, p);
	if (note == ASOCK_ON_RECEIVE && lab->log == NULL &&
	    p->sock != NULL && asock_state(p->sock) == ASOCK_CONNECTED) {
		p->reported = 1;
		asock_set_quiet(p->sock, 1);
	}
}

/* Auto mode's Server-Send: the time, once a second, on every connection. */
static void
lab_auto_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab *lab = arg;
	size_t i, sent;

	(void)fd;
	(void)what;
	for (i = 0, sent = 0; i < lab->nconns; i++)
		if (lab_is_open(lab->conns[i]) &&
		    asock_state(lab->conns[i]->sock) == ASOCK_CONNECTED) {
			lab_auto_step(lab, LAB_OP_CONN_SEND, lab->conns[i]);
			sent++;
		}
	/* Nobody to send to: the timer stops until a connection comes. */
	if (sent == 0)
		evtimer_del(lab->auto_timer);
	lab_changed(lab);
}

/* Auto mode's sends run while there is a connection to send on. */
void
lab_auto_timer_on(struct lab *lab)
{
	static const struct timeval second = { 1, 0 };

	if (lab->auto_mode && lab_has_pane(lab, LAB_SEND) &&
	    !evtimer_pending(lab->auto_timer, NULL))
		evtimer_add(lab->auto_timer, &second);
}

/* LAB_OP_AUTO: auto mode on or off, from now on. */
void
lab_set_auto(struct lab *lab, int on)
{
	size_t i;

	lab_look(lab);		/* runs are written up, rows speak again */
	lab->auto_mode = on;
	lab_say_line(lab, "auto mode %s", on ? "on: notifications drive the "
	    "steps" : "off: back to stepping by hand");
	if (!on) {
		evtimer_del(lab->auto_timer);
		return;
	}
	if (lab_open_conns(lab) > 0)
		lab_auto_timer_on(lab);
	/*
	 * Notifications already delivered will not come again until their
	 * call is made, so answer those now, as the program would have done
	 * when they came. Conditions no notification announced yet are left
	 * to the loop, which reports them (and auto mode answers then):
	 * nothing is read without its OnReceive. Under the edge-triggered
	 * model nothing announces bytes already there, so they are read now.
	 */
	lab_view_refresh_all(lab);
	for (i = 0; i < lab->nclients; i++)
		if (lab->clients[i]->view.inq > 0 && (lab->edge ||
		    asock_owed(lab->clients[i]->sock)))
			lab_auto_react(lab, lab->clients[i], ASOCK_ON_RECEIVE);
	for (i = 0; i < lab->nconns; i++)
		if (lab->conns[i]->view.inq > 0 && (lab->edge ||
		    asock_owed(lab->conns[i]->sock)))
			lab_auto_react(lab, lab->conns[i], ASOCK_ON_RECEIVE);
	if (lab->server.view.accept_queue > 0 &&
	    asock_owed(lab->server.sock))
		lab_auto_step(lab, LAB_OP_ACCEPT, &lab->server);
}

/*
 * A descriptor came free: auto mode retries an accept that hit EMFILE.
 * Not here and now but from the loop, on its next turn: the accept may
 * make room in a full list by dropping closed rows, the row just closed
 * among them, while the step and notification that closed it are still
 * using it.
 */
void
lab_auto_fd_freed(struct lab *lab)
{
	static const struct timeval now = { 0, 0 };

	if (lab->accept_starved && lab->auto_mode && lab->retry != NULL)
		evtimer_add(lab->retry, &now);
}

/* The loop's next turn after a descriptor came free: accept again. */
static void
lab_auto_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab *lab = arg;

	(void)fd;
	(void)what;
	if (lab->accept_starved && lab->auto_mode && lab_is_open(&lab->server)) {
		lab_auto_step(lab, LAB_OP_ACCEPT, &lab->server);
		lab_changed(lab);
	}
}

/* Auto mode's accept retry, not yet running (lab_auto_fd_freed). */
struct event *
lab_auto_retry_new(struct lab *lab)
{
	return evtimer_new(lab->base, lab_auto_retry_cb, lab);
}

/* Auto mode's once-a-second sends, not yet running (lab_auto_timer_on). */
struct event *
lab_auto_timer_new(struct lab *lab)
{
	return event_new(lab->base, -1, EV_PERSIST, lab_auto_cb, lab);
}

/*
 * Write up p's run of quick receives: one line for all of them, and the
 * step's result for the last. Inside a quick step whose receive has
 * something to say (end of stream, an error), its key line follows, so
 * the trace line asock writes next reads in order.
 */
void
lab_auto_run_said(struct lab *lab, struct lab_sock *p)
{
	enum lab_op op = lab_auto_receive_op(p);
	char tag[32];

	if (p->run > 0) {
		lab_say_line(lab, "%-11s %lu more OnReceive, each answered "
		    "by recv(%d, %zu), %llu bytes: one line for them all",
		    lab_transcript_tag(p, tag, sizeof tag), p->run,
		    asock_fd(p->sock), lab_steps_recv_size(lab, p),
		    p->run_bytes);
		lab_steps_received(lab, p, &lab->result[op],
		    (ssize_t)p->received_len, 0);
		lab_row_said(p, op, &lab->result[op]);
		p->run = 0;
		p->run_bytes = 0;
	}
	if (p->quick) {
		p->quick = 0;
		lab_say_line(lab, "key %s: %s %s (auto mode)",
		    lab_key_name(lab, op),
		    lab_pane_name(lab_op_pane(op)), lab_op_name(op));
	}
}

/*
 * Auto mode under a flood: another OnReceive on a row whose last one was
 * reported in full, before any front end looked. Make the same recv and
 * keep the same books, but write no text; lab_look writes the run up in
 * one line. Formatting lines nobody would see was most of the cost of a
 * notification (bench/README). With --log, which keeps every line, every
 * notification is reported in full.
 */
int
lab_auto_quick(struct lab *lab, struct lab_sock *p, enum asock_note note)
{
	enum lab_op op = lab_auto_receive_op(p);
	struct lab_result *r = &lab->result[op];
	ssize_t n;

	/* The edge model reads until EAGAIN each time, in full. */
	if (!p->reported || note != ASOCK_ON_RECEIVE || lab->edge)
		return 0;
	p->quick = 1;
	n = lab_steps_recv(lab, p);
	p->stale = 1;
	if (n > 0) {
		p->quick = 0;
		p->run++;
		p->run_bytes += (unsigned long long)n;
		return 1;
	}
	/*
	 * End of stream or an error: asock's line for it has written up the
	 * run and this step's key line (lab_transcript_trace); the rest in
	 * full.
	 */
	lab_steps_received(lab, p, r, n, errno);
	lab_row_said(p, op, r);
	lab_view_refresh(lab, p);
	lab_transcript_step(lab, op, p, r);
	lab->last_op = p->last_op = op;
	p->reported = 0;
	asock_set_quiet(p->sock, 0);
	return 1;
}

/* A front end looks: p's run is written up, and p's text comes back. */
void
lab_auto_looked(struct lab *lab, struct lab_sock *p)
{
	if (p->run > 0)
		lab_auto_run_said(lab, p);
	if (p->reported) {
		p->reported = 0;
		asock_set_quiet(p->sock, 0);
	}
}
