/* A whole store document: each member's rule in form order, then unknown
 * and read-only members, and the diff that names an event's fields. */
#include "store-svc/store_validate_priv.h"

#include <stdio.h>
#include <string.h>

#include "api/fields.h"
#include "common/category.h"

const char *const store_validate_statuses[] = {
	"open", "closed", "paused", NULL,
};

static const char *const readonly_members[] = {
	"id", "version", "created_at", "updated_at", NULL,
};

/* Form order: the first violation is the first field a person meets. */
static const char *const writable_members[] = {
	"owner", "name", "category", "phone", "address", "area", "hours",
	"status", "status_reason", "min_order", "delivery_fee", "description",
	"menu", NULL,
};

static const char *const address_members[] = {
	"road", "detail", "postal_code", NULL,
};

/* What one check sees: the mode, the stored store, the patch, the result. */
struct vctx {
	enum store_check mode;
	const struct store *cur;
	const json_t *patch;   /* PATCH: the client's patch, for messages */
	struct store *out;
	struct store_errors *errs;
	json_t *menu;          /* the new canonical menu, owned until done */
	int64_t menu_seq;
};

int store_validate_owner(const char *owner, char *detail, size_t len)
{
	size_t n = strlen(owner);

	if (n == 0 || n > STORE_OWNER_MAX) {
		snprintf(detail, len, "owner must be 1-%d characters long, not %zu",
			 STORE_OWNER_MAX, n);
		return -1;
	}
	for (const char *p = owner; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-')
			continue;
		snprintf(detail, len,
			 "owner may contain only a-z, 0-9, '_' and '-'");
		return -1;
	}
	return 0;
}

int store_validate_area(const char *area, char *detail, size_t len)
{
	size_t n = strlen(area);

	if (n < 2 || n > STORE_AREA_MAX) {
		snprintf(detail, len, "area must be 2-%d characters long, not %zu",
			 STORE_AREA_MAX, n);
		return -1;
	}
	for (const char *p = area; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p == '-' && p != area))
			continue;
		snprintf(detail, len,
			 "area is a delivery district code of a-z, 0-9 and '-' (not first), like \"gangnam-yeoksam\" or \"1168010100\"");
		return -1;
	}
	return 0;
}

static void check_owner(const json_t *v, struct vctx *c)
{
	char detail[160];
	const char *s;
	size_t n;

	if (!json_is_string(v)) {
		store_verr(c->errs, "owner", "type", "owner must be a string");
		return;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > STORE_OWNER_MAX) {
		store_verr(c->errs, "owner", "length",
			   "owner must be 1-%d characters long, not %zu",
			   STORE_OWNER_MAX, n);
		return;
	}
	if (n != strlen(s) || store_validate_owner(s, detail, sizeof(detail))) {
		store_verr(c->errs, "owner", "pattern",
			   "owner may contain only a-z, 0-9, '_' and '-'");
		return;
	}
	memcpy(c->out->owner, s, n + 1);
}

