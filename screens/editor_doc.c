/*
 * The editor's form and the store's JSON (docs/api.md): filling the form
 * from a store, turning it back into members, the merge patch of what
 * changed (only those members, so a concurrent edit of another one is not
 * overwritten, and If-Match catches the rest), and putting a 422's errors
 * under the fields they name ("address.road", "hours.tue[1]",
 * "menu[3].price").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/editor_priv.h"
#include "tui/fmt.h"
#include "tui/hours.h"

static const char *const categories[] = {
	"korean", "chinese", "japanese", "western", "chicken", "pizza",
	"burger", "cafe", "dessert", "snack", "other", NULL,
};

static const char *const statuses[] = { "open", "closed", "paused", NULL };

static const char *const day_keys[EDITOR_DAYS] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static const char *const day_labels[EDITOR_DAYS] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

/* Form order, as the API lists its own (its first error is the first
 * field a person meets). */
const char *const editor_members[] = {
	"owner", "name", "category", "phone", "address", "area", "hours",
	"status", "status_reason", "min_order", "delivery_fee", "description",
	"menu", NULL,
};

static void field(struct tui_form_field *f, const char *key,
		  const char *label, const char *hint)
{
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->label = label;
	f->hint = hint;
	f->kind = TUI_FORM_TEXT;
}

void editor_fields_init(struct editor_state *st)
{
	struct tui_form_field *f = st->sf;

	field(&f[EF_OWNER], "owner", "Owner", "");
	field(&f[EF_NAME], "name", "Name", "1-50 characters");
	field(&f[EF_CATEGORY], "category", "Category", "Space/Left/Right");
	f[EF_CATEGORY].kind = TUI_FORM_CHOICE;
	f[EF_CATEGORY].choices = categories;
	field(&f[EF_STATUS], "status", "Status", "Space/Left/Right");
	f[EF_STATUS].kind = TUI_FORM_CHOICE;
	f[EF_STATUS].choices = statuses;
	field(&f[EF_REASON], "status_reason", "Pause reason",
	      "needed when paused");
	field(&f[EF_PHONE], "phone", "Phone", "02-123-4567");
	field(&f[EF_AREA], "area", "Area", "e.g. gangnam");
	field(&f[EF_ROAD], "address.road", "Road address", "");
	field(&f[EF_DETAIL], "address.detail", "Address line", "floor, unit");
	field(&f[EF_POSTAL], "address.postal_code", "Postal code", "5 digits");
	field(&f[EF_MIN_ORDER], "min_order", "Min order", "won, x10");
	field(&f[EF_FEE], "delivery_fee", "Delivery fee", "won, x10");
	field(&f[EF_DESCRIPTION], "description", "Description", "");
	st->form.f = st->sf;
	st->form.n = EF_COUNT;
	st->form.label_w = 14;
	for (int d = 0; d < EDITOR_DAYS; d++)
		field(&st->df[d], day_keys[d], day_labels[d],
		      d == 0 ? "09:00-15:00, 17:00-22:00" : "");
	st->hours.f = st->df;
	st->hours.n = EDITOR_DAYS;
	st->hours.label_w = 6;
	editor_menu_init(st);
}

/* Field i's text from o's member key; its original too when both. */
static void put_text(struct tui_form *form, int i, const json_t *o,
		     const char *key, int both)
{
	const json_t *v = json_object_get(o, key);
	char num[32];
	const char *text = json_string_value(v);

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(v));
		text = num;
	}
	if (both)
		tui_form_set(form, i, text);
	else
		tui_field_set(&form->f[i].text, text ? text : "");
}

