/*
 * tui.c - the ncurses front end.
 *
 * Laid out like tmux's loop: key presses, socket notifications and signals
 * only change the model and set a redraw flag; one place draws, at most
 * once per loop turn and 30 times a second. With nothing happening the
 * process sleeps in epoll_wait and makes no system calls at all: the lab's
 * only timers run while auto mode is on or a socket is between TCP states,
 * and the frame timer only while a frame is due.
 *
 * Keys go through one table (as in htop's Action_setBindings), so the
 * legend, the help screen and the handlers cannot drift apart.
 */
#include <curses.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
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

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_PANE_LINES	19	/* borders included */
/* Under 30 lines, panes without the error rows leave room for a view. */
#define TUI_PANE_SMALL	16
#define TUI_TALL	30
/* At most one frame per this many milliseconds (30 a second). */
#define TUI_FRAME_MS	33
/* Rows under the panes from which the views get boxes side by side. */
#define TUI_VIEWS_MIN	8

/* What the area under the panes shows when it can hold only one thing. */
enum { TUI_VIEW_EXPLAIN, TUI_VIEW_LADDER, TUI_VIEW_EVENTS, TUI_VIEWS };

enum { TUI_PAIR_OK = 1, TUI_PAIR_ERR, TUI_PAIR_TITLE };

struct tui {
	struct lab	*lab;
	struct event_base *base;
	SCREEN		*screen;
	struct event	*ev_stdin;
	struct event	*ev_signal[4];
	const char	*bind_text;	/* "127.0.0.1, port chosen at step 1" */
	int		 ascii;
	int		 color;
	int		 dirty;
	struct guide	*guide;
	int		 help;		/* help page shown, 0: none */
	int		 errors;	/* the error page (key i) is shown */
	int		 view;		/* small screens: which TUI_VIEW_ */
	unsigned long	 scroll;	/* Events lines scrolled back */
	int		 escroll;	/* Explain lines scrolled down */
	int		 quit;
	int		 status;	/* exit status once quit is set */
	struct event	*frame;		/* the next frame, while one is due */
	struct timeval	 last_frame;
};

static void tui_key_step(struct tui *, int);
static void tui_key_help(struct tui *, int);
static void tui_key_quit(struct tui *, int);
static void tui_key_repaint(struct tui *, int);
static void tui_key_view(struct tui *, int);
static void tui_key_errors(struct tui *, int);
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

static void
tui_key_guide(struct tui *t, int key)
{
	guide_command(t->guide, t->lab, key);
	t->view = TUI_VIEW_EXPLAIN;	/* the lesson is told there */
	t->escroll = 0;
}

/* PgUp/PgDn: the Events, or the Explain text when that is what shows. */
static void
tui_key_scroll(struct tui *t, int key)
{
	unsigned long page = (unsigned long)(LINES / 2);

	if (LINES < TUI_TALL && t->view == TUI_VIEW_EXPLAIN) {
		/* Rows scrolled back from the newest; the drawing clamps it. */
		t->escroll += key == KEY_PPAGE ? 2 : -2;
		if (t->escroll < 0)
			t->escroll = 0;
	} else if (key == KEY_PPAGE)
		t->scroll += page;
	else
		t->scroll = t->scroll > page ? t->scroll - page : 0;
}

