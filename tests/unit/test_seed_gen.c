/* The demo data generator: deterministic, unique names, valid fields, and
 * only what the store API accepts is sent. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/seed.h"

static const char *const categories[] = {
	"korean", "chinese", "japanese", "western", "chicken", "pizza",
	"burger", "cafe", "dessert", "snack", "other",
};

static void same_every_time(void **state)
{
	struct seed_store *a = calloc(SEED_STORES, sizeof(*a));
	struct seed_store *b = calloc(SEED_STORES, sizeof(*b));

	(void)state;
	assert_int_equal(seed_generate(a, SEED_STORES), SEED_STORES);
	assert_int_equal(seed_generate(b, SEED_STORES), SEED_STORES);
	assert_memory_equal(a, b, SEED_STORES * sizeof(*a));
	/* The first store is part of the contract of the lifecycle test. */
	assert_string_equal(a[0].name, "라화쿵부 논현점");
	assert_true(SEED_STORES >= 200);
	assert_int_equal(seed_generate(a, SEED_STORES + 1), 0);
	free(a);
	free(b);
}

static void fields_are_valid(void **state)
{
	struct seed_store *s = calloc(SEED_STORES, sizeof(*s));
	int owners[SEED_OWNERS + 1] = { 0 };
	int cats[sizeof(categories) / sizeof(categories[0])] = { 0 };
	size_t closed = 0, areas = 0;
	const char *seen_areas[16];
	regex_t phone;

	(void)state;
	assert_int_equal(regcomp(&phone, "^0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}$",
				 REG_EXTENDED | REG_NOSUB), 0);
	seed_generate(s, SEED_STORES);
	for (size_t i = 0; i < SEED_STORES; i++) {
		int known = 0, n;
		size_t k;

		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s[i].name, s[j].name);
		assert_int_equal(sscanf(s[i].owner, "owner-%d", &n), 1);
		assert_true(n >= 1 && n <= SEED_OWNERS);
		owners[n]++;
		for (k = 0; k < sizeof(categories) / sizeof(categories[0]); k++)
			if (strcmp(categories[k], s[i].category) == 0) {
				cats[k]++;
				known = 1;
			}
		assert_true(known);
		assert_int_equal(regexec(&phone, s[i].phone, 0, NULL, 0), 0);
		closed += strcmp(s[i].status, "closed") == 0;
		assert_true(strcmp(s[i].status, "open") == 0 ||
			    strcmp(s[i].status, "closed") == 0);
		assert_non_null(strstr(s[i].address, s[i].district));
		assert_true(s[i].menu_n >= 3);
		for (k = 0; k < areas; k++)
			if (strcmp(seen_areas[k], s[i].area) == 0)
				break;
		if (k == areas && areas < 16)
			seen_areas[areas++] = s[i].area;
	}
	for (int n = 1; n <= SEED_OWNERS; n++)
		assert_true(owners[n] > 0);
	for (size_t k = 0; k < sizeof(cats) / sizeof(cats[0]); k++)
		assert_true(cats[k] > 0);
	assert_true(closed > 0 && closed < SEED_STORES / 4);
	assert_true(areas >= 6);
	regfree(&phone);
	free(s);
}

/* Hours in store-svc's shape: every day a list, "24:00" at the end. */
static void hours_shape(void **state)
{
	struct seed_store *s = calloc(SEED_STORES, sizeof(*s));
	int overnight = 0, closed_days = 0, all_day = 0;

	(void)state;
	seed_generate(s, SEED_STORES);
	for (size_t i = 0; i < SEED_STORES; i++) {
		json_t *o = seed_store_json(&s[i], SEED_F_HOURS);
		json_t *h = json_object_get(o, "hours");
		const char *key;
		json_t *day;

		assert_int_equal(json_object_size(h), 7);
		json_object_foreach(h, key, day) {
			const char *open, *close;

			assert_true(json_is_array(day));
			if (json_array_size(day) == 0) {
				closed_days++;
				continue;
			}
			open = json_string_value(json_object_get(json_array_get(day, 0), "open"));
			close = json_string_value(json_object_get(json_array_get(day, 0), "close"));
			assert_int_equal(strlen(open), 5);
			assert_int_equal(strlen(close), 5);
			assert_string_not_equal(open, close);
			assert_true(strcmp(close, "24:00") <= 0);
			overnight += strcmp(close, open) < 0;
			all_day += strcmp(open, "00:00") == 0 && strcmp(close, "24:00") == 0;
		}
		json_decref(o);
	}
	assert_true(overnight > 0 && closed_days > 0 && all_day > 0);
	free(s);
}

