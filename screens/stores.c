/*
 * Stores: the list from GET /stores. Enter opens the selected store in the
 * editor. The list refreshes itself when the stream shows a store it holds
 * changing (or a new one), so what it shows follows the source of truth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "screens/screens.h"
#include "tui/table.h"

#define STORES_REFRESH_DELAY_MS 300.0

struct store_item {
	int64_t id;
	int64_t version;
	char name[160];
	char category[48];
	char status[24];
};

struct stores_state {
	struct store_item *items;
	size_t n;
	struct tui_table table;
	uint64_t job_seq;   /* list request in flight, 0 none */
	int loaded;
	char error[512];
	double refresh_due; /* monotonic ms, 0 = none */
	int64_t keep_id;    /* select this id after the next load */
	int announce;       /* say the result (the user asked for it) */
};

static const struct tui_column stores_columns[] = {
	{ "ID", 6, 0, 1 },
	{ "NAME", 0, 12, 0 },
	{ "CATEGORY", 12, 0, 0 },
	{ "STATUS", 8, 0, 0 },
	{ "VER", 5, 0, 1 },
};

static const struct tui_keybind stores_binds[] = {
	{ 'j', TUI_A_DOWN },
	{ TUI_KEY_FN(KEY_DOWN), TUI_A_DOWN },
	{ 'k', TUI_A_UP },
	{ TUI_KEY_FN(KEY_UP), TUI_A_UP },
	{ TUI_KEY_FN(KEY_NPAGE), TUI_A_PAGE_DOWN },
	{ TUI_KEY_FN(KEY_PPAGE), TUI_A_PAGE_UP },
	{ 'g', TUI_A_FIRST },
	{ TUI_KEY_FN(KEY_HOME), TUI_A_FIRST },
	{ 'G', TUI_A_LAST },
	{ TUI_KEY_FN(KEY_END), TUI_A_LAST },
	{ '\r', TUI_A_OPEN },
	{ '\n', TUI_A_OPEN },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_OPEN },
	{ 'r', TUI_A_REFRESH },
};

static const struct tui_keymap stores_keymap =
	TUI_KEYMAP("Stores", stores_binds);

static void stores_cell(void *ctx, size_t row, size_t col, char *buf,
			size_t len, enum tui_color *color)
{
	const struct stores_state *st = ctx;
	const struct store_item *it = &st->items[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%lld", (long long)it->id);
		break;
	case 1:
		snprintf(buf, len, "%s", it->name);
		break;
	case 2:
		snprintf(buf, len, "%s", it->category);
		break;
	case 3:
		snprintf(buf, len, "%s", it->status);
		if (strcmp(it->status, "open") != 0)
			*color = TUI_C_DIM;
		break;
	case 4:
		snprintf(buf, len, "%lld", (long long)it->version);
		break;
	}
}

static void request_list(struct screen *s)
{
	struct stores_state *st = s->state;
	struct tui_job *job;

	if (st->job_seq != 0)
		return;
	job = tui_job_new(TUI_JOB_LIST_STORES);
	if (job == NULL) {
		console_say(s->console, TUI_SAY_ERROR, "out of memory");
		return;
	}
	/* The API's largest page; paging through more comes with filters. */
	snprintf(job->query, sizeof(job->query), "limit=1000");
	st->refresh_due = 0;
	if (st->n > 0)
		st->keep_id = st->items[st->table.selected].id;
	st->job_seq = console_submit(s->console, job);
}

static int stores_init(struct screen *s)
{
	struct stores_state *st = s->state;

	st->table.cols = stores_columns;
	st->table.ncols = sizeof(stores_columns) / sizeof(stores_columns[0]);
	st->table.ctx = st;
	st->table.cell = stores_cell;
	request_list(s);
	return 0;
}

static void stores_done(struct screen *s)
{
	struct stores_state *st = s->state;

	free(st->items);
}

static void copy_str(char *dst, size_t len, const json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));

	snprintf(dst, len, "%s", v ? v : "");
}

/* Takes the list from a GET /stores answer: {"stores":[...]} or [...]. */
static int parse_list(struct stores_state *st, const json_t *body)
{
	const json_t *arr = json_is_array(body) ? body
						 : json_object_get(body, "stores");
	struct store_item *items;
	size_t n, i, k = 0;

	if (!json_is_array(arr))
		return -1;
	n = json_array_size(arr);
	items = calloc(n ? n : 1, sizeof(*items));
	if (items == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		struct store_item *it = &items[k];

		if (!json_is_object(o) ||
		    !json_is_integer(json_object_get(o, "id")))
			continue;
		it->id = json_integer_value(json_object_get(o, "id"));
		it->version = json_integer_value(json_object_get(o, "version"));
		copy_str(it->name, sizeof(it->name), o, "name");
		copy_str(it->category, sizeof(it->category), o, "category");
		copy_str(it->status, sizeof(it->status), o, "status");
		k++;
	}
	free(st->items);
	st->items = items;
	st->n = k;
	st->table.rows = k;
	/* Keep the cursor on the same store across a reload. */
	for (i = 0; i < k; i++)
		if (items[i].id == st->keep_id) {
			st->table.selected = i;
			break;
		}
	tui_table_clamp(&st->table);
	return 0;
}

