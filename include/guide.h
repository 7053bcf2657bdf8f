/*
 * guide.h - guided mode: lessons that lead a learner through the lab one
 * key at a time, check that the expected notifications appeared before
 * moving on, and say how to get back on track after a different key.
 * It drives nothing itself: a lesson's setup steps wait in a list that
 * the front ends run (guide_setup_next), and they pass it each op after
 * lab_step() and call guide_update() when the lab changes.
 */
#ifndef TCPSTEP_GUIDE_H
#define TCPSTEP_GUIDE_H

#include <stddef.h>

#include "asock.h"
#include "bind.h"
#include "lab.h"

struct lab;
struct guide_step;

/* How many lessons are loaded (src/guide_lessons.c): 0 when none. */
extern int guide_nlessons;
#define GUIDE_LESSONS	guide_nlessons
/* Rows whose socket was made again (x then 3) the guide remembers. */
#define GUIDE_BASES	8

/*
 * A row's counters as they were when its socket was made again: the
 * lessons' checks count what came on that socket, not on the row's
 * earlier ones.
 */
struct guide_base {
	const void	*row;		/* a struct lab_sock, or NULL */
	unsigned long	 counts[ASOCK_NOTES];
};

struct guide {
	struct lab	*lab;
	int		 on;
	int		 lesson;	/* 0 .. GUIDE_LESSONS - 1 */
	int		 step;		/* the step now expected */
	int		 pressed;	/* its key was pressed: checking */
	int		 done;		/* the lesson reached its end */
	int		 dead;		/* the step's key was refused at its turn */
	enum lab_op	 refused;	/* what guide_refuse just turned down */
	/*
	 * The last key left the lesson's path and msg says how to get back:
	 * the front ends show the lesson's text then.
	 */
	int		 off_track;
	/* msg is the "Good. Now waiting..." note a dead end found later */
	int		 noted;		/* must clear (guide_say contradicts it) */
	char		 msg[400];	/* what just happened, or a hint */
	const enum lab_op *setup;	/* setup steps not run yet, ending */
					/* with LAB_OP_NONE; NULL: none */
	struct guide_base base[GUIDE_BASES];
	unsigned long	 wmark;		/* segments captured before the step */
	unsigned	 nbase;		/* bases ever recorded: a ring */
	/*
	 * The lesson's steps as this tcpstep runs them: the lesson's own,
	 * or, for one side of a pair lesson, each step with only the
	 * checks this side can see (guide_start).
	 */
	const struct guide_step *steps;
};

/* The guide's own commands (keys g, ] and [). */
enum guide_cmd {
	GUIDE_TOGGLE,		/* guided mode on/off */
	GUIDE_NEXT,		/* the next lesson */
	GUIDE_PREV		/* the previous lesson */
};

/*
 * Reset the lab and start lesson (0-based). Its setup steps are left for
 * the front end to run: see guide_setup_next.
 */
void		 guide_start(struct guide *g, struct lab *lab, int lesson);
/*
 * The next setup step the guide wants run, taken off its list, or
 * LAB_OP_NONE when none is left. The front end runs it with lab_do() (not
 * guide_op) and lets the loop deliver its notifications, as for a typed
 * key, before it asks for the next or runs any key the learner typed.
 */
enum lab_op	 guide_setup_next(struct guide *g);
/* The guide's command a key of it runs (g, ], [: see bind.h). */
enum guide_cmd	 guide_cmd_of(enum bind_cmd cmd);
/* Run one of the guide's own commands. */
void		 guide_command(struct guide *g, struct lab *lab,
		     enum guide_cmd cmd);
/*
 * Whether guide_command(cmd) would start a lesson (and so reset the lab):
 * not GUIDE_NEXT on the last lesson nor GUIDE_PREV on the first while a
 * lesson runs.
 */
int		 guide_command_starts(const struct guide *g, enum guide_cmd cmd);
/*
 * Before lab_do(): whether the guide turns op down now (LAB_OP_MODEL,
 * which would switch a lesson to the edge model it does not teach). It
 * then says why in msg; guide_op() for that op leaves the message alone.
 */
int		 guide_refuse(struct guide *g, enum lab_op op);
/*
 * After lab_do() ran op for a key the learner pressed; LAB_OP_NONE for a
 * key that runs no operation of the lab (batch's w).
 */
void		 guide_op(struct guide *g, enum lab_op op);
/* The lab changed (a notification): see whether the step is complete. */
void		 guide_update(struct guide *g);
/*
 * The operation whose key to press next, or LAB_OP_NONE while waiting or
 * when done. When the lesson cannot go on as it is, the one that recovers
 * (reset, or the model, auto mode, a send...).
 */
enum lab_op	 guide_next_op(const struct guide *g);
/* "Lesson 2 of 8: Two sends, one receive" */
void		 guide_heading(const struct guide *g, char *buf, size_t len);
/* The lesson's goal. */
const char	*guide_goal(const struct guide *g);
/*
 * The current step's instruction; when the step can no longer complete,
 * what happened and the key that recovers, written into buf.
 */
const char	*guide_say(const struct guide *g, char *buf, size_t len);
/* "step 3 of 5" */
void		 guide_progress(const struct guide *g, char *buf, size_t len);

#endif
