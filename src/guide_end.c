/*
 * guide_end.c - when a lesson cannot go on, and the key that recovers.
 *
 * The lab stays real during a lesson: any key still runs. So the step
 * the guide waits for can become impossible (its socket closed, its
 * notification already spent or come otherwise, its data read early);
 * guide_end finds that from the lab itself, so the guide never waits for
 * what cannot come, and says what happened and which key gets the
 * learner back on track (or Reset's, to start the lesson again). Each
 * kind of dead end is one guide_end_* check; the lists near the end say
 * in which order they are looked for. Keys are named as bind.c binds them
 * (guide_check_key, bind_cmd_name).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "errname.h"
#include "bind.h"
#include "guide.h"
#include "guide_check.h"
#include "guide_end.h"
#include "guide_lessons.h"
#include "lab.h"

/*
 * Panes whose selected socket op makes or closes, so that what a later
 * step needs there cannot be judged from the sockets of now. Auto mode's
 * first act is an accept.
 */
static unsigned
guide_end_touches(enum lab_op op)
{
	switch (op) {
	case LAB_OP_SERVER_CREATE:
	case LAB_OP_SERVER_CLOSE:
		return 1u << LAB_SERVER;
	case LAB_OP_CLIENT_CREATE:
	case LAB_OP_NEW_CLIENT:
	case LAB_OP_CLIENT_CLOSE:
	case LAB_OP_CLIENT_ABORT:
		return 1u << LAB_CLIENT;
	case LAB_OP_ACCEPT:
	case LAB_OP_AUTO:
	case LAB_OP_CONN_CLOSE:
	case LAB_OP_CONN_ABORT:
		return 1u << LAB_SEND;
	default:
		return 0;
	}
}

/* The other end of a connection's pane; the op that sends from there. */
static enum lab_pane
guide_end_peer_pane(enum lab_pane pane)
{
	return pane == LAB_CLIENT ? LAB_SEND : LAB_CLIENT;
}

static enum lab_op
guide_end_send_op(enum lab_pane from)
{
	return from == LAB_SEND ? LAB_OP_CONN_SEND : LAB_OP_CLIENT_SEND;
}

/*
 * The error a once-only notification came with, for sentences: a socket
 * that connected says "no error" even when its err still holds the
 * EINPROGRESS of its connect call.
 */
static const char *
guide_end_note_err(const struct lab_sock *w, enum asock_note note)
{
	enum asock_state st = w->sock != NULL ? asock_state(w->sock) :
	    ASOCK_CLOSED;

	if (note == ASOCK_ON_CONNECT && (st == ASOCK_CONNECTED ||
	    st == ASOCK_PEER_CLOSED))
		return "no error";
	return w->err != 0 ? errname_name(w->err) : "no error";
}

/* Whether a and b are the two ends of one connection, as last looked at. */
static int
guide_end_peers(const struct lab_sock *a, const struct lab_sock *b)
{
	char x[ADDR_STRLEN], y[ADDR_STRLEN];

	if (!a->view.have_peer || !b->view.have_local)
		return 0;
	addr_format((const struct sockaddr *)&a->view.peer, x, sizeof x);
	addr_format((const struct sockaddr *)&b->view.local, y, sizeof y);
	return strcmp(x, y) == 0;
}

/*
 * Whether the pane's newest row, which a lesson's steps made and selected,
 * is open while another row is selected: picking it again recovers.
 */
static int
guide_end_newest_open(const struct lab *lab, enum lab_pane pane)
{
	size_t n = lab_rows(lab, pane);

	return pane != LAB_SERVER && n > 0 && lab_selected(lab, pane) != n - 1 &&
	    lab_is_open(lab_row(lab, pane, n - 1));
}

/*
 * How the learner picks another row of pane, in the front end's words:
 * "Up/Down (j/k)" for Server-Send, "Tab (c/C)" for the Client.
 */
