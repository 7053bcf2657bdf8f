/*
 * bind.c - the binding table: each key, the lab operation or front-end
 * command it runs, and its help line. See include/bind.h.
 *
 * The order is the help pages': the article's steps, the steps beyond
 * it (lower case: Client, shifted: Server-Send), then the keys of the lab
 * as a whole and of the screen. A key with a NULL help line is listed
 * with the one before it ("Down/Up" stands for KEY_UP too).
 *
 * The legend's words come from here too: each key's item, and the groups
 * of step keys (bind_group, bind_steps) built from the table's order and
 * the pane of each key's step, so a new step key shows in them by itself.
 */
#include <stddef.h>

#include "bind.h"

#define STEP(k, name, op, page, help, group) \
	{ k, name, NULL, BIND_LAB, op, BIND_BOTH, page, help, NULL, group, \
	    NULL }
#define LAB(k, name, label, op, page, help, legend) \
	{ k, name, label, BIND_LAB, op, BIND_BOTH, page, help, legend, \
	    BIND_GROUP_NONE, NULL }
#define CMD(k, name, label, cmd, fronts, page, help, legend) \
	{ k, name, label, cmd, LAB_OP_NONE, fronts, page, help, legend, \
	    BIND_GROUP_NONE, NULL }

const struct bind bind_table[] = {
	/* The article's steps: help page 1. */
	STEP('1', "1", LAB_OP_SERVER_CREATE, 1,
	    "Create(): socket() + bind(), an address", BIND_GROUP_NONE),
	STEP('2', "2", LAB_OP_LISTEN, 1,
	    "Listen(): listen(), the kernel queues connections",
	    BIND_GROUP_NONE),
	STEP('3', "3", LAB_OP_CLIENT_CREATE, 1,
	    "Create(): socket() + bind(), a kernel-picked port",
	    BIND_GROUP_NONE),
	STEP('4', "4", LAB_OP_CONNECT, 1,
	    "Connect(): connect(), the kernel handshakes", BIND_GROUP_NONE),
	STEP('5', "5", LAB_OP_ACCEPT, 1,
	    "Accept(): accept(), a queued connection gets a row",
	    BIND_GROUP_NONE),
	STEP('6', "6", LAB_OP_CONN_SEND, 1,
	    "Send(): send() the time, one 13-byte record", BIND_GROUP_NONE),
	STEP('7', "7", LAB_OP_CLIENT_RECEIVE, 1,
	    "Receive(): recv() what the receive queue holds",
	    BIND_GROUP_NONE),
	STEP('8', "8", LAB_OP_CLIENT_SEND, 1,
	    "Send(): send() a line back, \"ping\" and the time",
	    BIND_GROUP_NONE),
	STEP('9', "9", LAB_OP_CONN_RECEIVE, 1,
	    "Receive(): recv() up to 64 bytes the client sent",
	    BIND_GROUP_NONE),

	/* The rest of a socket's life: page 2. */
	STEP('x', "x", LAB_OP_CLIENT_CLOSE, 2,
	    "Close(): close(), FIN after queued data", BIND_GROUP_PANE),
	STEP('X', "X", LAB_OP_CONN_CLOSE, 2,
	    "Close(): close() Server-Send, FIN after its data",
	    BIND_GROUP_PANE),
	STEP('L', "L", LAB_OP_SERVER_CLOSE, 2,
	    "Close(): close() the listener; queued ones get RST",
	    BIND_GROUP_NONE),
	STEP('h', "h", LAB_OP_CLIENT_SHUTDOWN, 2,
	    "ShutDown(1): shutdown(SHUT_WR), FIN, still receives",
	    BIND_GROUP_PANE),
	STEP('H', "H", LAB_OP_CONN_SHUTDOWN, 2,
	    "ShutDown(1): shutdown(SHUT_WR) of Server-Send", BIND_GROUP_PANE),
	STEP('z', "z", LAB_OP_CLIENT_ABORT, 2,
	    "SetSockOpt(SO_LINGER 0) + Close(): RST", BIND_GROUP_PANE),
	STEP('Z', "Z", LAB_OP_CONN_ABORT, 2,
	    "SetSockOpt(SO_LINGER 0) + Close(): RST", BIND_GROUP_PANE),
	STEP('U', "U", LAB_OP_CONN_URGENT, 2,
	    "Send(MSG_OOB): one urgent byte (FD_OOB there)", BIND_GROUP_PANE),
	STEP('u', "u", LAB_OP_CLIENT_READ_URGENT, 2,
	    "Receive(MSG_OOB): recv() the urgent byte", BIND_GROUP_PANE),
	STEP('o', "o", LAB_OP_CLIENT_URGENT, 2,
	    "Send(MSG_OOB): the client sends an urgent byte",
	    BIND_GROUP_ALONE),
	STEP('O', "O", LAB_OP_CONN_READ_URGENT, 2,
	    "Receive(MSG_OOB): Server-Send reads it", BIND_GROUP_ALONE),
	STEP('f', "f", LAB_OP_CLIENT_FILL, 2,
	    "Send() until EAGAIN (WSAEWOULDBLOCK)", BIND_GROUP_PANE),
	STEP('F', "F", LAB_OP_CONN_FILL, 2,
	    "Send() until EAGAIN: Server-Send fills it", BIND_GROUP_PANE),
	STEP('d', "d", LAB_OP_CLIENT_DRAIN, 2,
	    "Receive() until EAGAIN: read everything", BIND_GROUP_PANE),
	STEP('D', "D", LAB_OP_CONN_DRAIN, 2,
	    "Receive() until EAGAIN: Server-Send reads all", BIND_GROUP_PANE),
	{ 'n', "n", NULL, BIND_LAB, LAB_OP_NEW_CLIENT, BIND_BOTH, 2,
	    "Create(): another client socket, then 4", "n new",
	    BIND_GROUP_NONE, NULL },
	{ 'b', "b", NULL, BIND_LAB, LAB_OP_SEND_ALL, BIND_BOTH, 2,
	    "Send(): the time on every connection", "b all",
	    BIND_GROUP_NONE, NULL },

	/* The lab as a whole, and the screen. */
	LAB('r', "r", NULL, LAB_OP_RESET, 1,
	    "reset: close every socket, zero every counter", "r again"),
	LAB('a', "a", NULL, LAB_OP_AUTO, 1,
	    "auto mode on/off: notifications drive the steps", "a auto"),
	CMD(BIND_KEY_DOWN, "Down", "Down/Up", BIND_PICK_DOWN, BIND_TUI, 2,
	    "pick a Server-Send connection (also j/k)", "Up/Dn pick"),
	CMD(BIND_KEY_UP, "Up", NULL, BIND_PICK_UP, BIND_TUI, 1, NULL, NULL),
	CMD(BIND_KEY_TAB, "Tab", NULL, BIND_PICK_NEXT, BIND_TUI, 2,
	    "pick the next client (Shift-Tab, c/C: either way)", "Tab pick"),
	CMD(BIND_KEY_BTAB, "Shift-Tab", NULL, BIND_PICK_PREV, BIND_TUI, 1,
	    NULL, NULL),
	LAB('j', "j", NULL, LAB_OP_CONN_NEXT, 1, NULL, NULL),
	LAB('k', "k", NULL, LAB_OP_CONN_PREV, 1, NULL, NULL),
	LAB('c', "c", NULL, LAB_OP_CLIENT_NEXT, 1, NULL, NULL),
	LAB('C', "C", NULL, LAB_OP_CLIENT_PREV, 1, NULL, NULL),
	LAB('m', "m", NULL, LAB_OP_MODEL, 1,
	    "notification model: Winsock one-shot or edge-triggered", NULL),
	{ 'g', "g", NULL, BIND_GUIDE, LAB_OP_NONE, BIND_BOTH, 1,
	    "guided mode on/off; ] and [ next and previous lesson",
	    "g guide", BIND_GROUP_NONE, "g off" },
	CMD('y', "y", NULL, BIND_YES, BIND_TUI, 0, NULL, NULL),
	CMD(']', "]", NULL, BIND_LESSON_NEXT, BIND_BOTH, 1, NULL, "] next"),
	CMD('[', "[", NULL, BIND_LESSON_PREV, BIND_BOTH, 1, NULL, NULL),
	CMD('i', "i", NULL, BIND_ERRORS, BIND_BOTH, 1,
	    "every error on screen explained", "i error"),
	CMD('v', "v", NULL, BIND_VIEW, BIND_TUI, 1,
	    "under the panes: Explain, ladder, Wire or Events (e: Events)",
	    "v view"),
	CMD('e', "e", NULL, BIND_EVENTS, BIND_TUI, 1, NULL, NULL),
	CMD('E', "E", NULL, BIND_EXPLAIN_PAGE, BIND_TUI, 1,
	    "the last step explained in full, on a page of its own",
	    "E explain"),
	CMD(BIND_KEY_PGUP, "PgUp", "PgUp/PgDn", BIND_SCROLL_UP, BIND_TUI, 1,
	    "scroll the Explain text, the Wire view or the Events", NULL),
	CMD(BIND_KEY_PGDN, "PgDn", NULL, BIND_SCROLL_DOWN, BIND_TUI, 1, NULL,
	    NULL),
	CMD('?', "?", "? or F1", BIND_HELP, BIND_TUI, 1,
	    "help; again for the next page", "? help"),
	CMD(BIND_KEY_F1, "F1", NULL, BIND_HELP, BIND_TUI, 1, NULL, NULL),
	CMD(BIND_KEY_CTRL_L, "Ctrl-L", NULL, BIND_REPAINT, BIND_TUI, 1,
	    "repaint the screen", NULL),
	CMD('q', "q", "q or F10", BIND_QUIT, BIND_TUI, 1, "quit", "q quit"),
	CMD(BIND_KEY_F10, "F10", NULL, BIND_QUIT, BIND_TUI, 1, NULL, NULL),
	CMD('w', "w", NULL, BIND_WAIT, BIND_BATCH, 0,
	    "wait: one second of the event loop", NULL),
	{ 0, NULL, NULL, BIND_LAB, LAB_OP_NONE, 0, 0, NULL, NULL,
	    BIND_GROUP_NONE, NULL }
};

