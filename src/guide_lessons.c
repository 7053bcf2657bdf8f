/*
 * guide_lessons.c - the eight lessons of guided mode, as data: a teacher
 * changes what the guide teaches here, and nowhere else.
 *
 * Each lesson names its goal, the operations the guide runs to set the
 * scene, and its steps: an operation whose key to press, what it will
 * show, and the check on the lab (a counter, a result, an error) that
 * must hold before the next step. OK, ERR and COUNT write the common
 * checks short.
 */
#include <errno.h>
#include <stddef.h>

#include "guide_lessons.h"
#include "lab.h"

#define OK(op, s)	{ op, s, { GK_OK, 0, 0, 0, 0, NULL } }
#define ERR(op, s, e)	{ op, s, { GK_ERR, 0, 0, 0, e, NULL } }
#define COUNT(op, s, p, note, n, e, w) \
			{ op, s, { GK_COUNT, p, note, n, e, w } }

/* The scenes the guide sets before a lesson's first step. */
static const enum lab_op guide_no_setup[] = { LAB_OP_NONE };
/* Listening, connected and accepted: keys 1 to 5. */
static const enum lab_op guide_connected[] = {
	LAB_OP_SERVER_CREATE, LAB_OP_LISTEN, LAB_OP_CLIENT_CREATE,
	LAB_OP_CONNECT, LAB_OP_ACCEPT, LAB_OP_NONE
};
/* Connected, the connection still in the accept queue: keys 1 to 4. */
static const enum lab_op guide_connecting[] = {
	LAB_OP_SERVER_CREATE, LAB_OP_LISTEN, LAB_OP_CLIENT_CREATE,
	LAB_OP_CONNECT, LAB_OP_NONE
};

