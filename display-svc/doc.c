#include "display-svc/doc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The store API's members a store page shows, in the document's order. */
static const char *const doc_members[] = {
	"id", "name", "category", "status", "status_reason", "area",
	"address", "hours", "phone", "min_order", "delivery_fee",
	"description", "menu", "version", "updated_at",
};

static int positive_integer(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) > 0;
}

json_t *display_doc_build(const json_t *store, const json_t *reviews)
{
	json_t *doc, *summary;

	if (!json_is_object(store) ||
	    !positive_integer(json_object_get(store, "id")) ||
	    !positive_integer(json_object_get(store, "version")))
		return NULL;
	doc = json_object();
	if (doc == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(doc_members) / sizeof(doc_members[0]);
	     i++) {
		json_t *v = json_object_get(store, doc_members[i]);

		/* Deep copies: the document must not share the store's
		 * nodes, which the caller may go on changing. */
		if (v != NULL && !json_is_null(v) &&
		    json_object_set_new(doc, doc_members[i], json_deep_copy(v))) {
			json_decref(doc);
			return NULL;
		}
	}
	summary = reviews ? json_deep_copy(reviews) : display_doc_summary_empty(0);
	if (json_object_set_new(doc, "reviews", summary)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *display_doc_summary_empty(int64_t version)
{
	return json_pack("{s:i, s:n, s:I}", "count", 0, "average", "version",
			 (json_int_t)version);
}

json_t *display_doc_summary(const json_t *answer, int64_t store_id, char *err,
			    size_t errlen)
{
	json_t *count, *average, *version, *sid;

	if (!json_is_object(answer)) {
		snprintf(err, errlen, "summary: not a JSON object");
		return NULL;
	}
	count = json_object_get(answer, "count");
	average = json_object_get(answer, "average");
	version = json_object_get(answer, "version");
	sid = json_object_get(answer, "store_id");
	if (sid != NULL && (!json_is_integer(sid) ||
			    json_integer_value(sid) != store_id)) {
		snprintf(err, errlen,
			 "summary: store_id is not %" PRId64, store_id);
		return NULL;
	}
	if (!json_is_integer(count) || json_integer_value(count) < 0) {
		snprintf(err, errlen,
			 "summary: count must be a non-negative integer");
		return NULL;
	}
	if (!positive_integer(version)) {
		snprintf(err, errlen,
			 "summary: version must be a positive integer");
		return NULL;
	}
	if (json_integer_value(count) == 0) {
		if (average != NULL && !json_is_null(average) &&
		    !json_is_number(average)) {
			snprintf(err, errlen,
				 "summary: average must be a number");
			return NULL;
		}
		return display_doc_summary_empty(
			(int64_t)json_integer_value(version));
	}
	if (!json_is_number(average) || json_number_value(average) < 0 ||
	    json_number_value(average) > 5) {
		snprintf(err, errlen,
			 "summary: average must be a number from 0 to 5");
		return NULL;
	}
	return json_pack("{s:I, s:f, s:I}", "count", json_integer_value(count),
			 "average", json_number_value(average), "version",
			 json_integer_value(version));
}

char *display_doc_dump(const json_t *doc)
{
	/* UTF-8 as is (no \u escapes) and a fixed member order, so the text
	 * is what clients get byte for byte. */
	return json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
				       JSON_REAL_PRECISION(10));
}

char *display_doc_with_reviews(const char *text, const json_t *summary)
{
	json_t *doc = json_loads(text, 0, NULL);
	char *out = NULL;

	if (json_is_object(doc) &&
	    json_object_set(doc, "reviews", (json_t *)summary) == 0)
		out = display_doc_dump(doc);
	json_decref(doc);
	return out;
}
