/* The demo runner: the loop over the steps, its state, and clean-up. */
#include "cli/demo_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

/* Reactions are read in slices this long while waiting. */
#define DEMO_POLL_MS 50

enum demo_outcome demo_rt_result(struct demo_runner *r,
				 enum demo_outcome outcome, const char *fmt,
				 ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->result, sizeof(r->result), fmt, ap);
	va_end(ap);
	return outcome;
}

int demo_rt_cancelled(const struct demo_runner *r)
{
	return r->cancel != NULL && *r->cancel;
}

int demo_rt_sleep(struct demo_runner *r, double ms)
{
	double deadline = clock_mono_ms() + ms;
	char err[256];

	double left;

	/* Polls at least once, so a zero sleep still reads what came. */
	do {
		left = deadline - clock_mono_ms();
		if (demo_rt_cancelled(r)) {
			demo_rt_result(r, DEMO_CANCELLED, "interrupted");
			return -1;
		}
		if (r->w->poll(r->w->ctx, r->track,
			       left <= 0 ? 0 :
			       left < DEMO_POLL_MS ? (int)left + 1 : DEMO_POLL_MS,
			       err, sizeof(err))) {
			demo_rt_result(r, DEMO_FAILED, "reading store.reactions: %s",
				       err);
			return -1;
		}
	} while (clock_mono_ms() < deadline);
	return 0;
}

static int lookup_var(void *ctx, const char *name, int64_t *id)
{
	struct demo_runner *r = ctx;

	for (size_t i = 0; i < r->nvars; i++)
		if (strcmp(r->vars[i].name, name) == 0) {
			*id = r->vars[i].id;
			return 0;
		}
	return -1;
}

int demo_rt_store_id(struct demo_runner *r, const struct demo_ref *ref,
		     int64_t *id)
{
	if (ref->var[0] == '\0') {
		*id = ref->id;
		return 0;
	}
	if (lookup_var(r, ref->var, id) == 0)
		return 0;
	demo_rt_result(r, DEMO_FAILED, "$%s has no value (its 'create' did not run)",
		       ref->var);
	return -1;
}

char *demo_rt_expand(struct demo_runner *r, const char *text)
{
	char err[256];
	char *s = demo_expand(text, lookup_var, r, err, sizeof(err));

	if (s == NULL)
		demo_rt_result(r, DEMO_FAILED, "%s", err);
	return s;
}

