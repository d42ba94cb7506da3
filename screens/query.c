/*
 * Query: the customer's side, through display-svc. The list query GET
 * /shops?area=&q=&user= fans out to ads, search and favorites; the screen
 * shows the stores it answers with their badges (AD: advertised, FAV: the
 * user's favorite, the rating from reviews) and how long each service of
 * the fan-out took, and which were missing ("degraded"). Enter on a store
 * opens its page, GET /shops/{id}: the precomputed document, one key
 * lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/fmt.h"
#include "tui/form.h"
#include "tui/hours.h"
#include "tui/table.h"
#include "tui/textview.h"

#define QUERY_LIMIT 50

enum { QF_AREA, QF_KEYWORD, QF_USER, QF_COUNT };
enum { PANE_FORM, PANE_RESULTS, PANE_PAGE };

struct query_state {
	struct tui_form_field qf[QF_COUNT];
	struct tui_form form;
	int pane;
	uint64_t list_seq, page_seq;
	json_t *shops;      /* the last answer's "shops" */
	char timings[512];  /* the fan-out, as one line */
	enum tui_color timings_color;
	struct tui_table table;
	struct tui_textview page;
	int64_t page_id;
	char error[512];
	int ran;
};

static const struct tui_column result_columns[] = {
	{ "#", 2, 0, 1 },	   { "ID", 5, 0, 1 },
	{ "NAME", 0, 10, 0 },	   { "CATEGORY", 8, 0, 0 },
	{ "STATUS", 6, 0, 0 },	   { "BADGES", 6, 0, 0 },
	{ "RATING", 8, 0, 0 },	   { "FEE", 6, 0, 1 },
};

static const struct tui_keybind form_binds[] = {
	{ '\r', TUI_A_RUN_QUERY },
	{ '\n', TUI_A_RUN_QUERY },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_RUN_QUERY },
	{ TUI_KEY_FN(KEY_DOWN), TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_UP), TUI_A_PREV_FIELD },
	{ '\t', TUI_A_NEXT_PANE },
	{ TUI_KEY_FN(KEY_BTAB), TUI_A_PREV_PANE },
};

static const struct tui_keymap form_keymap =
	TUI_KEYMAP("Query: the form", form_binds);

static const struct tui_keybind result_binds[] = {
	TUI_BINDS_MOVE,
	{ '\r', TUI_A_SHOW_PAGE },
	{ '\n', TUI_A_SHOW_PAGE },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_SHOW_PAGE },
	{ '/', TUI_A_EDIT_QUERY },
	{ 'r', TUI_A_RUN_QUERY },
	{ '\t', TUI_A_NEXT_PANE },
	{ TUI_KEY_FN(KEY_BTAB), TUI_A_PREV_PANE },
};

static const struct tui_keymap result_keymap =
	TUI_KEYMAP("Query: the results", result_binds);

static const struct tui_keybind page_binds[] = {
	TUI_BINDS_MOVE,
	{ TUI_KEY_ESC, TUI_A_BACK },
};

static const struct tui_keymap page_keymap =
	TUI_KEYMAP("Query: a store page", page_binds);

static const json_t *shop_at(const struct query_state *st, size_t i)
{
	return json_array_get(st->shops, i);
}

static void result_cell(void *ctx, size_t i, size_t col, char *buf,
			size_t len, enum tui_color *color)
{
	const struct query_state *st = ctx;
	const json_t *shop = shop_at(st, i);
	const json_t *reviews = json_object_get(shop, "reviews");
	const json_t *avg = json_object_get(reviews, "average");
	int64_t count = tui_json_int(reviews, "count", 0);
	int ad = json_is_true(json_object_get(shop, "advertised"));
	int fav = json_is_true(json_object_get(shop, "favorite"));

	switch (col) {
	case 0:
		snprintf(buf, len, "%zu", i + 1);
		break;
	case 1:
		snprintf(buf, len, "%lld", (long long)tui_json_int(shop, "id", 0));
		break;
	case 2:
		tui_json_str(shop, "name", buf, len);
		break;
	case 3:
		tui_json_str(shop, "category", buf, len);
		break;
	case 4:
		tui_json_str(shop, "status", buf, len);
		if (strcmp(buf, "open") != 0)
			*color = TUI_C_DIM;
		break;
	case 5:
		snprintf(buf, len, "%s%s%s", ad ? "AD" : "",
			 ad && fav ? " " : "", fav ? "FAV" : "");
		if (ad || fav)
			*color = TUI_C_WARN;
		break;
	case 6:
		if (count > 0 && json_is_number(avg))
			snprintf(buf, len, "%.1f (%lld)", json_number_value(avg),
				 (long long)count);
		else
			snprintf(buf, len, "-");
		break;
	case 7:
		tui_fmt_money(tui_json_int(shop, "delivery_fee", 0), buf, len);
		break;
	}
}

