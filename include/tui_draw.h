/*
 * tui_draw.h - the screen's state, and the pieces the screen is drawn with.
 *
 * The ncurses front end is these files, kept apart the way tmux keeps
 * server-client.c (the loop, input) from screen-redraw.c (drawing):
 *
 *   tui.c         the loop: terminal set-up and restore, signals, keys read
 *                 and queued, each step settled, frames timed;
 *   tui_screen.c  what each screen shows and where: the main screen's
 *                 layout and the views under its panes, help, the pages;
 *   tui_ladder.c  the ladder and the Wire view: segments as arrows;
 *   tui_draw.c    the pieces: boxes, bars, wrapped text, panes and lists.
 *
 * struct tui is what the two sides share. The loop and the key handlers
 * write it; the drawing reads it, and only ever clamps a scroll position
 * to what fits on screen.
 */
#ifndef TCPSTEP_TUI_DRAW_H
#define TCPSTEP_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <sys/time.h>

#include "lab.h"

struct bind;
struct event;
struct event_base;
struct guide;

/* The smallest screen that shows the panes; smaller says so and waits. */
#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
/*
 * From this many lines the panes show their error rows and the views
 * under them get more room (see tui_draw_pane_lines).
 */
#define TUI_TALL	30
/* Keys typed ahead of a settling step; more stay in the terminal. */
#define TUI_QUEUE	64
/* Pages of the help screen (? and Space turn them). */
#define TUI_HELP_PAGES	4
/* Places a click presses a key on: the step lines and list rows drawn. */
#define TUI_HITS	64

/*
 * The screen's columns (and a few rows), named in one place. Each is what
 * one part of a line takes, so the room left for the rest reads as a
 * subtraction of names. The numbers are the ones the screen has always
 * used: changing one changes the screen.
 */
enum {
	/*
	 * Every screen: text lines start after a free column and end before
	 * one; a box's side is one column.
	 */
	TUI_MARGIN = 1,
	TUI_BORDER = 1,
	/*
	 * Bars (the title and the legend line): TUI_MARGIN at either end,
	 * TUI_BAR_GAP between the left part and the right one, and between the
	 * legend's items. The right part (the modes) shows only while the left
	 * keeps more than TUI_BAR_KEEP columns.
	 */
	TUI_BAR_GAP = 2,
	TUI_BAR_KEEP = 8,
	/* Rows under the title for a server address too long for the bar. */
	TUI_TITLE_ROWS = 3,
	/*
	 * A rule over a view: its label after two rule characters, and as many
	 * kept at the right end.
	 */
	TUI_RULE_INDENT = 2,

	/* A pane: its side and a space either side of the text. */
	TUI_PANE_PAD = 2,
	/* Rows for the steps: three of the seven, then the last other one. */
	TUI_PANE_STEP_ROWS = 4,
	/*
	 * A step line, "4 Connect OK": the key and a space, the name padded to
	 * TUI_STEP_NAME_W, then the result; TUI_STEP_HEAD is what the line
	 * keeps from the result (the key, the name, one column free at the
	 * end).
	 */
	TUI_STEP_NAME_W = 8,
	TUI_STEP_HEAD = 11,
	/* A counter's name, "OnOutOfBandData" and a space. */
	TUI_NOTE_NAME_W = 16,
	/* "L " and "P " before an address. */
	TUI_ADDR_TAG_W = 2,
	/* The readiness flags, "rwu". */
	TUI_RWU_W = 3,
	/* The longest TCP state name, ESTABLISHED. */
	TUI_STATE_W = 11,

	/*
	 * A list (tui_draw_list). From TUI_LIST_WIDE columns inside its borders
	 * a list shows every counter, in and out, and the addresses on the
	 * kernel line. Each row: the marker ('>' on the selected row), the id
	 * (at least TUI_LIST_ID_W), the address, the state, the counters
	 * (TUI_LIST_COUNT_W, or TUI_LIST_COUNT_BIG from 1000) and, wide, in and
	 * out (TUI_LIST_QUEUE_W); a space before each column but the first. The
	 * address takes what is left.
	 */
	TUI_LIST_WIDE = 72,
	TUI_LIST_MARK_W = 1,
	TUI_LIST_ID_W = 2,
	TUI_LIST_COUNT_W = 3,
	TUI_LIST_COUNT_BIG = 4,
	TUI_LIST_QUEUE_W = 5,
	TUI_LIST_NAME_MIN = 12,	/* -s: a name column only this wide or more */
	/*
	 * From this height a list has rows under it for the selected socket
	 * (kernel line, addresses when narrow, error), else the kernel line
	 * only. Besides those and its rows, a list takes its two borders, its
	 * steps line and its heading: TUI_LIST_FRAME rows.
	 */
	TUI_LIST_TALL = 12,
	TUI_LIST_FRAME = 4,

