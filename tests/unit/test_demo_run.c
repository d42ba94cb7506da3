/* The demo runner against a fake world: the built-in scenario, If-Match
 * and retries, failures that stop the run and bring services back, waits
 * that time out, and the check before anything runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/demo_run.h"

#define FAKE_STORES 64

struct fake_store {
	int64_t version;
	int64_t reacted;  /* version search-svc reacted to */
	int deleted;
	json_t *doc;
};

struct fake {
	struct fake_store s[FAKE_STORES + 1];
	int64_t n;
	int search_up, store_up;
	/* The other services (ads, favorites, reviews, display): up or not. */
	int others_up[4];
	int api_fault, broker_down;
	char faults[8][64];
	size_t nfaults;
	int bump_before_patch;  /* another writer gets in first, once */
	int patches, last_if_match;
	int refuse_field;       /* 422 for a patch touching "phone" */
	int controls;
	char log[64][64];
	size_t nlog;
	/* What the output port saw. */
	enum demo_outcome outcomes[128];
	char results[128][512];
	size_t nsteps;
	char notes[8][256];
	size_t nnotes;
};

static void reply_store(struct fake *f, int64_t id, struct api_result *res,
			long status)
{
	res->status = status;
	res->etag_version = f->s[id].version;
	res->body = json_deep_copy(f->s[id].doc);
	json_object_set_new(res->body, "id", json_integer(id));
	json_object_set_new(res->body, "version", json_integer(f->s[id].version));
}

static int f_get(void *ctx, int64_t id, struct api_result *res)
{
	struct fake *f = ctx;

	memset(res, 0, sizeof(*res));
	if (!f->store_up) {
		snprintf(res->error, sizeof(res->error), "Couldn't connect");
		return -1;
	}
	if (id < 1 || id > f->n) {
		res->status = 404;
		snprintf(res->error, sizeof(res->error), "no store has id %lld",
			 (long long)id);
		return 0;
	}
	if (f->s[id].deleted) {
		res->status = 410;
		res->etag_version = f->s[id].version;
		res->body = json_pack("{s:I}", "version",
				      (json_int_t)f->s[id].version);
		return 0;
	}
	reply_store(f, id, res, 200);
	return 0;
}

static int f_create(void *ctx, const json_t *doc, struct api_result *res)
{
	struct fake *f = ctx;
	int64_t id;

	memset(res, 0, sizeof(*res));
	if (!f->store_up)
		return -1;
	id = ++f->n;
	f->s[id].doc = json_deep_copy(doc);
	f->s[id].version = 1;
	reply_store(f, id, res, 201);
	return 0;
}

static int f_patch(void *ctx, int64_t id, const json_t *patch,
		   int64_t if_version, struct api_result *res)
{
	struct fake *f = ctx;

	memset(res, 0, sizeof(*res));
	if (!f->store_up)
		return -1;
	f->patches++;
	f->last_if_match = (int)if_version;
	if (f->bump_before_patch) {
		f->bump_before_patch = 0;
		f->s[id].version++;
	}
	if (if_version != f->s[id].version) {
		res->status = 412;
		snprintf(res->error, sizeof(res->error), "stale");
		return 0;
	}
	if (f->refuse_field && json_object_get(patch, "phone") != NULL) {
		res->status = 422;
		res->body = json_pack("{s:s, s:s}", "field", "phone", "rule",
				      "pattern");
		snprintf(res->error, sizeof(res->error), "phone must look like 02-123-4567");
		return 0;
	}
	json_object_update(f->s[id].doc, (json_t *)patch);
	f->s[id].version++;
	reply_store(f, id, res, 200);
	return 0;
}

static int f_delete(void *ctx, int64_t id, int64_t if_version,
		    struct api_result *res)
{
	struct fake *f = ctx;

	memset(res, 0, sizeof(*res));
	if (if_version != f->s[id].version) {
		res->status = 412;
		return 0;
	}
	f->s[id].deleted = 1;
	f->s[id].version++;
	res->status = 204;
	res->etag_version = f->s[id].version;
	return 0;
}

