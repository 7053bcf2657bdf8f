/* batch.h - the text front end: run keys, print a snapshot after each. */
#ifndef TCPSTEP_BATCH_H
#define TCPSTEP_BATCH_H

#include <stdio.h>

#include "batch_format.h"

struct guide;
struct lab;

/*
 * Run each step key of keys (NULL: read them from standard input as they
 * come) against lab, letting the event loop deliver notifications until
 * none came for settle_ms, then print what the step did and a snapshot to
 * out, and where guide (if on) stands, in format. Whitespace is skipped. Returns 0, 2 for a key that is no step
 * (message on stderr), -1 when out of memory.
 */
int	batch_run(struct lab *lab, struct guide *guide, const char *keys,
	    unsigned settle_ms, enum batch_format format, FILE *out);

/* Whether standard input is a pipe, socket or terminal batch_run can watch. */
int	batch_stdin_streams(void);

#endif
