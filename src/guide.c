/*
 * guide.c - the lessons of guided mode.
 *
 * A lesson is a goal, keys the guide presses for the learner to set the
 * scene, and steps: a key to press, what it will show, and a check on the
 * lab (a counter, a result, an error) that must hold before the next step.
 * The lab stays real: a different key still runs, and the guide says what
 * it did and how to get back on track, so the learner is never stuck.
 * Because the keys are free, a step can become impossible (its socket
 * closed, its notification already spent); guide_end finds that from the
 * lab itself, so the guide never waits for what cannot come. The lessons
 * teach the Winsock model, so m is refused while one runs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "errname.h"
#include "guide.h"
#include "lab.h"

enum guide_kind {
	GK_OK,		/* the step's result is OK */
	GK_ERR,		/* the step failed with err */
	GK_COUNT,	/* pane's counter note >= n (and its err, if set) */
	GK_EXACT,	/* pane's counter note == n */
	GK_INQ,		/* pane's receive queue holds n bytes */
	GK_ROWS,	/* the pane's list has n rows */
	GK_AUTO		/* auto mode is n */
};

struct guide_check {
	enum guide_kind	 kind;
	enum lab_pane	 pane;
	enum asock_note	 note;
	unsigned long	 n;
	int		 err;
	const char	*waiting;	/* shown until the check holds */
};

struct guide_step {
	int			 key;
	const char		*say;
	struct guide_check	 check;
};

struct guide_lesson {
	const char		*title;
	const char		*goal;
	const char		*setup;		/* keys the guide presses */
	struct guide_step	 steps[16];	/* ends with key 0 */
	const char		*done;
};

#define OK(k, s)	{ k, s, { GK_OK, 0, 0, 0, 0, NULL } }
#define ERR(k, s, e)	{ k, s, { GK_ERR, 0, 0, 0, e, NULL } }
#define COUNT(k, s, p, note, n, e, w) \
			{ k, s, { GK_COUNT, p, note, n, e, w } }

