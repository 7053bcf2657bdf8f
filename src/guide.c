/*
 * guide.c - the lessons of guided mode.
 *
 * A lesson is a goal, keys the guide presses for the learner to set the
 * scene, and steps: a key to press, what it will show, and a check on the
 * lab (a counter, a result, an error) that must hold before the next step.
 * The lab stays real: a different key still runs, and the guide says what
 * it did and how to get back on track, so the learner is never stuck.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

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
  "notification invited, and nothing else: that is all auto mode does." },
};

static const struct guide_step *
guide_cur(const struct guide *g)
{
	const struct guide_step *s = &guide_lessons[g->lesson].steps[g->step];

	return s->key != 0 ? s : NULL;
}

static int
guide_holds(const struct guide *g, const struct guide_step *s)
{
	const struct lab *lab = g->lab;
	const struct guide_check *c = &s->check;
	const struct lab_sock *p = lab_sel(lab, c->pane);

	switch (c->kind) {
	case GK_OK:
		return lab->result[s->key].ok;
	case GK_ERR:
		return lab->result[s->key].err == c->err;
	case GK_COUNT:
		return p->counts[c->note] >= c->n &&
		    (c->err == 0 || p->err == c->err);
	case GK_EXACT:
		return p->counts[c->note] == c->n;
	case GK_INQ:
		return p->view.inq == (int)c->n;
	case GK_ROWS:
		return lab_rows(lab, c->pane) == c->n;
	case GK_AUTO:
		return lab->auto_mode == (int)c->n;
	}
	return 0;
}

/* Move on past every step whose check holds. */
static void
guide_advance(struct guide *g)
{
	const struct guide_step *s;

	while (g->pressed && (s = guide_cur(g)) != NULL && guide_holds(g, s)) {
		g->step++;
		g->pressed = 0;
	}
	if (guide_cur(g) == NULL) {
		g->done = 1;
		snprintf(g->msg, sizeof g->msg, "Lesson done. %s%s",
		    guide_lessons[g->lesson].done, g->lesson + 1 < GUIDE_LESSONS ?
		    " Press ] for the next lesson." : " That was the last "
		    "lesson; g leaves the guide.");
	} else if (g->pressed)
		snprintf(g->msg, sizeof g->msg, "Good. Now %s...",
		    guide_cur(g)->check.waiting != NULL ?
		    guide_cur(g)->check.waiting : "waiting");
	else
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

void
guide_key(struct guide *g, int key)
{
	const struct guide_step *s;
	const struct lab_step_def *def;
	const struct lab_result *r;
	char want[48];

	if (!g->on)
		return;
	if (key == 'r') {
		guide_start(g, g->lab, g->lesson);
		snprintf(g->msg, sizeof g->msg, "Lesson started again.");
		return;
	}
	if (g->done || (s = guide_cur(g)) == NULL)
		return;
	if (key == s->key && !g->pressed) {
		if (g->lab->result[key].refused && s->check.kind == GK_OK) {
			/* Done earlier by a key out of turn, or not possible. */
			snprintf(g->msg, sizeof g->msg, "That did nothing now: "
			    "%s. Press r to start this lesson again.",
			    g->lab->result[key].detail);
			return;
		}
		g->pressed = 1;
		guide_advance(g);
		return;
	}
	/* A different key: it ran all the same. Say what, and the way back. */
	def = lab_step_def(key);
	r = &g->lab->result[key];
	guide_key_name(s->key, want, sizeof want);
	if (key == s->key)
		snprintf(g->msg, sizeof g->msg, "Still %s; if it never comes, "
		    "press r to start this lesson again.", s->check.waiting ?
		    s->check.waiting : "waiting");
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
guide_update(struct guide *g)
{
	if (g->on && !g->done && g->pressed)
		guide_advance(g);
}

int
guide_next_key(const struct guide *g)
{
	const struct guide_step *s;

	if (!g->on || g->done || g->pressed || g->setup != NULL ||
	    (s = guide_cur(g)) == NULL)
		return 0;
	return s->key;
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

const char *
guide_say(const struct guide *g)
{
	const struct guide_step *s = guide_cur(g);

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
		guide_start(g, lab, g->lesson + (key == ']' ? 1 : -1));
		return 1;
	default:
		return 0;
	}
}
