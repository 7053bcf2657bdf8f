/*
 * guide.c - the engine of guided mode: it runs the lessons
 * src/guide_lessons.c loaded (files: tcpstep-lesson(5)).
 *
 * A lesson is a goal, keys the guide presses for the learner to set the
 * scene, and steps: a key to press, what it will show, and a check on the
 * lab (a counter, a result, an error) that must hold before the next step
 * (src/guide_check.c). The lab stays real: a different key still runs,
 * and the guide says what it did and how to get back on track, so the
 * learner is never stuck. Because the keys are free, a step can become
 * impossible (its socket closed, its notification already spent);
 * guide_end (src/guide_end.c) finds that from the lab itself, so the
 * guide never waits for what cannot come. The lessons teach the Winsock
 * model, so m is refused while one runs.
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "guide.h"
#include "guide_check.h"
#include "guide_end.h"
#include "guide_lessons.h"
#include "lab.h"

/* "3 (Client Create)", for sentences. */
static void
guide_step_name(enum lab_op op, char *buf, size_t len)
{
	if (lab_op_is_step(op))
		snprintf(buf, len, "%s (%s %s)", guide_check_key(op),
		    lab_pane_name(lab_op_pane(op)), lab_op_name(op));
	else
		snprintf(buf, len, "%s (%s)", guide_check_key(op),
		    op == LAB_OP_AUTO ? "auto mode" : "a key");
}

/*
 * One side of a pair lesson (tcpstep -s or -c) sees its steps through
 * this copy, made at each start: one guide per process.
 */
static struct guide_step guide_side_steps[GUIDE_STEPS_MAX + 1];

/* Whether step s of a pair lesson is this tcpstep's to press. */
static int
guide_side_mine(const struct lab *lab, const struct guide_step *s)
{
	return (s->on == GS_CLIENT) == (lab->cfg.role == LAB_ROLE_CLIENT);
}

/*
 * Whether this side reads check c of a step: a check of a pane only
 * where the pane is (the other side's panes are on the other machine),
 * the others (ok, error, auto, wire: what the key itself did) only on
 * the side that presses it.
 */
static int
guide_side_sees(const struct lab *lab, const struct guide_check *c, int mine)
{
	switch (c->kind) {
	case GK_COUNT:
	case GK_EXACT:
	case GK_INQ:
	case GK_ROWS:
	case GK_RECEIVED:
		return lab_has_pane(lab, c->pane);
	default:
		return mine;
	}
}

/*
 * The lesson's steps as this tcpstep runs them. All in one, the lesson's
 * own. One side of a pair lesson keeps each step's checks it can see: a
 * step of its own with none left expects ok, and a partner's step
 * (theirs) waits for what the partner's key causes here, or, with none,
 * is done as soon as it comes.
 */
static void
guide_side_view(struct guide *g, const struct guide_lesson *l)
{
	const struct guide_step *from;
	const struct guide_check *c;
	struct guide_step *t;
	int i, k, n, mine;

	if (!l->pair || g->lab->cfg.role == LAB_ALL_IN_ONE) {
		g->steps = l->steps;
		return;
	}
	for (i = 0; i <= l->nsteps; i++) {
		from = &l->steps[i];
		t = &guide_side_steps[i];
		*t = *from;
		if (from->say == NULL)
			break;
		mine = guide_side_mine(g->lab, from);
		t->theirs = !mine;
		t->nmore = 0;
		for (k = n = 0; k <= from->nmore; k++) {
			c = k == 0 ? &from->check : &from->more[k - 1];
			if (!guide_side_sees(g->lab, c, mine))
				continue;
			if (n++ == 0)
				t->check = *c;
			else
				t->more[t->nmore++] = *c;
		}
		if (n == 0) {
			memset(&t->check, 0, sizeof t->check);
			t->check.kind = mine ? GK_OK : GK_NONE;
		}
		/* The waiting text is the presser's; the partner's is made. */
		t->check.waiting = mine ? from->check.waiting : NULL;
	}
	g->steps = guide_side_steps;
}

/*
 * The next lesson from (going by dir, +1 or -1) that runs in this lab's
 * role, or -1.
 */
static int
guide_fit(const struct lab *lab, int from, int dir)
{
	for (; from >= 0 && from < GUIDE_LESSONS; from += dir)
		if (guide_lesson_fits(&guide_lessons[from], lab->cfg.role))
			return from;
	return -1;
}

/*
 * After each new msg: whether it tells a learner who left the lesson's
 * path the way back (off_track), and whether it is the waiting note.
 */
