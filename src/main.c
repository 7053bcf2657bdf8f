/*
 * main.c - tcpstep: step through asynchronous TCP one system call at a time.
 *
 * Parses the command line, decides the role and the addresses, builds the
 * event loop and the lab, and hands them to the screen or to batch mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <event2/event.h>

#include "addr.h"
#include "batch.h"
#include "bind.h"
#include "guide.h"
#include "guide_lessons.h"
#include "lab.h"
#include "lab_wire.h"
#include "lesson_check.h"
#include "opts.h"
#include "tui.h"
#include "wire.h"

#ifndef TCPSTEP_VERSION
#define TCPSTEP_VERSION "0.1"
#endif

/*
 * Read all of stdin as the batch keys; NULL on a read error. *len gets
 * how many bytes came, NUL bytes included: they are no keys, and must be
 * refused as a pipe's would be, not end the string early.
 */
static char *
main_read_keys(size_t *lenp)
{
	size_t len = 0, cap = 256, n;
	char *buf = malloc(cap), *p;

	if (buf == NULL)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap) {
			if ((p = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/*
 * Descriptors 0, 1 and 2 must be open before anything else opens one:
 * with standard output closed, the event loop's epoll descriptor would
 * become descriptor 1 and every snapshot would go to it. A closed one is
 * held by /dev/null; returns which were closed (bit N: descriptor N).
 */
static int
main_std_fds(void)
{
	int fd, closed = 0;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			closed |= 1 << fd;
			if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
				return -1;
		}
	return closed;
}

/* --help and --version: their output must have been written. */
static int
main_close_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "tcpstep: standard output: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether this machine can make IPv6 sockets at all. */
static int
main_have_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd == -1)
		return 0;
	close(fd);
	return 1;
}

/*
 * The lab's configuration from the options: all in one on loopback; -s
 * on every interface (or -B), dual-stack unless -4 or -6 says otherwise;
 * -c toward HOST. title gets what the title line says about addresses.
 */
static void
main_config(const struct opts *o, struct lab_config *cfg, char *title,
    size_t len)
{
	const char *any;

	memset(cfg, 0, sizeof *cfg);
	cfg->recv_size = o->recv_size;
	cfg->max_conns = o->max_conns;
	cfg->v6only = -1;
	cfg->family = o->family;
	cfg->port = o->port;
	cfg->key_name = bind_op_name;	/* the transcript names keys so */
	if (o->host != NULL) {
		cfg->role = LAB_ROLE_CLIENT;
		cfg->host = o->host;
		if (o->have_bind) {
			cfg->bind_addr = o->bind;
			cfg->bind_len = o->bind_len;
		}
		snprintf(title, len, "client of %s port %u", o->host, o->port);
		return;
	}
	if (o->have_bind) {
		cfg->bind_addr = o->bind;
		cfg->bind_len = o->bind_len;
	} else {
		if (o->server)
			any = o->family == AF_INET ? "0.0.0.0" :
			    o->family == AF_INET6 || main_have_ipv6() ? "::" :
			    "0.0.0.0";
		else
			any = o->family == AF_INET6 ? "::1" : "127.0.0.1";
		addr_parse(any, 0, &cfg->bind_addr, &cfg->bind_len);
		/* -6 means IPv6 only; plain -s takes IPv4 on "::" too. */
		if (o->server && strcmp(any, "::") == 0)
			cfg->v6only = o->family == AF_INET6;
	}
	addr_set_port((struct sockaddr *)&cfg->bind_addr, o->port);
	cfg->role = o->server ? LAB_ROLE_SERVER : LAB_ALL_IN_ONE;
	addr_format((struct sockaddr *)&cfg->bind_addr, title, len);
	if (o->port == 0)	/* in place of the ":0" */
		snprintf(title + strlen(title) - 2, len - strlen(title) + 2,
		    ", port chosen at step 1");
}

/*
 * What the command line asks before anything runs: help, the version and
 * a bad option end here. Returns the exit status, or -1 to go on.
 */
