/*
 * tui.c - the ncurses front end: its loop, the terminal and the keys.
 *
 * This file starts and restores the terminal, reads and decodes keys,
 * runs them through the key table, settles each step and times the
 * frames; tui_screen.c and tui_draw.c draw (tui_draw.h says which does
 * what), as tmux keeps server-client.c apart from screen-redraw.c.
 *
 * Laid out like tmux's loop: key presses, socket notifications and signals
 * only change the model and set a redraw flag; one place draws, at most
 * once per loop turn and 30 times a second. With nothing happening the
 * process sleeps in epoll_wait and makes no system calls at all: the lab's
 * only timers run while auto mode is on or a socket is between TCP states,
 * the frame timer only while a frame is due, and the settle timer only
 * while a step settles.
 *
 * Keys go through one table, bind.c's (as in htop's Action_setBindings):
 * a key is decoded to the table's code, looked up, and its command picks
 * the handler; the legend and the help screen are drawn from the same
 * table, so they cannot drift apart from what the keys do.
 *
 * A key that runs a step settles before the next key runs, as in batch
 * mode: the loop goes on (drawing frames) until no notification came for
 * TUI_SETTLE_MS, so a burst or a paste counts what slow typing counts.
 * Keys that come meanwhile wait in a bounded queue; while it has no room the
 * terminal is not read, so no key is lost (while g, [ or ] asks y/n, the
 * next key is the answer).
 *
 * The mouse is keys too: curses decodes the terminal's reports (xterm's
 * SGR 1006 form where terminfo names it, else the X10 form), they arrive
 * on the terminal's descriptor like keys, and a click on a step line
 * queues that step's key, the wheel PgUp or PgDn; the screen as last
 * drawn says what is where (tui_draw_hit).
 */
#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "bind.h"
#include "guide.h"
#include "lab.h"
#include "tui.h"
#include "tui_draw.h"
#include "tui_screen.h"

/*
 * For setupterm(), to tell an unknown TERM from other failures. term.h
 * defines lines and columns as macros; nothing here wants them.
 */
#include <term.h>
#undef lines
#undef columns

/* At most one frame per this many milliseconds (30 a second). */
#define TUI_FRAME_MS	33
/* The rest of an unknown escape sequence arrives within this (ms). */
#define TUI_SEQ_MS	100
/*
 * A step has settled once no notification came for this long; auto mode
 * may never fall quiet, so a settle ends after TUI_SETTLE_CAP_MS anyway.
 * Loopback delivers what a step causes within a loop turn or two: the
 * quiet time is for a loaded machine, and short enough not to be felt.
 */
#define TUI_SETTLE_MS	25
#define TUI_SETTLE_CAP_MS 250
/* Mouse reports fetched per KEY_MOUSE: curses keeps at most 8 queued. */
#define TUI_MOUSE_RUN	8
/*
 * What the mouse queues, as codes past every curses key: the wheel, and a
 * click on a list row (TUI_KEY_ROW + pane * TUI_ROW_SPAN + row). They are
 * worked out when they come off the queue, not when read, so that the
 * keys before them (a Tab, a step still settling) have run: a row click
 * moves from the selection as it is then, and the wheel does nothing on
 * a page or question that shows then.
 */
enum {
	TUI_KEY_WHEEL_UP = KEY_MAX + 1,
	TUI_KEY_WHEEL_DOWN,
	TUI_KEY_ROW
};
#define TUI_ROW_SPAN	(LAB_CONNS_LIMIT + 1)

static void	tui_settle_begin(struct tui *);
static void	tui_key(struct tui *, int);
static void	tui_key_mouse(struct tui *, int);

/*
 * A key that runs a lab operation: steps, r, a, m and the selection keys.
 * Guided mode may turn one down first (m: the lessons teach Winsock).
 */
static void
tui_key_op(struct tui *t, const struct bind *b)
{
	if (guide_refuse(t->guide, b->op)) {
		t->view = TUI_VIEW_EXPLAIN;
		return;
	}
	lab_do(t->lab, b->op, LAB_ROW_SELECTED);
	guide_op(t->guide, b->op);
	tui_settle_begin(t);
	t->escroll = 0;
	/* A hint to get back on track must not hide behind another view. */
	if (t->guide->on && t->guide->off_track)
		t->view = TUI_VIEW_EXPLAIN;
}

