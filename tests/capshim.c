/*
 * capshim.c - an LD_PRELOAD shim for tests/capture.sh: it makes one step
 * of the capture's set-up fail, as a strange system would, so the tests
 * can see what tcpstep does then. TCPSTEP_SHIM picks the step:
 *   uid_map         open("/proc/self/uid_map") fails, in every process;
 *   uid_map-parent  it fails only in the process that started, not in a
 *                   child: tcpstep's trial of the private network works,
 *                   the real thing does not;
 *   no-packet       socket(AF_PACKET) fails with EPERM: no capture opens,
 *                   though the private network is made.
 * Built by capture.sh; never linked into tcpstep.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static pid_t capshim_first;

/* The process that started: a fork's child has another pid. */
__attribute__((constructor)) static void
capshim_init(void)
{
	capshim_first = getpid();
}

static int
capshim_is(const char *mode)
{
	const char *m = getenv("TCPSTEP_SHIM");

	return m != NULL && strcmp(m, mode) == 0;
}

/* Whether opening path must fail here. */
static int
capshim_refuse(const char *path)
{
	size_t n = strlen(path);

	if (n < 7 || strcmp(path + n - 7, "uid_map") != 0)
		return 0;
	return capshim_is("uid_map") ||
	    (capshim_is("uid_map-parent") && getpid() == capshim_first);
}

static int
capshim_open(const char *name, const char *path, int flags, va_list ap)
{
	int (*real)(const char *, int, ...) =
	    (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;

	if (capshim_refuse(path)) {
		errno = EACCES;
		return -1;
	}
	return real(path, flags, mode);
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = capshim_open("open", path, flags, ap);
	va_end(ap);
	return r;
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = capshim_open("open64", path, flags, ap);
	va_end(ap);
	return r;
}

int
socket(int domain, int type, int protocol)
{
	int (*real)(int, int, int) =
	    (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");

	if (domain == AF_PACKET && capshim_is("no-packet")) {
		errno = EPERM;
		return -1;
	}
	return real(domain, type, protocol);
}
