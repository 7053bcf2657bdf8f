/*
 * guide_check.c - whether a lesson's step is done: the step now expected,
 * its check against the lab, and the counters a check reads, counted from
 * when a row's socket was last made again. The engine (src/guide.c) moves
 * on when a check holds; src/guide_end.c asks the same to tell when one
 * never will.
 */
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "guide_check.h"
#include "lab.h"
#include "wire.h"

/* The step now expected, or NULL when the lesson is past its last. */
const struct guide_step *
guide_check_step(const struct guide *g)
{
	const struct guide_step *s = g->steps != NULL ? &g->steps[g->step] :
	    &guide_lessons[g->lesson].steps[g->step];

	return s->say != NULL ? s : NULL;
}

/*
 * The row a check reads. A lesson names a row (client#2) by the number
 * the list shows in its # column, where the selection would not say
 * which; a row not there is the pane's zeroed placeholder (NULL from
 * guide_check_row).
 */
const struct lab_sock *
guide_check_row(const struct lab *lab, const struct guide_check *c)
{
	size_t i, n = lab_rows(lab, c->pane);

	if (c->row == 0)
		return lab_sel(lab, c->pane);
	for (i = 0; i < n; i++)
		if (lab_row(lab, c->pane, i)->id == c->row)
			return lab_row(lab, c->pane, i);
	return NULL;
}

const struct lab_sock *
guide_check_sock(const struct lab *lab, const struct guide_check *c)
{
	const struct lab_sock *p = guide_check_row(lab, c);

	return p != NULL ? p : lab_row(lab, c->pane, lab_rows(lab, c->pane));
}

/*
 * Bytes in the receive queue of the row c reads. The lab reads the
 * kernel again for the rows a step or notification touched and for the
 * selected ones; a named row (client#1) may be neither, and a second
 * record raises no second OnReceive, so its queue is read now.
 */
int
guide_check_inq(const struct lab *lab, const struct guide_check *c)
{
	const struct lab_sock *p = guide_check_sock(lab, c);
	struct asock_view v;

	if (c->row == 0 || p->sock == NULL)
		return p->view.inq;
	asock_view(p->sock, &v);
	return v.inq;
}

/*
 * A row's counter, counted from when its socket was last made again (x
 * then 3 keeps the row and its counts): what came on an earlier socket
 * must not make a check hold, nor make it look impossible.
 */
unsigned long
guide_check_count(const struct guide *g, const struct lab_sock *p,
    enum asock_note note)
{
	unsigned i, n;

	for (n = g->nbase; n > 0 && g->nbase - n < GUIDE_BASES; n--) {
		i = (n - 1) % GUIDE_BASES;
		if (g->base[i].row == p)
			return p->counts[note] - g->base[i].counts[note];
	}
	return p->counts[note];
}

/* Remember a row's counters: its socket was just made again. */
void
guide_check_rebase(struct guide *g, const struct lab_sock *p)
{
	struct guide_base *b = &g->base[g->nbase++ % GUIDE_BASES];

	b->row = p;
	memcpy(b->counts, p->counts, sizeof b->counts);
}

/*
 * The steps that make a socket in their pane's selected row (Server and
 * Client Create), which may make it again in the same row; n makes a row.
 */
int
guide_check_makes(enum lab_op op)
{
	return op == LAB_OP_SERVER_CREATE || op == LAB_OP_CLIENT_CREATE;
}

/*
 * How a message names the key of op: "6", "r". Batch's w runs no op
 * (LAB_OP_NONE) and is named as the key it is.
 */
const char *
guide_check_key(enum lab_op op)
{
	return op == LAB_OP_NONE ? bind_cmd_name(BIND_WAIT) : bind_op_name(op);
}

/*
 * A step that makes a socket (1, 3) whose pane's socket is already open,
 * as after 3 pressed before 2: what it would do is done, so it counts.
 */
int
guide_check_already(const struct guide *g, const struct guide_step *s)
{
	return s->check.kind == GK_OK && guide_check_makes(s->op) &&
	    lab_is_open(lab_sel(g->lab, lab_op_pane(s->op)));
}

