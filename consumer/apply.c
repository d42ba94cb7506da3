#include "consumer/apply.h"

#include <inttypes.h>
#include <stdio.h>

#include "common/clock.h"

/* The entry for id that still waits for its fetch, or NULL. */
static struct batch_entry *pending(struct batch *b, json_int_t id)
{
	struct batch_entry *e = batch_find(b, (int64_t)id);

	if (e == NULL || e->decision != BATCH_FETCH || e->action != 0)
		return NULL;
	return e;
}

/*
 * 1 when e's copy is forgotten and written again whatever version it holds:
 * a resync, through a port that can forget. A copy at the store's version
 * may hold damaged values, and the ports' writes keep newer versions only.
 */
static int rewrites(const struct batch_entry *e,
		    const struct replica_port *port)
{
	return e->resync && port->forget != NULL;
}

/* Forgets e's held version before its rewrite; 0, or -1 after marking e
 * failed. */
static int forget_copy(struct batch_entry *e, const struct replica_port *port)
{
	if (port->forget(port->ctx, e->store_id) == 0)
		return 0;
	batch_entry_finish(e, REACTION_FAILED, e->held_version,
			   "replica: could not forget the held version to rewrite the copy",
			   clock_mono_ms());
	return -1;
}

static void apply_store(struct batch_entry *e, const json_t *store,
			const struct replica_port *port)
{
	json_t *jv = json_object_get(store, "version");
	int64_t version;

	if (!json_is_integer(jv) || json_integer_value(jv) <= 0) {
		batch_entry_finish(e, REACTION_FAILED, e->held_version,
				   "store API: the store has no valid version",
				   clock_mono_ms());
		return;
	}
	version = (int64_t)json_integer_value(jv);
	/* Without forget a resync still offers the held version again. */
	if (!rewrites(e, port) &&
	    (version < e->held_version ||
	     (version == e->held_version && !e->resync))) {
		batch_entry_finish(e, REACTION_SKIPPED_STALE, e->held_version,
				   NULL, clock_mono_ms());
		return;
	}
	if (rewrites(e, port) && forget_copy(e, port))
		return;
	if (port->upsert(port->ctx, store)) {
		batch_entry_finish(e, REACTION_FAILED, e->held_version,
				   "replica: could not write the store",
				   clock_mono_ms());
		return;
	}
	batch_entry_finish(e, REACTION_APPLIED, version, NULL, clock_mono_ms());
}

static void apply_remove(struct batch_entry *e, int64_t version,
			 const struct replica_port *port)
{
	if (!rewrites(e, port) && version <= e->held_version) {
		batch_entry_finish(e, REACTION_SKIPPED_STALE, e->held_version,
				   NULL, clock_mono_ms());
		return;
	}
	/* The tombstone is rewritten too: a copy may hold the store live at
	 * the delete's version. */
	if (rewrites(e, port) && forget_copy(e, port))
		return;
	if (port->remove(port->ctx, e->store_id, version)) {
		batch_entry_finish(e, REACTION_FAILED, e->held_version,
				   "replica: could not remove the store",
				   clock_mono_ms());
		return;
	}
	batch_entry_finish(e, REACTION_DELETED, version, NULL, clock_mono_ms());
}

/* The entry for id if it was asked in this call and still waits, or NULL. */
static struct batch_entry *asked(struct batch *b, const int64_t *ids, size_t n,
				 json_int_t id)
{
	struct batch_entry *e = pending(b, (int64_t)id);

	for (size_t k = 0; e != NULL && k < n; k++)
		if (ids[k] == e->store_id)
			return e;
	return NULL;
}

size_t apply_fetched(struct batch *b, const int64_t *ids, size_t n,
		     const json_t *body, const struct replica_port *port)
{
	const json_t *list, *item;
	const char *why = "store API: the answer does not mention this store";
	size_t i, failed = 0;

	if (!json_is_object(body))
		why = "store API: the answer is not a JSON object";

	list = json_object_get(body, "stores");
	json_array_foreach(list, i, item) {
		json_t *jid = json_object_get(item, "id");
		struct batch_entry *e;

		if (json_is_integer(jid) &&
		    (e = asked(b, ids, n, json_integer_value(jid))) != NULL)
			apply_store(e, item, port);
	}
	list = json_object_get(body, "deleted");
	json_array_foreach(list, i, item) {
		json_t *jid = json_object_get(item, "id");
		json_t *jv = json_object_get(item, "version");
		struct batch_entry *e;

		if (json_is_integer(jid) && json_is_integer(jv) &&
		    (e = asked(b, ids, n, json_integer_value(jid))) != NULL)
			apply_remove(e, (int64_t)json_integer_value(jv), port);
	}
	list = json_object_get(body, "missing");
	json_array_foreach(list, i, item) {
		struct batch_entry *e;

		if (json_is_integer(item) &&
		    (e = asked(b, ids, n, json_integer_value(item))) != NULL)
			apply_remove(e, e->version, port);
	}

	for (size_t k = 0; k < n; k++) {
		struct batch_entry *e = batch_find(b, ids[k]);

		if (e == NULL || e->decision != BATCH_FETCH)
			continue;
		if (e->action == 0)
			batch_entry_finish(e, REACTION_FAILED, e->held_version,
					   why, clock_mono_ms());
		if (e->action == REACTION_FAILED)
			failed++;
	}
	return failed;
}

size_t apply_fail_pending(struct batch *b, const char *error)
{
	size_t n = 0;

	for (size_t k = 0; k < b->n; k++) {
		struct batch_entry *e = &b->entries[k];

		if (e->decision == BATCH_FETCH && e->action == 0) {
			batch_entry_finish(e, REACTION_FAILED, e->held_version,
					   error, clock_mono_ms());
			n++;
		}
	}
	return n;
}