static void put_all(struct editor_state *st, const json_t *store, int both)
{
	const json_t *addr = json_object_get(store, "address");
	const json_t *hours = json_object_get(store, "hours");

	put_text(&st->form, EF_OWNER, store, "owner", both);
	put_text(&st->form, EF_NAME, store, "name", both);
	put_text(&st->form, EF_CATEGORY, store, "category", both);
	put_text(&st->form, EF_STATUS, store, "status", both);
	put_text(&st->form, EF_REASON, store, "status_reason", both);
	put_text(&st->form, EF_PHONE, store, "phone", both);
	put_text(&st->form, EF_AREA, store, "area", both);
	put_text(&st->form, EF_ROAD, addr, "road", both);
	put_text(&st->form, EF_DETAIL, addr, "detail", both);
	put_text(&st->form, EF_POSTAL, addr, "postal_code", both);
	put_text(&st->form, EF_MIN_ORDER, store, "min_order", both);
	put_text(&st->form, EF_FEE, store, "delivery_fee", both);
	put_text(&st->form, EF_DESCRIPTION, store, "description", both);
	for (int d = 0; d < EDITOR_DAYS; d++) {
		char text[256] = "";

		if (json_is_object(hours))
			tui_hours_format(json_object_get(hours, day_keys[d]),
					 text, sizeof(text));
		if (both)
			tui_form_set(&st->hours, d, text);
		else
			tui_field_set(&st->df[d].text, text);
	}
}

void editor_fill(struct editor_state *st, const json_t *store)
{
	put_all(st, store, 1);
	if (store == NULL) {
		tui_form_set(&st->form, EF_CATEGORY, "korean");
		tui_form_set(&st->form, EF_STATUS, "open");
	}
	/* The owner is fixed once the store exists. */
	st->sf[EF_OWNER].kind = st->creating ? TUI_FORM_TEXT : TUI_FORM_INFO;
	editor_menu_fill(st, json_object_get(store, "menu"), NULL);
	tui_json_str(store, "updated_at", st->updated_at,
		     sizeof(st->updated_at));
	editor_clear_errors(st);
	/* A reload keeps the cursor where it was; reset() puts it first. */
	tui_form_focus(&st->form, st->form.focus);
}

void editor_overlay(struct editor_state *st, const json_t *mine)
{
	put_all(st, mine, 0);
	editor_menu_fill(st, json_object_get(st->base, "menu"),
			 json_object_get(mine, "menu"));
}

static const char *text_of(struct editor_state *st, int i)
{
	return st->sf[i].text.text;
}

/* "" is absent; anything else the string. */
static json_t *string_or_absent(const char *t)
{
	return *t ? json_string(t) : NULL;
}

/*
 * A whole number becomes a JSON integer; other text goes as a string so
 * that the store API, not the console, says what is wrong with it.
 */
static json_t *number_or_text(const char *t)
{
	char *end;
	long long v;

	while (*t == ' ')
		t++;
	if (*t == '\0')
		return NULL;
	v = strtoll(t, &end, 10);
	while (*end == ' ')
		end++;
	if (*end == '\0' && (isdigit((unsigned char)*t) || *t == '-'))
		return json_integer(v);
	return json_string(t);
}

static json_t *address_value(struct editor_state *st)
{
	const char *road = text_of(st, EF_ROAD);
	const char *detail = text_of(st, EF_DETAIL);
	const char *postal = text_of(st, EF_POSTAL);
	json_t *o;

	if (!*road && !*detail && !*postal)
		return NULL;
	o = json_object();
	json_object_set_new(o, "road", json_string(road));
	if (*detail)
		json_object_set_new(o, "detail", json_string(detail));
	if (*postal)
		json_object_set_new(o, "postal_code", json_string(postal));
	return o;
}

/*
 * The hours as an object, NULL when the store publishes none (and the
 * form says nothing either). A day that does not parse makes *bad its
 * index (the value is then a string, so it differs from anything).
 */
static json_t *hours_value(struct editor_state *st, int *bad, char *err,
			   size_t errlen)
{
	json_t *o;
	int any = 0;

	*bad = -1;
	for (int d = 0; d < EDITOR_DAYS; d++) {
		const char *t = st->df[d].text.text;

		while (*t == ' ')
			t++;
		if (*t != '\0' && strcmp(t, "closed") != 0)
			any = 1;
	}
	if (!any && (st->base == NULL ||
		     json_object_get(st->base, "hours") == NULL))
		return NULL;
	o = json_object();
	for (int d = 0; d < EDITOR_DAYS; d++) {
		json_t *day;

		if (tui_hours_parse(st->df[d].text.text, &day, err, errlen)) {
			if (*bad < 0)
				*bad = d;
			json_decref(o);
			return json_string("?");
		}
		json_object_set_new(o, day_keys[d], day);
	}
	return o;
}

