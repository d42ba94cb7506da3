/*
 * Stores: the list from GET /stores (every page of it), filtered as you
 * type after '/', sorted by any column. Enter edits, n makes a new store,
 * d deletes (after a y/N question), o c p open, close or pause one (pause
 * asks for the reason). Owners get their own stores and operators all:
 * the store API decides, and a 401/403 says why on the status line. The
 * list refreshes itself when the stream shows one of its stores changing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "screens/screens.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/table.h"

#define STORES_REFRESH_DELAY_MS 300.0
#define STORES_REFRESH_EVERY_MS 2000.0 /* at most, while changes stream in */
#define STORES_PAGE 1000
#define STORES_MAX 20000

struct store_item {
	int64_t id;
	int64_t version;
	char owner[68];
	char name[208];
	char category[16];
	char area[36];
	char status[8];
	char reason[404];
};

enum sort_key { SORT_ID, SORT_NAME, SORT_OWNER, SORT_CATEGORY, SORT_AREA,
		SORT_STATUS, SORT_VERSION, SORT_COUNT };

static const char *const sort_names[SORT_COUNT] = {
	"id", "name", "owner", "category", "area", "status", "version",
};

enum { PROMPT_FILTER, PROMPT_DELETE, PROMPT_PAUSE };

enum action { ACT_NONE, ACT_STATUS, ACT_DELETE };

struct stores_state {
	struct store_item *items; /* every store loaded */
	size_t n;
	size_t *view;             /* indexes of items shown, in order */
	size_t nview;
	struct tui_table table;
	/* Loading: pages accumulate here until the last one. */
	struct store_item *loading;
	size_t nloading;
	uint64_t job_seq;
	int loaded;
	char error[512];
	double refresh_due;       /* monotonic ms, 0 = none */
	double refreshed;         /* when the last list was asked for */
	int64_t keep_id;          /* select this id after the next load */
	int announce;             /* say the result (the user asked) */
	char filter[256], filter_before[256];
	enum sort_key sort;
	int reverse;
	/* A write in flight (status change or delete). */
	uint64_t act_seq;
	enum action act;
	int64_t act_id;
	char act_verb[16];
	int64_t pending_id;       /* the store a prompt is about */
	int64_t pending_version;
};

static const struct tui_column stores_columns[] = {
	{ "ID", 5, 0, 1 },
	{ "NAME", 0, 12, 0 },
	{ "OWNER", 9, 0, 0 },
	{ "CATEGORY", 8, 0, 0 },
	{ "AREA", 12, 0, 0 }, /* yeongdeungpo, the longest gu */
	{ "STATUS", 6, 0, 0 },
	{ "VER", 4, 0, 1 },
};

static const struct tui_keybind stores_binds[] = {
	TUI_BINDS_MOVE,
	{ '\r', TUI_A_EDIT_STORE },
	{ '\n', TUI_A_EDIT_STORE },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_EDIT_STORE },
	{ 'e', TUI_A_EDIT_STORE },
	{ 'n', TUI_A_NEW_STORE },
	{ 'd', TUI_A_DELETE_STORE },
	{ TUI_KEY_FN(KEY_DC), TUI_A_DELETE_STORE },
	{ 'o', TUI_A_OPEN_STORE },
	{ 'c', TUI_A_CLOSE_STORE },
	{ 'p', TUI_A_PAUSE_STORE },
	{ '/', TUI_A_FILTER },
	{ 's', TUI_A_SORT },
	{ 'S', TUI_A_SORT_REVERSE },
	{ 'r', TUI_A_REFRESH },
};

static const struct tui_keymap stores_keymap =
	TUI_KEYMAP("Stores", stores_binds);

static const struct store_item *selected(const struct stores_state *st)
{
	if (st->nview == 0 || st->table.selected >= st->nview)
		return NULL;
	return &st->items[st->view[st->table.selected]];
}

static void stores_cell(void *ctx, size_t row, size_t col, char *buf,
			size_t len, enum tui_color *color)
{
	const struct stores_state *st = ctx;
	const struct store_item *it = &st->items[st->view[row]];

	switch (col) {
	case 0:
		snprintf(buf, len, "%lld", (long long)it->id);
		break;
	case 1:
		snprintf(buf, len, "%s", it->name);
		break;
	case 2:
		snprintf(buf, len, "%s", it->owner);
		break;
	case 3:
		snprintf(buf, len, "%s", it->category);
		break;
	case 4:
		snprintf(buf, len, "%s", it->area);
		break;
	case 5:
		snprintf(buf, len, "%s", it->status);
		if (strcmp(it->status, "paused") == 0)
			*color = TUI_C_WARN;
		else if (strcmp(it->status, "open") != 0)
			*color = TUI_C_DIM;
		break;
	case 6:
		snprintf(buf, len, "%lld", (long long)it->version);
		break;
	}
}

