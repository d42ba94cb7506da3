/* store-svc's read-path encoder writes exactly the text jansson would
 * write for the same store, member order and escapes included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store-svc/store_json.h"

static void fill_minimal(struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->id = 7;
	s->version = 1;
	strcpy(s->owner, "owner-1");
	strcpy(s->name, "Kimbap");
	strcpy(s->category, "korean");
	strcpy(s->status, "open");
	strcpy(s->created_at, "2026-11-24T10:00:00.123Z");
	strcpy(s->updated_at, "2026-11-24T10:00:00.123Z");
}

/* store_json_text(s) == json_dumps(store_model_to_json(s), JSON_COMPACT) */
static void assert_same_text(const struct store *s)
{
	json_t *tree = store_model_to_json(s);
	char *want = json_dumps(tree, JSON_COMPACT);
	size_t len = 0;
	char *got = store_json_text(s, &len);

	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
	free(want);
	json_decref(tree);
}

static void test_minimal_store(void **state)
{
	struct store s;

	(void)state;
	fill_minimal(&s);
	assert_same_text(&s);
}

static void test_every_member_and_escapes(void **state)
{
	struct store s;

	(void)state;
	fill_minimal(&s);
	s.id = 9007199254740993LL;
	s.version = 42;
	strcpy(s.name, "\"김밥\\천국\" \t\n\r\b\f \x01\x1f end");
	strcpy(s.phone, "02-555-0101");
	strcpy(s.address.road, "테헤란로 1 / \"A\"");
	strcpy(s.address.detail, "2층");
	strcpy(s.address.postal_code, "06236");
	strcpy(s.area, "gangnam-1");
	s.hours.set = 1;
	s.hours.day[0].n = 1;
	s.hours.day[0].r[0].open = 9 * 60;
	s.hours.day[0].r[0].close = 21 * 60 + 30;
	strcpy(s.status, "paused");
	strcpy(s.status_reason, "재료 소진 </script>");
	s.min_order = 12000;
	s.delivery_fee = -1;
	strcpy(s.description, "line one\nline two \xe2\x80\xa8 ok");
	s.menu = json_pack("[{s:i, s:s, s:i, s:b}, {s:i, s:s, s:i, s:b}]",
			   "id", 1, "name", "떡볶이 \"매운\"", "price", 4500,
			   "sold_out", 0, "id", 2, "name", "a\\b", "price", 0,
			   "sold_out", 1);
	assert_non_null(s.menu);
	assert_same_text(&s);
	/* Only the road of an address. */
	s.address.detail[0] = '\0';
	s.address.postal_code[0] = '\0';
	assert_same_text(&s);
	json_decref(s.menu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_store),
		cmocka_unit_test(test_every_member_and_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
