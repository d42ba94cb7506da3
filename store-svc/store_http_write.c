/* The write endpoints: POST /stores, PUT, PATCH and DELETE /stores/{id}. */
#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store-svc/relay.h"
#include "store-svc/store_db.h"

/*
 * An owner creates stores for themself: a missing owner is theirs, another
 * owner's name is refused. Returns the document to check (a new
 * reference), or NULL after replying 403.
 */
static json_t *owned_doc(struct http_req *req, const struct auth_caller *c,
			 json_t *doc)
{
	json_t *owner = json_object_get(doc, "owner");

	if (c->role != AUTH_ROLE_OWNER)
		return json_incref(doc);
	if (owner == NULL) {
		json_t *copy = json_copy(doc);

		json_object_set_new(copy, "owner", json_string(c->owner));
		return copy;
	}
	if (json_is_string(owner) &&
	    strcmp(json_string_value(owner), c->owner) != 0) {
		store_http_reply_forbidden(
			req, "an owner can create stores only for themself",
			"owner");
		return NULL;
	}
	return json_incref(doc);
}

void store_http_create(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store_errors errs;
	struct auth_caller c;
	char location[48];
	struct store s;
	json_t *body, *doc;
	int rc;

	if (store_http_writer(req, &c))
		return;
	body = http_body_json(req);
	if (body == NULL)
		return;
	doc = owned_doc(req, &c, body);
	json_decref(body);
	if (doc == NULL)
		return;
	rc = store_validate_doc(doc, STORE_CHECK_CREATE, NULL, &s, &errs);
	json_decref(doc);
	if (rc) {
		store_http_reply_invalid(req, &errs);
		return;
	}
	if (store_db_create(svc->db, &s) != STORE_DB_OK) {
		store_model_clear(&s);
		store_http_reply_db_error(req);
		return;
	}
	store_relay_kick(svc->relay);
	snprintf(location, sizeof(location), "/stores/%" PRId64, s.id);
	http_add_header(req, "Location", location);
	store_http_reply_store(req, 201, &s);
	store_model_clear(&s);
}

/* What an edit asked for and, after store_db_edit, why it was refused. */
struct edit {
	const struct auth_caller *caller;
	const json_t *doc;        /* NULL for DELETE */
	enum store_check mode;
	struct store_if_match im;
	enum { REFUSED_STALE = 1, REFUSED_INVALID, REFUSED_HIDDEN,
	       REFUSED_OWNER } refused;
	struct store_errors errs;
};

/* Runs under the database lock: decides the edit from the current store. */
static enum store_edit decide(void *ctx, const struct store *cur,
			      struct store *next, uint32_t *fields)
{
	struct edit *e = ctx;

	/* Another owner's store does not exist, for an owner. */
	if (!auth_sees(e->caller, cur->owner)) {
		e->refused = REFUSED_HIDDEN;
		return STORE_EDIT_REFUSE;
	}
	if (!store_http_if_match_ok(&e->im, cur->version)) {
		e->refused = REFUSED_STALE;
		return STORE_EDIT_REFUSE;
	}
	if (e->doc == NULL)
		return STORE_EDIT_DELETE;
	store_model_clear(next);
	if (store_validate_doc(e->doc, e->mode, cur, next, &e->errs)) {
		e->refused = REFUSED_INVALID;
		return STORE_EDIT_REFUSE;
	}
	if (!auth_sees(e->caller, next->owner)) {
		e->refused = REFUSED_OWNER;
		return STORE_EDIT_REFUSE;
	}
	*fields = store_validate_diff(cur, next);
	return *fields != 0 ? STORE_EDIT_WRITE : STORE_EDIT_KEEP;
}

/* The common path of PUT, PATCH (doc given) and DELETE (doc NULL). */
static void edit(struct http_req *req, const struct auth_caller *c,
		 json_t *doc, enum store_check mode)
{
	struct store_svc *svc = req->ctx;
	struct edit e = { .caller = c, .doc = doc, .mode = mode };
	struct store result;
	int64_t id;
	int wrote, rc;

	if (store_http_path_id(req, &id) ||
	    store_http_precondition(req, &e.im))
		return;
	rc = store_db_edit(svc->db, id, decide, &e, &result, &wrote);
	switch (rc) {
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
	case STORE_DB_REFUSED:
		if (e.refused == REFUSED_HIDDEN)
			store_http_reply_not_found(req, id);
		else if (e.refused == REFUSED_STALE)
			store_http_reply_stale(req, &result);
		else if (e.refused == REFUSED_OWNER)
			store_http_reply_forbidden(
				req, "an owner cannot give a store to another owner",
				"owner");
		else
			store_http_reply_invalid(req, &e.errs);
		break;
	default:
		store_http_reply_missing(req, c, rc, id, &result);
		break;
	}
	store_model_clear(&result);
}

/* PUT and PATCH: caller, then body, then the edit. */
static void edit_with_body(struct http_req *req, enum store_check mode)
{
	struct auth_caller c;
	json_t *doc;

	if (store_http_writer(req, &c))
		return;
	doc = http_body_json(req);
	if (doc == NULL)
		return;
	edit(req, &c, doc, mode);
	json_decref(doc);
}

void store_http_replace(struct http_req *req)
{
	edit_with_body(req, STORE_CHECK_REPLACE);
}

void store_http_patch(struct http_req *req)
{
	edit_with_body(req, STORE_CHECK_PATCH);
}

void store_http_delete(struct http_req *req)
{
	struct auth_caller c;

	if (store_http_writer(req, &c))
		return;
	edit(req, &c, NULL, STORE_CHECK_PATCH);
}
