/*
 * opts.c - parse the command line with getopt_long.
 *
 * Kept apart from main() so the unit tests can feed it bad input: every
 * problem becomes one line naming the option and what it accepts.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "bind.h"
#include "escape.h"
#include "lab.h"
#include "opts.h"

enum { OPT_RECV_SIZE = 256, OPT_BATCH, OPT_KEYS, OPT_SETTLE, OPT_ASCII,
    OPT_LOG, OPT_MAX_CONNS, OPT_GUIDE, OPT_MODEL, OPT_NO_WIRE, OPT_PCAP,
    OPT_FORMAT, OPT_LESSON, OPT_CHECK_LESSON, OPT_NO_MOUSE };

static const struct option opts_long[] = {
	{ "server",	no_argument,	   NULL, 's' },
	{ "client",	required_argument, NULL, 'c' },
	{ "bind",	required_argument, NULL, 'B' },
	{ "ipv4",	no_argument,	   NULL, '4' },
	{ "ipv6",	no_argument,	   NULL, '6' },
	{ "max-conns",	required_argument, NULL, OPT_MAX_CONNS },
	{ "guide",	optional_argument, NULL, OPT_GUIDE },
	{ "lesson",	required_argument, NULL, OPT_LESSON },
	{ "check-lesson", no_argument,	   NULL, OPT_CHECK_LESSON },
	{ "model",	required_argument, NULL, OPT_MODEL },
	{ "port",	required_argument, NULL, 'p' },
	{ "recv-size",	required_argument, NULL, OPT_RECV_SIZE },
	{ "batch",	no_argument,	   NULL, OPT_BATCH },
	{ "keys",	required_argument, NULL, OPT_KEYS },
	{ "settle",	required_argument, NULL, OPT_SETTLE },
	{ "format",	required_argument, NULL, OPT_FORMAT },
	{ "ascii",	no_argument,	   NULL, OPT_ASCII },
	{ "no-mouse",	no_argument,	   NULL, OPT_NO_MOUSE },
	{ "log",	required_argument, NULL, OPT_LOG },
	{ "no-wire",	no_argument,	   NULL, OPT_NO_WIRE },
	{ "pcap",	required_argument, NULL, OPT_PCAP },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

void
opts_usage(FILE *fp)
{
	fprintf(fp,
"usage: tcpstep [-s | -c host] [-46] [-B address] [-p port] [--max-conns n]\n"
"               [--recv-size n] [--log file] [--pcap file] [--no-wire]\n"
"               [--ascii] [--no-mouse]\n"
"       tcpstep --batch [--keys keys] [--settle ms] [--format text|brief|json]\n"
"               [other options]\n"
"       tcpstep --check-lesson file ...\n"
"\n"
"Step real TCP sockets one system call at a time and watch the\n"
"notifications an asynchronous socket (CAsyncSocket) delivers, as the\n"
"dialog of \"Asynchronous TCP Part 1\" by bkelly13 (The Code Project) does.\n"
"\n"
"  (no -s, -c)        all in one: server and client on loopback\n"
"  -s, --server       server role: listen on every interface, port %u\n"
"  -c, --client HOST  client role: connect to HOST (name or address)\n"
"  -4, --ipv4         use IPv4 only\n"
"  -6, --ipv6         use IPv6 only (-s: IPV6_V6ONLY)\n"
"  -B, --bind ADDR    bind this numeric address (-s: listen only there)\n"
"  -p, --port N       server port, 1-65535 (default: %u with -s and -c;\n"
"                     alone, the kernel picks a free one at step 1)\n"
"      --max-conns N  connections the server holds at once, 1-%d\n"
"                     (default %d); more are accepted and closed at once\n"
"      --guide [N]    guided mode: lessons, starting at lesson N\n"
"      --lesson FILE  guided mode, starting with the lesson in FILE\n"
"                     (tcpstep-lesson(5)); the installed ones follow\n"
"      --check-lesson play each lesson FILE against the kernel and say\n"
"                     which steps pass\n"
"      --model M      notification model: winsock (one-shot, default) or\n"
"                     edge (libevent's EV_ET)\n"
"      --recv-size N  bytes step 7 asks recv() for, 1-%d (default %d, one\n"
"                     time record)\n"
"      --log FILE     write the transcript of system calls and\n"
"                     notifications to FILE, one line each as it happens\n"
"      --pcap FILE    write the captured segments to FILE as a pcap file\n"
"                     (tcpdump -r, Wireshark), flushed after each packet\n"
"      --no-wire      capture nothing; the lab stays on the host's loopback\n"
"                     (else, without root or CAP_NET_RAW, it runs on a\n"
"                     private network of its own to capture there)\n"
"      --ascii        draw borders with ASCII characters\n"
"      --no-mouse     leave the mouse to the terminal (by default a click\n"
"                     on a step presses it; Shift+drag still selects text)\n"
"      --batch        no screen: run keys and print a snapshot after each\n"
"      --keys KEYS    the keys for --batch, e.g. 1234567 (default: stdin);\n"
"                     w lets the event loop run for one second\n"
"      --settle MS    --batch waits until no notification came for MS\n"
"                     milliseconds after each key, 1-60000 (default %d)\n"
"      --format F     --batch output: text (default), brief (a line per\n"
"                     key) or json (an object per snapshot, JSON Lines)\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"Keys: 1-9 steps; x/X h/H z/Z u/U f/F d/D close, shutdown, abort, urgent,\n"
"fill, drain (lower case: the Client, shifted: Server-Send); o/O urgent byte\n"
"the other way; L close the listener; n another client; b send to every\n"
"connection; Up/Down (j/k) pick a connection, Tab/Shift-Tab (c/C) a client;\n"
"a auto mode; m model; g guide ([ ] lessons, y to confirm); i the errors\n"
"explained; v the view under the panes (Explain, Ladder, Wire, Events), e\n"
"Events; E the last step in full; r reset; PgUp/PgDn scroll; ? or F1 help;\n"
"Ctrl-L repaint; q or F10 quit; w (--batch only) one second of the event\n"
"loop.\n"
"See tcpstep(1).\n",
	    OPTS_ROLE_PORT, OPTS_ROLE_PORT, LAB_CONNS_LIMIT, LAB_CONNS_DEFAULT,
	    LAB_RECV_MAX, LAB_RECORD_SIZE, OPTS_SETTLE_DEFAULT);
}

/*
 * What the user typed, for a message: escaped like network bytes (a
 * newline or an ESC in an argument must not reach the terminal), and cut
 * after 64 bytes.
 */
