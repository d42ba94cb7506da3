/*
 * Services: one row per service: its health (GET /health), consumer-group
 * lag (committed offsets against high watermarks, as each service's
 * consumer runtime reports it; the console never asks Kafka's group
 * admin API), reactions per second from the stream as a sparkline of the
 * last 20 seconds, the circuit breaker's state and the last error. Enter
 * shows the selected service's partitions and counters. It polls every
 * 2 s while on show, every 10 s otherwise, never two calls at once to one
 * service, so a hung service costs one worker and shows as DOWN.
 *
 * On the embedded stack ('storectl up') it also drives the stack's fault
 * controls (tui/control.h): stop, start or kill the selected service,
 * store-API latency and errors, broker errors and outage; the calls run on
 * the console's control thread, and the state of the processes and the
 * faults is read there every 2 s and shown under the table.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "screens/screens.h"
#include "tui/control.h"
#include "tui/fmt.h"
#include "tui/health.h"
#include "tui/table.h"
#include "tui/text.h"

#define POLL_SHOWN_MS 2000.0
#define POLL_HIDDEN_MS 10000.0
#define SPARK_SECONDS 20
#define ROWS_MAX (1 + STREAM_SERVICES_MAX)

struct svc_row {
	char name[32];
	int ep;            /* endpoint, or -1: seen on the stream only */
	uint64_t seq;      /* poll in flight */
	double polled_ms;  /* monotonic, 0 never */
	int polled;        /* an answer (or a failure) came */
	int answered;      /* that answer was HTTP */
	long http_status;
	char error[256];   /* why there was no answer */
	double took_ms;
	struct tui_health h;
};

/* Prompt ids. */
enum { PROMPT_KILL, PROMPT_API_FAULT, PROMPT_BROKER_ERRORS };

/* One call to the stack's controls, run on the control thread. */
enum ctl_op { CTL_STATE, CTL_SERVICE, CTL_API, CTL_API_CLEAR, CTL_BROKER_ERRORS,
	      CTL_BROKER_DOWN };

struct ctl_req {
	enum ctl_op op;
	char verb[8];       /* CTL_SERVICE */
	char name[32];
	long latency_ms;    /* CTL_API */
	double error_rate;
	char api[32];       /* CTL_BROKER_ERRORS */
	char code[48];
	long count;
	int down;           /* CTL_BROKER_DOWN */
	int rc;             /* the call's */
	char msg[512];
	struct console_stack_state stack; /* CTL_STATE */
};

struct services_state {
	struct svc_row rows[ROWS_MAX];
	size_t n;
	struct tui_table table;
	int detail;
	double now;
	/* The stack's controls (NULL: not the embedded stack). */
	uint64_t state_seq;     /* state read in flight */
	double state_ms;        /* when it was asked for */
	int have_stack;
	struct console_stack_state stack;
	char stack_error[512];  /* the last state read failed: why */
	uint64_t action_seq;    /* last action in flight */
	char action[96];        /* what it does, while in flight */
	char kill_name[32];     /* the service the confirmation is about */
};

static const struct tui_column services_columns[] = {
	{ "SERVICE", 9, 0, 0 },
	{ "HEALTH", 9, 0, 0 },
	{ "LAG", 6, 0, 1 },
	{ "BREAKER", 9, 0, 0 },
	{ "REACTIONS/S (20 s)", SPARK_SECONDS + 5, 0, 0 },
	{ "LAST ERROR", 0, 8, 0 },
};

static const struct tui_keybind services_binds[] = {
	TUI_BINDS_MOVE,
	{ '\r', TUI_A_TOGGLE_DETAIL },
	{ '\n', TUI_A_TOGGLE_DETAIL },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_TOGGLE_DETAIL },
	{ 'r', TUI_A_REFRESH },
	{ 's', TUI_A_SVC_STOP },
	{ 'S', TUI_A_SVC_START },
	{ 'K', TUI_A_SVC_KILL },
	{ 'f', TUI_A_API_FAULT },
	{ 'F', TUI_A_API_CLEAR },
	{ 'b', TUI_A_BROKER_ERRORS },
	{ 'B', TUI_A_BROKER_DOWN },
};

