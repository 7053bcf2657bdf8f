/*
 * tui.c - the ncurses front end.
 *
 * Laid out like tmux's loop: key presses, socket notifications and signals
 * only change the model and set a redraw flag; one place draws, at most
 * once per loop turn and 30 times a second. With nothing happening the
 * process sleeps in epoll_wait and makes no system calls at all: the lab's
 * only timers run while auto mode is on or a socket is between TCP states,
 * the frame timer only while a frame is due, and the settle timer only
 * while a step settles.
 *
 * Keys go through one table (as in htop's Action_setBindings), so the
 * legend, the help screen and the handlers cannot drift apart.
 *
 * A key that runs a step settles before the next key runs, as in batch
 * mode: the loop goes on (drawing frames) until no notification came for
 * TUI_SETTLE_MS, so a burst or a paste counts what slow typing counts.
 * Keys that come meanwhile wait in a bounded queue; while it is full the
 * terminal is not read, so no key is lost (while g, [ or ] asks y/n, the
 * next key is the answer).
 */
#include <curses.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "errname.h"
#include "escape.h"
#include "explain.h"
#include "guide.h"
#include "lab.h"
#include "tui.h"

/*
 * For setupterm(), to tell an unknown TERM from other failures. term.h
 * defines lines and columns as macros; nothing here wants them.
 */
#include <term.h>
#undef lines
#undef columns

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_PANE_LINES	19	/* borders included */
/*
 * Under 30 lines, panes without the error rows leave room for a view; the
 * error goes in the bottom border, in a short form.
 */
#define TUI_PANE_SMALL	16
#define TUI_TALL	30
/* At most one frame per this many milliseconds (30 a second). */
#define TUI_FRAME_MS	33
/* The rest of an unknown escape sequence arrives within this (ms). */
#define TUI_SEQ_MS	100
/* Rows under the panes from which the views get boxes side by side. */
#define TUI_VIEWS_MIN	8
/*
 * A step has settled once no notification came for this long; auto mode
 * may never fall quiet, so a settle ends after TUI_SETTLE_CAP_MS anyway.
 * Loopback delivers what a step causes within a loop turn or two: the
 * quiet time is for a loaded machine, and short enough not to be felt.
 */
#define TUI_SETTLE_MS	25
#define TUI_SETTLE_CAP_MS 250
/* Keys typed ahead of a settling step; more stay in the terminal. */
#define TUI_QUEUE	64

/* What the area under the panes shows when it can hold only one thing. */
enum { TUI_VIEW_EXPLAIN, TUI_VIEW_LADDER, TUI_VIEW_EVENTS, TUI_VIEWS };

enum { TUI_PAIR_OK = 1, TUI_PAIR_ERR, TUI_PAIR_TITLE };

/* Pages any key leaves: the errors (i), the last step in full (E). */
enum { TUI_PAGE_ERRORS = 1, TUI_PAGE_EXPLAIN };

struct tui {
	struct lab	*lab;
	struct event_base *base;
	SCREEN		*screen;
	struct event	*ev_stdin;
	struct event	*ev_signal[5];
	const char	*bind_text;	/* "127.0.0.1, port chosen at step 1" */
	int		 ascii;
	int		 color;
	int		 dirty;
	struct guide	*guide;
	int		 help;		/* help page shown, 0: none */
	int		 errors;	/* a page is shown: TUI_PAGE_ */
	int		 view;		/* small screens: which TUI_VIEW_ */
	unsigned long	 scroll;	/* Events lines scrolled back */
	int		 escroll;	/* Explain rows scrolled down */
	int		 pscroll;	/* E page rows scrolled down */
	int		 in_seq;	/* '[' or 'O': dropping an escape sequence */
	struct timeval	 seq_time;	/* when it began */
	int		 quit;
	int		 status;	/* exit status once quit is set */
	struct event	*frame;		/* the next frame, while one is due */
	struct timeval	 last_frame;

	struct event	*settle;	/* pending only while a step settles */
	int		 settling;
	struct timeval	 settle_start;
	struct timeval	 last_change;	/* the last notification's time */
	int		 queue[TUI_QUEUE];	/* keys typed ahead, a ring */
	size_t		 q_head, q_len;
	int		 asking;	/* g, [ or ]: its y/n question shows */
	char		 notice[96];	/* a line shown in place of the legend */
	int		 ignored;	/* too small: the key that did nothing */
};

static void	tui_settle_begin(struct tui *);

static void tui_key_step(struct tui *, int);
static void tui_key_help(struct tui *, int);
static void tui_key_quit(struct tui *, int);
static void tui_key_repaint(struct tui *, int);
static void tui_key_view(struct tui *, int);
static void tui_key_errors(struct tui *, int);
static void tui_key_explain(struct tui *, int);
static void tui_key_guide(struct tui *, int);
static void tui_key_scroll(struct tui *, int);
static void tui_key_select(struct tui *, int);

/*
 * The keys of the screen itself; every step key of lab_steps is handled
 * too. The help screen is written from these same tables; a key whose
 * help is NULL is listed with the one before it.
 */
static const struct tui_key {
	int		 key;
	const char	*name;
	const char	*help;
	void		 (*fn)(struct tui *, int);
	int		 page;		/* the help page that lists it */
} tui_keys[] = {
	{ 'r', "r", "reset: close every socket, zero every counter",
	    tui_key_step, 1 },
	{ 'a', "a", "auto mode on/off: notifications drive the steps",
	    tui_key_step, 1 },
	{ KEY_DOWN, "Down/Up", "pick a Server-Send connection (also j/k)",
	    tui_key_select, 2 },
	{ KEY_UP, "Up", NULL, tui_key_select, 1 },
	{ '\t', "Tab", "pick the next client (Shift-Tab, c/C: either way)",
	    tui_key_select, 2 },
	{ KEY_BTAB, "S-Tab", NULL, tui_key_select, 1 },
	{ 'j', "j", NULL, tui_key_step, 1 },
	{ 'k', "k", NULL, tui_key_step, 1 },
	{ 'c', "c", NULL, tui_key_step, 1 },
	{ 'C', "C", NULL, tui_key_step, 1 },
	{ 'm', "m", "notification model: Winsock one-shot or edge-triggered",
	    tui_key_step, 1 },
	{ 'g', "g", "guided mode on/off; ] and [ next and previous lesson",
	    tui_key_guide, 1 },
	{ ']', "]", NULL, tui_key_guide, 1 },
	{ '[', "[", NULL, tui_key_guide, 1 },
	{ 'i', "i", "every error on screen explained", tui_key_errors, 1 },
	{ 'v', "v", "under the panes: Explain, ladder or Events (e: Events)",
	    tui_key_view, 1 },
	{ 'e', "e", NULL, tui_key_view, 1 },
	{ 'E', "E", "the last step explained in full, on a page of its own",
	    tui_key_explain, 1 },
	{ KEY_PPAGE, "PgUp/PgDn", "scroll the Explain text or the Events",
	    tui_key_scroll, 1 },
	{ KEY_NPAGE, "PgDn", NULL, tui_key_scroll, 1 },
	{ '?', "? or F1", "help; again for the next page", tui_key_help, 1 },
	{ KEY_F(1), "F1", NULL, tui_key_help, 1 },
	{ 'L' & 0x1f, "Ctrl-L", "repaint the screen", tui_key_repaint, 1 },
	{ 'q', "q or F10", "quit", tui_key_quit, 1 },
	{ KEY_F(10), "F10", NULL, tui_key_quit, 1 },
};

#define TUI_HELP_PAGES	3

static void
tui_key_step(struct tui *t, int key)
{
	/* Guided mode may turn a key down (m: the lessons teach Winsock). */
	if (guide_refuse(t->guide, key)) {
		t->view = TUI_VIEW_EXPLAIN;
		return;
	}
	lab_step(t->lab, key);
	guide_key(t->guide, key);
	tui_settle_begin(t);
	t->escroll = 0;
	/* A hint to get back on track must not hide behind another view. */
	if (t->guide->on && strncmp(t->guide->msg, "You pressed", 11) == 0)
		t->view = TUI_VIEW_EXPLAIN;
}

/*
 * Arrows pick a Server-Send row and Tab a client; a role with only one of
 * the two lists lets both keys move it.
 */
static void
tui_key_select(struct tui *t, int key)
{
	int down = key == KEY_DOWN || key == '\t';
	int conns = key == KEY_DOWN || key == KEY_UP;

	if (t->lab->cfg.role == LAB_ROLE_SERVER)
		conns = 1;
	else if (t->lab->cfg.role == LAB_ROLE_CLIENT)
		conns = 0;
	lab_step(t->lab, conns ? (down ? 'j' : 'k') : (down ? 'c' : 'C'));
}