/*
 * Arrows pick a Server-Send row and Tab a client; a role with only one of
 * the two lists lets both keys move it.
 */
static void
tui_key_select(struct tui *t, const struct bind *b)
{
	int down = b->cmd == BIND_PICK_DOWN || b->cmd == BIND_PICK_NEXT;
	int conns = b->cmd == BIND_PICK_DOWN || b->cmd == BIND_PICK_UP;

	if (t->lab->cfg.role == LAB_ROLE_SERVER)
		conns = 1;
	else if (t->lab->cfg.role == LAB_ROLE_CLIENT)
		conns = 0;
	lab_do(t->lab, conns ? (down ? LAB_OP_CONN_NEXT : LAB_OP_CONN_PREV) :
	    (down ? LAB_OP_CLIENT_NEXT : LAB_OP_CLIENT_PREV), LAB_ROW_SELECTED);
}

static void
tui_key_help(struct tui *t, const struct bind *b)
{
	(void)b;
	t->help = t->help % TUI_HELP_PAGES + 1;
}

static void
tui_key_quit(struct tui *t, const struct bind *b)
{
	(void)b;
	t->quit = 1;
	t->status = 0;
}

static void
tui_key_repaint(struct tui *t, const struct bind *b)
{
	(void)b;
	(void)t;
	clearok(curscr, TRUE);
}

static void
tui_key_view(struct tui *t, const struct bind *b)
{
	if (b->cmd == BIND_EVENTS)
		t->view = t->view == TUI_VIEW_EVENTS ? TUI_VIEW_EXPLAIN :
		    TUI_VIEW_EVENTS;
	else
		t->view = (t->view + 1) % TUI_VIEWS;
}

static void
tui_key_errors(struct tui *t, const struct bind *b)
{
	(void)b;
	t->errors = TUI_PAGE_ERRORS;
}

/* Whether the lab holds a socket that g, [ or ] would close. */
static int
tui_lab_busy(const struct tui *t)
{
	const struct lab *lab = t->lab;
	size_t i;

	if (lab_is_open(&lab->server) || lab_open_conns(lab) > 0)
		return 1;
	for (i = 0; i < lab_rows(lab, LAB_CLIENT); i++)
		if (lab_is_open(lab_row(lab, LAB_CLIENT, i)))
			return 1;
	return 0;
}

/* Key E: the whole explanation of the last step, on a page of its own. */
static void
tui_key_explain(struct tui *t, const struct bind *b)
{
	(void)b;
	t->errors = TUI_PAGE_EXPLAIN;
}

/* Run g, [ or ]; a lesson's start resets the lab, so it settles too. */
static void
tui_guide_run(struct tui *t, const struct bind *b)
{
	guide_command(t->guide, t->lab, guide_cmd_of(b->cmd));
	t->view = TUI_VIEW_EXPLAIN;	/* the lesson is told there */
	t->escroll = 0;
	tui_settle_begin(t);
}

/*
 * g (turning the guide on), [ and ] start a lesson, and a lesson starts
 * by closing every socket: with sockets open, ask first (y/n). r is the
 * one key that resets without asking.
 */
static void
tui_key_guide(struct tui *t, const struct bind *b)
{
	if (t->lab->cfg.role == LAB_ALL_IN_ONE &&
	    guide_command_starts(t->guide, guide_cmd_of(b->cmd)) && tui_lab_busy(t))
		t->asking = b;
	else
		tui_guide_run(t, b);
}

/*
 * PgUp/PgDn: the Events, or the Explain text or the Wire view when that
 * is what shows.
 */
