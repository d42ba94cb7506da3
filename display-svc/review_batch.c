#include "display-svc/review_batch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_get.h"
#include "common/clock.h"
#include "display-svc/doc.h"

/* A positive decimal id of at most 18 digits; 0 and sets *id, or -1. */
static int parse_key(const char *key, size_t len, int64_t *id)
{
	int64_t v = 0;

	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (key[i] < '0' || key[i] > '9')
			return -1;
		v = v * 10 + (key[i] - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int decode_value(const char *buf, size_t len,
			struct display_review_event *ev, char *err,
			size_t errlen)
{
	json_t *doc = json_load_object(buf, len, err, errlen);
	const char *text;
	int rc = -1;

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
	if (json_get_positive(doc, "review_id", &ev->review_id, err, errlen) ||
	    json_get_positive(doc, "store_id", &ev->store_id, err, errlen) ||
	    json_get_positive(doc, "version", &ev->version, err, errlen) ||
	    json_get_string(doc, "type", &text, err, errlen))
		goto out;
	if (strcmp(text, "created") != 0 && strcmp(text, "updated") != 0 &&
	    strcmp(text, "deleted") != 0) {
		snprintf(err, errlen,
			 "type: \"%.40s\" is not created, updated or deleted",
			 text);
		goto out;
	}
	if (json_get_string(doc, "at", &text, err, errlen))
		goto out;
	if (clock_parse_iso(text, &ev->at_ms)) {
		snprintf(err, errlen, "at: \"%.40s\" is not an ISO-8601 UTC time",
			 text);
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

int display_review_decode(const void *key, size_t key_len, const void *value,
			  size_t value_len, struct display_review_event *ev,
			  char *err, size_t errlen)
{
	char why[200];
	int64_t key_id;

	memset(ev, 0, sizeof(*ev));
	if (key == NULL || key_len == 0) {
		snprintf(err, errlen, "key: missing (must be the store id)");
		return -1;
	}
	if (parse_key(key, key_len, &key_id)) {
		snprintf(err, errlen, "key: must be a positive decimal store id");
		return -1;
	}
	if (value == NULL || value_len == 0) {
		snprintf(err, errlen, "value: empty message");
		return -1;
	}
	if (decode_value(value, value_len, ev, why, sizeof(why))) {
		snprintf(err, errlen, "value: %s", why);
		return -1;
	}
	if (ev->store_id != key_id) {
		snprintf(err, errlen,
			 "key: store id %" PRId64 " differs from store_id %" PRId64,
			 key_id, ev->store_id);
		return -1;
	}
	return 0;
}

void display_review_batch_init(struct display_review_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void display_review_batch_reset(struct display_review_batch *b)
{
	b->n = 0;
}

void display_review_batch_free(struct display_review_batch *b)
{
	free(b->entries);
	memset(b, 0, sizeof(*b));
}

int display_review_batch_add(struct display_review_batch *b,
			     const struct display_review_event *ev)
{
	struct display_review_entry *e = NULL;

	/* A batch holds at most a few hundred stores: a scan is enough. */
	for (size_t i = 0; i < b->n && e == NULL; i++)
		if (b->entries[i].store_id == ev->store_id)
			e = &b->entries[i];
	if (e != NULL) {
		if (ev->version > e->version)
			e->version = ev->version;
		if (ev->at_ms > 0 && (e->first_at_ms == 0 || ev->at_ms < e->first_at_ms))
			e->first_at_ms = ev->at_ms;
		e->coalesced++;
		return 0;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct display_review_entry *grown =
			realloc(b->entries, cap * sizeof(*grown));

		if (grown == NULL)
			return -1;
		b->entries = grown;
		b->cap = cap;
	}
	e = &b->entries[b->n++];
	memset(e, 0, sizeof(*e));
	e->store_id = ev->store_id;
	e->version = ev->version;
	e->coalesced = 1;
	e->first_at_ms = ev->at_ms;
	return 0;
}

static void finish(struct display_review_entry *e, enum reaction_action action,
		   int64_t applied, const char *error, double now)
{
	e->action = action;
	e->applied_version = applied;
	e->done_ms = now;
	snprintf(e->error, sizeof(e->error), "%s", error ? error : "");
}

/* Stores summary for e; the outcome is action unless the port says stale. */
static void apply(struct display_review_entry *e, const json_t *summary,
		  enum reaction_action action,
		  const struct display_review_port *port, double (*now_ms)(void))
{
	int64_t version = (int64_t)json_integer_value(
		json_object_get(summary, "version"));
	int stale = 0;

	if (port->apply(port->ctx, e->store_id, summary, &stale))
		finish(e, REACTION_FAILED, e->held_version,
		       "view database: could not write the review summary",
		       now_ms());
	else if (stale)
		finish(e, REACTION_SKIPPED_STALE, e->held_version, NULL,
		       now_ms());
	else
		finish(e, action, version, NULL, now_ms());
}

size_t display_review_batch_settle(struct display_review_batch *b,
				   const struct display_review_port *port,
				   const struct display_review_source *source,
				   double (*now_ms)(void))
{
	char down[256] = "", why[256];
	size_t failed = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct display_review_entry *e = &b->entries[i];
		json_t *summary = NULL;

		if (port->held(port->ctx, e->store_id, &e->held_version)) {
			finish(e, REACTION_FAILED, 0,
			       "view database: cannot read the held version",
			       now_ms());
			failed++;
			continue;
		}
		if (e->version <= e->held_version) {
			finish(e, REACTION_SKIPPED_STALE, e->held_version, NULL,
			       now_ms());
			continue;
		}
		if (down[0] != '\0') {
			finish(e, REACTION_FAILED, e->held_version, down,
			       now_ms());
			failed++;
			continue;
		}
		why[0] = '\0';
		switch (source->fetch(source->ctx, e->store_id, &summary, why,
				      sizeof(why))) {
		case REVIEW_ANSWER_SUMMARY:
			apply(e, summary, REACTION_APPLIED, port, now_ms);
			json_decref(summary);
			break;
		case REVIEW_ANSWER_GONE:
			summary = display_doc_summary_empty(e->version);
			if (summary == NULL)
				finish(e, REACTION_FAILED, e->held_version,
				       "out of memory", now_ms());
			else
				apply(e, summary, REACTION_DELETED, port,
				      now_ms);
			json_decref(summary);
			break;
		default:
			snprintf(down, sizeof(down), "%s",
				 why[0] ? why : "reviews-svc gave no answer");
			finish(e, REACTION_FAILED, e->held_version, down,
			       now_ms());
			break;
		}
		if (e->action == REACTION_FAILED)
			failed++;
	}
	return failed;
}
