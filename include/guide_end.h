/*
 * guide_end.h - when a lesson cannot go on: the keys are free, so a
 * step can become impossible (its socket closed, its notification
 * already spent). guide_end finds that from the lab itself, so the guide
 * never waits for what cannot come, and names the op whose key recovers.
 */
#ifndef TCPSTEP_GUIDE_END_H
#define TCPSTEP_GUIDE_END_H

#include <stddef.h>

#include "lab_op.h"

struct guide;

enum guide_end {
	GE_NONE,	/* the step can still complete */
	GE_KEY,		/* only after another key: *op names its op */
	GE_DEAD		/* never: LAB_OP_RESET starts the lesson again */
};

/*
 * Whether the current step can still complete; if not, the reason in buf
 * and the op whose key recovers in *op (LAB_OP_RESET when only a new
 * start does).
 */
enum guide_end	 guide_end(const struct guide *g, enum lab_op *op,
		    char *buf, size_t len);

#endif
