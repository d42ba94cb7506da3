/*
 * The demo data generator: tables of Seoul districts and delivery brands,
 * and a fixed-seed sequence (splitmix64) that picks branch, owner, phone,
 * status and prices from them. Pure: no I/O, no clock, no rand().
 */
#include "cli/seed.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct seed_district {
	const char *name;      /* "강남구" */
	const char *area;      /* delivery district code */
	int exchange;          /* first digit group of the phones: 02-5xx */
	int postal;            /* first postal code of the district */
	const char *dongs[8];  /* neighbourhoods: the branch names */
	const char *roads[4];  /* streets for the addresses */
};

static const struct seed_district seed_districts[] = {
	{ "강남구", "gangnam", 500, 6000,
	  { "역삼", "논현", "삼성", "대치", "신사", "압구정", "청담", "도곡" },
	  { "테헤란로", "강남대로", "논현로", "봉은사로" } },
	{ "서초구", "seocho", 530, 6500,
	  { "서초", "반포", "방배", "양재", "잠원", "교대", "내곡", "우면" },
	  { "서초대로", "반포대로", "방배로", "강남대로" } },
	{ "마포구", "mapo", 320, 4000,
	  { "합정", "망원", "연남", "서교", "상수", "공덕", "성산", "도화" },
	  { "양화로", "월드컵로", "독막로", "마포대로" } },
	{ "종로구", "jongno", 720, 3000,
	  { "종로", "인사", "삼청", "혜화", "광화문", "부암", "익선", "창신" },
	  { "종로", "율곡로", "대학로", "자하문로" } },
	{ "송파구", "songpa", 410, 5500,
	  { "잠실", "석촌", "방이", "가락", "문정", "오금", "송리단길", "장지" },
	  { "올림픽로", "송파대로", "백제고분로", "양재대로" } },
	{ "용산구", "yongsan", 790, 4300,
	  { "이태원", "한남", "용산", "후암", "효창", "삼각지", "해방촌", "서빙고" },
	  { "이태원로", "한강대로", "녹사평대로", "한남대로" } },
	{ "성동구", "seongdong", 460, 4700,
	  { "성수", "왕십리", "금호", "옥수", "행당", "서울숲", "마장", "응봉" },
	  { "왕십리로", "성수이로", "아차산로", "독서당로" } },
	{ "영등포구", "yeongdeungpo", 780, 7200,
	  { "여의도", "영등포", "당산", "문래", "신길", "대림", "양평", "선유도" },
	  { "여의대로", "영중로", "국회대로", "당산로" } },
};

#define DISTRICTS (sizeof(seed_districts) / sizeof(seed_districts[0]))
#define DONGS 8

struct seed_brand {
	const char *name;
	const char *category;
	int opens, closes;     /* minutes after midnight */
	int min_order;
	struct { const char *name; int price; } menu[SEED_MENU_MAX];
};

#define H(h, m) ((h) * 60 + (m))