	/* The Events: a line's time stamp and a space; the text after it. */
	TUI_STAMP_W = 16,
	/*
	 * The ladder: the key of a step and a space left of the client's rail.
	 * Its heading, "Client segs out/in 5/4 ... 3/4 Server-Send", has 31
	 * columns of words and keeps 3 free: TUI_LADDER_HEAD_W in all but the
	 * two counts. It has a row of its own from TUI_LADDER_COUNTS_ROWS rows;
	 * fewer, the counts go in the rule.
	 */
	TUI_LADDER_KEY_W = 2,
	TUI_LADDER_HEAD_W = 34,
	TUI_LADDER_COUNTS_ROWS = 5,
	/*
	 * The Wire view (captured segments): each row is the cause of its
	 * group (the key, or "client OnReceive", at most TUI_WIRE_CAUSE_W
	 * and never more than a fifth of the row) and a space, the arrow
	 * between the rails, then a space, the mark (= ! + -) and the time
	 * since the cause, right-aligned in TUI_WIRE_TIME_W ("+999.9ms").
	 * Narrower than TUI_WIRE_ARROW_ROOM, the arrow gives its words way
	 * first (whole), the time column shrinks to the longest time shown,
	 * and below TUI_WIRE_ARROW_MIN columns (room for "ACK") the time goes.
	 * On tall screens the ladder box sets the expected segments beside
	 * the captured ones once it is TUI_WIRE_PAIR_W wide inside its
	 * borders (the box widens to that much while Explain keeps at least
	 * TUI_EXPLAIN_MIN_FIFTHS of the width), the expected part taking
	 * TUI_WIRE_EXPECTED_W of it and a gap of TUI_WIRE_GAP.
	 */
	TUI_WIRE_CAUSE_W = 16,
	TUI_WIRE_TIME_W = 8,
	TUI_WIRE_ARROW_MIN = 7,
	TUI_WIRE_ARROW_ROOM = 40,
	TUI_WIRE_PAIR_W = 64,
	TUI_WIRE_EXPECTED_W = 24,
	TUI_WIRE_GAP = 1,
	TUI_EXPLAIN_MIN_FIFTHS = 2,
	/*
	 * Under the panes on tall screens: the Explain box takes these fifths
	 * of the width, the ladder the rest; from TUI_VIEWS_SPLIT rows the
	 * Events get a box below them.
	 */
	TUI_EXPLAIN_FIFTHS = 3,
	TUI_VIEWS_SPLIT = 14,
	/*
	 * Received: between the client's part and Server-Send's; on the E page,
	 * where it wraps, the width it is given at least.
	 */
	TUI_RECEIVED_GAP = 3,
	TUI_RECEIVED_PAGE = 600,
	/*
	 * Rows of the main screen: the step's result and the lesson each get
	 * what they need up to TUI_RESULT_ROWS (TUI_RESULT_ROWS_TALL from
	 * TUI_TALL lines); a view keeps at least TUI_VIEW_ROWS_MIN (a rule and
	 * a line), the ladder and the Wire view TUI_LADDER_ROWS_MIN (the
	 * handshake's three rows under the rule), and from TUI_VIEWS_MIN rows under the panes the
	 * views get boxes side by side.
	 */
	TUI_RESULT_ROWS = 2,
	TUI_RESULT_ROWS_TALL = 3,
	TUI_VIEW_ROWS_MIN = 2,
	TUI_LADDER_ROWS_MIN = 4,
	TUI_VIEWS_MIN = 8,

