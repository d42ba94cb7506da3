#include "consumer/decode.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

/* A positive decimal id of at most 18 digits; 0 and sets *id, or -1. */
static int parse_key(const char *key, size_t len, int64_t *id)
{
	int64_t v = 0;

	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (key[i] < '0' || key[i] > '9')
			return -1;
		v = v * 10 + (key[i] - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

int consumer_decode_message(const void *key, size_t key_len, const void *value,
			    size_t value_len, struct store_event *ev, char *err,
			    size_t errlen)
{
	char why[200];
	int64_t key_id;

	if (key == NULL || key_len == 0) {
		snprintf(err, errlen, "key: missing (must be the store id)");
		return -1;
	}
	if (parse_key(key, key_len, &key_id)) {
		snprintf(err, errlen,
			 "key: must be a positive decimal store id");
		return -1;
	}
	if (value == NULL || value_len == 0) {
		snprintf(err, errlen, "value: empty message");
		return -1;
	}
	if (store_event_decode(value, value_len, ev, why, sizeof(why))) {
		snprintf(err, errlen, "value: %s", why);
		return -1;
	}
	if (ev->store_id != key_id) {
		snprintf(err, errlen,
			 "key: store id %" PRId64 " differs from store_id %" PRId64,
			 key_id, ev->store_id);
		return -1;
	}
	return 0;
}
