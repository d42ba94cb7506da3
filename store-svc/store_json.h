#ifndef STORECTL_STORE_JSON_H
#define STORECTL_STORE_JSON_H

#include <stddef.h>

#include "store-svc/store.h"

/*
 * The store's API representation as compact JSON text, written straight
 * from the model: byte for byte what json_dumps(store_model_to_json(s),
 * JSON_COMPACT) gives, without building (and deep-copying the menu into)
 * a tree first. The read path's encoder: GET /stores/{id} answers with it.
 * Returns malloc'd text (its length in *len when len is not NULL), or NULL
 * when out of memory.
 */
char *store_json_text(const struct store *s, size_t *len);

#endif