static const struct guide_lesson guide_lessons[GUIDE_LESSONS] = {
{ "The walkthrough: 1 to 7",
  "Make a server and a client, connect them and send one time record, "
  "watching which notification each step causes.", "", {
	OK('1', "Press 1: the server gets a socket and an address."),
	OK('2', "Press 2: the server listens; the kernel will answer "
	    "connections on its own."),
	OK('3', "Press 3: the client gets a socket."),
	COUNT('4', "Press 4: connect. Watch OnConnect on the Client and "
	    "OnAccept on the Server: both before anyone accepts.",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
	OK('5', "Press 5: accept the queued connection into Server-Send."),
	COUNT('6', "Press 6: Server-Send sends the time. The Client's "
	    "OnReceive will say it arrived.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1,
	    0, "waiting for OnReceive at the Client"),
	OK('7', "Press 7: the Client reads the record; see it on the "
	    "Received line."),
  }, "That is the walkthrough of \"Asynchronous TCP Part 1\": every "
  "notification meant \"now you can\", and the counters moved only when "
  "the loop delivered one." },
{ "Two sends, one receive",
  "See that OnReceive is one-shot: it does not fire again for new bytes "
  "until the program calls recv.", "12345", {
	COUNT('6', "Press 6: one record goes to the Client: OnReceive 1.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	{ '6', "Press 6 again: a second record arrives. Under the Winsock "
	    "model OnReceive stays at 1: nobody called recv since.",
	    { GK_INQ, LAB_CLIENT, 0, 2 * LAB_RECORD_SIZE, 0,
	    "waiting for the second record" } },
	COUNT('7', "Press 7: recv reads one record and re-enables OnReceive, "
	    "which fires at once: a record is still queued.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 2, 0, "waiting for the second OnReceive"),
	OK('7', "Press 7: the second record."),
	ERR('7', "Press 7 once more: nothing is left, so EAGAIN.", EAGAIN),
  }, "Two sends gave two OnReceive, but the second came only after the "
  "first recv. A program reads in its OnReceive handler, so it never "
  "misses data." },
{ "Receive with nothing sent",
  "Call recv before anything was sent, and see why a non-blocking socket "
  "says EAGAIN instead of waiting.", "12345", {
	ERR('7', "Press 7 before anything was sent.", EAGAIN),
	COUNT('6', "Press 6: now a record arrives and OnReceive says so.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK('7', "Press 7: this time recv has something to read."),
  }, "EAGAIN (WSAEWOULDBLOCK 10035) is not a failure: it means \"not now\". "
  "Waiting for OnReceive is how a program avoids it." },
{ "Connect with nobody listening",
  "Connect before the server listens, see the refusal, and fix it.", "", {
	OK('1', "Press 1: a server socket, but do not listen yet."),
	OK('3', "Press 3: a client socket."),
	COUNT('4', "Press 4: connect. The server's kernel answers the SYN "
	    "with RST.", LAB_CLIENT, ASOCK_ON_CONNECT, 1, ECONNREFUSED,
	    "waiting for OnConnect(ECONNREFUSED)"),
	OK('2', "Press 2: now the server listens."),
	{ 'n', "Press n: a fresh client socket for a new try (the refused "
	    "one would answer its next connect with ECONNABORTED).",
	    { GK_ROWS, LAB_CLIENT, 0, 2, 0, NULL } },
	COUNT('4', "Press 4: connect again; this time OnConnect(0).",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
  }, "The refusal came as OnConnect(ECONNREFUSED), not from connect "
  "itself: a non-blocking connect only starts the handshake." },
{ "Three ways to close",
  "Close gracefully, half-close and abort, and watch what the peer sees "
  "each time.", "12345", {
	COUNT('6', "Press 6: send a record to the Client.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK('7', "Press 7: read it, so nothing is left unread."),
	COUNT('x', "Press x: the Client closes. Server-Send sees OnClose(0).",
	    LAB_SEND, ASOCK_ON_CLOSE, 1, 0, "waiting for OnClose at "
	    "Server-Send"),
	OK('n', "Press n: a new client for the next experiment."),
	COUNT('4', "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK('5', "Press 5: accept it into a new Server-Send row."),
	COUNT('h', "Press h: the Client half-closes. Server-Send sees "
	    "OnClose(0) but may still send.", LAB_SEND, ASOCK_ON_CLOSE, 1, 0,
	    "waiting for OnClose at Server-Send"),
	COUNT('6', "Press 6: Server-Send still sends, the Client still "
	    "receives.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive"),
	OK('n', "Press n: one more client."),
	COUNT('4', "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK('5', "Press 5: accept it."),
	COUNT('Z', "Press Z: Server-Send aborts. The Client sees "
	    "OnClose(ECONNRESET).", LAB_CLIENT, ASOCK_ON_CLOSE, 1, ECONNRESET,
	    "waiting for OnClose(ECONNRESET) at the Client"),
  }, "FIN says \"no more from me\" and comes after the data; RST says "
  "\"this connection is over\": unsent data is dropped, and on Linux the "
  "peer reads what had reached it, then ECONNRESET (Winsock discards it)." },
{ "Out-of-band data",
  "Send urgent bytes and see that OnOutOfBandData is one-shot and that "
  "Linux holds only one urgent byte.", "12345", {
	COUNT('U', "Press U: Server-Send sends urgent byte A.", LAB_CLIENT,
	    ASOCK_ON_OOB, 1, 0, "waiting for OnOutOfBandData"),
	OK('u', "Press u: the Client reads it with MSG_OOB, which enables "
	    "OnOutOfBandData again."),
	COUNT('U', "Press U: urgent byte B.", LAB_CLIENT, ASOCK_ON_OOB, 2, 0,
	    "waiting for OnOutOfBandData"),
	{ 'U', "Press U before reading: urgent byte C takes B's place; B was "
	    "next in the stream, so Linux drops it. No new OnOutOfBandData "
	    "comes (it waits for u).",
	    { GK_EXACT, LAB_CLIENT, ASOCK_ON_OOB, 2, 0, NULL } },
	OK('u', "Press u: the byte read is C; B is lost."),
  }, "Urgent data is one byte beside the stream, announced by SIGURG. "
  "Few protocols use it (telnet's interrupt is the classic one)." },
{ "Fill the pipe",
  "Send until the kernel refuses, then read on the other side and watch "
  "OnSend come again, the one time it does.", "12345", {
	ERR('F', "Press F: Server-Send sends until EAGAIN. Its OnSend stays "
	    "at 1.", EAGAIN),
	COUNT('d', "Press d: the Client reads everything; room frees up and "
	    "Server-Send gets OnSend again.", LAB_SEND, ASOCK_ON_SEND, 2, 0,
	    "waiting for OnSend at Server-Send"),
  }, "OnSend is not \"sent\": it is \"you may send again\", after a send "
  "failed with EAGAIN. A program keeps what it could not send until then." },
{ "Auto mode",
  "Let the notifications drive the steps, as a real program does.", "1234", {
	{ 'a', "Press a: auto mode accepts the waiting connection, and "
	    "Server-Send sends the time each second; the Client reads it on "
	    "each OnReceive.", { GK_COUNT, LAB_CLIENT, ASOCK_ON_RECEIVE, 2, 0,
	    "waiting for two records to be received" } },
	COUNT('8', "Press 8: the Client sends a line; Server-Send reads it "
	    "on its own.", LAB_SEND, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive at Server-Send"),
	{ 'a', "Press a: auto mode off; the counters stop.",
	    { GK_AUTO, 0, 0, 0, 0, NULL } },
  }, "In a real program each notification handler makes the call the "
  "notification invited: that is what auto mode does, with a timer for "
  "Server-Send's sends." },
};

static const struct guide_step *
guide_cur(const struct guide *g)
{
	const struct guide_step *s = &guide_lessons[g->lesson].steps[g->step];

	return s->key != 0 ? s : NULL;
}

/*
 * A row's counter, counted from when its socket was last made again (x
 * then 3 keeps the row and its counts): what came on an earlier socket
 * must not make a check hold, nor make it look impossible.
 */
static unsigned long
guide_count(const struct guide *g, const struct lab_sock *p,
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
static void
guide_rebase(struct guide *g, const struct lab_sock *p)
{
	struct guide_base *b = &g->base[g->nbase++ % GUIDE_BASES];

	b->row = p;
	memcpy(b->counts, p->counts, sizeof b->counts);
}

/*
 * A step that makes a socket (1, 3) whose pane's socket is already open,
 * as after 3 pressed before 2: what it would do is done, so it counts.
 */
static int
guide_already(const struct guide *g, const struct guide_step *s)
{
	const struct lab_step_def *def = lab_step_def(s->key);

	return s->check.kind == GK_OK && (s->key == '1' || s->key == '3') &&
	    def != NULL && lab_is_open(lab_sel(g->lab, def->pane));
}

static int
guide_holds(const struct guide *g, const struct guide_step *s)
{
	const struct lab *lab = g->lab;
	const struct guide_check *c = &s->check;
	const struct lab_sock *p = lab_sel(lab, c->pane);
	enum asock_state st;

	switch (c->kind) {
	case GK_OK:
		return lab->result[s->key].ok;
	case GK_ERR:
		return lab->result[s->key].err == c->err;
	case GK_COUNT:
		if (guide_count(g, p, c->note) < c->n)
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
		return guide_count(g, p, c->note) == c->n;
	case GK_INQ:
		return p->view.inq == (int)c->n;
	case GK_ROWS:
		return lab_rows(lab, c->pane) == c->n;
	case GK_AUTO:
		return lab->auto_mode == (int)c->n;
	}
	return 0;
}

/*
 * Checks a notification completes, later in the event loop; the others
 * are settled by the key itself.
 */
static int
guide_async(enum guide_kind kind)
{
	return kind == GK_COUNT || kind == GK_EXACT || kind == GK_INQ;
}

/*
 * Panes whose selected socket key makes or closes, so that what a later
 * step needs there cannot be judged from the sockets of now. Auto mode's
 * first act is an accept.
 */
static unsigned
guide_touches(int key)
{
	switch (key) {
	case '1':
	case 'L':
		return 1u << LAB_SERVER;
	case '3':
	case 'n':
	case 'x':
	case 'z':
		return 1u << LAB_CLIENT;
	case '5':
	case 'a':
	case 'X':
	case 'Z':
		return 1u << LAB_SEND;
	default:
		return 0;
	}
}

/* "the Client", "Server-Send", "the Server": for sentences. */
static const char *
guide_the(enum lab_pane pane)
{
	return pane == LAB_SEND ? "Server-Send" : pane == LAB_CLIENT ?
	    "the Client" : "the Server";
}

/* The other end of a connection's pane; the key that sends from there. */
static enum lab_pane
guide_peer_pane(enum lab_pane pane)
{
	return pane == LAB_CLIENT ? LAB_SEND : LAB_CLIENT;
}

static int
guide_send_key(enum lab_pane from)
{
	return from == LAB_SEND ? '6' : '8';
}

/*
 * The error a once-only notification came with, for sentences: a socket
 * that connected says "no error" even when its err still holds the
 * EINPROGRESS of its connect call.
 */
static const char *
guide_note_err(const struct lab_sock *w, enum asock_note note)
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
guide_peers(const struct lab_sock *a, const struct lab_sock *b)
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
guide_newest_open(const struct lab *lab, enum lab_pane pane)
{
	size_t n = lab_rows(lab, pane);

	return pane != LAB_SERVER && n > 0 && lab_selected(lab, pane) != n - 1 &&
	    lab_is_open(lab_row(lab, pane, n - 1));
}

enum guide_end {
	GE_NONE,	/* the step can still complete */
	GE_KEY,		/* only after another key: *key names it */
	GE_DEAD		/* never: r starts the lesson again */
};

/*
 * The socket of pane is needed and is closed or was never made. When the
 * learner picked an old row, picking the newest again recovers.
 */
static enum guide_end
guide_gone(const struct lab *lab, enum lab_pane pane, int need,
    const char *what, int *key, char *buf, size_t len)
{
	const struct lab_sock *p = lab_sel(lab, pane);

	if (guide_newest_open(lab, pane)) {
		*key = pane == LAB_SEND ? 'j' : 'c';
		snprintf(buf, len, "The selected %s row is closed, so %s: pick "
		    "the newest row with %s, or press r to start the lesson "
		    "again.", lab_pane_name(pane), what, pane == LAB_SEND ?
		    "Up/Down (j/k)" : "Tab (c/C)");
		return GE_KEY;
	}
	/*
	 * A closed Client before its connect, or a closed Server before it
	 * listens: nothing was built on that socket yet, so making it again
	 * (3, 1) in the same row recovers.
	 */
	if ((pane == LAB_CLIENT && need == '4') || (pane == LAB_SERVER &&
	    need == '2')) {
		*key = pane == LAB_CLIENT ? '3' : '1';
		snprintf(buf, len, "%s %s, so %s: press %c to make a new "
		    "socket, or r to start the lesson again.",
		    pane == LAB_CLIENT ? "The Client" : "The Server",
		    p->sock == NULL ? "has no socket" : "is closed", what, *key);
		return GE_KEY;
	}
	*key = 'r';
	snprintf(buf, len, "This lesson cannot go on: %s %s, so %s. Press r "
	    "to start it again.", guide_the(pane), p->sock == NULL ?
	    "has no socket" : "is closed", what);
	return GE_DEAD;
}

/*
 * What the dead-end checks of the current step look at, found once: the
 * step and its check, the socket the check is about (w, in pane wp) and
 * that socket's peer.
 */
struct guide_look {
	const struct guide		*g;
	const struct lab		*lab;
	const struct guide_step		*s;
	const struct guide_check	*c;
	const struct lab_step_def	*def;	/* the key's step, or NULL */
	enum lab_pane			 wp;
	const struct lab_sock		*w;
	const struct lab_sock		*peer;
};

/*
 * One kind of dead end: GE_NONE when it is not this one, else the reason
 * in buf and the key that recovers in *key.
 */
typedef enum guide_end guide_end_check(const struct guide_look *, int *,
    char *, size_t);

static void
guide_look_at(struct guide_look *y, const struct guide *g,
    const struct guide_step *s)
{
	y->g = g;
	y->lab = g->lab;
	y->s = s;
	y->c = &s->check;
	y->def = lab_step_def(s->key);
	/* A check the key settles is about the socket the key acts on. */
	y->wp = !guide_async(y->c->kind) && y->def != NULL ? y->def->pane :
	    y->c->pane;
	y->w = lab_sel(y->lab, y->wp);
	y->peer = lab_sel(y->lab, guide_peer_pane(y->wp));
}

/* The lessons teach the Winsock model; under edge they would mislead. */
static enum guide_end
guide_end_edge(int *key, char *buf, size_t len)
{
	*key = 'm';
	snprintf(buf, len, "The edge-triggered model is on (--model edge, "
	    "or m before the lesson), and the lessons teach the Winsock "
	    "model: what they say would not be what you see. Press m for "
	    "the Winsock model; the lesson then starts again.");
	return GE_DEAD;
}

/*
 * This step and the ones after it: are their sockets there? A step's key
 * needs its pane's socket open, and a check a notification completes
 * needs its pane's; a step that makes or closes a pane's socket ends
 * what can be judged there from the sockets of now.
 */
static enum guide_end
guide_end_sockets(const struct guide *g, int *key, char *buf, size_t len)
{
	const struct lab *lab = g->lab;
	const struct guide_lesson *l = &guide_lessons[g->lesson];
	const struct guide_step *t;
	const struct guide_check *c;
	const struct lab_step_def *def;
	const struct lab_sock *k;
	char what[160];
	unsigned touched = 0;
	int j, now;

	for (j = g->step; (t = &l->steps[j])->key != 0; j++) {
		now = j == g->step;
		c = &t->check;
		def = lab_step_def(t->key);
		if (def != NULL && !(now && g->pressed) &&
		    !(touched & (1u << def->pane))) {
			k = lab_sel(lab, def->pane);
			snprintf(what, sizeof what, "%s %c (%s %s) can do nothing",
			    now ? "its key" : "a later step's key", t->key,
			    lab_pane_name(def->pane), def->name);
			/* 1 or 3 with its socket open is already done. */
			if (t->key != '1' && t->key != '3' && t->key != 'n' &&
			    !lab_is_open(k))
				return guide_gone(lab, def->pane, t->key, what,
				    key, buf, len);
		}
		if (guide_async(c->kind) && !(touched & (1u << c->pane)) &&
		    !lab_is_open(lab_sel(lab, c->pane))) {
			snprintf(what, sizeof what, "the %s %s waits for can "
			    "never come", c->kind == GK_INQ ? "data" :
			    asock_note_name(c->note), now ? "this step" :
			    "a later step");
			return guide_gone(lab, c->pane, 0, what, key, buf,
			    len);
		}
		touched |= guide_touches(t->key);
	}
	return GE_NONE;
}

/* Counters only grow. */
static enum guide_end
guide_end_past(const struct guide_look *y, int *key, char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;
	const struct guide *g = y->g;

	if (c->kind == GK_EXACT && guide_count(g, w, c->note) > c->n) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s at %s is "
		    "already %lu, past the %lu this step shows. Press r to "
		    "start it again.", asock_note_name(c->note),
		    lab_pane_name(c->pane), guide_count(g, w, c->note), c->n);
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * A graceful OnClose(0) that came as RST instead: OnClose comes once
 * per connection. Say why the close was abortive.
 */
static enum guide_end
guide_end_reset(const struct guide_look *y, int *key, char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;

	if (c->kind == GK_COUNT && c->note == ASOCK_ON_CLOSE && c->err == 0 &&
	    guide_count(y->g, w, c->note) >= c->n && w->err == ECONNRESET) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s got "
		    "OnClose(ECONNRESET), not the graceful OnClose(0) this step "
		    "shows: %s, so its kernel sent RST instead of FIN, and "
		    "OnClose comes only once per connection. Press r to start "
		    "it again, and read everything (7 or d) before %c.",
		    guide_the(y->wp), peer->last_key == 'z' || peer->last_key ==
		    'Z' ? "the peer aborted" : "the peer closed with bytes "
		    "unread", y->s->key);
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * OnConnect came otherwise on this socket, and it comes once per
 * connect: a new socket (x then 3, or n) connects afresh, unless the
 * step needs a refusal and the server now listens.
 */
static enum guide_end
guide_end_reconnect(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct lab *lab = y->lab;
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_COUNT && c->note == ASOCK_ON_CONNECT &&
	    guide_count(y->g, w, c->note) >= c->n && lab_is_open(w) &&
	    asock_state(w->sock) != ASOCK_CONNECTING && (c->err == 0 ||
	    !lab_is_open(&lab->server) ||
	    asock_state(lab->server.sock) != ASOCK_LISTENING)) {
		*key = 'x';
		snprintf(buf, len, "OnConnect came at the Client with %s, not "
		    "with %s as this step needs, and it comes only once per "
		    "connect: press x to close this socket, then 3 for a new "
		    "one (or n for another client), or r to start the lesson "
		    "again.", guide_note_err(w, c->note),
		    c->err != 0 ? errname_name(c->err) : "no error");
		return GE_KEY;
	}
	return GE_NONE;
}

/* OnConnect comes once per connect, OnClose once per connection. */
static enum guide_end
guide_end_once(const struct guide_look *y, int *key, char *buf, size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_COUNT && guide_count(y->g, w, c->note) >= c->n &&
	    (c->note == ASOCK_ON_CLOSE || (c->note == ASOCK_ON_CONNECT &&
	    asock_state(w->sock) != ASOCK_CONNECTING))) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s came at %s "
		    "with %s, not with %s as this step needs, and it comes "
		    "only once per %s. Press r to start it again.",
		    asock_note_name(c->note), lab_pane_name(c->pane),
		    guide_note_err(w, c->note), c->err != 0 ?
		    errname_name(c->err) : "no error",
		    c->note == ASOCK_ON_CLOSE ? "connection" : "connect");
		return GE_DEAD;
	}
	return GE_NONE;
}

/*
 * The INQ step shows bytes queuing behind one OnReceive: a recv
 * since then enabled OnReceive again, so that cannot be shown.
 */
static enum guide_end
guide_end_read_early(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (c->kind == GK_INQ && (guide_count(y->g, w, ASOCK_ON_RECEIVE) > 1 ||
	    w->bytes_read > 0)) {
		*key = 'r';
		snprintf(buf, len, "%s called recv (7 or d) since its "
		    "OnReceive, and recv enables OnReceive again, so the next "
		    "record brings another one: this step's point, a second "
		    "record with no second OnReceive, cannot be shown now. "
		    "Press r to start the lesson again.",
		    y->wp == LAB_CLIENT ? "The Client" : "Server-Send");
		return GE_KEY;
	}
	return GE_NONE;
}

/*
 * A close that should be graceful, with bytes unread at the closing
 * socket: the kernel would send RST instead of FIN.
 */
static enum guide_end
guide_end_close_unread(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct lab *lab = y->lab;
	const struct guide_check *c = y->c;
	const struct lab_step_def *def = y->def;
	int sk = y->s->key;

	if (!y->g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_CLOSE && c->err == 0 &&
	    (sk == 'x' || sk == 'X') && def != NULL &&
	    lab_sel(lab, def->pane)->view.inq > 0) {
		*key = def->pane == LAB_SEND ? 'D' : 'd';
		snprintf(buf, len, "%s has %d bytes unread: closing it now "
		    "would send RST instead of FIN, and %s would get "
		    "OnClose(ECONNRESET), not OnClose(0). Press %c to read them "
		    "first, or r to start the lesson again.",
		    def->pane == LAB_SEND ? "Server-Send" : "The Client",
		    lab_sel(lab, def->pane)->view.inq, guide_the(c->pane),
		    *key);
		return GE_KEY;
	}
	return GE_NONE;
}

/* A socket that never connected gets none of a connection's notes. */
static enum guide_end
guide_end_unconnected(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (guide_async(c->kind) && c->note != ASOCK_ON_CONNECT &&
	    w->sock != NULL && asock_state(w->sock) == ASOCK_CREATED) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: the selected %s "
		    "row is not connected, so the %s this step waits for cannot "
		    "come. Press r to start it again.", lab_pane_name(y->wp),
		    c->kind == GK_INQ ? "data" : asock_note_name(c->note));
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
guide_end_after_close(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (guide_async(c->kind) && c->kind != GK_INQ &&
	    c->note == ASOCK_ON_RECEIVE &&
	    w->sock != NULL && asock_state(w->sock) == ASOCK_PEER_CLOSED) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s had its "
		    "OnClose (its peer closed), and no %s comes after that. "
		    "Press r to start it again.", guide_the(y->wp),
		    asock_note_name(c->note));
		return GE_DEAD;
	}
	return GE_NONE;
}

/* The step's key acts on the peer: is it the other end of w? */
static enum guide_end
guide_end_not_peers(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_step_def *def = y->def;

	if (!y->g->pressed && guide_async(c->kind) && def != NULL &&
	    def->pane != c->pane && c->kind != GK_INQ &&
	    !guide_peers(lab_sel(y->lab, def->pane), y->w)) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: the selected "
		    "%s and %s rows are not the two ends of one connection, "
		    "so nothing %c does reaches %s. Press r to start it again "
		    "(or pick the rows with Up/Down and Tab).",
		    lab_pane_name(def->pane), lab_pane_name(c->pane), y->s->key,
		    guide_the(c->pane));
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
guide_end_no_data(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide *g = y->g;
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;
	int need, sk = y->s->key;

	need = (g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_RECEIVE) || (!g->pressed && c->kind != GK_ERR &&
	    (sk == '7' || sk == '9')) ? 1 : (g->pressed &&
	    c->kind == GK_INQ) ? (int)c->n : 0;
	if (need <= 0 || w->view.inq >= need || (lab_is_open(peer) &&
	    peer->view.outq > 0))
		return GE_NONE;
	if (w->view.inq <= 0 && w->sock != NULL &&
	    asock_state(w->sock) == ASOCK_PEER_CLOSED) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s's peer "
		    "closed the connection and everything was read, so "
		    "no more data can come. Press r to start it again.",
		    guide_the(y->wp));
		return GE_DEAD;
	}
	*key = guide_send_key(guide_peer_pane(y->wp));
	if (c->kind == GK_INQ)
		snprintf(buf, len, "%s has %d bytes waiting and "
		    "nothing more is on its way; this step needs %lu. "
		    "Press %c to send another record, or r to start "
		    "the lesson again.", y->wp == LAB_CLIENT ? "The Client" :
		    "Server-Send", w->view.inq > 0 ? w->view.inq : 0,
		    c->n, *key);
	else
		snprintf(buf, len, "Nothing waits for %s and nothing "
		    "is on its way, so %s: press %c to send %s, or r to "
		    "start the lesson again.", guide_the(y->wp),
		    g->pressed ? "OnReceive cannot come" :
		    "there is nothing to read", *key, *key == '6' ?
		    "a record" : "a line");
	return GE_KEY;
}

/*
 * An urgent byte that is neither at w (POLLPRI) nor on its way will
 * not come; one stuck behind a full receive queue comes only if w
 * reads up to it, and a drain reads past it, which drops it.
 */
static enum guide_end
guide_end_no_urgent(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w, *peer = y->peer;

	if (!y->g->pressed || c->kind != GK_COUNT || c->note != ASOCK_ON_OOB ||
	    w->view.urgent)
		return GE_NONE;
	if (!(lab_is_open(peer) && peer->view.outq > 0)) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: no urgent "
		    "byte waits at %s and none is on its way, so "
		    "OnOutOfBandData cannot come. Press r to start it "
		    "again.", guide_the(y->wp));
		return GE_DEAD;
	}
	if (w->view.inq > 0) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: the urgent "
		    "byte waits behind %d bytes %s has not read, and a "
		    "drain (d) reads past its place, which drops it. "
		    "Press r to start it again.", w->view.inq,
		    guide_the(y->wp));
		return GE_DEAD;
	}
	return GE_NONE;
}

