/*
 * ads-svc's campaign rules (each violation named), status over time and
 * representation; then its SQLite adapter: the copy, campaigns, and the
 * ranking of GET /ads (open, live, running, by bid).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/tmpdb.h"
#include "ads-svc/ads_db.h"
#include "ads-svc/campaign.h"

/* 2026-11-24T10:00:00Z */
#define NOW 1795514400000.0
#define HOUR 3600000.0

static int check(const char *text, struct ads_campaign *c,
		 struct ds_violation *v)
{
	json_t *body = json_loads(text, 0, NULL);
	int rc;

	assert_non_null(body);
	rc = ads_campaign_check(body, NOW, c, v);
	json_decref(body);
	return rc;
}

static void refused(const char *text, const char *field, const char *rule)
{
	struct ads_campaign c;
	struct ds_violation v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(check(text, &c, &v), -1);
	assert_string_equal(v.field, field);
	assert_string_equal(v.rule, rule);
	assert_true(strlen(v.detail) > 0);
}

static void test_valid(void **state)
{
	struct ads_campaign c;
	struct ds_violation v;

	(void)state;
	assert_int_equal(check("{\"store_id\":42,\"area\":\"gangnam\",\"bid\":1200,"
			       "\"starts_at\":\"2026-11-24T09:00:00Z\","
			       "\"ends_at\":\"2026-11-25T00:00:00.500Z\"}", &c, &v), 0);
	assert_int_equal(c.store_id, 42);
	assert_string_equal(c.area, "gangnam");
	assert_int_equal(c.bid, 1200);
	assert_true(c.starts_at_ms == NOW - HOUR);
	assert_true(c.ends_at_ms == NOW + 14 * HOUR + 500);
	assert_true(c.created_at_ms == NOW);
	/* starts_at defaults to now. */
	assert_int_equal(check("{\"store_id\":1,\"area\":\"mapo-1\",\"bid\":1,"
			       "\"ends_at\":\"2026-11-24T11:00:00Z\"}", &c, &v), 0);
	assert_true(c.starts_at_ms == NOW);
}

