/*
 * display-svc's list query without HTTP: the merge of the ids ads, search
 * and favorites answer (order, dedup, flags), the parsing of those answers,
 * and the checks and URLs of the query itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "display-svc/list_query.h"
#include "display-svc/merge.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_pick(const struct display_pick *p, int64_t id, int adv,
			int fav)
{
	assert_int_equal(p->id, id);
	assert_int_equal(p->advertised, adv);
	assert_int_equal(p->favorite, fav);
}

static void ads_first_then_search_favorites_flagged(void **state)
{
	const int64_t ads[] = { 7, 3 };
	const int64_t search[] = { 1, 3, 9, 7, 4 };
	const int64_t favs[] = { 4, 3, 100 };
	struct display_merge_input in = { ads, N(ads), search, N(search), favs,
					  N(favs), 0 };
	struct display_pick out[16];
	size_t n = display_merge(&in, out, N(out));

	(void)state;
	assert_int_equal(n, 5);
	assert_pick(&out[0], 7, 1, 0);
	assert_pick(&out[1], 3, 1, 1);
	assert_pick(&out[2], 1, 0, 0);
	assert_pick(&out[3], 9, 0, 0);
	assert_pick(&out[4], 4, 0, 1);
}

static void favorites_only_list_them(void **state)
{
	const int64_t favs[] = { 5, 2, 5, 8 };
	struct display_merge_input in = { NULL, 0, NULL, 0, favs, N(favs), 1 };
	struct display_pick out[8];
	size_t n = display_merge(&in, out, N(out));

	(void)state;
	assert_int_equal(n, 3);
	assert_pick(&out[0], 5, 0, 1);
	assert_pick(&out[1], 2, 0, 1);
	assert_pick(&out[2], 8, 0, 1);
}

static void duplicates_and_bad_ids_dropped(void **state)
{
	const int64_t ads[] = { 2, 2, 0, -4 };
	const int64_t search[] = { 2, 6, 6 };
	struct display_merge_input in = { ads, N(ads), search, N(search), NULL,
					  0, 0 };
	struct display_pick out[8];
	size_t n = display_merge(&in, out, N(out));

	(void)state;
	assert_int_equal(n, 2);
	assert_pick(&out[0], 2, 1, 0);
	assert_pick(&out[1], 6, 0, 0);
}

static void nothing_and_room_limits(void **state)
{
	const int64_t search[] = { 1, 2, 3, 4 };
	struct display_merge_input none = { 0 };
	struct display_merge_input in = { NULL, 0, search, N(search), NULL, 0, 0 };
	struct display_pick out[2];

	(void)state;
	assert_int_equal(display_merge(&none, out, N(out)), 0);
	assert_int_equal(display_merge(&in, out, N(out)), 2);
	assert_pick(&out[1], 2, 0, 0);
	/* Favorites not asked to be the list stay flags only. */
	in.favorites = search;
	in.nfavorites = 1;
	in.search = NULL;
	in.nsearch = 0;
	assert_int_equal(display_merge(&in, out, N(out)), 0);
}