int demo_rt_set_var(struct demo_runner *r, const char *name, int64_t id)
{
	for (size_t i = 0; i < r->nvars; i++)
		if (strcmp(r->vars[i].name, name) == 0) {
			r->vars[i].id = id;
			return 0;
		}
	if (r->nvars == r->varcap) {
		size_t cap = r->varcap ? r->varcap * 2 : 8;
		struct demo_var *v = realloc(r->vars, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		r->vars = v;
		r->varcap = cap;
	}
	snprintf(r->vars[r->nvars].name, sizeof(r->vars[r->nvars].name), "%s",
		 name);
	r->vars[r->nvars++].id = id;
	return 0;
}

struct demo_known *demo_rt_known(struct demo_runner *r, int64_t id)
{
	for (size_t i = 0; i < r->nknown; i++)
		if (r->known[i].id == id)
			return &r->known[i];
	if (r->nknown == r->knowncap) {
		size_t cap = r->knowncap ? r->knowncap * 2 : 16;
		struct demo_known *v = realloc(r->known, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		r->known = v;
		r->knowncap = cap;
	}
	memset(&r->known[r->nknown], 0, sizeof(r->known[0]));
	r->known[r->nknown].id = id;
	return &r->known[r->nknown++];
}

void demo_rt_open_window(struct demo_runner *r, int64_t id, int64_t since)
{
	struct demo_known *k = demo_rt_known(r, id);

	if (k != NULL && k->window)
		return;
	demo_track_open(r->track, id, since);
	if (k != NULL)
		k->window = 1;
}

void demo_rt_describe(const struct api_result *res, char *buf, size_t len)
{
	const char *field = json_string_value(json_object_get(res->body,
							      "field"));
	const char *rule = json_string_value(json_object_get(res->body, "rule"));

	if (res->status == 0)
		snprintf(buf, len, "no answer: %s", res->error);
	else if (field != NULL && rule != NULL)
		snprintf(buf, len, "HTTP %ld: %s (field %s, rule %s)",
			 res->status, res->error, field, rule);
	else
		snprintf(buf, len, "HTTP %ld: %s", res->status, res->error);
}

int demo_rt_read_store(struct demo_runner *r, int64_t id, int64_t *version,
		       int *deleted, json_t **store)
{
	struct api_result res = { 0 };
	char why[512];
	json_int_t v;

	if (store != NULL)
		*store = NULL;
	*deleted = 0;
	if (r->w->store_get(r->w->ctx, id, &res) != 0 ||
	    (res.status != 200 && res.status != 410)) {
		demo_rt_describe(&res, why, sizeof(why));
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "reading store %lld: %s",
				      (long long)id, why);
	}
	v = json_integer_value(json_object_get(res.body, "version"));
	*version = res.etag_version > 0 ? res.etag_version : (int64_t)v;
	*deleted = res.status == 410;
	if (store != NULL && res.status == 200) {
		*store = res.body;
		res.body = NULL;
	}
	api_result_clear(&res);
	return 0;
}

static enum demo_outcome run_step(struct demo_runner *r,
				  const struct demo_step *st)
{
	char msg[1024], err[1024];
	int rc;

	switch (st->kind) {
	case DEMO_CAPTION:
		return demo_rt_result(r, DEMO_OK, "%s", "");
	case DEMO_PAUSE:
		if (demo_rt_sleep(r, st->seconds * 1000))
			return demo_rt_cancelled(r) ? DEMO_CANCELLED : DEMO_FAILED;
		return demo_rt_result(r, DEMO_OK, "ok");
	case DEMO_EDIT:
		return demo_step_edit(r, st);
	case DEMO_CREATE:
		return demo_step_create(r, st);
	case DEMO_DELETE:
		return demo_step_delete(r, st);
	case DEMO_BURST:
		return demo_step_burst(r, st);
	case DEMO_WAIT_PROPAGATED:
		return demo_step_wait_propagated(r, st);
	case DEMO_WAIT_FAILED:
		return demo_step_wait_failed(r, st);
	case DEMO_STOP:
	case DEMO_START:
	case DEMO_KILL: {
		enum stackctl_op op = st->kind == DEMO_STOP ? STACKCTL_STOP :
				      st->kind == DEMO_START ? STACKCTL_START :
							       STACKCTL_KILL;

		rc = r->w->control(r->w->ctx, op, st->arg, msg, sizeof(msg),
				   err, sizeof(err));
		if (rc < 0)
			return demo_rt_result(r, DEMO_FAILED, "%s", err);
		/* Remember what to bring back if the run fails. */
		if (op == STACKCTL_START) {
			for (size_t i = 0; i < r->ndown; i++)
				if (strcmp(r->down[i], st->arg) == 0) {
					r->ndown--;
					memmove(r->down[i], r->down[i + 1],
						(r->ndown - i) * sizeof(r->down[0]));
					break;
				}
		} else if (r->ndown < DEMO_DOWN_MAX) {
			int have = 0;

			for (size_t i = 0; i < r->ndown; i++)
				have |= strcmp(r->down[i], st->arg) == 0;
			if (!have)
				snprintf(r->down[r->ndown++], sizeof(r->down[0]),
					 "%s", st->arg);
		}
		return demo_rt_result(r, DEMO_OK, "%s", msg);
	}
	case DEMO_EXPECT_SEARCH:
	case DEMO_SHOW_SEARCH:
		return demo_step_search(r, st);
	case DEMO_EXPECT_STORE:
		return demo_step_expect_store(r, st);
	case DEMO_SHOW_STORE:
		return demo_step_show_store(r, st);
	case DEMO_FAULT_API:
	case DEMO_FAULT_BROKER:
		return demo_step_fault(r, st);
	case DEMO_EXPECT_LIST:
		return demo_step_list(r, st);
	case DEMO_EXPECT_BREAKER:
		return demo_step_breaker(r, st);
	case DEMO_EXPECT_AUDIT:
		return demo_step_audit(r, st);
	}
	return demo_rt_result(r, DEMO_FAILED, "unknown step");
}

int demo_check(const struct demo_script *script, const struct demo_world *w,
	       char *err, size_t errlen)
{
	size_t used = 0;
	int bad = 0;

	if (errlen > 0)
		err[0] = '\0';
	for (size_t i = 0; i < script->n; i++) {
		const struct demo_step *st = &script->steps[i];
		char why[512] = "";
		int n;

		switch (st->kind) {
		case DEMO_STOP:
		case DEMO_START:
		case DEMO_KILL:
			if (w->control == NULL)
				snprintf(why, sizeof(why),
					 "%s %s: only the embedded stack (--state) can stop and start services, not remote endpoints",
					 demo_kind_name(st->kind), st->arg);
			else if (!w->has_service(w->ctx, st->arg))
				snprintf(why, sizeof(why), "%s %s: the stack has no %s service",
					 demo_kind_name(st->kind), st->arg,
					 st->arg);
			break;
		case DEMO_WAIT_FAILED:
			if (!w->has_service(w->ctx, st->arg))
				snprintf(why, sizeof(why), "wait failed %s: the stack has no %s service",
					 st->arg, st->arg);
			break;
		case DEMO_FAULT_API:
		case DEMO_FAULT_BROKER:
			if (w->fault == NULL)
				snprintf(why, sizeof(why),
					 "%s: only the embedded stack (--state) takes faults from a script",
					 demo_kind_name(st->kind));
			break;
		case DEMO_EXPECT_LIST:
			if (w->list == NULL)
				snprintf(why, sizeof(why), "expect list: no display service (run display-svc in the stack)");
			break;
		case DEMO_EXPECT_BREAKER:
			if (w->health == NULL)
				snprintf(why, sizeof(why), "expect breaker: only the embedded stack (--state) knows its services' /health");
			else if (!w->has_service(w->ctx, st->arg))
				snprintf(why, sizeof(why), "expect breaker %s: the stack has no %s service",
					 st->arg, st->arg);
			break;
		case DEMO_EXPECT_AUDIT:
			if (w->audit == NULL)
				snprintf(why, sizeof(why), "expect audit: only the embedded stack (--state) can be audited from a script");
			break;
		case DEMO_EXPECT_SEARCH:
		case DEMO_SHOW_SEARCH:
			if (w->search == NULL)
				snprintf(why, sizeof(why), "%s: no search service (run search-svc in the stack, or give --search-api)",
					 demo_kind_name(st->kind));
			break;
		default:
			break;
		}
		if (why[0] == '\0')
			continue;
		bad = 1;
		if (used + 1 >= errlen)
			continue;
		n = snprintf(err + used, errlen - used, "%s%s:%d: %s",
			     used ? "\n" : "", script->name, st->line, why);
		used = n < 0 || (size_t)n >= errlen - used ? errlen - 1 :
							     used + (size_t)n;
	}
	return bad ? -1 : 0;
}

/* Says what clean-up did, as a note of the transcript. */
static void note(struct demo_runner *r, const char *what, int rc,
		 const char *msg, const char *err)
{
	char line[1200];

	snprintf(line, sizeof(line), "clean-up: %s: %s", what,
		 rc < 0 ? err : msg);
	if (r->out->note != NULL)
		r->out->note(r->out->ctx, clock_mono_ms() - r->t0, line);
}

/*
 * Brings back what this run took down, after a failure: the faults it
 * injected, then the services it stopped.
 */
static void restore(struct demo_runner *r)
{
	char msg[1024], err[1024];

	if (r->w->fault != NULL && r->api_fault) {
		struct demo_step clear = { .kind = DEMO_FAULT_API, .clear = 1 };

		note(r, "fault api clear",
		     r->w->fault(r->w->ctx, &clear, msg, sizeof(msg), err,
				 sizeof(err)),
		     msg, err);
		r->api_fault = 0;
	}
	if (r->w->fault != NULL && r->broker_down) {
		struct demo_step up = { .kind = DEMO_FAULT_BROKER,
					.arg = (char *)"up" };

		note(r, "fault broker up",
		     r->w->fault(r->w->ctx, &up, msg, sizeof(msg), err,
				 sizeof(err)),
		     msg, err);
		r->broker_down = 0;
	}
	while (r->w->control != NULL && r->ndown > 0) {
		char name[32], what[64];
		int rc;

		snprintf(name, sizeof(name), "%s", r->down[--r->ndown]);
		rc = r->w->control(r->w->ctx, STACKCTL_START, name, msg,
				   sizeof(msg), err, sizeof(err));
		snprintf(what, sizeof(what), "start %s", name);
		note(r, what, rc, msg, err);
	}
}

enum demo_outcome demo_run(const struct demo_script *script,
			   const struct demo_world *w,
			   const struct demo_output *out,
			   volatile sig_atomic_t *cancel,
			   struct demo_summary *sum)
{
	struct demo_runner r;
	enum demo_outcome outcome = DEMO_OK;

	memset(sum, 0, sizeof(*sum));
	memset(&r, 0, sizeof(r));
	r.script = script;
	r.w = w;
	r.out = out;
	r.cancel = cancel;
	r.track = demo_track_new();
	r.t0 = clock_mono_ms();
	sum->script = script->name;
	sum->steps = script->n;
	if (r.track == NULL) {
		snprintf(sum->reason, sizeof(sum->reason), "out of memory");
		sum->outcome = DEMO_FAILED;
		return DEMO_FAILED;
	}
	if (out->begin != NULL)
		out->begin(out->ctx, script, w->where);
	/* What the services said before the run counts as well. */
	if (demo_rt_sleep(&r, 0) != 0 && !demo_rt_cancelled(&r))
		outcome = DEMO_FAILED;
	for (size_t i = 0; i < script->n && outcome == DEMO_OK; i++) {
		const struct demo_step *st = &script->steps[i];
		const char *shown = st->kind == DEMO_CAPTION ? st->arg : st->text;
		char *text = demo_rt_expand(&r, shown);
		double at = clock_mono_ms() - r.t0;

		if (demo_rt_cancelled(&r)) {
			free(text);
			demo_rt_result(&r, DEMO_CANCELLED, "interrupted");
			outcome = DEMO_CANCELLED;
			sum->failed_line = st->line;
			break;
		}
		if (text == NULL)
			text = strdup(shown);
		if (out->step_begin != NULL)
			out->step_begin(out->ctx, st, text ? text : "", at);
		r.result[0] = '\0';
		outcome = run_step(&r, st);
		if (outcome == DEMO_FAILED && demo_rt_cancelled(&r))
			outcome = DEMO_CANCELLED;
		sum->run++;
		if (outcome == DEMO_OK && (st->kind == DEMO_EXPECT_SEARCH ||
					   st->kind == DEMO_EXPECT_STORE ||
					   st->kind == DEMO_EXPECT_LIST ||
					   st->kind == DEMO_EXPECT_BREAKER ||
					   st->kind == DEMO_EXPECT_AUDIT))
			r.expectations++;
		if (out->step_end != NULL)
			out->step_end(out->ctx, st, text ? text : "", at,
				      clock_mono_ms() - r.t0 - at, outcome,
				      r.result);
		if (outcome == DEMO_OK && st->kind == DEMO_CAPTION &&
		    out->caption_hold != NULL)
			out->caption_hold(out->ctx, text ? text : "");
		if (outcome != DEMO_OK) {
			sum->failed_line = st->line;
			snprintf(sum->reason, sizeof(sum->reason), "%.500s: %.1000s",
				 text ? text : "", r.result);
		}
		free(text);
	}
	if (outcome == DEMO_FAILED && sum->reason[0] == '\0')
		snprintf(sum->reason, sizeof(sum->reason), "%.1000s", r.result);
	if (outcome != DEMO_OK)
		restore(&r);
	sum->expectations = r.expectations;
	sum->outcome = outcome;
	sum->elapsed_ms = clock_mono_ms() - r.t0;
	if (out->end != NULL)
		out->end(out->ctx, sum);
	demo_track_free(r.track);
	free(r.vars);
	free(r.known);
	return outcome;
}
