#include "cli/demo_world.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/component.h"
#include "cli/demo_tail.h"
#include "cli/faults.h"
#include "cli/reconcile.h"
#include "cli/spawn.h"
#include "cli/stack.h"

#define WORLD_HTTP_TIMEOUT_MS 5000
#define WORLD_SEARCH_LIMIT 100

struct world {
	struct demo_world port;  /* first: the port is the world */
	int embedded;
	char *state;
	char *token;
	volatile sig_atomic_t *cancel;
	FILE *diag;
	struct stack_info info;  /* embedded: stack.json as last read */
	char store_url[STACK_ADDR_MAX];
	char search_url[STACK_ADDR_MAX];
	struct api_client *store;
	struct api_client *search;
	struct demo_tail *tail;
	char where[PATH_MAX + 64];
};

/* (Re)creates *client for url when it changed; url "" drops it. */
static void point_client(struct api_client **client, char *have,
			 const char *url, const char *token)
{
	if (*client != NULL && strcmp(have, url) == 0)
		return;
	api_client_free(*client);
	*client = NULL;
	snprintf(have, STACK_ADDR_MAX, "%s", url);
	if (url[0] != '\0')
		*client = api_client_new(url, token, WORLD_HTTP_TIMEOUT_MS);
}

/*
 * Reads stack.json again and points the clients at the addresses it
 * gives. Returns 0, or -1 with err when no stack runs there any more.
 */
static int world_reload(struct world *w, char *err, size_t errlen)
{
	const char *url;
	int st;

	st = stack_load(w->state, &w->info, err, errlen);
	if (st < 0)
		return -1;
	if (st != STACK_RUNNING && st != STACK_PARTIAL) {
		stack_state_reason(st, w->state, err, errlen);
		return -1;
	}
	url = stackfile_service(&w->info, "store");
	point_client(&w->store, w->store_url, url ? url : "", w->token);
	url = stackfile_service(&w->info, "search");
	point_client(&w->search, w->search_url, url ? url : "", w->token);
	return 0;
}

/*
 * After a call that got no answer: when stack.json moved the service, the
 * call is worth one more try. Returns 1 when the client changed.
 */
static int moved(struct world *w, struct api_client **client)
{
	struct api_client *before = *client;
	char err[256];

	if (!w->embedded || world_reload(w, err, sizeof(err)))
		return 0;
	return *client != before;
}

/* One store API or search call, so that every kind goes through call(). */
struct world_call {
	enum { CALL_GET, CALL_CREATE, CALL_PATCH, CALL_DELETE, CALL_SEARCH } op;
	int64_t id;
	const json_t *doc;
	int64_t version;
	const char *path;
};

static int call_once(struct api_client *c, const struct world_call *call,
		     struct api_result *res)
{
	switch (call->op) {
	case CALL_GET:
		return api_store_get(c, call->id, res);
	case CALL_CREATE:
		return api_store_create(c, call->doc, res);
	case CALL_PATCH:
		return api_store_patch(c, call->id, call->doc, call->version,
				       res);
	case CALL_DELETE:
		return api_store_delete(c, call->id, call->version, res);
	default:
		return api_request(c, "GET", call->path, NULL, 0, res);
	}
}

/*
 * Makes call on *client; when no answer came and stack.json says the
 * service moved meanwhile, once more on its new address.
 */
static int call(struct world *w, struct api_client **client,
		const struct world_call *c, struct api_result *res)
{
	int rc = -1;

	memset(res, 0, sizeof(*res));
	for (int attempt = 0; attempt < 2; attempt++) {
		if (*client == NULL) {
			snprintf(res->error, sizeof(res->error),
				 "the service is not part of the stack");
			return -1;
		}
		rc = call_once(*client, c, res);
		if (rc == 0 || !moved(w, client))
			break;
		api_result_clear(res);
	}
	return rc;
}

static int w_store_get(void *ctx, int64_t id, struct api_result *res)
{
	struct world *w = ctx;
	struct world_call c = { .op = CALL_GET, .id = id };

	return call(w, &w->store, &c, res);
}

static int w_store_create(void *ctx, const json_t *doc,
			  struct api_result *res)
{
	struct world *w = ctx;
	struct world_call c = { .op = CALL_CREATE, .doc = doc };

	return call(w, &w->store, &c, res);
}

static int w_store_patch(void *ctx, int64_t id, const json_t *patch,
			 int64_t if_version, struct api_result *res)
{
	struct world *w = ctx;
	struct world_call c = { .op = CALL_PATCH, .id = id, .doc = patch,
				.version = if_version };

	return call(w, &w->store, &c, res);
}

static int w_store_delete(void *ctx, int64_t id, int64_t if_version,
			  struct api_result *res)
{
	struct world *w = ctx;
	struct world_call c = { .op = CALL_DELETE, .id = id,
				.version = if_version };

	return call(w, &w->store, &c, res);
}

