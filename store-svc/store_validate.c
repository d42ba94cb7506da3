#include "store-svc/store_validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/fields.h"

const char *const store_validate_categories[] = {
	"korean", "chinese", "japanese", "western", "chicken", "pizza",
	"burger", "cafe", "dessert", "snack", "other", NULL,
};

static const char *const status_values[] = { "open", "closed", NULL };

static const char *const readonly_members[] = {
	"id", "version", "created_at", "updated_at", NULL,
};

static const char *const writable_members[] = {
	"owner", "name", "category", "phone", "status", NULL,
};

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Copies at most dstlen - 1 bytes of src, never ending inside a multi-byte
 * UTF-8 sequence, so a shortened member name stays valid JSON text.
 */
static void copy_utf8(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstlen) {
		n = dstlen - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void add(struct store_errors *errs, const char *field,
		const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct store_errors *errs, const char *field,
		const char *rule, const char *fmt, ...)
{
	struct store_violation *v;
	va_list ap;

	if (errs->n == STORE_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	v = &errs->v[errs->n++];
	copy_utf8(v->field, sizeof(v->field), field);
	copy_utf8(v->rule, sizeof(v->rule), rule);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

int store_validate_utf8(const char *s, size_t len, size_t *count,
			int *control)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	size_t n = 0;

	*control = 0;
	while (p < end) {
		uint32_t c = *p;
		size_t k;

		if (c < 0x80) {
			k = 0;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			c &= 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			c &= 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			c &= 0x07;
		} else {
			return -1; /* stray continuation, C0/C1 overlong, > F4 */
		}
		if ((size_t)(end - p) < k + 1)
			return -1;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (p[i] & 0x3F);
		}
		if (k == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)))
			return -1;
		if (k == 3 && (c < 0x10000 || c > 0x10FFFF))
			return -1;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
			*control = 1;
		p += k + 1;
		n++;
	}
	*count = n;
	return 0;
}

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

/* A string member's value, or NULL after recording a type violation. */
static const char *string_of(const json_t *v, const char *field,
			     struct store_errors *errs)
{
	if (!json_is_string(v)) {
		add(errs, field, "type", "%s must be a string", field);
		return NULL;
	}
	return json_string_value(v);
}

static void check_owner(const json_t *v, struct store *out,
			struct store_errors *errs)
{
	const char *s = string_of(v, "owner", errs);
	char detail[128];
	size_t n;

	if (s == NULL)
		return;
	n = json_string_length(v);
	if (n == 0 || n > STORE_OWNER_MAX) {
		add(errs, "owner", "length",
		    "owner must be 1-%d characters long, not %zu",
		    STORE_OWNER_MAX, n);
		return;
	}
	if (n != strlen(s) || store_validate_owner(s, detail, sizeof(detail))) {
		add(errs, "owner", "pattern",
		    "owner may contain only a-z, 0-9, '_' and '-'");
		return;
	}
	memcpy(out->owner, s, n + 1);
}