static int
main_answer(enum opts_outcome outcome, const char *err)
{
	switch (outcome) {
	case OPTS_HELP:
		opts_usage(stdout);
		return main_close_stdout() == 0 ? 0 : 1;
	case OPTS_VERSION:
		printf("tcpstep %s\n", TCPSTEP_VERSION);
		return main_close_stdout() == 0 ? 0 : 1;
	case OPTS_BAD:
		fprintf(stderr, "tcpstep: %s\nTry 'tcpstep --help' for more "
		    "information.\n", err);
		return 2;
	case OPTS_RUN:
		break;
	}
	return -1;
}

/*
 * Batch mode's ends: its snapshots need a standard output, its keys come
 * from --keys or standard input; a file's keys go to *keys, checked
 * before anything runs. closed is main_std_fds' answer. Returns the exit
 * status, or -1 to go on.
 */
static int
main_batch_ends(const struct opts *o, int closed, char **keys, size_t *nkeys)
{
	int bad;

	if (closed == -1 || (o->batch && (closed & 2))) {
		fprintf(stderr, "tcpstep: standard output is closed: the batch "
		    "snapshots would go nowhere\n");
		return 1;
	}
	if (o->batch && o->keys == NULL && (closed & 1)) {
		fprintf(stderr, "tcpstep: standard input is closed: give the "
		    "keys with --keys\n");
		return 1;
	}
	/* A pipe or terminal is read as keys come; a file all at once. */
	if (o->batch && o->keys == NULL && !batch_stdin_streams()) {
		if ((*keys = main_read_keys(nkeys)) == NULL) {
			fprintf(stderr, "tcpstep: cannot read keys from "
			    "standard input\n");
			return 1;
		}
		if ((bad = opts_bad_key(*keys, *nkeys)) != -1) {
			fprintf(stderr, "tcpstep: standard input: '%s' is not "
			    "a step key (see tcpstep --help)\n", opts_key(bad));
			return 2;
		}
	}
	return -1;
}

/*
 * --log FILE, opened before anything runs so that a bad name is a usage
 * error (exit 2). Returns 0, or -1 with the reason said.
 */
static int
main_open_log(const struct opts *o, FILE **logp)
{
	*logp = NULL;
	if (o->log != NULL && (*logp = fopen(o->log, "w")) == NULL) {
		fprintf(stderr, "tcpstep: --log '%s': %s\nTry 'tcpstep --help' "
		    "for more information.\n", opts_quote(o->log), strerror(errno));
		return -1;
	}
	/* One line at a time, so `tail -f` shows each as it happens. */
	if (*logp != NULL)
		setvbuf(*logp, NULL, _IOLBF, 0);
	return 0;
}

/*
 * Where the lab captures (tcpstep(1), THE WIRE), decided before anything
 * is opened: a private network must be entered before the first socket.
 * All in one: the host's lo with the privilege to capture there, else a
 * private user + network namespace; -s and -c never gain privileges.
 * why gets the reason when there is no capture. Returns 0, or -1 (said)
 * when the private network was left half made: the process is in it
 * with lo down, and no lab can run there.
 */
static int
main_wire_where(const struct opts *o, enum lab_wire_where *where, char *why,
    size_t len)
{
	char err[112];	/* wire_private_net's reasons are shorter */

	why[0] = '\0';
	*where = LAB_WIRE_OFF;
	if (o->no_wire)
		return 0;
	*where = LAB_WIRE_UNAVAILABLE;
	if (o->server || o->host != NULL) {
		if (wire_can_capture())
			*where = LAB_WIRE_ANY;
		else
			snprintf(why, len, "no capture: -s and -c never gain "
			    "privileges; run as root or give tcpstep CAP_NET_RAW");
		return 0;
	}
	if (wire_can_capture()) {
		*where = LAB_WIRE_HOST;
		return 0;
	}
	switch (wire_private_net(err, sizeof err)) {
	case 0:
		*where = LAB_WIRE_PRIVATE;
		return 0;
	case -1:
		snprintf(why, len, "no capture without root or CAP_NET_RAW "
		    "(setcap cap_net_raw+ep), and no private network: %s", err);
		return 0;
	default:
		fprintf(stderr, "tcpstep: the private network is half made: "
		    "%s\n(tcpstep --no-wire runs without it)\n", err);
		return -1;
	}
}

