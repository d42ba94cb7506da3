/* Bearer tokens and roles (common/auth.h): SHA-256 against the FIPS vectors, the
 * tokens file, resolving a caller, and what each role may do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"
#include "common/auth.h"

static void hex_of(const char *text, size_t len, char hex[65])
{
	unsigned char d[SHA256_SIZE];

	sha256(text, len, d);
	sha256_hex(d, hex);
}

static void sha256_vectors(void **state)
{
	char hex[65], million[1001];
	struct sha256 c;
	unsigned char d[SHA256_SIZE];

	(void)state;
	hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in pieces that straddle block boundaries. */
	memset(million, 'a', sizeof(million));
	sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		sha256_update(&c, million, i % 2 ? 999 : 1001);
	sha256_final(&c, d);
	sha256_hex(d, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void constant_time_equal(void **state)
{
	unsigned char a[SHA256_SIZE] = { 1, 2, 3 }, b[SHA256_SIZE] = { 1, 2, 3 };

	(void)state;
	assert_true(sha256_equal_ct(a, b, sizeof(a)));
	b[31] ^= 0x80;
	assert_false(sha256_equal_ct(a, b, sizeof(a)));
	b[31] ^= 0x80;
	b[0] = 9;
	assert_false(sha256_equal_ct(a, b, sizeof(a)));
}

#define OWNER_TOK "owner1-token-0123456789abcdef"
#define OPER_TOK "operator-token-0123456789abcdef"
#define SERV_TOK "service-token-0123456789ab+/=="

static const char good_file[] =
	"{\"tokens\":["
	"{\"token\":\"" OWNER_TOK "\",\"role\":\"owner\",\"owner\":\"owner-1\"},"
	"{\"token\":\"" OPER_TOK "\",\"role\":\"operator\"},"
	"{\"token\":\"" SERV_TOK "\",\"role\":\"service\"}]}";

static struct auth *good_auth(void)
{
	struct auth_token *t;
	size_t n;
	char err[256];

	if (auth_parse_text(good_file, strlen(good_file), "tokens.json",
				  &t, &n, err, sizeof(err)))
		fail_msg("good file refused: %s", err);
	assert_int_equal(n, 3);
	return auth_new(t, n);
}

static void tokens_file_parses(void **state)
{
	struct auth *a = good_auth();
	size_t owners, operators, services;

	(void)state;
	assert_false(auth_is_open(a));
	auth_counts(a, &owners, &operators, &services);
	assert_int_equal(owners, 1);
	assert_int_equal(operators, 1);
	assert_int_equal(services, 1);
	auth_free(a);
}

/* The file text is refused with err containing want and never the token. */
static void refused(const char *text, const char *want)
{
	struct auth_token *t = (void *)1;
	size_t n = 7;
	char err[512] = "";

	assert_int_equal(auth_parse_text(text, strlen(text), "f.json", &t,
					       &n, err, sizeof(err)),
			 -1);
	assert_null(t);
	assert_int_equal(n, 0);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, want);
	if (strstr(err, "secret") != NULL)
		fail_msg("error \"%s\" shows the token", err);
}

static void tokens_file_errors(void **state)
{
	(void)state;
	refused("not json secret", "not valid JSON");
	refused("{\"tokens\":[]}", "1 to");
	refused("[]", "one member");
	refused("{\"tokens\":[],\"x\":1}", "one member");
	refused("{\"tokens\":[\"secret-secret-secret\"]}", "tokens[0] must be an object");
	refused("{\"tokens\":[{\"token\":\"secret\",\"role\":\"service\"}]}",
		"tokens[0].token");
	refused("{\"tokens\":[{\"token\":\"secret secret secret\",\"role\":\"service\"}]}",
		"tokens[0].token");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"admin\"}]}",
		"tokens[0].role");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"owner\"}]}",
		"tokens[0].owner");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"owner\",\"owner\":\"Bad Owner\"}]}",
		"tokens[0].owner");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"service\",\"owner\":\"o\"}]}",
		"only for the owner role");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"service\",\"note\":\"x\"}]}",
		"unknown member");
	refused("{\"tokens\":[{\"token\":\"secret-secret-secret-1\",\"role\":\"service\"},"
		"{\"token\":\"secret-secret-secret-1\",\"role\":\"operator\"}]}",
		"tokens[1] repeats the token of tokens[0]");
}

