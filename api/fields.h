#ifndef STORECTL_FIELDS_H
#define STORECTL_FIELDS_H

#include <stdint.h>

/*
 * Store fields as bits, for the "fields" list of an event: what changed,
 * never the values. A consumer compares them with the columns it keeps.
 * Names unknown to this build map to STORE_F_OTHER, which every consumer
 * must treat as "maybe mine".
 */
enum store_field {
	STORE_F_NAME = 1u << 0,
	STORE_F_CATEGORY = 1u << 1,
	STORE_F_PHONE = 1u << 2,
	STORE_F_STATUS = 1u << 3,
	STORE_F_OWNER = 1u << 4,
	STORE_F_ADDRESS = 1u << 5,
	STORE_F_AREA = 1u << 6,
	STORE_F_HOURS = 1u << 7,
	STORE_F_MIN_ORDER = 1u << 8,
	STORE_F_DELIVERY_FEE = 1u << 9,
	STORE_F_DESCRIPTION = 1u << 10,
	STORE_F_MENU = 1u << 11,
	STORE_F_OTHER = 1u << 31,
};

#define STORE_F_ALL 0xffffffffu

/* "name" for STORE_F_NAME; NULL for a value that is not a single known bit. */
const char *store_field_name(uint32_t bit);

/* STORE_F_NAME for "name"; STORE_F_OTHER for a name this build does not know. */
uint32_t store_field_from_name(const char *name);

#endif