static void
tui_key_help(struct tui *t, int key)
{
	(void)key;
	t->help = t->help % TUI_HELP_PAGES + 1;
}

static void
tui_key_quit(struct tui *t, int key)
{
	(void)key;
	t->quit = 1;
	t->status = 0;
}

static void
tui_key_repaint(struct tui *t, int key)
{
	(void)key;
	(void)t;
	clearok(curscr, TRUE);
}

static void
tui_key_view(struct tui *t, int key)
{
	if (key == 'e')
		t->view = t->view == TUI_VIEW_EVENTS ? TUI_VIEW_EXPLAIN :
		    TUI_VIEW_EVENTS;
	else
		t->view = (t->view + 1) % TUI_VIEWS;
}

static void
tui_key_errors(struct tui *t, int key)
{
	(void)key;
	t->errors = 1;
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
tui_key_explain(struct tui *t, int key)
{
	(void)key;
	t->errors = TUI_PAGE_EXPLAIN;
}

/* Run g, [ or ]; a lesson's start resets the lab, so it settles too. */
static void
tui_guide_run(struct tui *t, int key)
{
	guide_command(t->guide, t->lab, key);
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
tui_key_guide(struct tui *t, int key)
{
	if (t->lab->cfg.role == LAB_ALL_IN_ONE &&
	    guide_command_starts(t->guide, key) && tui_lab_busy(t))
		t->asking = key;
	else
		tui_guide_run(t, key);
}

/* PgUp/PgDn: the Events, or the Explain text when that is what shows. */
static void
tui_key_scroll(struct tui *t, int key)
{
	unsigned long page = (unsigned long)(LINES / 2);

	if (LINES < TUI_TALL && t->view == TUI_VIEW_EXPLAIN) {
		/* Rows scrolled down from the top; the drawing clamps it. */
		t->escroll += key == KEY_NPAGE ? 2 : -2;
		if (t->escroll < 0)
			t->escroll = 0;
	} else if (key == KEY_PPAGE)
		t->scroll += page;
	else
		t->scroll = t->scroll > page ? t->scroll - page : 0;
}

/* Whether key still works on the too-small screen: quit, repaint. */
static int
tui_key_small_ok(int key)
{
	return key == 'q' || key == KEY_F(10) || key == ('L' & 0x1f) ||
	    key == KEY_RESIZE;
}

static void
tui_key(struct tui *t, int key)
{
	size_t i;
	int asked;

	t->dirty = 1;
	t->notice[0] = '\0';
	/*
	 * Nobody could see what a step did, nor a help page: only quit and
	 * repaint work (a resize is no key the learner pressed).
	 */
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		if (!tui_key_small_ok(key)) {
			t->ignored = key;
			return;
		}
	} else
		t->ignored = 0;
	if ((asked = t->asking) != 0) {
		t->asking = 0;
		if (key == 'y')
			tui_guide_run(t, asked);
		else
			snprintf(t->notice, sizeof t->notice, "Cancelled: %c "
			    "closed no socket; r resets without asking.", asked);
		return;
	}
	/* PgUp/PgDn scroll the E page; any other key leaves it. */
	if (t->errors == TUI_PAGE_EXPLAIN && (key == KEY_NPAGE ||
	    key == KEY_PPAGE)) {
		t->pscroll += key == KEY_NPAGE ? LINES / 2 : -(LINES / 2);
		if (t->pscroll < 0)
			t->pscroll = 0;
		return;
	}
	if (t->errors) {
		t->errors = 0;		/* any key leaves the error page */
		t->pscroll = 0;
		if (key != 'q' && key != KEY_F(10))
			return;
	}
	if (t->help && key != '?' && key != KEY_F(1) && key != ' ' &&
	    key != 'q' && key != KEY_F(10)) {
		t->help = 0;	/* any other key leaves the help screen */
		return;
	}
	if (t->help && key == ' ') {
		tui_key_help(t, key);
		return;
	}
	if (lab_step_def(key) != NULL) {
		tui_key_step(t, key);
		return;
	}
	for (i = 0; i < sizeof tui_keys / sizeof tui_keys[0]; i++) {
		if (tui_keys[i].key == key) {
			tui_keys[i].fn(t, key);
			return;
		}
	}
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

/* Draw a box with a title in its top border. */
static void
tui_box(struct tui *t, int y, int x, int h, int w, const char *title)
{
	if (t->ascii) {
		mvhline(y, x, '-', w);
		mvhline(y + h - 1, x, '-', w);
		mvvline(y, x, '|', h);
		mvvline(y, x + w - 1, '|', h);
		mvaddch(y, x, '+');
		mvaddch(y, x + w - 1, '+');
		mvaddch(y + h - 1, x, '+');
		mvaddch(y + h - 1, x + w - 1, '+');
	} else {
		mvhline(y, x, ACS_HLINE, w);
		mvhline(y + h - 1, x, ACS_HLINE, w);
		mvvline(y, x, ACS_VLINE, h);
		mvvline(y, x + w - 1, ACS_VLINE, h);
		mvaddch(y, x, ACS_ULCORNER);
		mvaddch(y, x + w - 1, ACS_URCORNER);
		mvaddch(y + h - 1, x, ACS_LLCORNER);
		mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	}
	attron(A_BOLD);
	mvprintw(y, x + 2, " %s ", title);
	attroff(A_BOLD);
}

/* Display columns of a UTF-8 string: its bytes less continuation bytes. */
static int
tui_cols(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if ((*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Word-wrap text at (y, x) in rows of width columns, '\n' starting a new
 * paragraph, leaving out the first skip rows and drawing at most rows
 * more. Words are never split unless one is wider than a row. When text
 * is left over and more is not NULL, the last row drawn is shortened at
 * a word and ends with more (an ellipsis and the key that shows the
 * rest), so a reader can tell shortened text from a sentence that ended.
 * Returns the rows the whole text needs; rows 0 only measures.
 */
static int
tui_text(int y, int x, int width, int skip, int rows, const char *text,
    const char *more)
{
	const char *p = text, *end, *rest;
	int row = 0, n, cut, mw = more != NULL ? tui_cols(more) : 0;

	if (width < 1)		/* a 1x1 terminal leaves no room at all */
		return 0;
	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		n = (int)(end - p);
		if (n > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			n = cut > 0 ? cut : width;
		}
		if (row >= skip && row < skip + rows) {
			for (rest = p + n; *rest == ' ' || *rest == '\n'; rest++)
				;
			if (row == skip + rows - 1 && *rest != '\0' &&
			    more != NULL) {
				/* The last row drawn, and text is left over. */
				while (n > 0 && n + 1 + mw > width) {
					for (n--; n > 0 && p[n] != ' '; n--)
						;
				}
				while (n > 0 && p[n - 1] == ' ')
					n--;
				mvaddnstr(y + row - skip, x, p, n);
				mvaddstr(y + row - skip, x + n + (n > 0), more);
			} else
				mvaddnstr(y + row - skip, x, p, n);
		}
		row++;
		p += n;
		while (p < end && *p == ' ')
			p++;
		if (p == end && *p == '\n')
			p++;
	}
	return row;
}

/* Word-wrap text into at most lines rows at (y, x); returns rows used. */
static int
tui_wrap(int y, int x, int width, int lines, const char *text)
{
	int need = tui_text(y, x, width, 0, lines, text, NULL);

	return need < lines ? need : lines;
}

/* "... [E]": marks text shortened on purpose and names the key for it. */
static const char *
tui_more(struct tui *t, const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s [%s]", t->ascii ? "..." : "\u2026", key);
	return buf;
}

static attr_t
tui_pair(struct tui *t, int pair)
{
	return t->color ? COLOR_PAIR(pair) : 0;
}

/* One step line: marker, key, name, and row p's own result of it. */
static void
tui_step_line(struct tui *t, const struct lab_sock *p, int row, int x,
    int inner, int key)
{
	const struct lab_step_def *def = lab_step_def(key);
	const struct lab_mark *m = lab_mark(p, key);
	attr_t a;

	/* The marker, not colour alone, says which step ran last. */
	mvaddch(row, x - 1, t->lab->last_key == key ? '>' : ' ');
	/* Guided mode shows the key to press next in reverse video. */
	if (guide_next_key(t->guide) == key)
		attron(A_REVERSE);
	printw("%c", key);
	attroff(A_REVERSE);
	printw(" %-8s", def->name);
	a = !m->pressed ? A_DIM : m->ok ? tui_pair(t, TUI_PAIR_OK) :
	    tui_pair(t, TUI_PAIR_ERR) | A_BOLD;
	attron(a);
	addnstr(m->pressed ? m->brief : "-", inner - 11);
	attroff(a);
}

/*
 * Append to a line and say how long it is now, never past its buffer:
 * snprintf returns what it would have written, which at 800 columns is
 * more than the buffer holds.
 */
static size_t __attribute__((format(printf, 4, 5)))
tui_cat(char *buf, size_t len, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return len > 0 ? len - 1 : 0;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return used;
	used += (size_t)n;
	return used < len ? used : len - 1;
}

/* Rows that wrapping text into width columns takes, as tui_wrap does. */
static int
tui_wrap_rows(int width, const char *text)
{
	int rows = 0, n, cut;

	if (width < 1)
		return 0;
	while (*text != '\0') {
		while (*text == ' ')
			text++;
		if (*text == '\0')
			break;
		n = (int)strlen(text);
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			n = cut > 0 ? cut : width;
		}
		text += n;
		rows++;
	}
	return rows;
}

/*
 * Row p's last error in the longest form that fits rows lines of width
 * columns: "connect: EINPROGRESS 115 Operation now in progress
 * (WSAEWOULDBLOCK 10035)" down to "connect EINPROGRESS 10035" and
 * "EINPROGRESS 10035". The Winsock code stays as long as anything does:
 * it is what the seed tells its readers to look up. "" without an error.
 */
static const char *
tui_err_text(const struct lab_sock *p, int width, int rows, char *buf,
    size_t len)
{
	char full[200], from[24];
	const char *ws, *name = errname_name(p->err);
	int number, form;

	buf[0] = '\0';
	if (p->err == 0)
		return buf;
	ws = errname_winsock(p->err, &number);
	if (ws == NULL)
		number = p->err;
	snprintf(from, sizeof from, "%s%s", p->err_from, p->err_from[0] !=
	    '\0' ? ": " : "");
	for (form = 0; form < 5; form++) {
		switch (form) {
		case 0:
			snprintf(buf, len, "%s%s", from, errname_describe(
			    p->err, full, sizeof full));
			break;
		case 1:
			if (ws != NULL)
				snprintf(buf, len, "%s%s (%s %d)", from, name,
				    ws, number);
			else
				snprintf(buf, len, "%s%s %d", from, name,
				    number);
			break;
		case 2:
			snprintf(buf, len, "%s%s%s %d", p->err_from,
			    p->err_from[0] != '\0' ? " " : "", name, number);
			break;
		case 3:
			snprintf(buf, len, "%s %d", name, number);
			break;
		default:
			snprintf(buf, len, "%d", number);
			break;
		}
		if (rows > 1 ? tui_wrap_rows(width, buf) <= rows :
		    (int)strlen(buf) <= width)
			break;
	}
	return buf;
}

/*
 * A short box has no row for the error: it goes in the bottom border,
 * from x, in at most w columns, with a space either side when they fit.
 * The call's name matters more than the spaces.
 */
static void
tui_border_err(struct tui *t, const struct lab_sock *p, int y, int x, int w)
{
	char buf[200];
	int n;

	if (w < 1 || p->err == 0)
		return;
	n = (int)strlen(tui_err_text(p, w, 1, buf, sizeof buf));
	attron(tui_pair(t, TUI_PAIR_ERR) | A_BOLD);
	mvprintw(y, x, "%s%.*s%s", n < w ? " " : "", w, buf, n < w - 1 ?
	    " " : "");
	attroff(tui_pair(t, TUI_PAIR_ERR) | A_BOLD);
}

/* Pane height: the error rows go first when the screen is short. */
static int
tui_pane_lines(void)
{
	return LINES >= TUI_TALL ? TUI_PANE_LINES : TUI_PANE_SMALL;
}

static void
tui_draw_pane(struct tui *t, enum lab_pane pane, int y, int x, int w)
{
	const struct lab_sock *p = lab_sel(t->lab, pane);
	const struct asock_view *v = &p->view;
	char buf[256], a[ADDR_STRLEN];
	int key, row = y + 1, n, inner = w - 4;

	tui_box(t, y, x, tui_pane_lines(), w, lab_pane_name(pane));
	x += 2;
	/* The seed's seven steps keep their places... */
	for (key = '1'; key <= '7'; key++)
		if (lab_step_def(key)->pane == pane)
			tui_step_line(t, p, row++, x, inner, key);
	/* ...and the pane's latest other step gets the line below them. */
	if (p->last_key > '7' || (p->last_key != 0 && p->last_key < '1'))
		tui_step_line(t, p, y + 4, x, inner, p->last_key);
	row = y + 5;
	for (n = 0; n < ASOCK_NOTES; n++)
		mvprintw(row++, x, "%-16s%*lu", asock_note_name(n), inner - 16,
		    p->counts[n]);

	/* What the kernel says, whatever the notifications said. */
	attron(A_BOLD);
	if (v->tcp_state == -1)
		mvaddstr(row++, x, "no socket");
	else
		mvprintw(row++, x, "fd %d %s", asock_fd(p->sock),
		    asock_tcp_state_name(v->tcp_state));
	attroff(A_BOLD);
	mvprintw(row++, x, "L %.*s", inner - 2, v->have_local ?
	    addr_format((const struct sockaddr *)&v->local, a, sizeof a) : "-");
	mvprintw(row++, x, "P %.*s", inner - 2, v->have_peer ?
	    addr_format((const struct sockaddr *)&v->peer, a, sizeof a) : "-");
	if (v->tcp_state == TCP_LISTEN)
		snprintf(buf, sizeof buf, "queue %u/%u", v->accept_queue,
		    v->backlog);
	else if (v->tcp_state != -1)
		snprintf(buf, sizeof buf, "in %d out %d", v->inq, v->outq);
	else
		buf[0] = '\0';
	if (v->tcp_state != -1)
		mvprintw(row, x, "%-*s%c%c%c", inner - 3, buf,
		    v->readable ? 'r' : '-', v->writable ? 'w' : '-',
		    v->urgent ? 'u' : '-');
	row++;

	/* The last call's error, with the call and its Winsock code. */
	n = y + tui_pane_lines() - 1 - row;
	if (n < 1) {
		tui_border_err(t, p, y + tui_pane_lines() - 1, x - 1, w - 2);
		return;
	}
	if (p->err != 0)
		attron(tui_pair(t, TUI_PAIR_ERR));
	tui_wrap(row, x, inner, n, p->err != 0 ?
	    tui_err_text(p, inner, n, buf, sizeof buf) : "no error");
	attroff(tui_pair(t, TUI_PAIR_ERR));
}

/*
 * The kernel's names for TCP states, as the panes, batch mode and the
 * transcript spell them, so that one screen never shows two spellings.
 */
static const char *
tui_state_name(int st)
{
	return st == -1 ? "no socket" : asock_tcp_state_name(st);
}

/* The longest state name, ESTABLISHED. */
#define TUI_STATE_W	11

/*
 * A number in at most width columns (4 or more): as it is when it fits,
 * else abbreviated, rounded down so it never claims more: 16k, 1.6M.
 */
static const char *
tui_num(unsigned long long v, int width, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	unsigned long long scale = 1;
	int u;

	snprintf(buf, len, "%llu", v);
	if ((int)strlen(buf) <= width)
		return buf;
	for (u = 0; units[u] != '\0'; u++) {
		scale *= 1000;
		if (v / scale < 1000)
			break;
	}
	if (units[u] == '\0')
		u--;
	if (v / scale < 10)
		snprintf(buf, len, "%llu.%llu%c", v / scale, v % scale /
		    (scale / 10), units[u]);
	else
		snprintf(buf, len, "%llu%c", v / scale, units[u]);
	return buf;
}

/* Whether a list of this pane, wide or not, has a column for counter k. */
static int
tui_list_counts(enum lab_pane pane, int wide, int k)
{
	return wide || (k != ASOCK_ON_ACCEPT && (k != ASOCK_ON_CONNECT ||
	    pane == LAB_CLIENT));
}

/*
 * A list pane: Server-Send's connections or the clients, one row each with
 * its address, state and counters, the selected one marked and kept in
 * view; above, the selected row's step results; below, its kernel view
 * and error. Narrow panes leave out the counters that cannot move on that
 * kind of socket (an accepted socket never gets OnAccept or OnConnect, a
 * client never OnAccept). Columns are as wide as their widest value, so
 * ids of 100 and counters of 1000 stay under their headings (numbers from
 * 10000 shortened: 16k, 1.6M); every line is cut to its buffer, whatever
 * the terminal's width.
 */
static void
tui_draw_list(struct tui *t, enum lab_pane pane, int y, int x, int h, int w)
{
	static const char *heads[ASOCK_NOTES] = {
		"Acc", "Clo", "Con", "OOB", "Rcv", "Snd"
	};
	const struct lab *lab = t->lab;
	const struct lab_sock *p, *sel = lab_sel(lab, pane);
	const struct asock_view *v;
	size_t n = lab_rows(lab, pane), i, first, used,
	    sel_i = lab_selected(lab, pane);
	char title[96], line[512], addrs[160], a[ADDR_STRLEN], steps[256];
	char num[2][32], err[200], range[64];
	int inner = w - 2, wide = inner >= 72, row, k, ncounts = 0;
	/* Under the list: kernel view, addresses (when narrow), error. */
	int detail = h >= 12 ? 3 - wide : 1, rows = h - 4 - detail;
	int addr_w, idw = 2, cw = 3, keys[4], nkeys = 0;
	unsigned id;

	if (n == 0)
		snprintf(title, sizeof title, "%s: none yet", lab_pane_name(pane));
	else
		snprintf(title, sizeof title, "%s: %zu, #%u selected",
		    lab_pane_name(pane), n, sel->id);
	tui_box(t, y, x, h, w, title);
	x++;

	/* The pane's own steps, then the last other one it ran. */
	if (pane == LAB_SEND) {
		keys[nkeys++] = '6';
		keys[nkeys++] = '9';
	} else {
		keys[nkeys++] = '3';
		keys[nkeys++] = '4';
		keys[nkeys++] = '7';
	}
	if (sel->last_key != 0 && strchr("34679", sel->last_key) == NULL)
		keys[nkeys++] = sel->last_key;
	for (k = 0, used = 0; k < nkeys; k++) {
		const struct lab_mark *m = lab_mark(sel, keys[k]);

		used = tui_cat(steps, sizeof steps, used, "%s%c %s: %s",
		    k > 0 ? "   " : "", keys[k], lab_step_def(keys[k])->name,
		    m->pressed ? m->brief : "-");
	}
	mvaddnstr(y + 1, x, steps, inner);

	/* Columns as wide as the widest id and counter of any row. */
	for (i = 0; i < n; i++) {
		p = lab_row(lab, pane, i);
		for (id = p->id, k = 1; id >= 10; id /= 10)
			k++;
		if (k > idw)
			idw = k;
		for (k = 0; k < ASOCK_NOTES; k++)
			if (tui_list_counts(pane, wide, k) &&
			    p->counts[k] > 999)
				cw = 4;
	}
	for (k = 0; k < ASOCK_NOTES; k++)
		ncounts += tui_list_counts(pane, wide, k);
	addr_w = inner - (1 + idw) - 1 - (TUI_STATE_W + 1) - ncounts *
	    (cw + 1) - (wide ? 12 : 0);
	if (addr_w > ADDR_STRLEN - 1)
		addr_w = ADDR_STRLEN - 1;
	if (addr_w < 1)
		addr_w = 1;
	used = tui_cat(line, sizeof line, 0, " %*s %-*s %-*s", idw, "#",
	    addr_w, pane == LAB_SEND ? "peer" : "local", TUI_STATE_W, "state");
	for (k = 0; k < ASOCK_NOTES; k++)
		if (tui_list_counts(pane, wide, k))
			used = tui_cat(line, sizeof line, used, " %*s", cw,
			    heads[k]);
	if (wide)
		tui_cat(line, sizeof line, used, " %5s %5s", "in", "out");
	attron(A_BOLD);
	mvaddnstr(y + 2, x, line, inner);
	attroff(A_BOLD);

	first = rows > 0 && sel_i >= (size_t)rows ? sel_i - (size_t)rows + 1 :
	    0;
	for (i = first, row = y + 3; i < n && row < y + 3 + rows; i++, row++) {
		p = lab_row(lab, pane, i);
		v = &p->view;
		/* A closed row keeps the address it had, to tell rows apart. */
		if (p->have_named)
			addr_format((const struct sockaddr *)&p->named, a,
			    sizeof a);
		else
			snprintf(a, sizeof a, "-");
		used = tui_cat(line, sizeof line, 0, "%c%*u %-*.*s %-*s",
		    i == sel_i ? '>' : ' ', idw, p->id, addr_w, addr_w, a,
		    TUI_STATE_W, tui_state_name(v->tcp_state));
		for (k = 0; k < ASOCK_NOTES; k++)
			if (tui_list_counts(pane, wide, k))
				used = tui_cat(line, sizeof line, used, " %*s",
				    cw, tui_num(p->counts[k], cw, num[0],
				    sizeof num[0]));
		if (wide && v->tcp_state != -1)
			tui_cat(line, sizeof line, used, " %5s %5s",
			    v->inq < 0 ? "-" : tui_num((unsigned)v->inq, 5,
			    num[0], sizeof num[0]), v->outq < 0 ? "-" :
			    tui_num((unsigned)v->outq, 5, num[1],
			    sizeof num[1]));
		if (i == sel_i)
			attron(A_REVERSE);
		mvaddnstr(row, x, line, inner);
		attroff(A_REVERSE);
	}
	/* Which rows show, at the right end of the bottom border. */
	range[0] = '\0';
	if (rows > 0 && n > (size_t)rows)
		snprintf(range, sizeof range, " %zu-%zu of %zu ", first + 1,
		    first + (size_t)rows, n);
	if (range[0] != '\0' && (int)strlen(range) < inner)
		mvaddstr(y + h - 1, x + inner - (int)strlen(range), range);

	/*
	 * The selected socket as the kernel sees it (the addresses on a line
	 * of their own when the pane is narrow), and its last error.
	 */
	v = &sel->view;
	if (v->tcp_state == -1)
		used = tui_cat(line, sizeof line, 0, "no socket");
	else
		used = tui_cat(line, sizeof line, 0,
		    "fd %d %s  in %d out %d %c%c%c", asock_fd(sel->sock),
		    asock_tcp_state_name(v->tcp_state), v->inq, v->outq,
		    v->readable ? 'r' : '-', v->writable ? 'w' : '-',
		    v->urgent ? 'u' : '-');
	addrs[0] = '\0';
	if (wide) {
		if (v->have_local)
			used = tui_cat(line, sizeof line, used, "  L %s",
			    addr_format((const struct sockaddr *)&v->local, a,
			    sizeof a));
		if (v->have_peer)
			tui_cat(line, sizeof line, used, "  P %s", addr_format(
			    (const struct sockaddr *)&v->peer, a, sizeof a));
	} else {
		used = 0;
		if (v->have_local)
			used = tui_cat(addrs, sizeof addrs, used, "L %s",
			    addr_format((const struct sockaddr *)&v->local, a,
			    sizeof a));
		if (v->have_peer)
			tui_cat(addrs, sizeof addrs, used, "%sP %s", used > 0 ?
			    "  " : "", addr_format((const struct sockaddr *)
			    &v->peer, a, sizeof a));
	}
	attron(A_BOLD);
	mvaddnstr(y + h - 1 - detail, x, line, inner);
	attroff(A_BOLD);
	if (detail == 1) {
		/* No row for the error: the bottom border holds it. */
		tui_border_err(t, sel, y + h - 1, x, inner -
		    (int)strlen(range) - (range[0] != '\0'));
		return;
	}
	if (!wide)
		mvaddnstr(y + h - 3, x, addrs, inner);
	if (sel->err != 0)
		attron(tui_pair(t, TUI_PAIR_ERR));
	mvaddnstr(y + h - 2, x, sel->err != 0 ? tui_err_text(sel, inner, 1,
	    err, sizeof err) : "no error", inner);
	attroff(tui_pair(t, TUI_PAIR_ERR));
}

static void
tui_bar(struct tui *t, int y, const char *left, const char *right)
{
	int room = COLS - 2;

	/* The right part (the modes) wins: the left is cut to make room. */
	if (right != NULL && (int)strlen(right) + 12 < COLS)
		room = COLS - 4 - (int)strlen(right);
	attron(A_REVERSE | tui_pair(t, TUI_PAIR_TITLE));
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 1, left, room);
	if (right != NULL && room < COLS - 2)
		mvaddstr(y, COLS - 1 - (int)strlen(right), right);
	attroff(A_REVERSE | tui_pair(t, TUI_PAIR_TITLE));
}

/* Rows transcript line l takes in the Events: its text wraps after the stamp. */
static int
tui_event_rows(const struct lab_line *l, int width)
{
	return tui_text(0, 0, width - 16, 0, 0, l->text, NULL);
}

/*
 * The newest transcript lines that fit rows, scrolled back by t->scroll
 * lines. A line too long for the row wraps under its own text, after the
 * stamp, so its end (the notification it led to) stays in view; a line
 * that does not fit whole is left out rather than cut.
 */
static void
tui_draw_events(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const struct lab_line *l;
	unsigned long kept, last, n, oldest;
	char stamp[32], more[32];
	int used, need;

	kept = lab->nlines < LAB_TRANSCRIPT ? lab->nlines : LAB_TRANSCRIPT;
	oldest = lab->nlines - kept;
	if (t->scroll >= kept)
		t->scroll = kept > 0 ? kept - 1 : 0;
	/* No further back than a full view starting at the oldest line. */
	for (used = 0, n = oldest; n < lab->nlines && t->scroll > 0; n++) {
		if ((l = lab_line(lab, n)) == NULL)
			continue;
		used += tui_event_rows(l, width);
		if (used > rows)
			break;
		if (lab->nlines - n - 1 < t->scroll)
			t->scroll = lab->nlines - n - 1;
	}
	last = lab->nlines - t->scroll;		/* one past the newest shown */
	for (used = 0, n = last; n > oldest && used < rows; n--) {
		if ((l = lab_line(lab, n - 1)) == NULL)
			break;
		need = tui_event_rows(l, width);
		if (used + need > rows) {
			if (used > 0)
				break;
			need = rows;	/* even the newest does not fit */
		}
		mvaddstr(y + rows - used - need, x, lab_stamp(&l->tv, stamp,
		    sizeof stamp));
		tui_text(y + rows - used - need, x + 16, width - 16, 0, need,
		    l->text, tui_more(t, "E", more, sizeof more));
		used += need;
	}
}

/* The Explain text: the step's own paragraph, then its notifications'. */
static const char *
tui_explain_text(struct tui *t)
{
	return t->lab->explain[0] != '\0' ? t->lab->explain : "Each step "
	    "and notification is explained here: what happened in the "
	    "kernel, and why each counter moved or did not.";
}

/*
 * The Explain text from its top, skip rows scrolled down (PgDn): what
 * the step did comes first, then what each notification it caused
 * meant. Wrapped between words; when it goes on past the last row, that
 * row says so and names E, the page that shows it all. Returns the rows
 * the whole text needs.
 */
static int
tui_draw_explain(struct tui *t, int y, int x, int rows, int width, int skip)
{
	char more[32];

	return tui_text(y, x, width, skip, rows, tui_explain_text(t),
	    tui_more(t, "E", more, sizeof more));
}

/* "5/4": segments out and in from TCP_INFO, "-" without a socket. */
static void
tui_segs(const struct lab_sock *p, char *buf, size_t len)
{
	if (p->view.tcp_state == -1 || p->view.segs_out < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld/%ld", p->view.segs_out,
		    p->view.segs_in);
}

/*
 * The ladder: the segments the latest steps are expected to put on the
 * wire, client on the left, server on the right, time going down; and the
 * kernel's own segment counts (TCP_INFO) to check the drawing against.
 */
static void
tui_draw_ladder(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const struct lab_sock *c = lab_sel(lab, LAB_CLIENT);
	const struct lab_sock *s = lab_sel(lab, LAB_SEND);
	const struct lab_seg *g, *prev;
	char line[160], a[24], b[24];
	unsigned long first, n;
	int row, inner = width - 4, pad, len, i;

	tui_segs(c, a, sizeof a);
	tui_segs(s, b, sizeof b);
	/* Short of rows, the counts go into the rule above (tui_draw_view). */
	if (rows >= 5) {
		snprintf(line, sizeof line, "Client segs out/in %s%*s%s "
		    "Server-Send", a, width - 34 - (int)strlen(a) -
		    (int)strlen(b) > 0 ? width - 34 - (int)strlen(a) -
		    (int)strlen(b) : 1, "", b);
		attron(A_BOLD);
		mvaddnstr(y++, x, line, width);
		attroff(A_BOLD);
		rows--;
	}
	if (lab->nsegs == 0) {
		mvaddnstr(y, x, "no segment yet: socket, bind, listen and "
		    "accept put nothing on the wire", width);
		return;
	}
	first = lab->nsegs > (unsigned long)rows ? lab->nsegs - rows : 0;
	if (lab->nsegs - first > LAB_SEGS)
		first = lab->nsegs - LAB_SEGS;
	for (n = first, row = y; n < lab->nsegs; n++, row++) {
		g = lab_seg(lab, n);
		/*
		 * The key labels the first segment of its step only; a step
		 * whose first segments scrolled off shows none, so a label
		 * never sits on the other side's reply.
		 */
		prev = n > 0 ? lab_seg(lab, n - 1) : NULL;
		mvprintw(row, x, "%c ", n == 0 || (prev != NULL &&
		    prev->step != g->step) ? g->key : ' ');
		addch(t->ascii ? '|' : ACS_VLINE);
		len = (int)strlen(g->seg.label);
		pad = (inner - len - 2) / 2;
		if (pad < 1)
			pad = 1;
		addch(g->seg.to_server ? (t->ascii ? '-' : ACS_HLINE) :
		    (t->ascii ? '<' : ACS_LARROW));
		for (i = 1; i < pad; i++)
			addch(t->ascii ? '-' : ACS_HLINE);
		printw(" %.*s ", inner - 4, g->seg.label);
		for (i = pad + len + 2; i < inner - 1; i++)
			addch(t->ascii ? '-' : ACS_HLINE);
		addch(g->seg.to_server ? (t->ascii ? '>' : ACS_RARROW) :
		    (t->ascii ? '-' : ACS_HLINE));
		addch(t->ascii ? '|' : ACS_VLINE);
	}
}

static const char *tui_view_names[TUI_VIEWS] = {
	"Explain", "Ladder: expected segments", "Events"
};

/* A short screen: one view, named in a rule above it (v: the next). */
static void
tui_draw_view(struct tui *t, int y, int rows)
{
	char label[128], a[24], b[24];
	int need, max;

	snprintf(label, sizeof label, " %s  (v: %s) ", tui_view_names[t->view],
	    tui_view_names[(t->view + 1) % TUI_VIEWS]);
	/* Scrolled back, the view says so: new lines are not showing. */
	if (t->view == TUI_VIEW_EVENTS && t->scroll > 0)
		snprintf(label, sizeof label, " Events, scrolled back: PgDn "
		    "for the newest  (v: %s) ", tui_view_names[TUI_VIEW_EXPLAIN]);
	if (t->view == TUI_VIEW_LADDER && rows - 1 < 5) {
		tui_segs(lab_sel(t->lab, LAB_CLIENT), a, sizeof a);
		tui_segs(lab_sel(t->lab, LAB_SEND), b, sizeof b);
		snprintf(label, sizeof label, " Ladder  TCP_INFO segs out/in: "
		    "Client %s, Server-Send %s  (v: Events) ", a, b);
	}
	mvhline(y, 0, t->ascii ? '-' : ACS_HLINE, COLS);
	attron(A_BOLD);
	mvaddnstr(y, 2, label, COLS - 4);
	attroff(A_BOLD);
	if (t->view == TUI_VIEW_EXPLAIN) {
		/* From the top, the step's own paragraph first; PgDn goes on. */
		need = tui_draw_explain(t, y + 1, 1, 0, COLS - 2, 0);
		max = need > rows - 1 ? need - (rows - 1) : 0;
		if (t->escroll > max)
			t->escroll = max;
		tui_draw_explain(t, y + 1, 1, rows - 1, COLS - 2, t->escroll);
		if (t->escroll < max)
			mvaddstr(y, COLS - 12, " PgDn more ");
		else if (t->escroll > 0)
			mvaddstr(y, COLS - 12, " PgUp back ");
	} else if (t->view == TUI_VIEW_LADDER)
		tui_draw_ladder(t, y + 1, 1, rows - 1, COLS - 2);
	else
		tui_draw_events(t, y + 1, 1, rows - 1, COLS - 2);
}

/* A tall screen: Explain and the ladder side by side, Events below. */
static void
tui_draw_views(struct tui *t, int y, int rows)
{
	int top = rows >= 14 ? rows / 2 + 1 : rows, left = COLS * 3 / 5;

	tui_box(t, y, 0, top, left, tui_view_names[TUI_VIEW_EXPLAIN]);
	/* From the top, as on small screens; E shows what does not fit. */
	tui_draw_explain(t, y + 1, 1, top - 2, left - 2, 0);
	tui_box(t, y, left, top, COLS - left, "Ladder");
	tui_draw_ladder(t, y + 1, left + 1, top - 2, COLS - left - 2);
	if (rows - top >= 3) {
		tui_box(t, y + top, 0, rows - top, COLS, t->scroll > 0 ?
		    "Events (scrolled: PgDn)" : "Events");
		tui_draw_events(t, y + top + 1, 1, rows - top - 2, COLS - 2);
	}
}

/*
 * The title bar: the role and where the server is. The addresses students
 * type are never cut: when they do not fit the bar beside the modes, the
 * bar says where to look and they get rows of their own under it, split
 * between addresses. Returns the rows used under the bar.
 */
static int
tui_draw_title(struct tui *t, const char *modes)
{
	const struct lab *lab = t->lab;
	const char *head, *where;
	char bar[400], more[32];
	int room = COLS - 2, need;

	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		head = lab->have_server_addr ? "tcpstep -s  reachable at" :
		    "tcpstep -s  will listen on";
		where = lab->have_server_addr ? lab->reachable : t->bind_text;
		break;
	case LAB_ROLE_CLIENT:
		head = "tcpstep -c  server";
		where = lab->resolved;
		break;
	default:
		head = "tcpstep  server";
		where = lab->have_server_addr ? lab->reachable : t->bind_text;
		break;
	}
	/* As tui_bar gives the modes their room. */
	if ((int)strlen(modes) + 12 < COLS)
		room = COLS - 4 - (int)strlen(modes);
	snprintf(bar, sizeof bar, "%s %s", head, where);
	if ((int)strlen(bar) <= room) {
		tui_bar(t, 0, bar, modes);
		return 0;
	}
	snprintf(bar, sizeof bar, "%s:", head);
	tui_bar(t, 0, bar, modes);
	attron(A_BOLD);
	need = tui_text(1, 1, COLS - 2, 0, 3, where, tui_more(t, "E", more,
	    sizeof more));
	attroff(A_BOLD);
	return need < 3 ? need : 3;
}

/*
 * `13 bytes "..."`: n bytes escaped (never raw), shortened inside the
 * quotes when they need more than room columns, so the count and the
 * closing quote always show.
 */
static void
tui_quoted(struct tui *t, const unsigned char *data, size_t n, int room,
    char *out, size_t len)
{
	char esc[512], count[32];
	const char *dots = t->ascii ? "..." : "\u2026";
	int fixed, avail;

	if (room > (int)len - 1)
		room = (int)len - 1;
	snprintf(count, sizeof count, "%zu byte%s \"", n, n == 1 ? "" : "s");
	fixed = (int)strlen(count) + 1;
	if (escape_bytes(data, n, esc, sizeof esc) == n &&
	    fixed + (int)strlen(esc) <= room) {
		snprintf(out, len, "%s%s\"", count, esc);
		return;
	}
	avail = room - fixed - tui_cols(dots);
	escape_bytes(data, n, esc, avail > 0 && (size_t)avail < sizeof esc ?
	    (size_t)avail + 1 : avail > 0 ? sizeof esc : 1);
	snprintf(out, len, "%s%s%s\"", count, esc, dots);
}

/*
 * What the selected client and connection last read, escaped, in room
 * columns: each part shortened inside its quotes rather than cut.
 */
static void
tui_received(struct tui *t, int room, char *line, size_t len)
{
	const struct lab *lab = t->lab;
	const struct lab_sock *c = lab_sel(lab, LAB_CLIENT);
	const struct lab_sock *s = lab_sel(lab, LAB_SEND);
	char cpart[300], spart[300], head[48], num[16];
	int pass;

	/* Which connection it was, once there are several. */
	if (lab_rows(lab, LAB_SEND) > 1)
		snprintf(num, sizeof num, " #%u", s->id);
	else
		num[0] = '\0';
	snprintf(head, sizeof head, "Server-Send%s read ", num);
	/* First as they are; too long, the client's part gets at most half. */
	for (pass = 0; pass < 2; pass++) {
		cpart[0] = spart[0] = '\0';
		if (c->have_received)
			tui_quoted(t, c->received, c->received_len, pass == 0 ||
			    !s->have_received ? room : (room - 3) / 2, cpart,
			    sizeof cpart);
		else if (lab_has_pane(lab, LAB_CLIENT))
			snprintf(cpart, sizeof cpart, "nothing yet");
		if (s->have_received) {
			snprintf(spart, sizeof spart, "%s", head);
			tui_quoted(t, s->received, s->received_len, room -
			    (cpart[0] != '\0' ? 3 + (int)strlen(cpart) : 0) -
			    (int)strlen(head), spart + strlen(spart),
			    sizeof spart - strlen(spart));
		} else if (lab->cfg.role == LAB_ROLE_SERVER)
			snprintf(spart, sizeof spart, "Server-Send%s: nothing yet",
			    num);
		if ((int)(strlen(cpart) + strlen(spart)) + 3 <= room)
			break;
	}
	snprintf(line, len, "%s%s%s", cpart, cpart[0] != '\0' &&
	    spart[0] != '\0' ? "   " : "", spart);
}

/* The last step's full result, or what to press first in this role. */
static void
tui_result(struct tui *t, char *line, size_t len)
{
	const struct lab *lab = t->lab;
	const struct lab_step_def *def;

	if (lab->last_key > 0 && lab->last_key != 'r' &&
	    (def = lab_step_def(lab->last_key)) != NULL)
		snprintf(line, len, "%c %s %s: %s", lab->last_key,
		    lab_pane_name(def->pane), def->name,
		    lab->result[lab->last_key].detail);
	else if (lab->last_key == 'r')
		snprintf(line, len, "r Reset: every socket closed and every "
		    "counter zeroed; press %c to begin again.",
		    lab->cfg.role == LAB_ROLE_CLIENT ? '3' : '1');
	else if (lab->cfg.role == LAB_ROLE_SERVER)
		snprintf(line, len, "Press 1 to create the server socket and 2 "
		    "to listen; 5 accepts each client that connects, 6 sends "
		    "it the time. ? explains every key.");
	else if (lab->cfg.role == LAB_ROLE_CLIENT)
		snprintf(line, len, "Press 3 to create the client socket and 4 "
		    "to connect to the server; 7 receives what it sends, 8 "
		    "sends a line back. ? explains every key.");
	else
		snprintf(line, len, "Press 1 to create the server socket, then "
		    "2 to 7 in order; g starts a guided lesson. ? explains "
		    "every key.");
}

/*
 * The lesson's instruction, on a line of its own: first what the guide
 * has to say about the last key (a hint to get back on track, what it
 * waits for, or that the lesson is done), then the key to press and what
 * it will show; the lesson's goal before its first step.
 */
static void
tui_guide_text(struct tui *t, char *buf, size_t len, int goal)
{
	const struct guide *g = t->guide;
	int first = goal && g->step == 0 && !g->pressed && !g->done;

	snprintf(buf, len, "%s%s%s%s%s", g->msg, g->msg[0] != '\0' &&
	    !g->done ? " " : "", g->done ? "" : guide_say(g),
	    first ? " Goal: " : "", first ? guide_goal(g) : "");
}

/* Add an item to the legend if it fits in room columns. */
static void
tui_legend_add(char *buf, size_t len, int room, const char *item)
{
	size_t n = strlen(buf);

	if ((int)(n + (n > 0 ? 2 : 0) + strlen(item)) <= room)
		snprintf(buf + n, len - n, "%s%s", n > 0 ? "  " : "", item);
}

/*
 * The legend: the keys that matter now, for this role and state, the
 * most useful first; whatever does not fit is left out whole, and it
 * always ends with help and quit.
 */
static void
tui_legend(struct tui *t, char *buf, size_t len)
{
	static const char tail[] = "? help  q quit";
	const struct lab *lab = t->lab;
	const struct guide *g = t->guide;
	char item[64], progress[32];
	int room = COLS - 4 - (int)strlen(tail), errs[LAB_PANES + 1];
	int has_client = lab_sel(lab, LAB_CLIENT)->sock != NULL;
	int has_send = lab_sel(lab, LAB_SEND)->sock != NULL;

	buf[0] = '\0';
	if (g->on) {
		if (guide_next_key(g) != 0)
			snprintf(item, sizeof item, "GUIDE: press %c",
			    guide_next_key(g));
		else
			snprintf(item, sizeof item, "GUIDE: %s", g->done ?
			    "done" : "waiting");
		tui_legend_add(buf, len, room, item);
		guide_progress(g, progress, sizeof progress);
		snprintf(item, sizeof item, "lesson %d/%d %s", g->lesson + 1,
		    GUIDE_LESSONS, progress);
		tui_legend_add(buf, len, room, item);
		tui_legend_add(buf, len, room, "r again");
		tui_legend_add(buf, len, room, "] next");
		tui_legend_add(buf, len, room, "g off");
		if (lab->last_key != 0)
			tui_legend_add(buf, len, room, "E explain");
	} else {
		tui_legend_add(buf, len, room, lab->cfg.role ==
		    LAB_ROLE_SERVER ? "1 2 5 6 9 steps" : lab->cfg.role ==
		    LAB_ROLE_CLIENT ? "3 4 7 8 steps" : "1-9 step");
		if (lab->last_key != 0)
			tui_legend_add(buf, len, room, "E explain");
		if (lab_errors(lab, errs, LAB_PANES + 1) > 0)
			tui_legend_add(buf, len, room, "i error");
		if (LINES < TUI_TALL)
			tui_legend_add(buf, len, room, "v view");
		if (has_client)
			tui_legend_add(buf, len, room, lab->cfg.role ==
			    LAB_ROLE_CLIENT ? "xhzuofd Client" : "xhzufd Client");
		if (has_send)
			tui_legend_add(buf, len, room, lab->cfg.role ==
			    LAB_ROLE_SERVER ? "XHZUOFD Server-Send" :
			    "XHZUFD Server-Send");
		if (lab->cfg.role == LAB_ROLE_CLIENT) {
			tui_legend_add(buf, len, room, "n new");
			if (lab_rows(lab, LAB_CLIENT) > 1)
				tui_legend_add(buf, len, room, "Tab pick");
		}
		if (lab->cfg.role == LAB_ROLE_SERVER && lab_rows(lab,
		    LAB_SEND) > 1)
			tui_legend_add(buf, len, room, "Up/Dn pick");
		if (lab->cfg.role == LAB_ROLE_SERVER && lab_open_conns(lab) > 0)
			tui_legend_add(buf, len, room, "b all");
		if (lab->cfg.role == LAB_ALL_IN_ONE)
			tui_legend_add(buf, len, room, "g guide");
		tui_legend_add(buf, len, room, "a auto");
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
	    buf[0] != '\0' ? "  " : "", tail);
}

/*
 * The main screen. From the top: the title, the panes, the Received
 * line, the last step's result, the view(s), the lesson's instruction in
 * guided mode, the legend. The result and the instruction get the rows
 * they need up to a limit (two under TUI_TALL lines, three from it); the
 * views get the rest, at least a rule and a line.
 */
static void
tui_draw_main(struct tui *t)
{
	struct lab *lab = t->lab;
	char line[700], more[32];
	const char *role;
	int w = COLS / 3, y, area, top, pane_y, rows, res, gd, gneed, cap;
	int vmin;

	role = lab->cfg.role == LAB_ROLE_SERVER ? "server role" :
	    lab->cfg.role == LAB_ROLE_CLIENT ? "client role" : "loopback lab";
	/* A log that stopped is said where it stays in view (see main). */
	snprintf(line, sizeof line, "%s%s%s%s", lab->log_err != 0 ?
	    "LOG FAILED  " : "", lab->auto_mode ? "AUTO MODE  " : "",
	    lab->edge ? "EDGE MODEL  " : "", role);
	pane_y = 1 + tui_draw_title(t, line);

	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		/* Server and its connections, the list as wide as it can be. */
		tui_draw_pane(t, LAB_SERVER, pane_y, 0, w);
		tui_draw_list(t, LAB_SEND, pane_y, w, tui_pane_lines(),
		    COLS - w);
		break;
	case LAB_ROLE_CLIENT:
		tui_draw_pane(t, LAB_CLIENT, pane_y, 0, w);
		tui_draw_list(t, LAB_CLIENT, pane_y, w, tui_pane_lines(),
		    COLS - w);
		break;
	default:
		tui_draw_pane(t, LAB_SERVER, pane_y, 0, w);
		if (lab_rows(lab, LAB_SEND) <= 1 &&
		    lab_rows(lab, LAB_CLIENT) <= 1) {
			/* The seed's dialog: three panes side by side. */
			tui_draw_pane(t, LAB_SEND, pane_y, w, w);
			tui_draw_pane(t, LAB_CLIENT, pane_y, 2 * w,
			    COLS - 2 * w);
			break;
		}
		/* Several: the two lists, one above the other. */
		top = tui_pane_lines() / 2 + 1;
		tui_draw_list(t, LAB_SEND, pane_y, w, top, COLS - w);
		tui_draw_list(t, LAB_CLIENT, pane_y + top, w,
		    tui_pane_lines() - top, COLS - w);
		break;
	}

	y = pane_y + tui_pane_lines();
	tui_received(t, COLS - 12, line, sizeof line);
	attron(A_BOLD);
	mvaddstr(y, 1, "Received: ");
	attroff(A_BOLD);
	addstr(line);
	y++;

	/* Rows for the result and the lesson; the views keep at least two. */
	area = LINES - 1 - y;
	cap = LINES >= TUI_TALL ? 3 : 2;
	tui_result(t, line, sizeof line);
	res = tui_text(0, 0, COLS - 2, 0, 0, line, NULL);
	res = res < cap ? res : cap;
	gd = 0;
	if (t->guide->on) {
		tui_guide_text(t, line, sizeof line, 1);
		gneed = tui_text(0, 0, COLS - 2, 0, 0, line, NULL);
		gd = gneed < cap ? gneed : cap;
	}
	/* The ladder's handshake takes three rows under its rule. */
	vmin = t->view == TUI_VIEW_LADDER ? 4 : 2;
	while (area - res - gd < vmin && res > 1)
		res--;
	while (area - res - gd < vmin && gd > 1)
		gd--;
	tui_result(t, line, sizeof line);
	tui_text(y, 1, COLS - 2, 0, res, line, tui_more(t, "E", more,
	    sizeof more));
	y += res;
	rows = area - res - gd;
	if (rows >= TUI_VIEWS_MIN)
		tui_draw_views(t, y, rows);
	else if (rows > 1)
		tui_draw_view(t, y, rows);
	if (gd > 0) {
		tui_guide_text(t, line, sizeof line, 1);
		attron(A_BOLD);
		tui_text(LINES - 1 - gd, 1, COLS - 2, 0, gd, line,
		    tui_more(t, "E", more, sizeof more));
		attroff(A_BOLD);
	}
	tui_legend(t, line, sizeof line);
	tui_bar(t, LINES - 1, line, NULL);
}

