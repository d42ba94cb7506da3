#include "api/json_get.h"

#include <stdio.h>

json_t *json_load_object(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);

	if (doc == NULL) {
		snprintf(err, errlen, "not JSON: %s", jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		snprintf(err, errlen, "not a JSON object");
		return NULL;
	}
	return doc;
}

int json_get_string(json_t *obj, const char *key, const char **out, char *err,
		    size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: %s", key,
			 v ? "must be a string" : "is missing");
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int json_get_positive(json_t *obj, const char *key, int64_t *out, char *err,
		      size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		snprintf(err, errlen, "%s: %s", key,
			 v ? "must be a positive integer" : "is missing");
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

int json_get_number(json_t *obj, const char *key, double *out, char *err,
		    size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v) || json_number_value(v) < 0) {
		snprintf(err, errlen, "%s: %s", key,
			 v ? "must be a non-negative number" : "is missing");
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}