json_t *editor_mine(struct editor_state *st, const char *m)
{
	char err[128];
	int bad;

	if (strcmp(m, "owner") == 0)
		return string_or_absent(text_of(st, EF_OWNER));
	if (strcmp(m, "name") == 0)
		return json_string(text_of(st, EF_NAME));
	if (strcmp(m, "category") == 0)
		return string_or_absent(text_of(st, EF_CATEGORY));
	if (strcmp(m, "status") == 0)
		return string_or_absent(text_of(st, EF_STATUS));
	if (strcmp(m, "status_reason") == 0)
		return string_or_absent(text_of(st, EF_REASON));
	if (strcmp(m, "phone") == 0)
		return string_or_absent(text_of(st, EF_PHONE));
	if (strcmp(m, "area") == 0)
		return string_or_absent(text_of(st, EF_AREA));
	if (strcmp(m, "description") == 0)
		return string_or_absent(text_of(st, EF_DESCRIPTION));
	if (strcmp(m, "min_order") == 0)
		return number_or_text(text_of(st, EF_MIN_ORDER));
	if (strcmp(m, "delivery_fee") == 0)
		return number_or_text(text_of(st, EF_FEE));
	if (strcmp(m, "address") == 0)
		return address_value(st);
	if (strcmp(m, "hours") == 0)
		return hours_value(st, &bad, err, sizeof(err));
	if (strcmp(m, "menu") == 0)
		return editor_menu_json(st);
	return NULL;
}

/* Absent and an empty list or zero default are the same thing here. */
static int same_value(const char *member, const json_t *a, const json_t *b)
{
	if (a == NULL && b == NULL)
		return 1;
	if (a != NULL && b != NULL)
		return json_equal(a, b);
	if (a == NULL)
		a = b;
	if (strcmp(member, "menu") == 0)
		return json_is_array(a) && json_array_size(a) == 0;
	if (strcmp(member, "min_order") == 0 ||
	    strcmp(member, "delivery_fee") == 0)
		return json_is_integer(a) && json_integer_value(a) == 0;
	return 0;
}

int editor_member_differs(const json_t *a, const json_t *b, const char *m)
{
	return !same_value(m, json_object_get(a, m), json_object_get(b, m));
}

static int member_changed(struct editor_state *st, const char *m)
{
	json_t *mine;
	int changed;

	if (st->creating || strcmp(m, "owner") == 0)
		return 0;
	mine = editor_mine(st, m);
	changed = !same_value(m, mine, json_object_get(st->base, m));
	json_decref(mine);
	return changed;
}

int editor_dirty(struct editor_state *st)
{
	if (!st->loaded)
		return 0;
	if (st->creating) {
		for (int i = 0; i < EF_COUNT; i++)
			if (tui_form_changed(&st->form, i))
				return 1;
		for (int d = 0; d < EDITOR_DAYS; d++)
			if (tui_form_changed(&st->hours, d))
				return 1;
		return st->nitems > 0;
	}
	for (size_t i = 0; editor_members[i] != NULL; i++)
		if (member_changed(st, editor_members[i]))
			return 1;
	return 0;
}

