/*
 * Stream: the live pane. One row per store event (newest at the bottom),
 * then one column per downstream service with its reaction and latency,
 * narrow enough that five services fit in 80 columns:
 *
 *   ok 4ms    applied, 4 ms after the event's commit
 *   x3 4ms    applied; one fetch answered 3 events (coalesced x3)
 *   ^v7       folded into the fetch for version 7 (coalesced)
 *   del 4ms   deleted
 *   stale     skipped: the service already held this version or newer
 *   fields    skipped: none of the service's fields changed
 *   FAIL      failed (Enter shows the error)
 *   ...       no reaction yet; "-" after 30 s
 *
 * ASCII only: check marks and arrows are ambiguous-width characters that
 * break the columns on CJK terminals. Follow mode keeps the newest row in
 * view; moving up pauses it, G or f resumes. '/' filters by store, type,
 * service and reaction (tui/filter.h); Enter opens the event's detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"
#include "common/clock.h"
#include "screens/screens.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/table.h"

/* The services DESIGN.md names, in column order; others follow. */
static const struct {
	const char *service;
	const char *title;
} known[] = {
	{ "search", "SEARCH" },	  { "ads", "ADS" },
	{ "favorites", "FAVS" },  { "reviews", "REVIEWS" },
	{ "display", "DISPLAY" },
};

#define NKNOWN (sizeof(known) / sizeof(known[0]))
#define NFIXED 5
#define NCOLS_MAX (NFIXED + STREAM_SERVICES_MAX)
#define WAIT_MS 30000.0 /* no reaction after this long: "-" */

enum { PROMPT_FILTER };

struct stream_state {
	struct tui_column cols[NCOLS_MAX];
	char titles[STREAM_SERVICES_MAX][16];
	const char *shown[STREAM_SERVICES_MAX]; /* service of each column */
	size_t nshown;
	int wide;
	struct tui_table table;
	const struct stream_model *m;
	/* The rows that pass the filter (model indexes), when filtering. */
	size_t *view;
	size_t nview, capview;
	uint64_t view_serial;
	int view_valid;
	struct stream_filter filter;
	char filter_text[256], filter_before[256];
	int follow;
	uint64_t anchor; /* seq of the cursor row while paused */
	size_t unseen;   /* rows that arrived while paused */
	double now_wall;
};

static const struct tui_keybind stream_binds[] = {
	{ 'j', TUI_A_DOWN },
	{ TUI_KEY_FN(KEY_DOWN), TUI_A_DOWN },
	{ 'k', TUI_A_UP },
	{ TUI_KEY_FN(KEY_UP), TUI_A_UP },
	{ TUI_KEY_FN(KEY_NPAGE), TUI_A_PAGE_DOWN },
	{ TUI_KEY_FN(KEY_PPAGE), TUI_A_PAGE_UP },
	{ 'g', TUI_A_FIRST },
	{ TUI_KEY_FN(KEY_HOME), TUI_A_FIRST },
	{ 'G', TUI_A_FOLLOW_END },
	{ TUI_KEY_FN(KEY_END), TUI_A_FOLLOW_END },
	{ 'f', TUI_A_FOLLOW },
	{ ' ', TUI_A_FOLLOW },
	{ '\r', TUI_A_SHOW_EVENT },
	{ '\n', TUI_A_SHOW_EVENT },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_SHOW_EVENT },
	{ '/', TUI_A_FILTER },
};

static const struct tui_keymap stream_keymap =
	TUI_KEYMAP("Stream", stream_binds);

/* ---- the rows shown ---- */

static size_t shown_rows(const struct stream_state *st)
{
	return st->filter.active ? st->nview : stream_model_count(st->m);
}

static const struct stream_row *shown_row(const struct stream_state *st,
					  size_t i)
{
	if (!st->filter.active)
		return stream_model_row(st->m, i);
	return i < st->nview ? stream_model_row(st->m, st->view[i]) : NULL;
}

static void rebuild_view(struct stream_state *st)
{
	size_t n = stream_model_count(st->m);

	if (!st->filter.active) {
		st->view_valid = 1;
		return;
	}
	if (st->view_valid && st->view_serial == stream_model_serial(st->m))
		return;
	if (st->capview < n) {
		size_t *grown = realloc(st->view, n * sizeof(*grown));

		if (grown == NULL)
			return;
		st->view = grown;
		st->capview = n;
	}
	st->nview = 0;
	for (size_t i = 0; i < n; i++)
		if (stream_filter_match(&st->filter, stream_model_row(st->m, i),
					st->m))
			st->view[st->nview++] = i;
	st->view_serial = stream_model_serial(st->m);
	st->view_valid = 1;
}

