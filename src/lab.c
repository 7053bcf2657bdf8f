/*
 * lab.c - the lab's model core: the rows and what a learner sees of them.
 *
 * The lab holds the seed's sockets as rows (struct lab_sock): the
 * listening Server, the Server-Send list of the connections it accepted,
 * and the Client list; each list has a selected row, which its pane's
 * steps act on. This file makes and frees the lab and its rows, runs an
 * operation (lab_do) and keeps each row's marks and errors, and receives
 * every notification from the event loop. Counters move only there, when
 * the loop delivers a notification, never when a step runs: that
 * difference is the lesson. The model never sees a key: the front ends
 * turn keys into operations (src/bind.c), and the transcript names the
 * key of an operation from there.
 *
 * The rest of the lab, one concern a file (include/ has a header each):
 *   lab_steps.c       what each step does, and the table of steps
 *   lab_auto.c        auto mode, and the summing of a flood of OnReceive
 *   lab_view.c        the kernel's view of each socket, and its tick
 *   lab_transcript.c  transcript, --log, Explain and the ladder's segments
 *   lab_resolve.c     client role's name resolution (evdns)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "addr.h"
#include "asock.h"
#include "errname.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_names.h"
#include "lab_resolve.h"
#include "lab_steps.h"
#include "lab_transcript.h"
#include "lab_view.h"

const char *
lab_pane_name(enum lab_pane pane)
{
	static const char *names[LAB_PANES] = {
		"Server", "Server-Send", "Client"
	};

	return (unsigned)pane < LAB_PANES ? names[pane] : "?";
}

/* ---- the rows of the Server-Send and Client lists ---- */

int
lab_has_pane(const struct lab *lab, enum lab_pane pane)
{
	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		return pane != LAB_CLIENT;
	case LAB_ROLE_CLIENT:
		return pane == LAB_CLIENT;
	default:
		return 1;
	}
}

size_t
lab_rows(const struct lab *lab, enum lab_pane pane)
{
	return pane == LAB_SEND ? lab->nconns : pane == LAB_CLIENT ?
	    lab->nclients : 1;
}

size_t
lab_selected(const struct lab *lab, enum lab_pane pane)
{
	return pane == LAB_SEND ? lab->conn_sel : pane == LAB_CLIENT ?
	    lab->client_sel : 0;
}

const struct lab_sock *
lab_row(const struct lab *lab, enum lab_pane pane, size_t i)
{
	if (pane == LAB_SERVER)
		return &lab->server;
	if (i >= lab_rows(lab, pane))
		return &lab->none[pane];
	return pane == LAB_SEND ? lab->conns[i] : lab->clients[i];
}

const struct lab_sock *
lab_sel(const struct lab *lab, enum lab_pane pane)
{
	return lab_row(lab, pane, lab_selected(lab, pane));
}

/* Where row p keeps op's result: its place among its pane's steps. */
static int
lab_mark_slot(const struct lab_sock *p, enum lab_op op)
{
	int o, n = 0;

	if (!lab_op_is_step(op))
		return -1;
	for (o = 0; o < LAB_OP_STEPS; o++) {
		if (lab_op_pane(o) != p->which)
			continue;
		if (o == (int)op)
			return n < LAB_ROW_STEPS ? n : -1;
		n++;
	}
	return -1;
}

const struct lab_mark *
lab_mark(const struct lab_sock *p, enum lab_op op)
{
	static const struct lab_mark untried;
	int slot = lab_mark_slot(p, op);

	return slot == -1 ? &untried : &p->marks[slot];
}

static void
lab_mark_set(struct lab_sock *p, enum lab_op op, enum lab_outcome outcome,
    int err, const char *brief)
{
	int slot = lab_mark_slot(p, op);
	struct lab_mark *m;

	if (slot == -1)
		return;
	m = &p->marks[slot];
	m->outcome = outcome;
	m->err = err;
	snprintf(m->brief, sizeof m->brief, "%s", brief);
}

/*
 * After step op on row p with result r: the row's own result, and its
 * error. A step that leaves the row an error (a failure, connect's
 * EINPROGRESS, fill's EAGAIN) names its call in p->err_from as it sets
 * p->err; a step that cleared the error clears the name. A refusal made
 * no call and leaves the error as it was.
 */