static const struct seed_brand seed_brands[] = {
	{ "김밥천국", "korean", H(7, 0), H(22, 0), 8000,
	  { { "원조김밥", 3500 }, { "참치김밥", 4500 }, { "라볶이", 6000 },
	    { "돈까스", 8500 }, { "제육덮밥", 8000 } } },
	{ "본죽", "korean", H(9, 0), H(21, 0), 10000,
	  { { "전복죽", 15000 }, { "소고기야채죽", 11000 }, { "호박죽", 9500 },
	    { "단팥죽", 10000 } } },
	{ "원할머니보쌈", "korean", H(11, 0), H(23, 0), 20000,
	  { { "보쌈 정식", 12000 }, { "보쌈 中", 32000 }, { "막국수", 9000 } } },
	{ "한솥도시락", "korean", H(8, 0), H(21, 0), 7000,
	  { { "치킨마요", 4300 }, { "돈까스도련님", 5500 }, { "제육볶음", 6500 } } },
	{ "홍콩반점", "chinese", H(11, 0), H(21, 30), 12000,
	  { { "짜장면", 6500 }, { "짬뽕", 8000 }, { "탕수육", 16000 },
	    { "볶음밥", 8000 } } },
	{ "라화쿵부", "chinese", H(11, 0), H(22, 0), 14000,
	  { { "마라탕", 12000 }, { "마라샹궈", 22000 }, { "꿔바로우", 18000 } } },
	{ "교동짬뽕", "chinese", H(11, 0), H(21, 0), 12000,
	  { { "교동짬뽕", 9000 }, { "짜장면", 7000 }, { "군만두", 6000 } } },
	{ "미소야", "japanese", H(11, 0), H(21, 30), 12000,
	  { { "로스카츠", 10500 }, { "냉모밀", 9000 }, { "규동", 9500 } } },
	{ "은행골", "japanese", H(11, 30), H(22, 0), 18000,
	  { { "모둠초밥", 18000 }, { "연어초밥", 16000 }, { "우동", 8000 } } },
	{ "스시히로바", "japanese", H(11, 30), H(21, 30), 20000,
	  { { "특선초밥", 24000 }, { "연어덮밥", 14000 }, { "미니우동", 5000 } } },
	{ "빕스", "western", H(11, 0), H(22, 0), 25000,
	  { { "립아이 스테이크", 39000 }, { "바베큐 폭립", 32000 },
	    { "샐러드 세트", 15000 } } },
	{ "서브웨이", "western", H(8, 0), H(22, 0), 9000,
	  { { "이탈리안 BMT", 7900 }, { "에그마요", 5900 },
	    { "스테이크 앤 치즈", 8900 } } },
	{ "매드포갈릭", "western", H(11, 30), H(22, 0), 25000,
	  { { "갈릭 스테이크", 36000 }, { "갈릭 파스타", 22000 },
	    { "갈리아 피자", 26000 } } },
	{ "교촌치킨", "chicken", H(15, 0), H(25, 0), 16000,
	  { { "교촌오리지널", 19000 }, { "허니콤보", 23000 },
	    { "레드콤보", 23000 }, { "교촌웨지감자", 4000 } } },
	{ "비비큐", "chicken", H(15, 0), H(25, 0), 16000,
	  { { "황금올리브치킨", 20000 }, { "자메이카 통다리", 22000 },
	    { "치즈볼", 5000 } } },
	{ "굽네치킨", "chicken", H(15, 0), H(24, 0), 16000,
	  { { "고추바사삭", 19000 }, { "오리지널", 17000 },
	    { "볼케이노", 19000 } } },
	{ "네네치킨", "chicken", H(15, 0), H(25, 0), 16000,
	  { { "스노윙치킨", 20000 }, { "후라이드", 17000 },
	    { "양념치킨", 18000 } } },
	{ "도미노피자", "pizza", H(11, 0), H(23, 0), 15000,
	  { { "포테이토 피자", 27900 }, { "슈퍼디럭스", 29900 },
	    { "페퍼로니", 24900 }, { "치즈 오븐 스파게티", 9900 } } },
	{ "피자헛", "pizza", H(11, 0), H(23, 0), 15000,
	  { { "슈퍼 슈프림", 28900 }, { "페퍼로니 러버스", 25900 },
	    { "치즈 리치골드", 31900 } } },
	{ "파파존스", "pizza", H(11, 0), H(23, 0), 15000,
	  { { "수퍼 파파스", 28500 }, { "존스 페이버릿", 29500 },
	    { "치킨 바베큐", 28500 } } },
	{ "버거킹", "burger", H(10, 0), H(23, 0), 12000,
	  { { "와퍼", 7100 }, { "불고기와퍼", 7100 }, { "콰트로치즈와퍼", 8300 },
	    { "어니언링", 2500 } } },
	{ "맘스터치", "burger", H(10, 0), H(22, 0), 10000,
	  { { "싸이버거", 4900 }, { "딥치즈버거", 5900 }, { "케이준 감자", 2300 } } },
	{ "롯데리아", "burger", H(10, 0), H(22, 0), 10000,
	  { { "불고기버거", 4700 }, { "새우버거", 4700 }, { "양념감자", 2800 } } },
	{ "스타벅스", "cafe", H(7, 0), H(22, 0), 10000,
	  { { "아메리카노", 4500 }, { "카페 라떼", 5000 },
	    { "자바 칩 프라푸치노", 6300 }, { "블루베리 베이글", 3800 } } },
	{ "이디야커피", "cafe", H(8, 0), H(22, 0), 8000,
	  { { "아메리카노", 3200 }, { "바닐라 라떼", 4200 }, { "토피넛 라떼", 4200 } } },
	{ "메가커피", "cafe", H(8, 0), H(23, 0), 6000,
	  { { "아메리카노", 2000 }, { "메가리카노", 3000 }, { "퐁크러쉬", 4400 } } },
	{ "설빙", "dessert", H(11, 0), H(23, 0), 12000,
	  { { "인절미설빙", 10900 }, { "망고치즈설빙", 14900 },
	    { "애플망고빙수", 15900 } } },
	{ "배스킨라빈스", "dessert", H(11, 0), H(23, 0), 12000,
	  { { "파인트", 9800 }, { "쿼터", 18500 }, { "아이스크림 케이크", 28000 } } },
	{ "던킨", "dessert", H(7, 0), H(22, 0), 8000,
	  { { "글레이즈드", 1700 }, { "올드 훼션드", 1900 }, { "먼치킨 10개", 4500 } } },
	{ "신전떡볶이", "snack", H(11, 0), H(23, 0), 10000,
	  { { "신전떡볶이", 3500 }, { "튀김", 3000 }, { "치즈김밥", 3500 },
	    { "오뎅", 3000 } } },
	{ "엽기떡볶이", "snack", H(11, 0), H(24, 0), 14000,
	  { { "엽기떡볶이", 14000 }, { "엽기오뎅", 14000 }, { "주먹김밥", 2000 } } },
	{ "청년다방", "snack", H(11, 0), H(23, 0), 15000,
	  { { "차돌떡볶이", 15000 }, { "통큰오짱떡볶이", 16000 },
	    { "버터갈릭감자튀김", 5000 } } },
	{ "반찬가게 정담", "other", H(9, 0), H(20, 0), 15000,
	  { { "오늘의 반찬 세트", 15000 }, { "멸치볶음", 5000 },
	    { "장조림", 7000 } } },
	{ "이마트24", "other", H(0, 0), H(24, 0), 10000,
	  { { "도시락", 4900 }, { "삼각김밥", 1300 }, { "컵라면", 1500 } } },
};