/* ---- filtering and sorting ---- */

static const struct stores_state *sort_ctx; /* qsort has no context */

static int cmp_items(const void *a, const void *b)
{
	const struct store_item *x = &sort_ctx->items[*(const size_t *)a];
	const struct store_item *y = &sort_ctx->items[*(const size_t *)b];
	int r = 0;

	switch (sort_ctx->sort) {
	case SORT_NAME:
		r = strcmp(x->name, y->name);
		break;
	case SORT_OWNER:
		r = strcmp(x->owner, y->owner);
		break;
	case SORT_CATEGORY:
		r = strcmp(x->category, y->category);
		break;
	case SORT_AREA:
		r = strcmp(x->area, y->area);
		break;
	case SORT_STATUS:
		r = strcmp(x->status, y->status);
		break;
	case SORT_VERSION:
		r = (x->version > y->version) - (x->version < y->version);
		break;
	default:
		break;
	}
	if (r == 0)
		r = (x->id > y->id) - (x->id < y->id);
	return sort_ctx->reverse ? -r : r;
}

static int item_matches(const struct store_item *it, const char *filter)
{
	char id[24];

	if (filter[0] == '\0')
		return 1;
	snprintf(id, sizeof(id), "%lld", (long long)it->id);
	return strcmp(id, filter) == 0 || tui_text_contains(it->name, filter) ||
	       tui_text_contains(it->owner, filter) ||
	       tui_text_contains(it->category, filter) ||
	       tui_text_contains(it->area, filter) ||
	       tui_text_contains(it->status, filter);
}

/* Rebuilds the view, keeping the cursor on the same store. */
static void rebuild(struct stores_state *st)
{
	const struct store_item *cur = selected(st);
	int64_t keep = st->keep_id ? st->keep_id : cur ? cur->id : 0;

	st->nview = 0;
	for (size_t i = 0; i < st->n; i++)
		if (item_matches(&st->items[i], st->filter))
			st->view[st->nview++] = i;
	sort_ctx = st;
	qsort(st->view, st->nview, sizeof(st->view[0]), cmp_items);
	sort_ctx = NULL;
	st->table.rows = st->nview;
	for (size_t i = 0; keep != 0 && i < st->nview; i++)
		if (st->items[st->view[i]].id == keep) {
			st->table.selected = i;
			break;
		}
	st->keep_id = 0;
	tui_table_clamp(&st->table);
}

/* ---- loading ---- */

static void request_page(struct screen *s, const char *cursor)
{
	struct stores_state *st = s->state;
	struct tui_job *job;

	if (cursor != NULL)
		job = tui_job_new(TUI_EP_STORE, "GET",
				  "/stores?limit=%d&cursor=%s", STORES_PAGE,
				  cursor);
	else
		job = tui_job_new(TUI_EP_STORE, "GET", "/stores?limit=%d",
				  STORES_PAGE);
	st->job_seq = console_submit(s->console, job);
	if (st->job_seq == 0)
		console_say(s->console, TUI_SAY_ERROR,
			    "cannot ask the store API (out of memory?)");
}

static void request_list(struct screen *s)
{
	struct stores_state *st = s->state;
	const struct store_item *cur = selected(st);

	if (st->job_seq != 0)
		return;
	st->refresh_due = 0;
	st->refreshed = clock_mono_ms();
	free(st->loading);
	st->loading = NULL;
	st->nloading = 0;
	if (cur != NULL && st->keep_id == 0)
		st->keep_id = cur->id;
	request_page(s, NULL);
}

static void take_item(struct store_item *it, const json_t *o)
{
	memset(it, 0, sizeof(*it));
	it->id = tui_json_int(o, "id", 0);
	it->version = tui_json_int(o, "version", 0);
	tui_json_str(o, "owner", it->owner, sizeof(it->owner));
	tui_json_str(o, "name", it->name, sizeof(it->name));
	tui_json_str(o, "category", it->category, sizeof(it->category));
	tui_json_str(o, "area", it->area, sizeof(it->area));
	tui_json_str(o, "status", it->status, sizeof(it->status));
	tui_json_str(o, "status_reason", it->reason, sizeof(it->reason));
}

/*
 * Adds one page ({"stores":[...], "next_cursor":...}, or a bare array
 * from an older store-svc). Returns 1 when another page follows, 0 when
 * done, -1 when the answer is not a list.
 */
