/*
 * asock.c - CAsyncSocket's notification rules on top of libevent.
 *
 * Winsock's WSAAsyncSelect posts a message once and then stays quiet until
 * the program makes the call that re-enables it. libevent events without
 * EV_PERSIST behave the same way: they fire once and are added again only by
 * the re-enabling call. Because epoll is level-triggered, an event added
 * while its condition still holds fires on the next loop turn, which is
 * exactly "delivered again at once if more data waits".
 *
 * Two events per socket:
 *   rd - accept queue (listener) or receive queue / end of stream (connected)
 *   wr - completion of a pending connect, or room to send after EWOULDBLOCK
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "asock.h"

struct asock {
	struct event_base	*base;
	int			 fd;
	enum asock_state	 state;
	struct event		*rd;
	struct event		*wr;
	int			 send_wanted;	/* FD_WRITE is enabled */
	asock_cb		*cb;
	void			*arg;
};

static void asock_read_cb(evutil_socket_t, short, void *);
static void asock_write_cb(evutil_socket_t, short, void *);

const char *
asock_note_name(enum asock_note note)
{
	static const char *names[ASOCK_NOTES] = {
		"OnAccept", "OnClose", "OnConnect", "OnOutOfBandData",
		"OnReceive", "OnSend"
	};

	return (unsigned)note < ASOCK_NOTES ? names[note] : "On?";
}

struct asock *
asock_new(struct event_base *base, asock_cb *cb, void *arg)
{
	struct asock *s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->base = base;
	s->fd = -1;
	s->state = ASOCK_CLOSED;
	s->cb = cb;
	s->arg = arg;
	return s;
}

void
asock_free(struct asock *s)
{
	if (s == NULL)
		return;
	asock_close(s);
	free(s);
}

