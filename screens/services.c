/*
 * Services: one row per service: its health (GET /health), consumer-group
 * lag (committed offsets against high watermarks, as each service's
 * consumer runtime reports it; the console never asks Kafka's group
 * admin API), reactions per second from the stream as a sparkline of the
 * last 20 seconds, the circuit breaker's state and the last error. Enter
 * shows the selected service's partitions and counters. It polls every
 * 2 s while on show, every 10 s otherwise, never two calls at once to one
 * service, so a hung service costs one worker and shows as DOWN.
 */
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "screens/screens.h"
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

struct services_state {
	struct svc_row rows[ROWS_MAX];
	size_t n;
	struct tui_table table;
	int detail;
	double now;
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
};

static const struct tui_keymap services_keymap =
	TUI_KEYMAP("Services", services_binds);

static const char *health_word(const struct svc_row *r, enum tui_color *color)
{
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
		snprintf(buf, len, "%s", health_word(r, color));
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
}

static unsigned services_tick(struct screen *s, double now_ms)
{
	struct services_state *st = s->state;

	st->now = now_ms;
	poll_all(s, 0);
	return SCREEN_IGNORED;
}

static unsigned services_on_event(struct screen *s,
				  const struct console_event *ev)
{
	struct services_state *st = s->state;
	const struct tui_job *job = ev->job;

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
	char line[512], took[16];
	int y = r.y;

	if (row == NULL || r.h < 2)
		return;
	tui_fmt_ms(row->took_ms, took, sizeof(took));
	snprintf(line, sizeof(line), "%s: %s%s%s", row->name,
		 row->ep < 0 ? "no URL configured (only its reactions are seen)"
			     : "GET /health answered in ",
		 row->ep < 0 ? "" : took,
		 row->polled && !row->answered ? " - no answer" : "");
	tui_draw_text(win, y++, r.x + 1, r.w - 1, line,
		      tui_theme_attr(TUI_C_HEADER));
	if (!row->answered)
		return;
	if (!row->h.has_consumer) {
		snprintf(line, sizeof(line),
			 "status %s, broker %s, outbox pending %lld",
			 row->h.status, row->h.broker[0] ? row->h.broker : "?",
			 (long long)row->h.outbox_pending);
		tui_draw_text(win, y++, r.x + 1, r.w - 1, line, A_NORMAL);
		return;
	}
	snprintf(line, sizeof(line),
		 "consumer %s; events %lld, applied %lld, failed %lld, dead letters %lld, retries %lld; breaker %s%s",
		 row->h.running ? "running" : "STOPPED",
		 (long long)row->h.events, (long long)row->h.applied,
		 (long long)row->h.failed, (long long)row->h.dead_letters,
		 (long long)row->h.retries, row->h.breaker,
		 row->h.retry_in_ms > 0 ? " (retry soon)" : "");
	tui_draw_text(win, y++, r.x + 1, r.w - 1, line, A_NORMAL);
	if (row->h.last_error[0] && y < r.y + r.h) {
		snprintf(line, sizeof(line), "last error at %s: %s",
			 row->h.last_error_at, row->h.last_error);
		tui_draw_text(win, y++, r.x + 1, r.w - 1, line,
			      tui_theme_attr(TUI_C_ERROR));
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

	st->now = clock_mono_ms();
	sync_rows(s);
	if (!st->detail || table_h + 3 > r.h)
		table_h = r.h;
	tui_table_draw(win, (struct tui_rect){ r.y, r.x, table_h, r.w },
		       &st->table, focused, NULL);
	if (st->detail && table_h < r.h)
		draw_detail(st, win,
			    (struct tui_rect){ r.y + table_h + 1, r.x,
					       r.h - table_h - 1, r.w });
	else if (table_h + 2 < r.h)
		tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1,
			      "Enter: partitions and counters of the service   r: poll now",
			      tui_theme_attr(TUI_C_DIM));
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
		console_say(s->console, TUI_SAY_INFO, "polling /health...");
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
	.hints = "Enter partitions  r poll  : jump  ? help  q quit",
	.init = services_init,
	.on_show = services_show,
	.title = services_title,
	.draw = services_draw,
	.key = services_key,
	.on_event = services_on_event,
	.tick = services_tick,
};