static void parse_ids(void **state)
{
	int64_t ids[3];
	size_t n = 99;
	char err[128];
	const char *ok = "{\"ids\":[3,1,2,8]}";

	(void)state;
	assert_int_equal(display_ids_parse(ok, strlen(ok), ids, 3, &n, err,
					   sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[2], 2);
	assert_int_equal(display_ids_parse("{\"ids\":[]}", 10, ids, 3, &n, err,
					   sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(display_ids_parse("{\"ids\":[1,\"2\"]}", 15, ids, 3,
					   &n, err, sizeof(err)), -1);
	assert_string_equal(err, "ids[1]: must be a positive integer");
	assert_int_equal(display_ids_parse("{\"id\":[1]}", 10, ids, 3, &n, err,
					   sizeof(err)), -1);
	assert_string_equal(err, "ids: is missing");
	assert_int_equal(display_ids_parse("[1,2]", 5, ids, 3, &n, err,
					   sizeof(err)), -1);
	assert_int_equal(display_ids_parse("<html>", 6, ids, 3, &n, err,
					   sizeof(err)), -1);
	assert_int_equal(n, 0);
}

static int check(const char *area, const char *q, const char *category,
		 const char *user, const char *limit, int *lim,
		 struct display_list_error *err)
{
	struct display_list_query lq = { area, q, category, user, limit };

	return display_list_check(&lq, lim, err);
}

static void query_checks(void **state)
{
	struct display_list_error err;
	int limit;

	(void)state;
	assert_int_equal(check("gangnam", NULL, NULL, NULL, NULL, &limit, &err), 0);
	assert_int_equal(limit, LIST_LIMIT_DEFAULT);
	assert_int_equal(check(NULL, "김밥", NULL, NULL, "100", &limit, &err), 0);
	assert_int_equal(limit, 100);
	assert_int_equal(check(NULL, NULL, NULL, "u-1@x.kr", "1", &limit, &err), 0);

	assert_int_equal(check(NULL, NULL, NULL, NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.rule, "required");
	assert_int_equal(check("", "   ", "", "", NULL, &limit, &err), -1);
	assert_string_equal(err.rule, "required");
	assert_int_equal(check("gangnam", NULL, NULL, NULL, "101", &limit, &err), -1);
	assert_string_equal(err.field, "limit");
	assert_int_equal(check("gangnam", NULL, NULL, NULL, "0", &limit, &err), -1);
	assert_int_equal(check("gangnam", NULL, NULL, NULL, "1x", &limit, &err), -1);
	assert_int_equal(check("Gangnam", NULL, NULL, NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.field, "area");
	assert_int_equal(check("-x", NULL, NULL, NULL, NULL, &limit, &err), -1);
	assert_int_equal(check(NULL, NULL, "kor ean", NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.field, "category");
	assert_int_equal(check(NULL, NULL, NULL, "u/1", NULL, &limit, &err), -1);
	assert_string_equal(err.field, "user");
	assert_int_equal(check(NULL, "a\tb", NULL, NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.field, "q");
	assert_int_equal(check(NULL, "\xff", NULL, NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.field, "q");
	assert_string_equal(err.rule, "encoding");
	assert_int_equal(check(NULL, "\xc0\xaf", NULL, NULL, NULL, &limit, &err), -1);
	assert_int_equal(check(NULL, NULL, "bbq", NULL, NULL, &limit, &err), -1);
	assert_string_equal(err.field, "category");
	assert_string_equal(err.rule, "enum");
	assert_non_null(strstr(err.detail, "korean"));
	assert_int_equal(check(NULL, NULL, "chicken", NULL, NULL, &limit, &err), 0);
	{
		char big[LIST_Q_MAX + 2];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(check(NULL, big, NULL, NULL, NULL, &limit, &err), -1);
		assert_string_equal(err.rule, "max_length");
	}
}

static void who_is_asked(void **state)
{
	struct display_list_query area = { "gangnam", NULL, NULL, NULL, NULL };
	struct display_list_query q = { NULL, "pizza", NULL, NULL, NULL };
	struct display_list_query user = { NULL, NULL, NULL, "u1", NULL };

	(void)state;
	assert_true(display_list_needs(&area, DISPLAY_DEP_ADS));
	assert_true(display_list_needs(&area, DISPLAY_DEP_SEARCH));
	assert_false(display_list_needs(&area, DISPLAY_DEP_FAVORITES));
	assert_false(display_list_needs(&q, DISPLAY_DEP_ADS));
	assert_true(display_list_needs(&q, DISPLAY_DEP_SEARCH));
	assert_true(display_list_favorites_only(&user));
	assert_false(display_list_favorites_only(&q));
	assert_false(display_list_favorites_only(&area));
}

static void urls_are_escaped(void **state)
{
	struct display_list_query lq = { "gangnam", "김 밥&x=1", "korean",
					 "u.1@x", NULL };
	char *url;

	(void)state;
	url = display_list_url(&lq, 20, DISPLAY_DEP_ADS, "http://h:1");
	assert_string_equal(url, "http://h:1/ads?area=gangnam&category=korean&limit=20");
	free(url);
	url = display_list_url(&lq, 5, DISPLAY_DEP_SEARCH, "http://h:1");
	assert_string_equal(url, "http://h:1/search?q=%EA%B9%80%20%EB%B0%A5%26x%3D1"
				 "&area=gangnam&category=korean&limit=5");
	free(url);
	url = display_list_url(&lq, 5, DISPLAY_DEP_FAVORITES, "http://h:1");
	assert_string_equal(url, "http://h:1/users/u.1%40x/favorites");
	free(url);
	lq.user = NULL;
	assert_null(display_list_url(&lq, 5, DISPLAY_DEP_FAVORITES, "http://h:1"));
	assert_null(display_list_url(&lq, 5, DISPLAY_DEP_ADS, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ads_first_then_search_favorites_flagged),
		cmocka_unit_test(favorites_only_list_them),
		cmocka_unit_test(duplicates_and_bad_ids_dropped),
		cmocka_unit_test(nothing_and_room_limits),
		cmocka_unit_test(parse_ids),
		cmocka_unit_test(query_checks),
		cmocka_unit_test(who_is_asked),
		cmocka_unit_test(urls_are_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