static const struct tui_keymap services_keymap =
	TUI_KEYMAP("Services", services_binds);

/* The process state the controls report for name, or NULL. */
static const char *proc_of(const struct services_state *st, const char *name)
{
	if (!st->have_stack)
		return NULL;
	for (size_t i = 0; i < st->stack.n; i++)
		if (strcmp(st->stack.svc[i].name, name) == 0)
			return st->stack.svc[i].proc;
	return NULL;
}

static const char *health_word(const struct services_state *st,
			       const struct svc_row *r, enum tui_color *color)
{
	const char *proc = proc_of(st, r->name);

	/* A process not running says more than its missing answer. */
	if (proc != NULL && strcmp(proc, "running") != 0) {
		*color = TUI_C_ERROR;
		return proc;
	}
	if (r->ep < 0) {
		*color = TUI_C_DIM;
		return "no URL";
	}
	if (!r->polled) {
		*color = TUI_C_DIM;
		return "...";
	}
	if (!r->answered) {
		*color = TUI_C_ERROR;
		return "DOWN";
	}
	if (strcmp(r->h.status, "ok") == 0) {
		*color = TUI_C_GOOD;
		return "ok";
	}
	if (strcmp(r->h.status, "degraded") == 0) {
		*color = TUI_C_WARN;
		return "degraded";
	}
	*color = TUI_C_ERROR;
	return r->h.status[0] ? r->h.status : "bad answer";
}

/* The series of this row in the console's rates, or -1. */
static int series_of(struct screen *s, const struct svc_row *r)
{
	if (strcmp(r->name, "store") == 0)
		return CONSOLE_RATE_EVENTS;
	return stream_model_service(console_stream(s->console), r->name);
}

static void services_cell(void *ctx, size_t i, size_t col, char *buf,
			  size_t len, enum tui_color *color)
{
	struct screen *s = ctx;
	struct services_state *st = s->state;
	const struct svc_row *r = &st->rows[i];
	unsigned v[SPARK_SECONDS];
	char spark[SPARK_SECONDS + 1];
	int series;

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", r->name);
		break;
	case 1:
		snprintf(buf, len, "%s", health_word(st, r, color));
		break;
	case 2:
		if (strcmp(r->name, "store") == 0 && r->h.outbox_pending >= 0)
			snprintf(buf, len, "ob %lld",
				 (long long)r->h.outbox_pending);
		else if (r->answered && r->h.lag >= 0)
			snprintf(buf, len, "%lld", (long long)r->h.lag);
		else
			snprintf(buf, len, "-");
		if (r->h.lag > 0)
			*color = TUI_C_WARN;
		break;
	case 3:
		snprintf(buf, len, "%s", r->answered && r->h.breaker[0]
						 ? r->h.breaker
						 : "-");
		if (r->answered && r->h.breaker[0] &&
		    strcmp(r->h.breaker, "closed") != 0)
			*color = TUI_C_ERROR;
		break;
	case 4:
		series = series_of(s, r);
		if (series < 0) {
			memset(v, 0, sizeof(v));
		} else {
			tui_rate_series(console_rates(s->console), series,
					st->now, v, SPARK_SECONDS);
		}
		tui_sparkline(v, SPARK_SECONDS, spark, sizeof(spark));
		snprintf(buf, len, "%s %u", spark, v[SPARK_SECONDS - 1]);
		break;
	case 5:
		if (r->polled && !r->answered)
			snprintf(buf, len, "%s", r->error);
		else if (r->answered && r->http_status != 200 &&
			 r->http_status != 503)
			snprintf(buf, len, "GET /health: HTTP %ld",
				 r->http_status);
		else
			snprintf(buf, len, "%s", r->h.last_error);
		if (buf[0])
			*color = TUI_C_ERROR;
		break;
	}
}