void
lab_row_said(struct lab_sock *p, enum lab_op op, const struct lab_result *r)
{
	lab_mark_set(p, op, r->outcome, r->err, r->brief);
	/* A row New made was made as the Client's Create would have made it. */
	if (op == LAB_OP_NEW_CLIENT && lab_outcome_ok(r->outcome))
		lab_mark_set(p, LAB_OP_CLIENT_CREATE, r->outcome, 0, r->brief);
	if (r->outcome == LAB_NOT_NOW)
		return;
	if (p->err == 0)
		p->err_from[0] = '\0';
}

/* The same, for the lab's own changes. */
static struct lab_sock *
lab_sel_mut(struct lab *lab, enum lab_pane pane)
{
	return (struct lab_sock *)lab_sel(lab, pane);
}

int
lab_is_open(const struct lab_sock *p)
{
	return p->sock != NULL && asock_fd(p->sock) != -1;
}

size_t
lab_open_conns(const struct lab *lab)
{
	size_t i, n = 0;

	for (i = 0; i < lab->nconns; i++)
		n += lab_is_open(lab->conns[i]);
	return n;
}

static void lab_note_cb(struct asock *, enum asock_note, int, void *);

/* Fill in a socket's state: its receive buffer and its asock; id 0. */
int
lab_sock_init(struct lab *lab, struct lab_sock *p, enum lab_pane which)
{
	size_t size = lab->cfg.recv_size > LAB_LINE_READ ?
	    lab->cfg.recv_size : LAB_LINE_READ;

	memset(p, 0, sizeof *p);
	p->lab = lab;
	p->which = which;
	p->last_op = LAB_OP_NONE;
	p->view.tcp_state = -1;
	if ((p->received = malloc(size)) == NULL)
		return -1;
	if ((p->sock = asock_new(lab->base, lab_note_cb, p)) == NULL) {
		free(p->received);
		p->received = NULL;
		return -1;
	}
	asock_set_trace(p->sock, lab_transcript_trace, p);
	if (which != LAB_SERVER)
		asock_set_edge(p->sock, lab->edge);
	return 0;
}

/* Close a row's socket, if open, and let go of what it holds. */
void
lab_sock_clear(struct lab_sock *p)
{
	lab_names_cancel(p);
	asock_free(p->sock);
	p->sock = NULL;
	free(p->received);
	p->received = NULL;
}

struct lab_sock *
lab_sock_new(struct lab *lab, enum lab_pane which)
{
	struct lab_sock *p = malloc(sizeof *p);

	if (p == NULL)
		return NULL;
	if (lab_sock_init(lab, p, which) == -1) {
		free(p);
		return NULL;
	}
	p->id = ++lab->next_id[which];
	return p;
}

static void
lab_sock_free(struct lab_sock *p)
{
	lab_sock_clear(p);
	free(p);
}

/*
 * A row for a new connection. When the list is full, rows whose socket is
 * closed make room (their counters were the history of a finished
 * connection); the caller has checked that an open-row limit allows one.
 */
struct lab_sock *
lab_conn_new(struct lab *lab)
{
	struct lab_sock *p, *sel = NULL;
	size_t i, j;

	if (lab->nconns == lab->cfg.max_conns) {
		if (lab->nconns > 0)
			sel = lab->conns[lab->conn_sel];
		for (i = j = 0; i < lab->nconns; i++) {
			if (lab_is_open(lab->conns[i]))
				lab->conns[j++] = lab->conns[i];
			else
				lab_sock_free(lab->conns[i]);
		}
		lab->nconns = j;
		lab->conn_sel = 0;
		for (i = 0; i < lab->nconns; i++)
			if (lab->conns[i] == sel)
				lab->conn_sel = i;
	}
	if (lab->nconns == lab->cfg.max_conns ||
	    (p = lab_sock_new(lab, LAB_SEND)) == NULL)
		return NULL;
	lab->conns[lab->nconns++] = p;
	return p;
}

