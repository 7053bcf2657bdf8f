/*
 * tui_draw.h - the screen's state, and the pieces the screen is drawn with.
 *
 * The ncurses front end is three files, kept apart the way tmux keeps
 * server-client.c (the loop, input) from screen-redraw.c (drawing):
 *
 *   tui.c         the loop: terminal set-up and restore, signals, keys read
 *                 and queued, each step settled, frames timed;
 *   tui_screen.c  what each screen shows and where: the main screen's
 *                 layout and the views under its panes, help, the pages;
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
#define TUI_HELP_PAGES	3

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

/*
 * The screen's own keys (tui.c): the key handlers run from this table and
 * the help screen lists it, so the two cannot drift apart.
 */
struct tui_key {
	int		 key;
	const char	*name;
	const char	*help;
	void		 (*fn)(struct tui *, int);
	int		 page;		/* the help page that lists it */
};
extern const struct tui_key tui_keys[];
extern const size_t tui_nkeys;

/* A box with a title in its top border. */
void	tui_draw_box(struct tui *t, int y, int x, int h, int w,
	    const char *title);
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
/* The panes' height, borders included: shorter on short screens. */
int	tui_draw_pane_lines(void);
/* One socket's pane: its steps, counters, kernel view and error. */
void	tui_draw_pane(struct tui *t, enum lab_pane pane, int y, int x, int w);
/* A pane of several sockets: one row each, the selected one in detail. */
void	tui_draw_list(struct tui *t, enum lab_pane pane, int y, int x, int h,
	    int w);

#endif