/* Rows: the store API, then the services in the Stream's order. */
static void sync_rows(struct screen *s)
{
	struct services_state *st = s->state;
	const char *names[STREAM_SERVICES_MAX];
	size_t n = console_services(s->console, names, STREAM_SERVICES_MAX);

	if (st->n == 0) {
		snprintf(st->rows[0].name, sizeof(st->rows[0].name), "store");
		st->rows[0].ep = TUI_EP_STORE;
		st->n = 1;
	}
	for (size_t i = 0; i < n && st->n < ROWS_MAX; i++) {
		size_t k;

		for (k = 1; k < st->n; k++)
			if (strcmp(st->rows[k].name, names[i]) == 0)
				break;
		if (k < st->n)
			continue;
		memset(&st->rows[st->n], 0, sizeof(st->rows[0]));
		snprintf(st->rows[st->n].name, sizeof(st->rows[0].name), "%s",
			 names[i]);
		st->rows[st->n].ep = tui_endpoint_by_name(names[i]);
		if (st->rows[st->n].ep >= 0 &&
		    !console_has_endpoint(s->console, st->rows[st->n].ep))
			st->rows[st->n].ep = -1;
		st->n++;
	}
	st->table.rows = st->n;
	tui_table_clamp(&st->table);
}

static void poll_row(struct screen *s, struct svc_row *r, double now)
{
	if (r->ep < 0 || r->seq != 0)
		return;
	r->polled_ms = now;
	r->seq = console_submit(s->console,
				tui_job_new(r->ep, "GET", "/health"));
}

static void poll_all(struct screen *s, int force)
{
	struct services_state *st = s->state;
	double now = clock_mono_ms();
	double every = console_is_visible(s->console, s) ? POLL_SHOWN_MS
							   : POLL_HIDDEN_MS;

	sync_rows(s);
	for (size_t i = 0; i < st->n; i++)
		if (force || st->rows[i].polled_ms == 0 ||
		    now - st->rows[i].polled_ms >= every)
			poll_row(s, &st->rows[i], now);
}

/* ---- the embedded stack's controls ---- */

/* On the control thread: one call, its answer into the request. */
static void ctl_run(struct tui_job *job)
{
	const struct console_control *ctl = job->ctx;
	struct ctl_req *q = job->data;
	char *m = q->msg;
	size_t ml = sizeof(q->msg);

	switch (q->op) {
	case CTL_STATE:
		q->rc = ctl->state(ctl->ctx, &q->stack, m, ml);
		break;
	case CTL_SERVICE:
		q->rc = ctl->service(ctl->ctx, q->verb, q->name, m, ml);
		break;
	case CTL_API:
	case CTL_API_CLEAR:
		q->rc = ctl->api_faults(ctl->ctx, q->op == CTL_API_CLEAR,
					q->latency_ms, q->error_rate, m, ml);
		break;
	case CTL_BROKER_ERRORS:
		q->rc = ctl->broker_errors(ctl->ctx, q->api, q->code, q->count,
					   m, ml);
		break;
	case CTL_BROKER_DOWN:
		q->rc = ctl->broker_down(ctl->ctx, q->down, m, ml);
		break;
	}
}

/* Queues q (taken) on the control thread; its seq, or 0. */
static uint64_t ctl_submit(struct screen *s, struct ctl_req *q)
{
	const struct console_control *ctl = console_control(s->console);

	if (q == NULL)
		return 0;
	if (ctl == NULL) {
		free(q);
		return 0;
	}
	return console_submit_control(
		s->console, tui_job_new_run(ctl_run, (void *)ctl, q));
}

static struct ctl_req *ctl_new(enum ctl_op op)
{
	struct ctl_req *q = calloc(1, sizeof(*q));

	if (q != NULL)
		q->op = op;
	return q;
}

/* Asks for the state of the processes and faults, unless in flight. */
static void poll_stack(struct screen *s, double now)
{
	struct services_state *st = s->state;

	if (console_control(s->console) == NULL || st->state_seq != 0)
		return;
	st->state_ms = now;
	st->state_seq = ctl_submit(s, ctl_new(CTL_STATE));
}

/*
 * Starts an action: says what it does, one at a time (the control thread
 * runs them in order anyway; a second key while one runs is a mistake
 * more often than not). Returns 0, or -1 (said why; q freed).
 */
