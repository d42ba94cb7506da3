/* The read endpoints: GET /stores/{id}, GET /stores and GET /stores?ids=. */
#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/category.h"
#include "store-svc/store_db.h"

#define LIST_DEFAULT 100
#define LIST_MAX 1000
#define IDS_MAX 1000
#define TEXT_MAX 50

/* The arguments of a list; ids= stands alone. */
static const char *const list_params[] = {
	"owner", "area", "category", "status", "text", "limit", "after",
	"cursor", NULL,
};

void store_http_get(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct auth_caller c;
	struct store s;
	int64_t id;
	int rc;

	if (store_http_caller(req, &c) || store_http_path_id(req, &id))
		return;
	rc = store_db_get(svc->db, id, &s);
	if (rc == STORE_DB_OK && auth_sees(&c, s.owner))
		store_http_reply_store(req, 200, &s);
	else
		store_http_reply_missing(req, &c, rc == STORE_DB_OK
						  ? STORE_DB_NOT_FOUND : rc,
					 id, &s);
	store_model_clear(&s);
}

static void bad_query(struct http_req *req, const char *param,
		      const char *detail)
{
	http_reply_problem(req, 400, "Bad Request", detail,
			   json_pack("{ss}", "field", param));
}

/*
 * A query value quoted for an error message: printable ASCII only, at most
 * 24 characters, so any bytes a client sends make valid UTF-8.
 */
static void quote_item(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < buflen; i++) {
		if (i == 24) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	}
	buf[n] = '\0';
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Parses "1,2,3" into ids (sorted, without duplicates). Returns the count,
 * or -1 after replying 400 naming the bad item.
 */
