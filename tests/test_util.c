/*
 * test_util.c - error names, the escaper and the command-line parser.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "addr.h"
#include "errname.h"
#include "escape.h"
#include "lab.h"
#include "opts.h"

static void
test_errname_table(void **state)
{
	static const struct { int err; const char *name; int ws; } rows[] = {
		{ EAGAIN, "WSAEWOULDBLOCK", 10035 },
		{ EINPROGRESS, "WSAEWOULDBLOCK", 10035 },
		{ EALREADY, "WSAEALREADY", 10037 },
		{ ENOTSOCK, "WSAENOTSOCK", 10038 },
		{ EINVAL, "WSAEINVAL", 10022 },
		{ EMFILE, "WSAEMFILE", 10024 },
		{ EADDRINUSE, "WSAEADDRINUSE", 10048 },
		{ EADDRNOTAVAIL, "WSAEADDRNOTAVAIL", 10049 },
		{ ENETUNREACH, "WSAENETUNREACH", 10051 },
		{ ECONNABORTED, "WSAECONNABORTED", 10053 },
		{ ECONNRESET, "WSAECONNRESET", 10054 },
		{ EISCONN, "WSAEISCONN", 10056 },
		{ ENOTCONN, "WSAENOTCONN", 10057 },
		{ ESHUTDOWN, "WSAESHUTDOWN", 10058 },
		{ EPIPE, "WSAESHUTDOWN", 10058 },
		{ ETIMEDOUT, "WSAETIMEDOUT", 10060 },
		{ ECONNREFUSED, "WSAECONNREFUSED", 10061 },
	};
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		n = 0;
		assert_string_equal(errname_winsock(rows[i].err, &n),
		    rows[i].name);
		assert_int_equal(n, rows[i].ws);
	}
	assert_null(errname_winsock(ENOENT, &n));
}

static void
test_errname_describe(void **state)
{
	char buf[160];

	(void)state;
	assert_string_equal(errname_describe(EAGAIN, buf, sizeof buf),
	    "EAGAIN 11 Resource temporarily unavailable "
	    "(WSAEWOULDBLOCK 10035)");
	assert_string_equal(errname_describe(ECONNREFUSED, buf, sizeof buf),
	    "ECONNREFUSED 111 Connection refused (WSAECONNREFUSED 10061)");
	assert_string_equal(errname_describe(ENOENT, buf, sizeof buf),
	    "ENOENT 2 No such file or directory");
	assert_string_equal(errname_describe(0, buf, sizeof buf), "none");
	assert_string_equal(errname_name(0), "0");
	assert_string_equal(errname_name(EINPROGRESS), "EINPROGRESS");
}

static void
test_escape_every_byte(void **state)
{
	unsigned char all[256];
	char out[1100];
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_int_equal(escape_bytes(all, sizeof all, out, sizeof out), 256);
	/* Nothing but printable ASCII comes out. */
	for (i = 0; out[i] != '\0'; i++)
		assert_true(out[i] >= 0x20 && out[i] < 0x7f);
	assert_non_null(strstr(out, "\\x1b"));
	assert_non_null(strstr(out, "\\x9b"));
	assert_non_null(strstr(out, "\\x00"));
	assert_non_null(strstr(out, "\\x7f"));
	assert_non_null(strstr(out, "ABC"));
}

static void
test_escape_sequences(void **state)
{
	char out[64];

	(void)state;
	escape_bytes("\x1b]52;c;SGVsbG8=\x07", 16, out, sizeof out);
	assert_string_equal(out, "\\x1b]52;c;SGVsbG8=\\x07");
	escape_bytes("a\\b\"c\n\r\t", 8, out, sizeof out);
	assert_string_equal(out, "a\\\\b\\\"c\\n\\r\\t");
	escape_bytes("\xe2\x80\xae", 3, out, sizeof out);
	assert_string_equal(out, "\\xe2\\x80\\xae");
}

