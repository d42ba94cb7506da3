/* The read endpoints: GET /stores/{id}, GET /stores and GET /stores?ids=. */
#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-svc/store_db.h"

#define LIST_DEFAULT 100
#define LIST_MAX 1000
#define IDS_MAX 1000

void store_http_get(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store s;
	int64_t id;

	if (store_http_path_id(req, &id))
		return;
	switch (store_db_get(svc->db, id, &s)) {
	case STORE_DB_OK:
		store_http_reply_store(req, 200, &s);
		break;
	case STORE_DB_NOT_FOUND:
		store_http_reply_not_found(req, id);
		break;
	case STORE_DB_GONE:
		store_http_reply_gone(req, &s);
		break;
	default:
		store_http_reply_db_error(req);
		break;
	}
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
};

/* Rows arrive ordered by id, like ids: whatever ids they skip are missing. */
static void many_row(void *ctx, const struct store *s)
{
	struct many *m = ctx;

	while (m->next < m->n && m->ids[m->next] < s->id)
		json_array_append_new(m->missing,
				      json_integer(m->ids[m->next++]));
	if (m->next < m->n && m->ids[m->next] == s->id)
		m->next++;
	if (s->deleted)
		json_array_append_new(
			m->deleted, json_pack("{sIsI}", "id", (json_int_t)s->id,
					      "version", (json_int_t)s->version));
	else
		json_array_append_new(m->stores, store_model_to_json(s));
}

static void get_many(struct http_req *req, const char *text)
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
	if (http_query(req, "owner") || http_query(req, "limit") ||
	    http_query(req, "after")) {
		bad_query(req, "ids",
			  "ids cannot be combined with owner, limit or after");
		goto out;
	}
	n = parse_ids(req, text, ids);
	if (n < 0)
		goto out;
	m.stores = json_array();
	m.deleted = json_array();
	m.missing = json_array();
	m.ids = ids;
	m.n = (size_t)n;
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

void store_http_list(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	const char *ids = http_query(req, "ids");
	const char *owner = http_query(req, "owner");
	const char *limit_text = http_query(req, "limit");
	const char *after_text = http_query(req, "after");
	long long limit = LIST_DEFAULT, after = 0;
	char detail[128];
	json_t *stores;

	if (ids != NULL) {
		get_many(req, ids);
		return;
	}
	if (owner != NULL && store_validate_owner(owner, detail, sizeof(detail))) {
		bad_query(req, "owner", detail);
		return;
	}
	if (limit_text != NULL &&
	    parse_number(limit_text, 1, LIST_MAX, &limit)) {
		snprintf(detail, sizeof(detail),
			 "limit must be a whole number from 1 to %d", LIST_MAX);
		bad_query(req, "limit", detail);
		return;
	}
	if (after_text != NULL &&
	    parse_number(after_text, 0, INT64_MAX, &after)) {
		bad_query(req, "after",
			  "after must be a store id (a whole number >= 0)");
		return;
	}
	stores = json_array();
	if (store_db_list(svc->db, owner, after, (int)limit, list_row,
			  stores) != STORE_DB_OK) {
		json_decref(stores);
		store_http_reply_db_error(req);
		return;
	}
	http_reply_json(req, 200, json_pack("{so}", "stores", stores));
}
