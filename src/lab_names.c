/*
 * lab_names.c - server role's class view: who is at the other end of each
 * Server-Send row, by reverse name (PTR), so an instructor sees which
 * students have connected. evdns asks the name servers through the lab's
 * own event loop, so nothing waits for them; evdns's max-inflight keeps a
 * class connecting at once from sending a question per student at once
 * (the rest wait in its queue), and its timeout leaves the address alone
 * when no name server answers. The answer is a name server's bytes: it is
 * escaped and cut before a row keeps it.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/dns.h>

#include "addr.h"
#include "escape.h"
#include "lab.h"
#include "lab_core.h"
#include "lab_names.h"
#include "lab_resolve.h"

/*
 * The lab whose rows the answers belong to. An answer may come after its
 * row went (evdns delivers a cancelled or already-answered question's
 * callback on a later loop turn), so the callback's argument is the
 * question's ticket, never a pointer to the row: it looks the row up and
 * finds none when the row, or the lab, is gone.
 */
static struct lab *lab_names_owner;
/* Tickets, never reused: 0 is none. */
static unsigned long lab_names_tickets;

/* evdns takes its options as strings: "4" for 4. */
#define LAB_NAMES_STR(x)	LAB_NAMES_STR2(x)
#define LAB_NAMES_STR2(x)	#x

/* The row asking under ticket t; NULL once it went. */
static struct lab_sock *
lab_names_row(struct lab *lab, unsigned long t)
{
	size_t i;

	for (i = 0; i < lab->nconns; i++)
		if (lab->conns[i]->name.state == LAB_NAME_ASKING &&
		    lab->conns[i]->name.ticket == t)
			return lab->conns[i];
	return NULL;
}

/*
 * Keep name as the row shows it: every byte but printable ASCII escaped
 * (escape.c), the space too, so that batch's name=... stays one word; cut
 * to LAB_NAME_MAX with "..." at the end.
 */
static void
lab_names_keep(struct lab_name *n, const char *name)
{
	static const char cut[] = "...";
	size_t len = strlen(name), i, used = 0, k;
	char one[8];

	for (i = 0; i < len; i++) {
		if (name[i] == ' ')
			snprintf(one, sizeof one, "\\x20");
		else
			escape_bytes(name + i, 1, one, sizeof one);
		k = strlen(one);
		if (used + k >= sizeof n->text - (sizeof cut - 1))
			break;
		memcpy(n->text + used, one, k);
		used += k;
	}
	n->text[used] = '\0';
	if (i < len)
		memcpy(n->text + used, cut, sizeof cut);
}

/* evdns's answer for one row: its name, or none. */
static void
lab_names_cb(int result, char type, int count, int ttl, void *addrs,
    void *arg)
{
	struct lab *lab = lab_names_owner;
	struct lab_sock *p;
	char a[ADDR_STRLEN];

	(void)ttl;
	if (lab == NULL || result == DNS_ERR_CANCEL ||
	    (p = lab_names_row(lab, (unsigned long)(uintptr_t)arg)) == NULL)
		return;		/* the row, or the lab, went */
	p->name.req = NULL;
	addr_format((const struct sockaddr *)&p->named, a, sizeof a);
	if (result == DNS_ERR_NONE && type == DNS_PTR && count > 0 &&
	    ((char **)addrs)[0] != NULL) {
		p->name.state = LAB_NAME_FOUND;
		lab_names_keep(&p->name, ((char **)addrs)[0]);
		lab_say_line(lab, "resolver    Server-Send #%u: %s is %s", p->id,
		    a, p->name.text);
	} else {
		p->name.state = LAB_NAME_NONE;
		lab_say_line(lab, "resolver    Server-Send #%u: %s has no "
		    "name: %s", p->id, a, result == DNS_ERR_NONE ?
		    "no PTR record" : evdns_err_to_string(result));
	}
	lab_changed(lab);
}