static int start_action(struct screen *s, struct ctl_req *q, const char *fmt,
			const char *arg)
{
	struct services_state *st = s->state;

	if (q == NULL) {
		console_say(s->console, TUI_SAY_ERROR, "out of memory");
		return -1;
	}
	if (st->action_seq != 0) {
		console_say(s->console, TUI_SAY_WARN,
			    "still busy: %s (wait for it to finish)",
			    st->action);
		free(q);
		return -1;
	}
	snprintf(st->action, sizeof(st->action), fmt, arg);
	st->action_seq = ctl_submit(s, q);
	if (st->action_seq == 0) {
		console_say(s->console, TUI_SAY_ERROR, "%s: could not queue it",
			    st->action);
		return -1;
	}
	console_say(s->console, TUI_SAY_INFO, "%s...", st->action);
	return 0;
}

/* 1 when the controls are there; else says why the key does nothing. */
static int need_control(struct screen *s)
{
	if (console_control(s->console) != NULL)
		return 1;
	console_say(s->console, TUI_SAY_WARN,
		    "fault controls need the embedded stack: open the console with 'storectl up'");
	return 0;
}

static const struct svc_row *selected_row(struct services_state *st)
{
	return st->table.selected < st->n ? &st->rows[st->table.selected]
					  : NULL;
}

static void service_action(struct screen *s, const char *verb)
{
	struct services_state *st = s->state;
	const struct svc_row *row = selected_row(st);
	struct ctl_req *q;

	if (row == NULL)
		return;
	q = ctl_new(CTL_SERVICE);
	if (q != NULL) {
		snprintf(q->verb, sizeof(q->verb), "%s", verb);
		snprintf(q->name, sizeof(q->name), "%s", row->name);
	}
	start_action(s, q,
		     strcmp(verb, "stop") == 0	 ? "stopping %s" :
		     strcmp(verb, "start") == 0 ? "starting %s" :
						  "killing %s",
		     row->name);
}

/*
 * "200", "200 30%", "0 0.5", "200ms 30%": latency in ms (0..30000) and an
 * optional error rate (a share 0..1, or 0%..100%). 0, or -1 with why.
 */
static int parse_api_fault(const char *text, long *latency, double *rate,
			   char *why, size_t len)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno != 0 || !isfinite(v) || v < 0 || v > 30000) {
		snprintf(why, len,
			 "latency: \"%s\" is not a number of ms from 0 to 30000",
			 text);
		return -1;
	}
	*latency = (long)v;
	if (strncmp(end, "ms", 2) == 0)
		end += 2;
	while (*end == ' ')
		end++;
	*rate = 0;
	if (*end == '\0')
		return 0;
	text = end;
	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno != 0 || !isfinite(v) || v < 0) {
		snprintf(why, len, "error rate: \"%s\" is not a number", text);
		return -1;
	}
	if (*end == '%') {
		v /= 100;
		end++;
	}
	while (*end == ' ')
		end++;
	if (*end != '\0' || v > 1) {
		snprintf(why, len,
			 "error rate: \"%s\" is not a share from 0 to 1 or 0%% to 100%%",
			 text);
		return -1;
	}
	*rate = v;
	return 0;
}

/* "Produce NOT_LEADER_FOR_PARTITION 5": 0, or -1 with why. The broker
 * checks the names (and says which it knows). */
static int parse_broker_errors(const char *text, struct ctl_req *q, char *why,
			       size_t len)
{
	char extra[2];
	int n;

	q->count = 1;
	n = sscanf(text, "%31s %47s %ld %1s", q->api, q->code, &q->count,
		   extra);
	if (n < 2 || n > 3 || q->count < 1 || q->count > 10000) {
		snprintf(why, len,
			 "want API CODE [COUNT], e.g. Produce NOT_LEADER_FOR_PARTITION 5 (COUNT 1 to 10000)");
		return -1;
	}
	return 0;
}

