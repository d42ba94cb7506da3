#include "consumer/review_event.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <jansson.h>

#include "api/json_get.h"
#include "common/clock.h"

const char *review_event_type_name(enum review_event_type type)
{
	switch (type) {
	case REVIEW_EVENT_CREATED: return "created";
	case REVIEW_EVENT_DELETED: return "deleted";
	}
	return "?";
}

int review_event_new_id(char *buf, size_t len)
{
	unsigned char raw[16];
	size_t got = 0;

	if (len < 33)
		return -1;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

char *review_event_encode(const struct review_event *ev)
{
	char at[32];
	json_t *doc;
	char *text;

	clock_format_iso(ev->at_ms, at, sizeof(at));
	doc = json_pack("{s:s, s:I, s:I, s:s, s:I, s:s}", "event_id",
			ev->event_id, "review_id", (json_int_t)ev->review_id,
			"store_id", (json_int_t)ev->store_id, "type",
			review_event_type_name(ev->type), "version",
			(json_int_t)ev->version, "at", at);
	if (doc == NULL)
		return NULL;
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

int review_event_decode(const char *buf, size_t len, struct review_event *ev,
			char *err, size_t errlen)
{
	json_t *doc = json_load_object(buf, len, err, errlen);
	const char *s;
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	if (doc == NULL)
		return -1;
	if (json_get_string(doc, "event_id", &s, err, errlen))
		goto out;
	if (strlen(s) == 0 || strlen(s) >= sizeof(ev->event_id)) {
		snprintf(err, errlen, "event_id: must be 1-%zu characters",
			 sizeof(ev->event_id) - 1);
		goto out;
	}
	strcpy(ev->event_id, s);
	if (json_get_positive(doc, "review_id", &ev->review_id, err, errlen) ||
	    json_get_positive(doc, "store_id", &ev->store_id, err, errlen) ||
	    json_get_positive(doc, "version", &ev->version, err, errlen) ||
	    json_get_string(doc, "type", &s, err, errlen))
		goto out;
	if (strcmp(s, "created") == 0) {
		ev->type = REVIEW_EVENT_CREATED;
	} else if (strcmp(s, "deleted") == 0) {
		ev->type = REVIEW_EVENT_DELETED;
	} else {
		snprintf(err, errlen, "type: must be \"created\" or \"deleted\"");
		goto out;
	}
	if (json_get_string(doc, "at", &s, err, errlen))
		goto out;
	if (clock_parse_iso(s, &ev->at_ms)) {
		snprintf(err, errlen, "at: must be a UTC time like 2026-11-24T10:00:00.123Z");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