/*
 * Key E: the last step on a page of its own, nothing shortened: where
 * the server is, the step's result, what was received, the whole Explain
 * text, the lesson (scrolled with PgDn when it is longer than the page),
 * and the newest Events in the rows left.
 */
static void
tui_draw_explain_page(struct tui *t)
{
	const struct guide *g = t->guide;
	char text[LAB_EXPLAIN + 2800], rec[700], head[96], progress[32];
	char guide[700], where[320];
	unsigned long scroll;
	const char *sep;
	int rows, avail = LINES - 2, k;

	tui_bar(t, 0, "The last step, explained in full", "any key returns");
	tui_received(t, COLS - 12 > 600 ? COLS - 12 : 600, rec, sizeof rec);
	guide[0] = '\0';
	if (g->on) {
		guide_heading(g, head, sizeof head);
		guide_progress(g, progress, sizeof progress);
		snprintf(guide, sizeof guide, "%s (%s). %s", head, progress,
		    guide_goal(g));
	}
	/* Where the server is, which the title may have had to shorten. */
	if (t->lab->cfg.role == LAB_ROLE_CLIENT)
		snprintf(where, sizeof where, "Server: %s", t->lab->resolved);
	else
		snprintf(where, sizeof where, "Server %s: %s",
		    t->lab->have_server_addr ? "reachable at" : "will listen on",
		    t->lab->have_server_addr ? t->lab->reachable : t->bind_text);
	/* Blank lines between the parts when they all fit with them. */
	for (k = 0; k < 2; k++) {
		sep = k == 0 ? "\n\n" : "\n";
		snprintf(text, sizeof text, "%s%s", where, sep);
		tui_result(t, text + strlen(text), sizeof text - strlen(text));
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    "%sReceived: %s%s%s", sep, rec, sep, tui_explain_text(t));
		if (g->on) {
			snprintf(text + strlen(text), sizeof text -
			    strlen(text), "%s%s\n", sep, guide);
			/* The goal is on the heading's line already. */
			tui_guide_text(t, text + strlen(text), sizeof text -
			    strlen(text), 0);
		}
		rows = tui_text(0, 0, COLS - 2, 0, 0, text, NULL);
		if (rows <= avail)
			break;
	}
	/* Longer than the page: PgDn and PgUp scroll it, and say so. */
	if (rows > avail) {
		if (t->pscroll > rows - avail)
			t->pscroll = rows - avail;
		tui_text(1, 1, COLS - 2, t->pscroll, avail, text, NULL);
		tui_bar(t, LINES - 1, t->pscroll < rows - avail ?
		    "PgDn more  PgUp back  any other key returns  q quit" :
		    "PgUp back  any other key returns  q quit", NULL);
		return;
	}
	t->pscroll = 0;
	tui_text(1, 1, COLS - 2, 0, avail, text, NULL);
	/* The newest Events under it, if three rows or more are left. */
	if (avail - rows - 1 >= 3) {
		attron(A_BOLD);
		mvaddstr(rows + 2, 1, "Events");
		attroff(A_BOLD);
		/* The newest, whatever the Events view is scrolled to. */
		scroll = t->scroll;
		t->scroll = 0;
		tui_draw_events(t, rows + 3, 1, avail - rows - 2, COLS - 2);
		t->scroll = scroll;
	}
	tui_bar(t, LINES - 1, "any key returns  q quit", NULL);
}