/* Search finds the stores search-svc has caught up on, by name. */
static int f_search(void *ctx, const char *query, struct api_result *res)
{
	struct fake *f = ctx;
	json_t *ids = json_array();

	memset(res, 0, sizeof(*res));
	if (!f->search_up) {
		json_decref(ids);
		return -1;
	}
	for (int64_t id = 1; id <= f->n; id++) {
		const char *name = json_string_value(json_object_get(f->s[id].doc,
								     "name"));

		if (!f->s[id].deleted && f->s[id].reacted == f->s[id].version &&
		    name != NULL && strstr(name, query) != NULL)
			json_array_append_new(ids, json_integer(id));
	}
	res->status = 200;
	res->body = json_pack("{s:o}", "ids", ids);
	return 0;
}

static int f_running(void *ctx, char (*names)[32], size_t max, char *err,
		     size_t errlen)
{
	struct fake *f = ctx;

	(void)err;
	(void)errlen;
	if (f->search_up && max > 0) {
		strcpy(names[0], "search");
		return 1;
	}
	return 0;
}

static const char *const other_names[] = { "ads", "favorites", "reviews",
					   "display" };

/* The up flag of a service of the fake, or NULL. */
static int *up_flag(struct fake *f, const char *name)
{
	if (strcmp(name, "store") == 0)
		return &f->store_up;
	if (strcmp(name, "search") == 0)
		return &f->search_up;
	for (size_t i = 0; i < 4; i++)
		if (strcmp(name, other_names[i]) == 0)
			return &f->others_up[i];
	return NULL;
}

static int f_has(void *ctx, const char *name)
{
	return up_flag(ctx, name) != NULL;
}

/* display-svc's list: the stores search finds by q, degraded when ads is
 * down. */
static int f_list(void *ctx, const char *query, struct api_result *res)
{
	struct fake *f = ctx;
	const char *q = strstr(query, "q=");
	json_t *shops = json_array(), *degraded = json_array();
	struct api_result found;

	memset(res, 0, sizeof(*res));
	if (!f->others_up[3]) {
		json_decref(shops);
		json_decref(degraded);
		return -1;
	}
	if (!f->others_up[0])
		json_array_append_new(degraded, json_string("ads"));
	if (q != NULL && f_search(f, q + 2, &found) == 0) {
		size_t i;
		json_t *id;

		json_array_foreach(json_object_get(found.body, "ids"), i, id)
			json_array_append_new(shops, json_pack("{s:O}", "id", id));
		api_result_clear(&found);
	}
	res->status = 200;
	res->body = json_pack("{s:o, s:o}", "shops", shops, "degraded",
			      degraded);
	return 0;
}

/* A consumer's breaker is open while store-svc is down. */
static int f_health(void *ctx, const char *name, struct api_result *res)
{
	struct fake *f = ctx;
	int *up = up_flag(f, name);

	memset(res, 0, sizeof(*res));
	if (up == NULL || !*up)
		return -1;
	res->status = f->store_up ? 200 : 503;
	res->body = json_pack("{s:{s:{s:s, s:i}}}", "consumer", "breaker",
			      "state", f->store_up ? "closed" : "open",
			      "opened", 1);
	return 0;
}

/* Converged when search-svc reacted to every store's version. */
static int f_audit(void *ctx, struct audit_report *out, char *err,
		   size_t errlen)
{
	struct fake *f = ctx;
	struct audit_service *s = &out->services[0];

	(void)err;
	(void)errlen;
	memset(out, 0, sizeof(*out));
	out->n = 1;
	snprintf(s->name, sizeof(s->name), "search");
	s->answered = f->search_up;
	if (!s->answered)
		snprintf(s->error, sizeof(s->error), "not running");
	for (int64_t id = 1; id <= f->n; id++) {
		out->live += !f->s[id].deleted;
		out->deleted += f->s[id].deleted;
		s->checked++;
		if (f->s[id].reacted != f->s[id].version) {
			s->drift = realloc(s->drift, (s->ndrift + 1) *
						     sizeof(*s->drift));
			memset(&s->drift[s->ndrift], 0, sizeof(*s->drift));
			s->drift[s->ndrift].id = id;
			s->drift[s->ndrift++].kind = AUDIT_STALE;
		}
	}
	return 0;
}