const char *
opts_quote(const char *s)
{
	static char buf[4 * 64 + 4];
	size_t n = strlen(s);

	if (escape_bytes(s, n > 64 ? 64 : n, buf, sizeof buf - 3) < n)
		strcat(buf, "...");
	return buf;
}

/* One key or option letter, quoted the same way. */
const char *
opts_key(int c)
{
	char s[2] = { (char)c, '\0' };

	return c == 0 ? "\\x00" : opts_quote(s);
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

/*
 * A host for -c: a name (letters, digits, '-', '.', '_') or an address
 * (hex digits, ':', '.', '%' for an IPv6 scope). The resolver says whether
 * it exists; this only keeps out what can never be one.
 */
static int
opts_host(const char *h, char *err, size_t errlen)
{
	const char *p;

	if (*h == '\0') {
		snprintf(err, errlen, "-c: give the server's host name or "
		    "address, e.g. -c 127.0.0.1");
		return -1;
	}
	if (strlen(h) > OPTS_HOST_MAX) {
		snprintf(err, errlen, "-c: host name too long (%zu "
		    "characters; a DNS name has at most %d)", strlen(h),
		    OPTS_HOST_MAX);
		return -1;
	}
	for (p = h; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr(".-_:%", *p) == NULL) {
			snprintf(err, errlen, "-c: '%s' is not a host name "
			    "or address (character %zu)", opts_quote(h),
			    (size_t)(p - h) + 1);
			return -1;
		}
	}
	return 0;
}

