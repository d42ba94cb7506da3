#ifndef STORECTL_JSON_GET_H
#define STORECTL_JSON_GET_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * Parses buf[0..len) as one JSON object, refusing duplicate members. Returns
 * it (the caller owns it), or NULL with "not JSON: why" or "not a JSON
 * object" in err.
 */
json_t *json_load_object(const char *buf, size_t len, char *err, size_t errlen);

/*
 * Typed member access for decoders. Each returns 0 and sets *out, or -1 with
 * "member: what was expected" in err. The string stays owned by obj.
 */
int json_get_string(json_t *obj, const char *key, const char **out, char *err,
		    size_t errlen);
int json_get_positive(json_t *obj, const char *key, int64_t *out, char *err,
		      size_t errlen);
/* A non-negative number (integer or real). */
int json_get_number(json_t *obj, const char *key, double *out, char *err,
		    size_t errlen);

#endif
