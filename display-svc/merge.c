#include "display-svc/merge.h"

#include <stdio.h>

#include <jansson.h>

#include "api/json_get.h"

/*
 * Lists hold at most a few hundred ids (the query's limit caps ads and
 * search; favorites are one user's), so linear scans beat a hash here.
 */
static int contains(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static struct display_pick *find(struct display_pick *out, size_t n,
				 int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].id == id)
			return &out[i];
	return NULL;
}

/* Appends the ids of list not yet picked; returns the new count. */
static size_t append(struct display_pick *out, size_t n, size_t max,
		     const int64_t *list, size_t len, int advertised,
		     const struct display_merge_input *in)
{
	for (size_t i = 0; i < len && n < max; i++) {
		struct display_pick *p;

		if (list[i] <= 0)
			continue;
		p = find(out, n, list[i]);
		if (p != NULL) {
			p->advertised |= advertised;
			continue;
		}
		out[n].id = list[i];
		out[n].advertised = advertised;
		out[n].favorite = contains(in->favorites, in->nfavorites, list[i]);
		n++;
	}
	return n;
}

size_t display_merge(const struct display_merge_input *in,
		     struct display_pick *out, size_t max)
{
	size_t n = 0;

	n = append(out, n, max, in->ads, in->nads, 1, in);
	n = append(out, n, max, in->search, in->nsearch, 0, in);
	if (in->list_favorites)
		n = append(out, n, max, in->favorites, in->nfavorites, 0, in);
	return n;
}

int display_ids_parse(const char *buf, size_t len, int64_t *ids, size_t max,
		      size_t *n, char *err, size_t errlen)
{
	json_t *doc = json_load_object(buf, len, err, errlen);
	json_t *list, *item;
	size_t i;

	*n = 0;
	if (doc == NULL)
		return -1;
	list = json_object_get(doc, "ids");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "ids: %s",
			 list ? "must be an array" : "is missing");
		json_decref(doc);
		return -1;
	}
	json_array_foreach(list, i, item) {
		if (!json_is_integer(item) || json_integer_value(item) <= 0) {
			snprintf(err, errlen,
				 "ids[%zu]: must be a positive integer", i);
			json_decref(doc);
			*n = 0;
			return -1;
		}
		if (*n < max)
			ids[(*n)++] = (int64_t)json_integer_value(item);
	}
	json_decref(doc);
	return 0;
}