static void
tui_draw_help(struct tui *t)
{
	static const char *notes[] = {
"Notifications mean \"now you can\", not \"it happened\"",
"",
"  OnAccept  FD_ACCEPT   a connection waits in the listen queue: Accept it.",
"                        Again after each accept, at once if more wait.",
"  OnConnect FD_CONNECT  your Connect finished, with 0 or its error. Once",
"                        per connect.",
"  OnSend    FD_WRITE    you may Send: once when connected, then only after",
"                        a send failed with EAGAIN and room came free.",
"  OnReceive FD_READ     bytes wait: Receive them. Again after each recv,",
"                        at once if bytes remain.",
"  OnOutOfBandData FD_OOB  an urgent byte waits: Receive it with MSG_OOB,",
"                        which enables this notification again.",
"  OnClose   FD_CLOSE    the peer closed: 0 graceful (once everything",
"                        queued was read), ECONNRESET abortive. Once.",
"",
"Counters move when the event loop delivers a notification, never when you",
"press a key. The kernel lines of each pane show the level-triggered truth:",
"TCP state, local (L) and peer (P) address, bytes queued in (IOCtl FIONREAD)",
"and out, and whether poll() says readable, writable or urgent (r w u).",
"Errors show the Linux name, number and text, and the Winsock code the same",
"error has on Windows (EAGAIN is WSAEWOULDBLOCK 10035). The steps follow",
"\"Asynchronous TCP Part 1\" by bkelly13 (The Code Project).",
	};
	const struct lab_step_def *d;
	char head[64];
	size_t i;
	int row = 1;

	snprintf(head, sizeof head, "tcpstep help, page %d of %d", t->help,
	    TUI_HELP_PAGES);
	tui_bar(t, 0, head, "? next page, any key returns");
	if (t->help == 1 || t->help == 2) {
		attron(A_BOLD);
		mvaddstr(row++, 1, t->help == 1 ? "Steps: the article's seven, "
		    "and the way back" : "More steps (lower case: Client, "
		    "shifted: Server-Send)");
		attroff(A_BOLD);
		for (d = lab_steps; d->key != 0 && row < LINES - 1; d++) {
			if ((t->help == 1) != (d->key >= '1' && d->key <= '9'))
				continue;
			mvprintw(row++, 1, "  %c  %-11s %-8s %.*s", d->key,
			    lab_pane_name(d->pane), d->name, COLS - 29,
			    d->help);
		}
		if (t->help == 2) {
			row++;
			for (i = 0; i < sizeof tui_keys / sizeof tui_keys[0] &&
			    row < LINES - 1; i++)
				if (tui_keys[i].page == 2)
					mvprintw(row++, 1, "  %-9s %.*s",
					    tui_keys[i].name, COLS - 14,
					    tui_keys[i].help);
		}
		if (t->help == 1) {
			row++;
			for (i = 0; i < sizeof tui_keys / sizeof tui_keys[0] &&
			    row < LINES - 1; i++)
				if (tui_keys[i].help != NULL &&
				    tui_keys[i].page != 2)
					mvprintw(row++, 1, "  %-9s %.*s",
					    tui_keys[i].name, COLS - 14,
					    tui_keys[i].help);
		}
	} else {
		for (i = 0; i < sizeof notes / sizeof notes[0] &&
		    row < LINES - 1; i++) {
			if (i == 0)
				attron(A_BOLD);
			mvaddnstr(row++, 1, notes[i], COLS - 2);
			attroff(A_BOLD);
		}
	}
	tui_bar(t, LINES - 1, "? or Space next page  any key returns  q quit",
	    NULL);
}

