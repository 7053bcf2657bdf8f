/*
 * lab_view.h - the kernel's view of the lab's sockets (src/lab_view.c):
 * read again after each step and notification, and by a tick timer that
 * runs only while a socket is between TCP states. lab_look, before each
 * frame, is public in lab.h.
 */
#ifndef TCPSTEP_LAB_VIEW_H
#define TCPSTEP_LAB_VIEW_H

#include "lab.h"

struct event;

/* The tick timer for lab->tick, not yet running. */
struct event *lab_view_tick_new(struct lab *lab);
/* Row p's view; starts the tick if p is between states. */
void	 lab_view_refresh_sock(struct lab *lab, struct lab_sock *p);
/* After a step or notification on p (NULL: none): p and the selected. */
void	 lab_view_refresh(struct lab *lab, struct lab_sock *p);
/* Every row's view; the tick stops unless one is between states. */
void	 lab_view_refresh_all(struct lab *lab);

#endif