static unsigned services_on_prompt(struct screen *s, int id,
				   enum console_prompt_event ev,
				   const char *text)
{
	struct services_state *st = s->state;
	struct ctl_req *q;
	char why[256];

	if (ev != PROMPT_ACCEPT) {
		if (ev == PROMPT_CANCEL)
			console_say(s->console, TUI_SAY_INFO,
				    "nothing changed");
		return SCREEN_REDRAW;
	}
	switch (id) {
	case PROMPT_KILL:
		q = ctl_new(CTL_SERVICE);
		if (q != NULL) {
			snprintf(q->verb, sizeof(q->verb), "kill");
			snprintf(q->name, sizeof(q->name), "%s", st->kill_name);
		}
		start_action(s, q, "killing %s with SIGKILL", st->kill_name);
		break;
	case PROMPT_API_FAULT:
		q = ctl_new(CTL_API);
		if (q == NULL)
			break;
		if (parse_api_fault(text, &q->latency_ms, &q->error_rate, why,
				    sizeof(why))) {
			console_say(s->console, TUI_SAY_ERROR,
				    "%s; nothing changed", why);
			free(q);
			break;
		}
		start_action(s, q, "setting the store-API faults%s", "");
		break;
	case PROMPT_BROKER_ERRORS:
		q = ctl_new(CTL_BROKER_ERRORS);
		if (q == NULL)
			break;
		if (parse_broker_errors(text, q, why, sizeof(why))) {
			console_say(s->console, TUI_SAY_ERROR,
				    "%s; nothing changed", why);
			free(q);
			break;
		}
		start_action(s, q, "injecting broker errors%s", "");
		break;
	}
	return SCREEN_REDRAW;
}

/* A control job came back: the state, or an action's answer. */
static unsigned on_control(struct screen *s, const struct tui_job *job)
{
	struct services_state *st = s->state;
	const struct ctl_req *q = job->data;

	if (job->seq == st->state_seq) {
		st->state_seq = 0;
		if (q->rc == 0) {
			st->stack = q->stack;
			st->have_stack = 1;
			st->stack_error[0] = '\0';
		} else {
			snprintf(st->stack_error, sizeof(st->stack_error),
				 "%s", q->msg);
		}
		return console_is_visible(s->console, s) ? SCREEN_REDRAW
							  : SCREEN_IGNORED;
	}
	if (job->seq != st->action_seq)
		return SCREEN_IGNORED;
	st->action_seq = 0;
	if (q->rc == 0)
		console_say(s->console, TUI_SAY_INFO, "%s", q->msg);
	else
		console_say(s->console, TUI_SAY_ERROR, "%s: %s", st->action,
			    q->msg);
	st->action[0] = '\0';
	/* Show the outcome now, not in two seconds. */
	poll_stack(s, clock_mono_ms());
	poll_all(s, 1);
	return SCREEN_REDRAW;
}

/* text wrapped on at most max lines from *y on, inside r. */
static void draw_wrapped(WINDOW *win, struct tui_rect r, int *y,
			 const char *text, attr_t attr, int max)
{
	char lines[3][512];
	int n = tui_text_wrap(text, r.w - 2, lines, max < 3 ? max : 3);

	for (int i = 0; i < n && *y < r.y + r.h; i++)
		tui_draw_text(win, (*y)++, r.x + 1, r.w - 1, lines[i], attr);
}