/* Key i: every error on screen, in full, with its usual cause here. */
static void
tui_draw_errors(struct tui *t)
{
	int errs[LAB_PANES + 1], row = 2;
	size_t i, n = lab_errors(t->lab, errs, LAB_PANES + 1);
	char text[600];

	tui_bar(t, 0, "Errors on screen, explained", "any key returns");
	if (n == 0)
		mvaddstr(row, 1, "No error is shown now. Errors appear in the "
		    "panes and in the step's result; i explains them here.");
	for (i = 0; i < n && row < LINES - 2; i++) {
		explain_error(errs[i], text, sizeof text);
		row += tui_wrap(row, 1, COLS - 2, LINES - 2 - row, text) + 1;
	}
	tui_bar(t, LINES - 1, "any key returns  q quit", NULL);
}

/* The y/n question of g, [ or ], or what the answer did, on the last line. */
static void
tui_draw_prompt(struct tui *t)
{
	char line[128];
	int lesson = t->guide->lesson + 1;

	if (t->asking != 0) {
		if (t->asking == ']')
			lesson = lesson < GUIDE_LESSONS ? lesson + 1 : lesson;
		else if (t->asking == '[')
			lesson = lesson > 1 ? lesson - 1 : lesson;
		snprintf(line, sizeof line, "%c: start lesson %d and close "
		    "every socket? y/n", t->asking, lesson);
		tui_bar(t, LINES - 1, line, NULL);
	} else if (t->notice[0] != '\0')
		tui_bar(t, LINES - 1, t->notice, NULL);
}