int
lab_names_init(struct lab *lab)
{
	if (lab_resolve_base(lab) == -1)
		return -1;
	lab_names_owner = lab;
	evdns_base_set_option(lab->dns, "max-inflight:",
	    LAB_NAMES_STR(LAB_NAMES_INFLIGHT));
	evdns_base_set_option(lab->dns, "timeout:", LAB_NAMES_TIMEOUT);
	evdns_base_set_option(lab->dns, "attempts:", LAB_NAMES_ATTEMPTS);
	return 0;
}

/*
 * The question for the row's peer, an IPv4 one for an IPv4-mapped IPv6
 * peer (a dual-stack listener's IPv4 client). Loopback peers are not
 * asked: the answer would name this machine, and would send an all-in-one
 * lab's questions to the name servers.
 */
void
lab_names_ask(struct lab *lab, struct lab_sock *p)
{
	const struct sockaddr_in *in;
	const struct sockaddr_in6 *in6;
	struct evdns_request *req;
	struct in_addr v4;
	char a[ADDR_STRLEN];
	int mapped = 0;

	if (lab->dns == NULL || lab_names_owner != lab)
		return;
	/* Freshly accepted: the row's name for its peer may not be set yet. */
	if (!p->have_named && p->view.have_peer) {
		p->named = p->view.peer;
		p->have_named = 1;
	}
	if (!p->have_named)
		return;
	in = (const struct sockaddr_in *)&p->named;
	in6 = (const struct sockaddr_in6 *)&p->named;
	if (p->named.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		memcpy(&v4, &in6->sin6_addr.s6_addr[12], sizeof v4);
		mapped = 1;
	} else if (p->named.ss_family == AF_INET)
		v4 = in->sin_addr;
	if (mapped || p->named.ss_family == AF_INET) {
		if ((ntohl(v4.s_addr) >> 24) == 127)
			return;
	} else if (p->named.ss_family != AF_INET6 ||
	    IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
		return;
	p->name.ticket = ++lab_names_tickets;
	p->name.state = LAB_NAME_ASKING;
	addr_format((const struct sockaddr *)&p->named, a, sizeof a);
	lab_say_line(lab, "resolver    Server-Send #%u: reverse name of %s "
	    "asked of evdns", p->id, a);
	/* The answer comes through the loop (deferred), never inside. */
	if (p->named.ss_family == AF_INET6 && !mapped)
		req = evdns_base_resolve_reverse_ipv6(lab->dns,
		    &in6->sin6_addr, 0, lab_names_cb,
		    (void *)(uintptr_t)p->name.ticket);
	else
		req = evdns_base_resolve_reverse(lab->dns, &v4, 0,
		    lab_names_cb, (void *)(uintptr_t)p->name.ticket);
	if (req == NULL) {
		p->name.state = LAB_NAME_NONE;
		lab_say_line(lab, "resolver    Server-Send #%u: evdns could "
		    "not ask", p->id);
		return;
	}
	p->name.req = req;
}

/*
 * The row goes while its question is out. evdns frees its handle only
 * after the callback has run, so the handle is still good here; a
 * question already answered (its callback on the way) is left alone.
 */
void
lab_names_cancel(struct lab_sock *p)
{
	if (p->name.req != NULL && p->lab != NULL && p->lab->dns != NULL)
		evdns_cancel_request(p->lab->dns, p->name.req);
	p->name.req = NULL;
	p->name.state = LAB_NAME_UNASKED;
}

void
lab_names_free(struct lab *lab)
{
	size_t i;

	for (i = 0; i < lab->nconns; i++) {
		lab->conns[i]->name.req = NULL;
		lab->conns[i]->name.state = LAB_NAME_UNASKED;
	}
	if (lab_names_owner == lab)
		lab_names_owner = NULL;
}

const char *
lab_name_of(const struct lab_sock *p)
{
	return p->name.state == LAB_NAME_FOUND ? p->name.text : NULL;
}