static int f_fault(void *ctx, const struct demo_step *st, char *msg,
		   size_t msglen, char *err, size_t errlen)
{
	struct fake *f = ctx;

	(void)err;
	(void)errlen;
	if (st->kind == DEMO_FAULT_API) {
		f->api_fault = !st->clear;
		snprintf(f->faults[f->nfaults++ % 8], 64, "api %s",
			 st->clear ? "clear" : "set");
	} else {
		if (strcmp(st->arg, "errors") != 0)
			f->broker_down = st->arg[0] == 'd';
		snprintf(f->faults[f->nfaults++ % 8], 64, "broker %s", st->arg);
	}
	snprintf(msg, msglen, "done");
	return 0;
}

static int f_control(void *ctx, enum stackctl_op op, const char *name,
		     char *msg, size_t msglen, char *err, size_t errlen)
{
	struct fake *f = ctx;
	int *flag = up_flag(f, name);

	(void)err;
	(void)errlen;
	f->controls++;
	snprintf(f->log[f->nlog++ % 64], 64, "%s %s", stackctl_op_name(op), name);
	*flag = op == STACKCTL_START;
	snprintf(msg, msglen, "%s %s", name, op == STACKCTL_START ? "started" :
						 "stopped");
	return 0;
}

/* search-svc reacts to whatever changed; fails while store-svc is down. */
static int f_poll(void *ctx, struct demo_track *t, int wait_ms, char *err,
		  size_t errlen)
{
	struct fake *f = ctx;

	(void)wait_ms;
	(void)err;
	(void)errlen;
	if (!f->search_up)
		return 0;
	for (int64_t id = 1; id <= f->n; id++) {
		struct store_reaction r;

		if (f->s[id].reacted >= f->s[id].version)
			continue;
		memset(&r, 0, sizeof(r));
		strcpy(r.service, "search");
		r.store_id = id;
		r.event_version = f->s[id].version;
		if (!f->store_up) {
			r.action = REACTION_FAILED;
			r.coalesced = 1;
			strcpy(r.error, "store API unreachable");
		} else {
			r.action = f->s[id].deleted ? REACTION_DELETED :
						      REACTION_APPLIED;
			r.applied_version = f->s[id].deleted ? 0 : f->s[id].version;
			r.coalesced = (int)(f->s[id].version - f->s[id].reacted);
			f->s[id].reacted = f->s[id].version;
		}
		demo_track_add(t, &r);
	}
	return 0;
}

static void o_end(void *ctx, const struct demo_step *st, const char *text,
		  double at_ms, double took_ms, enum demo_outcome outcome,
		  const char *result)
{
	struct fake *f = ctx;

	(void)st;
	(void)text;
	(void)at_ms;
	(void)took_ms;
	f->outcomes[f->nsteps] = outcome;
	snprintf(f->results[f->nsteps++], 512, "%s", result);
}

static void o_note(void *ctx, double at_ms, const char *text)
{
	struct fake *f = ctx;

	(void)at_ms;
	snprintf(f->notes[f->nnotes++ % 8], 256, "%s", text);
}

static struct fake *fake_new(struct demo_world *w, struct demo_output *o)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->store_up = f->search_up = 1;
	for (size_t i = 0; i < 4; i++)
		f->others_up[i] = 1;
	memset(w, 0, sizeof(*w));
	w->ctx = f;
	w->store_get = f_get;
	w->store_create = f_create;
	w->store_patch = f_patch;
	w->store_delete = f_delete;
	w->search = f_search;
	w->running = f_running;
	w->has_service = f_has;
	w->control = f_control;
	w->poll = f_poll;
	w->list = f_list;
	w->health = f_health;
	w->audit = f_audit;
	w->fault = f_fault;
	w->where = "a fake";
	memset(o, 0, sizeof(*o));
	o->ctx = f;
	o->step_end = o_end;
	o->note = o_note;
	return f;
}

static void fake_free(struct fake *f)
{
	for (int64_t id = 1; id <= f->n; id++)
		json_decref(f->s[id].doc);
	free(f);
}

static enum demo_outcome play(const char *text, struct demo_world *w,
			      struct demo_output *o, struct demo_summary *sum)
{
	struct demo_script s;
	char err[4096];
	enum demo_outcome rc;

