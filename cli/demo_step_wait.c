/* The steps that wait for the services and ask them: wait, search. */
#include "cli/demo_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

#define DEMO_SERVICES_MAX 16
/* Reactions are read in slices this long while a wait checks. */
#define DEMO_WAIT_SLICE_MS 20
/* Queries retried under 'within' are asked again after this long. */
#define DEMO_RETRY_MS 100
/* Results listed in a transcript line. */
#define DEMO_IDS_SHOWN 10

/* Reads what came, for at most ms; returns 0 or a failed outcome. */
static int poll_slice(struct demo_runner *r, int ms)
{
	char err[256];

	if (demo_rt_cancelled(r))
		return demo_rt_result(r, DEMO_CANCELLED, "interrupted");
	if (r->w->poll(r->w->ctx, r->track, ms, err, sizeof(err)))
		return demo_rt_result(r, DEMO_FAILED, "reading store.reactions: %s",
				      err);
	return 0;
}

/*
 * The version store id has to reach: the newest of what this run wrote
 * and what the store API says now (it may be down: then what we wrote).
 */
static int64_t target_version(struct demo_runner *r, int64_t id)
{
	struct demo_known *k = demo_rt_known(r, id);
	struct api_result res = { 0 };
	int64_t v = k != NULL ? k->version : 0;

	if (r->w->store_get(r->w->ctx, id, &res) == 0 &&
	    (res.status == 200 || res.status == 410)) {
		int64_t now = res.etag_version > 0 ? res.etag_version :
			(int64_t)json_integer_value(json_object_get(res.body,
								    "version"));

		if (now > v)
			v = now;
	}
	api_result_clear(&res);
	return v;
}

/* Appends "search v9 (30 events in 4 reactions, 2 failed: ...)" to buf. */
static void describe_entry(const struct demo_track_entry *e,
			   const char *name, char *buf, size_t len,
			   size_t *used)
{
	char one[512];
	int n;

	if (e == NULL)
		snprintf(one, sizeof(one), "%.31s no reaction", name);
	else if (e->failures > 0)
		snprintf(one, sizeof(one),
			 "%.31s v%lld (%u event%s in %u reaction%s, %u failed: %.300s)",
			 name, (long long)e->version, e->events,
			 e->events == 1 ? "" : "s", e->reactions,
			 e->reactions == 1 ? "" : "s", e->failures,
			 e->last_error);
	else
		snprintf(one, sizeof(one), "%.31s v%lld (%u event%s in %u reaction%s)",
			 name, (long long)e->version, e->events,
			 e->events == 1 ? "" : "s", e->reactions,
			 e->reactions == 1 ? "" : "s");
	if (*used + 1 >= len)
		return;
	n = snprintf(buf + *used, len - *used, "%s%s", *used ? ", " : "", one);
	*used = n < 0 || (size_t)n >= len - *used ? len - 1 : *used + (size_t)n;
}

enum demo_outcome demo_step_wait_propagated(struct demo_runner *r,
					    const struct demo_step *st)
{
	char names[DEMO_SERVICES_MAX][32];
	char detail[DEMO_RESULT_MAX - 128];
	double deadline = clock_mono_ms() + st->seconds * 1000;
	struct demo_known *k;
	int64_t id, target;
	char err[256];

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	target = target_version(r, id);
	if (target <= 0)
		return demo_rt_result(r, DEMO_FAILED,
				      "the version of store %lld is unknown: the store API does not answer and this script did not write it",
				      (long long)id);
	for (;;) {
		size_t used = 0, pending = 0;
		int n, rc;

		if ((rc = poll_slice(r, 0)) != 0)
			return (enum demo_outcome)rc;
		n = r->w->running(r->w->ctx, names, DEMO_SERVICES_MAX, err,
				  sizeof(err));
		if (n < 0)
			return demo_rt_result(r, DEMO_FAILED, "%s", err);
		detail[0] = '\0';
		for (int i = 0; i < n; i++) {
			const struct demo_track_entry *e =
				demo_track_get(r->track, names[i], id);

			pending += e == NULL || e->version < target;
			describe_entry(e, names[i], detail, sizeof(detail), &used);
		}
		if (n == 0) {
			k = demo_rt_known(r, id);
			if (k != NULL)
				k->window = 0;
			return demo_rt_result(r, DEMO_OK,
					      "store %lld v%lld: no downstream service is running, nothing to wait for",
					      (long long)id, (long long)target);
		}
		if (pending == 0) {
			k = demo_rt_known(r, id);
			if (k != NULL)
				k->window = 0;
			return demo_rt_result(r, DEMO_OK, "store %lld v%lld reached %s",
					      (long long)id, (long long)target,
					      detail);
		}
		if (clock_mono_ms() >= deadline)
			return demo_rt_result(r, DEMO_FAILED,
					      "store %lld v%lld not everywhere after %g s: %s",
					      (long long)id, (long long)target,
					      st->seconds, detail);
		if ((rc = poll_slice(r, DEMO_WAIT_SLICE_MS)) != 0)
			return (enum demo_outcome)rc;
	}
}

