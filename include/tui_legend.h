/*
 * tui_legend.h - the legend line (src/tui_legend.c), for the main screen.
 */
#ifndef TCPSTEP_TUI_LEGEND_H
#define TCPSTEP_TUI_LEGEND_H

#include <stddef.h>

struct tui;

/* The legend for t's lab and guide now, into buf; it fits the line. */
void	tui_legend(struct tui *t, char *buf, size_t len);

#endif
