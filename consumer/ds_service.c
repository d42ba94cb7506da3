#include "consumer/ds_service.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

/* What every handler gets as its server's ctx. */
struct ds_ctx {
	void *state;
	const struct svc_opts *opts;
	_Atomic(struct consumer *) consumer;
};

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t consumer_died;

void *ds_state(struct http_req *req)
{
	return ((struct ds_ctx *)req->ctx)->state;
}

struct consumer *ds_consumer(struct http_req *req)
{
	return atomic_load(&((struct ds_ctx *)req->ctx)->consumer);
}

const struct svc_opts *ds_opts(struct http_req *req)
{
	return ((struct ds_ctx *)req->ctx)->opts;
}

static void *consumer_thread(void *arg)
{
	struct consumer *c = arg;

	consumer_run(c, &stopping);
	if (!stopping) {
		/* Only a fatal Kafka error ends the loop early: stop the
		 * whole service so that a supervisor restarts it. */
		consumer_died = 1;
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

/* "listening on http://HOST:PORT" with the port actually bound. */
static void log_ready(const char *listen, const struct httpd *httpd)
{
	const char *colon = strrchr(listen, ':');
	int hostlen = colon ? (int)(colon - listen) : 0;

	log_info("listening on http://%.*s:%u", hostlen, listen,
		 httpd_port(httpd));
}

int ds_main(const struct ds_app *app, int argc, char **argv)
{
	struct svc_usage usage = app->usage;
	struct svc_opts opts;
	struct ds_ctx ctx = { 0 };
	struct httpd *httpd = NULL;
	struct consumer *consumer = NULL;
	struct replica_port port;
	pthread_t thread;
	sigset_t sigs;
	char err[512];
	int rc, sig, status = 1, started = 0, thread_up = 0;

	usage.downstream = 1;
	rc = svc_opts_parse(&opts, &usage, argc, argv);
	if (rc != 0) {
		svc_opts_free(&opts);
		return rc > 0 ? 0 : 2;
	}
	log_init(usage.program);

	/* Every thread started from here on inherits the blocked signals;
	 * only sigwait below takes them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	ctx.opts = &opts;
	atomic_init(&ctx.consumer, NULL);
	ctx.state = app->open(&opts, err, sizeof(err));
	if (ctx.state == NULL) {
		log_error("%s", err);
		goto out;
	}
	/* HTTP before Kafka: a port already taken fails at once, and
	 * /health answers while the consumer starts. */
	httpd = httpd_start(opts.listen, app->routes, NULL, &ctx, err,
			    sizeof(err));
	if (httpd == NULL) {
		log_error("%s", err);
		goto out;
	}
	if (app->start != NULL) {
		if (app->start(ctx.state, &opts, err, sizeof(err))) {
			log_error("%s", err);
			goto out;
		}
		started = 1;
	}
	app->port(ctx.state, &port);
	consumer = consumer_new(&(struct consumer_config){
					.service = app->service,
					.brokers = opts.brokers,
					.props = &opts.props,
					.store_api = opts.store_api,
					.token = opts.token,
					.batch_max = 500,
				},
				&port, err, sizeof(err));
	if (consumer == NULL) {
		log_error("consumer: %s", err);
		goto out;
	}
	atomic_store(&ctx.consumer, consumer);
	rc = pthread_create(&thread, NULL, consumer_thread, consumer);
	if (rc != 0) {
		log_error("cannot start the consumer thread: %s", strerror(rc));
		goto out;
	}
	thread_up = 1;
	log_ready(opts.listen, httpd);

	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("stopping (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
	stopping = 1;
	pthread_join(thread, NULL);
	thread_up = 0;
	status = consumer_died ? 1 : 0;
out:
	if (thread_up) {
		stopping = 1;
		pthread_join(thread, NULL);
	}
	/* HTTP first: no request may still use the consumer or the state. */
	httpd_stop(httpd);
	if (started && app->stop != NULL)
		app->stop(ctx.state);
	consumer_free(consumer);
	if (ctx.state != NULL)
		app->close(ctx.state);
	svc_opts_free(&opts);
	return status;
}
