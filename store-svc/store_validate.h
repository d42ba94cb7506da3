#ifndef STORECTL_STORE_VALIDATE_H
#define STORECTL_STORE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store-svc/store.h"

/*
 * Domain rules for a store document sent by a client. Pure: no database, no
 * HTTP, no Kafka, so it runs in unit tests as is.
 *
 *   owner     1-64 characters of [a-z0-9_-]; required
 *   name      1-50 Unicode code points of valid UTF-8 without control
 *             characters, after trimming spaces (U+0020, U+3000); required
 *   category  one of store_validate_categories; required
 *   phone     Korean style "02-123-4567" / "010-1234-5678"
 *             (^0\d{1,2}-\d{3,4}-\d{4}$); optional, null removes it
 *   status    "open" or "closed"; optional on create (default "open")
 *   id, version, created_at, updated_at
 *             read-only: accepted only when equal to the stored value
 * Any other member is an error.
 *
 * Rule names (the "rule" of a violation): required, type, length, pattern,
 * utf8, control, blank, enum, unknown, read-only.
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

/* The categories a store may have, terminated by NULL. */
extern const char *const store_validate_categories[];

/*
 * Checks doc (a JSON object) under mode and builds the resulting store in
 * *out: for CREATE from nothing (cur must be NULL), for REPLACE and PATCH
 * from cur (id, version and timestamps are copied from it; the caller bumps
 * the version when it writes). Returns 0 when valid; otherwise -1 with every
 * violation in *errs and *out unspecified. Never keeps a reference to doc.
 */
int store_validate_doc(const json_t *doc, enum store_check mode,
		       const struct store *cur, struct store *out,
		       struct store_errors *errs);

/*
 * Checks one owner name (also used for the ?owner= filter). Returns 0, or
 * -1 with a human reason in detail.
 */
int store_validate_owner(const char *owner, char *detail, size_t len);

/* STORE_F_* bits (api/fields.h) of the fields whose values differ. */
uint32_t store_validate_diff(const struct store *a, const struct store *b);

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
