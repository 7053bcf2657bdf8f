/* addr.h - numeric socket addresses: parse from the command line, format for people. */
#ifndef TCPSTEP_ADDR_H
#define TCPSTEP_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Longest "[ipv6]:port" text plus NUL. */
#define ADDR_STRLEN 64

/*
 * Fill ss from a numeric IPv4 or IPv6 host and a port. Returns 0, or -1 when
 * host is not a numeric address.
 */
int	 addr_parse(const char *host, unsigned port,
	     struct sockaddr_storage *ss, socklen_t *len);

/*
 * "127.0.0.1:40113" or "[::1]:40113"; an IPv4-mapped IPv6 address (an
 * IPv4 client of a server on "::") as IPv4. Returns buf.
 */
char	*addr_format(const struct sockaddr *sa, char *buf, size_t len);

/* The port of an AF_INET or AF_INET6 address, in host order. */
unsigned addr_port(const struct sockaddr *sa);

/* Change the port of an AF_INET or AF_INET6 address. */
void	 addr_set_port(struct sockaddr *sa, unsigned port);

/* 0.0.0.0 or "::". */
int	 addr_is_any(const struct sockaddr *sa);

/*
 * Every address:port a socket bound to bound can be reached at, comma
 * separated into buf (the bound address itself unless it is a wildcard).
 * Returns how many there are.
 */
size_t	 addr_reachable(const struct sockaddr *bound, int v6only, char *buf,
	     size_t len);

#endif
