#ifndef STORECTL_TUI_CONTROL_H
#define STORECTL_TUI_CONTROL_H

#include <stddef.h>

/*
 * What the console may do to the stack it runs on when that is the
 * embedded one ('storectl up'): stop, start and kill its services, and
 * inject faults into the store API and the broker. The console does not
 * know how; whoever starts it passes these callbacks (cli/stackctl.c).
 *
 * Every call blocks (a start waits for the service's ready line, up to
 * 15 s), so the console makes them on a thread of its own, one at a time
 * and never on the UI thread; ctx is only ever used by that thread, except
 * by cancel. Each returns 0 with one line for the status line in msg, or
 * -1 with the reason in msg.
 */

#define CONSOLE_CONTROL_SERVICES 8

/* The stack as the control sees it now (CONSOLE_CONTROL_STATE). */
struct console_stack_state {
	size_t n;
	struct {
		char name[16];   /* "search" */
		char proc[16];   /* "running", "stopped" (on purpose), "dead" */
		long pid;
	} svc[CONSOLE_CONTROL_SERVICES];
	int api_active;         /* store-API faults are on */
	char api[256];          /* faults_api_describe's line, or the error */
	int broker_known;       /* the broker's control answered */
	int broker_down;
	char broker_errors[128]; /* the last error injection, "" for none */
};

struct console_control {
	void *ctx;
	/* verb "stop", "start" or "kill" on the service called name. */
	int (*service)(void *ctx, const char *verb, const char *name,
		       char *msg, size_t len);
	/* Store-API faults: latency and error rate (0..1); clear ends them. */
	int (*api_faults)(void *ctx, int clear, long latency_ms,
			  double error_rate, char *msg, size_t len);
	/* The next count requests of Kafka API api fail with code. */
	int (*broker_errors)(void *ctx, const char *api, const char *code,
			     long count, char *msg, size_t len);
	/* Every broker down (1) or up (0). */
	int (*broker_down)(void *ctx, int down, char *msg, size_t len);
	/* The state: processes, faults. */
	int (*state)(void *ctx, struct console_stack_state *out, char *msg,
		     size_t len);
	/* Optional, from the UI thread at quit: make a call in progress end
	 * soon (a start waiting for its ready line). */
	void (*cancel)(void *ctx);
};

#endif
