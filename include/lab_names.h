/*
 * lab_names.h - server role's class view: the reverse name (PTR) of each
 * connection's peer, asked of evdns when the row is accepted, without
 * blocking the loop (src/lab_names.c). A row keeps the answer as escaped
 * text: the name server's bytes never reach a terminal raw.
 */
#ifndef TCPSTEP_LAB_NAMES_H
#define TCPSTEP_LAB_NAMES_H

/* A name as kept, escaped and NUL-terminated; longer ones end in "...". */
#define LAB_NAME_MAX		48
/* Questions out at once (evdns's max-inflight); the rest wait in evdns. */
#define LAB_NAMES_INFLIGHT	4
/* Seconds evdns waits for an answer, and how often it asks. */
#define LAB_NAMES_TIMEOUT	"2"
#define LAB_NAMES_ATTEMPTS	"2"

struct evdns_request;
struct lab;
struct lab_sock;

enum lab_name_state {
	LAB_NAME_UNASKED,	/* all in one, loopback peer, or no resolver */
	LAB_NAME_ASKING,	/* asked, or waiting in evdns's queue */
	LAB_NAME_FOUND,		/* text holds the name */
	LAB_NAME_NONE		/* no name, or no answer in time */
};

/* What a row knows of its peer's name. */
struct lab_name {
	unsigned char	 state;		/* enum lab_name_state */
	unsigned long	 ticket;	/* the question's, to match the answer */
	struct evdns_request *req;	/* to cancel it; NULL once answered */
	char		 text[LAB_NAME_MAX];
};

/* Server role: the resolver the names are asked of; -1 if none. */
int	 lab_names_init(struct lab *lab);
/* A row was accepted: ask for its peer's name (not for loopback). */
void	 lab_names_ask(struct lab *lab, struct lab_sock *p);
/* The row goes: its question, if still out, is cancelled. */
void	 lab_names_cancel(struct lab_sock *p);
/*
 * The lab goes: forget every question without cancelling it (freeing the
 * resolver drops them, and no answer is delivered after that).
 */
void	 lab_names_free(struct lab *lab);
/* The row's peer's name, escaped; NULL while not known. */
const char *lab_name_of(const struct lab_sock *p);

#endif
