#include "cli/demo_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct demo_window {
	int64_t store_id;
	int64_t since;
};

struct demo_track {
	struct demo_track_entry *entries;
	size_t n, cap;
	/* Open addressing over entries: index + 1, 0 = empty. */
	size_t *slots;
	size_t nslots;
	struct demo_window *windows;
	size_t nwindows, wincap;
	size_t total;
};

static uint64_t key_hash(const char *service, int64_t store_id)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *s = service; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h ^= (uint64_t)store_id * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

struct demo_track *demo_track_new(void)
{
	return calloc(1, sizeof(struct demo_track));
}

void demo_track_free(struct demo_track *t)
{
	if (t == NULL)
		return;
	free(t->entries);
	free(t->slots);
	free(t->windows);
	free(t);
}

static size_t *find_slot(const struct demo_track *t, const char *service,
			 int64_t store_id)
{
	size_t mask = t->nslots - 1;
	size_t i = (size_t)key_hash(service, store_id) & mask;

	for (;; i = (i + 1) & mask) {
		size_t k = t->slots[i];

		if (k == 0)
			return &t->slots[i];
		if (t->entries[k - 1].store_id == store_id &&
		    strcmp(t->entries[k - 1].service, service) == 0)
			return &t->slots[i];
	}
}

static int rehash(struct demo_track *t, size_t nslots)
{
	size_t *slots = calloc(nslots, sizeof(*slots));

	if (slots == NULL)
		return -1;
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	for (size_t k = 0; k < t->n; k++)
		*find_slot(t, t->entries[k].service, t->entries[k].store_id) = k + 1;
	return 0;
}

const struct demo_track_entry *demo_track_get(const struct demo_track *t,
					      const char *service,
					      int64_t store_id)
{
	size_t k;

	if (t->nslots == 0)
		return NULL;
	k = *find_slot(t, service, store_id);
	return k ? &t->entries[k - 1] : NULL;
}

static const struct demo_window *window_of(const struct demo_track *t,
					   int64_t store_id)
{
	for (size_t i = 0; i < t->nwindows; i++)
		if (t->windows[i].store_id == store_id)
			return &t->windows[i];
	return NULL;
}

static struct demo_track_entry *entry_for(struct demo_track *t,
					  const char *service, int64_t store_id)
{
	struct demo_track_entry *e;
	size_t *slot;

	if ((t->n + 1) * 2 > t->nslots &&
	    rehash(t, t->nslots ? t->nslots * 2 : 256))
		return NULL;
	slot = find_slot(t, service, store_id);
	if (*slot)
		return &t->entries[*slot - 1];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 128;
		struct demo_track_entry *v = realloc(t->entries, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		t->entries = v;
		t->cap = cap;
	}
	e = &t->entries[t->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->service, sizeof(e->service), "%s", service);
	e->store_id = store_id;
	*slot = ++t->n;
	return e;
}

int demo_track_add(struct demo_track *t, const struct store_reaction *r)
{
	struct demo_track_entry *e = entry_for(t, r->service, r->store_id);
	const struct demo_window *w;
	int64_t v;
	int counts;

	if (e == NULL)
		return -1;
	t->total++;
	w = window_of(t, r->store_id);
	counts = w == NULL || r->event_version > w->since;
	if (r->action == REACTION_FAILED) {
		if (counts) {
			e->failures++;
			snprintf(e->last_error, sizeof(e->last_error), "%s",
				 r->error[0] ? r->error : "failed");
		}
		return 0;
	}
	v = r->applied_version > r->event_version ? r->applied_version :
						    r->event_version;
	if (v > e->version)
		e->version = v;
	e->last_action = r->action;
	e->last_took_ms = r->took_ms;
	if (counts) {
		e->reactions++;
		e->events += r->coalesced > 0 ? (unsigned)r->coalesced : 1;
	}
	return 0;
}

void demo_track_open(struct demo_track *t, int64_t store_id, int64_t since)
{
	struct demo_window *w = (struct demo_window *)window_of(t, store_id);

	if (w == NULL) {
		if (t->nwindows == t->wincap) {
			size_t cap = t->wincap ? t->wincap * 2 : 16;
			struct demo_window *v = realloc(t->windows,
							cap * sizeof(*v));

			if (v == NULL)
				return; /* counters just keep counting */
			t->windows = v;
			t->wincap = cap;
		}
		w = &t->windows[t->nwindows++];
		w->store_id = store_id;
	}
	w->since = since;
	for (size_t k = 0; k < t->n; k++) {
		struct demo_track_entry *e = &t->entries[k];

		if (e->store_id != store_id)
			continue;
		e->reactions = e->events = e->failures = 0;
		e->last_error[0] = '\0';
	}
}

size_t demo_track_total(const struct demo_track *t)
{
	return t->total;
}
