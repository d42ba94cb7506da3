/* The write endpoints: POST /stores, PUT, PATCH and DELETE /stores/{id}. */
#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store-svc/relay.h"
#include "store-svc/store_db.h"

void store_http_create(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store_errors errs;
	char location[48];
	struct store s;
	json_t *doc;
	int rc;

	doc = http_body_json(req);
	if (doc == NULL)
		return;
	rc = store_validate_doc(doc, STORE_CHECK_CREATE, NULL, &s, &errs);
	json_decref(doc);
	if (rc) {
		store_http_reply_invalid(req, &errs);
		return;
	}
	if (store_db_create(svc->db, &s) != STORE_DB_OK) {
		store_http_reply_db_error(req);
		return;
	}
	store_relay_kick(svc->relay);
	snprintf(location, sizeof(location), "/stores/%" PRId64, s.id);
	http_add_header(req, "Location", location);
	store_http_reply_store(req, 201, &s);
}

/* What an edit asked for and, after store_db_edit, why it was refused. */
struct edit {
	const json_t *doc;        /* NULL for DELETE */
	enum store_check mode;
	struct store_if_match im;
	enum { REFUSED_STALE = 1, REFUSED_INVALID } refused;
	struct store_errors errs;
};

/* Runs under the database lock: decides the edit from the current store. */
static enum store_edit decide(void *ctx, const struct store *cur,
			      struct store *next, uint32_t *fields)
{
	struct edit *e = ctx;

	if (!store_http_if_match_ok(&e->im, cur->version)) {
		e->refused = REFUSED_STALE;
		return STORE_EDIT_REFUSE;
	}
	if (e->doc == NULL)
		return STORE_EDIT_DELETE;
	if (store_validate_doc(e->doc, e->mode, cur, next, &e->errs)) {
		e->refused = REFUSED_INVALID;
		return STORE_EDIT_REFUSE;
	}
	*fields = store_validate_diff(cur, next);
	return *fields != 0 ? STORE_EDIT_WRITE : STORE_EDIT_KEEP;
}

static void reply_stale(struct http_req *req, const struct store *cur)
{
	char detail[160];

	snprintf(detail, sizeof(detail),
		 "the store changed since you read it: it is at version %" PRId64
		 "; read it again and retry", cur->version);
	store_http_etag(req, cur->version);
	http_reply_problem(req, 412, "Precondition Failed", detail,
			   json_pack("{sssI}", "field", "If-Match",
				     "current_version",
				     (json_int_t)cur->version));
}

/* The common path of PUT, PATCH (doc given) and DELETE (doc NULL). */
static void edit(struct http_req *req, json_t *doc, enum store_check mode)
{
	struct store_svc *svc = req->ctx;
	struct edit e = { .doc = doc, .mode = mode };
	struct store result;
	int64_t id;
	int wrote;

	if (store_http_path_id(req, &id) ||
	    store_http_precondition(req, &e.im))
		return;
	switch (store_db_edit(svc->db, id, decide, &e, &result, &wrote)) {
	case STORE_DB_OK:
		if (wrote)
			store_relay_kick(svc->relay);
		if (doc == NULL) {
			store_http_etag(req, result.version);
			http_reply_text(req, 204, "text/plain", "");
		} else {
			store_http_reply_store(req, 200, &result);
		}
		break;
	case STORE_DB_NOT_FOUND:
		store_http_reply_not_found(req, id);
		break;
	case STORE_DB_GONE:
		store_http_reply_gone(req, &result);
		break;
	case STORE_DB_REFUSED:
		if (e.refused == REFUSED_STALE)
			reply_stale(req, &result);
		else
			store_http_reply_invalid(req, &e.errs);
		break;
	default:
		store_http_reply_db_error(req);
		break;
	}
}

void store_http_replace(struct http_req *req)
{
	json_t *doc = http_body_json(req);

	if (doc == NULL)
		return;
	edit(req, doc, STORE_CHECK_REPLACE);
	json_decref(doc);
}

void store_http_patch(struct http_req *req)
{
	json_t *doc = http_body_json(req);

	if (doc == NULL)
		return;
	edit(req, doc, STORE_CHECK_PATCH);
	json_decref(doc);
}

void store_http_delete(struct http_req *req)
{
	edit(req, NULL, STORE_CHECK_PATCH);
}
