/*
 * lab_steps.h - what the steps (src/lab_steps.c) lend the rest of the
 * model: how a step records a failure or a refusal (for src/lab_setup.c
 * too), running a step, and the receive of the Client's and Server-Send's
 * Receive and its result, which auto mode makes by itself under a flood.
 * What a step is called and which pane it acts on (lab_op_name,
 * lab_op_pane) are public, in lab.h.
 */
#ifndef TCPSTEP_LAB_STEPS_H
#define TCPSTEP_LAB_STEPS_H

#include <stddef.h>
#include <sys/types.h>

#include "lab.h"

/* A failure's outcome: EAGAIN is "not now", the rest a real failure. */
enum lab_outcome lab_steps_failure(int err);
/* Row p's error came from the call named name ("connect"). */
void	 lab_steps_error_from(struct lab_sock *p, int err, const char *name);
/*
 * Record a failed system call: name is the call's name, call how it was
 * made ("connect(5, 127.0.0.1:4000)"), meaning what it means here.
 */
void	 lab_steps_failed(struct lab_sock *p, struct lab_result *r, int err,
	     const char *name, const char *call, const char *meaning);
/* Whether p has an open socket; if not, a refusal says what to press. */
int	 lab_steps_open(const struct lab_sock *p, struct lab_result *r);
/* Run step op (below LAB_OP_STEPS) on row p, its result in r. */
void	 lab_steps_run(struct lab *lab, enum lab_op op, struct lab_sock *p,
	     struct lab_result *r);
/* Step 7 reads --recv-size bytes; step 9 reads the client's line. */
size_t	 lab_steps_recv_size(const struct lab *lab, const struct lab_sock *p);
/* The receive itself, and its books: what was read and how much in all. */
ssize_t	 lab_steps_recv(struct lab *lab, struct lab_sock *p);
/* The step's result for a receive that returned n, errno err. */
void	 lab_steps_received(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r, ssize_t n, int err);

#endif