static void
guide_said(struct guide *g, int off_track, int note)
{
	g->off_track = off_track;
	g->noted = note;
}

/*
 * Move on past every step whose check holds, and past a step already
 * done (guide_check_already). A key that completed its step says "Good".
 */
static void
guide_advance(struct guide *g, int pressed_now)
{
	const struct guide_step *s;
	char why[400], name[48], skip[48];
	enum lab_op op, done_op = LAB_OP_NONE, skipped = LAB_OP_NONE;
	const char *then = NULL;	/* the step's then: text */
	const char *last_then = NULL;	/* the last step done's, at the end */
	int moved = 0, theirs = 0, next;
	size_t n;

	/*
	 * Under the edge model the checks would not mean what they say. A
	 * partner's step is pressed on the other machine: it needs only
	 * its checks here.
	 */
	while (!g->lab->edge && (s = guide_check_step(g)) != NULL &&
	    (((g->pressed || s->theirs) && guide_check_holds(g, s)) ||
	    guide_check_already(g, s))) {
		if ((g->pressed || s->theirs) && guide_check_holds(g, s)) {
			if (done_op == LAB_OP_NONE) {
				done_op = s->op;
				then = s->then;
				theirs = s->theirs;
			}
			last_then = s->then;
		} else
			skipped = s->op;
		g->step++;
		g->pressed = 0;
		g->dead = 0;
		moved = 1;
	}
	/* The partner's step now: waiting for it is this side's "pressed". */
	if ((s = guide_check_step(g)) != NULL && s->theirs)
		g->pressed = 1;
	if (skipped != LAB_OP_NONE)
		guide_step_name(skipped, skip, sizeof skip);
	next = guide_fit(g->lab, g->lesson + 1, 1);
	if (guide_check_step(g) == NULL) {
		g->done = 1;
		/* The last step's then: text first: the lesson ends on it. */
		snprintf(g->msg, sizeof g->msg, "%s%sLesson done. %s%s%s%s",
		    last_then != NULL ? last_then : "", last_then != NULL ?
		    " " : "",
		    guide_lessons[g->lesson].done, next != -1 ?
		    " Press " : " That was the last lesson; ", next != -1 ?
		    bind_cmd_name(BIND_LESSON_NEXT) :
		    bind_cmd_name(BIND_GUIDE), next != -1 ?
		    " for the next lesson." : " leaves the guide.");
		guide_said(g, 0, 0);
	} else if (moved && (pressed_now || skipped != LAB_OP_NONE)) {
		g->msg[0] = '\0';
		if (pressed_now && done_op != LAB_OP_NONE) {
			guide_step_name(done_op, name, sizeof name);
			snprintf(g->msg, sizeof g->msg, "Good: %s%s%s.%s%s",
			    name, lab_op_is_step(done_op) ? " gave " : "",
			    lab_op_is_step(done_op) ?
			    g->lab->result[done_op].brief : "",
			    then != NULL ? " " : "", then != NULL ? then : "");
		}
		n = strlen(g->msg);
		if (skipped != LAB_OP_NONE)
			snprintf(g->msg + n, sizeof g->msg - n, "%s%s was "
			    "already done: %s already has a socket.",
			    n > 0 ? " " : "", skip,
			    guide_check_the(lab_op_pane(skipped)));
		guide_said(g, 0, 0);
	} else if (guide_end(g, &op, why, sizeof why) != GE_NONE) {
		/* guide_say tells it; a "waiting" here would contradict it. */
		if (moved || pressed_now || g->noted) {
			g->msg[0] = '\0';
			guide_said(g, 0, 0);
		}
	} else if (g->pressed && pressed_now) {
		snprintf(g->msg, sizeof g->msg, "Good. Now %s...",
		    guide_check_step(g)->check.waiting != NULL ?
		    guide_check_step(g)->check.waiting : "waiting");
		guide_said(g, 0, 1);
	} else if (moved && theirs) {
		/* What the partner's key did arrived here. */
		guide_step_name(done_op, name, sizeof name);
		snprintf(g->msg, sizeof g->msg, "Your partner's %s came "
		    "through.%s%s", name, then != NULL ? " " : "",
		    then != NULL ? then : "");
		guide_said(g, 0, 0);
	} else if (moved) {
		/* A notification completed the step: its then: text, if any. */
		snprintf(g->msg, sizeof g->msg, "%s", then != NULL ? then : "");
		guide_said(g, 0, 0);
	}
}