/* What the options mean together: one role, one family, one address. */
static enum opts_outcome
opts_check_roles(struct opts *o, int max_set, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fam;

	if (o->server && o->host != NULL) {
		snprintf(err, errlen, "-s and -c contradict each other: one "
		    "tcpstep is the server (-s) or a client (-c HOST)");
		return OPTS_BAD;
	}
	if (o->host != NULL && max_set) {
		snprintf(err, errlen, "--max-conns limits a server's "
		    "connections; it has no meaning with -c");
		return OPTS_BAD;
	}
	if (o->have_bind && o->family != AF_UNSPEC &&
	    o->bind.ss_family != o->family) {
		snprintf(err, errlen, "-B gives an %s address but %s asks "
		    "for %s", o->bind.ss_family == AF_INET ? "IPv4" : "IPv6",
		    o->family == AF_INET ? "-4" : "-6",
		    o->family == AF_INET ? "IPv4" : "IPv6");
		return OPTS_BAD;
	}
	/* A numeric host must agree with -4/-6 and -B too. */
	if (o->host != NULL && addr_parse(o->host, 0, &ss, &len) == 0) {
		fam = o->family != AF_UNSPEC ? o->family :
		    o->have_bind ? o->bind.ss_family : AF_UNSPEC;
		if (fam != AF_UNSPEC && fam != ss.ss_family) {
			snprintf(err, errlen, "-c %s is an %s address but "
			    "%s asks for %s", opts_quote(o->host), ss.ss_family == AF_INET
			    ? "IPv4" : "IPv6", o->family != AF_UNSPEC ?
			    (o->family == AF_INET ? "-4" : "-6") : "-B",
			    fam == AF_INET ? "IPv4" : "IPv6");
			return OPTS_BAD;
		}
	}
	if ((o->server || o->host != NULL) && o->port == 0)
		o->port = OPTS_ROLE_PORT;
	return OPTS_RUN;
}

int
opts_bad_key(const char *keys, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!opts_is_key(keys[i]) && !opts_is_space(keys[i]))
			return (unsigned char)keys[i];
	return -1;
}

/* Batch takes exactly the keys the binding table gives it. */
int
opts_is_key(int c)
{
	return bind_key(c, BIND_BATCH) != NULL;
}

/* Between keys: spaces, tabs and line ends, CRLF as well as LF. */
int
opts_is_space(int c)
{
	return c != 0 && strchr(" \t\r\n", c) != NULL;
}

/*
 * -s, -c, -B, -4, -6: which role this tcpstep plays and on which
 * addresses. What they mean together is checked once all are read.
 */
static int
opts_role(struct opts *o, int c, char *err, size_t errlen)
{
	int fam;

	switch (c) {
	case 's':
		o->server = 1;
		break;
	case 'c':
		if (opts_host(optarg, err, errlen) == -1)
			return -1;
		o->host = optarg;
		break;
	case 'B':
		if (addr_parse(optarg, 0, &o->bind, &o->bind_len) == -1) {
			snprintf(err, errlen, "-B '%s': give a "
			    "numeric IPv4 or IPv6 address of this "
			    "machine, e.g. 127.0.0.1 or ::1",
			    opts_quote(optarg));
			return -1;
		}
		o->have_bind = 1;
		break;
	case '4':
	case '6':
		fam = c == '4' ? AF_INET : AF_INET6;
		if (o->family != AF_UNSPEC && o->family != fam) {
			snprintf(err, errlen, "-4 and -6 contradict "
			    "each other: give one");
			return -1;
		}
		o->family = fam;
		break;
	}
	return 0;
}

/*
 * --max-conns, --port, --recv-size, --settle: a number in a range, and a
 * message naming the range when it is not. *max_set: --max-conns was
 * given, which -c forbids.
 */