static unsigned stores_on_event(struct screen *s,
				const struct console_event *ev)
{
	struct stores_state *st = s->state;

	if (ev->kind == CONSOLE_EV_API && ev->job->seq == st->job_seq) {
		const struct tui_job *job = ev->job;

		st->job_seq = 0;
		if (job->rc != 0 || job->res.status != 200) {
			tui_job_describe(job, st->error, sizeof(st->error));
			console_say(s->console, TUI_SAY_ERROR, "%s", st->error);
		} else if (parse_list(st, job->res.body) != 0) {
			snprintf(st->error, sizeof(st->error),
				 "GET /stores: unexpected answer");
			console_say(s->console, TUI_SAY_ERROR, "%s", st->error);
		} else {
			st->error[0] = '\0';
			st->loaded = 1;
			if (st->announce)
				console_say(s->console, TUI_SAY_INFO,
					    "%zu store%s loaded", st->n,
					    st->n == 1 ? "" : "s");
		}
		st->announce = 0;
		return SCREEN_REDRAW;
	}
	if (ev->kind == CONSOLE_EV_STORE_EVENT && st->loaded &&
	    st->refresh_due == 0) {
		/* Refresh once a burst of changes has passed. */
		for (size_t i = 0; i < st->n; i++)
			if (st->items[i].id == ev->row->store_id) {
				if (st->items[i].version < ev->row->version)
					st->refresh_due = clock_mono_ms() +
						STORES_REFRESH_DELAY_MS;
				return SCREEN_IGNORED;
			}
		if (ev->row->type != STORE_EVENT_DELETED)
			st->refresh_due = clock_mono_ms() +
					  STORES_REFRESH_DELAY_MS;
	}
	return SCREEN_IGNORED;
}

static unsigned stores_tick(struct screen *s, double now_ms)
{
	struct stores_state *st = s->state;

	if (st->refresh_due != 0 && now_ms >= st->refresh_due &&
	    st->job_seq == 0) {
		request_list(s);
		return SCREEN_REDRAW;
	}
	return SCREEN_IGNORED;
}

static void stores_title(struct screen *s, char *buf, size_t len)
{
	struct stores_state *st = s->state;

	if (st->job_seq != 0 && !st->loaded)
		snprintf(buf, len, "loading...");
	else if (!st->loaded)
		snprintf(buf, len, "not loaded");
	else if (st->job_seq != 0)
		snprintf(buf, len, "%zu store%s, refreshing...", st->n,
			 st->n == 1 ? "" : "s");
	else
		snprintf(buf, len, "%zu store%s", st->n, st->n == 1 ? "" : "s");
}

static void stores_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			int focused)
{
	struct stores_state *st = s->state;
	char empty[600];

	if (!st->loaded && st->job_seq != 0)
		snprintf(empty, sizeof(empty), "loading...");
	else if (!st->loaded && st->error[0])
		snprintf(empty, sizeof(empty), "r retries; %s", st->error);
	else
		snprintf(empty, sizeof(empty), "no stores yet");
	tui_table_draw(win, r, &st->table, focused, empty);
}

static unsigned stores_key(struct screen *s, const struct screen_key *k)
{
	struct stores_state *st = s->state;

	if (tui_table_move(&st->table, k->action))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	switch (k->action) {
	case TUI_A_OPEN:
		if (st->n == 0)
			return SCREEN_HANDLED;
		console_open_editor(s->console,
				    st->items[st->table.selected].id);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_REFRESH:
		request_list(s);
		st->announce = 1;
		console_say(s->console, TUI_SAY_INFO, "loading stores...");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		return SCREEN_IGNORED;
	}
}

const struct screen_ops screen_stores = {
	.name = "Stores",
	.state_size = sizeof(struct stores_state),
	.keymap = &stores_keymap,
	.hints = "Enter edit  r refresh  Tab stream  ? help  q quit",
	.init = stores_init,
	.title = stores_title,
	.draw = stores_draw,
	.key = stores_key,
	.on_event = stores_on_event,
	.tick = stores_tick,
	.done = stores_done,
};
