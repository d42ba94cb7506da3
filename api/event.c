#include "api/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/fields.h"
#include "api/json_get.h"
#include "common/clock.h"

static const char *const type_names[] = {
	[STORE_EVENT_CREATED] = "created",
	[STORE_EVENT_UPDATED] = "updated",
	[STORE_EVENT_DELETED] = "deleted",
};

const char *store_event_type_name(enum store_event_type type)
{
	if (type < STORE_EVENT_CREATED || type > STORE_EVENT_DELETED)
		return "?";
	return type_names[type];
}

static int type_from_name(const char *name, enum store_event_type *type)
{
	for (int t = STORE_EVENT_CREATED; t <= STORE_EVENT_DELETED; t++) {
		if (strcmp(type_names[t], name) == 0) {
			*type = (enum store_event_type)t;
			return 0;
		}
	}
	return -1;
}

char *store_event_encode(const struct store_event *ev)
{
	json_t *doc, *fields = json_array();
	char at[32];
	char *text;

	for (int bit = 0; bit < 32; bit++) {
		const char *name = store_field_name(1u << bit);

		if ((ev->fields & (1u << bit)) && name != NULL)
			json_array_append_new(fields, json_string(name));
	}
	clock_format_iso(ev->at_ms, at, sizeof(at));
	doc = json_pack("{s:s, s:I, s:s, s:I, s:o, s:s}", "event_id",
			ev->event_id, "store_id", (json_int_t)ev->store_id,
			"type", store_event_type_name(ev->type), "version",
			(json_int_t)ev->version, "fields", fields, "at", at);
	if (doc == NULL)
		return NULL;
	/* Only a resync has these: ordinary events stay as they were. */
	if ((ev->resync &&
	     json_object_set_new(doc, "resync", json_true()) != 0) ||
	    (ev->target[0] != '\0' &&
	     json_object_set_new(doc, "target", json_string(ev->target)) != 0)) {
		json_decref(doc);
		return NULL;
	}
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

/* 1 when s is a service name a target may hold. */
static int target_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= STORE_EVENT_TARGET_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* The optional "resync" and "target" members; 0, or -1 with err. */
static int decode_resync(json_t *doc, struct store_event *ev, char *err,
			 size_t errlen)
{
	json_t *resync = json_object_get(doc, "resync");
	json_t *target = json_object_get(doc, "target");

	if (resync != NULL && !json_is_boolean(resync)) {
		snprintf(err, errlen, "resync: must be true or false");
		return -1;
	}
	ev->resync = json_is_true(resync);
	if (target == NULL || json_is_null(target))
		return 0;
	if (!json_is_string(target) || !target_ok(json_string_value(target))) {
		snprintf(err, errlen,
			 "target: must be a service name (1 to %d of a-z 0-9 _ -)",
			 STORE_EVENT_TARGET_MAX - 1);
		return -1;
	}
	strcpy(ev->target, json_string_value(target));
	return 0;
}

int store_event_is_for(const struct store_event *ev, const char *service)
{
	return ev->target[0] == '\0' || strcmp(ev->target, service) == 0;
}

int store_event_decode(const char *buf, size_t len, struct store_event *ev,
		       char *err, size_t errlen)
{
	json_t *doc, *fields;
	const char *text;
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	doc = json_load_object(buf, len, err, errlen);
	if (doc == NULL)
		return -1;
	if (json_get_string(doc, "event_id", &text, err, errlen))
		goto out;
	if (strlen(text) >= sizeof(ev->event_id)) {
		snprintf(err, errlen, "event_id: longer than %zu characters",
			 sizeof(ev->event_id) - 1);
		goto out;
	}
	strcpy(ev->event_id, text);
	if (json_get_positive(doc, "store_id", &ev->store_id, err, errlen) ||
	    json_get_positive(doc, "version", &ev->version, err, errlen) ||
	    json_get_string(doc, "type", &text, err, errlen))
		goto out;
	if (type_from_name(text, &ev->type)) {
		snprintf(err, errlen,
			 "type: \"%.40s\" is not created, updated or deleted",
			 text);
		goto out;
	}
	fields = json_object_get(doc, "fields");
	if (fields != NULL && !json_is_array(fields)) {
		snprintf(err, errlen, "fields: must be an array of names");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(fields); i++) {
		json_t *f = json_array_get(fields, i);

		if (!json_is_string(f)) {
			snprintf(err, errlen, "fields[%zu]: must be a string", i);
			goto out;
		}
		ev->fields |= store_field_from_name(json_string_value(f));
	}
	if (json_get_string(doc, "at", &text, err, errlen))
		goto out;
	if (clock_parse_iso(text, &ev->at_ms)) {
		snprintf(err, errlen, "at: \"%.40s\" is not an ISO-8601 UTC time",
			 text);
		goto out;
	}
	if (decode_resync(doc, ev, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
