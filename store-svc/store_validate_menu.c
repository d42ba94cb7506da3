/* The menu: items, their option groups and options, built into canonical
 * JSON (members in a fixed order, defaults filled in, texts trimmed). */
#include "store-svc/store_validate_priv.h"

#include <stdio.h>
#include <string.h>

static const char *const item_members[] = {
	"id", "name", "price", "sold_out", "description", "groups", NULL,
};
static const char *const group_members[] = {
	"name", "min", "max", "options", NULL,
};
static const char *const option_members[] = { "name", "price", NULL };

/* A required member, or NULL after recording "required". */
static json_t *need(const json_t *obj, const char *prefix, const char *member,
		    struct store_errors *errs)
{
	json_t *v = json_object_get(obj, member);
	char field[64];

	if (v != NULL && !json_is_null(v))
		return v;
	store_vfield(field, sizeof(field), prefix, member);
	store_verr(errs, field, "required", "%s is required", field);
	return NULL;
}

/* The name member of an item, group or option into a new JSON string. */
static json_t *name_of(const json_t *obj, const char *prefix, size_t max,
		       struct store_errors *errs)
{
	char buf[STORE_ITEM_NAME_MAX * 4 + 1], field[64];
	json_t *v = need(obj, prefix, "name", errs);

	store_vfield(field, sizeof(field), prefix, "name");
	if (v == NULL || store_vtext(v, field, 1, max, 0, buf, sizeof(buf), errs))
		return NULL;
	return json_string(buf);
}

/* An optional amount of won (default 0) into *out. 0 or -1. */
static int money_of(const json_t *obj, const char *prefix, const char *member,
		    int64_t max, int required, int64_t *out,
		    struct store_errors *errs)
{
	json_t *v = required ? need(obj, prefix, member, errs)
			     : json_object_get(obj, member);
	char field[64];

	*out = 0;
	if (v == NULL)
		return required ? -1 : 0;
	if (json_is_null(v) && !required)
		return 0;
	store_vfield(field, sizeof(field), prefix, member);
	return store_vmoney(v, field, max, out, errs);
}

/* 1 when a JSON string equal to name is among list[0..n). */
static int seen_name(const json_t *list, size_t n, const json_t *name)
{
	for (size_t i = 0; i < n; i++)
		if (json_equal(json_object_get(json_array_get(list, i), "name"),
			       name))
			return 1;
	return 0;
}

static json_t *check_option(const json_t *v, const char *prefix,
			    struct store_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	json_t *name;
	int64_t price;

	if (!json_is_object(v)) {
		store_verr(errs, prefix, "type",
			   "%s must be an object like {\"name\":\"곱빼기\",\"price\":1000}",
			   prefix);
		return NULL;
	}
	name = name_of(v, prefix, STORE_GROUP_NAME_MAX, errs);
	money_of(v, prefix, "price", STORE_OPTION_PRICE_MAX, 0, &price, errs);
	store_vunknown(v, prefix, option_members, "an option has name and price",
		       errs);
	if (errs->n + errs->dropped != before) {
		json_decref(name);
		return NULL;
	}
	return json_pack("{sosI}", "name", name, "price", (json_int_t)price);
}

