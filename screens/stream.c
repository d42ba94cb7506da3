/*
 * Stream: the live pane. One row per store event (newest at the bottom),
 * then one column per downstream service with its reaction to that event.
 * Follow mode keeps the newest row in view; moving up pauses it, G or f
 * resumes. Adding a service is one line in stream_services.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/fields.h"
#include "common/clock.h"
#include "screens/screens.h"
#include "tui/table.h"

/* The services whose reactions get a column, in display order. */
static const struct {
	const char *service; /* "service" of store.reactions */
	const char *title;
} stream_services[] = {
	{ "search", "SEARCH" },
};

#define NSERVICES (sizeof(stream_services) / sizeof(stream_services[0]))
#define NFIXED 5
#define WAIT_MS 30000.0 /* no reaction after this long: "-" */

struct stream_state {
	struct tui_column cols[NFIXED + NSERVICES];
	struct tui_table table;
	const struct stream_model *m;
	int follow;
	uint64_t anchor; /* seq of the cursor row while paused */
	size_t unseen;   /* rows that arrived while paused */
	double now_wall;
};

static const struct tui_column stream_fixed[NFIXED] = {
	{ "TIME", 12, 0, 0 },
	{ "STORE", 6, 0, 1 },
	{ "TYPE", 7, 0, 0 },
	{ "VER", 4, 0, 1 },
	{ "FIELDS", 0, 6, 0 },
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
};

static const struct tui_keymap stream_keymap =
	TUI_KEYMAP("Stream", stream_binds);

static void format_ms(double ms, char *buf, size_t len)
{
	if (ms < 1.0)
		snprintf(buf, len, "<1ms");
	else if (ms < 1000.0)
		snprintf(buf, len, "%.0fms", ms);
	else
		snprintf(buf, len, "%.1fs", ms / 1000.0);
}

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

static void service_cell(const struct stream_state *st,
			 const struct stream_row *row, size_t k, char *buf,
			 size_t len, enum tui_color *color)
{
	int s = stream_model_service(st->m, stream_services[k].service);
	const struct stream_cell *c = s >= 0 ? &row->cell[s] : NULL;
	char ms[16];

	if (c == NULL || c->state == STREAM_CELL_NONE) {
		snprintf(buf, len, "%s",
			 st->now_wall - row->at_ms < WAIT_MS ? "..." : "-");
		*color = TUI_C_DIM;
		return;
	}
	format_ms(c->lag_ms, ms, sizeof(ms));
	switch (c->state) {
	case STREAM_CELL_APPLIED:
	case STREAM_CELL_DELETED:
		snprintf(buf, len, "%s %s", stream_cell_name(c->state), ms);
		*color = TUI_C_GOOD;
		break;
	case STREAM_CELL_FAILED:
		snprintf(buf, len, "failed");
		*color = TUI_C_ERROR;
		break;
	default:
		snprintf(buf, len, "%s", stream_cell_name(c->state));
		*color = TUI_C_DIM;
	}
}

static void stream_cell(void *ctx, size_t i, size_t col, char *buf, size_t len,
			enum tui_color *color)
{
	const struct stream_state *st = ctx;
	const struct stream_row *row = stream_model_row(st->m, i);

	if (row == NULL)
		return;
	switch (col) {
	case 0: {
		time_t secs = (time_t)(row->at_ms / 1000.0);
		struct tm tm;

		localtime_r(&secs, &tm);
		snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (int)((long long)row->at_ms % 1000));
		*color = TUI_C_DIM;
		break;
	}
	case 1:
		snprintf(buf, len, "%lld", (long long)row->store_id);
		break;
	case 2:
		snprintf(buf, len, "%s", store_event_type_name(row->type));
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
		if (col - NFIXED < NSERVICES)
			service_cell(st, row, col - NFIXED, buf, len, color);
	}
}

static int stream_init(struct screen *s)
{
	struct stream_state *st = s->state;

	memcpy(st->cols, stream_fixed, sizeof(stream_fixed));
	for (size_t k = 0; k < NSERVICES; k++) {
		st->cols[NFIXED + k].title = stream_services[k].title;
		st->cols[NFIXED + k].width = 13; /* "applied 999ms" */
	}
	st->table.cols = st->cols;
	st->table.ncols = NFIXED + NSERVICES;
	st->table.ctx = st;
	st->table.cell = stream_cell;
	st->m = console_stream(s->console);
	st->follow = 1;
	return 0;
}

/* Puts the cursor where follow mode or the anchor says. */
static void place_cursor(struct stream_state *st)
{
	st->table.rows = stream_model_count(st->m);
	if (st->follow) {
		st->table.selected = st->table.rows ? st->table.rows - 1 : 0;
	} else {
		long i = stream_model_find_seq(st->m, st->anchor);

		st->table.selected = i >= 0 ? (size_t)i : 0;
	}
	tui_table_clamp(&st->table);
}

static void remember_anchor(struct stream_state *st)
{
	const struct stream_row *row =
		stream_model_row(st->m, st->table.selected);

	st->anchor = row ? row->seq : 0;
}

static void stream_title(struct screen *s, char *buf, size_t len)
{
	struct stream_state *st = s->state;
	size_t n = stream_model_count(st->m);

	if (st->follow)
		snprintf(buf, len, "following - %zu events", n);
	else
		snprintf(buf, len, "PAUSED - %zu new - f or G to follow",
			 st->unseen);
}

static void stream_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			int focused)
{
	struct stream_state *st = s->state;

	st->now_wall = clock_wall_ms();
	place_cursor(st);
	tui_table_draw(win, r, &st->table, focused,
		       "waiting for store events...");
}

static unsigned stream_key(struct screen *s, const struct screen_key *k)
{
	struct stream_state *st = s->state;

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
	default:
		return SCREEN_IGNORED;
	}
}

static unsigned stream_on_event(struct screen *s,
				const struct console_event *ev)
{
	struct stream_state *st = s->state;

	if (ev->kind == CONSOLE_EV_STORE_EVENT) {
		if (!st->follow)
			st->unseen++;
		return SCREEN_REDRAW;
	}
	if (ev->kind == CONSOLE_EV_REACTION)
		return SCREEN_REDRAW;
	return SCREEN_IGNORED;
}

const struct screen_ops screen_stream = {
	.name = "Stream",
	.state_size = sizeof(struct stream_state),
	.keymap = &stream_keymap,
	.hints = "f pause/follow  G newest  Tab stores  ? help  q quit",
	.init = stream_init,
	.title = stream_title,
	.draw = stream_draw,
	.key = stream_key,
	.on_event = stream_on_event,
};
