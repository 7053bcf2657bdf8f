/*
 * guide_lessons.h - what a lesson of guided mode is made of: a goal,
 * setup operations, and steps, each an operation whose key to press,
 * what to say, and a check on the lab that must hold before the next
 * step. The lessons themselves
 * are the table in src/guide_lessons.c; src/guide.c runs them.
 */
#ifndef TCPSTEP_GUIDE_LESSONS_H
#define TCPSTEP_GUIDE_LESSONS_H

#include "asock.h"
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

/*
 * One step: the operation the learner's key must run. A lesson's steps
 * end with one whose say is NULL (op 0 is a real operation).
 */
struct guide_step {
	enum lab_op		 op;
	const char		*say;
	struct guide_check	 check;
};

struct guide_lesson {
	const char		*title;
	const char		*goal;
	/* The ops the guide runs first, ending with LAB_OP_NONE. */
	const enum lab_op	*setup;
	struct guide_step	 steps[16];	/* ends with say NULL */
	const char		*done;
};

/* The eight lessons, in the order ] walks them. */
extern const struct guide_lesson guide_lessons[GUIDE_LESSONS];

#endif
