/*
 * The editor's Menu section: a table of the items (name, price, sold out,
 * option groups) and, on Enter or a, a small form for one item. Edits
 * stay in the form until the store is saved; the whole menu then goes in
 * the merge patch (the API replaces arrays whole), items keeping their
 * ids, new ones without (the server numbers them), option groups as they
 * were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/editor_priv.h"
#include "tui/fmt.h"
#include "tui/text.h"

static const char *const yes_no[] = { "no", "yes", NULL };

static const struct tui_column menu_columns[] = {
	{ "", 1, 0, 0 },
	{ "ID", 4, 0, 1 },
	{ "ITEM", 0, 10, 0 },
	{ "PRICE", 9, 0, 1 },
	{ "SOLD OUT", 8, 0, 0 },
	{ "OPTIONS", 9, 0, 0 },
};

static const struct tui_keybind menu_binds[] = {
	TUI_BINDS_MOVE,
	{ '\r', TUI_A_ITEM_EDIT },
	{ '\n', TUI_A_ITEM_EDIT },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_ITEM_EDIT },
	{ 'e', TUI_A_ITEM_EDIT },
	{ 'a', TUI_A_ITEM_ADD },
	{ TUI_KEY_FN(KEY_IC), TUI_A_ITEM_ADD },
	{ 'x', TUI_A_ITEM_REMOVE },
	{ TUI_KEY_FN(KEY_DC), TUI_A_ITEM_REMOVE },
	{ ' ', TUI_A_ITEM_SOLD_OUT },
	{ 'K', TUI_A_ITEM_MOVE_UP },
	{ 'J', TUI_A_ITEM_MOVE_DOWN },
};

const struct tui_keymap editor_menu_keymap =
	TUI_KEYMAP("Editor: the menu", menu_binds);

static void item_cell(void *ctx, size_t row, size_t col, char *buf,
		      size_t len, enum tui_color *color)
{
	struct editor_state *st = ctx;
	const struct menu_item *it = &st->items[row];
	const json_t *w = it->work;
	const json_t *price = json_object_get(w, "price");
	size_t groups = json_array_size(json_object_get(w, "groups"));

	if (it->removed)
		*color = TUI_C_DIM;
	switch (col) {
	case 0:
		snprintf(buf, len, "%s",
			 it->error[0]     ? "!"
			 : it->removed    ? "-"
			 : it->orig == NULL ? "+"
			 : !json_equal(it->orig, it->work) ? "*"
							   : "");
		if (it->error[0])
			*color = TUI_C_ERROR;
		break;
	case 1:
		if (json_is_integer(json_object_get(w, "id")))
			snprintf(buf, len, "%lld",
				 (long long)tui_json_int(w, "id", 0));
		break;
	case 2:
		tui_json_str(w, "name", buf, len);
		break;
	case 3:
		if (json_is_integer(price))
			tui_fmt_money(json_integer_value(price), buf, len);
		else
			tui_json_str(w, "price", buf, len);
		break;
	case 4:
		if (it->removed)
			snprintf(buf, len, "removed");
		else if (json_is_true(json_object_get(w, "sold_out"))) {
			snprintf(buf, len, "SOLD OUT");
			*color = TUI_C_WARN;
		}
		break;
	case 5:
		if (groups > 0)
			snprintf(buf, len, "%zu group%s", groups,
				 groups == 1 ? "" : "s");
		break;
	}
}

void editor_menu_init(struct editor_state *st)
{
	static const char *const keys[IF_COUNT] = {
		[IF_NAME] = "name", [IF_PRICE] = "price",
		[IF_SOLD_OUT] = "sold_out", [IF_DESCRIPTION] = "description",
	};
	static const char *const labels[IF_COUNT] = {
		[IF_NAME] = "Item name", [IF_PRICE] = "Price",
		[IF_SOLD_OUT] = "Sold out", [IF_DESCRIPTION] = "Description",
	};

	st->menu.cols = menu_columns;
	st->menu.ncols = sizeof(menu_columns) / sizeof(menu_columns[0]);
	st->menu.ctx = st;
	st->menu.cell = item_cell;
	for (int i = 0; i < IF_COUNT; i++) {
		memset(&st->itf[i], 0, sizeof(st->itf[i]));
		st->itf[i].key = keys[i];
		st->itf[i].label = labels[i];
		st->itf[i].kind = TUI_FORM_TEXT;
	}
	st->itf[IF_PRICE].hint = "won, x10"; /* as Min order: fits at 80 */
	st->itf[IF_SOLD_OUT].kind = TUI_FORM_CHOICE;
	st->itf[IF_SOLD_OUT].choices = yes_no;
	st->item_form.f = st->itf;
	st->item_form.n = IF_COUNT;
	st->item_form.label_w = 13;
}