/* Drop the newest Server-Send row again (its accept failed). */
void
lab_conn_drop_last(struct lab *lab)
{
	lab_sock_free(lab->conns[--lab->nconns]);
	lab->next_id[LAB_SEND]--;
	if (lab->conn_sel >= lab->nconns)
		lab->conn_sel = lab->nconns > 0 ? lab->nconns - 1 : 0;
}

/* The front end redraws: a notification or timer changed the model. */
void
lab_changed(struct lab *lab)
{
	if (lab->changed != NULL)
		lab->changed(lab->changed_arg);
}

size_t
lab_errors(const struct lab *lab, int *errs, size_t max)
{
	size_t n = 0, i;
	int pane, e, cand[LAB_PANES + 1];

	cand[0] = lab_op_is_step(lab->last_op) ?
	    lab->result[lab->last_op].err : 0;
	for (pane = 0; pane < LAB_PANES; pane++)
		cand[pane + 1] = lab_sel(lab, pane)->err;
	for (e = 0; e < LAB_PANES + 1; e++) {
		if (cand[e] == 0)
			continue;
		for (i = 0; i < n && errs[i] != cand[e]; i++)
			;
		if (i == n && n < max)
			errs[n++] = cand[e];
	}
	return n;
}

/* Every notification lands here, from the event loop. */
static void
lab_note_cb(struct asock *s, enum asock_note note, int err, void *arg)
{
	struct lab_sock *p = arg;
	struct lab *lab = p->lab;
	char cause[40];

	(void)s;
	p->counts[note]++;
	if (err != 0) {
		p->err = err;
		snprintf(p->err_from, sizeof p->err_from, "%s",
		    asock_note_name(note));
	}
	/* Connect shows how the connect ended, as the seed's dialog does. */
	if (note == ASOCK_ON_CONNECT)
		lab_mark_set(p, LAB_OP_CONNECT, err == 0 ? LAB_OK : LAB_FAILED,
		    err, err == 0 ? "OK" : errname_name(err));
	lab->notes++;
	if (lab->auto_mode && lab_auto_quick(lab, p, note)) {
		lab_changed(lab);
		return;
	}
	/* What the wire carries from here on followed this notification. */
	lab_transcript_tag(p, cause, sizeof cause);
	snprintf(cause + strlen(cause), sizeof cause - strlen(cause), " %s",
	    asock_note_name(note));
	lab_wire_group(lab, cause, LAB_OP_NONE);
	lab_view_refresh(lab, p);
	lab_transcript_note(lab, p, note, err);
	if (lab->auto_mode)
		lab_auto_answer(lab, p, note);
	lab_changed(lab);
}

/*
 * LAB_OP_MODEL: the notification model of every client and Server-Send socket,
 * now and from now on. Listeners keep the Winsock model.
 */
void
lab_set_edge(struct lab *lab, int on)
{
	size_t i;

	lab->edge = on;
	for (i = 0; i < lab->nconns; i++)
		asock_set_edge(lab->conns[i]->sock, on);
	for (i = 0; i < lab->nclients; i++)
		asock_set_edge(lab->clients[i]->sock, on);
	lab_say_line(lab, "model %s", on ? "edge-triggered: EV_ET | "
	    "EV_PERSIST, every change fires" : "Winsock: one-shot, enabled "
	    "again by the re-enabling call");
	snprintf(lab->explain, sizeof lab->explain, "%s", on ?
	    "Edge-triggered model (libevent EV_ET): a notification fires "
	    "whenever the kernel reports a change, such as new bytes "
	    "arriving, whether or not the program made the re-enabling call. "
	    "Try 6 6 7: two OnReceive, where Winsock gives one until the "
	    "receive. Bytes left unread fire nothing, so correct code (and "
	    "auto mode, a) reads until EAGAIN on every OnReceive. The kernel "
	    "lines still show level-triggered readiness." :
	    "Winsock model: each notification fires once and comes again "
	    "only after the call that re-enables it (accept, recv, send "
	    "after EAGAIN, recv MSG_OOB). Try 6 6 7: one OnReceive until the "
	    "receive, then another because bytes remain.");
}

/* ---- what a step says (its details are in lab_steps.c) ---- */