/*
 * A segment with exactly c's flags went c's way since the step's key
 * (g->wmark). Without a capture there is nothing to look at: the check
 * holds, and --check-lesson says it was not checked.
 */
static int
guide_check_wire(const struct guide *g, const struct guide_check *c)
{
	const struct lab_wire_seg *w;
	unsigned long n;

	if (g->lab->wire == NULL)
		return 1;
	for (n = g->wmark; n < g->lab->nwsegs; n++)
		if ((w = lab_wire_seg(g->lab, n)) != NULL &&
		    (w->flags & ~(WIRE_ECE | WIRE_CWR)) == c->n &&
		    (c->dir == GD_ANY || (c->dir == GD_TO_SERVER) ==
		    (w->to_server != 0)))
			return 1;
	return 0;
}

/* Whether one of the step's checks holds on the lab now. */
int
guide_check_one(const struct guide *g, const struct guide_step *s,
    const struct guide_check *c)
{
	const struct lab *lab = g->lab;
	const struct lab_sock *p = guide_check_sock(lab, c);
	enum asock_state st;

	/* A named row that is not there holds nothing, not even == 0. */
	if (guide_check_row(lab, c) == NULL)
		return 0;
	switch (c->kind) {
	case GK_OK:
		return lab_op_is_step(s->op) &&
		    lab_outcome_ok(lab->result[s->op].outcome);
	case GK_ERR:
		return lab_op_is_step(s->op) &&
		    lab->result[s->op].err == c->err;
	case GK_COUNT:
		if (guide_check_count(g, p, c->note) < c->n)
			return 0;
		/* OnConnect(0): the connect did succeed, not just end. */
		if (c->note == ASOCK_ON_CONNECT && c->err == 0) {
			st = p->sock != NULL ? asock_state(p->sock) :
			    ASOCK_CLOSED;
			return st == ASOCK_CONNECTED || st == ASOCK_PEER_CLOSED;
		}
		/* OnClose(0): a graceful close (FIN), not an RST. */
		if (c->note == ASOCK_ON_CLOSE && c->err == 0)
			return p->err != ECONNRESET;
		return c->err == 0 || p->err == c->err;
	case GK_EXACT:
		return guide_check_count(g, p, c->note) == c->n;
	case GK_INQ:
		return guide_check_inq(lab, c) == (int)c->n;
	case GK_ROWS:
		return lab_rows(lab, c->pane) == c->n;
	case GK_AUTO:
		return lab->auto_mode == (int)c->n;
	case GK_RECEIVED:
		return p->have_received && p->received_len == c->n;
	case GK_WIRE:
		return guide_check_wire(g, c);
	case GK_NONE:
		return 1;
	}
	return 0;
}

/* Whether every check of the step holds on the lab now. */
int
guide_check_holds(const struct guide *g, const struct guide_step *s)
{
	int i;

	if (!guide_check_one(g, s, &s->check))
		return 0;
	for (i = 0; i < s->nmore; i++)
		if (!guide_check_one(g, s, &s->more[i]))
			return 0;
	return 1;
}

/*
 * Whether the step waits for the event loop after its key: one of its
 * checks is completed by a notification (or a captured segment).
 */
int
guide_check_step_async(const struct guide_step *s)
{
	int i;

	if (guide_check_async(s->check.kind))
		return 1;
	for (i = 0; i < s->nmore; i++)
		if (guide_check_async(s->more[i].kind))
			return 1;
	return 0;
}

/*
 * Checks a notification completes, later in the event loop; the others
 * are settled by the key itself.
 */
int
guide_check_async(enum guide_kind kind)
{
	return kind == GK_COUNT || kind == GK_EXACT || kind == GK_INQ ||
	    kind == GK_WIRE;
}

/* "the Client", "Server-Send", "the Server": for sentences. */
const char *
guide_check_the(enum lab_pane pane)
{
	return pane == LAB_SEND ? "Server-Send" : pane == LAB_CLIENT ?
	    "the Client" : "the Server";
}