	assert_int_equal(demo_parse("t.demo", text, strlen(text), &s, err,
				    sizeof(err)), 0);
	assert_int_equal(demo_check(&s, w, err, sizeof(err)), 0);
	rc = demo_run(&s, w, o, NULL, sum);
	demo_script_free(&s);
	return rc;
}

static void builtin_scenario(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	assert_int_equal(play(demo_builtin_script, &w, &o, &sum), DEMO_OK);
	assert_int_equal(sum.outcome, DEMO_OK);
	assert_int_equal(sum.run, sum.steps);
	assert_true(sum.expectations >= 8);
	assert_true(f->s[1].deleted);
	assert_true(f->store_up && f->search_up);
	for (size_t i = 0; i < f->nsteps; i++)
		assert_int_equal(f->outcomes[i], DEMO_OK);
	fake_free(f);
}

static void edit_uses_if_match_and_retries(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	assert_int_equal(play("create $a owner=owner-1 name=\"교촌치킨 역삼점\" category=chicken\n"
			      "edit $a name=\"교촌치킨 $a호점\" min_order:=12000\n"
			      "wait propagated\n"
			      "expect store $a name = \"교촌치킨 1호점\"\n"
			      "expect store $a min_order = 12000\n"
			      "expect search \"1호점\" contains $a\n",
			      &w, &o, &sum), DEMO_OK);
	assert_int_equal(f->last_if_match, 1);
	assert_string_equal(f->results[1], "store 1 v1 -> v2 (name, min_order)");
	assert_non_null(strstr(f->results[2], "store 1 v2 reached search v2 (2 events in 1 reaction)"));
	/* Another writer first: a 412, read again, write again. */
	f->bump_before_patch = 1;
	f->patches = 0;
	assert_int_equal(play("edit 1 status=closed\nexpect store 1 status = closed\n",
			      &w, &o, &sum), DEMO_OK);
	assert_int_equal(f->patches, 2);
	assert_int_equal(f->last_if_match, 3);
	fake_free(f);
}

static void failure_stops_and_restores(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	f->refuse_field = 1;
	assert_int_equal(play("create owner=owner-1 name=a category=cafe\n"
			      "stop search\n"
			      "kill store\n"
			      "start store\n"
			      "edit 1 phone=123\n"
			      "caption never\n",
			      &w, &o, &sum), DEMO_FAILED);
	assert_int_equal(sum.failed_line, 5);
	assert_int_equal(sum.run, 5);
	assert_string_equal(f->results[4],
			    "store 1: HTTP 422: phone must look like 02-123-4567 (field phone, rule pattern)");
	/* Only search-svc is still down: only it is started again. */
	assert_int_equal(f->nnotes, 1);
	assert_non_null(strstr(f->notes[0], "clean-up: start search"));
	assert_true(f->search_up);
	assert_non_null(strstr(sum.reason, "edit 1 phone=123: store 1: HTTP 422"));
	fake_free(f);
}

/* A failed run clears the faults it injected and brings the broker up. */
static void failure_clears_faults(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	assert_int_equal(play("create owner=owner-1 name=치킨집 category=chicken area=mapo\n"
			      "wait propagated 1\n"
			      "expect list area=mapo&q=치킨 contains 1\n"
			      "stop ads\n"
			      "expect list area=mapo degraded ads\n"
			      "start ads\n"
			      "expect list area=mapo degraded none\n"
			      "expect breaker search closed\n"
			      "expect audit clean\n"
			      "fault api latency 100 errors 0.5\n"
			      "fault broker down\n"
			      "fault broker errors Produce TRANSPORT 2\n"
			      "expect list area=mapo degraded search within 0.3\n"
			      "caption never\n",
			      &w, &o, &sum), DEMO_FAILED);
	assert_int_equal(sum.failed_line, 13);
	assert_string_equal(f->results[2], "store 1 is shop 1 of 1 (degraded: none)");
	assert_string_equal(f->results[4], "0 shops, degraded: ads");
	assert_string_equal(f->results[7], "search's breaker is closed (opened 1 time)");
	assert_string_equal(f->results[8], "1 services converged on 1 stores");
	assert_string_equal(f->results[12], "0 shops, degraded: none, expected search");
	assert_int_equal(sum.expectations, 5);
	assert_int_equal(f->nnotes, 2);
	assert_non_null(strstr(f->notes[0], "clean-up: fault api clear: done"));
	assert_non_null(strstr(f->notes[1], "clean-up: fault broker up: done"));
	assert_false(f->api_fault);
	assert_false(f->broker_down);
	/* A breaker that is not as expected, and an audit with drift. */
	f->nsteps = 0;
	assert_int_equal(play("stop store\nexpect breaker search closed\n", &w, &o,
			      &sum), DEMO_FAILED);
	assert_string_equal(f->results[1], "search's breaker is open, expected closed");
	assert_true(f->store_up);
	f->nsteps = 0;
	f->s[1].version++;
	f->search_up = 0;
	assert_int_equal(play("expect audit clean\n", &w, &o, &sum), DEMO_FAILED);
	assert_string_equal(f->results[0], "drift: search not checked (not running)");
	fake_free(f);
}

