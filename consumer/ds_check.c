#include "consumer/ds_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ds_violate(struct ds_violation *v, const char *field, const char *rule,
	       const char *fmt, ...)
{
	va_list ap;

	snprintf(v->field, sizeof(v->field), "%s", field);
	snprintf(v->rule, sizeof(v->rule), "%s", rule);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
	return -1;
}

int ds_check_members(const json_t *obj, const char *const *names,
		     struct ds_violation *v)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		size_t i;

		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return ds_violate(v, key, "unknown",
					  "%.60s: not a member this API knows",
					  key);
	}
	return 0;
}

size_t ds_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* 1 when s holds a C0 control, DEL or a C1 control (U+0080..U+009F);
 * line breaks and tabs pass when multiline. */
static int has_control(const char *s, int multiline)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u != '\0'; u++) {
		if ((*u == '\n' || *u == '\r' || *u == '\t') && multiline)
			continue;
		if (*u < 0x20 || *u == 0x7f)
			return 1;
		if (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			return 1;
	}
	return 0;
}

int ds_check_text(const json_t *obj, const char *member, size_t min,
		  size_t max, int multiline, char *out, size_t len,
		  struct ds_violation *v)
{
	const json_t *j = json_object_get(obj, member);
	const char *s;
	size_t chars;

	out[0] = '\0';
	if (j == NULL || json_is_null(j)) {
		if (min > 0)
			return ds_violate(v, member, "required",
					  "%s is required", member);
		return 0;
	}
	if (!json_is_string(j))
		return ds_violate(v, member, "type", "%s must be a string",
				  member);
	s = json_string_value(j);
	if (strlen(s) != json_string_length(j))
		return ds_violate(v, member, "control",
				  "%s must not contain NUL characters", member);
	if (has_control(s, multiline))
		return ds_violate(v, member, "control",
				  "%s must not contain control characters%s",
				  member, multiline ? " other than line breaks" : "");
	chars = ds_utf8_chars(s);
	if (chars < min || chars > max || strlen(s) >= len)
		return ds_violate(v, member, "length",
				  "%s must be %zu to %zu characters (got %zu)",
				  member, min, max, chars);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int ds_check_int(const json_t *obj, const char *member, int64_t min,
		 int64_t max, int64_t *out, struct ds_violation *v)
{
	const json_t *j = json_object_get(obj, member);
	int64_t x;

	if (j == NULL || json_is_null(j))
		return ds_violate(v, member, "required", "%s is required",
				  member);
	if (!json_is_integer(j))
		return ds_violate(v, member, "type", "%s must be an integer",
				  member);
	x = (int64_t)json_integer_value(j);
	if (x < min || x > max)
		return ds_violate(v, member, "range",
				  "%s must be from %" PRId64 " to %" PRId64,
				  member, min, max);
	*out = x;
	return 0;
}
