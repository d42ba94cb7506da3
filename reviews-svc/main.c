/*
 * reviews-svc: reviews of stores and their summaries. It owns the reviews,
 * keeps a copy of which stores exist (and their names), fed by the
 * consumer runtime from store.events, refuses reviews of unknown or
 * deleted stores, and publishes its own zero-payload review.events through
 * a transactional outbox. Writing needs a bearer token (--tokens).
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/auth_opts.h"
#include "consumer/ds_service.h"
#include "outbox/outbox.h"
#include "reviews-svc/reviews_db.h"
#include "reviews-svc/reviews_http.h"

/* How long stopping waits for review.events in flight; the rest stay in
 * the outbox for the next start. */
#define FLUSH_MS 3000
#define PROGRAM "reviews-svc"

/* --tokens and --insecure-open, read before the state opens. */
static struct auth_opts auth_flags;

static const struct option extra_options[] = {
	AUTH_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int on_extra(int opt, const char *arg, void *ctx)
{
	return auth_opts_set(ctx, opt, arg, PROGRAM);
}

static void *reviews_open(const struct svc_opts *opts, char *err,
			  size_t errlen)
{
	struct reviews_svc *svc = calloc(1, sizeof(*svc));

	if (svc == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	atomic_init(&svc->relay, NULL);
	svc->auth = auth_load(&auth_flags, err, errlen);
	if (svc->auth != NULL)
		svc->db = reviews_db_open(opts->db, err, errlen);
	if (svc->db == NULL) {
		auth_free(svc->auth);
		free(svc);
		return NULL;
	}
	return svc;
}

static int reviews_start(void *state, const struct svc_opts *opts, char *err,
			 size_t errlen)
{
	struct reviews_svc *svc = state;
	struct outbox_relay *relay = outbox_relay_start(
		&(struct outbox_relay_config){
			.db_path = opts->db,
			.brokers = opts->brokers,
			.props = &opts->props,
			.client_id = "reviews-svc",
		},
		err, errlen);

	if (relay == NULL)
		return -1;
	atomic_store(&svc->relay, relay);
	return 0;
}

static void reviews_stop(void *state)
{
	struct reviews_svc *svc = state;

	outbox_relay_stop(atomic_exchange(&svc->relay, NULL), FLUSH_MS);
}

static void reviews_port(void *state, struct replica_port *port)
{
	reviews_db_port(((struct reviews_svc *)state)->db, port);
}

static void reviews_close(void *state)
{
	struct reviews_svc *svc = state;

	reviews_db_close(svc->db);
	auth_free(svc->auth);
	free(svc);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = PROGRAM,
			.summary = "Reviews of stores and their summaries; refuses "
				   "reviews of unknown or deleted stores and "
				   "publishes review.events.",
			.db_default = "reviews.db",
			.extra = extra_options,
			.extra_help = auth_opts_help,
			.on_extra = on_extra,
			.ctx = &auth_flags,
		},
		.service = "reviews",
		.routes = reviews_http_routes,
		.open = reviews_open,
		.start = reviews_start,
		.stop = reviews_stop,
		.port = reviews_port,
		.close = reviews_close,
	};

	auth_opts_env(&auth_flags);
	return ds_main(&app, argc, argv);
}
