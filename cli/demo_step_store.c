/* The steps that write and read stores through the store API. */
#include "cli/demo_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

/* A write that meets a newer version (412) reads it and tries again. */
#define DEMO_WRITE_ATTEMPTS 3
/* Burst variants of a name keep this many code points of the original. */
#define DEMO_BURST_NAME_KEEP 40

/* The JSON object of a step's FIELD=VALUE list; NULL with r->result set. */
static json_t *build_doc(struct demo_runner *r, const struct demo_step *st)
{
	json_t *doc = json_object();

	if (doc == NULL) {
		demo_rt_result(r, DEMO_FAILED, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < st->nassigns; i++) {
		const struct demo_assign *a = &st->assigns[i];
		char *value = demo_rt_expand(r, a->value);
		json_error_t jerr;
		json_t *v;

		if (value == NULL) {
			json_decref(doc);
			return NULL;
		}
		v = a->json ? json_loads(value, JSON_DECODE_ANY, &jerr) :
			      json_string(value);
		if (v == NULL) {
			demo_rt_result(r, DEMO_FAILED, "%s: \"%s\" is not %s",
				       a->field, value,
				       a->json ? "a JSON value" : "valid text");
			free(value);
			json_decref(doc);
			return NULL;
		}
		free(value);
		json_object_set_new(doc, a->field, v);
	}
	return doc;
}

/* "name, phone" of a document's members into buf. */
static void member_names(const json_t *doc, char *buf, size_t len)
{
	const char *key;
	json_t *v;
	size_t used = 0;

	buf[0] = '\0';
	json_object_foreach((json_t *)doc, key, v) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", key);

		(void)v;
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* The version a write answer carries (ETag, else the body's). */
static int64_t answer_version(const struct api_result *res)
{
	if (res->etag_version > 0)
		return res->etag_version;
	return (int64_t)json_integer_value(json_object_get(res->body,
							   "version"));
}

static void note_version(struct demo_runner *r, int64_t id, int64_t version)
{
	struct demo_known *k = demo_rt_known(r, id);

	if (k != NULL && version > k->version)
		k->version = version;
}

/*
 * PATCH store id with doc, If-Match its current version, reading it again
 * after a 412. *from and *to get the versions before and after.
 */
static enum demo_outcome patch_store(struct demo_runner *r, int64_t id,
				     const json_t *doc, int64_t *from,
				     int64_t *to)
{
	char why[512] = "";

	for (int attempt = 0; attempt < DEMO_WRITE_ATTEMPTS; attempt++) {
		struct api_result res = { 0 };
		int deleted;
		int rc;

		rc = demo_rt_read_store(r, id, from, &deleted, NULL);
		if (rc != 0)
			return (enum demo_outcome)rc;
		if (deleted)
			return demo_rt_result(r, DEMO_FAILED,
					      "store %lld is deleted (v%lld)",
					      (long long)id, (long long)*from);
		demo_rt_open_window(r, id, *from);
		rc = r->w->store_patch(r->w->ctx, id, doc, *from, &res);
		if (rc == 0 && res.status == 200) {
			*to = answer_version(&res);
			note_version(r, id, *to);
			api_result_clear(&res);
			return DEMO_OK;
		}
		demo_rt_describe(&res, why, sizeof(why));
		if (rc == 0 && res.status == 412) {
			api_result_clear(&res);
			continue; /* someone else wrote: read and try again */
		}
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "store %lld: %s",
				      (long long)id, why);
	}
	return demo_rt_result(r, DEMO_FAILED,
			      "store %lld: still a newer version after %d attempts: %s",
			      (long long)id, DEMO_WRITE_ATTEMPTS, why);
}

enum demo_outcome demo_step_edit(struct demo_runner *r,
				 const struct demo_step *st)
{
	char fields[256];
	int64_t id, from = 0, to = 0;
	enum demo_outcome o;
	json_t *doc;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	doc = build_doc(r, st);
	if (doc == NULL)
		return DEMO_FAILED;
	member_names(doc, fields, sizeof(fields));
	o = patch_store(r, id, doc, &from, &to);
	json_decref(doc);
	if (o != DEMO_OK)
		return o;
	return demo_rt_result(r, DEMO_OK, "store %lld v%lld -> v%lld (%s)",
			      (long long)id, (long long)from, (long long)to,
			      fields);
}

enum demo_outcome demo_step_create(struct demo_runner *r,
				   const struct demo_step *st)
{
	struct api_result res = { 0 };
	char why[512];
	json_t *doc = build_doc(r, st);
	int64_t id, version;
	int rc;

	if (doc == NULL)
		return DEMO_FAILED;
	rc = r->w->store_create(r->w->ctx, doc, &res);
	json_decref(doc);
	if (rc != 0 || res.status != 201) {
		demo_rt_describe(&res, why, sizeof(why));
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "%s", why);
	}
	id = (int64_t)json_integer_value(json_object_get(res.body, "id"));
	version = answer_version(&res);
	api_result_clear(&res);
	if (id <= 0)
		return demo_rt_result(r, DEMO_FAILED,
				      "the store API answered 201 without an id");
	note_version(r, id, version);
	demo_rt_open_window(r, id, 0);
	if (st->var[0] != '\0' && demo_rt_set_var(r, st->var, id))
		return demo_rt_result(r, DEMO_FAILED, "out of memory");
	if (st->var[0] != '\0')
		return demo_rt_result(r, DEMO_OK, "store %lld v%lld created, $%s = %lld",
				      (long long)id, (long long)version, st->var,
				      (long long)id);
	return demo_rt_result(r, DEMO_OK, "store %lld v%lld created",
			      (long long)id, (long long)version);
}

enum demo_outcome demo_step_delete(struct demo_runner *r,
				   const struct demo_step *st)
{
	char why[512];
	int64_t id, version;
	int deleted, rc;
	long status;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	for (int attempt = 0; attempt < DEMO_WRITE_ATTEMPTS; attempt++) {
		struct api_result res = { 0 };
		int64_t gone;

		rc = demo_rt_read_store(r, id, &version, &deleted, NULL);
		if (rc != 0)
			return (enum demo_outcome)rc;
		if (deleted)
			return demo_rt_result(r, DEMO_FAILED,
					      "store %lld is already deleted (v%lld)",
					      (long long)id, (long long)version);
		demo_rt_open_window(r, id, version);
		rc = r->w->store_delete(r->w->ctx, id, version, &res);
		if (rc == 0 && res.status / 100 == 2) {
			gone = res.etag_version > 0 ? res.etag_version :
						      version + 1;
			note_version(r, id, gone);
			api_result_clear(&res);
			return demo_rt_result(r, DEMO_OK, "store %lld v%lld -> deleted at v%lld",
					      (long long)id, (long long)version,
					      (long long)gone);
		}
		demo_rt_describe(&res, why, sizeof(why));
		status = res.status;
		api_result_clear(&res);
		if (rc != 0 || status != 412)
			return demo_rt_result(r, DEMO_FAILED, "store %lld: %s",
					      (long long)id, why);
	}
	return demo_rt_result(r, DEMO_FAILED,
			      "store %lld: still a newer version after %d attempts",
			      (long long)id, DEMO_WRITE_ATTEMPTS);
}

/* The first n code points of s into buf. */
static void utf8_prefix(const char *s, size_t n, char *buf, size_t len)
{
	size_t i = 0, count = 0;

	while (s[i] != '\0' && i + 1 < len) {
		size_t k = 1;

		if (((unsigned char)s[i] & 0xE0) == 0xC0)
			k = 2;
		else if (((unsigned char)s[i] & 0xF0) == 0xE0)
			k = 3;
		else if (((unsigned char)s[i] & 0xF8) == 0xF0)
			k = 4;
		if (count == n || i + k >= len)
			break;
		i += k;
		count++;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
}

/* The value of edit k of count (1-based) of a burst on field. */
static json_t *burst_value(const char *field, const json_t *orig, long k,
			   long count)
{
	char buf[256], base[192];

	if (k == count) /* the last edit puts the first value back */
		return orig != NULL ? json_deep_copy(orig) : json_null();
	if (strcmp(field, "name") == 0) {
		utf8_prefix(json_is_string(orig) ? json_string_value(orig) : "store",
			    DEMO_BURST_NAME_KEEP, base, sizeof(base));
		snprintf(buf, sizeof(buf), "%s #%ld", base, k);
		return json_string(buf);
	}
	if (strcmp(field, "phone") == 0) {
		snprintf(buf, sizeof(buf), "02-000-%04ld", k % 10000);
		return json_string(buf);
	}
	/* status: flips every edit */
	if (k % 2 == 1)
		return json_string(json_is_string(orig) &&
				   strcmp(json_string_value(orig), "open") == 0 ?
					   "closed" : "open");
	return orig != NULL ? json_deep_copy(orig) : json_string("open");
}

enum demo_outcome demo_step_burst(struct demo_runner *r,
				  const struct demo_step *st)
{
	int64_t id, version, first;
	json_t *store = NULL;
	const json_t *orig;
	double t0;
	int deleted, rc;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	rc = demo_rt_read_store(r, id, &version, &deleted, &store);
	if (rc != 0)
		return (enum demo_outcome)rc;
	if (deleted)
		return demo_rt_result(r, DEMO_FAILED, "store %lld is deleted",
				      (long long)id);
	orig = json_object_get(store, st->arg);
	demo_rt_open_window(r, id, version);
	first = version;
	t0 = clock_mono_ms();
	for (long k = 1; k <= st->count; k++) {
		struct api_result res = { 0 };
		json_t *patch = json_object();
		char why[512];

		if (demo_rt_cancelled(r)) {
			json_decref(patch);
			json_decref(store);
			return demo_rt_result(r, DEMO_CANCELLED, "interrupted after %ld edits",
					      k - 1);
		}
		if (patch == NULL ||
		    json_object_set_new(patch, st->arg,
					burst_value(st->arg, orig, k, st->count))) {
			json_decref(patch);
			json_decref(store);
			return demo_rt_result(r, DEMO_FAILED, "out of memory");
		}
		rc = r->w->store_patch(r->w->ctx, id, patch, version, &res);
		json_decref(patch);
		if (rc != 0 || res.status != 200) {
			demo_rt_describe(&res, why, sizeof(why));
			api_result_clear(&res);
			json_decref(store);
			return demo_rt_result(r, DEMO_FAILED, "edit %ld of %ld: %s",
					      k, st->count, why);
		}
		version = answer_version(&res);
		api_result_clear(&res);
	}
	json_decref(store);
	note_version(r, id, version);
	return demo_rt_result(r, DEMO_OK,
			      "store %lld v%lld -> v%lld: %ld edits of %s in %.0f ms (%.1f ms each), the last one back to the first value",
			      (long long)id, (long long)first, (long long)version,
			      st->count, st->arg, clock_mono_ms() - t0,
			      (clock_mono_ms() - t0) / (double)st->count);
}

/* A member as text: a string as is, anything else as compact JSON. */
static char *member_text(const json_t *v)
{
	if (v == NULL)
		return strdup("null");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* One check of 'expect store'; sets r->result. */
static enum demo_outcome check_store(struct demo_runner *r, int64_t id,
				     const struct demo_step *st,
				     const char *want)
{
	json_t *store = NULL;
	int64_t version;
	int deleted, rc;
	enum demo_outcome o;
	char *have;

	rc = demo_rt_read_store(r, id, &version, &deleted, &store);
	if (rc != 0)
		return (enum demo_outcome)rc;
	if (st->cmp == DEMO_CMP_DELETED) {
		json_decref(store);
		return deleted ?
			demo_rt_result(r, DEMO_OK, "store %lld is deleted (v%lld)",
				       (long long)id, (long long)version) :
			demo_rt_result(r, DEMO_FAILED, "store %lld is not deleted (v%lld)",
				       (long long)id, (long long)version);
	}
	if (deleted)
		return demo_rt_result(r, DEMO_FAILED, "store %lld is deleted (v%lld)",
				      (long long)id, (long long)version);
	have = member_text(json_object_get(store, st->arg));
	json_decref(store);
	if (have == NULL)
		return demo_rt_result(r, DEMO_FAILED, "out of memory");
	if ((strcmp(have, want) == 0) == (st->cmp == DEMO_CMP_EQ))
		o = demo_rt_result(r, DEMO_OK, "store %lld v%lld: %s is \"%s\"",
				   (long long)id, (long long)version, st->arg,
				   have);
	else
		o = demo_rt_result(r, DEMO_FAILED,
				   "store %lld v%lld: %s is \"%s\", expected %s\"%s\"",
				   (long long)id, (long long)version, st->arg,
				   have, st->cmp == DEMO_CMP_EQ ? "" : "anything but ",
				   want);
	free(have);
	return o;
}

enum demo_outcome demo_step_expect_store(struct demo_runner *r,
					 const struct demo_step *st)
{
	double deadline = clock_mono_ms() + st->seconds * 1000;
	char *want = NULL;
	enum demo_outcome o;
	int64_t id;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	if (st->cmp != DEMO_CMP_DELETED &&
	    (want = demo_rt_expand(r, st->value)) == NULL)
		return DEMO_FAILED;
	for (;;) {
		o = check_store(r, id, st, want ? want : "");
		if (o == DEMO_OK || clock_mono_ms() >= deadline)
			break;
		if (demo_rt_sleep(r, 100)) {
			o = demo_rt_cancelled(r) ? DEMO_CANCELLED : DEMO_FAILED;
			break;
		}
	}
	free(want);
	return o;
}

enum demo_outcome demo_step_show_store(struct demo_runner *r,
				       const struct demo_step *st)
{
	json_t *store = NULL;
	int64_t id, version;
	int deleted, rc;
	char *text;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	rc = demo_rt_read_store(r, id, &version, &deleted, &store);
	if (rc != 0)
		return (enum demo_outcome)rc;
	if (deleted)
		return demo_rt_result(r, DEMO_OK, "store %lld is deleted (v%lld)",
				      (long long)id, (long long)version);
	text = json_dumps(store, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(store);
	if (text == NULL)
		return demo_rt_result(r, DEMO_FAILED, "out of memory");
	demo_rt_result(r, DEMO_OK, "%s", text);
	free(text);
	return DEMO_OK;
}
