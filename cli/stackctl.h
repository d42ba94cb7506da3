#ifndef STORECTL_STACKCTL_H
#define STORECTL_STACKCTL_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "tui/control.h"

/*
 * One service of a running embedded stack: stop it, start it again, or
 * kill it as a crash would (SIGKILL). Used by 'storectl service' and by the
 * demo runner. Each operation holds the state directory's lock while it
 * changes stack.json, so it never races 'up', 'down' or another one.
 *
 * A service started again runs its recorded command line (stack.json
 * "args"), so it keeps its --db, --brokers and -X; when it had asked for
 * port 0, it gets the port it had before if that is free, so that those
 * calling it need not learn a new address. It is started detached (its own
 * session): it outlives the storectl that started it, and 'storectl down',
 * or the console's 'storectl up' when it quits, stops it with the rest.
 */

enum stackctl_op {
	STACKCTL_STOP,   /* SIGTERM, then SIGKILL after STACK_STOP_TIMEOUT_MS */
	STACKCTL_START,  /* start again and wait for its ready line */
	STACKCTL_KILL,   /* SIGKILL, no clean shutdown */
};

/* STACKCTL_* for "stop", "start", "kill"; -1 for anything else. */
int stackctl_op_parse(const char *verb);

/* "stop", "start", "kill". */
const char *stackctl_op_name(enum stackctl_op op);

/*
 * Whether name is a service these operations apply to: a component of the
 * embedded stack other than the broker (its topics live in memory only;
 * stopping it would lose them). Returns 0, or -1 with the reason in err.
 */
int stackctl_check_name(const char *name, char *err, size_t errlen);

/*
 * Applies op to the service called name in the stack of the state
 * directory state. token goes to a downstream service started again, by
 * environment; NULL takes the stack's service token (tokens.json), which
 * is what every caller should do. Waiting stops early when *cancel (may be
 * NULL) becomes non-zero. diag (may be NULL) receives the end of the
 * service's log when it fails to start. On success msg holds one line
 * saying what happened. Returns 0 when done, 1 when there was nothing to
 * do (stopping a stopped service, starting a running one), or -1 with the
 * reason in err.
 */
int stackctl_apply(const char *state, enum stackctl_op op, const char *name,
		   const char *token, volatile sig_atomic_t *cancel,
		   FILE *diag, char *msg, size_t msglen, char *err,
		   size_t errlen);

/*
 * The console's controls of the embedded stack (tui/control.h) in the
 * state directory state: stackctl_apply for the services, cli/faults.h for
 * the store API (with the stack's operator token, read for each call and
 * never kept) and the broker. sc must outlive the console and any call it
 * left running at quit (a static one does); its ops point into it.
 */
struct stackctl_console {
	char state[4096];
	volatile sig_atomic_t cancel;
	char broker_errors[128]; /* the last injection, for the state */
	struct console_control ops;
};

void stackctl_console_init(struct stackctl_console *sc, const char *state);

/* storectl service VERB NAME: returns the exit status. */
int stackctl_command(const struct cli_opts *o, const char *verb,
		     const char *name);

#endif
