/*
 * asock_core.h - what the socket layer's two files share: struct asock,
 * whose calls live in src/asock.c and whose notifications are decided in
 * src/asock_notify.c, and the functions that cross between them. Nothing
 * above the socket layer includes it: the rest of tcpstep uses asock.h,
 * where struct asock stays opaque.
 */
#ifndef TCPSTEP_ASOCK_CORE_H
#define TCPSTEP_ASOCK_CORE_H

#include "asock.h"

struct event;
struct event_base;

struct asock {
	struct event_base	*base;
	int			 fd;
	enum asock_state	 state;
	struct event		*rd;
	struct event		*wr;
	struct event		*again;		/* level rule: look again */
	int			 send_wanted;	/* FD_WRITE is enabled */
	int			 oob_wanted;	/* FD_OOB is enabled */
	int			 v6only;	/* IPV6_V6ONLY to set, -1: leave */
	int			 edge;		/* edge-triggered model (EV_ET) */
	int			 quiet;		/* no lines for OnReceive, recv */
	int			 rd_on;		/* FD_READ/FD_ACCEPT is enabled */
	int			 rd_added;	/* rd is in the loop */
	int			 left;		/* bytes known to be queued still */
	int			 stirred;	/* a kernel change not looked at */
	int			 oob_look;	/* look for an urgent byte */
	int			 reset;		/* OnClose(ECONNRESET) delivered */
	unsigned		 gen;		/* changes with each descriptor */
	asock_cb		*cb;
	void			*arg;
	asock_trace_cb		*trace;
	void			*trace_arg;
	struct asock		*next;		/* every live asock */
};

/* asock.c: write one transcript line, if anyone listens. */
void	 asock_trace(struct asock *s, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));

/*
 * asock_notify.c: s joins the live sockets (its zero timeout, and the
 * SIGURG event if it is the first); -1 if libevent cannot make them.
 */
int	 asock_notify_join(struct asock *s);
/* s is going: out of the live sockets, with its timer (and SIGURG's). */
void	 asock_notify_leave(struct asock *s);
/* Make the two events for fd (both EV_ET); -1 if libevent cannot. */
int	 asock_notify_events(struct asock *s, int fd);
/* Take ownership of fd in state; on failure fd is closed, errno ENOMEM. */
int	 asock_notify_attach(struct asock *s, int fd, enum asock_state state);
/* The re-enabling call was made: OnReceive (OnAccept) may fire again. */
void	 asock_notify_read_on(struct asock *s);
/* Look again on the loop's next turn (the level rule's zero timeout). */
void	 asock_notify_again(struct asock *s);
/* A connection is up: arm OnSend once and the receive side. */
void	 asock_notify_established(struct asock *s);

#endif