/*
 * --pcap FILE, opened before anything runs, as --log is. Returns 0, or
 * -1 with the reason said.
 */
static int
main_open_pcap(const struct opts *o, FILE **pcapp)
{
	*pcapp = NULL;
	if (o->pcap != NULL && (*pcapp = fopen(o->pcap, "w")) == NULL) {
		fprintf(stderr, "tcpstep: --pcap '%s': %s\nTry 'tcpstep "
		    "--help' for more information.\n", opts_quote(o->pcap),
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Give up the capabilities the lab must not keep, once the capture is
 * open (its packet socket needs none from then on; libpcap's filter and
 * statistics calls need none either). all: every one, in the private
 * network, where the process holds them all over that network; without
 * them the kernel's rules are the host's (a port below 1024 is EACCES).
 * Otherwise CAP_NET_RAW only, dropped from the permitted set too so it
 * cannot be taken back: under `setcap cap_net_raw+ep` or as root the lab
 * would else keep the right to capture and forge packets all run long
 * (root loses nothing the lab uses). Raw capget/capset: glibc declares
 * no wrapper, libcap would be a library for two calls, and prctl can
 * drop only from the bounding and ambient sets, never the permitted one.
 * Version 3 of the call takes 64 capability bits as two 32-bit words,
 * hence two data structures (capabilities 0-31, then 32-63). Returns 0,
 * or -1 with errno set.
 */
static int
main_drop_caps(int all)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int i = CAP_TO_INDEX(CAP_NET_RAW);

	memset(data, 0, sizeof data);
	if (!all) {
		if (syscall(SYS_capget, &hdr, data) == -1)
			return -1;
		data[i].effective &= ~CAP_TO_MASK(CAP_NET_RAW);
		data[i].permitted &= ~CAP_TO_MASK(CAP_NET_RAW);
		data[i].inheritable &= ~CAP_TO_MASK(CAP_NET_RAW);
	}
	return syscall(SYS_capset, &hdr, data) == -1 ? -1 : 0;
}

/*
 * The capture where main_wire_where decided, handed to the lab, and the
 * pcap file given to it. A capture that cannot open is one line in the
 * lab, never an error; the lab stays in its private network all the
 * same (the title says so), without capabilities. *wp gets the capture
 * (NULL: none); *pcap_err the pcap file's error when it could not even
 * be started. Returns 0, or -1 (said) when the capabilities could not be
 * given up: the lab must not run with them.
 */
static int
main_wire(struct lab *lab, struct event_base *base, enum lab_wire_where where,
    char *why, size_t len, FILE *pcap, char *pcap_err, size_t errlen,
    struct wire **wp)
{
	struct wire *w = NULL;
	char err[188];	/* and "no capture: " in lab->wire_why's 200 */

	if (where == LAB_WIRE_HOST || where == LAB_WIRE_PRIVATE ||
	    where == LAB_WIRE_ANY) {
		w = wire_open(base, where == LAB_WIRE_ANY ? "any" : "lo",
		    lab_wire_in, lab, err, sizeof err);
		if (w == NULL) {
			snprintf(why, len, "no capture: %s", err);
			if (where != LAB_WIRE_PRIVATE)
				where = LAB_WIRE_UNAVAILABLE;
		}
	}
	*wp = w;
	/* --no-wire: nothing opened, nothing changed, as before the wire. */
	if (where != LAB_WIRE_OFF &&
	    main_drop_caps(where == LAB_WIRE_PRIVATE) == -1) {
		fprintf(stderr, "tcpstep: cannot give up %s: %s\n(tcpstep "
		    "--no-wire runs without capture)\n", where ==
		    LAB_WIRE_PRIVATE ? "the private network's capabilities" :
		    "CAP_NET_RAW", strerror(errno));
		return -1;
	}
	lab_wire_attach(lab, w, where, why);
	if (pcap != NULL && wire_dump(w, pcap, pcap_err, errlen) == -1 &&
	    pcap_err[0] == '\0')
		snprintf(pcap_err, errlen, "cannot write");
	return 0;
}

/* The lab on base, with the log and the model the options ask for. */
static int
main_lab(struct lab *lab, struct event_base *base,
    const struct lab_config *cfg, const struct opts *o, FILE *log)
{
	if (lab_init(lab, base, cfg) == -1) {
		fprintf(stderr, "tcpstep: out of memory\n");
		return -1;
	}
	lab->log = log;
	lab->log_name = o->log;
	if (o->edge)
		lab_set_edge(lab, 1);
	return 0;
}

/*
 * In -s and -c, the lesson --guide N or --lesson FILE starts must be one
 * for two machines (role: pair) or for that role; the others need the
 * all-in-one lab. Says which lessons would do. Returns 2 or -1 to go on.
 */
static int
main_lesson_fits(const struct opts *o)
{
	enum lab_role role = o->server ? LAB_ROLE_SERVER : o->host != NULL ?
	    LAB_ROLE_CLIENT : LAB_ALL_IN_ONE;
	const struct guide_lesson *l;
	char fit[128];
	size_t n = 0;
	int i;

	if (o->guide <= 0 || o->guide > GUIDE_LESSONS ||
	    guide_lesson_fits(l = &guide_lessons[o->guide - 1], role))
		return -1;
	fit[0] = '\0';
	for (i = 0; i < GUIDE_LESSONS && n < sizeof fit; i++)
		if (guide_lesson_fits(&guide_lessons[i], role))
			n += snprintf(fit + n, sizeof fit - n, "%s%d",
			    n > 0 ? ", " : "", i + 1);
	fprintf(stderr, "tcpstep: %s%s: lesson %d, \"%s\", uses the "
	    "all-in-one lab: run it without %s%s%s\n", o->lesson != NULL ?
	    "--lesson " : "--guide", o->lesson != NULL ? o->lesson : "",
	    o->guide, l->title, o->server ? "-s" : "-c", n > 0 ?
	    "; the lessons for two machines are " : "", fit);
	return 2;
}

/*
 * The lessons the options ask for: --check-lesson's files in place of
 * the installed ones, --lesson's before them (and guided mode on at it).
 * A file that does not parse is "FILE:LINE: what is wrong", as a
 * compiler says it, and exit 2. Returns the exit status, or -1 to go on.
 */
static int
main_lessons(struct opts *o)
{
	char err[PATH_MAX + 256];

	if (o->check_lesson && (o->server || o->host != NULL)) {
		fprintf(stderr, "tcpstep: --check-lesson plays lessons in the "
		    "all-in-one lab: leave out -s and -c\n");
		return 2;
	}
	if ((o->check_lesson && guide_lessons_add(o->check_files, o->ncheck,
	    1, err, sizeof err) == -1) || (o->lesson != NULL &&
	    guide_lessons_add((char **)&o->lesson, 1, 0, err,
	    sizeof err) == -1)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (o->lesson != NULL)
		o->guide = 1;
	if (o->guide > 0 && GUIDE_LESSONS == 0) {
		fprintf(stderr, "tcpstep: --guide: guided mode has no lessons: "
		    "%s\n", guide_lessons_why());
		return 2;
	}
	return main_lesson_fits(o);
}

/*
 * The front end the options chose, batch or the screen, with the lesson
 * of --guide; returns the exit status.
 */
static int
main_run(struct lab *lab, struct guide *guide, const struct opts *o,
    const char *keys, const char *bind_text)
{
	int status;

	memset(guide, 0, sizeof *guide);
	/*
	 * Only lists the lesson's setup steps: the front end runs them
	 * through its key path, each settled like a typed key, as it does
	 * when g, [ or ] starts a lesson.
	 */
	if (o->guide > 0)
		guide_start(guide, lab, o->guide - 1);
	if (o->check_lesson) {
		status = lesson_check_run(lab, o->settle_ms, stdout);
		if (status == -1)
			status = 1;
	} else if (o->batch) {
		status = batch_run(lab, guide, keys, o->settle_ms, o->format,
		    stdout);
		if (status == -1)
			status = 1;
	} else
		status = tui_run(lab, guide, bind_text, o->ascii, !o->no_mouse);
	return status;
}

/*
 * --log and --pcap, opened before anything runs: a bad name is a usage
 * error. Returns 0, or -1 (said, nothing left open).
 */
static int
main_open_files(const struct opts *o, FILE **logp, FILE **pcapp)
{
	*pcapp = NULL;
	if (main_open_log(o, logp) != 0)
		return -1;
	if (main_open_pcap(o, pcapp) != 0) {
		if (*logp != NULL)
			fclose(*logp);
		*logp = NULL;
		return -1;
	}
	return 0;
}

/*
 * The end of a run: the pcap file's and the log's errors (a full disk
 * shows at their last write or close), said, turn a success into exit 1.
 * lab NULL: the lab was never made. Returns the exit status.
 */
static int
main_finish(const struct opts *o, struct lab *lab, const char *pcap_err,
    FILE *log, int status)
{
	if (pcap_err[0] != '\0') {
		fprintf(stderr, "tcpstep: --pcap '%s': %s: the capture is cut "
		    "short\n", opts_quote(o->pcap), pcap_err);
		if (status == 0)
			status = 1;
	}
	/* The log's last lines and its close can fail too (a full disk). */
	if (log != NULL && (fclose(log) == EOF || (lab != NULL &&
	    lab->log_err))) {
		fprintf(stderr, "tcpstep: --log '%s': %s: the log is cut "
		    "short\n", opts_quote(o->log), strerror(lab != NULL &&
		    lab->log_err ? lab->log_err : errno));
		if (status == 0)
			status = 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct lab_config cfg;
	struct event_base *base = NULL;
	struct lab lab;
	struct guide guide;
	struct wire *wire = NULL;
	enum lab_wire_where where;
	FILE *log = NULL, *pcap = NULL;
	char err[256], bind_text[160], *keys = NULL, wire_why[200];
	char pcap_err[256] = "";
	size_t nkeys = 0;
	int status, closed, lab_made = 0;

	closed = main_std_fds();
	setlocale(LC_ALL, "");
	/*
	 * The installed lessons first: --guide N is checked against them. A
	 * missing directory is no error here; guided mode says why.
	 */
	guide_lessons_load(err, sizeof err);
	opts_set_lessons(GUIDE_LESSONS);
	if ((status = main_answer(opts_parse(&o, argc, argv, err, sizeof err),
	    err)) != -1 || (status = main_lessons(&o)) != -1) {
		guide_lessons_free();
		return status;
	}
	/* First of all: the private network, before any socket exists. */
	if (main_wire_where(&o, &where, wire_why, sizeof wire_why) == -1)
		return 1;
	if ((status = main_batch_ends(&o, closed, &keys, &nkeys)) != -1 ||
	    main_open_files(&o, &log, &pcap) != 0) {
		free(keys);
		return status != -1 ? status : 2;
	}

	/*
	 * Sends say MSG_NOSIGNAL; this is for the rest: a write to a closed
	 * pipe must come back as EPIPE, to be reported, not kill the lesson.
	 */
	signal(SIGPIPE, SIG_IGN);
	main_config(&o, &cfg, bind_text, sizeof bind_text);

	/* From here on, one way out: done. */
	status = 1;
	if ((base = event_base_new()) == NULL) {
		fprintf(stderr, "tcpstep: cannot create the event loop\n");
		goto done;
	}
	lab_made = 1;
	if (main_lab(&lab, base, &cfg, &o, log) == -1 ||
	    main_wire(&lab, base, where, wire_why, sizeof wire_why, pcap,
	    pcap_err, sizeof pcap_err, &wire) == -1)
		goto done;
	pcap = NULL;	/* the wire's now */
	status = main_run(&lab, &guide, &o, o.keys != NULL ? o.keys : keys,
	    bind_text);
done:
	if (lab_made)
		lab_free(&lab);
	/* After the lab, which may still read it; the pcap file's end too. */
	if (wire_close(wire, err, sizeof err) == -1 && pcap_err[0] == '\0')
		snprintf(pcap_err, sizeof pcap_err, "%s", err);
	if (pcap != NULL)	/* never handed over: the lab did not start */
		fclose(pcap);
	if (base != NULL)
		event_base_free(base);
	free(keys);
	guide_lessons_free();
	return main_finish(&o, lab_made ? &lab : NULL, pcap_err, log, status);
}
