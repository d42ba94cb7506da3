#ifndef STORECTL_STORE_H
#define STORECTL_STORE_H

#include <stdint.h>

#include <jansson.h>

/*
 * One store as store-svc keeps it: the domain model shared by validation,
 * the database adapter and the HTTP handlers.
 *
 * Everything is plain data except the menu, a canonical JSON array that is
 * never modified once built (a new menu is a new array). So a copy made
 * with store_model_copy shares it safely, and store_model_clear releases a
 * store's reference. A plain struct assignment copies the pointer without a
 * reference: fine for a short-lived view, never for a second owner.
 *
 * Lengths are in Unicode code points (characters); the buffers hold the
 * worst case of four UTF-8 bytes per character.
 */

#define STORE_OWNER_MAX 64          /* bytes of [a-z0-9_-] */
#define STORE_NAME_MAX 50           /* characters */
#define STORE_NAME_BYTES (STORE_NAME_MAX * 4)
#define STORE_ROAD_MAX 100
#define STORE_ADDR_DETAIL_MAX 100
#define STORE_AREA_MAX 32           /* bytes of [a-z0-9-] */
#define STORE_REASON_MAX 100
#define STORE_DESC_MAX 500
#define STORE_MIN_ORDER_MAX 1000000 /* won */
#define STORE_FEE_MAX 100000        /* won */
#define STORE_PRICE_STEP 10         /* won: no coin is smaller */

#define STORE_DAYS 7
#define STORE_RANGES_MAX 3          /* opening periods per day */

/* Menu limits (the menu itself is JSON; see store_validate_menu.c). */
#define STORE_MENU_ITEMS_MAX 200
#define STORE_ITEM_NAME_MAX 50
#define STORE_ITEM_DESC_MAX 200
#define STORE_ITEM_PRICE_MAX 1000000
#define STORE_GROUPS_MAX 10
#define STORE_OPTIONS_MAX 30
#define STORE_GROUP_NAME_MAX 30
#define STORE_OPTION_PRICE_MAX 100000

/* Day names in the API, Monday first: day[0] of struct store_hours. */
extern const char *const store_day_names[STORE_DAYS];

/*
 * One opening period in minutes after midnight. open is 0..1439; close is
 * 1..1440 ("24:00"). A close at or before open ends the next day (an
 * overnight period, allowed only as the day's last).
 */
struct store_range {
	int16_t open;
	int16_t close;
};

struct store_day {
	uint8_t n; /* 0: closed all day */
	struct store_range r[STORE_RANGES_MAX];
};

struct store_hours {
	int set; /* 0: the store has published no hours */
	struct store_day day[STORE_DAYS];
};

struct store_address {
	char road[STORE_ROAD_MAX * 4 + 1];     /* "" when the store has none */
	char detail[STORE_ADDR_DETAIL_MAX * 4 + 1];
	char postal_code[8];                   /* 5 digits or "" */
};

struct store {
	int64_t id;                 /* 0 until the database assigns one */
	int64_t version;            /* 1 on create, +1 per change */
	int deleted;                /* tombstone: only id, owner and version matter */
	char owner[STORE_OWNER_MAX + 1];
	char name[STORE_NAME_BYTES + 1];   /* valid UTF-8, trimmed */
	char category[16];
	char phone[16];             /* "" when the store has none */
	struct store_address address;
	char area[STORE_AREA_MAX + 1];     /* delivery district code or "" */
	struct store_hours hours;
	char status[8];             /* "open", "closed" or "paused" */
	char status_reason[STORE_REASON_MAX * 4 + 1]; /* "" when none */
	int64_t min_order;          /* won */
	int64_t delivery_fee;       /* won */
	char description[STORE_DESC_MAX * 4 + 1];
	json_t *menu;               /* canonical items; NULL when empty */
	int64_t menu_seq;           /* highest menu item id ever given out */
	char created_at[32];        /* "2026-11-24T10:00:00.123Z" */
	char updated_at[32];
};

/*
 * The store's API representation (docs/api.md): id, owner, name, category,
 * phone, address, area, hours, status, status_reason, min_order,
 * delivery_fee, description, menu, version, created_at, updated_at; the
 * optional ones are left out when the store has none. Returns a new
 * reference, or NULL when out of memory.
 */
json_t *store_model_to_json(const struct store *s);

/* The hours as their API object {"mon":[{"open":"09:00",...}],...}. */
json_t *store_model_hours_json(const struct store_hours *h);

/* STORE_F_* bits (api/fields.h) of the fields s holds a value for. */
uint32_t store_model_fields(const struct store *s);

/* *dst = *src with a reference of its own to the menu. */
void store_model_copy(struct store *dst, const struct store *src);

/* Releases s's menu reference (s->menu becomes NULL). */
void store_model_clear(struct store *s);

/*
 * Replaces s's menu with menu, stealing the reference (an empty array is
 * kept as NULL). The old menu's reference is released.
 */
void store_model_set_menu(struct store *s, json_t *menu);

/* The menu item with this id, or NULL (borrowed from s->menu). */
json_t *store_model_menu_item(const struct store *s, int64_t item_id);

#endif
