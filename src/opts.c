/*
 * opts.c - parse the command line with getopt_long.
 *
 * Kept apart from main() so the unit tests can feed it bad input: every
 * problem becomes one line naming the option and what it accepts.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "opts.h"

enum { OPT_RECV_SIZE = 256, OPT_BATCH, OPT_KEYS, OPT_SETTLE, OPT_ASCII,
    OPT_LOG };

static const struct option opts_long[] = {
	{ "port",	required_argument, NULL, 'p' },
	{ "recv-size",	required_argument, NULL, OPT_RECV_SIZE },
	{ "batch",	no_argument,	   NULL, OPT_BATCH },
	{ "keys",	required_argument, NULL, OPT_KEYS },
	{ "settle",	required_argument, NULL, OPT_SETTLE },
	{ "ascii",	no_argument,	   NULL, OPT_ASCII },
	{ "log",	required_argument, NULL, OPT_LOG },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

void
opts_usage(FILE *fp)
{
	fprintf(fp,
"usage: tcpstep [-p port] [--recv-size n] [--log file] [--ascii]\n"
"       tcpstep --batch [--keys keys] [--settle ms] [-p port] [--recv-size n]\n"
"               [--log file]\n"
"\n"
"Step three real TCP sockets one system call at a time and watch the\n"
"notifications an asynchronous socket (CAsyncSocket) delivers.\n"
"\n"
"  -p, --port N       server port on 127.0.0.1, 1-65535 (default: the kernel\n"
"                     picks a free one at step 1)\n"
"      --recv-size N  bytes step 7 asks recv() for, 1-%d (default %d, one\n"
"                     time record)\n"
"      --log FILE     write the transcript of system calls and\n"
"                     notifications to FILE, one line each as it happens\n"
"      --ascii        draw borders with ASCII characters\n"
"      --batch        no screen: run keys and print a snapshot after each\n"
"      --keys KEYS    the keys for --batch, e.g. 1234567 (default: stdin);\n"
"                     w lets the event loop run for one second\n"
"      --settle MS    --batch waits until no notification came for MS\n"
"                     milliseconds after each key, 1-60000 (default %d)\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"Keys: 1-9 steps; x h z u f d close, shutdown, abort, urgent, fill, drain\n"
"the Client (shifted: Server-Send); L close the listener; a auto mode;\n"
"r reset; e events; PgUp/PgDn scroll them; ? or F1 help; Ctrl-L repaint;\n"
"q or F10 quit. See tcpstep(1).\n",
	    LAB_RECV_MAX, LAB_RECORD_SIZE, OPTS_SETTLE_DEFAULT);
}

/* A whole decimal number in [min, max], nothing before or after it. */
static int
opts_number(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
opts_bad_key(const char *keys)
{
	for (; *keys != '\0'; keys++) {
		if (strchr(OPTS_KEYS " \t\n", *keys) == NULL)
			return (unsigned char)*keys;
	}
	return 0;
}

enum opts_outcome
opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	unsigned long v;
	int c, bad;

	memset(o, 0, sizeof *o);
	o->recv_size = LAB_RECORD_SIZE;
	o->settle_ms = OPTS_SETTLE_DEFAULT;
	opterr = 0;	/* our own one-line messages */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":p:hV", opts_long, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (opts_number(optarg, 1, 65535, &v) == -1) {
				snprintf(err, errlen, "--port '%s': give a "
				    "port from 1 to 65535 (leave it out to let "
				    "the kernel choose)", optarg);
				return OPTS_BAD;
			}
			o->port = v;
			break;
		case OPT_RECV_SIZE:
			if (opts_number(optarg, 1, LAB_RECV_MAX, &v) == -1) {
				snprintf(err, errlen, "--recv-size '%s': give "
				    "a byte count from 1 to %d", optarg,
				    LAB_RECV_MAX);
				return OPTS_BAD;
			}
			o->recv_size = v;
			break;
		case OPT_BATCH:
			o->batch = 1;
			break;
		case OPT_KEYS:
			if ((bad = opts_bad_key(optarg)) != 0) {
				snprintf(err, errlen, "--keys: '%c' is not a "
				    "step key (see tcpstep --help)", bad);
				return OPTS_BAD;
			}
			o->keys = optarg;
			break;
		case OPT_SETTLE:
			if (opts_number(optarg, 1, 60000, &v) == -1) {
				snprintf(err, errlen, "--settle '%s': give "
				    "milliseconds from 1 to 60000", optarg);
				return OPTS_BAD;
			}
			o->settle_ms = v;
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_LOG:
			if (*optarg == '\0') {
				snprintf(err, errlen, "--log: give a file name");
				return OPTS_BAD;
			}
			o->log = optarg;
			break;
		case 'h':
			return OPTS_HELP;
		case 'V':
			return OPTS_VERSION;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value",
			    argv[optind - 1]);
			return OPTS_BAD;
		default:
			if (optopt != 0)
				snprintf(err, errlen, "unknown option '-%c'",
				    optopt);
			else
				snprintf(err, errlen, "unknown option '%s'",
				    argv[optind - 1]);
			return OPTS_BAD;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return OPTS_BAD;
	}
	if (o->keys != NULL && !o->batch) {
		snprintf(err, errlen, "--keys needs --batch");
		return OPTS_BAD;
	}
	return OPTS_RUN;
}
