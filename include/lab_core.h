/*
 * lab_core.h - what the model core (src/lab.c) lends the other lab files:
 * the rows' lives, a step's result and the row's marks, the step
 * dispatcher auto mode calls, and the front end's "changed" hook. The
 * front ends use lab.h only.
 */
#ifndef TCPSTEP_LAB_CORE_H
#define TCPSTEP_LAB_CORE_H

#include <stddef.h>

#include "lab.h"

/* Fill in a row's state: its receive buffer and its asock; id 0. */
int	 lab_sock_init(struct lab *lab, struct lab_sock *p,
	     enum lab_pane which);
/* Close a row's socket, if open, and let go of what it holds. */
void	 lab_sock_clear(struct lab_sock *p);
/* A row of its own, numbered in its pane; NULL when out of memory. */
struct lab_sock *lab_sock_new(struct lab *lab, enum lab_pane which);
/* A Server-Send row for a new connection; NULL when none can be made. */
struct lab_sock *lab_conn_new(struct lab *lab);
/* Drop the newest Server-Send row again (its accept failed). */
void	 lab_conn_drop_last(struct lab *lab);

/*
 * Record what a step came to: outcome and err decide, brief (for the
 * pane) and detail (for the status line) are words for people only.
 */
void	 lab_say(struct lab_result *r, enum lab_outcome outcome, int err,
	     const char *brief, const char *fmt, ...)
	     __attribute__((format(printf, 5, 6)));
/* A step that could not make its call at all: no errno, nothing changed. */
#define lab_refuse(r, ...)						\
	lab_say((r), LAB_NOT_NOW, 0, "not now", __VA_ARGS__)
/* After step op on row p with result r: the row's mark and error source. */
void	 lab_row_said(struct lab_sock *p, enum lab_op op,
	     const struct lab_result *r);

/* Run step op on target, or on its pane's selected row when NULL. */
int	 lab_step_on(struct lab *lab, enum lab_op op, struct lab_sock *target);
/* Tell the front end the model changed outside an operation it ran. */
void	 lab_changed(struct lab *lab);

#endif
