#include "tui/stream_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "tui/text.h"

/* How far below a coalesced reaction's version to look for its events. */
#define COALESCE_REACH 16

/*
 * A reaction waiting for its event: a ring in arrival order (so the
 * oldest is dropped first and expiry walks from the head) with a hash on
 * (store, version) over it, so an event finds its early reactions at
 * once. A joined entry stays in the ring as a dead slot until the head
 * passes it.
 */
struct pending {
	struct store_reaction r;
	struct stream_origin origin; /* raw owned here */
	double since_ms;
	int32_t hnext;
	int live;
};

struct stream_model {
	struct stream_row *rows; /* cap slots; a row keeps its slot */
	uint32_t *order;         /* slots in display order, count of them */
	int32_t *free_slots;     /* a stack of unused slots */
	size_t nfree;
	int32_t *bucket;         /* hash heads (slot or -1), nbuckets */
	size_t nbuckets;
	size_t cap, count;
	uint64_t next_seq, serial;
	char service[STREAM_SERVICES_MAX][32];
	int nservices;
	struct pending *pending; /* ring of STREAM_PENDING_MAX */
	size_t phead, pcount;    /* slots in use, dead ones included */
	size_t plive;            /* waiting reactions */
	int32_t *pbucket;        /* hash heads (slot or -1), nbuckets */
	stream_join_fn on_join;
	void *on_join_ctx;
};

static size_t hash_of(const struct stream_model *m, int64_t store_id,
		      int64_t version)
{
	uint64_t h = (uint64_t)store_id * 0x9e3779b97f4a7c15ull ^
		     (uint64_t)version * 0xc2b2ae3d27d4eb4full;

	h ^= h >> 29;
	return (size_t)(h & (m->nbuckets - 1));
}

struct stream_model *stream_model_new(size_t capacity)
{
	struct stream_model *m = calloc(1, sizeof(*m));

	if (m == NULL || capacity == 0 || capacity > INT32_MAX / 4)
		goto fail;
	m->nbuckets = 16;
	while (m->nbuckets < capacity * 2 || m->nbuckets < STREAM_PENDING_MAX)
		m->nbuckets *= 2;
	m->rows = calloc(capacity, sizeof(*m->rows));
	m->order = calloc(capacity, sizeof(*m->order));
	m->free_slots = calloc(capacity, sizeof(*m->free_slots));
	m->bucket = malloc(m->nbuckets * sizeof(*m->bucket));
	m->pending = calloc(STREAM_PENDING_MAX, sizeof(*m->pending));
	m->pbucket = malloc(m->nbuckets * sizeof(*m->pbucket));
	if (m->rows == NULL || m->order == NULL || m->free_slots == NULL ||
	    m->bucket == NULL || m->pending == NULL || m->pbucket == NULL)
		goto fail;
	for (size_t i = 0; i < m->nbuckets; i++)
		m->bucket[i] = m->pbucket[i] = -1;
	/* Slot 0 on top, so rows fill the table from its start. */
	for (size_t i = 0; i < capacity; i++)
		m->free_slots[i] = (int32_t)(capacity - 1 - i);
	m->nfree = capacity;
	m->cap = capacity;
	m->next_seq = 1;
	return m;
fail:
	stream_model_free(m);
	return NULL;
}

static void row_release(struct stream_row *row)
{
	free(row->raw);
	row->raw = NULL;
	for (int s = 0; s < STREAM_SERVICES_MAX; s++) {
		free(row->cell[s].raw);
		row->cell[s].raw = NULL;
	}
}

void stream_model_free(struct stream_model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; m->order != NULL && i < m->count; i++)
		row_release(&m->rows[m->order[i]]);
	for (size_t i = 0; m->pending != NULL && i < STREAM_PENDING_MAX; i++)
		free((char *)m->pending[i].origin.raw);
	free(m->pbucket);
	free(m->rows);
	free(m->order);
	free(m->free_slots);
	free(m->bucket);
	free(m->pending);
	free(m);
}