void editor_menu_clear(struct editor_state *st)
{
	for (size_t i = 0; i < st->nitems; i++) {
		json_decref(st->items[i].orig);
		json_decref(st->items[i].work);
	}
	free(st->items);
	st->items = NULL;
	st->nitems = st->capitems = 0;
	st->item_open = 0;
	st->menu.rows = 0;
	/* The cursor stays for a reload of the same store (reset() moves it). */
}

static struct menu_item *append(struct editor_state *st)
{
	if (st->nitems == st->capitems) {
		size_t cap = st->capitems ? st->capitems * 2 : 16;
		struct menu_item *grown =
			realloc(st->items, cap * sizeof(*grown));

		if (grown == NULL)
			return NULL;
		st->items = grown;
		st->capitems = cap;
	}
	memset(&st->items[st->nitems], 0, sizeof(st->items[0]));
	return &st->items[st->nitems++];
}

/* The item of menu with id, or NULL. */
static const json_t *item_by_id(const json_t *menu, const json_t *id)
{
	size_t i;
	const json_t *it;

	if (!json_is_integer(id))
		return NULL;
	json_array_foreach(menu, i, it)
		if (json_equal(json_object_get(it, "id"), id))
			return it;
	return NULL;
}

void editor_menu_fill(struct editor_state *st, const json_t *menu,
		      const json_t *work)
{
	size_t i;
	const json_t *it;

	editor_menu_clear(st);
	json_array_foreach(work != NULL ? work : menu, i, it) {
		struct menu_item *m = append(st);
		const json_t *orig =
			work != NULL ? item_by_id(menu, json_object_get(it, "id"))
				     : it;

		if (m == NULL)
			break;
		m->orig = orig != NULL ? json_deep_copy(orig) : NULL;
		m->work = json_deep_copy(it);
	}
	st->menu.rows = st->nitems;
	tui_table_clamp(&st->menu);
}

json_t *editor_menu_json(struct editor_state *st)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < st->nitems; i++)
		if (!st->items[i].removed)
			json_array_append_new(arr,
					      json_deep_copy(st->items[i].work));
	return arr;
}

struct menu_item *editor_menu_sent(struct editor_state *st, size_t n,
				   size_t *index)
{
	for (size_t i = 0, k = 0; i < st->nitems; i++) {
		if (st->items[i].removed)
			continue;
		if (k++ == n) {
			*index = i;
			return &st->items[i];
		}
	}
	return NULL;
}

static void open_item(struct editor_state *st, size_t i)
{
	const json_t *w = st->items[i].work;
	const json_t *price = json_object_get(w, "price");
	char num[32];

	st->item_open = 1;
	st->item_at = i;
	tui_form_clear_errors(&st->item_form);
	tui_form_set(&st->item_form, IF_NAME,
		     json_string_value(json_object_get(w, "name")));
	if (json_is_integer(price)) {
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(price));
		tui_form_set(&st->item_form, IF_PRICE, num);
	} else {
		tui_form_set(&st->item_form, IF_PRICE,
			     json_string_value(price));
	}
	tui_form_set(&st->item_form, IF_SOLD_OUT,
		     json_is_true(json_object_get(w, "sold_out")) ? "yes"
								 : "no");
	tui_form_set(&st->item_form, IF_DESCRIPTION,
		     json_string_value(json_object_get(w, "description")));
	tui_form_focus(&st->item_form, IF_NAME);
}

void editor_menu_close_item(struct editor_state *st)
{
	struct menu_item *it;
	const char *name, *price, *desc;
	char *end;
	long long v;

	if (!st->item_open || st->item_at >= st->nitems)
		return;
	it = &st->items[st->item_at];
	st->item_open = 0;
	name = st->itf[IF_NAME].text.text;
	price = st->itf[IF_PRICE].text.text;
	desc = st->itf[IF_DESCRIPTION].text.text;
	/* A new item left blank was not meant. */
	if (it->orig == NULL && *name == '\0' && *price == '\0') {
		json_decref(it->work);
		memmove(it, it + 1,
			(st->nitems - st->item_at - 1) * sizeof(*it));
		st->nitems--;
		st->menu.rows = st->nitems;
		tui_table_clamp(&st->menu);
		return;
	}
	json_object_set_new(it->work, "name", json_string(name));
	v = strtoll(price, &end, 10);
	if (*price != '\0' && *end == '\0')
		json_object_set_new(it->work, "price", json_integer(v));
	else /* the API says what is wrong with it */
		json_object_set_new(it->work, "price", json_string(price));
	json_object_set_new(it->work, "sold_out",
			    json_boolean(strcmp(st->itf[IF_SOLD_OUT].text.text,
						"yes") == 0));
	if (*desc != '\0')
		json_object_set_new(it->work, "description", json_string(desc));
	else
		json_object_del(it->work, "description");
}

