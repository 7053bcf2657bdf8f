/*
 * fuzz_opts.c - libFuzzer target for the command line: the input, split
 * at NUL bytes, is an argv for opts_parse(), and each argument is also
 * tried as an address by addr_parse(). Whatever it is, parsing ends in one
 * of the documented outcomes; a refusal is one line of printable ASCII
 * (user text in it is escaped); a parsed
 * address formats and parses back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "opts.h"

#define FUZZ_ARGS 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096 + 1];
	char *argv[FUZZ_ARGS + 2], err[256], text[ADDR_STRLEN];
	struct sockaddr_storage ss, ss2;
	socklen_t len, len2;
	struct opts o;
	size_t i, n = size > 4096 ? 4096 : size;
	int argc = 1, k;
	enum opts_outcome r;

	memcpy(buf, data, n);
	buf[n] = '\0';
	argv[0] = "tcpstep";
	for (i = 0; i <= n && argc <= FUZZ_ARGS; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;

	for (k = 1; k < argc; k++) {
		if (addr_parse(argv[k], 49000, &ss, &len) == 0) {
			addr_format((struct sockaddr *)&ss, text, sizeof text);
			if (addr_port((struct sockaddr *)&ss) != 49000)
				abort();
			/* "[::1]:49000" -> "::1" parses back the same. */
			if (text[0] == '[')
				*strrchr(text, ']') = '\0';
			else
				*strrchr(text, ':') = '\0';
			if (addr_parse(text + (text[0] == '['), 49000, &ss2,
			    &len2) != 0)
				abort();
		}
	}

	err[0] = '\0';
	r = opts_parse(&o, argc, argv, err, sizeof err);
	switch (r) {
	case OPTS_RUN:
		if (o.port > 65535 || o.recv_size < 1 || o.max_conns < 1 ||
		    (o.server && o.host != NULL))
			abort();
		break;
	case OPTS_BAD:
		/* One line, and nothing a terminal would act on. */
		if (err[0] == '\0')
			abort();
		for (k = 0; err[k] != '\0'; k++)
			if ((unsigned char)err[k] < 0x20 ||
			    (unsigned char)err[k] >= 0x7f)
				abort();
		break;
	case OPTS_HELP:
	case OPTS_VERSION:
		break;
	default:
		abort();
	}
	return 0;
}
