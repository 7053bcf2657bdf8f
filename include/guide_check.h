/*
 * guide_check.h - a lesson's current step and its check, read against the
 * lab: both the guide's engine (src/guide.c), which moves on when a check
 * holds, and its dead-end detection (src/guide_end.c), which finds when
 * one never will, ask the same questions here.
 */
#ifndef TCPSTEP_GUIDE_CHECK_H
#define TCPSTEP_GUIDE_CHECK_H

#include "asock.h"
#include "guide.h"
#include "guide_lessons.h"
#include "lab.h"

/* The row check c reads: its own row (client#2), else the selected. */
const struct lab_sock	*guide_check_sock(const struct lab *lab,
			    const struct guide_check *c);
/* The same, but NULL for a named row that is not there. */
const struct lab_sock	*guide_check_row(const struct lab *lab,
			    const struct guide_check *c);
/* Bytes in the receive queue of the row c reads, as the kernel has it. */
int			 guide_check_inq(const struct lab *lab,
			    const struct guide_check *c);
/* The step now expected, or NULL past the lesson's last. */
const struct guide_step	*guide_check_step(const struct guide *g);
/* A row's counter, counted from when its socket was last made again. */
unsigned long	 guide_check_count(const struct guide *g,
		    const struct lab_sock *p, enum asock_note note);
/* Remember a row's counters: its socket was just made again. */
void		 guide_check_rebase(struct guide *g, const struct lab_sock *p);
/* Whether op makes its pane's socket, maybe again in the same row. */
int		 guide_check_makes(enum lab_op op);
/* How a message names op's key: "6", "r"; LAB_OP_NONE: batch's w. */
const char	*guide_check_key(enum lab_op op);
/* A step that makes a socket its pane already has open: it counts. */
int		 guide_check_already(const struct guide *g,
		    const struct guide_step *s);
/* Whether every check of the step holds on the lab now. */
int		 guide_check_holds(const struct guide *g,
		    const struct guide_step *s);
/* Whether one check c of step s holds on the lab now. */
int		 guide_check_one(const struct guide *g,
		    const struct guide_step *s, const struct guide_check *c);
/* Whether one of the step's checks waits for the event loop. */
int		 guide_check_step_async(const struct guide_step *s);
/* Whether a check of kind is completed by a notification, later. */
int		 guide_check_async(enum guide_kind kind);
/* "the Client", "Server-Send", "the Server": for sentences. */
const char	*guide_check_the(enum lab_pane pane);

#endif