/* ---- columns ---- */

static void fields_text(uint32_t fields, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int b = 0; b < 32 && o < len; b++) {
		uint32_t bit = 1u << b;
		const char *name;

		if (!(fields & bit))
			continue;
		name = bit == STORE_F_OTHER ? "other" : store_field_name(bit);
		if (name == NULL)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
				      name);
	}
}

/* The service columns: known ones, then any other seen, as filtered. */
static void layout_columns(struct stream_state *st, int width)
{
	static const struct tui_column fixed_narrow[NFIXED] = {
		{ "TIME", 8, 0, 0 }, { "STORE", 5, 0, 1 },
		{ "TYP", 3, 0, 0 },  { "VER", 3, 0, 1 },
		{ "FIELDS", 0, 4, 0 },
	};
	static const struct tui_column fixed_wide[NFIXED] = {
		{ "TIME", 12, 0, 0 }, { "STORE", 6, 0, 1 },
		{ "TYPE", 7, 0, 0 },  { "VER", 4, 0, 1 },
		{ "FIELDS", 0, 6, 0 },
	};
	int ns = stream_model_nservices(st->m);
	int cw;

	st->nshown = 0;
	for (size_t k = 0; k < NKNOWN; k++)
		if (stream_filter_shows(&st->filter, known[k].service))
			st->shown[st->nshown++] = known[k].service;
	for (int s = 0; s < ns && st->nshown < STREAM_SERVICES_MAX; s++) {
		const char *name = stream_model_service_name(st->m, s);
		size_t k;

		for (k = 0; k < NKNOWN; k++)
			if (strcmp(known[k].service, name) == 0)
				break;
		if (k == NKNOWN && stream_filter_shows(&st->filter, name))
			st->shown[st->nshown++] = name;
	}
	st->wide = width >= 120 || st->nshown <= 2;
	memcpy(st->cols, width >= 110 ? fixed_wide : fixed_narrow,
	       sizeof(fixed_narrow));
	cw = st->nshown <= 2 ? 26 : st->wide ? 14 : 8;
	for (size_t i = 0; i < st->nshown; i++) {
		const char *name = st->shown[i];
		size_t k;

		for (k = 0; k < NKNOWN; k++)
			if (strcmp(known[k].service, name) == 0)
				break;
		snprintf(st->titles[i], sizeof(st->titles[i]), "%s",
			 k < NKNOWN ? known[k].title : name);
		for (char *p = st->titles[i]; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		st->cols[NFIXED + i] = (struct tui_column){ st->titles[i], cw,
							    0, 0 };
	}
	st->table.ncols = NFIXED + st->nshown;
}

static void service_cell(const struct stream_state *st,
			 const struct stream_row *row, const char *service,
			 char *buf, size_t len, enum tui_color *color)
{
	int s = stream_model_service(st->m, service);
	const struct stream_cell *c = s >= 0 ? &row->cell[s] : NULL;
	char ms[16];

	if (c == NULL || c->state == STREAM_CELL_NONE) {
		snprintf(buf, len, "%s",
			 st->now_wall - row->received_ms < WAIT_MS ? "..."
								   : "-");
		*color = TUI_C_DIM;
		return;
	}
	tui_fmt_ms(c->lag_ms, ms, sizeof(ms));
	switch (c->state) {
	case STREAM_CELL_APPLIED:
		if (c->coalesced > 1)
			snprintf(buf, len, st->wide ? "x%d applied %s" : "x%d %s",
				 c->coalesced, ms);
		else
			snprintf(buf, len, st->wide ? "applied %s" : "ok %s",
				 ms);
		*color = TUI_C_GOOD;
		break;
	case STREAM_CELL_DELETED:
		snprintf(buf, len, st->wide ? "deleted %s" : "del %s", ms);
		*color = TUI_C_GOOD;
		break;
	case STREAM_CELL_FAILED:
		if (st->wide)
			snprintf(buf, len, "FAILED %s", c->error);
		else
			snprintf(buf, len, "FAIL");
		*color = TUI_C_ERROR;
		break;
	case STREAM_CELL_STALE:
		snprintf(buf, len, st->wide ? "skip: stale" : "stale");
		*color = TUI_C_DIM;
		break;
	case STREAM_CELL_FIELDS:
		snprintf(buf, len, st->wide ? "skip: fields" : "fields");
		*color = TUI_C_DIM;
		break;
	case STREAM_CELL_COALESCED:
		snprintf(buf, len, st->wide ? "in v%lld's fetch" : "^v%lld",
			 (long long)c->by_version);
		*color = TUI_C_DIM;
		break;
	default:
		break;
	}
}

static void stream_cell(void *ctx, size_t i, size_t col, char *buf, size_t len,
			enum tui_color *color)
{
	const struct stream_state *st = ctx;
	const struct stream_row *row = shown_row(st, i);
	const char *type;

	if (row == NULL)
		return;
	switch (col) {
	case 0:
		tui_fmt_clock(row->at_ms, st->cols[0].width >= 12, buf, len);
		*color = TUI_C_DIM;
		break;
	case 1:
		snprintf(buf, len, "%lld", (long long)row->store_id);
		break;
	case 2:
		type = store_event_type_name(row->type);
		if (st->cols[2].width >= 7)
			snprintf(buf, len, "%s", type);
		else
			snprintf(buf, len, "%s",
				 row->type == STORE_EVENT_CREATED   ? "new"
				 : row->type == STORE_EVENT_DELETED ? "del"
								    : "upd");
		if (row->type == STORE_EVENT_DELETED)
			*color = TUI_C_WARN;
		break;
	case 3:
		snprintf(buf, len, "%lld", (long long)row->version);
		break;
	case 4:
		fields_text(row->fields, buf, len);
		break;
	default:
		if (col - NFIXED < st->nshown)
			service_cell(st, row, st->shown[col - NFIXED], buf, len,
				     color);
	}
}

/* ---- cursor ---- */

static long find_shown_seq(const struct stream_state *st, uint64_t seq)
{
	size_t n = shown_rows(st);

	for (size_t i = n; i-- > 0;)
		if (shown_row(st, i)->seq == seq)
			return (long)i;
	return -1;
}

/* Puts the cursor where follow mode or the anchor says. */
static void place_cursor(struct stream_state *st)
{
	rebuild_view(st);
	st->table.rows = shown_rows(st);
	if (st->follow) {
		st->table.selected = st->table.rows ? st->table.rows - 1 : 0;
	} else {
		long i = find_shown_seq(st, st->anchor);

		st->table.selected = i >= 0 ? (size_t)i : 0;
	}
	tui_table_clamp(&st->table);
}

static void remember_anchor(struct stream_state *st)
{
	const struct stream_row *row = shown_row(st, st->table.selected);

	st->anchor = row ? row->seq : 0;
}

/* ---- the screen ---- */

static int stream_init(struct screen *s)
{
	struct stream_state *st = s->state;

	st->table.cols = st->cols;
	st->table.ctx = st;
	st->table.cell = stream_cell;
	st->m = console_stream(s->console);
	st->follow = 1;
	layout_columns(st, 80);
	return 0;
}

static void stream_done(struct screen *s)
{
	struct stream_state *st = s->state;

	free(st->view);
}

static int set_filter(struct screen *s, const char *text, int quiet)
{
	struct stream_state *st = s->state;
	const char *names[STREAM_SERVICES_MAX];
	int ns = stream_model_nservices(st->m);
	struct stream_filter f;
	char err[300];

	for (int i = 0; i < ns; i++)
		names[i] = stream_model_service_name(st->m, i);
	if (stream_filter_parse(text, names, (size_t)ns, &f, err,
				sizeof(err)) != 0) {
		if (!quiet)
			console_say(s->console, TUI_SAY_ERROR, "filter: %s",
				    err);
		return -1;
	}
	st->filter = f;
	snprintf(st->filter_text, sizeof(st->filter_text), "%s", text);
	st->view_valid = 0;
	return 0;
}

void screen_stream_filter(struct screen *s, const char *filter)
{
	set_filter(s, filter, 0);
}

static void stream_title(struct screen *s, char *buf, size_t len)
{
	struct stream_state *st = s->state;
	size_t n = stream_model_count(st->m);
	char what[300] = "";

	rebuild_view(st);
	if (st->filter.active)
		snprintf(what, sizeof(what), " - %zu of %zu - /%s", st->nview,
			 n, st->filter_text);
	if (st->follow)
		snprintf(buf, len, "following - %zu events%s",
			 st->filter.active ? st->nview : n, what);
	else
		snprintf(buf, len, "PAUSED - %zu new - f or G follows%s",
			 st->unseen, what);
}

static void stream_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			int focused)
{
	struct stream_state *st = s->state;

	st->now_wall = clock_wall_ms();
	layout_columns(st, r.w);
	place_cursor(st);
	tui_table_draw(win, r, &st->table, focused,
		       st->filter.active ? "no event matches the filter (/ changes it)"
					 : "waiting for store events...");
}

