#include "store-svc/store.h"

#include "api/fields.h"

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
	json_object_set_new(o, "status", json_string(s->status));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "created_at", json_string(s->created_at));
	json_object_set_new(o, "updated_at", json_string(s->updated_at));
	return o;
}

uint32_t store_model_fields(const struct store *s)
{
	uint32_t bits = STORE_F_OWNER | STORE_F_NAME | STORE_F_CATEGORY |
			STORE_F_STATUS;

	if (s->phone[0] != '\0')
		bits |= STORE_F_PHONE;
	return bits;
}