static void
tui_key_scroll(struct tui *t, const struct bind *b)
{
	unsigned long page;
	int down = b->cmd == BIND_SCROLL_DOWN;
	int step = t->exrows > 1 ? t->exrows - 1 : 1;

	if (t->one_view && t->view == TUI_VIEW_LADDER) {
		/* The hidden Events would move, unseen: say so instead. */
		snprintf(t->notice, sizeof t->notice, "The Ladder shows the "
		    "newest segments and does not scroll; %s: next view.",
		    bind_cmd_name(BIND_VIEW));
	} else if (t->one_view && t->view == TUI_VIEW_EXPLAIN) {
		/*
		 * Rows scrolled down from the top, the view's rows less one:
		 * the last row, cut for "... [E]", comes again whole on the
		 * next page (at its top, unless the drawing clamps it there).
		 */
		t->escroll += down ? step : -step;
		if (t->escroll < 0)
			t->escroll = 0;
	} else if (t->one_view && t->view == TUI_VIEW_WIRE) {
		/*
		 * A page of rows back from the newest, the view's own height
		 * (as drawn last), so each press moves it the same; the
		 * drawing clamps it.
		 */
		page = t->wpage > 0 ? t->wpage : 1;
		if (!down)
			t->wscroll += page;
		else
			t->wscroll = t->wscroll > page ? t->wscroll - page : 0;
	} else {
		/* Events: a page, skipping no line (tui_screen_events_page). */
		page = tui_screen_events_page(t, down);
		if (!down)
			t->scroll += page;
		else
			t->scroll = t->scroll > page ? t->scroll - page : 0;
	}
}

/*
 * What each command of the binding table does here (htop's
 * Action_setBindings: keys to actions), so the keys, the legend and the
 * help pages, all read from bind_table, cannot drift apart. BIND_YES only
 * answers a question (tui_key), BIND_WAIT is batch's.
 */
static void (*const tui_handlers[])(struct tui *, const struct bind *) = {
	[BIND_LAB] = tui_key_op,
	[BIND_GUIDE] = tui_key_guide,
	[BIND_LESSON_NEXT] = tui_key_guide,
	[BIND_LESSON_PREV] = tui_key_guide,
	[BIND_ERRORS] = tui_key_errors,
	[BIND_PICK_DOWN] = tui_key_select,
	[BIND_PICK_UP] = tui_key_select,
	[BIND_PICK_NEXT] = tui_key_select,
	[BIND_PICK_PREV] = tui_key_select,
	[BIND_VIEW] = tui_key_view,
	[BIND_EVENTS] = tui_key_view,
	[BIND_EXPLAIN_PAGE] = tui_key_explain,
	[BIND_SCROLL_UP] = tui_key_scroll,
	[BIND_SCROLL_DOWN] = tui_key_scroll,
	[BIND_HELP] = tui_key_help,
	[BIND_REPAINT] = tui_key_repaint,
	[BIND_QUIT] = tui_key_quit,
};

/*
 * The key decoding: curses' codes for keys that are not characters
 * become the binding table's (bind.h); a code curses has for a key the
 * table does not bind (Left, Home, its extended keys) is none.
 */
static int
tui_key_decode(int ch)
{
	switch (ch) {
	case KEY_UP:
		return BIND_KEY_UP;
	case KEY_DOWN:
		return BIND_KEY_DOWN;
	case KEY_BTAB:
		return BIND_KEY_BTAB;
	case KEY_PPAGE:
		return BIND_KEY_PGUP;
	case KEY_NPAGE:
		return BIND_KEY_PGDN;
	case KEY_F(1):
		return BIND_KEY_F1;
	case KEY_F(10):
		return BIND_KEY_F10;
	default:
		return ch >= 0 && ch < 0x100 ? ch : 0;
	}
}

/* Whether b is bound to cmd (b may be NULL: no binding). */
static int
tui_is(const struct bind *b, enum bind_cmd cmd)
{
	return b != NULL && b->cmd == cmd;
}

/*
 * Whether the key still works on the too-small screen: quit, repaint (a
 * resize is no key the learner pressed).
 */
static int
tui_key_small_ok(int ch, const struct bind *b)
{
	return tui_is(b, BIND_QUIT) || tui_is(b, BIND_REPAINT) ||
	    ch == KEY_RESIZE;
}

/*
 * A page or the help screen shows: keys mean what they mean there.
 * Returns 1 when the key was used up by it.
 */
static int
tui_key_paged(struct tui *t, int ch, const struct bind *b)
{
	/* PgUp/PgDn scroll the E page; any other key leaves it. */
	if (t->errors == TUI_PAGE_EXPLAIN && (tui_is(b, BIND_SCROLL_DOWN) ||
	    tui_is(b, BIND_SCROLL_UP))) {
		t->pscroll += tui_is(b, BIND_SCROLL_DOWN) ? LINES / 2 :
		    -(LINES / 2);
		if (t->pscroll < 0)
			t->pscroll = 0;
		return 1;
	}
	if (t->errors) {
		t->errors = 0;		/* any key leaves the error page */
		t->pscroll = 0;
		if (!tui_is(b, BIND_QUIT))
			return 1;
	}
	/* On the help screen Space turns the page too. */
	if (t->help && !tui_is(b, BIND_HELP) && ch != ' ' &&
	    !tui_is(b, BIND_QUIT)) {
		t->help = 0;	/* any other key leaves the help screen */
		return 1;
	}
	if (t->help && ch == ' ') {
		tui_key_help(t, b);
		return 1;
	}
	return 0;
}

