#ifndef STORECTL_CONSUMER_DECODE_H
#define STORECTL_CONSUMER_DECODE_H

#include <stddef.h>

#include "api/event.h"

/*
 * Checks and decodes one store.events message (key and value as received).
 * The key must be the store id as decimal text and agree with the value's
 * store_id; the value must decode with store_event_decode. Returns 0 with
 * ev filled, or -1 with the reason (for the dead-letter queue) in err.
 */
int consumer_decode_message(const void *key, size_t key_len, const void *value,
			    size_t value_len, struct store_event *ev, char *err,
			    size_t errlen);

#endif