json_t *editor_body(struct editor_state *st, char *err, size_t errlen)
{
	json_t *body = json_object();
	char why[160];
	int bad;
	json_t *hours;

	editor_menu_close_item(st);
	hours = hours_value(st, &bad, why, sizeof(why));
	if (bad >= 0) {
		snprintf(st->df[bad].error, sizeof(st->df[bad].error), "%s",
			 why);
		snprintf(err, errlen, "%s: %s", day_labels[bad], why);
		st->section = SEC_HOURS;
		tui_form_focus(&st->hours, bad);
		json_decref(hours);
		json_decref(body);
		return NULL;
	}
	json_decref(hours);
	for (size_t i = 0; editor_members[i] != NULL; i++) {
		const char *m = editor_members[i];
		json_t *mine;

		if (st->creating) {
			mine = editor_mine(st, m);
			if (mine != NULL)
				json_object_set_new(body, m, mine);
			continue;
		}
		if (!member_changed(st, m))
			continue;
		/*
		 * A new status without a word on the reason: the API drops
		 * the old reason itself (reopening is just "status").
		 */
		if (strcmp(m, "status_reason") == 0 &&
		    member_changed(st, "status") &&
		    !tui_form_changed(&st->form, EF_REASON))
			continue;
		mine = editor_mine(st, m);
		json_object_set_new(body, m, mine ? mine : json_null());
	}
	return body;
}

void editor_clear_errors(struct editor_state *st)
{
	tui_form_clear_errors(&st->form);
	tui_form_clear_errors(&st->hours);
	tui_form_clear_errors(&st->item_form);
	for (size_t i = 0; i < st->nitems; i++)
		st->items[i].error[0] = '\0';
	st->menu_error[0] = '\0';
	st->hours_error[0] = '\0';
	st->form_error[0] = '\0';
	st->conflict = 0;
}

/* One violation at its place; returns its section, or -1 (the form's). */
static int place(struct editor_state *st, const char *field, const char *msg)
{
	int i;

	if (field == NULL || *field == '\0')
		return -1;
	if (strncmp(field, "menu[", 5) == 0) {
		size_t n = strtoul(field + 5, NULL, 10), at;
		struct menu_item *it = editor_menu_sent(st, n, &at);
		const char *sub = strchr(field, ']');

		if (it == NULL)
			goto menu;
		snprintf(it->error, sizeof(it->error), "%s", msg);
		if (sub != NULL && sub[1] == '.' && st->item_open &&
		    st->item_at == at) {
			i = tui_form_find(&st->item_form, sub + 2);
			if (i < 0 && strncmp(sub + 2, "groups", 6) == 0)
				i = IF_NAME;
			if (i >= 0) {
				snprintf(st->itf[i].error,
					 sizeof(st->itf[i].error), "%s", msg);
				tui_form_focus(&st->item_form, i);
			}
		}
		st->menu.selected = at;
		return SEC_MENU;
	}
	if (strncmp(field, "menu", 4) == 0) {
menu:
		snprintf(st->menu_error, sizeof(st->menu_error), "%s", msg);
		return SEC_MENU;
	}
	if (strncmp(field, "hours", 5) == 0) {
		for (int d = 0; d < EDITOR_DAYS; d++) {
			size_t k = strlen(day_keys[d]);

			if (strncmp(field + 5, ".", 1) == 0 &&
			    strncmp(field + 6, day_keys[d], k) == 0) {
				snprintf(st->df[d].error,
					 sizeof(st->df[d].error), "%s", msg);
				return SEC_HOURS;
			}
		}
		snprintf(st->hours_error, sizeof(st->hours_error), "%s", msg);
		return SEC_HOURS;
	}
	i = tui_form_find(&st->form, field);
	if (i < 0 && strcmp(field, "address") == 0)
		i = EF_ROAD;
	if (i < 0)
		return -1;
	snprintf(st->sf[i].error, sizeof(st->sf[i].error), "%s", msg);
	return SEC_STORE;
}

/* The message of one problem: its detail, else title, else rule. */
static const char *message_of(const json_t *p, const char *fallback)
{
	const char *detail = json_string_value(json_object_get(p, "detail"));
	const char *title = json_string_value(json_object_get(p, "title"));
	const char *rule = json_string_value(json_object_get(p, "rule"));

	return detail ? detail : title ? title : rule ? rule : fallback;
}