enum demo_outcome demo_step_wait_failed(struct demo_runner *r,
					const struct demo_step *st)
{
	double deadline = clock_mono_ms() + st->seconds * 1000;
	int64_t id;

	if (demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	for (;;) {
		const struct demo_track_entry *e;
		int rc;

		if ((rc = poll_slice(r, DEMO_WAIT_SLICE_MS)) != 0)
			return (enum demo_outcome)rc;
		e = demo_track_get(r->track, st->arg, id);
		if (e != NULL && e->failures > 0)
			return demo_rt_result(r, DEMO_OK,
					      "%s failed %u time%s on store %lld: %s",
					      st->arg, e->failures,
					      e->failures == 1 ? "" : "s",
					      (long long)id, e->last_error);
		if (clock_mono_ms() >= deadline)
			return demo_rt_result(r, DEMO_FAILED,
					      "%s reported no failure for store %lld within %g s%s",
					      st->arg, (long long)id, st->seconds,
					      e != NULL && e->reactions > 0 ?
						      " (it handled it)" : "");
	}
}

/* "5, 7, 9, ..." of the first ids of a result into buf. */
static void list_ids(const json_t *ids, char *buf, size_t len)
{
	size_t used = 0, i;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(ids, i, v) {
		int n = i == DEMO_IDS_SHOWN ?
			snprintf(buf + used, len - used, ", ...") :
			snprintf(buf + used, len - used, "%s%lld", i ? ", " : "",
				 (long long)json_integer_value(v));

		if (n < 0 || (size_t)n >= len - used || i == DEMO_IDS_SHOWN)
			break;
		used += (size_t)n;
	}
}

/* One ask of 'expect search' or 'show search'; sets r->result. */
static enum demo_outcome ask_search(struct demo_runner *r,
				    const struct demo_step *st,
				    const char *query, int64_t id)
{
	struct api_result res = { 0 };
	char why[512], shown[256];
	json_t *ids, *v;
	long rank = -1;
	size_t i, n;

	if (r->w->search(r->w->ctx, query, &res) != 0 || res.status != 200 ||
	    !json_is_array(json_object_get(res.body, "ids"))) {
		demo_rt_describe(&res, why, sizeof(why));
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "search \"%s\": %s", query,
				      why);
	}
	ids = json_object_get(res.body, "ids");
	n = json_array_size(ids);
	list_ids(ids, shown, sizeof(shown));
	json_array_foreach(ids, i, v)
		if (rank < 0 && json_integer_value(v) == id)
			rank = (long)i + 1;
	api_result_clear(&res);
	if (st->kind == DEMO_SHOW_SEARCH)
		return demo_rt_result(r, DEMO_OK, "%zu result%s%s%s", n,
				      n == 1 ? "" : "s", n ? ": " : "", shown);
	if (!st->negate && rank > 0)
		return demo_rt_result(r, DEMO_OK, "store %lld is result %ld of %zu",
				      (long long)id, rank, n);
	if (st->negate && rank < 0)
		return demo_rt_result(r, DEMO_OK, "store %lld is not among the %zu result%s",
				      (long long)id, n, n == 1 ? "" : "s");
	if (st->negate)
		return demo_rt_result(r, DEMO_FAILED, "store %lld is result %ld of %zu",
				      (long long)id, rank, n);
	return demo_rt_result(r, DEMO_FAILED, "store %lld is not among the %zu result%s%s%s",
			      (long long)id, n, n == 1 ? "" : "s",
			      n ? ": " : "", shown);
}

enum demo_outcome demo_step_search(struct demo_runner *r,
				   const struct demo_step *st)
{
	double deadline = clock_mono_ms() + st->seconds * 1000;
	enum demo_outcome o;
	int64_t id = 0;
	char *query;

	if (st->kind == DEMO_EXPECT_SEARCH &&
	    demo_rt_store_id(r, &st->store, &id))
		return DEMO_FAILED;
	query = demo_rt_expand(r, st->arg);
	if (query == NULL)
		return DEMO_FAILED;
	for (;;) {
		o = ask_search(r, st, query, id);
		if (o == DEMO_OK || st->kind == DEMO_SHOW_SEARCH ||
		    clock_mono_ms() >= deadline)
			break;
		if (demo_rt_sleep(r, DEMO_RETRY_MS)) {
			o = demo_rt_cancelled(r) ? DEMO_CANCELLED : DEMO_FAILED;
			break;
		}
	}
	free(query);
	return o;
}