/*
 * Record what a step came to: its outcome and errno, which the model,
 * explanations and front ends decide by, and brief for the pane and
 * detail for the status line, which only people read.
 */
void
lab_say(struct lab_result *r, enum lab_outcome outcome, int err,
    const char *brief, const char *fmt, ...)
{
	va_list ap;

	r->outcome = outcome;
	r->err = err;
	snprintf(r->brief, sizeof r->brief, "%s", brief);
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}

int
lab_init(struct lab *lab, struct event_base *base,
    const struct lab_config *cfg)
{
	int i;

	memset(lab, 0, sizeof *lab);
	lab->base = base;
	lab->cfg = *cfg;
	lab->last_op = LAB_OP_NONE;
	lab->tick = lab_view_tick_new(lab);
	lab->retry = lab_auto_retry_new(lab);
	lab->auto_timer = lab_auto_timer_new(lab);
	lab->conns = calloc(cfg->max_conns, sizeof *lab->conns);
	if (lab->tick == NULL || lab->retry == NULL || lab->auto_timer == NULL ||
	    lab->conns == NULL)
		return -1;
	for (i = 0; i < LAB_PANES; i++) {
		lab->none[i].lab = lab;
		lab->none[i].which = i;
		lab->none[i].last_op = LAB_OP_NONE;
		lab->none[i].view.tcp_state = -1;
	}
	if (lab_sock_init(lab, &lab->server, LAB_SERVER) == -1)
		return -1;
	lab->server.id = 1;
	if (cfg->role == LAB_ROLE_CLIENT && lab_resolve_init(lab) == -1)
		return -1;
	/* Without a resolver the class view shows addresses only. */
	if (cfg->role == LAB_ROLE_SERVER && lab_names_init(lab) == -1)
		lab_say_line(lab, "resolver    no resolver: the peers' names "
		    "will not be asked");
	return 0;
}

/* Close every socket and forget every result: back to the first screen. */
void
lab_reset(struct lab *lab)
{
	size_t i;

	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	if (lab->server.sock != NULL)
		asock_close(lab->server.sock);
	memset(lab->server.counts, 0, sizeof lab->server.counts);
	lab->server.err = 0;
	lab->server.err_from[0] = '\0';
	lab->server.last_op = LAB_OP_NONE;
	memset(lab->server.marks, 0, sizeof lab->server.marks);
	for (i = 0; i < LAB_PANES; i++)
		memset(lab->none[i].marks, 0, sizeof lab->none[i].marks);
	for (i = 0; i < lab->nconns; i++)
		lab_sock_free(lab->conns[i]);
	for (i = 0; i < lab->nclients; i++)
		lab_sock_free(lab->clients[i]);
	lab->nconns = lab->conn_sel = lab->nclients = lab->client_sel = 0;
	lab->next_id[LAB_SEND] = lab->next_id[LAB_CLIENT] = 0;
	memset(lab->result, 0, sizeof lab->result);
	lab->explain[0] = '\0';
	lab->nsegs = 0;
	lab->have_server_addr = 0;
	if (lab->cfg.role == LAB_ALL_IN_ONE)
		lab->have_target = 0;
	lab->accept_starved = 0;
	lab->notes = 0;
	lab->urgent_sent = 0;
	lab_view_refresh_all(lab);
}

void
lab_free(struct lab *lab)
{
	lab_names_free(lab);
	lab_reset(lab);
	lab_sock_clear(&lab->server);
	lab_resolve_free(lab);
	free(lab->conns);
	lab->conns = NULL;
	if (lab->tick != NULL)
		event_free(lab->tick);
	if (lab->auto_timer != NULL)
		event_free(lab->auto_timer);
	if (lab->retry != NULL)
		event_free(lab->retry);
	lab->tick = lab->auto_timer = lab->retry = NULL;
}