int editor_place_errors(struct editor_state *st, const json_t *problem,
			const char *fallback)
{
	const json_t *errors = json_object_get(problem, "errors");
	int first = -1;

	editor_clear_errors(st);
	if (json_is_array(errors) && json_array_size(errors) > 0) {
		size_t i;
		const json_t *p;

		json_array_foreach(errors, i, p) {
			const char *field =
				json_string_value(json_object_get(p, "field"));
			int sec = place(st, field, message_of(p, fallback));

			if (sec < 0 && st->form_error[0] == '\0')
				snprintf(st->form_error, sizeof(st->form_error),
					 "%s%s%s", field ? field : "",
					 field ? ": " : "",
					 message_of(p, fallback));
			if (first < 0 && sec >= 0) {
				first = sec;
				/* The focus goes to the first field named. */
				if (sec == SEC_STORE)
					tui_form_focus(&st->form,
						       tui_form_find(&st->form,
								     field) >= 0
							       ? tui_form_find(&st->form,
									       field)
							       : EF_ROAD);
				if (sec == SEC_HOURS)
					for (int d = 0; d < EDITOR_DAYS; d++)
						if (st->df[d].error[0]) {
							tui_form_focus(&st->hours, d);
							break;
						}
			}
		}
	} else {
		const char *field =
			json_string_value(json_object_get(problem, "field"));

		first = place(st, field, message_of(problem, fallback));
		if (first < 0)
			snprintf(st->form_error, sizeof(st->form_error), "%s",
				 message_of(problem, fallback));
		else if (first == SEC_STORE)
			tui_form_focus(&st->form,
				       tui_form_find(&st->form, field) >= 0
					       ? tui_form_find(&st->form, field)
					       : EF_ROAD);
	}
	return first;
}

/* The menu of b against a's: "+1 -0 ~2 (14 items)". */
static void menu_text(const json_t *a_menu, const json_t *b_menu, char *buf,
		      size_t len)
{
	size_t added = 0, removed = 0, changed = 0, i, j;
	const json_t *x, *y;

	json_array_foreach(b_menu, i, x) {
		int64_t id = tui_json_int(x, "id", 0);
		int found = 0;

		json_array_foreach(a_menu, j, y) {
			if (id != 0 && tui_json_int(y, "id", -1) == id) {
				found = 1;
				if (!json_equal(x, y))
					changed++;
				break;
			}
		}
		if (!found)
			added++;
	}
	json_array_foreach(a_menu, j, y) {
		int64_t id = tui_json_int(y, "id", 0);
		int found = 0;

		json_array_foreach(b_menu, i, x)
			if (tui_json_int(x, "id", -1) == id)
				found = 1;
		if (!found)
			removed++;
	}
	snprintf(buf, len, "%zu items: %zu new, %zu gone, %zu changed",
		 json_array_size(b_menu), added, removed, changed);
}

void editor_value_text(const json_t *doc, const char *m, char *buf,
		       size_t len)
{
	const json_t *v = json_object_get(doc, m);
	char *dump;

	if (v == NULL || json_is_null(v)) {
		snprintf(buf, len, "(none)");
	} else if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	} else if (strcmp(m, "hours") == 0 && json_is_object(v)) {
		size_t used = 0;

		buf[0] = '\0';
		for (int d = 0; d < EDITOR_DAYS && used < len; d++) {
			char day[96];

			tui_hours_format(json_object_get(v, day_keys[d]), day,
					 sizeof(day));
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s %s", d ? "; " : "",
						 day_labels[d], day);
		}
	} else if (strcmp(m, "address") == 0 && json_is_object(v)) {
		char road[256], detail[256], postal[16];

		tui_json_str(v, "road", road, sizeof(road));
		tui_json_str(v, "detail", detail, sizeof(detail));
		tui_json_str(v, "postal_code", postal, sizeof(postal));
		snprintf(buf, len, "%s%s%s%s%s%s", road, detail[0] ? " " : "",
			 detail, postal[0] ? " (" : "", postal,
			 postal[0] ? ")" : "");
	} else {
		dump = json_dumps(v, JSON_COMPACT);
		snprintf(buf, len, "%s", dump ? dump : "?");
		free(dump);
	}
}

void editor_menu_diff_text(const json_t *from, const json_t *to, char *buf,
			   size_t len)
{
	menu_text(json_object_get(from, "menu"), json_object_get(to, "menu"),
		  buf, len);
}
