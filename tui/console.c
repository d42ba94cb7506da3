/*
 * The console application: one loop on the UI thread polls the keyboard,
 * the wake-up pipe (HTTP workers, signals) and the Kafka tail's queue fd,
 * and hands what arrives to the screens; only this thread touches
 * ncurses. Drawing is rate-limited, so a flood of records costs a few
 * frames a second while a key redraws at once.
 */
#include "tui/console_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "screens/screens.h"
#include "tui/caption.h"
#include "tui/term.h"

#define CONSOLE_STREAM_ROWS 2000
#define CONSOLE_HISTORY 1000     /* records per topic read at start */
#define CONSOLE_STORE_TIMEOUT_MS 5000
#define CONSOLE_SERVICE_TIMEOUT_MS 3000
#define CONSOLE_TICK_MS 100      /* librdkafka wants polling regularly */
#define CONSOLE_DRAIN_MAX 500    /* records per turn, so keys stay quick */
#define CONSOLE_FRAME_MS 40.0    /* at most 25 frames a second for data */
#define CONSOLE_QUIT_WAIT_MS 1200 /* for calls in flight at quit */
#define CONSOLE_RIPPLE_GIVE_UP_MS 60000.0
#define CONSOLE_CONTROL_QUIT_WAIT_MS 6000 /* a cancelled stop or start */

static const struct screen_ops *const view_ops[VIEW_COUNT] = {
	[VIEW_STORES] = &screen_stores,
	[VIEW_EDITOR] = &screen_editor,
	[VIEW_STREAM] = &screen_stream,
	[VIEW_EVENT] = &screen_event,
	[VIEW_SERVICES] = &screen_services,
	[VIEW_QUERY] = &screen_query,
};

/* ---- which screens are where ---- */

struct screen *console_main(struct console *c)
{
	return &c->screens[c->history[c->depth - 1]];
}

struct screen *console_side(struct console *c)
{
	enum console_view v = c->history[c->depth - 1];
	int shown;

	if (v != VIEW_STORES && v != VIEW_EDITOR)
		return NULL;
	if (c->split < 0)
		return NULL;
	shown = c->split > 0 || COLS >= 2 * CONSOLE_MIN_COLS ||
		LINES >= 40;
	return shown ? &c->screens[VIEW_STREAM] : NULL;
}

struct screen *console_focused(struct console *c)
{
	struct screen *side = console_side(c);

	if (side == NULL)
		c->focus_side = 0;
	return c->focus_side && side != NULL ? side : console_main(c);
}

int console_side_visible(const struct console *c)
{
	return console_side((struct console *)c) != NULL;
}

int console_is_visible(const struct console *c, const struct screen *s)
{
	struct console *mc = (struct console *)c;

	return s == console_main(mc) || s == console_side(mc);
}

/* ---- services for screens (tui/screen.h) ---- */

uint64_t console_submit(struct console *c, struct tui_job *job)
{
	if (job == NULL)
		return 0;
	if (job->endpoint < 0 || job->endpoint >= TUI_EP_COUNT ||
	    c->worker[job->endpoint] == NULL) {
		tui_job_free(job);
		return 0;
	}
	c->dirty = 1;
	return tui_worker_submit(c->worker[job->endpoint], job);
}

const struct console_control *console_control(const struct console *c)
{
	return c->control != NULL ? c->cfg->control : NULL;
}

uint64_t console_submit_control(struct console *c, struct tui_job *job)
{
	if (job == NULL)
		return 0;
	if (c->control == NULL || job->run == NULL) {
		tui_job_free(job);
		return 0;
	}
	c->dirty = 1;
	return tui_worker_submit(c->control, job);
}

int console_has_endpoint(const struct console *c, enum tui_endpoint ep)
{
	return ep >= 0 && ep < TUI_EP_COUNT && c->worker[ep] != NULL;
}

const char *console_endpoint_url(const struct console *c,
				 enum tui_endpoint ep)
{
	return ep >= 0 && ep < TUI_EP_COUNT ? c->url[ep] : NULL;
}

void console_say(struct console *c, enum tui_say level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_status_set(&c->status, level, clock_mono_ms(), fmt, ap);
	va_end(ap);
	c->dirty = 1;
}