static int
opts_amount(struct opts *o, int c, int *max_set, char *err, size_t errlen)
{
	unsigned long v;

	switch (c) {
	case OPT_MAX_CONNS:
		if (opts_number(optarg, 1, LAB_CONNS_LIMIT, &v) == -1) {
			snprintf(err, errlen, "--max-conns '%s': give "
			    "a number of connections from 1 to %d",
			    opts_quote(optarg), LAB_CONNS_LIMIT);
			return -1;
		}
		o->max_conns = v;
		*max_set = 1;
		break;
	case 'p':
		if (opts_number(optarg, 1, 65535, &v) == -1) {
			snprintf(err, errlen, "--port '%s': give a "
			    "port from 1 to 65535 (leave it out to let "
			    "the kernel choose)", opts_quote(optarg));
			return -1;
		}
		o->port = v;
		break;
	case OPT_RECV_SIZE:
		if (opts_number(optarg, 1, LAB_RECV_MAX, &v) == -1) {
			snprintf(err, errlen, "--recv-size '%s': give "
			    "a byte count from 1 to %d", opts_quote(optarg),
			    LAB_RECV_MAX);
			return -1;
		}
		o->recv_size = v;
		break;
	case OPT_SETTLE:
		if (opts_number(optarg, 1, 60000, &v) == -1) {
			snprintf(err, errlen, "--settle '%s': give "
			    "milliseconds from 1 to 60000", opts_quote(optarg));
			return -1;
		}
		o->settle_ms = v;
		break;
	}
	return 0;
}

/*
 * How many lessons --guide N may choose from: set by main once they are
 * loaded (opts_set_lessons), so this file needs no lesson of its own.
 */
static int opts_lessons;

void
opts_set_lessons(int n)
{
	opts_lessons = n;
}

/*
 * --lesson FILE, --check-lesson FILE...: an instructor's own lessons.
 * --check-lesson takes the arguments after the options as its files.
 */
static int
opts_lesson(struct opts *o, int c, char *err, size_t errlen)
{
	if (c == OPT_CHECK_LESSON) {
		o->check_lesson = 1;
		return 0;
	}
	if (*optarg == '\0') {
		snprintf(err, errlen, "--lesson: give a lesson file");
		return -1;
	}
	o->lesson = optarg;
	return 0;
}

/*
 * --guide [N]: its value is optional, so getopt_long only sees
 * "--guide=3"; a number in the next argument is taken as the lesson too.
 */
static int
opts_guide(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	unsigned long v;

	/* "--guide 3" as well as "--guide=3" */
	if (optarg == NULL && optind < argc && argv[optind][0] >= '0' &&
	    argv[optind][0] <= '9')
		optarg = argv[optind++];
	v = 1;
	/* Before any lesson is loaded (opts_lessons 0), main checks N. */
	if (optarg != NULL && opts_number(optarg, 1, opts_lessons > 0 ?
	    (unsigned long)opts_lessons : INT_MAX, &v) == -1) {
		if (opts_lessons > 0)
			snprintf(err, errlen, "--guide '%s': give a "
			    "lesson from 1 to %d", opts_quote(optarg),
			    opts_lessons);
		else
			snprintf(err, errlen, "--guide '%s': give a "
			    "lesson number", opts_quote(optarg));
		return -1;
	}
	o->guide = (int)v;
	return 0;
}

/*
 * --model, --batch, --keys, --ascii, --no-mouse, --log, --no-wire, --pcap:
 * how it runs and shows.
 */
static int
opts_how(struct opts *o, int c, char *err, size_t errlen)
{
	int bad;

	switch (c) {
	case OPT_MODEL:
		if (strcmp(optarg, "winsock") == 0)
			o->edge = 0;
		else if (strcmp(optarg, "edge") == 0)
			o->edge = 1;
		else {
			snprintf(err, errlen, "--model '%s': give "
			    "winsock or edge", opts_quote(optarg));
			return -1;
		}
		break;
	case OPT_BATCH:
		o->batch = 1;
		break;
	case OPT_KEYS:
		if ((bad = opts_bad_key(optarg, strlen(optarg))) != -1) {
			snprintf(err, errlen, "--keys: '%s' is not a "
			    "step key (see tcpstep --help)",
			    opts_key(bad));
			return -1;
		}
		o->keys = optarg;
		break;
	case OPT_ASCII:
		o->ascii = 1;
		break;
	case OPT_NO_MOUSE:
		o->no_mouse = 1;
		break;
	case OPT_LOG:
		if (*optarg == '\0') {
			snprintf(err, errlen, "--log: give a file name");
			return -1;
		}
		o->log = optarg;
		break;
	case OPT_NO_WIRE:
		o->no_wire = 1;
		break;
	case OPT_PCAP:
		if (*optarg == '\0') {
			snprintf(err, errlen, "--pcap: give a file name");
			return -1;
		}
		o->pcap = optarg;
		break;
	}
	return 0;
}

