/*
 * The console's text handling: display widths of Hangul, cutting at
 * character boundaries, and the UTF-8 text field's editing.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/keymap.h"
#include "tui/statusbar.h"
#include "tui/text.h"
#include "tui/textfield.h"

static int setup_locale(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

static void widths(void **state)
{
	(void)state;
	assert_int_equal(tui_text_width(""), 0);
	assert_int_equal(tui_text_width("abc"), 3);
	assert_int_equal(tui_text_width("김밥"), 4);
	assert_int_equal(tui_text_width("김밥 heaven"), 11);
	/* A malformed byte and a control character are one column each. */
	assert_int_equal(tui_text_width("a\xff" "b"), 3);
	assert_int_equal(tui_text_width("a\tb"), 3);
}

static void decode_rejects_malformed(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(tui_utf8_decode("\xea\xb9\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xae40); /* 김 */
	/* Truncated, overlong and surrogate sequences take one byte. */
	assert_int_equal(tui_utf8_decode("\xea\xb9", 2, &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(tui_utf8_decode("\xc0\x80", 2, &cp), 1);
	assert_int_equal(tui_utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	assert_int_equal(cp, 0xfffd);
}

static void fit_never_splits(void **state)
{
	char out[64];

	(void)state;
	/* Fits exactly, padded to the width. */
	assert_int_equal(tui_text_fit("김밥", 6, 1, 1, out, sizeof(out)), 6);
	assert_string_equal(out, "김밥  ");
	/* Too long: the cut mark takes the last column, no half syllable. */
	assert_int_equal(tui_text_fit("김밥천국", 5, 1, 1, out, sizeof(out)), 5);
	assert_string_equal(out, "김밥~");
	assert_int_equal(tui_text_fit("김밥천국", 4, 1, 1, out, sizeof(out)), 4);
	assert_string_equal(out, "김~ ");
	/* Without the mark: as much as fits, padded. */
	assert_int_equal(tui_text_fit("김밥천국", 5, 1, 0, out, sizeof(out)), 5);
	assert_string_equal(out, "김밥 ");
	assert_int_equal(tui_text_fit("abcdef", 4, 0, 1, out, sizeof(out)), 4);
	assert_string_equal(out, "abc~");
	assert_int_equal(tui_text_fit("abcd", 4, 0, 1, out, sizeof(out)), 4);
	assert_string_equal(out, "abcd");
	/* Controls never reach the terminal. */
	tui_text_fit("a\x1b[2Jb", 10, 0, 0, out, sizeof(out));
	assert_string_equal(out, "a?[2Jb");
	/* A small buffer stays terminated and whole. */
	tui_text_fit("김밥천국", 8, 0, 0, out, 7);
	assert_string_equal(out, "김밥");
}

static void copy_cuts_at_boundary(void **state)
{
	char out[5];

	(void)state;
	tui_copy_utf8(out, sizeof(out), "김밥");
	assert_string_equal(out, "김");
	tui_copy_utf8(out, sizeof(out), "abcd");
	assert_string_equal(out, "abcd");
}

static void field_edits_whole_characters(void **state)
{
	struct tui_field f = { 0 };

	(void)state;
	tui_field_set(&f, "김밥");
	assert_int_equal(f.cursor, 6);
	assert_int_equal(tui_field_left(&f), 1);
	assert_int_equal(f.cursor, 3);
	assert_int_equal(tui_field_insert(&f, 0xcc9c), 0); /* 천 */
	assert_string_equal(f.text, "김천밥");
	assert_int_equal(tui_field_backspace(&f), 1);
	assert_string_equal(f.text, "김밥");
	assert_int_equal(tui_field_delete(&f), 1);
	assert_string_equal(f.text, "김");
	assert_int_equal(tui_field_delete(&f), 0);
	assert_int_equal(tui_field_home(&f), 1);
	assert_int_equal(tui_field_left(&f), 0);
	assert_int_equal(tui_field_backspace(&f), 0);
	assert_int_equal(tui_field_insert(&f, 'a'), 0);
	assert_string_equal(f.text, "a김");
	assert_int_equal(tui_field_end(&f), 1);
	assert_int_equal(tui_field_kill_before(&f), 1);
	assert_string_equal(f.text, "");
	/* Control characters are not text. */
	assert_int_equal(tui_field_insert(&f, 0x1b), -1);
	assert_int_equal(f.len, 0);
}

static void field_is_bounded(void **state)
{
	struct tui_field f = { 0 };
	char big[TUI_FIELD_MAX * 2];
	int i;

	(void)state;
	for (i = 0; i + 3 <= (int)sizeof(big) - 1; i += 3)
		memcpy(big + i, "\xea\xb9\x80", 3);
	big[i] = '\0';
	tui_field_set(&f, big);
	assert_true(f.len <= TUI_FIELD_MAX);
	assert_int_equal(f.len % 3, 0); /* whole syllables only */
	while (tui_field_insert(&f, 'x') == 0)
		;
	assert_true(f.len <= TUI_FIELD_MAX);
}

static void field_view_scrolls_by_columns(void **state)
{
	struct tui_field f = { 0 };
	char out[64];
	int col;

	(void)state;
	tui_field_set(&f, "김밥천국 강남점");
	/* 15 columns in a 6-column box: the cursor (at the end) is visible
	 * and the text is cut at a syllable. */
	tui_field_view(&f, 6, out, sizeof(out), &col);
	assert_true(col >= 0 && col <= 5);
	assert_int_equal(tui_text_width(out), 6);
	tui_field_home(&f);
	tui_field_view(&f, 6, out, sizeof(out), &col);
	assert_int_equal(col, 0);
	assert_string_equal(out, "김밥천");
	tui_field_right(&f);
	tui_field_view(&f, 6, out, sizeof(out), &col);
	assert_int_equal(col, 2);
}

static void keymap_lookup_and_help(void **state)
{
	static const struct tui_keybind binds[] = {
		{ 'j', TUI_A_DOWN },
		{ TUI_KEY_FN(0402), TUI_A_DOWN }, /* KEY_DOWN */
		{ TUI_KEY_CTRL('s'), TUI_A_SAVE },
	};
	static const struct tui_keymap map = TUI_KEYMAP("Test", binds);
	struct tui_help_line lines[8];
	char name[24];

	(void)state;
	assert_int_equal(tui_keymap_lookup(&map, 'j'), TUI_A_DOWN);
	assert_int_equal(tui_keymap_lookup(&map, 'x'), TUI_A_NONE);
	/* A character and a function key with the same number differ. */
	assert_int_equal(tui_keymap_lookup(&map, 0402), TUI_A_NONE);
	assert_int_equal(tui_keymap_lookup(&tui_keymap_global, 'q'), TUI_A_QUIT);
	assert_int_equal(tui_keymap_help(&map, lines, 8), 2);
	assert_string_equal(lines[0].keys, "j Down");
	assert_string_equal(lines[0].help, tui_action_help(TUI_A_DOWN));
	assert_string_equal(lines[1].keys, "Ctrl-S");
	tui_key_name(0xae40, name, sizeof(name));
	assert_string_equal(name, "김");
}

/* Long messages wrap at spaces so they are read whole at 80 columns. */
static void wrap_at_spaces(void **state)
{
	char lines[3][512];
	struct tui_status st = { .level = TUI_SAY_ERROR };
	int n;

	(void)state;
	n = tui_text_wrap("aaa bbb ccc", 7, lines, 3);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "aaa bbb");
	assert_string_equal(lines[1], "ccc");
	/* Hangul counts two columns a character. */
	n = tui_text_wrap("김밥 김밥 김밥", 10, lines, 3);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "김밥 김밥");
	/* Too long for max lines: the last shows the cut. */
	n = tui_text_wrap("aaaa bbbb cccc dddd", 4, lines, 2);
	assert_int_equal(n, 2);
	assert_string_equal(lines[1], "bbb~");

	snprintf(st.text, sizeof(st.text), "saved v2");
	assert_int_equal(tui_status_lines(&st, 80), 1);
	memset(st.text, 'x', 100);
	st.text[50] = ' ';
	st.text[100] = '\0';
	assert_int_equal(tui_status_lines(&st, 80), 2);
	memset(st.text, 'x', 400);
	st.text[400] = '\0';
	assert_int_equal(tui_status_lines(&st, 80), TUI_STATUS_LINES_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths),
		cmocka_unit_test(wrap_at_spaces),
		cmocka_unit_test(decode_rejects_malformed),
		cmocka_unit_test(fit_never_splits),
		cmocka_unit_test(copy_cuts_at_boundary),
		cmocka_unit_test(field_edits_whole_characters),
		cmocka_unit_test(field_is_bounded),
		cmocka_unit_test(field_view_scrolls_by_columns),
		cmocka_unit_test(keymap_lookup_and_help),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
