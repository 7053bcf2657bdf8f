/*
 * guide_lessons.c - the eight lessons of guided mode, as data: a teacher
 * changes what the guide teaches here, and nowhere else.
 *
 * Each lesson names its goal, the keys the guide presses to set the
 * scene, and its steps: a key to press, what it will show, and the check
 * on the lab (a counter, a result, an error) that must hold before the
 * next step. OK, ERR and COUNT write the common checks short.
 */
#include <errno.h>
#include <stddef.h>

#include "guide_lessons.h"
#include "lab.h"

#define OK(k, s)	{ k, s, { GK_OK, 0, 0, 0, 0, NULL } }
#define ERR(k, s, e)	{ k, s, { GK_ERR, 0, 0, 0, e, NULL } }
#define COUNT(k, s, p, note, n, e, w) \
			{ k, s, { GK_COUNT, p, note, n, e, w } }

const struct guide_lesson guide_lessons[GUIDE_LESSONS] = {
{ "The walkthrough: 1 to 7",
  "Make a server and a client, connect them and send one time record, "
  "watching which notification each step causes.", "", {
	OK('1', "Press 1: the server gets a socket and an address."),
	OK('2', "Press 2: the server listens; the kernel will answer "
	    "connections on its own."),
	OK('3', "Press 3: the client gets a socket."),
	COUNT('4', "Press 4: connect. Watch OnConnect on the Client and "
	    "OnAccept on the Server: both before anyone accepts.",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
	OK('5', "Press 5: accept the queued connection into Server-Send."),
	COUNT('6', "Press 6: Server-Send sends the time. The Client's "
	    "OnReceive will say it arrived.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1,
	    0, "waiting for OnReceive at the Client"),
	OK('7', "Press 7: the Client reads the record; see it on the "
	    "Received line."),
  }, "That is the walkthrough of \"Asynchronous TCP Part 1\": every "
  "notification meant \"now you can\", and the counters moved only when "
  "the loop delivered one." },
{ "Two sends, one receive",
  "See that OnReceive is one-shot: it does not fire again for new bytes "
  "until the program calls recv.", "12345", {
	COUNT('6', "Press 6: one record goes to the Client: OnReceive 1.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	{ '6', "Press 6 again: a second record arrives. Under the Winsock "
	    "model OnReceive stays at 1: nobody called recv since.",
	    { GK_INQ, LAB_CLIENT, 0, 2 * LAB_RECORD_SIZE, 0,
	    "waiting for the second record" } },
	COUNT('7', "Press 7: recv reads one record and re-enables OnReceive, "
	    "which fires at once: a record is still queued.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 2, 0, "waiting for the second OnReceive"),
	OK('7', "Press 7: the second record."),
	ERR('7', "Press 7 once more: nothing is left, so EAGAIN.", EAGAIN),
  }, "Two sends gave two OnReceive, but the second came only after the "
  "first recv. A program reads in its OnReceive handler, so it never "
  "misses data." },
{ "Receive with nothing sent",
  "Call recv before anything was sent, and see why a non-blocking socket "
  "says EAGAIN instead of waiting.", "12345", {
	ERR('7', "Press 7 before anything was sent.", EAGAIN),
	COUNT('6', "Press 6: now a record arrives and OnReceive says so.",
	    LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK('7', "Press 7: this time recv has something to read."),
  }, "EAGAIN (WSAEWOULDBLOCK 10035) is not a failure: it means \"not now\". "
  "Waiting for OnReceive is how a program avoids it." },
{ "Connect with nobody listening",
  "Connect before the server listens, see the refusal, and fix it.", "", {
	OK('1', "Press 1: a server socket, but do not listen yet."),
	OK('3', "Press 3: a client socket."),
	COUNT('4', "Press 4: connect. The server's kernel answers the SYN "
	    "with RST.", LAB_CLIENT, ASOCK_ON_CONNECT, 1, ECONNREFUSED,
	    "waiting for OnConnect(ECONNREFUSED)"),
	OK('2', "Press 2: now the server listens."),
	{ 'n', "Press n: a fresh client socket for a new try (the refused "
	    "one would answer its next connect with ECONNABORTED).",
	    { GK_ROWS, LAB_CLIENT, 0, 2, 0, NULL } },
	COUNT('4', "Press 4: connect again; this time OnConnect(0).",
	    LAB_CLIENT, ASOCK_ON_CONNECT, 1, 0, "waiting for OnConnect"),
  }, "The refusal came as OnConnect(ECONNREFUSED), not from connect "
  "itself: a non-blocking connect only starts the handshake." },
{ "Three ways to close",
  "Close gracefully, half-close and abort, and watch what the peer sees "
  "each time.", "12345", {
	COUNT('6', "Press 6: send a record to the Client.", LAB_CLIENT,
	    ASOCK_ON_RECEIVE, 1, 0, "waiting for OnReceive"),
	OK('7', "Press 7: read it, so nothing is left unread."),
	COUNT('x', "Press x: the Client closes. Server-Send sees OnClose(0).",
	    LAB_SEND, ASOCK_ON_CLOSE, 1, 0, "waiting for OnClose at "
	    "Server-Send"),
	OK('n', "Press n: a new client for the next experiment."),
	COUNT('4', "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK('5', "Press 5: accept it into a new Server-Send row."),
	COUNT('h', "Press h: the Client half-closes. Server-Send sees "
	    "OnClose(0) but may still send.", LAB_SEND, ASOCK_ON_CLOSE, 1, 0,
	    "waiting for OnClose at Server-Send"),
	COUNT('6', "Press 6: Server-Send still sends, the Client still "
	    "receives.", LAB_CLIENT, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive"),
	OK('n', "Press n: one more client."),
	COUNT('4', "Press 4: connect it.", LAB_CLIENT, ASOCK_ON_CONNECT, 1,
	    0, "waiting for OnConnect"),
	OK('5', "Press 5: accept it."),
	COUNT('Z', "Press Z: Server-Send aborts. The Client sees "
	    "OnClose(ECONNRESET).", LAB_CLIENT, ASOCK_ON_CLOSE, 1, ECONNRESET,
	    "waiting for OnClose(ECONNRESET) at the Client"),
  }, "FIN says \"no more from me\" and comes after the data; RST says "
  "\"this connection is over\": unsent data is dropped, and on Linux the "
  "peer reads what had reached it, then ECONNRESET (Winsock discards it)." },
{ "Out-of-band data",
  "Send urgent bytes and see that OnOutOfBandData is one-shot and that "
  "Linux holds only one urgent byte.", "12345", {
	COUNT('U', "Press U: Server-Send sends urgent byte A.", LAB_CLIENT,
	    ASOCK_ON_OOB, 1, 0, "waiting for OnOutOfBandData"),
	OK('u', "Press u: the Client reads it with MSG_OOB, which enables "
	    "OnOutOfBandData again."),
	COUNT('U', "Press U: urgent byte B.", LAB_CLIENT, ASOCK_ON_OOB, 2, 0,
	    "waiting for OnOutOfBandData"),
	{ 'U', "Press U before reading: urgent byte C takes B's place; B was "
	    "next in the stream, so Linux drops it. No new OnOutOfBandData "
	    "comes (it waits for u).",
	    { GK_EXACT, LAB_CLIENT, ASOCK_ON_OOB, 2, 0, NULL } },
	OK('u', "Press u: the byte read is C; B is lost."),
  }, "Urgent data is one byte beside the stream, announced by SIGURG. "
  "Few protocols use it (telnet's interrupt is the classic one)." },
{ "Fill the pipe",
  "Send until the kernel refuses, then read on the other side and watch "
  "OnSend come again, the one time it does.", "12345", {
	ERR('F', "Press F: Server-Send sends until EAGAIN. Its OnSend stays "
	    "at 1.", EAGAIN),
	COUNT('d', "Press d: the Client reads everything; room frees up and "
	    "Server-Send gets OnSend again.", LAB_SEND, ASOCK_ON_SEND, 2, 0,
	    "waiting for OnSend at Server-Send"),
  }, "OnSend is not \"sent\": it is \"you may send again\", after a send "
  "failed with EAGAIN. A program keeps what it could not send until then." },
{ "Auto mode",
  "Let the notifications drive the steps, as a real program does.", "1234", {
	{ 'a', "Press a: auto mode accepts the waiting connection, and "
	    "Server-Send sends the time each second; the Client reads it on "
	    "each OnReceive.", { GK_COUNT, LAB_CLIENT, ASOCK_ON_RECEIVE, 2, 0,
	    "waiting for two records to be received" } },
	COUNT('8', "Press 8: the Client sends a line; Server-Send reads it "
	    "on its own.", LAB_SEND, ASOCK_ON_RECEIVE, 1, 0,
	    "waiting for OnReceive at Server-Send"),
	{ 'a', "Press a: auto mode off; the counters stop.",
	    { GK_AUTO, 0, 0, 0, 0, NULL } },
  }, "In a real program each notification handler makes the call the "
  "notification invited: that is what auto mode does, with a timer for "
  "Server-Send's sends." },
};
