/*
 * lab_transcript.h - what the lab's records (src/lab_transcript.c) offer
 * the other lab files: a row's name in the transcript, asock's trace
 * callback, and the Explain area with the ladder's segments after a step
 * or a notification. The transcript lines themselves (lab_say_line,
 * lab_line, lab_stamp) are public, in lab.h.
 */
#ifndef TCPSTEP_LAB_TRANSCRIPT_H
#define TCPSTEP_LAB_TRANSCRIPT_H

#include <stddef.h>
#include <sys/time.h>

#include "asock.h"
#include "lab.h"

/* "server", "server-send", "client", "client#2"... */
const char *lab_transcript_tag(const struct lab_sock *p, char *buf,
	     size_t len);
/* asock's transcript lines for row p (the arg), tagged with its name. */
void	 lab_transcript_trace(struct asock *s, const char *line, void *arg);
/* After a step: its paragraph, and the segments it should cause. */
void	 lab_transcript_step(struct lab *lab, enum lab_op op,
	     struct lab_sock *p, const struct lab_result *r);
/* After a notification: its paragraph, after the step's or alone. */
void	 lab_transcript_note(struct lab *lab, struct lab_sock *p,
	     enum asock_note note, int err);

/*
 * A line stamped tv (a captured segment's time), not now: put among the
 * lines already written by its time, so the transcript stays in order.
 */
void	 lab_transcript_at(struct lab *lab, const struct timeval *tv,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