/* Run the curses key ch: its binding's handler, or what a screen wants. */
static void
tui_key(struct tui *t, int ch)
{
	const struct bind *b, *asked;

	if (ch > KEY_MAX) {
		tui_key_mouse(t, ch);
		return;
	}
	b = ch == KEY_RESIZE ? NULL : bind_key(tui_key_decode(ch), BIND_TUI);
	t->dirty = 1;
	t->notice[0] = '\0';
	/*
	 * Nobody could see what a step did, nor a help page: only quit and
	 * repaint work.
	 */
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		if (!tui_key_small_ok(ch, b)) {
			t->ignored = ch;
			return;
		}
	} else
		t->ignored = 0;
	if ((asked = t->asking) != NULL) {
		t->asking = NULL;
		if (tui_is(b, BIND_YES))
			tui_guide_run(t, asked);
		else
			snprintf(t->notice, sizeof t->notice, "Cancelled: %s "
			    "closed no socket; %s resets without asking.",
			    asked->name, bind_op_name(LAB_OP_RESET));
		return;
	}
	if (tui_key_paged(t, ch, b))
		return;
	/* A key that does nothing says so, rather than nothing at all. */
	if (b == NULL) {
		if (ch != KEY_RESIZE)
			snprintf(t->notice, sizeof t->notice, "%s is not a key "
			    "here: %s for help", ch == ' ' ? "Space" :
			    keyname(ch) != NULL ? keyname(ch) : "that",
			    bind_cmd_name(BIND_HELP));
		return;
	}
	if ((size_t)b->cmd < sizeof tui_handlers / sizeof tui_handlers[0] &&
	    tui_handlers[b->cmd] != NULL)
		tui_handlers[b->cmd](t, b);
}

/*
 * A notification arrived: redraw on this loop turn. While a step settles
 * its quiet time starts again; only the time is noted (the loop's cached
 * clock, no system call), and the settle timer waits out the rest.
 */
static void
tui_changed(void *arg)
{
	struct tui *t = arg;

	guide_update(t->guide);
	t->dirty = 1;
	if (t->settling)
		event_base_gettimeofday_cached(t->base, &t->last_change);
}

/* A step ran: the keys after it wait until its notifications are in. */
static void
tui_settle_begin(struct tui *t)
{
	struct timeval quiet = { 0, TUI_SETTLE_MS * 1000 };

	t->settling = 1;
	event_base_gettimeofday_cached(t->base, &t->settle_start);
	t->last_change = t->settle_start;
	evtimer_add(t->settle, &quiet);
}

/*
 * A frame is due. The frame timer draws it, never the caller: a step's own
 * notifications (on loopback a send makes the peer readable before send
 * returns) are found by the loop's next poll and run before the timer, so
 * a step and what it caused go out as one frame. The timer waits out what
 * is left of TUI_FRAME_MS since the last frame: a flood costs at most 30
 * frames a second over SSH, and at rest no timer runs at all.
 */
static void
tui_frame(struct tui *t)
{
	struct timeval now, since, wait = { 0, 0 };

	/*
	 * The clock itself, not the loop's cached or coarse time: those lag
	 * by up to a few ms, and frames timed by them come closer together
	 * than TUI_FRAME_MS.
	 */
	evutil_gettimeofday(&now, NULL);
	timersub(&now, &t->last_frame, &since);
	if (since.tv_sec == 0 && since.tv_usec < TUI_FRAME_MS * 1000)
		wait.tv_usec = TUI_FRAME_MS * 1000 - since.tv_usec;
	evtimer_add(t->frame, &wait);
}

