/*
 * tui_screen.h - the ncurses front end's drawing, as the loop (tui.c)
 * calls it: one whole screen, once a frame.
 */
#ifndef TCPSTEP_TUI_SCREEN_H
#define TCPSTEP_TUI_SCREEN_H

struct tui;

/*
 * Draw the screen the state asks for (the main screen, help, a page, or
 * the request for a larger terminal) from the lab as it is now.
 */
void	tui_screen_draw(struct tui *t);
/* Lines PgDn (down) or PgUp moves the Events, from the scroll of now. */
unsigned long	tui_screen_events_page(struct tui *t, int down);

#endif
