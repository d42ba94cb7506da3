/*
 * The console application: one loop on the UI thread polls the keyboard,
 * the wake-up pipe (API worker, signals) and the Kafka tail's queue fd, and
 * hands what arrives to the screens; only this thread touches ncurses.
 * Layout: a title line, the Stores or Editor pane on top, the Stream pane
 * below, the status line at the bottom.
 */
#include "tui/console.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "screens/screens.h"
#include "tui/help.h"
#include "tui/screen.h"
#include "tui/tail.h"
#include "tui/term.h"
#include "tui/text.h"

#define CONSOLE_MIN_COLS 80
#define CONSOLE_MIN_LINES 24
#define CONSOLE_STREAM_ROWS 2000
#define CONSOLE_HISTORY 1000    /* records per topic read at start */
#define CONSOLE_API_TIMEOUT_MS 5000
#define CONSOLE_TICK_MS 100     /* librdkafka wants polling regularly */
#define CONSOLE_DRAIN_MAX 500   /* records per turn, so keys stay quick */
#define CONSOLE_QUIT_WAIT_MS 300 /* for an API call in flight at quit */

enum api_health { API_UNKNOWN, API_OK, API_DOWN };

struct console {
	const struct console_config *cfg;
	struct tui_worker *worker;
	struct tui_tail *tail;
	struct stream_model *model;
	struct screen stores, editor, stream;
	struct screen *top; /* &stores or &editor */
	int focus_bottom;
	struct tui_status status;
	int dirty, full_redraw, quit;
	int help_open, help_scroll;
	int cursor_on, cursor_y, cursor_x;
	enum api_health api;
	enum tui_tail_state tail_state;
	char tail_why[256];
	long last_second;
	struct {
		int active;
		int64_t store_id, version;
	} ripple; /* the last save, reported as reactions come */
};

/* ---- services for screens (tui/screen.h) ---- */

uint64_t console_submit(struct console *c, struct tui_job *job)
{
	if (c->worker == NULL) {
		tui_job_free(job);
		return 0;
	}
	c->dirty = 1;
	return tui_worker_submit(c->worker, job);
}

void console_say(struct console *c, enum tui_say level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_status_set(&c->status, level, clock_mono_ms(), fmt, ap);
	va_end(ap);
	c->dirty = 1;
}

void console_open_editor(struct console *c, int64_t store_id)
{
	screen_editor_load(&c->editor, store_id);
	c->top = &c->editor;
	c->focus_bottom = 0;
	c->dirty = 1;
}

void console_show_stores(struct console *c)
{
	c->top = &c->stores;
	c->focus_bottom = 0;
	c->dirty = 1;
}

const struct stream_model *console_stream(const struct console *c)
{
	return c->model;
}

void console_show_cursor(struct console *c, int y, int x)
{
	c->cursor_on = 1;
	c->cursor_y = y;
	c->cursor_x = x;
}

/* ---- the ripple of a save ---- */

/* What service s did with the saved version, appended to buf. */
static void ripple_describe(struct console *c, const struct stream_row *row,
			    int s, char *buf, size_t len)
{
	const struct stream_cell *cell = &row->cell[s];
	const char *name = stream_model_service_name(c->model, s);
	size_t used = strlen(buf);
	char *out = buf + used;
	size_t room = len - used;

	if (name == NULL || cell->state == STREAM_CELL_NONE || room < 2)
		return;
	switch (cell->state) {
	case STREAM_CELL_APPLIED:
	case STREAM_CELL_DELETED:
		snprintf(out, room,
			 cell->lag_ms < 10 ? "; %s %s in %.1f ms"
					   : "; %s %s in %.0f ms",
			 name, stream_cell_name(cell->state), cell->lag_ms);
		break;
	case STREAM_CELL_STALE:
		snprintf(out, room, "; %s skipped (stale, holds v%lld)", name,
			 (long long)cell->applied_version);
		break;
	case STREAM_CELL_FIELDS:
		snprintf(out, room, "; %s skipped (keeps none of the fields)",
			 name);
		break;
	case STREAM_CELL_COALESCED:
		snprintf(out, room, "; %s coalesced into v%lld", name,
			 (long long)cell->by_version);
		break;
	case STREAM_CELL_FAILED:
		snprintf(out, room, "; %s FAILED: %s", name, cell->error);
		break;
	default:
		break;
	}
}

