/*
 * lab_steps.h - what the steps (src/lab_steps.c) lend auto mode: the
 * receive of steps 7 and 9 and its result, which auto mode makes by
 * itself under a flood. The step table (lab_steps[], lab_step_def) is
 * public, in lab.h.
 */
#ifndef TCPSTEP_LAB_STEPS_H
#define TCPSTEP_LAB_STEPS_H

#include <stddef.h>
#include <sys/types.h>

#include "lab.h"

/* Step 7 reads --recv-size bytes; step 9 reads the client's line. */
size_t	 lab_steps_recv_size(const struct lab *lab, const struct lab_sock *p);
/* The receive itself, and its books: what was read and how much in all. */
ssize_t	 lab_steps_recv(struct lab *lab, struct lab_sock *p);
/* The step's result for a receive that returned n, errno err. */
void	 lab_steps_received(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r, ssize_t n, int err);

#endif
