/*
 * lab_resolve.h - client role's name resolution (src/lab_resolve.c): the
 * server's name, asked of evdns without blocking the screen, and what its
 * errors are called and mean.
 */
#ifndef TCPSTEP_LAB_RESOLVE_H
#define TCPSTEP_LAB_RESOLVE_H

#include <stddef.h>

#include "lab.h"

/* Make the lab's resolver and ask it for cfg.host; -1 if it cannot be. */
int	 lab_resolve_init(struct lab *lab);
/* The resolver alone, asked nothing yet (server role); -1 if none. */
int	 lab_resolve_base(struct lab *lab);
/* Cancel what is asked and free the resolver (safe without one). */
void	 lab_resolve_free(struct lab *lab);
/* Ask for cfg.host again; the answer comes through the event loop. */
void	 lab_resolve_start(struct lab *lab);
/* "EAI_NONAME" for EVUTIL_EAI_NONAME. */
const char *lab_resolve_eai_name(int err);
/* What err means in a lab and what to press; buf may hold the words. */
const char *lab_resolve_eai_meaning(const struct lab *lab, int err,
	     char *buf, size_t len);

#endif