void stream_model_set_listener(struct stream_model *m, stream_join_fn fn,
			       void *ctx)
{
	m->on_join = fn;
	m->on_join_ctx = ctx;
}

size_t stream_model_count(const struct stream_model *m)
{
	return m->count;
}

size_t stream_model_pending(const struct stream_model *m)
{
	return m->plive;
}

uint64_t stream_model_serial(const struct stream_model *m)
{
	return m->serial;
}

const struct stream_row *stream_model_row(const struct stream_model *m,
					  size_t i)
{
	return i < m->count ? &m->rows[m->order[i]] : NULL;
}

long stream_model_find_seq(const struct stream_model *m, uint64_t seq)
{
	/* Rows are nearly in seq order; search from the newest end. */
	for (size_t i = m->count; i-- > 0;)
		if (m->rows[m->order[i]].seq == seq)
			return (long)i;
	return -1;
}

static struct stream_row *lookup(const struct stream_model *m,
				 int64_t store_id, int64_t version)
{
	for (int32_t s = m->bucket[hash_of(m, store_id, version)]; s >= 0;
	     s = m->rows[s].hnext)
		if (m->rows[s].store_id == store_id &&
		    m->rows[s].version == version)
			return &m->rows[s];
	return NULL;
}

const struct stream_row *stream_model_find(const struct stream_model *m,
					   int64_t store_id, int64_t version)
{
	return lookup(m, store_id, version);
}

static void hash_insert(struct stream_model *m, int32_t slot)
{
	size_t h = hash_of(m, m->rows[slot].store_id, m->rows[slot].version);

	m->rows[slot].hnext = m->bucket[h];
	m->bucket[h] = slot;
}

static void hash_remove(struct stream_model *m, int32_t slot)
{
	size_t h = hash_of(m, m->rows[slot].store_id, m->rows[slot].version);
	int32_t *link = &m->bucket[h];

	while (*link >= 0 && *link != slot)
		link = &m->rows[*link].hnext;
	if (*link == slot)
		*link = m->rows[slot].hnext;
}

static int service_index(struct stream_model *m, const char *name, int add)
{
	for (int i = 0; i < m->nservices; i++)
		if (strcmp(m->service[i], name) == 0)
			return i;
	if (!add || m->nservices == STREAM_SERVICES_MAX || *name == '\0')
		return -1;
	snprintf(m->service[m->nservices], sizeof(m->service[0]), "%s", name);
	return m->nservices++;
}

int stream_model_service(const struct stream_model *m, const char *name)
{
	for (int i = 0; i < m->nservices; i++)
		if (strcmp(m->service[i], name) == 0)
			return i;
	return -1;
}

const char *stream_model_service_name(const struct stream_model *m, int i)
{
	return i >= 0 && i < m->nservices ? m->service[i] : NULL;
}

int stream_model_nservices(const struct stream_model *m)
{
	return m->nservices;
}

/* A NUL-terminated copy of raw, cut at STREAM_RAW_MAX; NULL when none. */
static char *copy_raw(const struct stream_origin *o)
{
	size_t n;
	char *s;

	if (o == NULL || o->raw == NULL)
		return NULL;
	n = o->rawlen < STREAM_RAW_MAX ? o->rawlen : STREAM_RAW_MAX;
	s = malloc(n + 1);
	if (s != NULL) {
		memcpy(s, o->raw, n);
		s[n] = '\0';
	}
	return s;
}

/* True when row a belongs after row b on screen. */
static int is_after(const struct stream_row *a, const struct stream_row *b)
{
	if (a->store_id == b->store_id)
		return a->version > b->version;
	return a->at_ms > b->at_ms;
}

/* Frees the first row in display order. */
static void evict_oldest(struct stream_model *m)
{
	int32_t slot = (int32_t)m->order[0];

	hash_remove(m, slot);
	row_release(&m->rows[slot]);
	memmove(m->order, m->order + 1, (m->count - 1) * sizeof(*m->order));
	m->count--;
	m->free_slots[m->nfree++] = slot;
}

