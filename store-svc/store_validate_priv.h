#ifndef STORECTL_STORE_VALIDATE_PRIV_H
#define STORECTL_STORE_VALIDATE_PRIV_H

/*
 * Helpers shared by the files of the validator (store_validate*.c): one
 * check per JSON value kind, each recording its violation under the field
 * name it is given. Nothing else includes this.
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store-svc/store_validate.h"

/* Records one violation (dropped beyond STORE_ERRORS_MAX, but counted). */
void store_verr(struct store_errors *errs, const char *field,
		const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 1 when s is one of list (terminated by NULL). */
int store_vin_list(const char *const *list, const char *s);

/* "a.b", "a[3]" and so on: a nested field name into buf. */
void store_vfield(char *buf, size_t len, const char *prefix,
		  const char *member);
void store_vindex(char *buf, size_t len, const char *prefix, size_t index);

/*
 * A text member: a JSON string of valid UTF-8, trimmed of spaces (U+0020,
 * U+3000, and line breaks when multiline) at both ends, then min..max
 * characters, with no control character (multiline allows "\n"). Empty
 * after trimming breaks "blank" when min > 0. Copies the trimmed text into
 * dst (dstlen >= max * 4 + 1). Returns 0, or -1 after recording why.
 */
int store_vtext(const json_t *v, const char *field, size_t min, size_t max,
		int multiline, char *dst, size_t dstlen,
		struct store_errors *errs);

/* A whole JSON number in [min, max] ("type", "range"). 0 or -1. */
int store_vint(const json_t *v, const char *field, int64_t min, int64_t max,
	       int64_t *out, struct store_errors *errs);

/*
 * An amount of won: a whole number in [0, max] that is a multiple of
 * STORE_PRICE_STEP ("type", "range", "step"). 0 or -1.
 */
int store_vmoney(const json_t *v, const char *field, int64_t max,
		 int64_t *out, struct store_errors *errs);

/* A string among values ("type", "enum"), copied into dst. 0 or -1. */
int store_venum(const json_t *v, const char *field,
		const char *const *values, char *dst, size_t dstlen,
		struct store_errors *errs);

/* Records "unknown" for the member key of the object at prefix. */
void store_vunknown_key(const char *prefix, const char *key,
			const char *what, struct store_errors *errs);

/* Records "unknown" for every member of obj not in known. */
void store_vunknown(const json_t *obj, const char *prefix,
		    const char *const *known, const char *what,
		    struct store_errors *errs);

/*
 * The hours object (see store_validate_hours in store_validate.h), its
 * field names prefixed by field.
 */
int store_vhours(const json_t *v, const char *field, struct store_hours *out,
		 struct store_errors *errs);

/*
 * The menu array of a whole store: items with an id keep it (it must be
 * one of cur's), items without get the next one after *seq. On success
 * *out is the canonical array (NULL when empty) and *seq the new highest
 * id. Returns 0 or -1.
 */
int store_vmenu(const json_t *v, const struct store *cur, json_t **out,
		int64_t *seq, struct store_errors *errs);

/*
 * The document a PATCH leads to: cur's representation with patch merged in
 * (RFC 7396), read-only members of patch left out (the caller checks them
 * as sent), and the stored status_reason dropped when patch sets status
 * without a reason. A new reference, or NULL when out of memory.
 */
json_t *store_validate_patched(const json_t *patch, const struct store *cur);

#endif