/* Take ownership of fd: make the two one-shot events for it. */
static int
asock_attach(struct asock *s, int fd, enum asock_state state)
{
	s->rd = event_new(s->base, fd, EV_READ, asock_read_cb, s);
	s->wr = event_new(s->base, fd, EV_WRITE, asock_write_cb, s);
	if (s->rd == NULL || s->wr == NULL) {
		if (s->rd != NULL)
			event_free(s->rd);
		if (s->wr != NULL)
			event_free(s->wr);
		s->rd = s->wr = NULL;
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	s->fd = fd;
	s->state = state;
	s->send_wanted = 0;
	return 0;
}

/* Deliver one notification; the callback may close or reuse s. */
static void
asock_notify(struct asock *s, enum asock_note note, int err)
{
	if (s->cb != NULL)
		s->cb(s, note, err, s->arg);
}

/* A connection is up: arm OnSend once (FD_WRITE) and the receive side. */
static void
asock_established(struct asock *s)
{
	s->state = ASOCK_CONNECTED;
	s->send_wanted = 1;
	event_add(s->wr, NULL);
	event_add(s->rd, NULL);
}

/* socket() + bind(), as CAsyncSocket::Create does. */
int
asock_create(struct asock *s, const struct sockaddr *bind_to, socklen_t len)
{
	int fd, one = 1, saved;

	if (s->fd != -1) {
		errno = EISCONN;
		return -1;
	}
	fd = socket(bind_to->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/*
	 * A fixed port must be reusable right after a reset, while the old
	 * connection still sits in TIME_WAIT; a port some other program
	 * listens on still fails with EADDRINUSE.
	 */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, bind_to, len) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return asock_attach(s, fd, ASOCK_CREATED);
}

int
asock_listen(struct asock *s, int backlog)
{
	if (listen(s->fd, backlog) == -1)
		return -1;
	s->state = ASOCK_LISTENING;
	event_add(s->rd, NULL);		/* FD_ACCEPT */
	return 0;
}

int
asock_connect(struct asock *s, const struct sockaddr *to, socklen_t len)
{
	int rc, saved;

	rc = connect(s->fd, to, len);
	saved = errno;
	/*
	 * On a socket that is already connected, Linux answers 0 once (the
	 * non-blocking connect finished) and EISCONN after that. Neither
	 * starts a new connect, so no new OnConnect.
	 */
	if (s->state == ASOCK_CONNECTED || s->state == ASOCK_PEER_CLOSED)
		return rc;
	if (rc == -1 && saved != EINPROGRESS)
		return -1;
	/*
	 * Success or EINPROGRESS: either way the outcome is reported by
	 * OnConnect from the loop, read from SO_ERROR once the socket is
	 * writable. errno is left as connect() set it.
	 */
	s->state = ASOCK_CONNECTING;
	event_add(s->wr, NULL);
	errno = saved;
	return rc;
}

int
asock_accept(struct asock *listener, struct asock *into)
{
	int fd, saved;

	fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	saved = errno;
	/* accept re-enables OnAccept; it fires again at once if more wait. */
	if (listener->state == ASOCK_LISTENING)
		event_add(listener->rd, NULL);
	if (fd == -1) {
		errno = saved;
		return -1;
	}
	if (into->fd != -1)
		asock_close(into);
	if (asock_attach(into, fd, ASOCK_CONNECTED) == -1)
		return -1;
	asock_established(into);
	return 0;
}

ssize_t
asock_send(struct asock *s, const void *buf, size_t len)
{
	ssize_t n;

	n = send(s->fd, buf, len, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
	    s->state == ASOCK_CONNECTED) {
		/* Only a send that would block re-enables OnSend. */
		s->send_wanted = 1;
		event_add(s->wr, NULL);
		errno = EAGAIN;
	}
	return n;
}

ssize_t
asock_receive(struct asock *s, void *buf, size_t len)
{
	ssize_t n;
	int saved;

	n = recv(s->fd, buf, len, 0);
	saved = errno;
	/*
	 * recv re-enables OnReceive, successful or not. If bytes remain (or
	 * the stream has ended), the loop tells us on its next turn.
	 */
	if (s->state == ASOCK_CONNECTED)
		event_add(s->rd, NULL);
	errno = saved;
	return n;
}

int
asock_close(struct asock *s)
{
	int rc;

	if (s->fd == -1) {
		errno = EBADF;
		return -1;
	}
	event_free(s->rd);
	event_free(s->wr);
	s->rd = s->wr = NULL;
	rc = close(s->fd);
	s->fd = -1;
	s->state = ASOCK_CLOSED;
	s->send_wanted = 0;
	return rc;
}

int
asock_fd(const struct asock *s)
{
	return s->fd;
}

enum asock_state
asock_state(const struct asock *s)
{
	return s->state;
}

static void
asock_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;
	char c;
	ssize_t n;

	(void)what;
	if (s->state == ASOCK_LISTENING) {
		asock_notify(s, ASOCK_ON_ACCEPT, 0);
		return;
	}
	if (s->state != ASOCK_CONNECTED)
		return;
	/*
	 * Readable means data, end of stream or an error. Peek to tell them
	 * apart without taking anything: Winsock posts FD_CLOSE for a
	 * graceful close only once every byte has been read.
	 */
	n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n > 0) {
		asock_notify(s, ASOCK_ON_RECEIVE, 0);
	} else if (n == 0) {
		s->state = ASOCK_PEER_CLOSED;
		asock_notify(s, ASOCK_ON_CLOSE, 0);
	} else if (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR) {
		event_add(s->rd, NULL);		/* nothing after all */
	} else {
		s->state = ASOCK_PEER_CLOSED;
		asock_notify(s, ASOCK_ON_CLOSE, errno);
	}
}

static void
asock_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;
	int err = 0;
	socklen_t len = sizeof err;

	(void)what;
	if (s->state == ASOCK_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0)
			s->state = ASOCK_CREATED;	/* may connect again */
		else
			asock_established(s);
		asock_notify(s, ASOCK_ON_CONNECT, err);
		return;
	}
	if (s->send_wanted && s->state == ASOCK_CONNECTED) {
		s->send_wanted = 0;
		asock_notify(s, ASOCK_ON_SEND, 0);
	}
}