static void show(struct console *c, struct screen *s)
{
	if (s->ops->on_show != NULL)
		s->ops->on_show(s);
	c->dirty = 1;
}

void console_goto(struct console *c, enum console_view view)
{
	c->focus_side = 0;
	c->help_open = 0;
	if (c->history[c->depth - 1] != view) {
		if (c->depth == CONSOLE_HISTORY_MAX) {
			memmove(c->history, c->history + 1,
				(CONSOLE_HISTORY_MAX - 1) * sizeof(c->history[0]));
			c->depth--;
		}
		c->history[c->depth++] = view;
	}
	show(c, console_main(c));
}

void console_back(struct console *c)
{
	c->focus_side = 0;
	if (c->depth <= 1) {
		console_say(c, TUI_SAY_INFO,
			    "this is the first screen; q quits, : jumps");
		return;
	}
	c->depth--;
	show(c, console_main(c));
}

void console_open_editor(struct console *c, int64_t store_id,
			 const char *owner)
{
	if (store_id > 0)
		screen_editor_load(&c->screens[VIEW_EDITOR], store_id);
	else
		screen_editor_new(&c->screens[VIEW_EDITOR], owner);
	console_goto(c, VIEW_EDITOR);
}

void console_open_event(struct console *c, uint64_t seq)
{
	screen_event_show(&c->screens[VIEW_EVENT], seq);
	console_goto(c, VIEW_EVENT);
}

void console_filter_stream(struct console *c, const char *filter)
{
	screen_stream_filter(&c->screens[VIEW_STREAM], filter);
}

void console_prompt(struct console *c, struct screen *s, int id,
		    const char *label, const char *text)
{
	struct console_prompt *p = &c->prompt;

	memset(p, 0, sizeof(*p));
	p->active = 1;
	p->owner = s;
	p->id = id;
	snprintf(p->label, sizeof(p->label), "%s", label);
	tui_field_set(&p->field, text ? text : "");
	c->dirty = 1;
	c->urgent = 1;
}

void console_confirm(struct console *c, struct screen *s, int id,
		     const char *question)
{
	console_prompt(c, s, id, question, NULL);
	c->prompt.confirm = 1;
}

const struct stream_model *console_stream(const struct console *c)
{
	return c->model;
}

const struct tui_rate *console_rates(const struct console *c)
{
	return &c->rate;
}

void console_show_cursor(struct console *c, int y, int x)
{
	c->cursor_on = 1;
	c->cursor_y = y;
	c->cursor_x = x;
}

/* The Stream's column order: the services DESIGN.md names. */
static const enum tui_endpoint reactors[] = {
	TUI_EP_SEARCH, TUI_EP_ADS, TUI_EP_FAVORITES, TUI_EP_REVIEWS,
	TUI_EP_DISPLAY,
};

size_t console_services(const struct console *c, const char **names,
			size_t max)
{
	size_t n = 0;
	int ns = stream_model_nservices(c->model);

	for (size_t i = 0; i < sizeof(reactors) / sizeof(reactors[0]); i++) {
		const char *name = tui_endpoint_name(reactors[i]);

		if (n < max && (c->url[reactors[i]] != NULL ||
				stream_model_service(c->model, name) >= 0))
			names[n++] = name;
	}
	/* Services this console knows no URL for, seen on the topic. */
	for (int s = 0; s < ns && n < max; s++) {
		const char *name = stream_model_service_name(c->model, s);

		if (tui_endpoint_by_name(name) < 0)
			names[n++] = name;
	}
	return n;
}

/* ---- the ripple of a write ---- */

void console_ripple_update(struct console *c, const struct stream_row *row)
{
	const char *names[STREAM_SERVICES_MAX];
	size_t n = console_services(c, names, STREAM_SERVICES_MAX);
	double now = clock_mono_ms();
	enum tui_say level;
	char text[512];

	if (!c->ripple.active)
		return;
	if (row == NULL)
		row = stream_model_find(c->model, c->ripple.store_id,
					c->ripple.version);
	level = tui_ripple_describe(&c->ripple, c->model, row, names, n, now,
				    text, sizeof(text));
	console_say(c, level, "%s", text);
	c->ripple_said = now;
	if (c->ripple.done)
		c->ripple.active = 0;
}