/* The frame timer: draw, or wait out the rest if it fired early. */
static void
tui_frame_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tui *t = arg;
	struct timeval now, since;

	(void)fd;
	(void)what;
	if (!t->dirty)
		return;
	evutil_gettimeofday(&now, NULL);
	timersub(&now, &t->last_frame, &since);
	if (since.tv_sec == 0 && since.tv_usec < TUI_FRAME_MS * 1000) {
		tui_frame(t);
		return;
	}
	t->last_frame = now;
	tui_screen_draw(t);
	t->dirty = 0;
}

/*
 * Whether the terminal is read: while the queue has room for one more
 * key and for the clicks of one KEY_MOUSE (up to TUI_MOUSE_RUN codes).
 * Otherwise the keys wait in the terminal and stdin is not watched, so
 * nothing is lost and nothing spins.
 */
static int
tui_room(const struct tui *t)
{
	return t->q_len + TUI_MOUSE_RUN < TUI_QUEUE;
}

/* Queue key ch as if typed; tui_room kept a place for it. */
static void
tui_queue(struct tui *t, int ch)
{
	if (t->q_len < TUI_QUEUE)
		t->queue[(t->q_head + t->q_len++) % TUI_QUEUE] = ch;
}

/* The place drawn at row y, column x, or NULL. */
static const struct tui_hit *
tui_hit_at(const struct tui *t, int y, int x)
{
	size_t i;

	for (i = t->nhits; i-- > 0;)
		if (t->hits[i].y == y && x >= t->hits[i].x &&
		    x < t->hits[i].x + t->hits[i].w)
			return &t->hits[i];
	return NULL;
}

/* A click on h: a step line queues the step's key, a list row its code. */
static void
tui_click(struct tui *t, const struct tui_hit *h)
{
	if (h->key != 0)
		tui_queue(t, h->key);
	else if (h->row < LAB_CONNS_LIMIT)
		tui_queue(t, TUI_KEY_ROW + (int)h->pane * TUI_ROW_SPAN +
		    (int)h->row);
}

/*
 * A mouse code off the queue. The wheel is PgUp/PgDn, but not where any
 * key would leave a page or answer a question. A row click runs the keys
 * that move the selection there (Up/Down for Server-Send, Tab and
 * Shift-Tab for the clients), the shorter way round, so the transcript
 * and the guide see what the keys would have done; not while a page or
 * a question shows, which its first key would leave.
 */
static void
tui_key_mouse(struct tui *t, int code)
{
	enum lab_pane pane;
	size_t n, row, sel, down, k;
	int key;

	if (t->help || t->errors == TUI_PAGE_ERRORS || t->asking != NULL ||
	    COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES)
		return;
	if (code == TUI_KEY_WHEEL_UP || code == TUI_KEY_WHEEL_DOWN) {
		tui_key(t, code == TUI_KEY_WHEEL_UP ? KEY_PPAGE : KEY_NPAGE);
		return;
	}
	pane = (enum lab_pane)((code - TUI_KEY_ROW) / TUI_ROW_SPAN);
	row = (size_t)((code - TUI_KEY_ROW) % TUI_ROW_SPAN);
	n = lab_rows(t->lab, pane);
	sel = lab_selected(t->lab, pane);
	if (t->errors || n == 0 || row >= n || row == sel)
		return;
	down = (row + n - sel) % n;
	if (down <= n - down)
		key = pane == LAB_SEND ? KEY_DOWN : '\t';
	else {
		key = pane == LAB_SEND ? KEY_UP : KEY_BTAB;
		down = n - down;
	}
	for (k = 0; k < down; k++)
		tui_key(t, key);
}

/*
 * One mouse event. Button 1 presses a step when it goes up on the place
 * it went down on, as a dialog's button does: a drag that began on a
 * step presses nothing. The wheel is PgUp/PgDn, but not where any key
 * would leave a page or answer a question. Everything else does nothing.
 */
static void
tui_mouse_event(struct tui *t, const MEVENT *ev)
{
	const struct tui_hit *h;

	if (ev->bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		tui_queue(t, ev->bstate & BUTTON4_PRESSED ? TUI_KEY_WHEEL_UP :
		    TUI_KEY_WHEEL_DOWN);
		return;
	}
	h = tui_hit_at(t, ev->y, ev->x);
	if (ev->bstate & BUTTON1_PRESSED) {
		t->have_pressed = h != NULL;
		if (h != NULL)
			t->pressed = *h;
	} else if (ev->bstate & BUTTON1_RELEASED) {
		if (h != NULL && t->have_pressed && h->key == t->pressed.key &&
		    h->pane == t->pressed.pane && h->row == t->pressed.row)
			tui_click(t, h);
		t->have_pressed = 0;
	}
}