void
guide_start(struct guide *g, struct lab *lab, int lesson)
{
	memset(g, 0, sizeof *g);
	guide_said(g, 0, 0);
	g->lab = lab;
	g->on = 1;
	g->lesson = lesson < 0 ? 0 : lesson >= GUIDE_LESSONS ?
	    GUIDE_LESSONS - 1 : lesson;
	guide_side_view(g, &guide_lessons[g->lesson]);
	lab_say_line(lab, "guide: lesson %d, %s", g->lesson + 1,
	    guide_lessons[g->lesson].title);
	g->refused = LAB_OP_NONE;
	lab_do(lab, LAB_OP_RESET, LAB_ROW_SELECTED);
	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	/*
	 * The setup ops are only listed here: the front end runs each
	 * as it runs a key's and lets the loop deliver what it caused
	 * before the next, so the counters read as if the learner had
	 * pressed them. Running the loop from here would not work: a key
	 * arrives in a callback of that loop, and libevent refuses to run a
	 * loop from inside itself.
	 */
	g->setup = guide_lessons[g->lesson].setup;
	/* One side of a pair lesson: partner's steps first are waited for. */
	if (g->steps != guide_lessons[g->lesson].steps)
		guide_advance(g, 0);
}

/*
 * The list stays set while its last op settles: only the call after it
 * ends the setup, so no key is asked for before the scene is set.
 */
/*
 * Whether this tcpstep has the pane op acts on: in -s and -c, a setup
 * key of the other side's pane is pressed there.
 */
static int
guide_setup_here(const struct lab *lab, enum lab_op op)
{
	switch (op) {
	case LAB_OP_CONN_NEXT:
	case LAB_OP_CONN_PREV:
		return lab_has_pane(lab, LAB_SEND);
	case LAB_OP_CLIENT_NEXT:
	case LAB_OP_CLIENT_PREV:
		return lab_has_pane(lab, LAB_CLIENT);
	default:
		return !lab_op_is_step(op) ||
		    lab_has_pane(lab, lab_op_pane(op));
	}
}

enum lab_op
guide_setup_next(struct guide *g)
{
	const enum lab_op *setup;
	char keys[64];
	size_t n = 0;

	/* Before the lesson is looked at: there may be no lessons at all. */
	if (g->setup == NULL)
		return LAB_OP_NONE;
	setup = guide_lessons[g->lesson].setup;
	while (*g->setup != LAB_OP_NONE && !guide_setup_here(g->lab, *g->setup))
		g->setup++;
	if (*g->setup != LAB_OP_NONE)
		return *g->setup++;
	g->setup = NULL;
	/* Unless r said "started again", say what the guide did. */
	if (*setup != LAB_OP_NONE && g->msg[0] == '\0') {
		/* The keys of the ops, run together: "12345". */
		keys[0] = '\0';
		for (; *setup != LAB_OP_NONE && n < sizeof keys; setup++)
			if (guide_setup_here(g->lab, *setup))
				n += snprintf(keys + n, sizeof keys - n, "%s",
				    guide_check_key(*setup));
		if (n > 0) {
			snprintf(g->msg, sizeof g->msg, "The guide pressed %s "
			    "for you: the scene is set.", keys);
			guide_said(g, 0, 0);
		}
	}
	return LAB_OP_NONE;
}

static void
guide_stop(struct guide *g)
{
	g->on = 0;
}

/* "Server-Send Send", or what an op that is no step does. */
static void
guide_op_desc(enum lab_op op, char *buf, size_t len)
{
	if (lab_op_is_step(op))
		snprintf(buf, len, "%s %s", lab_pane_name(lab_op_pane(op)),
		    lab_op_name(op));
	else
		snprintf(buf, len, "%s", op == LAB_OP_AUTO ? "auto mode" :
		    "a key");
}

/*
 * The step's own op was run (again): settle a check the op decides, or
 * wait for the notification; an op that was refused or failed is not
 * taken as done. Auto mode, the one step that is no step of a pane, has
 * no result: its check says whether it is on.
 */
