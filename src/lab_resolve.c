/*
 * lab_resolve.c - client role: the server's name, resolved without
 * blocking. evdns asks the name servers through the lab's own event loop,
 * so the screen never waits for one; the answer, or what went wrong, goes
 * in the transcript and the title line, and step 4 connects to the first
 * address (as CAsyncSocket::Connect does) or asks again.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/dns.h>
#include <event2/util.h>

#include "addr.h"
#include "escape.h"
#include "lab.h"
#include "lab_core.h"
#include "lab_resolve.h"

const char *
lab_resolve_eai_name(int err)
{
	switch (err) {
	case EVUTIL_EAI_NONAME:		return "EAI_NONAME";
	case EVUTIL_EAI_AGAIN:		return "EAI_AGAIN";
	case EVUTIL_EAI_FAIL:		return "EAI_FAIL";
	case EVUTIL_EAI_FAMILY:		return "EAI_FAMILY";
	case EVUTIL_EAI_NODATA:		return "EAI_NODATA";
	case EVUTIL_EAI_MEMORY:		return "EAI_MEMORY";
	case EVUTIL_EAI_SERVICE:	return "EAI_SERVICE";
	case EVUTIL_EAI_SYSTEM:		return "EAI_SYSTEM";
	case EVUTIL_EAI_CANCEL:		return "EAI_CANCEL";
	default:			return "EAI_?";
	}
}

/*
 * What a resolver error usually means in a lab, and the key of Connect,
 * which asks again; buf holds the sentence when it names the key.
 */
const char *
lab_resolve_eai_meaning(const struct lab *lab, int err, char *buf,
    size_t len)
{
	const char *what;

	switch (err) {
	case EVUTIL_EAI_NONAME:
	case EVUTIL_EAI_NODATA:
		return "no such name (or no address of the family asked for "
		    "with -4/-6): check the spelling, or give an address";
	case EVUTIL_EAI_AGAIN:
		what = "the name server did not answer in time";
		break;
	case EVUTIL_EAI_FAIL:
		what = "the name server failed";
		break;
	default:
		what = "the name could not be resolved";
		break;
	}
	snprintf(buf, len, "%s; press %s to ask again", what,
	    lab_key_name(lab, LAB_OP_CONNECT));
	return buf;
}

/*
 * evdns reports trouble with its name servers ("request timed out") through
 * a log function; the lab that owns the resolver puts it in the
 * transcript, never on the terminal. Process-wide because libevent 2.1
 * makes it so: evdns_set_log_fn() sets one function for every evdns_base
 * of the process (a static in evdns.c), and the function is called with
 * only (is_warning, msg), no base and no argument, so the lab it belongs
 * to can be found only here. It is set while a lab owns a resolver
 * (lab_resolve_init to lab_resolve_free).
 */
static struct lab *lab_resolve_owner;

static void
lab_resolve_log(int is_warning, const char *msg)
{
	char esc[LAB_LINE_MAX];

	if (!is_warning || lab_resolve_owner == NULL)
		return;		/* its debugging chatter is not the lesson */
	escape_bytes((const unsigned char *)msg, strlen(msg), esc, sizeof esc);
	lab_say_line(lab_resolve_owner, "resolver    evdns: %s", esc);
}

/*
 * evdns's answer: the first address becomes where step 4 connects, or the
 * error is kept for the title line and for step 4 to explain.
 */
static void
lab_resolve_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	struct lab *lab = arg;
	struct evutil_addrinfo *ai;
	char a[ADDR_STRLEN];
	int more = 0;

	if (result == EVUTIL_EAI_CANCEL)
		return;		/* the lab is going away */
	lab->resolving = NULL;
	lab->resolve_pending = 0;
	/* evdns may answer "no error" with no address of the family asked. */
	if (result == 0 && res == NULL)
		result = EVUTIL_EAI_NODATA;
	lab->resolve_err = result;
	if (result != 0) {
		snprintf(lab->resolved, sizeof lab->resolved, "%s: %s: %s",
		    lab->cfg.host, lab_resolve_eai_name(result),
		    evutil_gai_strerror(result));
		lab_say_line(lab, "resolver    getaddrinfo(\"%s\", \"%u\") = "
		    "%s: %s", lab->cfg.host, lab->cfg.port,
		    lab_resolve_eai_name(result), evutil_gai_strerror(result));
	} else {
		/* The first answer, as CAsyncSocket::Connect uses it. */
		memcpy(&lab->target, res->ai_addr, res->ai_addrlen);
		lab->target_len = (socklen_t)res->ai_addrlen;
		lab->have_target = 1;
		for (ai = res->ai_next; ai != NULL; ai = ai->ai_next)
			more++;
		addr_format(res->ai_addr, a, sizeof a);
		snprintf(lab->resolved, sizeof lab->resolved, "%s -> %s%s",
		    lab->cfg.host, a, more > 0 ? " (first of several)" : "");
		lab_say_line(lab, "resolver    getaddrinfo(\"%s\", \"%u\") = "
		    "%s and %d more", lab->cfg.host, lab->cfg.port, a, more);
		evutil_freeaddrinfo(res);
	}
	lab_changed(lab);
}

/*
 * Ask evdns for the server's address. The answer arrives through the
 * event loop (or at once for a numeric address or /etc/hosts), so the
 * screen never waits for a name server.
 */
void
lab_resolve_start(struct lab *lab)
{
	struct evdns_getaddrinfo_request *req;
	struct evutil_addrinfo hints;
	char port[8];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = lab->cfg.family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(port, sizeof port, "%u", lab->cfg.port);
	lab->resolve_err = 0;
	snprintf(lab->resolved, sizeof lab->resolved, "%s: resolving...",
	    lab->cfg.host);
	lab_say_line(lab, "resolver    getaddrinfo(\"%s\", \"%s\") sent to "
	    "evdns", lab->cfg.host, port);
	/* The callback may run inside the call: it then returns NULL. */
	lab->resolve_pending = 1;
	req = evdns_getaddrinfo(lab->dns, lab->cfg.host, port, &hints,
	    lab_resolve_cb, lab);
	lab->resolving = lab->resolve_pending ? req : NULL;
}

/*
 * Client role: the lab's resolver, and the first question to it. Disabled
 * when idle: no socket or timer of the resolver's stays in the loop once
 * the answer is in.
 */
int
lab_resolve_init(struct lab *lab)
{
	if (lab_resolve_base(lab) == -1)
		return -1;
	lab_resolve_start(lab);
	return 0;
}

/*
 * The lab's resolver, with the name servers of resolv.conf, its trouble
 * going to the transcript; server role asks it for the peers' names.
 */
int
lab_resolve_base(struct lab *lab)
{
	lab_resolve_owner = lab;
	evdns_set_log_fn(lab_resolve_log);
	lab->dns = evdns_base_new(lab->base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	return lab->dns == NULL ? -1 : 0;
}

/* A question still out is cancelled; the log function goes with its lab. */
void
lab_resolve_free(struct lab *lab)
{
	if (lab->resolving != NULL)
		evdns_getaddrinfo_cancel(lab->resolving);
	lab->resolving = NULL;
	if (lab->dns != NULL)
		evdns_base_free(lab->dns, 0);
	lab->dns = NULL;
	if (lab_resolve_owner == lab) {
		lab_resolve_owner = NULL;
		evdns_set_log_fn(NULL);
	}
}
