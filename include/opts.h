/* opts.h - tcpstep's command line. */
#ifndef TCPSTEP_OPTS_H
#define TCPSTEP_OPTS_H

#include <stddef.h>
#include <stdio.h>

#define OPTS_SETTLE_DEFAULT	50	/* ms */
/* Every key batch mode accepts: the steps, r, a, and w (wait a second). */
#define OPTS_KEYS		"123456789xXLhHzZuUfFdDraw"

struct opts {
	unsigned	 port;		/* 0: the kernel chooses at step 1 */
	size_t		 recv_size;
	int		 batch;
	const char	*keys;		/* --keys, or NULL: read stdin */
	unsigned	 settle_ms;
	int		 ascii;
	const char	*log;		/* --log FILE, or NULL */
};

enum opts_outcome {
	OPTS_RUN,		/* go on with the options */
	OPTS_HELP,		/* --help */
	OPTS_VERSION,		/* --version */
	OPTS_BAD		/* message in err; exit 2 */
};

enum opts_outcome opts_parse(struct opts *o, int argc, char **argv,
		     char *err, size_t errlen);
void		 opts_usage(FILE *fp);
/* Check a key string for --batch; returns the first bad key, or 0. */
int		 opts_bad_key(const char *keys);

#endif