static void
guide_pressed(struct guide *g, const struct guide_step *s)
{
	const struct lab_result *r;
	char why[400];
	enum lab_op op;
	int ok;

	r = s->op == LAB_OP_AUTO ? NULL : &g->lab->result[s->op];
	if (r == NULL)
		ok = g->lab->auto_mode == (s->check.kind == GK_AUTO ?
		    (int)s->check.n : 1);
	else if (r->outcome == LAB_NOT_NOW && guide_check_already(g, s)) {
		/* Refused as "already exists": its socket is there. */
		g->pressed = 0;
		g->dead = 0;
		guide_advance(g, 0);
		return;
	} else
		ok = guide_check_step_async(s) ?
		    lab_outcome_ok(r->outcome) : guide_check_holds(g, s);
	if (ok) {
		g->pressed = 1;
		g->dead = 0;
		guide_advance(g, 1);
		return;
	}
	g->pressed = 0;
	if (r == NULL)
		snprintf(g->msg, sizeof g->msg, "That turned auto mode %s%s. "
		    "Press %s again.", g->lab->auto_mode ? "on" : "off",
		    g->lab->auto_mode ? "" : ": nothing is sent or read on its "
		    "own now", guide_check_key(s->op));
	else if (r->outcome == LAB_NOT_NOW) {
		g->dead = 1;
		snprintf(g->msg, sizeof g->msg, "That did nothing now: %s.",
		    r->detail);
	} else if (guide_end(g, &op, why, sizeof why) == GE_NONE)
		snprintf(g->msg, sizeof g->msg, "That gave %s, not what this "
		    "step needs: %s. Press it again, or %s to start this "
		    "lesson again.", r->brief, r->detail,
		    guide_check_key(LAB_OP_RESET));
	else
		snprintf(g->msg, sizeof g->msg, "That gave %s, not what this "
		    "step needs: %s.", r->brief, r->detail);
	guide_said(g, 0, 0);
}

int
guide_refuse(struct guide *g, enum lab_op op)
{
	g->refused = LAB_OP_NONE;
	if (!g->on || g->done || op != LAB_OP_MODEL || g->lab->edge)
		return 0;
	/* Back to Winsock (m from --model edge) is allowed; away is not. */
	g->refused = op;
	snprintf(g->msg, sizeof g->msg, "%s is turned down during a lesson: "
	    "the lessons teach the Winsock model (one-shot notifications), "
	    "and under the edge-triggered model what they say would not be "
	    "what you see. Press %s to leave the guide, then %s.",
	    guide_check_key(op), bind_cmd_name(BIND_GUIDE),
	    guide_check_key(op));
	guide_said(g, 0, 0);
	return 1;
}

/*
 * The message for an op other than the step's: it ran all the same, so
 * say what it did, and the way back. When the step can no longer
 * complete, guide_say tells why, so this says only what the key did.
 */
static void
guide_say_other(struct guide *g, const struct guide_step *s, enum lab_op op)
{
	const struct lab_result *r = lab_op_is_step(op) ?
	    &g->lab->result[op] : NULL;
	const char *key = guide_check_key(op), *reset;
	char want[48], why[400], did[64];
	enum lab_op k;
	int stuck = guide_end(g, &k, why, sizeof why) != GE_NONE;

	reset = guide_check_key(LAB_OP_RESET);
	guide_op_desc(s->op, want, sizeof want);
	if (!stuck && s->theirs) {
		/* Not this side's turn: the partner's key comes next. */
		if (r != NULL)
			snprintf(did, sizeof did, "%s (%s %s)", key,
			    lab_pane_name(lab_op_pane(op)), lab_op_name(op));
		snprintf(g->msg, sizeof g->msg, "You pressed %s%s%s. It is "
		    "your partner's turn: they press %s (%s) on the %s.",
		    r != NULL ? did : key, r != NULL ? ": " : "",
		    r != NULL ? r->brief : "", guide_check_key(s->op), want,
		    s->on == GS_CLIENT ? "client" : "server");
		guide_said(g, r != NULL, 0);
		return;
	}
	/* "6 (Server-Send Send)": the key and the step it ran. */
	if (r != NULL)
		snprintf(did, sizeof did, "%s (%s %s)", key,
		    lab_pane_name(lab_op_pane(op)), lab_op_name(op));
	if (stuck)
		if (r != NULL)
			snprintf(g->msg, sizeof g->msg, "You pressed %s: %s.",
			    did, r->brief);
		else
			snprintf(g->msg, sizeof g->msg, "You pressed %s.", key);
	else if (r != NULL && g->pressed)
		snprintf(g->msg, sizeof g->msg, "You pressed %s: %s. "
		    "The lesson is still %s; %s starts it again.", did,
		    r->brief, s->check.waiting != NULL ? s->check.waiting :
		    "waiting", reset);
	else if (r != NULL)
		snprintf(g->msg, sizeof g->msg, "You pressed %s: %s. "
		    "The lesson wants %s (%s). Press %s to go on, or %s to "
		    "start this lesson again.", did, r->brief,
		    guide_check_key(s->op), want, guide_check_key(s->op),
		    reset);
	else
		snprintf(g->msg, sizeof g->msg, "The lesson wants %s (%s); %s "
		    "starts it again.", guide_check_key(s->op), want, reset);
	/* "You pressed ...": the learner left the path; the rest is a hint. */
	guide_said(g, r != NULL || stuck, 0);
}

