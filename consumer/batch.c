#include "consumer/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"

void batch_init(struct batch *b)
{
	memset(b, 0, sizeof(*b));
}

void batch_reset(struct batch *b)
{
	b->n = 0;
	if (b->index != NULL)
		memset(b->index, 0, b->index_cap * sizeof(*b->index));
}

void batch_free(struct batch *b)
{
	free(b->entries);
	free(b->index);
	batch_init(b);
}

/* Fibonacci hashing spreads consecutive ids over the slots. */
static size_t slot_of(int64_t store_id, size_t index_cap)
{
	return (size_t)(((uint64_t)store_id * 11400714819323198485ull) >> 32) &
	       (index_cap - 1);
}

static size_t *slot_find(struct batch *b, int64_t store_id)
{
	size_t i = slot_of(store_id, b->index_cap);

	/* The table is never more than half full, so an empty slot exists. */
	while (b->index[i] != 0 &&
	       b->entries[b->index[i] - 1].store_id != store_id)
		i = (i + 1) & (b->index_cap - 1);
	return &b->index[i];
}

/* Makes room for one more entry; the index is rebuilt when it grows. */
static int reserve(struct batch *b)
{
	struct batch_entry *grown;
	size_t cap, index_cap;
	size_t *index;

	if (b->n < b->cap)
		return 0;
	cap = b->cap ? b->cap * 2 : 64;
	grown = realloc(b->entries, cap * sizeof(*grown));
	if (grown == NULL)
		return -1;
	b->entries = grown;
	for (index_cap = 16; index_cap <= 2 * cap; index_cap *= 2)
		;
	index = calloc(index_cap, sizeof(*index));
	if (index == NULL)
		return -1;
	free(b->index);
	b->index = index;
	b->index_cap = index_cap;
	b->cap = cap;
	for (size_t k = 0; k < b->n; k++)
		*slot_find(b, b->entries[k].store_id) = k + 1;
	return 0;
}

struct batch_entry *batch_find(struct batch *b, int64_t store_id)
{
	size_t slot;

	if (b->index == NULL)
		return NULL;
	slot = *slot_find(b, store_id);
	return slot ? &b->entries[slot - 1] : NULL;
}

int batch_add(struct batch *b, const struct store_event *ev)
{
	struct batch_entry *e = batch_find(b, ev->store_id);
	int is_delete = ev->type == STORE_EVENT_DELETED;

	if (e == NULL) {
		if (reserve(b))
			return -1;
		e = &b->entries[b->n];
		memset(e, 0, sizeof(*e));
		e->store_id = ev->store_id;
		e->version = ev->version;
		e->deleted = is_delete;
		e->first_at_ms = ev->at_ms;
		*slot_find(b, ev->store_id) = ++b->n;
	} else if (ev->version > e->version) {
		e->version = ev->version;
		e->deleted = is_delete;
	} else if (ev->version == e->version && is_delete) {
		/* A duplicate of the newest; a delete at that version wins. */
		e->deleted = 1;
	}
	e->coalesced++;
	e->fields |= ev->fields;
	e->resync |= ev->resync;
	if (ev->type != STORE_EVENT_UPDATED)
		e->lifecycle = 1;
	else if (ev->fields == 0)
		e->unspecified = 1;
	if (ev->at_ms > 0 && (e->first_at_ms <= 0 || ev->at_ms < e->first_at_ms))
		e->first_at_ms = ev->at_ms;
	return 0;
}

enum batch_decision batch_decide_entry(const struct batch_entry *e,
				       int64_t held, uint32_t port_fields)
{
	if (e->version < held || (e->version == held && !e->resync))
		return BATCH_SKIP_STALE;
	if (held > 0 && !e->lifecycle && !e->unspecified && !e->resync &&
	    (e->fields & (port_fields | STORE_F_OTHER)) == 0)
		return BATCH_SKIP_FIELDS;
	return BATCH_FETCH;
}

void batch_entry_finish(struct batch_entry *e, enum reaction_action action,
			int64_t applied_version, const char *error,
			double now_ms)
{
	e->action = action;
	e->applied_version = applied_version;
	e->done_ms = now_ms;
	snprintf(e->error, sizeof(e->error), "%s", error ? error : "");
}

int batch_decide(struct batch *b, batch_held_fn held, void *ctx,
		 uint32_t port_fields, double now_ms)
{
	int fetch = 0;

	for (size_t k = 0; k < b->n; k++) {
		struct batch_entry *e = &b->entries[k];
		int64_t v = 0;

		if (held(ctx, e->store_id, &v))
			return -1;
		e->held_version = v;
		e->decision = batch_decide_entry(e, v, port_fields);
		switch (e->decision) {
		case BATCH_SKIP_STALE:
			batch_entry_finish(e, REACTION_SKIPPED_STALE, v, NULL,
					   now_ms);
			break;
		case BATCH_SKIP_FIELDS:
			batch_entry_finish(e, REACTION_SKIPPED_FIELDS, v, NULL,
					   now_ms);
			break;
		case BATCH_FETCH:
			fetch++;
			break;
		}
	}
	return fetch;
}
