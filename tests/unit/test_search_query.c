/*
 * search-svc's query building: words split, trigram-length words to FTS5
 * strings, shorter ones to escaped LIKE patterns; the limit argument.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "search-svc/query.h"
#include "search-svc/search_http.h"

static void counts_characters_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(search_utf8_chars("abc", 3), 3);
	assert_int_equal(search_utf8_chars("치킨", strlen("치킨")), 2);
	assert_int_equal(search_utf8_chars("치킨집", strlen("치킨집")), 3);
	assert_int_equal(search_utf8_chars("", 0), 0);
}

static void like_patterns_escape(void **state)
{
	char *p;

	(void)state;
	p = search_like_pattern("50%_off\\", strlen("50%_off\\"));
	assert_string_equal(p, "%50\\%\\_off\\\\%");
	free(p);
	p = search_like_pattern("치킨", strlen("치킨"));
	assert_string_equal(p, "%치킨%");
	free(p);
}

static void fts_strings_quote(void **state)
{
	char *s;

	(void)state;
	s = search_fts_string("say \"hi\"", strlen("say \"hi\""));
	assert_string_equal(s, "\"say \"\"hi\"\"\"");
	free(s);
	/* Operators lose their meaning inside a string. */
	s = search_fts_string("NOT*", 4);
	assert_string_equal(s, "\"NOT*\"");
	free(s);
}

static void words_go_where_they_can_match(void **state)
{
	struct search_query q;
	char err[128];

	(void)state;
	assert_int_equal(search_query_parse("김밥천국", &q, err, sizeof(err)), 0);
	assert_string_equal(q.match, "\"김밥천국\"");
	assert_int_equal(q.nlike, 0);
	search_query_free(&q);

	assert_int_equal(search_query_parse("  치킨 ", &q, err, sizeof(err)), 0);
	assert_null(q.match);
	assert_int_equal(q.nlike, 1);
	assert_string_equal(q.like[0], "%치킨%");
	search_query_free(&q);

	assert_int_equal(search_query_parse("bhc 치킨 역삼점\tpizza", &q, err,
					    sizeof(err)),
			 0);
	assert_string_equal(q.match, "\"bhc\" \"역삼점\" \"pizza\"");
	assert_int_equal(q.nlike, 1);
	assert_string_equal(q.like[0], "%치킨%");
	search_query_free(&q);

	/* Ideographic and no-break spaces separate words too. */
	assert_int_equal(search_query_parse("김밥\u3000천국\u00a0역삼점", &q, err,
					    sizeof(err)),
			 0);
	assert_string_equal(q.match, "\"역삼점\"");
	assert_int_equal(q.nlike, 2);
	assert_string_equal(q.like[0], "%김밥%");
	assert_string_equal(q.like[1], "%천국%");
	search_query_free(&q);
}

static void bad_text_is_refused(void **state)
{
	struct search_query q;
	char err[128];
	char big[SEARCH_Q_MAX_BYTES + 2];

	(void)state;
	assert_int_equal(search_query_parse("", &q, err, sizeof(err)), -1);
	assert_string_equal(err, "q: must not be empty");
	assert_int_equal(search_query_parse(" \t ", &q, err, sizeof(err)), -1);
	assert_int_equal(search_query_parse("\u3000", &q, err, sizeof(err)), -1);
	assert_string_equal(err, "q: must not be empty");
	assert_int_equal(search_query_parse(NULL, &q, err, sizeof(err)), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(search_query_parse(big, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than"));
	assert_int_equal(search_query_parse("a b c d e f g h i", &q, err,
					    sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "more than 8 words"));
	/* Bytes that are not UTF-8 (a percent-decoded %ff, an overlong
	 * '/', a cut-off 김). */
	assert_int_equal(search_query_parse("\xff", &q, err, sizeof(err)), -1);
	assert_string_equal(err, "q: not valid UTF-8 text");
	assert_int_equal(search_query_parse("a \xc0\xaf", &q, err, sizeof(err)),
			 -1);
	assert_int_equal(search_query_parse("\xea\xb9", &q, err, sizeof(err)),
			 -1);
	assert_null(q.match);
	assert_int_equal(q.nlike, 0);
}

static void limit_argument(void **state)
{
	int limit = 0;

	(void)state;
	assert_int_equal(search_http_parse_limit(NULL, &limit), 0);
	assert_int_equal(limit, 20);
	assert_int_equal(search_http_parse_limit("1", &limit), 0);
	assert_int_equal(limit, 1);
	assert_int_equal(search_http_parse_limit("100", &limit), 0);
	assert_int_equal(limit, 100);
	assert_int_equal(search_http_parse_limit("0", &limit), -1);
	assert_int_equal(search_http_parse_limit("101", &limit), -1);
	assert_int_equal(search_http_parse_limit("", &limit), -1);
	assert_int_equal(search_http_parse_limit("-5", &limit), -1);
	assert_int_equal(search_http_parse_limit("10x", &limit), -1);
	assert_int_equal(search_http_parse_limit("0000010", &limit), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_characters_not_bytes),
		cmocka_unit_test(like_patterns_escape),
		cmocka_unit_test(fts_strings_quote),
		cmocka_unit_test(words_go_where_they_can_match),
		cmocka_unit_test(bad_text_is_refused),
		cmocka_unit_test(limit_argument),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