void console_watch_ripple(struct console *c, int64_t store_id,
			  int64_t version, const char *verb)
{
	tui_ripple_start(&c->ripple, store_id, version, verb, clock_mono_ms());
	/* The reactions may have come before the HTTP answer did. */
	console_ripple_update(c, NULL);
}

/* ---- data arriving ---- */

static void broadcast(struct console *c, const struct console_event *ev)
{
	for (int v = 0; v < VIEW_COUNT; v++) {
		struct screen *s = &c->screens[v];

		if (s->ops->on_event != NULL &&
		    (s->ops->on_event(s, ev) & SCREEN_REDRAW))
			c->dirty = 1;
	}
}

static void on_join(void *ctx, const struct stream_row *row, int service)
{
	struct console *c = ctx;
	struct console_event ev = { .kind = CONSOLE_EV_REACTION,
				    .row = row,
				    .service = service };

	if (c->ripple.active && row->store_id == c->ripple.store_id &&
	    row->version == c->ripple.version)
		console_ripple_update(c, row);
	broadcast(c, &ev);
}

static void sink_event(void *ctx, const struct store_event *sev,
		       const struct stream_origin *origin)
{
	struct console *c = ctx;
	const struct stream_row *row =
		stream_model_add_event(c->model, sev, origin, clock_mono_ms());
	struct console_event ev = { .kind = CONSOLE_EV_STORE_EVENT,
				    .row = row };

	tui_rate_add(&c->rate, CONSOLE_RATE_EVENTS, clock_mono_ms());
	if (row != NULL)
		broadcast(c, &ev);
}

static void sink_reaction(void *ctx, const struct store_reaction *r,
			  const struct stream_origin *origin)
{
	struct console *c = ctx;
	double now = clock_mono_ms();

	stream_model_add_reaction(c->model, r, origin, now);
	tui_rate_add(&c->rate, stream_model_service(c->model, r->service),
		     now);
}

/* Returns 1 when more records may be waiting. */
static int drain_tail(struct console *c)
{
	const struct tui_tail_sink sink = { c, sink_event, sink_reaction };
	enum tui_tail_state state;
	char why[256];
	size_t n;

	if (c->tail == NULL)
		return 0;
	n = tui_tail_drain(c->tail, CONSOLE_DRAIN_MAX, &sink);
	state = tui_tail_state(c->tail, why, sizeof(why));
	if (state != c->tail_state || strcmp(why, c->tail_why) != 0) {
		/* Say it once on the status line, where there is room. */
		if (state == TUI_TAIL_DOWN && c->tail_state != TUI_TAIL_DOWN)
			console_say(c, TUI_SAY_WARN, "Kafka unreachable: %s",
				    why);
		else if (state == TUI_TAIL_LIVE &&
			 c->tail_state == TUI_TAIL_DOWN)
			console_say(c, TUI_SAY_INFO, "Kafka is back");
		c->tail_state = state;
		snprintf(c->tail_why, sizeof(c->tail_why), "%s", why);
		c->dirty = 1;
	}
	return n == CONSOLE_DRAIN_MAX;
}

static void take_jobs(struct console *c)
{
	for (int ep = 0; ep < TUI_EP_COUNT; ep++) {
		struct tui_job *job;

		if (c->worker[ep] == NULL)
			continue;
		while ((job = tui_worker_take(c->worker[ep])) != NULL) {
			struct console_event ev = { .kind = CONSOLE_EV_API,
						    .job = job };

			if (ep == TUI_EP_STORE) {
				enum api_health h = job->rc == 0 ? API_OK
								 : API_DOWN;

				if (h != c->api)
					c->dirty = 1;
				c->api = h;
			}
			broadcast(c, &ev);
			tui_job_free(job);
		}
	}
	if (c->control != NULL) {
		struct tui_job *job;

		while ((job = tui_worker_take(c->control)) != NULL) {
			struct console_event ev = { .kind = CONSOLE_EV_CONTROL,
						    .job = job };

			broadcast(c, &ev);
			tui_job_free(job);
		}
	}
}

/* ---- the loop ---- */