static void pending_unlink(struct stream_model *m, int32_t slot)
{
	struct pending *p = &m->pending[slot];
	int32_t *link = &m->pbucket[hash_of(m, p->r.store_id,
					    p->r.event_version)];

	while (*link >= 0 && *link != slot)
		link = &m->pending[*link].hnext;
	if (*link == slot)
		*link = p->hnext;
	p->live = 0;
	m->plive--;
}

/* Drops the head of the ring (freeing it when it still waits). */
static void pending_pop(struct stream_model *m)
{
	struct pending *p = &m->pending[m->phead];

	if (p->live)
		pending_unlink(m, (int32_t)m->phead);
	free((char *)p->origin.raw);
	p->origin.raw = NULL;
	m->phead = (m->phead + 1) % STREAM_PENDING_MAX;
	m->pcount--;
}

/* Passes dead slots at the head, so the ring's room comes back. */
static void pending_trim(struct stream_model *m)
{
	while (m->pcount > 0 && !m->pending[m->phead].live)
		pending_pop(m);
}

static void join_pending(struct stream_model *m, int64_t store_id,
			 int64_t version, double now_ms)
{
	int32_t slot = m->pbucket[hash_of(m, store_id, version)];

	while (slot >= 0) {
		struct pending *p = &m->pending[slot];
		int32_t next = p->hnext;

		if (p->live && p->r.store_id == store_id &&
		    p->r.event_version == version) {
			pending_unlink(m, slot);
			stream_model_add_reaction(m, &p->r, &p->origin, now_ms);
			free((char *)p->origin.raw);
			p->origin.raw = NULL;
		}
		slot = next;
	}
	pending_trim(m);
}

const struct stream_row *stream_model_add_event(
	struct stream_model *m, const struct store_event *ev,
	const struct stream_origin *origin, double now_ms)
{
	struct stream_row *row;
	int32_t slot;
	size_t pos;

	if (lookup(m, ev->store_id, ev->version) != NULL)
		return NULL;
	if (m->count == m->cap)
		evict_oldest(m);
	slot = m->free_slots[--m->nfree];
	row = &m->rows[slot];
	memset(row, 0, sizeof(*row));
	row->seq = m->next_seq++;
	row->store_id = ev->store_id;
	row->version = ev->version;
	row->type = ev->type;
	row->fields = ev->fields;
	row->at_ms = ev->at_ms;
	row->received_ms = clock_wall_ms();
	row->partition = origin ? origin->partition : -1;
	row->offset = origin ? origin->offset : -1;
	row->raw = copy_raw(origin);
	snprintf(row->event_id, sizeof(row->event_id), "%s", ev->event_id);
	for (int s = 0; s < STREAM_SERVICES_MAX; s++)
		row->cell[s].partition = -1;
	hash_insert(m, slot);

	/*
	 * Partitions arrive interleaved, so an event may be older than the
	 * last row; walk back to its place (usually zero steps).
	 */
	pos = m->count;
	while (pos > 0 && is_after(&m->rows[m->order[pos - 1]], row))
		pos--;
	memmove(m->order + pos + 1, m->order + pos,
		(m->count - pos) * sizeof(*m->order));
	m->order[pos] = (uint32_t)slot;
	m->count++;
	m->serial++;

	/* Reactions that came first join now. */
	join_pending(m, ev->store_id, ev->version, now_ms);
	return row;
}

static enum stream_cell_state state_of(enum reaction_action action)
{
	switch (action) {
	case REACTION_APPLIED:
		return STREAM_CELL_APPLIED;
	case REACTION_DELETED:
		return STREAM_CELL_DELETED;
	case REACTION_SKIPPED_STALE:
		return STREAM_CELL_STALE;
	case REACTION_SKIPPED_FIELDS:
		return STREAM_CELL_FIELDS;
	case REACTION_FAILED:
		return STREAM_CELL_FAILED;
	}
	return STREAM_CELL_FAILED;
}

static void notify(struct stream_model *m, const struct stream_row *row,
		   int service)
{
	if (m->on_join != NULL)
		m->on_join(m->on_join_ctx, row, service);
}

