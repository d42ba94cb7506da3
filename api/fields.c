#include "api/fields.h"

#include <string.h>

static const struct {
	uint32_t bit;
	const char *name;
} field_names[] = {
	{ STORE_F_NAME, "name" },
	{ STORE_F_CATEGORY, "category" },
	{ STORE_F_PHONE, "phone" },
	{ STORE_F_STATUS, "status" },
	{ STORE_F_OWNER, "owner" },
	{ STORE_F_ADDRESS, "address" },
	{ STORE_F_AREA, "area" },
	{ STORE_F_HOURS, "hours" },
	{ STORE_F_MIN_ORDER, "min_order" },
	{ STORE_F_DELIVERY_FEE, "delivery_fee" },
	{ STORE_F_DESCRIPTION, "description" },
	{ STORE_F_MENU, "menu" },
};

const char *store_field_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (field_names[i].bit == bit)
			return field_names[i].name;
	return NULL;
}

uint32_t store_field_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strcmp(field_names[i].name, name) == 0)
			return field_names[i].bit;
	return STORE_F_OTHER;
}
