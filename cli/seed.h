#ifndef STORECTL_SEED_H
#define STORECTL_SEED_H

#include <signal.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Demo data for a fresh embedded stack: SEED_STORES stores across the
 * districts of Seoul, with Korean names (brand and branch, "교촌치킨
 * 역삼점"), categories, phones, owners owner-1..owner-8, addresses, opening
 * hours and menus; ad campaigns, reviews and users' favorites for them. The same build always makes the same stores: the
 * generator (cli/seed_gen.c) draws from a fixed-seed sequence, never from
 * rand() or the clock. The stores are created through the store API like
 * any client would, so each one also flows through Kafka to the
 * downstream services.
 */

#define SEED_STORES 240
#define SEED_OWNERS 8
#define SEED_MENU_MAX 8

/* Fields of a generated store, as bits, for choosing what to send. */
enum seed_field {
	SEED_F_OWNER = 1u << 0,
	SEED_F_NAME = 1u << 1,
	SEED_F_CATEGORY = 1u << 2,
	SEED_F_PHONE = 1u << 3,
	SEED_F_STATUS = 1u << 4,
	SEED_F_AREA = 1u << 5,
	SEED_F_ADDRESS = 1u << 6,
	SEED_F_HOURS = 1u << 7,
	SEED_F_MENU = 1u << 8,
	SEED_F_MIN_ORDER = 1u << 9,
	SEED_F_DELIVERY_FEE = 1u << 10,
};

/*
 * What the demo stores send to the store API: store-svc answers 422 to a
 * member it does not know, so this is the one place that says which of the
 * generated fields go out (issue 2's store-svc took only the first five).
 */
#define SEED_API_FIELDS (SEED_F_OWNER | SEED_F_NAME | SEED_F_CATEGORY | \
			 SEED_F_PHONE | SEED_F_STATUS | SEED_F_AREA | \
			 SEED_F_ADDRESS | SEED_F_HOURS | SEED_F_MENU | \
			 SEED_F_MIN_ORDER | SEED_F_DELIVERY_FEE)

struct seed_menu_item {
	const char *name;  /* static */
	int price;         /* won */
	int sold_out;
};

/* One generated store. The const char pointers are static tables. */
struct seed_store {
	char owner[16];          /* "owner-3" */
	char name[96];           /* "교촌치킨 역삼점" */
	const char *category;    /* one of store-svc's categories */
	char phone[16];          /* "02-555-0123" */
	const char *status;      /* "open" or "closed" */
	const char *area;        /* delivery district code: "gangnam" */
	const char *district;    /* "강남구" */
	char address[160];       /* road address: "서울특별시 강남구 테헤란로 123" */
	char postal_code[8];     /* "06123" */
	int floor;               /* 1-3, or 0 for street level */
	int opens;               /* minutes after midnight */
	int closes;              /* may be past midnight: 26:00 is 1560 */
	int closed_day;          /* 0 Monday .. 6 Sunday, -1 open every day */
	int min_order;           /* won */
	int delivery_fee;        /* won */
	size_t menu_n;
	struct seed_menu_item menu[SEED_MENU_MAX];
};

/*
 * Fills out[0..n) with the first n demo stores (n <= SEED_STORES), the
 * same ones on every call. Names are unique. Returns n, or 0 when n is
 * larger than the generator can make unique names for.
 */
size_t seed_generate(struct seed_store *out, size_t n);

/*
 * The store as a JSON object with the members in fields (SEED_F_* bits),
 * ready for POST /stores. Returns a new reference, or NULL when out of
 * memory.
 */
json_t *seed_store_json(const struct seed_store *s, unsigned fields);

/*
 * The rest of the demo data, drawn the same way for the stores of
 * seed_generate: ad campaigns (ads-svc), reviews (reviews-svc) and users'
 * favorites (favorites-svc). Stores are indexes into the generated list.
 */
#define SEED_CAMPAIGNS_MAX 64
#define SEED_REVIEWS_MAX 320
#define SEED_USERS 20
#define SEED_FAVORITES_MAX (SEED_USERS * 8)

struct seed_campaign {
	size_t store;
	int bid;          /* won per click, 100..3000 */
	int days;         /* runs from now for this many days */
};

struct seed_review {
	size_t store;
	char user[16];    /* "user-7" */
	int rating;       /* 1..5 */
	char text[128];
};

struct seed_favorite {
	char user[16];
	size_t store;
};

/*
 * Fills out (room for SEED_*_MAX) for the stores[0..n); returns how many.
 * Deterministic, like seed_generate.
 */
size_t seed_campaigns(const struct seed_store *stores, size_t n,
		      struct seed_campaign *out);
size_t seed_reviews(const struct seed_store *stores, size_t n,
		    struct seed_review *out);
size_t seed_favorites(const struct seed_store *stores, size_t n,
		      struct seed_favorite *out);

/* Where the rest of the demo data goes; NULL URLs are skipped. */
struct seed_targets {
	const char *store_url;   /* to map the stores' names to their ids */
	const char *token;       /* an operator's, for every API written to */
	const char *ads_url;
	const char *reviews_url;
	const char *favorites_url;
};

/* What seed_demo_activity made. */
struct seed_counts {
	int campaigns, reviews, favorites;
};

/*
 * Creates the campaigns, reviews and favorites of the demo stores on the
 * services t names, skipping a store that has campaigns (or reviews)
 * already, so that an interrupted seeding can run again; favorites are
 * idempotent. Stops early when *cancel becomes non-zero. Returns 0 with
 * *made filled, or -1 with the reason in err.
 */
int seed_demo_activity(const struct seed_targets *t,
		       volatile sig_atomic_t *cancel, struct seed_counts *made,
		       char *err, size_t errlen);

/*
 * Creates the demo stores on the store-svc at store_url (token may be
 * NULL), through one client. Stores whose name already exists there are
 * skipped, so a seeding that was interrupted can simply run again. Stops
 * early when *cancel becomes non-zero. Returns how many stores it created,
 * or -1 with the reason in err.
 */
int seed_demo_stores(const char *store_url, const char *token,
		     volatile sig_atomic_t *cancel, char *err, size_t errlen);

#endif
