/* The audit: reads the truth and every copy, then compares (cli/audit.h). */
#include "cli/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "common/clock.h"

#define AUDIT_TIMEOUT_MS 10000
#define AUDIT_PAGE 1000
/* Ids asked per GET /stores?ids= (store-svc takes up to 1000). */
#define AUDIT_IDS_BATCH 500

/* What the store API says: every id it was asked about, sorted by id. */
struct truth {
	struct audit_truth *v;
	size_t n, cap;
	int sorted;
	json_t *stores;  /* owns the live stores' JSON */
};

static int truth_add(struct truth *t, int64_t id, int64_t version,
		     int deleted, const json_t *store)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct audit_truth *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct audit_truth){ id, version, deleted, store };
	t->sorted = 0;
	return 0;
}

static int cmp_truth(const void *a, const void *b)
{
	int64_t x = ((const struct audit_truth *)a)->id;
	int64_t y = ((const struct audit_truth *)b)->id;

	return (x > y) - (x < y);
}

static void truth_sort(struct truth *t)
{
	if (!t->sorted)
		qsort(t->v, t->n, sizeof(*t->v), cmp_truth);
	t->sorted = 1;
}

static const struct audit_truth *truth_find(struct truth *t, int64_t id)
{
	struct audit_truth key = { .id = id };

	truth_sort(t);
	return t->n ? bsearch(&key, t->v, t->n, sizeof(*t->v), cmp_truth) : NULL;
}

/* GET base+path on c into *body (a new reference); 0, or -1 with err. */
static int get_json(struct api_client *c, const char *what, const char *path,
		    json_t **body, char *err, size_t errlen)
{
	struct api_result res = { 0 };

	*body = NULL;
	if (api_request(c, "GET", path, NULL, 0, &res) != 0) {
		snprintf(err, errlen, "%s: no answer: %s", what, res.error);
		api_result_clear(&res);
		return -1;
	}
	if (res.status != 200 || !json_is_object(res.body)) {
		snprintf(err, errlen, "%s: HTTP %ld: %s", what, res.status,
			 res.error);
		api_result_clear(&res);
		return -1;
	}
	*body = res.body;
	res.body = NULL;
	api_result_clear(&res);
	return 0;
}