void
guide_op(struct guide *g, enum lab_op op)
{
	const struct guide_step *s;
	enum lab_op refused = g->refused;

	g->refused = LAB_OP_NONE;
	if (!g->on || (refused != LAB_OP_NONE && refused == op))
		return;
	/* 1 or 3 made a socket again in its row: count from here. */
	if (guide_check_makes(op) &&
	    lab_outcome_ok(g->lab->result[op].outcome))
		guide_check_rebase(g, lab_sel(g->lab, lab_op_pane(op)));
	if (op == LAB_OP_RESET) {
		guide_start(g, g->lab, g->lesson);
		snprintf(g->msg, sizeof g->msg, "Lesson started again.");
		guide_said(g, 0, 0);
		return;
	}
	if (op == LAB_OP_MODEL && !g->lab->edge && !g->done) {
		/* From --model edge back to Winsock: a clean start. */
		guide_start(g, g->lab, g->lesson);
		snprintf(g->msg, sizeof g->msg, "The Winsock model again: the "
		    "lesson starts again.");
		guide_said(g, 0, 0);
		return;
	}
	if (g->done || (s = guide_check_step(g)) == NULL)
		return;
	if (g->lab->edge) {
		g->msg[0] = '\0';	/* guide_say asks for m */
		guide_said(g, 0, 0);
		return;
	}
	if (op == s->op && !s->theirs) {
		/* Its wire checks count the segments from here. */
		g->wmark = g->lab->nwsegs;
		guide_pressed(g, s);
		return;
	}
	/* w, selection and the like leave a waiting step waiting. */
	if (!lab_op_is_step(op) && g->pressed && op != LAB_OP_AUTO) {
		guide_advance(g, 0);
		return;
	}
	/* A different op: it ran all the same. Say what, and the way back. */
	g->dead = 0;
	guide_say_other(g, s, op);
	/* The op may have done what the step waits for, or made it done. */
	if (g->pressed || guide_check_already(g, s))
		guide_advance(g, 0);
}

void
guide_update(struct guide *g)
{
	if (g->on && !g->done && g->pressed)
		guide_advance(g, 0);
}