static void
tui_key(struct tui *t, int key)
{
	size_t i;

	t->dirty = 1;
	if (t->errors) {
		t->errors = 0;		/* any key leaves the error page */
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

/* A notification arrived: redraw on this loop turn. */
static void
tui_changed(void *arg)
{
	struct tui *t = arg;

	guide_update(t->guide);
	t->dirty = 1;
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

/*
 * Word-wrap text into at most lines rows of width columns at (y, x).
 * Returns the rows used.
 */
static int
tui_wrap(int y, int x, int width, int lines, const char *text)
{
	int row = 0, n, cut;

	if (width < 1)		/* a 1x1 terminal leaves no room at all */
		return 0;
	while (*text != '\0' && row < lines) {
		while (*text == ' ')
			text++;
		n = (int)strlen(text);
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			n = cut > 0 ? cut : width;
		}
		mvaddnstr(y + row, x, text, n);
		text += n;
		row++;
	}
	return row;
}

static attr_t
tui_pair(struct tui *t, int pair)
{
	return t->color ? COLOR_PAIR(pair) : 0;
}

/* One step line: marker, key, name, result. */
static void
tui_step_line(struct tui *t, int row, int x, int inner, int key)
{
	const struct lab_step_def *def = lab_step_def(key);
	const struct lab_result *r = &t->lab->result[key];
	attr_t a;

	/* The marker, not colour alone, says which step ran last. */
	mvaddch(row, x - 1, t->lab->last_key == key ? '>' : ' ');
	/* Guided mode shows the key to press next in reverse video. */
	if (guide_next_key(t->guide) == key)
		attron(A_REVERSE);
	printw("%c", key);
	attroff(A_REVERSE);
	printw(" %-8s", def->name);
	a = !r->pressed ? A_DIM : r->ok ? tui_pair(t, TUI_PAIR_OK) :
	    tui_pair(t, TUI_PAIR_ERR) | A_BOLD;
	attron(a);
	addnstr(r->pressed ? r->brief : "-", inner - 11);
	attroff(a);
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
			tui_step_line(t, row++, x, inner, key);
	/* ...and the pane's latest other step gets the line below them. */
	if (p->last_key > '7' || (p->last_key != 0 && p->last_key < '1'))
		tui_step_line(t, y + 4, x, inner, p->last_key);
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

	errname_describe(p->err, buf, sizeof buf);
	if (p->err != 0)
		attron(tui_pair(t, TUI_PAIR_ERR));
	tui_wrap(row, x, inner, y + tui_pane_lines() - 1 - row, p->err != 0 ?
	    buf : "no error");
	attroff(tui_pair(t, TUI_PAIR_ERR));
}

/* ss(8)'s short state names, which fit a list row. */
static const char *
tui_state_short(int st)
{
	switch (st) {
	case -1:		return "closed";
	case TCP_ESTABLISHED:	return "ESTAB";
	case TCP_SYN_SENT:	return "SYN-SENT";
	case TCP_SYN_RECV:	return "SYN-RECV";
	case TCP_FIN_WAIT1:	return "FIN-WAIT-1";
	case TCP_FIN_WAIT2:	return "FIN-WAIT-2";
	case TCP_TIME_WAIT:	return "TIME-WAIT";
	case TCP_CLOSE:		return "CLOSE";
	case TCP_CLOSE_WAIT:	return "CLOSE-WAIT";
	case TCP_LAST_ACK:	return "LAST-ACK";
	case TCP_LISTEN:	return "LISTEN";
	case TCP_CLOSING:	return "CLOSING";
	default:		return "?";
	}
}

/*
 * A list pane: Server-Send's connections or the clients, one row each with
 * its address, state and counters, the selected one marked and kept in
 * view; above, the pane's step results; below, the selected socket's
 * kernel view and error. Narrow panes leave out the counters that cannot
 * move on that kind of socket (an accepted socket never gets OnAccept or
 * OnConnect, a client never OnAccept).
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
	size_t n = lab_rows(lab, pane), i, first, sel_i = lab_selected(lab, pane);
	char title[96], line[512], addrs[160], a[ADDR_STRLEN], steps[256];
	int inner = w - 2, wide = inner >= 72, row, k;
	/* Under the list: kernel view, addresses (when narrow), error. */
	int detail = h >= 12 ? 3 - wide : 1, rows = h - 4 - detail;
	int addr_w, used;
	int keys[4], nkeys = 0;

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
		const struct lab_result *r = &lab->result[keys[k]];

		used += snprintf(steps + used, sizeof steps - (size_t)used,
		    "%s%c %s: %s", k > 0 ? "   " : "", keys[k],
		    lab_step_def(keys[k])->name, r->pressed ? r->brief : "-");
	}
	mvaddnstr(y + 1, x, steps, inner);

	/* Columns: every counter when there is room, else those that move. */
	addr_w = inner - 3 - 1 - 11 - (wide ? 6 : pane == LAB_SEND ? 4 : 5) * 4 -
	    (wide ? 12 : 0);
	used = snprintf(line, sizeof line, "  # %-*s %-10s", addr_w,
	    pane == LAB_SEND ? "peer" : "local", "state");
	for (k = 0; k < ASOCK_NOTES; k++)
		if (wide || (k != ASOCK_ON_ACCEPT && (k != ASOCK_ON_CONNECT ||
		    pane == LAB_CLIENT)))
			used += snprintf(line + used, sizeof line - (size_t)used,
			    " %3s", heads[k]);
	if (wide)
		snprintf(line + used, sizeof line - (size_t)used, "    in   out");
	attron(A_BOLD);
	mvaddnstr(y + 2, x, line, inner);
	attroff(A_BOLD);

	first = sel_i >= (size_t)rows ? sel_i - (size_t)rows + 1 : 0;
	for (i = first, row = y + 3; i < n && row < y + 3 + rows; i++, row++) {
		p = lab_row(lab, pane, i);
		v = &p->view;
		if (pane == LAB_SEND ? v->have_peer : v->have_local)
			addr_format((const struct sockaddr *)(pane == LAB_SEND ?
			    &v->peer : &v->local), a, sizeof a);
		else
			snprintf(a, sizeof a, "-");
		used = snprintf(line, sizeof line, "%c%2u %-*.*s %-10s",
		    i == sel_i ? '>' : ' ', p->id, addr_w, addr_w, a,
		    tui_state_short(v->tcp_state));
		for (k = 0; k < ASOCK_NOTES; k++)
			if (wide || (k != ASOCK_ON_ACCEPT && (k !=
			    ASOCK_ON_CONNECT || pane == LAB_CLIENT)))
				used += snprintf(line + used, sizeof line -
				    (size_t)used, " %3lu", p->counts[k]);
		if (wide && v->tcp_state != -1)
			snprintf(line + used, sizeof line - (size_t)used,
			    " %5d %5d", v->inq, v->outq);
		if (i == sel_i)
			attron(A_REVERSE);
		mvaddnstr(row, x, line, inner);
		attroff(A_REVERSE);
	}
	if (n > (size_t)rows)
		mvprintw(y + h - 1, x + inner - 18, " %zu-%zu of %zu ", first + 1,
		    first + (size_t)rows, n);

	/*
	 * The selected socket as the kernel sees it (the addresses on a line
	 * of their own when the pane is narrow), and its last error.
	 */
	v = &sel->view;
	if (v->tcp_state == -1)
		snprintf(line, sizeof line, "no socket");
	else
		snprintf(line, sizeof line, "fd %d %s  in %d out %d %c%c%c",
		    asock_fd(sel->sock), asock_tcp_state_name(v->tcp_state),
		    v->inq, v->outq, v->readable ? 'r' : '-',
		    v->writable ? 'w' : '-', v->urgent ? 'u' : '-');
	used = (int)strlen(line);
	if (!wide)
		used = snprintf(addrs, sizeof addrs, "%s", "");
	if (v->have_local)
		used += snprintf(wide ? line + used : addrs + used,
		    (wide ? sizeof line : sizeof addrs) - (size_t)used,
		    "  L %s", addr_format((const struct sockaddr *)&v->local,
		    a, sizeof a));
	if (v->have_peer)
		snprintf(wide ? line + used : addrs + used,
		    (wide ? sizeof line : sizeof addrs) - (size_t)used,
		    "  P %s", addr_format((const struct sockaddr *)&v->peer,
		    a, sizeof a));
	attron(A_BOLD);
	mvaddnstr(y + h - 1 - detail, x, line, inner);
	attroff(A_BOLD);
	if (detail == 1)
		return;
	if (!wide)
		mvaddnstr(y + h - 3, x, addrs + 2 * (addrs[0] == ' '), inner);
	errname_describe(sel->err, line, sizeof line);
	if (sel->err != 0)
		attron(tui_pair(t, TUI_PAIR_ERR));
	mvaddnstr(y + h - 2, x, sel->err != 0 ? line : "no error", inner);
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

/* The newest transcript lines that fit rows, scrolled back by t->scroll. */
static void
tui_draw_events(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const struct lab_line *l;
	unsigned long kept, last, n;
	char stamp[32];
	int i;

	kept = lab->nlines < LAB_TRANSCRIPT ? lab->nlines : LAB_TRANSCRIPT;
	if (t->scroll + (unsigned long)rows > kept)
		t->scroll = kept > (unsigned long)rows ? kept - rows : 0;
	last = lab->nlines - t->scroll;		/* one past the newest shown */
	for (i = rows - 1, n = last; i >= 0 && n > 0; i--, n--) {
		if ((l = lab_line(lab, n - 1)) == NULL)
			break;
		mvprintw(y + i, x, "%s %.*s", lab_stamp(&l->tv, stamp,
		    sizeof stamp), width - 17, l->text);
	}
}

/*
 * The Explain text: the guide's lesson first when it is on, then the last
 * step's paragraph and its notifications'. Paragraphs are wrapped at
 * spaces, never inside a word; skip rows are scrolled past (PgDn).
 * Returns the rows the whole text needs.
 */
static int
tui_draw_explain(struct tui *t, int y, int x, int rows, int width, int skip)
{
	char para[LAB_EXPLAIN + 600], head[96], progress[32];
	const char *p, *end;
	int row = -skip, n, cut, len;

	snprintf(para, sizeof para, "%s", t->lab->explain[0] != '\0' ?
	    t->lab->explain : "Each step and notification is explained here: "
	    "what happened in the kernel, and why each counter moved or did "
	    "not.");
	/* The lesson comes last, where it always shows. */
	if (t->guide->on) {
		guide_heading(t->guide, head, sizeof head);
		guide_progress(t->guide, progress, sizeof progress);
		snprintf(para + strlen(para), sizeof para - strlen(para),
		    "\n%s (%s). %s%s%s %s", head, progress,
		    t->guide->step == 0 && !t->guide->pressed ?
		    guide_goal(t->guide) : "", t->guide->step == 0 &&
		    !t->guide->pressed ? " " : "", t->guide->done ? "" :
		    guide_say(t->guide), t->guide->msg);
	}
	for (p = para; *p != '\0'; p = *end == '\n' ? end + 1 : end) {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end) {
			while (*p == ' ' && p < end)
				p++;
			len = (int)(end - p);
			n = len;
			if (n > width) {
				for (cut = width; cut > 0 && p[cut] != ' '; cut--)
					;
				n = cut > 0 ? cut : width;
			}
			if (n == 0)
				break;
			if (row >= 0 && row < rows)
				mvaddnstr(y + row, x, p, n);
			row++;
			p += n;
		}
	}
	return row + skip;
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
	const struct lab_seg *g;
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
		mvprintw(row, x, "%c ", n == first || lab_seg(lab, n - 1)->key !=
		    g->key ? g->key : ' ');
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
	int need, skip;

	snprintf(label, sizeof label, " %s  (v: %s) ", tui_view_names[t->view],
	    tui_view_names[(t->view + 1) % TUI_VIEWS]);
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
		/*
		 * Like a log, the newest paragraph shows: what the last
		 * notification meant. PgUp goes back to the step's own.
		 */
		need = tui_draw_explain(t, y + 1, 1, 0, COLS - 2, 0);
		skip = need - (rows - 1) - t->escroll;
		if (skip < 0) {
			t->escroll += skip;	/* no further back than the top */
			if (t->escroll < 0)
				t->escroll = 0;
			skip = 0;
		}
		tui_draw_explain(t, y + 1, 1, rows - 1, COLS - 2, skip);
		if (skip > 0)
			mvaddstr(y, COLS - 12, " PgUp more ");
		else if (t->escroll > 0)
			mvaddstr(y, COLS - 12, " PgDn back ");
	} else if (t->view == TUI_VIEW_LADDER)
		tui_draw_ladder(t, y + 1, 1, rows - 1, COLS - 2);
	else
		tui_draw_events(t, y + 1, 1, rows - 1, COLS - 2);
}