/*
 * KEY_MOUSE: the reports curses decoded since the last one. Reports read
 * together (a press and its release in one read, as a quick hand or a
 * slow link delivers them) come as ONE KEY_MOUSE, and getmouse hands
 * them newest first, one per call: fetch them all, then take them in
 * the order they happened, or the press is never seen and the click is
 * lost. Under --no-mouse curses was never asked to decode reports, so
 * getmouse has none; tui_mouse_drop drops the report's bytes.
 */
static void
tui_mouse(struct tui *t)
{
	MEVENT ev[TUI_MOUSE_RUN];
	int n = 0;

	while (n < TUI_MOUSE_RUN && getmouse(&ev[n]) == OK)
		n++;
	while (t->mouse && n-- > 0)
		tui_mouse_event(t, &ev[n]);
}

/*
 * --no-mouse, and a report came all the same (a program before us left
 * the terminal reporting): curses, never told of the mouse, gives
 * KEY_MOUSE for its first bytes (terminfo's kmous) and leaves the rest,
 * which would run as keys (the column of a click can be a step's digit).
 * Drop the rest: after xterm's SGR "ESC [ <" parameters up to the final
 * M or m, as any CSI; after X10's "ESC [ M" three bytes.
 */
static void
tui_mouse_drop(struct tui *t)
{
	const char *kmous = key_mouse;

	if (kmous != NULL && strcmp(kmous, "\033[M") == 0) {
		t->in_seq = 'M';
		t->in_raw = 3;
	} else {
		t->in_seq = '[';
		t->in_raw = 0;	/* curses took ESC [ <: parameters follow */
	}
	evutil_gettimeofday(&t->seq_time, NULL);
}

/*
 * Move the keys curses can give into the queue, as long as it has room.
 * An escape sequence curses does not know (PgUp under TERM=vt100 is
 * ESC [ 5 ~) reaches us as ESC with its bytes right behind it: drop it
 * whole, a CSI up to its final byte or an SS3 and its one byte, since
 * its pieces would run as keys ([ starts a lesson, 5 accepts). ESC with
 * anything else behind it (Escape typed just before a key) is the Escape
 * key, and the key after it is read again.
 */
static void
tui_read(struct tui *t)
{
	struct timeval now, since;
	int ch;

	/*
	 * A sequence cut between two reads (a slow SSH link can split it)
	 * goes on being dropped, if its rest follows within TUI_SEQ_MS; later
	 * bytes are keys again, so a lone ESC [ typed by hand loses nothing.
	 */
	if (t->in_seq != 0) {
		evutil_gettimeofday(&now, NULL);
		timersub(&now, &t->seq_time, &since);
		if (since.tv_sec > 0 || since.tv_usec > TUI_SEQ_MS * 1000)
			t->in_seq = 0;
	}
	while (tui_room(t) && (ch = getch()) != ERR) {
		if (ch == KEY_MOUSE) {
			tui_mouse(t);
			if (!t->mouse)
				tui_mouse_drop(t);
			continue;
		}
		if (t->in_seq == 'M') {
			if (--t->in_raw == 0)
				t->in_seq = 0;	/* X10: its three bytes */
			continue;
		}
		if (t->in_seq == 'O') {
			t->in_seq = 0;		/* SS3: its one byte */
			continue;
		}
		if (t->in_seq == '[') {
			/*
			 * ESC [ M first: an X10 mouse report curses did not
			 * know (terminfo names SGR's, or --no-mouse), whose
			 * three bytes after M are any bytes at all.
			 */
			if (ch == 'M' && t->in_raw == -1) {
				t->in_seq = 'M';
				t->in_raw = 3;
			} else if (ch < 0x20 || ch >= 0x40)
				t->in_seq = 0;	/* the final byte */
			else
				t->in_raw = 0;	/* past the first byte */
			continue;
		}
		if (ch == 27) {
			ch = getch();
			if (ch == '[' || ch == 'O') {
				t->in_seq = ch;
				t->in_raw = -1;	/* nothing after it yet */
				evutil_gettimeofday(&t->seq_time, NULL);
				continue;
			}
			if (ch != ERR)
				ungetch(ch);
			ch = 27;
		}
		tui_queue(t, ch);
	}
}