/*
 * Says on the status line how every service has handled the watched
 * version so far. Rebuilt from the row each time, so a retry that
 * succeeds after a failure replaces the failure.
 */
static void ripple_report(struct console *c, const struct stream_row *row)
{
	char text[512];
	enum tui_say level = TUI_SAY_GOOD;

	snprintf(text, sizeof(text), "saved v%lld",
		 (long long)c->ripple.version);
	for (int s = 0; s < STREAM_SERVICES_MAX; s++) {
		ripple_describe(c, row, s, text, sizeof(text));
		if (row->cell[s].state == STREAM_CELL_FAILED)
			level = TUI_SAY_WARN;
	}
	console_say(c, level, "%s", text);
}

void console_watch_ripple(struct console *c, int64_t store_id,
			  int64_t version)
{
	c->ripple.active = 1;
	c->ripple.store_id = store_id;
	c->ripple.version = version;
	console_say(c, TUI_SAY_GOOD, "saved v%lld; waiting for the services...",
		    (long long)version);
	/* The reaction may have come before the HTTP answer did. */
	for (size_t i = stream_model_count(c->model); i-- > 0;) {
		const struct stream_row *row = stream_model_row(c->model, i);

		if (row->store_id == store_id && row->version == version) {
			for (int s = 0; s < STREAM_SERVICES_MAX; s++)
				if (row->cell[s].state != STREAM_CELL_NONE) {
					ripple_report(c, row);
					break;
				}
			break;
		}
	}
}

/* ---- data arriving ---- */

static void broadcast(struct console *c, const struct console_event *ev)
{
	struct screen *all[] = { &c->stores, &c->editor, &c->stream };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->ops->on_event != NULL &&
		    (all[i]->ops->on_event(all[i], ev) & SCREEN_REDRAW))
			c->dirty = 1;
}

static void on_join(void *ctx, const struct stream_row *row, int service)
{
	struct console *c = ctx;
	struct console_event ev = { .kind = CONSOLE_EV_REACTION,
				    .row = row,
				    .service = service };

	if (c->ripple.active && row->store_id == c->ripple.store_id &&
	    row->version == c->ripple.version)
		ripple_report(c, row);
	broadcast(c, &ev);
}

static void sink_event(void *ctx, const struct store_event *sev,
		       int32_t partition, int64_t offset)
{
	struct console *c = ctx;
	const struct stream_row *row = stream_model_add_event(
		c->model, sev, partition, offset, clock_mono_ms());
	struct console_event ev = { .kind = CONSOLE_EV_STORE_EVENT,
				    .row = row };

	if (row != NULL)
		broadcast(c, &ev);
}

static void sink_reaction(void *ctx, const struct store_reaction *r)
{
	struct console *c = ctx;

	stream_model_add_reaction(c->model, r, clock_mono_ms());
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
	struct tui_job *job;

	if (c->worker == NULL)
		return;
	while ((job = tui_worker_take(c->worker)) != NULL) {
		struct console_event ev = { .kind = CONSOLE_EV_API, .job = job };
		enum api_health h = job->rc == 0 ? API_OK : API_DOWN;

		if (h != c->api)
			c->dirty = 1;
		c->api = h;
		broadcast(c, &ev);
		tui_job_free(job);
	}
}

/* ---- drawing ---- */

static int too_small(void)
{
	return COLS < CONSOLE_MIN_COLS || LINES < CONSOLE_MIN_LINES;
}

static const char *strip_scheme(const char *url)
{
	const char *p = strstr(url, "://");

	return p ? p + 3 : url;
}

