#ifndef STORECTL_DS_CHECK_H
#define STORECTL_DS_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * Checks of JSON request bodies for the downstream services' domain code
 * (pure: no HTTP, no database). A check that fails fills a violation the
 * HTTP side turns into 422 problem+json with "field" and "rule", the rule
 * names store-svc uses: required, type, length, pattern, control, range,
 * format, order, unknown.
 */

struct ds_violation {
	char field[32];
	char rule[16];
	char detail[200];
};

/* Fills v; returns -1 so a check can end with "return ds_violate(...)". */
int ds_violate(struct ds_violation *v, const char *field, const char *rule,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Every member of obj is one of names (NULL-terminated); else a violation
 * "unknown" naming the first stranger. 0 or -1. obj must be an object.
 */
int ds_check_members(const json_t *obj, const char *const *names,
		     struct ds_violation *v);

/*
 * A string member of min..max characters (code points) without control
 * characters (line breaks and tabs allowed when multiline), into out
 * (len bytes, enough for max * 4 + 1). An absent or null member is
 * "required" when min > 0, else "". 0 or -1.
 */
int ds_check_text(const json_t *obj, const char *member, size_t min,
		  size_t max, int multiline, char *out, size_t len,
		  struct ds_violation *v);

/* An integer member in min..max; absent is "required". 0 or -1. */
int ds_check_int(const json_t *obj, const char *member, int64_t min,
		 int64_t max, int64_t *out, struct ds_violation *v);

/* Characters (UTF-8 code points) in s. */
size_t ds_utf8_chars(const char *s);

#endif
