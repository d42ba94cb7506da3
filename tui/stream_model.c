#include "tui/stream_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/text.h"

struct pending {
	struct store_reaction r;
	double since_ms;
};

struct stream_model {
	struct stream_row *rows; /* ring of cap rows */
	size_t cap, head, count;
	uint64_t next_seq;
	char service[STREAM_SERVICES_MAX][32];
	int nservices;
	struct pending *pending;
	size_t npending;
	stream_join_fn on_join;
	void *on_join_ctx;
};

struct stream_model *stream_model_new(size_t capacity)
{
	struct stream_model *m = calloc(1, sizeof(*m));

	if (m == NULL || capacity == 0)
		goto fail;
	m->rows = calloc(capacity, sizeof(*m->rows));
	m->pending = calloc(STREAM_PENDING_MAX, sizeof(*m->pending));
	if (m->rows == NULL || m->pending == NULL)
		goto fail;
	m->cap = capacity;
	m->next_seq = 1;
	return m;
fail:
	stream_model_free(m);
	return NULL;
}

void stream_model_free(struct stream_model *m)
{
	if (m == NULL)
		return;
	free(m->rows);
	free(m->pending);
	free(m);
}

void stream_model_set_listener(struct stream_model *m, stream_join_fn fn,
			       void *ctx)
{
	m->on_join = fn;
	m->on_join_ctx = ctx;
}

static struct stream_row *at(const struct stream_model *m, size_t i)
{
	return &m->rows[(m->head + i) % m->cap];
}

size_t stream_model_count(const struct stream_model *m)
{
	return m->count;
}

size_t stream_model_pending(const struct stream_model *m)
{
	return m->npending;
}

const struct stream_row *stream_model_row(const struct stream_model *m,
					  size_t i)
{
	return i < m->count ? at(m, i) : NULL;
}

long stream_model_find_seq(const struct stream_model *m, uint64_t seq)
{
	/* Rows are nearly in seq order; search from the newest end. */
	for (size_t i = m->count; i-- > 0;)
		if (at(m, i)->seq == seq)
			return (long)i;
	return -1;
}

/* Index of the row (store_id, version), newest first, or -1. */
static long find_row(const struct stream_model *m, int64_t store_id,
		     int64_t version)
{
	for (size_t i = m->count; i-- > 0;) {
		const struct stream_row *row = at(m, i);

		if (row->store_id == store_id && row->version == version)
			return (long)i;
	}
	return -1;
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

/* True when row a belongs after row b on screen. */
static int is_after(const struct stream_row *a, const struct stream_row *b)
{
	if (a->store_id == b->store_id)
		return a->version > b->version;
	return a->at_ms > b->at_ms;
}

const struct stream_row *stream_model_add_event(struct stream_model *m,
						const struct store_event *ev,
						int32_t partition,
						int64_t offset, double now_ms)
{
	struct stream_row row = { 0 };
	size_t pos;

	if (find_row(m, ev->store_id, ev->version) >= 0)
		return NULL;
	row.seq = m->next_seq++;
	row.store_id = ev->store_id;
	row.version = ev->version;
	row.type = ev->type;
	row.fields = ev->fields;
	row.at_ms = ev->at_ms;
	row.partition = partition;
	row.offset = offset;
	snprintf(row.event_id, sizeof(row.event_id), "%s", ev->event_id);

	if (m->count == m->cap) {
		m->head = (m->head + 1) % m->cap;
		m->count--;
	}
	/*
	 * Partitions arrive interleaved, so an event may be older than the
	 * last row; walk back to its place (usually zero steps).
	 */
	pos = m->count;
	while (pos > 0 && is_after(at(m, pos - 1), &row))
		pos--;
	for (size_t i = m->count; i > pos; i--)
		*at(m, i) = *at(m, i - 1);
	*at(m, pos) = row;
	m->count++;

	/* Reactions that came first join now. */
	for (size_t i = 0; i < m->npending;) {
		struct store_reaction *r = &m->pending[i].r;

		if (r->store_id == ev->store_id &&
		    r->event_version == ev->version) {
			struct store_reaction copy = *r;

			memmove(&m->pending[i], &m->pending[i + 1],
				(m->npending - i - 1) * sizeof(m->pending[0]));
			m->npending--;
			stream_model_add_reaction(m, &copy, now_ms);
			continue;
		}
		i++;
	}
	pos = (size_t)find_row(m, ev->store_id, ev->version);
	return at(m, pos);
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

int stream_model_add_reaction(struct stream_model *m,
			      const struct store_reaction *r, double now_ms)
{
	long idx = find_row(m, r->store_id, r->event_version);
	struct stream_row *row;
	struct stream_cell *cell;
	int s, marks;

	if (idx < 0) {
		if (m->npending == STREAM_PENDING_MAX) {
			/* Make room by forgetting the oldest. */
			memmove(&m->pending[0], &m->pending[1],
				(m->npending - 1) * sizeof(m->pending[0]));
			m->npending--;
		}
		m->pending[m->npending].r = *r;
		m->pending[m->npending].since_ms = now_ms;
		m->npending++;
		return 0;
	}
	s = service_index(m, r->service, 1);
	if (s < 0)
		return -1;
	row = at(m, (size_t)idx);
	cell = &row->cell[s];
	memset(cell, 0, sizeof(*cell));
	cell->state = state_of(r->action);
	cell->coalesced = r->coalesced;
	cell->applied_version = r->applied_version;
	cell->took_ms = r->took_ms;
	cell->lag_ms = r->lag_ms;
	tui_copy_utf8(cell->error, sizeof(cell->error), r->error);
	notify(m, row, s);

	/* The older events of this store that the same fetch answered. */
	marks = r->coalesced - 1;
	for (long i = idx - 1; i >= 0 && marks > 0; i--) {
		struct stream_row *older = at(m, (size_t)i);

		if (older->store_id != r->store_id ||
		    older->version >= r->event_version ||
		    older->cell[s].state != STREAM_CELL_NONE)
			continue;
		memset(&older->cell[s], 0, sizeof(older->cell[s]));
		older->cell[s].state = STREAM_CELL_COALESCED;
		older->cell[s].by_version = r->event_version;
		older->cell[s].applied_version = r->applied_version;
		older->cell[s].lag_ms = r->lag_ms;
		older->cell[s].took_ms = r->took_ms;
		notify(m, older, s);
		marks--;
	}
	return 1;
}

size_t stream_model_expire(struct stream_model *m, double now_ms)
{
	size_t kept = 0, dropped;

	for (size_t i = 0; i < m->npending; i++)
		if (now_ms - m->pending[i].since_ms < STREAM_PENDING_MS)
			m->pending[kept++] = m->pending[i];
	dropped = m->npending - kept;
	m->npending = kept;
	return dropped;
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
		return "stale";
	case STREAM_CELL_FIELDS:
		return "fields";
	case STREAM_CELL_FAILED:
		return "failed";
	case STREAM_CELL_COALESCED:
		return "coalesced";
	}
	return "?";
}
