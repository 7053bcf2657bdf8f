/*
 * lab_view.c - the kernel's view of the lab's sockets: TCP state, queues,
 * readiness (asock_view), as the panes show them. A row is read again
 * after each step and notification that concerns it; while any socket is
 * between states (SYN_SENT, FIN_WAIT1...) a tick timer reads them all
 * every half second, and once none is, no timer runs. lab_look, before
 * each frame, reads the rows auto mode left stale under a flood.
 */
#include <netinet/tcp.h>
#include <sys/time.h>

#include <event2/event.h>

#include "asock.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_view.h"

/* The states a socket leaves by itself, without a step or notification. */
static int
lab_view_transitional(int tcp_state)
{
	switch (tcp_state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
	case TCP_FIN_WAIT1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return 1;
	default:
		return 0;
	}
}

/*
 * Read the kernel's view of one socket again. While it is between states
 * the tick timer looks at every socket again in half a second; otherwise
 * no timer runs at all.
 */
void
lab_view_refresh_sock(struct lab *lab, struct lab_sock *p)
{
	static const struct timeval half = { 0, 500000 };

	asock_view(p->sock, &p->view);
	if (p->which == LAB_SEND ? p->view.have_peer : p->view.have_local) {
		p->named = p->which == LAB_SEND ? p->view.peer : p->view.local;
		p->have_named = 1;
	}
	if (lab->tick != NULL && lab_view_transitional(p->view.tcp_state) &&
	    !evtimer_pending(lab->tick, NULL))
		evtimer_add(lab->tick, &half);
}

/* Whether any socket was between states when last looked at. */
static int
lab_view_any_moving(const struct lab *lab)
{
	size_t i;

	if (lab_view_transitional(lab->server.view.tcp_state))
		return 1;
	for (i = 0; i < lab->nconns; i++)
		if (lab_view_transitional(lab->conns[i]->view.tcp_state))
			return 1;
	for (i = 0; i < lab->nclients; i++)
		if (lab_view_transitional(lab->clients[i]->view.tcp_state))
			return 1;
	return 0;
}

/*
 * After a step or notification on p: p, the listener and the selected
 * rows. Other rows are looked at again by their own events, or by the
 * tick while one of them is between states.
 */
void
lab_view_refresh(struct lab *lab, struct lab_sock *p)
{
	if (p != NULL && p->sock != NULL)
		lab_view_refresh_sock(lab, p);
	lab_view_refresh_sock(lab, &lab->server);
	if (lab->nconns > 0)
		lab_view_refresh_sock(lab, lab->conns[lab->conn_sel]);
	if (lab->nclients > 0)
		lab_view_refresh_sock(lab, lab->clients[lab->client_sel]);
	if (lab->tick != NULL && evtimer_pending(lab->tick, NULL) &&
	    !lab_view_any_moving(lab))
		evtimer_del(lab->tick);
}

/* Every socket; the tick stops once none is between states. */
void
lab_view_refresh_all(struct lab *lab)
{
	size_t i;

	if (lab->tick != NULL)
		evtimer_del(lab->tick);
	lab_view_refresh_sock(lab, &lab->server);
	for (i = 0; i < lab->nconns; i++)
		lab_view_refresh_sock(lab, lab->conns[i]);
	for (i = 0; i < lab->nclients; i++)
		lab_view_refresh_sock(lab, lab->clients[i]);
}

/* Half a second after a socket was seen between states: all again. */
static void
lab_view_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab *lab = arg;

	(void)fd;
	(void)what;
	lab_view_refresh_all(lab);
	lab_changed(lab);
}

/* The tick timer, not yet running (lab_view_refresh_sock starts it). */
struct event *
lab_view_tick_new(struct lab *lab)
{
	return evtimer_new(lab->base, lab_view_tick_cb, lab);
}

/* One row at a look: its run written up, its text back, its view read. */
static void
lab_view_look_row(struct lab *lab, struct lab_sock *p)
{
	lab_auto_looked(lab, p);
	if (p->stale) {
		p->stale = 0;
		lab_view_refresh_sock(lab, p);
	}
}

/* Before a frame: every row, since auto mode may have left any stale. */
void
lab_look(struct lab *lab)
{
	size_t i;

	lab_wire_look(lab);	/* a flood's segments, summed */
	lab_view_look_row(lab, &lab->server);
	for (i = 0; i < lab->nconns; i++)
		lab_view_look_row(lab, lab->conns[i]);
	for (i = 0; i < lab->nclients; i++)
		lab_view_look_row(lab, lab->clients[i]);
}