static void field(struct tui_form_field *f, const char *key, const char *label,
		  const char *hint)
{
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->label = label;
	f->hint = hint;
	f->kind = TUI_FORM_TEXT;
}

static int query_init(struct screen *s)
{
	struct query_state *st = s->state;

	field(&st->qf[QF_AREA], "area", "Area", "e.g. gangnam, mapo");
	field(&st->qf[QF_KEYWORD], "q", "Keyword", "name or menu words");
	field(&st->qf[QF_USER], "user", "User", "whose favorites to flag");
	st->form.f = st->qf;
	st->form.n = QF_COUNT;
	st->form.label_w = 9;
	st->form.plain = 1;
	st->table.cols = result_columns;
	st->table.ncols = sizeof(result_columns) / sizeof(result_columns[0]);
	st->table.ctx = st;
	st->table.cell = result_cell;
	return 0;
}

static void query_done(struct screen *s)
{
	struct query_state *st = s->state;

	json_decref(st->shops);
	tui_textview_free(&st->page);
}

/* Appends "&name=escaped" when the field has text. */
static int add_param(char *path, size_t len, const char *name,
		     const char *value)
{
	char esc[1024];
	size_t used = strlen(path);

	if (*value == '\0')
		return 0;
	if (tui_url_escape(value, esc, sizeof(esc)) != 0)
		return -1;
	return snprintf(path + used, len - used, "%s%s=%s",
			strchr(path, '?') ? "&" : "?", name, esc) <
			       (int)(len - used)
		       ? 0
		       : -1;
}

static void run_query(struct screen *s)
{
	struct query_state *st = s->state;
	char path[480] = "/shops";
	struct tui_job *job;

	if (!console_has_endpoint(s->console, TUI_EP_DISPLAY)) {
		console_say(s->console, TUI_SAY_ERROR,
			    "no display-svc URL: give --display-api, "
			    "STORECTL_DISPLAY_API or display_api in the config");
		return;
	}
	if (add_param(path, sizeof(path), "area", st->qf[QF_AREA].text.text) ||
	    add_param(path, sizeof(path), "q", st->qf[QF_KEYWORD].text.text) ||
	    add_param(path, sizeof(path), "user", st->qf[QF_USER].text.text)) {
		console_say(s->console, TUI_SAY_ERROR, "the query is too long");
		return;
	}
	snprintf(path + strlen(path), sizeof(path) - strlen(path),
		 "%slimit=%d", strchr(path, '?') ? "&" : "?", QUERY_LIMIT);
	job = tui_job_new(TUI_EP_DISPLAY, "GET", "%s", path);
	st->list_seq = console_submit(s->console, job);
	st->ran = 1;
	if (st->list_seq != 0)
		console_say(s->console, TUI_SAY_INFO, "GET %s ...", path);
}

void screen_query_area(struct screen *s, const char *area)
{
	struct query_state *st = s->state;

	tui_form_set(&st->form, QF_AREA, area);
	st->pane = PANE_RESULTS;
	run_query(s);
}