static size_t digits(const char *p)
{
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

/* ^0\d{1,2}-\d{3,4}-\d{4}$ */
static int phone_ok(const char *s)
{
	size_t n;

	if (*s++ != '0')
		return 0;
	n = digits(s);
	if (n < 1 || n > 2 || s[n] != '-')
		return 0;
	s += n + 1;
	n = digits(s);
	if (n < 3 || n > 4 || s[n] != '-')
		return 0;
	s += n + 1;
	return digits(s) == 4 && s[4] == '\0';
}

static void check_phone(const json_t *v, struct vctx *c)
{
	const char *s;

	if (!json_is_string(v)) {
		store_verr(c->errs, "phone", "type", "phone must be a string");
		return;
	}
	s = json_string_value(v);
	if (json_string_length(v) != strlen(s) || !phone_ok(s)) {
		store_verr(c->errs, "phone", "pattern",
			   "phone must look like 02-123-4567 or 010-1234-5678");
		return;
	}
	strcpy(c->out->phone, s);
}

static void check_address(const json_t *v, struct vctx *c)
{
	struct store_address *a = &c->out->address;
	json_t *road, *detail, *postal;

	memset(a, 0, sizeof(*a));
	if (!json_is_object(v)) {
		store_verr(c->errs, "address", "type",
			   "address must be an object like {\"road\":\"서울 강남구 테헤란로 123\",\"detail\":\"2층\",\"postal_code\":\"06236\"}");
		return;
	}
	road = json_object_get(v, "road");
	detail = json_object_get(v, "detail");
	postal = json_object_get(v, "postal_code");
	if (road == NULL || json_is_null(road))
		store_verr(c->errs, "address.road", "required",
			   "address.road is required");
	else
		store_vtext(road, "address.road", 1, STORE_ROAD_MAX, 0, a->road,
			    sizeof(a->road), c->errs);
	if (detail != NULL && !json_is_null(detail))
		store_vtext(detail, "address.detail", 0, STORE_ADDR_DETAIL_MAX,
			    0, a->detail, sizeof(a->detail), c->errs);
	if (postal != NULL && !json_is_null(postal)) {
		const char *s = json_string_value(postal);

		if (!json_is_string(postal))
			store_verr(c->errs, "address.postal_code", "type",
				   "address.postal_code must be a string");
		else if (strlen(s) != 5 || digits(s) != 5)
			store_verr(c->errs, "address.postal_code", "pattern",
				   "address.postal_code must be 5 digits, like \"06236\"");
		else
			strcpy(a->postal_code, s);
	}
	store_vunknown(v, "address", address_members,
		       "an address has road, detail and postal_code", c->errs);
}

static void check_area(const json_t *v, struct vctx *c)
{
	char detail[160];
	const char *s;

	if (!json_is_string(v)) {
		store_verr(c->errs, "area", "type", "area must be a string");
		return;
	}
	s = json_string_value(v);
	if (json_string_length(v) != strlen(s) ||
	    store_validate_area(s, detail, sizeof(detail))) {
		store_verr(c->errs, "area",
			   strlen(s) < 2 || strlen(s) > STORE_AREA_MAX ? "length"
								       : "pattern",
			   "%s", detail);
		return;
	}
	strcpy(c->out->area, s);
}

static int is_required(const char *field, enum store_check mode)
{
	if (strcmp(field, "owner") == 0 || strcmp(field, "name") == 0 ||
	    strcmp(field, "category") == 0)
		return 1;
	return strcmp(field, "status") == 0 && mode != STORE_CHECK_CREATE;
}

/* A member that is absent or null: an error, or its default. */
static void check_missing(const char *field, struct vctx *c)
{
	struct store *out = c->out;

	if (is_required(field, c->mode)) {
		json_t *p = c->patch ? json_object_get(c->patch, field) : NULL;

		if (p != NULL && json_is_null(p))
			store_verr(c->errs, field, "required",
				   "%s is required and cannot be removed", field);
		else
			store_verr(c->errs, field, "required", "%s is required",
				   field);
		return;
	}
	if (strcmp(field, "phone") == 0)
		out->phone[0] = '\0';
	else if (strcmp(field, "address") == 0)
		memset(&out->address, 0, sizeof(out->address));
	else if (strcmp(field, "area") == 0)
		out->area[0] = '\0';
	else if (strcmp(field, "hours") == 0)
		memset(&out->hours, 0, sizeof(out->hours));
	else if (strcmp(field, "status") == 0)
		strcpy(out->status, "open");
	else if (strcmp(field, "status_reason") == 0)
		out->status_reason[0] = '\0';
	else if (strcmp(field, "min_order") == 0)
		out->min_order = 0;
	else if (strcmp(field, "delivery_fee") == 0)
		out->delivery_fee = 0;
	else if (strcmp(field, "description") == 0)
		out->description[0] = '\0';
	else if (strcmp(field, "menu") == 0)
		c->menu_seq = c->cur != NULL ? c->cur->menu_seq : 0;
}

static void check_member(const char *field, const json_t *v, struct vctx *c)
{
	struct store *out = c->out;

	if (strcmp(field, "owner") == 0)
		check_owner(v, c);
	else if (strcmp(field, "name") == 0)
		store_vtext(v, "name", 1, STORE_NAME_MAX, 0, out->name,
			    sizeof(out->name), c->errs);
	else if (strcmp(field, "category") == 0)
		store_venum(v, field, category_names, out->category,
			    sizeof(out->category), c->errs);
	else if (strcmp(field, "phone") == 0)
		check_phone(v, c);
	else if (strcmp(field, "address") == 0)
		check_address(v, c);
	else if (strcmp(field, "area") == 0)
		check_area(v, c);
	else if (strcmp(field, "hours") == 0)
		store_vhours(v, "hours", &out->hours, c->errs);
	else if (strcmp(field, "status") == 0)
		store_venum(v, field, store_validate_statuses, out->status,
			    sizeof(out->status), c->errs);
	else if (strcmp(field, "status_reason") == 0)
		store_vtext(v, field, 1, STORE_REASON_MAX, 0, out->status_reason,
			    sizeof(out->status_reason), c->errs);
	else if (strcmp(field, "min_order") == 0)
		store_vmoney(v, field, STORE_MIN_ORDER_MAX, &out->min_order,
			     c->errs);
	else if (strcmp(field, "delivery_fee") == 0)
		store_vmoney(v, field, STORE_FEE_MAX, &out->delivery_fee,
			     c->errs);
	else if (strcmp(field, "description") == 0)
		store_vtext(v, field, 0, STORE_DESC_MAX, 1, out->description,
			    sizeof(out->description), c->errs);
	else if (strcmp(field, "menu") == 0)
		store_vmenu(v, c->cur, &c->menu, &c->menu_seq, c->errs);
}

/* A paused store says why; an open one has nothing to explain. */
static void check_status_reason(const json_t *doc, struct vctx *c)
{
	int has = c->out->status_reason[0] != '\0';
	json_t *reason = json_object_get(doc, "status_reason");

	if (reason != NULL && !json_is_null(reason) && !has)
		return; /* its own violation is already recorded */
	if (strcmp(c->out->status, "paused") == 0 && !has)
		store_verr(c->errs, "status_reason", "required",
			   "status_reason is required when status is paused (say why, e.g. \"재료 소진\")");
	else if (strcmp(c->out->status, "open") == 0 && has)
		store_verr(c->errs, "status_reason", "forbidden",
			   "status_reason is only for a closed or paused store");
}

/* A read-only member is accepted only when it repeats the stored value. */
static void check_readonly(const char *key, const json_t *v,
			   const struct store *cur, struct store_errors *errs)
{
	int same = 0;

	if (cur == NULL) {
		store_verr(errs, key, "read-only",
			   "%s is set by the server; leave it out", key);
		return;
	}
	if (strcmp(key, "id") == 0)
		same = json_is_integer(v) && json_integer_value(v) == cur->id;
	else if (strcmp(key, "version") == 0)
		same = json_is_integer(v) &&
		       json_integer_value(v) == cur->version;
	else if (strcmp(key, "created_at") == 0)
		same = json_is_string(v) &&
		       strcmp(json_string_value(v), cur->created_at) == 0;
	else if (strcmp(key, "updated_at") == 0)
		same = json_is_string(v) &&
		       strcmp(json_string_value(v), cur->updated_at) == 0;
	if (!same)
		store_verr(errs, key, "read-only",
			   "%s is set by the server; leave it out or send the stored value",
			   key);
}

/* Checks a complete document (a POST, a PUT, or a patch merged in). */
static int check_doc(const json_t *doc, struct vctx *c, int readonly_done)
{
	const char *key;
	json_t *v;

	for (size_t i = 0; writable_members[i] != NULL; i++) {
		const char *field = writable_members[i];

		v = json_object_get(doc, field);
		if (v == NULL || json_is_null(v))
			check_missing(field, c);
		else
			check_member(field, v, c);
		if (strcmp(field, "status_reason") == 0)
			check_status_reason(doc, c);
	}
	json_object_foreach((json_t *)doc, key, v) {
		if (store_vin_list(writable_members, key))
			continue;
		if (store_vin_list(readonly_members, key)) {
			if (!readonly_done)
				check_readonly(key, v, c->cur, c->errs);
			continue;
		}
		store_vunknown_key("", key,
				   "see docs/api.md for the members of a store",
				   c->errs);
	}
	return c->errs->n > 0 ? -1 : 0;
}

int store_validate_doc(const json_t *doc, enum store_check mode,
		       const struct store *cur, struct store *out,
		       struct store_errors *errs)
{
	struct vctx c = { .mode = mode, .out = out, .errs = errs };
	json_t *merged = NULL;
	int rc;

	memset(errs, 0, sizeof(*errs));
	if (mode == STORE_CHECK_CREATE || cur == NULL) {
		memset(out, 0, sizeof(*out));
		cur = NULL;
		if (mode == STORE_CHECK_PATCH)
			c.mode = STORE_CHECK_CREATE;
	} else {
		*out = *cur;
		out->menu = NULL; /* out gets its own reference below */
	}
	c.cur = cur;
	c.menu_seq = cur != NULL ? cur->menu_seq : 0;
	if (!json_is_object(doc)) {
		store_verr(errs, "", "type", "a store must be a JSON object");
		return -1;
	}
	if (c.mode == STORE_CHECK_PATCH) {
		const char *key;
		json_t *v;

		/* Read-only members are checked as sent (null included),
		 * then dropped: the merge keeps the stored values. */
		json_object_foreach((json_t *)doc, key, v)
			if (store_vin_list(readonly_members, key))
				check_readonly(key, v, cur, errs);
		merged = store_validate_patched(doc, cur);
		if (merged == NULL) {
			store_verr(errs, "", "type", "out of memory");
			return -1;
		}
		c.patch = doc;
		c.mode = STORE_CHECK_REPLACE;
		rc = check_doc(merged, &c, 1);
		json_decref(merged);
	} else {
		rc = check_doc(doc, &c, 0);
	}
	if (rc || errs->n > 0) {
		json_decref(c.menu);
		out->menu = NULL;
		return -1;
	}
	/* An absent menu in a PUT empties it; in a merge it is cur's. */
	out->menu = c.menu;
	out->menu_seq = c.menu_seq;
	return 0;
}

static int hours_equal(const struct store_hours *a, const struct store_hours *b)
{
	if (a->set != b->set)
		return 0;
	for (int d = 0; d < STORE_DAYS && a->set; d++) {
		if (a->day[d].n != b->day[d].n)
			return 0;
		for (int i = 0; i < a->day[d].n; i++)
			if (a->day[d].r[i].open != b->day[d].r[i].open ||
			    a->day[d].r[i].close != b->day[d].r[i].close)
				return 0;
	}
	return 1;
}

static int menu_equal(const json_t *a, const json_t *b)
{
	if (a == NULL || b == NULL)
		return json_array_size(a) == json_array_size(b);
	return json_equal(a, b);
}

uint32_t store_validate_diff(const struct store *a, const struct store *b)
{
	uint32_t bits = 0;

	if (strcmp(a->owner, b->owner) != 0)
		bits |= STORE_F_OWNER;
	if (strcmp(a->name, b->name) != 0)
		bits |= STORE_F_NAME;
	if (strcmp(a->category, b->category) != 0)
		bits |= STORE_F_CATEGORY;
	if (strcmp(a->phone, b->phone) != 0)
		bits |= STORE_F_PHONE;
	if (strcmp(a->address.road, b->address.road) != 0 ||
	    strcmp(a->address.detail, b->address.detail) != 0 ||
	    strcmp(a->address.postal_code, b->address.postal_code) != 0)
		bits |= STORE_F_ADDRESS;
	if (strcmp(a->area, b->area) != 0)
		bits |= STORE_F_AREA;
	if (!hours_equal(&a->hours, &b->hours))
		bits |= STORE_F_HOURS;
	if (strcmp(a->status, b->status) != 0 ||
	    strcmp(a->status_reason, b->status_reason) != 0)
		bits |= STORE_F_STATUS;
	if (a->min_order != b->min_order)
		bits |= STORE_F_MIN_ORDER;
	if (a->delivery_fee != b->delivery_fee)
		bits |= STORE_F_DELIVERY_FEE;
	if (strcmp(a->description, b->description) != 0)
		bits |= STORE_F_DESCRIPTION;
	if (!menu_equal(a->menu, b->menu))
		bits |= STORE_F_MENU;
	return bits;
}
