#ifndef STORECTL_CONSOLE_H
#define STORECTL_CONSOLE_H

#include "common/kafka.h"
#include "tui/control.h"

struct tui_caption;

/*
 * Where the console finds the stack it drives. Every URL but store_api may
 * be NULL: the screens that need a missing service say so. The strings
 * stay the caller's and must outlive console_run.
 */
struct console_config {
	const char *store_api;  /* base URL of store-svc, required */
	const char *search_api; /* base URL of search-svc, may be NULL */
	const char *brokers;    /* Kafka bootstrap servers, required */
	const struct kafka_props *props; /* -X pass-through, may be NULL */
	const char *token;      /* bearer token, may be NULL; never shown */
	const char *ads_api;       /* ads-svc, may be NULL */
	const char *favorites_api; /* favorites-svc, may be NULL */
	const char *reviews_api;   /* reviews-svc, may be NULL */
	const char *display_api;   /* display-svc (Query screen), may be NULL */
	/* The embedded stack's service and fault controls (the Services
	 * screen's keys); NULL when the console does not run on one. */
	const struct console_control *control;
	/* A caption box above the status line, fed by another thread
	 * (tui/caption.h: the demo); NULL for none. */
	struct tui_caption *caption;
	/* The screen to open on, by its ':' name ("stream"); NULL: Stores. */
	const char *start_screen;
};

/*
 * Runs the console until the user quits. Restores the terminal on every
 * exit path (quit, Ctrl-C, SIGTERM, fatal signals). Returns the process exit
 * status: 0 after a normal quit.
 */
int console_run(const struct console_config *cfg);

#endif
