/* The validator's building blocks: UTF-8, texts, numbers, enums, member
 * names, and the problem members of a 422. */
#include "store-svc/store_validate_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int store_vin_list(const char *const *list, const char *s)
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

/* Cuts a UTF-8 sequence left incomplete at the end of s by truncation, so
 * a shortened detail stays valid JSON text. */
static void trim_partial(char *s)
{
	size_t n = strlen(s), cont = 0, want;
	unsigned char lead;

	while (cont < 3 && cont < n &&
	       ((unsigned char)s[n - 1 - cont] & 0xC0) == 0x80)
		cont++;
	if (cont == n)
		return;
	lead = (unsigned char)s[n - 1 - cont];
	want = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
	if (want > cont)
		s[n - 1 - cont] = '\0';
}

void store_verr(struct store_errors *errs, const char *field,
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
	trim_partial(v->detail);
}

void store_validate_refuse(struct store_errors *errs, const char *field,
			   const char *rule, const char *detail)
{
	store_verr(errs, field, rule, "%s", detail);
}

void store_vfield(char *buf, size_t len, const char *prefix,
		  const char *member)
{
	if (prefix == NULL || *prefix == '\0')
		snprintf(buf, len, "%s", member);
	else
		snprintf(buf, len, "%s.%s", prefix, member);
}

void store_vindex(char *buf, size_t len, const char *prefix, size_t index)
{
	snprintf(buf, len, "%s[%zu]", prefix, index);
}

/* Decodes one code point at p (len bytes left); its length, or 0 if bad. */
static size_t decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	uint32_t c = *p;
	size_t k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3;
		c &= 0x07;
	} else {
		return 0; /* stray continuation, C0/C1 overlong, > F4 */
	}
	if (left < k + 1)
		return 0;
	for (size_t i = 1; i <= k; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (k == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)))
		return 0;
	if (k == 3 && (c < 0x10000 || c > 0x10FFFF))
		return 0;
	*cp = c;
	return k + 1;
}

static int is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

int store_validate_utf8(const char *s, size_t len, size_t *count,
			int *control)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, used;
	uint32_t c;

	*control = 0;
	while (len > 0) {
		used = decode(p, len, &c);
		if (used == 0)
			return -1;
		if (is_control(c))
			*control = 1;
		p += used;
		len -= used;
		n++;
	}
	*count = n;
	return 0;
}

/* Length of a trimmable space starting at p (left bytes), else 0. */
static size_t space_at(const char *p, size_t left, int multiline)
{
	if (left >= 1 && (p[0] == ' ' || (multiline && p[0] == '\n')))
		return 1;
	if (left >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* Length of a trimmable space ending at s + len, else 0. */
static size_t space_before(const char *s, size_t len, int multiline)
{
	if (len >= 1 && (s[len - 1] == ' ' || (multiline && s[len - 1] == '\n')))
		return 1;
	if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

int store_vtext(const json_t *v, const char *field, size_t min, size_t max,
		int multiline, char *dst, size_t dstlen,
		struct store_errors *errs)
{
	const char *s;
	size_t len, count = 0, k, used;
	const unsigned char *p;
	uint32_t c;

	if (!json_is_string(v)) {
		store_verr(errs, field, "type", "%s must be a string", field);
		return -1;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	for (p = (const unsigned char *)s, k = len; k > 0; p += used, k -= used) {
		used = decode(p, k, &c);
		if (used == 0) {
			store_verr(errs, field, "utf8", "%s is not valid UTF-8",
				   field);
			return -1;
		}
		if (is_control(c) && !(multiline && c == '\n')) {
			store_verr(errs, field, "control",
				   multiline
					   ? "%s must not contain control characters other than line breaks (\\n)"
					   : "%s must not contain control characters (tabs, line breaks, ...)",
				   field);
			return -1;
		}
	}
	while ((k = space_at(s, len, multiline)) > 0) {
		s += k;
		len -= k;
	}
	while ((k = space_before(s, len, multiline)) > 0)
		len -= k;
	if (len == 0 && min > 0) {
		store_verr(errs, field, "blank",
			   "%s must not be empty or only spaces", field);
		return -1;
	}
	for (p = (const unsigned char *)s, k = len; k > 0; p += used, k -= used) {
		used = decode(p, k, &c);
		count++;
	}
	if (count > max) {
		store_verr(errs, field, "length",
			   "%s must be at most %zu characters, not %zu", field,
			   max, count);
		return -1;
	}
	if (count < min) {
		store_verr(errs, field, "length",
			   "%s must be at least %zu characters, not %zu", field,
			   min, count);
		return -1;
	}
	if (len >= dstlen) { /* cannot happen with dstlen >= max * 4 + 1 */
		store_verr(errs, field, "length", "%s is too long", field);
		return -1;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

int store_vint(const json_t *v, const char *field, int64_t min, int64_t max,
	       int64_t *out, struct store_errors *errs)
{
	json_int_t n;

	if (!json_is_integer(v)) {
		store_verr(errs, field, "type", "%s must be a whole number",
			   field);
		return -1;
	}
	n = json_integer_value(v);
	if (n < min || n > max) {
		store_verr(errs, field, "range",
			   "%s must be from %lld to %lld, not %lld", field,
			   (long long)min, (long long)max, (long long)n);
		return -1;
	}
	*out = n;
	return 0;
}

int store_vmoney(const json_t *v, const char *field, int64_t max,
		 int64_t *out, struct store_errors *errs)
{
	int64_t n;

	if (!json_is_integer(v)) {
		store_verr(errs, field, "type",
			   "%s must be a whole number of won", field);
		return -1;
	}
	if (store_vint(v, field, 0, max, &n, errs))
		return -1;
	if (n % STORE_PRICE_STEP != 0) {
		store_verr(errs, field, "step",
			   "%s must be a multiple of %d won, not %lld", field,
			   STORE_PRICE_STEP, (long long)n);
		return -1;
	}
	*out = n;
	return 0;
}

int store_venum(const json_t *v, const char *field,
		const char *const *values, char *dst, size_t dstlen,
		struct store_errors *errs)
{
	char allowed[256] = "";
	const char *s;

	if (!json_is_string(v)) {
		store_verr(errs, field, "type", "%s must be a string", field);
		return -1;
	}
	s = json_string_value(v);
	if (store_vin_list(values, s) && strlen(s) < dstlen) {
		strcpy(dst, s);
		return 0;
	}
	for (size_t i = 0; values[i] != NULL; i++) {
		if (i > 0)
			strcat(allowed, ", ");
		strcat(allowed, values[i]);
	}
	store_verr(errs, field, "enum", "%s must be one of: %s", field, allowed);
	return -1;
}

void store_vunknown_key(const char *prefix, const char *key,
			const char *what, struct store_errors *errs)
{
	char field[64], name[48];

	store_vfield(field, sizeof(field), prefix, key);
	trim_partial(field);
	copy_utf8(name, sizeof(name), key);
	store_verr(errs, field, "unknown", "unknown member \"%s\"; %s", name,
		   what);
}

void store_vunknown(const json_t *obj, const char *prefix,
		    const char *const *known, const char *what,
		    struct store_errors *errs)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
		if (!store_vin_list(known, key))
			store_vunknown_key(prefix, key, what, errs);
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