/* "ads 1.2ms ok, search 0.7ms ok, favorites skipped". */
static void describe_timings(struct query_state *st, const struct tui_job *job)
{
	static const char *const order[] = { "ads", "search", "favorites" };
	const json_t *timings = json_object_get(job->res.body, "timings");
	const json_t *degraded = json_object_get(job->res.body, "degraded");
	size_t used, i;
	const json_t *d;
	char ms[16];

	tui_fmt_ms(job->took_ms, ms, sizeof(ms));
	used = 0;
	st->timings[0] = '\0';
	st->timings_color = TUI_C_GOOD;
	/* What is missing comes first: it is what the line is for. */
	if (json_array_size(degraded) > 0) {
		used += (size_t)snprintf(st->timings, sizeof(st->timings),
					 "DEGRADED (missing:");
		json_array_foreach(degraded, i, d)
			if (used < sizeof(st->timings))
				used += (size_t)snprintf(
					st->timings + used,
					sizeof(st->timings) - used, " %s",
					json_string_value(d) ? json_string_value(d)
							     : "?");
		if (used < sizeof(st->timings))
			used += (size_t)snprintf(st->timings + used,
						 sizeof(st->timings) - used,
						 ") ");
		st->timings_color = TUI_C_WARN;
	}
	if (used < sizeof(st->timings))
		used += (size_t)snprintf(st->timings + used,
					 sizeof(st->timings) - used,
					 "%s%zu stores in %s:",
					 /* a full page: there may be more */
					 json_array_size(st->shops) >= QUERY_LIMIT
						 ? "the first "
						 : "",
					 json_array_size(st->shops), ms);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const json_t *t = json_object_get(timings, order[i]);
		const char *status =
			json_string_value(json_object_get(t, "status"));

		if (t == NULL || used >= sizeof(st->timings))
			continue;
		if (status != NULL && strcmp(status, "skipped") == 0) {
			used += (size_t)snprintf(st->timings + used,
						 sizeof(st->timings) - used,
						 " %s skipped,", order[i]);
			continue;
		}
		tui_fmt_ms(json_number_value(json_object_get(t, "ms")), ms,
			   sizeof(ms));
		used += (size_t)snprintf(st->timings + used,
					 sizeof(st->timings) - used,
					 " %s %s %s,", order[i], ms,
					 status ? status : "?");
	}
	if (used > 0 && used < sizeof(st->timings) &&
	    st->timings[used - 1] == ',')
		st->timings[--used] = '\0';
}

static void on_list(struct screen *s, const struct tui_job *job)
{
	struct query_state *st = s->state;
	const json_t *shops = json_object_get(job->res.body, "shops");

	st->list_seq = 0;
	if (job->rc != 0 || job->res.status != 200 || !json_is_array(shops)) {
		if (job->rc == 0 && job->res.status == 200)
			snprintf(st->error, sizeof(st->error),
				 "GET /shops: unexpected answer");
		else
			tui_job_describe(job, st->error, sizeof(st->error));
		snprintf(st->timings, sizeof(st->timings), "%s", st->error);
		st->timings_color = TUI_C_ERROR;
		console_say(s->console, TUI_SAY_ERROR, "%s", st->error);
		return;
	}
	st->error[0] = '\0';
	json_decref(st->shops);
	st->shops = json_deep_copy(shops);
	st->table.rows = json_array_size(st->shops);
	st->table.selected = 0;
	st->table.top = 0;
	describe_timings(st, job);
	if (st->pane == PANE_FORM)
		st->pane = PANE_RESULTS;
	console_say(s->console, TUI_SAY_INFO, "%s", st->timings);
}

static void open_page(struct screen *s)
{
	struct query_state *st = s->state;
	const json_t *shop = shop_at(st, st->table.selected);

	if (shop == NULL)
		return;
	st->page_id = tui_json_int(shop, "id", 0);
	st->page_seq = console_submit(
		s->console, tui_job_new(TUI_EP_DISPLAY, "GET", "/shops/%lld",
					(long long)st->page_id));
	tui_textview_clear(&st->page);
	st->page.top = 0;
	tui_textview_add(&st->page, TUI_C_DIM, "GET /shops/%lld ...",
			 (long long)st->page_id);
	st->pane = PANE_PAGE;
}