const struct guide_lesson guide_lessons[GUIDE_LESSONS] = {
{ "The walkthrough: 1 to 7",
  "Make a server and a client, connect them and send one time record, "
  "watching which notification each step causes.", guide_no_setup, {
	OK(LAB_OP_SERVER_CREATE,
	    "Press 1: the server gets a socket and an address."),
	OK(LAB_OP_LISTEN, "Press 2: the server listens; the kernel will answer "
	    "connections on its own."),
	OK(LAB_OP_CLIENT_CREATE, "Press 3: the client gets a socket."),
	COUNT(LAB_OP_CONNECT,
	    "Press 4: connect. Watch OnConnect on the Client and "
	    "OnAccept on the Server: both before anyone accepts.",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
	OK(LAB_OP_ACCEPT,
	    "Press 5: accept the queued connection into Server-Send."),
	COUNT(LAB_OP_CONN_SEND,
	    "Press 6: Server-Send sends the time. The Client's "
	    "OnReceive will say it arrived.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1,
	    0, "waiting for OnReceive at the Client"),
	OK(LAB_OP_CLIENT_RECEIVE,
	    "Press 7: the Client reads the record; see it on the "
	    "Received line."),
  }, "That is the walkthrough of \"Asynchronous TCP Part 1\": every "
  "notification meant \"now you can\", and the counters moved only when "
  "the loop delivered one." },
{ "Two sends, one receive",
  "See that OnReceive is one-shot: it does not fire again for new bytes "
  "until the program calls recv.", guide_connected, {
	COUNT(LAB_OP_CONN_SEND,
	    "Press 6: one record goes to the Client: OnReceive 1.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	{ LAB_OP_CONN_SEND,
	    "Press 6 again: a second record arrives. Under the Winsock "
	    "model OnReceive stays at 1: nobody called recv since.",
	    { GK_INQ, LAB_CLIENT, 0, 2 * LAB_RECORD_SIZE, 0,
	    "waiting for the second record" } },
	COUNT(LAB_OP_CLIENT_RECEIVE,
	    "Press 7: recv reads one record and re-enables OnReceive, "
	    "which fires at once: a record is still queued.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 2, 0, "waiting for the second OnReceive"),
	OK(LAB_OP_CLIENT_RECEIVE, "Press 7: the second record."),
	ERR(LAB_OP_CLIENT_RECEIVE,
	    "Press 7 once more: nothing is left, so EAGAIN.", EAGAIN),
  }, "Two sends gave two OnReceive, but the second came only after the "
  "first recv. A program reads in its OnReceive handler, so it never "
  "misses data." },
{ "Receive with nothing sent",
  "Call recv before anything was sent, and see why a non-blocking socket "
  "says EAGAIN instead of waiting.", guide_connected, {
	ERR(LAB_OP_CLIENT_RECEIVE, "Press 7 before anything was sent.", EAGAIN),
	COUNT(LAB_OP_CONN_SEND,
	    "Press 6: now a record arrives and OnReceive says so.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK(LAB_OP_CLIENT_RECEIVE,
	    "Press 7: this time recv has something to read."),
  }, "EAGAIN (WSAEWOULDBLOCK 10035) is not a failure: it means \"not now\". "
  "Waiting for OnReceive is how a program avoids it." },
{ "Connect with nobody listening",
  "Connect before the server listens, see the refusal, and fix it.",
  guide_no_setup, {
	OK(LAB_OP_SERVER_CREATE,
	    "Press 1: a server socket, but do not listen yet."),
	OK(LAB_OP_CLIENT_CREATE, "Press 3: a client socket."),
	COUNT(LAB_OP_CONNECT,
	    "Press 4: connect. The server's kernel answers the SYN "
	    "with RST.", LAB_CLIENT, ASOCK_ON_CONNECT, 1, ECONNREFUSED,
	    "waiting for OnConnect(ECONNREFUSED)"),
	OK(LAB_OP_LISTEN, "Press 2: now the server listens."),
	{ LAB_OP_NEW_CLIENT,
	    "Press n: a fresh client socket for a new try (the refused "
	    "one would answer its next connect with ECONNABORTED).",
	    { GK_ROWS, LAB_CLIENT, 0, 2, 0, NULL } },
	COUNT(LAB_OP_CONNECT, "Press 4: connect again; this time OnConnect(0).",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
  }, "The refusal came as OnConnect(ECONNREFUSED), not from connect "
  "itself: a non-blocking connect only starts the handshake." },
{ "Three ways to close",
  "Close gracefully, half-close and abort, and watch what the peer sees "
  "each time.", guide_connected, {
	COUNT(LAB_OP_CONN_SEND,
	    "Press 6: send a record to the Client.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK(LAB_OP_CLIENT_RECEIVE,
	    "Press 7: read it, so nothing is left unread."),
	COUNT(LAB_OP_CLIENT_CLOSE,
	    "Press x: the Client closes. Server-Send sees OnClose(0).",
	    LAB_SEND, ASOCK_ON_CLOSE, 1, 0, "waiting for OnClose at "
	    "Server-Send"),
	OK(LAB_OP_NEW_CLIENT, "Press n: a new client for the next experiment."),
	COUNT(LAB_OP_CONNECT,
	    "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK(LAB_OP_ACCEPT, "Press 5: accept it into a new Server-Send row."),
	COUNT(LAB_OP_CLIENT_SHUTDOWN,
	    "Press h: the Client half-closes. Server-Send sees "
	    "OnClose(0) but may still send.", LAB_SEND, ASOCK_ON_CLOSE, 1, 0,
	    "waiting for OnClose at Server-Send"),
	COUNT(LAB_OP_CONN_SEND,
	    "Press 6: Server-Send still sends, the Client still "
	    "receives.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive"),
	OK(LAB_OP_NEW_CLIENT, "Press n: one more client."),
	COUNT(LAB_OP_CONNECT,
	    "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK(LAB_OP_ACCEPT, "Press 5: accept it."),
	COUNT(LAB_OP_CONN_ABORT, "Press Z: Server-Send aborts. The Client sees "
	    "OnClose(ECONNRESET).", LAB_CLIENT, ASOCK_ON_CLOSE, 1, ECONNRESET,
	    "waiting for OnClose(ECONNRESET) at the Client"),
  }, "FIN says \"no more from me\" and comes after the data; RST says "
  "\"this connection is over\": unsent data is dropped, and on Linux the "
  "peer reads what had reached it, then ECONNRESET (Winsock discards it)." },
{ "Out-of-band data",
  "Send urgent bytes and see that OnOutOfBandData is one-shot and that "
  "Linux holds only one urgent byte.", guide_connected, {
	COUNT(LAB_OP_CONN_URGENT,
	    "Press U: Server-Send sends urgent byte A.", LAB_CLIENT,
	    ASOCK_ON_OOB, 1, 0, "waiting for OnOutOfBandData"),
	OK(LAB_OP_CLIENT_READ_URGENT,
	    "Press u: the Client reads it with MSG_OOB, which enables "
	    "OnOutOfBandData again."),
	COUNT(LAB_OP_CONN_URGENT,
	    "Press U: urgent byte B.", LAB_CLIENT, ASOCK_ON_OOB, 2, 0,
	    "waiting for OnOutOfBandData"),
	{ LAB_OP_CONN_URGENT,
	    "Press U before reading: urgent byte C takes B's place; B was "
	    "next in the stream, so Linux drops it. No new OnOutOfBandData "
	    "comes (it waits for u).",
	    { GK_EXACT, LAB_CLIENT, ASOCK_ON_OOB, 2, 0, NULL } },
	OK(LAB_OP_CLIENT_READ_URGENT,
	    "Press u: the byte read is C; B is lost."),
  }, "Urgent data is one byte beside the stream, announced by SIGURG. "
  "Few protocols use it (telnet's interrupt is the classic one)." },
{ "Fill the pipe",
  "Send until the kernel refuses, then read on the other side and watch "
  "OnSend come again, the one time it does.", guide_connected, {
	ERR(LAB_OP_CONN_FILL,
	    "Press F: Server-Send sends until EAGAIN. Its OnSend stays "
	    "at 1.", EAGAIN),
	COUNT(LAB_OP_CLIENT_DRAIN,
	    "Press d: the Client reads everything; room frees up and "
	    "Server-Send gets OnSend again.", LAB_SEND, ASOCK_ON_SEND, 2, 0,
	    "waiting for OnSend at Server-Send"),
  }, "OnSend is not \"sent\": it is \"you may send again\", after a send "
  "failed with EAGAIN. A program keeps what it could not send until then." },
{ "Auto mode",
  "Let the notifications drive the steps, as a real program does.",
  guide_connecting, {
	{ LAB_OP_AUTO, "Press a: auto mode accepts the waiting connection, and "
	    "Server-Send sends the time each second; the Client reads it on "
	    "each OnReceive.", { GK_COUNT, LAB_CLIENT, ASOCK_ON_RECEIVE, 2, 0,
	    "waiting for two records to be received" } },
	COUNT(LAB_OP_CLIENT_SEND,
	    "Press 8: the Client sends a line; Server-Send reads it "
	    "on its own.", LAB_SEND, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive at Server-Send"),
	{ LAB_OP_AUTO, "Press a: auto mode off; the counters stop.",
	    { GK_AUTO, 0, 0, 0, 0, NULL } },
  }, "In a real program each notification handler makes the call the "
  "notification invited: that is what auto mode does, with a timer for "
  "Server-Send's sends." },
};