/* The selection ops: Server-Send's next and previous row, the Client's. */
static void
lab_select(struct lab *lab, enum lab_op op)
{
	enum lab_pane pane = op == LAB_OP_CONN_NEXT || op == LAB_OP_CONN_PREV ?
	    LAB_SEND : LAB_CLIENT;
	size_t n = lab_rows(lab, pane), *sel = pane == LAB_SEND ?
	    &lab->conn_sel : &lab->client_sel;
	const struct lab_sock *p;
	char tag[32], a[ADDR_STRLEN];

	if (n == 0) {
		lab_say_line(lab, "key %s: the %s list is empty",
		    lab_key_name(lab, op), lab_pane_name(pane));
		return;
	}
	if (op == LAB_OP_CONN_NEXT || op == LAB_OP_CLIENT_NEXT)
		*sel = (*sel + 1) % n;
	else
		*sel = (*sel + n - 1) % n;
	p = lab_sel(lab, pane);
	lab_view_refresh_sock(lab, lab_sel_mut(lab, pane));
	lab_say_line(lab, "key %s: %s selected (row %zu of %zu%s%s)",
	    lab_key_name(lab, op),
	    lab_transcript_tag(p, tag, sizeof tag), *sel + 1, n, p->view.have_peer ? ", peer " : "",
	    p->view.have_peer ? addr_format((const struct sockaddr *)
	    &p->view.peer, a, sizeof a) : "");
}

/*
 * Run step op on target, or on its pane's selected row when NULL. The
 * transcript names the key that runs it, as the learner pressed it.
 */
int
lab_step_on(struct lab *lab, enum lab_op op, struct lab_sock *target)
{
	enum lab_pane pane;
	struct lab_result *r;
	struct lab_sock *p, *q;
	size_t rows;

	if (!lab_op_is_step(op))
		return -1;
	pane = lab_op_pane(op);
	p = target != NULL ? target : lab_sel_mut(lab, pane);
	rows = lab_rows(lab, pane);
	lab_say_line(lab, "key %s: %s %s%s", lab_key_name(lab, op),
	    lab_pane_name(pane), lab_op_name(op),
	    lab->auto_running ? " (auto mode)" : "");
	lab_wire_group(lab, lab_key_name(lab, op), op);
	r = &lab->result[op];
	if (!lab_has_pane(lab, pane))
		lab_refuse(r, "this tcpstep has no %s pane: %s",
		    lab_pane_name(pane), lab->cfg.role == LAB_ROLE_SERVER ?
		    "clients connect with tcpstep -c HOST" :
		    "the server runs as tcpstep -s elsewhere");
	else
		lab_steps_run(lab, op, p, r);
	if (r->outcome == LAB_NOT_NOW)
		lab_say_line(lab, "            not now: %s", r->detail);
	/*
	 * The step's own socket: a row it just made (and selected: Create
	 * on an empty list, New), else the row it ran on.
	 */
	q = target == NULL || lab_rows(lab, pane) > rows ?
	    lab_sel_mut(lab, pane) : target;
	lab_row_said(q, op, r);
	lab_view_refresh(lab, q);
	lab_transcript_step(lab, op, q, r);
	lab->last_op = op;
	/* A new client or connection may be selected now. */
	lab_sel_mut(lab, pane)->last_op = op;
	return 0;
}

int
lab_do(struct lab *lab, enum lab_op op, size_t row)
{
	enum lab_pane pane;

	switch (op) {
	case LAB_OP_RESET:
		lab_say_line(lab, "key %s: reset, every socket closed",
		    lab_key_name(lab, op));
		lab_wire_group(lab, lab_key_name(lab, op), op);
		lab_reset(lab);
		lab->last_op = LAB_OP_RESET;
		return 0;
	case LAB_OP_AUTO:
		lab_set_auto(lab, !lab->auto_mode);
		return 0;
	case LAB_OP_MODEL:
		lab_set_edge(lab, !lab->edge);
		return 0;
	case LAB_OP_CONN_NEXT:
	case LAB_OP_CONN_PREV:
	case LAB_OP_CLIENT_NEXT:
	case LAB_OP_CLIENT_PREV:
		lab_select(lab, op);
		return 0;
	default:
		break;
	}
	if (!lab_op_is_step(op))
		return -1;
	if (row == LAB_ROW_SELECTED)
		return lab_step_on(lab, op, NULL);
	pane = lab_op_pane(op);
	if (row >= lab_rows(lab, pane))
		return -1;
	return lab_step_on(lab, op, (struct lab_sock *)lab_row(lab, pane,
	    row));
}