enum lab_op
guide_next_op(const struct guide *g)
{
	const struct guide_step *s;
	char why[400];
	enum lab_op op;

	if (!g->on || g->done || g->setup != NULL ||
	    (s = guide_check_step(g)) == NULL)
		return LAB_OP_NONE;
	if (guide_end(g, &op, why, sizeof why) != GE_NONE)
		return op;
	return g->pressed ? LAB_OP_NONE : s->op;
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
 * A partner's step, as this side sees it: what the partner presses on
 * the other machine, and what this side waits for (its first check).
 */
static const char *
guide_say_theirs(const struct guide_step *s, char *buf, size_t len)
{
	const struct guide_check *c = &s->check;
	char want[48];
	size_t n;

	guide_op_desc(s->op, want, sizeof want);
	n = snprintf(buf, len, "Your partner presses %s (%s) on the %s.",
	    guide_check_key(s->op), want, s->on == GS_CLIENT ? "client" :
	    "server");
	if (n >= len)
		return buf;
	if (c->kind == GK_COUNT || c->kind == GK_EXACT)
		snprintf(buf + n, len - n, " Here, wait for %s at %s.",
		    asock_note_name(c->note), guide_check_the(c->pane));
	else if (c->kind == GK_INQ)
		snprintf(buf + n, len - n, " Here, wait for the data at %s.",
		    guide_check_the(c->pane));
	else if (c->kind == GK_ROWS)
		snprintf(buf + n, len - n, " Here, wait for %lu rows at %s.",
		    c->n, guide_check_the(c->pane));
	return buf;
}

const char *
guide_say(const struct guide *g, char *buf, size_t len)
{
	const struct guide_step *s = guide_check_step(g);
	enum lab_op op;

	if (s != NULL && guide_end(g, &op, buf, len) != GE_NONE)
		return buf;
	if (s != NULL && s->theirs)
		return guide_say_theirs(s, buf, len);
	return s != NULL ? s->say : "";
}

void
guide_progress(const struct guide *g, char *buf, size_t len)
{
	int n = 0;

	while (g->steps[n].say != NULL)
		n++;
	if (g->done)
		snprintf(buf, len, "done, %d steps", n);
	else
		snprintf(buf, len, "step %d of %d", g->step + 1, n);
}

enum guide_cmd
guide_cmd_of(enum bind_cmd cmd)
{
	return cmd == BIND_LESSON_NEXT ? GUIDE_NEXT :
	    cmd == BIND_LESSON_PREV ? GUIDE_PREV : GUIDE_TOGGLE;
}

int
guide_command_starts(const struct guide *g, enum guide_cmd cmd)
{
	switch (cmd) {
	case GUIDE_TOGGLE:
		return !g->on;
	case GUIDE_NEXT:
		return !g->on || guide_fit(g->lab, g->lesson + 1, 1) != -1;
	case GUIDE_PREV:
		return !g->on || guide_fit(g->lab, g->lesson - 1, -1) != -1;
	}
	return 0;
}

/*
 * The lesson a command starts: the next or previous one that runs in
 * this role, or, from outside the guide, the nearest one that does.
 */
static int
guide_command_lesson(const struct guide *g, const struct lab *lab,
    enum guide_cmd cmd)
{
	int from = g->lesson + (cmd == GUIDE_NEXT ? 1 : cmd == GUIDE_PREV ?
	    -1 : 0), dir = cmd == GUIDE_PREV ? -1 : 1, l;

	if (from < 0)
		from = 0;
	if (from >= GUIDE_LESSONS)
		from = GUIDE_LESSONS - 1;
	if ((l = guide_fit(lab, from, dir)) == -1)
		l = guide_fit(lab, from, -dir);
	return l;
}

void
guide_command(struct guide *g, struct lab *lab, enum guide_cmd cmd)
{
	int l;

	if (GUIDE_LESSONS == 0) {
		/* No lesson directory, or a broken lesson: say which. */
		snprintf(lab->explain, sizeof lab->explain, "Guided mode has no "
		    "lessons: %s.", guide_lessons_why());
		return;
	}
	if (g->lab == NULL)
		g->lab = lab;	/* never started: guide_fit reads its role */
	l = guide_command_lesson(g, lab, cmd);
	if (l == -1 && (!g->on || cmd == GUIDE_TOGGLE)) {
		/* -s or -c with no lesson for two machines loaded. */
		snprintf(lab->explain, sizeof lab->explain, "No lesson for two "
		    "machines (role: pair) is loaded, and the other guided "
		    "lessons use the all-in-one lab, with server and client in "
		    "one tcpstep: run tcpstep --guide without -s or -c.");
		return;
	}
	if (cmd == GUIDE_TOGGLE) {
		if (g->on)
			guide_stop(g);
		else
			guide_start(g, lab, l);
		return;
	}
	/* No lesson past either end: say so, and restart nothing. */
	if (!guide_command_starts(g, cmd)) {
		if (lab->cfg.role != LAB_ALL_IN_ONE)
			snprintf(g->msg, sizeof g->msg, "Lesson %d is the %s "
			    "lesson for two machines: %s goes %s, %s leaves "
			    "the guide.", g->lesson + 1, cmd == GUIDE_NEXT ?
			    "last" : "first", bind_cmd_name(cmd == GUIDE_NEXT ?
			    BIND_LESSON_PREV : BIND_LESSON_NEXT),
			    cmd == GUIDE_NEXT ? "back" : "on",
			    bind_cmd_name(BIND_GUIDE));
		else if (cmd == GUIDE_NEXT)
			snprintf(g->msg, sizeof g->msg, "Lesson %d is the "
			    "last lesson: %s goes back to lesson %d, %s "
			    "leaves the guide.", GUIDE_LESSONS,
			    bind_cmd_name(BIND_LESSON_PREV), GUIDE_LESSONS - 1,
			    bind_cmd_name(BIND_GUIDE));
		else
			snprintf(g->msg, sizeof g->msg, "Lesson 1 is the "
			    "first lesson: %s goes on to lesson 2, %s leaves "
			    "the guide.", bind_cmd_name(BIND_LESSON_NEXT),
			    bind_cmd_name(BIND_GUIDE));
		guide_said(g, 0, 0);
		return;
	}
	guide_start(g, lab, l);
}