static int take_page(struct stores_state *st, const json_t *body,
		     const char **next)
{
	const json_t *arr = json_is_array(body) ? body
						 : json_object_get(body, "stores");
	size_t n, i;
	struct store_item *grown;

	*next = json_string_value(json_object_get(body, "next_cursor"));
	if (!json_is_array(arr))
		return -1;
	n = json_array_size(arr);
	if (st->nloading + n > STORES_MAX)
		n = STORES_MAX - st->nloading;
	grown = realloc(st->loading,
			(st->nloading + n + 1) * sizeof(*st->loading));
	if (grown == NULL)
		return -1;
	st->loading = grown;
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);

		if (!json_is_object(o) || tui_json_int(o, "id", 0) <= 0)
			continue;
		take_item(&st->loading[st->nloading++], o);
	}
	return *next != NULL && st->nloading < STORES_MAX ? 1 : 0;
}

static void finish_load(struct screen *s)
{
	struct stores_state *st = s->state;
	size_t *view = malloc((st->nloading + 1) * sizeof(*view));

	if (view == NULL) {
		console_say(s->console, TUI_SAY_ERROR, "out of memory");
		return;
	}
	free(st->items);
	free(st->view);
	st->items = st->loading;
	st->n = st->nloading;
	st->view = view;
	st->nview = 0; /* the old view indexed the old items */
	st->loading = NULL;
	st->nloading = 0;
	st->loaded = 1;
	st->error[0] = '\0';
	rebuild(st);
	if (st->announce)
		console_say(s->console, TUI_SAY_INFO, "%zu store%s loaded",
			    st->n, st->n == 1 ? "" : "s");
	st->announce = 0;
}

static void on_list(struct screen *s, const struct tui_job *job)
{
	struct stores_state *st = s->state;
	const char *next = NULL;
	int more;

	st->job_seq = 0;
	if (job->rc != 0 || job->res.status != 200) {
		tui_job_describe(job, st->error, sizeof(st->error));
		console_say(s->console, TUI_SAY_ERROR, "%s", st->error);
		st->announce = 0;
		return;
	}
	more = take_page(st, job->res.body, &next);
	if (more < 0) {
		snprintf(st->error, sizeof(st->error),
			 "GET /stores: unexpected answer");
		console_say(s->console, TUI_SAY_ERROR, "%s", st->error);
		return;
	}
	if (more > 0) {
		char cursor[64];

		snprintf(cursor, sizeof(cursor), "%s", next);
		request_page(s, cursor);
		return;
	}
	finish_load(s);
}

/* ---- writes ---- */

static struct store_item *find_item(struct stores_state *st, int64_t id)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->items[i].id == id)
			return &st->items[i];
	return NULL;
}

static void set_status(struct screen *s, const struct store_item *it,
		       const char *status, const char *reason)
{
	struct stores_state *st = s->state;
	struct tui_job *job;

	if (st->act_seq != 0) {
		console_say(s->console, TUI_SAY_WARN,
			    "a change is on its way already");
		return;
	}
	if (strcmp(it->status, status) == 0 && reason == NULL) {
		console_say(s->console, TUI_SAY_INFO, "store %lld is %s already",
			    (long long)it->id, status);
		return;
	}
	job = tui_job_new(TUI_EP_STORE, "PATCH", "/stores/%lld",
			  (long long)it->id);
	if (job == NULL)
		return;
	job->body = reason != NULL
			    ? json_pack("{s:s, s:s}", "status", status,
					"status_reason", reason)
			    : json_pack("{s:s}", "status", status);
	job->if_version = it->version;
	st->act = ACT_STATUS;
	st->act_id = it->id;
	snprintf(st->act_verb, sizeof(st->act_verb), "%s",
		 strcmp(status, "open") == 0	? "opened"
		 : strcmp(status, "closed") == 0 ? "closed"
						 : "paused");
	st->act_seq = console_submit(s->console, job);
	console_say(s->console, TUI_SAY_INFO, "store %lld: %s...",
		    (long long)it->id, status);
}

static void delete_store(struct screen *s, int64_t id, int64_t version)
{
	struct stores_state *st = s->state;
	struct tui_job *job = tui_job_new(TUI_EP_STORE, "DELETE",
					  "/stores/%lld", (long long)id);

	if (job == NULL)
		return;
	job->if_version = version;
	st->act = ACT_DELETE;
	st->act_id = id;
	snprintf(st->act_verb, sizeof(st->act_verb), "deleted");
	st->act_seq = console_submit(s->console, job);
	console_say(s->console, TUI_SAY_INFO, "deleting store %lld...",
		    (long long)id);
}

