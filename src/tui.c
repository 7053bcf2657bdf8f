/*
 * tui.c - the ncurses front end.
 *
 * Laid out like tmux's loop: key presses, socket notifications and signals
 * only change the model and set a redraw flag; one place draws, once per
 * loop turn. With nothing happening the process sleeps in epoll_wait and
 * makes no system calls at all: there are no timers.
 *
 * Keys go through one table (as in htop's Action_setBindings), so the
 * legend, the help screen and the handlers cannot drift apart.
 */
#include <curses.h>
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
#include "lab.h"
#include "tui.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_PANE_LINES	18	/* borders included */

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
	int		 help;		/* the help screen is up */
	int		 quit;
	int		 status;	/* exit status once quit is set */
};

static void tui_key_step(struct tui *, int);
static void tui_key_help(struct tui *, int);
static void tui_key_quit(struct tui *, int);
static void tui_key_repaint(struct tui *, int);

/* Every key tcpstep knows; the help screen is written from the same words. */
static const struct tui_key {
	int	 key;
	void	 (*fn)(struct tui *, int);
} tui_keys[] = {
	{ '1', tui_key_step }, { '2', tui_key_step }, { '3', tui_key_step },
	{ '4', tui_key_step }, { '5', tui_key_step }, { '6', tui_key_step },
	{ '7', tui_key_step }, { 'r', tui_key_step },
	{ '?', tui_key_help }, { KEY_F(1), tui_key_help },
	{ 'q', tui_key_quit }, { KEY_F(10), tui_key_quit },
	{ 'L' & 0x1f, tui_key_repaint },
};

static void
tui_key_step(struct tui *t, int key)
{
	lab_step(t->lab, key);
}

static void
tui_key_help(struct tui *t, int key)
{
	(void)key;
	t->help = !t->help;
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
	clearok(curscr, TRUE);
	(void)t;
}

