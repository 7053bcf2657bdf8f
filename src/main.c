/*
 * main.c - tcpstep: step through asynchronous TCP one system call at a time.
 *
 * Parses the command line, builds the event loop and the lab on loopback,
 * and hands them to the screen or to batch mode.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "batch.h"
#include "lab.h"
#include "opts.h"
#include "tui.h"

#ifndef TCPSTEP_VERSION
#define TCPSTEP_VERSION "0.1"
#endif

/* Read all of stdin as the batch keys; NULL on a read error. */
static char *
main_read_keys(void)
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
	return buf;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct sockaddr_storage ss;
	socklen_t len;
	struct event_base *base;
	struct lab lab;
	FILE *log = NULL;
	char err[256], bind_text[64], *keys = NULL;
	int bad, status;

	setlocale(LC_ALL, "");
	switch (opts_parse(&o, argc, argv, err, sizeof err)) {
	case OPTS_HELP:
		opts_usage(stdout);
		return 0;
	case OPTS_VERSION:
		printf("tcpstep %s\n", TCPSTEP_VERSION);
		return 0;
	case OPTS_BAD:
		fprintf(stderr, "tcpstep: %s\nTry 'tcpstep --help' for more "
		    "information.\n", err);
		return 2;
	case OPTS_RUN:
		break;
	}
	if (o.batch && o.keys == NULL) {
		if ((keys = main_read_keys()) == NULL) {
			fprintf(stderr, "tcpstep: cannot read keys from "
			    "standard input\n");
			return 1;
		}
		if ((bad = opts_bad_key(keys)) != 0) {
			fprintf(stderr, "tcpstep: standard input: '%c' is not "
			    "a step key (see tcpstep --help)\n", bad);
			free(keys);
			return 2;
		}
	}

	if (o.log != NULL && (log = fopen(o.log, "w")) == NULL) {
		fprintf(stderr, "tcpstep: --log '%s': %s\nTry 'tcpstep --help' "
		    "for more information.\n", o.log, strerror(errno));
		free(keys);
		return 2;
	}
	/* One line at a time, so `tail -f` shows each as it happens. */
	if (log != NULL)
		setvbuf(log, NULL, _IOLBF, 0);

	/* Send errors must come back as EPIPE, not kill the lesson. */
	signal(SIGPIPE, SIG_IGN);
	addr_parse("127.0.0.1", o.port, &ss, &len);
	if (o.port != 0)
		snprintf(bind_text, sizeof bind_text, "127.0.0.1:%u", o.port);
	else
		snprintf(bind_text, sizeof bind_text, "127.0.0.1, port chosen "
		    "at step 1");

	if ((base = event_base_new()) == NULL) {
		fprintf(stderr, "tcpstep: cannot create the event loop\n");
		free(keys);
		if (log != NULL)
			fclose(log);
		return 1;
	}
	if (lab_init(&lab, base, (struct sockaddr *)&ss, len,
	    o.recv_size) == -1) {
		fprintf(stderr, "tcpstep: out of memory\n");
		lab_free(&lab);
		event_base_free(base);
		free(keys);
		if (log != NULL)
			fclose(log);
		return 1;
	}
	lab.log = log;
	if (o.batch)
		status = batch_run(&lab, o.keys != NULL ? o.keys : keys,
		    o.settle_ms, stdout) == 0 ? 0 : 1;
	else
		status = tui_run(&lab, bind_text, o.ascii);
	lab_free(&lab);
	event_base_free(base);
	free(keys);
	if (log != NULL)
		fclose(log);
	return status;
}