/* Too much data: a receive queue does not shrink by itself. */
static enum guide_end
guide_end_too_much(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (y->g->pressed && c->kind == GK_INQ && w->view.inq > (int)c->n) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: %s holds %d bytes, "
		    "more than the %lu this step shows. Press r to start it "
		    "again.", guide_the(y->wp), w->view.inq, c->n);
		return GE_DEAD;
	}
	return GE_NONE;
}

/* A graceful OnClose comes only once everything was read. */
static enum guide_end
guide_end_close_waits(const struct guide_look *y, int *key, char *buf,
    size_t len)
{
	const struct guide_check *c = y->c;
	const struct lab_sock *w = y->w;

	if (y->g->pressed && c->kind == GK_COUNT &&
	    c->note == ASOCK_ON_CLOSE && w->view.inq > 0) {
		*key = y->wp == LAB_SEND ? 'D' : 'd';
		snprintf(buf, len, "%s has %d bytes unread, and OnClose comes "
		    "only once everything was read: press %c to read them, or "
		    "r to start the lesson again.", guide_the(y->wp),
		    w->view.inq, *key);
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
guide_end_first(guide_end_check *const *checks, const struct guide_look *y,
    int *key, char *buf, size_t len)
{
	enum guide_end e;

	for (; *checks != NULL; checks++)
		if ((e = (*checks)(y, key, buf, len)) != GE_NONE)
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
static enum guide_end
guide_end(const struct guide *g, int *key, char *buf, size_t len)
{
	const struct guide_step *s = guide_cur(g);
	struct guide_look y;
	enum guide_end e;

	if (!g->on || g->done || s == NULL)
		return GE_NONE;
	if (g->lab->edge)
		return guide_end_edge(key, buf, len);
	if (g->pressed && guide_holds(g, s))
		return GE_NONE;		/* about to move on */
	if ((e = guide_end_sockets(g, key, buf, len)) != GE_NONE)
		return e;
	if (g->dead) {
		*key = 'r';
		snprintf(buf, len, "This lesson cannot go on: its key %c did "
		    "nothing at its turn. Press r to start it again.", s->key);
		return GE_DEAD;
	}
	guide_look_at(&y, g, s);
	e = guide_end_first(guide_end_always, &y, key, buf, len);
	if (e != GE_NONE || g->lab->auto_mode)
		return e;
	return guide_end_first(guide_end_by_hand, &y, key, buf, len);
}

/* "3 (Client Create)", for sentences. */
static void
guide_step_name(int key, char *buf, size_t len)
{
	const struct lab_step_def *d = lab_step_def(key);

	if (d != NULL)
		snprintf(buf, len, "%c (%s %s)", key, lab_pane_name(d->pane),
		    d->name);
	else
		snprintf(buf, len, "%c (%s)", key, key == 'a' ? "auto mode" :
		    "a key");
}

/*
 * Move on past every step whose check holds, and past a step already
 * done (guide_already). A key that completed its step says "Good".
 */
static void
guide_advance(struct guide *g, int pressed_now)
{
	const struct guide_step *s;
	char why[400], name[48], skip[48];
	int key, moved = 0, done_key = 0, skipped = 0;
	size_t n;

	/* Under the edge model the checks would not mean what they say. */
	while (!g->lab->edge && (s = guide_cur(g)) != NULL &&
	    ((g->pressed && guide_holds(g, s)) || guide_already(g, s))) {
		if (g->pressed && guide_holds(g, s)) {
			if (done_key == 0)
				done_key = s->key;
		} else
			skipped = s->key;
		g->step++;
		g->pressed = 0;
		g->dead = 0;
		moved = 1;
	}
	if (skipped != 0)
		guide_step_name(skipped, skip, sizeof skip);
	if (guide_cur(g) == NULL) {
		g->done = 1;
		snprintf(g->msg, sizeof g->msg, "Lesson done. %s%s",
		    guide_lessons[g->lesson].done, g->lesson + 1 < GUIDE_LESSONS ?
		    " Press ] for the next lesson." : " That was the last "
		    "lesson; g leaves the guide.");
	} else if (moved && (pressed_now || skipped != 0)) {
		g->msg[0] = '\0';
		if (pressed_now && done_key != 0) {
			guide_step_name(done_key, name, sizeof name);
			snprintf(g->msg, sizeof g->msg, "Good: %s%s%s.", name,
			    lab_step_def(done_key) != NULL ? " gave " : "",
			    lab_step_def(done_key) != NULL ?
			    g->lab->result[done_key].brief : "");
		}
		n = strlen(g->msg);
		if (skipped != 0)
			snprintf(g->msg + n, sizeof g->msg - n, "%s%s was "
			    "already done: %s already has a socket.",
			    n > 0 ? " " : "", skip,
			    guide_the(lab_step_def(skipped)->pane));
	} else if (guide_end(g, &key, why, sizeof why) != GE_NONE) {
		/* guide_say tells it; a "waiting" here would contradict it. */
		if (moved || pressed_now || strncmp(g->msg, "Good.", 5) == 0)
			g->msg[0] = '\0';
	} else if (g->pressed && pressed_now)
		snprintf(g->msg, sizeof g->msg, "Good. Now %s...",
		    guide_cur(g)->check.waiting != NULL ?
		    guide_cur(g)->check.waiting : "waiting");
	else if (moved)
		g->msg[0] = '\0';
}

void
guide_start(struct guide *g, struct lab *lab, int lesson)
{
	memset(g, 0, sizeof *g);
	g->lab = lab;
	g->on = 1;
	g->lesson = lesson < 0 ? 0 : lesson >= GUIDE_LESSONS ?
	    GUIDE_LESSONS - 1 : lesson;
	lab_say_line(lab, "guide: lesson %d, %s", g->lesson + 1,
	    guide_lessons[g->lesson].title);
	lab_step(lab, 'r');
	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	/*
	 * The setup keys are only listed here: the front end presses each
	 * through its own key path and lets the loop deliver what it caused
	 * before the next, so the counters read as if the learner had
	 * pressed them. Running the loop from here would not work: a key
	 * arrives in a callback of that loop, and libevent refuses to run a
	 * loop from inside itself.
	 */
	g->setup = guide_lessons[g->lesson].setup;
}

/*
 * The list stays set while its last key settles: only the call after it
 * ends the setup, so no key is asked for before the scene is set.
 */
int
guide_setup_next(struct guide *g)
{
	const char *setup = guide_lessons[g->lesson].setup;

	if (g->setup == NULL)
		return 0;
	if (*g->setup != '\0')
		return (unsigned char)*g->setup++;
	g->setup = NULL;
	/* Unless r said "started again", say what the guide did. */
	if (*setup != '\0' && g->msg[0] == '\0')
		snprintf(g->msg, sizeof g->msg, "The guide pressed %s for you: "
		    "the scene is set.", setup);
	return 0;
}

void
guide_stop(struct guide *g)
{
	g->on = 0;
}

/* "Server-Send Send", or what a key that is no step does. */
static void
guide_key_name(int key, char *buf, size_t len)
{
	const struct lab_step_def *d = lab_step_def(key);

	if (d != NULL)
		snprintf(buf, len, "%s %s", lab_pane_name(d->pane), d->name);
	else
		snprintf(buf, len, "%s", key == 'a' ? "auto mode" : "a key");
}

/*
 * The step's own key was pressed (again): settle a check the key decides,
 * or wait for the notification; a key that was refused or failed is not
 * taken as done.
 */
static void
guide_pressed(struct guide *g, const struct guide_step *s)
{
	const struct lab_result *r = &g->lab->result[s->key];
	char why[400];
	int key, ok;

	if (s->key == 'a')
		ok = g->lab->auto_mode == (s->check.kind == GK_AUTO ?
		    (int)s->check.n : 1);
	else if (r->refused && guide_already(g, s)) {
		/* Refused as "already exists": its socket is there. */
		g->pressed = 0;
		g->dead = 0;
		guide_advance(g, 0);
		return;
	} else
		ok = guide_async(s->check.kind) ? r->ok : guide_holds(g, s);
	if (ok) {
		g->pressed = 1;
		g->dead = 0;
		guide_advance(g, 1);
		return;
	}
	g->pressed = 0;
	if (s->key == 'a')
		snprintf(g->msg, sizeof g->msg, "That turned auto mode %s%s. "
		    "Press a again.", g->lab->auto_mode ? "on" : "off",
		    g->lab->auto_mode ? "" : ": nothing is sent or read on its "
		    "own now");
	else if (r->refused) {
		g->dead = 1;
		snprintf(g->msg, sizeof g->msg, "That did nothing now: %s.",
		    r->detail);
	} else
		snprintf(g->msg, sizeof g->msg, "That gave %s, not what this "
		    "step needs: %s.%s", r->brief, r->detail,
		    guide_end(g, &key, why, sizeof why) == GE_NONE ?
		    " Press it again, or r to start this lesson again." : "");
}

int
guide_refuse(struct guide *g, int key)
{
	g->refused = 0;
	if (!g->on || g->done || key != 'm' || g->lab->edge)
		return 0;
	/* Back to Winsock (m from --model edge) is allowed; away is not. */
	g->refused = key;
	snprintf(g->msg, sizeof g->msg, "m is turned down during a lesson: "
	    "the lessons teach the Winsock model (one-shot notifications), "
	    "and under the edge-triggered model what they say would not be "
	    "what you see. Press g to leave the guide, then m.");
	return 1;
}

/*
 * The message for a key other than the step's: it ran all the same, so
 * say what it did, and the way back. When the step can no longer
 * complete, guide_say tells why, so this says only what the key did.
 */
static void
guide_say_other(struct guide *g, const struct guide_step *s, int key,
    const struct lab_step_def *def)
{
	const struct lab_result *r = &g->lab->result[key];
	char want[48], why[400];
	int k;

	guide_key_name(s->key, want, sizeof want);
	if (guide_end(g, &k, why, sizeof why) != GE_NONE)
		if (def != NULL)
			snprintf(g->msg, sizeof g->msg, "You pressed %c (%s %s): "
			    "%s.", key, lab_pane_name(def->pane), def->name,
			    r->brief);
		else
			snprintf(g->msg, sizeof g->msg, "You pressed %c.", key);
	else if (def != NULL && g->pressed)
		snprintf(g->msg, sizeof g->msg, "You pressed %c (%s %s): %s. "
		    "The lesson is still %s; r starts it again.", key,
		    lab_pane_name(def->pane), def->name, r->brief,
		    s->check.waiting != NULL ? s->check.waiting : "waiting");
	else if (def != NULL)
		snprintf(g->msg, sizeof g->msg, "You pressed %c (%s %s): %s. "
		    "The lesson wants %c (%s). Press %c to go on, or r to start "
		    "this lesson again.", key, lab_pane_name(def->pane),
		    def->name, r->brief, s->key, want, s->key);
	else
		snprintf(g->msg, sizeof g->msg, "The lesson wants %c (%s); r "
		    "starts it again.", s->key, want);
}

void
guide_key(struct guide *g, int key)
{
	const struct guide_step *s;
	const struct lab_step_def *def;
	int refused = g->refused;

	g->refused = 0;
	if (!g->on || (refused != 0 && refused == key))
		return;
	/* 1 or 3 made a socket again in its row: count from here. */
	if ((key == '1' || key == '3') && g->lab->result[key].ok &&
	    (def = lab_step_def(key)) != NULL)
		guide_rebase(g, lab_sel(g->lab, def->pane));
	if (key == 'r') {
		guide_start(g, g->lab, g->lesson);
		snprintf(g->msg, sizeof g->msg, "Lesson started again.");
		return;
	}
	if (key == 'm' && !g->lab->edge && !g->done) {
		/* From --model edge back to Winsock: a clean start. */
		guide_start(g, g->lab, g->lesson);
		snprintf(g->msg, sizeof g->msg, "The Winsock model again: the "
		    "lesson starts again.");
		return;
	}
	if (g->done || (s = guide_cur(g)) == NULL)
		return;
	if (g->lab->edge) {
		g->msg[0] = '\0';	/* guide_say asks for m */
		return;
	}
	if (key == s->key) {
		guide_pressed(g, s);
		return;
	}
	def = lab_step_def(key);
	/* w, selection and the like leave a waiting step waiting. */
	if (def == NULL && g->pressed && key != 'a') {
		guide_advance(g, 0);
		return;
	}
	/* A different key: it ran all the same. Say what, and the way back. */
	g->dead = 0;
	guide_say_other(g, s, key, def);
	/* The key may have done what the step waits for, or made it done. */
	if (g->pressed || guide_already(g, s))
		guide_advance(g, 0);
}

void
guide_update(struct guide *g)
{
	if (g->on && !g->done && g->pressed)
		guide_advance(g, 0);
}

int
guide_next_key(const struct guide *g)
{
	const struct guide_step *s;
	char why[400];
	int key;

	if (!g->on || g->done || g->setup != NULL ||
	    (s = guide_cur(g)) == NULL)
		return 0;
	if (guide_end(g, &key, why, sizeof why) != GE_NONE)
		return key;
	return g->pressed ? 0 : s->key;
}

void
guide_heading(const struct guide *g, char *buf, size_t len)
{
	snprintf(buf, len, "Lesson %d of %d: %s", g->lesson + 1, GUIDE_LESSONS,
	    guide_lessons[g->lesson].title);
}

const char *
guide_goal(const struct guide *g)
{
	return guide_lessons[g->lesson].goal;
}

/*
 * One guide per tcpstep, so the sentence about a step that cannot go on
 * can live in a static buffer.
 */
const char *
guide_say(const struct guide *g)
{
	static char why[400];
	const struct guide_step *s = guide_cur(g);
	int key;

	if (s != NULL && guide_end(g, &key, why, sizeof why) != GE_NONE)
		return why;
	return s != NULL ? s->say : "";
}

void
guide_progress(const struct guide *g, char *buf, size_t len)
{
	int n = 0;

	while (guide_lessons[g->lesson].steps[n].key != 0)
		n++;
	if (g->done)
		snprintf(buf, len, "done, %d steps", n);
	else
		snprintf(buf, len, "step %d of %d", g->step + 1, n);
}

int
guide_command_starts(const struct guide *g, int key)
{
	if (key == 'g')
		return !g->on;
	if (key == ']')
		return !g->on || g->lesson + 1 < GUIDE_LESSONS;
	if (key == '[')
		return !g->on || g->lesson > 0;
	return 0;
}

int
guide_command(struct guide *g, struct lab *lab, int key)
{
	if ((key == 'g' || key == ']' || key == '[') &&
	    lab->cfg.role != LAB_ALL_IN_ONE) {
		snprintf(lab->explain, sizeof lab->explain, "The guided lessons "
		    "use the all-in-one lab, with server and client in one "
		    "tcpstep: run tcpstep --guide without -s or -c.");
		return 1;
	}
	switch (key) {
	case 'g':
		if (g->on)
			guide_stop(g);
		else
			guide_start(g, lab, g->lesson);
		return 1;
	case ']':
	case '[':
		/* No lesson past either end: say so, and restart nothing. */
		if (!guide_command_starts(g, key)) {
			if (key == ']')
				snprintf(g->msg, sizeof g->msg, "Lesson %d is the "
				    "last lesson: [ goes back to lesson %d, g "
				    "leaves the guide.", GUIDE_LESSONS,
				    GUIDE_LESSONS - 1);
			else
				snprintf(g->msg, sizeof g->msg, "Lesson 1 is the "
				    "first lesson: ] goes on to lesson 2, g leaves "
				    "the guide.");
			return 1;
		}
		guide_start(g, lab, g->lesson + (key == ']' ? 1 : -1));
		return 1;
	default:
		return 0;
	}
}
