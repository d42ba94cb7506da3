/* Resync requests to store-svc (cli/resync.h). */
#include "cli/resync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/client.h"

#define RESYNC_TIMEOUT_MS 30000
/* A range in --stores may name at most this many ids. */
#define RESYNC_RANGE_MAX 1000000

/* One POST /ops/resync; adds to *events and *missing. */
static int post(struct api_client *c, json_t *stores, const char *target,
		long long *events, long long *missing, char *err,
		size_t errlen)
{
	struct api_result res = { 0 };
	json_t *body = json_pack("{s:o}", "stores", stores);
	int rc = -1;

	if (body == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (target != NULL)
		json_object_set_new(body, "target", json_string(target));
	if (api_request(c, "POST", "/ops/resync", body, 0, &res) != 0)
		snprintf(err, errlen, "POST /ops/resync: no answer: %s",
			 res.error);
	else if (res.status / 100 != 2)
		snprintf(err, errlen, "POST /ops/resync: HTTP %ld: %s",
			 res.status, res.error);
	else
		rc = 0;
	if (rc == 0) {
		*events += json_integer_value(json_object_get(res.body, "events"));
		if (missing != NULL)
			*missing += (long long)json_array_size(
				json_object_get(res.body, "missing"));
	}
	api_result_clear(&res);
	json_decref(body);
	return rc;
}

int resync_request(const char *store_url, const char *token,
		   const int64_t *ids, size_t n, const char *target,
		   long long *events, long long *missing, char *err,
		   size_t errlen)
{
	struct api_client *c = api_client_new(store_url, token,
					      RESYNC_TIMEOUT_MS);
	int rc = 0;

	*events = 0;
	if (missing != NULL)
		*missing = 0;
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ids == NULL)
		rc = post(c, json_string("all"), target, events, missing, err,
			  errlen);
	for (size_t at = 0; ids != NULL && rc == 0 && at < n;
	     at += RESYNC_IDS_MAX) {
		json_t *list = json_array();

		for (size_t i = at; i < n && i < at + RESYNC_IDS_MAX; i++)
			json_array_append_new(list, json_integer(ids[i]));
		rc = post(c, list, target, events, missing, err, errlen);
	}
	api_client_free(c);
	return rc;
}

/* The drifted stores, each with the services it drifted in (a bit each). */
struct drifted {
	int64_t id;
	unsigned services;
};

static int cmp_drifted(const void *a, const void *b)
{
	int64_t x = ((const struct drifted *)a)->id;
	int64_t y = ((const struct drifted *)b)->id;

	return (x > y) - (x < y);
}

int resync_drifted(const char *store_url, const char *token,
		   const struct audit_report *report, long long *events,
		   size_t *unrepairable, char *err, size_t errlen)
{
	struct drifted *all = NULL;
	int64_t *ids = NULL;
	size_t n = 0, total = 0, kept = 0, bad = 0;
	int rc = -1;

	*events = 0;
	for (size_t k = 0; k < report->n; k++)
		total += report->services[k].ndrift;
	all = malloc((total + 1) * sizeof(*all));
	ids = malloc((total + 1) * sizeof(*ids));
	if (all == NULL || ids == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < report->n; k++)
		for (size_t i = 0; i < report->services[k].ndrift; i++) {
			const struct audit_drift *d = &report->services[k].drift[i];

			if (d->kind == AUDIT_EXTRA) {
				bad++;
				continue;
			}
			all[n].id = d->id;
			all[n++].services = 1u << k;
		}
	/* One entry per store, with the union of its services. */
	qsort(all, n, sizeof(*all), cmp_drifted);
	for (size_t i = 0; i < n; i++) {
		if (kept > 0 && all[kept - 1].id == all[i].id)
			all[kept - 1].services |= all[i].services;
		else
			all[kept++] = all[i];
	}
	/*
	 * A request per service for the stores that drifted there only
	 * (k < n), then one for every service for the stores that drifted in
	 * several (k == n).
	 */
	for (size_t k = 0; k <= report->n; k++) {
		long long got = 0;
		size_t m = 0;

		for (size_t i = 0; i < kept; i++) {
			unsigned s = all[i].services;
			int single = (s & (s - 1)) == 0;

			if (k < report->n ? (single && s == 1u << k) : !single)
				ids[m++] = all[i].id;
		}
		if (m == 0)
			continue;
		if (resync_request(store_url, token, ids, m,
				   k < report->n ? report->services[k].name : NULL,
				   &got, NULL, err, errlen))
			goto out;
		*events += got;
	}
	rc = 0;
out:
	if (unrepairable != NULL)
		*unrepairable = bad;
	free(all);
	free(ids);
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* A positive id at *p (advanced past it); 0, or -1. */
static int parse_id(const char **p, int64_t *id)
{
	char *end;
	long long v;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	v = strtoll(*p, &end, 10);
	if (errno != 0 || v < 1)
		return -1;
	*id = v;
	*p = end;
	return 0;
}

int resync_parse_ids(const char *text, int64_t **ids, size_t *n, char *err,
		     size_t errlen)
{
	size_t cap = 64, used = 0;
	int64_t *v = malloc(cap * sizeof(*v));
	const char *p = text, *start = text;
	const char *why = "is not a store id (a whole number from 1) or a range like 5-9";

	*ids = NULL;
	*n = 0;
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		int64_t lo, hi;

		start = p;
		if (parse_id(&p, &lo))
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_id(&p, &hi))
				goto bad;
			if (hi < lo) {
				why = "runs backwards (write the lower id first)";
				goto bad;
			}
			if (hi - lo >= RESYNC_RANGE_MAX) {
				why = "spans more than 1000000 ids";
				goto bad;
			}
		}
		if (*p != ',' && *p != '\0')
			goto bad;
		for (int64_t id = lo; id <= hi; id++) {
			if (used == cap) {
				int64_t *grown = realloc(v, cap * 2 * sizeof(*v));

				if (grown == NULL) {
					free(v);
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				v = grown;
				cap *= 2;
			}
			v[used++] = id;
		}
		if (*p == '\0')
			break;
		p++;
	}
	qsort(v, used, sizeof(*v), cmp_id);
	*n = 0;
	for (size_t i = 0; i < used; i++)
		if (*n == 0 || v[i] != v[*n - 1])
			v[(*n)++] = v[i];
	*ids = v;
	return 0;
bad:
	free(v);
	snprintf(err, errlen,
		 "--stores: \"%.*s\" %s (give ids like 1,2,5-9, all or drifted)",
		 (int)(strcspn(start, ",") > 40 ? 40 : strcspn(start, ",")),
		 start, why);
	return -1;
}