static void on_action(struct screen *s, const struct tui_job *job)
{
	struct stores_state *st = s->state;
	struct store_item *it = find_item(st, st->act_id);
	long status = job->res.status;
	char why[512];

	st->act_seq = 0;
	if (job->rc == 0 && (status == 200 || status == 204)) {
		int64_t version = job->res.etag_version;

		if (json_is_object(job->res.body)) {
			version = tui_json_int(job->res.body, "version",
					       version);
			if (it != NULL)
				take_item(it, job->res.body);
		}
		if (st->act == ACT_DELETE) {
			console_watch_ripple(s->console, st->act_id, version,
					     "deleted");
			request_list(s);
		} else {
			if (it != NULL)
				rebuild(st);
			console_watch_ripple(s->console, st->act_id, version,
					     st->act_verb);
		}
		return;
	}
	if (job->rc == 0 && status == 412) {
		console_say(s->console, TUI_SAY_WARN,
			    "store %lld changed since the list was loaded (now "
			    "v%lld): the list is refreshed; try again",
			    (long long)st->act_id,
			    (long long)job->res.etag_version);
		request_list(s);
		return;
	}
	tui_job_describe(job, why, sizeof(why));
	console_say(s->console, TUI_SAY_ERROR, "store %lld not %s: %s",
		    (long long)st->act_id, st->act_verb, why);
	if (job->rc == 0 && (status == 404 || status == 410))
		request_list(s);
}

/* ---- the screen ---- */

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
	free(st->view);
	free(st->loading);
}