static void build_page(struct query_state *st, const struct tui_job *job)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu",
					    "fri", "sat", "sun" };
	struct tui_textview *tv = &st->page;
	const json_t *d = job->res.body;
	const json_t *reviews = json_object_get(d, "reviews");
	const json_t *addr = json_object_get(d, "address");
	const json_t *hours = json_object_get(d, "hours");
	const json_t *menu = json_object_get(d, "menu");
	char name[208], a[512], b[512], c[64], ms[16];
	size_t i;
	const json_t *it;

	tui_textview_clear(tv);
	tui_fmt_ms(job->took_ms, ms, sizeof(ms));
	if (job->rc != 0 || job->res.status != 200 || !json_is_object(d)) {
		tui_job_describe(job, a, sizeof(a));
		tui_textview_add(tv, TUI_C_ERROR, "GET /shops/%lld: %s",
				 (long long)st->page_id, a);
		return;
	}
	tui_json_str(d, "name", name, sizeof(name));
	tui_json_str(d, "category", a, sizeof(a));
	tui_json_str(d, "status", b, sizeof(b));
	tui_textview_add(tv, TUI_C_HEADER, "%s  (store %lld, v%lld)  %s  %s",
			 name, (long long)tui_json_int(d, "id", 0),
			 (long long)tui_json_int(d, "version", 0), a, b);
	tui_json_str(d, "status_reason", a, sizeof(a));
	if (a[0])
		tui_textview_add(tv, TUI_C_WARN, "  paused: %s", a);
	if (tui_json_int(reviews, "count", 0) > 0)
		tui_textview_add(tv, TUI_C_NORMAL,
				 "  rating %.2f from %lld reviews (summary v%lld)",
				 json_number_value(json_object_get(reviews,
								   "average")),
				 (long long)tui_json_int(reviews, "count", 0),
				 (long long)tui_json_int(reviews, "version", 0));
	else
		tui_textview_add(tv, TUI_C_DIM, "  no reviews yet");
	tui_json_str(addr, "road", a, sizeof(a));
	tui_json_str(addr, "detail", b, sizeof(b));
	tui_json_str(addr, "postal_code", c, sizeof(c));
	tui_textview_add(tv, TUI_C_NORMAL, "  address    %s%s%s%s%s%s", a,
			 b[0] ? " " : "", b, c[0] ? " (" : "", c, c[0] ? ")" : "");
	tui_json_str(d, "area", a, sizeof(a));
	tui_json_str(d, "phone", b, sizeof(b));
	tui_textview_add(tv, TUI_C_NORMAL, "  area       %s   phone %s",
			 a[0] ? a : "-", b[0] ? b : "-");
	tui_fmt_money(tui_json_int(d, "min_order", 0), a, sizeof(a));
	tui_fmt_money(tui_json_int(d, "delivery_fee", 0), b, sizeof(b));
	tui_textview_add(tv, TUI_C_NORMAL,
			 "  min order  %s won   delivery fee %s won", a, b);
	if (json_is_object(hours)) {
		for (int k = 0; k < 7; k++) {
			tui_hours_format(json_object_get(hours, days[k]), a,
					 sizeof(a));
			tui_textview_add(tv, TUI_C_NORMAL, "  %-10s %s %s",
					 k == 0 ? "hours" : "", days[k], a);
		}
	} else {
		tui_textview_add(tv, TUI_C_DIM, "  no opening hours published");
	}
	tui_json_str(d, "description", a, sizeof(a));
	if (a[0])
		tui_textview_add(tv, TUI_C_NORMAL, "  %s", a);
	tui_textview_add(tv, TUI_C_HEADER, "Menu (%zu)", json_array_size(menu));
	json_array_foreach(menu, i, it) {
		tui_json_str(it, "name", a, sizeof(a));
		tui_fmt_money(tui_json_int(it, "price", 0), b, sizeof(b));
		tui_textview_add(tv,
				 json_is_true(json_object_get(it, "sold_out"))
					 ? TUI_C_DIM
					 : TUI_C_NORMAL,
				 "  %-3lld %s  %s won%s",
				 (long long)tui_json_int(it, "id", 0), a, b,
				 json_is_true(json_object_get(it, "sold_out"))
					 ? "  SOLD OUT"
					 : "");
	}
	tui_textview_add(tv, TUI_C_DIM,
			 "GET /shops/%lld answered %ld in %s (one key lookup "
			 "in display-svc)",
			 (long long)st->page_id, job->res.status, ms);
}

static unsigned query_on_event(struct screen *s,
			       const struct console_event *ev)
{
	struct query_state *st = s->state;

	if (ev->kind != CONSOLE_EV_API || ev->job->endpoint != TUI_EP_DISPLAY)
		return SCREEN_IGNORED;
	if (ev->job->seq == st->list_seq) {
		on_list(s, ev->job);
		return SCREEN_REDRAW;
	}
	if (ev->job->seq == st->page_seq) {
		st->page_seq = 0;
		build_page(st, ev->job);
		return SCREEN_REDRAW;
	}
	return SCREEN_IGNORED;
}