static int parse_ids(struct http_req *req, const char *text, int64_t *ids)
{
	char detail[160], item[32], quoted[32];
	size_t n = 0, pos = 0, out = 0;
	const char *p = text;

	if (*text == '\0') {
		bad_query(req, "ids", "ids must list store ids, like ids=1,2,3");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");

		pos++;
		if (n == IDS_MAX) {
			snprintf(detail, sizeof(detail),
				 "ids lists more than %d ids; ask in batches",
				 IDS_MAX);
			bad_query(req, "ids", detail);
			return -1;
		}
		if (len > 0 && len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = '\0';
		}
		if (len == 0 || len >= sizeof(item) ||
		    http_parse_id(item, &ids[n])) {
			quote_item(p, len, quoted, sizeof(quoted));
			snprintf(detail, sizeof(detail),
				 "ids: item %zu (\"%s\") is not a positive integer",
				 pos, quoted);
			bad_query(req, "ids", detail);
			return -1;
		}
		n++;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	qsort(ids, n, sizeof(*ids), cmp_id);
	for (size_t i = 0; i < n; i++)
		if (out == 0 || ids[i] != ids[out - 1])
			ids[out++] = ids[i];
	return (int)out;
}

struct many {
	json_t *stores, *deleted, *missing;
	const int64_t *ids;
	size_t n, next; /* ids[next] is the next requested id not yet seen */
	const struct auth_caller *caller;
};

/* Rows arrive ordered by id, like ids: whatever ids they skip are missing,
 * and so are other owners' stores for an owner. */
static void many_row(void *ctx, const struct store *s)
{
	struct many *m = ctx;

	while (m->next < m->n && m->ids[m->next] < s->id)
		json_array_append_new(m->missing,
				      json_integer(m->ids[m->next++]));
	if (m->next < m->n && m->ids[m->next] == s->id)
		m->next++;
	if (!auth_sees(m->caller, s->owner))
		json_array_append_new(m->missing, json_integer(s->id));
	else if (s->deleted)
		json_array_append_new(
			m->deleted, json_pack("{sIsI}", "id", (json_int_t)s->id,
					      "version", (json_int_t)s->version));
	else
		json_array_append_new(m->stores, store_model_to_json(s));
}

static void get_many(struct http_req *req, const struct auth_caller *c,
		     const char *text)
{
	struct store_svc *svc = req->ctx;
	int64_t *ids = malloc(IDS_MAX * sizeof(*ids));
	struct many m = { 0 };
	int n;

	if (ids == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	for (size_t i = 0; list_params[i] != NULL; i++) {
		if (http_query(req, list_params[i]) != NULL) {
			bad_query(req, "ids",
				  "ids cannot be combined with the list's filters or paging");
			goto out;
		}
	}
	n = parse_ids(req, text, ids);
	if (n < 0)
		goto out;
	m.stores = json_array();
	m.deleted = json_array();
	m.missing = json_array();
	m.ids = ids;
	m.n = (size_t)n;
	m.caller = c;
	if (store_db_get_many(svc->db, ids, m.n, many_row, &m) != STORE_DB_OK) {
		json_decref(m.stores);
		json_decref(m.deleted);
		json_decref(m.missing);
		store_http_reply_db_error(req);
		goto out;
	}
	while (m.next < m.n)
		json_array_append_new(m.missing, json_integer(ids[m.next++]));
	http_reply_json(req, 200,
			json_pack("{sososo}", "stores", m.stores, "deleted",
				  m.deleted, "missing", m.missing));
out:
	free(ids);
}

static void list_row(void *ctx, const struct store *s)
{
	json_array_append_new(ctx, store_model_to_json(s));
}

/* Parses a whole decimal number in [min, max]; 0 or -1. */
static int parse_number(const char *text, long long min, long long max,
			long long *out)
{
	char *end;
	long long v;

	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	v = strtoll(text, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * The cursor of the next page: opaque to clients ("c" and the last id in
 * hex), so that paging can change without breaking them.
 */
static void cursor_make(int64_t last_id, char *buf, size_t len)
{
	snprintf(buf, len, "c%" PRIx64, (uint64_t)last_id);
}

static int cursor_parse(const char *text, int64_t *after)
{
	char *end;
	unsigned long long v;

	if (text[0] != 'c' || text[1] == '\0' || strlen(text) > 17 ||
	    strspn(text + 1, "0123456789abcdef") != strlen(text + 1))
		return -1;
	v = strtoull(text + 1, &end, 16);
	if (*end != '\0' || v > INT64_MAX)
		return -1;
	*after = (int64_t)v;
	return 0;
}

/* A filter value that must be one of values; 0 or -1 (replied). */
static int enum_param(struct http_req *req, const char *param,
		      const char *const *values)
{
	const char *v = http_query(req, param);
	char detail[256];
	size_t n = 0;

	if (v == NULL)
		return 0;
	for (size_t i = 0; values[i] != NULL; i++)
		if (strcmp(values[i], v) == 0)
			return 0;
	n += (size_t)snprintf(detail, sizeof(detail), "%s must be one of:",
			      param);
	for (size_t i = 0; values[i] != NULL && n < sizeof(detail); i++)
		n += (size_t)snprintf(detail + n, sizeof(detail) - n, "%s %s",
				      i ? "," : "", values[i]);
	bad_query(req, param, detail);
	return -1;
}

/* The query arguments of a list into *f; 0 or -1 (replied). */
static int list_filters(struct http_req *req, const struct auth_caller *c,
			struct store_filter *f)
{
	char detail[192];
	size_t count;
	int control;

	memset(f, 0, sizeof(*f));
	f->owner = http_query(req, "owner");
	f->area = http_query(req, "area");
	f->category = http_query(req, "category");
	f->status = http_query(req, "status");
	f->text = http_query(req, "text");
	if (f->owner != NULL &&
	    store_validate_owner(f->owner, detail, sizeof(detail))) {
		bad_query(req, "owner", detail);
		return -1;
	}
	if (c->role == AUTH_ROLE_OWNER) {
		if (f->owner != NULL && strcmp(f->owner, c->owner) != 0) {
			store_http_reply_forbidden(
				req, "an owner can list only their own stores",
				"owner");
			return -1;
		}
		f->owner = c->owner;
	}
	if (f->area != NULL &&
	    store_validate_area(f->area, detail, sizeof(detail))) {
		bad_query(req, "area", detail);
		return -1;
	}
	if (enum_param(req, "category", category_names) ||
	    enum_param(req, "status", store_validate_statuses))
		return -1;
	if (f->text != NULL &&
	    (store_validate_utf8(f->text, strlen(f->text), &count, &control) ||
	     control || count < 1 || count > TEXT_MAX)) {
		snprintf(detail, sizeof(detail),
			 "text must be 1 to %d characters of UTF-8 text",
			 TEXT_MAX);
		bad_query(req, "text", detail);
		return -1;
	}
	return 0;
}

void store_http_list(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	const char *ids = http_query(req, "ids");
	const char *limit_text = http_query(req, "limit");
	const char *after_text = http_query(req, "after");
	const char *cursor = http_query(req, "cursor");
	long long limit = LIST_DEFAULT, after = 0;
	struct auth_caller c;
	struct store_filter f;
	json_t *stores;
	char detail[128], next[24];
	json_t *body;
	int64_t cursor_after;

	if (store_http_caller(req, &c))
		return;
	if (ids != NULL) {
		get_many(req, &c, ids);
		return;
	}
	if (list_filters(req, &c, &f))
		return;
	if (limit_text != NULL &&
	    parse_number(limit_text, 1, LIST_MAX, &limit)) {
		snprintf(detail, sizeof(detail),
			 "limit must be a whole number from 1 to %d", LIST_MAX);
		bad_query(req, "limit", detail);
		return;
	}
	if (after_text != NULL && cursor != NULL) {
		bad_query(req, "cursor", "give cursor or after, not both");
		return;
	}
	if (after_text != NULL &&
	    parse_number(after_text, 0, INT64_MAX, &after)) {
		bad_query(req, "after",
			  "after must be a store id (a whole number >= 0)");
		return;
	}
	if (cursor != NULL) {
		if (cursor_parse(cursor, &cursor_after)) {
			bad_query(req, "cursor",
				  "cursor must be a next_cursor this service gave out");
			return;
		}
		after = cursor_after;
	}
	/* One row more than asked tells whether another page follows. */
	stores = json_array();
	if (store_db_list(svc->db, &f, after, (int)limit + 1, list_row,
			  stores) != STORE_DB_OK) {
		json_decref(stores);
		store_http_reply_db_error(req);
		return;
	}
	body = json_pack("{so}", "stores", stores);
	if (json_array_size(stores) > (size_t)limit) {
		json_array_remove(stores, (size_t)limit);
		cursor_make(json_integer_value(json_object_get(
				    json_array_get(stores, (size_t)limit - 1),
				    "id")),
			    next, sizeof(next));
		json_object_set_new(body, "next_cursor", json_string(next));
	} else {
		json_object_set_new(body, "next_cursor", json_null());
	}
	http_reply_json(req, 200, body);
}