/* A tall screen: Explain and the ladder side by side, Events below. */
static void
tui_draw_views(struct tui *t, int y, int rows)
{
	int top = rows >= 14 ? rows / 2 + 1 : rows, left = COLS * 3 / 5, need;

	tui_box(t, y, 0, top, left, tui_view_names[TUI_VIEW_EXPLAIN]);
	/* The newest paragraphs when they do not all fit, as on small screens. */
	need = tui_draw_explain(t, y + 1, 1, 0, left - 2, 0);
	tui_draw_explain(t, y + 1, 1, top - 2, left - 2, need > top - 2 ?
	    need - (top - 2) : 0);
	tui_box(t, y, left, top, COLS - left, "Ladder");
	tui_draw_ladder(t, y + 1, left + 1, top - 2, COLS - left - 2);
	if (rows - top >= 3) {
		tui_box(t, y + top, 0, rows - top, COLS, t->scroll > 0 ?
		    "Events (scrolled: PgDn)" : "Events");
		tui_draw_events(t, y + top + 1, 1, rows - top - 2, COLS - 2);
	}
}

static void
tui_draw_main(struct tui *t)
{
	struct lab *lab = t->lab;
	const struct lab_step_def *def;
	const struct lab_result *r;
	const struct lab_sock *c = lab_sel(lab, LAB_CLIENT);
	const struct lab_sock *s = lab_sel(lab, LAB_SEND);
	char title[300], esc[512], line[600], num[16], progress[32];
	const char *role;
	int w = COLS / 3, y, area, top;

	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		snprintf(title, sizeof title, "tcpstep -s  %s %s",
		    lab->have_server_addr ? "reachable at" : "will listen on",
		    lab->have_server_addr ? lab->reachable : t->bind_text);
		role = "server role";
		/* Server and its connections, the list as wide as it can be. */
		tui_draw_pane(t, LAB_SERVER, 1, 0, w);
		tui_draw_list(t, LAB_SEND, 1, w, tui_pane_lines(), COLS - w);
		break;
	case LAB_ROLE_CLIENT:
		snprintf(title, sizeof title, "tcpstep -c  server %s",
		    lab->resolved);
		role = "client role";
		tui_draw_pane(t, LAB_CLIENT, 1, 0, w);
		tui_draw_list(t, LAB_CLIENT, 1, w, tui_pane_lines(), COLS - w);
		break;
	default:
		snprintf(title, sizeof title, "tcpstep  server %s",
		    lab->have_server_addr ? lab->reachable : t->bind_text);
		role = "loopback lab";
		tui_draw_pane(t, LAB_SERVER, 1, 0, w);
		if (lab_rows(lab, LAB_SEND) <= 1 &&
		    lab_rows(lab, LAB_CLIENT) <= 1) {
			/* The seed's dialog: three panes side by side. */
			tui_draw_pane(t, LAB_SEND, 1, w, w);
			tui_draw_pane(t, LAB_CLIENT, 1, 2 * w, COLS - 2 * w);
			break;
		}
		/* Several: the two lists, one above the other. */
		top = tui_pane_lines() / 2 + 1;
		tui_draw_list(t, LAB_SEND, 1, w, top, COLS - w);
		tui_draw_list(t, LAB_CLIENT, 1 + top, w, tui_pane_lines() - top,
		    COLS - w);
		break;
	}
	snprintf(line, sizeof line, "%s%s%s", lab->auto_mode ? "AUTO MODE  " :
	    "", lab->edge ? "EDGE MODEL  " : "", role);
	tui_bar(t, 0, title, line);

	y = 1 + tui_pane_lines();
	/* What the selected client and connection last read, escaped. */
	line[0] = '\0';
	if (c->have_received) {
		escape_bytes(c->received, c->received_len, esc, sizeof esc);
		snprintf(line, sizeof line, "%zu bytes \"%s\"   ",
		    c->received_len, esc);
	} else if (lab_has_pane(lab, LAB_CLIENT))
		snprintf(line, sizeof line, "nothing yet   ");
	/* Which connection it was, once there are several. */
	if (lab_rows(lab, LAB_SEND) > 1)
		snprintf(num, sizeof num, " #%u", s->id);
	else
		num[0] = '\0';
	if (s->have_received) {
		escape_bytes(s->received, s->received_len, esc, sizeof esc);
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "Server-Send%s read %zu bytes \"%s\"", num,
		    s->received_len, esc);
	} else if (lab->cfg.role == LAB_ROLE_SERVER)
		snprintf(line, sizeof line, "Server-Send%s: nothing yet", num);
	attron(A_BOLD);
	mvaddstr(y, 1, "Received: ");
	attroff(A_BOLD);
	addnstr(line, COLS - 12);
	y++;

	if (lab->last_key > 0 && lab->last_key != 'r' &&
	    lab_step_def(lab->last_key) != NULL) {
		def = lab_step_def(lab->last_key);
		r = &lab->result[lab->last_key];
		snprintf(line, sizeof line, "%c %s %s: %s", lab->last_key,
		    lab_pane_name(def->pane), def->name, r->detail);
	} else if (lab->last_key == 'r')
		snprintf(line, sizeof line, "r Reset: every socket closed and "
		    "every counter zeroed; press 1 to begin again");
	else
		snprintf(line, sizeof line, "Press 1 to create the server "
		    "socket, then 2 to 7 in order, or g for a guided lesson. ? "
		    "explains every key.");
	/* The step's result always stays: one line when rows are short. */
	y += tui_wrap(y, 1, COLS - 2, LINES >= TUI_TALL ? 2 : 1, line);
	area = LINES - 1 - y;		/* rows between the result and legend */
	if (area >= TUI_VIEWS_MIN)
		tui_draw_views(t, y, area);
	else if (area > 1)
		tui_draw_view(t, y, area);

	if (t->guide->on) {
		guide_progress(t->guide, progress, sizeof progress);
		if (guide_next_key(t->guide) != 0)
			snprintf(line, sizeof line, "GUIDE: press %c  | lesson "
			    "%d/%d, %s | r again  ] next  g off",
			    guide_next_key(t->guide), t->guide->lesson + 1,
			    GUIDE_LESSONS, progress);
		else
			snprintf(line, sizeof line, "GUIDE: %s | lesson %d/%d, "
			    "%s | r again  ] next  g off", t->guide->done ?
			    "done" : "waiting", t->guide->lesson + 1,
			    GUIDE_LESSONS, progress);
		tui_bar(t, LINES - 1, line, NULL);
	} else
		tui_bar(t, LINES - 1, lab->cfg.role == LAB_ROLE_SERVER ?
		    "1 2 5 6 9 steps  XHZUOFD Server-Send  b all  L  Up/Dn  "
		    "a auto  g guide  ? help  q" : lab->cfg.role ==
		    LAB_ROLE_CLIENT ? "3 4 7 8 steps  xhzuofd Client  n new  "
		    "Tab pick  a auto  v view  ? help  q" : "1-9 step  xhzufd "
		    "Client  XHZUFD Server-Send  v view  g guide  ? help  q",
		    NULL);
}