static void json_sends_what_is_asked(void **state)
{
	struct seed_store s;
	json_t *o;

	(void)state;
	seed_generate(&s, 1);
	o = seed_store_json(&s, SEED_F_OWNER | SEED_F_NAME | SEED_F_CATEGORY |
				      SEED_F_PHONE | SEED_F_STATUS);
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 5);
	assert_string_equal(json_string_value(json_object_get(o, "name")), s.name);
	assert_null(json_object_get(o, "menu"));
	json_decref(o);
	o = seed_store_json(&s, SEED_API_FIELDS);
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 11);
	assert_string_equal(json_string_value(json_object_get(o, "area")), s.area);
	assert_int_equal(json_array_size(json_object_get(o, "menu")), s.menu_n);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(o, "address"), "road")),
			    s.address);
	assert_int_equal(strlen(json_string_value(json_object_get(
				    json_object_get(o, "address"), "postal_code"))),
			 5);
	assert_int_equal(json_object_size(json_object_get(o, "hours")), 7);
	json_decref(o);
}

/* Campaigns, reviews and favorites: the same every time, and valid. */
static void activity(void **state)
{
	static struct seed_store st[SEED_STORES];
	static struct seed_campaign c1[SEED_CAMPAIGNS_MAX], c2[SEED_CAMPAIGNS_MAX];
	static struct seed_review r1[SEED_REVIEWS_MAX], r2[SEED_REVIEWS_MAX];
	static struct seed_favorite f1[SEED_FAVORITES_MAX], f2[SEED_FAVORITES_MAX];
	size_t nc, nr, nf;

	(void)state;
	assert_int_equal(seed_generate(st, SEED_STORES), SEED_STORES);
	nc = seed_campaigns(st, SEED_STORES, c1);
	nr = seed_reviews(st, SEED_STORES, r1);
	nf = seed_favorites(st, SEED_STORES, f1);
	assert_int_equal(seed_campaigns(st, SEED_STORES, c2), nc);
	assert_int_equal(seed_reviews(st, SEED_STORES, r2), nr);
	assert_int_equal(seed_favorites(st, SEED_STORES, f2), nf);
	assert_memory_equal(c1, c2, nc * sizeof(c1[0]));
	assert_memory_equal(r1, r2, nr * sizeof(r1[0]));
	assert_memory_equal(f1, f2, nf * sizeof(f1[0]));
	/* Enough to show: ads in every area, reviews, favorites. */
	assert_true(nc >= 24);
	assert_true(nr >= 100);
	assert_true(nf >= 3 * SEED_USERS);
	for (size_t i = 0; i < nc; i++) {
		assert_true(c1[i].store < SEED_STORES);
		assert_string_equal(st[c1[i].store].status, "open");
		assert_true(c1[i].bid >= 100 && c1[i].bid <= 3000);
		assert_true(c1[i].days >= 30);
	}
	for (size_t i = 0; i < nr; i++) {
		assert_true(r1[i].rating >= 1 && r1[i].rating <= 5);
		assert_true(strlen(r1[i].text) > 0);
		assert_int_equal(strncmp(r1[i].user, "user-", 5), 0);
		/* A store's reviews come together (seeding skips by store). */
		if (i > 0 && r1[i].store != r1[i - 1].store)
			for (size_t j = 0; j + 1 < i; j++)
				assert_true(r1[j].store != r1[i].store);
	}
	for (size_t i = 0; i < nf; i++)
		for (size_t j = 0; j < i; j++)
			assert_false(f1[j].store == f1[i].store &&
				     strcmp(f1[j].user, f1[i].user) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_every_time),
		cmocka_unit_test(fields_are_valid),
		cmocka_unit_test(hours_shape),
		cmocka_unit_test(json_sends_what_is_asked),
		cmocka_unit_test(activity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