static json_t *check_group(const json_t *v, const char *prefix,
			   struct store_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	json_t *name, *options_v, *options, *opt, *min_v, *max_v;
	int64_t min = 0, max = 1;
	char field[64];
	size_t i;

	if (!json_is_object(v)) {
		store_verr(errs, prefix, "type",
			   "%s must be an object with name, min, max and options",
			   prefix);
		return NULL;
	}
	name = name_of(v, prefix, STORE_GROUP_NAME_MAX, errs);
	min_v = json_object_get(v, "min");
	max_v = json_object_get(v, "max");
	store_vfield(field, sizeof(field), prefix, "min");
	if (min_v != NULL && !json_is_null(min_v))
		store_vint(min_v, field, 0, STORE_OPTIONS_MAX, &min, errs);
	store_vfield(field, sizeof(field), prefix, "max");
	if (max_v != NULL && !json_is_null(max_v))
		store_vint(max_v, field, 1, STORE_OPTIONS_MAX, &max, errs);

	options = json_array();
	options_v = need(v, prefix, "options", errs);
	store_vfield(field, sizeof(field), prefix, "options");
	if (options_v != NULL && !json_is_array(options_v)) {
		store_verr(errs, field, "type", "%s must be a list of options",
			   field);
	} else if (options_v != NULL &&
		   (json_array_size(options_v) < 1 ||
		    json_array_size(options_v) > STORE_OPTIONS_MAX)) {
		store_verr(errs, field, "length",
			   "%s must have 1 to %d options, not %zu", field,
			   STORE_OPTIONS_MAX, json_array_size(options_v));
	} else if (options_v != NULL) {
		json_array_foreach(options_v, i, opt) {
			char at[64];
			json_t *o;

			store_vindex(at, sizeof(at), field, i);
			o = check_option(opt, at, errs);
			if (o == NULL)
				continue;
			if (seen_name(options, json_array_size(options),
				      json_object_get(o, "name"))) {
				char name_field[64];

				store_vfield(name_field, sizeof(name_field), at,
					     "name");
				store_verr(errs, name_field, "duplicate",
					   "%s repeats the name of another option of this group",
					   name_field);
			}
			json_array_append_new(options, o);
		}
	}
	if (errs->n + errs->dropped == before) {
		store_vfield(field, sizeof(field), prefix, "min");
		if (min > max)
			store_verr(errs, field, "range",
				   "%s (%lld) must not be larger than max (%lld)",
				   field, (long long)min, (long long)max);
		else if ((size_t)max > json_array_size(options)) {
			store_vfield(field, sizeof(field), prefix, "max");
			store_verr(errs, field, "range",
				   "%s (%lld) must not be larger than the number of options (%zu)",
				   field, (long long)max,
				   json_array_size(options));
		}
	}
	store_vunknown(v, prefix, group_members,
		       "a group has name, min, max and options", errs);
	if (errs->n + errs->dropped != before) {
		json_decref(name);
		json_decref(options);
		return NULL;
	}
	return json_pack("{sosIsIso}", "name", name, "min", (json_int_t)min,
			 "max", (json_int_t)max, "options", options);
}

/* The groups member of an item into *out (NULL when none). 0 or -1. */
static int check_groups(const json_t *item, const char *prefix, json_t **out,
			struct store_errors *errs)
{
	json_t *v = json_object_get(item, "groups");
	size_t before = errs->n + errs->dropped;
	char field[64];
	json_t *g;
	size_t i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	store_vfield(field, sizeof(field), prefix, "groups");
	if (!json_is_array(v)) {
		store_verr(errs, field, "type", "%s must be a list of option groups",
			   field);
		return -1;
	}
	if (json_array_size(v) > STORE_GROUPS_MAX) {
		store_verr(errs, field, "length",
			   "%s may have at most %d groups, not %zu", field,
			   STORE_GROUPS_MAX, json_array_size(v));
		return -1;
	}
	*out = json_array();
	json_array_foreach(v, i, g) {
		char at[64], name_field[64];
		json_t *group;

		store_vindex(at, sizeof(at), field, i);
		group = check_group(g, at, errs);
		if (group == NULL)
			continue;
		if (seen_name(*out, json_array_size(*out),
			      json_object_get(group, "name"))) {
			store_vfield(name_field, sizeof(name_field), at, "name");
			store_verr(errs, name_field, "duplicate",
				   "%s repeats the name of another group of this item",
				   name_field);
		}
		json_array_append_new(*out, group);
	}
	if (errs->n + errs->dropped != before) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	if (json_array_size(*out) == 0) {
		json_decref(*out);
		*out = NULL;
	}
	return 0;
}

