/* The store as JSON text without a jansson tree (store_json.h). */
#include "store-svc/store_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void put(struct jbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put_lit(struct jbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A JSON string escaped as jansson does without flags: '"', '\\' and
 * control characters only; UTF-8 (validated on the way in) as it is. */
static void put_str(struct jbuf *b, const char *s)
{
	const char *run = s;
	char esc[8];

	put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = NULL;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, run, (size_t)(s - run));
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			e = esc;
		}
		put_lit(b, e);
		run = s + 1;
	}
	put(b, run, (size_t)(s - run));
	put(b, "\"", 1);
}

/* ,"key": then the value; the first member passes first = 1. */
static void put_key(struct jbuf *b, const char *key, int first)
{
	if (!first)
		put(b, ",", 1);
	put_str(b, key);
	put(b, ":", 1);
}

static void put_str_member(struct jbuf *b, const char *key, const char *v)
{
	put_key(b, key, 0);
	put_str(b, v);
}

static void put_int_member(struct jbuf *b, const char *key, int64_t v)
{
	char num[24];

	put_key(b, key, 0);
	put(b, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, v));
}

/* A jansson value (the menu, the hours) dumped compactly in place. */
static void put_json(struct jbuf *b, json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (text == NULL) {
		b->oom = 1;
		return;
	}
	put_lit(b, text);
	free(text);
}

char *store_json_text(const struct store *s, size_t *len)
{
	struct jbuf b = { 0 };
	char num[24];

	/* The members in store_model_to_json's order. */
	put(&b, "{", 1);
	put_key(&b, "id", 1);
	put(&b, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, s->id));
	put_str_member(&b, "owner", s->owner);
	put_str_member(&b, "name", s->name);
	put_str_member(&b, "category", s->category);
	if (s->phone[0] != '\0')
		put_str_member(&b, "phone", s->phone);
	if (s->address.road[0] != '\0') {
		put_key(&b, "address", 0);
		put(&b, "{", 1);
		put_key(&b, "road", 1);
		put_str(&b, s->address.road);
		if (s->address.detail[0] != '\0')
			put_str_member(&b, "detail", s->address.detail);
		if (s->address.postal_code[0] != '\0')
			put_str_member(&b, "postal_code", s->address.postal_code);
		put(&b, "}", 1);
	}
	if (s->area[0] != '\0')
		put_str_member(&b, "area", s->area);
	if (s->hours.set) {
		json_t *hours = store_model_hours_json(&s->hours);

		put_key(&b, "hours", 0);
		if (hours == NULL)
			b.oom = 1;
		else
			put_json(&b, hours);
		json_decref(hours);
	}
	put_str_member(&b, "status", s->status);
	if (s->status_reason[0] != '\0')
		put_str_member(&b, "status_reason", s->status_reason);
	put_int_member(&b, "min_order", s->min_order);
	put_int_member(&b, "delivery_fee", s->delivery_fee);
	if (s->description[0] != '\0')
		put_str_member(&b, "description", s->description);
	put_key(&b, "menu", 0);
	if (s->menu != NULL)
		put_json(&b, s->menu);
	else
		put(&b, "[]", 2);
	put_int_member(&b, "version", s->version);
	put_str_member(&b, "created_at", s->created_at);
	put_str_member(&b, "updated_at", s->updated_at);
	put(&b, "}", 1);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return b.p;
}
