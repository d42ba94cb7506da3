#include "api/reaction.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api/json_get.h"
#include "common/clock.h"

static const char *const action_names[] = {
	[REACTION_APPLIED] = "applied",
	[REACTION_DELETED] = "deleted",
	[REACTION_SKIPPED_STALE] = "skipped_stale",
	[REACTION_SKIPPED_FIELDS] = "skipped_fields",
	[REACTION_FAILED] = "failed",
};

const char *reaction_action_name(enum reaction_action action)
{
	if (action < REACTION_APPLIED || action > REACTION_FAILED)
		return "?";
	return action_names[action];
}

char *store_reaction_encode(const struct store_reaction *r)
{
	char at[32];
	json_t *doc;
	char *text;

	clock_format_iso(r->at_ms, at, sizeof(at));
	doc = json_pack("{s:s, s:I, s:I, s:o, s:s, s:i, s:f, s:f, s:o, s:s}",
			"service", r->service, "store_id",
			(json_int_t)r->store_id, "event_version",
			(json_int_t)r->event_version, "applied_version",
			r->applied_version > 0 ?
				json_integer(r->applied_version) :
				json_null(),
			"action", reaction_action_name(r->action), "coalesced",
			r->coalesced, "took_ms", r->took_ms, "lag_ms",
			r->lag_ms, "error",
			r->error[0] ? json_string(r->error) : json_null(), "at",
			at);
	if (doc == NULL)
		return NULL;
	if (r->source[0] != '\0')
		json_object_set_new(doc, "source", json_string(r->source));
	text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(doc);
	return text;
}

static int copy_string(json_t *doc, const char *key, char *dst, size_t size,
		       char *err, size_t errlen)
{
	const char *text;

	if (json_get_string(doc, key, &text, err, errlen))
		return -1;
	if (strlen(text) >= size) {
		snprintf(err, errlen, "%s: longer than %zu bytes", key, size - 1);
		return -1;
	}
	strcpy(dst, text);
	return 0;
}

int store_reaction_decode(const char *buf, size_t len, struct store_reaction *r,
			  char *err, size_t errlen)
{
	json_t *doc, *v;
	const char *text;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	doc = json_load_object(buf, len, err, errlen);
	if (doc == NULL)
		return -1;
	if (copy_string(doc, "service", r->service, sizeof(r->service), err,
			errlen) ||
	    json_get_positive(doc, "store_id", &r->store_id, err, errlen) ||
	    json_get_positive(doc, "event_version", &r->event_version, err,
			      errlen) ||
	    json_get_string(doc, "action", &text, err, errlen))
		goto out;
	for (int a = REACTION_APPLIED; a <= REACTION_FAILED; a++)
		if (strcmp(action_names[a], text) == 0)
			r->action = (enum reaction_action)a;
	if (r->action == 0) {
		snprintf(err, errlen, "action: \"%.40s\" is not a known action",
			 text);
		goto out;
	}
	v = json_object_get(doc, "applied_version");
	if (v != NULL && !json_is_null(v) &&
	    json_get_positive(doc, "applied_version", &r->applied_version, err,
			      errlen))
		goto out;
	v = json_object_get(doc, "coalesced");
	r->coalesced = 1;
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1000000) {
			snprintf(err, errlen,
				 "coalesced: must be an integer from 1");
			goto out;
		}
		r->coalesced = (int)json_integer_value(v);
	}
	if (json_get_number(doc, "took_ms", &r->took_ms, err, errlen) ||
	    json_get_number(doc, "lag_ms", &r->lag_ms, err, errlen))
		goto out;
	v = json_object_get(doc, "error");
	if (v != NULL && !json_is_null(v)) {
		if (json_get_string(doc, "error", &text, err, errlen))
			goto out;
		/* A long error is still worth showing: keep its start. */
		snprintf(r->error, sizeof(r->error), "%s", text);
	}
	v = json_object_get(doc, "source");
	if (v != NULL && !json_is_null(v) &&
	    copy_string(doc, "source", r->source, sizeof(r->source), err,
			errlen))
		goto out;
	if (json_get_string(doc, "at", &text, err, errlen))
		goto out;
	if (clock_parse_iso(text, &r->at_ms)) {
		snprintf(err, errlen, "at: \"%.40s\" is not an ISO-8601 UTC time",
			 text);
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
