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
#include "lab_wire.h"

struct lab;
struct lab_sock;
struct lab_result;

/* An expected segment's payload that may be of any length above 0. */
#define EXPLAIN_LEN_ANY	(-1)

/*
 * One expected segment of the ladder diagram. The label is for people;
 * the comparison with the wire (src/lab_wire.c) decides by flags, len
 * and repeat only.
 */
struct explain_seg {
	int		 to_server;	/* client -> server, else the other way */
	char		 label[40];	/* "SYN", "data 13 bytes", "FIN, ACK" */
	unsigned char	 flags;		/* WIRE_* bits expected (PSH aside) */
	long		 len;		/* payload bytes, or EXPLAIN_LEN_ANY */
	int		 repeat;	/* may come several times ("each") */
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

/*
 * The Explain area's paragraph on a kind of difference between the
 * ladder and the wire (or on the urgent pointer), first seen in segment
 * s: what the kernel did and why.
 */
void	explain_wire(const struct lab *lab, enum lab_wire_note note,
	    const struct lab_wire_seg *s, char *buf, size_t len);

#endif
