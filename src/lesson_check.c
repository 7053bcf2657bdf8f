/*
 * lesson_check.c - tcpstep --check-lesson: an instructor's test of a
 * lesson, and CI's of the shipped ones.
 *
 * Each lesson is played as batch plays keys: the lab is reset, the
 * setup keys run, then each step's key, and after each the event loop
 * runs until it has been quiet for the settle time. A step whose checks
 * wait for a notification gets up to LESSON_CHECK_WAIT more, as a
 * learner would wait at the guide's "waiting for ...". Then every
 * expect of the step is read against the lab with the guide's own
 * checks (src/guide_check.c), so a lesson passes here exactly when the
 * guide would move on.
 */
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "asock.h"
#include "bind.h"
#include "errname.h"
#include "guide.h"
#include "guide_check.h"
#include "guide_lessons.h"
#include "lab.h"
#include "lesson_check.h"
#include "wire.h"

/* How long a step may wait for its notification, at most. */
#define LESSON_CHECK_WAIT	3	/* seconds */

struct lesson_check {
	struct lab	*lab;
	struct event	*quiet;		/* settle ms passed without news */
	struct event	*cap;		/* the longest a key may run */
	struct timeval	 settle;
	int		 news;		/* a notification came */
};

/* A notification: the quiet period starts again. */
static void
lesson_check_changed(void *arg)
{
	struct lesson_check *c = arg;

	c->news = 1;
}

static void
lesson_check_quiet_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lesson_check *c = arg;

	(void)fd;
	(void)what;
	if (c->news) {
		/* Something came during the period: wait another. */
		c->news = 0;
		evtimer_add(c->quiet, &c->settle);
		return;
	}
	event_base_loopbreak(c->lab->base);
}

static void
lesson_check_cap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lesson_check *c = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(c->lab->base);
}

/*
 * Run the loop until it is quiet for the settle time, or for cap_s
 * seconds at most (auto mode is never quiet).
 */
static void
lesson_check_settle(struct lesson_check *c, int cap_s)
{
	struct timeval cap = { cap_s, 0 };

	c->news = 0;
	evtimer_add(c->quiet, &c->settle);
	evtimer_add(c->cap, &cap);
	event_base_dispatch(c->lab->base);
	evtimer_del(c->quiet);
	evtimer_del(c->cap);
	lab_look(c->lab);
}

/* An expect as the lesson wrote it: "client OnConnect >= 1". */
static void
lesson_check_text(const struct guide_check *k, char *buf, size_t len)
{
	static const char *pane[] = { "server", "server-send", "client" };
	char p[32], flags[64];

	snprintf(p, sizeof p, "%s", (unsigned)k->pane < 3 ? pane[k->pane] :
	    "?");
	if (k->row != 0)
		snprintf(p, sizeof p, "%s#%zu", pane[k->pane], k->row);

	switch (k->kind) {
	case GK_OK:
		snprintf(buf, len, "ok");
		break;
	case GK_ERR:
		snprintf(buf, len, "error %s", errname_name(k->err));
		break;
	case GK_COUNT:
	case GK_EXACT:
		snprintf(buf, len, "%s %s %s %lu%s%s", p,
		    asock_note_name(k->note), k->kind == GK_COUNT ? ">=" : "==",
		    k->n, k->err != 0 ? " error " : "",
		    k->err != 0 ? errname_name(k->err) : "");
		break;
	case GK_INQ:
		snprintf(buf, len, "%s inq == %lu", p, k->n);
		break;
	case GK_ROWS:
		snprintf(buf, len, "%s rows == %lu", p, k->n);
		break;
	case GK_AUTO:
		snprintf(buf, len, "auto %s", k->n ? "on" : "off");
		break;
	case GK_RECEIVED:
		snprintf(buf, len, "%s received %lu bytes", p, k->n);
		break;
	case GK_NONE:
		snprintf(buf, len, "nothing");
		break;
	case GK_WIRE:
		wire_flags_name((uint8_t)k->n, flags, sizeof flags);
		snprintf(buf, len, "wire %s%s", flags, k->dir == GD_TO_SERVER ?
		    " client>server" : k->dir == GD_TO_CLIENT ?
		    " server>client" : "");
		break;
	}
}

/* What the lab shows where a check looked: "OnConnect is 0". */
static void
lesson_check_seen(const struct guide *g, const struct guide_step *s,
    const struct guide_check *k, char *buf, size_t len)
{
	const struct lab *lab = g->lab;
	const struct lab_sock *p = guide_check_sock(lab, k);
	int show;

	if (guide_check_row(lab, k) == NULL) {
		snprintf(buf, len, "%s has no row #%zu", lab_pane_name(k->pane),
		    k->row);
		return;
	}
	switch (k->kind) {
	case GK_OK:
	case GK_ERR:
		snprintf(buf, len, "the step gave %s", lab_op_is_step(s->op) ?
		    lab->result[s->op].brief : "no result");
		break;
	case GK_COUNT:
	case GK_EXACT:
		/*
		 * The row's error only where the check asks about one: error
		 * E, or OnConnect and OnClose, which must also say 0.
		 */
		show = k->err != 0 || (p->err != 0 &&
		    (k->note == ASOCK_ON_CONNECT || k->note == ASOCK_ON_CLOSE));
		snprintf(buf, len, "%s is %lu%s%s", asock_note_name(k->note),
		    guide_check_count(g, p, k->note), show ?
		    ", the row's error " : "", show ? errname_name(p->err) :
		    "");
		break;
	case GK_INQ:
		snprintf(buf, len, "inq is %d", guide_check_inq(lab, k));
		break;
	case GK_ROWS:
		snprintf(buf, len, "%zu rows", lab_rows(lab, k->pane));
		break;
	case GK_AUTO:
		snprintf(buf, len, "auto mode is %s", lab->auto_mode ? "on" :
		    "off");
		break;
	case GK_RECEIVED:
		if (p->have_received)
			snprintf(buf, len, "it last read %zu bytes",
			    p->received_len);
		else
			snprintf(buf, len, "it read nothing");
		break;
	case GK_WIRE:
		snprintf(buf, len, "no such segment was captured");
		break;
	case GK_NONE:
		buf[0] = '\0';
		break;
	}
}