/* Length of a trimmable space (U+0020 or U+3000) starting at p, else 0. */
static size_t space_at(const char *p, size_t left)
{
	if (left >= 1 && p[0] == ' ')
		return 1;
	if (left >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static void check_name(const json_t *v, struct store *out,
		       struct store_errors *errs)
{
	const char *s = string_of(v, "name", errs);
	size_t len, count, k;
	int control;

	if (s == NULL)
		return;
	len = json_string_length(v);
	if (store_validate_utf8(s, len, &count, &control)) {
		add(errs, "name", "utf8", "name is not valid UTF-8");
		return;
	}
	if (control) {
		add(errs, "name", "control",
		    "name must not contain control characters (tabs, line breaks, ...)");
		return;
	}
	while ((k = space_at(s, len)) > 0) {
		s += k;
		len -= k;
	}
	while (len > 0) {
		if (s[len - 1] == ' ')
			len--;
		else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
			len -= 3;
		else
			break;
	}
	if (len == 0) {
		add(errs, "name", "blank", "name must not be empty or only spaces");
		return;
	}
	store_validate_utf8(s, len, &count, &control);
	if (count > STORE_NAME_MAX) {
		add(errs, "name", "length",
		    "name must be at most %d characters, not %zu",
		    STORE_NAME_MAX, count);
		return;
	}
	memcpy(out->name, s, len);
	out->name[len] = '\0';
}

static void check_enum(const json_t *v, const char *field,
		       const char *const *values, char *dst, size_t dstlen,
		       struct store_errors *errs)
{
	const char *s = string_of(v, field, errs);
	char allowed[256] = "";

	if (s == NULL)
		return;
	if (in_list(values, s) && strlen(s) < dstlen) {
		strcpy(dst, s);
		return;
	}
	for (size_t i = 0; values[i] != NULL; i++) {
		if (i > 0)
			strcat(allowed, ", ");
		strcat(allowed, values[i]);
	}
	add(errs, field, "enum", "%s must be one of: %s", field, allowed);
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

static void check_phone(const json_t *v, struct store *out,
			struct store_errors *errs)
{
	const char *s = string_of(v, "phone", errs);

	if (s == NULL)
		return;
	if (json_string_length(v) != strlen(s) || !phone_ok(s)) {
		add(errs, "phone", "pattern",
		    "phone must look like 02-123-4567 or 010-1234-5678");
		return;
	}
	strcpy(out->phone, s);
}

/* A read-only member is accepted only when it repeats the stored value. */
static void check_readonly(const char *key, const json_t *v,
			   const struct store *cur, struct store_errors *errs)
{
	int same = 0;

	if (cur == NULL) {
		add(errs, key, "read-only",
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
		add(errs, key, "read-only",
		    "%s is set by the server; leave it out or send the stored value",
		    key);
}

static int is_required(const char *field, enum store_check mode)
{
	if (strcmp(field, "phone") == 0)
		return 0;
	if (strcmp(field, "status") == 0)
		return mode != STORE_CHECK_CREATE;
	return 1;
}

/* A writable field that is absent, or null: what that means per mode. */
static void check_missing(const char *field, int is_null,
			  enum store_check mode, struct store *out,
			  struct store_errors *errs)
{
	if (!is_null && mode == STORE_CHECK_PATCH)
		return; /* a merge patch leaves absent members alone */
	if (is_required(field, mode)) {
		if (is_null && mode == STORE_CHECK_PATCH)
			add(errs, field, "required",
			    "%s is required and cannot be removed", field);
		else
			add(errs, field, "required", "%s is required", field);
		return;
	}
	if (strcmp(field, "phone") == 0)
		out->phone[0] = '\0';
	else if (strcmp(field, "status") == 0)
		strcpy(out->status, "open");
}

int store_validate_doc(const json_t *doc, enum store_check mode,
		       const struct store *cur, struct store *out,
		       struct store_errors *errs)
{
	const char *key;
	json_t *v;

	memset(errs, 0, sizeof(*errs));
	if (mode == STORE_CHECK_CREATE || cur == NULL) {
		memset(out, 0, sizeof(*out));
		cur = NULL;
	} else {
		*out = *cur;
	}
	if (!json_is_object(doc)) {
		add(errs, "", "type", "a store must be a JSON object");
		return -1;
	}

	/* Form order first, so the first violation is the first field a
	 * person filling in the store would meet. */
	for (size_t i = 0; writable_members[i] != NULL; i++) {
		const char *field = writable_members[i];

		v = json_object_get(doc, field);
		if (v == NULL || json_is_null(v)) {
			check_missing(field, v != NULL, mode, out, errs);
			continue;
		}
		if (strcmp(field, "owner") == 0)
			check_owner(v, out, errs);
		else if (strcmp(field, "name") == 0)
			check_name(v, out, errs);
		else if (strcmp(field, "category") == 0)
			check_enum(v, field, store_validate_categories,
				   out->category, sizeof(out->category), errs);
		else if (strcmp(field, "phone") == 0)
			check_phone(v, out, errs);
		else
			check_enum(v, field, status_values, out->status,
				   sizeof(out->status), errs);
	}
	json_object_foreach((json_t *)doc, key, v) {
		char name[48];

		if (in_list(writable_members, key))
			continue;
		if (in_list(readonly_members, key)) {
			check_readonly(key, v, cur, errs);
			continue;
		}
		copy_utf8(name, sizeof(name), key);
		add(errs, key, "unknown",
		    "unknown member \"%s\"; a store has owner, name, category, phone and status",
		    name);
	}
	return errs->n > 0 ? -1 : 0;
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
	if (strcmp(a->status, b->status) != 0)
		bits |= STORE_F_STATUS;
	return bits;
}

/* json_string, but never NULL for text that is not valid UTF-8. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);

	return j != NULL ? j : json_string("(not valid UTF-8)");
}

json_t *store_validate_problem(const struct store_errors *errs)
{
	json_t *extra = json_object();
	json_t *list = json_array();

	for (size_t i = 0; i < errs->n; i++) {
		const struct store_violation *v = &errs->v[i];
		json_t *item = json_object();

		json_object_set_new(item, "field", text(v->field));
		json_object_set_new(item, "rule", text(v->rule));
		json_object_set_new(item, "detail", text(v->detail));
		json_array_append_new(list, item);
	}
	if (errs->n > 0) {
		json_object_set_new(extra, "field", text(errs->v[0].field));
		json_object_set_new(extra, "rule", text(errs->v[0].rule));
	}
	json_object_set_new(extra, "errors", list);
	return extra;
}