static void
guide_end_pick(enum lab_pane pane, char *buf, size_t len)
{
	if (pane == LAB_SEND)
		snprintf(buf, len, "%s/%s (%s/%s)", bind_cmd_name(BIND_PICK_UP),
		    bind_cmd_name(BIND_PICK_DOWN),
		    guide_check_key(LAB_OP_CONN_NEXT),
		    guide_check_key(LAB_OP_CONN_PREV));
	else
		snprintf(buf, len, "%s (%s/%s)", bind_cmd_name(BIND_PICK_NEXT),
		    guide_check_key(LAB_OP_CLIENT_NEXT),
		    guide_check_key(LAB_OP_CLIENT_PREV));
}

/*
 * The socket of pane is needed and is closed or was never made. When the
 * learner picked an old row, picking the newest again recovers.
 */
static enum guide_end
guide_end_gone(const struct lab *lab, enum lab_pane pane, enum lab_op need,
    const char *what, enum lab_op *op, char *buf, size_t len)
{
	const struct lab_sock *p = lab_sel(lab, pane);
	char pick[64];

	if (guide_end_newest_open(lab, pane)) {
		*op = pane == LAB_SEND ? LAB_OP_CONN_NEXT :
		    LAB_OP_CLIENT_NEXT;
		guide_end_pick(pane, pick, sizeof pick);
		snprintf(buf, len, "The selected %s row is closed, so %s: pick "
		    "the newest row with %s, or press %s to start the lesson "
		    "again.", lab_pane_name(pane), what, pick,
		    guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	/*
	 * A closed Client before its connect, or a closed Server before it
	 * listens: nothing was built on that socket yet, so making it again
	 * (its Create) in the same row recovers.
	 */
	if ((pane == LAB_CLIENT && need == LAB_OP_CONNECT) ||
	    (pane == LAB_SERVER && need == LAB_OP_LISTEN)) {
		*op = pane == LAB_CLIENT ? LAB_OP_CLIENT_CREATE :
		    LAB_OP_SERVER_CREATE;
		snprintf(buf, len, "%s %s, so %s: press %s to make a new "
		    "socket, or %s to start the lesson again.",
		    pane == LAB_CLIENT ? "The Client" : "The Server",
		    p->sock == NULL ? "has no socket" : "is closed", what,
		    guide_check_key(*op), guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	*op = LAB_OP_RESET;
	snprintf(buf, len, "This lesson cannot go on: %s %s, so %s. Press %s "
	    "to start it again.", guide_check_the(pane), p->sock == NULL ?
	    "has no socket" : "is closed", what,
	    guide_check_key(LAB_OP_RESET));
	return GE_DEAD;
}

/*
 * What the dead-end checks of the current step look at, found once: the
 * step and its check, the socket the check is about (w, in pane wp) and
 * that socket's peer.
 */
struct guide_end_look {
	const struct guide		*g;
	const struct lab		*lab;
	const struct guide_step		*s;
	const struct guide_check	*c;
	int				 step;	/* s->op: a pane's */
	enum lab_pane			 pane;	/* that pane */
	enum lab_pane			 wp;
	const struct lab_sock		*w;
	int				 inq;	/* w's, as the kernel has it */
	const struct lab_sock		*peer;
};

/*
 * One kind of dead end: GE_NONE when it is not this one, else the reason
 * in buf and the op whose key recovers in *op.
 */
typedef enum guide_end guide_end_check(const struct guide_end_look *,
    enum lab_op *, char *, size_t);

static void
guide_end_look_at(struct guide_end_look *y, const struct guide *g,
    const struct guide_step *s)
{
	y->g = g;
	y->lab = g->lab;
	y->s = s;
	y->c = &s->check;
	y->step = lab_op_is_step(s->op);
	y->pane = lab_op_pane(s->op);
	/* A check the step settles is about the socket the step acts on. */
	y->wp = !guide_check_async(y->c->kind) && y->step ? y->pane :
	    y->c->pane;
	if (y->wp == y->c->pane) {
		y->w = guide_check_sock(y->lab, y->c);
		y->inq = guide_check_inq(y->lab, y->c);
	} else {
		y->w = lab_sel(y->lab, y->wp);
		y->inq = y->w->view.inq;
	}
	y->peer = lab_sel(y->lab, guide_end_peer_pane(y->wp));
}

/* The lessons teach the Winsock model; under edge they would mislead. */
static enum guide_end
guide_end_edge(enum lab_op *op, char *buf, size_t len)
{
	*op = LAB_OP_MODEL;
	snprintf(buf, len, "The edge-triggered model is on (--model edge, "
	    "or %s before the lesson), and the lessons teach the Winsock "
	    "model: what they say would not be what you see. Press %s for "
	    "the Winsock model; the lesson then starts again.",
	    guide_check_key(*op), guide_check_key(*op));
	return GE_DEAD;
}

/*
 * This step and the ones after it: are their sockets there? A step's key
 * needs its pane's socket open, and a check a notification completes
 * needs its pane's; a step that makes or closes a pane's socket ends
 * what can be judged there from the sockets of now.
 */
static enum guide_end
guide_end_sockets(const struct guide *g, enum lab_op *op, char *buf,
    size_t len)
{
	const struct lab *lab = g->lab;
	const struct guide_step *t;
	const struct guide_check *c;
	enum lab_pane pane;
	const struct lab_sock *k;
	char what[160];
	unsigned touched = 0;
	int j, now;

	for (j = g->step; (t = &g->steps[j])->say != NULL; j++) {
		now = j == g->step;
		c = &t->check;
		pane = lab_op_pane(t->op);
		/* A partner's key is pressed on the other machine. */
		if (lab_op_is_step(t->op) && !t->theirs &&
		    !(now && g->pressed) &&
		    !(touched & (1u << pane))) {
			k = lab_sel(lab, pane);
			snprintf(what, sizeof what, "%s %s (%s %s) can do "
			    "nothing", now ? "its key" : "a later step's key",
			    guide_check_key(t->op), lab_pane_name(pane),
			    lab_op_name(t->op));
			/* 1 or 3 with its socket open is already done. */
			if (!guide_check_makes(t->op) &&
			    t->op != LAB_OP_NEW_CLIENT && !lab_is_open(k))
				return guide_end_gone(lab, pane, t->op, what,
				    op, buf, len);
		}
		/*
		 * A named row not made yet may still be (n, an accept), in
		 * a role that has its pane.
		 */
		if (guide_check_async(c->kind) &&
		    !(touched & (1u << c->pane)) &&
		    (c->row <= lab->next_id[c->pane] ||
		    !lab_has_pane(lab, c->pane)) &&
		    !lab_is_open(guide_check_sock(lab, c))) {
			snprintf(what, sizeof what, "the %s %s waits for can "
			    "never come", c->kind == GK_INQ ? "data" :
			    asock_note_name(c->note), now ? "this step" :
			    "a later step");
			/* Picking another row cannot help a named one. */
			if (c->row != 0 && lab_has_pane(lab, c->pane)) {
				*op = LAB_OP_RESET;
				snprintf(buf, len, "This lesson cannot go on: "
				    "%s row %zu is closed, so %s. Press %s to "
				    "start it again.", lab_pane_name(c->pane),
				    c->row, what,
				    guide_check_key(LAB_OP_RESET));
				return GE_DEAD;
			}
			return guide_end_gone(lab, c->pane, LAB_OP_NONE, what,
			    op, buf, len);
		}
		touched |= guide_end_touches(t->op);
	}
	return GE_NONE;
}

/* Counters only grow. */
static enum guide_end
guide_end_past(const struct guide_end_look *y, enum lab_op *op, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;
	const struct guide *g = y->g;

	if (c->kind == GK_EXACT && guide_check_count(g, w, c->note) > c->n) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s at %s is "
		    "already %lu, past the %lu this step shows. Press %s to "
		    "start it again.", asock_note_name(c->note),
		    lab_pane_name(c->pane), guide_check_count(g, w, c->note),
		    c->n, guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * A graceful OnClose(0) that came as RST instead: OnClose comes once
 * per connection. Say why the close was abortive.
 */
static enum guide_end
guide_end_reset(const struct guide_end_look *y, enum lab_op *op, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;

	if (c->kind == GK_COUNT && c->note == ASOCK_ON_CLOSE && c->err == 0 &&
	    guide_check_count(y->g, w, c->note) >= c->n &&
	    w->err == ECONNRESET) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s got "
		    "OnClose(ECONNRESET), not the graceful OnClose(0) this step "
		    "shows: %s, so its kernel sent RST instead of FIN, and "
		    "OnClose comes only once per connection. Press %s to start "
		    "it again, and read everything (%s or %s) before %s.",
		    guide_check_the(y->wp), peer->last_op ==
		    LAB_OP_CLIENT_ABORT || peer->last_op == LAB_OP_CONN_ABORT ?
		    "the peer aborted" : "the peer closed with bytes unread",
		    guide_check_key(LAB_OP_RESET),
		    guide_check_key(LAB_OP_CLIENT_RECEIVE),
		    guide_check_key(LAB_OP_CLIENT_DRAIN),
		    guide_check_key(y->s->op));
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * OnConnect came otherwise on this socket, and it comes once per
 * connect: a new socket (Close then Create, or New) connects afresh,
 * unless the step needs a refusal and the server now listens.
 */
static enum guide_end
guide_end_reconnect(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct lab *lab = y->lab;
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_COUNT && c->note == ASOCK_ON_CONNECT &&
	    guide_check_count(y->g, w, c->note) >= c->n && lab_is_open(w) &&
	    asock_state(w->sock) != ASOCK_CONNECTING && (c->err == 0 ||
	    !lab_is_open(&lab->server) ||
	    asock_state(lab->server.sock) != ASOCK_LISTENING)) {
		*op = LAB_OP_CLIENT_CLOSE;
		snprintf(buf, len, "OnConnect came at the Client with %s, not "
		    "with %s as this step needs, and it comes only once per "
		    "connect: press %s to close this socket, then %s for a new "
		    "one (or %s for another client), or %s to start the lesson "
		    "again.", guide_end_note_err(w, c->note),
		    c->err != 0 ? errname_name(c->err) : "no error",
		    guide_check_key(*op),
		    guide_check_key(LAB_OP_CLIENT_CREATE),
		    guide_check_key(LAB_OP_NEW_CLIENT),
		    guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	return GE_NONE;
}

/* OnConnect comes once per connect, OnClose once per connection. */
static enum guide_end
guide_end_once(const struct guide_end_look *y, enum lab_op *op, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_COUNT &&
	    guide_check_count(y->g, w, c->note) >= c->n &&
	    (c->note == ASOCK_ON_CLOSE || (c->note == ASOCK_ON_CONNECT &&
	    asock_state(w->sock) != ASOCK_CONNECTING))) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s came at %s "
		    "with %s, not with %s as this step needs, and it comes "
		    "only once per %s. Press %s to start it again.",
		    asock_note_name(c->note), lab_pane_name(c->pane),
		    guide_end_note_err(w, c->note), c->err != 0 ?
		    errname_name(c->err) : "no error",
		    c->note == ASOCK_ON_CLOSE ? "connection" : "connect",
		    guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * The INQ step shows bytes queuing behind one OnReceive: a recv
 * since then enabled OnReceive again, so that cannot be shown.
 */
static enum guide_end
guide_end_read_early(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_INQ &&
	    (guide_check_count(y->g, w, ASOCK_ON_RECEIVE) > 1 ||
	    w->bytes_read > 0)) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "%s called recv (%s or %s) since its "
		    "OnReceive, and recv enables OnReceive again, so the next "
		    "record brings another one: this step's point, a second "
		    "record with no second OnReceive, cannot be shown now. "
		    "Press %s to start the lesson again.",
		    y->wp == LAB_CLIENT ? "The Client" : "Server-Send",
		    guide_check_key(LAB_OP_CLIENT_RECEIVE),
		    guide_check_key(LAB_OP_CLIENT_DRAIN),
		    guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	return GE_NONE;
}

/*
 * A close that should be graceful, with bytes unread at the closing
 * socket: the kernel would send RST instead of FIN.
 */
static enum guide_end
guide_end_close_unread(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct lab *lab = y->lab;
	const struct guide_check *c = y->c;
	enum lab_op sk = y->s->op;

	if (!y->g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_CLOSE && c->err == 0 &&
	    (sk == LAB_OP_CLIENT_CLOSE || sk == LAB_OP_CONN_CLOSE) &&
	    lab_sel(lab, y->pane)->view.inq > 0) {
		*op = y->pane == LAB_SEND ? LAB_OP_CONN_DRAIN :
		    LAB_OP_CLIENT_DRAIN;
		snprintf(buf, len, "%s has %d bytes unread: closing it now "
		    "would send RST instead of FIN, and %s would get "
		    "OnClose(ECONNRESET), not OnClose(0). Press %s to read them "
		    "first, or %s to start the lesson again.",
		    y->pane == LAB_SEND ? "Server-Send" : "The Client",
		    lab_sel(lab, y->pane)->view.inq, guide_check_the(c->pane),
		    guide_check_key(*op), guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	return GE_NONE;
}

/* A socket that never connected gets none of a connection's notes. */
static enum guide_end
guide_end_unconnected(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (guide_check_async(c->kind) && c->note != ASOCK_ON_CONNECT &&
	    w->sock != NULL && asock_state(w->sock) == ASOCK_CREATED) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: the selected %s "
		    "row is not connected, so the %s this step waits for cannot "
		    "come. Press %s to start it again.", lab_pane_name(y->wp),
		    c->kind == GK_INQ ? "data" : asock_note_name(c->note),
		    guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * After OnClose (the peer's FIN) no data comes, so no OnReceive. A
 * half-closed socket may still send, and OnSend still comes after
 * a fill (CLOSE_WAIT): no rule for it.
 */
static enum guide_end
guide_end_after_close(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (guide_check_async(c->kind) && c->kind != GK_INQ &&
	    c->note == ASOCK_ON_RECEIVE &&
	    w->sock != NULL && asock_state(w->sock) == ASOCK_PEER_CLOSED) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s had its "
		    "OnClose (its peer closed), and no %s comes after that. "
		    "Press %s to start it again.", guide_check_the(y->wp),
		    asock_note_name(c->note), guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/* The step's key acts on the peer: is it the other end of w? */
static enum guide_end
guide_end_not_peers(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	char named[48];

	if (!y->g->pressed && guide_check_async(c->kind) && y->step &&
	    y->pane != c->pane && c->kind != GK_INQ &&
	    !guide_end_peers(lab_sel(y->lab, y->pane), y->w)) {
		*op = LAB_OP_RESET;
		if (c->row != 0)
			snprintf(named, sizeof named, "%s row %zu",
			    lab_pane_name(c->pane), c->row);
		else
			snprintf(named, sizeof named, "the selected %s row",
			    lab_pane_name(c->pane));
		snprintf(buf, len, "This lesson cannot go on: the selected "
		    "%s row and %s are not the two ends of one connection, "
		    "so nothing %s does reaches %s. Press %s to start it again "
		    "(or pick the rows with %s/%s and %s).",
		    lab_pane_name(y->pane), named,
		    guide_check_key(y->s->op), named,
		    guide_check_key(LAB_OP_RESET), bind_cmd_name(BIND_PICK_UP),
		    bind_cmd_name(BIND_PICK_DOWN),
		    bind_cmd_name(BIND_PICK_NEXT));
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * Data the step needs: not there, and not on its way. A receive
 * step needs bytes (unless it shows EAGAIN), OnReceive needs them
 * too, and the INQ check its full count.
 */
static enum guide_end
guide_end_no_data(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide *g = y->g;
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;
	enum lab_op sk = y->s->op;
	int need;

	/* The peer is on the partner's machine: its data may be on its way. */
	if (!lab_has_pane(y->lab, guide_end_peer_pane(y->wp)))
		return GE_NONE;
	need = (g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_RECEIVE) || (!g->pressed && c->kind != GK_ERR &&
	    (sk == LAB_OP_CLIENT_RECEIVE || sk == LAB_OP_CONN_RECEIVE)) ? 1 :
	    (g->pressed &&
	    c->kind == GK_INQ) ? (int)c->n : 0;
	if (need <= 0 || y->inq >= need || (lab_is_open(peer) &&
	    peer->view.outq > 0))
		return GE_NONE;
	if (y->inq <= 0 && w->sock != NULL &&
	    asock_state(w->sock) == ASOCK_PEER_CLOSED) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s's peer "
		    "closed the connection and everything was read, so "
		    "no more data can come. Press %s to start it again.",
		    guide_check_the(y->wp), guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	*op = guide_end_send_op(guide_end_peer_pane(y->wp));
	if (c->kind == GK_INQ)
		snprintf(buf, len, "%s has %d bytes waiting and "
		    "nothing more is on its way; this step needs %lu. "
		    "Press %s to send another record, or %s to start "
		    "the lesson again.", y->wp == LAB_CLIENT ? "The Client" :
		    "Server-Send", y->inq > 0 ? y->inq : 0,
		    c->n, guide_check_key(*op), guide_check_key(LAB_OP_RESET));
	else
		snprintf(buf, len, "Nothing waits for %s and nothing "
		    "is on its way, so %s: press %s to send %s, or %s to "
		    "start the lesson again.", guide_check_the(y->wp),
		    g->pressed ? "OnReceive cannot come" :
		    "there is nothing to read", guide_check_key(*op),
		    *op == LAB_OP_CONN_SEND ? "a record" : "a line",
		    guide_check_key(LAB_OP_RESET));
	return GE_KEY;
}

/*
 * An urgent byte that is neither at w (POLLPRI) nor on its way will
 * not come; one stuck behind a full receive queue comes only if w
 * reads up to it, and a drain reads past it, which drops it.
 */
static enum guide_end
guide_end_no_urgent(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;

	if (!y->g->pressed || c->kind != GK_COUNT || c->note != ASOCK_ON_OOB ||
	    w->view.urgent || !lab_has_pane(y->lab, guide_end_peer_pane(y->wp)))
		return GE_NONE;
	if (!(lab_is_open(peer) && peer->view.outq > 0)) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: no urgent "
		    "byte waits at %s and none is on its way, so "
		    "OnOutOfBandData cannot come. Press %s to start it "
		    "again.", guide_check_the(y->wp),
		    guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	if (y->inq > 0) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: the urgent "
		    "byte waits behind %d bytes %s has not read, and a "
		    "drain (%s) reads past its place, which drops it. "
		    "Press %s to start it again.", y->inq,
		    guide_check_the(y->wp),
		    guide_check_key(LAB_OP_CLIENT_DRAIN),
		    guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/* Too much data: a receive queue does not shrink by itself. */
static enum guide_end
guide_end_too_much(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;

	if (y->g->pressed && c->kind == GK_INQ && y->inq > (int)c->n) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: %s holds %d bytes, "
		    "more than the %lu this step shows. Press %s to start it "
		    "again.", guide_check_the(y->wp), y->inq, c->n,
		    guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	return GE_NONE;
}

/* A graceful OnClose comes only once everything was read. */
static enum guide_end
guide_end_close_waits(const struct guide_end_look *y, enum lab_op *op,
    char *buf, size_t len)
{
	const struct guide_check *c = y->c;

	if (y->g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_CLOSE && y->inq > 0) {
		*op = y->wp == LAB_SEND ? LAB_OP_CONN_DRAIN :
		    LAB_OP_CLIENT_DRAIN;
		snprintf(buf, len, "%s has %d bytes unread, and OnClose comes "
		    "only once everything was read: press %s to read them, or "
		    "%s to start the lesson again.", guide_check_the(y->wp),
		    y->inq, guide_check_key(*op),
		    guide_check_key(LAB_OP_RESET));
		return GE_KEY;
	}
	return GE_NONE;
}

/*
 * The dead ends of the current step, in the order they are looked for:
 * the first that applies is the one the learner is told. Its notification
 * spent or come otherwise, its socket in a state that gets none...
 */
static guide_end_check *const guide_end_always[] = {
	guide_end_past,
	guide_end_reset,
	guide_end_reconnect,
	guide_end_once,
	guide_end_read_early,
	guide_end_close_unread,
	guide_end_unconnected,
	guide_end_after_close,
	guide_end_not_peers,
	NULL
};

/*
 * ... and data or an urgent byte that is not there: auto mode's handlers
 * send and read on their own, so these hold only without it.
 */
static guide_end_check *const guide_end_by_hand[] = {
	guide_end_no_data,
	guide_end_no_urgent,
	guide_end_too_much,
	guide_end_close_waits,
	NULL
};

/* The first dead end of checks that applies, or GE_NONE. */
static enum guide_end
guide_end_first(guide_end_check *const *checks, const struct guide_end_look *y,
    enum lab_op *op, char *buf, size_t len)
{
	enum guide_end e;

	for (; *checks != NULL; checks++)
		if ((e = (*checks)(y, op, buf, len)) != GE_NONE)
			return e;
	return GE_NONE;
}

/*
 * Whether the current step can still complete, and if not, why and the
 * key that recovers. It looks at every kind of check: the sockets the
 * step's key acts on and its check watches, for this step and for the
 * steps after it until one makes or closes that pane's socket; counters
 * that cannot reach their value; notifications that come once and came
 * otherwise, or not at all on a socket never connected or past its
 * OnClose; data or an urgent byte that is not there and not on its way;
 * the model the lessons teach. A step key that was refused at its turn
 * (g->dead) is one too: pressed again it would be refused again.
 */
enum guide_end
guide_end(const struct guide *g, enum lab_op *op, char *buf, size_t len)
{
	const struct guide_step *s = guide_check_step(g);
	struct guide_end_look y;
	enum guide_end e;

	if (!g->on || g->done || s == NULL)
		return GE_NONE;
	if (g->lab->edge)
		return guide_end_edge(op, buf, len);
	/*
	 * About to move on, or waiting for a step's other expects: the
	 * dead ends below are found from its first check alone, and once
	 * that holds they would misread it.
	 */
	if (g->pressed && guide_check_one(g, s, &s->check))
		return GE_NONE;
	if ((e = guide_end_sockets(g, op, buf, len)) != GE_NONE)
		return e;
	if (g->dead) {
		*op = LAB_OP_RESET;
		snprintf(buf, len, "This lesson cannot go on: its key %s did "
		    "nothing at its turn. Press %s to start it again.",
		    guide_check_key(s->op), guide_check_key(LAB_OP_RESET));
		return GE_DEAD;
	}
	guide_end_look_at(&y, g, s);
	e = guide_end_first(guide_end_always, &y, op, buf, len);
	if (e != GE_NONE || g->lab->auto_mode)
		return e;
	return guide_end_first(guide_end_by_hand, &y, op, buf, len);
}