static void tick(struct console *c, double now)
{
	long second = (long)(now / 1000.0);

	for (int v = 0; v < VIEW_COUNT; v++) {
		struct screen *s = &c->screens[v];

		if (s->ops->tick != NULL &&
		    (s->ops->tick(s, now) & SCREEN_REDRAW))
			c->dirty = 1;
	}
	if (tui_status_tick(&c->status, now))
		c->dirty = 1;
	stream_model_expire(c->model, now);
	/* A ripple still waiting says how long, once a second. */
	if (c->ripple.active && now - c->ripple_said >= 1000.0) {
		if (now - c->ripple.started_ms > CONSOLE_RIPPLE_GIVE_UP_MS)
			c->ripple.active = 0;
		else
			console_ripple_update(c, NULL);
	}
	/* Ages ("..." becomes "-") change with time alone. */
	if (second != c->last_second) {
		c->last_second = second;
		c->dirty = 1;
	}
}

static void read_keys(struct console *c)
{
	wint_t ch;
	int rc;

	while (!c->quit && (rc = get_wch(&ch)) != ERR) {
		int key = rc == KEY_CODE_YES ? TUI_KEY_FN((int)ch) : (int)ch;

		console_handle_key(c, key);
		c->urgent = 1;
	}
}

static void run_loop(struct console *c)
{
	int more = 0;

	c->dirty = 1;
	c->urgent = 1;
	while (!c->quit && !tui_term_quit_requested()) {
		struct pollfd fds[3];
		nfds_t nfds = 2;
		double now = clock_mono_ms();
		int timeout = more ? 0 : CONSOLE_TICK_MS;

		tick(c, now);
		if (c->dirty) {
			double wait = CONSOLE_FRAME_MS - (now - c->last_draw);

			if (c->urgent || wait <= 0) {
				console_draw(c);
				c->last_draw = now;
				c->urgent = 0;
			} else if (wait < timeout) {
				timeout = (int)wait + 1;
			}
		}
		fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = tui_term_wake_read_fd(),
					  .events = POLLIN };
		if (c->tail != NULL)
			fds[nfds++] = (struct pollfd){ .fd = tui_tail_fd(c->tail),
						       .events = POLLIN };
		/* EINTR (SIGWINCH, SIGINT) just means: look around. */
		if (poll(fds, nfds, timeout) < 0 && errno != EINTR)
			break;
		tui_term_drain_wake();
		if (tui_caption_changed(c->cfg->caption, &c->caption_seen))
			c->dirty = 1;
		take_jobs(c);
		more = drain_tail(c);
		read_keys(c);
	}
}

static int screen_open(struct console *c, struct screen *s,
		       const struct screen_ops *ops)
{
	s->ops = ops;
	s->console = c;
	s->state = calloc(1, ops->state_size ? ops->state_size : 1);
	if (s->state == NULL)
		return -1;
	return ops->init != NULL ? ops->init(s) : 0;
}

static void screen_close(struct screen *s)
{
	if (s->ops != NULL && s->ops->done != NULL && s->state != NULL)
		s->ops->done(s);
	free(s->state);
	s->state = NULL;
}

static int start_workers(struct console *c, char *err, size_t errlen)
{
	const char *urls[TUI_EP_COUNT] = {
		[TUI_EP_STORE] = c->cfg->store_api,
		[TUI_EP_SEARCH] = c->cfg->search_api,
		[TUI_EP_ADS] = c->cfg->ads_api,
		[TUI_EP_FAVORITES] = c->cfg->favorites_api,
		[TUI_EP_REVIEWS] = c->cfg->reviews_api,
		[TUI_EP_DISPLAY] = c->cfg->display_api,
	};

	for (int ep = 0; ep < TUI_EP_COUNT; ep++) {
		if (urls[ep] == NULL || *urls[ep] == '\0')
			continue;
		c->url[ep] = urls[ep];
		/* The token is the store API's; no other service gets it. */
		c->worker[ep] = tui_worker_new(
			urls[ep], ep == TUI_EP_STORE ? c->cfg->token : NULL,
			ep == TUI_EP_STORE ? CONSOLE_STORE_TIMEOUT_MS
					   : CONSOLE_SERVICE_TIMEOUT_MS,
			tui_term_wake_fd(), err, errlen);
		if (c->worker[ep] == NULL)
			return -1;
	}
	if (c->cfg->control != NULL) {
		c->control = tui_worker_new(NULL, NULL, 0, tui_term_wake_fd(),
					    err, errlen);
		if (c->control == NULL)
			return -1;
	}
	return 0;
}