static void missing_file(void **state)
{
	struct auth_token *t;
	size_t n;
	char warn[128], err[256];

	(void)state;
	assert_int_equal(auth_parse_file("/nonexistent/tokens.json", &t,
					       &n, warn, sizeof(warn), err,
					       sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/tokens.json"));
}

static void callers_resolve(void **state)
{
	struct auth *a = good_auth();
	struct auth_caller c;

	(void)state;
	assert_int_equal(auth_check(a, NULL, &c), AUTH_MISSING);
	assert_int_equal(auth_check(a, "Basic abc", &c),
			 AUTH_MALFORMED);
	assert_int_equal(auth_check(a, "Bearer ", &c),
			 AUTH_MALFORMED);
	assert_int_equal(auth_check(a, "Bearer " OWNER_TOK "x", &c),
			 AUTH_UNKNOWN);
	assert_int_equal(auth_check(a, "Bearer wrong-token-0123456789", &c),
			 AUTH_UNKNOWN);
	assert_int_equal(c.role, AUTH_ROLE_NONE);

	assert_int_equal(auth_check(a, "Bearer " OWNER_TOK, &c),
			 AUTH_OK);
	assert_int_equal(c.role, AUTH_ROLE_OWNER);
	assert_string_equal(c.owner, "owner-1");
	assert_false(c.open);
	/* The scheme is case-insensitive (RFC 7235). */
	assert_int_equal(auth_check(a, "bearer " OPER_TOK, &c),
			 AUTH_OK);
	assert_int_equal(c.role, AUTH_ROLE_OPERATOR);
	assert_string_equal(c.owner, "");
	assert_int_equal(auth_check(a, "Bearer " SERV_TOK, &c),
			 AUTH_OK);
	assert_int_equal(c.role, AUTH_ROLE_SERVICE);
	auth_free(a);
}

static void open_mode_allows_all(void **state)
{
	struct auth *a = auth_new(NULL, 0);
	struct auth_caller c;

	(void)state;
	assert_true(auth_is_open(a));
	assert_int_equal(auth_check(a, NULL, &c), AUTH_OK);
	assert_true(c.open);
	assert_int_equal(c.role, AUTH_ROLE_OPERATOR);
	assert_int_equal(auth_check(a, "Bearer whatever", &c),
			 AUTH_OK);
	auth_free(a);
}

static void role_rules(void **state)
{
	struct auth_caller owner = { AUTH_ROLE_OWNER, "owner-1", 0 };
	struct auth_caller oper = { AUTH_ROLE_OPERATOR, "", 0 };
	struct auth_caller serv = { AUTH_ROLE_SERVICE, "", 0 };
	struct auth_caller none = { AUTH_ROLE_NONE, "", 0 };

	(void)state;
	assert_true(auth_sees(&owner, "owner-1"));
	assert_false(auth_sees(&owner, "owner-2"));
	assert_false(auth_sees(&owner, "owner-10"));
	assert_false(auth_sees(&owner, "owner-"));
	assert_true(auth_sees(&oper, "owner-2"));
	assert_true(auth_sees(&serv, "owner-2"));
	assert_false(auth_sees(&none, "owner-1"));

	assert_true(auth_may_write(&owner));
	assert_true(auth_may_write(&oper));
	assert_false(auth_may_write(&serv));
	assert_false(auth_may_write(&none));

	assert_false(auth_may_observe(&owner));
	assert_true(auth_may_observe(&oper));
	assert_true(auth_may_observe(&serv));

	assert_string_equal(auth_role_name(AUTH_ROLE_SERVICE), "service");
	assert_int_equal(auth_role_from_name("operator"), AUTH_ROLE_OPERATOR);
	assert_int_equal(auth_role_from_name("none"), AUTH_ROLE_NONE);
	assert_int_equal(auth_role_from_name(NULL), AUTH_ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(constant_time_equal),
		cmocka_unit_test(tokens_file_parses),
		cmocka_unit_test(tokens_file_errors),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(callers_resolve),
		cmocka_unit_test(open_mode_allows_all),
		cmocka_unit_test(role_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
