/*
 * The demo data beyond the stores: which stores advertise and for how
 * much, who reviews what, and which stores users keep as favorites. Drawn
 * from a fixed-seed sequence over the generated stores, like
 * cli/seed_gen.c: pure, the same on every run.
 */
#include "cli/seed.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ACTIVITY_SEED 0x5eed0ac7u

/* splitmix64 (https://prng.di.unimi.it/splitmix64.c). */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *state, unsigned n)
{
	return (unsigned)(next(state) % n);
}

size_t seed_campaigns(const struct seed_store *stores, size_t n,
		      struct seed_campaign *out)
{
	uint64_t r = ACTIVITY_SEED;
	size_t k = 0;

	/* About one open store in six advertises in its own area. */
	for (size_t i = 0; i < n && k < SEED_CAMPAIGNS_MAX; i++) {
		if (below(&r, 6) != 0 || strcmp(stores[i].status, "open") != 0)
			continue;
		out[k].store = i;
		out[k].bid = 100 * (1 + (int)below(&r, 30));
		out[k].days = 30 + (int)below(&r, 335);
		k++;
	}
	return k;
}

/* What reviewers say, from good to less good; some name a dish first. */
static const struct {
	const char *text;
	int dish;
} review_texts[] = {
	{ "맛있어요", 1 }, { "또 시킬게요", 1 }, { "배달이 빨라요", 0 },
	{ "양이 많아요", 0 }, { "추천합니다", 1 }, { "포장이 꼼꼼해요", 0 },
	{ "조금 식어서 왔어요", 0 }, { "간이 좀 셌어요", 1 },
	{ "사장님이 친절해요", 0 }, { "가격 대비 괜찮아요", 0 },
};

/* Better texts go with better ratings. */
size_t seed_reviews(const struct seed_store *stores, size_t n,
		    struct seed_review *out)
{
	uint64_t r = ACTIVITY_SEED ^ 0x7e71e35u;
	size_t k = 0;

	/* One store in three has one to four reviews. */
	for (size_t i = 0; i < n; i++) {
		unsigned count;

		if (below(&r, 3) != 0)
			continue;
		count = 1 + below(&r, 4);
		for (unsigned c = 0; c < count && k < SEED_REVIEWS_MAX; c++) {
			struct seed_review *v = &out[k++];
			unsigned t = below(&r, sizeof(review_texts) /
					       sizeof(review_texts[0]));
			const char *dish = stores[i].menu_n > 0 ?
				stores[i].menu[below(&r, (unsigned)stores[i].menu_n)].name :
				"음식";

			v->store = i;
			snprintf(v->user, sizeof(v->user), "user-%u",
				 1 + below(&r, SEED_USERS));
			v->rating = t < 6 ? 4 + (int)below(&r, 2) :
				    t < 8 ? 2 + (int)below(&r, 2) : 3 + (int)below(&r, 2);
			snprintf(v->text, sizeof(v->text), "%s%s%s",
				 review_texts[t].dish ? dish : "",
				 review_texts[t].dish ? " " : "",
				 review_texts[t].text);
		}
	}
	return k;
}

size_t seed_favorites(const struct seed_store *stores, size_t n,
		      struct seed_favorite *out)
{
	uint64_t r = ACTIVITY_SEED ^ 0xfa7u;
	size_t k = 0;

	(void)stores;
	if (n == 0)
		return 0;
	/* Every user keeps three to eight stores, each once. */
	for (unsigned u = 1; u <= SEED_USERS; u++) {
		unsigned count = 3 + below(&r, 6);
		size_t first = k;

		for (unsigned c = 0; c < count && k < SEED_FAVORITES_MAX; c++) {
			size_t store = below(&r, (unsigned)n);
			int dup = 0;

			for (size_t j = first; j < k; j++)
				dup |= out[j].store == store;
			if (dup)
				continue;
			snprintf(out[k].user, sizeof(out[k].user), "user-%u", u);
			out[k++].store = store;
		}
	}
	return k;
}