/* Under the table: the processes that do not run, the faults, the keys. */
static void draw_faults(struct screen *s, WINDOW *win, struct tui_rect r)
{
	struct services_state *st = s->state;
	char line[512];
	size_t n;

	if (console_control(s->console) == NULL) {
		tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1,
			      "Enter partitions  r poll  (fault controls need 'storectl up')",
			      tui_theme_attr(TUI_C_DIM));
		return;
	}
	if (st->have_stack && !st->stack_error[0]) {
		int y = r.y;

		/* Wrapped on the lines services_draw gave it. */
		snprintf(line, sizeof(line), "Faults: store API %s",
			 st->stack.api);
		draw_wrapped(win, (struct tui_rect){ r.y, r.x, r.h - 2, r.w },
			     &y, line,
			     tui_theme_attr(st->stack.api_active ? TUI_C_WARN
								 : TUI_C_NORMAL),
			     r.h - 2);
		n = (size_t)snprintf(line, sizeof(line), "Broker: %s",
				     !st->stack.broker_known ? "?" :
				     st->stack.broker_down ? "DOWN" : "up");
		if (st->stack.broker_errors[0] && n < sizeof(line))
			snprintf(line + n, sizeof(line) - n, "; injected %s",
				 st->stack.broker_errors);
		tui_draw_text(win, r.y + r.h - 2, r.x + 1, r.w - 1, line,
			      tui_theme_attr(st->stack.broker_down
						     ? TUI_C_ERROR
						     : TUI_C_NORMAL));
	} else {
		tui_draw_text(win, r.y, r.x + 1, r.w - 1,
			      st->stack_error[0] ? st->stack_error
						 : "Faults: reading the stack...",
			      tui_theme_attr(st->stack_error[0] ? TUI_C_ERROR
								: TUI_C_DIM));
	}
	if (st->action_seq != 0)
		snprintf(line, sizeof(line), "%s...", st->action);
	else
		snprintf(line, sizeof(line),
			 "s/S stop/start  K kill  f/F api fault/clear  b broker errors  B broker down/up");
	tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1, line,
		      tui_theme_attr(TUI_C_DIM));
}

static int services_init(struct screen *s)
{
	struct services_state *st = s->state;

	st->table.cols = services_columns;
	st->table.ncols = sizeof(services_columns) / sizeof(services_columns[0]);
	st->table.ctx = s;
	st->table.cell = services_cell;
	sync_rows(s);
	return 0;
}

static void services_show(struct screen *s)
{
	poll_all(s, 0);
	poll_stack(s, clock_mono_ms());
}

static unsigned services_tick(struct screen *s, double now_ms)
{
	struct services_state *st = s->state;

	st->now = now_ms;
	poll_all(s, 0);
	if (console_is_visible(s->console, s) &&
	    now_ms - st->state_ms >= POLL_SHOWN_MS)
		poll_stack(s, now_ms);
	return SCREEN_IGNORED;
}

static unsigned services_on_event(struct screen *s,
				  const struct console_event *ev)
{
	struct services_state *st = s->state;
	const struct tui_job *job = ev->job;

	if (ev->kind == CONSOLE_EV_CONTROL)
		return on_control(s, job);
	if (ev->kind != CONSOLE_EV_API)
		return SCREEN_IGNORED;
	for (size_t i = 0; i < st->n; i++) {
		struct svc_row *r = &st->rows[i];

		if (r->seq == 0 || job->seq != r->seq ||
		    (int)job->endpoint != r->ep)
			continue;
		r->seq = 0;
		r->polled = 1;
		r->took_ms = job->took_ms;
		r->answered = job->rc == 0;
		r->http_status = job->res.status;
		/* "GET http://host:port/health: Timeout..." says more than
		 * fits; the URL is the row's already. */
		{
			const char *why = job->res.error;
			const char *colon = strstr(why, ": ");

			if (strncmp(why, "GET ", 4) == 0 && colon != NULL)
				why = colon + 2;
			snprintf(r->error, sizeof(r->error), "%s", why);
		}
		tui_health_parse(job->rc == 0 ? job->res.body : NULL, &r->h);
		return console_is_visible(s->console, s) ? SCREEN_REDRAW
							  : SCREEN_IGNORED;
	}
	return SCREEN_IGNORED;
}

static void services_title(struct screen *s, char *buf, size_t len)
{
	struct services_state *st = s->state;
	size_t ok = 0, known = 0;

	for (size_t i = 0; i < st->n; i++) {
		if (st->rows[i].ep < 0 || !st->rows[i].polled)
			continue;
		known++;
		ok += st->rows[i].answered &&
		      strcmp(st->rows[i].h.status, "ok") == 0;
	}
	snprintf(buf, len, "%zu of %zu ok - /health every 2 s", ok, known);
}