const struct bind *
bind_key(int key, unsigned front)
{
	const struct bind *b;

	for (b = bind_table; b->key != 0; b++)
		if (b->key == key && (b->fronts & front) != 0)
			return b;
	return NULL;
}

const struct bind *
bind_op(enum lab_op op)
{
	const struct bind *b;

	for (b = bind_table; b->key != 0; b++)
		if (b->cmd == BIND_LAB && b->op == op)
			return b;
	return NULL;
}

const struct bind *
bind_cmd(enum bind_cmd cmd)
{
	const struct bind *b;

	for (b = bind_table; b->key != 0; b++)
		if (b->cmd == cmd && cmd != BIND_LAB)
			return b;
	return NULL;
}

const char *
bind_op_name(enum lab_op op)
{
	const struct bind *b = bind_op(op);

	return b != NULL ? b->name : "?";
}

const char *
bind_cmd_name(enum bind_cmd cmd)
{
	const struct bind *b = bind_cmd(cmd);

	return b != NULL ? b->name : "?";
}

const char *
bind_op_legend(enum lab_op op)
{
	const struct bind *b = bind_op(op);

	return b != NULL ? b->legend : NULL;
}

const char *
bind_cmd_legend(enum bind_cmd cmd)
{
	const struct bind *b = bind_cmd(cmd);

	return b != NULL ? b->legend : NULL;
}
