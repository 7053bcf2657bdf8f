/*
 * tui_ladder.h - the ladder and the Wire view (src/tui_ladder.c), as the
 * screen's layout (tui_screen.c) places them under the panes.
 */
#ifndef TCPSTEP_TUI_LADDER_H
#define TCPSTEP_TUI_LADDER_H

#include <stddef.h>

struct lab_sock;
struct tui;

/* "5/4": p's segments out and in from TCP_INFO, "-" without a socket. */
void	tui_ladder_segs(const struct lab_sock *p, char *buf, size_t len);
/* The expected segments of the latest steps, in rows from (y, x). */
void	tui_ladder_draw(struct tui *t, int y, int x, int rows, int width);
/*
 * The captured segments, newest at the bottom, scrolled back by
 * t->wscroll; with pair, the expected segment beside each; with head, a
 * line over them names the rails and the marks (when no rule does).
 */
void	tui_ladder_wire(struct tui *t, int y, int x, int rows, int width,
	    int pair, int head);

#endif
