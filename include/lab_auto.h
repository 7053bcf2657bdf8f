/*
 * lab_auto.h - auto mode (src/lab_auto.c): the steps a real program would
 * take on each notification, its timers, and the summing of a flood of
 * OnReceive into one transcript line until a front end looks. Switching
 * it on and off (lab_set_auto) is public, in lab.h.
 */
#ifndef TCPSTEP_LAB_AUTO_H
#define TCPSTEP_LAB_AUTO_H

#include "asock.h"
#include "lab.h"

struct event;

/* lab->auto_timer and lab->retry, not yet running. */
struct event *lab_auto_timer_new(struct lab *lab);
struct event *lab_auto_retry_new(struct lab *lab);
/* Start the once-a-second sends, if auto mode has a connection for them. */
void	 lab_auto_timer_on(struct lab *lab);
/* A descriptor came free: an accept that hit EMFILE is tried again. */
void	 lab_auto_fd_freed(struct lab *lab);

/*
 * A notification in auto mode: 1 if it was a quick OnReceive of a flood,
 * answered and counted with no text (then nothing else is to be done).
 */
int	 lab_auto_quick(struct lab *lab, struct lab_sock *p,
	     enum asock_note note);
/* Auto mode's answer to a notification reported in full. */
void	 lab_auto_answer(struct lab *lab, struct lab_sock *p,
	     enum asock_note note);
/* Write up p's run of quick receives, before any other line about p. */
void	 lab_auto_run_said(struct lab *lab, struct lab_sock *p);
/* A front end looks: p's run is written up, and p's text comes back. */
void	 lab_auto_looked(struct lab *lab, struct lab_sock *p);

#endif