static void
tui_draw_help(struct tui *t)
{
	static const char *notes[] = {
"Notifications mean \"now you can\", not \"it happened\"",
"",
"  OnAccept         a connection waits in the listen queue: accept it.",
"                   Again after each accept, at once if more wait.",
"  OnConnect        your connect finished, with 0 or its error. Once.",
"  OnSend           you may send: once when connected, then only after a",
"                   send failed with EAGAIN and room came free.",
"  OnReceive        bytes wait: recv them. Again after each recv, at once",
"                   if bytes remain.",
"  OnOutOfBandData  an urgent byte waits: recv it with MSG_OOB, which",
"                   enables this notification again.",
"  OnClose          the peer closed: 0 graceful (once everything queued",
"                   was read), ECONNRESET abortive. Once per connection.",
"",
"Counters move when the event loop delivers a notification, never when you",
"press a key. The kernel lines of each pane show the level-triggered truth:",
"TCP state, local (L) and peer (P) address, bytes queued in and out, and",
"whether the socket is readable, writable or has urgent data (r w u).",
"Errors show the Linux name, number and text, and the Winsock code the same",
"error has on Windows (EAGAIN is WSAEWOULDBLOCK 10035).",
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
		mvaddstr(row++, 1, t->help == 1 ? "Steps: the seed's seven, "
		    "and the way back" : "More steps (lower case: Client, "
		    "shifted: Server-Send)");
		attroff(A_BOLD);
		row++;
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
		tui_wrap(LINES / 2 + 1, 1, COLS - 2, 1, "q quits");
	} else if (t->errors)
		tui_draw_errors(t);
	else if (t->help)
		tui_draw_help(t);
	else
		tui_draw_main(t);
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
 * Keys are waiting, or the terminal went away. Drain every key curses can
 * give us: libevent will not wake us for bytes curses has already buffered.
 */
static void
tui_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tui *t = arg;
	int ch, avail = 0;

	(void)what;
	/* Readable with nothing to read is end of file or a hung-up tty. */
	if (ioctl(fd, FIONREAD, &avail) == -1 || avail == 0) {
		t->quit = 1;
		t->status = 1;
		return;
	}
	while ((ch = getch()) != ERR && !t->quit)
		tui_key(t, ch);
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

static int
tui_start(struct tui *t)
{
	static const int sigs[] = { SIGWINCH, SIGHUP, SIGTERM, SIGINT };
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
		fprintf(stderr, "tcpstep: cannot use terminal type '%s'; try "
		    "TERM=xterm-256color\n", term != NULL ? term : "");
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
	if ((t.frame = evtimer_new(t.base, tui_frame_cb, &t)) == NULL) {
		tui_stop(&t);
		return 1;
	}
	while (!t.quit) {
		if (t.dirty && !evtimer_pending(t.frame, NULL))
			tui_frame(&t);
		/* One loop turn: sleep until something happens, run it all. */
		if (event_base_loop(t.base, EVLOOP_ONCE) == -1)
			break;
	}
	event_free(t.frame);
	lab->changed = NULL;
	tui_stop(&t);
	if (t.status == 1)
		fprintf(stderr, "tcpstep: the terminal went away\n");
	return t.status;
}