/*
 * Run keys until one starts a settle or none is left: first the steps a
 * lesson's start left to run (they set the scene the learner's keys
 * expect), then the learner's keys, in the order typed. The terminal is read
 * only while the queue has room.
 */
static void
tui_pump(struct tui *t)
{
	enum lab_op op;
	int key;

	for (;;) {
		tui_read(t);
		if (t->settling || t->quit)
			break;
		if ((op = guide_setup_next(t->guide)) != LAB_OP_NONE) {
			lab_do(t->lab, op, LAB_ROW_SELECTED);
			t->dirty = 1;
			tui_settle_begin(t);
		} else if (t->q_len > 0) {
			key = t->queue[t->q_head];
			t->q_head = (t->q_head + 1) % TUI_QUEUE;
			t->q_len--;
			tui_key(t, key);
		} else
			break;
	}
	if (tui_room(t))
		event_add(t->ev_stdin, NULL);
	else
		event_del(t->ev_stdin);
}

/*
 * The settle timer: the step is done once no notification came for
 * TUI_SETTLE_MS, or TUI_SETTLE_CAP_MS after it ran; until then the timer
 * waits out the rest. Then the next key may run.
 */
static void
tui_settle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tui *t = arg;
	struct timeval now, quiet = { 0, TUI_SETTLE_MS * 1000 },
	    cap = { 0, TUI_SETTLE_CAP_MS * 1000 }, due, end, rest;

	(void)fd;
	(void)what;
	event_base_gettimeofday_cached(t->base, &now);
	timeradd(&t->last_change, &quiet, &due);
	timeradd(&t->settle_start, &cap, &end);
	if (timercmp(&end, &due, <))
		due = end;
	if (timercmp(&due, &now, >)) {
		timersub(&due, &now, &rest);
		evtimer_add(t->settle, &rest);
		return;
	}
	t->settling = 0;
	t->dirty = 1;		/* a lesson's setup may have ended */
	tui_pump(t);
}

/*
 * Keys are waiting, or the terminal went away. Take every key curses can
 * give us (libevent will not wake us for bytes curses has already
 * buffered) and run them, each in its turn.
 */
static void
tui_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tui *t = arg;
	int avail = 0;

	(void)what;
	/* Readable with nothing to read is end of file or a hung-up tty. */
	if (ioctl(fd, FIONREAD, &avail) == -1 || avail == 0) {
		t->quit = 1;
		t->status = 1;
		return;
	}
	tui_pump(t);
}

static void
tui_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct tui *t = arg;
	struct winsize ws;

	(void)what;
	if (sig == SIGWINCH) {
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
		    ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		t->dirty = 1;
		return;
	}
	t->quit = 1;
	t->status = 128 + (int)sig;
}

/* libevent's own warnings would scribble over the screen: drop them. */
static void
tui_event_log(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

/*
 * newterm failed: say what really failed. An unknown TERM is the usual
 * reason; a size past what curses can address (its coordinates are short
 * integers) is the other one, and a different TERM would not help there.
 */
static void
tui_why_not(const char *term)
{
	struct winsize ws;
	long cols = 0, lines = 0;
	int err = 0;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		cols = (long)ws.ws_col;
		lines = (long)ws.ws_row;
	}
	/* curses believes COLUMNS and LINES over the terminal. */
	if (getenv("COLUMNS") != NULL)
		cols = strtol(getenv("COLUMNS"), NULL, 10);
	if (getenv("LINES") != NULL)
		lines = strtol(getenv("LINES"), NULL, 10);
	if (cols > SHRT_MAX || lines > SHRT_MAX)
		fprintf(stderr, "tcpstep: cannot set up the screen: the "
		    "terminal is %ld columns by %ld lines, and curses handles "
		    "at most %d of either\n", cols, lines, SHRT_MAX);
	else if (setupterm(term, STDOUT_FILENO, &err) == ERR && err == 0)
		fprintf(stderr, "tcpstep: cannot use terminal type '%s': "
		    "terminfo has no such entry; try TERM=xterm-256color\n",
		    term != NULL ? term : "");
	else
		fprintf(stderr, "tcpstep: curses cannot set up terminal type "
		    "'%s' (%ld columns by %ld lines)\n", term != NULL ? term :
		    "", cols, lines);
}