/* Cancels every call in flight, then gives them one shared deadline. */
static void stop_workers(struct console *c)
{
	double deadline = clock_mono_ms() + CONSOLE_QUIT_WAIT_MS;

	double left;

	for (int ep = 0; ep < TUI_EP_COUNT; ep++)
		tui_worker_cancel(c->worker[ep]);
	if (c->control != NULL && c->cfg->control->cancel != NULL)
		c->cfg->control->cancel(c->cfg->control->ctx);
	for (int ep = 0; ep < TUI_EP_COUNT; ep++) {
		left = deadline - clock_mono_ms();
		tui_worker_free(c->worker[ep], left > 0 ? (long)left : 0);
		c->worker[ep] = NULL;
	}
	/* A control call holds the stack's lock: let it end, it is short
	 * once cancelled, so that whoever stops the stack next finds it as
	 * the call left it. */
	tui_worker_free(c->control, CONSOLE_CONTROL_QUIT_WAIT_MS);
	c->control = NULL;
}

/* 0 when url is unset or an http(s) URL; else says which option is wrong. */
static int check_url(const char *option, const char *url)
{
	if (url == NULL || *url == '\0' || strncmp(url, "http://", 7) == 0 ||
	    strncmp(url, "https://", 8) == 0)
		return 0;
	fprintf(stderr,
		"storectl: %s: \"%s\" is not an http:// or https:// URL\n",
		option, url);
	return -1;
}

int console_run(const struct console_config *cfg)
{
	struct console *c;
	char err[512] = "";
	int rc = 1;

	if (cfg == NULL || cfg->store_api == NULL || *cfg->store_api == '\0') {
		fprintf(stderr, "storectl: the console needs --store-api\n");
		return 2;
	}
	/* A typo'd URL is said now, not as "Couldn't resolve host" later. */
	if (check_url("--store-api", cfg->store_api) ||
	    check_url("--search-api", cfg->search_api) ||
	    check_url("--ads-api", cfg->ads_api) ||
	    check_url("--favorites-api", cfg->favorites_api) ||
	    check_url("--reviews-api", cfg->reviews_api) ||
	    check_url("--display-api", cfg->display_api))
		return 2;
	if (cfg->brokers == NULL || *cfg->brokers == '\0') {
		fprintf(stderr, "storectl: the console needs --brokers\n");
		return 2;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL || tui_term_wake_fd() < 0) {
		fprintf(stderr, "storectl: out of resources\n");
		free(c);
		return 1;
	}
	c->cfg = cfg;
	c->tail_state = TUI_TAIL_CONNECTING;
	c->history[0] = VIEW_STORES;
	c->depth = 1;
	c->model = stream_model_new(CONSOLE_STREAM_ROWS);
	if (c->model == NULL) {
		snprintf(err, sizeof(err), "out of memory");
		goto out;
	}
	stream_model_set_listener(c->model, on_join, c);
	/* Threads first, so a bad -X property is said on a plain stderr. */
	c->tail = tui_tail_new(cfg->brokers, cfg->props, CONSOLE_HISTORY,
			       tui_term_wake_fd(), err, sizeof(err));
	if (c->tail == NULL)
		goto out;
	if (start_workers(c, err, sizeof(err)) != 0)
		goto out;
	if (tui_term_start(err, sizeof(err)) != 0)
		goto out;
	for (int v = 0; v < VIEW_COUNT; v++) {
		if (screen_open(c, &c->screens[v], view_ops[v]) != 0) {
			tui_term_stop();
			snprintf(err, sizeof(err), "out of memory");
			goto out;
		}
	}
	for (int v = 0; cfg->start_screen != NULL && v < VIEW_COUNT; v++)
		if (view_ops[v]->command != NULL &&
		    strcmp(view_ops[v]->command, cfg->start_screen) == 0)
			c->history[0] = (enum console_view)v;
	show(c, console_main(c));
	run_loop(c);
	/* Give the terminal back first; the threads may take a moment. */
	tui_term_stop();
	rc = 0;
out:
	if (rc != 0 && err[0])
		fprintf(stderr, "storectl: %s\n", err);
	stop_workers(c);
	tui_tail_free(c->tail);
	for (int v = 0; v < VIEW_COUNT; v++)
		screen_close(&c->screens[v]);
	stream_model_free(c->model);
	free(c);
	return rc;
}
