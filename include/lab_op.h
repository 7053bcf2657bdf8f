/*
 * lab_op.h - the lab's vocabulary: the operations it can run and what a
 * step can come to. Front ends turn keys into operations (bind.h); the
 * model, the explanations and the guide speak only these.
 */
#ifndef TCPSTEP_LAB_OP_H
#define TCPSTEP_LAB_OP_H

/*
 * The lab's operations: its whole command set. Front ends map keys to
 * these (include/bind.h); the model never sees a key. The steps come
 * first, in the help's order, each acting on the selected row of its pane
 * (lab_op_pane); then what acts on the lab as a whole.
 */
enum lab_op {
	LAB_OP_SERVER_CREATE,		/* socket() + bind() */
	LAB_OP_LISTEN,
	LAB_OP_CLIENT_CREATE,
	LAB_OP_CONNECT,
	LAB_OP_ACCEPT,
	LAB_OP_CONN_SEND,		/* Server-Send sends the time */
	LAB_OP_CLIENT_RECEIVE,
	LAB_OP_CLIENT_SEND,		/* the client sends a line */
	LAB_OP_CONN_RECEIVE,
	LAB_OP_CLIENT_CLOSE,
	LAB_OP_CONN_CLOSE,
	LAB_OP_SERVER_CLOSE,		/* the listener */
	LAB_OP_CLIENT_SHUTDOWN,
	LAB_OP_CONN_SHUTDOWN,
	LAB_OP_CLIENT_ABORT,
	LAB_OP_CONN_ABORT,
	LAB_OP_CONN_URGENT,		/* Server-Send sends an urgent byte */
	LAB_OP_CLIENT_READ_URGENT,
	LAB_OP_CLIENT_URGENT,
	LAB_OP_CONN_READ_URGENT,
	LAB_OP_CLIENT_FILL,
	LAB_OP_CONN_FILL,
	LAB_OP_CLIENT_DRAIN,
	LAB_OP_CONN_DRAIN,
	LAB_OP_NEW_CLIENT,
	LAB_OP_SEND_ALL,		/* Server-Send, on every connection */
	LAB_OP_STEPS,			/* the ops above are steps */
	LAB_OP_RESET = LAB_OP_STEPS,	/* every socket closed */
	LAB_OP_AUTO,			/* auto mode on/off */
	LAB_OP_MODEL,			/* Winsock or edge-triggered */
	LAB_OP_CONN_NEXT,		/* select a Server-Send row */
	LAB_OP_CONN_PREV,
	LAB_OP_CLIENT_NEXT,		/* select a client */
	LAB_OP_CLIENT_PREV,
	LAB_OPS,
	LAB_OP_NONE = LAB_OPS		/* no step run yet */
};

/*
 * What a step came to. Explanations, the guide and the front ends decide
 * by this and errno, never by the words of a result's brief or detail.
 */
enum lab_outcome {
	LAB_UNTRIED,		/* not run yet */
	LAB_OK,			/* the call did what the step asked */
	LAB_IN_PROGRESS,	/* connect: EINPROGRESS, OnConnect will tell */
	LAB_END_OF_STREAM,	/* recv returned 0 */
	LAB_FILLED,		/* fill: sent until EAGAIN, as asked */
	LAB_CLOSED_RESET,	/* close with bytes unread: RST, not FIN */
	LAB_CLOSED_QUIETLY,	/* close of no connection: nothing sent */
	LAB_CANCELLED,		/* close cancelled a connect in progress */
	LAB_OVER_LIMIT,		/* accept over --max-conns: closed at once */
	LAB_WOULD_BLOCK,	/* EAGAIN: not now, wait for the notification */
	LAB_FAILED,		/* the system call failed: see err */
	LAB_NOT_NOW		/* refused before any system call */
};

/* Whether op is a step of a pane, not an operation of the whole lab. */
static inline int
lab_op_is_step(enum lab_op op)
{
	return (unsigned)op < LAB_OP_STEPS;
}

/* Whether a step with this outcome did what it asked. */
static inline int
lab_outcome_ok(enum lab_outcome o)
{
	return o >= LAB_OK && o <= LAB_CANCELLED;
}

#endif
