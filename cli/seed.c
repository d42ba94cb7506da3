/* Seeding: the generated demo stores, created through the store API. */
#include "cli/seed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "common/clock.h"

#define SEED_TIMEOUT_MS 5000
#define SEED_PAGE 1000

/*
 * Marks in have[] the generated stores whose names the service already
 * holds, reading every page of GET /stores.
 */
static int seed_mark_existing(struct api_client *c,
			      const struct seed_store *stores, size_t n,
			      int *have, char *err, size_t errlen)
{
	int64_t after = 0;

	for (;;) {
		struct api_result res = { 0 };
		char query[64];
		json_t *list, *item;
		size_t i, got;

		snprintf(query, sizeof(query), "limit=%d&after=%" PRId64,
			 SEED_PAGE, after);
		if (api_stores_list(c, query, &res) != 0 || res.status != 200) {
			snprintf(err, errlen, "listing stores failed: %s%s",
				 res.status ? "" : "no answer: ", res.error);
			api_result_clear(&res);
			return -1;
		}
		list = json_object_get(res.body, "stores");
		got = json_array_size(list);
		json_array_foreach(list, i, item) {
			const char *name = json_string_value(
				json_object_get(item, "name"));
			json_int_t id = json_integer_value(
				json_object_get(item, "id"));

			if (id > after)
				after = id;
			for (size_t k = 0; name != NULL && k < n; k++)
				if (strcmp(name, stores[k].name) == 0)
					have[k] = 1;
		}
		api_result_clear(&res);
		if (got < SEED_PAGE)
			return 0;
	}
}

