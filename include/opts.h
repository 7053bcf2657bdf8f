/* opts.h - tcpstep's command line. */
#ifndef TCPSTEP_OPTS_H
#define TCPSTEP_OPTS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "batch_format.h"
#include "lab.h"

#define OPTS_SETTLE_DEFAULT	50	/* ms */
/* The seed's port, for -s and -c. */
#define OPTS_ROLE_PORT		49000
/* The longest DNS name. */
#define OPTS_HOST_MAX		253

struct opts {
	int		 server;	/* -s */
	const char	*host;		/* -c HOST, or NULL */
	int		 family;	/* AF_UNSPEC, or -4 / -6 */
	struct sockaddr_storage bind;	/* -B */
	socklen_t	 bind_len;
	int		 have_bind;
	size_t		 max_conns;
	int		 guide;		/* --guide N: lesson N, 0: off */
	int		 edge;		/* --model edge */
	unsigned	 port;		/* 0: the kernel chooses at step 1 */
	size_t		 recv_size;
	int		 batch;
	const char	*keys;		/* --keys, or NULL: read stdin */
	unsigned	 settle_ms;
	enum batch_format format;	/* --format, TEXT by default */
	int		 format_set;	/* --format given: needs --batch */
	int		 ascii;
	int		 no_mouse;	/* --no-mouse */
	const char	*log;		/* --log FILE, or NULL */
	int		 no_wire;	/* --no-wire: no capture, host's lo */
	const char	*pcap;		/* --pcap FILE, or NULL */
	const char	*lesson;	/* --lesson FILE, or NULL */
	int		 check_lesson;	/* --check-lesson */
	char		**check_files;	/* its files */
	int		 ncheck;
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
/* How many lessons --guide N chooses from (0: not known yet). */
void		 opts_set_lessons(int n);
/* User text and one key, escaped for a message (a static buffer). */
const char	*opts_quote(const char *s);
const char	*opts_key(int c);
/*
 * Check len bytes of keys for --batch, from --keys, a file or a pipe alike;
 * returns the first byte that is neither a key nor a space, or -1.
 */
int		 opts_bad_key(const char *keys, size_t len);
/*
 * A key batch runs (bound for BIND_BATCH in bind.c), and what may stand
 * between keys (" \t\r\n").
 */
int		 opts_is_key(int c);
int		 opts_is_space(int c);

#endif