/* The selected service's partitions and counters, under the table. */
static void draw_detail(struct services_state *st, WINDOW *win,
			struct tui_rect r)
{
	const struct svc_row *row = st->table.selected < st->n
					    ? &st->rows[st->table.selected]
					    : NULL;
	const char *proc;
	char line[512], took[16];
	int y = r.y;

	if (row == NULL || r.h < 2)
		return;
	tui_fmt_ms(row->took_ms, took, sizeof(took));
	proc = proc_of(st, row->name);
	if (row->ep < 0)
		snprintf(line, sizeof(line),
			 "%s: no URL configured (only its reactions are seen)",
			 row->name);
	else if (proc != NULL && strcmp(proc, "running") != 0)
		snprintf(line, sizeof(line),
			 "%s: the process is %s (S starts it again)", row->name,
			 proc);
	else if (!row->polled)
		snprintf(line, sizeof(line), "%s: GET /health not answered yet",
			 row->name);
	else if (!row->answered)
		snprintf(line, sizeof(line), "%s: GET /health failed after %s",
			 row->name, took);
	else
		snprintf(line, sizeof(line), "%s: GET /health answered in %s",
			 row->name, took);
	tui_draw_text(win, y++, r.x + 1, r.w - 1, line,
		      tui_theme_attr(TUI_C_HEADER));
	if (!row->answered) {
		/* The reason whole: the table's column cuts it. */
		if (row->polled && row->error[0])
			draw_wrapped(win, r, &y, row->error,
				     tui_theme_attr(TUI_C_ERROR), 3);
		return;
	}
	if (!row->h.has_consumer) {
		snprintf(line, sizeof(line),
			 "status %s, broker %s, outbox pending %lld",
			 row->h.status, row->h.broker[0] ? row->h.broker : "?",
			 (long long)row->h.outbox_pending);
		draw_wrapped(win, r, &y, line, A_NORMAL, 2);
		return;
	}
	snprintf(line, sizeof(line),
		 "consumer %s; events %lld, applied %lld, failed %lld, dead letters %lld, retries %lld; breaker %s%s",
		 row->h.running ? "running" : "STOPPED",
		 (long long)row->h.events, (long long)row->h.applied,
		 (long long)row->h.failed, (long long)row->h.dead_letters,
		 (long long)row->h.retries, row->h.breaker,
		 row->h.retry_in_ms > 0 ? " (retry soon)" : "");
	draw_wrapped(win, r, &y, line, A_NORMAL, 2);
	if (row->h.last_error[0] && y < r.y + r.h) {
		snprintf(line, sizeof(line), "last error at %s: %s",
			 row->h.last_error_at, row->h.last_error);
		draw_wrapped(win, r, &y, line, tui_theme_attr(TUI_C_ERROR), 3);
	}
	if (row->h.nparts == 0 && y < r.y + r.h)
		tui_draw_text(win, y++, r.x + 1, r.w - 1,
			      "no partitions assigned yet (the group is forming)",
			      tui_theme_attr(TUI_C_DIM));
	/* Partitions, as many to a line as fit. */
	line[0] = '\0';
	for (size_t i = 0; i < row->h.nparts && y < r.y + r.h; i++) {
		const struct tui_health_part *p = &row->h.parts[i];
		char one[96], committed[24];

		/* Nothing committed yet is "-", not the -1001 of librdkafka. */
		if (p->committed >= 0)
			snprintf(committed, sizeof(committed), "%lld",
				 (long long)p->committed);
		else
			snprintf(committed, sizeof(committed), "-");
		snprintf(one, sizeof(one), "p%d %s/%lld lag %lld   ",
			 (int)p->partition, committed, (long long)p->high,
			 (long long)p->lag);
		if (tui_text_width(line) + tui_text_width(one) > r.w - 2) {
			tui_draw_text(win, y++, r.x + 1, r.w - 1, line, A_NORMAL);
			line[0] = '\0';
		}
		strncat(line, one, sizeof(line) - strlen(line) - 1);
	}
	if (line[0] && y < r.y + r.h)
		tui_draw_text(win, y++, r.x + 1, r.w - 1, line, A_NORMAL);
	if (y < r.y + r.h)
		tui_draw_text(win, y, r.x + 1, r.w - 1,
			      "(committed/high watermark per partition of store.events)",
			      tui_theme_attr(TUI_C_DIM));
}

