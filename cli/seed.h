#ifndef STORECTL_SEED_H
#define STORECTL_SEED_H

#include <signal.h>
#include <stddef.h>

/*
 * Demo data for a fresh embedded stack: a dozen stores with Korean names,
 * three owners, the categories and phones of a real delivery app, created
 * through the store API like any client would, so each one also flows
 * through Kafka to the downstream services.
 */

/*
 * Creates the demo stores on the store-svc at store_url (token may be
 * NULL). Stores whose name already exists there are skipped, so a seeding
 * that was interrupted can simply run again. Stops early when *cancel
 * becomes non-zero. Returns how many stores it created, or -1 with the
 * reason in err.
 */
int seed_demo_stores(const char *store_url, const char *token,
		     volatile sig_atomic_t *cancel, char *err, size_t errlen);

#endif