static void draw_title(struct console *c)
{
	char line[512];
	const char *api = c->api == API_OK	 ? "ok"
			  : c->api == API_DOWN ? "UNREACHABLE"
					       : "...";
	const char *kafka = c->tail == NULL ? "off"
			    : c->tail_state == TUI_TAIL_LIVE ? "live"
			    : c->tail_state == TUI_TAIL_DOWN ? "DOWN"
							     : "connecting...";

	snprintf(line, sizeof(line), " storectl | api %s %s | kafka %s %s%s%s",
		 strip_scheme(c->cfg->store_api), api, c->cfg->brokers, kafka,
		 c->tail_state != TUI_TAIL_LIVE && c->tail_why[0] ? " - " : "",
		 c->tail_state != TUI_TAIL_LIVE ? c->tail_why : "");
	tui_draw_text(stdscr, 0, 0, COLS, line, tui_theme_attr(TUI_C_TITLE));
}

static void draw_pane(struct console *c, struct screen *s, struct tui_rect r,
		      int focused)
{
	char title[256] = "", line[320];

	if (s->ops->title != NULL)
		s->ops->title(s, title, sizeof(title));
	snprintf(line, sizeof(line), " %s%s%s", s->ops->name,
		 title[0] ? " - " : "", title);
	tui_draw_text(stdscr, r.y, r.x, r.w, line,
		      tui_theme_attr(focused ? TUI_C_PANE_FOCUS : TUI_C_PANE));
	r.y++;
	r.h--;
	s->ops->draw(s, stdscr, r, focused);
	(void)c;
}

static void draw_too_small(void)
{
	char line[128];
	int y = LINES / 2 - 1;

	snprintf(line, sizeof(line), "Terminal too small: %dx%d", COLS, LINES);
	tui_draw_center(stdscr, y < 0 ? 0 : y, 0, COLS, line,
			tui_theme_attr(TUI_C_WARN));
	snprintf(line, sizeof(line), "storectl needs at least %dx%d.",
		 CONSOLE_MIN_COLS, CONSOLE_MIN_LINES);
	tui_draw_center(stdscr, y + 1, 0, COLS, line, A_NORMAL);
	tui_draw_center(stdscr, y + 2, 0, COLS, "Enlarge it, or press q to quit.",
			A_NORMAL);
}

static struct screen *focused_screen(struct console *c)
{
	return c->focus_bottom ? &c->stream : c->top;
}

