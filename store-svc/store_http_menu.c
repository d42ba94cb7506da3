/*
 * The menu endpoints: /stores/{id}/menu and /stores/{id}/menu/{item}. The
 * store is the unit of versioning: an item's ETag is its store's version,
 * and every item change is a store change (version + 1, an "updated" event
 * naming "menu").
 */
#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store-svc/relay.h"
#include "store-svc/store_db.h"

enum item_op { ITEM_ADD, ITEM_REPLACE, ITEM_PATCH, ITEM_DELETE };

/* An item edit: what was asked, and after store_db_edit, what came of it. */
struct item_edit {
	const struct auth_caller *caller;
	enum item_op op;
	const json_t *body;  /* NULL for DELETE */
	int64_t item_id;     /* the path's item; for ADD the id given out */
	struct store_if_match im;
	enum { REFUSED_STALE = 1, REFUSED_INVALID, REFUSED_HIDDEN,
	       REFUSED_NO_ITEM } refused;
	struct store_errors errs;
};

static void reply_no_item(struct http_req *req, int64_t store_id,
			  int64_t item_id)
{
	char detail[96];

	snprintf(detail, sizeof(detail),
		 "store %" PRId64 " has no menu item %" PRId64, store_id,
		 item_id);
	http_reply_problem(req, 404, "Not Found", detail,
			   json_pack("{ss}", "field", "item"));
}

/* cur's menu with item put at the place of item_id, or added (new array). */
static json_t *menu_with(const struct store *cur, int64_t item_id,
			 json_t *item)
{
	json_t *menu = json_array();
	json_t *it;
	size_t i;
	int placed = 0;

	json_array_foreach(cur->menu, i, it) {
		if (json_integer_value(json_object_get(it, "id")) != item_id) {
			json_array_append(menu, it);
		} else if (item != NULL) {
			json_array_append(menu, item);
			placed = 1;
		}
	}
	if (item != NULL && !placed)
		json_array_append(menu, item);
	return menu;
}

/* The new item of an ADD, REPLACE or PATCH (a new reference), or NULL. */
static json_t *new_item(struct item_edit *e, const json_t *old)
{
	json_t *merged, *item;

	if (e->op != ITEM_PATCH)
		return store_validate_menu_item(e->body, "", e->item_id,
						&e->errs);
	merged = store_validate_merge_patch(old, e->body);
	/* The id cannot be patched away: it is the path's. A different one
	 * stays in merged and is refused as read-only. */
	if (json_object_get(merged, "id") == NULL)
		json_object_set_new(merged, "id", json_integer(e->item_id));
	item = store_validate_menu_item(merged, "", e->item_id, &e->errs);
	json_decref(merged);
	return item;
}

/* Runs under the database lock: decides the item edit from cur. */
static enum store_edit decide_item(void *ctx, const struct store *cur,
				   struct store *next, uint32_t *fields)
{
	struct item_edit *e = ctx;
	json_t *old = NULL, *item = NULL;

	if (!auth_sees(e->caller, cur->owner)) {
		e->refused = REFUSED_HIDDEN;
		return STORE_EDIT_REFUSE;
	}
	if (!store_http_if_match_ok(&e->im, cur->version)) {
		e->refused = REFUSED_STALE;
		return STORE_EDIT_REFUSE;
	}
	if (e->op == ITEM_ADD) {
		if (json_object_get(e->body, "id") != NULL)
			store_validate_refuse(&e->errs, "id", "read-only",
					      "id is given by the server; leave it out");
		if (json_array_size(cur->menu) >= STORE_MENU_ITEMS_MAX)
			store_validate_refuse(&e->errs, "menu", "length",
					      "the menu already has as many items as it may have (200)");
		if (e->errs.n > 0) {
			e->refused = REFUSED_INVALID;
			return STORE_EDIT_REFUSE;
		}
		e->item_id = cur->menu_seq + 1;
	} else {
		old = store_model_menu_item(cur, e->item_id);
		if (old == NULL) {
			e->refused = REFUSED_NO_ITEM;
			return STORE_EDIT_REFUSE;
		}
	}
	if (e->op != ITEM_DELETE) {
		item = new_item(e, old);
		if (item == NULL) {
			e->refused = REFUSED_INVALID;
			return STORE_EDIT_REFUSE;
		}
	}
	store_model_set_menu(next, menu_with(cur, e->item_id, item));
	json_decref(item);
	if (e->op == ITEM_ADD)
		next->menu_seq = e->item_id;
	*fields = store_validate_diff(cur, next);
	return *fields != 0 ? STORE_EDIT_WRITE : STORE_EDIT_KEEP;
}

