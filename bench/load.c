/*
 * load.c - the benchmark's classroom: N clients sending time records to a
 * server as fast as TCP lets them, reading whatever the server sends back.
 *
 *   bench/load HOST PORT CONNS SECONDS
 *
 * Each client keeps its send queue full with blocks of "HH:MM:SS.mmm\n"
 * records, so the server, not this program, is the bottleneck: this
 * program sleeps in the loop until a queue has room again. It prints one
 * line when every client is connected and one when the time is up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

#define LOAD_RECORD	13
#define LOAD_BLOCK	(LOAD_RECORD * 315)	/* about 4 KB */

struct load_client {
	evutil_socket_t	 fd;
	struct event	*read_ev, *write_ev;
};

static char load_block[LOAD_BLOCK];
static unsigned long long load_sent, load_read;

/* The block of records, stamped with the time now. */
static void
load_stamp(void)
{
	char rec[LOAD_RECORD + 1];
	struct timeval tv;
	struct tm tm;
	size_t i;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	snprintf(rec, sizeof rec, "%02d:%02d:%02d.%03d\n", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	for (i = 0; i < LOAD_BLOCK; i += LOAD_RECORD)
		memcpy(load_block + i, rec, LOAD_RECORD);
}

static void
load_write_cb(evutil_socket_t fd, short what, void *arg)
{
	ssize_t n;

	(void)what;
	(void)arg;
	if ((n = send(fd, load_block, sizeof load_block, MSG_NOSIGNAL)) > 0)
		load_sent += (unsigned long long)n;
}

static void
load_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct load_client *c = arg;
	char buf[4096];
	ssize_t n;

	(void)what;
	n = recv(fd, buf, sizeof buf, 0);
	if (n > 0)
		load_read += (unsigned long long)n;
	else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		/* The server closed us: stop writing to it. */
		event_del(c->read_ev);
		event_del(c->write_ev);
	}
}

static void
load_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	load_stamp();
}

static void
load_done_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

int
main(int argc, char **argv)
{
	struct timeval second = { 1, 0 }, run = { 0, 0 };
	struct evutil_addrinfo hints, *ai;
	struct event_base *base;
	struct load_client *c;
	struct event *tick, *done;
	int conns, i;

	if (argc != 5 || (conns = atoi(argv[3])) < 1 ||
	    (run.tv_sec = atoi(argv[4])) < 1) {
		fprintf(stderr, "usage: load HOST PORT CONNS SECONDS\n");
		return 2;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if (evutil_getaddrinfo(argv[1], argv[2], &hints, &ai) != 0) {
		fprintf(stderr, "load: cannot resolve %s\n", argv[1]);
		return 1;
	}
	if ((base = event_base_new()) == NULL ||
	    (c = calloc((size_t)conns, sizeof *c)) == NULL)
		return 1;
	load_stamp();
	for (i = 0; i < conns; i++) {
		/* Blocking connects: loopback answers at once. */
		c[i].fd = socket(ai->ai_family, SOCK_STREAM, 0);
		if (c[i].fd == -1 ||
		    connect(c[i].fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			fprintf(stderr, "load: connect %d: %s\n", i,
			    strerror(errno));
			return 1;
		}
		evutil_make_socket_nonblocking(c[i].fd);
		c[i].read_ev = event_new(base, c[i].fd, EV_READ | EV_PERSIST,
		    load_read_cb, &c[i]);
		c[i].write_ev = event_new(base, c[i].fd, EV_WRITE | EV_PERSIST,
		    load_write_cb, &c[i]);
		event_add(c[i].read_ev, NULL);
		event_add(c[i].write_ev, NULL);
	}
	evutil_freeaddrinfo(ai);
	printf("connected %d\n", conns);
	fflush(stdout);
	tick = event_new(base, -1, EV_PERSIST, load_tick_cb, NULL);
	done = evtimer_new(base, load_done_cb, base);
	event_add(tick, &second);
	event_add(done, &run);
	event_base_dispatch(base);
	printf("done sent=%llu read=%llu\n", load_sent, load_read);
	fflush(stdout);
	for (i = 0; i < conns; i++) {
		event_free(c[i].read_ev);
		event_free(c[i].write_ev);
		close(c[i].fd);
	}
	free(c);
	event_free(tick);
	event_free(done);
	event_base_free(base);
	return 0;
}
