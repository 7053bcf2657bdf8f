/*
 * guide.c - the engine of guided mode: it runs the lessons of
 * src/guide_lessons.c.
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

#include "guide.h"
#include "guide_check.h"
#include "guide_end.h"
#include "guide_lessons.h"
#include "lab.h"

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
	while (!g->lab->edge && (s = guide_check_step(g)) != NULL &&
	    ((g->pressed && guide_check_holds(g, s)) ||
	    guide_check_already(g, s))) {
		if (g->pressed && guide_check_holds(g, s)) {
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
	if (guide_check_step(g) == NULL) {
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
			    guide_check_the(lab_step_def(skipped)->pane));
	} else if (guide_end(g, &key, why, sizeof why) != GE_NONE) {
		/* guide_say tells it; a "waiting" here would contradict it. */
		if (moved || pressed_now || strncmp(g->msg, "Good.", 5) == 0)
			g->msg[0] = '\0';
	} else if (g->pressed && pressed_now)
		snprintf(g->msg, sizeof g->msg, "Good. Now %s...",
		    guide_check_step(g)->check.waiting != NULL ?
		    guide_check_step(g)->check.waiting : "waiting");
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
	else if (r->refused && guide_check_already(g, s)) {
		/* Refused as "already exists": its socket is there. */
		g->pressed = 0;
		g->dead = 0;
		guide_advance(g, 0);
		return;
	} else
		ok = guide_check_async(s->check.kind) ? r->ok :
		    guide_check_holds(g, s);
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
		guide_check_rebase(g, lab_sel(g->lab, def->pane));
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
	if (g->done || (s = guide_check_step(g)) == NULL)
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
	if (g->pressed || guide_check_already(g, s))
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
	    (s = guide_check_step(g)) == NULL)
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
	const struct guide_step *s = guide_check_step(g);
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
