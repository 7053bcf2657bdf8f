/* addr.c - numeric socket addresses for the command line and the screen. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

int
addr_parse(const char *host, unsigned port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof *sin;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof *sin6;
		return 0;
	}
	return -1;
}

char *
addr_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		/* An IPv4 peer of a dual-stack socket: show it as IPv4. */
		inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], host,
		    sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(sin6->sin6_port));
	} else if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%u", host, ntohs(sin6->sin6_port));
	} else
		snprintf(buf, len, "(no address)");
	return buf;
}

unsigned
addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

void
addr_set_port(struct sockaddr *sa, unsigned port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

int
addr_is_any(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)sa)->sin6_addr);
	return 0;
}

/*
 * A socket bound to a wildcard address answers on every address of every
 * interface that is up; "::" answers IPv4 too unless v6only.
 */
size_t
addr_reachable(const struct sockaddr *bound, int v6only, char *buf,
    size_t len)
{
	struct ifaddrs *ifs, *i;
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	size_t n = 0, used = 0;
	int fam = bound->sa_family, f;

	buf[0] = '\0';
	if (!addr_is_any(bound) || getifaddrs(&ifs) == -1) {
		addr_format(bound, buf, len);
		return 1;
	}
	for (i = ifs; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP))
			continue;
		f = i->ifa_addr->sa_family;
		if (f != AF_INET && f != AF_INET6)
			continue;
		if (f != fam && !(fam == AF_INET6 && f == AF_INET && !v6only))
			continue;
		/* Link-local addresses need a scope to be reached: leave out. */
		if (f == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
		    &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
			continue;
		memset(&ss, 0, sizeof ss);
		memcpy(&ss, i->ifa_addr, f == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
		addr_set_port((struct sockaddr *)&ss, addr_port(bound));
		addr_format((struct sockaddr *)&ss, a, sizeof a);
		if (used + strlen(a) + 3 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    n > 0 ? ", " : "", a);
		n++;
	}
	freeifaddrs(ifs);
	return n;
}
