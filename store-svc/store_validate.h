#ifndef STORECTL_STORE_VALIDATE_H
#define STORECTL_STORE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store-svc/store.h"

/*
 * Domain rules for a store document sent by a client. Pure: no database, no
 * HTTP, no Kafka, so it runs in unit tests as is. docs/api.md lists every
 * rule; in short (lengths in characters, texts trimmed of spaces):
 *
 *   owner         1-64 of [a-z0-9_-]; required
 *   name          1-50, no control characters; required
 *   category      one of category_names (common/category.h); required
 *   phone         "02-123-4567" / "010-1234-5678"; optional
 *   address       {"road" 1-100 required, "detail" 0-100,
 *                  "postal_code" 5 digits}; optional
 *   area          delivery district code, 2-32 of [a-z0-9-], starting
 *                 with a letter or digit; optional
 *   hours         {"mon": [{"open":"09:00","close":"21:00"}], ... "sun"}:
 *                 all seven days, 0-3 periods each, in order, no overlap
 *                 (also across midnight); optional
 *   status        "open", "closed" or "paused"; default "open"
 *   status_reason 1-100; required when paused, not allowed when open
 *   min_order     won, 0-1000000, a multiple of 10; default 0
 *   delivery_fee  won, 0-100000, a multiple of 10; default 0
 *   description   0-500, line breaks allowed; optional
 *   menu          0-200 items (store_validate_menu_item); default []
 *   id, version, created_at, updated_at
 *                 read-only: accepted only when equal to the stored value
 * Any other member is an error.
 *
 * Rule names (the "rule" of a violation): required, type, length, pattern,
 * utf8, control, blank, enum, unknown, read-only, range, step, format,
 * order, overlap, empty, duplicate, forbidden.
 */

enum store_check {
	STORE_CHECK_CREATE,  /* POST: a new store; no current one */
	STORE_CHECK_REPLACE, /* PUT: the document replaces every field */
	STORE_CHECK_PATCH,   /* PATCH: RFC 7396 merge patch onto the current */
};

#define STORE_ERRORS_MAX 16

struct store_violation {
	char field[64];
	char rule[16];
	char detail[256];
};

/* Every violation found, in field order; n is 0 when the document is valid. */
struct store_errors {
	size_t n;
	size_t dropped; /* violations beyond STORE_ERRORS_MAX */
	struct store_violation v[STORE_ERRORS_MAX];
};

/* The statuses a store may have, terminated by NULL (the categories are
 * common/category.h's, shared with the services that filter by them). */
extern const char *const store_validate_statuses[];

/*
 * Checks doc (a JSON object) under mode and builds the resulting store in
 * *out: for CREATE from nothing (cur must be NULL), for REPLACE and PATCH
 * from cur (id, version and timestamps are copied from it; the caller bumps
 * the version when it writes).
 *
 * PATCH applies doc to cur's representation as a JSON merge patch (RFC
 * 7396) and checks the result like a PUT, with one addition: a patch that
 * sets "status" without mentioning "status_reason" clears the reason, so
 * reopening a paused store is just {"status":"open"}.
 *
 * Returns 0 when valid, with *out holding its own menu reference (release
 * it with store_model_clear); otherwise -1 with every violation in *errs
 * and *out holding no reference. Never keeps a reference to doc.
 */
int store_validate_doc(const json_t *doc, enum store_check mode,
		       const struct store *cur, struct store *out,
		       struct store_errors *errs);

/*
 * One menu item sent to the menu endpoints (or inside a store's menu):
 *
 *   name         1-50; required
 *   price        won, 0-1000000, a multiple of 10; required
 *   sold_out     true or false; default false
 *   description  0-200; optional
 *   groups       0-10 option groups: {"name" 1-30, "min" 0-30 (default
 *                0), "max" 1-30 (default 1), "options": 1-30 of
 *                {"name" 1-30, "price" 0-100000 (default 0)}}, with
 *                min <= max <= the number of options and names unique
 *                within the item (groups) and the group (options)
 *   id           read-only: absent, or equal to id
 *
 * Field names are prefixed by prefix ("" for a bare item, "menu[3]" inside
 * a store). Returns the canonical item with its id as a new reference, or
 * NULL with the violations added to *errs (which the caller has zeroed).
 */
json_t *store_validate_menu_item(const json_t *v, const char *prefix,
				 int64_t id, struct store_errors *errs);

/*
 * Checks a whole menu (the "menu" member) against the current store: see
 * store_validate_doc. On success *out is the canonical array (NULL when
 * empty; the caller owns it) and *seq the new highest item id. 0 or -1.
 */
int store_validate_menu(const json_t *v, const struct store *cur,
			json_t **out, int64_t *seq, struct store_errors *errs);

/*
 * Parses and checks an hours object into *out (field names start with
 * "hours"). 0, or -1 with the violations in *errs (zeroed here).
 */
int store_validate_hours(const json_t *v, struct store_hours *out,
			 struct store_errors *errs);

/*
 * Checks one owner name (also used for the ?owner= filter). Returns 0, or
 * -1 with a human reason in detail.
 */
int store_validate_owner(const char *owner, char *detail, size_t len);

/* The same for an area code (the ?area= filter). */
int store_validate_area(const char *area, char *detail, size_t len);

/* STORE_F_* bits (api/fields.h) of the fields whose values differ. */
uint32_t store_validate_diff(const struct store *a, const struct store *b);

/*
 * RFC 7396: target with patch merged in, as a new value (neither argument
 * is changed). A patch that is not an object replaces the target; null
 * members remove; objects merge recursively; arrays are replaced whole.
 */
json_t *store_validate_merge_patch(const json_t *target, const json_t *patch);

/*
 * Adds one violation found outside the validator (a rule that needs the
 * stored store, such as a full menu) to *errs.
 */
void store_validate_refuse(struct store_errors *errs, const char *field,
			   const char *rule, const char *detail);

/*
 * The members a 422 problem adds: "field" and "rule" of the first violation
 * and "errors": [{"field","rule","detail"}, ...]. Returns a new reference.
 */
json_t *store_validate_problem(const struct store_errors *errs);

/*
 * Counts the code points of s[0..len) into *count. Returns 0 for valid
 * UTF-8 (no overlong forms, surrogates or values above U+10FFFF), -1 else.
 * Sets *control when it meets a C0/C1 control character or DEL.
 */
int store_validate_utf8(const char *s, size_t len, size_t *count,
			int *control);

#endif