static unsigned item_form_key(struct editor_state *st,
			      const struct screen_key *k)
{
	/* Enter on the last field, or Esc, puts the item back. */
	if (k->action == TUI_A_LEAVE ||
	    ((k->key == '\r' || k->key == '\n') &&
	     st->item_form.focus == IF_DESCRIPTION)) {
		editor_menu_close_item(st);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	switch (tui_form_key(&st->item_form, k->key, k->action)) {
	case TUI_FORM_IGNORED:
		/* Typing never falls through to the global keys. */
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	default:
		st->esc_armed = 0;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
}

unsigned editor_menu_key(struct screen *s, const struct screen_key *k)
{
	struct editor_state *st = s->state;
	struct screen_key mk = *k;
	size_t at = st->menu.selected;
	struct menu_item *it = at < st->nitems ? &st->items[at] : NULL;

	if (st->item_open)
		return item_form_key(st, k);
	mk.action = tui_keymap_lookup(&editor_menu_keymap, k->key);
	if (tui_table_move(&st->menu, mk.action))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	switch (mk.action) {
	case TUI_A_ITEM_ADD: {
		struct menu_item *m = append(st);

		if (m == NULL)
			return SCREEN_HANDLED;
		m->work = json_pack("{s:s, s:i, s:b}", "name", "", "price", 0,
				    "sold_out", 0);
		st->menu.rows = st->nitems;
		st->menu.selected = st->nitems - 1;
		tui_table_clamp(&st->menu);
		open_item(st, st->nitems - 1);
		tui_form_set(&st->item_form, IF_PRICE, "");
		st->item_form.f[IF_PRICE].original[0] = '\0';
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	case TUI_A_ITEM_EDIT:
		if (it == NULL)
			return SCREEN_HANDLED;
		if (it->removed) {
			console_say(s->console, TUI_SAY_INFO,
				    "removed: x keeps it after all");
			return SCREEN_HANDLED;
		}
		open_item(st, at);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_ITEM_REMOVE:
		if (it == NULL)
			return SCREEN_HANDLED;
		if (it->orig == NULL) {
			json_decref(it->work);
			memmove(it, it + 1, (st->nitems - at - 1) * sizeof(*it));
			st->nitems--;
			st->menu.rows = st->nitems;
			tui_table_clamp(&st->menu);
		} else {
			it->removed = !it->removed;
		}
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_ITEM_SOLD_OUT:
		if (it == NULL || it->removed)
			return SCREEN_HANDLED;
		json_object_set_new(
			it->work, "sold_out",
			json_boolean(!json_is_true(
				json_object_get(it->work, "sold_out"))));
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_ITEM_MOVE_UP:
	case TUI_A_ITEM_MOVE_DOWN: {
		size_t to = mk.action == TUI_A_ITEM_MOVE_UP ? at - 1 : at + 1;
		struct menu_item tmp;

		if (it == NULL || (mk.action == TUI_A_ITEM_MOVE_UP && at == 0) ||
		    to >= st->nitems)
			return SCREEN_HANDLED;
		tmp = st->items[at];
		st->items[at] = st->items[to];
		st->items[to] = tmp;
		st->menu.selected = to;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	default:
		return SCREEN_IGNORED;
	}
}

void editor_menu_draw(struct editor_state *st, struct screen *s, WINDOW *win,
		      struct tui_rect r, int focused)
{
	const struct menu_item *it = st->menu.selected < st->nitems
					     ? &st->items[st->menu.selected]
					     : NULL;
	int cy, cx;

	if (st->item_open) {
		char title[300], name[208];
		const json_t *w = st->items[st->item_at].work;

		tui_json_str(w, "name", name, sizeof(name));
		if (st->items[st->item_at].orig == NULL)
			snprintf(title, sizeof(title),
				 "New menu item (Enter on the last field or Esc: back to the menu)");
		else
			snprintf(title, sizeof(title),
				 "Item %lld %s (Esc: back to the menu)",
				 (long long)tui_json_int(w, "id", 0), name);
		tui_draw_text(win, r.y, r.x + 1, r.w - 1, title,
			      tui_theme_attr(TUI_C_HEADER));
		r.y++;
		r.h--;
		tui_form_draw(win, r, &st->item_form, focused, &cy, &cx);
		if (focused && cy >= 0)
			console_show_cursor(s->console, cy, cx);
		return;
	}
	if (r.h > 3) {
		r.h--;
		if (it != NULL && it->error[0])
			tui_draw_text(win, r.y + r.h, r.x + 1, r.w - 1,
				      it->error, tui_theme_attr(TUI_C_ERROR));
		else if (st->menu_error[0])
			tui_draw_text(win, r.y + r.h, r.x + 1, r.w - 1,
				      st->menu_error,
				      tui_theme_attr(TUI_C_ERROR));
		else
			tui_draw_text(win, r.y + r.h, r.x + 1, r.w - 1,
				      "a add  Enter edit  x remove  Space sold out  K/J move",
				      tui_theme_attr(TUI_C_DIM));
	}
	tui_table_draw(win, r, &st->menu, focused,
		       "no menu items yet; a adds one");
}