static void
tui_key(struct tui *t, int key)
{
	size_t i;

	t->dirty = 1;
	if (t->help && key != 'q' && key != KEY_F(10)) {
		t->help = 0;	/* any other key leaves the help screen */
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

static const char *
tui_state_text(const struct asock *s)
{
	if (s == NULL)
		return "no socket";
	switch (asock_state(s)) {
	case ASOCK_CREATED:	return "created";
	case ASOCK_LISTENING:	return "listening";
	case ASOCK_CONNECTING:	return "connecting";
	case ASOCK_CONNECTED:	return "connected";
	case ASOCK_PEER_CLOSED:	return "peer closed";
	default:		return "closed";
	}
}

static void
tui_draw_pane(struct tui *t, enum lab_pane pane, int y, int x, int w)
{
	const struct lab_pane_state *p = &t->lab->pane[pane];
	const struct lab_step_def *def;
	const struct lab_result *r;
	char buf[256];
	int key, row = y + 1, n, inner = w - 4;
	attr_t a;

	tui_box(t, y, x, TUI_PANE_LINES, w, lab_pane_name(pane));
	x += 2;
	for (key = '1'; key <= '7'; key++) {
		def = lab_step_def(key);
		if (def->pane != pane)
			continue;
		r = &t->lab->result[key - '0'];
		/* The marker, not colour alone, says which step ran last. */
		mvprintw(row, x - 1, "%c%c %-8s", t->lab->last_key == key ?
		    '>' : ' ', key, def->name);
		a = !r->pressed ? A_DIM : r->ok ? tui_pair(t, TUI_PAIR_OK) :
		    tui_pair(t, TUI_PAIR_ERR) | A_BOLD;
		attron(a);
		addnstr(r->pressed ? r->brief : "-", inner - 11);
		attroff(a);
		row++;
	}
	row = y + 5;
	for (n = 0; n < ASOCK_NOTES; n++)
		mvprintw(row++, x, "%-16s%*lu", asock_note_name(n), inner - 16,
		    p->counts[n]);
	if (p->sock != NULL && asock_fd(p->sock) != -1)
		snprintf(buf, sizeof buf, "fd %d: %s", asock_fd(p->sock),
		    tui_state_text(p->sock));
	else
		snprintf(buf, sizeof buf, "no socket");
	mvaddnstr(row++, x, buf, inner);
	mvaddstr(row++, x, "Last error:");
	errname_describe(p->err, buf, sizeof buf);
	if (p->err != 0)
		attron(tui_pair(t, TUI_PAIR_ERR));
	tui_wrap(row, x, inner, y + TUI_PANE_LINES - 1 - row, buf);
	attroff(tui_pair(t, TUI_PAIR_ERR));
}

static void
tui_bar(struct tui *t, int y, const char *left, const char *right)
{
	attron(A_REVERSE | tui_pair(t, TUI_PAIR_TITLE));
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 1, left, COLS - 2);
	if (right != NULL && (int)(strlen(left) + strlen(right)) + 4 < COLS)
		mvaddstr(y, COLS - 1 - (int)strlen(right), right);
	attroff(A_REVERSE | tui_pair(t, TUI_PAIR_TITLE));
}

static void
tui_draw_main(struct tui *t)
{
	struct lab *lab = t->lab;
	const struct lab_step_def *def;
	const struct lab_result *r;
	char title[128], a[ADDR_STRLEN], esc[512], line[600];
	int w = COLS / 3, y;

	if (lab->have_server_addr)
		snprintf(title, sizeof title, "tcpstep  server %s",
		    addr_format((struct sockaddr *)&lab->server_addr, a,
		    sizeof a));
	else
		snprintf(title, sizeof title, "tcpstep  server %s",
		    t->bind_text);
	tui_bar(t, 0, title, "loopback lab");

	tui_draw_pane(t, LAB_SERVER, 1, 0, w);
	tui_draw_pane(t, LAB_SEND, 1, w, w);
	tui_draw_pane(t, LAB_CLIENT, 1, 2 * w, COLS - 2 * w);

	y = 1 + TUI_PANE_LINES;
	if (lab->have_received) {
		escape_bytes(lab->received, lab->received_len, esc, sizeof esc);
		snprintf(line, sizeof line, "%zu bytes \"%s\"",
		    lab->received_len, esc);
	} else
		snprintf(line, sizeof line, "nothing yet");
	attron(A_BOLD);
	mvaddstr(y, 1, "Received: ");
	attroff(A_BOLD);
	addnstr(line, COLS - 12);

	if (lab->last_key >= '1' && lab->last_key <= '7') {
		def = lab_step_def(lab->last_key);
		r = &lab->result[lab->last_key - '0'];
		snprintf(line, sizeof line, "%c %s %s: %s", lab->last_key,
		    lab_pane_name(def->pane), def->name, r->detail);
	} else if (lab->last_key == 'r')
		snprintf(line, sizeof line, "r Reset: every socket closed and "
		    "every counter zeroed; press 1 to begin again");
	else
		snprintf(line, sizeof line, "Press 1 to create the server "
		    "socket, then 2 to 7 in order. ? explains every key and "
		    "what each notification means.");
	tui_wrap(y + 1, 1, COLS - 2, LINES - y - 2, line);

	tui_bar(t, LINES - 1, "1-7 step  r reset  ? help  q quit",
	    "^L repaint");
}

static void
tui_draw_help(struct tui *t)
{
	static const char *lines[] = {
"Keys",
"  1  Server Create    socket() + bind(): the server gets its address",
"  2  Server Listen    listen(): the kernel starts queueing connections",
"  3  Client Create    socket() + bind() to a port the kernel picks",
"  4  Client Connect   connect(): the handshake runs inside the kernel",
"  5  Server Accept    accept(): a queued connection becomes Server-Send",
"  6  Server-Send Send send() the time, one 13-byte record",
"  7  Client Receive   recv() what waits in the client's receive queue",
"  r  reset all   ? F1 this help   Ctrl-L repaint   q F10 quit",
"",
"Notifications mean \"now you can\", not \"it happened\"",
"  OnAccept         a connection waits: accept it (again after each accept)",
"  OnConnect        your connect finished, with 0 or its error (once)",
"  OnSend           you may send (once connected; again only after EAGAIN)",
"  OnReceive        bytes wait: recv them (again after a recv that left some)",
"  OnOutOfBandData  an urgent byte waits: recv it with MSG_OOB",
"  OnClose          the peer closed: 0 graceful, ECONNRESET abortive (once)",
"",
"Counters move when the event loop delivers a notification, never when you",
"press a key. Errors show the Linux name, number and text, and the Winsock",
"code the same error has on Windows (EAGAIN is WSAEWOULDBLOCK 10035).",
	};
	size_t i;

	tui_bar(t, 0, "tcpstep help", "any key returns");
	for (i = 0; i < sizeof lines / sizeof lines[0] &&
	    (int)i + 1 < LINES - 1; i++) {
		if (lines[i][0] != ' ' && lines[i][0] != '\0')
			attron(A_BOLD);
		mvaddnstr((int)i + 1, 1, lines[i], COLS - 2);
		attroff(A_BOLD);
	}
	tui_bar(t, LINES - 1, "any key returns  q quit", NULL);
}

static void
tui_draw(struct tui *t)
{
	char msg[128];

	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		snprintf(msg, sizeof msg, "terminal too small - need %dx%d, "
		    "now %dx%d", TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
		tui_wrap(LINES / 2 - 1, 1, COLS - 2, 2, msg);
		tui_wrap(LINES / 2 + 1, 1, COLS - 2, 1, "q quits");
	} else if (t->help)
		tui_draw_help(t);
	else
		tui_draw_main(t);
	refresh();
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
	if (t->screen != NULL) {
		endwin();
		delscreen(t->screen);
	}
}

int
tui_run(struct lab *lab, const char *bind_text, int ascii)
{
	struct tui t;

	memset(&t, 0, sizeof t);
	t.lab = lab;
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
	while (!t.quit) {
		if (t.dirty) {
			tui_draw(&t);
			t.dirty = 0;
		}
		/* One loop turn: sleep until something happens, run it all. */
		if (event_base_loop(t.base, EVLOOP_ONCE) == -1)
			break;
	}
	lab->changed = NULL;
	tui_stop(&t);
	if (t.status == 1)
		fprintf(stderr, "tcpstep: the terminal went away\n");
	return t.status;
}