json_t *store_validate_menu_item(const json_t *v, const char *prefix,
				 int64_t id, struct store_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	char field[64], desc[STORE_ITEM_DESC_MAX * 4 + 1] = "";
	json_t *name, *sold, *dv, *id_v, *groups = NULL, *item;
	int64_t price;

	if (!json_is_object(v)) {
		store_verr(errs, *prefix ? prefix : "item", "type",
			   "%s must be an object with name and price",
			   *prefix ? prefix : "a menu item");
		return NULL;
	}
	id_v = json_object_get(v, "id");
	store_vfield(field, sizeof(field), prefix, "id");
	if (id_v != NULL &&
	    !(json_is_integer(id_v) && json_integer_value(id_v) == id))
		store_verr(errs, field, "read-only",
			   "%s is set by the server; leave it out or send the item's own id (%lld)",
			   field, (long long)id);
	name = name_of(v, prefix, STORE_ITEM_NAME_MAX, errs);
	money_of(v, prefix, "price", STORE_ITEM_PRICE_MAX, 1, &price, errs);
	sold = json_object_get(v, "sold_out");
	store_vfield(field, sizeof(field), prefix, "sold_out");
	if (sold != NULL && !json_is_null(sold) && !json_is_boolean(sold))
		store_verr(errs, field, "type", "%s must be true or false",
			   field);
	dv = json_object_get(v, "description");
	store_vfield(field, sizeof(field), prefix, "description");
	if (dv != NULL && !json_is_null(dv))
		store_vtext(dv, field, 0, STORE_ITEM_DESC_MAX, 1, desc,
			    sizeof(desc), errs);
	check_groups(v, prefix, &groups, errs);
	store_vunknown(v, prefix, item_members,
		       "a menu item has id, name, price, sold_out, description and groups",
		       errs);
	if (errs->n + errs->dropped != before) {
		json_decref(name);
		json_decref(groups);
		return NULL;
	}
	item = json_pack("{sIsosIsb}", "id", (json_int_t)id, "name", name,
			 "price", (json_int_t)price, "sold_out",
			 json_is_true(sold));
	if (item != NULL && desc[0] != '\0')
		json_object_set_new(item, "description", json_string(desc));
	if (item != NULL && groups != NULL)
		json_object_set_new(item, "groups", groups);
	else
		json_decref(groups);
	return item;
}

/* 1 when cur's menu has an item with this id. */
static int known_item(const struct store *cur, int64_t id)
{
	return cur != NULL && store_model_menu_item(cur, id) != NULL;
}

int store_vmenu(const json_t *v, const struct store *cur, json_t **out,
		int64_t *seq, struct store_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	int64_t next = cur != NULL ? cur->menu_seq : 0;
	int64_t ids[STORE_MENU_ITEMS_MAX];
	json_t *menu, *it;
	size_t i;

	*out = NULL;
	*seq = next;
	if (!json_is_array(v)) {
		store_verr(errs, "menu", "type", "menu must be a list of items");
		return -1;
	}
	if (json_array_size(v) > STORE_MENU_ITEMS_MAX) {
		store_verr(errs, "menu", "length",
			   "menu may have at most %d items, not %zu",
			   STORE_MENU_ITEMS_MAX, json_array_size(v));
		return -1;
	}
	/* First the ids clients sent: each must be one of the store's and
	 * appear once; the new items are numbered after the highest ever. */
	json_array_foreach(v, i, it) {
		json_t *id_v = json_object_get(it, "id");
		char field[64];

		ids[i] = 0;
		if (id_v == NULL || json_is_null(id_v) || !json_is_object(it))
			continue;
		store_vindex(field, sizeof(field), "menu", i);
		strcat(field, ".id");
		if (!json_is_integer(id_v) ||
		    !known_item(cur, json_integer_value(id_v))) {
			store_verr(errs, field, "read-only",
				   "%s: menu item ids are given by the server; leave id out for a new item",
				   field);
			ids[i] = -1;
			continue;
		}
		ids[i] = json_integer_value(id_v);
		for (size_t k = 0; k < i; k++) {
			if (ids[k] == ids[i]) {
				store_verr(errs, field, "duplicate",
					   "%s: item %lld appears twice in the menu",
					   field, (long long)ids[i]);
				break;
			}
		}
	}
	menu = json_array();
	json_array_foreach(v, i, it) {
		char prefix[32];
		json_t *item;
		int64_t id = ids[i] > 0 ? ids[i] : ++next;

		store_vindex(prefix, sizeof(prefix), "menu", i);
		if (ids[i] < 0) { /* already reported; check the rest */
			json_t *copy = json_deep_copy(it);

			json_object_del(copy, "id");
			item = store_validate_menu_item(copy, prefix, id, errs);
			json_decref(copy);
		} else {
			item = store_validate_menu_item(it, prefix, id, errs);
		}
		if (item != NULL)
			json_array_append_new(menu, item);
	}
	if (errs->n + errs->dropped != before) {
		json_decref(menu);
		return -1;
	}
	if (json_array_size(menu) == 0) {
		json_decref(menu);
		menu = NULL;
	}
	*out = menu;
	*seq = next;
	return 0;
}

int store_validate_menu(const json_t *v, const struct store *cur,
			json_t **out, int64_t *seq, struct store_errors *errs)
{
	return store_vmenu(v, cur, out, seq, errs);
}