static void services_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			  int focused)
{
	struct services_state *st = s->state;
	int table_h = (int)st->n + 1;
	int faults_h = 0;

	st->now = clock_mono_ms();
	sync_rows(s);
	/* The faults and keys take the bottom lines when there is room. */
	if (r.h >= table_h + 5)
		faults_h = 3;
	/* A long fault (latency, errors, scope, until) takes two lines. */
	if (faults_h > 0 && r.h >= table_h + 6 && st->have_stack &&
	    !st->stack_error[0] &&
	    tui_text_width(st->stack.api) + 19 > r.w - 1)
		faults_h = 4;
	r.h -= faults_h;
	if (!st->detail || table_h + 3 > r.h)
		table_h = r.h;
	tui_table_draw(win, (struct tui_rect){ r.y, r.x, table_h, r.w },
		       &st->table, focused, NULL);
	if (st->detail && table_h < r.h)
		draw_detail(st, win,
			    (struct tui_rect){ r.y + table_h + 1, r.x,
					       r.h - table_h - 1, r.w });
	if (faults_h > 0)
		draw_faults(s, win,
			    (struct tui_rect){ r.y + r.h, r.x, faults_h, r.w });
}

static unsigned services_key(struct screen *s, const struct screen_key *k)
{
	struct services_state *st = s->state;

	if (tui_table_move(&st->table, k->action))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	switch (k->action) {
	case TUI_A_TOGGLE_DETAIL:
		st->detail = !st->detail;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_REFRESH:
		poll_all(s, 1);
		poll_stack(s, clock_mono_ms());
		console_say(s->console, TUI_SAY_INFO, "polling /health...");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SVC_STOP:
	case TUI_A_SVC_START:
		if (need_control(s))
			service_action(s, k->action == TUI_A_SVC_STOP ? "stop"
								      : "start");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SVC_KILL: {
		const struct svc_row *row = selected_row(st);
		char q[96];

		if (!need_control(s) || row == NULL)
			return SCREEN_HANDLED | SCREEN_REDRAW;
		snprintf(st->kill_name, sizeof(st->kill_name), "%s", row->name);
		snprintf(q, sizeof(q), "Kill %s with SIGKILL, as a crash? (y/N) ",
			 row->name);
		console_confirm(s->console, s, PROMPT_KILL, q);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	case TUI_A_API_FAULT:
		if (need_control(s))
			console_prompt(s->console, s, PROMPT_API_FAULT,
				       "Store-API fault, latency ms [error %] (e.g. 200 30%): ",
				       NULL);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_API_CLEAR:
		if (need_control(s))
			start_action(s, ctl_new(CTL_API_CLEAR),
				     "clearing the store-API faults%s", "");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_BROKER_ERRORS:
		if (need_control(s))
			console_prompt(s->console, s, PROMPT_BROKER_ERRORS,
				       "Broker errors, API CODE [COUNT]: ",
				       "Produce NOT_LEADER_FOR_PARTITION 5");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_BROKER_DOWN:
		if (need_control(s)) {
			struct ctl_req *q = ctl_new(CTL_BROKER_DOWN);
			int down = !(st->have_stack && st->stack.broker_down);

			if (q != NULL)
				q->down = down;
			start_action(s, q, "%s", down ? "taking the brokers down"
						      : "bringing the brokers up");
		}
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		return SCREEN_IGNORED;
	}
}

const struct screen_ops screen_services = {
	.name = "Services",
	.command = "services",
	.state_size = sizeof(struct services_state),
	.keymap = &services_keymap,
	.hints = "s/S/K stop/start/kill  f/F api fault  b/B broker  ? help  q quit",
	.init = services_init,
	.on_show = services_show,
	.title = services_title,
	.draw = services_draw,
	.key = services_key,
	.on_event = services_on_event,
	.on_prompt = services_on_prompt,
	.tick = services_tick,
};