#define BRANDS (sizeof(seed_brands) / sizeof(seed_brands[0]))

/* splitmix64: small, fast, and the same sequence on every machine. */
struct seed_rng {
	uint64_t state;
};

static uint64_t rng_next(struct seed_rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A number in [0, n); the bias of the modulo is irrelevant here. */
static unsigned rng_below(struct seed_rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

#define SEED_RNG_SEED 0x5EEDC0FFEE2026ull

static void fill_menu(struct seed_store *s, const struct seed_brand *b,
		      struct seed_rng *r)
{
	/* Branches price a little differently: -500, 0 or +500 won. */
	int delta = ((int)rng_below(r, 3) - 1) * 500;

	s->menu_n = 0;
	for (size_t k = 0; k < SEED_MENU_MAX && b->menu[k].name != NULL; k++) {
		struct seed_menu_item *m = &s->menu[s->menu_n++];

		m->name = b->menu[k].name;
		m->price = b->menu[k].price + (b->menu[k].price > 3000 ? delta : 0);
		m->sold_out = rng_below(r, 12) == 0;
	}
}

size_t seed_generate(struct seed_store *out, size_t n)
{
	unsigned char used[BRANDS][DISTRICTS][DONGS];
	struct seed_rng r = { SEED_RNG_SEED };

	if (n > SEED_STORES || n > BRANDS * DISTRICTS * DONGS / 2)
		return 0;
	memset(used, 0, sizeof(used));
	for (size_t i = 0; i < n; i++) {
		struct seed_store *s = &out[i];
		const struct seed_district *d;
		const struct seed_brand *b;
		unsigned bi, di, ki;

		/* Districts take turns so every one gets its share; brand and
		 * neighbourhood are drawn until the pair is new. */
		di = (unsigned)(i % DISTRICTS);
		do {
			bi = rng_below(&r, BRANDS);
			ki = rng_below(&r, DONGS);
		} while (used[bi][di][ki]);
		used[bi][di][ki] = 1;
		d = &seed_districts[di];
		b = &seed_brands[bi];

		memset(s, 0, sizeof(*s));
		snprintf(s->owner, sizeof(s->owner), "owner-%u",
			 1 + rng_below(&r, SEED_OWNERS));
		snprintf(s->name, sizeof(s->name), "%s %s점", b->name,
			 d->dongs[ki]);
		s->category = b->category;
		/* 02-5xx-nnnn: the district's exchange, a unique line. */
		snprintf(s->phone, sizeof(s->phone), "02-%03u-%04u",
			 (unsigned)d->exchange + rng_below(&r, 100),
			 (unsigned)(1000 + i * 37 % 9000));
		s->status = rng_below(&r, 8) == 0 ? "closed" : "open";
		s->area = d->area;
		s->district = d->name;
		snprintf(s->address, sizeof(s->address),
			 "서울특별시 %s %s %u", d->name,
			 d->roads[rng_below(&r, 4)], 1 + rng_below(&r, 480));
		snprintf(s->postal_code, sizeof(s->postal_code), "%05u",
			 (unsigned)d->postal + rng_below(&r, 300));
		s->floor = (int)rng_below(&r, 4); /* 0: street level */
		s->opens = b->opens;
		s->closes = b->closes;
		s->closed_day = rng_below(&r, 4) == 0 ? (int)rng_below(&r, 7) : -1;
		s->min_order = b->min_order;
		s->delivery_fee = 1000 + 500 * (int)rng_below(&r, 6);
		fill_menu(s, b, &r);
	}
	return n;
}

/*
 * {"mon": [{"open":"11:00","close":"01:00"}], ..., "sun": []}: one period a
 * day, past midnight when it closes before it opens, none on the closed
 * day.
 */
static json_t *hours_json(const struct seed_store *s)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu",
					    "fri", "sat", "sun" };
	json_t *h = json_object();
	char from[32], to[32];
	int closes = s->closes > 24 * 60 ? s->closes - 24 * 60 : s->closes;

	snprintf(from, sizeof(from), "%02d:%02d", s->opens / 60, s->opens % 60);
	/* "24:00" is midnight at the end of the day. */
	snprintf(to, sizeof(to), "%02d:%02d", closes / 60, closes % 60);
	for (int k = 0; h != NULL && k < 7; k++)
		json_object_set_new(h, days[k], k == s->closed_day ? json_array() :
					json_pack("[{s:s, s:s}]", "open", from,
						  "close", to));
	return h;
}