static void
tui_draw(struct tui *t)
{
	char msg[128];

	lab_look(t->lab);
	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		snprintf(msg, sizeof msg, "terminal too small - need %dx%d, "
		    "now %dx%d", TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
		tui_wrap(LINES / 2 - 1, 1, COLS - 2, 2, msg);
		tui_wrap(LINES / 2 + 1, 1, COLS - 2, 2, "q quits; other keys "
		    "do nothing at this size");
		if (t->ignored != 0) {
			snprintf(msg, sizeof msg, "key %s does nothing until "
			    "the terminal is larger", keyname(t->ignored));
			tui_wrap(LINES / 2 + 3, 1, COLS - 2, 2, msg);
		}
	} else if (t->errors == TUI_PAGE_EXPLAIN)
		tui_draw_explain_page(t);
	else if (t->errors)
		tui_draw_errors(t);
	else if (t->help)
		tui_draw_help(t);
	else {
		tui_draw_main(t);
		tui_draw_prompt(t);
	}
	refresh();
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
	tui_draw(t);
	t->dirty = 0;
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
	while (t->q_len < TUI_QUEUE && (ch = getch()) != ERR) {
		if (t->in_seq == 'O') {
			t->in_seq = 0;		/* SS3: its one byte */
			continue;
		}
		if (t->in_seq == '[') {
			if (ch < 0x20 || ch >= 0x40)
				t->in_seq = 0;	/* the final byte */
			continue;
		}
		if (ch == 27) {
			ch = getch();
			if (ch == '[' || ch == 'O') {
				t->in_seq = ch;
				evutil_gettimeofday(&t->seq_time, NULL);
				continue;
			}
			if (ch != ERR)
				ungetch(ch);
			ch = 27;
		}
		t->queue[(t->q_head + t->q_len++) % TUI_QUEUE] = ch;
	}
}

/*
 * Run keys until one starts a settle or none is left: first the keys a
 * lesson's start left to press (they set the scene the learner's keys
 * expect), then the learner's, in the order typed. The terminal is read
 * only while the queue has room.
 */
static void
tui_pump(struct tui *t)
{
	int key;

	for (;;) {
		tui_read(t);
		if (t->settling || t->quit)
			break;
		if ((key = guide_setup_next(t->guide)) != 0) {
			lab_step(t->lab, key);
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
	if (t->q_len < TUI_QUEUE)
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
		endwin();
		delscreen(t->screen);
	}
}

int
tui_run(struct lab *lab, struct guide *guide, const char *bind_text,
    int ascii)
{
	struct tui t;

	memset(&t, 0, sizeof t);
	t.lab = lab;
	t.guide = guide;
	t.base = lab->base;
	t.bind_text = bind_text;
	t.ascii = ascii;
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
	/* --guide: the lesson's setup keys run first, each settled. */
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
