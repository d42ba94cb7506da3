#ifndef STORECTL_STACK_H
#define STORECTL_STACK_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/stackfile.h"

/*
 * The embedded stack: storectl-broker, store-svc and the downstream
 * services as child processes on 127.0.0.1, with their state (databases,
 * logs, stack.json) in one directory (cli/statedir.h).
 */

/* librdkafka properties every client of the embedded broker needs
 * (KAFKA-NOTES.md); the user's -X come after them and win. */
#define STACK_EMBEDDED_X "fetch.wait.max.ms=5,session.timeout.ms=6000"

/* How long each process gets to say it is ready, and to stop. */
#define STACK_READY_TIMEOUT_MS 15000
#define STACK_STOP_TIMEOUT_MS 5000

enum stack_state {
	STACK_NONE,     /* no stack.json */
	STACK_RUNNING,  /* every recorded process is alive */
	STACK_PARTIAL,  /* some are alive, some are not */
	STACK_STALE,    /* stack.json is left over; nothing of it runs */
	STACK_STARTING, /* its 'storectl up' is still starting it */
	STACK_ABANDONED, /* its 'storectl up' died half-way; some of it runs */
};

/*
 * Reads the stack of the state directory dir (as given by the user) into
 * info and says how much of it runs. Returns an enum stack_state, or -1
 * with the reason in err (unreadable stack.json, bad directory).
 */
int stack_load(const char *dir, struct stack_info *info, char *err,
	       size_t errlen);

/*
 * A one-line explanation of state for the stack in dir (as the user gave
 * it), written into buf, which is returned.
 */
const char *stack_state_reason(int state, const char *dir, char *buf,
			       size_t len);

/*
 * The librdkafka properties for the console: STACK_EMBEDDED_X first when
 * the broker is the embedded one, then the user's. out is initialised
 * here; free it with kafka_props_free. Returns 0, or -1 with err.
 */
int stack_console_props(struct kafka_props *out, int embedded,
			const struct kafka_props *user, char *err,
			size_t errlen);

/*
 * Stops the stack's processes: first the supervising 'storectl up' (when
 * with_supervisor, and it is not us) and every service together, then the
 * broker, so that services still reach Kafka while they shut down. Each
 * group gets SIGTERM and STACK_STOP_TIMEOUT_MS, then SIGKILL. Returns how
 * many processes needed SIGKILL.
 */
int stack_stop(const struct stack_info *info, int with_supervisor);

/*
 * The bearer token a command acts with on the stack in state directory abs
 * (cli/stacktokens.h), into buf: o->token when given, else the token of
 * owner o->owner when given, else the operator's. Returns 0, or -1 with
 * the reason in err (never the token).
 */
int stack_token(const struct cli_opts *o, const char *abs, char *buf,
		size_t len, char *err, size_t errlen);

/*
 * storectl up: starts the stack in o->state, seeds demo data into a new
 * store database, writes stack.json; then, unless o->detach, runs the
 * console and stops the stack when it closes. Returns the exit status.
 */
int stack_up(const struct cli_opts *o);

/*
 * storectl down: stops the stack recorded in o->state (its 'storectl up'
 * too, when that holds the console) and removes stack.json. Nothing
 * running is not an error. Returns the exit status.
 */
int stack_down(const struct cli_opts *o);

#endif
