/* Query-argument checks shared by the services: strict UTF-8, and the
 * one category list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/category.h"
#include "common/utf8.h"

#define VALID(s) assert_true(utf8_valid(s, sizeof(s) - 1))
#define INVALID(s) assert_false(utf8_valid(s, sizeof(s) - 1))

static void utf8_accepts(void **state)
{
	(void)state;
	VALID("");
	VALID("plain ascii");
	VALID("치킨집 김밥");
	VALID("\xc2\x80");             /* U+0080 */
	VALID("\xdf\xbf");             /* U+07FF */
	VALID("\xe0\xa0\x80");         /* U+0800 */
	VALID("\xed\x9f\xbf");         /* U+D7FF, below the surrogates */
	VALID("\xee\x80\x80");         /* U+E000, above them */
	VALID("\xef\xbf\xbf");         /* U+FFFF */
	VALID("\xf0\x90\x80\x80");     /* U+10000 */
	VALID("\xf4\x8f\xbf\xbf");     /* U+10FFFF */
	VALID("a\0b");                 /* NUL is a character; callers see C strings */
}

static void utf8_refuses(void **state)
{
	(void)state;
	INVALID("\xff");
	INVALID("\xfe\xff");
	INVALID("\x80");               /* a lone continuation byte */
	INVALID("\xc0\xaf");           /* overlong '/' */
	INVALID("\xc1\xbf");
	INVALID("\xe0\x80\xaf");       /* overlong */
	INVALID("\xe0\x9f\xbf");
	INVALID("\xed\xa0\x80");       /* U+D800 */
	INVALID("\xed\xbf\xbf");       /* U+DFFF */
	INVALID("\xf0\x80\x80\xaf");   /* overlong */
	INVALID("\xf0\x8f\xbf\xbf");
	INVALID("\xf4\x90\x80\x80");   /* above U+10FFFF */
	INVALID("\xf5\x80\x80\x80");
	INVALID("ab\xe2\x82");         /* cut off at the end */
	INVALID("\xe2\x82" "a");       /* cut off in the middle */
	INVALID("\xc3");
	INVALID("\xea\xb9\x80\xeb");   /* 김 then a cut-off lead byte */
}

static void categories(void **state)
{
	char buf[256];
	size_t i;

	(void)state;
	for (i = 0; category_names[i] != NULL; i++)
		assert_true(category_known(category_names[i]));
	assert_int_equal(i, 11);
	assert_true(category_known("korean"));
	assert_true(category_known("other"));
	assert_false(category_known("bbq"));
	assert_false(category_known(""));
	assert_false(category_known(NULL));
	assert_false(category_known("Korean"));
	category_list(buf, sizeof(buf));
	assert_non_null(strstr(buf, "korean, chinese"));
	category_list(buf, 8);
	assert_int_equal(strlen(buf), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_accepts),
		cmocka_unit_test(utf8_refuses),
		cmocka_unit_test(categories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