	/*
	 * Help: a step's line, "  1  Server      Create   Create(): ...", keeps
	 * TUI_HELP_STEP_W columns from its text (the margin, the key, the
	 * pane's name in 11, the step's in 8, the spaces, and two free at the
	 * end); a key's line, "  PgUp/PgDn scroll ...", keeps TUI_HELP_KEY_W
	 * (the margin, the key's name in 9, the spaces, and one free at the
	 * end).
	 */
	TUI_HELP_STEP_W = 29,
	TUI_HELP_KEY_W = 14,
};

/* A line of text across the screen, inside the margins. */
#define TUI_LINE_W	(COLS - 2 * TUI_MARGIN)

/* What the area under the panes shows when it can hold only one thing. */
enum {
	TUI_VIEW_EXPLAIN, TUI_VIEW_LADDER, TUI_VIEW_WIRE, TUI_VIEW_EVENTS,
	TUI_VIEWS
};

enum { TUI_PAIR_OK = 1, TUI_PAIR_ERR, TUI_PAIR_TITLE };

/*
 * A place on the screen as last drawn that a click presses a key on: w
 * columns from x on row y, and the step's key from the binding table (a
 * character). A list row has key 0 and row, the list's row: a click
 * there selects it.
 */
struct tui_hit {
	int		 y, x, w;
	int		 key;
	enum lab_pane	 pane;
	size_t		 row;
};

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
	int		 one_view;	/* the main screen shows one (v turns) */
	unsigned long	 scroll;	/* Events lines scrolled back */
	unsigned long	 wscroll;	/* Wire rows scrolled back */
	unsigned long	 wseen;		/* Wire rows ever, when last drawn */
	unsigned long	 wpage;		/* Wire rows shown: PgUp's step */
	int		 erows, ewidth;	/* the Events' place, as laid out last */
	int		 escroll;	/* Explain rows scrolled down */
	int		 exrows;	/* Explain's rows, as drawn last */
	int		 pscroll;	/* E page rows scrolled down */
	int		 in_seq;	/* '[' or 'O': dropping an escape sequence */
					/* ('M': an X10 mouse report) */
	int		 in_raw;	/* 'M': its bytes left to drop; '[': -1
					   until a byte follows the [ */
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
	/* g, [ or ]: its y/n question shows; NULL: none. */
	const struct bind *asking;
	char		 notice[96];	/* a line shown in place of the legend */
	int		 ignored;	/* too small: the key that did nothing */
	int		 mouse;		/* the terminal reports clicks */
	struct tui_hit	 hits[TUI_HITS];	/* the last frame's */
	size_t		 nhits;
	struct tui_hit	 pressed;	/* where button 1 went down */
	int		 have_pressed;
};

/* A box with a title in its top border. */
void	tui_draw_box(struct tui *t, int y, int x, int h, int w,
	    const char *title);
/* The columns a bar leaves its left part beside right (may be NULL). */
int	tui_draw_bar_room(const char *right);
/* A reverse-video bar across the screen: left text, right text (modes). */
void	tui_draw_bar(struct tui *t, int y, const char *left,
	    const char *right);
/* Display columns of a UTF-8 string. */
int	tui_draw_cols(const char *s);
/*
 * Word-wrapped text, skip rows left out and at most rows drawn, the last
 * ending with more when text is left over; returns the rows it needs
 * (rows 0 only measures).
 */
int	tui_draw_text(int y, int x, int width, int skip, int rows,
	    const char *text, const char *more);
/* Word-wrapped text in at most lines rows; returns the rows used. */
int	tui_draw_wrap(int y, int x, int width, int lines, const char *text);
/* "... [E]": marks text shortened on purpose and names the key for it. */
const char *tui_draw_more(struct tui *t, const char *key, char *buf,
	    size_t len);
/*
 * Note a place a click presses key on (a step line), or, key 0, selects
 * row of pane's list; forgotten when the next frame starts.
 */
void	tui_draw_hit(struct tui *t, int y, int x, int w, int key,
	    enum lab_pane pane, size_t row);
/* The panes' height, borders included: shorter on short screens. */
int	tui_draw_pane_lines(void);
/* One socket's pane: its steps, counters, kernel view and error. */
void	tui_draw_pane(struct tui *t, enum lab_pane pane, int y, int x, int w);
/* A pane of several sockets: one row each, the selected one in detail. */
void	tui_draw_list(struct tui *t, enum lab_pane pane, int y, int x, int h,
	    int w);

#endif