static int
tui_start(struct tui *t)
{
	static const int sigs[] = { SIGWINCH, SIGHUP, SIGTERM, SIGINT,
	    SIGQUIT };
	const char *term = getenv("TERM");
	size_t i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "tcpstep: standard input and output must be a "
		    "terminal; use --batch to run without one\n");
		return -1;
	}
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		t->ascii = 1;	/* line drawing would show as lqqk */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	/*
	 * On the Linux console curses would take clicks from gpm's socket,
	 * which the event loop does not watch (a click would wait for the
	 * next key): the mouse is only the terminal's reports, in-band.
	 */
	setenv("NCURSES_GPM_TERMS", "", 1);
	t->screen = newterm(NULL, stdout, stdin);
	if (t->screen == NULL) {
		tui_why_not(term);
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	/*
	 * Button 1 and the wheel, no motion: a drag sends nothing, so the
	 * mouse costs nothing over SSH. Interval 0: a press and its release
	 * come as they happen, curses never waits to pair them. Shift+drag
	 * still selects text in the usual terminals (tcpstep(1), MOUSE).
	 */
	if (t->mouse) {
		mouseinterval(0);
		if (mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED |
		    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) == 0)
			t->mouse = 0;	/* the terminal reports none */
	}
	t->color = has_colors() && (getenv("NO_COLOR") == NULL ||
	    *getenv("NO_COLOR") == '\0');
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(TUI_PAIR_OK, COLOR_GREEN, -1);
		init_pair(TUI_PAIR_ERR, COLOR_RED, -1);
		init_pair(TUI_PAIR_TITLE, COLOR_CYAN, -1);
	}

	event_set_log_callback(tui_event_log);
	t->ev_stdin = event_new(t->base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    tui_stdin_cb, t);
	if (t->ev_stdin == NULL || event_add(t->ev_stdin, NULL) == -1)
		return -1;
	/* libevent, not curses, owns SIGWINCH: resizes arrive in the loop. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		t->ev_signal[i] = evsignal_new(t->base, sigs[i], tui_signal_cb,
		    t);
		if (t->ev_signal[i] == NULL ||
		    event_add(t->ev_signal[i], NULL) == -1)
			return -1;
	}
	return 0;
}

/* Undo tui_start in reverse order; safe on a half-done start. */
static void
tui_stop(struct tui *t)
{
	size_t i;

	for (i = 0; i < sizeof t->ev_signal / sizeof t->ev_signal[0]; i++)
		if (t->ev_signal[i] != NULL)
			event_free(t->ev_signal[i]);
	if (t->ev_stdin != NULL)
		event_free(t->ev_stdin);
	event_set_log_callback(NULL);
	if (t->screen != NULL) {
		/* endwin does it too; said here, it cannot be missed. */
		if (t->mouse)
			mousemask(0, NULL);
		endwin();
		delscreen(t->screen);
	}
}

int
tui_run(struct lab *lab, struct guide *guide, const char *bind_text,
    int ascii, int mouse)
{
	struct tui t;

	memset(&t, 0, sizeof t);
	t.lab = lab;
	t.guide = guide;
	t.base = lab->base;
	t.bind_text = bind_text;
	t.ascii = ascii;
	t.mouse = mouse;
	t.dirty = 1;
	if (tui_start(&t) == -1) {
		tui_stop(&t);
		return 1;
	}
	lab->changed = tui_changed;
	lab->changed_arg = &t;
	if ((t.frame = evtimer_new(t.base, tui_frame_cb, &t)) == NULL ||
	    (t.settle = evtimer_new(t.base, tui_settle_cb, &t)) == NULL) {
		if (t.frame != NULL)
			event_free(t.frame);
		tui_stop(&t);
		return 1;
	}
	/* --guide: the lesson's setup steps run first, each settled. */
	tui_pump(&t);
	while (!t.quit) {
		if (t.dirty && !evtimer_pending(t.frame, NULL))
			tui_frame(&t);
		/* One loop turn: sleep until something happens, run it all. */
		if (event_base_loop(t.base, EVLOOP_ONCE) == -1)
			break;
	}
	event_free(t.frame);
	event_free(t.settle);
	lab->changed = NULL;
	tui_stop(&t);
	if (t.status == 1)
		fprintf(stderr, "tcpstep: the terminal went away\n");
	return t.status;
}
