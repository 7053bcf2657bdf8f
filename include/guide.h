/*
 * guide.h - guided mode: lessons that lead a learner through the lab one
 * key at a time, check that the expected notifications appeared before
 * moving on, and say how to get back on track after a different key.
 * It drives nothing itself: a lesson's setup keys wait in a list that
 * the front ends run (guide_setup_next), and they pass it each key after
 * lab_step() and call guide_update() when the lab changes.
 */
#ifndef TCPSTEP_GUIDE_H
#define TCPSTEP_GUIDE_H

#include <stddef.h>

#include "asock.h"

struct lab;

#define GUIDE_LESSONS	8
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
	int		 refused;	/* the key guide_refuse just turned down */
	char		 msg[400];	/* what just happened, or a hint */
	const char	*setup;		/* setup keys not pressed yet */
	struct guide_base base[GUIDE_BASES];
	unsigned	 nbase;		/* bases ever recorded: a ring */
};

/*
 * Reset the lab and start lesson (0-based). Its setup keys are left for
 * the front end to press: see guide_setup_next.
 */
void		 guide_start(struct guide *g, struct lab *lab, int lesson);
/*
 * The next setup key the guide wants pressed, taken off its list, or 0
 * when none is left. The front end runs it with lab_step() (not
 * guide_key) and lets the loop deliver its notifications, as for a typed
 * key, before it asks for the next or runs any key the learner typed.
 */
int		 guide_setup_next(struct guide *g);
void		 guide_stop(struct guide *g);
/*
 * The guide's own keys: g on/off, ] next lesson, [ previous. Returns 1
 * when key was one of them.
 */
int		 guide_command(struct guide *g, struct lab *lab, int key);
/*
 * Whether guide_command(key) would start a lesson (and so reset the lab):
 * not ] on the last lesson nor [ on the first while a lesson runs.
 */
int		 guide_command_starts(const struct guide *g, int key);
/*
 * Before lab_step(): whether the guide turns key down now (m, which would
 * switch a lesson to the edge model it does not teach). It then says why
 * in msg; guide_key() for that key leaves the message alone.
 */
int		 guide_refuse(struct guide *g, int key);
/* A key the learner pressed, after lab_step() ran it. */
void		 guide_key(struct guide *g, int key);
/* The lab changed (a notification): see whether the step is complete. */
void		 guide_update(struct guide *g);
/*
 * The key to press next, or 0 while waiting or when done. When the lesson
 * cannot go on as it is, the key that recovers (r, or m, a, 6...).
 */
int		 guide_next_key(const struct guide *g);
/* "Lesson 2 of 8: Two sends, one receive" */
void		 guide_heading(const struct guide *g, char *buf, size_t len);
/*
 * The lesson's goal, and the current step's instruction; when the step
 * can no longer complete, what happened and the key that recovers.
 */
const char	*guide_goal(const struct guide *g);
const char	*guide_say(const struct guide *g);
/* "step 3 of 5" */
void		 guide_progress(const struct guide *g, char *buf, size_t len);

#endif
