/*
 * display-svc: the customer-facing read model (DESIGN.md, CQRS). It keeps
 * one finished JSON document per store, fed by the consumer runtime from
 * store.events and by its own consumer of review.events, serves a store
 * page as one key lookup, and answers the store list by fanning out to
 * ads, search and favorites and joining their ids with its documents.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/httpd.h"
#include "common/log.h"
#include "common/opts.h"
#include "consumer/consumer.h"
#include "display-svc/display_config.h"
#include "display-svc/display_db.h"
#include "display-svc/display_http.h"
#include "display-svc/review_consumer.h"

/* Each list query holds its server thread for up to the fan-out timeout,
 * so more threads than the default keep store pages quick meanwhile. */
#define HTTP_THREADS 16

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t consumer_died;

static void *consumer_thread(void *arg)
{
	consumer_run(arg, &stopping);
	if (!stopping) {
		/* Only a fatal Kafka error ends the loop early: stop the
		 * whole service so that a supervisor restarts it. */
		consumer_died = 1;
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

static void *reviews_thread(void *arg)
{
	display_reviews_run(arg, &stopping);
	if (!stopping) {
		consumer_died = 1;
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct display_config cfg;
	struct svc_usage usage = {
		.program = "display-svc",
		.summary = "The customer-facing read model: one document per store, "
			   "kept in step with store.events and review.events, and "
			   "the store list joined from ads, search and favorites.",
		.db_default = "display.db",
		.downstream = 1,
		.extra = display_config_options,
		.extra_help = display_config_help,
		.on_extra = display_config_option,
		.ctx = &cfg,
	};
	struct svc_opts opts;
	struct display_svc svc = { 0 };
	struct httpd *httpd = NULL;
	struct consumer *consumer = NULL;
	struct display_reviews *reviews = NULL;
	struct replica_port port;
	struct display_review_port review_port;
	pthread_t thread, review_thread;
	int started = 0, review_started = 0;
	sigset_t sigs;
	char err[512];
	int rc, sig, status = 1;

	if (display_config_init(&cfg, usage.program)) {
		display_config_free(&cfg);
		return 2;
	}
	rc = svc_opts_parse(&opts, &usage, argc, argv);
	if (rc != 0) {
		svc_opts_free(&opts);
		display_config_free(&cfg);
		return rc > 0 ? 0 : 2;
	}
	log_init("display-svc");
	/* Once, before any thread: libcurl's global state. */
	curl_global_init(CURL_GLOBAL_DEFAULT);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	svc.db = display_db_open(opts.db, err, sizeof(err));
	if (svc.db == NULL) {
		log_error("database %s", err);
		goto out;
	}
	svc.stats = display_stats_new();
	if (svc.stats == NULL) {
		log_error("out of memory");
		goto out;
	}
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		svc.dep_url[d] = cfg.dep_url[d];
	svc.fanout_timeout_ms = cfg.fanout_timeout_ms;
	svc.reviews_enabled = cfg.reviews_url != NULL;
	httpd = httpd_start(opts.listen, display_http_routes,
			    &(struct httpd_limits){ .threads = HTTP_THREADS },
			    &svc, err, sizeof(err));
	if (httpd == NULL) {
		log_error("%s", err);
		goto out;
	}

	display_db_port(svc.db, &port);
	consumer = consumer_new(&(struct consumer_config){
					.service = "display",
					.brokers = opts.brokers,
					.props = &opts.props,
					.store_api = opts.store_api,
					.token = opts.token,
					.batch_max = cfg.batch_max,
				},
				&port, err, sizeof(err));
	if (consumer == NULL) {
		log_error("consumer: %s", err);
		goto out;
	}
	atomic_store(&svc.consumer, consumer);
	if (cfg.reviews_url != NULL) {
		display_db_review_port(svc.db, &review_port);
		reviews = display_reviews_new(
			&(struct display_reviews_config){
				.brokers = opts.brokers,
				.props = &opts.props,
				.reviews_api = cfg.reviews_url,
				.batch_max = cfg.batch_max,
			},
			&review_port, svc.stats, err, sizeof(err));
		if (reviews == NULL) {
			log_error("reviews consumer: %s", err);
			goto out;
		}
	} else {
		log_warn("no --reviews-api: review.events is not consumed, "
			 "documents keep an empty review summary");
	}
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		if (svc.dep_url[d] == NULL)
			log_warn("no --%s-api: list queries that need it answer "
				 "with it degraded", display_dep_name(d));

	rc = pthread_create(&thread, NULL, consumer_thread, consumer);
	if (rc != 0) {
		log_error("cannot start the consumer thread: %s", strerror(rc));
		goto out;
	}
	started = 1;
	if (reviews != NULL) {
		rc = pthread_create(&review_thread, NULL, reviews_thread, reviews);
		if (rc != 0) {
			log_error("cannot start the review consumer thread: %s",
				  strerror(rc));
			stopping = 1;
			goto out;
		}
		review_started = 1;
	}
	{
		const char *colon = strrchr(opts.listen, ':');
		int hostlen = colon ? (int)(colon - opts.listen) : 0;

		log_info("listening on http://%.*s:%u", hostlen, opts.listen,
			 httpd_port(httpd));
	}

	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("stopping (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
	status = consumer_died ? 1 : 0;
out:
	stopping = 1;
	if (started)
		pthread_join(thread, NULL);
	if (review_started)
		pthread_join(review_thread, NULL);
	/* HTTP first: no request may still read the database. */
	httpd_stop(httpd);
	consumer_free(consumer);
	display_reviews_free(reviews);
	display_db_close(svc.db);
	display_stats_free(svc.stats);
	svc_opts_free(&opts);
	display_config_free(&cfg);
	curl_global_cleanup();
	return status;
}
