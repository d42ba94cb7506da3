#ifndef STORECTL_STORE_H
#define STORECTL_STORE_H

#include <stdint.h>

#include <jansson.h>

/*
 * One store as store-svc keeps it: the domain model shared by validation,
 * the database adapter and the HTTP handlers. Plain data, no pointers, so a
 * struct copy is a deep copy.
 */

#define STORE_OWNER_MAX 64          /* bytes of [a-z0-9_-] */
#define STORE_NAME_MAX 50           /* Unicode code points */
#define STORE_NAME_BYTES (STORE_NAME_MAX * 4)

struct store {
	int64_t id;                 /* 0 until the database assigns one */
	int64_t version;            /* 1 on create, +1 per change */
	int deleted;                /* tombstone: only id and version matter */
	char owner[STORE_OWNER_MAX + 1];
	char name[STORE_NAME_BYTES + 1];   /* valid UTF-8, trimmed */
	char category[16];
	char phone[16];             /* "" when the store has none */
	char status[8];             /* "open" or "closed" */
	char created_at[32];        /* "2026-11-24T10:00:00.123Z" */
	char updated_at[32];
};

/*
 * The store's API representation (api/client.h): id, owner, name, category,
 * phone (left out when the store has none), status, version, created_at,
 * updated_at. Returns a new reference, or NULL when out of memory.
 */
json_t *store_model_to_json(const struct store *s);

/* STORE_F_* bits (api/fields.h) of the fields s holds a value for. */
uint32_t store_model_fields(const struct store *s);

#endif
