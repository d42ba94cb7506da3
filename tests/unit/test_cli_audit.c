/*
 * The audit's comparison (cli/audit_compare.c) and the resync id lists
 * (cli/resync.c): each kind of drift, columns compared as each service
 * keeps them, versions that rightly lag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/audit.h"
#include "cli/resync.h"

static json_t *store_json(void)
{
	return json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:n, s:[{s:i, s:s, s:i}, {s:i, s:s, s:i}]}",
			 "id", 5, "version", 4, "name", "교촌치킨 역삼점",
			 "category", "chicken", "area", "gangnam", "status",
			 "open", "description", "menu", "id", 1, "name",
			 "허니콤보", "price", 20000, "id", 2, "name", "레드콤보",
			 "price", 21000);
}

static int compare(const char *service, const json_t *store, int64_t version,
		   int deleted, const char *row_text, struct audit_drift *d)
{
	struct audit_truth t = { 5, version, deleted, store };
	json_t *row = row_text ? json_loads(row_text, 0, NULL) : NULL;
	int rc;

	if (row_text != NULL)
		assert_non_null(row);
	rc = audit_compare(service, &t, row, d);
	json_decref(row);
	return rc;
}

static void converged_copies(void **state)
{
	json_t *s = store_json();
	struct audit_drift d;

	(void)state;
	/* search keeps the menu as item names; an older version is fine
	 * when the columns agree (events it skipped touched none). */
	assert_int_equal(compare("search", s, 4, 0,
				 "{\"id\":5,\"version\":2,\"deleted\":false,"
				 "\"name\":\"교촌치킨 역삼점\",\"category\":\"chicken\","
				 "\"area\":\"gangnam\",\"menu\":[\"허니콤보\",\"레드콤보\"]}",
				 &d),
			 0);
	assert_int_equal(compare("ads", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"deleted\":false,"
				 "\"area\":\"gangnam\",\"category\":\"chicken\","
				 "\"status\":\"open\"}",
				 &d),
			 0);
	/* A missing description is "" in a copy, null in the store. */
	assert_int_equal(compare("favorites", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"deleted\":false,"
				 "\"name\":\"교촌치킨 역삼점\",\"status\":\"open\","
				 "\"description\":\"\"}",
				 &d),
			 0);
	/* A deleted store: no copy, or a tombstone, is converged. */
	assert_int_equal(compare("reviews", NULL, 6, 1, NULL, &d), 0);
	assert_int_equal(compare("reviews", NULL, 6, 1,
				 "{\"id\":5,\"version\":6,\"deleted\":true,\"name\":\"\"}",
				 &d),
			 0);
	json_decref(s);
}

static void drift_kinds(void **state)
{
	json_t *s = store_json();
	struct audit_drift d;

	(void)state;
	assert_int_equal(compare("search", s, 4, 0, NULL, &d), 1);
	assert_int_equal(d.kind, AUDIT_MISSING);
	assert_int_equal(d.held_version, 0);
	assert_int_equal(d.version, 4);

	assert_int_equal(compare("search", s, 4, 0,
				 "{\"id\":5,\"version\":3,\"deleted\":true}", &d),
			 1);
	assert_int_equal(d.kind, AUDIT_MISSING);
	assert_int_equal(d.held_version, 3);

	assert_int_equal(compare("search", s, 4, 0,
				 "{\"id\":5,\"version\":3,\"deleted\":false,"
				 "\"name\":\"옛 이름\",\"category\":\"chicken\","
				 "\"area\":\"gangnam\",\"menu\":[\"허니콤보\"]}",
				 &d),
			 1);
	assert_int_equal(d.kind, AUDIT_STALE);
	assert_string_equal(d.fields, "name, menu");
	assert_string_equal(audit_kind_name(d.kind), "stale");

	assert_int_equal(compare("ads", NULL, 6, 1,
				 "{\"id\":5,\"version\":4,\"deleted\":false,"
				 "\"area\":\"gangnam\"}",
				 &d),
			 1);
	assert_int_equal(d.kind, AUDIT_DELETED);
	assert_int_equal(d.version, 6);

	assert_int_equal(compare("ads", NULL, 0, 0,
				 "{\"id\":5,\"version\":1,\"deleted\":false}", &d),
			 1);
	assert_int_equal(d.kind, AUDIT_EXTRA);
	json_decref(s);
}

static void display_and_unknown_services(void **state)
{
	json_t *s = store_json();
	struct audit_drift d;

	(void)state;
	/* display's document: its own members are not the store's. */
	assert_int_equal(compare("display", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"name\":\"교촌치킨 역삼점\","
				 "\"category\":\"chicken\",\"area\":\"gangnam\","
				 "\"status\":\"open\",\"updated_at\":\"x\","
				 "\"reviews\":{\"count\":1},\"menu\":[{\"id\":1,"
				 "\"name\":\"허니콤보\",\"price\":20000},{\"id\":2,"
				 "\"name\":\"레드콤보\",\"price\":21000}]}",
				 &d),
			 0);
	assert_int_equal(compare("display", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"name\":\"교촌치킨 역삼점\","
				 "\"category\":\"chicken\",\"area\":\"gangnam\","
				 "\"status\":\"closed\",\"menu\":[]}",
				 &d),
			 1);
	assert_string_equal(d.fields, "status, menu");
	/* A service this build does not know: the columns its copy shows. */
	assert_int_equal(compare("loyalty", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"deleted\":false,"
				 "\"status\":\"open\"}",
				 &d),
			 0);
	assert_int_equal(compare("loyalty", s, 4, 0,
				 "{\"id\":5,\"version\":4,\"deleted\":false,"
				 "\"status\":\"paused\"}",
				 &d),
			 1);
	assert_string_equal(d.fields, "status");
	json_decref(s);
}

static void resync_id_lists(void **state)
{
	int64_t *ids;
	size_t n;
	char err[256];

	(void)state;
	assert_int_equal(resync_parse_ids("9,1,5-7,6", &ids, &n, err,
					  sizeof(err)),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 5);
	assert_int_equal(ids[3], 7);
	assert_int_equal(ids[4], 9);
	free(ids);
	assert_int_equal(resync_parse_ids("1,,2", &ids, &n, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "\"\" is not a store id"));
	/* The error names the item and what is wrong with it. */
	assert_int_equal(resync_parse_ids("1,7-3", &ids, &n, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "\"7-3\" runs backwards"));
	assert_int_equal(resync_parse_ids("0", &ids, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"0\" is not a store id"));
	assert_int_equal(resync_parse_ids("2,x,3", &ids, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"x\" is not a store id"));
	assert_int_equal(resync_parse_ids("1-99999999", &ids, &n, err,
					  sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "\"1-99999999\" spans more than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(converged_copies),
		cmocka_unit_test(drift_kinds),
		cmocka_unit_test(display_and_unknown_services),
		cmocka_unit_test(resync_id_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