static json_t *address_json(const struct seed_store *s)
{
	char detail[16];

	if (s->floor == 0)
		return json_pack("{s:s, s:s}", "road", s->address,
				 "postal_code", s->postal_code);
	snprintf(detail, sizeof(detail), "%d층", s->floor);
	return json_pack("{s:s, s:s, s:s}", "road", s->address, "detail",
			 detail, "postal_code", s->postal_code);
}

static json_t *menu_json(const struct seed_store *s)
{
	json_t *menu = json_array();

	for (size_t k = 0; menu != NULL && k < s->menu_n; k++)
		json_array_append_new(menu,
				      json_pack("{s:s, s:i, s:b}", "name",
						s->menu[k].name, "price",
						s->menu[k].price, "sold_out",
						s->menu[k].sold_out));
	return menu;
}

json_t *seed_store_json(const struct seed_store *s, unsigned fields)
{
	json_t *o = json_object();
	int bad = o == NULL;

#define PUT(bit, key, value) \
	do { \
		if (!bad && (fields & (bit)) && \
		    json_object_set_new(o, key, value) != 0) \
			bad = 1; \
	} while (0)
	PUT(SEED_F_OWNER, "owner", json_string(s->owner));
	PUT(SEED_F_NAME, "name", json_string(s->name));
	PUT(SEED_F_CATEGORY, "category", json_string(s->category));
	PUT(SEED_F_PHONE, "phone", json_string(s->phone));
	PUT(SEED_F_STATUS, "status", json_string(s->status));
	PUT(SEED_F_AREA, "area", json_string(s->area));
	PUT(SEED_F_ADDRESS, "address", address_json(s));
	PUT(SEED_F_HOURS, "hours", hours_json(s));
	PUT(SEED_F_MENU, "menu", menu_json(s));
	PUT(SEED_F_MIN_ORDER, "min_order", json_integer(s->min_order));
	PUT(SEED_F_DELIVERY_FEE, "delivery_fee", json_integer(s->delivery_fee));
#undef PUT
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