static void test_refused(void **state)
{
	(void)state;
	refused("{\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"store_id", "required");
	refused("{\"store_id\":0,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"store_id", "range");
	refused("{\"store_id\":1.5,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"store_id", "type");
	refused("{\"store_id\":1,\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"area", "required");
	refused("{\"store_id\":1,\"area\":\"-gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"area", "pattern");
	refused("{\"store_id\":1,\"area\":\"강남\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"area", "pattern");
	refused("{\"store_id\":1,\"area\":\"g\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"area", "length");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1000001,\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"bid", "range");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"bid", "required");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1}", "ends_at", "required");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25\"}",
		"ends_at", "format");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":5}",
		"ends_at", "type");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"starts_at\":\"soon\",\"ends_at\":\"2026-11-25T00:00:00Z\"}",
		"starts_at", "format");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-24T09:59:59Z\"}",
		"ends_at", "range");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"starts_at\":\"2026-11-26T00:00:00Z\","
		"\"ends_at\":\"2026-11-25T00:00:00Z\"}", "ends_at", "order");
	refused("{\"store_id\":1,\"area\":\"gangnam\",\"bid\":1,\"ends_at\":\"2026-11-25T00:00:00Z\",\"x\":1}",
		"x", "unknown");
	refused("[]", "", "type");
}

static void test_status_and_json(void **state)
{
	struct ads_campaign c = { .id = 7, .store_id = 42, .area = "gangnam",
				  .bid = 500, .starts_at_ms = NOW,
				  .ends_at_ms = NOW + HOUR, .created_at_ms = NOW - 1 };
	json_t *j;

	(void)state;
	assert_int_equal(ads_campaign_status(&c, NOW - 1), ADS_SCHEDULED);
	assert_int_equal(ads_campaign_status(&c, NOW), ADS_ACTIVE);
	assert_int_equal(ads_campaign_status(&c, NOW + HOUR), ADS_ENDED);
	c.ended_at_ms = NOW + 1;
	assert_int_equal(ads_campaign_status(&c, NOW + 2), ADS_ENDED);
	j = ads_campaign_json(&c, NOW + 2);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ended");
	assert_string_equal(json_string_value(json_object_get(j, "starts_at")),
			    "2026-11-24T10:00:00.000Z");
	assert_true(json_is_string(json_object_get(j, "ended_at")));
	assert_int_equal(json_integer_value(json_object_get(j, "bid")), 500);
	json_decref(j);
	c.ended_at_ms = 0;
	j = ads_campaign_json(&c, NOW);
	assert_true(json_is_null(json_object_get(j, "ended_at")));
	json_decref(j);
}

/* ---- the adapter ------------------------------------------------------ */

struct fixture {
	struct tmpdb tmp;
	struct ads_db *db;
	struct replica_port port;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "ads.db"))
		return -1;
	f->db = ads_db_open(f->tmp.path, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	ads_db_port(f->db, &f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ads_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void put(struct fixture *f, int64_t id, const char *area,
		const char *category, const char *status, int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)id,
			      "name", "x", "area", area, "category", category,
			      "status", status, "version", (json_int_t)version);

	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

static int64_t campaign(struct fixture *f, int64_t store, const char *area,
			int64_t bid, double starts, double ends,
			enum ads_db_result want)
{
	struct ads_campaign c = { .store_id = store, .bid = bid,
				  .starts_at_ms = starts, .ends_at_ms = ends,
				  .created_at_ms = NOW };

	snprintf(c.area, sizeof(c.area), "%s", area);
	assert_int_equal(ads_db_create(f->db, &c), want);
	return c.id;
}

/* The ids GET /ads would answer, as text "[3,1]". */
static const char *ads(struct fixture *f, const char *area,
		       const char *category)
{
	static char out[128];
	int64_t ids[16];
	size_t n = 0, len = 0;

	assert_int_equal(ads_db_ads(f->db, area, category, NOW, ids, 16, &n), 0);
	len += (size_t)snprintf(out, sizeof(out), "[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%lld",
					i ? "," : "", (long long)ids[i]);
	snprintf(out + len, sizeof(out) - len, "]");
	return out;
}

static void test_ads_ranking(void **state)
{
	struct fixture *f = *state;
	struct ads_campaign c;
	int64_t v, active = 0, stores = 0, first;

	put(f, 1, "gangnam", "korean", "open", 1);
	put(f, 2, "gangnam", "chicken", "open", 1);
	put(f, 3, "mapo", "korean", "open", 1);
	put(f, 4, "gangnam", "korean", "closed", 1);
	first = campaign(f, 1, "gangnam", 1000, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 1, "gangnam", 1500, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 2, "gangnam", 3000, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 3, "mapo", 5000, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 4, "gangnam", 9000, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 2, "gangnam", 9999, NOW + HOUR, NOW + 2 * HOUR, ADS_DB_OK);
	campaign(f, 3, "gangnam", 9999, NOW - 2 * HOUR, NOW - HOUR, ADS_DB_OK);
	campaign(f, 99, "gangnam", 1, NOW - HOUR, NOW + HOUR, ADS_DB_NO_STORE);

	/* Open, running; a store's best bid counts; closed, scheduled and
	 * expired campaigns do not. */
	assert_string_equal(ads(f, "gangnam", NULL), "[2,1]");
	assert_string_equal(ads(f, "gangnam", "korean"), "[1]");
	assert_string_equal(ads(f, NULL, NULL), "[3,2,1]");
	assert_string_equal(ads(f, NULL, "korean"), "[3,1]");
	assert_string_equal(ads(f, "jongno", NULL), "[]");

	/* The copy follows: a newer version applies, an older one does not. */
	put(f, 4, "gangnam", "korean", "open", 2);
	assert_string_equal(ads(f, "gangnam", NULL), "[4,2,1]");
	put(f, 4, "gangnam", "korean", "closed", 1);
	assert_string_equal(ads(f, "gangnam", NULL), "[4,2,1]");
	assert_int_equal(f->port.held_version(f->port.ctx, 4, &v), 0);
	assert_int_equal(v, 2);
	/* Deleted: off the list, and no new campaign. */
	assert_int_equal(f->port.remove(f->port.ctx, 4, 3), 0);
	assert_string_equal(ads(f, "gangnam", NULL), "[2,1]");
	campaign(f, 4, "gangnam", 1, NOW - HOUR, NOW + HOUR, ADS_DB_NO_STORE);

	/* Ending by hand: once; the end time stays. */
	assert_int_equal(ads_db_end(f->db, first, NOW, &c), ADS_DB_OK);
	assert_true(c.ended_at_ms == NOW);
	assert_int_equal(ads_db_end(f->db, first, NOW + 5, &c), ADS_DB_OK);
	assert_true(c.ended_at_ms == NOW);
	assert_int_equal(ads_db_end(f->db, 12345, NOW, &c), ADS_DB_NOT_FOUND);
	assert_string_equal(ads(f, "gangnam", NULL), "[2,1]"); /* 1500 still runs */

	assert_int_equal(ads_db_counts(f->db, NOW, &stores, &active), 0);
	assert_int_equal(stores, 3);
	assert_int_equal(active, 4);
}

static void test_list_and_copy(void **state)
{
	struct fixture *f = *state;
	struct ds_copy_ops copy;
	enum ds_store_state st;
	json_t *list, *page, *store;

	put(f, 1, "gangnam", "korean", "open", 1);
	campaign(f, 1, "gangnam", 10, NOW - HOUR, NOW + HOUR, ADS_DB_OK);
	campaign(f, 1, "gangnam", 20, NOW + HOUR, NOW + 2 * HOUR, ADS_DB_OK);
	list = ads_db_list(f->db, 1, 10, NOW);
	assert_int_equal(json_array_size(json_object_get(list, "campaigns")), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(list, "campaigns"), 0), "bid")), 20);
	json_decref(list);
	list = ads_db_list(f->db, 2, 10, NOW);
	assert_int_equal(json_array_size(json_object_get(list, "campaigns")), 0);
	json_decref(list);

	/* The copy as the HTTP side sees it. */
	ads_db_copy(f->db, &copy);
	assert_int_equal(copy.state(copy.ctx, 1, &st), 0);
	assert_int_equal(st, DS_STORE_FOUND);
	assert_int_equal(copy.state(copy.ctx, 2, &st), 0);
	assert_int_equal(st, DS_STORE_MISSING);
	store = json_pack("{s:i, s:s, s:s, s:s, s:i}", "id", 2, "area", "mapo",
			  "category", "pizza", "status", "open", "version", 4);
	assert_int_equal(copy.put(copy.ctx, store), 0);
	json_decref(store);
	assert_int_equal(copy.tombstone(copy.ctx, 3, 7), 0);
	assert_int_equal(copy.state(copy.ctx, 3, &st), 0);
	assert_int_equal(st, DS_STORE_DELETED);

	page = ads_db_replica(f->db, 0, 2);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 2);
	assert_int_equal(json_integer_value(json_object_get(page, "next")), 2);
	store = json_array_get(json_object_get(page, "stores"), 1);
	assert_string_equal(json_string_value(json_object_get(store, "category")), "pizza");
	assert_true(json_is_false(json_object_get(store, "deleted")));
	json_decref(page);
	page = ads_db_replica(f->db, 2, 2);
	assert_true(json_is_null(json_object_get(page, "next")));
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(page, "stores"), 0), "deleted")));
	json_decref(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_status_and_json),
		cmocka_unit_test_setup_teardown(test_ads_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_and_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