/* Every live store, page by page. */
static int fetch_live(struct api_client *c, struct truth *t, int64_t *max_id,
		      char *err, size_t errlen)
{
	int64_t after = 0;

	*max_id = 0;
	for (;;) {
		char path[96];
		json_t *body, *list, *s;
		size_t i, got;

		snprintf(path, sizeof(path), "/stores?limit=%d&after=%" PRId64,
			 AUDIT_PAGE, after);
		if (get_json(c, "store API: GET /stores", path, &body, err,
			     errlen))
			return -1;
		list = json_object_get(body, "stores");
		got = json_array_size(list);
		json_array_foreach(list, i, s) {
			int64_t id = json_integer_value(json_object_get(s, "id"));
			int64_t v = json_integer_value(json_object_get(s, "version"));

			if (id <= 0 || v <= 0)
				continue;
			json_array_append(t->stores, s);
			if (truth_add(t, id, v, 0, s)) {
				json_decref(body);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			if (id > after)
				after = id;
		}
		json_decref(body);
		*max_id = after;
		if (got < AUDIT_PAGE)
			return 0;
	}
}

/*
 * Asks the store API about ids[0..n) (GET /stores?ids=) and adds what it
 * says to the truth. *found_deleted counts the tombstones and stores found.
 */
static int classify(struct api_client *c, struct truth *t, const int64_t *ids,
		    size_t n, size_t *found, char *err, size_t errlen)
{
	for (size_t at = 0; at < n; at += AUDIT_IDS_BATCH) {
		size_t k = n - at < AUDIT_IDS_BATCH ? n - at : AUDIT_IDS_BATCH;
		struct api_result res = { 0 };
		json_t *item;
		size_t i;
		int rc = 0;

		if (api_stores_get_many(c, ids + at, k, &res) != 0 ||
		    res.status != 200 || !json_is_object(res.body)) {
			snprintf(err, errlen, "store API: GET /stores?ids=: %s%s",
				 res.status ? "" : "no answer: ", res.error);
			api_result_clear(&res);
			return -1;
		}
		json_array_foreach(json_object_get(res.body, "stores"), i, item) {
			int64_t id = json_integer_value(json_object_get(item, "id"));

			/* Created after the listing: live all the same. */
			json_array_append(t->stores, item);
			rc |= truth_add(t, id,
					json_integer_value(json_object_get(item,
									   "version")),
					0, item);
			(*found)++;
		}
		json_array_foreach(json_object_get(res.body, "deleted"), i, item) {
			rc |= truth_add(t, json_integer_value(json_object_get(item, "id")),
					json_integer_value(json_object_get(item,
									   "version")),
					1, NULL);
			(*found)++;
		}
		json_array_foreach(json_object_get(res.body, "missing"), i, item)
			rc |= truth_add(t, json_integer_value(item), 0, 0, NULL);
		api_result_clear(&res);
		if (rc) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/*
 * The tombstones: the ids below max_id that are not live, then blocks
 * above it for as long as a block finds something.
 */
static int fetch_deleted(struct api_client *c, struct truth *t,
			 int64_t max_id, char *err, size_t errlen)
{
	size_t nlive = t->n, n = 0, found = 0;
	int64_t *ids = malloc(((size_t)max_id + AUDIT_PAGE) * sizeof(*ids));
	int rc = -1;

	if (ids == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	truth_sort(t);
	for (int64_t id = 1, k = 0; id <= max_id; id++) {
		while ((size_t)k < nlive && t->v[k].id < id)
			k++;
		if ((size_t)k >= nlive || t->v[k].id != id)
			ids[n++] = id;
	}
	if (classify(c, t, ids, n, &found, err, errlen))
		goto out;
	for (int64_t from = max_id + 1;; from += AUDIT_PAGE) {
		found = 0;
		for (n = 0; n < AUDIT_PAGE; n++)
			ids[n] = from + (int64_t)n;
		if (classify(c, t, ids, n, &found, err, errlen))
			goto out;
		if (found == 0)
			break;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

/* One service's copy: its rows (a JSON array, sorted by id). */
static json_t *fetch_replica(struct api_client *c, char *err, size_t errlen)
{
	json_t *rows = json_array();
	int64_t after = 0;

	for (;;) {
		char path[96];
		json_t *body, *list, *next;

		snprintf(path, sizeof(path),
			 "/replica/stores?after=%" PRId64 "&limit=%d", after,
			 AUDIT_PAGE);
		if (get_json(c, "GET /replica/stores", path, &body, err,
			     errlen)) {
			json_decref(rows);
			return NULL;
		}
		list = json_object_get(body, "stores");
		next = json_object_get(body, "next");
		if (!json_is_array(list)) {
			snprintf(err, errlen, "GET /replica/stores: no \"stores\" list");
			json_decref(body);
			json_decref(rows);
			return NULL;
		}
		json_array_extend(rows, list);
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(body);
		if (after <= 0)
			return rows;
	}
}

/* The row for id in rows (sorted by id), or NULL. */
static const json_t *row_find(const json_t *rows, int64_t id)
{
	size_t lo = 0, hi = json_array_size(rows);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t at = json_integer_value(
			json_object_get(json_array_get(rows, mid), "id"));

		if (at == id)
			return json_array_get(rows, mid);
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int add_drift(struct audit_service *s, const struct audit_drift *d)
{
	struct audit_drift *v = realloc(s->drift, (s->ndrift + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	s->drift = v;
	s->drift[s->ndrift++] = *d;
	return 0;
}

/* Compares one service's rows with the truth into s. */
static int compare_service(struct audit_service *s, struct truth *t,
			   const json_t *rows)
{
	truth_sort(t);
	for (size_t i = 0; i < t->n; i++) {
		const json_t *row = row_find(rows, t->v[i].id);
		struct audit_drift d;

		/* Ids probed that no store had and no copy holds. */
		if (t->v[i].version == 0 && row == NULL)
			continue;
		s->checked++;
		if (audit_compare(s->name, &t->v[i], row, &d) &&
		    add_drift(s, &d))
			return -1;
	}
	return 0;
}

/* Ids of rows the truth does not know yet, into *ids (malloc'd). */
static size_t unknown_ids(struct truth *t, const json_t *rows, int64_t **ids)
{
	size_t i, n = 0;
	json_t *row;

	*ids = malloc((json_array_size(rows) + 1) * sizeof(**ids));
	if (*ids == NULL)
		return 0;
	json_array_foreach(rows, i, row) {
		int64_t id = json_integer_value(json_object_get(row, "id"));

		if (id > 0 && truth_find(t, id) == NULL)
			(*ids)[n++] = id;
	}
	return n;
}

int audit_run(const struct audit_config *cfg, struct audit_report *out,
	      char *err, size_t errlen)
{
	struct truth t = { 0 };
	json_t *rows[AUDIT_SERVICES_MAX] = { 0 };
	double t0 = clock_mono_ms();
	struct api_client *c;
	int64_t max_id;
	size_t found = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	t.stores = json_array();
	c = api_client_new(cfg->store_url, cfg->token, AUDIT_TIMEOUT_MS);
	if (c == NULL || t.stores == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (fetch_live(c, &t, &max_id, err, errlen) ||
	    fetch_deleted(c, &t, max_id, err, errlen))
		goto done;
	for (size_t i = 0; i < t.n; i++) {
		if (t.v[i].version > 0 && t.v[i].deleted)
			out->deleted++;
		else if (t.v[i].version > 0)
			out->live++;
	}
	/* Every copy first: they may name ids the truth does not know. */
	out->n = cfg->n < AUDIT_SERVICES_MAX ? cfg->n : AUDIT_SERVICES_MAX;
	for (size_t k = 0; k < out->n; k++) {
		struct audit_service *s = &out->services[k];
		struct api_client *sc;
		int64_t *ids = NULL;
		size_t n;

		snprintf(s->name, sizeof(s->name), "%s", cfg->services[k].name);
		snprintf(s->url, sizeof(s->url), "%s",
			 cfg->services[k].url ? cfg->services[k].url : "");
		if (cfg->services[k].url == NULL) {
			snprintf(s->error, sizeof(s->error), "not running");
			continue;
		}
		sc = api_client_new(s->url, NULL, AUDIT_TIMEOUT_MS);
		rows[k] = sc ? fetch_replica(sc, s->error, sizeof(s->error)) : NULL;
		api_client_free(sc);
		if (rows[k] == NULL)
			continue;
		n = unknown_ids(&t, rows[k], &ids);
		if (n > 0 && classify(c, &t, ids, n, &found, err, errlen)) {
			free(ids);
			goto done;
		}
		free(ids);
	}
	for (size_t k = 0; k < out->n; k++) {
		struct audit_service *s = &out->services[k];

		if (rows[k] == NULL) {
			if (s->error[0] == '\0')
				snprintf(s->error, sizeof(s->error), "out of memory");
			continue;
		}
		s->answered = 1;
		if (compare_service(s, &t, rows[k])) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
	}
	out->took_ms = clock_mono_ms() - t0;
	rc = 0;
done:
	for (size_t k = 0; k < AUDIT_SERVICES_MAX; k++)
		json_decref(rows[k]);
	if (rc != 0)
		audit_report_free(out);
	api_client_free(c);
	json_decref(t.stores);
	free(t.v);
	return rc;
}

int audit_converged(const struct audit_report *r)
{
	for (size_t k = 0; k < r->n; k++)
		if (!r->services[k].answered || r->services[k].ndrift > 0)
			return 0;
	return 1;
}

void audit_report_free(struct audit_report *r)
{
	for (size_t k = 0; k < AUDIT_SERVICES_MAX; k++)
		free(r->services[k].drift);
	memset(r, 0, sizeof(*r));
}
