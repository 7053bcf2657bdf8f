/*
 * guide_lessons.h - what a lesson of guided mode is made of: a goal,
 * setup operations, and steps, each an operation whose key to press,
 * what to say, and the checks on the lab that must hold before the next
 * step. The lessons are files (tcpstep-lesson(5)), parsed by src/lesson.c
 * and loaded at run time by src/guide_lessons.c; src/guide.c runs them.
 */
#ifndef TCPSTEP_GUIDE_LESSONS_H
#define TCPSTEP_GUIDE_LESSONS_H

#include "asock.h"
#include "guide.h"
#include "lab.h"

/* A lesson's limits: fixed, so a parsed lesson is one allocation. */
#define GUIDE_STEPS_MAX		32
#define GUIDE_SETUP_MAX		16
#define GUIDE_EXPECTS		8	/* expect: lines in one step */

enum guide_kind {
	GK_OK,		/* the step's result is OK */
	GK_ERR,		/* the step failed with err */
	GK_COUNT,	/* pane's counter note >= n (and its err, if set) */
	GK_EXACT,	/* pane's counter note == n */
	GK_INQ,		/* pane's receive queue holds n bytes */
	GK_ROWS,	/* the pane's list has n rows */
	GK_AUTO,	/* auto mode is n */
	GK_RECEIVED,	/* the pane's row last read n bytes */
	GK_WIRE,	/* a segment with flags n went dir since the step */
	GK_NONE		/* nothing to see here: holds at once (a partner's */
			/* step whose expects are all on the other side) */
};

/* Who acts in a step of a two-machine lesson (role: pair): "on:". */
enum guide_side {
	GS_EITHER,	/* not a pair lesson: the one learner */
	GS_SERVER,	/* tcpstep -s */
	GS_CLIENT	/* tcpstep -c HOST */
};

/* GK_WIRE's direction: either, or one way. */
enum guide_dir {
	GD_ANY,
	GD_TO_SERVER,	/* client>server */
	GD_TO_CLIENT	/* server>client */
};

struct guide_check {
	enum guide_kind	 kind;
	enum lab_pane	 pane;
	size_t		 row;		/* 1-based; 0: the pane's selected */
	enum asock_note	 note;
	unsigned long	 n;
	int		 err;
	const char	*waiting;	/* shown until the check holds */
	enum guide_dir	 dir;		/* GK_WIRE */
};

/*
 * One step: the operation the learner's key must run, and its checks:
 * check, then nmore others; all must hold. A lesson's steps end with one
 * whose say is NULL (op 0 is a real operation).
 */
struct guide_step {
	enum lab_op		 op;
	const char		*say;
	struct guide_check	 check;
	struct guide_check	 more[GUIDE_EXPECTS - 1];
	int			 nmore;
	const char		*then;	/* shown once it holds, or NULL */
	enum guide_side		 on;	/* who acts (on:) */
	/*
	 * In the steps as one side of a pair lesson sees them (guide.c):
	 * the partner acts, and this side waits for the checks it can see.
	 */
	int			 theirs;
};

struct guide_lesson {
	const char		*file;	/* where it was read, for messages */
	const char		*title;
	const char		*goal;
	enum lab_role		 role;
	int			 pair;	/* role: pair (two machines) */
	/* The ops the guide runs first, ending with LAB_OP_NONE. */
	enum lab_op		 setup[GUIDE_SETUP_MAX + 1];
	struct guide_step	 steps[GUIDE_STEPS_MAX + 1]; /* ends: say NULL */
	int			 nsteps;
	const char		*done;
	char			*text;	/* holds every string above */
};

/* The lessons loaded, in the order ] walks them (GUIDE_LESSONS of them). */
extern struct guide_lesson *guide_lessons;

/*
 * Load the lessons guided mode walks: the *.lesson files, in name order,
 * of $TCPSTEP_LESSONS, else of lessons/ beside the executable (the build
 * directory), else of the directory compiled in. Returns 0, or -1 with
 * the reason in err (no directory; a file that does not parse): guided
 * mode then has no lesson and says why (guide_lessons_why).
 */
int		 guide_lessons_load(char *err, size_t errlen);
/*
 * Put the lessons of files before the loaded ones (--lesson), or in their
 * place (replace: --check-lesson). Returns 0, or -1 with "FILE:LINE:
 * what is wrong" in err.
 */
int		 guide_lessons_add(char **files, int n, int replace, char *err,
		     size_t errlen);
/*
 * Whether lesson l runs in a lab of this role: every lesson all in one
 * (a pair lesson's two sides then run in the one lab); in -s and -c,
 * the pair lessons and those of that role.
 */
int		 guide_lesson_fits(const struct guide_lesson *l,
		    enum lab_role role);
/* Why no lesson is loaded ("" when some are). */
const char	*guide_lessons_why(void);
void		 guide_lessons_free(void);

#endif
