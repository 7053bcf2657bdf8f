/*
 * plain.c - the benchmark's yardstick: what tcpstep's server does in auto
 * mode, written as the smallest plain libevent program, with no lab model,
 * no transcript and no explanations.
 *
 *   bench/plain PORT [RECV_SIZE]
 *
 * Like tcpstep -s in auto mode it accepts on OnAccept, reads RECV_SIZE
 * bytes (default 64, tcpstep's step 9) once per OnReceive, closes on end
 * of stream, and once a second sends a time record on every connection,
 * waiting for OnSend when the send queue is full. Once a second it prints
 * "notes N": every notification delivered so far. The benchmark compares
 * the rate of N with tcpstep's.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

#define PLAIN_CONNS	1024
#define PLAIN_RECORD	13

struct plain_conn {
	evutil_socket_t	 fd;
	struct event	*read_ev, *write_ev;
};

static struct event_base *plain_base;
static struct plain_conn plain_conns[PLAIN_CONNS];
static size_t plain_recv_size = 64;
static unsigned long long plain_notes;

static void
plain_close(struct plain_conn *c)
{
	event_free(c->read_ev);
	event_free(c->write_ev);
	close(c->fd);
	c->fd = -1;
}

/* OnReceive: one recv, as the program's handler would make. */
static void
plain_read_cb(evutil_socket_t fd, short what, void *arg)
{
	static char buf[65536];
	ssize_t n;

	(void)what;
	plain_notes++;
	n = recv(fd, buf, plain_recv_size, 0);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		plain_close(arg);
}

static void
plain_send(struct plain_conn *c)
{
	char rec[PLAIN_RECORD + 1];
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	snprintf(rec, sizeof rec, "%02d:%02d:%02d.%03d\n", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	if (send(c->fd, rec, PLAIN_RECORD, MSG_NOSIGNAL) == -1 &&
	    errno == EAGAIN)
		event_add(c->write_ev, NULL);
}

/* OnSend: room again; the next second's record goes out as usual. */
static void
plain_write_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	plain_notes++;
}

/* OnAccept: one accept, as step 5 makes. */
static void
plain_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct plain_conn *c = NULL;
	evutil_socket_t fd;
	size_t i;

	(void)what;
	(void)arg;
	plain_notes++;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) == -1)
		return;
	for (i = 0; i < PLAIN_CONNS && c == NULL; i++)
		if (plain_conns[i].fd == -1)
			c = &plain_conns[i];
	if (c == NULL) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->read_ev = event_new(plain_base, fd, EV_READ | EV_PERSIST,
	    plain_read_cb, c);
	c->write_ev = event_new(plain_base, fd, EV_WRITE, plain_write_cb, c);
	event_add(c->read_ev, NULL);
}

static void
plain_second_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t i;

	(void)fd;
	(void)what;
	(void)arg;
	for (i = 0; i < PLAIN_CONNS; i++)
		if (plain_conns[i].fd != -1)
			plain_send(&plain_conns[i]);
	printf("notes %llu\n", plain_notes);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct timeval second = { 1, 0 };
	struct sockaddr_in sin;
	struct event *accept_ev, *tick;
	evutil_socket_t lfd;
	size_t i;
	int one = 1;

	if (argc < 2 || argc > 3 || atoi(argv[1]) < 1 ||
	    (argc == 3 && (atoi(argv[2]) < 1 || atoi(argv[2]) > 65536))) {
		fprintf(stderr, "usage: plain PORT [RECV_SIZE]\n");
		return 2;
	}
	if (argc == 3)
		plain_recv_size = (size_t)atoi(argv[2]);
	for (i = 0; i < PLAIN_CONNS; i++)
		plain_conns[i].fd = -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(lfd, SOMAXCONN) == -1) {
		perror("plain: bind/listen");
		return 1;
	}
	if ((plain_base = event_base_new()) == NULL)
		return 1;
	accept_ev = event_new(plain_base, lfd, EV_READ | EV_PERSIST,
	    plain_accept_cb, NULL);
	tick = event_new(plain_base, -1, EV_PERSIST, plain_second_cb, NULL);
	event_add(accept_ev, NULL);
	event_add(tick, &second);
	printf("listening\n");
	fflush(stdout);
	event_base_dispatch(plain_base);
	return 0;
}