static void item_edit(struct http_req *req, enum item_op op)
{
	struct store_svc *svc = req->ctx;
	struct auth_caller c;
	struct item_edit e = { .caller = &c, .op = op };
	struct store result;
	json_t *body = NULL, *item;
	char location[64];
	int64_t id;
	int wrote, rc;

	if (store_http_writer(req, &c) || store_http_path_id(req, &id) ||
	    (op != ITEM_ADD &&
	     store_http_path_param(req, 1, "item", &e.item_id)))
		return;
	if (op != ITEM_DELETE && (body = http_body_json(req)) == NULL)
		return;
	e.body = body;
	if (store_http_precondition(req, &e.im)) {
		json_decref(body);
		return;
	}
	rc = store_db_edit(svc->db, id, decide_item, &e, &result, &wrote);
	json_decref(body);
	if (rc == STORE_DB_OK) {
		if (wrote)
			store_relay_kick(svc->relay);
		store_http_etag(req, result.version);
		if (op == ITEM_DELETE) {
			http_reply_text(req, 204, "text/plain", "");
		} else {
			item = store_model_menu_item(&result, e.item_id);
			if (op == ITEM_ADD) {
				snprintf(location, sizeof(location),
					 "/stores/%" PRId64 "/menu/%" PRId64,
					 id, e.item_id);
				http_add_header(req, "Location", location);
			}
			http_reply_json(req, op == ITEM_ADD ? 201 : 200,
					json_deep_copy(item));
		}
	} else if (rc == STORE_DB_REFUSED) {
		if (e.refused == REFUSED_HIDDEN)
			store_http_reply_not_found(req, id);
		else if (e.refused == REFUSED_STALE)
			store_http_reply_stale(req, &result);
		else if (e.refused == REFUSED_NO_ITEM)
			reply_no_item(req, id, e.item_id);
		else
			store_http_reply_invalid(req, &e.errs);
	} else {
		store_http_reply_missing(req, &c, rc, id, &result);
	}
	store_model_clear(&result);
}

void store_http_menu_add(struct http_req *req)
{
	item_edit(req, ITEM_ADD);
}

void store_http_item_replace(struct http_req *req)
{
	item_edit(req, ITEM_REPLACE);
}

void store_http_item_patch(struct http_req *req)
{
	item_edit(req, ITEM_PATCH);
}

void store_http_item_delete(struct http_req *req)
{
	item_edit(req, ITEM_DELETE);
}

/*
 * The store behind a menu read, visible to the caller, into *s. 0, or -1
 * after replying.
 */
static int readable_store(struct http_req *req, int64_t *id, struct store *s)
{
	struct store_svc *svc = req->ctx;
	struct auth_caller c;
	int rc;

	memset(s, 0, sizeof(*s));
	if (store_http_caller(req, &c) || store_http_path_id(req, id))
		return -1;
	rc = store_db_get(svc->db, *id, s);
	if (rc == STORE_DB_OK && auth_sees(&c, s->owner))
		return 0;
	store_http_reply_missing(req, &c, rc == STORE_DB_OK ? STORE_DB_NOT_FOUND
							  : rc,
				 *id, s);
	store_model_clear(s);
	return -1;
}

void store_http_menu_get(struct http_req *req)
{
	struct store s;
	int64_t id;

	if (readable_store(req, &id, &s))
		return;
	store_http_etag(req, s.version);
	http_reply_json(req, 200,
			json_pack("{sIsIso}", "store_id", (json_int_t)s.id,
				  "version", (json_int_t)s.version, "menu",
				  s.menu != NULL ? json_deep_copy(s.menu)
						 : json_array()));
	store_model_clear(&s);
}

void store_http_item_get(struct http_req *req)
{
	struct store s;
	int64_t id, item_id;
	json_t *item;

	if (readable_store(req, &id, &s))
		return;
	if (store_http_path_param(req, 1, "item", &item_id)) {
		store_model_clear(&s);
		return;
	}
	item = store_model_menu_item(&s, item_id);
	if (item == NULL) {
		reply_no_item(req, id, item_id);
	} else {
		store_http_etag(req, s.version);
		http_reply_json(req, 200, json_deep_copy(item));
	}
	store_model_clear(&s);
}