static void wait_for_event(struct stream_model *m,
			   const struct store_reaction *r,
			   const struct stream_origin *origin, double now_ms)
{
	size_t slot;
	struct pending *p;
	size_t h;

	/* Full: the oldest waiting reaction is forgotten. */
	if (m->pcount == STREAM_PENDING_MAX)
		pending_pop(m);
	slot = (m->phead + m->pcount) % STREAM_PENDING_MAX;
	m->pcount++;
	p = &m->pending[slot];
	free((char *)p->origin.raw);
	memset(p, 0, sizeof(*p));
	p->r = *r;
	p->since_ms = now_ms;
	p->origin.partition = origin ? origin->partition : -1;
	p->origin.offset = origin ? origin->offset : -1;
	p->origin.raw = copy_raw(origin);
	p->origin.rawlen = p->origin.raw ? strlen(p->origin.raw) : 0;
	p->live = 1;
	h = hash_of(m, r->store_id, r->event_version);
	p->hnext = m->pbucket[h];
	m->pbucket[h] = (int32_t)slot;
	m->plive++;
}

int stream_model_add_reaction(struct stream_model *m,
			      const struct store_reaction *r,
			      const struct stream_origin *origin,
			      double now_ms)
{
	struct stream_row *row = lookup(m, r->store_id, r->event_version);
	struct stream_cell *cell;
	int s, marks;

	if (row == NULL) {
		wait_for_event(m, r, origin, now_ms);
		return 0;
	}
	s = service_index(m, r->service, 1);
	if (s < 0)
		return -1;
	cell = &row->cell[s];
	free(cell->raw);
	memset(cell, 0, sizeof(*cell));
	cell->state = state_of(r->action);
	cell->coalesced = r->coalesced;
	cell->applied_version = r->applied_version;
	cell->took_ms = r->took_ms;
	cell->lag_ms = r->lag_ms;
	cell->at_ms = r->at_ms;
	cell->partition = origin ? origin->partition : -1;
	cell->offset = origin ? origin->offset : -1;
	cell->raw = copy_raw(origin);
	tui_copy_utf8(cell->error, sizeof(cell->error), r->error);
	m->serial++;
	notify(m, row, s);

	/*
	 * The older events of this store that the same fetch answered:
	 * versions go up by one per change, so they sit right below.
	 */
	marks = r->coalesced - 1;
	for (int64_t v = r->event_version - 1;
	     v > 0 && marks > 0 && r->event_version - v <= COALESCE_REACH;
	     v--) {
		struct stream_row *older = lookup(m, r->store_id, v);
		struct stream_cell *c;

		if (older == NULL || older->cell[s].state != STREAM_CELL_NONE)
			continue;
		c = &older->cell[s];
		free(c->raw);
		memset(c, 0, sizeof(*c));
		c->state = STREAM_CELL_COALESCED;
		c->by_version = r->event_version;
		c->applied_version = r->applied_version;
		c->lag_ms = r->lag_ms;
		c->took_ms = r->took_ms;
		c->at_ms = r->at_ms;
		c->partition = -1;
		c->offset = -1;
		notify(m, older, s);
		marks--;
	}
	return 1;
}

size_t stream_model_expire(struct stream_model *m, double now_ms)
{
	size_t before = m->plive;

	while (m->pcount > 0 &&
	       (!m->pending[m->phead].live ||
		now_ms - m->pending[m->phead].since_ms >= STREAM_PENDING_MS))
		pending_pop(m);
	return before - m->plive;
}

const char *stream_cell_name(enum stream_cell_state state)
{
	switch (state) {
	case STREAM_CELL_NONE:
		return "";
	case STREAM_CELL_APPLIED:
		return "applied";
	case STREAM_CELL_DELETED:
		return "deleted";
	case STREAM_CELL_STALE:
		return "skipped_stale";
	case STREAM_CELL_FIELDS:
		return "skipped_fields";
	case STREAM_CELL_FAILED:
		return "failed";
	case STREAM_CELL_COALESCED:
		return "coalesced";
	}
	return "?";
}