static unsigned stores_on_event(struct screen *s,
				const struct console_event *ev)
{
	struct stores_state *st = s->state;

	if (ev->kind == CONSOLE_EV_API) {
		if (ev->job->seq == st->job_seq) {
			on_list(s, ev->job);
			return SCREEN_REDRAW;
		}
		if (ev->job->seq == st->act_seq) {
			on_action(s, ev->job);
			return SCREEN_REDRAW;
		}
		return SCREEN_IGNORED;
	}
	if (ev->kind == CONSOLE_EV_STORE_EVENT && st->loaded &&
	    st->refresh_due == 0) {
		const struct store_item *it = find_item(st, ev->row->store_id);

		/* Refresh once a burst of changes has passed, and not more
		 * often than every 2 s while they keep coming. */
		if (it != NULL ? it->version < ev->row->version
			       : ev->row->type != STORE_EVENT_DELETED) {
			double now = clock_mono_ms();

			st->refresh_due = now + STORES_REFRESH_DELAY_MS;
			if (st->refresh_due <
			    st->refreshed + STORES_REFRESH_EVERY_MS)
				st->refresh_due =
					st->refreshed + STORES_REFRESH_EVERY_MS;
		}
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
	char count[64], sort[48] = "";

	if (!st->loaded) {
		snprintf(buf, len, "%s",
			 st->job_seq != 0 ? "loading..." : "not loaded");
		return;
	}
	if (st->filter[0])
		snprintf(count, sizeof(count), "%zu of %zu", st->nview, st->n);
	else
		snprintf(count, sizeof(count), "%zu store%s", st->n,
			 st->n == 1 ? "" : "s");
	if (st->sort != SORT_ID || st->reverse)
		snprintf(sort, sizeof(sort), " - by %s%s", sort_names[st->sort],
			 st->reverse ? ", reversed" : "");
	/* Rows kept from before a failed refresh may be out of date. */
	snprintf(buf, len, "%s%s%s%s%s", count, st->filter[0] ? " - /" : "",
		 st->filter, sort,
		 st->job_seq != 0 ? " - refreshing..."
		 : st->error[0]	  ? " - NOT UP TO DATE: the refresh failed (r retries)"
				  : "");
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
	else if (st->n > 0)
		snprintf(empty, sizeof(empty),
			 "no store matches \"%s\" (/ changes the filter)",
			 st->filter);
	else
		snprintf(empty, sizeof(empty), "no stores yet; n makes one");
	tui_table_draw(win, r, &st->table, focused, empty);
}

static unsigned stores_prompt(struct screen *s, int id,
			      enum console_prompt_event ev, const char *text)
{
	struct stores_state *st = s->state;
	struct store_item *it;

	switch (id) {
	case PROMPT_FILTER:
		if (ev == PROMPT_CANCEL)
			snprintf(st->filter, sizeof(st->filter), "%s",
				 st->filter_before);
		else
			snprintf(st->filter, sizeof(st->filter), "%s", text);
		rebuild(st);
		return SCREEN_REDRAW;
	case PROMPT_DELETE:
		if (ev == PROMPT_ACCEPT)
			delete_store(s, st->pending_id, st->pending_version);
		else if (ev == PROMPT_CANCEL)
			console_say(s->console, TUI_SAY_INFO, "not deleted");
		return SCREEN_REDRAW;
	case PROMPT_PAUSE:
		if (ev != PROMPT_ACCEPT)
			return SCREEN_IGNORED;
		it = find_item(st, st->pending_id);
		if (it == NULL)
			return SCREEN_IGNORED;
		if (text[0] == '\0') {
			console_say(s->console, TUI_SAY_WARN,
				    "not paused: a paused store needs a reason");
			return SCREEN_REDRAW;
		}
		set_status(s, it, "paused", text);
		return SCREEN_REDRAW;
	}
	return SCREEN_IGNORED;
}

/* An owner token sees only its owner's stores: a new one is theirs. */
static const char *only_owner(const struct stores_state *st)
{
	if (st->n == 0)
		return NULL;
	for (size_t i = 1; i < st->n; i++)
		if (strcmp(st->items[i].owner, st->items[0].owner) != 0)
			return NULL;
	return st->items[0].owner;
}

static unsigned stores_key(struct screen *s, const struct screen_key *k)
{
	struct stores_state *st = s->state;
	const struct store_item *it = selected(st);
	char question[400];

	if (tui_table_move(&st->table, k->action))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	switch (k->action) {
	case TUI_A_FILTER:
		snprintf(st->filter_before, sizeof(st->filter_before), "%s",
			 st->filter);
		console_prompt(s->console, s, PROMPT_FILTER, "/", st->filter);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SORT:
		st->sort = (st->sort + 1) % SORT_COUNT;
		rebuild(st);
		console_say(s->console, TUI_SAY_INFO, "sorted by %s%s",
			    sort_names[st->sort],
			    st->reverse ? ", reversed" : "");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SORT_REVERSE:
		st->reverse = !st->reverse;
		rebuild(st);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_REFRESH:
		request_list(s);
		st->announce = 1;
		console_say(s->console, TUI_SAY_INFO, "loading stores...");
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_NEW_STORE:
		console_open_editor(s->console, 0, only_owner(st));
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		break;
	}
	if (it == NULL) {
		switch (k->action) {
		case TUI_A_EDIT_STORE:
		case TUI_A_DELETE_STORE:
		case TUI_A_OPEN_STORE:
		case TUI_A_CLOSE_STORE:
		case TUI_A_PAUSE_STORE:
			console_say(s->console, TUI_SAY_INFO, "no store selected");
			return SCREEN_HANDLED;
		default:
			return SCREEN_IGNORED;
		}
	}
	switch (k->action) {
	case TUI_A_EDIT_STORE:
		console_open_editor(s->console, it->id, NULL);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_DELETE_STORE:
		st->pending_id = it->id;
		st->pending_version = it->version;
		snprintf(question, sizeof(question),
			 "Delete store %lld \"%.150s\" (v%lld)? y/N ",
			 (long long)it->id, it->name, (long long)it->version);
		console_confirm(s->console, s, PROMPT_DELETE, question);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_OPEN_STORE:
		set_status(s, it, "open", NULL);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_CLOSE_STORE:
		set_status(s, it, "closed", NULL);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_PAUSE_STORE:
		st->pending_id = it->id;
		snprintf(question, sizeof(question), "Pause store %lld, reason: ",
			 (long long)it->id);
		console_prompt(s->console, s, PROMPT_PAUSE, question,
			       strcmp(it->status, "paused") == 0 ? it->reason
								  : NULL);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		return SCREEN_IGNORED;
	}
}

static void stores_show(struct screen *s)
{
	struct stores_state *st = s->state;

	/* Back from the editor: what it saved may not be listed yet. */
	if (st->loaded && st->job_seq == 0 && st->refresh_due == 0)
		st->refresh_due = clock_mono_ms();
}

const struct screen_ops screen_stores = {
	.name = "Stores",
	.command = "stores",
	.state_size = sizeof(struct stores_state),
	.keymap = &stores_keymap,
	.hints = "Enter edit  n new  d del  o/c/p status  / filter  s sort  : ? q",
	.init = stores_init,
	.on_show = stores_show,
	.title = stores_title,
	.draw = stores_draw,
	.key = stores_key,
	.on_event = stores_on_event,
	.on_prompt = stores_prompt,
	.tick = stores_tick,
	.done = stores_done,
};