static void
test_escape_never_cuts_an_escape(void **state)
{
	char out[6];

	(void)state;
	/* "ab\x1b" would need 6 characters plus NUL: stop before it. */
	assert_int_equal(escape_bytes("ab\x1b", 3, out, sizeof out), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(escape_bytes("abc", 3, out, 0), 0);
}

static void
test_addr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("127.0.0.1", 49000, &ss, &len), 0);
	assert_string_equal(addr_format((struct sockaddr *)&ss, buf,
	    sizeof buf), "127.0.0.1:49000");
	assert_int_equal(addr_parse("::1", 80, &ss, &len), 0);
	assert_string_equal(addr_format((struct sockaddr *)&ss, buf,
	    sizeof buf), "[::1]:80");
	addr_set_port((struct sockaddr *)&ss, 81);
	assert_int_equal(addr_port((struct sockaddr *)&ss), 81);
	assert_int_equal(addr_parse("localhost", 1, &ss, &len), -1);
}

/* Parse a NULL-terminated argument list. */
static enum opts_outcome
parse(struct opts *o, char *err, size_t len, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = "tcpstep";
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return opts_parse(o, argc, argv, err, len);
}

static void
test_opts_good(void **state)
{
	struct opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, sizeof err, NULL), OPTS_RUN);
	assert_int_equal(o.port, 0);
	assert_int_equal(o.recv_size, LAB_RECORD_SIZE);
	assert_int_equal(o.settle_ms, OPTS_SETTLE_DEFAULT);
	assert_int_equal(parse(&o, err, sizeof err, "-p", "49000",
	    "--recv-size", "100", "--batch", "--keys", "12 3r", "--settle",
	    "5", "--ascii", "--log", "t.log", NULL), OPTS_RUN);
	assert_int_equal(o.port, 49000);
	assert_int_equal(o.recv_size, 100);
	assert_true(o.batch);
	assert_string_equal(o.keys, "12 3r");
	assert_int_equal(o.settle_ms, 5);
	assert_true(o.ascii);
	assert_string_equal(o.log, "t.log");
	assert_int_equal(opts_bad_key("123456789xXLhHzZuUfFdDraw \r\n", 28),
	    -1);
	assert_int_equal(opts_bad_key("12?", 3), '?');
	/* A NUL byte is no key, wherever it stands. */
	assert_int_equal(opts_bad_key("12\0" "34", 5), 0);
	assert_int_equal(parse(&o, err, sizeof err, "--port=65535", NULL),
	    OPTS_RUN);
	assert_int_equal(o.port, 65535);
	assert_int_equal(parse(&o, err, sizeof err, "--help", NULL),
	    OPTS_HELP);
	assert_int_equal(parse(&o, err, sizeof err, "-V", NULL),
	    OPTS_VERSION);
}

static void
test_opts_bad(void **state)
{
	static const struct { const char *a, *b, *says; } bad[] = {
		{ "--port", "70000", "--port '70000'" },
		{ "--port", "0", "--port '0'" },
		{ "--port", "-1", "--port '-1'" },
		{ "--port", "abc", "--port 'abc'" },
		{ "--port", "", "--port ''" },
		{ "-p", "12x", "--port '12x'" },
		{ "--recv-size", "0", "--recv-size '0'" },
		{ "--recv-size", "65537", "--recv-size '65537'" },
		{ "--settle", "0", "--settle '0'" },
		{ "--settle", "1e3", "--settle '1e3'" },
		{ "--keys", "12q", "'q' is not a step key" },
		{ "--bogus", NULL, "unknown option '--bogus'" },
		{ "-z", NULL, "unknown option '-z'" },
		{ "--port", NULL, "needs a value" },
		{ "extra", NULL, "unexpected argument 'extra'" },
	};
	struct opts o;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (strcmp(bad[i].a, "--keys") == 0)
			assert_int_equal(parse(&o, err, sizeof err, "--batch",
			    bad[i].a, bad[i].b, NULL), OPTS_BAD);
		else
			assert_int_equal(parse(&o, err, sizeof err, bad[i].a,
			    bad[i].b, NULL), OPTS_BAD);
		if (strstr(err, bad[i].says) == NULL)
			fail_msg("%s %s: got \"%s\"", bad[i].a,
			    bad[i].b ? bad[i].b : "", err);
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(parse(&o, err, sizeof err, "--keys", "1", NULL),
	    OPTS_BAD);
	assert_non_null(strstr(err, "--keys needs --batch"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errname_table),
		cmocka_unit_test(test_errname_describe),
		cmocka_unit_test(test_escape_every_byte),
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_escape_never_cuts_an_escape),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_opts_good),
		cmocka_unit_test(test_opts_bad),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