static void query_title(struct screen *s, char *buf, size_t len)
{
	struct query_state *st = s->state;
	const char *url = console_endpoint_url(s->console, TUI_EP_DISPLAY);

	if (url == NULL)
		snprintf(buf, len, "no display-svc URL configured");
	else if (st->pane == PANE_PAGE)
		snprintf(buf, len, "store page %lld - Esc back to the list",
			 (long long)st->page_id);
	else if (st->list_seq != 0)
		snprintf(buf, len, "GET /shops - asking...");
	else
		snprintf(buf, len, "GET /shops on %s", url);
}

static void query_draw(struct screen *s, WINDOW *win, struct tui_rect r,
		       int focused)
{
	struct query_state *st = s->state;
	int cy = -1, cx = -1;
	struct tui_rect rest;

	if (st->pane == PANE_PAGE) {
		r.x++;
		r.w--;
		tui_textview_draw(win, r, &st->page);
		return;
	}
	tui_form_draw(win, (struct tui_rect){ r.y, r.x, QF_COUNT, r.w },
		      &st->form, focused && st->pane == PANE_FORM, &cy, &cx);
	if (focused && st->pane == PANE_FORM && cy >= 0)
		console_show_cursor(s->console, cy, cx);
	tui_draw_text(win, r.y + QF_COUNT, r.x + 1, r.w - 1,
		      st->timings[0] ? st->timings
				     : "Enter runs the query; Tab goes between the form and the results",
		      tui_theme_attr(st->timings[0] ? st->timings_color
						    : TUI_C_DIM));
	rest = (struct tui_rect){ r.y + QF_COUNT + 1, r.x, r.h - QF_COUNT - 1,
				  r.w };
	tui_table_draw(win, rest, &st->table,
		       focused && st->pane == PANE_RESULTS,
		       st->ran ? "no stores match" : "");
}

static unsigned form_key(struct screen *s, const struct screen_key *k)
{
	struct query_state *st = s->state;
	enum tui_action a = tui_keymap_lookup(&form_keymap, k->key);

	switch (a) {
	case TUI_A_RUN_QUERY:
		run_query(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_NEXT_PANE:
	case TUI_A_PREV_PANE:
		st->pane = PANE_RESULTS;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		break;
	}
	if (tui_form_key(&st->form, k->key, a) == TUI_FORM_IGNORED)
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	return SCREEN_HANDLED | SCREEN_REDRAW;
}

static unsigned results_key(struct screen *s, const struct screen_key *k)
{
	struct query_state *st = s->state;
	enum tui_action a = tui_keymap_lookup(&result_keymap, k->key);

	if (tui_table_move(&st->table, a))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	switch (a) {
	case TUI_A_SHOW_PAGE:
		open_page(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_EDIT_QUERY:
	case TUI_A_NEXT_PANE:
	case TUI_A_PREV_PANE:
		st->pane = PANE_FORM;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_RUN_QUERY:
		run_query(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		return SCREEN_IGNORED;
	}
}

static unsigned query_key(struct screen *s, const struct screen_key *k)
{
	struct query_state *st = s->state;
	enum tui_action a;

	switch (st->pane) {
	case PANE_FORM:
		return form_key(s, k);
	case PANE_RESULTS:
		return results_key(s, k);
	default:
		a = tui_keymap_lookup(&page_keymap, k->key);
		if (a == TUI_A_BACK) {
			st->pane = PANE_RESULTS;
			return SCREEN_HANDLED | SCREEN_REDRAW;
		}
		if (tui_textview_move(&st->page, a))
			return SCREEN_HANDLED | SCREEN_REDRAW;
		return SCREEN_IGNORED;
	}
}

static const char *query_hint(struct screen *s)
{
	struct query_state *st = s->state;

	switch (st->pane) {
	case PANE_FORM:
		return "Enter run  Up/Down field  Tab results  F1 help";
	case PANE_RESULTS:
		return "Enter store page  / edit query  r rerun  ? help";
	default:
		return "j/k scroll  Esc back to the list  ? help";
	}
}

static const struct tui_keymap *const query_more_keymaps[] = {
	&result_keymap, &page_keymap, NULL,
};

const struct screen_ops screen_query = {
	.name = "Query",
	.command = "query",
	.state_size = sizeof(struct query_state),
	.keymap = &form_keymap,
	.more_keymaps = query_more_keymaps,
	.edits_text = 1,
	.hints = "Enter run  Tab results  F1 help",
	.hint = query_hint,
	.init = query_init,
	.title = query_title,
	.draw = query_draw,
	.key = query_key,
	.on_event = query_on_event,
	.done = query_done,
};
