/* tui.h - the ncurses front end: the panes, the views under them, the keys. */
#ifndef TCPSTEP_TUI_H
#define TCPSTEP_TUI_H

struct guide;
struct lab;

/*
 * Run the screen until q, a lost terminal or a terminating signal. Returns
 * the exit status: 0 after q, 1 when the terminal went away or could not be
 * set up (a message is printed after the screen is restored), 128+N after
 * signal N. mouse: clicks press steps and the wheel scrolls (--no-mouse
 * clears it).
 */
int	tui_run(struct lab *lab, struct guide *guide, const char *bind_text,
	    int ascii, int mouse);

#endif