int seed_demo_stores(const char *store_url, const char *token,
		     volatile sig_atomic_t *cancel, char *err, size_t errlen)
{
	struct seed_store *stores = calloc(SEED_STORES, sizeof(*stores));
	int *have = calloc(SEED_STORES, sizeof(*have));
	struct api_client *c = api_client_new(store_url, token,
					      SEED_TIMEOUT_MS);
	int created = 0;

	if (stores == NULL || have == NULL || c == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (seed_generate(stores, SEED_STORES) != SEED_STORES) {
		snprintf(err, errlen, "the demo data generator cannot make %d stores",
			 SEED_STORES);
		goto fail;
	}
	if (seed_mark_existing(c, stores, SEED_STORES, have, err, errlen))
		goto fail;
	for (size_t k = 0; k < SEED_STORES; k++) {
		const struct seed_store *s = &stores[k];
		struct api_result res = { 0 };
		json_t *body;
		int rc;

		if (have[k])
			continue;
		if (cancel != NULL && *cancel) {
			snprintf(err, errlen, "interrupted while seeding");
			goto fail;
		}
		body = seed_store_json(s, SEED_API_FIELDS);
		if (body == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		rc = api_store_create(c, body, &res);
		json_decref(body);
		if (rc != 0 || res.status / 100 != 2) {
			if (rc != 0)
				snprintf(err, errlen, "creating \"%s\": no answer: %s",
					 s->name, res.error);
			else
				snprintf(err, errlen, "creating \"%s\": HTTP %ld: %s",
					 s->name, res.status, res.error);
			api_result_clear(&res);
			goto fail;
		}
		api_result_clear(&res);
		created++;
	}
	api_client_free(c);
	free(stores);
	free(have);
	return created;
fail:
	api_client_free(c);
	free(stores);
	free(have);
	return -1;
}

/* The ids of the generated stores, by name, from every page of GET /stores. */
static int seed_store_ids(struct api_client *c, const struct seed_store *stores,
			  size_t n, int64_t *ids, char *err, size_t errlen)
{
	int64_t after = 0;

	memset(ids, 0, n * sizeof(*ids));
	for (;;) {
		struct api_result res = { 0 };
		char query[64];
		json_t *item;
		size_t i, got;

		snprintf(query, sizeof(query), "limit=%d&after=%" PRId64,
			 SEED_PAGE, after);
		if (api_stores_list(c, query, &res) != 0 || res.status != 200) {
			snprintf(err, errlen, "listing stores failed: %s%s",
				 res.status ? "" : "no answer: ", res.error);
			api_result_clear(&res);
			return -1;
		}
		got = json_array_size(json_object_get(res.body, "stores"));
		json_array_foreach(json_object_get(res.body, "stores"), i, item) {
			const char *name = json_string_value(
				json_object_get(item, "name"));
			json_int_t id = json_integer_value(
				json_object_get(item, "id"));

			if (id > after)
				after = id;
			for (size_t k = 0; name != NULL && k < n; k++)
				if (ids[k] == 0 && strcmp(name, stores[k].name) == 0)
					ids[k] = id;
		}
		api_result_clear(&res);
		if (got < SEED_PAGE)
			return 0;
	}
}

/*
 * One call on c; 0 when it answered status (or another 2xx when status
 * is 0), else -1 with err naming what.
 */
static int seed_call(struct api_client *c, const char *method,
		     const char *path, const json_t *body, long status,
		     json_t **answer, const char *what, char *err,
		     size_t errlen)
{
	struct api_result res = { 0 };
	int rc = 0;

	if (answer != NULL)
		*answer = NULL;
	if (api_request(c, method, path, body, 0, &res) != 0) {
		snprintf(err, errlen, "%s: no answer: %s", what, res.error);
		rc = -1;
	} else if (status ? res.status != status : res.status / 100 != 2) {
		snprintf(err, errlen, "%s: HTTP %ld: %s", what, res.status,
			 res.error);
		rc = -1;
	} else if (answer != NULL) {
		*answer = res.body;
		res.body = NULL;
	}
	api_result_clear(&res);
	return rc;
}

/* The number of items of list member key in GET path, or -1 with err. */
static long seed_count(struct api_client *c, const char *path,
		       const char *key, const char *what, char *err,
		       size_t errlen)
{
	json_t *answer;
	long n;

	if (seed_call(c, "GET", path, NULL, 200, &answer, what, err, errlen))
		return -1;
	n = (long)json_array_size(json_object_get(answer, key));
	json_decref(answer);
	return n;
}

static int seed_make_campaigns(struct api_client *c,
			       const struct seed_store *stores, size_t n,
			       const int64_t *ids, volatile sig_atomic_t *cancel,
			       int *made, char *err, size_t errlen)
{
	struct seed_campaign *v = calloc(SEED_CAMPAIGNS_MAX, sizeof(*v));
	size_t k = v ? seed_campaigns(stores, n, v) : 0;
	int rc = v ? 0 : -1;

	if (v == NULL)
		snprintf(err, errlen, "out of memory");
	for (size_t i = 0; rc == 0 && i < k; i++) {
		const struct seed_store *s = &stores[v[i].store];
		int64_t id = ids[v[i].store];
		char path[64], ends[32], what[160];
		json_t *body;
		long have;

		if (id == 0 || (cancel != NULL && *cancel))
			continue;
		snprintf(path, sizeof(path), "/campaigns?store_id=%" PRId64, id);
		snprintf(what, sizeof(what), "ads-svc: campaigns of \"%s\"", s->name);
		have = seed_count(c, path, "campaigns", what, err, errlen);
		if (have < 0) {
			rc = -1;
			break;
		}
		if (have > 0)
			continue;
		clock_format_iso(clock_wall_ms() + v[i].days * 86400000.0, ends,
				 sizeof(ends));
		body = json_pack("{s:I, s:s, s:i, s:s}", "store_id",
				 (json_int_t)id, "area", s->area, "bid",
				 v[i].bid, "ends_at", ends);
		rc = seed_call(c, "POST", "/campaigns", body, 201, NULL, what,
			       err, errlen);
		json_decref(body);
		*made += rc == 0;
	}
	free(v);
	return rc;
}

static int seed_make_reviews(struct api_client *c,
			     const struct seed_store *stores, size_t n,
			     const int64_t *ids, volatile sig_atomic_t *cancel,
			     int *made, char *err, size_t errlen)
{
	struct seed_review *v = calloc(SEED_REVIEWS_MAX, sizeof(*v));
	size_t k = v ? seed_reviews(stores, n, v) : 0;
	size_t skip = SEED_STORES; /* a store that has reviews already */
	int rc = v ? 0 : -1;

	if (v == NULL)
		snprintf(err, errlen, "out of memory");
	for (size_t i = 0; rc == 0 && i < k; i++) {
		int64_t id = ids[v[i].store];
		char path[64], what[160];
		json_t *body;

		if (id == 0 || v[i].store == skip || (cancel != NULL && *cancel))
			continue;
		snprintf(path, sizeof(path), "/stores/%" PRId64 "/reviews", id);
		snprintf(what, sizeof(what), "reviews-svc: reviews of \"%s\"",
			 stores[v[i].store].name);
		/* The first review of a store: are there some already? */
		if (i == 0 || v[i - 1].store != v[i].store) {
			long have = seed_count(c, path, "reviews", what, err,
					       errlen);

			if (have < 0) {
				rc = -1;
				break;
			}
			if (have > 0) {
				skip = v[i].store;
				continue;
			}
		}
		body = json_pack("{s:s, s:i, s:s}", "user", v[i].user, "rating",
				 v[i].rating, "text", v[i].text);
		rc = seed_call(c, "POST", path, body, 201, NULL, what, err,
			       errlen);
		json_decref(body);
		*made += rc == 0;
	}
	free(v);
	return rc;
}

static int seed_make_favorites(struct api_client *c,
			       const struct seed_store *stores, size_t n,
			       const int64_t *ids, volatile sig_atomic_t *cancel,
			       int *made, char *err, size_t errlen)
{
	struct seed_favorite *v = calloc(SEED_FAVORITES_MAX, sizeof(*v));
	size_t k = v ? seed_favorites(stores, n, v) : 0;
	int rc = v ? 0 : -1;

	if (v == NULL)
		snprintf(err, errlen, "out of memory");
	for (size_t i = 0; rc == 0 && i < k; i++) {
		int64_t id = ids[v[i].store];
		char path[96], what[160];

		if (id == 0 || (cancel != NULL && *cancel))
			continue;
		snprintf(path, sizeof(path), "/users/%s/favorites/%" PRId64,
			 v[i].user, id);
		snprintf(what, sizeof(what), "favorites-svc: %s's favorite \"%s\"",
			 v[i].user, stores[v[i].store].name);
		rc = seed_call(c, "PUT", path, NULL, 204, NULL, what, err,
			       errlen);
		*made += rc == 0;
	}
	free(v);
	return rc;
}

int seed_demo_activity(const struct seed_targets *t,
		       volatile sig_atomic_t *cancel, struct seed_counts *made,
		       char *err, size_t errlen)
{
	struct seed_store *stores = calloc(SEED_STORES, sizeof(*stores));
	int64_t *ids = calloc(SEED_STORES, sizeof(*ids));
	struct api_client *c = api_client_new(t->store_url, t->token,
					      SEED_TIMEOUT_MS);
	const char *urls[] = { t->ads_url, t->reviews_url, t->favorites_url };
	int (*make[])(struct api_client *, const struct seed_store *, size_t,
		      const int64_t *, volatile sig_atomic_t *, int *, char *,
		      size_t) = { seed_make_campaigns, seed_make_reviews,
				  seed_make_favorites };
	int *counts[] = { &made->campaigns, &made->reviews, &made->favorites };
	int rc = -1;

	memset(made, 0, sizeof(*made));
	if (stores == NULL || ids == NULL || c == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (seed_generate(stores, SEED_STORES) != SEED_STORES ||
	    seed_store_ids(c, stores, SEED_STORES, ids, err, errlen))
		goto out;
	for (size_t i = 0; i < 3; i++) {
		struct api_client *sc;
		int failed;

		if (urls[i] == NULL)
			continue;
		/* Their writes need a token too: the operator's. */
		sc = api_client_new(urls[i], t->token, SEED_TIMEOUT_MS);
		if (sc == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		failed = make[i](sc, stores, SEED_STORES, ids, cancel, counts[i],
				 err, errlen);
		api_client_free(sc);
		if (failed)
			goto out;
	}
	if (cancel != NULL && *cancel) {
		snprintf(err, errlen, "interrupted while seeding");
		goto out;
	}
	rc = 0;
out:
	api_client_free(c);
	free(stores);
	free(ids);
	return rc;
}
