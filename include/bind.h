/*
 * bind.h - the binding table: every key tcpstep knows, what it does, and
 * the words that name it in the legend and the help.
 *
 * This is the one place keys exist. A key runs a lab operation (enum
 * lab_op, the model's command set) or a command of a front end (help,
 * quit, the guide's own keys). The TUI and batch look keys up here, the
 * option parser checks --keys against it, the guide names the key of the
 * operation it wants, and the legend, the help pages, --help and the man
 * page are checked against it by tests/keys.sh. Models: htop's
 * Action_setBindings (a table of keys to actions) and tmux's
 * key-bindings.c (a key maps to a named command whose note is its help).
 */
#ifndef TCPSTEP_BIND_H
#define TCPSTEP_BIND_H

#include <stddef.h>

#include "lab_op.h"

/*
 * Keys that are not characters, as the TUI decodes them from curses (the
 * binding table holds no curses codes: batch reads it too).
 */
enum {
	BIND_KEY_UP = 0x200,
	BIND_KEY_DOWN,
	BIND_KEY_BTAB,		/* Shift-Tab */
	BIND_KEY_PGUP,
	BIND_KEY_PGDN,
	BIND_KEY_F1,
	BIND_KEY_F10
};
#define BIND_KEY_TAB	'\t'
#define BIND_KEY_CTRL_L	('L' & 0x1f)

/* What a key does besides a lab operation. */
enum bind_cmd {
	BIND_LAB,		/* the lab operation .op */
	BIND_GUIDE,		/* guided mode on/off */
	BIND_LESSON_NEXT,
	BIND_LESSON_PREV,
	BIND_YES,		/* TUI: yes, close every socket (g [ ]) */
	BIND_WAIT,		/* batch: a second of the event loop */
	BIND_ERRORS,		/* every error on screen explained */
	/* TUI: arrows pick a Server-Send row, Tab a client (either, */
	BIND_PICK_DOWN,		/* in a role with one list) */
	BIND_PICK_UP,
	BIND_PICK_NEXT,
	BIND_PICK_PREV,
	BIND_VIEW,		/* the view under the panes, in turn */
	BIND_EVENTS,		/* Events, or back to Explain */
	BIND_EXPLAIN_PAGE,	/* the last step in full */
	BIND_SCROLL_UP,
	BIND_SCROLL_DOWN,
	BIND_HELP,
	BIND_REPAINT,
	BIND_QUIT
};

/* Which front ends take a key. */
#define BIND_TUI	0x1
#define BIND_BATCH	0x2
#define BIND_BOTH	(BIND_TUI | BIND_BATCH)

/* Where the legend shows a step key of a pane (tui_screen.c). */
enum bind_group {
	BIND_GROUP_NONE,
	BIND_GROUP_PANE,	/* in its pane's group: "xhzufd Client" */
	BIND_GROUP_ALONE	/* there only in -s and -c, where the pane's */
};				/*   peer is another tcpstep */

struct bind {
	int		 key;
	const char	*name;		/* in a sentence: "1", "Tab" */
	const char	*label;		/* the help's, if not name */
	enum bind_cmd	 cmd;
	enum lab_op	 op;		/* cmd BIND_LAB */
	unsigned	 fronts;	/* BIND_TUI, BIND_BATCH */
	int		 page;		/* the help page of it */
	/* One line for the help page; NULL: listed with the one before. */
	const char	*help;
	/* The legend's item for it ("E explain"), when it has one. */
	const char	*legend;
	enum bind_group	 group;
	/* Its item while guided mode is on, when not legend ("g off"). */
	const char	*guided;
};

/* The table, in the help pages' order; it ends with key 0. */
extern const struct bind bind_table[];

/* The binding of key for a front end (BIND_TUI or BIND_BATCH), or NULL. */
const struct bind *bind_key(int key, unsigned front);
/* The first key that runs op, and its binding. */
const struct bind *bind_op(enum lab_op op);
/* The first key of cmd (not BIND_LAB), and its binding. */
const struct bind *bind_cmd(enum bind_cmd cmd);
/* How a message names the key of op or cmd: "1", "Tab". */
const char	*bind_op_name(enum lab_op op);
const char	*bind_cmd_name(enum bind_cmd cmd);
/* The legend's item of op or cmd ("n new", "E explain"), or NULL. */
const char	*bind_op_legend(enum lab_op op);
const char	*bind_cmd_legend(enum bind_cmd cmd);


#endif
