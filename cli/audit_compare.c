/*
 * The audit's comparison: one copy of a store against the store API's, on
 * the columns the copy keeps. Pure: no I/O.
 */
#include "cli/audit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The columns each service keeps, by the store API's member names. */
static const char *const search_cols[] = { "name", "category", "area",
					   "menu", NULL };
static const char *const ads_cols[] = { "area", "category", "status", NULL };
static const char *const favorites_cols[] = { "name", "status", NULL };
static const char *const reviews_cols[] = { "name", NULL };
/* What a store page shows (display-svc's document, without its own
 * members: version, updated_at, reviews). */
static const char *const display_cols[] = {
	"name", "category", "status", "status_reason", "area", "address",
	"hours", "phone", "min_order", "delivery_fee", "description", "menu",
	NULL,
};

static const struct {
	const char *service;
	const char *const *cols;
} service_cols[] = {
	{ "search", search_cols },
	{ "ads", ads_cols },
	{ "favorites", favorites_cols },
	{ "reviews", reviews_cols },
	{ "display", display_cols },
};

/* Members of a copy that are its bookkeeping, not a store's column. */
static int bookkeeping(const char *key)
{
	static const char *const keys[] = { "id", "version", "deleted",
					    "updated_at", "reviews",
					    "created_at", NULL };

	for (size_t i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

const char *audit_kind_name(enum audit_kind kind)
{
	switch (kind) {
	case AUDIT_MISSING: return "missing";
	case AUDIT_STALE: return "stale";
	case AUDIT_DELETED: return "deleted";
	case AUDIT_EXTRA: return "extra";
	}
	return "?";
}

/* Absent, null, "", [] and {} all mean "none" (copies store "" for none). */
static int empty(const json_t *v)
{
	return v == NULL || json_is_null(v) ||
	       (json_is_string(v) && json_string_length(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0) ||
	       (json_is_object(v) && json_object_size(v) == 0);
}

/* A menu kept as its item names (search-svc) against the store's items. */
static int menu_names_equal(const json_t *names, const json_t *items)
{
	size_t i;
	json_t *v;

	if (json_array_size(names) != json_array_size(items))
		return 0;
	json_array_foreach(names, i, v) {
		const json_t *item = json_array_get(items, i);
		const char *name = json_string_value(json_object_get(item, "name"));

		if (!json_is_string(v) || name == NULL ||
		    strcmp(json_string_value(v), name) != 0)
			return 0;
	}
	return 1;
}

static int same(const json_t *copy, const json_t *truth)
{
	if (empty(copy) || empty(truth))
		return empty(copy) && empty(truth);
	if (json_is_number(copy) && json_is_number(truth))
		return fabs(json_number_value(copy) -
			    json_number_value(truth)) < 1e-9;
	/* search-svc keeps a menu as the list of its item names. */
	if (json_is_array(copy) && json_is_array(truth) &&
	    json_is_string(json_array_get(copy, 0)) &&
	    json_is_object(json_array_get(truth, 0)))
		return menu_names_equal(copy, truth);
	return json_equal((json_t *)copy, (json_t *)truth);
}

/* Appends name to d->fields ("name, menu"). */
static void add_field(struct audit_drift *d, const char *name)
{
	size_t used = strlen(d->fields);

	snprintf(d->fields + used, sizeof(d->fields) - used, "%s%s",
		 used ? ", " : "", name);
}

/* Compares the columns of a live copy with the live store; 1 on drift. */
static int columns_differ(const char *service, const json_t *row,
			  const json_t *store, struct audit_drift *d)
{
	const char *const *cols = NULL;
	const char *key;
	json_t *v;
	int differ = 0;

	for (size_t i = 0; i < sizeof(service_cols) / sizeof(service_cols[0]);
	     i++)
		if (strcmp(service_cols[i].service, service) == 0)
			cols = service_cols[i].cols;
	if (cols != NULL) {
		for (size_t i = 0; cols[i] != NULL; i++)
			if (!same(json_object_get(row, cols[i]),
				  json_object_get(store, cols[i]))) {
				add_field(d, cols[i]);
				differ = 1;
			}
		return differ;
	}
	/* A service this build does not know: the columns its copy shows. */
	json_object_foreach((json_t *)row, key, v) {
		if (bookkeeping(key))
			continue;
		if (!same(v, json_object_get(store, key))) {
			add_field(d, key);
			differ = 1;
		}
	}
	return differ;
}

int audit_compare(const char *service, const struct audit_truth *t,
		  const json_t *row, struct audit_drift *d)
{
	int live_copy = row != NULL &&
			!json_is_true(json_object_get(row, "deleted"));

	memset(d, 0, sizeof(*d));
	d->id = t->id;
	d->version = t->version;
	if (row != NULL)
		d->held_version = json_integer_value(json_object_get(row,
								     "version"));
	if (t->version == 0) {
		d->kind = AUDIT_EXTRA;
		return live_copy;
	}
	if (t->deleted) {
		d->kind = AUDIT_DELETED;
		return live_copy;
	}
	if (!live_copy) {
		d->kind = AUDIT_MISSING;
		return 1;
	}
	d->kind = AUDIT_STALE;
	return columns_differ(service, row, t->store, d);
}