static void draw(struct console *c)
{
	int avail, top_h;
	struct screen *f = focused_screen(c);

	c->cursor_on = 0;
	if (c->full_redraw) {
		clearok(curscr, TRUE);
		c->full_redraw = 0;
	}
	erase();
	if (too_small()) {
		draw_too_small();
	} else {
		avail = LINES - 2;
		top_h = avail / 2;
		draw_title(c);
		draw_pane(c, c->top, (struct tui_rect){ 1, 0, top_h, COLS },
			  !c->focus_bottom);
		draw_pane(c, &c->stream,
			  (struct tui_rect){ 1 + top_h, 0, avail - top_h, COLS },
			  c->focus_bottom);
		tui_status_draw(stdscr, LINES - 1, COLS, &c->status,
				f->ops->hints);
		if (c->help_open) {
			const struct tui_keymap *maps[] = {
				f->ops->keymap, &tui_keymap_global
			};

			c->cursor_on = 0;
			tui_help_draw(stdscr, maps, 2, &c->help_scroll);
		}
	}
	if (c->cursor_on) {
		curs_set(1);
		move(c->cursor_y, c->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	c->dirty = 0;
}

/* ---- keys ---- */

static void handle_key(struct console *c, int key)
{
	struct screen *s;
	struct screen_key k;
	unsigned r;

	if (key == TUI_KEY_FN(KEY_RESIZE)) {
		c->full_redraw = 1;
		c->dirty = 1;
		return;
	}
	c->dirty = 1;
	if (too_small()) {
		if (key == 'q')
			c->quit = 1;
		return;
	}
	if (c->help_open) {
		if (key == 'j' || key == TUI_KEY_FN(KEY_DOWN))
			c->help_scroll++;
		else if ((key == 'k' || key == TUI_KEY_FN(KEY_UP)) &&
			 c->help_scroll > 0)
			c->help_scroll--;
		else
			c->help_open = 0;
		return;
	}
	s = focused_screen(c);
	k.key = key;
	k.action = tui_keymap_lookup(s->ops->keymap, key);
	r = s->ops->key(s, &k);
	if (r & SCREEN_QUIT)
		c->quit = 1;
	if (r & SCREEN_HANDLED)
		return;
	switch (tui_keymap_lookup(&tui_keymap_global, key)) {
	case TUI_A_QUIT:
		c->quit = 1;
		break;
	case TUI_A_HELP:
		c->help_open = 1;
		c->help_scroll = 0;
		break;
	case TUI_A_FOCUS:
		c->focus_bottom = !c->focus_bottom;
		break;
	case TUI_A_REDRAW:
		c->full_redraw = 1;
		break;
	default:
		break;
	}
}

static void read_keys(struct console *c)
{
	wint_t ch;
	int rc;

	while (!c->quit && (rc = get_wch(&ch)) != ERR) {
		int key = rc == KEY_CODE_YES ? TUI_KEY_FN((int)ch) : (int)ch;

		handle_key(c, key);
	}
}

/* ---- the loop ---- */

static void tick(struct console *c, double now)
{
	struct screen *all[] = { &c->stores, &c->editor, &c->stream };
	long second = (long)(now / 1000.0);

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->ops->tick != NULL &&
		    (all[i]->ops->tick(all[i], now) & SCREEN_REDRAW))
			c->dirty = 1;
	if (tui_status_tick(&c->status, now))
		c->dirty = 1;
	stream_model_expire(c->model, now);
	/* Ages ("..." becomes "-") change with time alone. */
	if (second != c->last_second) {
		c->last_second = second;
		c->dirty = 1;
	}
}

static void run_loop(struct console *c)
{
	int more = 0;

	c->dirty = 1;
	while (!c->quit && !tui_term_quit_requested()) {
		struct pollfd fds[3];
		nfds_t nfds = 2;

		tick(c, clock_mono_ms());
		if (c->dirty)
			draw(c);
		fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = tui_term_wake_read_fd(),
					  .events = POLLIN };
		if (c->tail != NULL)
			fds[nfds++] = (struct pollfd){ .fd = tui_tail_fd(c->tail),
						       .events = POLLIN };
		/* EINTR (SIGWINCH, SIGINT) just means: look around. */
		if (poll(fds, nfds, more ? 0 : CONSOLE_TICK_MS) < 0 &&
		    errno != EINTR)
			break;
		tui_term_drain_wake();
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

int console_run(const struct console_config *cfg)
{
	struct console *c;
	char err[512] = "";
	int rc = 1;

	if (cfg == NULL || cfg->store_api == NULL || *cfg->store_api == '\0') {
		fprintf(stderr, "storectl: the console needs --store-api\n");
		return 2;
	}
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
	c->worker = tui_worker_new(cfg->store_api, cfg->token,
				   CONSOLE_API_TIMEOUT_MS, tui_term_wake_fd(),
				   err, sizeof(err));
	if (c->worker == NULL)
		goto out;
	if (tui_term_start(err, sizeof(err)) != 0)
		goto out;
	if (screen_open(c, &c->stream, &screen_stream) != 0 ||
	    screen_open(c, &c->editor, &screen_editor) != 0 ||
	    screen_open(c, &c->stores, &screen_stores) != 0) {
		tui_term_stop();
		snprintf(err, sizeof(err), "out of memory");
		goto out;
	}
	c->top = &c->stores;
	run_loop(c);
	/* Give the terminal back first; the threads may take a moment. */
	tui_term_stop();
	rc = 0;
out:
	if (rc != 0 && err[0])
		fprintf(stderr, "storectl: %s\n", err);
	tui_worker_free(c->worker, CONSOLE_QUIT_WAIT_MS);
	tui_tail_free(c->tail);
	screen_close(&c->stores);
	screen_close(&c->editor);
	screen_close(&c->stream);
	stream_model_free(c->model);
	free(c);
	return rc;
}