static void expectations_fail(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	assert_int_equal(play("create owner=owner-1 name=치킨집 category=chicken\n"
			      "wait propagated 1\n"
			      "expect search 피자 contains 1\n",
			      &w, &o, &sum), DEMO_FAILED);
	assert_string_equal(f->results[2], "store 1 is not among the 0 results");
	f->nsteps = 0;
	assert_int_equal(play("expect search 치킨 lacks 1\n", &w, &o, &sum),
			 DEMO_FAILED);
	assert_string_equal(f->results[0], "store 1 is result 1 of 1");
	f->nsteps = 0;
	assert_int_equal(play("expect store 1 deleted\n", &w, &o, &sum),
			 DEMO_FAILED);
	f->nsteps = 0;
	assert_int_equal(play("expect store 1 name != 치킨집\n", &w, &o, &sum),
			 DEMO_FAILED);
	assert_string_equal(f->results[0],
			    "store 1 v1: name is \"치킨집\", expected anything but \"치킨집\"");
	f->nsteps = 0;
	assert_int_equal(play("edit 99 name=x\n", &w, &o, &sum), DEMO_FAILED);
	assert_string_equal(f->results[0], "reading store 99: HTTP 404: no store has id 99");
	fake_free(f);
}

static void waits_time_out(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_summary sum;

	(void)state;
	assert_int_equal(play("create owner=owner-1 name=a category=cafe\n"
			      "wait propagated 1\n"
			      "stop store\n"
			      "wait propagated 1 within 0.1\n"
			      "wait failed search 1 within 0.2\n",
			      &w, &o, &sum), DEMO_FAILED);
	/* store-svc down and nothing written since: v1 is known, reached. */
	assert_int_equal(f->outcomes[3], DEMO_OK);
	assert_int_equal(f->outcomes[4], DEMO_FAILED);
	assert_string_equal(f->results[4],
			    "search reported no failure for store 1 within 0.2 s (it handled it)");
	assert_true(f->store_up); /* brought back */
	fake_free(f);
}

static void check_refuses_what_cannot_run(void **state)
{
	struct demo_world w;
	struct demo_output o;
	struct fake *f = fake_new(&w, &o);
	struct demo_script s;
	const char *text = "caption remote\nstop search\nexpect search x contains 1\n";
	char err[1024];

	(void)state;
	w.control = NULL;
	w.search = NULL;
	assert_int_equal(demo_parse("t.demo", text, strlen(text), &s, err,
				    sizeof(err)), 0);
	assert_int_equal(demo_check(&s, &w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.demo:2: stop search: only the embedded stack"));
	assert_non_null(strstr(err, "t.demo:3: expect search: no search service"));
	assert_int_equal(f->controls, 0);
	demo_script_free(&s);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_scenario),
		cmocka_unit_test(edit_uses_if_match_and_retries),
		cmocka_unit_test(failure_stops_and_restores),
		cmocka_unit_test(failure_clears_faults),
		cmocka_unit_test(expectations_fail),
		cmocka_unit_test(waits_time_out),
		cmocka_unit_test(check_refuses_what_cannot_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
