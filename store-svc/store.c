#include "store-svc/store.h"

#include <stdio.h>

#include "api/fields.h"

const char *const store_day_names[STORE_DAYS] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static json_t *clock_text(int minutes)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%02d:%02d", minutes / 60, minutes % 60);
	return json_string(buf);
}

json_t *store_model_hours_json(const struct store_hours *h)
{
	json_t *o = json_object();

	for (int d = 0; d < STORE_DAYS; d++) {
		json_t *day = json_array();

		for (int i = 0; i < h->day[d].n; i++) {
			const struct store_range *r = &h->day[d].r[i];
			json_t *range = json_object();

			json_object_set_new(range, "open", clock_text(r->open));
			json_object_set_new(range, "close", clock_text(r->close));
			json_array_append_new(day, range);
		}
		json_object_set_new(o, store_day_names[d], day);
	}
	return o;
}

static json_t *address_json(const struct store_address *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "road", json_string(a->road));
	if (a->detail[0] != '\0')
		json_object_set_new(o, "detail", json_string(a->detail));
	if (a->postal_code[0] != '\0')
		json_object_set_new(o, "postal_code",
				    json_string(a->postal_code));
	return o;
}

json_t *store_model_to_json(const struct store *s)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "owner", json_string(s->owner));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "category", json_string(s->category));
	if (s->phone[0] != '\0')
		json_object_set_new(o, "phone", json_string(s->phone));
	if (s->address.road[0] != '\0')
		json_object_set_new(o, "address", address_json(&s->address));
	if (s->area[0] != '\0')
		json_object_set_new(o, "area", json_string(s->area));
	if (s->hours.set)
		json_object_set_new(o, "hours", store_model_hours_json(&s->hours));
	json_object_set_new(o, "status", json_string(s->status));
	if (s->status_reason[0] != '\0')
		json_object_set_new(o, "status_reason",
				    json_string(s->status_reason));
	json_object_set_new(o, "min_order", json_integer(s->min_order));
	json_object_set_new(o, "delivery_fee", json_integer(s->delivery_fee));
	if (s->description[0] != '\0')
		json_object_set_new(o, "description",
				    json_string(s->description));
	json_object_set_new(o, "menu", s->menu != NULL ? json_deep_copy(s->menu)
						       : json_array());
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "created_at", json_string(s->created_at));
	json_object_set_new(o, "updated_at", json_string(s->updated_at));
	return o;
}

uint32_t store_model_fields(const struct store *s)
{
	uint32_t bits = STORE_F_OWNER | STORE_F_NAME | STORE_F_CATEGORY |
			STORE_F_STATUS | STORE_F_MIN_ORDER |
			STORE_F_DELIVERY_FEE;

	if (s->phone[0] != '\0')
		bits |= STORE_F_PHONE;
	if (s->address.road[0] != '\0')
		bits |= STORE_F_ADDRESS;
	if (s->area[0] != '\0')
		bits |= STORE_F_AREA;
	if (s->hours.set)
		bits |= STORE_F_HOURS;
	if (s->description[0] != '\0')
		bits |= STORE_F_DESCRIPTION;
	if (s->menu != NULL && json_array_size(s->menu) > 0)
		bits |= STORE_F_MENU;
	return bits;
}

void store_model_copy(struct store *dst, const struct store *src)
{
	*dst = *src;
	json_incref(dst->menu);
}

void store_model_clear(struct store *s)
{
	json_decref(s->menu);
	s->menu = NULL;
}

void store_model_set_menu(struct store *s, json_t *menu)
{
	json_decref(s->menu);
	if (menu != NULL && json_array_size(menu) == 0) {
		json_decref(menu);
		menu = NULL;
	}
	s->menu = menu;
}

json_t *store_model_menu_item(const struct store *s, int64_t item_id)
{
	size_t i;
	json_t *item;

	json_array_foreach(s->menu, i, item)
		if (json_integer_value(json_object_get(item, "id")) == item_id)
			return item;
	return NULL;
}