/* Percent-encodes s into a new string (the caller frees), or NULL. */
static char *url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1);
	char *o = out;

	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static int w_search(void *ctx, const char *query, struct api_result *res)
{
	struct world *w = ctx;
	char *q = url_encode(query);
	char *path;
	size_t n;
	int rc;

	memset(res, 0, sizeof(*res));
	if (q == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	n = strlen(q) + 64;
	path = malloc(n);
	if (path == NULL) {
		free(q);
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	snprintf(path, n, "/search?q=%s&limit=%d", q, WORLD_SEARCH_LIMIT);
	{
		struct world_call c = { .op = CALL_SEARCH, .path = path };

		rc = call(w, &w->search, &c, res);
	}
	free(path);
	free(q);
	return rc;
}

static int w_running(void *ctx, char (*names)[32], size_t max, char *err,
		     size_t errlen)
{
	struct world *w = ctx;
	size_t n = 0;

	if (!w->embedded) {
		/* Remote: the services given are taken to run. */
		if (w->search_url[0] != '\0' && max > 0)
			snprintf(names[n++], 32, "%s", "search");
		return (int)n;
	}
	if (world_reload(w, err, errlen))
		return -1;
	for (size_t i = 0; i < w->info.n && n < max; i++) {
		const struct stack_proc *p = &w->info.procs[i];
		const struct component *c = component_find(p->name);

		if (c != NULL && c->downstream && spawn_alive(p->pid, p->program))
			snprintf(names[n++], 32, "%s", p->name);
	}
	return (int)n;
}

static int w_has_service(void *ctx, const char *name)
{
	struct world *w = ctx;

	if (!w->embedded)
		return strcmp(name, "search") == 0 && w->search_url[0] != '\0';
	for (size_t i = 0; i < w->info.n; i++)
		if (strcmp(w->info.procs[i].name, name) == 0)
			return 1;
	return 0;
}

static int w_control(void *ctx, enum stackctl_op op, const char *name,
		     char *msg, size_t msglen, char *err, size_t errlen)
{
	struct world *w = ctx;
	char ignored[256];
	int rc;

	rc = stackctl_apply(w->state, op, name, NULL, w->cancel, w->diag,
			    msg, msglen, err, errlen);
	/* A service started again may listen somewhere new. */
	world_reload(w, ignored, sizeof(ignored));
	return rc < 0 ? -1 : rc;
}

/* A one-off GET of path on the service called name (no token). */
static int service_get(struct world *w, const char *name, const char *path,
		       struct api_result *res)
{
	const char *url;
	struct api_client *c;
	char err[256];
	int rc;

	memset(res, 0, sizeof(*res));
	if (world_reload(w, err, sizeof(err))) {
		snprintf(res->error, sizeof(res->error), "%s", err);
		return -1;
	}
	url = stackfile_service(&w->info, name);
	if (url == NULL) {
		snprintf(res->error, sizeof(res->error),
			 "the stack has no %s service", name);
		return -1;
	}
	c = api_client_new(url, NULL, WORLD_HTTP_TIMEOUT_MS);
	if (c == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	rc = api_request(c, "GET", path, NULL, 0, res);
	api_client_free(c);
	return rc;
}

/* "area=강남&q=a b" with each value percent-encoded, into a new string. */
static char *encode_query(const char *query)
{
	size_t cap = strlen(query) * 3 + 1, used = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	for (const char *s = query; *s != '\0';) {
		size_t n = strcspn(s, "&");
		const char *eq = memchr(s, '=', n);
		size_t klen = eq ? (size_t)(eq - s) + 1 : n;
		char *value = eq ? strndup(eq + 1, n - klen) : NULL;
		char *enc = value ? url_encode(value) : NULL;

		memcpy(out + used, s, klen);
		used += klen;
		if (enc != NULL) {
			memcpy(out + used, enc, strlen(enc));
			used += strlen(enc);
		}
		free(value);
		free(enc);
		s += n;
		if (*s == '&')
			out[used++] = *s++;
	}
	out[used] = '\0';
	return out;
}

static int w_list(void *ctx, const char *query, struct api_result *res)
{
	struct world *w = ctx;
	char *q = encode_query(query);
	char *path = q ? malloc(strlen(q) + 16) : NULL;
	int rc;

	if (path == NULL) {
		free(q);
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	sprintf(path, "/shops?%s", q);
	rc = service_get(w, "display", path, res);
	free(path);
	free(q);
	return rc;
}

static int w_health(void *ctx, const char *name, struct api_result *res)
{
	return service_get(ctx, name, "/health", res);
}

static int w_audit(void *ctx, struct audit_report *out, char *err,
		   size_t errlen)
{
	struct world *w = ctx;
	struct audit_config cfg;

	if (world_reload(w, err, errlen))
		return -1;
	reconcile_config(&w->info, w->token, &cfg);
	return audit_run(&cfg, out, err, errlen);
}

static int w_fault(void *ctx, const struct demo_step *st, char *msg,
		   size_t msglen, char *err, size_t errlen)
{
	struct world *w = ctx;
	struct faults_api f;
	char line[512];
	const char *control;

	if (world_reload(w, err, errlen))
		return -1;
	control = w->info.broker_control[0] ? w->info.broker_control : NULL;
	if (st->kind == DEMO_FAULT_API) {
		const char *store = stackfile_service(&w->info, "store");
		int rc = st->clear ?
			faults_api_clear(store, w->token, &f, err, errlen) :
			faults_api_set(store, w->token, st->count, st->rate,
				       st->seconds, st->arg, &f, err, errlen);

		if (rc)
			return -1;
		faults_api_describe(&f, line, sizeof(line));
		snprintf(msg, msglen, "store API faults: %s", line);
		return 0;
	}
	if (control == NULL) {
		snprintf(err, errlen, "the stack's broker has no control API (restart the stack)");
		return -1;
	}
	if (strcmp(st->arg, "errors") == 0) {
		if (faults_broker_errors(control, st->value, st->code, st->count,
					 err, errlen))
			return -1;
		snprintf(msg, msglen, "the next %ld %s request(s) fail with %s",
			 st->count, st->value, st->code);
		return 0;
	}
	if (faults_broker_set(control, st->arg[0] == 'd', err, errlen))
		return -1;
	snprintf(msg, msglen, "%s", st->arg[0] == 'd' ?
		 "broker down: connections dropped and refused, the log kept" :
		 "broker up");
	return 0;
}

static int w_poll(void *ctx, struct demo_track *track, int wait_ms, char *err,
		  size_t errlen)
{
	struct world *w = ctx;

	return demo_tail_poll(w->tail, track, wait_ms, err, errlen);
}

struct demo_world *demo_world_open(const struct demo_world_config *cfg,
				   char *err, size_t errlen)
{
	struct world *w = calloc(1, sizeof(*w));
	struct kafka_props props;
	const char *brokers;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->embedded = cfg->state != NULL;
	w->cancel = cfg->cancel;
	w->diag = cfg->diag;
	w->state = cfg->state ? strdup(cfg->state) : NULL;
	w->token = cfg->token ? strdup(cfg->token) : NULL;
	if ((cfg->state && w->state == NULL) || (cfg->token && w->token == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (w->embedded) {
		if (world_reload(w, err, errlen))
			goto fail;
		if (w->store == NULL) {
			snprintf(err, errlen, "the stack in %s has no store service running",
				 cfg->state);
			goto fail;
		}
		brokers = w->info.broker;
		snprintf(w->where, sizeof(w->where), "the stack in %s",
			 w->info.state);
	} else {
		if (cfg->store_api == NULL || cfg->brokers == NULL) {
			snprintf(err, errlen, "give --store-api and --brokers (and --search-api), or run it on the stack in --state");
			goto fail;
		}
		point_client(&w->store, w->store_url, cfg->store_api, w->token);
		if (cfg->search_api != NULL)
			point_client(&w->search, w->search_url, cfg->search_api,
				     w->token);
		brokers = cfg->brokers;
		snprintf(w->where, sizeof(w->where), "%s", cfg->store_api);
	}
	if (w->store == NULL || (cfg->search_api && !w->embedded &&
				 w->search == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	{
		static const struct kafka_props none;

		if (stack_console_props(&props, w->embedded,
					cfg->props ? cfg->props : &none, err,
					errlen))
			goto fail;
	}
	w->tail = demo_tail_new(brokers, &props, err, errlen);
	kafka_props_free(&props);
	if (w->tail == NULL)
		goto fail;

	w->port.ctx = w;
	w->port.store_get = w_store_get;
	w->port.store_create = w_store_create;
	w->port.store_patch = w_store_patch;
	w->port.store_delete = w_store_delete;
	w->port.search = (w->embedded ? w_has_service(w, "search") :
					w->search != NULL) ? w_search : NULL;
	w->port.running = w_running;
	w->port.has_service = w_has_service;
	w->port.control = w->embedded ? w_control : NULL;
	w->port.poll = w_poll;
	/* The operations steps need the stack's addresses and its control. */
	w->port.list = w->embedded && w_has_service(w, "display") ? w_list : NULL;
	w->port.health = w->embedded ? w_health : NULL;
	w->port.audit = w->embedded ? w_audit : NULL;
	w->port.fault = w->embedded ? w_fault : NULL;
	w->port.where = w->where;
	return &w->port;
fail:
	demo_world_close(&w->port);
	return NULL;
}

void demo_world_close(struct demo_world *port)
{
	struct world *w = (struct world *)port;

	if (w == NULL)
		return;
	demo_tail_free(w->tail);
	api_client_free(w->store);
	api_client_free(w->search);
	free(w->state);
	if (w->token != NULL) {
		memset(w->token, 0, strlen(w->token));
		free(w->token);
	}
	free(w);
}
