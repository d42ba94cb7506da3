/*
 * The key tables are the one source of the keys: every screen's keymaps
 * give help lines, no key is bound twice in one map, and man/storectl.1
 * lists every key of every map under a heading with the map's name, so
 * the manual cannot drift from the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screens/screens.h"
#include "tui/keymap.h"

#define MAPS_MAX 32

static size_t all_maps(const struct tui_keymap **maps)
{
	const struct screen_ops *screens[] = {
		&screen_stores, &screen_editor,	 &screen_stream,
		&screen_event,	&screen_services, &screen_query,
	};
	size_t n = 0;

	maps[n++] = &tui_keymap_global;
	for (size_t i = 0; i < sizeof(screens) / sizeof(screens[0]); i++) {
		maps[n++] = screens[i]->keymap;
		for (size_t k = 0; screens[i]->more_keymaps != NULL &&
				   screens[i]->more_keymaps[k] != NULL;
		     k++)
			maps[n++] = screens[i]->more_keymaps[k];
	}
	maps[n++] = &tui_keymap_text;
	return n;
}

static void every_key_has_help_once(void **state)
{
	const struct tui_keymap *maps[MAPS_MAX];
	size_t n = all_maps(maps);

	(void)state;
	for (size_t m = 0; m < n; m++) {
		struct tui_help_line lines[64];
		size_t k = tui_keymap_help(maps[m], lines, 64);

		assert_true(k > 0);
		for (size_t i = 0; i < k; i++) {
			assert_true(lines[i].help[0] != '\0');
			assert_true(lines[i].keys[0] != '\0');
		}
		for (size_t i = 0; i < maps[m]->n; i++)
			for (size_t j = i + 1; j < maps[m]->n; j++)
				if (maps[m]->binds[i].key == maps[m]->binds[j].key)
					fail_msg("%s binds key %d twice",
						 maps[m]->name,
						 maps[m]->binds[i].key);
	}
}

static char *read_man(void)
{
	const char *paths[] = { "man/storectl.1", "../../man/storectl.1" };

	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "r");
		char *text;
		long len;

		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		text = calloc(1, (size_t)len + 1);
		if (text != NULL && fread(text, 1, (size_t)len, f) != (size_t)len) {
			free(text);
			text = NULL;
		}
		fclose(f);
		return text;
	}
	return NULL;
}

static int boundary(char c)
{
	return c == '\0' || c == ' ' || c == '"' || c == ',' || c == '\n';
}

/* 1 when word appears in [from, to) between boundaries. */
static int has_word(const char *from, const char *to, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = from; p + n <= to; p++)
		if (strncmp(p, word, n) == 0 && (p == from || boundary(p[-1])) &&
		    boundary(p[n]))
			return 1;
	return 0;
}

static void manual_lists_every_key(void **state)
{
	const struct tui_keymap *maps[MAPS_MAX];
	size_t n = all_maps(maps);
	char *man = read_man();
	const char *keys;

	(void)state;
	assert_non_null(man);
	keys = strstr(man, "\n.SH KEYS\n");
	assert_non_null(keys);
	for (size_t m = 0; m < n; m++) {
		char plain[128], quoted[128];
		const char *sec, *end;

		snprintf(plain, sizeof(plain), "\n.SS %s\n", maps[m]->name);
		snprintf(quoted, sizeof(quoted), "\n.SS \"%s\"\n", maps[m]->name);
		sec = strstr(keys, plain);
		if (sec == NULL)
			sec = strstr(keys, quoted);
		if (sec == NULL)
			fail_msg("man/storectl.1 has no KEYS heading \"%s\"",
				 maps[m]->name);
		sec = strchr(sec + 1, '\n');
		end = strstr(sec, "\n.S");
		if (end == NULL)
			end = sec + strlen(sec);
		for (size_t i = 0; i < maps[m]->n; i++) {
			char name[32];

			tui_key_name(maps[m]->binds[i].key, name, sizeof(name));
			if (!has_word(sec, end, name))
				fail_msg("man/storectl.1, KEYS, %s: no key %s",
					 maps[m]->name, name);
		}
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_has_help_once),
		cmocka_unit_test(manual_lists_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