/*
 * The step's checks: "pass", or FAIL naming the first that does not
 * hold and what was seen instead. Wire checks where nothing is captured
 * hold, and the line says they were not checked.
 */
static int
lesson_check_step(const struct guide *g, const struct guide_step *s,
    const char *file, int n, FILE *out)
{
	const struct guide_check *k;
	char text[128], seen[128];
	int i, unchecked = 0;

	for (i = 0; i <= s->nmore; i++) {
		k = i == 0 ? &s->check : &s->more[i - 1];
		if (k->kind == GK_WIRE && g->lab->wire == NULL)
			unchecked = 1;
		if (guide_check_one(g, s, k))
			continue;
		lesson_check_text(k, text, sizeof text);
		lesson_check_seen(g, s, k, seen, sizeof seen);
		fprintf(out, "%s: step %d (key %s): FAIL: expect %d \"%s\": "
		    "%s\n", file, n, bind_op_name(s->op), i + 1, text, seen);
		return -1;
	}
	fprintf(out, "%s: step %d (key %s): pass%s\n", file, n,
	    bind_op_name(s->op), unchecked ? " (nothing is captured: its "
	    "wire expects were not checked)" : "");
	return 0;
}

/* Play one lesson; returns how many of its steps passed. */
static int
lesson_check_lesson(struct lesson_check *c, const struct guide_lesson *l,
    FILE *out)
{
	struct lab *lab = c->lab;
	struct guide g;
	const struct guide_step *s;
	const enum lab_op *op;
	struct timeval start, now;
	int passed = 0, i;

	memset(&g, 0, sizeof g);
	g.lab = lab;
	lab_do(lab, LAB_OP_RESET, LAB_ROW_SELECTED);
	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	lesson_check_settle(c, 1);
	for (op = l->setup; *op != LAB_OP_NONE; op++) {
		lab_do(lab, *op, LAB_ROW_SELECTED);
		lesson_check_settle(c, 1);
	}
	for (i = 0; i < l->nsteps; i++) {
		s = &l->steps[i];
		g.wmark = lab->nwsegs;
		lab_do(lab, s->op, LAB_ROW_SELECTED);
		/* 1 or 3 made a socket again in its row: count from here. */
		if (guide_check_makes(s->op) &&
		    lab_outcome_ok(lab->result[s->op].outcome))
			guide_check_rebase(&g, lab_sel(lab, lab_op_pane(s->op)));
		lesson_check_settle(c, 1);
		/* A learner would wait at "waiting for ...": so does this. */
		event_base_gettimeofday_cached(lab->base, &start);
		while (guide_check_step_async(s) && !guide_check_holds(&g, s)) {
			evutil_gettimeofday(&now, NULL);
			if (now.tv_sec - start.tv_sec >= LESSON_CHECK_WAIT)
				break;
			lesson_check_settle(c, 1);
		}
		if (lesson_check_step(&g, s, l->file, i + 1, out) == 0)
			passed++;
	}
	fprintf(out, "%s: %s (%d of %d steps)\n", l->file, passed ==
	    l->nsteps ? "pass" : "FAIL", passed, l->nsteps);
	return passed;
}

int
lesson_check_run(struct lab *lab, unsigned settle_ms, FILE *out)
{
	struct lesson_check c;
	int i, status = 0;

	memset(&c, 0, sizeof c);
	c.lab = lab;
	c.settle.tv_sec = settle_ms / 1000;
	c.settle.tv_usec = (settle_ms % 1000) * 1000;
	c.quiet = evtimer_new(lab->base, lesson_check_quiet_cb, &c);
	c.cap = evtimer_new(lab->base, lesson_check_cap_cb, &c);
	if (c.quiet == NULL || c.cap == NULL)
		status = -1;
	lab->changed = lesson_check_changed;
	lab->changed_arg = &c;
	for (i = 0; status != -1 && i < GUIDE_LESSONS; i++)
		if (lesson_check_lesson(&c, &guide_lessons[i], out) !=
		    guide_lessons[i].nsteps)
			status = 1;
	/* Nothing may run on: auto mode's timer stops with the lab. */
	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	lab->changed = NULL;
	if (c.quiet != NULL)
		event_free(c.quiet);
	if (c.cap != NULL)
		event_free(c.cap);
	return status;
}