static unsigned stream_prompt(struct screen *s, int id,
			      enum console_prompt_event ev, const char *text)
{
	struct stream_state *st = s->state;

	if (id != PROMPT_FILTER)
		return SCREEN_IGNORED;
	switch (ev) {
	case PROMPT_CHANGE:
		/* Live while it parses; half-typed words wait. */
		set_filter(s, text, 1);
		break;
	case PROMPT_ACCEPT:
		if (set_filter(s, text, 0) != 0) {
			set_filter(s, st->filter_before, 1);
		} else if (st->filter.active) {
			rebuild_view(st);
			console_say(s->console, TUI_SAY_INFO,
				    "%zu of %zu events match", st->nview,
				    stream_model_count(st->m));
		}
		break;
	case PROMPT_CANCEL:
		set_filter(s, st->filter_before, 1);
		break;
	}
	return SCREEN_REDRAW;
}

static unsigned stream_key(struct screen *s, const struct screen_key *k)
{
	struct stream_state *st = s->state;
	const struct stream_row *row;

	place_cursor(st);
	switch (k->action) {
	case TUI_A_FOLLOW:
		st->follow = !st->follow;
		st->unseen = 0;
		remember_anchor(st);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_FOLLOW_END:
		st->follow = 1;
		st->unseen = 0;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_UP:
	case TUI_A_PAGE_UP:
	case TUI_A_FIRST:
		if (st->follow)
			st->unseen = 0;
		st->follow = 0;
		/* fall through */
	case TUI_A_DOWN:
	case TUI_A_PAGE_DOWN:
		tui_table_move(&st->table, k->action);
		remember_anchor(st);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SHOW_EVENT:
		row = shown_row(st, st->table.selected);
		if (row == NULL) {
			console_say(s->console, TUI_SAY_INFO, "no event here yet");
			return SCREEN_HANDLED;
		}
		/* Looking at one event pauses the list under it. */
		if (st->follow) {
			st->follow = 0;
			st->unseen = 0;
		}
		remember_anchor(st);
		console_open_event(s->console, row->seq);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_FILTER:
		snprintf(st->filter_before, sizeof(st->filter_before), "%s",
			 st->filter_text);
		console_prompt(s->console, s, PROMPT_FILTER,
			       "/ (store id, type, service, failed...) ",
			       st->filter_text);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		return SCREEN_IGNORED;
	}
}

static unsigned stream_on_event(struct screen *s,
				const struct console_event *ev)
{
	struct stream_state *st = s->state;

	if (ev->kind == CONSOLE_EV_STORE_EVENT) {
		if (!st->follow && (!st->filter.active ||
				    stream_filter_match(&st->filter, ev->row,
							st->m)))
			st->unseen++;
		return console_is_visible(s->console, s) ? SCREEN_REDRAW
							  : SCREEN_IGNORED;
	}
	if (ev->kind == CONSOLE_EV_REACTION)
		return console_is_visible(s->console, s) ? SCREEN_REDRAW
							  : SCREEN_IGNORED;
	return SCREEN_IGNORED;
}

const struct screen_ops screen_stream = {
	.name = "Stream",
	.command = "stream",
	.state_size = sizeof(struct stream_state),
	.keymap = &stream_keymap,
	.hints = "Enter detail  / filter  f pause  G follow  : ? q",
	.init = stream_init,
	.title = stream_title,
	.draw = stream_draw,
	.key = stream_key,
	.on_event = stream_on_event,
	.on_prompt = stream_prompt,
	.done = stream_done,
};
