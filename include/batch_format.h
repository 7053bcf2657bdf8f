/*
 * batch_format.h - the --batch output formats other than text: brief, a
 * line per key for a handout, and json, an object per snapshot for
 * graders and scripts (both stable contracts, tcpstep(1) BATCH FORMATS).
 */
#ifndef TCPSTEP_BATCH_FORMAT_H
#define TCPSTEP_BATCH_FORMAT_H

#include <stddef.h>
#include <stdio.h>

struct guide;
struct lab;

enum batch_format {
	BATCH_FORMAT_TEXT,	/* the snapshot of BATCH OUTPUT (default) */
	BATCH_FORMAT_BRIEF,	/* key, outcome, the counters that moved */
	BATCH_FORMAT_JSON	/* JSON Lines: every field of the snapshot */
};

struct batch_formatter;

/*
 * A writer of format fmt (not TEXT) to out, reading lab and guide.
 * NULL when out of memory.
 */
struct batch_formatter *batch_formatter_new(enum batch_format fmt,
	    const struct lab *lab, const struct guide *guide, FILE *out);
void	batch_formatter_free(struct batch_formatter *f);
/*
 * Write what key (a key of the binding table, '.' for notifications
 * that came while batch waited) did: text is the text format's output
 * for it, from its "> " line on, of which the line is taken; the rest
 * is read from the lab. Key i (the errors) has no snapshot.
 */
void	batch_formatter_key(struct batch_formatter *f, int key,
	    const char *text, size_t len);

#endif
