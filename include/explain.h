/*
 * explain.h - the teaching text: what a step or a notification just did in
 * the kernel and why the counters moved, what an error means in this lab,
 * and which TCP segments a step is expected to put on the wire.
 */
#ifndef TCPSTEP_EXPLAIN_H
#define TCPSTEP_EXPLAIN_H

#include <stddef.h>

#include "asock.h"
#include "lab_op.h"

struct lab;
struct lab_sock;
struct lab_result;

/* One expected segment of the ladder diagram. */
struct explain_seg {
	int		 to_server;	/* client -> server, else the other way */
	char		 label[40];	/* "SYN", "data 13 bytes", "FIN, ACK" */
};

/* 2-4 sentences on the step op just run on p with result r. */
void	explain_step(const struct lab *lab, enum lab_op op,
	    const struct lab_sock *p,
	    const struct lab_result *r, char *buf, size_t len);

/* 2-4 sentences on a notification p just received. */
void	explain_note(const struct lab *lab, const struct lab_sock *p,
	    enum asock_note note, int err, char *buf, size_t len);

/*
 * An error in full: "ECONNREFUSED 111 Connection refused. Winsock:
 * WSAECONNREFUSED 10061. In this lab: ..."
 */
void	explain_error(const struct lab *lab, int err, char *buf, size_t len);

/*
 * The segments step op is expected to cause, given its result r on p;
 * at most max into out. Returns how many.
 */
int	explain_segments(enum lab_op op, const struct lab_sock *p,
	    const struct lab_result *r, struct explain_seg *out, int max);

#endif