/* --format: the names of enum batch_format, in its order. */
static int
opts_format(struct opts *o, char *err, size_t errlen)
{
	static const char *const names[] = { "text", "brief", "json" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(optarg, names[i]) == 0) {
			o->format = (enum batch_format)i;
			o->format_set = 1;
			return 0;
		}
	}
	snprintf(err, errlen, "--format '%s': give text, brief or json",
	    opts_quote(optarg));
	return -1;
}

/*
 * What getopt_long could not take: a value left out (':') or an option
 * it does not know, named as the user typed it.
 */
static void
opts_misuse(int c, char **argv, char *err, size_t errlen)
{
	if (c == ':')
		snprintf(err, errlen, "option '%s' needs a value",
		    opts_quote(argv[optind - 1]));
	else if (optopt != 0)
		snprintf(err, errlen, "unknown option '-%s'", opts_key(optopt));
	else
		snprintf(err, errlen, "unknown option '%s'",
		    opts_quote(argv[optind - 1]));
}

/*
 * After the options: no argument is left over (but --check-lesson's
 * files), --keys comes with --batch.
 */
static int
opts_check_rest(struct opts *o, int argc, char **argv, char *err,
    size_t errlen)
{
	if (o->check_lesson) {
		if (optind == argc) {
			snprintf(err, errlen, "--check-lesson: give one or "
			    "more lesson files");
			return -1;
		}
		o->check_files = argv + optind;
		o->ncheck = argc - optind;
		optind = argc;
	}
	if (o->lesson != NULL && o->guide > 0) {
		snprintf(err, errlen, "--lesson and --guide contradict each "
		    "other: give one");
		return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'",
		    opts_quote(argv[optind]));
		return -1;
	}
	if (o->keys != NULL && !o->batch) {
		snprintf(err, errlen, "--keys needs --batch");
		return -1;
	}
	if (o->format_set && !o->batch) {
		snprintf(err, errlen, "--format needs --batch (the screen has "
		    "one format)");
		return -1;
	}
	return 0;
}

enum opts_outcome
opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	int c, r, max_set = 0;

	memset(o, 0, sizeof *o);
	o->recv_size = LAB_RECORD_SIZE;
	o->settle_ms = OPTS_SETTLE_DEFAULT;
	o->max_conns = LAB_CONNS_DEFAULT;
	o->family = AF_UNSPEC;
	opterr = 0;	/* our own one-line messages */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":sc:B:46p:hV", opts_long,
	    NULL)) != -1) {
		switch (c) {
		case 's': case 'c': case 'B': case '4': case '6':
			r = opts_role(o, c, err, errlen);
			break;
		case OPT_MAX_CONNS: case 'p': case OPT_RECV_SIZE:
		case OPT_SETTLE:
			r = opts_amount(o, c, &max_set, err, errlen);
			break;
		case OPT_GUIDE:
			r = opts_guide(o, argc, argv, err, errlen);
			break;
		case OPT_LESSON: case OPT_CHECK_LESSON:
			r = opts_lesson(o, c, err, errlen);
			break;
		case OPT_MODEL: case OPT_BATCH: case OPT_KEYS: case OPT_ASCII:
		case OPT_LOG: case OPT_NO_WIRE: case OPT_PCAP:
		case OPT_NO_MOUSE:
			r = opts_how(o, c, err, errlen);
			break;
		case OPT_FORMAT:
			r = opts_format(o, err, errlen);
			break;
		case 'h':
			return OPTS_HELP;
		case 'V':
			return OPTS_VERSION;
		default:
			opts_misuse(c, argv, err, errlen);
			return OPTS_BAD;
		}
		if (r == -1)
			return OPTS_BAD;
	}
	if (opts_check_rest(o, argc, argv, err, errlen) == -1)
		return OPTS_BAD;
	return opts_check_roles(o, max_set, err, errlen);
}
